// A session's timeline: the events it may see, in seq order, bounded by count and by bytes. It holds
// no events itself: they live once in the host's store (store.ts), in lanes, and a ring is a view of
// the lanes it reads (its own: the lab clients the session opened; and one per source address the
// session's browser came from: the students' own programs there), each from a floor (where the ring
// began to read it, or was last cleared). Twenty sessions at one address cost what one does.
//
// Bounds: each lane is read through a window of the ring's bounds (its newest maxEvents events that
// fit in maxBytes); what falls out of the window, or out of the store, counts as dropped. The store's
// own bounds keep the host's memory whatever the sessions do. Readers keep a cursor (the last seq
// they saw) instead of a queue: a slow reader costs nothing.

import type { CapturedEvent, RecordedEvent } from "./events";
import { createEventStore, SLOT_BYTES, type EventHeader, type EventStore, type Lane } from "./store";

export { SLOT_BYTES, type EventHeader };

export interface Ring {
  readonly maxEvents: number;
  readonly maxBytes: number;
  /**
   * Adds the event to this ring's own lane: the store keeps a copy (its bytes are copied; the caller
   * may reuse them). A ring not yet bound to a store gets a store of its own, of its bounds.
   */
  push(event: RecordedEvent): void;
  /** Binds the ring to `store` unless it has one already; returns the store the ring reads. */
  attach(store: EventStore): EventStore;
  /**
   * Also shows the events the store puts into lane `key` (one source address's external traffic),
   * from the next one on. Needs a store (attach first).
   */
  follow(key: string): void;
  /** Up to `limit` events with seq > afterSeq, oldest first. */
  after(afterSeq: number, limit: number): CapturedEvent[];
  /** Up to `limit` of the newest events with seq < beforeSeq, oldest first (a page's latest screen, or one page back). */
  before(beforeSeq: number, limit: number): CapturedEvent[];
  /** after() as seqs, reading no event: a reader that has most of them in hand already (the brief cache) reads few. */
  seqsAfter(afterSeq: number, limit: number): number[];
  /** before() as seqs. */
  seqsBefore(beforeSeq: number, limit: number): number[];
  /**
   * The event with a seq that seqsAfter or seqsBefore gave, while the store holds it: unlike event(), it does not
   * look again for the seq in the ring's lanes.
   */
  held(seq: number): CapturedEvent | undefined;
  /**
   * The seqs of the events this ring shows, oldest first: the timeline as it is now, 8 bytes an event,
   * without reading one event (a long reader, the pcapng export, takes it as its snapshot).
   */
  seqs(): Float64Array;
  /**
   * The event with this seq if this ring shows it or showed it (a clear, or its window moving on, hides
   * events from after() and before(), not from a reader that holds their seqs), while the store holds it.
   * Never another session's event.
   */
  event(seq: number): CapturedEvent | undefined;
  /** event(seq) without copying its bytes (their length instead). */
  header(seq: number): EventHeader | undefined;
  /**
   * The event's number in this session's timeline: 1 for the first event the ring could show, counting every
   * event its lanes held since it began to read them (a clear or a drop does not renumber what is left, so a
   * number keeps naming its event). For a seq that is no event of the ring, the number the next one would have.
   */
  number(seq: number): number;
  /** Hides every event so far from this ring (other sessions' rings keep theirs). */
  clear(): void;
  readonly size: number;
  /** What the events this ring shows cost in the store: payloads plus a fixed cost per event. */
  readonly bytes: number;
  /** Events dropped since the ring was created or last cleared (out of its bounds, or out of the store). */
  readonly dropped: number;
  /** Increases on every clear, so readers can tell a clear from an empty ring. */
  readonly generation: number;
  /** Resolves on the next event this ring may show, on a clear, or when the signal aborts. */
  changed(signal?: AbortSignal): Promise<void>;
}

