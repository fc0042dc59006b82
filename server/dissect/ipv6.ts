// IPv6 header and extension headers: RFC 8200 §3 (fixed header), §4 (extension headers: Hop-by-Hop Options 0,
// Routing 43, Fragment 44, Destination Options 60, walked in order up to the upper-layer header), with the traffic
// class split as RFC 2474 and RFC 3168 do, and addresses written as RFC 5952 says. Field ids follow Wireshark's
// packet-ipv6.c (ipv6.tclass, ipv6.flow, ipv6.plen, ipv6.nxt, ipv6.hlim, ...).

import { addBits, createCursor, type Cursor } from "./core/cursor";
import { defineFields, hex } from "./core/fields";
import { defineFindings } from "./core/findings";
import {
  DSCP_NAMES,
  ECN_NAMES,
  IP_PROTOCOL,
  IP_PROTOCOL_NAMES,
  be16,
  be32,
  dsValue,
  frameAt,
  decimalOrPartial,
  itemOrPartial,
  ipv6Text,
  onesComplementSum,
  type TransportContext,
} from "./core/inet";
import type { FieldValue } from "./core/formats";
import type { DissectedFrame, FieldSpec, TreeOptions } from "./core/types";

/** Hop-by-Hop and Destination option types (IANA "Destination Options and Hop-by-Hop Options"). */
const OPTION_NAMES: Readonly<Record<number, string>> = {
  0x00: "Pad1",
  0x01: "PadN",
  0x04: "Tunnel Encapsulation Limit",
  0x05: "Router Alert",
  0x07: "CALIPSO",
  0x08: "SMF_DPD",
  0x26: "Quick-Start",
  0x31: "IOAM",
  0x63: "RPL Option",
  0x6d: "MPL Option",
  0xc2: "Jumbo Payload",
  0xc9: "Home Address",
};
const PAD1 = 0;

const ROUTING_TYPES: Readonly<Record<number, string>> = {
  0: "Type 0 (deprecated)",
  2: "Type 2 (Mobile IPv6)",
  3: "RPL Source Route",
  4: "Segment Routing (SRH)",
};

const f = defineFields("ipv6", {
  version: { label: "Version", type: "u32", bitmask: 0xf0000000, blurb: "The IP version: 6 here." },
  tclass: {
    label: "Traffic class",
    type: "u8",
    blurb: "IPv4's DS field under a new name: how routers should treat the packet (DSCP) and congestion marks (ECN).",
  },
  "tclass.dscp": {
    label: "DSCP",
    type: "u32",
    bitmask: 0x0fc00000,
    names: DSCP_NAMES,
    blurb: "Differentiated Services Code Point: a traffic class such as EF for voice; 0 (CS0) is ordinary best effort.",
  },
  "tclass.ecn": {
    label: "ECN",
    type: "u32",
    bitmask: 0x00300000,
    names: ECN_NAMES,
    blurb: "Explicit Congestion Notification: a router that is congested sets CE (3) instead of dropping the packet.",
  },
  flow: {
    label: "Flow label",
    type: "u32",
    bitmask: 0x000fffff,
    blurb: "A number the sender gives the packets of one flow (Linux: per connection), so routers can keep them on one path.",
  },
  plen: {
    label: "Payload length",
    type: "u16",
    blurb: "Bytes after the 40-byte fixed header, extension headers included. Unlike IPv4, the header is not counted.",
  },
  nxt: {
    label: "Next header",
    type: "u8",
    names: IP_PROTOCOL_NAMES,
    blurb: "What follows the fixed header: an extension header, or the payload's protocol (6 TCP, 17 UDP, 58 ICMPv6).",
  },
  hlim: { label: "Hop limit", type: "u8", blurb: "IPv4's TTL under a new name: each router subtracts 1 and drops the packet at 0." },
  src: { label: "Source address", type: "bytes", blurb: "The sender's IPv6 address, written as RFC 5952 says (::1 is loopback)." },
  dst: { label: "Destination address", type: "bytes", blurb: "The receiver's IPv6 address." },
  hopopts: {
    label: "Hop-by-Hop Options",
    type: "none",
    blurb: "Options every router on the path must look at (such as Router Alert); when present, it comes first.",
  },
  routing: { label: "Routing header", type: "none", blurb: "Routers the packet must visit on its way, such as a segment routing list." },
  fraghdr: {
    label: "Fragment header",
    type: "none",
    blurb: "Only the sender fragments in IPv6; this header says where the fragment belongs.",
  },
  dstopts: { label: "Destination Options", type: "none", blurb: "Options only the destination looks at." },
  "ext.nxt": { label: "Next header", type: "u8", names: IP_PROTOCOL_NAMES, blurb: "What follows this extension header." },
  "ext.len": {
    label: "Length",
    type: "u8",
    blurb: "The header's length in 8-byte units, not counting the first 8 bytes: 0 means 8 bytes.",
  },
  opt: { label: "Option", type: "none", blurb: "One option: a type byte, a length byte (the data's length) and data; Pad1 is one byte." },
  "opt.type": {
    label: "Type",
    type: "u8",
    names: OPTION_NAMES,
    blurb: "Which option; its top two bits say what a node that does not know it must do (skip it, or drop the packet).",
  },
  "opt.len": { label: "Length", type: "u8", blurb: "The option's data length in bytes, not counting the type and length bytes." },
  "opt.data": { label: "Data", type: "bytes", blurb: "The option's data (zeros for PadN, which only aligns what follows)." },
  "routing.type": { label: "Routing type", type: "u8", names: ROUTING_TYPES, blurb: "Which kind of routing header." },
  "routing.segleft": { label: "Segments left", type: "u8", blurb: "How many listed routers the packet has still to visit." },
  "routing.data": { label: "Data", type: "bytes", blurb: "The rest of the routing header: its type's data, such as the address list." },
  "fraghdr.reserved": { label: "Reserved", type: "u8", blurb: "Reserved, zero." },
  "fraghdr.offset": {
    label: "Fragment offset",
    type: "u16",
    bitmask: 0xfff8,
    blurb: "Where this fragment's data belongs in the original packet, in units of 8 bytes.",
  },
  "fraghdr.res": { label: "Reserved bits", type: "u16", bitmask: 0x0006, blurb: "Reserved, zero." },
  "fraghdr.more": { label: "More fragments", type: "bool", bitmask: 0x0001, blurb: "Set on every fragment but the last." },
  "fraghdr.ident": { label: "Identification", type: "u32", blurb: "The same on all fragments of one packet." },
});
export const ipv6Fields = f;

