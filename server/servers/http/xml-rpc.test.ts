// The XML-RPC mapping against CPython's xmlrpc.client: documents Python writes are read to the same
// values, and what this server writes Python reads back to the same values.

import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { XmlRpcDateTime, type RpcValue } from "./procedures";
import { answerXmlRpc, dumpResponse, parseMethodCall, XML_RPC_FAULTS } from "./xml-rpc";

const python = (script: string, input = "") => execFileSync("/usr/bin/python3", ["-c", script], { input }).toString("utf8");

describe("XML-RPC values", () => {
  it("reads every type Python's xmlrpc.client writes", () => {
    const xml = python(String.raw`
import sys, xmlrpc.client, datetime
args = (42, -7, -2**31, True, False, "text <&> é😀", "", 2.5, -1e-07, None,
        xmlrpc.client.Binary(b"\x00\xffbytes"), datetime.datetime(2024, 1, 2, 3, 4, 5),
        [1, "two", [3.0]], {"a": 1, "b": {"c": [True]}})
sys.stdout.write(xmlrpc.client.dumps(args, "swap", allow_none=True))
`);
    const { method, args } = parseMethodCall(xml);
    expect(method).toBe("swap");
    expect(args.slice(0, 10)).toEqual([42, -7, -(2 ** 31), true, false, "text <&> é😀", "", 2.5, -1e-7, null]);
    expect(Buffer.from(args[10] as Uint8Array).toString("latin1")).toBe("\x00\xffbytes");
    expect(args[11]).toEqual(new XmlRpcDateTime("20240102T03:04:05"));
    expect(args.slice(12)).toEqual([[1, "two", [3]], { a: 1, b: { c: [true] } }]);
  });

  it("writes answers Python reads back to the same values", () => {
    const values: RpcValue[] = [5, -(2 ** 31), 2 ** 31, 2.75, 1e-7, "a <b> & c é😀", "", true, null, [1, ["x"]], { k: "v", n: { m: 1 } }];
    const read = values.map((v) =>
      JSON.parse(python("import sys, json, xmlrpc.client\nprint(json.dumps(xmlrpc.client.loads(sys.stdin.read(), use_builtin_types=True)[0][0]))", dumpResponse(v))),
    );
    expect(read).toEqual(values);
  });

  it("answers faults with the interoperability codes, never throwing", () => {
    const fault = (body: string) => /<name>faultCode<\/name>\n<value><int>(-?\d+)<\/int>/.exec(answerXmlRpc(Buffer.from(body)))?.[1];
    expect(fault("<methodCall><methodName>add")).toBe(String(XML_RPC_FAULTS.notWellFormed));
    expect(fault("<notACall/>")).toBe(String(XML_RPC_FAULTS.invalidXmlRpc));
    expect(fault("<methodCall><methodName>add</methodName><params><param><value><int>x</int></value></param></params></methodCall>")).toBe(
      String(XML_RPC_FAULTS.invalidXmlRpc),
    );
    expect(fault("<methodCall><methodName>nothing</methodName></methodCall>")).toBe(String(XML_RPC_FAULTS.methodNotFound));
    expect(fault("<methodCall><methodName>upper</methodName><params><param><value><int>1</int></value></param></params></methodCall>")).toBe(
      String(XML_RPC_FAULTS.invalidParams),
    );
    const deep = `<methodCall><methodName>upper</methodName><params><param>${"<value><array><data>".repeat(200)}${"</data></array></value>".repeat(200)}</param></params></methodCall>`;
    expect(fault(deep)).toMatch(/^-32\d{3}$/);
  });
});
