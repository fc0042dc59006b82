"use client";
// The session's timeline for every client component below TimelineProvider: one LabService.Watch
// stream (the ring's replay, caught_up, then live events), resumed after the last seq on reconnect.
// Responses go into a mutable event log; React sees a new snapshot at most once per animation frame.

import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState } from "react";
import type { Conversation, Event } from "@/gen/lab/v1/timeline_pb";
import { labClient } from "../lab-client";
import { createEventLog, EMPTY_SNAPSHOT, type EventLog, type TimelineSnapshot } from "./event-log";
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
  /** In seq order; a new array whenever events are added (never mutated after it is handed out). */
  readonly events: readonly Event[];
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
}

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

  const publish = useCallback(() => {
    frame.current = null;
    // A cleared ring is shown even while paused: the events the frozen view shows no longer exist.
    if (!pausedRef.current || forceShow.current) {
      shown.current = log.snapshot();
      bump();
    }
    forceShow.current = false;
    // Counted by seq, not by length: the log may have dropped its oldest events since the view froze.
    const lastShown = shown.current.events.at(-1)?.seq;
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
      // The host's run the log's cursor belongs to: after a restart the host answers `cleared`.
      let runId = "";
      while (!signal.aborted) {
        try {
          for await (const response of labClient().watch({ afterSeq: log.lastSeq, runId }, { signal })) {
            if (signal.aborted) return;
            if (response.runId !== "") runId = response.runId;
            attempt = 0;
            setConnected(true);
            if (response.cleared) forceShow.current = true;
            if (log.apply(response)) schedule();
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
    };
    // `version` stands for shown.current, which changes only together with it.
  }, [version, connected, paused, setPaused, clear]);

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
