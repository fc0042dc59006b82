// What the browser holds of the session's timeline, fed by LabService.Watch responses (read into events by
// batch.ts), and by GetEarlierEvents pages when the student scrolls back past them.
// Plain mutable state outside React: the provider applies every response here and publishes a snapshot at most
// once per animation frame, so 100,000 events never mean 100,000 renders. The events live in a columnar table
// (event-table.ts); a snapshot's events are a view of it, made without copying anything.
// It holds at most MAX_EVENTS events, as the lab's per-session ring does: past that the oldest go,
// and they count as dropped like the ones the ring dropped.

import { EventKind, type Conversation } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "./batch";
import { createEventTable, eventViewOf, type EventView } from "./event-table";

export interface TimelineSnapshot {
  readonly conversations: ReadonlyMap<string, Conversation>;
  /** In seq order. A view of the log's table: it reads these events until the log says `ended`. */
  readonly events: EventView;
  readonly dropped: number;
  /** Socket events (every kind but SEGMENT) and the application bytes they carried. */
  readonly counters: { readonly events: number; readonly bytes: number };
  /** Captured segments and their bytes on the wire (headers included); zero without capture. */
  readonly wire: { readonly segments: number; readonly bytes: number };
  /** The lab's ring holds older events than the first one here: a page back (GetEarlierEvents) brings them. */
  readonly moreBefore: boolean;
  /** The last seq received before the timeline was last cleared (Clear, or a restart of the lab); 0 if never. */
  readonly clearedThrough: bigint;
}

export const EMPTY_SNAPSHOT: TimelineSnapshot = {
  conversations: new Map(),
  events: eventViewOf([]),
  dropped: 0,
  counters: { events: 0, bytes: 0 },
  wire: { segments: 0, bytes: 0 },
  moreBefore: false,
  clearedThrough: 0n,
};

/** The most events the browser holds: the lab's per-session ring keeps as many by default. */
export const MAX_EVENTS = 200_000;

export interface EventLogOptions {
  /** The most events held; the oldest are dropped past it. */
  readonly maxEvents?: number;
}

/** One Watch response, its batch read. */
export interface LogUpdate {
  readonly conversations: readonly Conversation[];
  readonly events: readonly TimelineEvent[];
  readonly dropped: bigint;
  readonly cleared: boolean;
  /** The first batch of a replay that left out older events. */
  readonly moreBefore?: boolean;
}

export interface EventLog {
  /** Applies one Watch response; true when anything a snapshot shows changed. */
  apply(response: LogUpdate): boolean;
  /**
   * Puts a page of older events (GetEarlierEvents) before the first one held; `moreBefore` says whether the ring
   * holds older ones still. A page that does not end just before the first event held (a clear came between) is
   * ignored. True when the page was taken.
   */
  prepend(page: { readonly conversations: readonly Conversation[]; readonly events: readonly TimelineEvent[]; readonly moreBefore: boolean }): boolean;
  /** Forgets everything, as a `cleared` response does. */
  reset(): void;
  /** The current state; the same object until something changes. */
  snapshot(): TimelineSnapshot;
  /**
   * The oldest events went (a trim past MAX_EVENTS, a clear) since the last snapshot: snapshots taken before read
   * nothing of them any more, so a view frozen on one (paused) must take a new one.
   */
  readonly ended: boolean;
  /** The last seq received: Watch resumes after it when the stream reconnects. */
  readonly lastSeq: bigint;
  /** The first seq held, from where a page back starts. */
  readonly firstSeq: bigint | undefined;
  readonly moreBefore: boolean;
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
  const table = createEventTable();
  // Messages and segments are counted apart: a segment's bytes are a message's bytes again, with headers.
  let bytes = 0;
  let segments = 0;
  let wireBytes = 0;
  const count = (kind: EventKind, length: number, sign: 1 | -1) => {
    if (kind === EventKind.SEGMENT) {
      segments += sign;
      wireBytes += sign * length;
    } else {
      bytes += sign * length;
    }
  };
  let moreBefore = false;
  /** The ring's running count of this session's events it dropped before we got them. */
  let ringDropped = 0;
  /** Events this log dropped to stay within `max`. */
  let trimmed = 0;
  let lastSeq = 0n;
  let clearedThrough = 0n;
  let current: TimelineSnapshot = EMPTY_SNAPSHOT;
  let conversationsChanged = false;
  let dirty = false;
  let ended = false;

  function reset() {
    clearedThrough = lastSeq;
    for (const [id, conversation] of conversations) dormant.set(id, conversation);
    conversations = new Map();
    table.clear();
    bytes = 0;
    segments = 0;
    wireBytes = 0;
    ringDropped = 0;
    trimmed = 0;
    moreBefore = false;
    conversationsChanged = true;
    dirty = true;
    ended = true;
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
      // A replay that starts at the ring's newest events: what came before is a page back away.
      if (response.moreBefore && table.size === 0) {
        moreBefore = true;
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
        table.append(event);
        count(event.kind, event.length, 1);
        lastSeq = event.seq;
        touched = true;
      }
      if (table.size > max) {
        const drop = table.size - keep;
        const view = table.view();
        for (let index = 0; index < drop; index++) count(view.kindAt(index), view.lengthAt(index), -1);
        table.dropOldest(drop);
        trimmed += drop;
        ended = true;
        // Trimmed for room: paging back would bring them again only to trim them.
        moreBefore = false;
      }
      dirty ||= touched;
      return touched;
    },
    prepend(page) {
      const first = table.size > 0 ? table.view().firstSeq : undefined;
      const last = page.events.at(-1);
      if (!moreBefore || first === undefined || last === undefined || last.seq >= first) return false;
      for (const conversation of page.conversations) {
        if (conversations.has(conversation.id)) continue;
        conversations.set(conversation.id, conversation);
        conversationsChanged = true;
      }
      // Older events past the room left are not taken.
      const room = Math.max(0, max - table.size);
      const taken = page.events.slice(Math.max(0, page.events.length - room));
      for (const event of taken) count(event.kind, event.length, 1);
      table.prepend(taken);
      moreBefore = page.moreBefore && taken.length === page.events.length;
      dirty = true;
      return true;
    },
    reset,
    snapshot() {
      if (!dirty) return current;
      current = {
        conversations: conversationsChanged ? new Map(conversations) : current.conversations,
        // A view, not a copy: it reads the table's columns for the events held now.
        events: table.view(),
        dropped: ringDropped + trimmed,
        counters: { events: table.size - segments, bytes },
        wire: { segments, bytes: wireBytes },
        moreBefore,
        clearedThrough,
      };
      dirty = false;
      conversationsChanged = false;
      ended = false;
      return current;
    },
    get ended() {
      return ended;
    },
    get lastSeq() {
      return lastSeq;
    },
    get firstSeq() {
      return table.size > 0 ? table.view().firstSeq : undefined;
    },
    get moreBefore() {
      return moreBefore;
    },
    get size() {
      return table.size;
    },
    countAfter(seq) {
      return table.view().countAfter(seq);
    },
  };
}
