// The UDP echo service of seed 000 (udp 8889): each datagram is one message. The client sends text; the server
// answers `UDP-ECHO: <message>` and, for a message that starts with BINARY, a second datagram of
// struct.pack('If', 42, 3.14). 'If' has no byte-order prefix, so it is native mode ('@'): C sizes, C alignment and
// the host's byte order, which on x86-64 is an unsigned int at 0 and a float at 4, little endian, 8 bytes. The
// seed's server decodes each datagram as strict UTF-8; one that is not UTF-8 raises, is logged and gets no answer.
// One datagram is one PDU, so there is no pduLength.

import { createCursor } from "./core/cursor";
import { defineFields, escapeText, hexPreview, QUOTE_MAX } from "./core/fields";
import { defineFindings } from "./core/findings";
import type { FieldValue } from "./core/formats";
import type { DissectContext, DissectedFrame, Dissector } from "./core/types";
import { addStructFields, compileStruct, float32Parts, pyTupleRepr, unpack } from "./struct";
import { decodeUtf8 } from "./text";

export const udpEchoFields = defineFields("udpecho", {
  message: {
    label: "Message",
    type: "text",
    blurb: "The whole datagram, decoded as UTF-8: UDP keeps message boundaries, so one send is one datagram and one message.",
  },
  prefix: { label: "Prefix", type: "text", blurb: "The 10 bytes the server puts before the message it echoes." },
  echoed: { label: "Echoed message", type: "text", blurb: "The message the server received, sent back as it decoded it." },
  binary: {
    label: "Binary reply (struct 'If')",
    type: "bytes",
    blurb:
      "8 bytes from struct.pack('If', 42, 3.14): no prefix means native mode, so an unsigned int at offset 0 and a float at offset 4, in the host's byte order (little endian on x86-64).",
  },
  data: { label: "Data", type: "bytes", blurb: "Bytes that are neither an echo nor the binary reply." },
});
const f = udpEchoFields;

// The binary reply's format, exactly as the seed writes it.
const REPLY_FORMAT = "If";
const REPLY = compileStruct(REPLY_FORMAT);
/** The seed's server reads with recvfrom(1024): a longer datagram is cut there. */
export const SEED_RECV_SIZE = 1024;
const PREFIX = "UDP-ECHO: ";
const PREFIX_BYTES = new TextEncoder().encode(PREFIX);

const x = defineFindings("udpecho", {
  empty: {
    severity: "note",
    message: "An empty datagram: UDP can carry 0 bytes, and the server still answers it, with \"UDP-ECHO: \" and nothing after.",
  },
  dropped: {
    severity: "warn",
    message:
      "Not valid UTF-8 at offset {offset} ({hex}): the course's server fails to decode this datagram, logs the error and sends no answer. With no connection, the client learns nothing: it waits until its timeout.",
  },
  binary_follows: {
    severity: "note",
    message: "The message starts with BINARY, so a second datagram follows the text echo: 8 bytes of struct.pack('If', 42, 3.14).",
  },
  cut_by_server: {
    severity: "note",
    message:
      "The course's server reads with recvfrom({recv}): of this datagram of {length:bytes} it gets the first {recv}, and the kernel discards the rest.",
  },
  native_layout: {
    severity: "chat",
    message:
      "Format 'If' has no byte-order character, so it is native mode '@': I is a 4-byte unsigned int at offset 0, f a 4-byte float at offset 4, both little endian on x86-64. With '<If' or '!If' both sides would agree whatever their CPUs.",
  },
  float32: {
    severity: "chat",
    message:
      "A float holds 24 significant bits, so the server packs the float nearest to {shortest}: exactly {exact}. Python unpacks it into a double and prints {repr}.",
  },
  unexpected: {
    severity: "note",
    message: "This datagram is neither an echo nor the 8-byte binary reply ({length:bytes}).",
  },
});
export const udpEchoFindings = x;

