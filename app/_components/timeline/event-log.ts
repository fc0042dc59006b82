// What the browser holds of the session's timeline, fed by LabService.Watch responses.
// Plain mutable state outside React: the provider applies every response here and publishes an
// immutable snapshot at most once per animation frame, so 100,000 events never mean 100,000 renders.
// It holds at most MAX_EVENTS events, as the lab's per-session ring does: past that the oldest go,
// and they count as dropped like the ones the ring dropped.

import type { WatchResponse } from "@/gen/lab/v1/lab_pb";
import { EventKind, type Conversation, type Event } from "@/gen/lab/v1/timeline_pb";

export interface TimelineSnapshot {
  readonly conversations: ReadonlyMap<string, Conversation>;
  /** In seq order. */
  readonly events: readonly Event[];
  readonly dropped: number;
  /** Socket events (every kind but SEGMENT) and the application bytes they carried. */
  readonly counters: { readonly events: number; readonly bytes: number };
  /** Captured segments and their bytes on the wire (headers included); zero without capture. */
  readonly wire: { readonly segments: number; readonly bytes: number };
}

export const EMPTY_SNAPSHOT: TimelineSnapshot = {
  conversations: new Map(),
  events: [],
  dropped: 0,
  counters: { events: 0, bytes: 0 },
  wire: { segments: 0, bytes: 0 },
};

/** The most events the browser holds: the lab's per-session ring keeps as many by default. */
export const MAX_EVENTS = 200_000;

export interface EventLogOptions {
  /** The most events held; the oldest are dropped past it. */
  readonly maxEvents?: number;
}

export interface EventLog {
  /** Applies one Watch response; true when anything a snapshot shows changed. */
  apply(response: Pick<WatchResponse, "conversations" | "events" | "dropped" | "cleared">): boolean;
  /** Forgets everything, as a `cleared` response does. */
  reset(): void;
  /** The current state; the same object until something changes. */
  snapshot(): TimelineSnapshot;
  /** The last seq received: Watch resumes after it when the stream reconnects. */
  readonly lastSeq: bigint;
  readonly size: number;
  /** How many events held have a seq above `seq` (what a paused view has not shown yet). */
  countAfter(seq: bigint): number;
}

export function createEventLog({ maxEvents = MAX_EVENTS }: EventLogOptions = {}): EventLog {
  const max = Math.max(1, Math.floor(maxEvents));
  // Past `max`, the oldest go until a tenth of it is free again, rather than one per new event: the
  // timeline extends its rows in place while the front of the log stays put (model.ts extendRows),
  // and every shift of the front costs it a rescan of everything held.
  const keep = max - Math.floor(max / 10);
  let conversations = new Map<string, Conversation>();
  // Conversations forgotten by a clear. A connection open across the clear keeps sending events, and
  // the lab sends a conversation only before its first event, so its next event revives it from here.
  const dormant = new Map<string, Conversation>();
  let events: Event[] = [];
  // Messages and segments are counted apart: a segment's bytes are a message's bytes again, with headers.
  let bytes = 0;
  let segments = 0;
  let wireBytes = 0;
  const count = (event: Event, sign: 1 | -1) => {
    if (event.kind === EventKind.SEGMENT) {
      segments += sign;
      wireBytes += sign * event.data.length;
    } else {
      bytes += sign * event.data.length;
    }
  };
  /** The ring's running count of this session's events it dropped before we got them. */
  let ringDropped = 0;
  /** Events this log dropped to stay within `max`. */
  let trimmed = 0;
  let lastSeq = 0n;
  let current: TimelineSnapshot = EMPTY_SNAPSHOT;
  let conversationsChanged = false;
  let dirty = false;

  function reset() {
    for (const [id, conversation] of conversations) dormant.set(id, conversation);
    conversations = new Map();
    events = [];
    bytes = 0;
    segments = 0;
    wireBytes = 0;
    ringDropped = 0;
    trimmed = 0;
    conversationsChanged = true;
    dirty = true;
  }

  return {
    apply(response) {
      let touched = false;
      if (response.cleared) {
        reset();
        touched = true;
      }
      // A running count that only grows; a response that leaves it unset (0) must not erase it.
      const responseDropped = Number(response.dropped);
      if (responseDropped > ringDropped) {
        ringDropped = responseDropped;
        touched = true;
      }
      for (const conversation of response.conversations) {
        conversations.set(conversation.id, conversation);
        dormant.delete(conversation.id);
        conversationsChanged = true;
        touched = true;
      }
      for (const event of response.events) {
        // A reconnect resumes after lastSeq; anything at or below it is a duplicate.
        if (event.seq <= lastSeq) continue;
        const revived = conversations.has(event.conversationId) ? undefined : dormant.get(event.conversationId);
        if (revived) {
          conversations.set(revived.id, revived);
          dormant.delete(revived.id);
          conversationsChanged = true;
        }
        events.push(event);
        count(event, 1);
        lastSeq = event.seq;
        touched = true;
      }
      if (events.length > max) {
        const drop = events.length - keep;
        for (let index = 0; index < drop; index++) {
          const old = events[index];
          if (old) count(old, -1);
        }
        events = events.slice(drop);
        trimmed += drop;
      }
      dirty ||= touched;
      return touched;
    },
    reset,
    snapshot() {
      if (!dirty) return current;
      current = {
        conversations: conversationsChanged ? new Map(conversations) : current.conversations,
        // One copy per published frame: consumers get an array that never changes under them.
        events: events.slice(),
        dropped: ringDropped + trimmed,
        counters: { events: events.length - segments, bytes },
        wire: { segments, bytes: wireBytes },
      };
      dirty = false;
      conversationsChanged = false;
      return current;
    },
    get lastSeq() {
      return lastSeq;
    },
    get size() {
      return events.length;
    },
    countAfter(seq) {
      // Binary search: events are in seq order.
      let lo = 0;
      let hi = events.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((events[mid]?.seq ?? 0n) <= seq) lo = mid + 1;
        else hi = mid;
      }
      return events.length - lo;
    },
  };
}
