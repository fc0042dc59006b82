// The two zooms checked with real values: a loopback echo session as tcpdump and the tap record it
// (segments late on the capture pipe), rows sorted by time, which segments carried which message's
// bytes, segment labels shortened for narrow lanes, the zoom in the URL and the capture mode.

import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Direction, EventKind, EventSchema, FieldSchema, FrameSchema, Severity, type TcpSummarySchema } from "@/gen/lab/v1/timeline_pb";
import { CaptureMode, CaptureOff, CaptureStatusSchema } from "@/gen/lab/v1/lab_pb";
import { captureOf } from "../capture-status";
import { carriedPart, rowName, type TimelineT } from "./describe";
import {
  byteRange,
  carriedBytes,
  deepestFieldAt,
  frameFindings,
  extendRows,
  labelChars,
  linkTypeName,
  captureStatusOf,
  sameCaptureStatus,
  parseZoom,
  rangeOverlap,
  relatedEvents,
  rowOfEvent,
  segmentFlags,
  segmentSummary,
  selectionSearch,
  segmentLabel,
  segmentLabelLevel,
  shownAtZoom,
  splitCaptureReason,
  streamRange,
  timeBase,
  zoomOrder,
  zoomSearch,
  type RowFilter,
  type RowIndex,
} from "./model";
import { timelineEventOf, type TimelineEvent } from "./batch";
import { createEventTable, eventViewOf } from "./event-table";

/** An event as the page holds it, made from a whole one as the host makes its brief. */
const timelineEvent = (init: MessageInitShape<typeof EventSchema>): TimelineEvent => timelineEventOf(create(EventSchema, init));

const text = (s: string) => new TextEncoder().encode(s);
const C2S = Direction.CLIENT_TO_SERVER;
const S2C = Direction.SERVER_TO_CLIENT;

function at(seq: number, ms: number, init: MessageInitShape<typeof EventSchema>): TimelineEvent {
  return timelineEvent({ seq: BigInt(seq), conversationId: "c1", monoNs: BigInt(Math.round(ms * 1e6)), ...init });
}

/** A message as the tap records it while capture runs: its bytes and where they sit in the stream. */
function message(seq: number, ms: number, direction: Direction, data: string, streamOffset: number, conversationId = "c1"): TimelineEvent {
  return at(seq, ms, { kind: EventKind.DATA, direction, data: text(data), streamOffset: BigInt(streamOffset), conversationId });
}

/** A TCP summary line and its parts, as the host sends both for a TCP frame. */
interface TcpLine {
  readonly summary: string;
  readonly parts: MessageInitShape<typeof TcpSummarySchema>;
}

/** The line `[tags] src → dst [flags] items` and its parts; `items` as the line writes them, "Seq=0 SACK_PERM". */
function tcpLine(src: number, dst: number, flags: string[], items: string, tags = ""): TcpLine {
  const list = items.split(" ").map((item) => {
    const [key = "", value = ""] = item.split("=");
    return { key, value };
  });
  return { summary: `${tags}${src} → ${dst} [${flags.join(", ") || "<None>"}] ${items}`, parts: { srcPort: src, dstPort: dst, flags, items: list } };
}

/** A segment with only its TCP frame's summary and its parts (the bytes do not matter to the join or the label). */
function segment(
  seq: number,
  ms: number,
  direction: Direction,
  line: TcpLine,
  streamOffset: number,
  payloadLength: number,
  conversationId = "c1",
): TimelineEvent {
  return at(seq, ms, {
    kind: EventKind.SEGMENT,
    direction,
    conversationId,
    linkType: 1, // tcpdump -i lo: Ethernet with zero addresses
    streamOffset: BigInt(streamOffset),
    payloadLength,
    frames: [
      { protocol: "eth", summary: "Ethernet II, Src: 00:00:00_00:00:00, Dst: 00:00:00_00:00:00", offset: 0, length: 14 },
      { protocol: "ipv4", summary: "Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1", offset: 14, length: 20 },
      { protocol: "tcp", summary: line.summary, tcpSummary: line.parts, offset: 34, length: 32 },
    ],
  });
}

