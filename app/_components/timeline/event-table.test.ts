// The columnar table of the page's events: what goes in comes out the same, views stay what they were while the
// table grows on both sides, and what the table holds beside its columns (chunks of bytes, finding lists) goes
// with the events that used it.

import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Direction, EventKind, Severity, SummaryItemSchema, TcpSummarySchema } from "@/gen/lab/v1/timeline_pb";
import type { BriefFinding, TimelineEvent } from "./batch";
import { CHUNK_BYTES, createEventTable, eventViewOf } from "./event-table";
import { testEvent } from "./testing";

/** An event as batch.ts reads one from a brief. */
function event(seq: number, init: Partial<TimelineEvent> = {}): TimelineEvent {
  return testEvent({ seq: BigInt(seq), monoNs: 1_000_000_000n + BigInt(seq) * 1000n, summary: `m${seq}`, ...init });
}

const finding = (code: string, args: Record<string, string> = {}): BriefFinding => ({
  code,
  severity: Severity.NOTE,
  form: "",
  args,
  message: "",
});

describe("createEventTable", () => {
  it("gives back every field of every event as it went in", () => {
    const segment = event(7, {
      conversationId: "c2",
      kind: EventKind.SEGMENT,
      direction: Direction.SERVER_TO_CLIENT,
      // A host up for 200 days: monoNs far past 2^53 ns; only differences are kept in float64.
      monoNs: 17_280_000_000_000_000n,
      length: 72,
      data: Uint8Array.from({ length: 66 }, (_, i) => i),
      summary: "8888 → 54321 [PSH, ACK] Seq=24 Ack=7 Win=512 Len=6",
      tcpSummary: create(TcpSummarySchema, {
        srcPort: 8888,
        dstPort: 54321,
        flags: ["PSH", "ACK"],
        items: [create(SummaryItemSchema, { key: "Seq", value: "24" }), create(SummaryItemSchema, { key: "Len", value: "6" })],
      }),
      streamOffset: 23n,
      payloadLength: 6,
      linkType: 276,
      findings: [finding("tcp.retransmission"), finding("text.no_terminator", { line: "2" })],
    });
    const message = event(9, {
      monoNs: 17_280_000_000_500_000n,
      length: 5,
      data: new TextEncoder().encode("hello"),
      moreFrames: 2,
      streamOffset: 0n,
    });
    const error = event(12, { kind: EventKind.ERROR, monoNs: 17_280_000_001_000_000n, errorCode: "ECONNREFUSED", errorMessage: "connect ECONNREFUSED 127.0.0.1:1" });
    const view = eventViewOf([segment, message, error]);
    expect(view.length).toBe(3);
    expect(view.at(0)).toEqual(segment);
    expect(view.at(1)).toEqual(message);
    expect(view.at(2)).toEqual(error);
    expect(view.at(-1)).toEqual(error);
    expect(view.at(3)).toBeUndefined();
    expect(view.at(1.5)).toBeUndefined();
    // The accessors read the same without making the event.
    expect([view.seqAt(0), view.kindAt(0), view.directionAt(0), view.conversationAt(0)]).toEqual([7n, EventKind.SEGMENT, Direction.SERVER_TO_CLIENT, "c2"]);
    expect([view.lengthAt(0), view.payloadLengthAt(0), view.streamOffsetAt(0), view.monoNsAt(2)]).toEqual([72, 6, 23n, 17_280_000_001_000_000n]);
    expect(view.nsAt(2) - view.nsAt(0)).toBe(1_000_000);
    expect([view.firstSeq, view.lastSeq]).toEqual([7n, 12n]);
    // Outside the view: defaults, never another event's values.
    expect([view.seqAt(5), view.kindAt(-1), view.conversationAt(3), view.streamOffsetAt(9)]).toEqual([0n, EventKind.UNSPECIFIED, "", -1n]);
  });

  it("finds events by seq, counts those after one, and lists one conversation's", () => {
    const view = eventViewOf([event(3), event(7, { conversationId: "c2" }), event(8), event(42, { conversationId: "c2" })]);
    expect([3n, 7n, 8n, 42n, 5n, 0n, 99n].map((seq) => view.indexOfSeq(seq))).toEqual([0, 1, 2, 3, -1, -1, -1]);
    expect([0n, 3n, 7n, 41n, 42n].map((seq) => view.countAfter(seq))).toEqual([4, 3, 2, 1, 0]);
    expect(view.ofConversation("c2").map((e) => e.seq)).toEqual([7n, 42n]);
    expect(view.ofConversation("nobody")).toEqual([]);
    const seen: number[] = [];
    view.eachOf("c1", (index) => seen.push(index));
    expect(seen).toEqual([0, 2]);
    expect([...view].map((e) => e.seq)).toEqual([3n, 7n, 8n, 42n]);
  });

  it("keeps a view as it was while events are appended and pages put in front, growing its columns", () => {
    const table = createEventTable();
    for (let seq = 5000; seq < 5010; seq++) table.append(event(seq));
    const before = table.view();
    const mine = before.ofConversation("c1");
    // Past the first allocation (1024 slots) at both ends.
    for (let seq = 5010; seq < 8000; seq++) table.append(event(seq, { data: new Uint8Array([seq & 0xff]) }));
    for (let page = 4; page >= 0; page--) {
      table.prepend(Array.from({ length: 1000 }, (_, i) => event(page * 1000 + i, { summary: `early ${page * 1000 + i}` })));
    }
    expect(table.size).toBe(8000);
    expect(before.length).toBe(10);
    expect([...before].map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(5000 + i)));
    expect(before.ofConversation("c1")).toBe(mine);
    const after = table.view();
    expect([after.firstSeq, after.lastSeq, after.at(4321)?.summary, after.at(7999)?.data]).toEqual([0n, 7999n, "early 4321", new Uint8Array([7999 & 0xff])]);
    expect(after.ofConversation("c1")).toHaveLength(8000);
    expect(after.indexOfSeq(6543n)).toBe(6543);
  });

  it("gives the same whole event again, and the same conversation list while it has nothing new", () => {
    const table = createEventTable();
    table.append(event(1));
    table.append(event(2, { conversationId: "c2" }));
    const first = table.view();
    const list = first.ofConversation("c1");
    expect(first.at(0)).toBe(first.at(0));
    table.append(event(3, { conversationId: "c2" }));
    const second = table.view();
    expect(second.at(0)).toBe(first.at(0));
    expect(second.ofConversation("c1")).toBe(list);
    table.append(event(4));
    const third = table.view();
    const grown = third.ofConversation("c1");
    expect(grown.map((e) => e.seq)).toEqual([1n, 4n]);
    expect(grown[0]).toBe(list[0]);
  });

  it("ends the views that covered dropped events, and a clear ends them all", () => {
    const table = createEventTable();
    for (let seq = 1; seq <= 10; seq++) table.append(event(seq));
    const old = table.view();
    table.dropOldest(4);
    expect(table.size).toBe(6);
    expect(old.at(0)).toBeUndefined();
    expect(old.seqAt(3)).toBe(0n);
    // What it covered that is still held reads as it did.
    expect(old.seqAt(4)).toBe(5n);
    expect(old.ofConversation("c1")).toEqual([]);
    const kept = table.view();
    expect([...kept].map((e) => Number(e.seq))).toEqual([5, 6, 7, 8, 9, 10]);
    table.clear();
    expect(table.size).toBe(0);
    expect(kept.at(0)).toBeUndefined();
    expect(kept.indexOfSeq(5n)).toBe(-1);
    table.append(event(20));
    table.prepend([event(19)]);
    // Positions after a clear are never those of a view from before it.
    expect(kept.at(0)).toBeUndefined();
    expect([...table.view()].map((e) => Number(e.seq))).toEqual([19, 20]);
  });

  it("keeps a lab client's own time of its messages (peerNs) with them, and lets it go with them", () => {
    const table = createEventTable();
    // A client's write 40 µs before the server's read, a client's read 21 µs after a server's write, and an outside
    // program's message with neither.
    const read = event(1, { peerNs: 1_000_000_000n + 1000n - 40_000n });
    const write = event(2, { direction: Direction.SERVER_TO_CLIENT, peerNs: 1_000_000_000n + 2000n + 21_000n });
    table.append(read);
    table.append(write);
    table.append(event(3));
    const view = table.view();
    expect([view.at(0), view.at(1), view.at(2)]).toEqual([read, write, event(3)]);
    expect(view.at(2)).not.toHaveProperty("peerNs");
    table.dropOldest(1);
    table.prepend([event(0)]);
    expect(table.view().at(0)).not.toHaveProperty("peerNs");
    expect(table.view().at(1)).toEqual(write);
  });

  it("lets go of chunks of bytes when no held event uses them", () => {
    const table = createEventTable();
    // 4 KiB a message: 64 fill a shared chunk; 1,000 messages need 16.
    const bytes = new Uint8Array(4096).fill(0x61);
    for (let seq = 1; seq <= 1000; seq++) table.append(event(seq, { length: 4096, data: bytes }));
    expect(table.chunkCount).toBe(Math.ceil((1000 * 4096) / CHUNK_BYTES));
    table.dropOldest(900);
    // What the last hundred use (two chunks, where they straddle), and no more.
    expect(table.chunkCount).toBeLessThanOrEqual(3);
    expect(table.view().at(0)?.data).toEqual(bytes);
    // A message too big for a shared chunk has one of its own, freed with it.
    table.append(event(1001, { data: new Uint8Array(100_000) }));
    const withBig = table.chunkCount;
    table.dropOldest(100);
    expect(table.view().at(0)?.data.length).toBe(100_000);
    table.dropOldest(1);
    expect(table.chunkCount).toBeLessThan(withBig);
    table.clear();
    expect(table.chunkCount).toBe(0);
  });

  it("keeps each list of findings once, and only while an event holds it", () => {
    const table = createEventTable();
    for (let seq = 1; seq <= 100; seq++) table.append(event(seq, { findings: [finding("text.no_terminator")] }));
    expect(table.findingLists).toBe(1);
    expect(table.view().at(0)?.findings).toBe(table.view().at(99)?.findings);
    // Findings whose args differ per event (a length, a value) are as many as the events...
    for (let seq = 101; seq <= 1100; seq++) table.append(event(seq, { findings: [finding("jim.too_long", { length: String(seq) })] }));
    expect(table.findingLists).toBe(1001);
    // ...and go with them.
    table.dropOldest(1050);
    expect(table.findingLists).toBe(50);
    expect(table.view().at(0)?.findings).toEqual([finding("jim.too_long", { length: "1051" })]);
    table.append(event(2000, { findings: [finding("jim.too_long", { length: "1100" })] }));
    expect(table.findingLists).toBe(50);
  });

  it("keeps a bounded number of whole events made, whatever is read", () => {
    const table = createEventTable();
    for (let seq = 1; seq <= 2000; seq++) table.append(event(seq, { conversationId: `c${seq % 40}` }));
    const view = table.view();
    const first = view.at(0);
    for (let index = 0; index < 2000; index++) view.at(index);
    // The first one was made again: it had left the cache.
    expect(view.at(0)).not.toBe(first);
    expect(view.at(0)).toEqual(first);
    // Forty conversations asked for: the first asked is made again too.
    const c0 = view.ofConversation("c0");
    for (let c = 1; c < 40; c++) view.ofConversation(`c${c}`);
    expect(view.ofConversation("c0")).not.toBe(c0);
    expect(view.ofConversation("c0").map((e) => e.seq)).toEqual(c0.map((e) => e.seq));
  });
});
