// The timeline's pure logic, checked with real values: lanes, rows and gaps, time, hex rows, field
// lookup by byte, the URL's selection, backoff and the JSON export.

import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  ConversationSchema,
  Direction,
  EventKind,
  EventSchema,
  FieldSchema,
  FindingSchema,
  FrameSchema,
  Origin,
  Severity,
  Transport,
  type Conversation,
  type Field,
  type Frame,
} from "@/gen/lab/v1/timeline_pb";
import { ENGLISH, type FormatArgs, type FormatContext } from "@/server/dissect/core/formats";
import {
  buildFieldTree,
  byteRange,
  reassembledFrames,
  conversationMatches,
  deepestFieldAt,
  elapsedMs,
  eventFindings,
  frameFindings,
  eventLabel,
  exportDocument,
  extendRows,
  findEventIndex,
  findField,
  followAfterScroll,
  formatEndpoint,
  formatFieldRef,
  formatMs,
  hexByte,
  hexRow,
  hexRowCount,
  LANE_WIDTH,
  laneWidths,
  layoutLanes,
  MIN_CLIENT_LANE_WIDTH,
  MIN_SERVER_LANE_WIDTH,
  NARROW_BYTES_PER_ROW,
  parseFieldRef,
  parseSelection,
  printableText,
  reconnectDelayMs,
  rowOfEvent,
  rowScrollTop,
  ROW_HEIGHT,
  selectionSearch,
  splitDuration,
  stepRow,
  TIME_COLUMN_WIDTH,
  visibleNodes,
  type FollowState,
  type RowFilter,
  type RowIndex,
} from "./model";
import { timelineEventOf, type TimelineEvent } from "./batch";
import { createEventTable, eventViewOf } from "./event-table";

/** An event as the page holds it, made from a whole one as the host makes its brief. */
const timelineEvent = (init: MessageInitShape<typeof EventSchema>): TimelineEvent => timelineEventOf(create(EventSchema, init));

const text = (s: string) => new TextEncoder().encode(s);

function conversation(id: string, clientPort: number, serverPort: number, service: string): Conversation {
  return create(ConversationSchema, {
    id,
    client: { ip: "127.0.0.1", port: clientPort },
    server: { ip: "127.0.0.1", port: serverPort },
    service,
    protocol: "text",
  });
}

function event(seq: number, ms: number, conversationId = "c1", extra: MessageInitShape<typeof EventSchema> = {}): TimelineEvent {
  return timelineEvent({
    seq: BigInt(seq),
    conversationId,
    kind: EventKind.DATA,
    direction: Direction.CLIENT_TO_SERVER,
    monoNs: BigInt(Math.round(ms * 1e6)),
    ...extra,
  });
}

function field(init: MessageInitShape<typeof FieldSchema>): Field {
  return create(FieldSchema, init);
}

// "ECHO: hi\n" as the text dissector would see it: a line with a command and an argument.
const echoFrame: Frame = create(FrameSchema, {
  protocol: "text",
  summary: "ECHO: hi",
  offset: 0,
  length: 9,
  fields: [
    field({
      id: "text.line",
      label: "Line",
      display: "ECHO: hi",
      offset: 0,
      length: 9,
      path: "0",
      children: [
        field({ id: "text.command", label: "Command", display: "ECHO", offset: 0, length: 4, path: "0.0" }),
        field({ id: "text.argument", label: "Argument", display: "hi", offset: 6, length: 2, path: "0.1" }),
        field({ id: "text.eol", label: "End of line", display: "\\n", offset: 8, length: 1, path: "0.2" }),
      ],
    }),
  ],
  findings: [{ code: "text.no_cr", severity: Severity.NOTE, message: "LF without CR", offset: 8, length: 1 }],
});

describe("formatEndpoint", () => {
  it("writes ip:port and brackets IPv6", () => {
    expect(formatEndpoint({ $typeName: "lab.v1.Endpoint", ip: "127.0.0.1", port: 8888 })).toBe("127.0.0.1:8888");
    expect(formatEndpoint({ $typeName: "lab.v1.Endpoint", ip: "::1", port: 8888 })).toBe("[::1]:8888");
    expect(formatEndpoint(undefined)).toBe("?");
  });
});

