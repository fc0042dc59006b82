// The host's event store: every recorded event once, in seq order, bounded in total events and bytes
// (issue 8, item 5). Sessions do not hold copies: each event goes into one lane (the traffic of one
// audience: a session's own lab clients, or the external clients of one source address), and a
// session's timeline (ring.ts) reads the lanes it may see. So twenty sessions at one address cost what
// one does: an event is stored once and indexed once, however many sessions see it.
//
// Storage is columnar: numbers in typed arrays, payloads copied into one circular byte slab. A store of
// a million events is then a handful of arrays instead of two million small objects that the garbage
// collector would have to trace and promote, which is what made keeping events expensive for the
// servers. Columns and slab start small and double up to the bounds, so an idle host stays cheap.
//
// When a bound is exceeded the oldest events go, whichever lane they are in, and their lane forgets
// them: a lane's entries are always events the store holds.

//
// What the store counts is what it holds on the host (issue 9): besides payloads and columns, the objects an event
// keeps (its PDUs with their memos, a segment's analysis, error text: `extraCost`, estimated from their shapes) and
// its conversation's info, counted once while any of its events is held (`conversationBytes`). The columns and the
// slab double as they fill, never past the store's bounds; what they hold beyond `bytes` is `allocatedBytes`.
// store-cost.test.ts checks the counts against the heap a child process measures.

import type { CapturedEvent, ConversationInfo, Direction, EventKind, EventPdu, RecordedEvent, SegmentInfo } from "./events";
import { ARRAY_BYTES, bytesViewBytes, FIELD_BYTES, heapBytes, MAP_ENTRY_BYTES, OBJECT_BYTES, stringBytes } from "./heap-size";

/**
 * What one event costs besides its payload: the typed-array columns (seq, two clocks, slab position,
 * stream offset, length, kind), three references (conversation, extras, lane) and its lane entry (seq
 * and running cost).
 */
export const SLOT_BYTES = 8 * 5 + 4 + 1 + 8 * 3 + 8 * 2;
/** The columns' part of SLOT_BYTES: what each slot of their capacity costs, held or not. */
const COLUMN_BYTES = 8 * 5 + 4 + 1 + 8 * 3;

/** An endpoint as the bus keeps it: an object of two fields and its address's text. */
const endpointBytes = (ip: string) => OBJECT_BYTES + 2 * FIELD_BYTES + stringBytes(ip);

/**
 * What a conversation's info costs while the store holds an event of it: the object (eight fields, two more once
 * its program is known), its id, its endpoints, its program's name, and the store's entry counting its events.
 */
export function conversationBytes(info: ConversationInfo): number {
  return (
    OBJECT_BYTES +
    10 * FIELD_BYTES +
    stringBytes(info.id) +
    endpointBytes(info.client.ip) +
    endpointBytes(info.server.ip) +
    (info.process ? OBJECT_BYTES + 2 * FIELD_BYTES + stringBytes(info.process.command) : 0) +
    MAP_ENTRY_BYTES +
    OBJECT_BYTES +
    2 * FIELD_BYTES
  );
}

/**
 * Bounds of the host's store when the bus is given none (`--capture-max-events`, `--capture-max-mb`):
 * every session together. 128 MiB keeps a class's lessons many times over (a lesson's exchange is a few
 * KiB) and keeps the host's memory within what a laptop lends it, whatever a student pushes through echo.
 */
export const STORE_DEFAULTS = { maxEvents: 1_000_000, maxBytes: 128 * 1024 * 1024 } as const;

/**
 * The events of one audience, in seq order: seqs and running costs in circular typed arrays. Positions
 * are absolute (the first entry a lane ever had is 0), so a reader's floor stays valid as the oldest go.
 */
export interface Lane {
  readonly key: string;
  /** Position of the oldest entry still held. */
  readonly start: number;
  /** Position just past the newest entry. */
  readonly end: number;
  seqAt(position: number): number;
  /** Cost (bytes) of the entries in [from, to). */
  bytesBetween(from: number, to: number): number;
  /** First position in [from, end) whose seq is greater than `seq` (end when none). */
  firstAbove(seq: number, from: number): number;
  /**
   * Where a reader with these bounds starts reading: the newest entries at or past `floor` that fit in
   * `maxEvents` and `maxBytes`.
   */
  windowStart(floor: number, maxEvents: number, maxBytes: number): number;
}

/** An event without its bytes (their length instead): what a pass over many events reads. */
export type EventHeader = Omit<CapturedEvent, "data"> & { readonly length: number };

