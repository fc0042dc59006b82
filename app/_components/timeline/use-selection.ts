"use client";
// The timeline's selection and zoom live in the URL (?e=<seq>&f=<field path>&z=segments), so a student
// can share exactly what they see (STYLE.md, "The app").

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { parseSelection, parseZoom, selectionSearch, zoomSearch, type Selection, type Zoom } from "./model";

export interface SelectionState extends Selection {
  /** The zoom the URL asks for (the timeline may show messages anyway when there is no capture). */
  readonly zoom: Zoom;
  /** Selects an event (and a field); with `zoom`, switches to it in the same URL update. */
  select(next: Selection, zoom?: Zoom): void;
  setZoom(zoom: Zoom): void;
  /** The seq most recently selected, before the URL shows it (key repeat can outrun a render). */
  currentSeq(): bigint | null;
}

/** Next.js keeps useSearchParams in step with history.replaceState (no scroll, no history entry);
 *  router.replace would also refetch the route's server components on every arrow key press. */
function replaceSearch(search: string) {
  window.history.replaceState(null, "", `${window.location.pathname}${search}${window.location.hash}`);
}

export function useSelection(): SelectionState {
  const params = useSearchParams();
  const selection = useMemo(() => parseSelection(params), [params]);
  const zoom = useMemo(() => parseZoom(params), [params]);
  const requested = useRef<Selection | null>(null);

  useEffect(() => {
    if (requested.current?.seq === selection.seq) requested.current = null;
  }, [selection.seq]);

  const select = useCallback((next: Selection, nextZoom?: Zoom) => {
    requested.current = next;
    const search = selectionSearch(window.location.search, next);
    replaceSearch(nextZoom === undefined ? search : zoomSearch(search, nextZoom));
  }, []);

  const setZoom = useCallback((next: Zoom) => replaceSearch(zoomSearch(window.location.search, next)), []);

  const latest = useRef(selection.seq);
  latest.current = selection.seq;
  const currentSeq = useCallback(() => requested.current?.seq ?? latest.current, []);

  return useMemo(
    () => ({ ...selection, zoom, select, setZoom, currentSeq }),
    [selection, zoom, select, setZoom, currentSeq],
  );
}
