// The composer's model: bodies, headers, the curl and Python code it writes (quoting of quotes, newlines and
// non-ASCII text), JSON problems and the presets. The curl line and the Python are also run for real: server/clients/http-commands.it.test.ts.

import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  curlCommand,
  EMPTY_REQUEST,
  findPreset,
  formBody,
  headersOf,
  jsonProblem,
  multipartBody,
  normalizePath,
  PRESET_GROUPS,
  prettyBody,
  pythonRequests,
  sendHttpRequest,
  type ComposerRequest,
} from "./model";

const at = { host: "127.0.0.1", port: 8080 };
const request = (rest: Partial<ComposerRequest>): ComposerRequest => ({ ...EMPTY_REQUEST, ...rest });

/** What sh makes of a command's words (printf of each argument on a line of its own). */
function shellWords(command: string): string[] {
  const out = execFileSync("sh", ["-c", `printf '%s\\0' ${command.replace(/^curl /, "")}`]).toString("utf8");
  return out.split("\0").slice(0, -1);
}

describe("curl", () => {
  it("writes the seed's GET as the workshop does, and -X only where curl would pick another method", () => {
    expect(curlCommand(request({ method: "GET", path: "/api/users" }), at)).toBe("curl -i 'http://127.0.0.1:8080/api/users'");
    expect(curlCommand(request({ method: "DELETE", path: "/api/users/2" }), at)).toBe("curl -i -X DELETE 'http://127.0.0.1:8080/api/users/2'");
    expect(curlCommand(request({ method: "HEAD", path: "/" }), at)).toBe("curl -I 'http://127.0.0.1:8080/'");
    expect(curlCommand(request({ method: "GET", path: "/", followRedirects: true }), at)).toBe("curl -i -L 'http://127.0.0.1:8080/'");
    expect(curlCommand(request({ method: "POST", path: "/api/users", bodyMode: "json", text: '{"a": 1}' }), at)).toBe(
      "curl -i 'http://127.0.0.1:8080/api/users' \\\n  -H 'Content-Type: application/json' \\\n  --data-binary '{\"a\": 1}'",
    );
  });

  it("quotes single quotes, double quotes, newlines and non-ASCII text so the shell hands curl them unchanged", () => {
    const text = `{"name": "O'Brien \\"the\\" 1st",\n "city": "Москва", "emoji": "🙂", "dollar": "$HOME \`x\`"}`;
    const command = curlCommand(request({ method: "PUT", path: "/api/users/1", bodyMode: "json", text, headers: [{ name: "X-Note", value: "it's" }] }), at);
    expect(command).toContain(`-H 'X-Note: it'\\''s'`);
    const words = shellWords(command.replace(/ \\\n {2}/g, " "));
    expect(words).toEqual(["-i", "-X", "PUT", "http://127.0.0.1:8080/api/users/1", "-H", "X-Note: it's", "-H", "Content-Type: application/json", "--data-binary", text]);
  });

  it("writes multipart fields with --form-string (no @file or <file reading) and an empty header with ';'", () => {
    const command = curlCommand(
      request({ method: "POST", path: "/api/rest/dummie", bodyMode: "multipart", fields: [{ name: "day", value: "@/etc/passwd" }, { name: "weekday", value: "Monday" }], headers: [{ name: "X-Empty", value: "" }] }),
      at,
    );
    expect(command).toBe("curl -i 'http://127.0.0.1:8080/api/rest/dummie' \\\n  -H 'X-Empty;' \\\n  --form-string 'day=@/etc/passwd' \\\n  --form-string 'weekday=Monday'");
  });

  it("writes an IPv6 host in brackets, with -g so curl does not read them as a glob", () => {
    expect(curlCommand(request({ path: "/api/health" }), { host: "::1", port: 28080 })).toBe("curl -i -g 'http://[::1]:28080/api/health'");
  });
});

describe("Python requests", () => {
  it("sends the body's exact UTF-8 bytes with the same headers, and says whether to follow", () => {
    const code = pythonRequests(request({ method: "POST", path: "/api/users", bodyMode: "json", text: '{"name": "Zoë \\"Z\\"",\n"age": 1}' }), at);
    expect(code).toContain('    "POST",\n    "http://127.0.0.1:8080/api/users",\n');
    expect(code).toContain('    headers={"Content-Type": "application/json"},\n');
    expect(code).toContain('    data="{\\"name\\": \\"Zoë \\\\\\"Z\\\\\\"\\",\\n\\"age\\": 1}".encode("utf-8"),\n');
    expect(code).toContain("    allow_redirects=False,\n");
  });

  it("is valid Python whose data literal is the body, byte for byte", () => {
    const text = `it's "quoted"\nline two: Москва 🙂 \\ backslash`;
    const code = pythonRequests(request({ method: "POST", path: "/x", bodyMode: "raw", text }), at);
    const data = /data=(.*)\.encode\("utf-8"\)/.exec(code)![1]!;
    const printed = execFileSync("/usr/bin/python3", ["-c", `import sys; sys.stdout.buffer.write((${data}).encode("utf-8"))`]).toString("utf8");
    expect(printed).toBe(text);
    // The whole program compiles.
    execFileSync("/usr/bin/python3", ["-c", `import ast, sys; ast.parse(sys.stdin.read())`], { input: code });
  });

  it("writes multipart fields as requests' files, without a filename", () => {
    const code = pythonRequests(request({ method: "PATCH", path: "/api/rest/dummie/11", bodyMode: "multipart", fields: [{ name: "year", value: "1984" }] }), at);
    expect(code).toContain('    files=[("year", (None, "1984"))],\n');
    expect(code).not.toContain("Content-Type");
  });
});

