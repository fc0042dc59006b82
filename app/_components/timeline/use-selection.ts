"use client";
// The timeline's selection lives in the URL (?e=<seq>&f=<field path>), so a student can share exactly
// what they see (STYLE.md, "The app").

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { parseSelection, selectionSearch, type Selection } from "./model";

export interface SelectionState extends Selection {
  select(next: Selection): void;
  /** The seq most recently selected, before the URL shows it (key repeat can outrun a render). */
  currentSeq(): bigint | null;
}

export function useSelection(): SelectionState {
  const params = useSearchParams();
  const selection = useMemo(() => parseSelection(params), [params]);
  const requested = useRef<Selection | null>(null);

  useEffect(() => {
    if (requested.current?.seq === selection.seq) requested.current = null;
  }, [selection.seq]);

  const select = useCallback((next: Selection) => {
    requested.current = next;
    const search = selectionSearch(window.location.search, next);
    // Next.js keeps useSearchParams in step with history.replaceState (no scroll, no history entry);
    // router.replace would also refetch the route's server components on every arrow key press.
    window.history.replaceState(null, "", `${window.location.pathname}${search}${window.location.hash}`);
  }, []);

  const latest = useRef(selection.seq);
  latest.current = selection.seq;
  const currentSeq = useCallback(() => requested.current?.seq ?? latest.current, []);

  return useMemo(() => ({ ...selection, select, currentSeq }), [selection, select, currentSeq]);
}
