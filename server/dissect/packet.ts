// A captured packet, layer by layer: link header (link.ts), IPv4 or IPv6, TCP or UDP, then the payload as data,
// and the link trailer when the frame is longer than the IP datagram. This plays the part of Wireshark's "frame"
// dissector: it calls the layers below the transport directly (they are fixed by the packet format), while the
// application protocols are read from the socket events' bytes by each conversation's stream session.
//
// Each frame's `offset` is where its layer starts in the packet; field and finding offsets inside a frame are
// relative to that frame, as for every dissector (types.ts), so a field's place in the packet is
// frame.offset + field.offset.

import { createCursor } from "./core/cursor";
import { defineFindings } from "./core/findings";
import type { DissectedFrame } from "./core/types";
import { dataDissector } from "./core/registry";
import { IP_PROTOCOL, plainBytes, type TransportContext } from "./core/inet";
import { ETHERTYPE, dissectLink, dissectLinkTrailer, isSupportedLinkType } from "./link";
import { dissectIpv4, type Ipv4Result } from "./ipv4";
import { dissectIpv6, type Ipv6Result } from "./ipv6";
import { dissectTcp, isTcpFrame, type TcpFrame, type TcpOption } from "./tcp";
import { dissectUdp } from "./udp";
import type { TcpAnalyzer } from "./tcp-analysis";

export interface PacketOptions {
  /** Keeps TCP connection state across packets: relative numbers, scaled windows, expert findings. */
  readonly analyzer?: TcpAnalyzer;
  /** Set by the capture for loopback (and offloading interfaces): wrong checksums read "unverified". */
  readonly checksumsMayBeOffloaded?: boolean;
  /** Capture time in seconds, for the analyzer's timing rules. */
  readonly time?: number;
  /**
   * False: every frame, summary, finding and field of the result but the frames' field trees (TreeOptions), for
   * readers that follow connections or list packets. Trees are built unless this is false.
   */
  readonly tree?: boolean;
}

/** The conversation a segment belongs to, as the timeline joins them. */
export interface PacketFlow {
  readonly ipVersion: 4 | 6;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly transport: "tcp" | "udp";
}

export interface PacketIp {
  readonly version: 4 | 6;
  /** IPv4's total length (the datagram, header included). */
  readonly totalLength?: number;
  /** Bytes after all IP headers (extension headers too): the transport segment, by the header's lengths. */
  readonly payloadLength: number;
  readonly ttl?: number;
  readonly hopLimit?: number;
  /** The upper-layer protocol (6 TCP, 17 UDP, 58 ICMPv6); -1 when the header chain was cut short. */
  readonly protocol: number;
}

export interface PacketTcp {
  readonly seq: number;
  readonly ack: number;
  readonly relativeSeq?: number;
  readonly relativeAck?: number;
  readonly flags: number;
  readonly window: number;
  readonly windowScaled?: number;
  readonly headerLength: number;
  /** Where the segment's data starts in the packet. */
  readonly payloadOffset: number;
  /** Data bytes the segment carried (by the IP length; a short capture holds fewer). */
  readonly payloadLength: number;
  readonly options: TcpOption[];
}

export interface PacketUdp {
  readonly length: number;
  readonly payloadOffset: number;
  readonly payloadLength: number;
}

export interface DissectedPacket {
  /** One per layer, in order; the payload is a `data` frame, absent when empty. */
  readonly frames: DissectedFrame[];
  /** Like Wireshark's Info column: `54321 → 8888 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 ...`. */
  readonly summary: string;
  readonly flow?: PacketFlow;
  readonly ip?: PacketIp;
  readonly tcp?: PacketTcp;
  readonly udp?: PacketUdp;
}

/** Findings of the packet as a whole, under the `data` protocol that shows what no layer reads. */
const x = defineFindings("data", {
  unsupported_link_type: {
    severity: "note",
    message: "Link type {linkType} is not one the lab reads (Ethernet, Linux cooked, raw IP, BSD loopback).",
  },
});
export const packetFindings = x;

function placed(frame: DissectedFrame, offset: number): DissectedFrame {
  // The frame's own properties, in their order, with the offset replaced: a literal rather than a spread.
  if (offset === 0) return frame;
  const { protocol, summary, length, fields, findings } = frame;
  if (!isTcpFrame(frame)) return { protocol, summary, offset, length, fields, findings };
  const tcp: TcpFrame = { protocol, summary, offset, length, fields, findings, tcp: frame.tcp };
  return tcp;
}

function dataFrame(bytes: Uint8Array, start: number, end: number, tree: boolean): DissectedFrame | undefined {
  if (end <= start) return undefined;
  const frame = dataDissector.dissect(bytes.subarray(start, end), { direction: "c2s", tree })[0];
  return frame && placed(frame, start);
}

const TRUNCATED = ".truncated";

/** Wireshark marks a packet "[Malformed Packet]" when a read runs past the end: here, a `<proto>.truncated` finding. */
function malformed(frames: readonly DissectedFrame[], summary: string): string {
  for (const frame of frames) {
    for (const x of frame.findings) if (x.code.endsWith(TRUNCATED)) return `${summary} [Malformed Packet]`;
  }
  return summary;
}