describe("bodies and headers", () => {
  it("encodes a form as the URL Standard does and a multipart body per RFC 7578", () => {
    expect(formBody([{ name: "q", value: "a b&c=д" }, { name: "", value: "dropped" }])).toBe("q=a+b%26c%3D%D0%B4");
    expect(multipartBody([{ name: "day", value: "1" }], "B")).toBe('--B\r\nContent-Disposition: form-data; name="day"\r\n\r\n1\r\n--B--\r\n');
  });

  it("adds a Content-Type for the body unless the student gave one", () => {
    expect(headersOf(request({ bodyMode: "json", text: "{}" }), "B")).toEqual([{ name: "Content-Type", value: "application/json" }]);
    expect(headersOf(request({ bodyMode: "json", text: "{}", headers: [{ name: "content-type", value: "text/json" }] }), "B")).toEqual([{ name: "content-type", value: "text/json" }]);
    const sent = sendHttpRequest(request({ method: "POST", path: "/api/rest/dummie", bodyMode: "multipart", fields: [{ name: "day", value: "1" }] }), "B");
    expect(sent.headers).toEqual([{ name: "Content-Type", value: "multipart/form-data; boundary=B" }]);
    expect(new TextDecoder().decode(sent.body)).toContain('name="day"');
  });

  it("percent-encodes spaces and non-ASCII in the path, keeps a query's repeated keys", () => {
    expect(normalizePath("/api/rest/dummies?id=1&id=2")).toBe("/api/rest/dummies?id=1&id=2");
    expect(normalizePath("/a b/ü?q=й")).toBe("/a%20b/%C3%BC?q=%D0%B9");
    expect(normalizePath("http://example.com/")).toBeUndefined();
    expect(normalizePath("//example.com/")).toBeUndefined();
  });

  it("finds where JSON stops being JSON, by line and column", () => {
    expect(jsonProblem('{"a": 1}')).toBeUndefined();
    expect(jsonProblem('{\n  "a": 1,\n  "b": tru\n}')).toEqual({ line: 3, column: 8, kind: "syntax" });
    expect(jsonProblem("invalid json")).toMatchObject({ line: 1, kind: "syntax" });
    expect(jsonProblem("  ")).toEqual({ line: 1, column: 1, kind: "empty" });
  });

  it("pretty-prints a JSON answer and leaves other text alone", () => {
    const enc = new TextEncoder();
    expect(prettyBody(enc.encode('{"a":[1]}'), "application/json")).toEqual({ text: '{\n  "a": [\n    1\n  ]\n}', json: true });
    expect(prettyBody(enc.encode("<p>x</p>"), "text/html")).toEqual({ text: "<p>x</p>", json: false });
    expect(prettyBody(enc.encode("a\u202eb\u200bc"), "text/plain").text).toBe("a\\u202eb\\u200bc");
  });
});

describe("presets", () => {
  it("hold seed 000's eight steps with the statuses the seed promises", () => {
    const seed = PRESET_GROUPS.find((g) => g.id === "seed000")!;
    expect(seed.sequence).toBe(true);
    expect(seed.presets.map((p) => p.expect)).toEqual([200, 200, 200, 201, 200, 200, 404, 400]);
    expect(seed.presets.map((p) => `${p.request.method} ${p.request.path}`)).toEqual([
      "GET /api/health",
      "GET /api/users",
      "GET /api/users/1",
      "POST /api/users",
      "PUT /api/users/1",
      "DELETE /api/users/2",
      "GET /api/users/999",
      "POST /api/users",
    ]);
  });

  it("have unique ids, paths a request line can carry, and JSON bodies that are JSON", () => {
    const ids = PRESET_GROUPS.flatMap((g) => g.presets.map((p) => p.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      const p = findPreset(PRESET_GROUPS, id)!;
      expect(normalizePath(p.request.path), id).toBe(p.request.path);
      if (p.request.bodyMode === "json") expect(jsonProblem(p.request.text), id).toBeUndefined();
    }
  });
});