describe("layoutLanes", () => {
  const from = (
    id: string,
    client: string,
    port: number,
    origin: Origin,
    server = 8888,
    service = "tcp-echo",
    transport = Transport.TCP,
  ): Conversation =>
    create(ConversationSchema, {
      id,
      transport,
      client: { ip: client, port },
      server: { ip: "127.0.0.1", port: server },
      service,
      origin,
      protocol: "text",
    });
  // Five connections of the student's program and two of the lab's own client, all from 127.0.0.1, one from
  // another machine, to the echo and the time servers.
  const five = [50001, 50002, 50003, 50004, 50005].map((port, i) => from(`x${i}`, "127.0.0.1", port, Origin.EXTERNAL));
  const conversations = [
    ...five,
    from("l1", "127.0.0.1", 40001, Origin.LAB_CLIENT),
    from("l2", "127.0.0.1", 40002, Origin.LAB_CLIENT, 8000, "time"),
    from("o1", "10.0.0.7", 51000, Origin.EXTERNAL),
  ];

  it("gives the clients of one host and origin one lane, and each server endpoint its own", () => {
    const layout = layoutLanes(conversations);
    expect(layout.lanes.map((lane) => [lane.key, lane.endpoint, lane.groupEndpoints, lane.groupConversations])).toEqual([
      ["client|external|127.0.0.1", "127.0.0.1", 5, 5],
      ["client|lab|127.0.0.1", "127.0.0.1", 2, 2],
      // A host with one endpoint names the endpoint.
      ["client|external|10.0.0.7", "10.0.0.7:51000", 1, 1],
      ["server|127.0.0.1:8888", "127.0.0.1:8888", 1, 0],
      ["server|127.0.0.1:8000", "127.0.0.1:8000", 1, 0],
    ]);
    expect(layout.lanes.map((lane) => lane.origin)).toEqual(["external", "lab", "external", "unknown", "unknown"]);
    expect(layout.lanes[3]?.services).toEqual(["tcp-echo"]);
    // Not measured yet: every lane at LANE_WIDTH, nothing pinned.
    expect(layout.lanes.map((lane) => lane.x)).toEqual([0, 1, 2, 3, 4].map((i) => TIME_COLUMN_WIDTH + (i + 0.5) * LANE_WIDTH));
    expect(layout.width).toBe(TIME_COLUMN_WIDTH + 5 * LANE_WIDTH);
    expect(layout.overflow).toBe(false);
    expect(layout.ends.get("x3")?.client.key).toBe("client|external|127.0.0.1");
    expect(layout.ends.get("l2")?.client.key).toBe("client|lab|127.0.0.1");
    expect(layout.ends.get("l2")?.server.key).toBe("server|127.0.0.1:8000");
    expect(layout.ends.get("o1")?.client.key).toBe("client|external|10.0.0.7");
  });

  it("splits an expanded host into one lane per endpoint, in order, and joins them again", () => {
    const expanded = new Set(["client|external|127.0.0.1"]);
    const layout = layoutLanes(conversations, { expanded });
    expect(layout.lanes.filter((lane) => lane.expanded).map((lane) => [lane.endpoint, lane.first, lane.group])).toEqual([
      ["127.0.0.1:50001", true, "client|external|127.0.0.1"],
      ["127.0.0.1:50002", false, "client|external|127.0.0.1"],
      ["127.0.0.1:50003", false, "client|external|127.0.0.1"],
      ["127.0.0.1:50004", false, "client|external|127.0.0.1"],
      ["127.0.0.1:50005", false, "client|external|127.0.0.1"],
    ]);
    expect(layout.lanes).toHaveLength(9);
    expect(layout.ends.get("x3")?.client.key).toBe("client|external|127.0.0.1|127.0.0.1:50004");
    // The lab's lane stays shared; a group with one endpoint has nothing to split.
    expect(layout.ends.get("l1")?.client.key).toBe("client|lab|127.0.0.1");
    expect(layoutLanes(conversations, { expanded: new Set(["client|external|10.0.0.7"]) }).lanes).toHaveLength(5);
    expect(layoutLanes(conversations, { expanded: new Set() }).lanes).toHaveLength(5);
  });

  it("words a host's lane by its transport", () => {
    const flows = [1, 2, 3].map((port) => from(`u${port}`, "127.0.0.1", port, Origin.LAB_CLIENT, 8889, "udp-echo", Transport.UDP));
    expect(layoutLanes(flows).lanes[0]?.transport).toBe("udp");
    expect(layoutLanes([...flows, from("t", "127.0.0.1", 9, Origin.LAB_CLIENT)]).lanes[0]?.transport).toBe("mixed");
    expect(layoutLanes(five).lanes[0]?.transport).toBe("tcp");
  });

  it("is empty for no conversations", () => {
    expect(layoutLanes([])).toEqual({
      lanes: [],
      width: TIME_COLUMN_WIDTH,
      rowWidth: TIME_COLUMN_WIDTH,
      ends: new Map(),
      overflow: false,
      clientView: null,
    });
  });

  it("spreads lanes over a wide ladder and keeps them readable on a narrow one", () => {
    expect(laneWidths(912, 1, 1)).toEqual({ client: 400, server: 400 });
    expect(laneWidths(2000, 1, 1)).toEqual({ client: 420, server: 420 });
    expect(laneWidths(0, 3, 1)).toEqual({ client: LANE_WIDTH, server: LANE_WIDTH });
    // Squeezed: the server keeps its width, the clients share the rest.
    expect(laneWidths(600, 4, 1)).toEqual({ client: 94, server: LANE_WIDTH });
    expect(laneWidths(700, 5, 1)).toEqual({ client: 95, server: LANE_WIDTH });
    // A phone: one host's lane and two servers fit 390 px.
    expect(laneWidths(390, 1, 2)).toEqual({ client: MIN_CLIENT_LANE_WIDTH, server: 99 });
    const wide = layoutLanes([conversation("c1", 50001, 8888, "tcp-echo")], { available: 912 });
    expect(wide.lanes.map((lane) => lane.x)).toEqual([312, 712]);
    expect(wide.width).toBe(912);
  });

  // The ladder beside the details panel at 1280 px is about 700 px wide.
  it("keeps the server lane on screen after five connections from one host, grouped or split", () => {
    for (const expanded of [new Set<string>(), new Set(["client|external|127.0.0.1"])]) {
      const layout = layoutLanes(five, { available: 700, expanded });
      const server = layout.lanes.at(-1)!;
      expect(layout.overflow).toBe(false);
      expect(layout.width).toBeLessThanOrEqual(700);
      expect(server.x + server.width / 2).toBeLessThanOrEqual(700);
    }
  });

  it("pins the server lanes to the right edge when the client lanes do not fit, and clips arrows to what is seen", () => {
    const many = Array.from({ length: 12 }, (_, i) => from(`m${i}`, "127.0.0.1", 50100 + i, Origin.EXTERNAL));
    const expanded = new Set(["client|external|127.0.0.1"]);
    const at = (scrollLeft: number) => layoutLanes(many, { available: 700, expanded, scrollLeft });
    const start = at(0);
    expect(start.overflow).toBe(true);
    expect(start.width).toBe(TIME_COLUMN_WIDTH + 12 * MIN_CLIENT_LANE_WIDTH + MIN_SERVER_LANE_WIDTH);
    const server = (layout: ReturnType<typeof at>) => layout.lanes.find((lane) => lane.side === "server")!;
    expect(server(start).pinned).toBe(true);
    expect(server(start).x).toBe(700 - MIN_SERVER_LANE_WIDTH / 2);
    expect(server(at(100)).x).toBe(800 - MIN_SERVER_LANE_WIDTH / 2);
    // Scrolled to the end, the server lane is where it would be anyway; past the end, no further.
    const end = start.width - 700;
    expect(server(at(end)).x).toBe(start.width - MIN_SERVER_LANE_WIDTH / 2);
    expect(server(at(end + 500)).x).toBe(start.width - MIN_SERVER_LANE_WIDTH / 2);
    // The clients seen lie between the time column and the pinned lane; an arrow of a client scrolled out of
    // sight starts at the edge of that span.
    expect(start.clientView).toEqual({ from: TIME_COLUMN_WIDTH, to: 700 - MIN_SERVER_LANE_WIDTH });
    // Rows end at the right edge of what is seen, so labels stay in sight.
    expect(start.rowWidth).toBe(700);
    expect(at(100).rowWidth).toBe(800);
    expect(start.ends.get("m0")?.client.x).toBe(TIME_COLUMN_WIDTH + MIN_CLIENT_LANE_WIDTH / 2);
    expect(start.ends.get("m11")?.client.x).toBe(700 - MIN_SERVER_LANE_WIDTH);
    expect(at(end).ends.get("m0")?.client.x).toBe(end + TIME_COLUMN_WIDTH);
    // Joined again, the host's one lane fits.
    expect(layoutLanes(many, { available: 700, scrollLeft: 100 }).overflow).toBe(false);
  });
});

