// Stream sessions: one per conversation, dissecting both directions in stream order as they are captured.
// A session owns the conversation's dissection state (what HPACK tables, WebSocket fragments and deflate
// contexts need), cuts each direction into PDUs incrementally, and hands a direction over to another protocol
// at a byte offset (HTTP `101` -> WebSocket, the h2c preface -> HTTP/2).
// Modelled on Wireshark's tcp_dissect_pdus (epan/dissectors/packet-tcp.c: get_pdu_len, "more" and the
// reassembly it drives) and its conversation data with per-frame proto data (conversation_add_proto_data,
// p_add_proto_data): state is kept once per conversation, and what one frame needs later is kept with it.
//
// Capture time dissects without trees (`tree: false`) and keeps each PDU's bytes and its `memo`; a reader
// rebuilds the tree from those alone (`rebuildPdu`), and it comes out as it would have at capture time.
// With `defer`, capture time goes further for a dissector that has a capture pass (`Dissector.capture`): it
// learns the state, the memo and the handoff only, and the PDU's frames (summary, findings) are made when a
// reader asks (`pduFrames`), from the bytes and the memo, as they would have been at capture time.
// ISOMORPHIC: no Node imports.

import { makeFinding, SHARED_FINDINGS } from "./findings";
import { dataDissector } from "./registry";
import type { DissectContext, DissectedFrame, Direction, Dissector, Finding, Handoff, PduContext, PduLength, PduScan, ReadFacts } from "./types";

/** One PDU cut from a direction, with its frames (without trees when the session dissects without them). */
export interface StreamPdu {
  readonly direction: Direction;
  /** The protocol that read it (after a handoff, the new one). */
  readonly protocol: string;
  /** Where its first byte sits in its direction's stream: bytes sent that way before it. Never negative. */
  readonly streamOffset: number;
  /** The PDU's bytes; a copy when they came in several reads, else a view of the read that carried them. */
  readonly bytes: Uint8Array;
  /** Whether its bytes came in more than one read (or none: a PDU the end of the stream completed). */
  readonly reassembled: boolean;
  /**
   * Frame offsets are relative to `bytes`, field offsets to their frame. When the session deferred them (`defer`),
   * made from the bytes and the memo on first read.
   */
  readonly frames: readonly DissectedFrame[];
  /** Whether its frames were left to the reader (`defer`): reading `frames` makes them. */
  readonly deferred: boolean;
  /** What rebuilding the tree needs from the conversation's state (see `rebuildPdu`). */
  readonly memo: unknown;
  /** A finding the session itself adds to the first frame (`<proto>.too_long`), for rebuilt trees to carry too. */
  readonly sessionFinding: Finding | undefined;
}

export interface StreamSession {
  /** A read in one direction; returns the PDUs it completed. An empty chunk yields nothing. */
  push(direction: Direction, chunk: Uint8Array): StreamPdu[];
  /** That direction ended (FIN or close): what is still buffered becomes one last, incomplete PDU. */
  end(direction: Direction): StreamPdu[];
  /** The protocol reading a direction now. */
  protocol(direction: Direction): string;
  /** Bytes pushed that way so far: the stream offset the next read starts at. */
  streamLength(direction: Direction): number;
  /** Bytes waiting for the rest of their PDU. */
  buffered(direction: Direction): number;
  /** Bytes the buffer of that direction takes: about what waits, however long the stream has run. */
  bufferSize(direction: Direction): number;
}

export interface StreamSessionOptions {
  /** Finds the dissector a handoff or a detection names; unknown ids read as data. */
  readonly dissectorFor: (protocol: string) => Dissector | undefined;
  /** Longest PDU held back waiting for its end; longer ones are shown as they arrive, with `<proto>.too_long`. */
  readonly maxPdu?: number;
  /** Build trees at capture time (tests compare them with rebuilt ones); the lab leaves this off. */
  readonly tree?: boolean;
  /**
   * Without trees: run a dissector's capture pass instead of `dissect` where it has one, and leave the PDU's frames
   * to the reader (`pduFrames`). The capture bus does, so the servers' thread does not summarise what nobody reads.
   */
  readonly defer?: boolean;
}

