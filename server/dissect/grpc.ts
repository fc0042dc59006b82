// gRPC length-prefixed messages (grpc/doc/PROTOCOL-HTTP2.md), shared by gRPC over HTTP/2, gRPC-web
// (PROTOCOL-WEB.md: a trailer frame with flag 0x80) and Connect's streaming envelope (connectrpc.com/docs/protocol:
// end-stream flag 0x02, a JSON end message): one 5-byte envelope, a flags byte and a 32-bit length, as connect-es's
// shared envelope reads it. Compressed (flag 0x01) gzip payloads are inflated (websocket/inflate.ts's DEFLATE);
// messages go to protobuf.ts with the method's descriptors when the lab knows the method (`useGrpcSchemas`).
// Modelled on Wireshark's packet-grpc.c. ISOMORPHIC: no Node imports.

import type { DescMessage, Registry } from "@bufbuild/protobuf";
import { createCursor, graft, type Cursor } from "./core/cursor";
import { defineFields, hexPairs } from "./core/fields";
import { defineFindings } from "./core/findings";
import type { DissectContext, DissectedFrame, Dissector, PduLength } from "./core/types";
import { addMessageFields } from "./protobuf";
import { createInflater } from "./websocket/inflate";

/** grpc/doc/statuscodes.md. */
export const GRPC_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED", 5: "NOT_FOUND", 6: "ALREADY_EXISTS",
  7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED", 9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED",
  13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED",
};

export const FLAG_COMPRESSED = 0x01;
export const FLAG_END_STREAM = 0x02;
export const FLAG_TRAILER = 0x80;

/** The longest message the lab inflates or reads into (longer ones show their first bytes). */
export const GRPC_MESSAGE_LIMIT = 4 << 20;

export const grpcFields = defineFields("grpc", {
  message: { label: "gRPC message", type: "none", blurb: "One length-prefixed message: a flags byte, a 4-byte length, then the message itself." },
  flags: { label: "Flags", type: "u8", blurb: "Bits about the message: 0x01 compressed, 0x02 Connect's end of stream, 0x80 gRPC-web's trailers." },
  "flags.compressed": { label: "Compressed", type: "bool", bitmask: 0x01, blurb: "The message is compressed with the grpc-encoding the headers name (gzip here)." },
  "flags.end_stream": { label: "End of stream (Connect)", type: "bool", bitmask: 0x02, blurb: "Connect streaming: this is the last message, a JSON object with the error and trailers." },
  "flags.trailer": { label: "Trailers (gRPC-web)", type: "bool", bitmask: 0x80, blurb: "gRPC-web: the body's last frame carries the trailers as HTTP/1-style header lines, since a browser cannot read HTTP trailers." },
  "flags.reserved": { label: "Reserved", type: "u8", bitmask: 0x7c, blurb: "Bits no protocol defines; a sender leaves them 0." },
  length: { label: "Message length", type: "u32", blurb: "How many bytes of message follow, big-endian: a receiver refuses lengths over its limit (RESOURCE_EXHAUSTED) without reading them." },
  data: { label: "Message data", type: "bytes", blurb: "The serialized message: protobuf unless the content type says otherwise (application/grpc+json)." },
  compressed_data: { label: "Compressed data", type: "bytes", blurb: "The message as sent, gzip-compressed; the tree below reads it inflated." },
  inflated: { label: "Inflated message", type: "none", blurb: "The message after gzip decompression: computed from the compressed bytes, not sent like this." },
  continued: { label: "Continued message data", type: "bytes", blurb: "Bytes of a message that began in an earlier frame; it is read whole once its last bytes arrive." },
  trailers: { label: "Trailers", type: "text", blurb: "gRPC-web's trailer frame: header lines such as grpc-status and grpc-message, each ending in CRLF." },
  trailer: { label: "Trailer", type: "text", blurb: "One trailer line, name: value." },
  end_stream: { label: "End of stream", type: "text", blurb: "Connect's last message: JSON with an error (code and message) when the call failed, and metadata." },
  status: { label: "Status", type: "u32", names: GRPC_STATUS_NAMES, blurb: "grpc-status: 0 OK; any other code names why the call failed (NOT_FOUND, INVALID_ARGUMENT...)." },
  status_message: { label: "Status message", type: "text", blurb: "grpc-message: the error's words for people, percent-encoded." },
  method: { label: "Method", type: "text", blurb: "The call's path, /package.Service/Method: how the message's type is known." },
  protobuf: { label: "Protobuf message", type: "none", blurb: "The message's fields, named from the method's .proto when the lab knows it." },
});

