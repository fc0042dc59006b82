// HTTP/2 frames (RFC 9113 §4, §6): the client's connection preface, then 9-byte frame headers (length, type, flags
// as bits, the reserved bit and the stream id) and every frame type's payload, with padding. HEADERS, PUSH_PROMISE
// and CONTINUATION carry HPACK blocks (./hpack.ts, tables per direction kept in the conversation's state); DATA on a
// stream whose content-type is application/grpc* carries gRPC messages (../grpc.ts), read with the method's
// descriptors from the stream's :path. Each frame is one PDU; its stream id lets the timeline draw each call apart.
// Modelled on Wireshark's packet-http2.c (its field names where it has them).
// ISOMORPHIC: no Node imports.

import { createCursor, graft, type Cursor } from "../core/cursor";
import { concatBytes as concat, defineFields, namesOf } from "../core/fields";
import { defineFindings } from "../core/findings";
import type { DissectContext, DissectedFrame, Direction, Dissector, PduContext, PduLength } from "../core/types";
import { addGrpcMessages, grpcFields, GRPC_MESSAGE_LIMIT, GRPC_STATUS_NAMES, type GrpcCall } from "../grpc";
import { addTable, createHpackTable, decodeHeaderBlock, DEFAULT_TABLE_SIZE, hpackFindings, type HeaderField, type HpackTable } from "./hpack";

export const PREFACE = Uint8Array.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", (c) => c.charCodeAt(0));

export const FRAME_TYPES = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;
const T = FRAME_TYPES;
export const FRAME_TYPE_NAMES = namesOf(FRAME_TYPES);

/** RFC 9113 §7. */
export const ERROR_CODE_NAMES: Readonly<Record<number, string>> = {
  0: "NO_ERROR", 1: "PROTOCOL_ERROR", 2: "INTERNAL_ERROR", 3: "FLOW_CONTROL_ERROR", 4: "SETTINGS_TIMEOUT", 5: "STREAM_CLOSED",
  6: "FRAME_SIZE_ERROR", 7: "REFUSED_STREAM", 8: "CANCEL", 9: "COMPRESSION_ERROR", 10: "CONNECT_ERROR", 11: "ENHANCE_YOUR_CALM",
  12: "INADEQUATE_SECURITY", 13: "HTTP_1_1_REQUIRED",
};

/** RFC 9113 §6.5.2, RFC 8441. */
export const SETTING_NAMES: Readonly<Record<number, string>> = {
  1: "SETTINGS_HEADER_TABLE_SIZE", 2: "SETTINGS_ENABLE_PUSH", 3: "SETTINGS_MAX_CONCURRENT_STREAMS", 4: "SETTINGS_INITIAL_WINDOW_SIZE",
  5: "SETTINGS_MAX_FRAME_SIZE", 6: "SETTINGS_MAX_HEADER_LIST_SIZE", 8: "SETTINGS_ENABLE_CONNECT_PROTOCOL", 9: "SETTINGS_NO_RFC7540_PRIORITIES",
};