describe("followAfterScroll", () => {
  const bottom = 1000;
  it("ignores the follower's own scroll once, and resumes following when the reader returns to that position", () => {
    // The follower moved the ladder to the bottom; its scroll event comes after two more rows arrived.
    let state: FollowState = { following: true, lastTop: 900, followedTop: bottom };
    state = followAfterScroll(state, bottom, 2 * ROW_HEIGHT + 10);
    expect(state).toEqual({ following: true, lastTop: bottom, followedTop: null });
    // The reader scrolls up: no longer following.
    state = followAfterScroll(state, 600, bottom - 600);
    expect(state.following).toBe(false);
    // And back to where the follower had left the ladder, nothing having arrived: following again.
    state = followAfterScroll(state, bottom, 0);
    expect(state.following).toBe(true);
  });

  it("gives a reader moving down two rows of slack, and none moving up", () => {
    const state: FollowState = { following: false, lastTop: 500, followedTop: null };
    expect(followAfterScroll(state, 600, 2 * ROW_HEIGHT).following).toBe(true);
    expect(followAfterScroll(state, 400, ROW_HEIGHT).following).toBe(false);
    expect(followAfterScroll(state, 400, ROW_HEIGHT / 2).following).toBe(true);
  });
});

describe("conversationMatches", () => {
  const echo = conversation("c1", 53122, 8888, "tcp-echo");
  it("matches every term against service, endpoints and id", () => {
    expect(conversationMatches(echo, "")).toBe(true);
    expect(conversationMatches(echo, "ECHO")).toBe(true);
    expect(conversationMatches(echo, "echo 5312")).toBe(true);
    expect(conversationMatches(echo, ":8888")).toBe(true);
    expect(conversationMatches(echo, "echo 8000")).toBe(false);
    expect(conversationMatches(echo, "time")).toBe(false);
  });
});

