// Joins the wire capture's packets to the tapped conversations: each packet is read for its flow and numbers
// (the common Ethernet + IPv4 + TCP packet straight from its header fields, any other dissected without a field
// tree) with one TCP analyzer for relative numbers and expert findings, as Wireshark keeps per-connection
// state; oriented by which end is a lab port of its transport, and handed to the bus by 4-tuple. A UDP
// datagram also carries a digest of its payload's first bytes, by which the bus finds the datagram event
// the tap recorded for it (UDP has no sequence numbers to place it in its flow).
//
// The two halves run on different threads in the host: the segment dissector in the capture's reader
// thread (wire-worker.ts), which sends its records across; the bus on the servers' thread, which only
// joins them. createSegmentJoiner puts the two together on one thread, for tests and tools.

import { dissectPacket } from "../dissect/packet";
import { scanWindowScale } from "../dissect/tcp";
import { createTcpAnalyzer, TCP_FLAGS, type TcpAnalysis, type TcpAnalyzer, type TcpSegment } from "../dissect/tcp-analysis";
import type { Bus, SegmentRecord } from "./bus";
import type { Packet } from "./pcap-reader";

export interface SegmentDissectorOptions {
  /** TCP ports of the lab's servers (and of the port it keeps closed). */
  readonly labPorts: ReadonlySet<number>;
  /** UDP ports of the lab's services (a multicast group's port among them). */
  readonly udpPorts?: ReadonlySet<number>;
  /** Loopback captures carry offloaded (unfilled) checksums: shown as unverified, not bad. */
  readonly loopback: boolean;
  /**
   * Read the common packet (Ethernet, IPv4 without options or fragments, a whole TCP header) from its header
   * fields instead of dissecting it (default true): the record is the same (segments.test.ts), for a third of the
   * reader's time per packet. Anything else is dissected.
   */
  readonly lean?: boolean;
}

export interface SegmentDissector {
  /** The record the bus joins, or undefined for a packet that is not TCP or UDP to or from a lab port of its transport. */
  dissect(packet: Packet): SegmentRecord | undefined;
}

const NO_PORTS: ReadonlySet<number> = new Set();

/** Payload bytes a datagram's digest covers: enough to tell one datagram from the next, cheap on the servers' thread. */
export const DIGEST_BYTES = 64;

/**
 * A datagram's payload as the bus matches it to the tap's event: FNV-1a (32 bits) over its length and its
 * first DIGEST_BYTES bytes. Two datagrams of one flow that differ only past those bytes may be matched to
 * each other's events; they are told apart by order, which the capture and the tap both keep.
 */
