// TCP header: RFC 9293 §3.1 (ports, sequence and acknowledgment numbers, data offset, flags with ECN's CWR/ECE
// of RFC 3168 and AE of RFC 9768, window, checksum over the pseudo-header, urgent pointer) and options: EOL and
// NOP (RFC 9293), MSS (RFC 9293 §3.7.1), Window Scale and Timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018).
// Relative numbers and the scaled window come from tcp-analysis.ts when an analyzer is given. Field ids, labels
// and the Info line follow Wireshark's packet-tcp.c (tcp.seq, tcp.hdr_len, tcp.flags.syn, tcp.window_size_value).

import { addBits, createCursor, type Cursor } from "./core/cursor";
import { defineFields, hex } from "./core/fields";
import { defineFindings } from "./core/findings";
import {
  IP_PROTOCOL,
  WORD32,
  be16,
  be32,
  checkChecksum,
  checksumMatters,
  frameAt,
  decimalOrPartial,
  itemOrPartial,
  onesComplementSum,
  pseudoHeaderSum,
  type TransportContext,
} from "./core/inet";
import { FLAG_SEPARATOR, NAME_SEPARATOR, type FieldValue } from "./core/formats";
import type { DissectedFrame, FieldSpec, TreeOptions } from "./core/types";
import { TCP_ANALYSIS_LABELS, TCP_FLAGS, type TcpAnalysis, type TcpAnalyzer } from "./tcp-analysis";

/** Option kinds (IANA "TCP Option Kind Numbers"). */
export const TCP_OPTION = { EOL: 0, NOP: 1, MSS: 2, WSCALE: 3, SACK_PERM: 4, SACK: 5, TIMESTAMPS: 8 } as const;

const OPTION_KIND_NAMES: Readonly<Record<number, string>> = {
  0: "End of Option List",
  1: "No-Operation",
  2: "Maximum Segment Size",
  3: "Window Scale",
  4: "SACK Permitted",
  5: "SACK",
  8: "Timestamps",
  19: "TCP MD5 Signature",
  28: "User Timeout",
  29: "TCP-AO",
  30: "Multipath TCP",
  34: "TCP Fast Open Cookie",
  69: "Encryption Negotiation (TCP-ENO)",
  172: "Accurate ECN Order 0",
  174: "Accurate ECN Order 1",
  253: "Experimental (RFC 4727)",
  254: "Experimental (RFC 4727)",
};

