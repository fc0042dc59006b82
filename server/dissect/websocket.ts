// WebSocket frames (RFC 6455 §5) over the stream HTTP/1.1 hands over after `101 Switching Protocols`: each
// frame is one PDU, cut where its header's length says. A frame shows FIN, RSV1-3, the opcode, the MASK bit,
// the 7-, 16- or 64-bit length, the masking key, and the payload both as sent (masked) and unmasked; the
// frame that ends a message also shows the whole message, its fragments joined (§5.4) and inflated when
// permessage-deflate compressed it (RFC 7692, with the window kept per direction, ./websocket/inflate.ts).
// Text that is JSON is shown as a tree (json.ts). Close frames show their status code and reason.
// Modelled on Wireshark's packet-websocket.c (its field ids where it has them) and the checks ws makes
// (lib/receiver.js): what ws refuses is an error here.
// ISOMORPHIC: no Node imports.

import { createCursor, graft, type Cursor } from "./core/cursor";
import { hexPairs, plural, quoteText } from "./core/fields";
import type { DissectContext, DissectedFrame, Direction, Dissector, FieldSpec, PduContext, PduLength } from "./core/types";
import { addJsonTree, isJsonError, jsonPreview, parseJson } from "./json";
import { createInflater, type Inflater, type InflateError } from "./websocket/inflate";
import { OPCODE_NAMES, OPCODES, websocketFields, websocketFindings } from "./websocket/tables";

export { websocketFields, websocketFindings };
const f = websocketFields;
const x = websocketFindings;

/** The longest message the lab joins or inflates (longer ones show their first bytes, with a finding). */
export const WEBSOCKET_MESSAGE_LIMIT = 1 << 20;

const isControl = (opcode: number) => (opcode & 0x8) !== 0;
const isKnown = (opcode: number) => OPCODE_NAMES[opcode] !== undefined;

/** One direction's messages in progress and its permessage-deflate window. */
interface Side {
  open: { opcode: number; compressed: boolean; parts: Uint8Array[]; size: number; frames: number; cut: boolean } | undefined;
  inflater: Inflater | undefined;
}

export interface WebSocketState {
  readonly c2s: Side;
  readonly s2c: Side;
}

export function createWebSocketState(): WebSocketState {
  return { c2s: { open: undefined, inflater: undefined }, s2c: { open: undefined, inflater: undefined } };
}

/** What rebuilding a frame's tree needs from the conversation (kept only for frames that need it). */
export interface WebSocketMemo {
  /** The whole message this frame ends, joined and inflated, when that is not the frame's own payload. */
  readonly message?: Uint8Array;
  /** Its opcode (the first frame's) and how many frames carried it. */
  readonly opcode?: number;
  readonly fragments?: number;
  /** The message was compressed (permessage-deflate): its first frame had RSV1. */
  readonly compressed?: boolean;
  /** Its compressed form failed to inflate (or could not be, the window being unknown). */
  readonly inflate?: InflateError | "context";
  /** The message was longer than the lab joins: `message` holds its first bytes. */
  readonly cut?: boolean;
  /** A data frame of a message that goes on: the message's opcode. */
  readonly part?: number;
  /** What the frame did to the sequence of fragments. */
  readonly sequence?: "unexpected" | "interrupted";
  readonly interrupted?: number;
}

// ---------------------------------------------------------------------------------------------
// Framing

interface Header {
  readonly b0: number;
  readonly masked: boolean;
  /** Bytes before the payload. */
  readonly size: number;
  /** The declared payload length (up to 2^63; past 2^53 as a float, beyond any PDU). */
  readonly length: number;
}

