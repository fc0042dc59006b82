import { describe, expect, it } from "vitest";
import type { CapturedEvent, ConversationInfo } from "./events";
import { createRing, SLOT_BYTES } from "./ring";
import { conversationBytes, createEventStore } from "./store";

const conversation: ConversationInfo = {
  id: "c1",
  transport: "tcp",
  client: { ip: "127.0.0.1", port: 1 },
  server: { ip: "127.0.0.1", port: 2 },
  service: "tcp-echo",
  protocol: "text",
  origin: "external",
  owner: undefined,
};

function event(seq: number, size = 10, fill = 0): CapturedEvent {
  return {
    seq,
    conversation,
    kind: "data",
    direction: "c2s",
    monoMs: seq,
    wallMs: seq,
    data: new Uint8Array(size).fill(fill),
    pdus: undefined,
    errorCode: "",
    errorMessage: "",
    streamOffset: -1,
    segment: undefined,
  };
}

describe("ring", () => {
  it("drops the oldest events past the event bound and counts them", () => {
    const ring = createRing(100, 1 << 30);
    for (let i = 1; i <= 250; i++) ring.push(event(i));
    expect(ring.size).toBe(100);
    expect(ring.dropped).toBe(150);
    expect(ring.after(0, 1000).map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 151 + i));
  });

  it("drops the oldest events past the byte bound", () => {
    const cost = 1000 + SLOT_BYTES;
    // The store holds the conversation's info once, beside its events.
    const ring = createRing(1_000_000, cost * 5 + conversationBytes(conversation));
    for (let i = 1; i <= 12; i++) ring.push(event(i, 1000, i));
    expect(ring.size).toBe(5);
    expect(ring.bytes).toBe(cost * 5);
    expect(ring.dropped).toBe(7);
    // The bytes that remain are the newest events' own, across the slab's wrap.
    expect(ring.after(0, 10).map((e) => [e.seq, e.data.length, e.data[0], e.data[999]])).toEqual(
      [8, 9, 10, 11, 12].map((i) => [i, 1000, i, i]),
    );
  });

  it("keeps every event's bytes exact as the slab grows and wraps", () => {
    const ring = createRing(300, 64 * 1024);
    const sizes = Array.from({ length: 2000 }, (_, i) => (i * 37) % 700);
    sizes.forEach((size, i) => ring.push(event(i + 1, size, i % 251)));
    const held = ring.after(0, 1000);
    expect(held.length).toBeGreaterThan(0);
    expect(ring.bytes).toBeLessThanOrEqual(64 * 1024);
    for (const e of held) {
      expect(e.data.length).toBe(sizes[e.seq - 1]);
      expect(e.data.every((b) => b === (e.seq - 1) % 251)).toBe(true);
    }
    expect(held.at(-1)?.seq).toBe(2000);
  });

  it("keeps kinds, directions and error text", () => {
    const ring = createRing(10, 1 << 20);
    ring.push({ ...event(1, 0), kind: "error", direction: "s2c", errorCode: "ECONNRESET", errorMessage: "reset" });
    ring.push({ ...event(2, 3), kind: "half-close", direction: "c2s" });
    const [a, b] = ring.after(0, 10);
    expect([a?.kind, a?.direction, a?.errorCode, a?.errorMessage]).toEqual(["error", "s2c", "ECONNRESET", "reset"]);
    expect([b?.kind, b?.direction, b?.errorCode]).toEqual(["half-close", "c2s", ""]);
  });

  it("reads after a cursor with binary search across the wrap", () => {
    const ring = createRing(2000, 1 << 30);
    // 2501 events with odd seqs into 2000 slots: the oldest 501 go and the buffer wraps.
    for (let i = 1; i <= 5001; i += 2) ring.push(event(i));
    expect(ring.dropped).toBe(501);
    const first = ring.after(0, 1)[0]!;
    expect(ring.after(first.seq, 3).map((e) => e.seq)).toEqual([first.seq + 2, first.seq + 4, first.seq + 6]);
    expect(ring.after(4000, 2).map((e) => e.seq)).toEqual([4001, 4003]);
    expect(ring.after(5001, 10)).toEqual([]);
  });

  it("reads the newest events before a seq, oldest first, across the wrap", () => {
    const ring = createRing(2000, 1 << 30);
    for (let i = 1; i <= 5001; i += 2) ring.push(event(i));
    const oldest = ring.after(0, 1)[0]!.seq;
    // The latest screen, then one page back from its first event, then the page that reaches the oldest.
    expect(ring.before(Infinity, 3).map((e) => e.seq)).toEqual([4997, 4999, 5001]);
    expect(ring.before(4997, 2).map((e) => e.seq)).toEqual([4993, 4995]);
    expect(ring.before(4996, 2).map((e) => e.seq)).toEqual([4993, 4995]);
    expect(ring.before(oldest + 4, 10).map((e) => e.seq)).toEqual([oldest, oldest + 2]);
    expect(ring.before(oldest, 10)).toEqual([]);
    expect(ring.before(Infinity, 0)).toEqual([]);
    expect(ring.before(Infinity, 1_000_000)).toHaveLength(2000);
  });

  it("clears, bumps its generation and wakes waiters", async () => {
    const ring = createRing(10, 1 << 20);
    ring.push(event(1));
    const woke = ring.changed();
    ring.clear();
    await woke;
    expect(ring.size).toBe(0);
    expect(ring.generation).toBe(1);
  });
});