export interface EventStore {
  readonly maxEvents: number;
  readonly maxBytes: number;
  /**
   * Stores a copy of the event (its bytes are copied; the caller may reuse them) and adds it to the lane
   * `key`. Events come in seq order, each once.
   */
  push(key: string, event: RecordedEvent): void;
  /**
   * The lane of `key`, if there is one. Lanes stay, empty, when their events go; when there are many
   * lanes, empty ones go, and a lane of the same key later starts again at position 0.
   */
  lane(key: string): Lane | undefined;
  /** The lane of `key`, made empty if there is none (a reader's floor in it is then valid from now on). */
  open(key: string): Lane;
  /** The event with this seq, while the store holds it. */
  event(seq: number): CapturedEvent | undefined;
  /** The event with this seq without copying its bytes, while the store holds it. */
  header(seq: number): EventHeader | undefined;
  /** Calls `wake` once, on the next push to `key`. */
  watch(key: string, wake: () => void): void;
  unwatch(key: string, wake: () => void): void;
  readonly size: number;
  /**
   * Bytes held, what the bound `maxBytes` applies to: payloads, a fixed cost per event (SLOT_BYTES), the extras'
   * estimated cost, and the infos of the conversations whose events are held.
   */
  readonly bytes: number;
  /**
   * What the store has allocated: `bytes`, and the room its slab, columns and lanes have grown for and not yet
   * filled (never past the store's bounds).
   */
  readonly allocatedBytes: number;
  /** Events dropped to keep the bounds, since the store was created. */
  readonly dropped: number;
  /** Lanes kept (some may be empty). */
  readonly lanes: number;
}

const KINDS: readonly EventKind[] = ["open", "data", "half-close", "close", "error", "segment", "lost", "timeout", "connect-failed"];
const KIND_INDEX: Readonly<Record<EventKind, number>> = {
  open: 0,
  data: 1,
  "half-close": 2,
  close: 3,
  error: 4,
  segment: 5,
  lost: 6,
  timeout: 7,
  "connect-failed": 8,
};
const S2C = 0x80;

/**
 * What one PDU of a protocol holds besides its reassembled bytes (its record, memo, frames), as walked so far: the
 * first events' PDUs of each protocol are walked and then one event's in WALK_EVERY, and the rest are counted at the
 * mean. A walk costs microseconds, on the servers' own thread.
 */
const pduMeans = new Map<string, { events: number; walked: number; bytes: number }>();
const WALK_FIRST = 64;
const WALK_EVERY = 16;

function pdusCost(pdus: readonly EventPdu[]): number {
  let cost = ARRAY_BYTES + FIELD_BYTES * pdus.length;
  for (const pdu of pdus) if (pdu.reassembled) cost += bytesViewBytes(pdu.reassembled);
  const protocol = pdus[0]?.protocol;
  if (protocol === undefined) return cost;
  let mean = pduMeans.get(protocol);
  if (!mean) pduMeans.set(protocol, (mean = { events: 0, walked: 0, bytes: 0 }));
  if (mean.events++ < WALK_FIRST || mean.events % WALK_EVERY === 0) {
    // PDUs of one event may share a memo: counted once. Their reassembled bytes are counted above.
    const seen = new Set<object>();
    for (const pdu of pdus) if (pdu.reassembled) seen.add(pdu.reassembled);
    for (const pdu of pdus) {
      mean.bytes += heapBytes(pdu, seen);
      mean.walked++;
    }
  }
  return cost + Math.round((mean.bytes / mean.walked) * pdus.length);
}

/** The Extra record itself: an object of its fields. */
const EXTRA_BYTES = OBJECT_BYTES + 6 * FIELD_BYTES;

/**
 * What an event's extras hold on to, besides the columns: a segment's analysis, an error's text, the PDUs a stream
 * session cut (their memos, their frames when not deferred, their reassembled bytes). 0 when it has none.
 */
export function extraCost(event: RecordedEvent): number {
  let cost = 0;
  // An error's code is one of a few names the system and the servers share (ECONNRESET, EIDLE); its text is its own.
  if (event.errorMessage) cost += stringBytes(event.errorMessage);
  if (event.pdus) cost += pdusCost(event.pdus);
  // A segment's findings may share their arguments: each counted once.
  if (event.segment) cost += heapBytes(event.segment);
  if (event.peerMs !== undefined) cost += 16;
  return cost === 0 && !event.errorCode ? 0 : EXTRA_BYTES + cost;
}

/**
 * Rare extras of an event, kept beside the columns: error text, PDUs cut by a stream session, a lab client's own
 * time (only the lab's own clients' messages have one, so outside traffic pays nothing for it).
 */
