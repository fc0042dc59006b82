// XML-RPC (https://xmlrpc.com/spec.md) at POST /api/rpc/xml over the procedures of procedures.ts, plus
// the introspection and multicall that Python's xmlrpc.client uses (system.listMethods, methodHelp,
// methodSignature, system.multicall). The XML is parsed by fast-xml-parser; this file maps its elements
// to values and back. Answers are written as Python's xmlrpc.client.dumps writes them (the same line
// breaks), so `xmlrpc.client.ServerProxy` works unchanged and the bytes read like a Python server's.
// Faults use the codes of the "specification for fault code interoperability": -32700 not well formed,
// -32600 not XML-RPC, -32601 no such method, -32602 bad params, -32603 internal error.

import { XMLParser, XMLValidator } from "fast-xml-parser";
import { mediaType, readBody, decodeUtf8 } from "./body";
import { callProcedure, InvalidParams, PROCEDURES, XmlRpcDateTime, type RpcValue } from "./procedures";
import { pythonFloat } from "./python-json";
import { send, type Exchange, type Headers } from "./routing";

export const XML_RPC_FAULTS = {
  notWellFormed: -32700,
  invalidXmlRpc: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

export class XmlRpcFault extends Error {
  override name = "XmlRpcFault";
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(faultString);
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  trimValues: false,
  parseTagValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // The five XML entities and character references (&#233;); a DOCTYPE is refused before parsing.
  htmlEntities: true,
  maxNestedTags: 64,
});

/** An element as fast-xml-parser's preserveOrder gives it: { tag: children } or { "#text": text }. */
type Raw = Record<string, unknown>;
interface Element {
  readonly name: string;
  readonly children: readonly Raw[];
}

function elementOf(raw: Raw): Element | undefined {
  const name = Object.keys(raw).find((k) => k !== ":@");
  if (name === undefined || name === "#text") return undefined;
  return { name, children: raw[name] as Raw[] };
}

/** The child elements, refusing text between them that is not whitespace. */
function elements(parent: Element): Element[] {
  const found: Element[] = [];
  for (const raw of parent.children) {
    const element = elementOf(raw);
    if (element) found.push(element);
    else if (String(raw["#text"] ?? "").trim() !== "") throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, `unexpected text inside <${parent.name}>`);
  }
  return found;
}

const textOf = (element: Element) => element.children.map((raw) => (typeof raw["#text"] === "string" ? raw["#text"] : "")).join("");

function only(parent: Element, name: string): Element {
  const children = elements(parent);
  if (children.length !== 1 || children[0]!.name !== name) throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, `<${parent.name}> must hold one <${name}>`);
  return children[0]!;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const DOUBLE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A <value> element as a value (the spec's types, and <nil/> and <i8> as Python reads them). */
export function valueOf(value: Element): RpcValue {
  const children = elements(value);
  // No type element: a string (the spec's default).
  if (children.length === 0) return textOf(value);
  if (children.length > 1) throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, "<value> must hold one type element");
  const typed = children[0]!;
  const text = textOf(typed);
  const bad = (what: string) => new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, `<${typed.name}>${text.slice(0, 40)}</${typed.name}> is not ${what}`);
  switch (typed.name) {
    case "int":
    case "i4":
    case "i1":
    case "i2":
    case "i8": {
      if (!/^[+-]?\d+$/.test(text.trim())) throw bad("an integer");
      const n = Number(text.trim());
      if (!Number.isSafeInteger(n) || (typed.name !== "i8" && (n < INT32.min || n > INT32.max))) throw bad("an integer in range");
      return n;
    }
    case "boolean":
      if (text.trim() !== "0" && text.trim() !== "1") throw bad("0 or 1");
      return text.trim() === "1";
    case "string":
      return text;
    case "double": {
      const t = text.trim();
      if (!DOUBLE.test(t)) throw bad("a double");
      return Number(t);
    }
    case "dateTime.iso8601":
      return new XmlRpcDateTime(text.trim());
    case "base64":
      return new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "base64"));
    case "nil":
      return null;
    case "array":
      return elements(only(typed, "data")).map((v) => {
        if (v.name !== "value") throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, "<data> holds <value> elements");
        return valueOf(v);
      });
    case "struct": {
      const struct: Record<string, RpcValue> = {};
      for (const member of elements(typed)) {
        const parts = member.name === "member" ? elements(member) : [];
        const name = parts.find((p) => p.name === "name");
        const v = parts.find((p) => p.name === "value");
        if (!name || !v || parts.length !== 2) throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, "<struct> holds <member> elements of one <name> and one <value>");
        struct[textOf(name)] = valueOf(v);
      }
      return struct;
    }
    default:
      throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, `<${typed.name}> is not an XML-RPC type`);
  }
}

