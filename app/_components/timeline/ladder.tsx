"use client";
// The ladder (a sequence diagram like Wireshark's flow graph): lanes headed by their endpoints, time
// flowing down, one row per event. Rows are virtualised at a fixed height, so only what is on screen
// is in the DOM however long the capture runs. Keyboard: a listbox with aria-activedescendant (WAI-ARIA
// APG listbox pattern); selection follows the arrow keys, Enter moves to the details.

import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Conversation } from "@/gen/lab/v1/timeline_pb";
import { conversationName } from "./describe";
import { EventRow, GapRow } from "./event-row";
import {
  findEventIndex,
  fitLaneWidth,
  layoutLanes,
  ROW_HEIGHT,
  rowOfEvent,
  stepRow,
  TIME_COLUMN_WIDTH,
  type LaneLayout,
  type RowIndex,
  type RowStep,
} from "./model";
import { useLadderScroll } from "./use-ladder-scroll";

/** Height of the sticky lane header inside the scroll area; rows start below it. */
const HEADER_HEIGHT = 56;

export interface LadderProps {
  readonly rows: RowIndex;
  /** The conversations that pass the filter, one lane pair each (server endpoints shared). */
  readonly shown: readonly Conversation[];
  readonly conversations: ReadonlyMap<string, Conversation>;
  readonly baseNs: bigint;
  readonly selectedSeq: bigint | null;
  /** The seq most recently asked for, which the URL may not show yet; keys step from it. */
  readonly currentSeq: () => bigint | null;
  readonly onSelect: (seq: bigint) => void;
  readonly onOpenDetails: () => void;
}