const x = defineFindings("ipv6", {
  bad_version: { severity: "error", message: "The version field says {version}, not 6: these bytes are not an IPv6 header." },
  zero_payload_length: {
    severity: "note",
    message:
      "The payload length is 0 but bytes follow: the card splits this large segment and fills in each length (segmentation offload), or it is a jumbogram. The captured length is used.",
  },
  length_beyond_capture: {
    severity: "warn",
    message:
      "The payload length is {payloadLength:bytes}, but only {captured} were captured after the header: the capture cut the packet short (its snapshot length), or the length is wrong.",
  },
  too_many_extension_headers: { severity: "error", message: "More than {max} extension headers; the rest is not read." },
  hopopts_not_first: {
    severity: "warn",
    message: "A Hop-by-Hop Options header must come right after the fixed header (RFC 8200 §4.1).",
  },
  fragment: { severity: "note", message: "A fragment: the lab does not reassemble IPv6 fragments, so its payload is shown as data." },
  // An option by its type (in hex, as RFC 8200 writes them), and its IANA name when it has one.
  "opt.bad_length": {
    severity: "error",
    forms: {
      no_length_byte: "Option type {type}[ ({name})] has no room for its length byte before the header ends.",
      past_end: "Option type {type}[ ({name})] says it has {length:bytes} of data, past the header's end ({left} left).",
    },
  },
});
export const ipv6Findings = x;
// Bit fields read together, one word each (module constants, so a packet allocates no arrays for them).
const VERSION = [f.version] as const;
const TCLASS_BITS = [f["tclass.dscp"], f["tclass.ecn"]] as const;
const FRAGMENT_BITS = [f["fraghdr.offset"], f["fraghdr.res"], f["fraghdr.more"]] as const;

export interface Ipv6Options extends TreeOptions {
  readonly checksumsMayBeOffloaded?: boolean;
}

export interface Ipv6Result {
  /** The frame for the fixed header and extension headers, at offset 0 of the given bytes. */
  readonly frame: DissectedFrame;
  readonly version: number;
  readonly hopLimit: number;
  /** The upper-layer protocol (the last Next Header); -1 when the header chain was cut short. */
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
  /** Where the upper-layer payload starts, and its length by the header. */
  readonly payloadOffset: number;
  readonly payloadLength: number;
  /** Where the packet ends in the given bytes: anything after it is the link layer's trailer. */
  readonly end: number;
  /** A fragment of a larger packet (a Fragment header with More set or a nonzero offset). */
  readonly fragment: boolean;
  readonly transport: TransportContext | undefined;
}

