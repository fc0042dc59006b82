// The timeline's reader on a real ring: the newest events first and paging back, one event whole on demand,
// batches that stay small and bounded, and briefs made once however many pages read them.

import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { createBatchReader, type TimelineEvent } from "@/app/_components/timeline/batch";
import { GetEarlierEventsResponseSchema, WatchResponseSchema, type WatchResponse } from "@/gen/lab/v1/lab_pb";
import { EventKind } from "@/gen/lab/v1/timeline_pb";
import { RUN_ID } from "../capture/bus";
import type { ConversationInfo, RecordedEvent } from "../capture/events";
import { notePeerProcess } from "../capture/peer-process";
import { createRing, type Ring } from "../capture/ring";
import { createEventStore } from "../capture/store";
import { dissectorFor } from "../dissect/protocols";
import { createTimelineReader, isBinaryContentType, type TimelineLimits } from "./watch";

function conversation(n: number, origin: ConversationInfo["origin"] = "external"): ConversationInfo {
  return {
    id: `c${n}.${RUN_ID}`,
    transport: "tcp",
    client: { ip: "127.0.0.1", port: 50000 + n },
    server: { ip: "127.0.0.1", port: 8888 },
    service: "tcp-echo",
    protocol: "text",
    origin,
    owner: undefined,
  };
}

let seq = 0;
/** An echo exchange: the 8-byte message and its answer, 1 ms apart. */
function pushEcho(ring: Ring, conv: ConversationInfo, text = "hi there") {
  const at = seq;
  const event = (direction: "c2s" | "s2c", data: string): RecordedEvent => ({
    seq: ++seq,
    conversation: conv,
    kind: "data",
    direction,
    monoMs: 1000 + seq * 0.25,
    wallMs: 1_700_000_000_000 + seq,
    data,
    pdus: undefined,
    errorCode: "",
    errorMessage: "",
    streamOffset: -1,
    segment: undefined,
  });
  ring.push(event("c2s", text));
  ring.push(event("s2c", `ECHO: ${text}`));
  return at + 1;
}

/**
 * Reads a stream until it is caught up (or `until` says), as a page does. With `binary`, as the page's binary
 * transport gets it: each response as toBinary writes it, decoded.
 */
async function readStream(
  ring: Ring,
  reader: ReturnType<typeof createTimelineReader>,
  request: { afterSeq?: bigint; runId?: string; latest?: number },
  until: (responses: WatchResponse[]) => boolean = (rs) => rs.some((r) => r.caughtUp),
  { binary = false }: { binary?: boolean } = {},
) {
  const abort = new AbortController();
  const responses: WatchResponse[] = [];
  const events: TimelineEvent[] = [];
  const batches = createBatchReader();
  const stream = reader.follow(ring, { $typeName: "lab.v1.WatchRequest", afterSeq: 0n, runId: "", latest: 0, ...request }, abort.signal, { binary });
  for await (const sent of stream) {
    const response = binary ? fromBinary(WatchResponseSchema, toBinary(WatchResponseSchema, sent)) : sent;
    responses.push(response);
    if (response.batch) events.push(...batches.read(response.batch).events);
    if (until(responses)) break;
  }
  abort.abort();
  return { responses, events };
}

const limits = (l: Partial<TimelineLimits>) => l;

