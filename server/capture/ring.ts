// A session's timeline ring: events in seq order, bounded by count and by bytes. When a bound is
// exceeded the oldest events go and `dropped` counts them, so memory never grows with traffic.
// Readers keep a cursor (the last seq they saw) instead of a queue: a slow reader costs nothing.
//
// Storage is columnar: numbers in typed arrays, payloads copied into one circular byte slab. A ring
// of 200,000 events is then a handful of arrays instead of 400,000 small objects that the garbage
// collector would have to trace and promote, which is what made keeping events expensive for the
// servers. Columns and slab start small and double up to the bounds, so idle sessions stay cheap.

import type { CapturedEvent, ConversationInfo, Direction, EventKind, EventPdu, RecordedEvent, SegmentInfo } from "./events";

export interface Ring {
  readonly maxEvents: number;
  readonly maxBytes: number;
  /** Stores a copy of the event (its bytes are copied; the caller may reuse them). */
  push(event: RecordedEvent): void;
  /** Up to `limit` events with seq > afterSeq, oldest first. */
  after(afterSeq: number, limit: number): CapturedEvent[];
  /** Up to `limit` of the newest events with seq < beforeSeq, oldest first (a page's latest screen, or one page back). */
  before(beforeSeq: number, limit: number): CapturedEvent[];
  clear(): void;
  readonly size: number;
  /** Bytes held: payloads plus a fixed cost per event slot. */
  readonly bytes: number;
  /** Events dropped since the ring was created or last cleared. */
  readonly dropped: number;
  /** Increases on every clear, so readers can tell a clear from an empty ring. */
  readonly generation: number;
  /** Resolves on the next push or clear, or when the signal aborts. */
  changed(signal?: AbortSignal): Promise<void>;
}

/** What one event slot costs besides its payload: the typed-array columns and two references. */
export const SLOT_BYTES = 8 * 5 + 4 + 1 + 8 * 2;

const KINDS: readonly EventKind[] = ["open", "data", "half-close", "close", "error", "segment"];
const KIND_INDEX: Readonly<Record<EventKind, number>> = { open: 0, data: 1, "half-close": 2, close: 3, error: 4, segment: 5 };
const S2C = 0x80;

/**
 * What an event's extras hold on to, besides the columns: a segment's analysis, an error's text.
 * PDUs cut by a stream session count their frames and their reassembled bytes.
 */
function extraCost(event: RecordedEvent): number {
  let cost = 0;
  if (event.segment) cost += 256;
  if (event.errorCode || event.errorMessage) cost += 64 + 2 * (event.errorCode.length + event.errorMessage.length);
  if (event.pdus) for (const pdu of event.pdus) cost += 128 + 256 * pdu.frames.length + (pdu.reassembled?.length ?? 0);
  return cost;
}

/** Rare extras of an event, kept beside the columns: error text and PDUs cut by a stream session. */
interface Extra {
  readonly pdus: readonly EventPdu[] | undefined;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly segment: SegmentInfo | undefined;
  readonly cost: number;
}

const INITIAL_SLOTS = 256;
const INITIAL_SLAB = 16 * 1024;