function headerOf(bytes: Uint8Array, offset: number): Header | "more" {
  const n = bytes.length - offset;
  if (n < 2) return "more";
  const b0 = bytes[offset]!;
  const b1 = bytes[offset + 1]!;
  const masked = (b1 & 0x80) !== 0;
  const len7 = b1 & 0x7f;
  const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
  const size = 2 + ext + (masked ? 4 : 0);
  if (n < 2 + ext) return "more";
  let length = len7;
  if (len7 === 126) length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
  else if (len7 === 127) {
    length = 0;
    for (let i = 0; i < 8; i++) length = length * 256 + bytes[offset + 2 + i]!;
  }
  return { b0, masked, size, length };
}

/** RFC 6455 §5.2: the frame's whole length, from its header. */
export function websocketPduLength(bytes: Uint8Array, offset: number, _ctx?: PduContext): PduLength {
  const h = headerOf(bytes, offset);
  if (h === "more") return "more";
  return Math.min(h.size + h.length, Number.MAX_SAFE_INTEGER);
}

// ---------------------------------------------------------------------------------------------
// Payloads

const fatal = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/** Where UTF-8 stops being valid in `bytes`, or -1 when it is valid throughout. */
export function invalidUtf8At(bytes: Uint8Array): number {
  try {
    fatal.decode(bytes);
    return -1;
  } catch {
    // The first byte that does not start or continue a valid sequence (RFC 3629), found the slow way: rare.
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
      if (need < 0 || i + need >= bytes.length + (need === 0 ? 1 : 0)) return i;
      try {
        fatal.decode(bytes.subarray(i, i + need + 1));
      } catch {
        return i;
      }
      i += need + 1;
    }
    return bytes.length;
  }
}

/** ws's isValidStatusCode (RFC 6455 §7.4): what an endpoint may send in a close frame. */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** A copy of `bytes`, never a view: a Node Buffer's slice() is a view, and the bytes are the tap's (and ws's). */
const copyOf = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);

function unmask(bytes: Uint8Array, start: number, end: number, key: Uint8Array): Uint8Array {
  const out = copyOf(bytes);
  for (let i = start; i < end; i++) out[i] = out[i]! ^ key[(i - start) & 3]!;
  return out;
}

/** A text's JSON tree, or its text, over [start, end) of `view` (the cursor's input, unmasked). */
function addText(cur: Cursor, view: Uint8Array, start: number, end: number, spec: FieldSpec): string {
  // Without a tree only the grammar matters (the summary quotes the text itself).
  const doc = parseJson(view, start, end, cur.tree);
  if (!isJsonError(doc)) {
    if (cur.tree) {
      cur.push(f["payload.json"]);
      addJsonTree(cur, view, doc);
      cur.pop(jsonPreview(doc.value));
    } else cur.skip(end - start);
    return quoteText(lenient.decode(view.subarray(start, end)));
  }
  cur.text(spec, end - start);
  return quoteText(lenient.decode(view.subarray(start, end)));
}


/**
 * A message that is not this frame's own bytes (joined, inflated): its nodes span the payload it was made
 * from, since they were computed from it. The JSON tree is built on a cursor over the message and grafted.
 */
function addMessage(cur: Cursor, message: Uint8Array, opcode: number, fragments: number, compressed: boolean, payloadLength: number): string {
  let summary = "";
  cur.subtree(f.message, payloadLength, (c) => {
    if (c.tree && fragments > 1) c.item(f["message.fragments"], 0, { format: "number", value: fragments });
    if (c.tree && compressed) c.item(f["message.inflated_length"], 0, { format: "number", value: message.length });
    if (opcode === OPCODES.text) {
      const inner = createCursor(message, "websocket", c.tree);
      summary = addText(inner, message, 0, message.length, f["message.text"]);
      if (c.tree) graft(c, inner.frame("").fields);
    } else {
      if (c.tree) c.item(f["message.binary"], 0, { format: "bytes", hex: hexPairs(message), n: message.length });
      summary = plural(message.length, "byte");
    }
    c.skip(c.remaining);
    return c.tree ? { format: "byte_count", n: message.length } : "";
  });
  return summary;
}

// ---------------------------------------------------------------------------------------------
// Frames

