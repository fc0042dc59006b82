// The lesson's one reader of captured packets: a SEGMENT event's bytes (the whole packet, link header
// first) turned into the TCP header values the lesson explains. The layers are read by the lab's own
// dissector (server/dissect/packet.ts, the same one that builds the timeline's frames), so the lesson and
// the timeline's details agree; this file only maps its result to `TcpPacket`, and reads from the bytes
// the three header fields the dissector's summary does not carry (the reserved bits, the checksum, the
// urgent pointer). When the dissector's names change, this is the file to fix; everything else reads
// `TcpPacket`. Relative numbers are not taken from the dissector: segments.ts counts them per
// conversation from the captured SYNs.

import { dissectPacket } from "@/server/dissect/packet";
import { TCP_OPTION, type TcpOption as DissectedOption } from "@/server/dissect/tcp";

export interface TcpOption {
  /** The option's kind byte (IANA "TCP Option Kind Numbers"). */
  readonly kind: number;
  /** Bytes the option takes, kind and length included. */
  readonly length: number;
  /** MSS (2): the largest segment payload the sender wants to receive. */
  readonly mss?: number;
  /** Window scale (3): the shift count. */
  readonly shift?: number;
  /** Timestamps (8). */
  readonly tsVal?: number;
  readonly tsEcr?: number;
  /** SACK (5): blocks of raw sequence numbers [left, right). */
  readonly blocks?: readonly (readonly [number, number])[];
}

export const OPTION_KIND = {
  EOL: TCP_OPTION.EOL,
  NOP: TCP_OPTION.NOP,
  MSS: TCP_OPTION.MSS,
  WSCALE: TCP_OPTION.WSCALE,
  SACK_PERMITTED: TCP_OPTION.SACK_PERM,
  SACK: TCP_OPTION.SACK,
  TIMESTAMPS: TCP_OPTION.TIMESTAMPS,
} as const;

/** The flag bits of the TCP header's 13th byte (RFC 9293 §3.1, RFC 3168 for CWR and ECE). */
export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

export type ChecksumState = "correct" | "mismatch" | "unknown";

export interface TcpPacket {
  readonly ipVersion: 4 | 6;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** Raw, unsigned 32-bit. */
  readonly seq: number;
  readonly ack: number;
  /** In 32-bit words, as written in the header. */
  readonly dataOffset: number;
  /** The four bits after the data offset (reserved, the last one AE since RFC 9768). */
  readonly reserved: number;
  /** CWR..FIN, one bit each (TCP_FLAG). */
  readonly flags: number;
  readonly window: number;
  readonly checksum: number;
  /** Whether the checksum matches the bytes; on Linux loopback the sender leaves it unfinished (offload). */
  readonly checksumState: ChecksumState;
  readonly urgentPointer: number;
  readonly options: readonly TcpOption[];
  /** Bytes of options and padding after the 20 fixed bytes. */
  readonly optionsLength: number;
  /** The TCP payload's length, from the IP header (the capture may hold fewer bytes). */
  readonly payloadLength: number;
  /** Where the TCP header starts in the packet. */
  readonly tcpOffset: number;
}

const u16 = (b: Uint8Array, o: number) => (((b[o] ?? 0) << 8) | (b[o + 1] ?? 0)) >>> 0;

function isTimestamps(value: DissectedOption["value"]): value is { readonly tsval: number; readonly tsecr: number } {
  return typeof value === "object" && value !== null && "tsval" in value;
}

function option({ kind, value }: DissectedOption): TcpOption {
  switch (kind) {
    case OPTION_KIND.EOL:
    case OPTION_KIND.NOP:
      return { kind, length: 1 };
    case OPTION_KIND.MSS:
      return { kind, length: 4, mss: typeof value === "number" ? value : 0 };
    case OPTION_KIND.WSCALE:
      return { kind, length: 3, shift: typeof value === "number" ? value : 0 };
    case OPTION_KIND.SACK_PERMITTED:
      return { kind, length: 2 };
    case OPTION_KIND.TIMESTAMPS:
      return isTimestamps(value) ? { kind, length: 10, tsVal: value.tsval, tsEcr: value.tsecr } : { kind, length: 10 };
    case OPTION_KIND.SACK: {
      const blocks = Array.isArray(value) ? (value as readonly { left: number; right: number }[]).map((b) => [b.left, b.right] as const) : [];
      return { kind, length: 2 + 8 * blocks.length, blocks };
    }
    default:
      return { kind, length: 2 + (value instanceof Uint8Array ? value.length : 0) };
  }
}

/**
 * The checksum's verdict, from the dissector's TCP frame: a `tcp.bad_checksum` finding when the bytes do
 * not sum up (offload is not assumed, so that the lesson can say so), the field's "good" verdict when they
 * do, otherwise unknown (a capture cut short, a checksum left at 0).
 */
function checksumState(frames: ReturnType<typeof dissectPacket>["frames"]): ChecksumState {
  const tcp = frames.find((f) => f.protocol === "tcp");
  if (!tcp) return "unknown";
  if (tcp.findings.some((x) => x.code === "tcp.bad_checksum")) return "mismatch";
  const value = tcp.fields.find((n) => n.id === "tcp.checksum")?.value;
  return value?.format === "checksum" && value.verdict === "good" ? "correct" : "unknown";
}

/**
 * The TCP header of a captured packet, or undefined when the packet is not TCP over IP or is cut short
 * before the end of the TCP header. Never throws.
 */
export function readTcpPacket(linkType: number, bytes: Uint8Array): TcpPacket | undefined {
  const packet = dissectPacket(linkType, bytes, { checksumsMayBeOffloaded: false });
  const { tcp, flow, ip } = packet;
  if (!tcp || !flow || flow.transport !== "tcp" || !ip) return undefined;
  const start = tcp.payloadOffset - tcp.headerLength;
  if (start < 0 || start + tcp.headerLength > bytes.length) return undefined;
  return {
    ipVersion: ip.version,
    srcIp: flow.src,
    dstIp: flow.dst,
    srcPort: flow.srcPort,
    dstPort: flow.dstPort,
    seq: tcp.seq,
    ack: tcp.ack,
    dataOffset: tcp.headerLength / 4,
    reserved: (bytes[start + 12] ?? 0) & 0x0f,
    flags: tcp.flags & 0xff,
    window: tcp.window,
    checksum: u16(bytes, start + 16),
    checksumState: checksumState(packet.frames),
    urgentPointer: u16(bytes, start + 18),
    options: tcp.options.map(option),
    optionsLength: tcp.headerLength - 20,
    payloadLength: tcp.payloadLength,
    tcpOffset: start,
  };
}
