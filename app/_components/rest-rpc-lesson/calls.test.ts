import { describe, expect, it } from "vitest";
import { BATCHES, COMPARE, ERRORS, jsonRpcCall, procedureOf, xmlRpc } from "./calls";

describe("the lesson's calls", () => {
  it("write an XML-RPC call as Python's xmlrpc.client.dumps does", () => {
    expect(xmlRpc("add", [2, 3]).body).toBe(
      "<?xml version='1.0'?>\n<methodCall>\n<methodName>add</methodName>\n<params>\n<param>\n<value><int>2</int></value>\n</param>\n<param>\n<value><int>3</int></value>\n</param>\n</params>\n</methodCall>\n",
    );
    expect(xmlRpc("upper", ["a<b & c"]).body).toContain("<value><string>a&lt;b &amp; c</string></value>");
  });

  it("make a JSON-RPC notification by leaving the id out", () => {
    expect(jsonRpcCall("upper", ["hi"])).toEqual({ jsonrpc: "2.0", method: "upper", params: ["hi"] });
    expect(jsonRpcCall("add", [1, 2], 7)).toMatchObject({ id: 7 });
  });

  it("name the procedure each RPC body calls, and none for a REST read", () => {
    expect(COMPARE.map(({ spec }) => procedureOf(spec))).toEqual([undefined, "upper", "upper"]);
    expect(procedureOf(BATCHES.batch[0])).toBe("add, upper, reverse");
    expect(ERRORS.map(({ style, spec }) => [style, spec.method, spec.url])).toEqual([
      ["rest", "GET", "/api/rest/dummie/999"],
      ["jsonrpc", "POST", "/api/rpc/json"],
      ["xmlrpc", "POST", "/api/rpc/xml"],
    ]);
  });
});