const BYTE0 = [f.fin, f.rsv1, f.rsv2, f.rsv3, f.opcode] as const;
const BYTE1 = [f.mask, f.payload_length] as const;

function dissectFrame(bytes: Uint8Array, direction: Direction, memo: WebSocketMemo | undefined, state: WebSocketState | undefined, tree: boolean): DissectedFrame {
  const h = headerOf(bytes, 0);
  // The cursor reads an unmasked copy, so that values (a close code, JSON) read as meant; nodes point at the same offsets.
  const key = h !== "more" && h.masked && bytes.length >= h.size ? bytes.subarray(h.size - 4, h.size) : undefined;
  const payloadEnd = h === "more" ? bytes.length : Math.min(bytes.length, h.size + h.length);
  const view = key && h !== "more" ? unmask(bytes, h.size, payloadEnd, key) : bytes;
  const cur = createCursor(view, "websocket", tree);
  const [fin, rsv1, rsv2, rsv3, opcode] = cur.bits(1, BYTE0);
  const [mask, len7] = cur.bits(1, BYTE1);
  const name = OPCODE_NAMES[opcode] ?? `Opcode ${opcode}`;
  const flags = `${fin ? " [FIN]" : ""}${mask ? " [MASKED]" : ""}${rsv1 ? " [COMPRESSED]" : ""}`;
  if (cur.truncated) return cur.frame(`${name}${flags}`);
  let length = len7;
  if (len7 === 126) {
    length = cur.u16(f.payload_length_ext16);
    if (!cur.truncated && length < 126) cur.finding(x.length_not_minimal, { length, width: 16 }, 2, 2);
  } else if (len7 === 127) {
    const big = cur.u64(f.payload_length_ext64);
    if (big >= 1n << 63n) cur.finding(x.length_top_bit, 2, 8);
    length = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
    if (!cur.truncated && big < 65536n) cur.finding(x.length_not_minimal, { length: String(big), width: 64 }, 2, 8);
  }
  if (mask) cur.bytes(f.masking_key, 4);

  // RFC 6455 §5.1-§5.5 and RFC 7692 §6: what the receiver would refuse.
  if (direction === "c2s" && !mask) cur.finding(x.unmasked_client, 1, 1);
  if (direction === "s2c" && mask) cur.finding(x.masked_server, 1, 1);
  if (!isKnown(opcode)) cur.finding(x.reserved_opcode, { opcode }, 0, 1);
  if (rsv2 || rsv3) cur.finding(x.rsv_set, { bits: [rsv2 ? "RSV2" : "", rsv3 ? "RSV3" : ""].filter(Boolean).join(", ") }, 0, 1);
  if (rsv1 && (isControl(opcode) || opcode === OPCODES.continuation)) cur.finding(x.rsv1_misplaced, { kind: name }, 0, 1);
  if (isControl(opcode) && length > 125) cur.finding(x.control_too_long, { length }, 1, 1);
  if (isControl(opcode) && !fin) cur.finding(x.control_fragmented, 0, 1);

  const start = cur.offset;
  const have = Math.min(length, cur.remaining);
  const payload = view.subarray(start, start + have);
  const complete = have === length;

  // The message this frame belongs to, as the conversation's state (at capture time) or the memo (later) says.
  let made: WebSocketMemo | undefined;
  if (state && isKnown(opcode) && !isControl(opcode)) made = sequence(state[direction], opcode, fin === 1, rsv1 === 1, payload, complete);
  const m = state ? made : memo;
  if (m?.sequence === "unexpected") cur.finding(x.continuation_unexpected, 0, 1);
  if (m?.sequence === "interrupted") cur.finding(x.message_interrupted, { kind: OPCODE_NAMES[opcode] ?? "" }, 0, 1);

  let summary = `${name}${flags}`;
  if (have > 0) {
    // As sent: the masked bytes, with the payload unmasked inside.
    if (mask) cur.push(f.masked_payload);
    cur.push(f.payload);
    summary += payloadContent(cur, view, start, have, opcode, fin === 1, rsv1 === 1, m !== undefined || state !== undefined);
    // Values only for a tree: capture time has none, and runs this for every frame.
    cur.pop(tree ? { format: "bytes", hex: hexPairs(payload), n: have } : "");
    if (mask) cur.pop(tree ? { format: "bytes", hex: hexPairs(bytes.subarray(start, start + have)), n: have } : "");
  }
  if (isKnown(opcode) && !isControl(opcode)) summary += messageContent(cur, start, have, opcode, fin === 1, rsv1 === 1, m, state !== undefined, payload);
  const frame = cur.frame(summary);
  return m && (m.message || m.part !== undefined || m.sequence || m.inflate) ? { ...frame, memo: m } : frame;
}