const f = defineFields("tcp", {
  srcport: { label: "Source port", type: "u16", blurb: "The sending program's port." },
  dstport: { label: "Destination port", type: "u16", blurb: "The receiving program's port; a server listens on a well-known one." },
  seq: {
    label: "Sequence number",
    type: "u32",
    blurb: "The number of this segment's first byte in the sender's stream. The SYN takes one number; data starts one after.",
  },
  seq_raw: {
    label: "Sequence number (raw)",
    type: "u32",
    blurb: "The number as sent: each side starts at a random initial sequence number (ISN), so relative numbers are easier to read.",
  },
  ack: {
    label: "Acknowledgment number",
    type: "u32",
    blurb: "With ACK set: the next byte the sender expects from the other side, so every byte before it has arrived.",
  },
  ack_raw: { label: "Acknowledgment number (raw)", type: "u32", blurb: "The acknowledgment number as sent." },
  hdr_len: {
    label: "Header length",
    type: "u16",
    bitmask: 0xf000,
    scale: WORD32,
    blurb: "The data offset: the header's length in 32-bit words, 5 (20 bytes) without options, at most 15 (60 bytes).",
  },
  flags: { label: "Flags", type: "u16", blurb: "Control bits: SYN opens a connection, FIN closes one direction, RST aborts, ACK says the ACK number counts." },
  "flags.res": { label: "Reserved", type: "bool", bitmask: 0x0e00, blurb: "Reserved for future use, zero." },
  "flags.ae": {
    label: "AE",
    type: "bool",
    bitmask: 0x0100,
    blurb: "Accurate ECN (RFC 9768), once the NS nonce bit: with CWR and ECE it counts congestion marks.",
  },
  "flags.cwr": { label: "CWR", type: "bool", bitmask: 0x0080, blurb: "Congestion Window Reduced: the sender slowed down after an ECN echo." },
  "flags.ece": { label: "ECE", type: "bool", bitmask: 0x0040, blurb: "ECN-Echo: in a SYN, ECN is offered; later, a router marked congestion." },
  "flags.urg": { label: "URG", type: "bool", bitmask: 0x0020, blurb: "Urgent: the urgent pointer counts. Hardly used today." },
  "flags.ack": { label: "ACK", type: "bool", bitmask: 0x0010, blurb: "The acknowledgment number is valid; set on every segment after the first SYN." },
  "flags.psh": { label: "PSH", type: "bool", bitmask: 0x0008, blurb: "Push: deliver the data to the application now; set on the last segment of a write." },
  "flags.rst": { label: "RST", type: "bool", bitmask: 0x0004, blurb: "Reset: abort the connection (or refuse it: nothing listens on the port)." },
  "flags.syn": { label: "SYN", type: "bool", bitmask: 0x0002, blurb: "Synchronize: opens a connection and carries the initial sequence number." },
  "flags.fin": { label: "FIN", type: "bool", bitmask: 0x0001, blurb: "Finish: the sender has no more data; the other direction may go on." },
  window_size_value: {
    label: "Window",
    type: "u16",
    blurb: "How many more bytes the sender of this segment can receive. After a handshake with Window Scale, multiply by 2^shift.",
  },
  checksum: {
    label: "Checksum",
    type: "u16",
    blurb: "The one's complement sum over a pseudo-header (addresses, protocol, length), the header and the data.",
  },
  urgent_pointer: { label: "Urgent pointer", type: "u16", blurb: "With URG set: where urgent data ends, counted from the sequence number." },
  options: { label: "Options", type: "none", blurb: "Options between the fixed 20 bytes and the data offset, padded to a multiple of 4 bytes." },
  "option.eol": { label: "End of Option List (EOL)", type: "none", blurb: "Kind 0: no more options; the rest of the header is padding." },
  "option.nop": { label: "No-Operation (NOP)", type: "none", blurb: "Kind 1: one byte of padding, so that the next option starts on a 4-byte boundary." },
  "option.mss": {
    label: "Maximum segment size",
    type: "none",
    blurb: "Kind 2, in SYNs: the largest segment payload this end can receive (the MTU minus 40 bytes of IPv4 and TCP headers).",
  },
  "option.wscale": {
    label: "Window scale",
    type: "none",
    blurb: "Kind 3, in SYNs: windows this end sends after the handshake are multiplied by 2^shift, if both ends send the option.",
  },
  "option.sack_perm": { label: "SACK permitted", type: "none", blurb: "Kind 4, in SYNs: this end understands selective acknowledgments." },
  "option.sack": {
    label: "SACK",
    type: "none",
    blurb: "Kind 5: ranges of bytes received beyond the ACK number, so the sender resends only the gaps.",
  },
  "option.ts": {
    label: "Timestamps",
    type: "none",
    blurb: "Kind 8: a clock value and an echo of the other side's, to measure round-trip time and reject old segments (PAWS).",
  },
  "option.unknown": { label: "Option", type: "none", blurb: "An option this dissector does not decode: kind, length and data." },
  "option.kind": {
    label: "Kind",
    type: "u8",
    names: OPTION_KIND_NAMES,
    blurb: "Which option. Kinds 0 and 1 are one byte; the others have a length byte next.",
  },
  "option.len": { label: "Length", type: "u8", blurb: "The option's length in bytes, the kind and length bytes included." },
  "option.mss_val": { label: "MSS value", type: "u16", blurb: "The largest payload in bytes this end wants to receive in one segment." },
  "option.wscale.shift": { label: "Shift count", type: "u8", blurb: "Windows are multiplied by 2 to this power; at most 14." },
  "option.sack.le": { label: "Left edge", type: "u32", blurb: "The first sequence number of a block received." },
  "option.sack.re": { label: "Right edge", type: "u32", blurb: "One past the last sequence number of the block." },
  "option.ts.val": { label: "Timestamp value", type: "u32", blurb: "The sender's clock when it sent the segment (TSval); its unit is up to the host." },
  "option.ts.ecr": {
    label: "Timestamp echo reply",
    type: "u32",
    blurb: "The most recent TSval received from the other side (TSecr); 0 in the first SYN.",
  },
  "option.data": { label: "Data", type: "bytes", blurb: "The option's bytes, shown as they are." },
  "options.padding": { label: "Padding", type: "bytes", blurb: "Bytes after End of Option List, up to the data offset." },
});
export const tcpFields = f;