// An echo session on loopback, in the order the lab host recorded it (seq): the tap's accept comes
// before the capture pipe delivers the handshake that caused it, and each message before its segment.
const SYN = tcpLine(54321, 8888, ["SYN"], "Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=3613907542 TSecr=0 WS=128");
const SYN_ACK = tcpLine(8888, 54321, ["SYN", "ACK"], "Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=3613907542 TSecr=3613907542 WS=128");
const ACK = tcpLine(54321, 8888, ["ACK"], "Seq=1 Ack=1 Win=512 Len=0 TSval=3613907542 TSecr=3613907542");
const WELCOME = tcpLine(8888, 54321, ["PSH", "ACK"], "Seq=1 Ack=1 Win=512 Len=23 TSval=3613907643 TSecr=3613907542");
const HELLO_ITEMS = "Seq=1 Ack=24 Win=512 Len=6 TSval=3613912001 TSecr=3613907643";
const HELLO = tcpLine(54321, 8888, ["PSH", "ACK"], HELLO_ITEMS);
const RETRANSMISSION = tcpLine(54321, 8888, ["PSH", "ACK"], HELLO_ITEMS, "[TCP Retransmission] ");
const ECHO = tcpLine(8888, 54321, ["PSH", "ACK"], "Seq=24 Ack=7 Win=512 Len=12 TSval=3613912002 TSecr=3613912001");

const session: TimelineEvent[] = [
  at(1, 10.03, { kind: EventKind.OPEN }),
  segment(2, 9.95, C2S, SYN, 0, 0),
  segment(3, 9.962, S2C, SYN_ACK, 0, 0),
  segment(4, 9.975, C2S, ACK, 0, 0),
  message(5, 10.1, S2C, "Welcome to TCP Server!\n", 0),
  segment(6, 10.09, S2C, WELCOME, 0, 23),
  message(7, 4012.4, C2S, "hello\n", 0),
  message(8, 4012.6, S2C, "ECHO: hello\n", 23),
  segment(9, 4012.39, C2S, HELLO, 0, 6),
  segment(10, 4012.59, S2C, ECHO, 23, 12),
];

const rowsOf = (index: RowIndex) => Array.from({ length: index.count }, (_, row) => index.row(row));
const seqsOf = (index: RowIndex) => rowsOf(index).map((row) => (row?.kind === "event" ? index.events.seqAt(row.index) : "gap"));
const view = eventViewOf;

describe("zooms", () => {
  it("shows socket events among messages and only segments among segments", () => {
    const messages = session.filter((event) => shownAtZoom("messages", event)).map((event) => event.seq);
    const segments = session.filter((event) => shownAtZoom("segments", event)).map((event) => event.seq);
    expect(messages).toEqual([1n, 5n, 7n, 8n]);
    expect(segments).toEqual([2n, 3n, 4n, 6n, 9n, 10n]);
    expect(zoomOrder("messages")).toBe("seq");
    expect(zoomOrder("segments")).toBe("time");
  });

  it("starts the time column at the earliest event, a SYN seen before the accept it caused", () => {
    expect(timeBase(view(session))).toBe(9_950_000n);
    expect(timeBase(view([]))).toBe(0n);
    // Only the first events are looked at: the capture lags milliseconds, not thousands of events.
    expect(timeBase(view(session), 1)).toBe(10_030_000n);
  });

  it("keeps the zoom in the URL beside the selection", () => {
    expect(zoomSearch("?e=42&f=0.1", "segments")).toBe("?e=42&f=0.1&z=segments");
    expect(zoomSearch("?e=42&z=segments", "messages")).toBe("?e=42");
    expect(zoomSearch("", "messages")).toBe("");
    expect(selectionSearch("?z=segments", { seq: 9n, field: null })).toBe("?z=segments&e=9");
    expect(parseZoom(new URLSearchParams("z=segments"))).toBe("segments");
    expect(parseZoom(new URLSearchParams("z=packets"))).toBe("messages");
    expect(parseZoom(new URLSearchParams(""))).toBe("messages");
  });
});