export const grpcFindings = defineFindings("grpc", {
  reserved_flags: { severity: "warn", message: "Reserved flag bits are set ({flags}): no protocol defines them." },
  inflate_failed: { severity: "error", message: "The compressed message does not inflate as gzip ({reason})." },
  too_big: { severity: "warn", message: "The message declares {length} bytes, over the {limit} the lab reads into; its first bytes are shown." },
  not_protobuf: { severity: "warn", message: "The message does not read as protobuf to its end." },
  status_error: { severity: "note", message: "The call ended with status {code} {name}[: {message}]." },
});

const f = grpcFields;
const x = grpcFindings;

// ---------------------------------------------------------------------------------------------
// Schemas: the lab's descriptors, passed in by the server side.

export interface GrpcSchemas {
  method(path: string): { readonly input: DescMessage; readonly output: DescMessage } | undefined;
}

let schemas: GrpcSchemas | undefined;

/** The descriptors gRPC messages are read with; the lab host passes its registry at start-up. */
export function useGrpcSchemas(s: GrpcSchemas | undefined): void {
  schemas = s;
}

/** Methods from a @bufbuild/protobuf registry (createFileRegistry of the lab's files): `/pkg.Service/Method`. */
export function grpcSchemasOf(registry: Registry): GrpcSchemas {
  return {
    method(path) {
      const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
      if (!m) return undefined;
      const method = registry.getService(m[1]!)?.methods.find((d) => d.name === m[2]);
      return method ? { input: method.input, output: method.output } : undefined;
    },
  };
}

export function schemaFor(path: string | undefined, request: boolean): DescMessage | undefined {
  const m = path ? schemas?.method(path) : undefined;
  return m ? (request ? m.input : m.output) : undefined;
}

// ---------------------------------------------------------------------------------------------
// gzip (RFC 1952) around DEFLATE

const FTEXT_HCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

export function gunzip(bytes: Uint8Array, limit = GRPC_MESSAGE_LIMIT): { bytes: Uint8Array; error?: string } {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 8) return { bytes: new Uint8Array(0), error: "not gzip" };
  const flags = bytes[3]!;
  let at = 10;
  if (flags & FEXTRA) at += 2 + (bytes[at]! | (bytes[at + 1]! << 8));
  if (flags & FNAME) while (at < bytes.length && bytes[at++] !== 0);
  if (flags & FCOMMENT) while (at < bytes.length && bytes[at++] !== 0);
  if (flags & FTEXT_HCRC) at += 2;
  if (at >= bytes.length - 8) return { bytes: new Uint8Array(0), error: "header" };
  const result = createInflater().inflate(bytes.subarray(at, bytes.length - 8), limit);
  return result.error ? { bytes: result.bytes, error: result.error } : { bytes: result.bytes };
}

// ---------------------------------------------------------------------------------------------
// Envelopes

/** What the messages' reader needs to know about their call. */
export interface GrpcCall {
  /** `:path`, for the descriptors. */
  readonly path?: string;
  /** Request (client to server) or response. */
  readonly request: boolean;
  /** Content type without parameters: application/grpc, application/grpc-web+proto, application/connect+proto... */
  readonly contentType?: string;
}

