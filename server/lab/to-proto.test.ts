// What the timeline's stream sends for a field: its id, format and value, and its words only when they are not
// the catalogued ones for that id; a TCP frame's summary in parts; and briefs in batches, written by hand in the
// wire format: what a page reads of them, and the very bytes toBinary would write for the same batch.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { createBatchReader, type TimelineEvent } from "@/app/_components/timeline/batch";
import { Direction, EventBatchSchema, EventKind, HttpPart, Origin, Severity, Transport, type EventBatch, type Field } from "@/gen/lab/v1/timeline_pb";
import type { CapturedEvent, ConversationInfo, EventPdu } from "../capture/events";
import { createStreamSession } from "../dissect/core/stream";
import { dissectorFor } from "../dissect/protocols";
import { loadPacketFixtures } from "../dissect/testdata/fixtures";
import { briefOf, createBatchWriter, eventToProto, SEGMENT_HEAD_BYTES, type BatchWriter, type Brief } from "./to-proto";

const conversation: ConversationInfo = {
  id: "c1",
  transport: "tcp",
  client: { ip: "127.0.0.1", port: 54321 },
  server: { ip: "127.0.0.1", port: 8888 },
  service: "tcp-echo",
  protocol: "text",
  origin: "lab-client",
  owner: undefined,
};

function event(kind: "segment" | "data", data: Uint8Array): CapturedEvent {
  return {
    seq: 1,
    conversation,
    kind,
    direction: "c2s",
    monoMs: 1,
    wallMs: 1,
    data,
    pdus: undefined,
    errorCode: "",
    errorMessage: "",
    streamOffset: -1,
    segment: kind === "segment" ? { linkType: 1, payloadLength: 6, analysis: undefined, checksumsMayBeOffloaded: true } : undefined,
  };
}

function* fields(list: readonly Field[]): Generator<Field> {
  for (const f of list) {
    yield f;
    yield* fields(f.children);
  }
}

describe("eventToProto", () => {
  it("sends a segment's fields by id and value, without the catalogued words", () => {
    const packet = loadPacketFixtures().find((fx) => fx.name === "tcp-lo-conversation")!.packets[3]!;
    const proto = eventToProto(event("segment", packet), dissectorFor);
    const all = proto.frames.flatMap((frame) => [...fields(frame.fields)]);
    expect(all.length).toBeGreaterThan(40);
    expect(all.find((f) => f.id === "tcp.srcport")).toMatchObject({ label: "", blurb: "", display: "", format: "number", args: { value: "54321" } });
    expect(all.every((f) => f.label === "" && f.blurb === "")).toBe(true);
    expect(new Set(all.map((f) => f.id))).toContain("ipv4.ttl");
  });

  it("sends a TCP frame's summary in parts, and none for the other layers", () => {
    const packet = loadPacketFixtures().find((fx) => fx.name === "tcp-lo-conversation")!.packets[3]!;
    const frames = eventToProto(event("segment", packet), dissectorFor).frames;
    const tcp = frames.find((frame) => frame.protocol === "tcp");
    const parts = tcp?.tcpSummary;
    expect(parts).toMatchObject({ srcPort: 54321, dstPort: 8888, flags: ["PSH", "ACK"] });
    const items = parts?.items.map(({ key, value }) => (value === "" ? key : `${key}=${value}`)).join(" ");
    expect(tcp?.summary).toBe(`54321 → 8888 [PSH, ACK] ${items}`);
    expect(items).toMatch(/^Seq=\d+ Ack=\d+ Win=\d+ Len=\d+ TSval=\d+ TSecr=\d+$/);
    expect(frames.filter((frame) => frame.protocol !== "tcp").every((frame) => frame.tcpSummary === undefined)).toBe(true);
  });

  it("does the same for a message's text fields", () => {
    const proto = eventToProto(event("data", new TextEncoder().encode("hello\n")), dissectorFor);
    const all = proto.frames.flatMap((frame) => [...fields(frame.fields)]);
    expect(all.map((f) => [f.id, f.label, f.display, f.format, f.args])).toEqual([
      ["text.line", "", "", "quoted", { text: "hello\\n", cut: "false" }],
      ["text.line.content", "", "", "quoted", { text: "hello", cut: "false" }],
      ["text.line.terminator", "", "", "plain", { text: "LF" }],
    ]);
  });
});

/** A batch as the page gets it: decoded by protobuf-es, then read by the page's batch reader. */
function decode(bytes: Uint8Array): EventBatch {
  const batch = fromBinary(EventBatchSchema, bytes);
  // Hand-written, yet the bytes toBinary writes for the message they decode to: field order, packing, defaults.
  expect(Buffer.from(toBinary(EventBatchSchema, batch)).equals(Buffer.from(bytes))).toBe(true);
  return batch;
}