/** Every row of an index, made. */
const rowsOf = (index: RowIndex) => Array.from({ length: index.count }, (_, row) => index.row(row));

describe("extendRows", () => {
  const all = () => true;
  const inA: RowFilter = (view, index) => view.conversationAt(index) === "a";

  it("inserts a gap row where more than the threshold passed", () => {
    const events = eventViewOf([event(1, 0), event(2, 0.5), event(3, 2400.5), event(4, 2401)]);
    const index = extendRows(null, events, all);
    expect(index.count).toBe(5);
    expect(rowsOf(index)).toEqual([
      { kind: "event", index: 0, gapBeforeNs: null },
      { kind: "event", index: 1, gapBeforeNs: null },
      { kind: "gap", ns: 2_400_000_000n, beforeIndex: 2 },
      { kind: "event", index: 2, gapBeforeNs: 2_400_000_000n },
      { kind: "event", index: 3, gapBeforeNs: null },
    ]);
  });

  it("measures gaps between shown events only", () => {
    const events = eventViewOf([event(1, 0, "a"), event(2, 1500, "b"), event(3, 1600, "a")]);
    const index = extendRows(null, events, inA);
    expect(rowsOf(index)).toEqual([
      { kind: "event", index: 0, gapBeforeNs: null },
      { kind: "gap", ns: 1_600_000_000n, beforeIndex: 2 },
      { kind: "event", index: 2, gapBeforeNs: 1_600_000_000n },
    ]);
  });

  it("scans only new events when the old ones are a prefix, and rebuilds otherwise", () => {
    const table = createEventTable();
    let scanned = 0;
    const counting: RowFilter = () => (scanned++, true);
    table.append(event(1, 0));
    table.append(event(2, 1));
    const a = extendRows(null, table.view(), counting);
    table.append(event(3, 5000));
    const b = extendRows(a, table.view(), counting);
    expect(scanned).toBe(3);
    expect(b.count).toBe(4);
    expect(a.count).toBe(2);
    expect(rowsOf(a)).toEqual([
      { kind: "event", index: 0, gapBeforeNs: null },
      { kind: "event", index: 1, gapBeforeNs: null },
    ]);
    // Extending the same result twice (a render done again) leaves the first extension as it was.
    table.append(event(4, 5001));
    const again = extendRows(a, table.view(), counting);
    expect(rowsOf(again).map((row) => row?.kind === "event" && row.index)).toEqual([0, 1, false, 2, 3]);
    expect(rowsOf(b).map((row) => row?.kind === "event" && row.index)).toEqual([0, 1, false, 2]);
    // After a clear the events no longer start with the old ones: everything is scanned again.
    table.clear();
    table.append(event(10, 0));
    scanned = 0;
    const c = extendRows(b, table.view(), counting);
    expect(scanned).toBe(1);
    expect(c.count).toBe(1);
    // A different filter rebuilds too.
    const d = extendRows(b, table.view(), () => false);
    expect(d.count).toBe(0);
  });

  it("finds rows by event and steps over gap rows", () => {
    const events = eventViewOf([event(1, 0), event(2, 3000), event(3, 3001), event(4, 9000)]);
    const index = extendRows(null, events, all);
    // rows: e0, gap, e1, e2, gap, e3
    expect(rowOfEvent(index, 0)).toBe(0);
    expect(rowOfEvent(index, 1)).toBe(2);
    expect(rowOfEvent(index, 3)).toBe(5);
    expect(stepRow(index, 0, "next")).toBe(2);
    expect(stepRow(index, 2, "previous")).toBe(0);
    expect(stepRow(index, 3, "next")).toBe(5);
    expect(stepRow(index, 5, "next")).toBe(5);
    expect(stepRow(index, null, "next")).toBe(0);
    expect(stepRow(index, null, "previous")).toBe(5);
    expect(stepRow(index, 0, "last")).toBe(5);
    expect(stepRow(index, 5, "first")).toBe(0);
    expect(stepRow(index, 0, { by: 4 })).toBe(5);
    expect(stepRow(index, 5, { by: -1 })).toBe(3);
    expect(stepRow(index, 5, { by: -100 })).toBe(0);
    expect(stepRow(extendRows(null, eventViewOf([]), all), null, "next")).toBeNull();
  });

  it("returns -1 for a filtered-out event", () => {
    const events = eventViewOf([event(1, 0, "a"), event(2, 1, "b")]);
    const index = extendRows(null, events, inA);
    expect(rowOfEvent(index, 1)).toBe(-1);
  });
});

