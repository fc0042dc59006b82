// How the capture's reader thread hands segments (and UDP datagrams) to the servers' thread: many SegmentRecords packed in
// one ArrayBuffer, which is transferred, not copied. A record's numbers sit in a fixed row of doubles, its
// packet bytes in the data area after the rows; the rare parts that are not numbers (addresses, expert
// findings) travel beside the buffer, the addresses once per batch. Structured cloning the records as
// objects would cost the servers' thread about a microsecond per packet and a few objects more to collect.
//
// Also the messages the two threads exchange (wire.ts on the host's side, wire-worker.ts in the thread).

import type { Finding } from "../dissect/core/types";
import type { TcpAnalysis } from "../dissect/tcp-analysis";
import type { SegmentRecord } from "./bus";

// One record's row. An absent number is NaN (no field holds NaN otherwise).
const DIRECTION = 0; // 0 c2s, 1 s2c
const CLIENT_IP = 1; // index into the batch's addresses
const CLIENT_PORT = 2;
const SERVER_IP = 3;
const SERVER_PORT = 4;
const WALL_MS = 5;
const LINK_TYPE = 6;
const PAYLOAD_LENGTH = 7;
const STREAM_OFFSET = 8;
const PACKET_START = 9; // byte offset of the packet in the buffer
const PACKET_LENGTH = 10;
const FLAGS = 11; // HAS_ANALYSIS | OFFLOADED | UDP
const RELATIVE_SEQ = 12;
const RELATIVE_ACK = 13;
const PEER_BASE = 14;
const WINDOW_SCALED = 15;
const WINDOW_MULTIPLIER = 16;
const DUPLICATE_ACK = 17;
const PAYLOAD_DIGEST = 18;
const ROW = 19;
const ROW_BYTES = ROW * 8;

const HAS_ANALYSIS = 1;
const OFFLOADED = 2;
const UDP = 4;

/** One batch as it crosses threads: `buffer` is transferred; the rest is structured-cloned (small). */
export interface SegmentBatch {
  readonly buffer: ArrayBuffer;
  readonly count: number;
  /** The addresses the rows point at, each once. */
  readonly ips: string[];
  /** Expert findings of the records that have any, by record index: most have none. */
  readonly findings: [number, Finding[]][];
}

export interface BatchWriter {
  add(record: SegmentRecord): void;
  readonly count: number;
  /** Packet bytes added so far. */
  readonly bytes: number;
  /** The batch, and an empty writer for the next one. */
  finish(): SegmentBatch;
}

const num = (n: number | undefined) => (n === undefined ? NaN : n);
const opt = (n: number) => (Number.isNaN(n) ? undefined : n);

export function createBatchWriter(): BatchWriter {
  let records: SegmentRecord[] = [];
  let bytes = 0;
  return {
    add(record) {
      records.push(record);
      bytes += record.packet.length;
    },
    get count() {
      return records.length;
    },
    get bytes() {
      return bytes;
    },
    finish() {
      const count = records.length;
      // Rows first, so the Float64Array over them is aligned; the packets' bytes after.
      const buffer = new ArrayBuffer(count * ROW_BYTES + bytes);
      const rows = new Float64Array(buffer, 0, count * ROW);
      const data = new Uint8Array(buffer);
      const ips: string[] = [];
      const ipIndex = new Map<string, number>();
      const indexOf = (ip: string) => {
        let i = ipIndex.get(ip);
        if (i === undefined) {
          i = ips.push(ip) - 1;
          ipIndex.set(ip, i);
        }
        return i;
      };
      const findings: [number, Finding[]][] = [];
      let at = count * ROW_BYTES;
      for (let i = 0; i < count; i++) {
        const r = records[i]!;
        const o = i * ROW;
        rows[o + DIRECTION] = r.direction === "c2s" ? 0 : 1;
        rows[o + CLIENT_IP] = indexOf(r.client.ip);
        rows[o + CLIENT_PORT] = r.client.port;
        rows[o + SERVER_IP] = indexOf(r.server.ip);
        rows[o + SERVER_PORT] = r.server.port;
        rows[o + WALL_MS] = r.wallMs;
        rows[o + LINK_TYPE] = r.linkType;
        rows[o + PAYLOAD_LENGTH] = r.payloadLength;
        rows[o + STREAM_OFFSET] = r.streamOffset;
        rows[o + PACKET_START] = at;
        rows[o + PACKET_LENGTH] = r.packet.length;
        data.set(r.packet, at);
        at += r.packet.length;
        const a = r.analysis;
        rows[o + FLAGS] = (a ? HAS_ANALYSIS : 0) | (r.checksumsMayBeOffloaded ? OFFLOADED : 0) | (r.transport === "udp" ? UDP : 0);
        rows[o + PAYLOAD_DIGEST] = r.payloadDigest;
        if (a) {
          rows[o + RELATIVE_SEQ] = a.relativeSeq;
          rows[o + RELATIVE_ACK] = num(a.relativeAck);
          rows[o + PEER_BASE] = num(a.peerBase);
          rows[o + WINDOW_SCALED] = num(a.windowScaled);
          rows[o + WINDOW_MULTIPLIER] = num(a.windowMultiplier);
          rows[o + DUPLICATE_ACK] = num(a.duplicateAck);
          if (a.findings.length > 0) findings.push([i, a.findings]);
        }
      }
      records = [];
      bytes = 0;
      return { buffer, count, ips, findings };
    },
  };
}

