// What the tap records, before it is turned into the proto model for the browser.

import { pduFrames } from "../dissect/core/stream";
import type { DissectedFrame, Dissector, Finding } from "../dissect/core/types";
import type { TcpAnalysis } from "../dissect/tcp-analysis";

/**
 * "lost" and "timeout" happen on UDP flows only (timeline.proto EVENT_KIND_LOST, EVENT_KIND_TIMEOUT); "connect-failed" is
 * a lab client's TCP connect() that failed (EVENT_KIND_CONNECT_FAILED), the only socket event of its conversation.
 */
export type EventKind = "open" | "data" | "half-close" | "close" | "error" | "segment" | "lost" | "timeout" | "connect-failed";

/** What a segment event adds: how to read its bytes (a whole packet) and what payload it carried. */
export interface SegmentInfo {
  /** The pcap link type of the packet. */
  readonly linkType: number;
  readonly payloadLength: number;
  /**
   * The TCP analysis made when the packet was captured (relative numbers, scaled window, expert
   * findings need the connection's history, in capture order). Kept instead of the dissected tree,
   * which is rebuilt from the bytes and this when a reader asks: a tree is ~20 KB, this is ~100 bytes.
   */
  readonly analysis: TcpAnalysis | undefined;
  /** Loopback captures carry unfilled checksums: shown as unverified, not bad. */
  readonly checksumsMayBeOffloaded: boolean;
}
export type Direction = "c2s" | "s2c";

/** TCP connections and UDP flows: the same timeline, two transports. */
export type Transport = "tcp" | "udp";

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

export type Origin = "lab-client" | "external";

export interface ConversationInfo {
  readonly id: string;
  readonly transport: Transport;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly service: string;
  /** Protocol id of the dissector for this conversation's bytes. */
  readonly protocol: string;
  origin: Origin;
  /** The session that opened it, for lab clients. */
  owner: string | undefined;
  /** An external TCP client's program, once the lab host's system told it (peer-process.ts). */
  process?: { readonly pid: number; readonly command: string };
  /** An external client whose address is not the lab host's: its program cannot be named. */
  otherMachine?: boolean;
}

export interface CapturedEvent {
  /** Increases by one for every event the host records (a number: 2^53 events is more than enough). */
  readonly seq: number;
  readonly conversation: ConversationInfo;
  readonly kind: EventKind;
  /** For data: who sent the bytes. For half-close: who stopped sending. Open/close: c2s by convention. */
  readonly direction: Direction;
  /** Monotonic clock (performance.now()), milliseconds with sub-microsecond resolution. */
  readonly monoMs: number;
  readonly wallMs: number;
  readonly data: Uint8Array;
  /**
   * PDUs this event completed, for conversations a stream session dissects as they are captured (framed,
   * stateful or sniffed protocols). Undefined for protocols where one read is one PDU and no state is kept:
   * those are dissected when a reader asks (dissecting at capture time would cost the servers more than
   * everything else the tap does).
   */
  readonly pdus: readonly EventPdu[] | undefined;
  readonly errorCode: string;
  readonly errorMessage: string;
  /**
   * Data: bytes sent that way before these (known while wire capture runs, -1 otherwise).
   * Segment: where its payload sits in that stream (relative seq - 1), -1 when unknown.
   */
  readonly streamOffset: number;
  readonly segment: SegmentInfo | undefined;
  /**
   * A message of a lab client that times its own socket (client-clock.ts): the client's end of it, on the same clock
   * as monoMs. c2s: when the client wrote its first byte (before the server's read); s2c: when the client had read
   * its last byte (after the server's write). Undefined for everything else (outside programs among them).
   */
  readonly peerMs?: number;
}

/**
 * A PDU a stream session cut (server/dissect/core/stream.ts), kept with the event that completed it. Its
 * frames have no trees: a reader rebuilds them from the bytes and the memo. For a protocol with a capture pass
 * (`Dissector.capture`) the bus keeps no frames at all, only the boundaries and the memo: a reader makes the
 * summary and findings when it first needs them (`eventPduFrames`, server/lab/to-proto.ts).
 */
export interface EventPdu {
  readonly protocol: string;
  /** Who sent it: not always the event's direction (the end of a conversation flushes both). */
  readonly direction: Direction;
  /** Where its first byte sits in its direction's stream. */
  readonly streamOffset: number;
  readonly length: number;
  /** Where it lies in the event's data; -1 when its bytes came in earlier events too (then see `reassembled`). */
  readonly offsetInEvent: number;
  /** The PDU's bytes when they are not all in this event's data. */
  readonly reassembled: Uint8Array | undefined;
  /** Undefined when deferred: made from the bytes and the memo by whoever reads them. */
  readonly frames: readonly DissectedFrame[] | undefined;
  readonly memo: unknown;
  /** A finding the stream session added (`<proto>.too_long`), which a rebuilt tree must carry too. */
  readonly sessionFinding: Finding | undefined;
}

/** A PDU's bytes: in its event's data, or reassembled from earlier events. */
export function pduBytes(event: CapturedEvent, pdu: EventPdu): Uint8Array {
  return pdu.reassembled ?? event.data.subarray(pdu.offsetInEvent, pdu.offsetInEvent + pdu.length);
}

/**
 * A PDU's frames without trees (summaries, findings): those the bus kept, or, deferred, made now from the PDU's bytes
 * and memo, as the stream session would have made them at capture time.
 */
export function eventPduFrames(event: CapturedEvent, pdu: EventPdu, dissectorFor: (protocol: string) => Dissector): readonly DissectedFrame[] {
  return pdu.frames ?? pduFrames(dissectorFor(pdu.protocol), pdu, pduBytes(event, pdu));
}

/**
 * Bytes as a tap hands them over: a string stands for its UTF-8 encoding, which the ring writes
 * straight into its slab (so text a server writes is encoded once for the socket and once for the
 * ring, with no buffer in between).
 */
export type Payload = Uint8Array | string;

/** An event on its way into a ring. */
export type RecordedEvent = Omit<CapturedEvent, "data"> & { readonly data: Payload };

const EMPTY = new Uint8Array(0);
export { EMPTY as NO_BYTES };

/** "::ffff:127.0.0.1" (an IPv4 client on a dual-stack socket) is the IPv4 address students know. */
export function normalizeIp(ip: string | undefined): string {
  if (!ip) return "";
  return ip.startsWith("::ffff:") && ip.includes(".") ? ip.slice(7) : ip;
}

export function formatEndpoint(e: Endpoint): string {
  return e.ip.includes(":") ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