export function createRing(maxEvents: number, maxBytes: number): Ring {
  let capacity = 0;
  let seqs = new Float64Array(0);
  let monos = new Float64Array(0);
  let walls = new Float64Array(0);
  let starts = new Float64Array(0); // absolute slab position of the payload
  let offsets = new Float64Array(0); // stream offsets (-1: unknown)
  let lengths = new Uint32Array(0);
  let kinds = new Uint8Array(0);
  let conversations: (ConversationInfo | undefined)[] = [];
  let extras: (Extra | undefined)[] = [];
  let head = 0; // slot of the oldest event
  let count = 0;

  // A Buffer, so that text is encoded straight into it (Buffer#write) without a temporary buffer.
  let slab = Buffer.alloc(0);
  let slabStart = 0; // absolute position of the oldest payload byte still held
  let slabEnd = 0; // absolute position just past the newest payload byte

  let dropped = 0;
  let generation = 0;
  let extrasBytes = 0;
  let waiters: (() => void)[] = [];

  const slotAt = (i: number) => (head + i) % capacity;

  function wake() {
    if (waiters.length === 0) return;
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  }

  function growSlots() {
    const next = Math.min(Math.max(INITIAL_SLOTS, capacity * 2), maxEvents);
    const move = <T extends Float64Array | Uint32Array | Uint8Array>(old: T, fresh: T): T => {
      for (let i = 0; i < count; i++) fresh[i] = old[slotAt(i)]!;
      return fresh;
    };
    seqs = move(seqs, new Float64Array(next));
    monos = move(monos, new Float64Array(next));
    walls = move(walls, new Float64Array(next));
    starts = move(starts, new Float64Array(next));
    offsets = move(offsets, new Float64Array(next));
    lengths = move(lengths, new Uint32Array(next));
    kinds = move(kinds, new Uint8Array(next));
    const convs: (ConversationInfo | undefined)[] = new Array(next);
    const ext: (Extra | undefined)[] = new Array(next);
    for (let i = 0; i < count; i++) {
      convs[i] = conversations[slotAt(i)];
      ext[i] = extras[slotAt(i)];
    }
    conversations = convs;
    extras = ext;
    head = 0;
    capacity = next;
  }

  /** Copies `length` payload bytes starting at absolute position `from` out of the slab. */
  function readSlab(from: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    if (length === 0) return out;
    const at = from % slab.length;
    const first = Math.min(length, slab.length - at);
    out.set(slab.subarray(at, at + first), 0);
    if (first < length) out.set(slab.subarray(0, length - first), first);
    return out;
  }

  /** Writes `data` at absolute position `to`: index to % slab.length, wrapping at the end. */
  function writeSlab(to: number, data: Uint8Array) {
    const at = to % slab.length;
    const first = Math.min(data.length, slab.length - at);
    slab.set(first === data.length ? data : data.subarray(0, first), at);
    if (first < data.length) slab.set(data.subarray(first), 0);
  }

  /** Doubles the slab until `needed` bytes fit; positions keep their meaning (p maps to p % size). */
  function growSlab(needed: number) {
    let size = Math.max(INITIAL_SLAB, slab.length);
    while (size < needed) size *= 2;
    size = Math.min(size, maxBytes);
    if (size <= slab.length) return;
    const held = readSlab(slabStart, slabEnd - slabStart);
    slab = Buffer.alloc(size);
    writeSlab(slabStart, held);
  }

  function dropOldest() {
    const slot = head;
    extrasBytes -= extras[slot]?.cost ?? 0;
    conversations[slot] = undefined;
    extras[slot] = undefined;
    head = (head + 1) % capacity;
    count--;
    dropped++;
    slabStart = count === 0 ? slabEnd : starts[head]!;
  }

  /** Index (0 = oldest held) of the first event with seq > afterSeq: a binary search, as seqs only grow. */
  function firstAbove(afterSeq: number): number {
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs[slotAt(mid)]! <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  function eventAt(i: number): CapturedEvent {
    const slot = slotAt(i);
    const kind = kinds[slot]!;
    const extra = extras[slot];
    return {
      seq: seqs[slot]!,
      conversation: conversations[slot]!,
      kind: KINDS[kind & 0x7f]!,
      direction: (kind & S2C ? "s2c" : "c2s") satisfies Direction,
      monoMs: monos[slot]!,
      wallMs: walls[slot]!,
      data: readSlab(starts[slot]!, lengths[slot]!),
      pdus: extra?.pdus,
      errorCode: extra?.errorCode ?? "",
      errorMessage: extra?.errorMessage ?? "",
      streamOffset: offsets[slot]!,
      segment: extra?.segment,
    };
  }

  return {
    maxEvents,
    maxBytes,
    push(event) {
      let data = event.data;
      // Room is made for a string's longest UTF-8 form (3 bytes per UTF-16 unit) and it is encoded
      // straight into the slab; measuring it first would cost as much as encoding it.
      let room = typeof data === "string" ? data.length * 3 : data.length;
      // One event larger than the whole ring keeps its first bytes.
      if (room + SLOT_BYTES > maxBytes) {
        const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
        data = bytes.subarray(0, Math.min(bytes.length, Math.max(0, maxBytes - SLOT_BYTES)));
        room = data.length;
      }
      const extra = extraCost(event);
      const cost = room + SLOT_BYTES + extra;
      while (count > 0 && (count >= maxEvents || slabEnd - slabStart + count * SLOT_BYTES + extrasBytes + cost > maxBytes)) {
        dropOldest();
      }
      if (count === capacity) growSlots();
      if (slabEnd - slabStart + room > slab.length) growSlab(slabEnd - slabStart + room);

      let length = 0;
      if (room > 0) {
        const at = slabEnd % slab.length;
        if (typeof data !== "string") {
          writeSlab(slabEnd, data);
          length = data.length;
        } else if (at + room <= slab.length) {
          length = slab.write(data, at, "utf8");
        } else {
          const bytes = Buffer.from(data, "utf8");
          writeSlab(slabEnd, bytes);
          length = bytes.length;
        }
      }
      const slot = (head + count) % capacity;
      seqs[slot] = event.seq;
      monos[slot] = event.monoMs;
      walls[slot] = event.wallMs;
      starts[slot] = slabEnd;
      offsets[slot] = event.streamOffset;
      lengths[slot] = length;
      kinds[slot] = KIND_INDEX[event.kind] | (event.direction === "s2c" ? S2C : 0);
      conversations[slot] = event.conversation;
      extras[slot] =
        extra > 0
          ? { pdus: event.pdus, errorCode: event.errorCode, errorMessage: event.errorMessage, segment: event.segment, cost: extra }
          : undefined;
      extrasBytes += extra;
      slabEnd += length;
      count++;
      wake();
    },
    after(afterSeq, limit) {
      const out: CapturedEvent[] = [];
      for (let i = firstAbove(afterSeq); i < count && out.length < limit; i++) out.push(eventAt(i));
      return out;
    },
    before(beforeSeq, limit) {
      // firstAbove(beforeSeq - 1) is the first event with seq >= beforeSeq (seqs are integers).
      const end = firstAbove(beforeSeq - 1);
      const out: CapturedEvent[] = [];
      for (let i = Math.max(0, end - Math.max(0, limit)); i < end; i++) out.push(eventAt(i));
      return out;
    },
    clear() {
      capacity = 0;
      seqs = new Float64Array(0);
      monos = new Float64Array(0);
      walls = new Float64Array(0);
      starts = new Float64Array(0);
      offsets = new Float64Array(0);
      lengths = new Uint32Array(0);
      kinds = new Uint8Array(0);
      conversations = [];
      extras = [];
      head = 0;
      count = 0;
      slab = Buffer.alloc(0);
      slabStart = slabEnd = 0;
      extrasBytes = 0;
      dropped = 0;
      generation++;
      wake();
    },
    get size() {
      return count;
    },
    get bytes() {
      return slabEnd - slabStart + count * SLOT_BYTES + extrasBytes;
    },
    get dropped() {
      return dropped;
    },
    get generation() {
      return generation;
    },
    changed(signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
          signal?.removeEventListener("abort", done);
          resolve();
        };
        waiters.push(done);
        signal?.addEventListener("abort", done, { once: true });
      });
    },
  };
}