/** One lane a ring reads, from `floor` (a position in `lane`). */
interface Source {
  readonly key: string;
  lane: Lane | undefined;
  floor: number;
  /** Where the ring began to read the lane: a clear moves `floor`, not this (see event()). */
  since: number;
  /** Events of the lanes this source read before its lane went and came back empty (they keep their numbers). */
  before: number;
}

let rings = 0;

export function createRing(maxEvents: number, maxBytes: number): Ring {
  const own = `ring ${++rings}`;
  let store: EventStore | undefined;
  const sources: Source[] = [];
  let generation = 0;
  /** Dropped events of lanes that emptied and went (their positions mean nothing any more). */
  let carried = 0;
  let waiters: (() => void)[] = [];
  /** Whether wake() is registered with the store for every source. */
  let armed = false;

  function wake() {
    armed = false;
    if (waiters.length === 0) return;
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  }

  function arm() {
    if (armed || !store) return;
    armed = true;
    for (const s of sources) store.watch(s.key, wake);
  }

  function disarm() {
    if (!armed || !store) return;
    armed = false;
    for (const s of sources) store.unwatch(s.key, wake);
  }

  function bind(to: EventStore): EventStore {
    if (store) return store;
    store = to;
    const lane = to.open(own);
    sources.push({ key: own, lane, floor: lane.end, since: lane.end, before: 0 });
    if (waiters.length > 0) arm();
    return store;
  }

  /**
   * Each source's current lane. A lane the store swept away was empty: its events are all dropped, and
   * a lane under the same key afterwards holds only newer events, which this ring may all see.
   */
  function resolve(): readonly Source[] {
    if (!store) return sources;
    for (const s of sources) {
      const current = store.lane(s.key);
      if (current === s.lane) continue;
      if (s.lane) {
        carried += Math.max(0, s.lane.end - s.floor);
        s.before += Math.max(0, s.lane.end - s.since);
      }
      s.lane = current;
      s.floor = 0;
      s.since = 0;
    }
    return sources;
  }

  const windowOf = (s: Source) => s.lane!.windowStart(s.floor, maxEvents, maxBytes);

  /** Whether `seq` is in one of the ring's lanes, from where the ring began to read it. */
  function shows(seq: number): boolean {
    for (const s of resolve()) {
      if (!s.lane) continue;
      const at = s.lane.firstAbove(seq - 1, s.since);
      if (at < s.lane.end && s.lane.seqAt(at) === seq) return true;
    }
    return false;
  }

  function eventsAt(seqs: readonly number[]): CapturedEvent[] {
    const out: CapturedEvent[] = [];
    for (const seq of seqs) {
      // A lane holds only events the store holds; checked anyway, as the store answers by seq.
      const event = store?.event(seq);
      if (event) out.push(event);
    }
    return out;
  }

  function seqsAfter(afterSeq: number, limit: number): number[] {
    const open: { lane: Lane; at: number }[] = [];
    for (const s of resolve()) {
      if (!s.lane) continue;
      const at = s.lane.firstAbove(afterSeq, windowOf(s));
      if (at < s.lane.end) open.push({ lane: s.lane, at });
    }
    // A merge by seq of the lanes' entries (a ring reads one lane or a few).
    const seqs: number[] = [];
    while (seqs.length < limit && open.length > 0) {
      let best = 0;
      for (let i = 1; i < open.length; i++) if (open[i]!.lane.seqAt(open[i]!.at) < open[best]!.lane.seqAt(open[best]!.at)) best = i;
      const pick = open[best]!;
      seqs.push(pick.lane.seqAt(pick.at++));
      if (pick.at >= pick.lane.end) open.splice(best, 1);
    }
    return seqs;
  }

  function seqsBefore(beforeSeq: number, limit: number): number[] {
    const open: { lane: Lane; at: number; from: number }[] = [];
    for (const s of resolve()) {
      if (!s.lane) continue;
      const from = windowOf(s);
      // The first entry with seq >= beforeSeq (seqs are integers); the walk goes down from just before it.
      const at = s.lane.firstAbove(beforeSeq - 1, from) - 1;
      if (at >= from) open.push({ lane: s.lane, at, from });
    }
    const seqs: number[] = [];
    while (seqs.length < limit && open.length > 0) {
      let best = 0;
      for (let i = 1; i < open.length; i++) if (open[i]!.lane.seqAt(open[i]!.at) > open[best]!.lane.seqAt(open[best]!.at)) best = i;
      const pick = open[best]!;
      seqs.push(pick.lane.seqAt(pick.at--));
      if (pick.at < pick.from) open.splice(best, 1);
    }
    return seqs.reverse();
  }

  return {
    maxEvents,
    maxBytes,
    push(event) {
      bind(store ?? createEventStore({ maxEvents, maxBytes })).push(own, event);
    },
    attach: bind,
    follow(key) {
      if (!store) throw new Error("follow() needs a store: attach the ring first");
      if (sources.some((s) => s.key === key)) return;
      const lane = store.open(key);
      sources.push({ key, lane, floor: lane.end, since: lane.end, before: 0 });
      if (armed) store.watch(key, wake);
    },
    after(afterSeq, limit) {
      return eventsAt(seqsAfter(afterSeq, limit));
    },
    before(beforeSeq, limit) {
      return eventsAt(seqsBefore(beforeSeq, limit));
    },
    seqsAfter,
    seqsBefore,
    held(seq) {
      return store?.event(seq);
    },
    seqs() {
      // Each lane's next seq is kept beside it: a million events take tens of milliseconds, in one go.
      const open: { lane: Lane; at: number; seq: number }[] = [];
      let total = 0;
      for (const s of resolve()) {
        if (!s.lane) continue;
        const at = windowOf(s);
        if (at < s.lane.end) open.push({ lane: s.lane, at, seq: s.lane.seqAt(at) });
        total += s.lane.end - at;
      }
      const out = new Float64Array(total);
      let n = 0;
      while (open.length > 1) {
        let best = open[0]!;
        for (let i = 1; i < open.length; i++) if (open[i]!.seq < best.seq) best = open[i]!;
        out[n++] = best.seq;
        if (++best.at < best.lane.end) best.seq = best.lane.seqAt(best.at);
        else open.splice(open.indexOf(best), 1);
      }
      const last = open[0];
      if (last) for (let at = last.at; at < last.lane.end; at++) out[n++] = last.lane.seqAt(at);
      return out;
    },
    event(seq) {
      return shows(seq) ? store?.event(seq) : undefined;
    },
    header(seq) {
      return shows(seq) ? store?.header(seq) : undefined;
    },
    number(seq) {
      let n = 1;
      for (const s of resolve()) {
        n += s.before;
        if (s.lane) n += s.lane.firstAbove(seq - 1, s.since) - s.since;
      }
      return n;
    },
    clear() {
      for (const s of resolve()) s.floor = s.lane?.end ?? 0;
      carried = 0;
      generation++;
      disarm();
      wake();
    },
    get size() {
      let n = 0;
      for (const s of resolve()) if (s.lane) n += s.lane.end - windowOf(s);
      return n;
    },
    get bytes() {
      let n = 0;
      for (const s of resolve()) if (s.lane) n += s.lane.bytesBetween(windowOf(s), s.lane.end);
      return n;
    },
    get dropped() {
      let n = carried;
      for (const s of resolve()) if (s.lane) n += Math.max(0, windowOf(s) - s.floor);
      return n;
    },
    get generation() {
      return generation;
    },
    changed(signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
          signal?.removeEventListener("abort", aborted);
          resolve();
        };
        const aborted = () => {
          waiters = waiters.filter((w) => w !== done);
          // Nobody waits any more: the store need not remember this ring.
          if (waiters.length === 0) disarm();
          resolve();
        };
        waiters.push(done);
        signal?.addEventListener("abort", aborted, { once: true });
        arm();
      });
    },
  };
}