const x = defineFindings("tcp", {
  bad_header_length: {
    severity: "error",
    forms: {
      too_short:
        "The data offset is {words:words} ({bytes:bytes}), less than the 20 bytes of the fixed header; where the data starts is unknown.",
      beyond_segment: "The data offset says the header is {bytes:bytes}, but the IP layer gives the whole segment only {segmentLength}.",
    },
  },
  ack_nonzero: { severity: "note", message: "The acknowledgment number is not 0 although ACK is not set; it is ignored." },
  urgent_pointer_nonzero: { severity: "note", message: "The urgent pointer is not 0 although URG is not set; it is ignored." },
  bad_checksum: {
    severity: "warn",
    message:
      "The checksum is {stored} but the segment sums to {expected}: it was damaged, or the capture saw it before the network card filled the checksum in.",
  },
  // An option by its kind, and its IANA name when it has one; `field` is the option's field id, for pages that
  // name the options the lab decodes by their labels.
  "option.bad_length": {
    severity: "error",
    forms: {
      no_length_byte: "Option kind {kind}[ ({name})] has no room for its length byte before the header ends.",
      too_short:
        "Option kind {kind}[ ({name})] says its length is {length}; it is at least 2 (the kind and length bytes), so the options cannot be read further.",
      past_end: "Option kind {kind}[ ({name})] says it is {length:bytes} long, past the end of the header ({left:bytes} left).",
      wrong_length: "Option kind {kind}[ ({name})] cannot be {length:bytes} long.",
    },
  },
  "option.wscale_too_large": {
    severity: "warn",
    message: "The shift count is {shift}; RFC 7323 §2.3 allows at most 14, and a larger one is used as 14.",
  },
});
export const tcpFindings = x;

const FLAG_SPECS = [
  f["flags.res"],
  f["flags.ae"],
  f["flags.cwr"],
  f["flags.ece"],
  f["flags.urg"],
  f["flags.ack"],
  f["flags.psh"],
  f["flags.rst"],
  f["flags.syn"],
  f["flags.fin"],
] as const;

const HDR_LEN = [f.hdr_len] as const;

/** Wireshark's tcp_flags_to_str order: from the lowest bit up. */
const FLAG_NAMES = ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"] as const;
const RESERVED_BITS = 0x0e00;
const flagsTextCache: (string | undefined)[] = new Array<string | undefined>(4096);
const flagNamesCache: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(4096);
const flagsValueCache: (FieldValue | undefined)[] = new Array<FieldValue | undefined>(4096);
/** The flag fields in tcp_flags_to_str's order, Reserved last: how the flags node names the set ones. */
const FLAGS_IN_NAME_ORDER = [...FLAG_SPECS].reverse().filter((spec) => spec !== f["flags.res"]).concat(f["flags.res"]);

/** The names of the flags set, in the summary's order: `["SYN", "ACK"]`, `Reserved` last; cached. */
export function tcpFlagNames(flags: number): readonly string[] {
  const word = flags & 0x0fff;
  let names = flagNamesCache[word];
  if (names === undefined) {
    const list: string[] = [];
    for (let i = 0; i < FLAG_NAMES.length; i++) if (word & (1 << i)) list.push(FLAG_NAMES[i] as string);
    if (word & RESERVED_BITS) list.push("Reserved");
    flagNamesCache[word] = names = Object.freeze(list);
  }
  return names;
}

/** `SYN, ACK`, or `<None>`; cached, since a capture uses a handful of combinations. */
export function tcpFlagsText(flags: number): string {
  const word = flags & 0x0fff;
  return (flagsTextCache[word] ??= tcpFlagNames(word).join(", ") || "<None>");
}