describe("ring with text payloads", () => {
  it("stores strings as their UTF-8 bytes, across the slab's wrap", () => {
    const ring = createRing(1000, 8 * 1024);
    const texts = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `Привет ${i}` : `ECHO: message ${i} ${"x".repeat(i % 50)}`));
    texts.forEach((text, i) => ring.push({ ...event(i + 1, 0), data: text }));
    const held = ring.after(0, 1000);
    expect(held.length).toBeGreaterThan(10);
    expect(held.at(-1)?.seq).toBe(300);
    for (const e of held) expect(new TextDecoder().decode(e.data)).toBe(texts[e.seq - 1]);
    expect(ring.bytes).toBeLessThanOrEqual(8 * 1024);
  });
});

describe("rings over one shared store", () => {
  const external = (seq: number, size = 10) => event(seq, size, seq % 251);

  it("stores an event once however many rings follow its lane, and each ring shows it", () => {
    const store = createEventStore({ maxEvents: 10_000, maxBytes: 1 << 24 });
    const rings = Array.from({ length: 50 }, () => createRing(1000, 1 << 20));
    for (const ring of rings) {
      ring.attach(store);
      ring.follow("address 127.0.0.1");
    }
    for (let i = 1; i <= 100; i++) store.push("address 127.0.0.1", external(i, 1000));
    expect(store.size).toBe(100);
    // The conversation's info is counted once, with its first event.
    expect(store.bytes).toBe(100 * (1000 + SLOT_BYTES) + conversationBytes(conversation));
    for (const ring of rings) {
      expect(ring.size).toBe(100);
      expect(ring.bytes).toBe(100 * (1000 + SLOT_BYTES) + conversationBytes(conversation));
      const held = ring.after(0, 1000);
      expect(held.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(held.every((e) => e.data.length === 1000 && e.data.every((b) => b === e.seq % 251))).toBe(true);
    }
  });

  it("merges its own lane with the lanes it follows, in seq order, both ways", () => {
    const store = createEventStore({ maxEvents: 10_000, maxBytes: 1 << 24 });
    const mine = createRing(1000, 1 << 20);
    const other = createRing(1000, 1 << 20);
    mine.attach(store);
    other.attach(store);
    mine.follow("address 10.0.0.1");
    mine.follow("address 10.0.0.2");
    for (let i = 1; i <= 30; i++) {
      if (i % 3 === 0) mine.push(event(i));
      else if (i % 3 === 1) store.push("address 10.0.0.1", event(i));
      else if (i % 5 === 0) other.push(event(i));
      else store.push("address 10.0.0.2", event(i));
    }
    const seen = Array.from({ length: 30 }, (_, i) => i + 1).filter((i) => !(i % 3 === 2 && i % 5 === 0));
    expect(mine.after(0, 100).map((e) => e.seq)).toEqual(seen);
    expect(mine.after(10, 4).map((e) => e.seq)).toEqual([11, 12, 13, 14]);
    expect(mine.before(Infinity, 3).map((e) => e.seq)).toEqual([28, 29, 30]);
    expect(mine.before(20, 4).map((e) => e.seq)).toEqual([16, 17, 18, 19]);
    expect(other.after(0, 100).map((e) => e.seq)).toEqual([5, 20]);
    expect(mine.size).toBe(seen.length);
    // The same as seqs, and each read back whole by seq.
    expect(mine.seqsAfter(10, 4)).toEqual([11, 12, 13, 14]);
    expect(mine.seqsBefore(20, 4)).toEqual([16, 17, 18, 19]);
    expect(mine.seqsAfter(0, 100).map((seq) => mine.held(seq)?.seq)).toEqual(seen);
    expect(Array.from(mine.held(12)!.data)).toEqual(Array.from(event(12).data));
  });

  it("shows a followed lane from the moment it follows, and a clear hides only its own view", () => {
    const store = createEventStore({ maxEvents: 10_000, maxBytes: 1 << 24 });
    const early = createRing(1000, 1 << 20);
    const late = createRing(1000, 1 << 20);
    early.attach(store);
    late.attach(store);
    early.follow("address 127.0.0.1");
    for (let i = 1; i <= 5; i++) store.push("address 127.0.0.1", event(i));
    late.follow("address 127.0.0.1");
    for (let i = 6; i <= 8; i++) store.push("address 127.0.0.1", event(i));
    expect(early.after(0, 100).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(late.after(0, 100).map((e) => e.seq)).toEqual([6, 7, 8]);

    early.clear();
    expect([early.size, early.dropped, early.generation]).toEqual([0, 0, 1]);
    expect(late.after(0, 100).map((e) => e.seq)).toEqual([6, 7, 8]);
    store.push("address 127.0.0.1", event(9));
    expect(early.after(0, 100).map((e) => e.seq)).toEqual([9]);
    expect(late.after(0, 100).map((e) => e.seq)).toEqual([6, 7, 8, 9]);
    expect(store.size).toBe(9);
  });

  // Issue 15 §1.11: a student's first event is "Event 1", whatever the host's seq; a clear or a drop renumbers nothing.
  it("numbers its events from 1 in its own order, across the lanes it reads, through clears and drops", () => {
    const store = createEventStore({ maxEvents: 10_000, maxBytes: 1 << 24 });
    const early = createRing(1000, 1 << 20);
    const late = createRing(3, 1 << 20);
    early.attach(store);
    late.attach(store);
    for (let i = 1; i <= 400; i++) store.push("address 10.9.9.9", event(i));
    early.follow("address 127.0.0.1");
    store.push("address 127.0.0.1", event(401));
    early.push(event(402));
    late.follow("address 127.0.0.1");
    for (let i = 403; i <= 405; i++) store.push("address 127.0.0.1", event(i));
    late.push(event(406));
    early.push(event(407));
    const numbers = (ring: typeof early) => ring.after(0, 100).map((e) => [e.seq, ring.number(e.seq)]);
    expect(numbers(early)).toEqual([[401, 1], [402, 2], [403, 3], [404, 4], [405, 5], [407, 6]]);
    expect(numbers(late)).toEqual([[403, 1], [404, 2], [405, 3], [406, 4]]);
    // Past its bound of 3 a lane's oldest is dropped; those left keep their numbers.
    store.push("address 127.0.0.1", event(408));
    expect(numbers(late)).toEqual([[404, 2], [405, 3], [406, 4], [408, 5]]);
    // After a clear the count goes on: the next event is not "Event 1" again.
    early.clear();
    store.push("address 127.0.0.1", event(409));
    expect(numbers(early)).toEqual([[409, 8]]);
    // A seq the ring does not show gets the number its next event would have.
    expect(early.number(406)).toBe(6);
  });

  it("lists the seqs it shows without reading an event, and hands over by seq only events it shows or showed", () => {
    const store = createEventStore({ maxEvents: 12, maxBytes: 1 << 24 });
    const mine = createRing(2, 1 << 20);
    const other = createRing(1000, 1 << 20);
    mine.attach(store);
    other.attach(store);
    store.push("address 10.0.0.1", event(1)); // before mine follows that address
    mine.follow("address 10.0.0.1");
    for (let i = 2; i <= 9; i++) {
      if (i % 3 === 0) other.push(event(i, 4, i));
      else if (i % 2 === 0) mine.push(event(i, 4, i));
      else store.push("address 10.0.0.1", event(i, 4, i));
    }
    // Its own lane and the address's, merged; 2 has left its own lane's window of 2 events.
    expect([...mine.seqs()]).toEqual([4, 5, 7, 8]);
    expect(mine.seqs()).toBeInstanceOf(Float64Array);
    expect([...other.seqs()]).toEqual([3, 6, 9]);
    // Out of its window, still in the store and its lane: a reader that holds the seq gets it.
    expect(mine.event(2)?.data).toEqual(new Uint8Array(4).fill(2));
    // Another session's event, and the address's traffic from before it followed: never.
    expect([mine.event(3), mine.event(6), mine.event(1), mine.header(3), mine.event(99)]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const header = mine.header(5)!;
    expect([header.seq, header.kind, header.length, "data" in header]).toEqual([5, "data", 4, false]);

    mine.clear();
    expect([...mine.seqs()]).toEqual([]);
    expect(mine.event(8)?.data).toEqual(new Uint8Array(4).fill(8));
    // Gone from the store: gone for everyone.
    for (let i = 10; i <= 21; i++) other.push(event(i));
    expect([mine.event(8), mine.header(8), store.event(8)]).toEqual([undefined, undefined, undefined]);
  });

  it("counts events the store dropped, and events past its own bounds, as dropped for each ring", () => {
    const store = createEventStore({ maxEvents: 100, maxBytes: 1 << 24 });
    const small = createRing(10, 1 << 20);
    const large = createRing(1000, 1 << 20);
    for (const ring of [small, large]) {
      ring.attach(store);
      ring.follow("address 127.0.0.1");
    }
    for (let i = 1; i <= 250; i++) store.push("address 127.0.0.1", event(i));
    expect(store.dropped).toBe(150);
    expect([large.size, large.dropped]).toEqual([100, 150]);
    expect(large.after(0, 1).map((e) => e.seq)).toEqual([151]);
    expect([small.size, small.dropped]).toEqual([10, 240]);
    expect(small.after(0, 100).map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 241 + i));
    // By bytes: three events of 1000 bytes fit in a ring of 3 * (1000 + SLOT_BYTES).
    const narrow = createRing(1000, 3 * (1000 + SLOT_BYTES));
    narrow.attach(store);
    narrow.follow("address 127.0.0.1");
    for (let i = 251; i <= 260; i++) store.push("address 127.0.0.1", event(i, 1000));
    expect(narrow.after(0, 100).map((e) => e.seq)).toEqual([258, 259, 260]);
    expect([narrow.bytes, narrow.dropped]).toEqual([3 * (1000 + SLOT_BYTES), 7]);
  });

  it("keeps following a lane whose events all went, and counts what went", async () => {
    const store = createEventStore({ maxEvents: 4, maxBytes: 1 << 24 });
    const watcher = createRing(1000, 1 << 20);
    const busy = createRing(1000, 1 << 20);
    watcher.attach(store);
    busy.attach(store);
    watcher.follow("address 10.0.0.9");
    store.push("address 10.0.0.9", event(1));
    store.push("address 10.0.0.9", event(2));
    // Someone else's traffic pushes the address's events out of the store.
    for (let i = 3; i <= 6; i++) busy.push(event(i));
    expect([store.lane("address 10.0.0.9")?.start, store.lane("address 10.0.0.9")?.end]).toEqual([2, 2]);
    expect([watcher.size, watcher.dropped]).toEqual([0, 2]);
    const woke = watcher.changed();
    store.push("address 10.0.0.9", event(7));
    await woke;
    expect(watcher.after(0, 10).map((e) => e.seq)).toEqual([7]);
    expect(watcher.dropped).toBe(2);
  });

  it("sweeps empty lanes once there are many, and a ring follows its key into the new lane", async () => {
    const store = createEventStore({ maxEvents: 4, maxBytes: 1 << 24 });
    const watcher = createRing(1000, 1 << 20);
    watcher.attach(store);
    watcher.follow("address 10.0.0.9");
    store.push("address 10.0.0.9", event(1));
    store.push("address 10.0.0.9", event(2));
    // Ten thousand addresses later (one event each), the empty lanes go, the address's among them.
    let seq = 2;
    for (let i = 0; i < 10_001; i++) store.push(`address 10.1.${i >> 8}.${i & 255}`, event(++seq));
    expect(store.lane("address 10.0.0.9")).toBeUndefined();
    expect(store.lanes).toBeLessThan(100);
    expect([watcher.size, watcher.dropped]).toEqual([0, 2]);
    const woke = watcher.changed();
    store.push("address 10.0.0.9", event(++seq));
    await woke;
    expect(watcher.after(0, 10).map((e) => e.seq)).toEqual([seq]);
    expect(watcher.dropped).toBe(2);
  });

  it("wakes a waiting ring on its lanes' events only, and forgets a waiter whose signal aborted", async () => {
    const store = createEventStore({ maxEvents: 100, maxBytes: 1 << 24 });
    const ring = createRing(100, 1 << 20);
    ring.attach(store);
    ring.follow("address 10.0.0.1");
    let woken = false;
    const waiting = ring.changed().then(() => (woken = true));
    store.push("address 10.0.0.2", event(1));
    await Promise.resolve();
    expect(woken).toBe(false);
    store.push("address 10.0.0.1", event(2));
    await waiting;
    expect(woken).toBe(true);
    const abort = new AbortController();
    const aborted = ring.changed(abort.signal);
    abort.abort();
    await aborted;
    expect(ring.after(0, 10).map((e) => e.seq)).toEqual([2]);
  });

  it("refuses an event out of seq order, which would break every reader's cursor", () => {
    const store = createEventStore({ maxEvents: 100, maxBytes: 1 << 20 });
    store.push("a", event(5));
    expect(() => store.push("b", event(5))).toThrow(RangeError);
    expect(() => store.push("b", event(4))).toThrow(RangeError);
  });
});