export const DEFAULT_MAX_PDU = 1 << 20;
/** How many first bytes `detect` may wait for before the stream stays with its protocol. */
const MAX_DETECT_BYTES = 64;
/** Read starts kept for the bytes that wait (a drip of 1-byte reads records no more than this). */
const MAX_READ_STARTS = 4096;
/** Read starts a PDU's ReadFacts lists. */
const READ_STARTS_SHOWN = 8;

/** Whether a protocol's conversations must be dissected in order as they are captured. */
export function needsStreamSession(d: Dissector): boolean {
  return d.pduLength !== undefined || d.createState !== undefined || d.detect !== undefined;
}

interface Side {
  readonly direction: Direction;
  dissector: Dissector;
  /** Pending bytes are store[head, tail); `pushed` is the stream offset just past tail. */
  store: Uint8Array;
  head: number;
  tail: number;
  pushed: number;
  /** Bytes still owed to an oversized PDU that was already shown, and the length it declared. */
  skip: number;
  declared: number;
  scan: PduScan;
  /** Whether `detect` has had its say (it speaks only before the first PDU). */
  detected: boolean;
  /** Stream offsets where reads began, from reads[readsHead]: the read holding the first waiting byte, then on. */
  reads: number[];
  readsHead: number;
}

export function createStreamSession(protocol: string, options: StreamSessionOptions): StreamSession {
  const maxPdu = Math.max(1, options.maxPdu ?? DEFAULT_MAX_PDU);
  const tree = options.tree ?? false;
  const defer = !tree && (options.defer ?? false);
  const lookup = (id: string): Dissector => options.dissectorFor(id) ?? dataDissector;
  /** One state per protocol that has spoken in this conversation, made on first use. */
  const states = new Map<string, unknown>();
  const side = (direction: Direction): Side => ({
    direction,
    dissector: lookup(protocol),
    store: new Uint8Array(0),
    head: 0,
    tail: 0,
    pushed: 0,
    skip: 0,
    declared: 0,
    scan: { at: 0, state: 0 },
    detected: false,
    reads: [],
    readsHead: 0,
  });
  const sides: Record<Direction, Side> = { c2s: side("c2s"), s2c: side("s2c") };

  function stateOf(d: Dissector): unknown {
    if (!d.createState) return undefined;
    if (!states.has(d.id)) states.set(d.id, safely(() => d.createState!(), undefined));
    return states.get(d.id);
  }

  function switchTo(s: Side, id: string) {
    s.dissector = lookup(id);
    s.scan = { at: 0, state: 0 };
    s.skip = 0;
  }

  const otherSide = (s: Side): Side => sides[s.direction === "c2s" ? "s2c" : "c2s"];
  /** A side switched by the other's handoff or detection while it held bytes: cut them with the new protocol. */
  let recut: Side | undefined;

  function switchOther(s: Side, id: string) {
    const other = otherSide(s);
    switchTo(other, id);
    if (other.tail > other.head) recut = other;
  }

  function handOff(from: Side, frames: readonly DissectedFrame[]) {
    for (const frame of frames) if (frame.handoff) handOffTo(from, frame.handoff);
  }

  function handOffTo(from: Side, handoff: Handoff) {
    switchTo(from, handoff.protocol);
    if (handoff.directions !== "this") switchOther(from, handoff.protocol);
  }

  /** Dissects one PDU at capture time and hands off when a frame says so. */
  function emit(s: Side, dissector: Dissector, bytes: Uint8Array, streamOffset: number, reassembled: boolean, extra?: Finding, reads?: ReadFacts): StreamPdu {
    const ctx: DissectContext = { direction: s.direction, tree, state: stateOf(dissector), reads };
    // A session finding's span is its first frame's, known only once dissected: such PDUs (rare) are dissected now.
    if (defer && dissector.capture && !extra) {
      const learnt = safely(() => dissector.capture!(bytes, ctx), undefined);
      if (learnt) {
        if (dissector === s.dissector && learnt.handoff) handOffTo(s, learnt.handoff);
        return new DeferredPdu(dissector, s.direction, streamOffset, bytes, reassembled, learnt.memo);
      }
      // A capture pass that threw: dissect (whose state may be half-updated, as after a dissect that threw).
    }
    let frames = dissectSafely(dissector, bytes, ctx);
    const first = frames[0];
    const sessionFinding = extra && first ? { ...extra, length: first.length } : undefined;
    if (sessionFinding) frames = frames.map((f, i) => (i === 0 ? { ...f, findings: [...f.findings, sessionFinding] } : f));
    if (dissector === s.dissector) handOff(s, frames);
    return { direction: s.direction, protocol: dissector.id, streamOffset, bytes, reassembled, frames, deferred: false, memo: first?.memo, sessionFinding };
  }

  function append(s: Side, chunk: Uint8Array) {
    const pending = s.tail - s.head;
    if (s.tail + chunk.length > s.store.length) {
      if (pending + chunk.length <= s.store.length) {
        // Room enough once the bytes already cut are dropped: the buffer is as large as what waits, not as the stream.
        s.store.copyWithin(0, s.head, s.tail);
      } else {
        const grown = new Uint8Array(Math.max(pending + chunk.length, pending * 2, 64));
        grown.set(s.store.subarray(s.head, s.tail));
        s.store = grown;
      }
      [s.head, s.tail] = [0, pending];
    }
    s.store.set(chunk, s.tail);
    s.tail += chunk.length;
  }

  /**
   * Takes n bytes off the front with their stream offset: a view of `chunk` when they all lie in it (the read
   * being cut), else a copy the session no longer touches.
   */
  function take(s: Side, n: number, chunk: Uint8Array | undefined): { bytes: Uint8Array; at: number; reassembled: boolean; reads: ReadFacts } {
    const at = s.pushed - (s.tail - s.head);
    const chunkStart = s.pushed - (chunk?.length ?? 0);
    const inChunk = chunk !== undefined && at >= chunkStart;
    const bytes = inChunk ? chunk.subarray(at - chunkStart, at - chunkStart + n) : s.store.slice(s.head, s.head + n);
    s.head += n;
    if (s.head === s.tail) s.head = s.tail = 0;
    s.scan = { at: 0, state: 0 };
    return { bytes, at, reassembled: !inChunk, reads: readsOf(s, at, at + n) };
  }

  /** Notes where a read begins, keeping no more starts than the waiting bytes need (and at most MAX_READ_STARTS). */
  function noteRead(s: Side, start: number) {
    if (s.tail === s.head) [s.reads, s.readsHead] = [[], 0];
    if (s.reads.length - s.readsHead < MAX_READ_STARTS) s.reads.push(start);
  }

  /** How the reads carried stream bytes [at, end), and the starts before `end` dropped once they are behind. */
  function readsOf(s: Side, at: number, end: number): ReadFacts {
    const r = s.reads;
    let k = s.readsHead;
    while (k + 1 < r.length && r[k + 1]! <= at) k++;
    const before = k < r.length && r[k]! < at;
    const starts: number[] = [];
    let count = 1;
    let j = k + 1;
    for (; j < r.length && r[j]! < end; j++) {
      count++;
      if (starts.length < READ_STARTS_SHOWN) starts.push(r[j]! - at);
    }
    const after = end < s.pushed && !(j < r.length && r[j] === end);
    // The read holding `end` stays: it holds the next PDU's first byte.
    s.readsHead = Math.max(k, j - 1);
    if (s.readsHead > 64 && s.readsHead * 2 > r.length) [s.reads, s.readsHead] = [r.slice(s.readsHead), 0];
    return { count, starts, before, after };
  }

  function tooLong(s: Side, form: "declared" | "unended" | "rest"): Finding {
    const id = s.dissector.id;
    if (form === "unended") return makeFinding(SHARED_FINDINGS.too_long.unended, { limit: maxPdu }, 0, 0, id);
    return makeFinding(SHARED_FINDINGS.too_long[form], { declared: s.declared, limit: maxPdu }, 0, 0, id);
  }

  /**
   * Cuts what `s` holds into PDUs. `chunk` is the read just appended (its bytes are given as views), undefined
   * when cutting what a switch of protocol left waiting; `final` says the stream ended, so nothing waits.
   */
  function cut(s: Side, chunk: Uint8Array | undefined, final: boolean): StreamPdu[] {
    const out: StreamPdu[] = [];
    while (s.tail > s.head) {
      const pending = s.tail - s.head;
      if (s.skip > 0) {
        const n = Math.min(s.skip, pending);
        s.skip -= n;
        const { bytes, at, reassembled, reads } = take(s, n, chunk);
        out.push(emit(s, dataDissector, bytes, at, reassembled, tooLong(s, "rest"), reads));
        continue;
      }
      if (!s.detected && s.dissector.detect) {
        const found = safely(() => s.dissector.detect!(s.store.subarray(s.head, s.tail), s.direction), undefined);
        if (found === "more" && pending < MAX_DETECT_BYTES && !final) break;
        s.detected = true;
        if (typeof found === "string" && found !== "more" && found !== s.dissector.id) {
          const other = otherSide(s);
          switchTo(s, found);
          if (other.pushed === other.tail - other.head) switchOther(s, found); // the other side has not cut anything yet
          other.detected = true;
          continue;
        }
      }
      const d = s.dissector;
      if (!d.pduLength) {
        // Each read is one PDU.
        const { bytes, at, reassembled, reads } = take(s, pending, chunk);
        out.push(emit(s, d, bytes, at, reassembled, undefined, reads));
        continue;
      }
      const length = lengthOf(d, s.store.subarray(s.head, s.tail), { direction: s.direction, state: stateOf(d), scan: s.scan });
      if (length === "more") {
        if (pending <= maxPdu && !final) break;
        const { bytes, at, reassembled, reads } = take(s, pending, chunk);
        out.push(emit(s, d, bytes, at, reassembled, final ? undefined : tooLong(s, "unended"), reads));
      } else if (length === undefined) {
        // No usable length: the dissector reads all of it and says what is wrong.
        const { bytes, at, reassembled, reads } = take(s, pending, chunk);
        out.push(emit(s, d, bytes, at, reassembled, undefined, reads));
      } else if (length > maxPdu) {
        const n = Math.min(length, pending);
        [s.skip, s.declared] = [length - n, length];
        const { bytes, at, reassembled, reads } = take(s, n, chunk);
        out.push(emit(s, d, bytes, at, reassembled, tooLong(s, "declared"), reads));
      } else {
        if (pending < length && !final) break;
        const { bytes, at, reassembled, reads } = take(s, Math.min(length, pending), chunk);
        out.push(emit(s, d, bytes, at, reassembled, undefined, reads));
      }
    }
    return out;
  }

  /** Adds the PDUs of a side that a switch of protocol left holding bytes (it may switch back: loop). */
  function withRecut(out: StreamPdu[]): StreamPdu[] {
    for (let waiting = recut; waiting; waiting = recut) {
      recut = undefined;
      out.push(...cut(waiting, undefined, false));
    }
    return out;
  }

  return {
    push(direction, chunk) {
      if (chunk.length === 0) return [];
      const s = sides[direction];
      noteRead(s, s.pushed);
      s.pushed += chunk.length;
      if (s.tail === s.head && !s.dissector.pduLength && !(s.dissector.detect && !s.detected) && s.skip === 0) {
        // Nothing pending and no framing: the read is the PDU, without a copy.
        return withRecut([emit(s, s.dissector, chunk, s.pushed - chunk.length, false)]);
      }
      append(s, chunk);
      return withRecut(cut(s, chunk, false));
    },
    end(direction) {
      const s = sides[direction];
      s.skip = 0;
      return s.tail > s.head ? withRecut(cut(s, undefined, true)) : [];
    },
    protocol: (direction) => sides[direction].dissector.id,
    streamLength: (direction) => sides[direction].pushed,
    buffered: (direction) => sides[direction].tail - sides[direction].head,
    bufferSize: (direction) => sides[direction].store.length,
  };
}

