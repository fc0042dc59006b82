"use client";
// The applied display filter's matches (issue 15 §2): the page holds briefs, not field trees, so the lab evaluates
// the filter (LabService.FilterEvents over the rebuilt trees) and answers the seqs that pass, a bounded scan per
// call; this asks again from the answer's cursor until the lab says it is done, and again whenever newer events
// arrive. A new filter starts over, and ends the lab's work on the old one.

import { useEffect, useRef, useState } from "react";
import { labClient } from "../lab-client";

export interface DisplayFilterMatches {
  /** The seqs that pass; null when no filter is applied. */
  readonly matched: ReadonlySet<bigint> | null;
  /** Events the page holds that the lab has not filtered yet. */
  readonly scanning: boolean;
  readonly failed: boolean;
}

const NONE: DisplayFilterMatches = { matched: null, scanning: false, failed: false };

/** `filter`: the applied filter's text (it parsed in the page); "" for none. `lastSeq`: the newest event held. */
export function useDisplayFilter(filter: string, lastSeq: bigint | undefined): DisplayFilterMatches {
  const [state, setState] = useState<DisplayFilterMatches & { filter: string; cursor: bigint; runId: string }>({ ...NONE, filter: "", cursor: 0n, runId: "" });
  const current = state.filter === filter ? state : { matched: filter === "" ? null : new Set<bigint>(), scanning: filter !== "", failed: false, filter, cursor: 0n, runId: "" };
  if (current !== state) setState(current);
  const newest = useRef(lastSeq);
  useEffect(() => {
    newest.current = lastSeq;
  }, [lastSeq]);
  const behind = filter !== "" && !current.failed && lastSeq !== undefined && lastSeq > current.cursor;

  useEffect(() => {
    if (!behind) return;
    const abort = new AbortController();
    const { cursor, runId } = current;
    // The newest event held as the call starts (read from a ref: a new event must not restart a call under way).
    const until = newest.current;
    labClient()
      .filterEvents({ filter, afterSeq: cursor, runId }, { signal: abort.signal })
      .then((answer) => {
        if (abort.signal.aborted) return;
        setState((prev) => {
          if (prev.filter !== filter || prev.cursor !== cursor) return prev;
          // Another run numbers its events anew: what this one matched means nothing there.
          const restart = runId !== "" && answer.runId !== runId;
          const matched = new Set(restart ? [] : prev.matched);
          for (const seq of answer.seqs) matched.add(seq);
          // Done: every event the page held when it asked was scanned (one the lab no longer holds, a cleared one, passes none).
          const next = answer.done && until !== undefined && until > answer.nextSeq ? until : answer.nextSeq;
          return { ...prev, matched, runId: answer.runId, cursor: next, scanning: !answer.done };
        });
      })
      .catch(() => {
        if (!abort.signal.aborted) setState((prev) => (prev.filter === filter ? { ...prev, failed: true, scanning: false } : prev));
      });
    return () => abort.abort();
  }, [behind, filter, current]);

  if (filter === "") return NONE;
  return { matched: current.matched, scanning: behind || current.scanning, failed: current.failed };
}
