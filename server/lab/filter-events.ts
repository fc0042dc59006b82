// The display filter on the server (issue 15 §2): which of a session's events pass a filter (FilterEvents, for the
// timeline's view) and which the pcapng export keeps (`?filter=`), decided by one function over the same rebuilt
// field trees GetEvent shows, so the view and the file agree.
//
// Bounded: a tree is rebuilt per event scanned (about what GetEvent costs), so one call scans at most `scan` events,
// in slices of `sliceMs`, each in a slot of the host's pacer (pacer.ts) so that a long timeline does not hold the event
// loop; a session has one call running, a newer one ending the older; the filter's own bounds (length, terms, depth)
// and its linear-time regex engine bound each evaluation (server/dissect/filter).

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { FilterEventsResponseSchema, type FilterEventsRequest, type FilterEventsResponse } from "@/gen/lab/v1/lab_pb";
import { RUN_ID } from "../capture/bus";
import type { CapturedEvent } from "../capture/events";
import type { Ring } from "../capture/ring";
import type { Dissector } from "../dissect/core/types";
import { filterRecord, matchFilter } from "../dissect/filter/evaluate";
import { parseFilter, type FilterNode } from "../dissect/filter/parse";
import { hostPacer, type Pacer } from "./pacer";
import { framesOf } from "./to-proto";

export const FILTER_EVENT_LIMITS = {
  /** Events one FilterEvents call scans at most; the page asks again from where it stopped. */
  scan: 2000,
  /** Work between two pacer slots, in milliseconds. */
  sliceMs: 4,
} as const;

export type FilterEventLimits = { readonly [K in keyof typeof FILTER_EVENT_LIMITS]: number };

/** Whether one event passes: its frames' trees rebuilt, plus what the lab knows of every event (`frame.len`, `lab.*`). */
export function eventPasses(filter: FilterNode | undefined, event: CapturedEvent, number: number, dissectorFor: (protocol: string) => Dissector): boolean {
  if (!filter) return true;
  const frames = framesOf(event, dissectorFor).map((f) => ({
    protocol: f.protocol,
    fields: f.fields,
    bytes: f.reassembled ?? (f.offset >= 0 ? event.data.subarray(f.offset, f.offset + f.length) : undefined),
  }));
  const c = event.conversation;
  const record = filterRecord(
    frames,
    {
      "frame.len": { num: event.data.length },
      "frame.number": { num: number },
      "lab.service": { str: c.service },
      "lab.direction": { str: event.direction },
      "lab.kind": { str: event.kind },
      "lab.conversation": { str: c.id },
    },
    // An event of a TCP conversation is TCP's, captured or not: `tcp` alone keeps the TCP lesson's traffic.
    [c.transport],
  );
  return matchFilter(filter, record);
}

/** The parsed filter, or INVALID_ARGUMENT naming the error's code and column (the page words it). */
export function parsedOrRefused(text: string): FilterNode | undefined {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new ConnectError(`display filter: ${parsed.error.code} at column ${parsed.error.at + 1}`, Code.InvalidArgument);
  return parsed.filter;
}

export interface EventFilter {
  filter(sessionId: string, ring: Ring, req: FilterEventsRequest, signal?: AbortSignal): Promise<FilterEventsResponse>;
}

export function createEventFilter(dissectorFor: (protocol: string) => Dissector, limits: Partial<FilterEventLimits> = {}, pacer: Pacer = hostPacer): EventFilter {
  const bounds: FilterEventLimits = { ...FILTER_EVENT_LIMITS, ...limits };
  const running = new Map<string, AbortController>();
  return {
    async filter(sessionId, ring, req, signal) {
      const filter = parsedOrRefused(req.filter);
      running.get(sessionId)?.abort();
      const mine = new AbortController();
      running.set(sessionId, mine);
      const stop = () => mine.abort();
      signal?.addEventListener("abort", stop);
      try {
        const response = create(FilterEventsResponseSchema, { nextSeq: req.afterSeq, runId: RUN_ID });
        // Another run's seqs mean nothing here: start from the oldest.
        let after = req.runId === RUN_ID ? Number(req.afterSeq) : 0;
        let scanned = 0;
        for (;;) {
          await pacer.slot(mine.signal);
          if (mine.signal.aborted) throw new ConnectError("a newer filter replaced this one", Code.Canceled);
          const until = performance.now() + bounds.sliceMs;
          do {
            const [event] = ring.after(after, 1);
            if (!event) {
              response.done = true;
              break;
            }
            after = event.seq;
            scanned++;
            if (eventPasses(filter, event, ring.number(event.seq), dissectorFor)) response.seqs.push(BigInt(event.seq));
          } while (scanned < bounds.scan && performance.now() < until);
          if (response.done || scanned >= bounds.scan) break;
        }
        response.nextSeq = BigInt(after);
        response.scanned = scanned;
        return response;
      } finally {
        signal?.removeEventListener("abort", stop);
        if (running.get(sessionId) === mine) running.delete(sessionId);
      }
    },
  };
}