export function payloadDigest(bytes: Uint8Array, length = bytes.length): number {
  let h = Math.imul(0x811c9dc5 ^ (length & 0xffff), 0x01000193);
  h = Math.imul(h ^ (length >>> 16), 0x01000193);
  const n = Math.min(bytes.length, DIGEST_BYTES);
  for (let i = 0; i < n; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

const ETHERNET = 1;
const IPV4_AT = 14;
const TCP_AT = IPV4_AT + 20;

/**
 * What the analyzer needs of a common TCP packet, read from the header fields: Ethernet with IPv4 (no VLAN tag),
 * a 20-byte IPv4 header (no options), not a fragment, a total length the capture holds, and a TCP header whose
 * options are well formed. Undefined for anything else, which dissectPacket reads (and says what is odd about it).
 */
function commonTcp(linkType: number, b: Uint8Array): (TcpSegment & { readonly headerLength: number }) | undefined {
  if (linkType !== ETHERNET || b.length < TCP_AT + 20 || b[12] !== 0x08 || b[13] !== 0x00) return undefined;
  if (b[IPV4_AT] !== 0x45 || b[IPV4_AT + 9] !== 6) return undefined;
  const total = (b[IPV4_AT + 2]! << 8) | b[IPV4_AT + 3]!;
  if (total < 40 || IPV4_AT + total > b.length || (((b[IPV4_AT + 6]! << 8) | b[IPV4_AT + 7]!) & 0x3fff) !== 0) return undefined;
  const headerLength = (b[TCP_AT + 12]! >>> 4) * 4;
  if (headerLength < 20 || 20 + headerLength > total) return undefined;
  for (let i = TCP_AT + 20, end = TCP_AT + headerLength; i < end; ) {
    const kind = b[i]!;
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    const len = b[i + 1] ?? 0;
    if (len < 2 || i + len > end) return undefined;
    i += len;
  }
  const flags = ((b[TCP_AT + 12]! << 8) | b[TCP_AT + 13]!) & 0x0fff;
  return {
    src: `${b[IPV4_AT + 12]}.${b[IPV4_AT + 13]}.${b[IPV4_AT + 14]}.${b[IPV4_AT + 15]}`,
    dst: `${b[IPV4_AT + 16]}.${b[IPV4_AT + 17]}.${b[IPV4_AT + 18]}.${b[IPV4_AT + 19]}`,
    srcPort: (b[TCP_AT]! << 8) | b[TCP_AT + 1]!,
    dstPort: (b[TCP_AT + 2]! << 8) | b[TCP_AT + 3]!,
    seq: ((b[TCP_AT + 4]! << 24) | (b[TCP_AT + 5]! << 16) | (b[TCP_AT + 6]! << 8) | b[TCP_AT + 7]!) >>> 0,
    ack: ((b[TCP_AT + 8]! << 24) | (b[TCP_AT + 9]! << 16) | (b[TCP_AT + 10]! << 8) | b[TCP_AT + 11]!) >>> 0,
    flags,
    window: (b[TCP_AT + 14]! << 8) | b[TCP_AT + 15]!,
    payloadLength: total - 20 - headerLength,
    windowScale: flags & TCP_FLAGS.SYN ? scanWindowScale(b.subarray(TCP_AT, TCP_AT + headerLength), headerLength) : undefined,
    headerLength,
  };
}

/** Tracked TCP connections at most; the analyzer forgets the oldest first. */
const MAX_CONNECTIONS = 16_384;

export function createSegmentDissector(options: SegmentDissectorOptions): SegmentDissector {
  const { labPorts } = options;
  const udpPorts = options.udpPorts ?? NO_PORTS;
  const analyzer = createTcpAnalyzer({ maxConnections: MAX_CONNECTIONS });
  // The analysis of the packet being dissected, kept with the event (see SegmentInfo.analysis).
  let last: TcpAnalysis | undefined;
  const recording: TcpAnalyzer = {
    analyze(segment) {
      last = analyzer.analyze(segment);
      return last;
    },
    get size() {
      return analyzer.size;
    },
  };
  return {
    dissect(packet) {
      const wallMs = Number(packet.timestampNs) / 1e6;
      last = undefined;
      const common = options.lean === false ? undefined : commonTcp(packet.linkType, packet.data);
      if (common) {
        // Analysed before the ports are looked at, as dissectPacket does.
        const analysis = analyzer.analyze({
          src: common.src,
          dst: common.dst,
          srcPort: common.srcPort,
          dstPort: common.dstPort,
          seq: common.seq,
          ack: common.ack,
          flags: common.flags,
          window: common.window,
          payloadLength: common.payloadLength,
          windowScale: common.windowScale,
          time: wallMs / 1000,
        });
        return tcpRecord(packet, wallMs, common, analysis, common.payloadLength);
      }
      // No trees: the joiner needs the flow, the numbers and the analysis; a reader rebuilds the tree.
      const result = dissectPacket(packet.linkType, packet.data, {
        analyzer: recording,
        checksumsMayBeOffloaded: options.loopback,
        time: wallMs / 1000,
        tree: false,
      });
      const { flow, tcp, udp } = result;
      if (!flow) return undefined;
      const src = { ip: flow.src, port: flow.srcPort };
      const dst = { ip: flow.dst, port: flow.dstPort };
      if (flow.transport === "udp") {
        if (!udp) return undefined;
        const toServer = udpPorts.has(flow.dstPort);
        if (!toServer && !udpPorts.has(flow.srcPort)) return undefined;
        const payload = packet.data.subarray(udp.payloadOffset, udp.payloadOffset + udp.payloadLength);
        return {
          transport: "udp",
          client: toServer ? src : dst,
          server: toServer ? dst : src,
          direction: toServer ? "c2s" : "s2c",
          wallMs,
          packet: packet.data,
          linkType: packet.linkType,
          analysis: undefined,
          checksumsMayBeOffloaded: options.loopback,
          payloadLength: udp.payloadLength,
          // The bus places the datagram in its flow, by the tap's event with the same payload.
          streamOffset: -1,
          // A capture cut short (snap length) has fewer bytes than the datagram: no digest to match.
          payloadDigest: payload.length === udp.payloadLength ? payloadDigest(payload) : -1,
        };
      }
      if (flow.transport !== "tcp" || !tcp) return undefined;
      return tcpRecord(packet, wallMs, flow, last, tcp.payloadLength);
    },
  };

  /** A TCP packet's record, oriented by which end is a lab port; undefined when neither is. */
  function tcpRecord(
    packet: Packet,
    wallMs: number,
    flow: { readonly src: string; readonly dst: string; readonly srcPort: number; readonly dstPort: number },
    analysis: TcpAnalysis | undefined,
    payloadLength: number,
  ): SegmentRecord | undefined {
    const toServer = labPorts.has(flow.dstPort);
    if (!toServer && !labPorts.has(flow.srcPort)) return undefined;
    const src = { ip: flow.src, port: flow.srcPort };
    const dst = { ip: flow.dst, port: flow.dstPort };
    return {
      transport: "tcp",
      client: toServer ? src : dst,
      server: toServer ? dst : src,
      direction: toServer ? "c2s" : "s2c",
      wallMs,
      packet: packet.data,
      linkType: packet.linkType,
      analysis,
      checksumsMayBeOffloaded: options.loopback,
      payloadLength,
      // Relative seq 1 is the first data byte: the stream offset is one less.
      streamOffset: payloadLength > 0 && analysis !== undefined ? analysis.relativeSeq - 1 : -1,
      payloadDigest: -1,
    };
  }
}

export interface SegmentJoinerOptions extends SegmentDissectorOptions {
  readonly bus: Bus;
}

export interface SegmentJoiner {
  push(packet: Packet): void;
  /** Packets seen, and those joined to a conversation (the rest had none, or were not TCP). */
  readonly stats: { readonly seen: number; readonly joined: number };
}

/** The dissector and the bus on one thread. */
export function createSegmentJoiner(options: SegmentJoinerOptions): SegmentJoiner {
  const dissector = createSegmentDissector(options);
  const stats = { seen: 0, joined: 0 };
  return {
    stats,
    push(packet) {
      stats.seen++;
      const record = dissector.dissect(packet);
      if (record && options.bus.segment(record)) stats.joined++;
    },
  };
}