export const http2Fields = defineFields("http2", {
  magic: { label: "Connection preface", type: "text", blurb: "The 24 bytes every HTTP/2 client sends first, PRI * HTTP/2.0 then SM: an HTTP/1.1 server reading them fails at once." },
  length: { label: "Length", type: "u32", blurb: "The payload's length in bytes (24 bits), not counting the 9-byte header; at most 16,384 until SETTINGS_MAX_FRAME_SIZE raises it." },
  type: { label: "Type", type: "u8", names: FRAME_TYPE_NAMES, blurb: "What the frame is: 0 DATA, 1 HEADERS, 4 SETTINGS, 6 PING, 7 GOAWAY, 8 WINDOW_UPDATE, and so on." },
  flags: { label: "Flags", type: "u8", blurb: "Bits whose meaning depends on the frame type." },
  "flags.end_stream": { label: "END_STREAM", type: "bool", bitmask: 0x01, blurb: "The sender's last frame on this stream: its half of the exchange is over." },
  "flags.ack": { label: "ACK", type: "bool", bitmask: 0x01, blurb: "This frame acknowledges the peer's SETTINGS or answers its PING." },
  "flags.end_headers": { label: "END_HEADERS", type: "bool", bitmask: 0x04, blurb: "The header block ends in this frame; without it CONTINUATION frames follow." },
  "flags.padded": { label: "PADDED", type: "bool", bitmask: 0x08, blurb: "A pad length byte comes first and that many zero bytes of padding last, to hide the real size." },
  "flags.priority": { label: "PRIORITY", type: "bool", bitmask: 0x20, blurb: "The HEADERS frame carries a stream dependency and weight (deprecated by RFC 9113)." },
  "flags.unused": { label: "Unused flags", type: "u8", blurb: "Flag bits this frame type does not define; a receiver ignores them." },
  reserved: { label: "Reserved", type: "bool", bitmask: 0x80000000, blurb: "One reserved bit, sent as 0 and ignored." },
  stream_id: {
    label: "Stream identifier",
    type: "u32",
    bitmask: 0x7fffffff,
    blurb: "Which stream (one request and its response) the frame belongs to: odd numbers the client opens, 0 the connection itself.",
  },
  pad_length: { label: "Pad length", type: "u8", blurb: "How many bytes of padding end the frame." },
  padding: { label: "Padding", type: "bytes", blurb: "Zero bytes that carry nothing but hide the payload's size." },
  data: { label: "Data", type: "bytes", blurb: "The body's bytes on this stream." },
  exclusive: { label: "Exclusive", type: "bool", bitmask: 0x80000000, blurb: "The stream becomes the only child of the one it depends on." },
  stream_dependency: { label: "Stream dependency", type: "u32", bitmask: 0x7fffffff, blurb: "The stream this one depends on for priority (0: none)." },
  weight: { label: "Weight", type: "u8", blurb: "The priority weight minus 1 (0 to 255 for weights 1 to 256)." },
  header_block: { label: "Header block fragment", type: "bytes", blurb: "HPACK-compressed headers: indexes into tables and literal strings, decoded below." },
  headers: { label: "Headers", type: "none", blurb: "The header list the block decodes to, in order: pseudo-headers (:method, :path, :status) first." },
  error_code: { label: "Error code", type: "u32", names: ERROR_CODE_NAMES, blurb: "Why the stream or connection ends: 0 NO_ERROR, 8 CANCEL, 11 ENHANCE_YOUR_CALM..." },
  setting: { label: "Setting", type: "none", blurb: "One parameter the sender tells its peer: an identifier and a 32-bit value." },
  "setting.id": { label: "Identifier", type: "u16", names: SETTING_NAMES, blurb: "Which setting: 1 header table size, 3 max concurrent streams, 4 initial window size, 5 max frame size..." },
  "setting.value": { label: "Value", type: "u32", blurb: "The setting's new value." },
  promised_stream_id: { label: "Promised stream identifier", type: "u32", bitmask: 0x7fffffff, blurb: "The stream the server will push a response on." },
  ping: { label: "Opaque data", type: "bytes", blurb: "Eight bytes of the sender's choosing, echoed back in the ACK to measure the round trip." },
  last_stream_id: { label: "Last stream identifier", type: "u32", bitmask: 0x7fffffff, blurb: "The highest stream the sender of GOAWAY may have processed; higher ones may be retried elsewhere." },
  debug_data: { label: "Additional debug data", type: "bytes", blurb: "Diagnostic bytes with no meaning in the protocol." },
  window_size_increment: { label: "Window size increment", type: "u32", bitmask: 0x7fffffff, blurb: "How many more bytes of DATA the receiver now accepts on the stream (or the whole connection on stream 0)." },
  payload: { label: "Payload", type: "bytes", blurb: "The payload of a frame type this lab does not know; a receiver ignores such frames." },
  grpc: { label: "gRPC messages", type: "none", blurb: "The DATA read as gRPC length-prefixed messages, as application/grpc says." },
});