describe("rows in time order", () => {
  let scanned = 0;
  const segments: RowFilter = (events, index) => (scanned++, events.kindAt(index) === EventKind.SEGMENT);

  it("sorts segments by monoNs, with a gap row where the client paused", () => {
    const index = extendRows(null, view(session), segments, undefined, "time");
    expect(seqsOf(index)).toEqual([2n, 3n, 4n, 6n, "gap", 9n, 10n]);
    expect(index.row(4)).toEqual({ kind: "gap", ns: 4_002_300_000n, beforeIndex: 8 });
    expect(rowOfEvent(index, 8)).toBe(5);
    expect(rowOfEvent(index, 1)).toBe(0);
    expect(rowOfEvent(index, 0)).toBe(-1);
  });

  it("puts a late segment in its place and leaves the earlier result as it was", () => {
    // Captured on two interfaces: the second packet was seen 1.5 ms before the first.
    const a = at(1, 5.0, { kind: EventKind.SEGMENT });
    const b = at(2, 3.5, { kind: EventKind.SEGMENT });
    const c = at(3, 6.0, { kind: EventKind.SEGMENT });
    const table = createEventTable();
    table.append(a);
    const first = extendRows(null, table.view(), segments, undefined, "time");
    table.append(b);
    const second = extendRows(first, table.view(), segments, undefined, "time");
    expect(seqsOf(second)).toEqual([2n, 1n]);
    expect(seqsOf(first)).toEqual([1n]);
    expect(rowOfEvent(second, 0)).toBe(1);
    expect(rowOfEvent(second, 1)).toBe(0);
    // In order again: only the new event is scanned.
    table.append(c);
    scanned = 0;
    const third = extendRows(second, table.view(), segments, undefined, "time");
    expect(scanned).toBe(1);
    expect(seqsOf(third)).toEqual([2n, 1n, 3n]);
    expect(seqsOf(second)).toEqual([2n, 1n]);
  });

  it("recomputes the gaps around a late segment", () => {
    const x = at(1, 0, { kind: EventKind.SEGMENT });
    const y = at(2, 2000, { kind: EventKind.SEGMENT });
    const z = at(3, 1000.5, { kind: EventKind.SEGMENT });
    const table = createEventTable();
    table.append(x);
    table.append(y);
    const before = extendRows(null, table.view(), segments, undefined, "time");
    expect(rowsOf(before)).toEqual([
      { kind: "event", index: 0, gapBeforeNs: null },
      { kind: "gap", ns: 2_000_000_000n, beforeIndex: 1 },
      { kind: "event", index: 1, gapBeforeNs: 2_000_000_000n },
    ]);
    table.append(z);
    const after = extendRows(before, table.view(), segments, undefined, "time");
    expect(rowsOf(after)).toEqual([
      { kind: "event", index: 0, gapBeforeNs: null },
      { kind: "gap", ns: 1_000_500_000n, beforeIndex: 2 },
      { kind: "event", index: 2, gapBeforeNs: 1_000_500_000n },
      { kind: "event", index: 1, gapBeforeNs: null },
    ]);
    expect(rowOfEvent(after, 1)).toBe(3);
    expect(rowOfEvent(after, 2)).toBe(2);
  });

  it("orders equal times by seq, and rebuilds when the order changes", () => {
    const p = at(1, 7, { kind: EventKind.SEGMENT });
    const q = at(2, 7, { kind: EventKind.SEGMENT });
    const pq = view([p, q]);
    const byTime = extendRows(null, pq, segments, undefined, "time");
    expect(seqsOf(byTime)).toEqual([1n, 2n]);
    scanned = 0;
    const bySeq = extendRows(byTime, pq, segments, undefined, "seq");
    expect(scanned).toBe(2);
    expect(bySeq.order).toBe("seq");
  });
});

