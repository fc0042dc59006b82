// HTTP message bodies by media type: JSON as a tree (JSON-RPC 2.0 messages named: method, params, id, result, error),
// XML (XML-RPC calls, responses and faults named), HTML form data (application/x-www-form-urlencoded) and multipart
// parts (RFC 2046 §5.1: boundary delimiters, each part's headers and content), else text or bytes. Every node sits at
// its bytes; the caller's node (Body, chunk data, a part's content) holds them.
// Sources: RFC 8259, https://www.jsonrpc.org/specification, http://xmlrpc.com/spec.md, WHATWG URL §5.1
// (application/x-www-form-urlencoded parsing), RFC 2046 §5.1.1, RFC 7578.
// ISOMORPHIC: no Node imports.

import { addItem, createCursor, graft, quoted, type Cursor } from "../core/cursor";
import { concatBytes, escapeText } from "../core/fields";
import { addGrpcMessages } from "../grpc";
import type { FieldSpec } from "../core/types";
import { addJsonTree, isJsonError, JSON_MAX_DEPTH, member, parseJson, type JsonNaming, type JsonValue } from "../json";
import { headerBlock, latin1, LF, mediaType, textOf } from "./head";
import { http1Fields as f, http1Findings as x } from "./tables";
import { addEndOfHeaders, addHeaderField } from "./tree";
import { child, elements, parseXml, textIn, type XmlDocument, type XmlElement, type XmlNode } from "./xml";

const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });

/** How deep multipart parts may nest inside each other before their content is shown as bytes. */
const MAX_NESTING = 2;

/**
 * Adds the nodes of body bytes [start, end) under one node of field `as` (which stands for all of them), and returns
 * what the summary line adds (` JSON-RPC add`), or "". Findings go to the cursor. The cursor stands at `start`.
 */
export function addBody(cur: Cursor, bytes: Uint8Array, start: number, end: number, contentType: string | undefined, as: FieldSpec, depth = 0): string {
  if (end <= start) return "";
  const mt = mediaType(contentType);
  const type = mt?.type ?? "";
  if (type === "application/json" || type.endsWith("+json") || type === "application/json-rpc") {
    // Without a tree, the values matter only when the text may be JSON-RPC: otherwise it is only checked.
    const doc = parseJson(bytes, start, end, cur.tree || mayBeRpc(bytes, start, end));
    if (!isJsonError(doc)) {
      const rpc = jsonRpc(doc.value);
      if (cur.tree) {
        cur.push(as);
        addJsonTree(cur, bytes, doc, rpc?.naming);
        cur.pop();
      } else cur.skip(end - start);
      return rpc ? ` JSON-RPC ${rpc.summary}` : "";
    }
    if (doc.error === "depth") cur.finding(x.json_invalid.depth, { depth: JSON_MAX_DEPTH }, start, end - start);
    else if (doc.error === "encoding") cur.finding(x.json_invalid.encoding, { offset: doc.at }, doc.at, 0);
    else cur.finding(x.json_invalid.syntax, { offset: doc.at }, doc.at, 0);
  } else if (type === "text/xml" || type === "application/xml" || type.endsWith("+xml")) {
    const doc = parseXml(bytes, start, end);
    if (doc) {
      const rpc = doc.root.name === "methodCall" || doc.root.name === "methodResponse";
      if (cur.tree) {
        cur.push(as);
        for (const item of doc.items) addXml(cur, bytes, item, rpc);
        cur.pop();
      } else cur.skip(end - start);
      return rpc ? ` XML-RPC ${xmlRpcSummary(doc)}` : "";
    }
  } else if (type === "application/x-www-form-urlencoded") {
    if (cur.tree) {
      cur.push(as);
      addForm(cur, bytes, start, end);
      cur.pop();
    } else cur.skip(end - start);
    return "";
  } else if (isEnvelopeStream(type)) {
    // gRPC-web and Connect streaming bodies: length-prefixed messages, protobuf read schema-less (the body does not
    // know its call's path). grpc-web-text is base64 and stays text.
    cur.push(as);
    const r = addGrpcMessages(cur, bytes, end, { request: false, contentType: type });
    cur.pop();
    return r.summary ? ` gRPC ${r.summary}` : "";
  } else if (type.startsWith("multipart/") && depth < MAX_NESTING) {
    const boundary = mt?.params.boundary;
    if (!boundary) cur.finding(x.multipart_no_boundary, start, 0);
    else {
      cur.push(as);
      addMultipart(cur, bytes, start, end, boundary, depth);
      cur.pop();
      return "";
    }
  }
  addRaw(cur, bytes, start, end, as);
  return "";
}

