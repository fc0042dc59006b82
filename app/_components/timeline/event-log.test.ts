// What the browser keeps of a Watch stream: replay, duplicates after a reconnect, dropped, cleared.

import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { WatchResponseSchema } from "@/gen/lab/v1/lab_pb";
import { ConversationSchema, EventKind, EventSchema } from "@/gen/lab/v1/timeline_pb";
import { createEventLog } from "./event-log";

const conversation = create(ConversationSchema, { id: "c1", service: "tcp-echo" });
const event = (seq: number, bytes = 0, conversationId = "c1") =>
  create(EventSchema, { seq: BigInt(seq), conversationId, kind: EventKind.DATA, data: new Uint8Array(bytes) });
const response = (init: MessageInitShape<typeof WatchResponseSchema>) => create(WatchResponseSchema, init);

describe("createEventLog", () => {
  it("keeps conversations and events and counts their bytes", () => {
    const log = createEventLog();
    expect(log.apply(response({ conversations: [conversation], events: [event(1, 5), event(2, 11)] }))).toBe(true);
    const snapshot = log.snapshot();
    expect(snapshot.conversations.get("c1")?.service).toBe("tcp-echo");
    expect(snapshot.events.map((e) => e.seq)).toEqual([1n, 2n]);
    expect(snapshot.counters).toEqual({ events: 2, bytes: 16 });
    expect(log.lastSeq).toBe(2n);
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

  it("skips events already held, as a reconnect after lastSeq can repeat", () => {
    const log = createEventLog();
    log.apply(response({ events: [event(1), event(2)] }));
    expect(log.apply(response({ events: [event(2), event(1)] }))).toBe(false);
    log.apply(response({ events: [event(2), event(3)] }));
    expect(log.snapshot().events.map((e) => e.seq)).toEqual([1n, 2n, 3n]);
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
    expect(snapshot.events.map((e) => e.seq)).toEqual([3n]);
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
    expect(log.snapshot().events).toEqual([]);
    expect(log.size).toBe(0);
  });
});
