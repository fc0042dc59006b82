// The time-sequence graph's series from real loopback packets (tcpdump on Linux: a Python echo exchange), and the
// view's zoom, pan and ticks.

import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Direction, EventKind, EventSchema } from "@/gen/lab/v1/timeline_pb";
import { ECHO_CONVERSATION, LOOPBACK_LINKTYPE, type CapturedPacket } from "../tcp-lesson/segments.fixtures";
import { timelineEventOf, type TimelineEvent } from "./batch";
import {
  AROUND_MIN_SPAN_MS,
  busierDirection,
  fullWindow,
  nearestPoint,
  panWindow,
  seqGraph,
  seqRange,
  ticks,
  windowAround,
  zoomWindow,
} from "./seq-graph-model";

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

function segments(packets: readonly CapturedPacket[]): TimelineEvent[] {
  return packets.map((p, i) =>
    timelineEventOf(
      create(EventSchema, {
        seq: BigInt(100 + i),
        conversationId: "c1",
        kind: EventKind.SEGMENT,
        direction: p.c2s ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT,
        monoNs: 5_000_000_000n + BigInt(p.us) * 1000n,
        data: hex(p.hex),
        linkType: LOOPBACK_LINKTYPE,
      }),
    ),
  );
}

describe("seqGraph", () => {
  const graph = seqGraph(segments(ECHO_CONVERSATION));

  it("puts each direction's SYN, data and FIN at their relative sequence numbers", () => {
    expect(graph.segments).toBe(12);
    expect(graph.scaled).toBe(true);
    expect(graph.c2s.points.map((p) => [p.ms, p.start, p.end, p.length])).toEqual([
      [0, 0, 1, 0],
      [0.494, 1, 6, 5],
      [200.814, 6, 7, 0],
    ]);
    // The welcome line (57 bytes), "ECHO: hello" (11 bytes), then the FIN.
    expect(graph.s2c.points.map((p) => [p.ms, p.start, p.end, p.length])).toEqual([
      [0.013, 0, 1, 0],
      [0.398, 1, 58, 57],
      [0.526, 58, 69, 11],
      [200.974, 69, 70, 0],
    ]);
    expect(graph.c2s.bytes).toBe(5);
    expect(graph.s2c.bytes).toBe(68);
    expect(busierDirection(graph)).toBe(Direction.SERVER_TO_CLIENT);
    expect([graph.startMs, graph.endMs]).toEqual([0, 201.005]);
    expect(seqGraph(segments(ECHO_CONVERSATION), 4_999_000_000n).c2s.points[1]).toMatchObject({ ms: 1.494, number: 105n });
  });

  it("draws the other side's ACK and window: the SYN's window as sent, later ones scaled by 2^10", () => {
    // The client's data is acknowledged by the server's segments.
    expect(graph.c2s.acks.map((a) => [a.ms, a.ack, a.window, a.limit])).toEqual([
      [0.013, 1, 65483, 65484],
      [0.398, 1, 65536, 65537],
      [0.501, 6, 65536, 65542],
      [0.526, 6, 65536, 65542],
      [200.974, 7, 65536, 65543],
    ]);
    // The server's by the client's: the handshake's ACK, then 58 after the welcome, 69 after the echo, 70 after the FIN.
    expect(graph.s2c.acks.map((a) => [a.ms, a.ack])).toEqual([
      [0.025, 1],
      [0.419, 58],
      [0.494, 58],
      [43.466, 69],
      [200.814, 69],
      [201.005, 70],
    ]);
  });

  it("marks a range sent again as a retransmission", () => {
    const events = segments(ECHO_CONVERSATION);
    const hello = events[5]!;
    const again = timelineEventOf(create(EventSchema, { seq: 999n, conversationId: "c1", kind: EventKind.SEGMENT, direction: hello.direction, monoNs: hello.monoNs + 200_000_000n, data: hello.data, linkType: LOOPBACK_LINKTYPE }));
    const points = seqGraph([...events, again]).c2s.points;
    expect(points.filter((p) => p.retransmit).map((p) => [p.seq, p.start, p.end])).toEqual([[999n, 1, 6]]);
  });

  it("without a SYN, numbers from the host's stream offsets", () => {
    const late = segments(ECHO_CONVERSATION.slice(3)).map((event, i) =>
      i === 0 ? timelineEventOf(create(EventSchema, { ...event, kind: EventKind.SEGMENT, streamOffset: 0n, conversationId: "c1", monoNs: event.monoNs, data: event.data, linkType: LOOPBACK_LINKTYPE, direction: event.direction, seq: event.seq })) : event,
    );
    const g = seqGraph(late);
    expect(g.scaled).toBe(false);
    expect(g.s2c.points[0]).toMatchObject({ start: 1, end: 58 });
  });

  it("is empty without segments (capture off: messages have no sequence numbers)", () => {
    const g = seqGraph([]);
    expect(g.segments).toBe(0);
    expect(g.c2s.points).toEqual([]);
  });
});

