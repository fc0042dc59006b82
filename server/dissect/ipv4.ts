// IPv4 header: RFC 791 §3.1, with the DS field and ECN of RFC 2474 §3 and RFC 3168 §5, the header checksum of
// RFC 1071, and options walked as RFC 791 lays them out (EOL, NOP, then type-length-value). Field ids follow
// Wireshark's packet-ip.c (ip.hdr_len, ip.dsfield.dscp, ip.flags.df, ip.frag_offset, ...) under `ipv4.`.

import { addBits, createCursor, type Cursor } from "./core/cursor";
import { defineFields, hex } from "./core/fields";
import { defineFindings } from "./core/findings";
import {
  DSCP_NAMES,
  ECN_NAMES,
  IP_PROTOCOL,
  IP_PROTOCOL_NAMES,
  WORD32,
  be16,
  checkChecksum,
  checksumMatters,
  dsValue,
  frameAt,
  decimalOrPartial,
  itemOrPartial,
  ipv4Text,
  onesComplementSum,
  type TransportContext,
} from "./core/inet";
import { FLAG_SEPARATOR, NAME_SEPARATOR, type FieldValue } from "./core/formats";
import type { DissectedFrame, TreeOptions } from "./core/types";

/** RFC 791 option types, as IANA "IP Option Numbers" names them (the whole type byte: copy, class, number). */
const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: "EOL",
  1: "NOP",
  7: "Record Route",
  25: "Quick-Start",
  68: "Timestamp",
  82: "Traceroute",
  130: "Security",
  131: "Loose Source Route",
  133: "Extended Security",
  134: "Commercial IP Security (CIPSO)",
  136: "Stream ID",
  137: "Strict Source Route",
  148: "Router Alert",
};
const EOL = 0;
const NOP = 1;

const f = defineFields("ipv4", {
  version: { label: "Version", type: "u8", bitmask: 0xf0, blurb: "The IP version: 4 here. IPv6 packets start with 6." },
  hdr_len: {
    label: "Header length",
    type: "u8",
    bitmask: 0x0f,
    scale: WORD32,
    blurb: "The header's length in 32-bit words (IHL): 5 (20 bytes) without options, at most 15 (60 bytes).",
  },
  dsfield: {
    label: "Differentiated Services field",
    type: "u8",
    blurb: "How routers should treat the packet (DSCP) and whether congestion was signalled (ECN); once the Type of Service byte.",
  },
  "dsfield.dscp": {
    label: "DSCP",
    type: "u8",
    bitmask: 0xfc,
    names: DSCP_NAMES,
    blurb: "Differentiated Services Code Point: a traffic class such as EF for voice; 0 (CS0) is ordinary best effort.",
  },
  "dsfield.ecn": {
    label: "ECN",
    type: "u8",
    bitmask: 0x03,
    names: ECN_NAMES,
    blurb: "Explicit Congestion Notification: a router that is congested sets CE (3) instead of dropping the packet.",
  },
  len: { label: "Total length", type: "u16", blurb: "The whole datagram in bytes, header included; the payload is this minus the header length." },
  id: { label: "Identification", type: "u16", blurb: "Set by the sender so that the fragments of one datagram can be put back together." },
  flags: { label: "Flags", type: "u16", blurb: "Three bits about fragmentation." },
  "flags.rb": { label: "Reserved bit", type: "bool", bitmask: 0x8000, blurb: "Reserved, must be zero." },
  "flags.df": {
    label: "Don't fragment",
    type: "bool",
    bitmask: 0x4000,
    blurb: "Routers must drop the packet rather than split it; TCP sets it to discover the path MTU.",
  },
  "flags.mf": { label: "More fragments", type: "bool", bitmask: 0x2000, blurb: "Set on every fragment but the last." },
  frag_offset: {
    label: "Fragment offset",
    type: "u16",
    bitmask: 0x1fff,
    blurb: "Where this fragment's data belongs in the original datagram, in units of 8 bytes; 0 for the first.",
  },
  ttl: {
    label: "Time to live",
    type: "u8",
    blurb: "Each router subtracts 1 and drops the packet at 0, so a routing loop cannot keep it alive forever. Linux starts at 64.",
  },
  proto: { label: "Protocol", type: "u8", names: IP_PROTOCOL_NAMES, blurb: "What the payload is: 6 for TCP, 17 for UDP, 1 for ICMP." },
  checksum: {
    label: "Header checksum",
    type: "u16",
    blurb: "The one's complement sum of the header's 16-bit words (RFC 1071); routers recompute it as they lower the TTL.",
  },
  src: { label: "Source address", type: "bytes", blurb: "The sender's IPv4 address." },
  dst: { label: "Destination address", type: "bytes", blurb: "The receiver's IPv4 address." },
  options: { label: "Options", type: "none", blurb: "Optional header fields, rare today; the header length counts them." },
  option: { label: "Option", type: "none", blurb: "One option: a type byte, and for most types a length byte and data." },
  "option.type": {
    label: "Type",
    type: "u8",
    names: OPTION_NAMES,
    blurb: "Which option: the top bit says whether fragments copy it, the next two its class, the low five its number.",
  },
  "option.len": { label: "Length", type: "u8", blurb: "The option's length in bytes, type and length bytes included." },
  "option.data": { label: "Data", type: "bytes", blurb: "The option's data, shown as bytes." },
  "options.padding": {
    label: "Padding",
    type: "bytes",
    blurb: "Bytes after End of Options List, filling the header to a multiple of 4 bytes.",
  },
});
export const ipv4Fields = f;