/** The state's view of this data frame: what it completes or starts, and the findings of its order. */
function sequence(side: Side, opcode: number, fin: boolean, compressed: boolean, payload: Uint8Array, complete: boolean): WebSocketMemo | undefined {
  let interrupted: WebSocketMemo["sequence"];
  if (opcode !== OPCODES.continuation) {
    if (side.open) interrupted = "interrupted";
    side.open = undefined;
    if (fin) {
      if (!compressed) return interrupted ? { sequence: interrupted } : undefined;
      return { ...inflated(side, payload), opcode, compressed: true, ...(interrupted ? { sequence: interrupted } : {}) };
    }
    side.open = { opcode, compressed, parts: [copyOf(payload)], size: payload.length, frames: 1, cut: !complete };
    return { part: opcode, ...(interrupted ? { sequence: interrupted } : {}) };
  }
  const open = side.open;
  if (!open) return { sequence: "unexpected" };
  open.frames++;
  if (open.size + payload.length > WEBSOCKET_MESSAGE_LIMIT) open.cut = true;
  else {
    open.parts.push(copyOf(payload));
    open.size += payload.length;
  }
  if (!fin) return { part: open.opcode };
  side.open = undefined;
  const joined = new Uint8Array(open.size);
  let at = 0;
  for (const p of open.parts) {
    joined.set(p, at);
    at += p.length;
  }
  const base = { opcode: open.opcode, fragments: open.frames, ...(open.cut ? { cut: true } : {}) };
  if (!open.compressed) return { ...base, message: joined };
  return { ...base, compressed: true, ...inflated(side, joined) };
}

function inflated(side: Side, compressed: Uint8Array): Pick<WebSocketMemo, "message" | "inflate"> {
  const inflater = (side.inflater ??= createInflater());
  if (!inflater.intact) return { inflate: "context" };
  const result = inflater.inflate(compressed, WEBSOCKET_MESSAGE_LIMIT);
  return result.error ? { message: result.bytes, inflate: result.error } : { message: result.bytes };
}

