"use client";
// The session's timeline for every client component below TimelineProvider: one LabService.Watch
// stream (the ring's newest events, caught_up, then live events), resumed after the last seq on reconnect;
// older events a page at a time (GetEarlierEvents) as the student scrolls back, and one event whole
// (GetEvent) when it is selected. Responses go into a mutable event log (columns, event-table.ts); React sees a
// new snapshot, a view of them made without copying, at most once per animation frame.

import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState } from "react";
import type { FollowConversationResponse } from "@/gen/lab/v1/lab_pb";
import type { Conversation, Event } from "@/gen/lab/v1/timeline_pb";
import { labClient } from "../lab-client";
import { createBatchReader } from "./batch";
import { createEventLog, EMPTY_SNAPSHOT, type EventLog, type TimelineSnapshot } from "./event-log";
import type { EventView } from "./event-table";
import { reconnectDelayMs } from "./model";

export interface TimelineCounters {
  /** Socket events (open, data, half-close, close, error) and the application bytes they carried. */
  readonly events: number;
  readonly bytes: number;
  /** Segments the wire capture saw and their bytes on the wire, headers included. */
  readonly segments: number;
  readonly wireBytes: number;
}

export interface TimelineState {
  readonly conversations: ReadonlyMap<string, Conversation>;
  /**
   * In seq order, read through the view's accessors (whole events only for what is on screen); a new view whenever
   * events are added, and the events a view covers read the same for as long as it is shown.
   */
  readonly events: EventView;
  /** Earlier events of this session no longer held: dropped by the lab's ring before the browser got
   *  them, or by the browser itself, which keeps at most MAX_EVENTS (event-log.ts). */
  readonly dropped: number;
  readonly connected: boolean;
  /** While paused, what is shown stays as it was; events keep arriving into a buffer. */
  readonly paused: boolean;
  setPaused(paused: boolean): void;
  /** Empties the session's ring on the lab host and what the browser holds. */
  clear(): Promise<void>;
  readonly counters: TimelineCounters;
  /** The lab holds older events than the first one here (the page asked for the newest first). */
  readonly moreBefore: boolean;
  /** The last seq received before the timeline was last cleared; 0 if never. */
  readonly clearedThrough: bigint;
  /** Brings a page of older events; resolves when it is in (or when there is nothing to bring). */
  loadEarlier(): Promise<void>;
  /** One event whole: its bytes and its frames' field trees, for the details panel. */
  wholeEvent(seq: bigint): Promise<Event>;
  /** One conversation's bytes, both directions in the order sent (Follow stream). */
  followConversation(conversationId: string): Promise<FollowConversationResponse>;
}

/** The newest events a page asks for first: its first screen comes quickly, however full the ring. */
export const FIRST_EVENTS = 2000;
/** Events per page back. */
export const PAGE_EVENTS = 2000;
/** Whole events the page keeps (the details of the last few selected). */
const WHOLE_EVENTS_KEPT = 16;

const TimelineContext = createContext<TimelineState | null>(null);
/** Events received while paused and not yet shown; for the resume button, not part of useTimeline(). */
const PendingContext = createContext(0);