function pageReads(briefs: readonly Brief[], writer: BatchWriter = createBatchWriter()): TimelineEvent[] {
  return createBatchReader().read(decode(writer.write(briefs).bytes)).events;
}

const briefOne = (e: CapturedEvent) => pageReads([briefOf(e, dissectorFor)])[0]!;

describe("briefOf", () => {
  it("gives a segment's TCP summary line, its parts, its findings and its headers, without a tree", () => {
    const packet = loadPacketFixtures().find((fx) => fx.name === "tcp-lo-conversation")!.packets[3]!;
    const whole = eventToProto(event("segment", packet), dissectorFor);
    const brief = briefOne(event("segment", packet));
    const tcp = whole.frames.find((frame) => frame.protocol === "tcp")!;
    expect(brief).toMatchObject({ kind: EventKind.SEGMENT, summary: tcp.summary, moreFrames: 0, length: packet.length, linkType: 1, payloadLength: 6 });
    expect(brief.tcpSummary).toEqual(tcp.tcpSummary);
    expect(brief.tcpSummary?.items.length).toBeGreaterThan(4);
    expect(brief.findings.map((f) => f.code)).toEqual(whole.frames.flatMap((frame) => frame.findings.map((f) => f.code)));
    expect([...brief.data]).toEqual([...packet.subarray(0, SEGMENT_HEAD_BYTES)]);
  });

  it("gives a message's summary and findings by code, form and args, and its bytes only for a lab client", () => {
    const hello = new TextEncoder().encode("hello\n");
    const brief = briefOne(event("data", hello));
    expect(brief).toMatchObject({ kind: EventKind.DATA, direction: Direction.CLIENT_TO_SERVER, summary: '"hello\\n"', moreFrames: 0, length: 6 });
    expect(brief.findings).toEqual([{ code: "text.encoding", severity: Severity.CHAT, form: "ascii", args: { bytes: "6", chars: "6" }, message: "" }]);
    // The conversation above is a lab client's: the lessons' panels read its bytes.
    expect(new TextDecoder().decode(brief.data)).toBe("hello\n");
    const external = briefOne({ ...event("data", hello), conversation: { ...conversation, origin: "external" } });
    expect(external.data).toHaveLength(0);
    expect(external.length).toBe(6);
  });

  it("carries a UDP flow's lost datagram with its bytes and summary, a timeout with its code, and a duplicate's mark", () => {
    const udp: ConversationInfo = { ...conversation, id: "u1", transport: "udp", server: { ip: "127.0.0.1", port: 8889 }, service: "udp-echo" };
    const bytes = new TextEncoder().encode("d3");
    const lost = briefOne({ ...event("data", bytes), conversation: udp, kind: "lost", errorCode: "EIMPAIRED", errorMessage: "Dropped" });
    expect(lost).toMatchObject({ kind: EventKind.LOST, direction: Direction.CLIENT_TO_SERVER, summary: '"d3"', length: 2, errorCode: "EIMPAIRED" });
    expect(new TextDecoder().decode(lost.data)).toBe("d3");
    const whole = eventToProto({ ...event("data", bytes), conversation: udp, kind: "lost" }, dissectorFor);
    expect(whole.kind).toBe(EventKind.LOST);
    expect(whole.frames[0]!.summary).toBe('"d3"');

    const timeout = briefOne({ ...event("data", new Uint8Array(0)), conversation: udp, kind: "timeout", direction: "s2c", errorCode: "ETIMEDOUT", errorMessage: "No answer within 5 s." });
    expect(timeout).toMatchObject({ kind: EventKind.TIMEOUT, direction: Direction.SERVER_TO_CLIENT, summary: "", length: 0, errorCode: "ETIMEDOUT", errorMessage: "No answer within 5 s." });

    const copy = briefOne({ ...event("data", bytes), conversation: udp, errorCode: "EDUPLICATE" });
    expect(copy).toMatchObject({ kind: EventKind.DATA, summary: '"d3"', errorCode: "EDUPLICATE" });
  });

  it("labels a message as its whole event's first frame, beyond ASCII and past 127 bytes too", () => {
    const text = `héllo ‮ ${"ж".repeat(200)}`;
    const bytes = new TextEncoder().encode(text);
    const whole = eventToProto(event("data", bytes), dissectorFor);
    const brief = briefOne(event("data", bytes));
    expect(brief.summary).toBe(whole.frames[0]!.summary);
    expect(brief.summary).toContain("\\u202e");
    expect(new TextDecoder().decode(brief.data)).toBe(text);
    expect(brief.findings.map((f) => [f.code, f.form, f.args])).toEqual(
      whole.frames[0]!.findings.map((f) => [f.code, f.form, f.args]),
    );
  });

  it("carries the frames a stream session cut, an undeclared finding's English, and an error's code and text", () => {
    const pdu = (summary: string, findings: NonNullable<EventPdu["frames"]>[number]["findings"]): EventPdu => ({
      protocol: "jim",
      direction: "s2c",
      streamOffset: 40,
      length: 3,
      offsetInEvent: 0,
      reassembled: undefined,
      frames: [{ protocol: "jim", summary, offset: 0, length: 3, fields: [], findings }],
      memo: undefined,
      sessionFinding: undefined,
    });
    const made = briefOne({
      ...event("data", new Uint8Array([1, 2, 3])),
      direction: "s2c",
      streamOffset: 40,
      pdus: [
        pdu("first", []),
        pdu("second", [{ code: "jim.made_up", severity: "warn", message: "A finding no table declares.", offset: 0, length: 1, args: { n: 3, why: "" } }]),
      ],
    });
    expect(made).toMatchObject({ summary: "first", moreFrames: 1, streamOffset: 40n, direction: Direction.SERVER_TO_CLIENT });
    expect(made.findings).toEqual([{ code: "jim.made_up", severity: Severity.WARN, form: "", args: { n: "3", why: "" }, message: "A finding no table declares." }]);
    const failed = briefOne({ ...event("data", new Uint8Array(0)), kind: "error", errorCode: "ECONNRESET", errorMessage: "Сброс: the peer reset it." });
    expect(failed).toMatchObject({ kind: EventKind.ERROR, summary: "", length: 0, errorCode: "ECONNRESET", errorMessage: "Сброс: the peer reset it.", streamOffset: -1n });
  });

  it("carries an HTTP/1.x event's messages in parts, pipelined ones each, and GetEvent's frames the same", () => {
    const session = createStreamSession("http1", { dissectorFor });
    const text = "GET /a HTTP/1.1\r\nHost: lab\r\n\r\nPOST /b?x=1 HTTP/1.1\r\nHost: lab\r\nContent-Length: 2\r\n\r\n{}";
    const data = new TextEncoder().encode(text);
    const pdus: EventPdu[] = session.push("c2s", data).map((pdu) => ({
      protocol: pdu.protocol,
      direction: pdu.direction,
      streamOffset: pdu.streamOffset,
      length: pdu.bytes.length,
      offsetInEvent: pdu.streamOffset,
      reassembled: undefined,
      frames: pdu.frames,
      memo: pdu.memo,
      sessionFinding: pdu.sessionFinding,
    }));
    const captured = { ...event("data", data), conversation: { ...conversation, protocol: "http1", service: "http" }, pdus };
    const made = briefOne(captured);
    expect(made.http.map((h) => [h.part, h.method, h.target, h.status, h.length])).toEqual([
      [HttpPart.REQUEST, "GET", "/a", 0, 30],
      [HttpPart.REQUEST, "POST", "/b?x=1", 0, data.length - 30],
    ]);
    const whole = eventToProto(captured, dissectorFor);
    expect(whole.frames.map((f) => f.http?.target)).toEqual(["/a", "/b?x=1"]);
    const answer = new TextEncoder().encode("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    const [pdu] = session.push("s2c", answer);
    const response = briefOne({
      ...captured,
      direction: "s2c",
      data: answer,
      pdus: [{ ...pdus[0]!, direction: "s2c", length: answer.length, offsetInEvent: 0, frames: pdu!.frames, memo: pdu!.memo }],
    });
    expect(response.http.map((h) => [h.part, h.status, h.reason])).toEqual([[HttpPart.RESPONSE, 404, "Not Found"]]);
  });

  it("makes a brief only from what every reader shares: each writer numbers its own tables", () => {
    const brief = briefOf(event("data", new TextEncoder().encode("hi")), dissectorFor);
    const one = createBatchWriter();
    one.write([briefOf({ ...event("data", new TextEncoder().encode("x")), conversation: { ...conversation, id: "c0" } }, dissectorFor)]);
    const [a] = createBatchReader().read(decode(createBatchWriter().write([brief]).bytes)).events;
    const second = decode(one.write([brief]).bytes);
    expect(second.events[0]!.conversation).toBe(1);
    expect(second.strings).toEqual([]);
    expect(a).toMatchObject({ conversationId: "c1", summary: '"hi"' });
  });
});

describe("createBatchWriter", () => {
  const info = (n: number, origin: ConversationInfo["origin"] = "external"): ConversationInfo => ({
    ...conversation,
    id: `c${n}`,
    client: { ip: n % 2 ? "127.0.0.1" : "::1", port: 40000 + n },
    origin,
  });
  const at = (seq: number, monoMs: number, conv: ConversationInfo, text: string): CapturedEvent => ({
    ...event("data", new TextEncoder().encode(text)),
    seq,
    monoMs,
    conversation: conv,
    direction: seq % 2 ? "c2s" : "s2c",
    streamOffset: seq * 10,
  });

  it("writes a timed lab client's end as a difference from the event's time (even 0), and nothing for other events", () => {
    const lab = info(2, "lab-client");
    const read = { ...at(5, 2.5, lab, "hello"), peerMs: 2.46 };
    const write = { ...at(6, 2.75, lab, "ECHO: hello"), peerMs: 2.771 };
    const same = { ...at(7, 3, lab, "x"), peerMs: 3 };
    const outside = at(8, 3.5, info(1), "y");
    const batch = decode(createBatchWriter().write([read, write, same, outside].map((e) => briefOf(e, dissectorFor))).bytes);
    expect(batch.events.map((e) => e.peerDeltaNs)).toEqual([-40_000n, 21_000n, 0n, undefined]);
    const events = createBatchReader().read(batch).events;
    expect(events.map((e) => e.peerNs)).toEqual([2_460_000n, 2_771_000n, 3_000_000n, undefined]);
    expect(eventToProto(read, dissectorFor).peerMonoNs).toBe(2_460_000n);
    expect(eventToProto(outside, dissectorFor).peerMonoNs).toBeUndefined();
  });

  it("writes tables once, seqs and times as differences (a late one negative), and what a page reads is exact", () => {
    const writer = createBatchWriter();
    const first = writer.write([at(5, 2.5, info(1), "a"), at(6, 2.75, info(2, "lab-client"), "bb"), at(9, 2.0, info(1), "ccc")].map((e) => briefOf(e, dissectorFor)));
    const batch = decode(first.bytes);
    expect(batch).toMatchObject({ resetTables: false, firstSeq: 5n, firstMonoNs: 2_500_000n });
    expect(batch.conversations.map((c) => [c.id, c.transport, c.origin, c.client?.ip, c.client?.port, c.server?.port, c.service, c.protocol])).toEqual([
      ["c1", Transport.TCP, Origin.EXTERNAL, "127.0.0.1", 40001, 8888, "tcp-echo", "text"],
      ["c2", Transport.TCP, Origin.LAB_CLIENT, "::1", 40002, 8888, "tcp-echo", "text"],
    ]);
    expect(batch.strings).toEqual(["text.no_terminator", "text.encoding", "ascii", "bytes", "chars"]);
    expect(batch.events.map((e) => [e.seqSkip, e.conversation, e.monoDeltaNs])).toEqual([
      [0n, 0, 0n],
      [0n, 1, 250_000n],
      [2n, 0, -750_000n],
    ]);
    expect(first.delimited.subarray(first.delimited.length - first.bytes.length)).toEqual(first.bytes);
    const events = createBatchReader().read(batch).events;
    expect(events.map((e) => [e.seq, e.monoNs, e.conversationId, e.streamOffset, new TextDecoder().decode(e.data)])).toEqual([
      [5n, 2_500_000n, "c1", 50n, ""],
      [6n, 2_750_000n, "c2", 60n, "bb"],
      [9n, 2_000_000n, "c1", 90n, ""],
    ]);

    // The stream's next batch refers to what the first sent, and adds only what is new.
    const next = decode(writer.write([briefOf(at(10, 3, info(3), "dd"), dissectorFor), briefOf(at(11, 3, info(1), "e"), dissectorFor)]).bytes);
    expect(next.conversations.map((c) => c.id)).toEqual(["c3"]);
    expect(next.strings).toEqual([]);
    expect(next.events.map((e) => e.conversation)).toEqual([2, 0]);
  });

  it("starts its tables over when the next batch would take them past the bound", () => {
    const writer = createBatchWriter({ maxTableEntries: 12 });
    const briefs = (from: number) => [0, 1, 2].map((i) => briefOf(at(from + i, from + i, info(from + i), "x"), dissectorFor));
    const reader = createBatchReader();
    const batches = [1, 4, 7].map((from) => decode(writer.write(briefs(from)).bytes));
    expect(batches.map((b) => b.resetTables)).toEqual([false, true, true]);
    expect(batches.map((b) => b.conversations.length)).toEqual([3, 3, 3]);
    expect(batches.map((b) => b.strings.length)).toEqual([5, 5, 5]);
    const events = batches.flatMap((b) => reader.read(b).events);
    expect(events.map((e) => e.conversationId)).toEqual(Array.from({ length: 9 }, (_, i) => `c${i + 1}`));
    expect(events.every((e) => e.findings.map((f) => f.code).join() === "text.no_terminator,text.encoding")).toBe(true);
  });

  it("writes an empty batch for no briefs", () => {
    const empty = createBatchWriter().write([]);
    expect(empty.bytes).toHaveLength(0);
    expect([...empty.delimited]).toEqual([0]);
  });
});