/** The flags node's value (`0x012 (SYN, ACK)`), cached like the text. */
function flagsValue(flags: number): FieldValue {
  const word = flags & 0x0fff;
  return (flagsValueCache[word] ??= Object.freeze({
    format: "flags",
    value: word,
    digits: 3,
    set: FLAGS_IN_NAME_ORDER.filter((spec) => (word & (spec.bitmask ?? 0)) !== 0)
      .map((spec) => spec.id)
      .join(FLAG_SEPARATOR),
  }));
}

export interface TcpTimestamps {
  readonly tsval: number;
  readonly tsecr: number;
}

export interface TcpSackBlock {
  readonly left: number;
  readonly right: number;
}

/**
 * One well-formed option. `value` by kind: MSS (2) and Window Scale (3) a number (the MSS, the shift), SACK
 * permitted (4) true, SACK (5) the blocks as sent, Timestamps (8) TSval and TSecr, EOL (0) and NOP (1)
 * undefined, any other kind its data bytes.
 */
export interface TcpOption {
  readonly kind: number;
  readonly value: number | boolean | TcpTimestamps | readonly TcpSackBlock[] | Uint8Array | undefined;
}

/**
 * The parts of a TCP frame's summary line (Wireshark's Info column), numbers as the line shows them: what a page
 * needs to shorten or restyle the line without reading it back (`tcpSummaryItems`).
 */
export interface TcpSummaryParts {
  readonly srcPort: number;
  readonly dstPort: number;
  /** The 12 flag bits (`tcpFlagNames`). */
  readonly flags: number;
  /** Relative to the initial sequence number when analysed, else as sent. */
  readonly seq: number;
  /** Shown with ACK set only: relative when analysed, else as sent. */
  readonly ack: number;
  /** Scaled when the scaling is known, else as sent. */
  readonly window: number;
  /** Shown with URG set only. */
  readonly urgent: number;
  readonly payloadLength: number;
  /** The well-formed options, in order; those the line shows give MSS, WS, SACK_PERM, SLE/SRE, TSval/TSecr. */
  readonly options: readonly TcpOption[];
  /** The other direction's initial sequence number, from which SACK edges count; undefined: they are raw. */
  readonly sackBase: number | undefined;
}

/** A TCP header's frame whose summary is the Info line, with the line's parts. */
export interface TcpFrame extends DissectedFrame {
  readonly tcp: TcpSummaryParts;
}

export function isTcpFrame(frame: DissectedFrame): frame is TcpFrame {
  return (frame as Partial<TcpFrame>).tcp !== undefined;
}

/**
 * Visits the items of the Info line after the flags, in order: Seq, Ack (with ACK), Win, Urg (with URG), Len,
 * then the options' items. `value` is undefined for an item that is only a name (SACK_PERM).
 */
function eachSummaryItem(p: TcpSummaryParts, visit: (key: string, value: number | undefined) => void): void {
  visit("Seq", p.seq);
  if (p.flags & ACK) visit("Ack", p.ack);
  visit("Win", p.window);
  if (p.flags & URG) visit("Urg", p.urgent);
  visit("Len", p.payloadLength);
  for (const o of p.options) {
    switch (o.kind) {
      case TCP_OPTION.MSS:
        visit("MSS", o.value as number);
        break;
      case TCP_OPTION.WSCALE:
        visit("WS", 2 ** Math.min(o.value as number, 14));
        break;
      case TCP_OPTION.SACK_PERM:
        visit("SACK_PERM", undefined);
        break;
      case TCP_OPTION.SACK:
        for (const block of o.value as readonly TcpSackBlock[]) {
          const base = p.sackBase;
          visit("SLE", base === undefined ? block.left : (block.left - base) >>> 0);
          visit("SRE", base === undefined ? block.right : (block.right - base) >>> 0);
        }
        break;
      case TCP_OPTION.TIMESTAMPS: {
        const ts = o.value as TcpTimestamps;
        visit("TSval", ts.tsval);
        visit("TSecr", ts.tsecr);
        break;
      }
    }
  }
}

/** The Info line's items after the flags, as key and value (`Seq`, `0`); the value is "" for SACK_PERM. */
export function tcpSummaryItems(p: TcpSummaryParts): { readonly key: string; readonly value: string }[] {
  const items: { key: string; value: string }[] = [];
  eachSummaryItem(p, (key, value) => items.push({ key, value: value === undefined ? "" : String(value) }));
  return items;
}