/**
 * Rebuilds a PDU's frames with their trees, from its bytes and the memo kept at capture time, without the
 * conversation's state: what a reader asks for long after the capture.
 */
export function rebuildPdu(dissector: Dissector, pdu: Pick<StreamPdu, "direction" | "bytes" | "memo">): DissectedFrame[] {
  return dissectSafely(dissector, pdu.bytes, { direction: pdu.direction, memo: pdu.memo });
}

/** A PDU whose frames a reader makes, once, when it first asks. */
class DeferredPdu implements StreamPdu {
  private made: readonly DissectedFrame[] | undefined;
  readonly deferred = true;
  readonly sessionFinding = undefined;
  readonly protocol: string;
  constructor(
    private readonly dissector: Dissector,
    readonly direction: Direction,
    readonly streamOffset: number,
    readonly bytes: Uint8Array,
    readonly reassembled: boolean,
    readonly memo: unknown,
  ) {
    this.protocol = dissector.id;
  }
  get frames(): readonly DissectedFrame[] {
    return (this.made ??= pduFrames(this.dissector, { direction: this.direction, memo: this.memo, sessionFinding: undefined }, this.bytes));
  }
}

/**
 * A PDU's frames without trees: those the session made at capture time, or (deferred: `frames` undefined) made now
 * from the PDU's bytes and memo, with the session's own finding, as capture time would have made them.
 */