const x = defineFindings("ipv4", {
  bad_version: { severity: "error", message: "The version field says {version}, not 4: these bytes are not an IPv4 header." },
  bad_header_length: {
    severity: "error",
    message:
      "The header length is {words:words} ({bytes:bytes}), less than the 20 bytes every IPv4 header has; where the payload starts is unknown.",
  },
  bad_checksum: {
    severity: "warn",
    message:
      "The header checksum is {stored} but the header sums to {expected}: the header was damaged, or the capture saw it before the network card filled it in.",
  },
  reserved_bit_set: { severity: "note", message: "The reserved flag bit is set; RFC 791 says it must be zero." },
  zero_total_length: {
    severity: "note",
    message:
      "The total length is 0: the card splits this large segment and fills in each length (segmentation offload). The captured length is used.",
  },
  bad_total_length: {
    severity: "error",
    message: "The total length ({totalLength}) is less than the header length ({headerLength}): the datagram cannot hold its own header.",
  },
  length_beyond_capture: {
    severity: "warn",
    message:
      "The total length is {totalLength:bytes}, but only {captured} were captured: the capture cut the packet short (its snapshot length), or the length is wrong.",
  },
  fragment: {
    severity: "note",
    forms: {
      more: "A fragment (offset {offset:bytes}, more follow): the lab does not reassemble IP fragments, so its payload is shown as data.",
      last: "A fragment (offset {offset:bytes}, the last): the lab does not reassemble IP fragments, so its payload is shown as data.",
    },
  },
  // An option by its type, and its IANA name when it has one.
  "option.bad_length": {
    severity: "error",
    forms: {
      no_length_byte: "Option type {type}[ ({name})] has no room for its length byte before the header ends.",
      too_short: "Option type {type}[ ({name})] says its length is {length}; it is at least 2 (the type and length bytes).",
      past_end: "Option type {type}[ ({name})] says it is {length:bytes} long, past the header's end ({left:bytes} left).",
    },
  },
});
export const ipv4Findings = x;
// Bit fields read together, one word each (module constants, so a packet allocates no arrays for them).
const FIRST_BYTE = [f.version, f.hdr_len] as const;
const DS_BITS = [f["dsfield.dscp"], f["dsfield.ecn"]] as const;
const FLAG_BITS = [f["flags.rb"], f["flags.df"], f["flags.mf"]] as const;
const FRAG_OFFSET = [f.frag_offset] as const;

export interface Ipv4Options extends TreeOptions {
  /** Checksums may be partial (loopback or checksum-offload captures): a wrong one is "unverified", not bad. */
  readonly checksumsMayBeOffloaded?: boolean;
}

export interface Ipv4Result {
  /** The header's frame, at offset 0 of the given bytes. */
  readonly frame: DissectedFrame;
  readonly version: number;
  /** Total length as the header gives it (the captured length when it says 0); 0 when cut short. */
  readonly totalLength: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
  /** Where the payload starts, and its length by the header. */
  readonly payloadOffset: number;
  readonly payloadLength: number;
  /** Where the datagram ends in the given bytes: anything after it is the link layer's trailer. */
  readonly end: number;
  /** A fragment of a larger datagram (More fragments set, or a nonzero offset). */
  readonly fragment: boolean;
  /** Set when the payload is a whole transport segment for the next dissector (not a fragment, header sound). */
  readonly transport: TransportContext | undefined;
}

