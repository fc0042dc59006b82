// The time-sequence graph's model (issue 15 §2, W. R. Stevens' "TCP/IP Illustrated" tcptrace graphs): for one
// direction of a TCP conversation, each captured segment's sequence numbers over time, the other side's
// acknowledgement line (what it has received) and its window line (acknowledgement + advertised window: how far the
// sender may go). Read from the segments' own headers (the first bytes of each packet the lab keeps), so the
// numbers are the wire's: relative to the direction's initial sequence number, windows scaled when both SYNs
// agreed on Window Scale (RFC 7323 §2.2).

import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import { OPTION_KIND, readTcpPacket, TCP_FLAG } from "../tcp-lesson/segment-adapter";
import type { TimelineEvent } from "./batch";

/** One segment of the direction drawn: its payload's sequence range (a SYN or FIN takes one number). */
export interface SeqPoint {
  readonly seq: bigint;
  /** The event's number in the session ("Event 12"). */
  readonly number: bigint;
  /** Milliseconds after the graph's time base (the timeline's, so times read as in its time column). */
  readonly ms: number;
  /** Relative sequence number of its first byte (the SYN is 0). */
  readonly start: number;
  /** Past its last: start + payload (+1 for SYN or FIN). */
  readonly end: number;
  readonly length: number;
  readonly flags: number;
  /** The same range was sent before: a retransmission. */
  readonly retransmit: boolean;
}

/** What the other side said in one segment: acknowledged up to `ack`, may send up to `limit`. */
export interface AckPoint {
  readonly seq: bigint;
  readonly ms: number;
  readonly ack: number;
  /** The advertised window, scaled. */
  readonly window: number;
  readonly limit: number;
}

export interface SeqSeries {
  readonly direction: Direction;
  readonly points: readonly SeqPoint[];
  readonly acks: readonly AckPoint[];
  readonly bytes: number;
}

export interface SeqGraph {
  readonly c2s: SeqSeries;
  readonly s2c: SeqSeries;
  /** The conversation's first and last segment times, in milliseconds after the time base. */
  readonly startMs: number;
  readonly endMs: number;
  /** Both SYNs were seen carrying Window Scale, so windows are scaled; false: windows are as sent. */
  readonly scaled: boolean;
  /** The segments of the conversation that could be read (a segment whose headers were not kept is skipped). */
  readonly segments: number;
}

const EMPTY_SERIES = (direction: Direction): SeqSeries => ({ direction, points: [], acks: [], bytes: 0 });