const NO_FINDINGS: Finding[] = [];

/**
 * The records of a batch, in order, as the writer was given them. Packets are views into the batch's
 * buffer (the ring copies what it keeps); the records' analyses share one empty findings array.
 */
export function readBatch(batch: SegmentBatch, each: (record: SegmentRecord) => void): void {
  const { buffer, count, ips } = batch;
  const rows = new Float64Array(buffer, 0, count * ROW);
  let next = 0;
  for (let i = 0; i < count; i++) {
    const o = i * ROW;
    const flags = rows[o + FLAGS]!;
    let findings = NO_FINDINGS;
    if (next < batch.findings.length && batch.findings[next]![0] === i) findings = batch.findings[next++]![1];
    const analysis: TcpAnalysis | undefined =
      flags & HAS_ANALYSIS
        ? {
            relativeSeq: rows[o + RELATIVE_SEQ]!,
            relativeAck: opt(rows[o + RELATIVE_ACK]!),
            peerBase: opt(rows[o + PEER_BASE]!),
            windowScaled: opt(rows[o + WINDOW_SCALED]!),
            windowMultiplier: opt(rows[o + WINDOW_MULTIPLIER]!),
            duplicateAck: opt(rows[o + DUPLICATE_ACK]!),
            findings,
          }
        : undefined;
    each({
      transport: flags & UDP ? "udp" : "tcp",
      client: { ip: ips[rows[o + CLIENT_IP]!]!, port: rows[o + CLIENT_PORT]! },
      server: { ip: ips[rows[o + SERVER_IP]!]!, port: rows[o + SERVER_PORT]! },
      direction: rows[o + DIRECTION] === 0 ? "c2s" : "s2c",
      wallMs: rows[o + WALL_MS]!,
      packet: new Uint8Array(buffer, rows[o + PACKET_START]!, rows[o + PACKET_LENGTH]!),
      linkType: rows[o + LINK_TYPE]!,
      analysis,
      checksumsMayBeOffloaded: (flags & OFFLOADED) !== 0,
      payloadLength: rows[o + PAYLOAD_LENGTH]!,
      streamOffset: rows[o + STREAM_OFFSET]!,
      payloadDigest: rows[o + PAYLOAD_DIGEST]!,
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Messages between the host's thread and the reader thread

/** A capture program and the arguments that make it write pcap to stdout. */
export interface ProgramToTry {
  readonly program: string;
  readonly args: readonly string[];
}

/** What the reader thread is started with (workerData). */
export interface ReaderStart {
  /** Tried in order until one captures. */
  readonly programs: readonly ProgramToTry[];
  /** Lab TCP ports: a segment to one of them goes from client to server. */
  readonly labPorts: readonly number[];
  /** Lab UDP ports (a multicast group's port among them): a datagram to one of them goes from client to server. */
  readonly udpPorts: readonly number[];
  readonly loopback: boolean;
  readonly startupTimeoutMs: number;
  /** The bound on what waits for the servers' thread: segments sent and not yet joined, and their bytes. */
  readonly maxQueuedSegments: number;
  readonly maxQueuedBytes: number;
  /**
   * Int32Array over it: [0] segments and [1] bytes the servers' thread has taken, added as it goes (the
   * reader subtracts them from what it sent, modulo 2^32, to know what waits).
   */
  readonly taken: SharedArrayBuffer;
}

/** Counts since the start, kept by the reader thread. */
export interface ReaderTotals {
  /** Packets read from the capture program. */
  readonly packets: number;
  /** TCP segments and UDP datagrams of the lab's ports among them. */
  readonly segments: number;
  /** Segments dropped because the servers' thread had the most it may have waiting. */
  readonly dropped: number;
  /** Batches sent (segments ÷ batches is how many the servers' thread gets per message). */
  readonly batches: number;
}

/** What tcpdump says about its kernel buffer when asked (SIGUSR1). */
export interface KernelCounts {
  readonly captured: number;
  readonly received: number;
  readonly dropped: number;
}

export type ToReader = { readonly type: "stop" } | { readonly type: "kernel-counts" };

export type FromReader =
  | { readonly type: "started"; readonly program: string; readonly pid: number }
  /** One program did not start: its own words, for the host to classify. */
  | { readonly type: "not-started"; readonly program: string; readonly stderr: string; readonly unreadable: string }
  /** Every program was tried and none captures. */
  | { readonly type: "none-started" }
  | ({ readonly type: "batch"; readonly totals: ReaderTotals } & SegmentBatch)
  | { readonly type: "totals"; readonly totals: ReaderTotals }
  | { readonly type: "kernel-counts"; readonly counts: KernelCounts | undefined }
  /** The capture program ended or wrote something unreadable while capturing. */
  | { readonly type: "lost"; readonly detail: string }
  | { readonly type: "stopped" };
