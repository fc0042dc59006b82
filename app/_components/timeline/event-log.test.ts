// What the browser keeps of a Watch stream: replay, duplicates after a reconnect, dropped, cleared.

import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ConversationSchema, EventKind, EventSchema } from "@/gen/lab/v1/timeline_pb";
import { timelineEventOf } from "./batch";
import { createEventLog, MAX_EVENTS, type LogUpdate } from "./event-log";

const conversation = create(ConversationSchema, { id: "c1", service: "tcp-echo" });
const event = (seq: number, bytes = 0, conversationId = "c1") =>
  timelineEventOf(create(EventSchema, { seq: BigInt(seq), conversationId, kind: EventKind.DATA, data: new Uint8Array(bytes) }));
/** A Watch response as the store hands it over, its batch read (a response with only `caughtUp` carries nothing). */
const response = ({ caughtUp: _caughtUp, ...init }: Partial<LogUpdate> & { caughtUp?: boolean }): LogUpdate => ({
  conversations: [],
  events: [],
  dropped: 0n,
  cleared: false,
  ...init,
});

describe("createEventLog", () => {
  it("keeps conversations and events and counts their bytes", () => {
    const log = createEventLog();
    expect(log.apply(response({ conversations: [conversation], events: [event(1, 5), event(2, 11)] }))).toBe(true);
    const snapshot = log.snapshot();
    expect(snapshot.conversations.get("c1")?.service).toBe("tcp-echo");
    expect([...snapshot.events].map((e) => e.seq)).toEqual([1n, 2n]);
    expect(snapshot.counters).toEqual({ events: 2, bytes: 16 });
    expect(log.lastSeq).toBe(2n);
  });

  it("counts captured segments and their bytes on the wire apart from the messages", () => {
    const log = createEventLog({ maxEvents: 4 });
    // "hello\n" written, then the 72-byte packet that carried it (Ethernet, IPv4, TCP with timestamps).
    const segment = (seq: number) =>
      timelineEventOf(create(EventSchema, { seq: BigInt(seq), conversationId: "c1", kind: EventKind.SEGMENT, data: new Uint8Array(72), payloadLength: 6 }));
    log.apply(response({ conversations: [conversation], events: [event(1, 6), segment(2), segment(3)] }));
    let snapshot = log.snapshot();
    expect(snapshot.counters).toEqual({ events: 1, bytes: 6 });
    expect(snapshot.wire).toEqual({ segments: 2, bytes: 144 });
    // Past the limit the oldest go, and their counts with them.
    log.apply(response({ events: [event(4, 12), segment(5)] }));
    snapshot = log.snapshot();
    expect([...snapshot.events].map((e) => e.seq)).toEqual([2n, 3n, 4n, 5n]);
    expect(snapshot.counters).toEqual({ events: 1, bytes: 12 });
    expect(snapshot.wire).toEqual({ segments: 3, bytes: 216 });
    log.apply(response({ cleared: true }));
    expect(log.snapshot().wire).toEqual({ segments: 0, bytes: 0 });
  });

  it("hands out the same snapshot until something changes, and never mutates one handed out", () => {
    const log = createEventLog();
    log.apply(response({ conversations: [conversation], events: [event(1)] }));
    const first = log.snapshot();
    expect(log.snapshot()).toBe(first);
    expect(log.apply(response({ caughtUp: true }))).toBe(false);
    expect(log.snapshot()).toBe(first);
    log.apply(response({ events: [event(2)] }));
    const second = log.snapshot();
    expect(second).not.toBe(first);
    expect(first.events).toHaveLength(1);
    expect(second.events).toHaveLength(2);
    // No new conversation: the map is shared, so a memo keyed on it does not rerun.
    expect(second.conversations).toBe(first.conversations);
  });

  it("remembers the last event held when the timeline was cleared, so a selection of it says so", () => {
    const log = createEventLog();
    expect(log.snapshot().clearedThrough).toBe(0n);
    log.apply(response({ conversations: [conversation], events: [event(1), event(2)] }));
    log.apply(response({ cleared: true, events: [event(3)] }));
    const snapshot = log.snapshot();
    expect(snapshot.clearedThrough).toBe(2n);
    expect([...snapshot.events].map((e) => e.seq)).toEqual([3n]);
  });

  it("skips events already held, as a reconnect after lastSeq can repeat", () => {
    const log = createEventLog();
    log.apply(response({ events: [event(1), event(2)] }));
    expect(log.apply(response({ events: [event(2), event(1)] }))).toBe(false);
    log.apply(response({ events: [event(2), event(3)] }));
    expect([...log.snapshot().events].map((e) => e.seq)).toEqual([1n, 2n, 3n]);
  });

  it("keeps the running dropped count when a response leaves it unset", () => {
    const log = createEventLog();
    log.apply(response({ dropped: 40n }));
    log.apply(response({ events: [event(41)] }));
    expect(log.snapshot().dropped).toBe(40);
    log.apply(response({ dropped: 45n }));
    expect(log.snapshot().dropped).toBe(45);
  });

  it("forgets everything on cleared, then takes what the same response carries", () => {
    const log = createEventLog();
    log.apply(response({ conversations: [conversation], events: [event(1, 3), event(2, 4)], dropped: 9n }));
    log.apply(response({ cleared: true, events: [event(3, 2, "c2")] }));
    const snapshot = log.snapshot();
    expect(snapshot.conversations.size).toBe(0);
    expect([...snapshot.events].map((e) => e.seq)).toEqual([3n]);
    expect(snapshot.counters).toEqual({ events: 1, bytes: 2 });
    expect(snapshot.dropped).toBe(0);
    // Seq keeps growing across a clear, so Watch still resumes after the last one seen.
    expect(log.lastSeq).toBe(3n);
  });

  it("brings back a cleared conversation when it sends again", () => {
    const log = createEventLog();
    log.apply(response({ conversations: [conversation], events: [event(1)] }));
    log.apply(response({ cleared: true }));
    expect(log.snapshot().conversations.size).toBe(0);
    log.apply(response({ events: [event(2, 4)] }));
    expect(log.snapshot().conversations.get("c1")?.service).toBe("tcp-echo");
  });

  it("reset empties what the browser holds", () => {
    const log = createEventLog();
    log.apply(response({ conversations: [conversation], events: [event(1, 3)] }));
    log.snapshot();
    log.reset();
    expect([...log.snapshot().events]).toEqual([]);
    expect(log.size).toBe(0);
  });
});