describe("rowScrollTop", () => {
  const view = { scrollTop: 440, height: 500, header: 56 };
  it("centres a linked row below the sticky header", () => {
    // Row 20 starts at 56 + 880 = 936; the 444 px under the header put it 200 px down.
    expect(rowScrollTop(20, view, "center")).toBe(936 - 56 - (500 - 56 - ROW_HEIGHT) / 2);
    expect(rowScrollTop(0, view, "center")).toBe(0);
  });

  it("scrolls the least that shows a row whole", () => {
    expect(rowScrollTop(12, view, "nearest")).toBe(440);
    // Row 9 starts at 452, under the header at 440 + 56 = 496: it moves to the header's edge.
    expect(rowScrollTop(9, view, "nearest")).toBe(396);
    // Row 20 ends at 980, below the bottom edge at 940.
    expect(rowScrollTop(20, view, "nearest")).toBe(480);
  });
});

describe("findEventIndex", () => {
  it("finds events by seq with gaps in the sequence", () => {
    const events = eventViewOf([event(3, 0), event(7, 1), event(8, 2), event(42, 3)]);
    expect(findEventIndex(events, 3n)).toBe(0);
    expect(findEventIndex(events, 8n)).toBe(2);
    expect(findEventIndex(events, 42n)).toBe(3);
    expect(findEventIndex(events, 5n)).toBe(-1);
    expect(findEventIndex(eventViewOf([]), 1n)).toBe(-1);
  });
});

describe("time", () => {
  it("gives milliseconds since the first event with microsecond precision", () => {
    expect(elapsedMs(1_012_345_678n, 1_000_000_000n)).toBeCloseTo(12.345678, 9);
    expect(formatMs(12.345678, "en")).toBe("12.346");
    expect(formatMs(0, "en")).toBe("0.000");
    expect(formatMs(1234.5, "en")).toBe("1,234.500");
    expect(formatMs(12.345678, "ru")).toBe("12,346");
  });

  it("splits gaps into readable units", () => {
    expect(splitDuration(350_000_000n)).toEqual({ value: 350, unit: "ms" });
    expect(splitDuration(2_400_000_000n)).toEqual({ value: 2.4, unit: "s" });
    expect(splitDuration(999_700_000n)).toEqual({ value: 1, unit: "s" });
    expect(splitDuration(59_960_000_000n)).toEqual({ value: 1, unit: "min" });
    expect(splitDuration(210_000_000_000n)).toEqual({ value: 3.5, unit: "min" });
    expect(splitDuration(4_320_000_000_000n)).toEqual({ value: 1.2, unit: "h" });
  });
});

describe("eventLabel and eventFindings", () => {
  it("labels with the first frame's summary and counts the rest", () => {
    const second = create(FrameSchema, { protocol: "text", summary: "time", offset: 9, length: 5 });
    const e = event(1, 0, "c1", { frames: [echoFrame, second], data: text("ECHO: hi\ntime\n") });
    expect(eventLabel(e)).toEqual({ text: "ECHO: hi", more: 1 });
  });

  it("shows undissected bytes as printable text", () => {
    expect(eventLabel(event(1, 0, "c1", { data: new Uint8Array([0x68, 0x69, 0x00, 0x0a]) }))).toEqual({
      text: "hi..",
      more: 0,
    });
  });

  it("makes finding offsets relative to the event, in the whole event's frames", () => {
    const moved = create(FrameSchema, { ...echoFrame, offset: 100 });
    expect(frameFindings([moved])).toEqual([
      { frame: 0, code: "text.no_cr", severity: Severity.NOTE, form: "", message: "LF without CR", offset: 108, length: 1, args: {} },
    ]);
    // The ladder's: code, severity, form and args, as the host's brief carries them.
    expect(eventFindings(event(1, 0, "c1", { frames: [moved] }))).toEqual([
      { code: "text.no_cr", severity: Severity.NOTE, form: "", args: {}, message: "LF without CR" },
    ]);
  });

  // Issue 15 §1.7: nearly every echo arrow carried two badges (a line without its end, its encoding): chat is for the details.
  it("badges only the findings that say something about the arrow, notes and up", () => {
    const chat = create(FindingSchema, { code: "text.encoding", severity: Severity.CHAT, form: "ascii" });
    const note = create(FindingSchema, { code: "text.replacement_char", severity: Severity.NOTE });
    const both = event(1, 0, "c1", { frames: [create(FrameSchema, { ...echoFrame, findings: [chat, note] })] });
    expect(eventFindings(both).map((f) => f.code)).toEqual(["text.replacement_char"]);
    const quiet = event(1, 0, "c1", { frames: [create(FrameSchema, { ...echoFrame, findings: [chat] })] });
    expect(eventFindings(quiet)).toEqual([]);
  });
});