function quotedValue(bytes: Uint8Array, from: number, to: number): FieldValue {
  const decoded = decodeUtf8(bytes, from, to, false);
  const { shown, cut } = escapeText(decoded.text, QUOTE_MAX);
  return decoded.chars === to - from ? { format: "quoted", text: shown, cut } : { format: "quoted", text: shown, cut, chars: decoded.chars, n: to - from };
}

function summaryOf(bytes: Uint8Array, from: number, to: number): string {
  const { shown, cut } = escapeText(decodeUtf8(bytes, from, to, false).text, QUOTE_MAX);
  return cut ? `"${shown}"…` : `"${shown}"`;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (bytes[k] !== prefix[k]) return false;
  return true;
}

const BINARY = new TextEncoder().encode("BINARY");

function dissectRequest(bytes: Uint8Array, tree: boolean): DissectedFrame {
  const cur = createCursor(bytes, "udpecho", tree);
  if (bytes.length === 0) {
    cur.finding(x.empty);
    return cur.frame("(empty)");
  }
  cur.item(f.message, bytes.length, tree ? quotedValue(bytes, 0, bytes.length) : "");
  if (bytes.length > SEED_RECV_SIZE) cur.finding(x.cut_by_server, { recv: SEED_RECV_SIZE, length: bytes.length }, SEED_RECV_SIZE, bytes.length - SEED_RECV_SIZE);
  // The server decodes what recvfrom gave it: the first 1,024 bytes, where a character may be cut in two.
  const seen = Math.min(bytes.length, SEED_RECV_SIZE);
  const decoded = decodeUtf8(bytes, 0, seen, false);
  const bad = decoded.invalid[0];
  if (bad) {
    cur.finding(x.dropped, { offset: bad.offset, hex: hexPreview(bytes.subarray(bad.offset, bad.offset + bad.length)) }, bad.offset, bad.length);
  } else if (startsWith(bytes, BINARY)) {
    cur.finding(x.binary_follows, 0, BINARY.length);
  }
  return cur.frame(summaryOf(bytes, 0, bytes.length));
}

function dissectReply(bytes: Uint8Array, tree: boolean): DissectedFrame {
  const cur = createCursor(bytes, "udpecho", tree);
  if (startsWith(bytes, PREFIX_BYTES)) {
    cur.item(f.prefix, PREFIX_BYTES.length, { format: "quoted", text: PREFIX, cut: false });
    if (bytes.length > PREFIX_BYTES.length) cur.item(f.echoed, bytes.length - PREFIX_BYTES.length, tree ? quotedValue(bytes, PREFIX_BYTES.length, bytes.length) : "");
    return cur.frame(summaryOf(bytes, 0, bytes.length));
  }
  if (bytes.length === REPLY.size) {
    const values = unpack(REPLY, bytes);
    const summary = `struct.unpack('${REPLY_FORMAT}') = ${pyTupleRepr(values)}`;
    cur.subtree(f.binary, REPLY.size, (sub) => {
      addStructFields(sub, REPLY);
      return { format: "plain", text: pyTupleRepr(values) };
    });
    cur.finding(x.native_layout, 0, REPLY.size);
    const floatAt = 4;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const parts = float32Parts(view.getFloat32(floatAt, REPLY.littleEndian));
    if (parts.class === "normal" && parts.exact !== parts.shortest) {
      cur.finding(x.float32, { shortest: parts.shortest, exact: parts.exact, repr: parts.repr }, floatAt, 4);
    }
    return cur.frame(summary);
  }
  if (bytes.length > 0) cur.bytes(f.data, bytes.length);
  cur.finding(x.unexpected, { length: bytes.length }, 0, bytes.length);
  return cur.frame(bytes.length === 0 ? "(empty)" : hexPreview(bytes, 8));
}

export function dissectUdpEcho(bytes: Uint8Array, ctx?: DissectContext): DissectedFrame[] {
  const tree = ctx?.tree ?? true;
  return [ctx?.direction === "s2c" ? dissectReply(bytes, tree) : dissectRequest(bytes, tree)];
}

export const udpEchoDissector: Dissector = {
  id: "udpecho",
  name: "UDP echo (seed 000)",
  dissect: dissectUdpEcho,
};