export const http2Findings = defineFindings("http2", {
  bad_preface: { severity: "error", message: "The client's first bytes are not the HTTP/2 connection preface: the server answers with GOAWAY PROTOCOL_ERROR." },
  frame_size: {
    severity: "error",
    forms: {
      fixed: "A {type} frame must carry {expected} bytes of payload, not {length}: FRAME_SIZE_ERROR.",
      multiple: "A SETTINGS payload is a multiple of 6 bytes (one setting each), not {length}: FRAME_SIZE_ERROR.",
    },
  },
  too_long: { severity: "warn", message: "The payload is {length} bytes, over the default maximum of 16384 unless SETTINGS_MAX_FRAME_SIZE raised it." },
  padding_too_long: { severity: "error", message: "The pad length {pad} is not less than what the payload holds: PROTOCOL_ERROR." },
  stream_required: { severity: "error", message: "A {type} frame on stream 0: it belongs to a stream, so this is a connection error (PROTOCOL_ERROR)." },
  stream_forbidden: { severity: "error", message: "A {type} frame on stream {stream}: it belongs to the connection (stream 0), so this is a PROTOCOL_ERROR." },
  settings_ack_payload: { severity: "error", message: "A SETTINGS ACK with a payload: FRAME_SIZE_ERROR." },
  zero_increment: { severity: "error", message: "A WINDOW_UPDATE with an increment of 0: PROTOCOL_ERROR." },
  continuation_unexpected: { severity: "error", message: "A CONTINUATION frame without a header block to continue, or on another stream: PROTOCOL_ERROR." },
  continuation_expected: { severity: "error", message: "A header block on stream {stream} waits for CONTINUATION, but a {type} frame came: PROTOCOL_ERROR." },
  unknown_type: { severity: "note", message: "Frame type {type} is not one RFC 9113 defines; receivers ignore it." },
  reset: { severity: "note", message: "The stream was reset: {name}." },
  goaway: { severity: "note", message: "The connection is going away: {name}, last stream {last}." },
  hpack_context: { severity: "note", message: "This header block continues earlier frames: its headers are decoded from the whole block." },
});

const f = http2Fields;
const x = http2Findings;

/**
 * What the timeline needs of a frame without its tree: the stream it belongs to (each call drawn on its own), its
 * type and flags, and for a header block the call's method and path, its HTTP status or its grpc-status.
 */
export interface Http2Parts {
  readonly stream: number;
  readonly type: number;
  readonly flags: number;
  readonly path?: string;
  readonly status?: number;
  readonly grpcStatus?: number;
}

export interface Http2Frame extends DissectedFrame {
  readonly http2: Http2Parts;
}

export function isHttp2Frame(frame: DissectedFrame): frame is Http2Frame {
  return (frame as Partial<Http2Frame>).http2 !== undefined;
}

// ---------------------------------------------------------------------------------------------
// State

interface StreamInfo {
  path?: string;
  contentType?: string;
  /** Bytes a gRPC message begun in an earlier DATA frame still needs, per direction, and its bytes so far. */
  pending: Record<Direction, { need: number; parts: Uint8Array[]; size: number } | undefined>;
}

interface Side {
  table: HpackTable;
  /** A header block waiting for CONTINUATION. */
  block: { stream: number; type: number; parts: Uint8Array[] } | undefined;
  /** Whether the table is known (a block that failed leaves it unknown). */
  intact: boolean;
  /** The table size the peer's SETTINGS_HEADER_TABLE_SIZE allows this direction's encoder (RFC 9113 §6.5.2). */
  limit: number;
}

export interface Http2State {
  readonly c2s: Side;
  readonly s2c: Side;
  readonly streams: Map<number, StreamInfo>;
}

const MAX_STREAMS = 1024;

export function createHttp2State(): Http2State {
  const side = (): Side => ({ table: createHpackTable(), block: undefined, intact: true, limit: DEFAULT_TABLE_SIZE });
  return { c2s: side(), s2c: side(), streams: new Map() };
}