describe("hex rows", () => {
  it("cuts bytes into 16-byte rows with hex offsets", () => {
    const data = text("GET / HTTP/1.1\r\nHost: x\r\n");
    expect(hexRowCount(data.length)).toBe(2);
    expect(hexRowCount(0)).toBe(0);
    const second = hexRow(data, 1);
    expect(second.offset).toBe(16);
    expect(second.offsetLabel).toBe("0010");
    expect(Array.from(second.bytes, hexByte).join(" ")).toBe("48 6f 73 74 3a 20 78 0d 0a");
    expect(printableText(second.bytes)).toBe("Host: x..");
    expect(hexRow(new Uint8Array(0x10001), 0x1000).offsetLabel).toBe("00010000");
  });

  it("cuts 8-byte rows for a narrow view", () => {
    const data = text("GET / HTTP/1.1\r\nHost: x\r\n");
    expect(hexRowCount(data.length, NARROW_BYTES_PER_ROW)).toBe(4);
    const second = hexRow(data, 1, NARROW_BYTES_PER_ROW);
    expect(second.offset).toBe(8);
    expect(second.offsetLabel).toBe("0008");
    expect(printableText(second.bytes)).toBe("TP/1.1..");
    expect(printableText(hexRow(data, 3, NARROW_BYTES_PER_ROW).bytes)).toBe(".");
  });
});

describe("fields", () => {
  const frames = [echoFrame];

  it("finds the deepest field covering a byte", () => {
    expect(deepestFieldAt(frames, 2)).toEqual({ frame: 0, path: "0.0" });
    expect(deepestFieldAt(frames, 7)).toEqual({ frame: 0, path: "0.1" });
    // ": " belongs to the line but to none of its children.
    expect(deepestFieldAt(frames, 4)).toEqual({ frame: 0, path: "0" });
    expect(deepestFieldAt(frames, 9)).toBeUndefined();
  });

  it("adds the frame's offset in the event's bytes", () => {
    const later = create(FrameSchema, { ...echoFrame, offset: 20 });
    const two = [echoFrame, create(FrameSchema, { protocol: "text", summary: "gap", offset: 9, length: 11 }), later];
    expect(deepestFieldAt(two, 27)).toEqual({ frame: 2, path: "0.1" });
    expect(deepestFieldAt(two, 12)).toEqual({ frame: 1, path: "" });
    expect(byteRange(two, { frame: 2, path: "0.1" }, 40)).toEqual({ start: 26, length: 2 });
    expect(byteRange(two, { frame: 1, path: "" }, 40)).toEqual({ start: 9, length: 11 });
  });

  it("points a reassembled frame's fields at its own bytes, not the event's", () => {
    // The event completed a message that began in an earlier read: its frame carries the message's bytes.
    const own = create(FrameSchema, { ...echoFrame, offset: 0, streamOffset: 100n, reassembled: new Uint8Array(9) });
    const here = create(FrameSchema, { protocol: "text", summary: "next", offset: 4, length: 3 });
    const mixed = [own, here];
    expect(reassembledFrames(mixed)).toEqual([{ index: 0, frame: own }]);
    // A byte of the event's data belongs to the frame that is in it; the reassembled one is not there.
    expect(deepestFieldAt(mixed, 5)).toEqual({ frame: 1, path: "" });
    expect(deepestFieldAt(mixed, 1)).toBeUndefined();
    expect(byteRange(mixed, { frame: 0, path: "0.1" }, 7)).toBeUndefined();
    // In the frame's own bytes, its fields are where they are in the message.
    expect(deepestFieldAt(mixed, 7, 0)).toEqual({ frame: 0, path: "0.1" });
    expect(byteRange(mixed, { frame: 0, path: "0.1" }, 9, true)).toEqual({ start: 6, length: 2 });
    expect(byteRange(mixed, { frame: 1, path: "" }, 9, true)).toBeUndefined();
  });

  it("clips a range to the bytes there are and rejects unknown paths", () => {
    expect(byteRange(frames, { frame: 0, path: "0" }, 5)).toEqual({ start: 0, length: 5 });
    expect(byteRange(frames, { frame: 0, path: "0.9" }, 9)).toBeUndefined();
    expect(byteRange(frames, { frame: 3, path: "" }, 9)).toBeUndefined();
  });

  it("finds a field and its ancestors by path, falling back to position when a path is empty", () => {
    expect(findField(frames, { frame: 0, path: "0.1" })?.field?.label).toBe("Argument");
    expect(findField(frames, { frame: 0, path: "0.1" })?.ancestors).toEqual(["0"]);
    const unnamed = create(FrameSchema, {
      ...echoFrame,
      fields: [field({ label: "Line", offset: 0, length: 9, children: [field({ label: "Command", offset: 0, length: 4 })] })],
    });
    expect(findField([unnamed], { frame: 0, path: "0.0" })?.field?.label).toBe("Command");
    expect(deepestFieldAt([unnamed], 1)).toEqual({ frame: 0, path: "0.0" });
  });

  it("builds the tree the details panel shows and lists what is visible", () => {
    const [root] = buildFieldTree(frames);
    expect(root?.key).toBe("0:");
    expect(root?.label).toBe("text");
    expect(root?.children[0]?.children.map((n) => [n.key, n.label, n.start, n.length, n.depth])).toEqual([
      ["0:0.0", "Command", 0, 4, 2],
      ["0:0.1", "Argument", 6, 2, 2],
      ["0:0.2", "End of line", 8, 1, 2],
    ]);
    expect(root?.children[0]?.children[1]?.parent?.key).toBe("0:0");
    const roots = buildFieldTree(frames);
    expect(visibleNodes(roots, (n) => n.depth < 1).map((n) => n.key)).toEqual(["0:", "0:0"]);
    expect(visibleNodes(roots, () => true).map((n) => n.key)).toEqual(["0:", "0:0", "0:0.0", "0:0.1", "0:0.2"]);
    expect(visibleNodes(roots, () => false).map((n) => n.key)).toEqual(["0:"]);
  });
});

