// The requests the REST and RPC lesson compares, as the lab's HTTP client sends them: REST reads of the workshop's
// dummies (seed 004: /api/rest/dummie/{id}, ?id= repeated), and calls of the same server's procedures (add, upper,
// reverse; seed 004) as JSON-RPC 2.0 and as XML-RPC, written as Python's json and xmlrpc.client write them.

import type { HttpRequestSpec } from "../http-lesson/use-http";

export type Style = "rest" | "jsonrpc" | "xmlrpc";

type Value = string | number;

/** A JSON-RPC 2.0 call; without an id it is a notification. */
export function jsonRpcCall(method: string, params: readonly Value[], id?: number): Record<string, unknown> {
  return id === undefined ? { jsonrpc: "2.0", method, params } : { jsonrpc: "2.0", method, params, id };
}

export function jsonRpc(body: unknown): HttpRequestSpec {
  return { method: "POST", url: "/api/rpc/json", headers: [["Content-Type", "application/json"]], body: JSON.stringify(body) };
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function xmlValue(value: Value): string {
  return typeof value === "number" && Number.isInteger(value) ? `<value><int>${value}</int></value>` : `<value><string>${escapeXml(String(value))}</string></value>`;
}

/** An XML-RPC call as xmlrpc.client.dumps(..., methodname=...) writes it. */
export function xmlRpc(method: string, params: readonly Value[]): HttpRequestSpec {
  const body = [
    "<?xml version='1.0'?>",
    "<methodCall>",
    `<methodName>${escapeXml(method)}</methodName>`,
    "<params>",
    ...params.map((p) => `<param>\n${xmlValue(p)}\n</param>`),
    "</params>",
    "</methodCall>",
    "",
  ].join("\n");
  return { method: "POST", url: "/api/rpc/xml", headers: [["Content-Type", "text/xml"]], body };
}

export const rest = (url: string): HttpRequestSpec => ({ method: "GET", url });

/** One request of each kind: a resource read, and one procedure call in both RPC envelopes. */
export const COMPARE: readonly { readonly style: Style; readonly spec: HttpRequestSpec }[] = [
  { style: "rest", spec: rest("/api/rest/dummie/2") },
  { style: "jsonrpc", spec: jsonRpc(jsonRpcCall("upper", ["hello"], 1)) },
  { style: "xmlrpc", spec: xmlRpc("upper", ["hello"]) },
];

/** Three reads as three requests, as one request for three, and three calls as one JSON-RPC batch. */
export const BATCHES = {
  rest: [rest("/api/rest/dummie/1"), rest("/api/rest/dummie/2"), rest("/api/rest/dummie/3")],
  filter: [rest("/api/rest/dummies?id=1&id=2&id=3")],
  batch: [jsonRpc([jsonRpcCall("add", [2, 3], 1), jsonRpcCall("upper", ["hello"], 2), jsonRpcCall("reverse", ["stressed"], 3)])],
} as const satisfies Record<string, readonly HttpRequestSpec[]>;

/** The same mistake each way: a thing that is not there. */
export const ERRORS: readonly { readonly style: Style; readonly spec: HttpRequestSpec }[] = [
  { style: "rest", spec: rest("/api/rest/dummie/999") },
  { style: "jsonrpc", spec: jsonRpc(jsonRpcCall("divide", [1, 0], 1)) },
  { style: "xmlrpc", spec: xmlRpc("divide", [1, 0]) },
];

/** The target line as a log shows it: method and URL, and for RPC the procedure the body names. */
export function procedureOf(spec: HttpRequestSpec): string | undefined {
  const body = spec.body ?? "";
  const xml = /<methodName>([^<]*)<\/methodName>/.exec(body);
  if (xml) return xml[1];
  try {
    const parsed = JSON.parse(body) as { method?: unknown } | { method?: unknown }[];
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    const names = calls.map((c) => c.method).filter((m): m is string => typeof m === "string");
    return names.length > 0 ? names.join(", ") : undefined;
  } catch {
    return undefined;
  }
}