const FIXED_HEADER = 40;
/** Each extension header is at least 8 bytes, so a packet holds at most 8191; a sane one a handful. */
const MAX_EXTENSION_HEADERS = 32;

function extensionSpec(nxt: number): FieldSpec | undefined {
  switch (nxt) {
    case IP_PROTOCOL.HOPOPT:
      return f.hopopts;
    case IP_PROTOCOL.ROUTING:
      return f.routing;
    case IP_PROTOCOL.FRAGMENT:
      return f.fraghdr;
    case IP_PROTOCOL.DSTOPTS:
      return f.dstopts;
  }
  return undefined;
}

/** The IPv6 header and its extension headers at the start of `bytes`. Never throws. */
export function dissectIpv6(bytes: Uint8Array, options?: Ipv6Options): Ipv6Result {
  const plen = be16(bytes, 4);
  let nxt = bytes[6] ?? 0;
  // A payload length of 0 with bytes after the header: a segmentation-offload capture (or a jumbogram).
  const zeroLength = plen === 0 && nxt !== IP_PROTOCOL.NONE && bytes.length > FIXED_HEADER;
  const declaredEnd = zeroLength ? bytes.length : FIXED_HEADER + plen;
  const cur = createCursor(bytes.subarray(0, declaredEnd), "ipv6", options?.tree ?? true);
  const word = be32(bytes, 0);
  const [version] = cur.bits(4, VERSION);
  if (cur.truncated) return result(cur, "IPv6 (truncated)", bytes, "", "");
  if (version !== 6) {
    cur.finding(x.bad_version, { version }, 0, 4);
    return result(cur, `Not IPv6 (version ${version})`, bytes, "", "");
  }
  cur.back(4);
  cur.push(f.tclass);
  addBits(cur, 4, TCLASS_BITS);
  cur.pop(dsValue((word >>> 20) & 0xff));
  cur.back(4);
  cur.item(f.flow, 4, cur.tree ? { format: "hex", value: word & 0xfffff, digits: 5 } : "", 0x000fffff);
  decimalOrPartial(cur, f.plen, 2, plen);
  cur.u8(f.nxt);
  const hopLimit = bytes[7] ?? 0;
  decimalOrPartial(cur, f.hlim, 1, hopLimit);
  const src = ipv6Text(bytes, 8);
  const dst = ipv6Text(bytes, 24);
  itemOrPartial(cur, f.src, 16, src);
  itemOrPartial(cur, f.dst, 16, dst);
  if (cur.truncated) return result(cur, "IPv6 (truncated)", bytes, "", "");

  if (zeroLength) {
    cur.finding(x.zero_payload_length, 4, 2);
  } else if (declaredEnd > bytes.length) {
    cur.finding(x.length_beyond_capture, { payloadLength: plen, captured: bytes.length - FIXED_HEADER }, 4, 2);
  }

  let fragment = false;
  let routed = false;
  let count = 0;
  for (let spec = extensionSpec(nxt); spec !== undefined && !cur.truncated; spec = extensionSpec(nxt)) {
    const at = cur.offset;
    if (count === MAX_EXTENSION_HEADERS) {
      cur.finding(x.too_many_extension_headers, { max: MAX_EXTENSION_HEADERS }, at, 0);
      nxt = -1;
      break;
    }
    if (nxt === IP_PROTOCOL.HOPOPT && count > 0) {
      cur.finding(x.hopopts_not_first, at, 0);
    }
    count++;
    const next = bytes[at] ?? 0;
    cur.push(spec);
    cur.u8(f["ext.nxt"]);
    if (nxt === IP_PROTOCOL.FRAGMENT) {
      cur.u8(f["fraghdr.reserved"]);
      const fragWord = be16(bytes, at + 2);
      addBits(cur, 2, FRAGMENT_BITS);
      itemOrPartial(cur, f["fraghdr.ident"], 4, cur.tree ? { format: "hex", value: be32(bytes, at + 4), digits: 8 } : "");
      // Offset 0 without More is an atomic fragment (RFC 6946): the whole packet, to be read as such.
      const offset = fragWord & 0xfff8;
      const more = (fragWord & 1) !== 0;
      if (offset !== 0 || more) fragment = true;
      cur.pop(cur.tree ? { format: "fragment", offset, more } : undefined);
    } else {
      const len = ((bytes[at + 1] ?? 0) + 1) * 8;
      itemOrPartial(cur, f["ext.len"], 1, cur.tree ? { format: "byte_length", n: len, raw: bytes[at + 1] ?? 0 } : "");
      if (nxt === IP_PROTOCOL.ROUTING) {
        cur.u8(f["routing.type"]);
        const left = bytes[at + 3] ?? 0;
        decimalOrPartial(cur, f["routing.segleft"], 1, left);
        // RFC 8200 §8.1: the pseudo-header then holds the final destination, which this header encodes by type.
        if (left > 0) routed = true;
        cur.bytes(f["routing.data"], len - 4);
      } else walkOptions(cur, at + len);
      cur.pop();
    }
    nxt = next;
  }
  const protocol = cur.truncated ? -1 : nxt;
  const payloadOffset = cur.offset;
  const payloadLength = Math.max(0, declaredEnd - payloadOffset);
  let transport: TransportContext | undefined;
  if (fragment) {
    cur.finding(x.fragment);
  } else if (!cur.truncated && (protocol === IP_PROTOCOL.TCP || protocol === IP_PROTOCOL.UDP)) {
    transport = {
      ipVersion: 6,
      addressSum: onesComplementSum(bytes, 8, 40),
      length: payloadLength,
      checksumsMayBeOffloaded: options?.checksumsMayBeOffloaded ?? false,
      checksumUnverifiable: routed ? "routing" : undefined,
    };
  }
  const summary = `Src: ${src}, Dst: ${dst}, Next header: ${IP_PROTOCOL_NAMES[protocol] ?? protocol}`;
  return {
    frame: frameAt(cur, summary, 0),
    version,
    hopLimit,
    protocol,
    src,
    dst,
    payloadOffset,
    payloadLength,
    end: Math.min(declaredEnd, bytes.length),
    fragment,
    transport,
  };
}