const MIN_HEADER = 20;

/** The three flag bits' value by their value (`0x2 (Don't fragment)`), naming the set ones by their fields. */
const FLAGS_VALUES: readonly FieldValue[] = Array.from({ length: 8 }, (_, bits) =>
  Object.freeze({
    format: "flags",
    value: bits,
    digits: 1,
    set: FLAG_BITS.filter((spec) => ((bits << 13) & (spec.bitmask ?? 0)) !== 0)
      .map((spec) => spec.id)
      .join(FLAG_SEPARATOR),
  }),
);

/** The IPv4 header at the start of `bytes`; the datagram may run on into a link trailer. Never throws. */
export function dissectIpv4(bytes: Uint8Array, options?: Ipv4Options): Ipv4Result {
  const first = bytes[0] ?? 0;
  const ihl = first & 0x0f;
  const headerLength = ihl * 4;
  // The cursor ends at the header's end, so reading past it (or past the capture) is `ipv4.truncated`.
  const cur = createCursor(bytes.subarray(0, ihl >= 5 ? headerLength : MIN_HEADER), "ipv4", options?.tree ?? true);
  const [version] = cur.bits(1, FIRST_BYTE);
  if (cur.truncated) return result(cur, "IPv4 (truncated)", bytes);
  if (version !== 4) {
    cur.finding(x.bad_version, { version }, 0, 1);
    return result(cur, `Not IPv4 (version ${version})`, bytes);
  }
  if (ihl < 5) {
    cur.finding(x.bad_header_length, { words: ihl, bytes: headerLength }, 0, 1);
  }
  const ds = bytes[1] ?? 0;
  cur.push(f.dsfield);
  addBits(cur, 1, DS_BITS);
  cur.pop(dsValue(ds));
  let totalLength = be16(bytes, 2);
  decimalOrPartial(cur, f.len, 2, totalLength);
  itemOrPartial(cur, f.id, 2, cur.tree ? { format: "hex", value: be16(bytes, 4), digits: 4 } : "");
  const fragWord = be16(bytes, 6);
  if (cur.remaining >= 2) {
    cur.push(f.flags);
    addBits(cur, 2, FLAG_BITS);
    cur.pop(FLAGS_VALUES[(fragWord >>> 13) & 7]);
    cur.back(2);
    addBits(cur, 2, FRAG_OFFSET);
  } else cur.bytes(f.flags, 2);
  const ttl = bytes[8] ?? 0;
  decimalOrPartial(cur, f.ttl, 1, ttl);
  const protocol = cur.u8(f.proto);
  const stored = be16(bytes, 10);
  const offloaded = options?.checksumsMayBeOffloaded ?? false;
  const sound = ihl >= 5 && bytes.length >= headerLength;
  const verdict = checkChecksum(
    stored,
    sound && checksumMatters(cur, offloaded) ? onesComplementSum(bytes, 0, headerLength) : undefined,
    offloaded,
    ihl < 5 ? "bad_header_length" : undefined,
  );
  itemOrPartial(cur, f.checksum, 2, verdict);
  if (verdict.verdict === "bad") {
    cur.finding(x.bad_checksum, { stored: hex(stored, 2), expected: hex(verdict.expected ?? 0, 2) }, 10, 2);
  }
  const src = ipv4Text(bytes, 12);
  const dst = ipv4Text(bytes, 16);
  itemOrPartial(cur, f.src, 4, src);
  itemOrPartial(cur, f.dst, 4, dst);
  if (cur.truncated) return result(cur, bytes.length >= MIN_HEADER ? `Src: ${src}, Dst: ${dst} (truncated)` : "IPv4 (truncated)", bytes);
  if (headerLength > MIN_HEADER) walkOptions(cur, headerLength);
  const summary = `Src: ${src}, Dst: ${dst}, Protocol: ${IP_PROTOCOL_NAMES[protocol] ?? protocol}`;
  if (cur.truncated || ihl < 5) return result(cur, summary, bytes, totalLength, ttl, protocol, src, dst);

  if (fragWord & 0x8000) {
    cur.finding(x.reserved_bit_set, 6, 2);
  }
  if (totalLength === 0) {
    // What a capture on the sending host sees of a segment the card will split (TCP segmentation offload).
    cur.finding(x.zero_total_length, 2, 2);
    totalLength = bytes.length;
  } else if (totalLength < headerLength) {
    cur.finding(x.bad_total_length, { totalLength, headerLength }, 2, 2);
    return result(cur, summary, bytes, totalLength, ttl, protocol, src, dst);
  } else if (totalLength > bytes.length) {
    cur.finding(x.length_beyond_capture, { totalLength, captured: bytes.length }, 2, 2);
  }
  const fragment = (fragWord & 0x3fff) !== 0;
  let transport: TransportContext | undefined;
  if (fragment) {
    cur.finding(fragWord & 0x2000 ? x.fragment.more : x.fragment.last, { offset: (fragWord & 0x1fff) * 8 }, 6, 2);
  } else if (protocol === IP_PROTOCOL.TCP || protocol === IP_PROTOCOL.UDP) {
    transport = {
      ipVersion: 4,
      addressSum: onesComplementSum(bytes, 12, 20),
      length: totalLength - headerLength,
      checksumsMayBeOffloaded: offloaded,
    };
  }
  const frame = frameAt(cur, summary, 0);
  return {
    frame,
    version,
    totalLength,
    ttl,
    protocol,
    src,
    dst,
    payloadOffset: headerLength,
    payloadLength: totalLength - headerLength,
    end: Math.min(totalLength, bytes.length),
    fragment,
    transport,
  };
}