describe("field words from the catalogue", () => {
  it("fills in the label and blurb the stream leaves out for a catalogued id, and keeps words that were sent", () => {
    const tcp = create(FrameSchema, {
      protocol: "tcp",
      summary: "54321 → 8888",
      offset: 34,
      length: 20,
      fields: [
        field({ id: "tcp.srcport", format: "number", args: { value: "54321" }, offset: 0, length: 2, path: "0" }),
        field({ id: "demo.own", label: "Own", blurb: "Sent.", display: "1", offset: 2, length: 2, path: "1" }),
        field({ id: "demo.bare", format: "number", args: { value: "2" }, offset: 4, length: 2, path: "2" }),
      ],
    });
    const [root] = buildFieldTree([tcp]);
    expect(root?.children.map((n) => [n.label, n.blurb, n.display])).toEqual([
      ["Source port", "The sending program's port.", "54321"],
      ["Own", "Sent.", "1"],
      ["demo.bare", "", "2"],
    ]);
    // Another language: its words by id, and each value worded by its templates; a field without a format keeps
    // the display it came with.
    const numbers = { ...ENGLISH.templates, number: (a: FormatArgs, ctx: FormatContext) => `${ctx.id}=${a.value}` };
    const upper = buildFieldTree([tcp], { words: (id) => ({ label: `L:${id}`, blurb: `B:${id}` }), formats: { ...ENGLISH, templates: numbers } });
    expect(upper[0]?.children.map((n) => [n.label, n.blurb, n.display])).toEqual([
      ["L:tcp.srcport", "B:tcp.srcport", "tcp.srcport=54321"],
      ["Own", "Sent.", "1"],
      ["L:demo.bare", "B:demo.bare", "demo.bare=2"],
    ]);
  });
});

describe("selection in the URL", () => {
  it("parses e and f", () => {
    expect(parseSelection(new URLSearchParams("e=42&f=0.2.1"))).toEqual({ seq: 42n, field: { frame: 0, path: "0.2.1" } });
    expect(parseSelection(new URLSearchParams("e=42&f=1:0.2"))).toEqual({ seq: 42n, field: { frame: 1, path: "0.2" } });
    expect(parseSelection(new URLSearchParams("e=42&f=2:"))).toEqual({ seq: 42n, field: { frame: 2, path: "" } });
    expect(parseSelection(new URLSearchParams("e=42"))).toEqual({ seq: 42n, field: null });
    expect(parseSelection(new URLSearchParams("f=0.1"))).toEqual({ seq: null, field: null });
    expect(parseSelection(new URLSearchParams("e=-1&f=0"))).toEqual({ seq: null, field: null });
    expect(parseSelection(new URLSearchParams("e=4x2"))).toEqual({ seq: null, field: null });
    expect(parseSelection(new URLSearchParams("e=18446744073709551615"))).toEqual({
      seq: 18446744073709551615n,
      field: null,
    });
  });

  it("rejects malformed field paths", () => {
    expect(parseFieldRef("0..1")).toBeNull();
    expect(parseFieldRef("a:0")).toBeNull();
    expect(parseFieldRef("tcp.flags")).toBeNull();
    expect(parseFieldRef("")).toBeNull();
  });

  it("formats the short form for frame 0 and round-trips", () => {
    for (const ref of [
      { frame: 0, path: "0.2.1" },
      { frame: 1, path: "0" },
      { frame: 0, path: "" },
      { frame: 3, path: "" },
    ]) {
      expect(parseFieldRef(formatFieldRef(ref))).toEqual(ref);
    }
    expect(formatFieldRef({ frame: 0, path: "0.2.1" })).toBe("0.2.1");
    expect(formatFieldRef({ frame: 1, path: "0" })).toBe("1:0");
  });

  it("writes e and f, keeping the other parameters", () => {
    expect(selectionSearch("?lesson=tcp&e=1&f=0", { seq: 42n, field: { frame: 1, path: "0.2" } })).toBe(
      "?lesson=tcp&e=42&f=1%3A0.2",
    );
    expect(selectionSearch("?e=1&f=0", { seq: 7n, field: null })).toBe("?e=7");
    expect(selectionSearch("?e=1&lesson=tcp", { seq: null, field: null })).toBe("?lesson=tcp");
    expect(selectionSearch("", { seq: null, field: null })).toBe("");
  });
});