interface Network {
  src: string;
  dst: string;
  /** Absolute offsets: where the transport starts and the datagram ends. */
  payloadStart: number;
  end: number;
  transport: TransportContext | undefined;
  fragment: boolean;
  ip: PacketIp;
  summary: string;
}

/** What the transport layer needs of either IP version's header, which starts at `start` in the packet. */
function network(r: Ipv4Result | Ipv6Result, start: number, ip: PacketIp): Network {
  return {
    src: r.src,
    dst: r.dst,
    payloadStart: start + r.payloadOffset,
    end: start + r.end,
    transport: r.transport,
    fragment: r.fragment,
    ip,
    summary: r.frame.summary,
  };
}

/**
 * Dissects one captured packet of the given pcap LINKTYPE. Never throws: malformed and truncated packets give
 * the frames that could be read, with findings.
 */
export function dissectPacket(linkType: number, input: Uint8Array, options?: PacketOptions): DissectedPacket {
  const bytes = plainBytes(input);
  const frames: DissectedFrame[] = [];
  const tree = options?.tree ?? true;
  if (!isSupportedLinkType(linkType)) {
    const cur = createCursor(bytes, "data", tree);
    cur.finding(x.unsupported_link_type, { linkType }, 0, 0);
    const data = dataFrame(bytes, 0, bytes.length, tree);
    const frame = data ? { ...data, findings: cur.findings.concat(data.findings) } : cur.frame("(empty)");
    return { frames: [frame], summary: `Link type ${linkType}` };
  }
  const link = dissectLink(linkType, bytes, { tree });
  if (link.frame) frames.push(link.frame);
  const start = link.headerLength;
  const offloaded = options?.checksumsMayBeOffloaded ?? false;

  let net: Network | undefined;
  if (link.etherType === ETHERTYPE.IPV4) {
    const r = dissectIpv4(bytes.subarray(start), { checksumsMayBeOffloaded: offloaded, tree });
    frames.push(placed(r.frame, start));
    net = network(r, start, { version: 4, totalLength: r.totalLength, payloadLength: r.payloadLength, ttl: r.ttl, protocol: r.protocol });
  } else if (link.etherType === ETHERTYPE.IPV6) {
    const r = dissectIpv6(bytes.subarray(start), { checksumsMayBeOffloaded: offloaded, tree });
    frames.push(placed(r.frame, start));
    net = network(r, start, { version: 6, payloadLength: r.payloadLength, hopLimit: r.hopLimit, protocol: r.protocol });
  }
  if (!net) {
    // Not IP (ARP, LLDP, 802.3 with LLC...), or the link header was cut short: the rest is data.
    const data = dataFrame(bytes, start, bytes.length, tree);
    if (data) frames.push(data);
    return { frames, summary: malformed(frames, link.frame?.summary ?? "") };
  }

  const ip = net.ip;
  let summary = net.summary;
  let dataStart = net.payloadStart;
  let flow: PacketFlow | undefined;
  let tcp: PacketTcp | undefined;
  let udp: PacketUdp | undefined;
  const segment = bytes.subarray(net.payloadStart, net.end);
  if (net.transport && ip.protocol === IP_PROTOCOL.TCP) {
    const r = dissectTcp(segment, { transport: net.transport, analyzer: options?.analyzer, src: net.src, dst: net.dst, time: options?.time, tree });
    frames.push(placed(r.frame, net.payloadStart));
    summary = r.summary;
    dataStart = net.payloadStart + r.frame.length;
    if (segment.length >= 4) flow = { ipVersion: ip.version, src: net.src, dst: net.dst, srcPort: r.srcPort, dstPort: r.dstPort, transport: "tcp" };
    if (r.complete) {
      const a = r.analysis;
      tcp = {
        seq: r.seq,
        ack: r.ack,
        relativeSeq: a?.relativeSeq,
        relativeAck: a?.relativeAck,
        flags: r.flags,
        window: r.window,
        windowScaled: a?.windowScaled,
        headerLength: r.headerLength,
        payloadOffset: net.payloadStart + r.payloadOffset,
        payloadLength: r.payloadLength,
        options: r.options,
      };
    }
  } else if (net.transport && ip.protocol === IP_PROTOCOL.UDP) {
    const r = dissectUdp(segment, net.transport, { tree });
    frames.push(placed(r.frame, net.payloadStart));
    summary = r.frame.summary;
    dataStart = net.payloadStart + r.frame.length;
    if (segment.length >= 4) flow = { ipVersion: ip.version, src: net.src, dst: net.dst, srcPort: r.srcPort, dstPort: r.dstPort, transport: "udp" };
    if (r.complete) udp = { length: r.length, payloadOffset: net.payloadStart + r.payloadOffset, payloadLength: r.payloadLength };
  } else if (net.fragment) {
    summary = `IP fragment, ${net.summary}`;
  }
  const data = dataFrame(bytes, dataStart, net.end, tree);
  if (data) frames.push(data);
  const trailer = dissectLinkTrailer(linkType, bytes, net.end, { tree });
  if (trailer) frames.push(trailer);
  return { frames, summary: malformed(frames, summary), flow, ip, tcp, udp };
}