/** gRPC-web and Connect streaming bodies: length-prefixed messages (grpc-web-text is base64 and stays text). */
export function isEnvelopeStream(contentType: string | undefined): boolean {
  const type = mediaType(contentType)?.type ?? contentType ?? "";
  return (type.startsWith("application/grpc-web") && !type.startsWith("application/grpc-web-text")) || type.startsWith("application/connect+proto");
}

/**
 * A gRPC-web or Connect stream sent in several chunks (a server-streaming call's answer: one write per message, or
 * any split a proxy makes): a chunk may end inside an envelope, even inside its 5-byte header, so the envelopes are
 * read from the chunks' data joined. Their nodes are computed, with no bytes of their own here (each chunk's data
 * node holds the bytes), under one node of field `as`; their findings point at that node. Returns the summary's suffix.
 */
export function addJoinedEnvelopes(cur: Cursor, parts: readonly Uint8Array[], contentType: string | undefined, as: FieldSpec): string {
  const joined = concatBytes(parts);
  const type = mediaType(contentType)?.type ?? "";
  const inner = createCursor(joined, cur.proto, cur.tree);
  const r = addGrpcMessages(inner, joined, joined.length, { request: false, contentType: type });
  const frame = inner.frame("");
  cur.push(as);
  if (cur.tree) graft(cur, frame.fields);
  cur.pop({ format: "plain", text: r.summary });
  for (const finding of frame.findings) cur.addFinding({ ...finding, offset: cur.offset, length: 0 });
  return r.summary ? ` gRPC ${r.summary}` : "";
}