/** The graph of a conversation's segments (any order; sorted by time here), timed from `baseNs` (the first segment's time by default). */
export function seqGraph(events: readonly TimelineEvent[], baseNs?: bigint): SeqGraph {
  const read = events
    .filter((event) => event.kind === EventKind.SEGMENT)
    .map((event) => ({ event, packet: readTcpPacket(event.linkType, event.data) }))
    .filter((item): item is { event: TimelineEvent; packet: NonNullable<typeof item.packet> } => item.packet !== undefined)
    .sort((a, b) => (a.event.monoNs < b.event.monoNs ? -1 : a.event.monoNs > b.event.monoNs ? 1 : Number(a.event.seq - b.event.seq)));
  if (read.length === 0) return { c2s: EMPTY_SERIES(Direction.CLIENT_TO_SERVER), s2c: EMPTY_SERIES(Direction.SERVER_TO_CLIENT), startMs: 0, endMs: 0, scaled: false, segments: 0 };

  // Each direction's initial sequence number: its SYN's, else one before the first byte seen (the stream offset the
  // host gives a segment is relative seq - 1, so without a SYN the numbers still start where the host's do).
  const isn = new Map<Direction, number>();
  const shift = new Map<Direction, number | undefined>();
  for (const { event, packet } of read) {
    if (packet.flags & TCP_FLAG.SYN && !isn.has(event.direction)) {
      isn.set(event.direction, packet.seq);
      shift.set(event.direction, packet.options.find((option) => option.kind === OPTION_KIND.WSCALE)?.shift);
    }
  }
  for (const { event, packet } of read) {
    if (isn.has(event.direction)) continue;
    const offset = event.streamOffset >= 0n ? Number(event.streamOffset) : 0;
    isn.set(event.direction, (packet.seq - offset - 1) >>> 0);
  }
  const c2sShift = shift.get(Direction.CLIENT_TO_SERVER);
  const s2cShift = shift.get(Direction.SERVER_TO_CLIENT);
  const scaled = c2sShift !== undefined && s2cShift !== undefined;

  const t0 = baseNs ?? read[0]!.event.monoNs;
  const ms = (event: TimelineEvent) => Number(event.monoNs - t0) / 1e6;
  const series = new Map<Direction, { points: SeqPoint[]; acks: AckPoint[]; bytes: number; highest: number }>([
    [Direction.CLIENT_TO_SERVER, { points: [], acks: [], bytes: 0, highest: 0 }],
    [Direction.SERVER_TO_CLIENT, { points: [], acks: [], bytes: 0, highest: 0 }],
  ]);
  for (const { event, packet } of read) {
    const own = series.get(event.direction);
    const other = event.direction === Direction.CLIENT_TO_SERVER ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER;
    const otherSeries = series.get(other);
    if (!own || !otherSeries) continue;
    const start = (packet.seq - (isn.get(event.direction) ?? 0)) >>> 0;
    const control = packet.flags & (TCP_FLAG.SYN | TCP_FLAG.FIN) ? 1 : 0;
    const end = start + packet.payloadLength + control;
    if (packet.payloadLength > 0 || control > 0) {
      own.points.push({
        seq: event.seq,
        number: event.number ?? event.seq,
        ms: ms(event),
        start,
        end,
        length: packet.payloadLength,
        flags: packet.flags,
        retransmit: end <= own.highest && packet.payloadLength > 0,
      });
      own.bytes += packet.payloadLength;
      own.highest = Math.max(own.highest, end);
    }
    // This segment's ACK and window speak about the other direction's bytes. A SYN's window is never scaled.
    if (packet.flags & TCP_FLAG.ACK) {
      const ack = (packet.ack - (isn.get(other) ?? 0)) >>> 0;
      const myShift = event.direction === Direction.CLIENT_TO_SERVER ? c2sShift : s2cShift;
      const window = scaled && !(packet.flags & TCP_FLAG.SYN) ? packet.window * 2 ** (myShift ?? 0) : packet.window;
      otherSeries.acks.push({ seq: event.seq, ms: ms(event), ack, window, limit: ack + window });
    }
  }
  const done = (direction: Direction): SeqSeries => {
    const s = series.get(direction)!;
    return { direction, points: s.points, acks: s.acks, bytes: s.bytes };
  };
  return { c2s: done(Direction.CLIENT_TO_SERVER), s2c: done(Direction.SERVER_TO_CLIENT), startMs: ms(read[0]!.event), endMs: ms(read[read.length - 1]!.event), scaled, segments: read.length };
}

/** The direction that carried more bytes (the client's on a tie): what the graph opens on. */
export function busierDirection(graph: SeqGraph): Direction {
  return graph.s2c.bytes > graph.c2s.bytes ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER;
}

// ---------------------------------------------------------------------------------------------
// The view: which time range is shown, zoomed and panned

export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

/** The smallest span a zoom reaches: one microsecond. */
export const MIN_SPAN_MS = 0.001;

/** The whole graph's time range, with a margin so the first and last points are not on the frame. */
export function fullWindow(startMs: number, endMs: number): TimeWindow {
  const span = Math.max(endMs - startMs, MIN_SPAN_MS * 10);
  return { from: startMs - span * 0.02, to: startMs + span * 1.02 };
}