export function Ladder({ rows, shown, conversations, baseNs, selectedSeq, currentSeq, onSelect, onOpenDetails }: LadderProps) {
  const t = useT("timeline");
  const idBase = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const available = useWidth(scrollRef);
  const laneCount = useMemo(() => layoutLanes(shown).lanes.length, [shown]);
  const laneWidth = fitLaneWidth(available, laneCount);
  const layout = useMemo(() => layoutLanes(shown, laneWidth), [shown, laneWidth]);
  const virtualizer = useVirtualizer({
    count: rows.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Rows start below the sticky lane header, which scrolls with them.
    scrollMargin: HEADER_HEIGHT,
    useFlushSync: false,
  });

  const { onScroll, scrollToRow, stopFollowing } = useLadderScroll(scrollRef, rows.count, HEADER_HEIGHT);

  const rowOfSeq = useCallback(
    (seq: bigint | null) => {
      if (seq === null) return -1;
      const index = findEventIndex(rows.events, seq);
      return index < 0 ? -1 : rowOfEvent(rows, index);
    },
    [rows],
  );
  const selectedRow = rowOfSeq(selectedSeq);
  const rowId = (seq: bigint) => `${idBase}-event-${seq}`;

  // A shared link (?e=42) scrolls to its event once, when the event has arrived; until then, and
  // without a link, the ladder follows the newest events.
  const [linkedSeq] = useState(selectedSeq);
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || linkedSeq === null || selectedSeq !== linkedSeq || selectedRow < 0) return;
    stopFollowing();
    // A frame later, for the same reason as the follower's scrolls (see useLadderScroll).
    const frame = requestAnimationFrame(() => {
      restored.current = true;
      scrollToRow(selectedRow, "center");
    });
    return () => cancelAnimationFrame(frame);
  }, [linkedSeq, selectedSeq, selectedRow, scrollToRow, stopFollowing]);

  function onKeyDown(event: React.KeyboardEvent) {
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 0) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const keys: Record<string, RowStep> = {
      ArrowDown: "next",
      ArrowUp: "previous",
      Home: "first",
      End: "last",
      PageDown: { by: page },
      PageUp: { by: -page },
    };
    const from = rowOfSeq(currentSeq());
    let step = keys[event.key];
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (from >= 0) {
        if (event.key === "Enter") onOpenDetails();
        return;
      }
      step = "first";
    }
    if (step === undefined) return;
    event.preventDefault();
    const target = stepRow(rows, from >= 0 ? from : null, step);
    const row = target === null ? undefined : rows.rows[target];
    const seq = row?.kind === "event" ? rows.events[row.index]?.seq : undefined;
    if (target === null || seq === undefined) return;
    onSelect(seq);
    scrollToRow(target, "nearest");
  }

  const items = virtualizer.getVirtualItems();
  const activeRendered = selectedSeq !== null && items.some((item) => item.index === selectedRow);
  const several = layout.ends.size > 1;

  return (
    <div
      ref={scrollRef}
      onScroll={onScroll}
      className="relative min-h-72 flex-1 basis-0 overflow-auto overscroll-contain has-[[role=listbox]:focus-visible]:ring-2 has-[[role=listbox]:focus-visible]:ring-inset has-[[role=listbox]:focus-visible]:ring-blue-700 dark:has-[[role=listbox]:focus-visible]:ring-sky-300"
    >
      <div style={{ width: layout.width, minWidth: "100%" }}>
        <LaneHeader layout={layout} />
        <p id={`${idBase}-help`} className="sr-only">
          {t("ladderHelp")}
        </p>
        <div
          role="listbox"
          tabIndex={0}
          aria-label={t("eventsLabel")}
          aria-describedby={`${idBase}-help`}
          aria-activedescendant={activeRendered && selectedSeq !== null ? rowId(selectedSeq) : undefined}
          onKeyDown={onKeyDown}
          style={{ height: virtualizer.getTotalSize() }}
          className="group/list relative outline-none"
        >
          <LaneLines layout={layout} />
          {items.map((item) => {
            const row = rows.rows[item.index];
            const top = item.start - HEADER_HEIGHT;
            if (row === undefined) return null;
            if (row.kind === "gap") return <GapRow key={item.key} ns={row.ns} top={top} width={layout.width} />;
            const event = rows.events[row.index];
            const ends = event && layout.ends.get(event.conversationId);
            if (!event || !ends) return null;
            const conversation = conversations.get(event.conversationId);
            return (
              <EventRow
                key={item.key}
                id={rowId(event.seq)}
                event={event}
                ends={ends}
                width={layout.width}
                top={top}
                selected={event.seq === selectedSeq}
                baseNs={baseNs}
                gapBeforeNs={row.gapBeforeNs}
                conversationName={several && conversation ? conversationName(t, conversation) : null}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

function LaneHeader({ layout }: { layout: LaneLayout }) {
  const t = useT("timeline");
  return (
    <div
      style={{ height: HEADER_HEIGHT }}
      className="sticky top-0 z-20 border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950"
    >
      <div
        style={{ width: TIME_COLUMN_WIDTH, height: HEADER_HEIGHT }}
        className="sticky left-0 z-10 flex items-end justify-end border-r border-slate-200 bg-white pb-2 pr-3 text-xs font-medium text-slate-600 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-400"
      >
        {t("timeHeader")}
      </div>
      <ul aria-label={t("lanesLabel")} className="absolute inset-0">
        {layout.lanes.map((lane) => (
          <li
            key={lane.key}
            style={{ left: lane.x - layout.laneWidth / 2 + 6, width: layout.laneWidth - 12 }}
            className={`absolute top-1.5 rounded border-t-4 bg-slate-50 px-2 py-1 text-center dark:bg-slate-900 ${
              lane.side === "client" ? "border-c2s" : "border-s2c"
            }`}
          >
            <span className="block truncate text-[11px] text-slate-600 dark:text-slate-400">
              {lane.side === "client"
                ? t("laneClient")
                : lane.services.length > 0
                  ? t("laneServerService", { service: lane.services.join(", ") })
                  : t("laneServer")}
            </span>
            <span className="block truncate font-mono text-xs font-semibold text-slate-900 dark:text-slate-100">
              {lane.endpoint}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function LaneLines({ layout }: { layout: LaneLayout }) {
  return (
    <div aria-hidden="true" className="pointer-events-none absolute inset-0">
      {layout.lanes.map((lane) => (
        <span
          key={lane.key}
          style={{ left: lane.x }}
          className="absolute inset-y-0 w-px bg-slate-300 dark:bg-slate-700"
        />
      ))}
    </div>
  );
}

/** The element's inner width, kept current as the window or the panel beside it resizes. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
