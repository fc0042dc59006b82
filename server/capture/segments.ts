// Joins the wire capture's packets to the tapped conversations: each packet is dissected without a field
// tree (with one TCP analyzer for relative numbers and expert findings, as Wireshark keeps per-connection
// state), oriented by which end is a lab port of its transport, and handed to the bus by 4-tuple. A UDP
// datagram also carries a digest of its payload's first bytes, by which the bus finds the datagram event
// the tap recorded for it (UDP has no sequence numbers to place it in its flow).
//
// The two halves run on different threads in the host: the segment dissector in the capture's reader
// thread (wire-worker.ts), which sends its records across; the bus on the servers' thread, which only
// joins them. createSegmentJoiner puts the two together on one thread, for tests and tools.

import { dissectPacket } from "../dissect/packet";
import { createTcpAnalyzer, type TcpAnalysis, type TcpAnalyzer } from "../dissect/tcp-analysis";
import type { Bus, SegmentRecord } from "./bus";
import type { Packet } from "./pcap-reader";

export interface SegmentDissectorOptions {
  /** TCP ports of the lab's servers (and of the port it keeps closed). */
  readonly labPorts: ReadonlySet<number>;
  /** UDP ports of the lab's services (a multicast group's port among them). */
  readonly udpPorts?: ReadonlySet<number>;
  /** Loopback captures carry offloaded (unfilled) checksums: shown as unverified, not bad. */
  readonly loopback: boolean;
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
      const toServer = labPorts.has(flow.dstPort);
      if (!toServer && !labPorts.has(flow.srcPort)) return undefined;
      return {
        transport: "tcp",
        client: toServer ? src : dst,
        server: toServer ? dst : src,
        direction: toServer ? "c2s" : "s2c",
        wallMs,
        packet: packet.data,
        linkType: packet.linkType,
        analysis: last,
        checksumsMayBeOffloaded: options.loopback,
        payloadLength: tcp.payloadLength,
        // Relative seq 1 is the first data byte: the stream offset is one less.
        streamOffset: tcp.payloadLength > 0 && tcp.relativeSeq !== undefined ? tcp.relativeSeq - 1 : -1,
        payloadDigest: -1,
      };
    },
  };
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