/** A methodCall document as its method name and arguments. */
export function parseMethodCall(xml: string): { method: string; args: RpcValue[] } {
  if (/<!DOCTYPE/i.test(xml)) throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, "a DOCTYPE has no place in an XML-RPC call");
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlRpcFault(XML_RPC_FAULTS.notWellFormed, `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  const roots = (parser.parse(xml) as Raw[]).map(elementOf).filter((e) => e !== undefined);
  const call = roots[0];
  if (roots.length !== 1 || call!.name !== "methodCall") throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, "the document must be one <methodCall>");
  const parts = elements(call!);
  const name = parts.find((p) => p.name === "methodName");
  if (!name) throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, "<methodCall> has no <methodName>");
  const params = parts.find((p) => p.name === "params");
  const args = params
    ? elements(params).map((param) => {
        if (param.name !== "param") throw new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, "<params> holds <param> elements");
        return valueOf(only(param, "value"));
      })
    : [];
  return { method: textOf(name).trim(), args };
}

// ---- writing, as xmlrpc.client.Marshaller does ----

const escape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

export function dumpValue(v: RpcValue): string {
  if (v === null) return "<value><nil/></value>";
  if (typeof v === "boolean") return `<value><boolean>${v ? 1 : 0}</boolean></value>\n`;
  if (typeof v === "number") {
    if (Number.isInteger(v) && v >= INT32.min && v <= INT32.max) return `<value><int>${v}</int></value>\n`;
    if (Number.isSafeInteger(v)) return `<value><i8>${v}</i8></value>\n`;
    return `<value><double>${pythonFloat(v).replace("Infinity", "inf").replace("NaN", "nan")}</double></value>\n`;
  }
  if (typeof v === "string") return `<value><string>${escape(v)}</string></value>\n`;
  if (v instanceof Uint8Array) return `<value><base64>\n${Buffer.from(v).toString("base64")}\n</base64></value>\n`;
  if (v instanceof XmlRpcDateTime) return `<value><dateTime.iso8601>${escape(v.text)}</dateTime.iso8601></value>\n`;
  if (Array.isArray(v)) return `<value><array><data>\n${(v as readonly RpcValue[]).map(dumpValue).join("")}</data></array></value>\n`;
  const members = Object.entries(v as Record<string, RpcValue>).map(([k, m]) => `<member>\n<name>${escape(k)}</name>\n${dumpValue(m)}</member>\n`);
  return `<value><struct>\n${members.join("")}</struct></value>\n`;
}

const HEADER = "<?xml version='1.0'?>\n";

export function dumpResponse(result: RpcValue): string {
  return `${HEADER}<methodResponse>\n<params>\n<param>\n${dumpValue(result)}</param>\n</params>\n</methodResponse>\n`;
}

export function dumpFault(fault: XmlRpcFault): string {
  return `${HEADER}<methodResponse>\n<fault>\n${dumpValue({ faultCode: fault.faultCode, faultString: fault.faultString })}</fault>\n</methodResponse>\n`;
}

// ---- dispatch ----

/** Calls one system.multicall may hold, as a JSON-RPC batch (json-rpc.ts MAX_BATCH). */
export const MAX_MULTICALL = 100;

const SYSTEM: Readonly<Record<string, (args: readonly RpcValue[]) => RpcValue>> = {
  "system.listMethods": () => [...Object.keys(PROCEDURES), ...Object.keys(SYSTEM)].sort(),
  "system.methodHelp": ([name]) => (typeof name === "string" && Object.hasOwn(PROCEDURES, name) ? PROCEDURES[name]!.help : ""),
  "system.methodSignature": ([name]) => (typeof name === "string" && Object.hasOwn(PROCEDURES, name) ? [[...PROCEDURES[name]!.signature]] : "signatures not supported"),
  // Python's xmlrpc.client.MultiCall: each call's result in a one-element array, or its fault as a struct.
  "system.multicall": ([calls]) => {
    if (!Array.isArray(calls)) throw new InvalidParams("system.multicall takes an array of {methodName, params}");
    if (calls.length > MAX_MULTICALL) throw new InvalidParams(`system.multicall takes at most ${MAX_MULTICALL} calls`);
    return (calls as readonly RpcValue[]).map((call) => {
      try {
        const c = call as Record<string, RpcValue> | null;
        const name = c?.methodName;
        const params = c?.params;
        if (typeof name !== "string" || !Array.isArray(params)) throw new InvalidParams("each call is a struct of methodName and params");
        if (name === "system.multicall") throw new InvalidParams("system.multicall may not call itself");
        return [dispatch(name, params as RpcValue[])];
      } catch (err) {
        const fault = faultOf(err);
        return { faultCode: fault.faultCode, faultString: fault.faultString };
      }
    });
  },
};

function dispatch(method: string, args: readonly RpcValue[]): RpcValue {
  if (Object.hasOwn(SYSTEM, method)) return SYSTEM[method]!(args);
  if (!Object.hasOwn(PROCEDURES, method)) {
    throw new XmlRpcFault(XML_RPC_FAULTS.methodNotFound, `method "${method}" is not supported: there are ${Object.keys(PROCEDURES).join(", ")}`);
  }
  return callProcedure(PROCEDURES[method]!, args);
}

function faultOf(err: unknown): XmlRpcFault {
  if (err instanceof XmlRpcFault) return err;
  if (err instanceof InvalidParams) return new XmlRpcFault(XML_RPC_FAULTS.invalidParams, err.message);
  return new XmlRpcFault(XML_RPC_FAULTS.internalError, "the procedure failed");
}

/** The answer document to a methodCall body: a methodResponse with the result, or with a fault. */
export function answerXmlRpc(body: Uint8Array): string {
  const xml = decodeUtf8(body);
  try {
    if (xml === undefined) throw new XmlRpcFault(XML_RPC_FAULTS.notWellFormed, "the body is not valid UTF-8");
    const { method, args } = parseMethodCall(xml);
    return dumpResponse(dispatch(method, args));
  } catch (err) {
    return dumpFault(faultOf(err));
  }
}

const XML_TYPE = { "Content-Type": "text/xml" };
const XML_TYPES = new Set(["text/xml", "application/xml"]);

/** POST /api/rpc/xml. A fault is an answer too (HTTP 200), as the spec has it. */
export async function handleXmlRpc(x: Exchange): Promise<void> {
  if (!XML_TYPES.has(mediaType(x.req))) {
    return xmlRpcProblem(x, 415, `Unsupported media type "${x.req.headers["content-type"] ?? ""}": send XML-RPC as text/xml.`);
  }
  send(x, 200, answerXmlRpc(await readBody(x)), XML_TYPE);
}

/** An HTTP-level error on the XML-RPC path: the status, with a fault document that says why. */
export function xmlRpcProblem(x: Exchange, status: number, message: string, headers?: Headers): void {
  send(x, status, dumpFault(new XmlRpcFault(XML_RPC_FAULTS.invalidXmlRpc, message)), { ...XML_TYPE, ...headers });
}