export function pduFrames(
  dissector: Dissector,
  pdu: { readonly direction: Direction; readonly memo: unknown; readonly frames?: readonly DissectedFrame[]; readonly sessionFinding: Finding | undefined },
  bytes: Uint8Array,
): readonly DissectedFrame[] {
  if (pdu.frames) return pdu.frames;
  const frames = dissectSafely(dissector, bytes, { direction: pdu.direction, memo: pdu.memo, tree: false });
  const extra = pdu.sessionFinding;
  return extra ? frames.map((f, i) => (i === 0 ? { ...f, findings: [...f.findings, extra] } : f)) : frames;
}

function safely<T, F>(fn: () => T, fallback: F): T | F {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** pduLength, with anything but a positive integer or "more" (including a throw) as undefined. */
function lengthOf(dissector: Dissector, bytes: Uint8Array, ctx: PduContext): PduLength | undefined {
  const n = safely(() => dissector.pduLength?.(bytes, 0, ctx), undefined);
  return n === "more" || (typeof n === "number" && Number.isSafeInteger(n) && n > 0) ? n : undefined;
}

/**
 * Dissectors must not throw and must account for every byte; this is the boundary where the capture
 * pipeline (code that has to stay up) makes sure of both.
 */
export function dissectSafely(dissector: Dissector, bytes: Uint8Array, ctx: DissectContext): DissectedFrame[] {
  try {
    const frames = dissector.dissect(bytes, ctx);
    if (frames.length > 0 || bytes.length === 0) return frames;
  } catch (err) {
    const [frame] = dataDissector.dissect(bytes, ctx);
    const failed = makeFinding(SHARED_FINDINGS.dissector_error, { dissector: dissector.name, error: String(err) }, 0, bytes.length, dissector.id);
    return frame ? [{ ...frame, findings: [...frame.findings, failed] }] : [];
  }
  return dataDissector.dissect(bytes, ctx);
}
