// Helpers shared by the link, IPv4, IPv6, UDP and TCP dissectors: the Internet checksum (RFC 1071) and the
// transport pseudo-header (RFC 9293 §3.1, RFC 768, RFC 8200 §8.1), IP protocol numbers (IANA "Assigned Internet
// Protocol Numbers") and addresses as text (RFC 5952 §4 for IPv6, IEEE 802 colon form for MAC addresses).

import { addItem, type Cursor, type NodeValue } from "./cursor";
import { hex } from "./fields";
import type { ChecksumReason, FieldValue } from "./formats";
import type { DissectedFrame, FieldSpec } from "./types";

/** What a network layer tells the transport layer above it. */
export interface TransportContext {
  readonly ipVersion: 4 | 6;
  /** Sum of the pseudo-header's addresses (`addressSum`), for checksum verification. */
  readonly addressSum: number;
  /** The transport segment's length as the IP header gives it; the captured bytes may be fewer. */
  readonly length: number;
  /**
   * Checksums may be left for a network card to fill in (checksum offload), so a capture taken on the sending host
   * sees partial ones. Linux loopback captures always do: say "unverified", not "bad". Set by the capture.
   */
  readonly checksumsMayBeOffloaded?: boolean;
  /** Why the checksum cannot be verified, when the network layer knows (a routing header hides the final address). */
  readonly checksumUnverifiable?: ChecksumReason;
}

/**
 * Adds bytes[start, end) as big-endian 16-bit words (an odd last byte is padded with zero) to `sum`, unfolded
 * (RFC 1071 §4.1). A whole IP datagram stays far below 2^32, so plain numbers do.
 */
export function onesComplementSum(bytes: Uint8Array, start: number, end: number, sum = 0): number {
  const stop = Math.min(end, bytes.length);
  let i = start;
  for (; i + 1 < stop; i += 2) sum += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
  if (i < stop) sum += (bytes[i] as number) << 8;
  return sum;
}

/** Folds a sum to 16 bits with end-around carry. */
export function foldSum(sum: number): number {
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
  return sum;
}

/** The pseudo-header's sum: addresses, protocol and length (RFC 9293 §3.1; RFC 8200 §8.1 puts both in 32 bits). */
export function pseudoHeaderSum(addressSum: number, protocol: number, length: number): number {
  return addressSum + protocol + Math.floor(length / 0x10000) + (length % 0x10000);
}

/** A checksum field's value: what it holds, the verdict, and what it should hold when that was computed. */
export type ChecksumValue = Extract<FieldValue, { readonly format: "checksum" }>;

/**
 * The verdict on a stored checksum. `sum` is the one's complement sum over everything it covers, the stored
 * checksum included, or undefined when not all of that was captured (`why` says why, when it is not that). A sum
 * that folds to 0xffff is good; a wrong one is "unverified" when the field is 0 (nothing was filled in) or
 * offload is possible, else "bad".
 */
export function checkChecksum(stored: number, sum: number | undefined, offloaded: boolean, why?: ChecksumReason): ChecksumValue {
  if (sum === undefined) return { format: "checksum", stored, verdict: "unverified", reason: why ?? "not_captured" };
  if (foldSum(sum) === 0xffff) return { format: "checksum", stored, verdict: "good" };
  // The checksum that makes the sum 0xffff: the complement of the sum without the stored value. UDP sends a
  // computed 0 as 0xffff (RFC 768), since 0 there means "no checksum"; both are the same in one's complement.
  const computed = ~foldSum(sum - stored) & 0xffff;
  const expected = computed === 0 ? 0xffff : computed;
  if (stored === 0) return { format: "checksum", stored, verdict: "unverified", expected, reason: "zero" };
  if (offloaded) return { format: "checksum", stored, verdict: "unverified", expected, reason: "offload" };
  return { format: "checksum", stored, verdict: "bad", expected };
}

/**
 * Whether a checksum's verdict can show anywhere. With a tree it is the field's display; without one, only
 * an "incorrect" verdict shows (as a finding), and a checksum that may be offloaded is never called incorrect,
 * so it need not be summed.
 */
export function checksumMatters(cur: Cursor, offloaded: boolean | undefined): boolean {
  return cur.tree || !offloaded;
}

/** IANA protocol numbers (the IPv4 Protocol and IPv6 Next Header fields share them). */
export const IP_PROTOCOL = {
  HOPOPT: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  ROUTING: 43,
  FRAGMENT: 44,
  ICMPV6: 58,
  NONE: 59,
  DSTOPTS: 60,
} as const;

export const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0: "IPv6 Hop-by-Hop Options",
  1: "ICMP",
  2: "IGMP",
  4: "IPv4-in-IP",
  6: "TCP",
  17: "UDP",
  41: "IPv6-in-IP",
  43: "IPv6 Routing",
  44: "IPv6 Fragment",
  47: "GRE",
  50: "ESP",
  51: "AH",
  58: "ICMPv6",
  59: "No Next Header",
  60: "IPv6 Destination Options",
  89: "OSPF",
  103: "PIM",
  112: "VRRP",
  132: "SCTP",
  136: "UDP-Lite",
});