describe("reconnectDelayMs", () => {
  it("doubles from 0.5 s to a 10 s ceiling, jittered between half and all of it", () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(250);
    expect(reconnectDelayMs(0, () => 1)).toBe(500);
    expect(reconnectDelayMs(1, () => 1)).toBe(1000);
    expect(reconnectDelayMs(3, () => 0.5)).toBe(3000);
    expect(reconnectDelayMs(10, () => 1)).toBe(10_000);
    expect(reconnectDelayMs(50, () => 0)).toBe(5000);
  });
});

describe("exportDocument", () => {
  it("writes what the page holds as JSON: uint64 as strings, bytes as base64, enums by name, findings in English", () => {
    const doc = exportDocument(
      [conversation("c1", 50001, 8888, "tcp-echo")],
      [event(42, 1.5, "c1", { kind: EventKind.DATA, data: text("hi\n"), frames: [echoFrame] })],
      3,
    );
    expect(doc.format).toBe("protocol-lab-events");
    expect(doc.version).toBe(2);
    expect(doc.dropped).toBe(3);
    expect(doc.conversations).toEqual([
      {
        id: "c1",
        client: { ip: "127.0.0.1", port: 50001 },
        server: { ip: "127.0.0.1", port: 8888 },
        service: "tcp-echo",
        protocol: "text",
      },
    ]);
    expect(doc.events).toEqual([
      {
        seq: "42",
        conversationId: "c1",
        kind: "EVENT_KIND_DATA",
        direction: "DIRECTION_CLIENT_TO_SERVER",
        monoNs: "1500000",
        length: 3,
        summary: "ECHO: hi",
        findings: [{ code: "text.no_cr", severity: "SEVERITY_NOTE", args: {}, message: "LF without CR" }],
        streamOffset: "0",
        data: "aGkK",
      },
    ]);
  });

  it("words a declared finding from its code, form and args", () => {
    const frame = create(FrameSchema, {
      protocol: "text",
      summary: "s",
      length: 2,
      findings: [{ code: "text.encoding", form: "ascii", severity: Severity.CHAT, args: { bytes: "2", chars: "2" } }],
    });
    const doc = exportDocument([], [event(1, 1, "c1", { frames: [frame] })], 0);
    const [finding] = (doc.events[0] as { findings: { message: string }[] }).findings;
    expect(finding?.message).toBe("ASCII: 2 bytes, 2 characters, one byte each.");
  });
});

describe("layoutLanes: outside programs' names (issue 15 §1.6)", () => {
  const outside = (id: string, port: number, init: { processCommand?: string; processId?: number; otherMachine?: boolean; ip?: string }) =>
    create(ConversationSchema, {
      id,
      client: { ip: init.ip ?? "127.0.0.1", port },
      server: { ip: "127.0.0.1", port: 8888 },
      service: "tcp-echo",
      origin: Origin.EXTERNAL,
      protocol: "text",
      processCommand: init.processCommand ?? "",
      processId: init.processId ?? 0,
      otherMachine: init.otherMachine ?? false,
    });

  it("gives a host's lane the names of its programs, and each endpoint's lane its own once split", () => {
    const conversations = [
      outside("a", 40000, { processCommand: "nc", processId: 10 }),
      outside("b", 40001, { processCommand: "python3", processId: 11 }),
      outside("c", 40002, { processCommand: "nc", processId: 12 }),
      outside("d", 40003, {}),
    ];
    const shared = layoutLanes(conversations).lanes.find((lane) => lane.side === "client")!;
    expect(shared).toMatchObject({ programs: ["nc", "python3"], otherMachine: false, groupEndpoints: 4 });
    const split = layoutLanes(conversations, { expanded: new Set([shared.group]) }).lanes.filter((lane) => lane.side === "client");
    expect(split.map((lane) => lane.programs)).toEqual([["nc"], ["python3"], ["nc"], []]);
    // The toggle on the first split lane still speaks for the whole group.
    expect(split.map((lane) => lane.groupPrograms)).toEqual(Array(4).fill(["nc", "python3"]));
    expect(layoutLanes(conversations).lanes.find((lane) => lane.side === "server")).toMatchObject({ programs: [], otherMachine: false });
  });

  it("marks a lane on another machine only when all its clients are", () => {
    const far = [outside("a", 40000, { ip: "192.0.2.7", otherMachine: true }), outside("b", 40001, { ip: "192.0.2.7", otherMachine: true })];
    expect(layoutLanes(far).lanes[0]).toMatchObject({ otherMachine: true, programs: [] });
    const lab = create(ConversationSchema, { id: "l", client: { ip: "192.0.2.7", port: 1 }, server: { ip: "127.0.0.1", port: 8888 }, origin: Origin.LAB_CLIENT });
    expect(layoutLanes([lab]).lanes[0]).toMatchObject({ origin: "lab", otherMachine: false });
  });
});