export function TimelineProvider({ children }: { children: React.ReactNode }) {
  const [log] = useState<EventLog>(createEventLog);
  // The snapshot on screen lives in a ref; `version` is the only state that changes when it does.
  const shown = useRef<TimelineSnapshot>(EMPTY_SNAPSHOT);
  const [version, bump] = useReducer((v: number) => v + 1, 0);
  const [connected, setConnected] = useState(false);
  const [paused, setPausedState] = useState(false);
  const pausedRef = useRef(false);
  const frame = useRef<number | null>(null);
  const forceShow = useRef(false);

  const [pending, setPending] = useState(0);
  // The host's run the log's cursor belongs to: after a restart the host answers `cleared`.
  const runId = useRef("");
  const earlier = useRef<Promise<void> | null>(null);
  const whole = useRef(new Map<bigint, Promise<Event>>());

  const publish = useCallback(() => {
    frame.current = null;
    // A cleared ring is shown even while paused: the events the frozen view shows no longer exist. So is a log
    // that dropped its oldest events to stay within its bound: the frozen view can no longer read them.
    if (!pausedRef.current || forceShow.current || log.ended) {
      shown.current = log.snapshot();
      bump();
    }
    forceShow.current = false;
    // Counted by seq, not by length: the log may have dropped its oldest events since the view froze.
    const lastShown = shown.current.events.lastSeq;
    setPending(lastShown === undefined ? log.size : log.countAfter(lastShown));
  }, [log]);

  const schedule = useCallback(() => {
    if (frame.current === null) frame.current = requestAnimationFrame(publish);
  }, [publish]);

  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    async function watch() {
      let attempt = 0;
      while (!signal.aborted) {
        // Each stream has its own tables: a reconnect starts a new reader.
        const reader = createBatchReader();
        try {
          const request = { afterSeq: log.lastSeq, runId: runId.current, latest: FIRST_EVENTS };
          for await (const response of labClient().watch(request, { signal })) {
            if (signal.aborted) return;
            if (response.runId !== "") {
              if (response.runId !== runId.current) whole.current.clear();
              runId.current = response.runId;
            }
            attempt = 0;
            setConnected(true);
            if (response.cleared) {
              forceShow.current = true;
              whole.current.clear();
            }
            const read = response.batch ? reader.read(response.batch) : { conversations: [], events: [] };
            const update = { ...read, dropped: response.dropped, cleared: response.cleared, moreBefore: response.moreBefore };
            if (log.apply(update)) schedule();
          }
        } catch {
          // The stream failed (lab host restarting, network gone): retried below with backoff.
        }
        if (signal.aborted) return;
        setConnected(false);
        await sleep(reconnectDelayMs(attempt), signal);
        attempt++;
      }
    }
    void watch();
    return () => {
      abort.abort();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [log, schedule]);

  const setPaused = useCallback(
    (next: boolean) => {
      pausedRef.current = next;
      setPausedState(next);
      if (!next) publish();
    },
    [publish],
  );

  const clear = useCallback(async () => {
    await labClient().clearTimeline({});
    log.reset();
    forceShow.current = true;
    publish();
  }, [log, publish]);

  const loadEarlier = useCallback(() => {
    earlier.current ??= (async () => {
      try {
        const first = log.firstSeq;
        if (first === undefined || !log.moreBefore) return;
        const page = await labClient().getEarlierEvents({ beforeSeq: first, limit: PAGE_EVENTS, runId: runId.current });
        const read = page.batch ? createBatchReader().read(page.batch) : { conversations: [], events: [] };
        if (log.prepend({ ...read, moreBefore: page.moreBefore })) {
          // Shown even while paused: older events do not change what the frozen view shows of the newest.
          forceShow.current = true;
          publish();
        }
      } catch {
        // The lab went away: the page stays as it is, and the next scroll to the top asks again.
      } finally {
        earlier.current = null;
      }
    })();
    return earlier.current;
  }, [log, publish]);

  const wholeEvent = useCallback((seq: bigint) => {
    const kept = whole.current;
    let found = kept.get(seq);
    if (!found) {
      found = labClient()
        .getEvent({ seq, runId: runId.current })
        .then((response) => {
          if (!response.event) throw new Error(`no event ${seq}`);
          return response.event;
        });
      // A failed fetch is not kept: selecting the event again asks again.
      found.catch(() => kept.delete(seq));
      kept.set(seq, found);
      for (const key of kept.keys()) {
        if (kept.size <= WHOLE_EVENTS_KEPT) break;
        kept.delete(key);
      }
    }
    return found;
  }, []);

  const followConversation = useCallback((conversationId: string) => labClient().followConversation({ conversationId, runId: runId.current }), []);

  const value = useMemo<TimelineState>(() => {
    const snapshot = shown.current;
    return {
      conversations: snapshot.conversations,
      events: snapshot.events,
      dropped: snapshot.dropped,
      counters: { ...snapshot.counters, segments: snapshot.wire.segments, wireBytes: snapshot.wire.bytes },
      connected,
      paused,
      setPaused,
      clear,
      moreBefore: snapshot.moreBefore,
      clearedThrough: snapshot.clearedThrough,
      loadEarlier,
      wholeEvent,
      followConversation,
    };
    // `version` stands for shown.current, which changes only together with it.
  }, [version, connected, paused, setPaused, clear, loadEarlier, wholeEvent, followConversation]);

  return (
    <TimelineContext.Provider value={value}>
      <PendingContext.Provider value={pending}>{children}</PendingContext.Provider>
    </TimelineContext.Provider>
  );
}

export function useTimeline(): TimelineState {
  const state = useContext(TimelineContext);
  if (!state) throw new Error("useTimeline() needs a <TimelineProvider> above it.");
  return state;
}

/** How many received events the pause is holding back. */
export function usePendingCount(): number {
  return useContext(PendingContext);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
