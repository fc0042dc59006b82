// UDP header: RFC 768 (ports, length, checksum over the pseudo-header), with RFC 8200 §8.1 for IPv6, where the
// checksum is required, and RFC 768's rule that 0 over IPv4 means "no checksum" (a computed 0 is sent as 0xffff).
// Field ids follow Wireshark's packet-udp.c (udp.srcport, udp.dstport, udp.length, udp.checksum).

import { createCursor } from "./core/cursor";
import { defineFields, hex } from "./core/fields";
import { defineFindings } from "./core/findings";
import { IP_PROTOCOL, be16, checkChecksum, checksumMatters, decimalOrPartial, frameAt, itemOrPartial, onesComplementSum, pseudoHeaderSum, type TransportContext } from "./core/inet";
import type { FieldValue } from "./core/formats";
import type { DissectedFrame, TreeOptions } from "./core/types";

const f = defineFields("udp", {
  srcport: { label: "Source port", type: "u16", blurb: "The sender's port; replies go back to it." },
  dstport: { label: "Destination port", type: "u16", blurb: "The receiver's port: which program on the host gets the datagram." },
  length: {
    label: "Length",
    type: "u16",
    blurb: "The datagram's length in bytes, this 8-byte header included; the payload is this minus 8.",
  },
  checksum: {
    label: "Checksum",
    type: "u16",
    blurb: "The one's complement sum over a pseudo-header (addresses, protocol, length) and the whole datagram; 0 over IPv4 means none.",
  },
});
export const udpFields = f;

const x = defineFindings("udp", {
  missing_checksum: {
    severity: "warn",
    message:
      "The checksum is 0, which over IPv6 means none was computed; RFC 8200 §8.1 requires one, and receivers drop such datagrams.",
  },
  bad_checksum: {
    severity: "warn",
    message:
      "The checksum is {stored} but the datagram sums to {expected}: it was damaged, or the capture saw it before the network card filled the checksum in.",
  },
  bad_length: {
    severity: "error",
    forms: {
      too_short: "The length field says {length}, less than the 8-byte header itself.",
      too_long: "The length field says {length}, more than the {ipLength:bytes} the IP header leaves for UDP.",
    },
  },
  surplus: {
    severity: "note",
    message:
      "The IP payload is {extra:bytes} longer than the UDP length: those bytes are not part of the datagram (UDP options may live there).",
  },
});
export const udpFindings = x;

export interface UdpResult {
  /** The header's frame, at offset 0 of the given bytes. */
  readonly frame: DissectedFrame;
  /** Whether all 8 header bytes were there. */
  readonly complete: boolean;
  readonly srcPort: number;
  readonly dstPort: number;
  /** The length field as sent. */
  readonly length: number;
  readonly payloadOffset: number;
  /** The payload's length: the length field's, or the IP layer's when the field is wrong. */
  readonly payloadLength: number;
}

const HEADER = 8;
// RFC 768: 0 means the sender computed no checksum, which IPv4 allows; RFC 8200 §8.1: IPv6 does not.
const NO_CHECKSUM: FieldValue = Object.freeze({ format: "checksum", stored: 0, verdict: "none" });
const MISSING_CHECKSUM: FieldValue = Object.freeze({ format: "checksum", stored: 0, verdict: "missing" });

/**
 * The UDP header at the start of `bytes` (the captured part of the IP payload). `ctx` comes from the IP layer;
 * without it the length and checksum cannot be checked against anything. Never throws.
 */
export function dissectUdp(bytes: Uint8Array, ctx?: TransportContext, options?: TreeOptions): UdpResult {
  const cur = createCursor(bytes.subarray(0, HEADER), "udp", options?.tree ?? true);
  const srcPort = be16(bytes, 0);
  const dstPort = be16(bytes, 2);
  const length = be16(bytes, 4);
  const stored = be16(bytes, 6);
  decimalOrPartial(cur, f.srcport, 2, srcPort);
  decimalOrPartial(cur, f.dstport, 2, dstPort);
  decimalOrPartial(cur, f.length, 2, length);
  const ipLength = ctx?.length ?? bytes.length;
  const lengthOk = length >= HEADER && length <= ipLength;
  // The checksum covers `length` bytes when that is sound, else whatever IP says the datagram has.
  const covered = lengthOk ? length : ipLength;
  if (ctx === undefined || cur.remaining < 2) itemOrPartial(cur, f.checksum, 2, cur.tree ? { format: "checksum", stored, verdict: "unverified", reason: "no_ip" } : "");
  else if (stored === 0 && ctx.ipVersion === 4) itemOrPartial(cur, f.checksum, 2, NO_CHECKSUM);
  else if (stored === 0) {
    itemOrPartial(cur, f.checksum, 2, MISSING_CHECKSUM);
    cur.finding(x.missing_checksum, 6, 2);
  } else {
    const sum =
      covered <= bytes.length && lengthOk && ctx.checksumUnverifiable === undefined && checksumMatters(cur, ctx.checksumsMayBeOffloaded)
        ? onesComplementSum(bytes, 0, covered, pseudoHeaderSum(ctx.addressSum, IP_PROTOCOL.UDP, covered))
        : undefined;
    const verdict = checkChecksum(stored, sum, ctx.checksumsMayBeOffloaded ?? false, lengthOk ? ctx.checksumUnverifiable : "bad_length");
    itemOrPartial(cur, f.checksum, 2, verdict);
    if (verdict.verdict === "bad") {
      cur.finding(x.bad_checksum, { stored: hex(stored, 2), expected: hex(verdict.expected ?? 0, 2) }, 6, 2);
    }
  }
  const complete = !cur.truncated;
  if (complete && ctx) {
    if (!lengthOk) {
      if (length < HEADER) cur.finding(x.bad_length.too_short, { length }, 4, 2);
      else cur.finding(x.bad_length.too_long, { length, ipLength }, 4, 2);
    } else if (length < ipLength) {
      cur.finding(x.surplus, { extra: ipLength - length }, 4, 2);
    }
  }
  const payloadLength = Math.max(0, covered - HEADER);
  const summary = complete ? `${srcPort} → ${dstPort} Len=${payloadLength}` : "UDP (truncated)";
  return { frame: frameAt(cur, summary, 0), complete, srcPort, dstPort, length, payloadOffset: cur.offset, payloadLength: complete ? payloadLength : 0 };
}
