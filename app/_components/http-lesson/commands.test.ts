import { describe, expect, it } from "vitest";
import { curlDrip, curlEtag, curlFollow, curlKeepAlive, curlVerbose, pythonHttp } from "./commands";
import { curlDummies, curlJsonRpcBatch, curlUsers, pythonJsonRpc, pythonXmlRpc } from "../rest-rpc-lesson/commands";

const lab = { host: "127.0.0.1", port: 28080 };

describe("the HTTP lessons' terminal commands", () => {
  it("use the port the lab reports and quote every URL for the shell", () => {
    expect(curlVerbose(lab)).toBe("curl -v 'http://127.0.0.1:28080/'");
    expect(curlFollow(lab)).toBe("curl -L -v 'http://127.0.0.1:28080/'");
    expect(curlKeepAlive(lab)).toBe("curl -v 'http://127.0.0.1:28080/api/health' 'http://127.0.0.1:28080/api/users'");
    expect(curlDrip(lab)).toBe("curl -N -i 'http://127.0.0.1:28080/http/drip'");
    expect(curlDummies(lab)).toContain("curl -s 'http://127.0.0.1:28080/api/rest/dummies?id=1&id=2&id=3'");
    expect(curlDummies(lab)).toContain(`--form 'weekday="Monday"'`);
  });

  it("send the ETag back in If-None-Match, read with awk (macOS has no sed -I)", () => {
    expect(curlEtag(lab).split("\n")).toEqual([
      `ETAG=$(curl -sI 'http://127.0.0.1:28080/posts' | tr -d '\\r' | awk 'tolower($1) == "etag:" { print $2 }')`,
      `curl -i -H "If-None-Match: $ETAG" 'http://127.0.0.1:28080/posts'`,
    ]);
  });

  it("write an IPv6 host in brackets, in curl and in Python", () => {
    const v6 = { host: "::1", port: 8080 };
    expect(curlUsers(v6)).toContain("'http://[::1]:8080/api/users/1'");
    expect(pythonHttp(v6)).toContain('session.get("http://[::1]:8080/")');
    expect(pythonXmlRpc(v6)).toContain('ServerProxy("http://[::1]:8080/api/rpc/xml")');
    expect(pythonJsonRpc(v6)).toContain('requests.post("http://[::1]:8080/api/rpc/json", json=call)');
    expect(curlJsonRpcBatch(v6)).toContain(`-d '[{"jsonrpc": "2.0", "method": "add"`);
  });
});