const FLAG_SPECS = [f["flags.trailer"], f["flags.reserved"], f["flags.end_stream"], f["flags.compressed"]] as const;
const text = new TextDecoder();

/** The length of the envelope at `offset`: 5 + its declared length, or "more". */
export function grpcPduLength(bytes: Uint8Array, offset: number): PduLength {
  if (bytes.length - offset < 5) return "more";
  const length = ((bytes[offset + 1]! << 24) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 8) | bytes[offset + 4]!) >>> 0;
  return 5 + length;
}

/**
 * Reads envelopes from the cursor's offset to `end`. The last may be cut short by `end` (the rest comes in a later
 * frame): `pending` says how many of its bytes are still owed. Returns a summary of the messages.
 */
export function addGrpcMessages(cur: Cursor, bytes: Uint8Array, end: number, call: GrpcCall): { summary: string; pending: number; status?: number } {
  const parts: string[] = [];
  let pending = 0;
  let status: number | undefined;
  while (cur.offset < end) {
    const at = cur.offset;
    if (end - at < 5) {
      // The envelope's header itself is split: it is read once whole.
      cur.bytes(f.continued, end - at);
      pending = 5 - (end - at);
      parts.push("…");
      break;
    }
    const length = ((bytes[at + 1]! << 24) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 8) | bytes[at + 4]!) >>> 0;
    const have = Math.min(length, end - at - 5);
    cur.push(f.message);
    const flags = bytes[at]!;
    cur.flags(f.flags, 1, FLAG_SPECS);
    if (flags & 0x7c) cur.finding(x.reserved_flags, { flags: `0x${flags.toString(16)}` }, at, 1);
    cur.u32(f.length);
    const r = addEnvelopeBody(cur, bytes, at + 5, have, length, flags, call);
    if (r.status !== undefined) status = r.status;
    parts.push(r.summary);
    cur.pop({ format: "plain", text: r.summary });
    if (have < length) {
      pending = length - have;
      break;
    }
  }
  return { summary: parts.join(", "), pending, ...(status !== undefined ? { status } : {}) };
}

/** One envelope's body at [start, start + have) of the `length` it declares. */
export function addEnvelopeBody(cur: Cursor, bytes: Uint8Array, start: number, have: number, length: number, flags: number, call: GrpcCall): { summary: string; status?: number } {
  const body = bytes.subarray(start, start + have);
  const whole = have === length;
  if (flags & FLAG_TRAILER) return addTrailers(cur, body);
  if (flags & FLAG_END_STREAM && call.contentType?.startsWith("application/connect")) {
    const json = text.decode(body);
    cur.item(f.end_stream, have, { format: "quoted", text: json.slice(0, 200), cut: json.length > 200 });
    const code = /"code"\s*:\s*"([a-z_]+)"/.exec(json)?.[1];
    return { summary: code ? `end of stream: ${code}` : "end of stream" };
  }
  if (!whole) {
    cur.bytes(f.data, have);
    return { summary: `message ${length} bytes (${have} here)` };
  }
  if (length > GRPC_MESSAGE_LIMIT) cur.finding(x.too_big, { length, limit: GRPC_MESSAGE_LIMIT }, start - 4, 4);
  const schema = schemaFor(call.path, call.request);
  const json = call.contentType?.includes("json");
  if (flags & FLAG_COMPRESSED) {
    cur.bytes(f.compressed_data, have);
    const inflated = gunzip(body);
    if (inflated.error) {
      cur.finding(x.inflate_failed, { reason: inflated.error }, start, have);
      return { summary: `compressed ${length} bytes` };
    }
    // The inflated message's nodes are computed, with no bytes of their own here: read on a cursor over it and grafted.
    const inner = createCursor(inflated.bytes, cur.proto, cur.tree);
    const summary = json ? text.decode(inflated.bytes).slice(0, 120) : readProtobuf(inner, inflated.bytes, schema);
    if (cur.tree) {
      cur.push(f.inflated);
      graft(cur, inner.frame("").fields);
      cur.pop({ format: "byte_count", n: inflated.bytes.length });
    }
    for (const finding of inner.findings) cur.addFinding({ ...finding, offset: start, length: have });
    return { summary: `gzip ${summary}` };
  }
  if (json) {
    const t = text.decode(body);
    cur.item(f.data, have, { format: "quoted", text: t.slice(0, 200), cut: t.length > 200 });
    return { summary: t.slice(0, 120) };
  }
  const end = start + have;
  cur.push(f.protobuf);
  const summary = readProtobufAt(cur, bytes, end, schema);
  cur.pop({ format: "plain", text: summary });
  return { summary };
}