interface Extra {
  readonly pdus: readonly EventPdu[] | undefined;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly segment: SegmentInfo | undefined;
  readonly peerMs: number | undefined;
  readonly cost: number;
}

const INITIAL_SLOTS = 256;
const INITIAL_SLAB = 16 * 1024;
/** Payloads up to this many bytes are read out of the slab by a loop rather than through a subarray. */
const SMALL_COPY = 64;
const INITIAL_LANE = 64;
/**
 * The columns and the slab double as the store first fills, up to its bounds. Growing by less leaves less room unfilled
 * but copies more often, and every copy's old buffer is garbage until a full collection: growing by an eighth from
 * 8 MiB to a 128 MiB slab left about eight times the slab behind, and the fan-out attack's peak RSS rose 324 MiB
 * (164 MiB doubling). The room is bounded anyway: never past the store's own bounds.
 */
const grown = (size: number) => size * 2;
/**
 * Lanes kept before empty ones are swept away: one per session and per source address seen, so a few
 * thousand in a class; an empty lane costs a small object.
 */
const KEPT_LANES = 10_000;

/** What the lanes' columns hold, all lanes together: the store's allocatedBytes counts it. */
interface LaneRoom {
  entries: number;
}

class LaneImpl implements Lane {
  start = 0;
  end = 0;
  private head = 0;
  private seqs = new Float64Array(0);
  /** Running cost: the cost of every entry this lane ever had, up to and including this one. */
  private cumulative = new Float64Array(0);
  /** The running cost just before `start`. */
  private removedCost = 0;

  constructor(
    readonly key: string,
    private readonly room: LaneRoom,
  ) {}

  private slot(position: number): number {
    return (this.head + position - this.start) % this.seqs.length;
  }

  private resize(capacity: number) {
    const count = this.end - this.start;
    const seqs = new Float64Array(capacity);
    const cumulative = new Float64Array(capacity);
    for (let i = 0; i < count; i++) {
      const from = (this.head + i) % this.seqs.length;
      seqs[i] = this.seqs[from]!;
      cumulative[i] = this.cumulative[from]!;
    }
    this.room.entries += capacity - this.seqs.length;
    this.seqs = seqs;
    this.cumulative = cumulative;
    this.head = 0;
  }

  append(seq: number, cost: number) {
    const count = this.end - this.start;
    if (count === this.seqs.length) this.resize(Math.max(INITIAL_LANE, count * 2));
    const before = count === 0 ? this.removedCost : this.cumulative[this.slot(this.end - 1)]!;
    const at = this.slot(this.end);
    this.seqs[at] = seq;
    this.cumulative[at] = before + cost;
    this.end++;
  }

  /** Forgets the oldest entry if it is `seq` (the store dropped that event). */
  dropIf(seq: number): void {
    if (this.end > this.start && this.seqs[this.head] === seq) {
      this.removedCost = this.cumulative[this.head]!;
      this.head = (this.head + 1) % this.seqs.length;
      this.start++;
      const count = this.end - this.start;
      // A lane that held a burst gives its memory back as the store lets the burst go.
      if (count === 0) {
        this.room.entries -= this.seqs.length;
        this.seqs = new Float64Array(0);
        this.cumulative = new Float64Array(0);
        this.head = 0;
      } else if (this.seqs.length > INITIAL_LANE && count <= this.seqs.length / 4) {
        this.resize(this.seqs.length / 2);
      }
    }
  }

  seqAt(position: number): number {
    return this.seqs[this.slot(position)]!;
  }

  /** The running cost just before `position` (start <= position <= end). */
  private costBefore(position: number): number {
    return position <= this.start ? this.removedCost : this.cumulative[this.slot(position - 1)]!;
  }

  bytesBetween(from: number, to: number): number {
    const a = Math.max(from, this.start);
    return to > a ? this.costBefore(to) - this.costBefore(a) : 0;
  }