describe("createEventLog's cap", () => {
  const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));

  it("holds 200,000 events by default, as the lab's ring does", () => {
    expect(MAX_EVENTS).toBe(200_000);
  });

  it("drops the oldest events past the cap and counts them with the ring's dropped events", () => {
    const log = createEventLog({ maxEvents: 100 });
    log.apply(response({ conversations: [conversation], dropped: 7n, events: Array.from({ length: 100 }, (_, i) => event(i + 1, 2)) }));
    // At the cap, nothing goes yet.
    expect(log.size).toBe(100);
    expect(log.snapshot().dropped).toBe(7);

    log.apply(response({ events: [event(101, 3)] }));
    const snapshot = log.snapshot();
    // Past it, the oldest go until a tenth of the cap is free.
    expect([...snapshot.events].map((e) => e.seq)).toEqual(seqs(12, 101));
    expect(snapshot.dropped).toBe(7 + 11);
    expect(snapshot.counters).toEqual({ events: 90, bytes: 89 * 2 + 3 });
    expect(log.lastSeq).toBe(101n);

    // The ring's running count still only grows, and the browser's own drops stay added to it.
    log.apply(response({ dropped: 9n, events: seqs(102, 111).map((seq) => event(Number(seq))) }));
    expect(log.size).toBe(100);
    expect(log.snapshot().dropped).toBe(9 + 11);
    log.apply(response({ events: [event(112)] }));
    expect(log.snapshot().events.firstSeq).toBe(23n);
    expect(log.snapshot().dropped).toBe(9 + 22);
  });

  it("never holds more than the cap, even from one large response", () => {
    const log = createEventLog({ maxEvents: 50 });
    log.apply(response({ events: Array.from({ length: 1_000 }, (_, i) => event(i + 1, 1)) }));
    const snapshot = log.snapshot();
    expect(snapshot.events.length).toBeLessThanOrEqual(50);
    expect(snapshot.events.at(-1)?.seq).toBe(1_000n);
    expect(snapshot.dropped + snapshot.events.length).toBe(1_000);
    expect(snapshot.counters.bytes).toBe(snapshot.events.length);
  });

  it("says when its oldest events went, so that a view frozen on an older snapshot takes a new one", () => {
    const log = createEventLog({ maxEvents: 10 });
    log.apply(response({ conversations: [conversation], events: seqs(1, 10).map((seq) => event(Number(seq))) }));
    const frozen = log.snapshot();
    expect(log.ended).toBe(false);
    log.apply(response({ events: [event(11)] }));
    expect(log.ended).toBe(true);
    // The frozen view's first events are gone: it reads nothing for them, and what is still held as before.
    expect(frozen.events.at(0)).toBeUndefined();
    expect(frozen.events.at(9)?.seq).toBe(10n);
    const fresh = log.snapshot();
    expect(log.ended).toBe(false);
    expect([fresh.events.firstSeq, fresh.events.lastSeq]).toEqual([3n, 11n]);
    log.apply(response({ cleared: true }));
    expect(log.ended).toBe(true);
  });

  it("forgets its own drops on cleared, as it forgets the ring's", () => {
    const log = createEventLog({ maxEvents: 10 });
    log.apply(response({ events: Array.from({ length: 30 }, (_, i) => event(i + 1)) }));
    expect(log.snapshot().dropped).toBeGreaterThan(0);
    log.apply(response({ cleared: true, events: [event(31)] }));
    expect(log.snapshot().dropped).toBe(0);
    expect(log.size).toBe(1);
  });

  it("counts the events after a seq, for what a paused view has not shown", () => {
    const log = createEventLog({ maxEvents: 10 });
    log.apply(response({ events: Array.from({ length: 10 }, (_, i) => event(i + 1)) }));
    expect(log.countAfter(4n)).toBe(6);
    expect(log.countAfter(0n)).toBe(10);
    expect(log.countAfter(10n)).toBe(0);
    // After the oldest are dropped, a seq older than everything held counts all of it.
    log.apply(response({ events: [event(11), event(12)] }));
    expect(log.countAfter(1n)).toBe(log.size);
  });

  it("puts older pages before the first event while the lab says it holds more, and only next to it", () => {
    const log = createEventLog({ maxEvents: 10 });
    const other = create(ConversationSchema, { id: "c0", service: "time" });
    log.apply(response({ conversations: [conversation], events: [event(20, 3), event(21, 4)], moreBefore: true }));
    expect(log.snapshot().moreBefore).toBe(true);
    expect(log.firstSeq).toBe(20n);
    // A page that does not end before the first event held (it crossed a clear) is not taken.
    expect(log.prepend({ conversations: [], events: [event(25)], moreBefore: true })).toBe(false);
    expect(log.prepend({ conversations: [other], events: [event(17, 1, "c0"), event(19, 2)], moreBefore: true })).toBe(true);
    let snapshot = log.snapshot();
    expect([...snapshot.events].map((e) => e.seq)).toEqual([17n, 19n, 20n, 21n]);
    expect(snapshot.conversations.get("c0")?.service).toBe("time");
    expect(snapshot.counters).toEqual({ events: 4, bytes: 10 });
    expect(log.lastSeq).toBe(21n);
    // Past the room left, the oldest of a page are not taken, and nothing more is asked for.
    log.prepend({ conversations: [], events: Array.from({ length: 8 }, (_, i) => event(5 + i)), moreBefore: true });
    snapshot = log.snapshot();
    expect([...snapshot.events].map((e) => e.seq)).toEqual([7n, 8n, 9n, 10n, 11n, 12n, 17n, 19n, 20n, 21n]);
    expect(snapshot.moreBefore).toBe(false);
    expect(log.prepend({ conversations: [], events: [event(1)], moreBefore: false })).toBe(false);
    // A clear forgets that older events exist.
    const again = createEventLog();
    again.apply(response({ events: [event(5)], moreBefore: true }));
    again.apply(response({ cleared: true }));
    expect(again.snapshot().moreBefore).toBe(false);
  });
});
