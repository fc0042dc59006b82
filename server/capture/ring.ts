// A session's timeline ring: events in seq order, bounded by count and by bytes. When a bound is
// exceeded the oldest events go and `dropped` counts them, so memory never grows with traffic.
// Readers keep a cursor (the last seq they saw) instead of a queue: a slow reader costs nothing.

import type { CapturedEvent } from "./events";

export interface Ring {
  readonly maxEvents: number;
  readonly maxBytes: number;
  push(event: CapturedEvent): void;
  /** Up to `limit` events with seq > afterSeq, oldest first. */
  after(afterSeq: number, limit: number): CapturedEvent[];
  clear(): void;
  readonly size: number;
  readonly bytes: number;
  /** Events dropped since the ring was created or last cleared. */
  readonly dropped: number;
  /** Increases on every clear, so readers can tell a clear from an empty ring. */
  readonly generation: number;
  /** Resolves on the next push or clear, or when the signal aborts. */
  changed(signal?: AbortSignal): Promise<void>;
}

/**
 * Bytes an event holds on to: the payload, its ArrayBuffer's own overhead and the event object
 * (measured with heap snapshots on Node 20: about 250 bytes besides the payload).
 */
export function eventCost(event: CapturedEvent): number {
  return 256 + event.data.byteLength;
}

export function createRing(maxEvents: number, maxBytes: number): Ring {
  // A growable circular buffer: `head` is the oldest element, `count` elements from there on.
  let items: (CapturedEvent | undefined)[] = new Array(Math.min(1024, maxEvents));
  let head = 0;
  let count = 0;
  let bytes = 0;
  let dropped = 0;
  let generation = 0;
  let waiters: (() => void)[] = [];

  const at = (i: number) => items[(head + i) % items.length] as CapturedEvent;

  function wake() {
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  }

  function dropOldest() {
    const oldest = at(0);
    items[head] = undefined;
    head = (head + 1) % items.length;
    count--;
    bytes -= eventCost(oldest);
    dropped++;
  }

  function grow() {
    const next: (CapturedEvent | undefined)[] = new Array(Math.min(items.length * 2, maxEvents));
    for (let i = 0; i < count; i++) next[i] = at(i);
    items = next;
    head = 0;
  }

  return {
    maxEvents,
    maxBytes,
    push(event) {
      const cost = eventCost(event);
      while (count > 0 && (count >= maxEvents || bytes + cost > maxBytes)) dropOldest();
      if (count === items.length) grow();
      items[(head + count) % items.length] = event;
      count++;
      bytes += cost;
      wake();
    },
    after(afterSeq, limit) {
      // Binary search for the first event with seq > afterSeq.
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (at(mid).seq <= afterSeq) lo = mid + 1;
        else hi = mid;
      }
      const out: CapturedEvent[] = [];
      for (let i = lo; i < count && out.length < limit; i++) out.push(at(i));
      return out;
    },
    clear() {
      items = new Array(Math.min(1024, maxEvents));
      head = 0;
      count = 0;
      bytes = 0;
      dropped = 0;
      generation++;
      wake();
    },
    get size() {
      return count;
    },
    get bytes() {
      return bytes;
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
