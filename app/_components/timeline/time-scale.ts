// Time on the ladder's vertical axis (issue 15 §2): a message's arrow sloped by its one-way delay, where the lab
// knows two times for it. The tap sits in the lab's servers, so a message has the server's time (its read, or its
// write). The other end's time comes from, first:
//  - the lab's own client, which times its socket (server/capture/client-clock.ts): end to end, from the client's
//    write of the first byte to the server's read, or from the server's write to the client's read of the last byte;
//  - else, while wire capture runs, the segments that carried the bytes (an outside program's own times are unknown):
//    from the segment that carried its first byte to the server's read, or from the server's write to the segment
//    that carried its last byte. With both, the segment's time is said too: it lies between the two ends.
// Rows stay rows (one per event, in order): the row's line is the event's own time, and the arrow's other end sits
// above or below it by the delay at a fixed scale, so slopes compare across the ladder. A delay too long for the
// rows around it is cut with a marked break (and its length is said), as idle periods between rows are gap markers.

import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "./batch";

/** Pixels per microsecond of delay: loopback delays of tens of microseconds slope by tens of pixels. */
export const PX_PER_US = 1;
/** The longest drop drawn to scale; longer delays are cut to this with a break mark. */
export const MAX_DROP_PX = 80;
/** The ruler's length: a round span at the scale. */
export const RULER_US = 20;

export type SlopeBasis = "clientToRead" | "writeToClient" | "wireToRead" | "writeToWire";
export type FlatReason = "segment" | "noCapture" | "noSegment" | "kind";

export type Slope =
  | {
      readonly basis: SlopeBasis;
      /** When the bytes left (the upper end) and arrived (the lower end), on the host's monotonic clock. */
      readonly fromNs: bigint;
      readonly toNs: bigint;
      readonly delayNs: bigint;
      /** End to end (the client's own time): when the carrying segment was on the wire, where it was captured. */
      readonly wireNs?: bigint;
    }
  | { readonly basis: "flat"; readonly why: FlatReason };

/**
 * What an arrow's slope is based on: `carriers` are the segments that carried the event's bytes (relatedEvents), and
 * `capture` whether the lab captures segments at all.
 */
export function arrowSlope(event: TimelineEvent, carriers: readonly TimelineEvent[], capture: boolean): Slope {
  if (event.kind === EventKind.SEGMENT) return { basis: "flat", why: "segment" };
  if (event.kind !== EventKind.DATA) return { basis: "flat", why: "kind" };
  const times = carriers.filter((segment) => segment.kind === EventKind.SEGMENT && segment.direction === event.direction).map((segment) => segment.monoNs);
  const first = times.length === 0 ? undefined : times.reduce((a, b) => (b < a ? b : a));
  const last = times.length === 0 ? undefined : times.reduce((a, b) => (b > a ? b : a));
  const peer = event.peerNs;
  if (peer !== undefined) {
    // The client's write comes before the server's read, and its read after the server's write (one clock).
    if (event.direction === Direction.CLIENT_TO_SERVER && peer <= event.monoNs) {
      return { basis: "clientToRead", fromNs: peer, toNs: event.monoNs, delayNs: event.monoNs - peer, ...(first !== undefined && { wireNs: first }) };
    }
    if (event.direction === Direction.SERVER_TO_CLIENT && peer >= event.monoNs) {
      return { basis: "writeToClient", fromNs: event.monoNs, toNs: peer, delayNs: peer - event.monoNs, ...(last !== undefined && { wireNs: last }) };
    }
  }
  if (!capture) return { basis: "flat", why: "noCapture" };
  if (first === undefined || last === undefined) return { basis: "flat", why: "noSegment" };
  if (event.direction === Direction.CLIENT_TO_SERVER) {
    const wire = first;
    // A read before the wire saw its bytes cannot be: the two clocks disagree, and the arrow says nothing it cannot.
    return wire <= event.monoNs ? { basis: "wireToRead", fromNs: wire, toNs: event.monoNs, delayNs: event.monoNs - wire } : { basis: "flat", why: "noSegment" };
  }
  if (event.direction === Direction.SERVER_TO_CLIENT) {
    const wire = last;
    return wire >= event.monoNs ? { basis: "writeToWire", fromNs: event.monoNs, toNs: wire, delayNs: wire - event.monoNs } : { basis: "flat", why: "noSegment" };
  }
  return { basis: "flat", why: "kind" };
}

/** Where an arrow's ends sit relative to its row's line, in pixels (down is positive), and whether it was cut. */
export interface ArrowDrop {
  /** The sender's end and the receiver's end. */
  readonly fromY: number;
  readonly toY: number;
  readonly broken: boolean;
  readonly delayNs: bigint;
}

/** The drop of a delay at the scale: linear up to MAX_DROP_PX, then cut there. */
export function dropPx(delayNs: bigint): { px: number; broken: boolean } {
  const px = (Number(delayNs) / 1000) * PX_PER_US;
  return px > MAX_DROP_PX ? { px: MAX_DROP_PX, broken: true } : { px, broken: false };
}

/**
 * The arrow's ends against its row's line, which is the event's own time: a read's arrow comes down to it from the
 * wire's time above, a write's goes down from it to the wire's time below. Null when it is drawn flat.
 */
export function arrowDrop(slope: Slope): ArrowDrop | null {
  if (slope.basis === "flat") return null;
  const { px, broken } = dropPx(slope.delayNs);
  // The receiver's end is the row's own time for a server's read; the sender's end is, for a server's write.
  return slope.basis === "wireToRead" || slope.basis === "clientToRead"
    ? { fromY: -px, toY: 0, broken, delayNs: slope.delayNs }
    : { fromY: 0, toY: px, broken, delayNs: slope.delayNs };
}

/** A delay in words' numbers: microseconds under a millisecond, else milliseconds. */
export function delayParts(delayNs: bigint): { unit: "us" | "ms"; value: number } {
  const us = Number(delayNs) / 1000;
  return us < 1000 ? { unit: "us", value: Math.round(us * 10) / 10 } : { unit: "ms", value: Math.round(us / 10) / 100 };
}

/** The search parameter that turns sloped arrows on (the view is in the URL, as the zoom is). */
export const SLOPE_PARAM = "slope";

export function parseSloped(params: URLSearchParams | { get(name: string): string | null }): boolean {
  return params.get(SLOPE_PARAM) === "delay";
}

export function slopedSearch(search: string, on: boolean): string {
  const params = new URLSearchParams(search);
  if (on) params.set(SLOPE_PARAM, "delay");
  else params.delete(SLOPE_PARAM);
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}