// The Info line being written by `info`: module state rather than a closure per segment (dissection is synchronous).
let line = "";
function appendItem(key: string, value: number | undefined): void {
  line += value === undefined ? ` ${key}` : ` ${key}=${value}`;
}

export interface TcpContext extends TreeOptions {
  /** From the IP layer: the segment's length and the pseudo-header, for the payload length and checksum. */
  readonly transport?: TransportContext;
  /** Keeps per-connection state for relative numbers, the scaled window and expert findings. */
  readonly analyzer?: TcpAnalyzer;
  /** The IP addresses as text: with the ports, the analyzer's 4-tuple. */
  readonly src?: string;
  readonly dst?: string;
  /** Capture time in seconds, for the analyzer. */
  readonly time?: number;
}

export interface TcpResult {
  /** The header's frame (options included), at offset 0 of the given bytes; a TcpFrame when the fixed header was there. */
  readonly frame: DissectedFrame | TcpFrame;
  /** Whether the whole header was there and sound (data offset at least 5). */
  readonly complete: boolean;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** The 12 flag bits. */
  readonly flags: number;
  /** The window field as sent. */
  readonly window: number;
  readonly headerLength: number;
  readonly payloadOffset: number;
  /** Payload bytes by the IP length (what the segment carried; a short capture may hold fewer). */
  readonly payloadLength: number;
  readonly options: TcpOption[];
  readonly analysis: TcpAnalysis | undefined;
  /** The Info line: `54321 → 8888 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 ...`. */
  readonly summary: string;
}

const HEADER = 20;
const { SYN, ACK, URG } = TCP_FLAGS;

/** The Window Scale shift in a SYN's options, for the analyzer, which runs before the tree is built. */
export function scanWindowScale(b: Uint8Array, end: number): number | undefined {
  for (let i = HEADER; i < end; ) {
    const kind = b[i] ?? 0;
    if (kind === TCP_OPTION.EOL) return undefined;
    if (kind === TCP_OPTION.NOP) {
      i++;
      continue;
    }
    const len = b[i + 1] ?? 0;
    if (len < 2 || i + len > end) return undefined;
    if (kind === TCP_OPTION.WSCALE && len === 3) return b[i + 2];
    i += len;
  }
  return undefined;
}

/**
 * The TCP header at the start of `bytes` (the captured part of the IP payload). Without `ctx.transport` the
 * checksum cannot be verified; without `ctx.analyzer` numbers are shown raw. Never throws.
 */