  firstAbove(seq: number, from: number): number {
    let lo = Math.max(from, this.start);
    let hi = this.end;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.seqAt(mid) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  windowStart(floor: number, maxEvents: number, maxBytes: number): number {
    let lo = Math.min(this.end, Math.max(this.start, floor, this.end - maxEvents));
    // The first position from which the entries up to the end cost at most maxBytes.
    const total = this.costBefore(this.end);
    let hi = this.end;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (total - this.costBefore(mid) > maxBytes) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function createEventStore(bounds: { readonly maxEvents: number; readonly maxBytes: number } = STORE_DEFAULTS): EventStore {
  const { maxEvents, maxBytes } = bounds;
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
  let laneOf: (LaneImpl | undefined)[] = [];
  let head = 0; // slot of the oldest event
  let count = 0;

  // A Buffer, so that text is encoded straight into it (Buffer#write) without a temporary buffer.
  let slab = Buffer.alloc(0);
  let slabStart = 0; // absolute position of the oldest payload byte still held
  let slabEnd = 0; // absolute position just past the newest payload byte

  let dropped = 0;
  let lastSeq = -Infinity;
  let extrasBytes = 0;
  /** The conversations of the events held, with how many events each has here and what its info was counted to cost. */
  const held = new Map<ConversationInfo, { count: number; readonly cost: number }>();
  let conversationsBytes = 0;
  const laneRoom: LaneRoom = { entries: 0 };
  const lanes = new Map<string, LaneImpl>();
  /** Lanes after the last sweep: the next sweep waits until there are twice as many, so sweeps cost O(1) a lane. */
  let sweepAt = KEPT_LANES;
  const watchers = new Map<string, Set<() => void>>();

  const slotAt = (i: number) => (head + i) % capacity;

  function growSlots() {
    const next = Math.min(Math.max(INITIAL_SLOTS, grown(capacity)), maxEvents);
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
    const lns: (LaneImpl | undefined)[] = new Array(next);
    for (let i = 0; i < count; i++) {
      convs[i] = conversations[slotAt(i)];
      ext[i] = extras[slotAt(i)];
      lns[i] = laneOf[slotAt(i)];
    }
    conversations = convs;
    extras = ext;
    laneOf = lns;
    head = 0;
    capacity = next;
  }

  /** Copies `length` payload bytes starting at absolute position `from` out of the slab. */
  function readSlab(from: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    if (length === 0) return out;
    const at = from % slab.length;
    // A small message (most are) is copied byte by byte: a subarray of the slab is a Buffer made through its
    // species constructor, which cost more than the copy.
    if (length <= SMALL_COPY && at + length <= slab.length) {
      for (let i = 0; i < length; i++) out[i] = slab[at + i]!;
      return out;
    }
    const first = Math.min(length, slab.length - at);
    out.set(slab.subarray(at, at + first), 0);
    if (first < length) out.set(slab.subarray(0, length - first), first);
    return out;
  }

  /** Writes `data` at absolute position `to` of `into`: index to % into.length, wrapping at the end. */
  function writeAt(into: Buffer, to: number, data: Uint8Array) {
    const at = to % into.length;
    const first = Math.min(data.length, into.length - at);
    into.set(first === data.length ? data : data.subarray(0, first), at);
    if (first < data.length) into.set(data.subarray(first), 0);
  }

  /**
   * Doubles the slab until `needed` bytes fit; positions keep their meaning (p maps to p % size). The
   * held bytes go straight from the old slab to the new one, so growing never holds a third copy.
   */
  function growSlab(needed: number) {
    let size = Math.max(INITIAL_SLAB, slab.length);
    while (size < needed) size = grown(size);
    size = Math.min(size, maxBytes);
    if (size <= slab.length) return;
    const fresh = Buffer.alloc(size);
    const held = slabEnd - slabStart;
    if (held > 0) {
      const at = slabStart % slab.length;
      const first = Math.min(held, slab.length - at);
      writeAt(fresh, slabStart, slab.subarray(at, at + first));
      if (first < held) writeAt(fresh, slabStart + first, slab.subarray(0, held - first));
    }
    slab = fresh;
  }

  function dropOldest() {
    const slot = head;
    extrasBytes -= extras[slot]?.cost ?? 0;
    const conversation = conversations[slot]!;
    const entry = held.get(conversation)!;
    if (--entry.count === 0) {
      held.delete(conversation);
      conversationsBytes -= entry.cost;
    }
    laneOf[slot]?.dropIf(seqs[slot]!);
    conversations[slot] = undefined;
    extras[slot] = undefined;
    laneOf[slot] = undefined;
    head = (head + 1) % capacity;
    count--;
    dropped++;
    slabStart = count === 0 ? slabEnd : starts[head]!;
  }

  /** Index (0 = oldest held) of the event with this seq, or -1. Seqs only grow, and are usually consecutive. */
  function indexOf(seq: number): number {
    if (count === 0) return -1;
    const guess = seq - seqs[head]!;
    if (guess >= 0 && guess < count && seqs[slotAt(guess)] === seq) return guess;
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqs[slotAt(mid)]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo < count && seqs[slotAt(lo)] === seq ? lo : -1;
  }

  /**
   * The lane of `key`, made if there is none. Lanes stay when they empty, so a reader's positions in them
   * stay valid; past KEPT_LANES (sessions and addresses come and go), the empty ones go.
   */
  function open(key: string): LaneImpl {
    let lane = lanes.get(key);
    if (lane) return lane;
    if (lanes.size >= sweepAt) {
      for (const [k, l] of lanes) if (l.end === l.start) lanes.delete(k);
      sweepAt = Math.max(KEPT_LANES, 2 * lanes.size);
    }
    lane = new LaneImpl(key, laneRoom);
    lanes.set(key, lane);
    return lane;
  }

  function headerAt(i: number): EventHeader {
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
      length: lengths[slot]!,
      pdus: extra?.pdus,
      errorCode: extra?.errorCode ?? "",
      errorMessage: extra?.errorMessage ?? "",
      streamOffset: offsets[slot]!,
      segment: extra?.segment,
      peerMs: extra?.peerMs,
    };
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
      peerMs: extra?.peerMs,
    };
  }

  return {
    maxEvents,
    maxBytes,
    push(key, event) {
      if (!(event.seq > lastSeq)) throw new RangeError(`event ${event.seq} pushed after event ${lastSeq}: events enter the store once, in seq order`);
      lastSeq = event.seq;
      let data = event.data;
      // Room is made for a string's longest UTF-8 form (3 bytes per UTF-16 unit) and it is encoded
      // straight into the slab; measuring it first would cost as much as encoding it.
      let room = typeof data === "string" ? data.length * 3 : data.length;
      // One event larger than the whole store keeps its first bytes.
      if (room + SLOT_BYTES > maxBytes) {
        const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
        data = bytes.subarray(0, Math.min(bytes.length, Math.max(0, maxBytes - SLOT_BYTES)));
        room = data.length;
      }
      const extra = extraCost(event);
      const cost = room + SLOT_BYTES + extra;
      // A conversation new to the store brings its info (dropping the oldest events may make it new again).
      let known = held.get(event.conversation);
      let info = known ? 0 : conversationBytes(event.conversation);
      while (count > 0 && (count >= maxEvents || slabEnd - slabStart + count * SLOT_BYTES + extrasBytes + conversationsBytes + cost + info > maxBytes)) {
        dropOldest();
        if (known && known.count === 0) {
          known = undefined;
          info = conversationBytes(event.conversation);
        }
      }
      if (known) known.count++;
      else {
        held.set(event.conversation, { count: 1, cost: info });
        conversationsBytes += info;
      }
      if (count === capacity) growSlots();
      if (slabEnd - slabStart + room > slab.length) growSlab(slabEnd - slabStart + room);

      let length = 0;
      if (room > 0) {
        const at = slabEnd % slab.length;
        if (typeof data !== "string") {
          writeAt(slab, slabEnd, data);
          length = data.length;
        } else if (at + room <= slab.length) {
          length = slab.write(data, at, "utf8");
        } else {
          const bytes = Buffer.from(data, "utf8");
          writeAt(slab, slabEnd, bytes);
          length = bytes.length;
        }
      }
      const lane = open(key);
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
          ? { pdus: event.pdus, errorCode: event.errorCode, errorMessage: event.errorMessage, segment: event.segment, peerMs: event.peerMs, cost: extra }
          : undefined;
      laneOf[slot] = lane;
      extrasBytes += extra;
      slabEnd += length;
      count++;
      // The lane's cost is what the store charges, with the room a string was given as its size until
      // it is written: the written length is what it holds.
      lane.append(event.seq, length + SLOT_BYTES + extra + info);

      const waiting = watchers.get(key);
      if (waiting) {
        watchers.delete(key);
        for (const wake of waiting) wake();
      }
    },
    lane: (key) => lanes.get(key),
    open,
    event(seq) {
      const i = indexOf(seq);
      return i < 0 ? undefined : eventAt(i);
    },
    header(seq) {
      const i = indexOf(seq);
      return i < 0 ? undefined : headerAt(i);
    },
    watch(key, wake) {
      let waiting = watchers.get(key);
      if (!waiting) watchers.set(key, (waiting = new Set()));
      waiting.add(wake);
    },
    unwatch(key, wake) {
      const waiting = watchers.get(key);
      if (!waiting) return;
      waiting.delete(wake);
      if (waiting.size === 0) watchers.delete(key);
    },
    get size() {
      return count;
    },
    get bytes() {
      return slabEnd - slabStart + count * SLOT_BYTES + extrasBytes + conversationsBytes;
    },
    get allocatedBytes() {
      return slab.length + capacity * COLUMN_BYTES + laneRoom.entries * (SLOT_BYTES - COLUMN_BYTES) + extrasBytes + conversationsBytes;
    },
    get dropped() {
      return dropped;
    },
    get lanes() {
      return lanes.size;
    },
  };
}