describe("the graph's view", () => {
  const full = fullWindow(0, 200);
  it("zooms around a time and stays inside the whole range", () => {
    expect(full).toEqual({ from: -4, to: 204 });
    const zoomed = zoomWindow(full, 0.5, 100, full);
    expect(zoomed.to - zoomed.from).toBe(104);
    expect(zoomed.from).toBe(48);
    expect(zoomWindow(zoomed, 10, 0, full)).toEqual(full);
    expect(zoomWindow({ from: 0, to: 0.002 }, 0.1, 0.001, full).to - zoomWindow({ from: 0, to: 0.002 }, 0.1, 0.001, full).from).toBeCloseTo(0.001);
  });
  it("pans by a share of the span and stops at the ends", () => {
    const view = { from: 0, to: 10 };
    expect(panWindow(view, 0.5, full)).toEqual({ from: 5, to: 15 });
    expect(panWindow(view, -1, full)).toEqual({ from: -4, to: 6 });
    expect(panWindow({ from: 190, to: 200 }, 1, full)).toEqual({ from: 194, to: 204 });
  });
  it("fits the sequence axis to what the window shows", () => {
    const g = seqGraph(segments(ECHO_CONVERSATION));
    const range = seqRange(g.s2c, { from: 0.3, to: 0.6 });
    expect(range.low).toBeLessThanOrEqual(1);
    expect(range.high).toBeGreaterThanOrEqual(69);
    expect(range.high).toBeLessThan(75);
    expect(seqRange(g.s2c, { from: 50, to: 60 })).toEqual({ low: 0, high: 1 });
  });
  it("ticks at 1, 2 or 5 times a power of ten", () => {
    expect(ticks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks(0.3, 0.6, 4)).toEqual([0.3, 0.4, 0.5, 0.6]);
    expect(ticks(1, 1, 4)).toEqual([1]);
  });
  it("opens on an event's neighbourhood: the times nearest to it and the event, with a margin, inside the whole range", () => {
    // A burst at 100 ms (experiment B's big write) in a 200 ms connection, and a lone point at 190.
    const times = [0, 100, 100.01, 100.02, 100.03, 190];
    const around = windowAround(times, 100.015, full, 4);
    expect(around.from).toBeCloseTo(100.015 - AROUND_MIN_SPAN_MS / 2);
    expect(around.to).toBeCloseTo(100.015 + AROUND_MIN_SPAN_MS / 2);
    // Wider when the nearest times are further apart: 4 nearest to 150 are 100.01..100.03 and 190, widened by 30%.
    const far = windowAround(times, 150, full, 4);
    expect(far.from).toBeCloseTo(100.01 - (190 - 100.01) * 0.15);
    expect(far.to).toBeCloseTo(190 + (190 - 100.01) * 0.15);
    // Kept inside the whole range, and the whole range when the neighbourhood is wider than it.
    const end = windowAround([], 203.99, full);
    expect([end.from, end.to]).toEqual([expect.closeTo(204 - AROUND_MIN_SPAN_MS), 204]);
    expect(windowAround(times, 100, full, 6)).toEqual(full);
    // The other end of the event's message is kept in view.
    const both = windowAround([], 100, full, 4, [100.2]);
    expect([both.from, both.to]).toEqual([expect.closeTo(100 - 0.2 * 0.15), expect.closeTo(100.2 + 0.2 * 0.15)]);
    // No points: the event's own time, at the narrowest span.
    expect(windowAround([], 50, full)).toEqual({ from: 50 - AROUND_MIN_SPAN_MS / 2, to: 50 + AROUND_MIN_SPAN_MS / 2 });
  });
  it("finds the point nearest a time", () => {
    const g = seqGraph(segments(ECHO_CONVERSATION));
    expect(nearestPoint(g.s2c.points, 0.5)).toBe(2);
    expect(nearestPoint([], 1)).toBe(-1);
  });
});
