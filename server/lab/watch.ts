// The session's timeline as LabService serves it to pages: Watch (the ring's newest events or all of them,
// then live ones, in compact batches of briefs), GetEarlierEvents (paging back) and GetEvent (one event whole,
// for the details panel). Briefs and whole events are made once per event and cached host-wide by seq (a seq is
// unique within a run of the host), so ten pages cost little more than one; what each session sees is still
// decided by its own ring.

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  GetEarlierEventsResponseSchema,
  GetEventResponseSchema,
  WatchResponseSchema,
  type GetEarlierEventsRequest,
  type GetEarlierEventsResponse,
  type GetEventRequest,
  type GetEventResponse,
  type WatchRequest,
  type WatchResponse,
} from "@/gen/lab/v1/lab_pb";
import type { Event } from "@/gen/lab/v1/timeline_pb";
import { RUN_ID } from "../capture/bus";
import type { CapturedEvent } from "../capture/events";
import type { Ring } from "../capture/ring";
import type { Dissector } from "../dissect/core/types";
import { briefOf, createBatchWriter, eventToProto, type Brief } from "./to-proto";

/** Bounds of the timeline's answers and of what the host keeps to make them. */
export const TIMELINE_LIMITS = {
  /** Events in one Watch batch (a replay is many). */
  eventsPerBatch: 1000,
  /** A batch stops growing past this many bytes of briefs (a lab client's messages travel whole). */
  bytesPerBatch: 1024 * 1024,
  /** The most a page may ask for as its first screen (WatchRequest.latest). */
  maxLatest: 5000,
  /** The most events one GetEarlierEvents answers with. */
  eventsPerPage: 2000,
  /**
   * Live events are sent at most once per this many milliseconds per stream (an animation frame): at high rates
   * one batch carries many events instead of one message per event. An event after a quiet spell goes at once.
   */
  coalesceMs: 16,
  /** Briefs kept for the streams and pages that read the same events (by their weight, roughly bytes). */
  briefCacheBytes: 16 * 1024 * 1024,
  /** Whole events kept for GetEvent (a student clicks back and forth between a few). */
  eventCacheEntries: 64,
  /** Conversations and strings one stream's tables hold before they start over. */
  tableEntries: 4096,
} as const;

export type TimelineLimits = { readonly [K in keyof typeof TIMELINE_LIMITS]: number };

export interface TimelineReader {
  /** One Watch stream: the session's ring from the request's cursor (or its newest events), then live events. */
  follow(ring: Ring, req: WatchRequest, signal: AbortSignal): AsyncGenerator<WatchResponse>;
  earlier(ring: Ring, req: GetEarlierEventsRequest): Promise<GetEarlierEventsResponse>;
  event(ring: Ring, req: GetEventRequest): GetEventResponse;
  /** Briefs made so far (for tests: a second reader of the same events makes none). */
  readonly briefsMade: number;
}