describe("which segments carried which message", () => {
  const hello = session[6]!;
  const echo = session[7]!;
  const helloSegment = session[8]!;
  const echoSegment = session[9]!;
  const welcomeSegment = session[5]!;

  it("takes a message's range from its bytes and a segment's from its payload", () => {
    expect(streamRange(echo)).toEqual({ start: 23n, end: 35n });
    expect(streamRange(echoSegment)).toEqual({ start: 23n, end: 35n });
    expect(streamRange(session[2]!)).toBeNull(); // SYN-ACK: no payload
    expect(streamRange(session[0]!)).toBeNull(); // open
  });

  it("overlaps half-open ranges only where they share a byte", () => {
    expect(rangeOverlap({ start: 0n, end: 6n }, { start: 6n, end: 18n })).toBeNull();
    expect(rangeOverlap({ start: 0n, end: 7n }, { start: 6n, end: 18n })).toEqual({ start: 6n, end: 7n });
    expect(rangeOverlap({ start: 10n, end: 20n }, { start: 0n, end: 100n })).toEqual({ start: 10n, end: 20n });
  });

  it("joins a message to the segments of its conversation and direction that overlap it", () => {
    expect(relatedEvents(view(session), hello).map((event) => event.seq)).toEqual([9n]);
    expect(relatedEvents(view(session), echo).map((event) => event.seq)).toEqual([10n]);
    expect(relatedEvents(view(session), echoSegment).map((event) => event.seq)).toEqual([8n]);
    expect(relatedEvents(view(session), welcomeSegment).map((event) => event.seq)).toEqual([5n]);
    // Bytes 0–5 of the client's stream are not bytes 0–5 of the server's.
    expect(carriedBytes(helloSegment, session[4]!)).toBeNull();
    // A pure ACK carries nothing; lifecycle marks have nothing to carry.
    expect(relatedEvents(view(session), session[3]!)).toEqual([]);
    expect(relatedEvents(view(session), session[0]!)).toEqual([]);
    expect(relatedEvents(view(session), undefined)).toEqual([]);
  });

  it("does not join across conversations", () => {
    const other = segment(11, 4012.7, C2S, HELLO, 0, 6, "c2");
    expect(carriedBytes(other, hello)).toBeNull();
    expect(relatedEvents(view([...session, other]), hello).map((event) => event.seq)).toEqual([9n]);
  });

  it("finds two writes coalesced into one segment, and one write cut into two", () => {
    // Nagle: "ab" and "cd" written back to back leave in one 4-byte segment.
    const ab = message(1, 1, C2S, "ab", 0);
    const cd = message(2, 1.01, C2S, "cd", 2);
    const both = segment(3, 1.2, C2S, tcpLine(54321, 8888, ["PSH", "ACK"], "Seq=1 Ack=1 Win=512 Len=4"), 0, 4);
    expect(relatedEvents(view([ab, cd, both]), both).map((event) => event.seq)).toEqual([1n, 2n]);
    expect(carriedBytes(both, cd)).toEqual({ start: 2n, end: 4n });
    // A 100,000-byte write over loopback (MSS 65483 with timestamps): two segments.
    const big = at(4, 2, { kind: EventKind.DATA, direction: C2S, data: new Uint8Array(100_000), streamOffset: 4n });
    const first = segment(5, 2.1, C2S, tcpLine(54321, 8888, ["ACK"], "Seq=5 Ack=1 Win=512 Len=65483"), 4, 65483);
    const second = segment(6, 2.2, C2S, tcpLine(54321, 8888, ["PSH", "ACK"], "Seq=65488 Ack=1 Win=512 Len=34521"), 65487, 34521);
    expect(relatedEvents(view([ab, cd, both, big, first, second]), big).map((event) => event.seq)).toEqual([5n, 6n]);
    expect(carriedBytes(second, big)).toEqual({ start: 65487n, end: 100_004n });
  });

  it("counts a retransmission as carrying the same bytes again", () => {
    const again = segment(11, 4212.4, C2S, RETRANSMISSION, 0, 6);
    expect(relatedEvents(view([...session, again]), hello).map((event) => event.seq)).toEqual([9n, 11n]);
  });

  it("tells the part of the message a segment carried", () => {
    const t = ((key: string, values?: Record<string, string | number>) =>
      `${key}${values ? ` ${JSON.stringify(values)}` : ""}`) as unknown as TimelineT;
    expect(carriedPart(t, echo, { start: 23n, end: 35n })).toBe('partWhole {"n":12}');
    expect(carriedPart(t, echo, { start: 29n, end: 35n })).toBe('partBytes {"from":6,"to":11,"n":12}');
    expect(carriedPart(t, echo, { start: 34n, end: 35n })).toBe('partByte {"from":11,"n":12}');
  });
});