/** Bytes as one leaf: text when they are UTF-8, else bytes. */
export function addRaw(cur: Cursor, bytes: Uint8Array, start: number, end: number, as: FieldSpec): void {
  if (!cur.tree) {
    cur.skip(end - start);
    return;
  }
  const part = bytes.subarray(start, end);
  let text: string | undefined;
  try {
    text = fatal.decode(part);
  } catch {
    text = undefined;
  }
  if (text !== undefined) addItem(cur, as, end - start, quoted(text));
  else cur.bytes(as, end - start);
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC 2.0

const RPC_NAMES = ["method", "result", "error"].map((w) => Uint8Array.from(w, (c) => c.charCodeAt(0)));

/** Whether a JSON text can hold a JSON-RPC member name: one of them as bytes, or an escape that could spell one. */
function mayBeRpc(bytes: Uint8Array, start: number, end: number): boolean {
  const text = bytes.subarray(start, end);
  if (text.includes(0x5c)) return true;
  return RPC_NAMES.some((name) => {
    for (let i = text.indexOf(name[0] as number); i >= 0 && i + name.length <= text.length; i = text.indexOf(name[0] as number, i + 1)) {
      let k = 1;
      while (k < name.length && text[i + k] === name[k]) k++;
      if (k === name.length) return true;
    }
    return false;
  });
}

type RpcRole = "request" | "notification" | "response";

function rpcRole(v: JsonValue | undefined): RpcRole | undefined {
  if (v?.kind !== "object") return undefined;
  const method = member(v, "method");
  const id = member(v, "id");
  if (method?.kind === "string") return id === undefined || (id.kind === "literal" && id.value === "null" && member(v, "jsonrpc") === undefined) ? "notification" : "request";
  if ((member(v, "result") !== undefined || member(v, "error") !== undefined) && id !== undefined) return "response";
  return undefined;
}

const ROLE_FIELD: Readonly<Record<RpcRole, FieldSpec>> = {
  request: f["jsonrpc.request"],
  notification: f["jsonrpc.notification"],
  response: f["jsonrpc.response"],
};

const MEMBER_FIELD: Readonly<Record<string, FieldSpec>> = {
  jsonrpc: f["jsonrpc.version"],
  method: f["jsonrpc.method"],
  params: f["jsonrpc.params"],
  id: f["jsonrpc.id"],
  result: f["jsonrpc.result"],
  error: f["jsonrpc.error"],
};

const ERROR_FIELD: Readonly<Record<string, FieldSpec>> = {
  code: f["jsonrpc.error_code"],
  message: f["jsonrpc.error_message"],
  data: f["jsonrpc.error_data"],
};

/** One message's words for the summary: `add`, `result id=1`, `error -32601 id=1`. */
function rpcWords(v: JsonValue, role: RpcRole): string {
  const id = member(v, "id");
  const idText = id && id.kind !== "object" && id.kind !== "array" ? ` id=${id.kind === "string" ? JSON.stringify(escapeText(id.value, 20).shown) : id.value}` : "";
  if (role !== "response") {
    const method = member(v, "method");
    return method?.kind === "string" ? escapeText(method.value, 40).shown : "";
  }
  const code = member(member(v, "error"), "code");
  if (member(v, "error") !== undefined) return `error${code?.kind === "number" ? ` ${code.value}` : ""}${idText}`;
  return `result${idText}`;
}

/** Whether a JSON text is JSON-RPC: the naming of its members and the summary's words. */
function jsonRpc(v: JsonValue): { naming: JsonNaming; summary: string } | undefined {
  const single = rpcRole(v);
  let roles: (RpcRole | undefined)[] = [];
  if (single) roles = [single];
  else if (v.kind === "array" && v.items.length > 0) {
    roles = v.items.map(rpcRole);
    if (roles.some((r) => r === undefined)) return undefined;
  } else return undefined;
  const batch = !single;
  const depth = batch ? 1 : 0;
  const naming: JsonNaming = {
    container: (path, value) => {
      if (batch && path.length === 0) return f["jsonrpc.batch"];
      if (path.length !== depth || value.kind !== "object") return undefined;
      const role = roles[batch ? (path[0] as number) : 0];
      return role ? ROLE_FIELD[role] : undefined;
    },
    member: (path) => {
      if (path.length === depth + 1) return MEMBER_FIELD[String(path[depth])];
      if (path.length === depth + 2 && path[depth] === "error") return ERROR_FIELD[String(path[depth + 1])];
      return undefined;
    },
  };
  const summary = batch
    ? `batch: ${(v.kind === "array" ? v.items : []).map((item, i) => rpcWords(item, roles[i] as RpcRole)).join(", ")}`
    : rpcWords(v, single as RpcRole);
  return { naming, summary };
}

// ---------------------------------------------------------------------------------------------
// XML and XML-RPC

const XMLRPC_FIELD: Readonly<Record<string, FieldSpec>> = {
  methodCall: f["xmlrpc.call"],
  methodResponse: f["xmlrpc.response"],
  methodName: f["xmlrpc.method_name"],
  params: f["xmlrpc.params"],
  param: f["xmlrpc.param"],
  value: f["xmlrpc.value"],
  struct: f["xmlrpc.struct"],
  member: f["xmlrpc.member"],
  name: f["xmlrpc.member_name"],
  array: f["xmlrpc.array"],
  data: f["xmlrpc.data"],
  fault: f["xmlrpc.fault"],
};
const SCALARS = new Set(["i4", "i8", "int", "boolean", "string", "double", "dateTime.iso8601", "base64", "nil"]);

/** An element's display: its text when it holds only text (an XML-RPC value: its scalar's), else its start tag's name. */
function elementValue(e: XmlElement): ReturnType<typeof quoted> {
  const kids = elements(e);
  if (e.name === "value" && kids.length === 1 && SCALARS.has((kids[0] as XmlElement).name)) return quoted(textIn(kids[0]));
  if (kids.length === 0 && e.children.length > 0) return quoted(textIn(e));
  return quoted(`<${e.name}>`);
}

function addXml(cur: Cursor, bytes: Uint8Array, node: XmlNode, rpc: boolean): void {
  if (node.kind === "text") {
    addItem(cur, f["xml.text"], node.end - node.start, quoted(node.text));
    return;
  }
  if (node.kind === "markup") {
    addItem(cur, f["xml.markup"], node.end - node.start, quoted(textOf(bytes, node.start, node.end)));
    return;
  }
  const spec = (rpc && (XMLRPC_FIELD[node.name] ?? (SCALARS.has(node.name) ? f["xmlrpc.scalar"] : undefined))) || f["xml.element"];
  cur.push(spec);
  addItem(cur, f["xml.tag"], node.startTagEnd - node.start, quoted(textOf(bytes, node.start, node.startTagEnd)));
  for (const c of node.children) addXml(cur, bytes, c, rpc);
  if (node.end > node.endTagStart) addItem(cur, f["xml.tag"], node.end - node.endTagStart, quoted(textOf(bytes, node.endTagStart, node.end)));
  cur.pop(elementValue(node));
}

/** `add`, `response`, `fault 4: Too many parameters`. */
function xmlRpcSummary(doc: XmlDocument): string {
  const root = doc.root;
  if (root.name === "methodCall") return escapeText(textIn(child(root, "methodName")).trim(), 40).shown;
  const fault = child(root, "fault");
  if (!fault) return "response";
  let code = "";
  for (const m of elements(child(child(fault, "value"), "struct"))) {
    if (textIn(child(m, "name")).trim() === "faultCode") code = textIn(child(m, "value")).trim();
  }
  return `fault${code ? ` ${escapeText(code, 12).shown}` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// application/x-www-form-urlencoded

/** WHATWG URL's percent-decoding of a form name or value, `+` as a space, then UTF-8. */
function formDecode(bytes: Uint8Array, start: number, end: number): string {
  const out: number[] = [];
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b === 0x2b) out.push(0x20);
    else if (b === 0x25 && i + 2 < end && /^[0-9a-fA-F]{2}$/.test(latin1(bytes, i + 1, i + 3))) {
      out.push(parseInt(latin1(bytes, i + 1, i + 3), 16));
      i += 2;
    } else out.push(b);
  }
  return lenient.decode(Uint8Array.from(out));
}

function addForm(cur: Cursor, bytes: Uint8Array, start: number, end: number): void {
  let i = start;
  while (i <= end) {
    let amp = bytes.indexOf(0x26, i);
    if (amp < 0 || amp > end) amp = end;
    if (amp > i) {
      let eq = bytes.indexOf(0x3d, i);
      if (eq < 0 || eq >= amp) eq = -1;
      const nameEnd = eq < 0 ? amp : eq;
      const name = formDecode(bytes, i, nameEnd);
      const value = eq < 0 ? "" : formDecode(bytes, eq + 1, amp);
      cur.push(f["form.pair"]);
      if (nameEnd > i) addItem(cur, f["form.name"], nameEnd - i, quoted(name));
      if (eq >= 0) {
        addItem(cur, f["form.separator"], 1, "=");
        if (amp > eq + 1) addItem(cur, f["form.value"], amp - eq - 1, quoted(value));
      }
      cur.pop(quoted(eq < 0 ? name : `${name}=${value}`));
    }
    if (amp < end) addItem(cur, f["form.delimiter"], 1, "&");
    i = amp + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// multipart (RFC 2046 §5.1.1): [preamble] --b CRLF part (CRLF --b CRLF part)* CRLF --b-- [epilogue]

/** The next `--boundary` at a line start in [from, end): where its delimiter starts (with the line break before it). */
function nextDelimiter(bytes: Uint8Array, dash: Uint8Array, from: number, end: number, atStart: boolean): { start: number; at: number } | undefined {
  for (let i = bytes.indexOf(0x2d, from); i >= 0 && i + dash.length <= end; i = bytes.indexOf(0x2d, i + 1)) {
    let k = 0;
    while (k < dash.length && bytes[i + k] === dash[k]) k++;
    if (k < dash.length) continue;
    if (i === from && atStart) return { start: i, at: i };
    if (i > from && bytes[i - 1] === LF) return { start: i - 1 > from && bytes[i - 2] === 0x0d ? i - 2 : i - 1, at: i };
  }
  return undefined;
}

function addMultipart(cur: Cursor, bytes: Uint8Array, start: number, end: number, boundary: string, depth: number): void {
  const dash = new TextEncoder().encode(`--${boundary}`);
  let d = nextDelimiter(bytes, dash, start, end, true);
  if (!d) {
    cur.finding(x.multipart_unterminated, { boundary }, start, end - start);
    addRaw(cur, bytes, start, end, f["multipart.preamble"]);
    return;
  }
  if (d.start > start) addRaw(cur, bytes, start, d.start, f["multipart.preamble"]);
  for (;;) {
    // The delimiter line: [CRLF] --boundary [--] [transport padding] CRLF
    let i = d.at + dash.length;
    const close = bytes[i] === 0x2d && bytes[i + 1] === 0x2d;
    if (close) i += 2;
    while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
    if (bytes[i] === 0x0d && bytes[i + 1] === LF) i += 2;
    else if (bytes[i] === LF) i += 1;
    i = Math.min(i, end);
    if (cur.tree) addItem(cur, f["multipart.delimiter"], i - d.start, quoted(textOf(bytes, d.start, i)));
    else cur.skip(i - d.start);
    if (close) {
      if (i < end) addRaw(cur, bytes, i, end, f["multipart.epilogue"]);
      return;
    }
    const next = nextDelimiter(bytes, dash, i, end, false);
    const partEnd = next ? next.start : end;
    if (partEnd > i) addPart(cur, bytes, i, partEnd, depth);
    if (!next) {
      cur.finding(x.multipart_unterminated, { boundary }, i, partEnd - i);
      return;
    }
    d = next;
  }
}

function addPart(cur: Cursor, bytes: Uint8Array, start: number, end: number, depth: number): void {
  const block = headerBlock(bytes, start, end);
  const disposition = block.fields.find((h) => h.key === "content-disposition")?.value ?? "";
  const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
  const contentType = block.fields.find((h) => h.key === "content-type")?.value;
  if (!cur.tree) {
    cur.skip(end - start);
    return;
  }
  cur.push(f["multipart.part"]);
  for (const h of block.fields) addHeaderField(cur, bytes, h, false);
  if (block.endLine) addEndOfHeaders(cur, bytes, block.endLine);
  if (end > block.end) addBody(cur, bytes, block.end, end, contentType, f["multipart.data"], depth + 1);
  cur.pop(name !== undefined ? quoted(name) : undefined);
}