/** What a rebuilt tree needs: the dynamic table before a block, a whole block, or a DATA frame's call. */
export interface Http2Memo {
  readonly table?: { readonly entries: readonly HeaderField[]; readonly size: number; readonly maxSize: number };
  /** A block that began in earlier frames, whole. */
  readonly block?: Uint8Array;
  /** The size limit SETTINGS gave the encoder, when not the default; whether an earlier block left the table unknown. */
  readonly limit?: number;
  readonly unknown?: boolean;
  readonly call?: GrpcCall;
  /** DATA: bytes at the start of the payload that continue a message begun earlier, and that message whole when it ends here. */
  readonly carried?: number;
  readonly joined?: Uint8Array;
}

function streamOf(state: Http2State, id: number): StreamInfo {
  let s = state.streams.get(id);
  if (!s) {
    if (state.streams.size >= MAX_STREAMS) state.streams.delete(state.streams.keys().next().value!);
    s = { pending: { c2s: undefined, s2c: undefined } };
    state.streams.set(id, s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Framing

function isPreface(bytes: Uint8Array, offset: number): boolean | "more" {
  const n = Math.min(bytes.length - offset, PREFACE.length);
  for (let i = 0; i < n; i++) if (bytes[offset + i] !== PREFACE[i]) return false;
  return n < PREFACE.length ? "more" : true;
}

export function http2PduLength(bytes: Uint8Array, offset: number, ctx?: PduContext): PduLength {
  if (ctx?.direction !== "s2c") {
    const p = isPreface(bytes, offset);
    if (p === "more") return "more";
    if (p) return PREFACE.length;
  }
  if (bytes.length - offset < 9) return "more";
  return 9 + ((bytes[offset]! << 16) | (bytes[offset + 1]! << 8) | bytes[offset + 2]!);
}

const FLAG_SPECS: Readonly<Record<number, readonly (typeof f)[keyof typeof f][]>> = {
  [T.DATA]: [f["flags.padded"], f["flags.end_stream"]],
  [T.HEADERS]: [f["flags.priority"], f["flags.padded"], f["flags.end_headers"], f["flags.end_stream"]],
  [T.SETTINGS]: [f["flags.ack"]],
  [T.PING]: [f["flags.ack"]],
  [T.PUSH_PROMISE]: [f["flags.padded"], f["flags.end_headers"]],
  [T.CONTINUATION]: [f["flags.end_headers"]],
};
const NO_FLAGS = [] as const;
const STREAM_WORD = [f.reserved, f.stream_id] as const;
const DEPENDENCY_WORD = [f.exclusive, f.stream_dependency] as const;
const PROMISED_WORD = [f.reserved, f.promised_stream_id] as const;
const LAST_WORD = [f.reserved, f.last_stream_id] as const;
const INCREMENT_WORD = [f.reserved, f.window_size_increment] as const;

const FIXED_LENGTH: Readonly<Record<number, number>> = { [T.PRIORITY]: 5, [T.RST_STREAM]: 4, [T.PING]: 8, [T.WINDOW_UPDATE]: 4 };
const CONNECTION_ONLY = new Set<number>([T.SETTINGS, T.PING, T.GOAWAY]);
const STREAM_ONLY = new Set<number>([T.DATA, T.HEADERS, T.PRIORITY, T.RST_STREAM, T.PUSH_PROMISE, T.CONTINUATION]);

const FLAG_NAMES: readonly [number, string][] = [
  [0x01, "END_STREAM"],
  [0x04, "END_HEADERS"],
  [0x08, "PADDED"],
  [0x20, "PRIORITY"],
];

function flagText(type: number, flags: number): string {
  if (type === T.SETTINGS || type === T.PING) return flags & 1 ? " [ACK]" : "";
  const names = FLAG_NAMES.filter(([bit]) => flags & bit && (FLAG_SPECS[type] ?? []).some((s) => s.bitmask === bit)).map(([, n]) => n);
  return names.length ? ` [${names.join(", ")}]` : "";
}

function dissectFrame(bytes: Uint8Array, ctx: DissectContext<Http2State>): DissectedFrame {
  const tree = ctx.tree ?? true;
  const cur = createCursor(bytes, "http2", tree);
  const state = ctx.state;
  const memo = state ? undefined : (ctx.memo as Http2Memo | undefined);
  const out: MemoOut = {};
  if (ctx.direction === "c2s" && isPreface(bytes, 0) !== false && bytes.length <= PREFACE.length) {
    cur.text(f.magic, PREFACE.length);
    return cur.frame("Magic");
  }
  const lengthBytes = cur.item(f.length, 3, bytes.length >= 3 ? { format: "number", value: (bytes[0]! << 16) | (bytes[1]! << 8) | bytes[2]! } : "");
  const length = lengthBytes.length === 3 ? (lengthBytes[0]! << 16) | (lengthBytes[1]! << 8) | lengthBytes[2]! : 0;
  const type = cur.u8(f.type);
  const specs = FLAG_SPECS[type] ?? NO_FLAGS;
  const flags = cur.flags(f.flags, 1, specs);
  const [, stream] = cur.bits(4, STREAM_WORD);
  const name = FRAME_TYPE_NAMES[type] ?? `Type ${type}`;
  // As Wireshark's Info column: the type and its stream first (what a narrow ladder keeps), the flags last.
  let summary = `${name}[${stream}]`;
  if (cur.truncated) return cur.frame(`${summary}${flagText(type, flags)}`);
  if (length > 16384) cur.finding(x.too_long, { length }, 0, 3);
  if (FIXED_LENGTH[type] !== undefined && length !== FIXED_LENGTH[type]) cur.finding(x.frame_size.fixed, { type: name, expected: FIXED_LENGTH[type]!, length }, 0, 3);
  if (STREAM_ONLY.has(type) && stream === 0) cur.finding(x.stream_required, { type: name }, 5, 4);
  if (CONNECTION_ONLY.has(type) && stream !== 0) cur.finding(x.stream_forbidden, { type: name, stream }, 5, 4);
  const side = state?.[ctx.direction];
  if (side?.block && type !== T.CONTINUATION) {
    cur.finding(x.continuation_expected, { stream: side.block.stream, type: name }, 3, 1);
    side.block = undefined;
  }
  const end = Math.min(bytes.length, 9 + length);

  // Padding (DATA, HEADERS, PUSH_PROMISE with PADDED).
  let pad = 0;
  if ((type === T.DATA || type === T.HEADERS || type === T.PUSH_PROMISE) && flags & 0x08) {
    pad = cur.u8(f.pad_length);
    if (pad >= length) {
      cur.finding(x.padding_too_long, { pad }, 9, 1);
      pad = Math.max(0, end - cur.offset);
    }
  }
  const bodyEnd = Math.max(cur.offset, end - pad);

  switch (type) {
    case T.DATA:
      summary += dataPayload(cur, bytes, bodyEnd, stream, ctx.direction, state, memo, out);
      break;
    case T.HEADERS:
    case T.PUSH_PROMISE:
    case T.CONTINUATION: {
      if (type === T.HEADERS && flags & 0x20) {
        cur.bits(4, DEPENDENCY_WORD);
        cur.u8(f.weight);
      }
      if (type === T.PUSH_PROMISE) cur.bits(4, PROMISED_WORD);
      summary += headerPayload(cur, bytes, Math.max(cur.offset, bodyEnd), type, flags, stream, ctx.direction, state, memo, out);
      break;
    }
    case T.PRIORITY:
      cur.bits(4, DEPENDENCY_WORD);
      cur.u8(f.weight);
      break;
    case T.RST_STREAM: {
      const code = cur.u32(f.error_code);
      if (!cur.truncated) {
        summary += ` ${ERROR_CODE_NAMES[code] ?? code}`;
        cur.finding(x.reset, { name: ERROR_CODE_NAMES[code] ?? String(code) }, 9, 4);
      }
      break;
    }
    case T.SETTINGS: {
      if (flags & 1 && length > 0) cur.finding(x.settings_ack_payload, 0, 3);
      else if (length % 6 !== 0) cur.finding(x.frame_size.multiple, { length }, 0, 3);
      const shown: string[] = [];
      while (cur.offset + 6 <= end) {
        const at = cur.offset;
        const id = (bytes[at]! << 8) | bytes[at + 1]!;
        const value = ((bytes[at + 2]! << 24) | (bytes[at + 3]! << 16) | (bytes[at + 4]! << 8) | bytes[at + 5]!) >>> 0;
        cur.push(f.setting);
        cur.u16(f["setting.id"]);
        cur.u32(f["setting.value"]);
        cur.pop({ format: "plain", text: `${SETTING_NAMES[id] ?? id} = ${value}` });
        shown.push(`${(SETTING_NAMES[id] ?? String(id)).replace("SETTINGS_", "")}=${value}`);
        // The table itself changes only when the encoder says so with a size update (RFC 7541 §4.2).
        if (id === 1 && state && !(flags & 1)) state[ctx.direction === "c2s" ? "s2c" : "c2s"].limit = value;
      }
      if (shown.length) summary += ` ${shown.join(", ")}`;
      break;
    }
    case T.PING:
      cur.bytes(f.ping, Math.min(8, end - cur.offset));
      break;
    case T.GOAWAY: {
      const [, last] = cur.bits(4, LAST_WORD);
      const code = cur.u32(f.error_code);
      if (end > cur.offset) cur.bytes(f.debug_data, end - cur.offset);
      if (!cur.truncated) {
        summary += ` ${ERROR_CODE_NAMES[code] ?? code} last ${last}`;
        cur.finding(x.goaway, { name: ERROR_CODE_NAMES[code] ?? String(code), last }, 9, 8);
      }
      break;
    }
    case T.WINDOW_UPDATE: {
      const [, increment] = cur.bits(4, INCREMENT_WORD);
      if (!cur.truncated) {
        summary += ` +${increment}`;
        if (increment === 0) cur.finding(x.zero_increment, 9, 4);
      }
      break;
    }
    default:
      cur.finding(x.unknown_type, { type }, 3, 1);
      if (end > cur.offset) cur.bytes(f.payload, end - cur.offset);
  }
  // Whatever a fixed-size payload did not read, then the padding.
  if (cur.offset < end - pad && type !== T.DATA) cur.bytes(f.payload, end - pad - cur.offset);
  if (pad > 0 && end > cur.offset) cur.bytes(f.padding, end - cur.offset);
  if (bytes.length < 9 + length) cur.bytes(f.payload, 9 + length - cur.offset);
  const frame = cur.frame(`${summary}${flagText(type, flags)}`);
  const http2: Http2Parts = { stream, type, flags, ...out.headers };
  const withParts: Http2Frame = out.memo ? { ...frame, memo: out.memo, http2 } : { ...frame, http2 };
  return withParts;
}

// ---------------------------------------------------------------------------------------------
// Header blocks

function headerPayload(
  cur: Cursor,
  bytes: Uint8Array,
  end: number,
  type: number,
  flags: number,
  stream: number,
  direction: Direction,
  state: Http2State | undefined,
  memo: Http2Memo | undefined,
  out: MemoOut,
): string {
  const fragment = bytes.subarray(cur.offset, end);
  const endHeaders = (flags & 0x04) !== 0;
  let whole: Uint8Array | undefined;
  let table: HpackTable | undefined;
  let limit = DEFAULT_TABLE_SIZE;
  let unknown = false;
  const side = state?.[direction];
  if (side) {
    if (type === T.CONTINUATION) {
      if (!side.block || side.block.stream !== stream) {
        cur.finding(x.continuation_unexpected, 3, 1);
        side.block = undefined;
        cur.bytes(f.header_block, end - cur.offset);
        return "";
      }
      side.block.parts.push(fragment.slice());
    } else side.block = { stream, type, parts: [fragment.slice()] };
    if (!endHeaders) {
      cur.bytes(f.header_block, end - cur.offset);
      setMemo(out, { table: snapshot(side.table) });
      return "";
    }
    const parts = side.block.parts;
    side.block = undefined;
    whole = parts.length === 1 ? undefined : concat(parts);
    setMemo(out, {
      table: snapshot(side.table),
      ...(whole ? { block: whole } : {}),
      ...(side.limit !== DEFAULT_TABLE_SIZE ? { limit: side.limit } : {}),
      ...(side.intact ? {} : { unknown: true }),
    });
    table = side.table;
    limit = side.limit;
    unknown = !side.intact;
  } else if (memo?.table) {
    table = { entries: memo.table.entries, size: memo.table.size, maxSize: memo.table.maxSize };
    whole = memo.block;
    limit = memo.limit ?? DEFAULT_TABLE_SIZE;
    unknown = memo.unknown === true;
    if (!endHeaders) {
      cur.bytes(f.header_block, end - cur.offset);
      return "";
    }
  } else if (type === T.CONTINUATION) {
    cur.bytes(f.header_block, end - cur.offset);
    return "";
  } else {
    table = createHpackTable();
    if (!endHeaders) {
      cur.bytes(f.header_block, end - cur.offset);
      return "";
    }
  }
  if (unknown) cur.finding(hpackFindings.unknown_context, 0, 0);
  let headers: HeaderField[];
  if (whole) {
    // The block began in earlier frames: decoded whole, its nodes computed (no bytes of their own here).
    cur.bytes(f.header_block, end - cur.offset);
    cur.finding(x.hpack_context, 0, 0);
    const inner = createCursor(whole, "hpack", cur.tree);
    const r = decodeHeaderBlock(inner, whole, whole.length, table, { showTable: true, limit });
    headers = r.headers;
    if (side && !r.ok) side.intact = false;
    if (cur.tree) {
      cur.push(f.headers);
      graft(cur, inner.frame("").fields);
      cur.pop({ format: "number", value: headers.length });
    }
  } else {
    cur.push(f.header_block);
    const at = cur.offset;
    const r = decodeHeaderBlock(cur, bytes, end, table, { showTable: false, limit });
    if (cur.offset < end) cur.bytes(f.header_block, end - cur.offset);
    headers = r.headers;
    cur.pop({ format: "byte_count", n: end - at });
    if (cur.tree) addTable(cur, table);
    if (side && !r.ok) side.intact = false;
  }
  if (state && type !== T.PUSH_PROMISE) learnHeaders(state, stream, direction, headers);
  const get = (n: string) => headers.find(([name]) => name === n)?.[1];
  const status = get(":status");
  const grpcStatus = get("grpc-status");
  out.headers = {
    ...(get(":path") !== undefined ? { path: get(":path") } : {}),
    ...(status && /^\d+$/.test(status) ? { status: Number(status) } : {}),
    ...(grpcStatus && /^\d+$/.test(grpcStatus) ? { grpcStatus: Number(grpcStatus) } : {}),
  };
  const parts: string[] = [];
  if (get(":method")) parts.push(`${get(":method")} ${get(":path") ?? ""}`.trimEnd());
  if (status) parts.push(status);
  if (grpcStatus !== undefined) parts.push(`grpc-status ${grpcStatus} ${GRPC_STATUS_NAMES[Number(grpcStatus)] ?? ""}`.trim());
  return parts.length ? `: ${parts.join(" ")}` : "";
}

function learnHeaders(state: Http2State, stream: number, direction: Direction, headers: readonly HeaderField[]): void {
  const info = streamOf(state, stream);
  for (const [name, value] of headers) {
    if (name === ":path" && direction === "c2s") info.path = value;
    if (name === "content-type" && (direction === "c2s" || info.contentType === undefined)) info.contentType = value.split(";")[0]?.trim().toLowerCase();
  }
}

const snapshot = (t: HpackTable) => ({ entries: t.entries, size: t.size, maxSize: t.maxSize });

/** The memo a frame's dissection collects. */
interface MemoOut {
  memo?: Http2Memo;
  /** The header block's facts, for Http2Parts. */
  headers?: Pick<Http2Parts, "path" | "status" | "grpcStatus">;
}

function setMemo(out: MemoOut, memo: Http2Memo): void {
  out.memo = { ...out.memo, ...memo };
}

// ---------------------------------------------------------------------------------------------
// DATA

function dataPayload(
  cur: Cursor,
  bytes: Uint8Array,
  end: number,
  stream: number,
  direction: Direction,
  state: Http2State | undefined,
  memo: Http2Memo | undefined,
  out: MemoOut,
): string {
  const start = cur.offset;
  const info = state ? state.streams.get(stream) : undefined;
  const call: GrpcCall | undefined = state
    ? info?.contentType?.startsWith("application/grpc") || info?.contentType?.startsWith("application/connect")
      ? { ...(info.path ? { path: info.path } : {}), request: direction === "c2s", contentType: info.contentType }
      : undefined
    : memo?.call;
  if (!call || end <= start) {
    if (end > start) cur.bytes(f.data, end - start);
    return end > start ? ` ${end - start} bytes` : "";
  }
  const payload = bytes.subarray(start, end);
  let carried = 0;
  let joined: Uint8Array | undefined;
  if (state && info) {
    const pending = info.pending[direction];
    if (pending) {
      carried = Math.min(pending.need, payload.length);
      // A message longer than the lab reads is not kept (its declared length alone must not make the lab hold it).
      pending.size += carried;
      if (pending.size <= GRPC_MESSAGE_LIMIT + 5) pending.parts.push(payload.slice(0, carried));
      else pending.parts = [];
      pending.need -= carried;
      if (pending.need === 0) {
        let whole = concat(pending.parts);
        // A header that was itself split is whole now: the message it declares may go on in this frame and later ones.
        const more = 5 + readLength(whole) - whole.length;
        if (more > 0) {
          const extra = Math.min(more, payload.length - carried);
          whole = concat([whole, payload.slice(carried, carried + extra)]);
          carried += extra;
          pending.size += extra;
          pending.parts = [whole];
          pending.need = more - extra;
        }
        if (pending.need === 0) {
          if (pending.size === whole.length) joined = whole;
          info.pending[direction] = undefined;
        }
      }
    }
  } else if (memo) {
    carried = memo.carried ?? 0;
    joined = memo.joined;
  }
  cur.push(f.grpc);
  const parts: string[] = [];
  if (carried > 0) {
    cur.bytes(grpcFields.continued, carried);
    if (joined) {
      const inner = createCursor(joined, "grpc", cur.tree);
      const r = addGrpcMessages(inner, joined, joined.length, call);
      parts.push(r.summary);
      if (cur.tree) graft(cur, inner.frame("").fields);
    } else parts.push("…");
  }
  const r = addGrpcMessages(cur, bytes, end, call);
  if (r.summary) parts.push(r.summary);
  cur.pop({ format: "plain", text: parts.join(", ") });
  if (state && info && r.pending > 0) {
    // The last message goes on in later frames: its bytes so far, from its envelope's start.
    const startOfLast = lastEnvelopeStart(bytes, start + carried, end);
    info.pending[direction] = { need: r.pending, parts: [bytes.slice(startOfLast, end)], size: end - startOfLast };
  }
  if (state) setMemo(out, { call, ...(carried ? { carried } : {}), ...(joined ? { joined } : {}) });
  return ` ${parts.join(", ")}`;
}

const readLength = (b: Uint8Array) => ((b[1]! << 24) | (b[2]! << 16) | (b[3]! << 8) | b[4]!) >>> 0;

function lastEnvelopeStart(bytes: Uint8Array, at: number, end: number): number {
  while (at < end) {
    if (end - at < 5) return at;
    const next = at + 5 + readLength(bytes.subarray(at, at + 5));
    if (next >= end) return at;
    at = next;
  }
  return at;
}

// ---------------------------------------------------------------------------------------------

export function dissectHttp2(bytes: Uint8Array, ctx: DissectContext<Http2State>): DissectedFrame[] {
  return [dissectFrame(bytes, ctx)];
}

/** On a port that serves both (50051): a client that does not open with the preface speaks HTTP/1.1 (gRPC-web, Connect). */
export function detectHttp1(bytes: Uint8Array, direction: Direction): string | "more" | undefined {
  if (direction !== "c2s") return undefined;
  const p = isPreface(bytes, 0);
  return p === "more" ? "more" : p ? undefined : "http1";
}

export const http2Dissector: Dissector<Http2State> = {
  id: "http2",
  name: "HTTP/2",
  pduLength: http2PduLength,
  createState: createHttp2State,
  detect: detectHttp1,
  dissect: dissectHttp2,
};