export function dissectTcp(bytes: Uint8Array, ctx?: TcpContext): TcpResult {
  const dataOffset = (bytes[12] ?? 0) >>> 4;
  const headerLength = bytes.length > 12 ? dataOffset * 4 : HEADER;
  const cur = createCursor(bytes.subarray(0, Math.max(headerLength, HEADER)), "tcp", ctx?.tree ?? true);
  const srcPort = be16(bytes, 0);
  const dstPort = be16(bytes, 2);
  const seq = be32(bytes, 4);
  const ack = be32(bytes, 8);
  const flags = be16(bytes, 12) & 0x0fff;
  const window = be16(bytes, 14);
  const urgent = be16(bytes, 18);
  const fixed = bytes.length >= HEADER;
  const sound = fixed && dataOffset >= 5;
  const segmentLength = ctx?.transport?.length ?? bytes.length;
  const payloadLength = sound ? Math.max(0, segmentLength - headerLength) : 0;

  let analysis: TcpAnalysis | undefined;
  if (sound && ctx?.analyzer && ctx.src !== undefined && ctx.dst !== undefined) {
    analysis = ctx.analyzer.analyze({
      src: ctx.src,
      dst: ctx.dst,
      srcPort,
      dstPort,
      seq,
      ack,
      flags,
      window,
      payloadLength,
      windowScale: flags & SYN ? scanWindowScale(bytes, Math.min(headerLength, bytes.length)) : undefined,
      time: ctx.time,
    });
  }

  decimalOrPartial(cur, f.srcport, 2, srcPort);
  decimalOrPartial(cur, f.dstport, 2, dstPort);
  if (analysis) {
    cur.push(f.seq);
    decimalOrPartial(cur, f.seq_raw, 4, seq);
    cur.pop(cur.tree ? { format: "number", value: analysis.relativeSeq, note: "relative_seq" } : undefined);
  } else decimalOrPartial(cur, f.seq, 4, seq);
  if (analysis?.relativeAck !== undefined) {
    cur.push(f.ack);
    decimalOrPartial(cur, f.ack_raw, 4, ack);
    cur.pop(cur.tree ? { format: "number", value: analysis.relativeAck, note: "relative_ack" } : undefined);
  } else itemOrPartial(cur, f.ack, 4, !cur.tree ? "" : flags & ACK ? { format: "number", value: ack } : { format: "number", value: ack, note: "ack_ignored" });
  if (cur.remaining >= 2) {
    addBits(cur, 2, HDR_LEN);
    cur.back(2);
    cur.push(f.flags);
    addBits(cur, 2, FLAG_SPECS);
    cur.pop(flagsValue(flags));
  } else cur.bytes(f.hdr_len, 2);
  itemOrPartial(cur, f.window_size_value, 2, cur.tree ? windowValue(window, flags, analysis) : "");
  itemOrPartial(cur, f.checksum, 2, checksumValue(cur, bytes, ctx?.transport, segmentLength));
  decimalOrPartial(cur, f.urgent_pointer, 2, urgent);

  const options: TcpOption[] = [];
  if (fixed) {
    if (dataOffset < 5) {
      cur.finding(x.bad_header_length.too_short, { words: dataOffset, bytes: headerLength }, 12, 1);
    } else {
      if (headerLength > segmentLength) {
        cur.finding(x.bad_header_length.beyond_segment, { bytes: headerLength, segmentLength }, 12, 1);
      }
      if (headerLength > HEADER) walkOptions(cur, headerLength, options, analysis);
    }
    if ((flags & ACK) === 0 && ack !== 0) {
      cur.finding(x.ack_nonzero, 8, 4);
    }
    if ((flags & URG) === 0 && urgent !== 0) {
      cur.finding(x.urgent_pointer_nonzero, 18, 2);
    }
  }
  if (analysis) for (const finding of analysis.findings) cur.addFinding(finding);

  const parts: TcpSummaryParts | undefined = fixed
    ? {
        srcPort,
        dstPort,
        flags,
        seq: analysis ? analysis.relativeSeq : seq,
        ack: analysis?.relativeAck ?? ack,
        window: analysis?.windowScaled ?? window,
        urgent,
        payloadLength,
        options,
        sackBase: analysis?.peerBase,
      }
    : undefined;
  const summary = parts ? info(parts, analysis) : bytes.length >= 4 ? `${srcPort} → ${dstPort} (truncated header)` : "TCP (truncated header)";
  let frame: DissectedFrame | TcpFrame;
  if (parts) {
    // frameAt's frame, with the summary's parts.
    const read = cur.frame(summary);
    frame = { protocol: read.protocol, summary, offset: 0, length: cur.offset, fields: read.fields, findings: read.findings, tcp: parts };
  } else frame = frameAt(cur, summary, 0);
  return {
    frame,
    complete: sound && !cur.truncated,
    srcPort,
    dstPort,
    seq,
    ack,
    flags,
    window,
    headerLength: sound ? headerLength : Math.min(bytes.length, HEADER),
    payloadOffset: sound ? headerLength : cur.offset,
    payloadLength: cur.truncated ? 0 : payloadLength,
    options,
    analysis,
    summary,
  };
}

function windowValue(window: number, flags: number, analysis: TcpAnalysis | undefined): FieldValue {
  if (!analysis) return { format: "number", value: window };
  if (flags & SYN) return { format: "number", value: window, note: "syn_window" };
  const m = analysis.windowMultiplier;
  if (m === undefined) return { format: "number", value: window, note: "scaling_unknown" };
  return m === 1 ? { format: "number", value: window } : { format: "window", value: window, scaled: analysis.windowScaled ?? window, factor: m };
}