describe("the timeline reader", () => {
  it("replays what the ring holds as briefs, with the summary and findings the ladder shows", async () => {
    const ring = createRing(1000, 1 << 20);
    const reader = createTimelineReader(dissectorFor);
    pushEcho(ring, conversation(1));
    const { responses, events } = await readStream(ring, reader, {});
    expect(responses[0]).toMatchObject({ runId: RUN_ID, cleared: false });
    expect(events.map((e) => [e.kind, e.length, e.summary, e.findings.map((f) => f.code)])).toEqual([
      [EventKind.DATA, 8, '"hi there"', ["text.no_terminator", "text.encoding"]],
      [EventKind.DATA, 14, '"ECHO: hi there"', ["text.no_terminator", "text.encoding"]],
    ]);
    expect(events[1]!.findings[1]).toMatchObject({ form: "ascii", args: { bytes: "14", chars: "14" } });
    // An external program's bytes come on demand; seqs and times are exact after the differences.
    expect(events[0]!.data).toHaveLength(0);
    expect(events.map((e) => e.seq)).toEqual([BigInt(seq - 1), BigInt(seq)]);
    expect(events[1]!.monoNs - events[0]!.monoNs).toBe(250_000n);
  });

  it("carries a lab client's bytes, which the lessons' panels show", async () => {
    const ring = createRing(1000, 1 << 20);
    pushEcho(ring, conversation(2, "lab-client"), "hello");
    const { events } = await readStream(ring, createTimelineReader(dissectorFor), {});
    expect(events.map((e) => new TextDecoder().decode(e.data))).toEqual(["hello", "ECHO: hello"]);
  });

  it("sends a small echo event in at most 80 bytes", async () => {
    const ring = createRing(10_000, 1 << 24);
    const conv = conversation(3);
    for (let i = 0; i < 500; i++) pushEcho(ring, conv, `msg${String(i).padStart(5, "0")}`);
    const { responses, events } = await readStream(ring, createTimelineReader(dissectorFor), {}, undefined, { binary: true });
    const bytes = responses.reduce((sum, r) => sum + toBinary(WatchResponseSchema, r).length, 0);
    expect(events).toHaveLength(1000);
    expect(bytes / events.length).toBeLessThanOrEqual(80);
  });

  it("replays only the newest `latest` events, says older ones exist, and pages back through them to the first", async () => {
    const ring = createRing(10_000, 1 << 24);
    const conv = conversation(4);
    const first = pushEcho(ring, conv);
    for (let i = 1; i < 50; i++) pushEcho(ring, conv);
    const reader = createTimelineReader(dissectorFor);
    const { responses, events } = await readStream(ring, reader, { latest: 30 });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => BigInt(seq - 29 + i)));
    expect(responses.find((r) => r.batch)?.moreBefore).toBe(true);

    const pages: bigint[][] = [];
    let before = events[0]!.seq;
    for (;;) {
      const page = await reader.earlier(ring, { $typeName: "lab.v1.GetEarlierEventsRequest", beforeSeq: before, limit: 32, runId: RUN_ID });
      const read = createBatchReader().read(page.batch!);
      pages.push(read.events.map((e) => e.seq));
      expect(read.conversations.map((c) => c.id)).toEqual([conv.id]);
      if (!page.moreBefore) break;
      before = read.events[0]!.seq;
    }
    expect(pages.map((p) => p.length)).toEqual([32, 32, 6]);
    expect(pages.reverse().flat()).toEqual(Array.from({ length: 70 }, (_, i) => BigInt(first + i)));
  });

  it("replays everything when the ring holds no more than `latest`, and caps what a page may ask for", async () => {
    const ring = createRing(10_000, 1 << 24);
    const conv = conversation(5);
    for (let i = 0; i < 10; i++) pushEcho(ring, conv);
    const all = await readStream(ring, createTimelineReader(dissectorFor), { latest: 20 });
    expect(all.events).toHaveLength(20);
    expect(all.responses.some((r) => r.moreBefore)).toBe(false);
    const capped = await readStream(ring, createTimelineReader(dissectorFor, limits({ maxLatest: 4 })), { latest: 1_000_000 });
    expect(capped.events).toHaveLength(4);
    const page = await createTimelineReader(dissectorFor, limits({ eventsPerPage: 3 })).earlier(ring, {
      $typeName: "lab.v1.GetEarlierEventsRequest",
      beforeSeq: BigInt(seq),
      limit: 1_000_000,
      runId: RUN_ID,
    });
    expect(page.batch?.events).toHaveLength(3);
    expect(page.moreBefore).toBe(true);
  });

  it("answers a page from another run with nothing", async () => {
    const ring = createRing(100, 1 << 20);
    pushEcho(ring, conversation(6));
    const reader = createTimelineReader(dissectorFor);
    const page = await reader.earlier(ring, { $typeName: "lab.v1.GetEarlierEventsRequest", beforeSeq: BigInt(seq + 1), limit: 10, runId: "old" });
    expect(page.batch).toBeUndefined();
    expect(page.moreBefore).toBe(false);
    expect(() => reader.event(ring, { $typeName: "lab.v1.GetEventRequest", seq: BigInt(seq), runId: "old" })).toThrow(
      expect.objectContaining({ code: 5 }),
    );
  });

  it("keeps batches within their count and size bounds", async () => {
    const ring = createRing(10_000, 1 << 24);
    const conv = conversation(7, "lab-client");
    for (let i = 0; i < 100; i++) pushEcho(ring, conv, "x".repeat(1000));
    const reader = createTimelineReader(dissectorFor, limits({ eventsPerBatch: 50, bytesPerBatch: 20_000 }));
    const { responses, events } = await readStream(ring, reader, {});
    const sizes = responses.flatMap((r) => (r.batch ? [r.batch.events.length] : []));
    expect(events).toHaveLength(200);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(21);
    for (const r of responses) if (r.batch) expect(toBinary(WatchResponseSchema, r).length).toBeLessThan(20_000 + 2 * 1100);
  });

  it("starts its tables over past their bound, and a page reading the stream keeps every name right", async () => {
    const ring = createRing(10_000, 1 << 24);
    for (let n = 0; n < 40; n++) pushEcho(ring, conversation(100 + n));
    const reader = createTimelineReader(dissectorFor, limits({ eventsPerBatch: 4, tableEntries: 10 }));
    const { responses, events } = await readStream(ring, reader, {});
    expect(responses.filter((r) => r.batch?.resetTables).length).toBeGreaterThan(3);
    expect(events.map((e) => e.conversationId)).toEqual(Array.from({ length: 80 }, (_, i) => `c${100 + (i >> 1)}.${RUN_ID}`));
    expect(events.every((e) => e.findings[0]?.code === "text.no_terminator")).toBe(true);
  });

  it("makes each brief once for every stream that reads it", async () => {
    const ring = createRing(10_000, 1 << 24);
    const conv = conversation(8);
    for (let i = 0; i < 100; i++) pushEcho(ring, conv);
    const reader = createTimelineReader(dissectorFor);
    await readStream(ring, reader, {});
    expect(reader.briefsMade).toBe(200);
    await Promise.all(Array.from({ length: 10 }, () => readStream(ring, reader, {})));
    expect(reader.briefsMade).toBe(200);
  });

  it("keeps briefs within its bound, the oldest going first", async () => {
    const ring = createRing(10_000, 1 << 24);
    const conv = conversation(12);
    for (let i = 0; i < 100; i++) pushEcho(ring, conv);
    // Room for about ten small briefs (each weighs a few hundred).
    const reader = createTimelineReader(dissectorFor, limits({ briefCacheBytes: 3000 }));
    await readStream(ring, reader, {});
    expect(reader.briefsMade).toBe(200);
    // The newest few are still there; the oldest are made again, and push the newest out in turn.
    await readStream(ring, reader, { latest: 4 });
    expect(reader.briefsMade).toBe(200);
    await readStream(ring, reader, {});
    expect(reader.briefsMade).toBe(400);
    await readStream(ring, reader, {});
    expect(reader.briefsMade).toBe(600);
    await readStream(ring, reader, { latest: 4 });
    expect(reader.briefsMade).toBe(600);
  });

  it("sends live events that arrive together in one batch", async () => {
    const ring = createRing(10_000, 1 << 24);
    const conv = conversation(9);
    const reader = createTimelineReader(dissectorFor);
    let pushed = false;
    const { responses, events } = await readStream(ring, reader, {}, (rs) => {
      if (rs.some((r) => r.caughtUp) && !pushed) {
        pushed = true;
        // 100 exchanges in one turn of the event loop, as a busy echo server records them.
        setTimeout(() => {
          for (let i = 0; i < 100; i++) pushEcho(ring, conv);
        }, 1);
      }
      return rs.reduce((n, r) => n + (r.batch?.events.length ?? 0), 0) >= 200;
    });
    expect(events).toHaveLength(200);
    // The first event wakes the stream at once; the rest wait the frame's worth of time and go together.
    expect(responses.filter((r) => r.batch).length).toBeLessThanOrEqual(2);
  });

  it("gathers a flood's steady traffic into fewer, larger batches, every event in order", async () => {
    const ring = createRing(10_000, 1 << 24);
    const conv = conversation(10);
    // A batch of 4 events is a flood here, and a flood's batches go 200 ms apart (16 ms otherwise).
    const reader = createTimelineReader(dissectorFor, limits({ busyBatchEvents: 4, busyCoalesceMs: 200 }));
    let pushing: ReturnType<typeof setInterval> | undefined;
    let exchanges = 0;
    const { responses, events } = await readStream(ring, reader, {}, (rs) => {
      if (rs.some((r) => r.caughtUp) && !pushing) {
        // 5 exchanges every 5 ms for 250 ms: steady traffic, never one burst.
        pushing = setInterval(() => {
          for (let i = 0; i < 5 && exchanges < 250; i++, exchanges++) pushEcho(ring, conv);
          if (exchanges >= 250) clearInterval(pushing);
        }, 5);
      }
      return rs.reduce((n, r) => n + (r.batch?.events.length ?? 0), 0) >= 500;
    });
    expect(events).toHaveLength(500);
    expect(events.map((e) => Number(e.seq))).toEqual([...events.map((e) => Number(e.seq))].sort((a, b) => a - b));
    // The first exchanges go at once; from then on a batch goes every 200 ms: over some 250 ms of traffic that is two
    // or three more. At 16 ms apart it would be fifteen or so.
    const batches = responses.filter((r) => (r.batch?.events.length ?? 0) > 0);
    expect(batches.length).toBeLessThanOrEqual(5);
  });

  it("starts over after a clear, with the newest events", async () => {
    const ring = createRing(10_000, 1 << 24);
    const conv = conversation(10);
    pushEcho(ring, conv);
    const reader = createTimelineReader(dissectorFor);
    let cleared = false;
    const { responses, events } = await readStream(ring, reader, { latest: 2 }, (rs) => {
      if (rs.some((r) => r.caughtUp) && !cleared) {
        cleared = true;
        setTimeout(() => {
          ring.clear();
          for (let i = 0; i < 5; i++) pushEcho(ring, conv);
        }, 1);
      }
      return rs.some((r) => r.cleared) && rs.filter((r) => r.batch).length >= 2;
    });
    expect(responses.some((r) => r.cleared)).toBe(true);
    expect(events.at(-1)?.seq).toBe(BigInt(seq));
  });

  it("gives one event whole, only from the ring that holds it, cached within its bound", () => {
    const ring = createRing(1000, 1 << 20);
    const other = createRing(1000, 1 << 20);
    const at = pushEcho(ring, conversation(11), "bytes!");
    const reader = createTimelineReader(dissectorFor, limits({ eventCacheEntries: 1 }));
    const get = (r: Ring, s: number) => reader.event(r, { $typeName: "lab.v1.GetEventRequest", seq: BigInt(s), runId: RUN_ID }).event!;
    const first = get(ring, at);
    expect(new TextDecoder().decode(first.data)).toBe("bytes!");
    expect(first.frames[0]?.fields.map((f) => f.id)).toEqual(["text.line"]);
    expect(first.wallMs).toBe(1_700_000_000_000 + at);
    // Cached: the same frames, with this session's number for it.
    expect(get(ring, at).frames).toBe(first.frames);
    expect(first.number).toBe(BigInt(ring.number(at)));
    // Another session's ring does not hold it, cached or not.
    expect(() => get(other, at)).toThrow(expect.objectContaining({ code: 5 }));
    // With room for one, a second event pushes the first out: asked again, it is made again.
    get(ring, at + 1);
    expect(get(ring, at).frames).not.toBe(first.frames);
    expect(get(ring, at)).toEqual(first);
  });
  // Issue 15 §1.11: the page calls a session's first event "Event 1"; the seq stays the host's.
  it("numbers the events it sends in the session's order, in the stream, in earlier pages and in a whole event", async () => {
    for (let i = 0; i < 50; i++) pushEcho(createRing(100, 1 << 20), conversation(300));
    const ring = createRing(1000, 1 << 20);
    for (let i = 0; i < 4; i++) pushEcho(ring, conversation(301), `n ${i}`);
    const reader = createTimelineReader(dissectorFor, limits({ eventsPerBatch: 3 }));
    const { events } = await readStream(ring, reader, {});
    expect(events.map((e) => e.number)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    expect(events[0]!.seq).toBeGreaterThan(100n);
    const earlier = await reader.earlier(ring, { $typeName: "lab.v1.GetEarlierEventsRequest", beforeSeq: events[5]!.seq, limit: 2, runId: RUN_ID });
    expect(createBatchReader().read(earlier.batch!).events.map((e) => [e.seq, e.number])).toEqual([
      [events[3]!.seq, 4n],
      [events[4]!.seq, 5n],
    ]);
    expect(reader.event(ring, { $typeName: "lab.v1.GetEventRequest", seq: events[6]!.seq, runId: RUN_ID }).event!.number).toBe(7n);
  });

  it("numbers events merged from several lanes as the ring does, each batch's numbers from one look-up", async () => {
    // A session's own lane and its address's lane (a student's nc at 10.0.0.7), interleaved by seq.
    const store = createEventStore({ maxEvents: 10_000, maxBytes: 1 << 24 });
    const ring = createRing(1000, 1 << 20);
    ring.attach(store);
    ring.follow("address 10.0.0.7");
    const lane = { push: (event: RecordedEvent) => store.push("address 10.0.0.7", event) } as unknown as Ring;
    for (let i = 0; i < 9; i++) pushEcho(i % 3 === 0 ? ring : lane, conversation(310 + (i % 3)), `m ${i}`);
    const reader = createTimelineReader(dissectorFor, limits({ eventsPerBatch: 4 }));
    const { events } = await readStream(ring, reader, {});
    expect(events).toHaveLength(18);
    expect(events.map((e) => e.number)).toEqual(events.map((e) => BigInt(ring.number(Number(e.seq)))));
    expect(events.map((e) => e.number)).toEqual(Array.from({ length: 18 }, (_, i) => BigInt(i + 1)));
    const earlier = await reader.earlier(ring, { $typeName: "lab.v1.GetEarlierEventsRequest", beforeSeq: events[12]!.seq, limit: 5, runId: RUN_ID });
    expect(createBatchReader().read(earlier.batch!).events.map((e) => e.number)).toEqual([8n, 9n, 10n, 11n, 12n]);
  });

  it("hands a binary transport its batches as bytes, which read exactly as the decoded batches do", async () => {
    const ring = createRing(10_000, 1 << 24);
    for (let i = 0; i < 30; i++) pushEcho(ring, conversation(200 + (i % 3), i % 2 ? "lab-client" : "external"), `é ${i} ${"y".repeat(i * 10)}`);
    const reader = createTimelineReader(dissectorFor, limits({ eventsPerBatch: 7, tableEntries: 12 }));
    const decoded = await readStream(ring, reader, { latest: 50 });
    const binary = await readStream(ring, reader, { latest: 50 }, undefined, { binary: true });
    expect(binary.events).toHaveLength(50);
    expect(binary.events).toEqual(decoded.events);
    expect(binary.responses).toEqual(decoded.responses);

    // What the stream yields for a binary transport holds no batch message: only its bytes, written as they are.
    const abort = new AbortController();
    const stream = reader.follow(ring, { $typeName: "lab.v1.WatchRequest", afterSeq: 0n, runId: "", latest: 5 }, abort.signal, { binary: true });
    let sent: WatchResponse | undefined;
    for await (const response of stream) if ((sent = response).$unknown) break;
    abort.abort();
    expect(sent?.batch).toBeUndefined();
    expect(sent?.$unknown?.map((u) => u.no)).toEqual([WatchResponseSchema.field.batch!.number]);

    const page = (binary: boolean) =>
      reader.earlier(ring, { $typeName: "lab.v1.GetEarlierEventsRequest", beforeSeq: BigInt(seq - 10), limit: 9, runId: RUN_ID }, { binary });
    const sentBinary = await page(true);
    expect(sentBinary.batch).toBeUndefined();
    expect(fromBinary(GetEarlierEventsResponseSchema, toBinary(GetEarlierEventsResponseSchema, sentBinary))).toEqual(await page(false));
  });

  it("sends a conversation again, with no event, when its program is named after it went out", async () => {
    const ring = createRing(1000, 1 << 20);
    const named = conversation(901);
    const unseen = conversation(902);
    pushEcho(ring, named);
    // Lookups answered when the test says (a real one walks /proc: peer-process.it.test.ts).
    const answers: Array<(found: { pid: number; command: string }) => void> = [];
    const resolver = { lookup: () => new Promise<{ pid: number; command: string } | null>((resolve) => answers.push(resolve)) };
    notePeerProcess(named, resolver);
    notePeerProcess(unseen, resolver);
    expect(answers).toHaveLength(2);

    const abort = new AbortController();
    const batches = createBatchReader();
    const stream = createTimelineReader(dissectorFor).follow(ring, { $typeName: "lab.v1.WatchRequest", afterSeq: 0n, runId: "", latest: 0 }, abort.signal, { binary: true });
    const next = async () => fromBinary(WatchResponseSchema, toBinary(WatchResponseSchema, (await stream.next()).value as WatchResponse));
    const sent: WatchResponse[] = [];
    while (!sent.some((response) => response.caughtUp)) sent.push(await next());
    const first = batches.read(sent.find((response) => response.batch)!.batch!);
    expect(first.conversations.map((c) => [c.id, c.processCommand])).toEqual([[named.id, ""]]);
    expect(first.events).toHaveLength(2);

    // A conversation this stream never sent is not sent for its name; the one it did is, at once, with no event.
    answers[1]!({ pid: 4343, command: "python3" });
    answers[0]!({ pid: 4242, command: "nc" });
    const update = await next();
    abort.abort();
    const read = batches.read(update.batch!);
    expect(read.events).toHaveLength(0);
    expect(read.conversations.map((c) => [c.id, c.processCommand, c.processId])).toEqual([[named.id, "nc", 4242]]);
  });

  it("tells a binary Connect request from a JSON one by its Content-Type", () => {
    expect(["application/proto", "application/connect+proto", "Application/Connect+Proto; charset=x"].map(isBinaryContentType)).toEqual([true, true, true]);
    expect(["application/json", "application/connect+json", "", null, undefined, "application/protobuf"].map(isBinaryContentType)).toEqual([
      false, false, false, false, false, false,
    ]);
  });
});