/** Segments (and ACKs) nearest to an event that its neighbourhood shows. */
export const AROUND_POINTS = 8;
/** The narrowest neighbourhood: a tenth of a millisecond (one write's segments on loopback lie microseconds apart). */
export const AROUND_MIN_SPAN_MS = 0.1;

/**
 * The neighbourhood of time `at` (the event the graph was opened from): the `count` times nearest to it (its
 * segments and ACKs), `at` itself and the times in `keep` (the other end of its message), with a margin, at least
 * AROUND_MIN_SPAN_MS wide, kept inside `full`.
 */
export function windowAround(times: readonly number[], at: number, full: TimeWindow, count = AROUND_POINTS, keep: readonly number[] = []): TimeWindow {
  const nearest = [...times].sort((a, b) => Math.abs(a - at) - Math.abs(b - at)).slice(0, count);
  const from = Math.min(at, ...nearest, ...keep);
  const to = Math.max(at, ...nearest, ...keep);
  const span = Math.max(AROUND_MIN_SPAN_MS, (to - from) * 1.3);
  const middle = (from + to) / 2;
  return clampWindow({ from: middle - span / 2, to: middle + span / 2 }, full);
}

/** Zoomed by `factor` (< 1 in, > 1 out) around `at`, kept inside the full range. */
export function zoomWindow(view: TimeWindow, factor: number, at: number, full: TimeWindow): TimeWindow {
  const span = Math.min(full.to - full.from, Math.max(MIN_SPAN_MS, (view.to - view.from) * factor));
  const ratio = view.to === view.from ? 0.5 : (at - view.from) / (view.to - view.from);
  return clampWindow({ from: at - span * ratio, to: at - span * ratio + span }, full);
}

/** Moved by `fraction` of its span (negative: earlier), kept inside the full range. */
export function panWindow(view: TimeWindow, fraction: number, full: TimeWindow): TimeWindow {
  const shift = (view.to - view.from) * fraction;
  return clampWindow({ from: view.from + shift, to: view.to + shift }, full);
}

function clampWindow(view: TimeWindow, full: TimeWindow): TimeWindow {
  const span = view.to - view.from;
  if (span >= full.to - full.from) return full;
  if (view.from < full.from) return { from: full.from, to: full.from + span };
  if (view.to > full.to) return { from: full.to - span, to: full.to };
  return view;
}

/**
 * The sequence range to draw for a time window: the points and the ACK line inside it, with a margin. The window line
 * does not widen it (a loopback window is megabytes above a lesson's few kilobytes): the graph clips it and says so.
 */
export function seqRange(series: SeqSeries, view: TimeWindow): { readonly low: number; readonly high: number } {
  let low = Infinity;
  let high = -Infinity;
  for (const p of series.points) {
    if (p.ms < view.from || p.ms > view.to) continue;
    low = Math.min(low, p.start);
    high = Math.max(high, p.end);
  }
  for (const a of series.acks) {
    if (a.ms < view.from || a.ms > view.to) continue;
    low = Math.min(low, a.ack);
    high = Math.max(high, a.ack);
  }
  if (low === Infinity) return { low: 0, high: 1 };
  const margin = Math.max(1, (high - low) * 0.04);
  return { low: Math.max(0, low - margin), high: high + margin };
}

/**
 * "Nice" tick values for an axis from `low` to `high` (1, 2 or 5 times a power of ten apart), at most about `count`.
 */
export function ticks(low: number, high: number, count: number): number[] {
  if (!(high > low) || count < 1) return [low];
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const out: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** The point nearest to time `ms` (by time, then the later one), or -1 when there are none. */
export function nearestPoint(points: readonly SeqPoint[], ms: number): number {
  let best = -1;
  let distance = Infinity;
  points.forEach((p, i) => {
    const d = Math.abs(p.ms - ms);
    if (d < distance) {
      best = i;
      distance = d;
    }
  });
  return best;
}