function checksumValue(cur: Cursor, bytes: Uint8Array, transport: TransportContext | undefined, segmentLength: number): FieldValue | "" {
  const stored = be16(bytes, 16);
  if (!transport) return cur.tree ? { format: "checksum", stored, verdict: "unverified", reason: "no_ip" } : "";
  if (!checksumMatters(cur, transport.checksumsMayBeOffloaded)) return "";
  const sum =
    segmentLength <= bytes.length && transport.checksumUnverifiable === undefined
      ? onesComplementSum(bytes, 0, segmentLength, pseudoHeaderSum(transport.addressSum, IP_PROTOCOL.TCP, segmentLength))
      : undefined;
  const verdict = checkChecksum(stored, sum, transport.checksumsMayBeOffloaded ?? false, transport.checksumUnverifiable);
  if (verdict.verdict === "bad" && bytes.length >= HEADER) {
    cur.finding(x.bad_checksum, { stored: hex(stored, 2), expected: hex(verdict.expected ?? 0, 2) }, 16, 2);
  }
  return verdict;
}

/** Wireshark's Info column for a TCP segment: analysis labels, ports, flags, then the parts' items. */
function info(parts: TcpSummaryParts, analysis: TcpAnalysis | undefined): string {
  let prefix = "";
  if (analysis) {
    for (const x of analysis.findings) {
      const label = TCP_ANALYSIS_LABELS[x.code];
      if (label === undefined) continue;
      prefix += x.code === "tcp.analysis.duplicate_ack" ? `[${label} #${analysis.duplicateAck ?? 1}] ` : `[${label}] `;
    }
  }
  line = `${prefix}${parts.srcPort} → ${parts.dstPort} [${tcpFlagsText(parts.flags)}]`;
  eachSummaryItem(parts, appendItem);
  const text = line;
  line = "";
  return text;
}

function optionSpec(kind: number): FieldSpec {
  switch (kind) {
    case TCP_OPTION.MSS:
      return f["option.mss"];
    case TCP_OPTION.WSCALE:
      return f["option.wscale"];
    case TCP_OPTION.SACK_PERM:
      return f["option.sack_perm"];
    case TCP_OPTION.SACK:
      return f["option.sack"];
    case TCP_OPTION.TIMESTAMPS:
      return f["option.ts"];
  }
  return f["option.unknown"];
}

/** The length each option kind must have; SACK is 2 plus 8 per block (RFC 2018 §3: 1 to 4 blocks). */
function lengthOk(kind: number, len: number): boolean {
  switch (kind) {
    case TCP_OPTION.MSS:
      return len === 4;
    case TCP_OPTION.WSCALE:
      return len === 3;
    case TCP_OPTION.SACK_PERM:
      return len === 2;
    case TCP_OPTION.TIMESTAMPS:
      return len === 10;
    case TCP_OPTION.SACK:
      return len >= 10 && (len - 2) % 8 === 0;
  }
  return true;
}

function edgeValue(raw: number, base: number | undefined): FieldValue {
  return base === undefined ? { format: "number", value: raw } : { format: "relative", value: (raw - base) >>> 0, raw };
}

/**
 * Options from offset 20 to `end` (the data offset), into the tree and `out` (whose well-formed options give the
 * Info line its items). Each option moves on by at least one byte, so the walk ends; a bad length ends it.
 */
