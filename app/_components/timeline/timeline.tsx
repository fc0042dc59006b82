"use client";
// The packet timeline: header bar, the ladder of the conversations that pass the filter, and the
// selected event's details (beside the ladder when its container is 46rem wide or more, below it when
// not). Fills its container, which must give it a height; needs a <TimelineProvider> above it.

import { Suspense, useCallback, useDeferredValue, useMemo, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Event } from "@/gen/lab/v1/timeline_pb";
import { Details } from "./details";
import { Ladder } from "./ladder";
import { conversationMatches, extendRows, findEventIndex, type FieldRef, type RowIndex } from "./model";
import { useTimeline } from "./store";
import { Toolbar } from "./toolbar";
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
  const { conversations, events, dropped } = useTimeline();
  const selection = useSelection();
  const detailsHeading = useRef<HTMLHeadingElement>(null);
  const [query, setQuery] = useState("");
  const deferredQuery = useDeferredValue(query);

  const shown = useMemo(
    () => [...conversations.values()].filter((conversation) => conversationMatches(conversation, deferredQuery)),
    [conversations, deferredQuery],
  );
  const accept = useMemo(() => {
    const ids = new Set(shown.map((conversation) => conversation.id));
    return (event: Event) => ids.has(event.conversationId);
  }, [shown]);
  const rows = useRows(events, accept);

  const selectedEvent = selection.seq === null ? undefined : events[findEventIndex(events, selection.seq)];
  const baseNs = events[0]?.monoNs ?? 0n;
  const firstSeq = events[0]?.seq;
  const { select, field } = selection;

  const selectEvent = useCallback(
    (seq: bigint) => select({ seq, field: seq === selection.seq ? field : null }),
    [select, selection.seq, field],
  );
  const selectField = useCallback(
    (ref: FieldRef | null) => select({ seq: selection.seq, field: ref }),
    [select, selection.seq],
  );
  const openDetails = useCallback(() => detailsHeading.current?.focus(), []);

  return (
    <section aria-label={t("regionLabel")} className={`@container flex min-h-0 flex-col ${className}`}>
      <Toolbar query={query} onQueryChange={setQuery} shownConversations={shown.length} />
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
              rows={rows}
              shown={shown}
              conversations={conversations}
              baseNs={baseNs}
              selectedSeq={selection.seq}
              currentSeq={selection.currentSeq}
              onSelect={selectEvent}
              onOpenDetails={openDetails}
            />
          ) : (
            <p className="p-4 text-sm text-slate-700 dark:text-slate-300">
              {deferredQuery.trim() === "" ? t("empty") : t("noMatch", { query: deferredQuery.trim() })}
            </p>
          )}
        </div>
        <Details
          seq={selection.seq}
          event={selectedEvent}
          gone={selection.seq !== null && firstSeq !== undefined && selection.seq < firstSeq}
          conversation={selectedEvent && conversations.get(selectedEvent.conversationId)}
          field={selection.field}
          baseNs={baseNs}
          headingRef={detailsHeading}
          onSelectField={selectField}
          className={`min-h-32 overflow-y-auto overscroll-contain border-t border-slate-200 dark:border-slate-800 ${
            selection.seq === null ? "flex-none" : "flex-[0_1_55%]"
          } @min-[46rem]:w-[25rem] @min-[46rem]:flex-none @min-[46rem]:border-l @min-[46rem]:border-t-0 @5xl:w-[28rem] @6xl:w-[32rem]`}
        />
      </div>
    </section>
  );
}

/** Rows for the shown events, extended in place as events arrive (see extendRows). */
function useRows(events: readonly Event[], accept: (event: Event) => boolean): RowIndex {
  const [cache] = useState<{ last: RowIndex | null }>(() => ({ last: null }));
  return useMemo(() => (cache.last = extendRows(cache.last, events, accept)), [cache, events, accept]);
}