function result(cur: Cursor, summary: string, bytes: Uint8Array, src: string, dst: string): Ipv6Result {
  const frame = frameAt(cur, summary, 0);
  const version = (bytes[0] ?? 0) >>> 4;
  return {
    frame,
    version,
    hopLimit: bytes[7] ?? 0,
    protocol: -1,
    src,
    dst,
    payloadOffset: frame.length,
    payloadLength: bytes.length - frame.length,
    end: bytes.length,
    fragment: false,
    transport: undefined,
  };
}

/** An option by its type (in hex, as RFC 8200 writes them) and its IANA name ("" when it has none). */
function optionName(type: number): FieldValue {
  return { format: "named", value: type, name: OPTION_NAMES[type] ?? "", digits: 2 };
}

/** RFC 8200 §4.2 options, up to `end` (the header's end by its length); each one moves on, so the walk ends. */
function walkOptions(cur: Cursor, end: number): void {
  const b = cur.input;
  const tree = cur.tree;
  while (cur.offset < end && !cur.truncated) {
    const at = cur.offset;
    const type = b[at] ?? 0;
    const name = OPTION_NAMES[type] ?? "";
    cur.push(f.opt);
    cur.u8(f["opt.type"]);
    if (cur.truncated) {
      cur.pop(tree ? optionName(type) : undefined);
      break;
    }
    if (type === PAD1) {
      cur.pop(tree ? optionName(type) : undefined);
      continue;
    }
    if (at + 1 >= end) {
      cur.pop(tree ? optionName(type) : undefined);
      cur.finding(x["opt.bad_length"].no_length_byte, { type: hex(type, 1), name }, at, 1);
      break;
    }
    const len = b[at + 1] ?? 0;
    decimalOrPartial(cur, f["opt.len"], 1, len);
    if (cur.truncated) {
      cur.pop(tree ? optionName(type) : undefined);
      break;
    }
    if (at + 2 + len > end) {
      cur.finding(x["opt.bad_length"].past_end, { type: hex(type, 1), name, length: len, left: end - at - 2 }, at + 1, 1);
      if (cur.offset < end) cur.bytes(f["opt.data"], end - cur.offset);
      cur.pop(tree ? optionName(type) : undefined);
      break;
    }
    if (len > 0) cur.bytes(f["opt.data"], len);
    // The whole option: type and length bytes and data, as IPv4's options count theirs.
    cur.pop(tree ? { format: "option", value: type, name, n: len + 2, digits: 2 } : undefined);
  }
}