/** DSCP code points (RFC 2474, RFC 2597, RFC 3246, RFC 5865, RFC 8622). */
export const DSCP_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0: "CS0",
  1: "LE",
  8: "CS1",
  10: "AF11",
  12: "AF12",
  14: "AF13",
  16: "CS2",
  18: "AF21",
  20: "AF22",
  22: "AF23",
  24: "CS3",
  26: "AF31",
  28: "AF32",
  30: "AF33",
  32: "CS4",
  34: "AF41",
  36: "AF42",
  38: "AF43",
  40: "CS5",
  44: "VOICE-ADMIT",
  46: "EF",
  48: "CS6",
  56: "CS7",
});

/** ECN code points (RFC 3168 §5). */
export const ECN_NAMES: Readonly<Record<number, string>> = Object.freeze({ 0: "Not-ECT", 1: "ECT(1)", 2: "ECT(0)", 3: "CE" });

// Names and hex only, so a plain value: it reads the same in every language.
const DS_VALUES: readonly FieldValue[] = Array.from({ length: 256 }, (_, ds) => {
  const dscp = ds >>> 2;
  return Object.freeze({ format: "plain", text: `${hex(ds, 1)} (DSCP: ${DSCP_NAMES[dscp] ?? String(dscp)}, ECN: ${ECN_NAMES[ds & 3] ?? ""})` });
});

/** `0x00 (DSCP: CS0, ECN: Not-ECT)`: the DS field (or IPv6 traffic class) as Wireshark sums it up. */
export function dsValue(ds: number): FieldValue {
  return DS_VALUES[ds & 0xff] as FieldValue;
}

/** Bytes in one unit of the 4-bit length fields counted in 32-bit words (IPv4 IHL, TCP data offset). */
export const WORD32 = 4;

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** `127.0.0.1` from the 4 bytes at `o`. */
export function ipv4Text(b: Uint8Array, o: number): string {
  return `${b[o] ?? 0}.${b[o + 1] ?? 0}.${b[o + 2] ?? 0}.${b[o + 3] ?? 0}`;
}

/**
 * The 16 bytes at `o` in RFC 5952's canonical form: lowercase, no leading zeros, the longest run of two or more
 * zero groups (the first, on a tie) as `::`, and IPv4-mapped addresses as `::ffff:192.0.2.1` (§5).
 */
export function ipv6Text(b: Uint8Array, o: number): string {
  let mapped = (b[o + 10] ?? 0) === 0xff && (b[o + 11] ?? 0) === 0xff;
  for (let i = 0; mapped && i < 10; i++) if ((b[o + i] ?? 0) !== 0) mapped = false;
  if (mapped) return `::ffff:${ipv4Text(b, o + 12)}`;
  let bestStart = -1;
  let bestLength = 1; // a lone zero group stays "0" (§4.2.2)
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    if ((b[o + 2 * g] ?? 0) === 0 && (b[o + 2 * g + 1] ?? 0) === 0) {
      if (runStart < 0) runStart = g;
      if (g - runStart + 1 > bestLength) {
        bestLength = g - runStart + 1;
        bestStart = runStart;
      }
    } else runStart = -1;
  }
  let out = "";
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      out += "::";
      g += bestLength - 1;
      continue;
    }
    if (out.length > 0 && out.charCodeAt(out.length - 1) !== 0x3a) out += ":";
    out += (((b[o + 2 * g] ?? 0) << 8) | (b[o + 2 * g + 1] ?? 0)).toString(16);
  }
  return out;
}

/** `00:1a:2b:3c:4d:5e` from the `n` bytes at `o`. */
export function macText(b: Uint8Array, o: number, n = 6): string {
  let out = "";
  for (let i = 0; i < n; i++) out += i ? `:${HEX2[b[o + i] ?? 0]}` : HEX2[b[o + i] ?? 0];
  return out;
}

/**
 * The same bytes as a plain Uint8Array view. Performance: a Node Buffer's subarray goes through Buffer's
 * constructor (several times the cost of a Uint8Array's), and a dissector takes one per layer and field; viewing
 * the bytes once as a plain Uint8Array makes them all cheap. Nothing is copied.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The big-endian 16-bit word at `o` (0 past the end). */
export function be16(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
}

/** The big-endian 32-bit word at `o`, unsigned (0 past the end). */
export function be32(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}

/**
 * The frame for what `cur` read, placed at `at` within the packet: its length is the bytes read, so a header
 * read from the start of a longer buffer covers just itself. Field and finding offsets stay frame-relative.
 */
export function frameAt(cur: Cursor, summary: string, at: number): DissectedFrame {
  const f = cur.frame(summary);
  return { protocol: f.protocol, summary, offset: at, length: cur.offset, fields: f.fields, findings: f.findings };
}

/**
 * `cur.item(spec, n, value)` when all `n` bytes are there; otherwise the bytes that are, in hex and marked
 * cut short, so a value computed from missing bytes is never shown.
 */
export function itemOrPartial(cur: Cursor, spec: FieldSpec, n: number, value: NodeValue): void {
  if (cur.remaining >= n) addItem(cur, spec, n, value);
  else cur.bytes(spec, n);
}

/** itemOrPartial for a number shown in decimal; the value is made only by a cursor that keeps a tree. */
export function decimalOrPartial(cur: Cursor, spec: FieldSpec, n: number, value: number): void {
  itemOrPartial(cur, spec, n, cur.tree ? { format: "number", value } : "");
}
