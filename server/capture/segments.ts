// Joins the wire capture's packets to the tapped conversations: each packet is dissected without a field
// tree (with one TCP analyzer for relative numbers and expert findings, as Wireshark keeps per-connection
// state), oriented by which end is a lab port, and handed to the bus by 4-tuple.

import { dissectPacket } from "../dissect/packet";
import { createTcpAnalyzer, type TcpAnalysis, type TcpAnalyzer } from "../dissect/tcp-analysis";
import type { Bus } from "./bus";
import type { Packet } from "./pcap-reader";

export interface SegmentJoinerOptions {
  readonly bus: Bus;
  /** Ports of the lab's servers (and of the port it keeps closed). */
  readonly labPorts: ReadonlySet<number>;
  /** Loopback captures carry offloaded (unfilled) checksums: shown as unverified, not bad. */
  readonly loopback: boolean;
}

export interface SegmentJoiner {
  push(packet: Packet): void;
  /** Packets seen, and those joined to a conversation (the rest had none, or were not TCP). */
  readonly stats: { readonly seen: number; readonly joined: number };
}

export function createSegmentJoiner(options: SegmentJoinerOptions): SegmentJoiner {
  const { bus, labPorts } = options;
  const analyzer = createTcpAnalyzer({ maxConnections: 16_384 });
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
  const stats = { seen: 0, joined: 0 };
  return {
    stats,
    push(packet) {
      stats.seen++;
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
      if (!flow || flow.transport !== "tcp" || !tcp) return;
      const toServer = labPorts.has(flow.dstPort);
      if (!toServer && !labPorts.has(flow.srcPort)) return;
      const src = { ip: flow.src, port: flow.srcPort };
      const dst = { ip: flow.dst, port: flow.dstPort };
      const joined = bus.segment({
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
      });
      if (joined) stats.joined++;
    },
  };
}