describe("segment labels", () => {
  const seg = (line: TcpLine) => segment(1, 1, C2S, line, 0, 0);
  const lines = [SYN, SYN_ACK, ACK, WELCOME, HELLO, RETRANSMISSION, ECHO];

  // Issue 15 §1.8: "[PSH, ACK] Seq=58 Len=18" dropped Ack beside a neighbour that kept it, and SYN-ACK dropped Win.
  it("gives the flags and every header field in the summary's order, never the ports, options or analysis tags", () => {
    expect(lines.map((line) => segmentLabel(seg(line), 0))).toEqual([
      "[SYN] Seq=0 Win=65495 Len=0",
      "[SYN, ACK] Seq=0 Ack=1 Win=65483 Len=0",
      "[ACK] Seq=1 Ack=1 Win=512 Len=0",
      "[PSH, ACK] Seq=1 Ack=1 Win=512 Len=23",
      "[PSH, ACK] Seq=1 Ack=24 Win=512 Len=6",
      "[PSH, ACK] Seq=1 Ack=24 Win=512 Len=6",
      "[PSH, ACK] Seq=24 Ack=7 Win=512 Len=12",
    ]);
    expect(segmentLabel(seg(tcpLine(54321, 8888, ["URG", "ACK"], "Seq=7 Ack=36 Win=0 Urg=3 Len=4")), 0)).toBe("[URG, ACK] Seq=7 Ack=36 Win=0 Urg=3 Len=4");
    expect(segmentLabel(seg(tcpLine(54321, 8888, [], "Seq=7 Win=0 Len=0")), 0)).toBe("[<None>] Seq=7 Win=0 Len=0");
  });

  it("shortens every label of one width the same way, whatever its numbers: Win first, then Ack, then Seq and Len", () => {
    // A 110 px lane pair: the label gets 220 px, 30 characters; 390 px wide, 270 px, 37; two wide lanes, 392 px, 54.
    expect([labelChars(220), labelChars(270), labelChars(392)]).toEqual([30, 37, 54]);
    expect([54, 46, 45, 36, 35, 26, 25, 0].map(segmentLabelLevel)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    const shown = (width: number) => lines.map((line) => segmentLabel(seg(line), segmentLabelLevel(labelChars(width))));
    for (const [width, keys] of [
      [392, ["Seq", "Ack", "Win", "Len"]],
      [270, ["Seq", "Ack", "Len"]],
      [220, ["Seq", "Len"]],
      [100, []],
    ] as const) {
      for (const [i, text] of shown(width).entries()) {
        // The same fields on every row that has them (an ACK-less SYN has no Ack to show).
        const want = keys.filter((key) => key !== "Ack" || (lines[i]!.parts.flags ?? []).includes("ACK"));
        expect(text.replace(/^\[[^\]]*\] ?/, "").split(" ").filter(Boolean).map((item) => item.split("=")[0])).toEqual(want);
      }
    }
    expect(shown(270)[1]).toBe("[SYN, ACK] Seq=0 Ack=1 Len=0");
    expect(shown(220)[4]).toBe("[PSH, ACK] Seq=1 Len=6");
    expect(shown(100)[4]).toBe("[PSH, ACK]");
  });

  it("names a segment's flags from its parts", () => {
    expect(segmentFlags(session[2]!)).toEqual(["SYN", "ACK"]);
    expect(segmentFlags(at(1, 1, { kind: EventKind.SEGMENT, frames: [{ protocol: "ipv4", summary: "IPv4 (truncated)" }] }))).toEqual([]);
  });

  it("returns a summary without parts whole", () => {
    const ip = at(1, 1, { kind: EventKind.SEGMENT, frames: [{ protocol: "ipv4", summary: "Internet Protocol Version 4, Src: 127.0.0.1" }] });
    expect(segmentLabel(ip, 3)).toBe("Internet Protocol Version 4, Src: 127.0.0.1");
    expect(labelChars(5)).toBe(0);
  });

  it("labels a segment with its TCP frame, or its innermost header without one", () => {
    expect(segmentSummary(session[2]!)).toBe(SYN_ACK.summary);
    const noTcp = at(1, 0, {
      kind: EventKind.SEGMENT,
      frames: [
        { protocol: "sll2", summary: "Linux cooked capture v2", offset: 0, length: 20 },
        { protocol: "ipv6", summary: "Internet Protocol Version 6, Src: ::1, Dst: ::1", offset: 20, length: 40 },
        { protocol: "data", summary: "Data (6 bytes)", offset: 60, length: 6 },
      ],
    });
    expect(segmentSummary(noTcp)).toBe("Internet Protocol Version 6, Src: ::1, Dst: ::1");
    expect(linkTypeName(276)).toBe("Linux cooked v2 (SLL2)");
    expect(linkTypeName(147)).toBe("LINKTYPE 147");
  });

  it("names a segment row with its whole summary, whatever the label shows", () => {
    const t = ((key: string, values?: Record<string, string | number>) =>
      key === "wireByteCount" ? `${values?.n} bytes on the wire` : key === "atMs" ? `${values?.ms} ms` : key) as unknown as TimelineT;
    const name = rowName(t, {
      event: session[2]!,
      label: { text: SYN_ACK.summary, more: 0 },
      time: "0.012",
      findings: [],
      gap: null,
      conversation: null,
    });
    expect(name).toBe(`serverToClient, segmentWord, ${SYN_ACK.summary}, 0 bytes on the wire, 0.012 ms`);
  });

  it("names a UDP flow's captured packet a datagram, with its UDP summary", () => {
    const t = ((key: string, values?: Record<string, string | number>) =>
      key === "wireByteCount" ? `${values?.n} bytes on the wire` : key === "atMs" ? `${values?.ms} ms` : key) as unknown as TimelineT;
    const event = { ...session[2]!, summary: "40000 → 8889 Len=5", tcpSummary: undefined, length: 33, payloadLength: 5 };
    const name = rowName(t, { event, label: { text: segmentSummary(event), more: 0 }, time: "1.500", findings: [], gap: null, conversation: null, datagram: true });
    expect(name).toBe("serverToClient, datagramWord, 40000 → 8889 Len=5, 33 bytes on the wire, 1.500 ms");
    // No TCP flags to shorten by: the label is the summary.
    expect(segmentLabel(event, 1)).toBe("40000 → 8889 Len=5");
    expect(segmentFlags(event)).toEqual([]);
  });
});

