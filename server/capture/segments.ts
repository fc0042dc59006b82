// Joins the wire capture's packets to the tapped conversations: each packet is dissected without a field
// tree (with one TCP analyzer for relative numbers and expert findings, as Wireshark keeps per-connection
// state), oriented by which end is a lab port, and handed to the bus by 4-tuple.
//
// The two halves run on different threads in the host: the segment dissector in the capture's reader
// thread (wire-worker.ts), which sends its records across; the bus on the servers' thread, which only
// joins them. createSegmentJoiner puts the two together on one thread, for tests and tools.

import { dissectPacket } from "../dissect/packet";
import { createTcpAnalyzer, type TcpAnalysis, type TcpAnalyzer } from "../dissect/tcp-analysis";
import type { Bus, SegmentRecord } from "./bus";
import type { Packet } from "./pcap-reader";

export interface SegmentDissectorOptions {
  /** Ports of the lab's servers (and of the port it keeps closed). */
  readonly labPorts: ReadonlySet<number>;
  /** Loopback captures carry offloaded (unfilled) checksums: shown as unverified, not bad. */
  readonly loopback: boolean;
}

export interface SegmentDissector {
  /** The record the bus joins, or undefined for a packet that is not TCP to or from a lab port. */
  dissect(packet: Packet): SegmentRecord | undefined;
}

/** Tracked TCP connections at most; the analyzer forgets the oldest first. */
const MAX_CONNECTIONS = 16_384;

export function createSegmentDissector(options: SegmentDissectorOptions): SegmentDissector {
  const { labPorts } = options;
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
      const { flow, tcp } = result;
      if (!flow || flow.transport !== "tcp" || !tcp) return undefined;
      const toServer = labPorts.has(flow.dstPort);
      if (!toServer && !labPorts.has(flow.srcPort)) return undefined;
      const src = { ip: flow.src, port: flow.srcPort };
      const dst = { ip: flow.dst, port: flow.dstPort };
      return {
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
