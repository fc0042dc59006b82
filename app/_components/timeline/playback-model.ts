// Step-by-step playback of the timeline (issue 15 §2, "Packet Tracer's simulation mode, but on real bytes"): the
// pure part. A step moves through the rows the timeline shows (so the display filter, the conversation filter and the
// zoom decide what is stepped through), skipping gap rows; play steps forward on a timer at a chosen speed.

import { EventKind } from "@/gen/lab/v1/timeline_pb";
import { findEventIndex, rowOfEvent, stepRow, type RowIndex } from "./model";

/** Speeds of play, as multiples of one step a second. */
export const PLAYBACK_SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
export type PlaybackSpeed = (typeof PLAYBACK_SPEEDS)[number];
export const DEFAULT_SPEED: PlaybackSpeed = 1;

/** Milliseconds between two steps of play at `speed` (1: one step a second). */
export function stepDelayMs(speed: number): number {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`playback speed ${speed} is not a positive number`);
  return Math.round(1000 / speed);
}

/** The speed chosen in the UI's list from its text ("0.25"); the default for anything not in the list. */
export function parseSpeed(text: string): PlaybackSpeed {
  const value = Number(text);
  return PLAYBACK_SPEEDS.find((speed) => speed === value) ?? DEFAULT_SPEED;
}

/** The row of the event `seq` among `rows`; -1 when it is not shown (filtered out, another zoom) or null. */
export function rowOfSeq(rows: RowIndex, seq: bigint | null): number {
  if (seq === null) return -1;
  const index = findEventIndex(rows.events, seq);
  return index < 0 ? -1 : rowOfEvent(rows, index);
}

export interface PlaybackStep {
  readonly row: number;
  readonly seq: bigint;
}

/**
 * The event one step from `from` (the seq shown as the playhead; null or not shown: none yet). Forward from none is
 * the first shown event, back from none the last. Null at the bounds: forward from the last shown event, back from
 * the first, or when nothing is shown.
 */
export function playbackStep(rows: RowIndex, from: bigint | null, direction: 1 | -1): PlaybackStep | null {
  const at = rowOfSeq(rows, from);
  const target = at < 0 ? stepRow(rows, null, direction === 1 ? "first" : "last") : stepRow(rows, at, direction === 1 ? "next" : "previous");
  if (target === null || target === at) return null;
  const index = rows.eventAt(target);
  return index < 0 ? null : { row: target, seq: rows.events.seqAt(index) };
}

/** Where the playhead is among the shown events: its place (1-based; 0 when it is not among them) and their number. */
export function playbackPosition(rows: RowIndex, seq: bigint | null): { readonly place: number; readonly total: number } {
  const at = rowOfSeq(rows, seq);
  let place = 0;
  let total = 0;
  for (let row = 0; row < rows.count; row++) {
    if (rows.eventAt(row) < 0) continue;
    total++;
    if (row === at) place = total;
  }
  return { place, total };
}

/** Whether play can go on from `seq`: a shown event follows it (or nothing is selected and something is shown). */
export function canStep(rows: RowIndex, seq: bigint | null, direction: 1 | -1): boolean {
  return playbackStep(rows, seq, direction) !== null;
}

/**
 * What the display filter's "N of M" counts: the events shown at this zoom (`shown`, the rows the filters keep) and
 * all the events this zoom has (`total`: segments in the segments zoom, the programs' messages and socket events in
 * the messages zoom). Counting the filter's matches across both zooms would put captured segments among messages.
 */
export function shownEventCounts(rows: RowIndex, segments: boolean): { readonly shown: number; readonly total: number } {
  const events = rows.events;
  let total = 0;
  for (let index = 0; index < events.length; index++) if ((events.kindAt(index) === EventKind.SEGMENT) === segments) total++;
  return { shown: playbackPosition(rows, null).total, total };
}