describe("a segment's packet", () => {
  // 54321 → 8888 [PSH, ACK] with "hello\n", as raw IPv4 (LINKTYPE_RAW, 101): a 20-byte IP header, a
  // 32-byte TCP header (with the timestamps option), then the payload.
  const hex =
    "4500003a1c4640004006205a7f0000017f000001" +
    "d43122b8a1b2c3d5e5f60718801802000000000001010" +
    "80ad76a8ac1d76a87bb" +
    "68656c6c6f0a";
  const data = Uint8Array.from(hex.match(/../g)!.map((byte) => parseInt(byte, 16)));
  // Whole, as GetEvent gives it to the details panel.
  const packet = create(EventSchema, {
    seq: 9n,
    conversationId: "c1",
    monoNs: 4_012_390_000n,
    kind: EventKind.SEGMENT,
    direction: C2S,
    linkType: 101,
    data,
    streamOffset: 0n,
    payloadLength: 6,
    frames: [
      create(FrameSchema, {
        protocol: "ipv4",
        summary: "Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1",
        offset: 0,
        length: 20,
        fields: [create(FieldSchema, { id: "ip.src", label: "Source Address", display: "127.0.0.1", offset: 12, length: 4, path: "0" })],
      }),
      create(FrameSchema, {
        protocol: "tcp",
        summary: HELLO.summary,
        offset: 20,
        length: 32,
        fields: [
          create(FieldSchema, { id: "tcp.srcport", label: "Source Port", display: "54321", offset: 0, length: 2, path: "0" }),
          create(FieldSchema, {
            id: "tcp.flags",
            label: "Flags",
            display: "0x018 (PSH, ACK)",
            offset: 12,
            length: 2,
            path: "1",
            children: [create(FieldSchema, { id: "tcp.flags.push", label: "Push", display: "Set", offset: 12, length: 2, bitmask: 0x8, path: "1.0" })],
          }),
        ],
        findings: [{ code: "tcp.analysis.retransmission", severity: Severity.NOTE, message: "Retransmission", offset: 0, length: 0 }],
      }),
      create(FrameSchema, { protocol: "data", summary: "Data (6 bytes)", offset: 52, length: 6 }),
    ],
  });

  it("is 58 bytes: headers and payload", () => {
    expect(data.length).toBe(58);
    expect(new TextDecoder().decode(data.subarray(52))).toBe("hello\n");
  });

  it("highlights a field's bytes from the packet's start", () => {
    const port = byteRange(packet.frames, { frame: 1, path: "0" }, data.length);
    expect(port).toEqual({ start: 20, length: 2 });
    expect(Array.from(data.subarray(20, 22))).toEqual([0xd4, 0x31]); // 54321
    expect(byteRange(packet.frames, { frame: 0, path: "0" }, data.length)).toEqual({ start: 12, length: 4 });
    expect(byteRange(packet.frames, { frame: 2, path: "" }, data.length)).toEqual({ start: 52, length: 6 });
  });

  it("finds the deepest field of a clicked byte in any layer", () => {
    expect(deepestFieldAt(packet.frames, 21)).toEqual({ frame: 1, path: "0" });
    expect(deepestFieldAt(packet.frames, 33)).toEqual({ frame: 1, path: "1.0" });
    expect(deepestFieldAt(packet.frames, 55)).toEqual({ frame: 2, path: "" });
  });

  it("lists the TCP analysis findings with packet offsets", () => {
    expect(frameFindings(packet.frames)).toEqual([
      { frame: 1, code: "tcp.analysis.retransmission", severity: Severity.NOTE, form: "", message: "Retransmission", offset: 20, length: 0, args: {} },
    ]);
  });
});