export function createTimelineReader(
  dissectorFor: (protocol: string) => Dissector,
  limits: Partial<TimelineLimits> = {},
): TimelineReader {
  const bounds: TimelineLimits = { ...TIMELINE_LIMITS, ...limits };
  // Insertion-ordered maps: the oldest entry goes first when a bound is reached.
  const briefs = new Map<number, Brief>();
  let briefBytes = 0;
  let briefsMade = 0;
  const events = new Map<number, Event>();

  function briefFor(event: CapturedEvent): Brief {
    const cached = briefs.get(event.seq);
    if (cached) return cached;
    const made = briefOf(event, dissectorFor);
    briefsMade++;
    briefs.set(event.seq, made);
    briefBytes += made.weight;
    for (const [seq, old] of briefs) {
      if (briefBytes <= bounds.briefCacheBytes) break;
      briefs.delete(seq);
      briefBytes -= old.weight;
    }
    return made;
  }

  /** Briefs of `batch` (oldest first) up to the size bound, letting the event loop run between slices of work. */
  async function briefsOf(batch: readonly CapturedEvent[], signal?: AbortSignal): Promise<Brief[]> {
    const out: Brief[] = [];
    let bytes = 0;
    let slice = performance.now();
    for (const event of batch) {
      if (bytes > bounds.bytesPerBatch || signal?.aborted) break;
      const brief = briefFor(event);
      out.push(brief);
      bytes += brief.weight;
      // Dissecting a thousand events of a cold replay takes milliseconds: the servers and /api/status run between.
      if (performance.now() - slice > 4) {
        await turn();
        slice = performance.now();
      }
    }
    return out;
  }

  async function* follow(ring: Ring, req: WatchRequest, signal: AbortSignal): AsyncGenerator<WatchResponse> {
    let cursor = Number(req.afterSeq);
    let generation = ring.generation;
    // A cursor from another run of the host (or from a page that cannot say which run) means nothing
    // here: what the page holds is gone, so tell it to start over.
    const otherRun = req.runId !== "" ? req.runId !== RUN_ID : cursor > 0;
    if (otherRun) cursor = 0;
    const latest = Math.min(req.latest, bounds.maxLatest);
    yield create(WatchResponseSchema, { runId: RUN_ID, cleared: otherRun, dropped: BigInt(ring.dropped) });
    const writer = createBatchWriter({ maxTableEntries: bounds.tableEntries });
    // From the start, a page that asked for the newest `latest` gets those, and pages back for the rest.
    let moreBefore = false;
    const startAtLatest = () => {
      if (cursor !== 0 || latest <= 0) return;
      const newest = ring.before(Number.MAX_SAFE_INTEGER, latest);
      const first = newest[0];
      if (first === undefined || ring.size <= newest.length) return;
      cursor = first.seq - 1;
      moreBefore = true;
    };
    startAtLatest();
    let caughtUp = false;
    let lastSent = -Infinity;
    while (!signal.aborted) {
      if (ring.generation !== generation) {
        generation = ring.generation;
        cursor = 0;
        yield create(WatchResponseSchema, { cleared: true, dropped: 0n });
        startAtLatest();
      }
      const batch = ring.after(cursor, bounds.eventsPerBatch);
      if (batch.length > 0) {
        const made = await briefsOf(batch, signal);
        if (signal.aborted) return;
        const last = made.at(-1);
        if (last) cursor = last.seq;
        yield create(WatchResponseSchema, { batch: writer.write(made), dropped: BigInt(ring.dropped), moreBefore });
        moreBefore = false;
        lastSent = performance.now();
        // A replay is many batches: let the servers and other requests run between them.
        await turn();
        continue;
      }
      if (!caughtUp) {
        caughtUp = true;
        yield create(WatchResponseSchema, { caughtUp: true, dropped: BigInt(ring.dropped) });
        continue;
      }
      await ring.changed(signal);
      // One batch per animation frame's worth of time: what arrives meanwhile joins it.
      const wait = lastSent + bounds.coalesceMs - performance.now();
      if (wait > 0) await sleep(wait, signal);
    }
  }

  return {
    follow,

    async earlier(ring, req) {
      const response = create(GetEarlierEventsResponseSchema);
      if (req.runId !== RUN_ID) return response;
      const limit = Math.max(0, Math.min(req.limit, bounds.eventsPerPage));
      const before = ring.before(Number(req.beforeSeq), limit);
      // The newest of them are the ones next to what the page holds: past the size bound the oldest are left out.
      const made = await briefsOf([...before].reverse());
      made.reverse();
      const first = made[0];
      response.batch = createBatchWriter({ maxTableEntries: Number.MAX_SAFE_INTEGER }).write(made);
      response.moreBefore = first !== undefined && ring.before(first.seq, 1).length > 0;
      return response;
    },

    event(ring, req) {
      const seq = Number(req.seq);
      // Only an event this session's ring holds, whatever another session's page asked for before.
      const [held] = req.runId === RUN_ID && seq > 0 ? ring.after(seq - 1, 1) : [];
      if (!held || held.seq !== seq) throw new ConnectError(`event ${req.seq} is not in this session's timeline`, Code.NotFound);
      let whole = events.get(seq);
      if (whole) events.delete(seq);
      else whole = eventToProto(held, dissectorFor);
      events.set(seq, whole);
      for (const key of events.keys()) {
        if (events.size <= bounds.eventCacheEntries) break;
        events.delete(key);
      }
      return create(GetEventResponseSchema, { event: whole });
    },

    get briefsMade() {
      return briefsMade;
    },
  };
}

function turn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