function readProtobuf(cur: Cursor, bytes: Uint8Array, schema: DescMessage | undefined): string {
  cur.push(f.protobuf);
  const summary = readProtobufAt(cur, bytes, bytes.length, schema);
  cur.pop({ format: "plain", text: summary });
  return summary;
}

function readProtobufAt(cur: Cursor, bytes: Uint8Array, end: number, schema: DescMessage | undefined): string {
  const r = addMessageFields(cur, bytes, end, schema);
  if (!r.ok) cur.finding(x.not_protobuf, 0, 0);
  return schema ? `${schema.name} ${r.summary}` : r.summary;
}

function addTrailers(cur: Cursor, body: Uint8Array): { summary: string; status?: number } {
  const start = cur.offset;
  let status: number | undefined;
  let message = "";
  cur.push(f.trailers);
  let at = 0;
  while (at < body.length) {
    let eol = at;
    while (eol < body.length && body[eol] !== 0x0a) eol++;
    const lineEnd = Math.min(body.length, eol + 1);
    const line = text.decode(body.subarray(at, eol)).replace(/\r$/, "");
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon).trim().toLowerCase();
    const value = colon < 0 ? "" : line.slice(colon + 1).trim();
    if (name === "grpc-status" && /^\d+$/.test(value)) {
      status = Number(value);
      cur.item(f.status, lineEnd - at, { format: "named", value: status, name: GRPC_STATUS_NAMES[status] ?? "" });
    } else if (name === "grpc-message") {
      message = decodeURIComponentSafe(value);
      cur.item(f.status_message, lineEnd - at, { format: "quoted", text: message.slice(0, 200), cut: message.length > 200 });
    } else cur.item(f.trailer, lineEnd - at, { format: "quoted", text: line.slice(0, 200), cut: line.length > 200 });
    at = lineEnd;
  }
  cur.pop({ format: "byte_count", n: cur.offset - start });
  if (status !== undefined && status !== 0) {
    cur.finding(x.status_error, { code: status, name: GRPC_STATUS_NAMES[status] ?? "", message }, start, body.length);
  }
  return { summary: status === undefined ? "trailers" : `trailers: ${GRPC_STATUS_NAMES[status] ?? status}`, ...(status !== undefined ? { status } : {}) };
}

export function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}


// ---------------------------------------------------------------------------------------------
// As a stream dissector: one envelope per PDU (a gRPC-web or Connect body handed over whole, the protobuf explorer).

export interface GrpcMemo {
  readonly call?: GrpcCall;
}

export function dissectGrpc(bytes: Uint8Array, ctx: DissectContext<unknown>): DissectedFrame[] {
  const cur = createCursor(bytes, "grpc", ctx.tree ?? true);
  const memo = ctx.memo as GrpcMemo | undefined;
  const call: GrpcCall = memo?.call ?? { request: ctx.direction === "c2s" };
  const r = addGrpcMessages(cur, bytes, bytes.length, call);
  return [cur.frame(r.summary || `${hexPairs(bytes, 4)}`)];
}

export const grpcDissector: Dissector = {
  id: "grpc",
  name: "gRPC",
  pduLength: grpcPduLength,
  dissect: dissectGrpc,
};