function walkOptions(cur: Cursor, end: number, out: TcpOption[], analysis: TcpAnalysis | undefined): void {
  const b = cur.input;
  // Names and values are for the tree; `out` is made either way.
  const tree = cur.tree;
  // The options' IANA names for the list's value (a kind number for one without a name).
  let names = "";
  cur.push(f.options);
  while (cur.offset < end && !cur.truncated) {
    const at = cur.offset;
    const kind = b[at] ?? 0;
    const name = OPTION_KIND_NAMES[kind] ?? "";
    if (tree) names += `${names ? NAME_SEPARATOR : ""}${name || kind}`;
    if (kind === TCP_OPTION.EOL || kind === TCP_OPTION.NOP) {
      cur.push(kind === TCP_OPTION.EOL ? f["option.eol"] : f["option.nop"]);
      cur.u8(f["option.kind"]);
      cur.pop();
      if (cur.truncated) break;
      out.push({ kind, value: undefined });
      if (kind === TCP_OPTION.EOL) {
        if (cur.offset < end) cur.bytes(f["options.padding"], end - cur.offset);
        break;
      }
      continue;
    }
    const spec = optionSpec(kind);
    // What an option shows when it cannot be read: its kind and IANA name.
    const named: FieldValue | undefined = tree ? { format: "named", value: kind, name } : undefined;
    cur.push(spec);
    cur.u8(f["option.kind"]);
    if (cur.truncated) {
      cur.pop(named);
      break;
    }
    if (at + 1 >= end) {
      cur.pop(named);
      cur.finding(x["option.bad_length"].no_length_byte, { kind, name, field: spec.id }, at, 1);
      break;
    }
    const len = b[at + 1] ?? 0;
    decimalOrPartial(cur, f["option.len"], 1, len);
    if (cur.truncated) {
      cur.pop(named);
      break;
    }
    if (len < 2 || at + len > end || !lengthOk(kind, len)) {
      const bad = x["option.bad_length"];
      const option = { kind, name, field: spec.id, length: len };
      if (len < 2) cur.finding(bad.too_short, option, at + 1, 1);
      else if (at + len > end) cur.finding(bad.past_end, { ...option, left: end - at }, at + 1, 1);
      else cur.finding(bad.wrong_length, option, at + 1, 1);
      const stop = len < 2 || at + len > end;
      const rest = stop ? end - cur.offset : len - 2;
      if (rest > 0) cur.bytes(f["option.data"], rest);
      cur.pop(named);
      if (stop) break;
      continue;
    }
    // The option's value; its label names it. Options without one (SACK permitted) show their length.
    let value: FieldValue | undefined;
    switch (kind) {
      case TCP_OPTION.MSS: {
        const mss = be16(b, at + 2);
        decimalOrPartial(cur, f["option.mss_val"], 2, mss);
        if (tree) value = { format: "byte_count", n: mss };
        out.push({ kind, value: mss });
        break;
      }
      case TCP_OPTION.WSCALE: {
        const shift = b[at + 2] ?? 0;
        const multiplier = 2 ** Math.min(shift, 14);
        if (tree) value = { format: "shift", value: shift, multiplier };
        itemOrPartial(cur, f["option.wscale.shift"], 1, value ?? "");
        if (shift > 14) {
          cur.finding(x["option.wscale_too_large"], { shift }, at + 2, 1);
        }
        out.push({ kind, value: shift });
        break;
      }
      case TCP_OPTION.SACK_PERM:
        out.push({ kind, value: true });
        break;
      case TCP_OPTION.SACK: {
        const blocks: TcpSackBlock[] = [];
        const base = analysis?.peerBase;
        for (let o = at + 2; o + 8 <= at + len; o += 8) {
          const left = be32(b, o);
          const right = be32(b, o + 4);
          itemOrPartial(cur, f["option.sack.le"], 4, tree ? edgeValue(left, base) : "");
          itemOrPartial(cur, f["option.sack.re"], 4, tree ? edgeValue(right, base) : "");
          blocks.push({ left, right });
        }
        if (tree) value = { format: "blocks", n: blocks.length };
        out.push({ kind, value: blocks });
        break;
      }
      case TCP_OPTION.TIMESTAMPS: {
        const tsval = be32(b, at + 2);
        const tsecr = be32(b, at + 6);
        decimalOrPartial(cur, f["option.ts.val"], 4, tsval);
        decimalOrPartial(cur, f["option.ts.ecr"], 4, tsecr);
        // Names and numbers only: it reads the same in every language.
        if (tree) value = { format: "plain", text: `TSval ${tsval}, TSecr ${tsecr}` };
        out.push({ kind, value: { tsval, tsecr } });
        break;
      }
      default:
        value = named;
        if (len > 2) {
          const data = cur.bytes(f["option.data"], len - 2);
          out.push({ kind, value: data });
        } else out.push({ kind, value: new Uint8Array(0) });
    }
    cur.pop(value);
  }
  cur.pop(tree ? { format: "options", n: cur.offset - HEADER, names } : undefined);
}