describe("capture mode", () => {
  it("reads the host's capture status", () => {
    const read = (capture?: MessageInitShape<typeof CaptureStatusSchema>) => captureStatusOf(captureOf(capture && create(CaptureStatusSchema, capture)));
    expect(read({ mode: CaptureMode.REAL_SEGMENTS })).toEqual({ mode: "segments" });
    const reason =
      "tcpdump may not capture here (it needs root or CAP_NET_RAW); enable it with: sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump";
    expect(read({ mode: CaptureMode.SOCKET_EVENTS, reason })).toEqual({ mode: "socket", reason });
    expect(read({ mode: CaptureMode.SOCKET_EVENTS })).toEqual({ mode: "socket", reason: "" });
    const off = { mode: CaptureMode.SOCKET_EVENTS, reason: "r", off: CaptureOff.TURNED_OFF, command: "sudo setcap x" };
    expect(read(off)).toEqual({ mode: "socket", reason: "r", code: "turned-off", command: "sudo setcap x" });
    const stopped = read({ mode: CaptureMode.SOCKET_EVENTS, reason: "r", off: CaptureOff.STOPPED, detail: "exit code 1" });
    expect(sameCaptureStatus(stopped, read({ mode: CaptureMode.SOCKET_EVENTS, reason: "r", off: CaptureOff.STOPPED, detail: "exit code 2" }))).toBe(false);
    expect(sameCaptureStatus(stopped, { ...stopped })).toBe(true);
    // A host that reports no mode, or no capture at all.
    expect(read({})).toEqual({ mode: "unknown" });
    expect(read(undefined)).toEqual({ mode: "unknown" });
  });

  it("splits the command that enables capture from the reason", () => {
    expect(
      splitCaptureReason(
        "tcpdump may not capture here (it needs root or CAP_NET_RAW); enable it with: sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump",
      ),
    ).toEqual({
      text: "tcpdump may not capture here (it needs root or CAP_NET_RAW)",
      command: "sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump",
    });
    expect(splitCaptureReason("capture is off (--capture=off)")).toEqual({ text: "capture is off (--capture=off)", command: null });
    // What the host says when started with --capture=off.
    expect(
      splitCaptureReason(
        "capture was turned off with --capture=off; start the lab without it, as root or after granting the capture program its capabilities: sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump",
      ),
    ).toEqual({
      text: "capture was turned off with --capture=off; start the lab without it, as root or after granting the capture program its capabilities",
      command: "sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump",
    });
  });
});

describe("unknown stream offsets", () => {
  it("joins nothing to an event whose offset the server could not tell", () => {
    const unknown = at(9, 1, { kind: EventKind.DATA, direction: C2S, data: text("hello"), streamOffset: -1n });
    expect(streamRange(unknown)).toBeNull();
  });
});
