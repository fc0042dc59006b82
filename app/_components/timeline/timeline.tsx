"use client";
// The packet timeline: header bar, the ladder of the conversations that pass the filter, and the
// selected event's details (beside the ladder when its container is 46rem wide or more, below it when
// not, and on a narrow screen in a sheet over the page: details-sheet.tsx). Fills its container, which must give it a height; needs a <TimelineProvider> above it.
// Two zooms: the programs' messages, or the TCP segments the wire capture saw; a message and the
// segments that carried its bytes point at each other across them.

import { Suspense, useCallback, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "./batch";
import { Details } from "./details";
import { DetailsSheet } from "./details-sheet";
import type { EventView } from "./event-table";
import { firstExchange, pairedSeq, pairHttp } from "./http-pairs";
import { Ladder, type PlayheadRequest } from "./ladder";
import {
  conversationMatches,
  extendRows,
  findEventIndex,
  relatedEvents,
  shownAtZoom,
  timeBase,
  zoomOrder,
  type FieldRef,
  type RowFilter,
  type RowIndex,
  type RowOrder,
  type Zoom,
} from "./model";
import { useTimeline } from "./store";
import { Playback } from "./playback";
import { shownEventCounts } from "./playback-model";
import { Toolbar } from "./toolbar";
import { useCaptureStatus } from "./use-capture-status";
import { useDisplayFilter } from "./use-display-filter";
import { useSelection } from "./use-selection";

export function Timeline({ className = "" }: { className?: string }) {
  const t = useT("timeline");
  // useSearchParams (the selection) suspends during static rendering; the rest of the page need not wait.
  return (
    <Suspense fallback={<p className={`p-3 text-sm ${className}`}>{t("loading")}</p>}>
      <TimelineView className={className} />
    </Suspense>
  );
}

function TimelineView({ className }: { className: string }) {
  const t = useT("timeline");
  const tf = useT("displayFilter");
  const { conversations, events, dropped, wholeEvent, followConversation, moreBefore, loadEarlier, clearedThrough } = useTimeline();
  const selection = useSelection();
  const capture = useCaptureStatus();
  const detailsHeading = useRef<HTMLHeadingElement>(null);
  const [query, setQuery] = useState("");
  const deferredQuery = useDeferredValue(query);
  // Without capture there are no segments to show, and nothing is drawn as if seen on the wire.
  const zoom: Zoom = selection.zoom === "segments" && capture.mode === "socket" ? "messages" : selection.zoom;

  const shown = useMemo(
    () => [...conversations.values()].filter((conversation) => conversationMatches(conversation, deferredQuery)),
    [conversations, deferredQuery],
  );
  // The display filter (issue 15 §2): the lab says which events pass; until it has, an event is not shown.
  const [displayFilter, setDisplayFilter] = useState("");
  const { matched, scanning, failed } = useDisplayFilter(displayFilter, events.lastSeq);
  const accept = useMemo<RowFilter>(() => {
    const ids = new Set(shown.map((conversation) => conversation.id));
    const segments = zoom === "segments";
    return (view, index) =>
      (view.kindAt(index) === EventKind.SEGMENT) === segments && ids.has(view.conversationAt(index)) && (matched === null || matched.has(view.seqAt(index)));
  }, [shown, zoom, matched]);
  const rows = useRows(events, accept, zoomOrder(zoom));

  const selectedEvent = selection.seq === null ? undefined : events.at(findEventIndex(events, selection.seq));
  const related = useStableEvents(useMemo(() => relatedEvents(events, selectedEvent), [events, selectedEvent]));
  const pairs = useMemo(() => pairHttp(events), [events]);
  // A request and its response are joined too: selecting one marks the other.
  const selectedExchange = selectedEvent && firstExchange(pairs, selectedEvent.seq, selectedEvent.http);
  const paired = selectedExchange && selectedEvent ? pairedSeq(selectedExchange.exchange, selectedEvent.seq) : undefined;
  const relatedSeqs = useMemo(() => {
    const seqs = new Set(related.map((event) => event.seq));
    if (paired !== undefined) seqs.add(paired);
    return seqs;
  }, [related, paired]);
  // Switching zoom shows the selection, or when it has no row at this zoom, the first event joined to it.
  const revealSeq =
    selectedEvent && !shownAtZoom(zoom, selectedEvent)
      ? (related.find((event) => shownAtZoom(zoom, event))?.seq ?? null)
      : selection.seq;
  const baseNs = timeBase(events);
  const firstSeq = events.firstSeq;
  const { select, setZoom, field } = selection;
  // A link to an event older than those held: page back until it arrives, while the lab holds older ones.
  const olderSelected = selection.seq !== null && firstSeq !== undefined && selection.seq < firstSeq;
  useEffect(() => {
    if (olderSelected && moreBefore) void loadEarlier();
  }, [olderSelected, moreBefore, firstSeq, loadEarlier]);

  const selectEvent = useCallback(
    (seq: bigint) => select({ seq, field: seq === selection.seq ? field : null }),
    [select, selection.seq, field],
  );
  const selectField = useCallback(
    (ref: FieldRef | null) => select({ seq: selection.seq, field: ref }),
    [select, selection.seq],
  );
  // On a narrow screen the details are a sheet, opened by a click on an event or by Enter on one.
  const [sheetOpen, setSheetOpen] = useState(false);
  const closeSheet = useCallback(() => setSheetOpen(false), []);
  const openDetails = useCallback(() => {
    setSheetOpen(true);
    detailsHeading.current?.focus();
  }, []);
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    const section = sectionRef.current;
    const onClick = (event: MouseEvent) => {
      if (event.target instanceof Element && event.target.closest('[role="option"]')) setSheetOpen(true);
    };
    section?.addEventListener("click", onClick);
    return () => section?.removeEventListener("click", onClick);
  }, []);
  // From a message to a segment that carried it, or back: the other zoom, with the details in focus.
  // Playback (playback.tsx): each step selects its event and asks the ladder to show its arrow.
  const [playhead, setPlayhead] = useState<PlayheadRequest | null>(null);
  const playbackId = useId();
  const [playbackOpen, setPlaybackOpen] = useState(false);
  const revealPlayback = useCallback(() => setPlaybackOpen(true), []);
  const stepTo = useCallback(
    (seq: bigint | null) => {
      if (seq !== null) select({ seq, field: null });
      setPlayhead({ seq });
    },
    [select],
  );
  // What the display filter's count tells: the events shown at this zoom that match, of all this zoom has.
  const counts = useMemo(() => (matched === null ? null : shownEventCounts(rows, zoom === "segments")), [rows, zoom, matched]);
  const jump = useCallback(
    (seq: bigint, to: Zoom) => {
      select({ seq, field: null }, to);
      detailsHeading.current?.focus();
    },
    [select],
  );

  return (
    <section ref={sectionRef} aria-label={t("regionLabel")} className={`@container flex min-h-0 flex-col ${className}`}>
      <Toolbar
        query={query}
        onQueryChange={setQuery}
        shownConversations={shown.length}
        shownIds={shown.length < conversations.size ? shown.map((conversation) => conversation.id) : null}
        zoom={zoom}
        requestedZoom={selection.zoom}
        onZoomChange={setZoom}
        capture={capture}
        displayFilter={displayFilter}
        onDisplayFilterChange={setDisplayFilter}
        playbackId={playbackId}
        playbackOpen={playbackOpen}
        onPlaybackOpenChange={setPlaybackOpen}
        displaySummary={
          counts === null
            ? null
            : failed
              ? tf("failed")
              : scanning
                ? tf("scanning")
                : tf(zoom === "segments" ? "appliedSegments" : "appliedMessages", { shown: counts.shown, n: counts.total })
        }
      />
      <Playback
        rows={rows}
        events={events}
        conversations={conversations}
        currentSeq={selection.currentSeq}
        selectedSeq={selection.seq}
        onStep={stepTo}
        scope={sectionRef}
        id={playbackId}
        open={playbackOpen}
        onReveal={revealPlayback}
      />
      {/* Narrow (stacked): the ladder above, the selected event's details below; they share the height,
          each scrolling on its own, so a selection never pushes the ladder out of view. The details take
          a fixed share once an event is selected, so moving between events does not resize the ladder.
          Wide: side by side. */}
      <div className="flex min-h-0 flex-1 flex-col @min-[46rem]:flex-row">
        <div className="flex min-h-44 min-w-0 flex-1 basis-0 flex-col">
          {dropped > 0 && (
            <p className="border-b border-amber-300 bg-amber-50 px-3 py-1 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
              {t("dropped", { n: dropped })}
            </p>
          )}
          {rows.count > 0 ? (
            <Ladder
              // A new zoom is a new list: it scrolls to what is selected (or joined to it) once.
              key={zoom}
              rows={rows}
              shown={shown}
              conversations={conversations}
              baseNs={baseNs}
              selectedSeq={selection.seq}
              revealSeq={revealSeq}
              related={relatedSeqs}
              relatedNote={
                selectedEvent && t(zoom === "segments" ? "relatedSegmentNote" : paired !== undefined ? "relatedPairNote" : "relatedMessageNote")
              }
              pairs={pairs}
              currentSeq={selection.currentSeq}
              onSelect={selectEvent}
              onOpenDetails={openDetails}
              moreBefore={moreBefore}
              onLoadEarlier={loadEarlier}
              playhead={playhead}
            />
          ) : (
            <p className="p-4 text-sm text-slate-700 dark:text-slate-300">
              {displayFilter !== "" && !scanning
                ? tf("noMatch", { filter: displayFilter })
                : deferredQuery.trim() !== ""
                ? t("noMatch", { query: deferredQuery.trim() })
                : zoom === "segments"
                  ? t("emptySegments")
                  : t("empty")}
            </p>
          )}
        </div>
        <DetailsSheet open={sheetOpen && selection.seq !== null} onClose={closeSheet} focusRef={detailsHeading}>
          <Details
            seq={selection.seq}
            event={selectedEvent}
            wholeEvent={wholeEvent}
            followConversation={followConversation}
            gone={selection.seq !== null && !selectedEvent && selection.seq <= clearedThrough ? "cleared" : olderSelected && !moreBefore ? "dropped" : undefined}
            conversation={selectedEvent && conversations.get(selectedEvent.conversationId)}
            field={selection.field}
            related={related}
            onJump={jump}
            baseNs={baseNs}
            headingRef={detailsHeading}
            onSelectField={selectField}
            httpExchanges={selectedEvent && pairs.byEvent.get(selectedEvent.seq)}
            onSelectEvent={selectEvent}
            className={`min-h-32 overflow-y-auto overscroll-contain border-t border-slate-200 dark:border-slate-800 ${
              selection.seq === null ? "flex-none" : "flex-[0_1_55%]"
            } @min-[46rem]:w-[25rem] @min-[46rem]:flex-none @min-[46rem]:border-l @min-[46rem]:border-t-0 @5xl:w-[28rem] @6xl:w-[32rem]`}
          />
        </DetailsSheet>
      </div>
    </section>
  );
}

/** Rows for the shown events, extended in place as events arrive (see extendRows). */
function useRows(events: EventView, accept: RowFilter, order: RowOrder): RowIndex {
  const [cache] = useState<{ last: RowIndex | null }>(() => ({ last: null }));
  return useMemo(
    () => (cache.last = extendRows(cache.last, events, accept, undefined, order)),
    [cache, events, accept, order],
  );
}

const NO_EVENTS: readonly TimelineEvent[] = [];

/**
 * The same array while the events in it stay the same: the joined events are found again whenever
 * events arrive, and the memoised details should not re-render for an unchanged list.
 */
function useStableEvents(list: readonly TimelineEvent[]): readonly TimelineEvent[] {
  const [cache] = useState<{ last: readonly TimelineEvent[] }>(() => ({ last: NO_EVENTS }));
  const last = cache.last;
  if (list.length === last.length && list.every((event, index) => event === last[index])) return last;
  cache.last = list.length === 0 ? NO_EVENTS : list;
  return cache.last;
}
