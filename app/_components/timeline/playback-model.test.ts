// Step-by-step playback's pure part: which event a step goes to among the rows shown (filter respected, gap rows
// skipped), the bounds, the place among the shown events, the speeds, and the display filter's count per zoom.

import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Direction, EventKind, EventSchema } from "@/gen/lab/v1/timeline_pb";
import { timelineEventOf, type TimelineEvent } from "./batch";
import { eventViewOf } from "./event-table";
import { extendRows, type RowFilter } from "./model";
import {
  canStep,
  DEFAULT_SPEED,
  parseSpeed,
  PLAYBACK_SPEEDS,
  playbackPosition,
  playbackStep,
  rowOfSeq,
  shownEventCounts,
  stepDelayMs,
} from "./playback-model";

function event(seq: number, ms: number, conversationId: string, extra: MessageInitShape<typeof EventSchema> = {}): TimelineEvent {
  return timelineEventOf(
    create(EventSchema, {
      seq: BigInt(seq),
      conversationId,
      kind: EventKind.DATA,
      direction: Direction.CLIENT_TO_SERVER,
      monoNs: BigInt(Math.round(ms * 1e6)),
      ...extra,
    }),
  );
}

// Two conversations interleaved, a 2.5 s pause before seq 5 (a gap row), and a captured segment.
const events = eventViewOf([
  event(1, 0, "a", { kind: EventKind.OPEN }),
  event(2, 1, "b", { kind: EventKind.OPEN }),
  event(3, 2, "a"),
  event(4, 3, "a", { direction: Direction.SERVER_TO_CLIENT }),
  event(5, 2503, "b"),
  event(6, 2504, "a", { kind: EventKind.SEGMENT }),
  event(7, 2505, "a", { kind: EventKind.CLOSE }),
]);
const messages: RowFilter = (view, index) => view.kindAt(index) !== EventKind.SEGMENT;
const onlyA: RowFilter = (view, index) => messages(view, index) && view.conversationAt(index) === "a";
// As the display filter's matched seqs do: 3 and 7 pass.
const matched = new Set([3n, 7n]);
const filtered: RowFilter = (view, index) => messages(view, index) && matched.has(view.seqAt(index));

/** Every seq forward from nothing selected, step by step, until the end. */
function walk(filter: RowFilter, direction: 1 | -1): bigint[] {
  const rows = extendRows(null, events, filter);
  const seqs: bigint[] = [];
  let at: bigint | null = null;
  for (let next = playbackStep(rows, at, direction); next !== null; next = playbackStep(rows, at, direction)) {
    seqs.push(next.seq);
    at = next.seq;
    expect(rows.eventAt(next.row)).toBeGreaterThanOrEqual(0);
  }
  return seqs;
}

describe("playbackStep", () => {
  it("steps through the shown events in order, over the gap row, and stops at the last", () => {
    expect(walk(messages, 1)).toEqual([1n, 2n, 3n, 4n, 5n, 7n]);
  });

  it("steps back from the last to the first, and back from nothing starts at the last", () => {
    expect(walk(messages, -1)).toEqual([7n, 5n, 4n, 3n, 2n, 1n]);
  });

  it("respects the filters: another conversation's events and unmatched ones are not stepped to", () => {
    expect(walk(onlyA, 1)).toEqual([1n, 3n, 4n, 7n]);
    expect(walk(filtered, 1)).toEqual([3n, 7n]);
    expect(walk(filtered, -1)).toEqual([7n, 3n]);
  });

  it("is null at the bounds and when nothing is shown", () => {
    const rows = extendRows(null, events, messages);
    expect(playbackStep(rows, 7n, 1)).toBeNull();
    expect(playbackStep(rows, 1n, -1)).toBeNull();
    expect(canStep(rows, 7n, 1)).toBe(false);
    expect(canStep(rows, 7n, -1)).toBe(true);
    const none = extendRows(null, events, () => false);
    expect(playbackStep(none, null, 1)).toBeNull();
    expect(playbackStep(none, null, -1)).toBeNull();
  });

  it("starts from the first shown event when the selection is not shown (filtered out, or a segment among messages)", () => {
    const rows = extendRows(null, events, filtered);
    expect(rowOfSeq(rows, 4n)).toBe(-1);
    expect(playbackStep(rows, 4n, 1)?.seq).toBe(3n);
    expect(playbackStep(rows, 6n, -1)?.seq).toBe(7n);
  });

  it("gives the row the ladder scrolls to: after the gap row, seq 5 is row 5", () => {
    const rows = extendRows(null, events, messages);
    expect(rows.row(4)).toMatchObject({ kind: "gap" });
    expect(playbackStep(rows, 4n, 1)).toEqual({ row: 5, seq: 5n });
  });
});

describe("playbackPosition", () => {
  it("counts event rows, not gap rows, and places the playhead among them", () => {
    const rows = extendRows(null, events, messages);
    expect(rows.count).toBe(7);
    expect(playbackPosition(rows, null)).toEqual({ place: 0, total: 6 });
    expect(playbackPosition(rows, 1n)).toEqual({ place: 1, total: 6 });
    expect(playbackPosition(rows, 5n)).toEqual({ place: 5, total: 6 });
    expect(playbackPosition(rows, 7n)).toEqual({ place: 6, total: 6 });
    expect(playbackPosition(rows, 6n)).toEqual({ place: 0, total: 6 });
    expect(playbackPosition(extendRows(null, events, filtered), 7n)).toEqual({ place: 2, total: 2 });
  });
});

describe("speed", () => {
  it("waits 1000 ms a step at 1x, 4000 at 0.25x and 250 at 4x", () => {
    expect(PLAYBACK_SPEEDS).toEqual([0.25, 0.5, 1, 2, 4]);
    expect(PLAYBACK_SPEEDS.map(stepDelayMs)).toEqual([4000, 2000, 1000, 500, 250]);
  });

  it("refuses a speed that is not a positive number", () => {
    expect(() => stepDelayMs(0)).toThrow(RangeError);
    expect(() => stepDelayMs(-1)).toThrow(RangeError);
    expect(() => stepDelayMs(Number.NaN)).toThrow(RangeError);
    expect(() => stepDelayMs(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("reads the list's values and falls back to 1x for anything else", () => {
    expect(parseSpeed("0.25")).toBe(0.25);
    expect(parseSpeed("4")).toBe(4);
    expect(parseSpeed("1000")).toBe(DEFAULT_SPEED);
    expect(parseSpeed("")).toBe(DEFAULT_SPEED);
    expect(parseSpeed("fast")).toBe(DEFAULT_SPEED);
  });
});

describe("shownEventCounts", () => {
  it("counts the shown rows of this zoom against all of this zoom's events, never segments among messages", () => {
    expect(shownEventCounts(extendRows(null, events, filtered), false)).toEqual({ shown: 2, total: 6 });
    const segments: RowFilter = (view, index) => view.kindAt(index) === EventKind.SEGMENT;
    expect(shownEventCounts(extendRows(null, events, segments), true)).toEqual({ shown: 1, total: 1 });
  });
});