/** The result when the payload cannot be dissected: everything after the header read is undissected. */
function result(
  cur: Cursor,
  summary: string,
  bytes: Uint8Array,
  totalLength = 0,
  ttl = 0,
  protocol = -1,
  src = "",
  dst = "",
): Ipv4Result {
  const frame = frameAt(cur, summary, 0);
  const version = (bytes[0] ?? 0) >>> 4;
  const end = totalLength >= frame.length ? Math.min(totalLength, bytes.length) : bytes.length;
  return {
    frame,
    version,
    totalLength,
    ttl,
    protocol,
    src,
    dst,
    payloadOffset: frame.length,
    payloadLength: end - frame.length,
    end,
    fragment: false,
    transport: undefined,
  };
}

/** An option by its type byte and its IANA name ("" when it has none). */
function optionName(type: number): FieldValue {
  return { format: "named", value: type, name: OPTION_NAMES[type] ?? "" };
}

/** RFC 791 §3.1 options, from offset 20 to the header's end; each one moves on, so the walk ends. */
function walkOptions(cur: Cursor, end: number): void {
  const b = cur.input;
  const tree = cur.tree;
  cur.push(f.options);
  // The options' names for the list's value (a number for one without a name), made only for a tree.
  let names = "";
  while (cur.offset < end && !cur.truncated) {
    const at = cur.offset;
    const type = b[at] ?? 0;
    const name = OPTION_NAMES[type] ?? "";
    if (tree) names += `${names ? NAME_SEPARATOR : ""}${name || type}`;
    cur.push(f.option);
    cur.u8(f["option.type"]);
    if (cur.truncated) {
      cur.pop(tree ? optionName(type) : undefined);
      break;
    }
    if (type === EOL || type === NOP) {
      cur.pop(tree ? optionName(type) : undefined);
      if (type === EOL) {
        if (cur.offset < end) cur.bytes(f["options.padding"], end - cur.offset);
        break;
      }
      continue;
    }
    if (at + 1 >= end) {
      cur.pop(tree ? optionName(type) : undefined);
      cur.finding(x["option.bad_length"].no_length_byte, { type, name }, at, 1);
      break;
    }
    const len = b[at + 1] ?? 0;
    decimalOrPartial(cur, f["option.len"], 1, len);
    if (cur.truncated) {
      cur.pop(tree ? optionName(type) : undefined);
      break;
    }
    if (len < 2 || at + len > end) {
      if (len < 2) cur.finding(x["option.bad_length"].too_short, { type, name, length: len }, at + 1, 1);
      else cur.finding(x["option.bad_length"].past_end, { type, name, length: len, left: end - at }, at + 1, 1);
      if (cur.offset < end) cur.bytes(f["option.data"], end - cur.offset);
      cur.pop(tree ? optionName(type) : undefined);
      break;
    }
    if (len > 2) cur.bytes(f["option.data"], len - 2);
    cur.pop(tree ? { format: "option", value: type, name, n: len } : undefined);
  }
  cur.pop(tree ? { format: "options", n: cur.offset - MIN_HEADER, names } : undefined);
}