/** The payload's nodes by what the frame carries; returns what the summary adds. */
function payloadContent(cur: Cursor, view: Uint8Array, start: number, have: number, opcode: number, fin: boolean, rsv1: boolean, known: boolean): string {
  const payload = view.subarray(start, start + have);
  switch (opcode) {
    case OPCODES.close: {
      if (have === 1) {
        cur.finding(x.close_one_byte, start, 1);
        cur.bytes(f["payload.unknown"], 1);
        return "";
      }
      const code = cur.u16(f["payload.close.status_code"]);
      if (!isSendableCloseCode(code)) cur.finding(x.bad_close_code, { code }, start, 2);
      let reason = "";
      if (have > 2) {
        if (invalidUtf8At(payload.subarray(2)) >= 0) cur.finding(x.close_reason_utf8, start + 2, have - 2);
        reason = cur.text(f["payload.close.reason"], have - 2);
      }
      return ` ${code}${reason ? ` ${quoteText(reason, 40)}` : ""}`;
    }
    case OPCODES.ping:
    case OPCODES.pong:
      cur.bytes(opcode === OPCODES.ping ? f["payload.ping"] : f["payload.pong"], have);
      return ` ${quoteText(lenient.decode(payload), 40)}`;
    case OPCODES.text:
    case OPCODES.binary:
      if (rsv1) {
        cur.bytes(f["payload.compressed"], have);
        // Without the conversation's state or a memo (a frame re-dissected on its own), RSV1 is all there is to go by.
        if (!known && fin) cur.finding(x.compressed_no_deflate, 0, 1);
        return "";
      }
      if (opcode === OPCODES.text && fin) {
        const bad = invalidUtf8At(payload);
        if (bad >= 0) cur.finding(x.invalid_utf8, { offset: bad }, start + bad, 0);
        return ` ${addText(cur, view, start, start + have, f["payload.text"])}`;
      }
      cur.bytes(opcode === OPCODES.text ? f["payload.text"] : f["payload.binary"], have);
      return ` ${plural(have, "byte")}`;
    case OPCODES.continuation:
      cur.bytes(f["payload.continue"], have);
      return ` ${plural(have, "byte")}`;
    default:
      cur.bytes(f["payload.unknown"], have);
      return "";
  }
}

/**
 * The whole message a data frame ends, when it is not the frame's own payload (joined from fragments,
 * inflated), with the findings about it; returns what the summary adds.
 */
function messageContent(cur: Cursor, start: number, have: number, opcode: number, fin: boolean, rsv1: boolean, m: WebSocketMemo | undefined, capture: boolean, payload: Uint8Array): string {
  let memo = m;
  if (!capture && !memo && rsv1 && fin) {
    // Rebuilt on its own (the page re-dissecting one frame): inflated as a message sent without context takeover.
    const alone = createInflater().inflate(payload, WEBSOCKET_MESSAGE_LIMIT);
    if (alone.error) return "";
    memo = { message: alone.bytes, opcode, compressed: true };
  }
  if (!fin || !memo || (memo.message === undefined && memo.inflate === undefined)) return "";
  if (memo.inflate === "context") cur.finding(x.inflate_failed.context, start, have);
  else if (memo.inflate === "too_big") cur.finding(x.inflate_too_big, { limit: WEBSOCKET_MESSAGE_LIMIT }, start, have);
  else if (memo.inflate) cur.finding(x.inflate_failed[memo.inflate], start, have);
  if (memo.cut) cur.finding(x.message_too_big, { limit: WEBSOCKET_MESSAGE_LIMIT }, start, have);
  const message = memo.message;
  if (!message) return "";
  const messageOpcode = memo.opcode ?? opcode;
  if (messageOpcode === OPCODES.text && !memo.inflate && !memo.cut) {
    const bad = invalidUtf8At(message);
    if (bad >= 0) cur.finding(x.invalid_utf8, { offset: bad }, start, have);
  }
  // The message's nodes stand over the payload bytes it was made from: no new bytes, so the cursor steps back.
  cur.back(have);
  const compressed = rsv1 || memo.compressed === true;
  const text = addMessage(cur, message, messageOpcode, memo.fragments ?? 1, compressed, have);
  return opcode === OPCODES.continuation ? `; ${OPCODE_NAMES[messageOpcode] ?? ""} (${memo.fragments ?? 1} frames) ${text}` : ` ${text}`;
}


export function dissectWebSocket(bytes: Uint8Array, ctx: DissectContext<WebSocketState>): DissectedFrame[] {
  const tree = ctx.tree ?? true;
  return [dissectFrame(bytes, ctx.direction, ctx.state ? undefined : (ctx.memo as WebSocketMemo | undefined), ctx.state, tree)];
}

export const websocketDissector: Dissector<WebSocketState> = {
  id: "websocket",
  name: "WebSocket",
  pduLength: websocketPduLength,
  createState: createWebSocketState,
  dissect: dissectWebSocket,
};

