// The UDP header (RFC 768) of one datagram a lab client sent or received, for the lesson's diagram: its four
// 16-bit fields and the 8 bytes they are. With wire capture on, the values and bytes are the captured packet's,
// read by the lab's own packet dissector (server/dissect/packet.ts), with the IP layer's TTL and addresses;
// without it, the lab knows exactly what the socket API tells (both ports, and the payload's length, so the length
// field is 8 + that), and the checksum, which only the kernel computed, stays unknown: nothing is made up.

import { Direction } from "@/gen/lab/v1/timeline_pb";
import type { Conversation } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "@/app/_components/timeline/batch";
import { dissectPacket } from "@/server/dissect/packet";

export const UDP_HEADER_BYTES = 8;
export const UDP_FIELDS = ["srcPort", "dstPort", "length", "checksum"] as const;
export type UdpFieldId = (typeof UDP_FIELDS)[number];

export interface UdpHeaderView {
  /** "packet": read from a captured packet; "socket": from the socket API's facts, the checksum unknown. */
  readonly source: "packet" | "socket";
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly length: number;
  /** Undefined when no packet was captured. */
  readonly checksum: number | undefined;
  /** The 8 header bytes; the checksum's two are undefined when unknown. */
  readonly bytes: readonly (number | undefined)[];
  /** The datagram's payload length. */
  readonly payloadLength: number;
  /** The IP TTL (IPv4) or hop limit (IPv6) of the captured packet. */
  readonly ttl: number | undefined;
  readonly ipVersion: 4 | 6 | undefined;
}

const be16 = (b: Uint8Array, o: number) => ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);

/** Which bytes of the header a field is: each field is two bytes, in order. */
export function fieldBytes(id: UdpFieldId): readonly [number, number] {
  const at = UDP_FIELDS.indexOf(id) * 2;
  return [at, at + 1];
}

/** The header as a captured packet (a SEGMENT event's first bytes) carries it; undefined if it is not UDP. */
export function headerFromPacket(linkType: number, packet: Uint8Array): UdpHeaderView | undefined {
  const dissected = dissectPacket(linkType, packet, { tree: false });
  const { udp, flow, ip } = dissected;
  if (!udp || !flow || flow.transport !== "udp" || !ip) return undefined;
  const start = udp.payloadOffset - UDP_HEADER_BYTES;
  if (start < 0 || start + UDP_HEADER_BYTES > packet.length) return undefined;
  const bytes = Array.from(packet.subarray(start, start + UDP_HEADER_BYTES));
  return {
    source: "packet",
    srcIp: flow.src,
    dstIp: flow.dst,
    srcPort: flow.srcPort,
    dstPort: flow.dstPort,
    length: be16(packet, start + 4),
    checksum: be16(packet, start + 6),
    bytes,
    payloadLength: udp.payloadLength,
    ttl: ip.version === 4 ? ip.ttl : ip.hopLimit,
    ipVersion: ip.version,
  };
}

/** What the socket API tells about a datagram event: both ends and the payload's length. */
export function headerFromSocket(conversation: Conversation, event: Pick<TimelineEvent, "direction" | "length">): UdpHeaderView {
  const c2s = event.direction === Direction.CLIENT_TO_SERVER;
  const client = conversation.client;
  const server = conversation.server;
  const src = c2s ? client : server;
  const dst = c2s ? server : client;
  const srcPort = src?.port ?? 0;
  const dstPort = dst?.port ?? 0;
  const length = UDP_HEADER_BYTES + event.length;
  return {
    source: "socket",
    srcIp: src?.ip ?? "",
    dstIp: dst?.ip ?? "",
    srcPort,
    dstPort,
    length,
    checksum: undefined,
    bytes: [srcPort >> 8, srcPort & 0xff, dstPort >> 8, dstPort & 0xff, (length >> 8) & 0xff, length & 0xff, undefined, undefined],
    payloadLength: event.length,
    ttl: undefined,
    ipVersion: undefined,
  };
}
