"use client";
// The ladder (a sequence diagram like Wireshark's flow graph): lanes headed by their endpoints, time
// flowing down, one row per event. Rows are virtualised at a fixed height, so only what is on screen
// is in the DOM however long the capture runs. Keyboard: a listbox with aria-activedescendant (WAI-ARIA
// APG listbox pattern); selection follows the arrow keys, Enter moves to the details.

import { useVirtualizer } from "@tanstack/react-virtual";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { Transport, type Conversation } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "./batch";
import { conversationName, type TimelineT } from "./describe";
import { EventRow, GapRow } from "./event-row";
import { firstExchange, NO_PAIRS, statusClass, type HttpPairs } from "./http-pairs";
import {
  chosenCall,
  CLOSED_PORT_SERVICE,
  eventLanes,
  findEventIndex,
  http2Calls,
  layoutLanes,
  parseCallParam,
  relatedEvents,
  ROW_HEIGHT,
  rowOfEvent,
  sameCalls,
  shortMethod,
  stepRow,
  TIME_COLUMN_WIDTH,
  type Call,
  type Lane,
  type LaneLayout,
  type RowIndex,
  type RowStep,
} from "./model";
import { useLadderScroll } from "./use-ladder-scroll";
import { arrowDrop, arrowSlope, type ArrowDrop } from "./time-scale";
import { SlopeRuler, useSloped } from "./time-view";

/** The sticky lane header's height until it is measured; rows start below it. It grows when a narrow
 *  lane wraps its endpoint's name. */
const HEADER_HEIGHT = 56;

export interface LadderProps {
  readonly rows: RowIndex;
  /** The conversations that pass the filter, one lane pair each (server endpoints shared). */
  readonly shown: readonly Conversation[];
  readonly conversations: ReadonlyMap<string, Conversation>;
  readonly baseNs: bigint;
  readonly selectedSeq: bigint | null;
  /** The event to scroll to once it has a row, when the ladder mounts: the selection, or the first
   *  event joined to it when the selection has no row at this zoom. */
  readonly revealSeq: bigint | null;
  /** Events joined to the selection across the zooms (the segments of a selected message, or the
   *  messages of a selected segment): highlighted, and described by `relatedNote`. */
  readonly related: ReadonlySet<bigint>;
  readonly relatedNote: string | undefined;
  /** The seq most recently asked for, which the URL may not show yet; keys step from it. */
  readonly currentSeq: () => bigint | null;
  readonly onSelect: (seq: bigint) => void;
  readonly onOpenDetails: () => void;
  /** The lab holds older events than the first row: scrolling near the top asks for them. */
  readonly moreBefore: boolean;
  readonly onLoadEarlier: () => void;
  /** HTTP requests paired with their responses: labels, and a bar on the server's lane from one to the other. */
  readonly pairs?: HttpPairs;
  /** Playback's latest request (playback.tsx): bring `seq`'s arrow into view, or with null follow the newest again.
   *  A new object is a new request. */
  readonly playhead?: PlayheadRequest | null;
}

export interface PlayheadRequest {
  readonly seq: bigint | null;
}

/** How close to the top (in rows) the reader scrolls before older events are asked for. */
const EARLIER_ROWS = 40;

export function Ladder({
  rows,
  shown,
  conversations,
  baseNs,
  selectedSeq,
  revealSeq,
  related,
  relatedNote,
  currentSeq,
  onSelect,
  onOpenDetails,
  moreBefore,
  onLoadEarlier,
  pairs = NO_PAIRS,
  playhead = null,
}: LadderProps) {
  const t = useT("timeline");
  const idBase = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { width: available, height } = useSize(scrollRef);
  // Hosts whose clients the reader split into one lane per endpoint, and the sideways scroll the pinned server lanes
  // follow when the lanes do not fit (it stays 0 when they do: nothing scrolls sideways then).
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [scrollLeft, setScrollLeft] = useState(0);
  // Each HTTP/2 call on lanes of its own: the same map while new events add no call, so the layout stays.
  const callsRef = useRef<ReadonlyMap<string, readonly Call[]>>(new Map());
  const calls = useMemo(() => {
    const next = http2Calls(rows.events);
    if (!sameCalls(next, callsRef.current)) callsRef.current = next;
    return callsRef.current;
  }, [rows.events]);
  const layout = useMemo(
    () => layoutLanes(shown, { available, expanded, scrollLeft, calls }),
    [shown, available, expanded, scrollLeft, calls],
  );
  // The call the gRPC console points at (?call=3): its lanes are marked.
  const callParam = parseCallParam(useSearchParams());
  const chosen = chosenCall(layout, callParam);
  const isChosen = useCallback((lane: Lane) => chosen !== undefined && lane.call?.conversationId === chosen && lane.call.stream === callParam, [chosen, callParam]);
  const toggleGroup = useCallback((group: string) => {
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(group)) next.add(group);
      return next;
    });
  }, []);
  const headerRef = useRef<HTMLDivElement>(null);
  const header = useOuterHeight(headerRef) || HEADER_HEIGHT;
  const virtualizer = useVirtualizer({
    count: rows.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Rows start below the sticky lane header, which scrolls with them.
    scrollMargin: header,
    useFlushSync: false,
  });

  const { onScroll, scrollToRow, stopFollowing, follow, settle } = useLadderScroll(scrollRef, rows.count, header);

  const rowOfSeq = useCallback(
    (seq: bigint | null) => {
      if (seq === null) return -1;
      const index = findEventIndex(rows.events, seq);
      return index < 0 ? -1 : rowOfEvent(rows, index);
    },
    [rows],
  );
  const selectedRow = rowOfSeq(selectedSeq);

  // Each playback step shows its arrow (the follower stops, as when the reader scrolls away); "Back to live" follows again.
  const rowOfSeqRef = useRef(rowOfSeq);
  rowOfSeqRef.current = rowOfSeq;
  useEffect(() => {
    if (playhead === null) return;
    if (playhead.seq === null) return follow();
    const row = rowOfSeqRef.current(playhead.seq);
    if (row < 0) return;
    stopFollowing();
    scrollToRow(row, "nearest");
  }, [playhead, follow, stopFollowing, scrollToRow]);

  // Older events put before the rows keep what the reader sees where it is: the scroll moves down by the rows
  // put above. Then, still near the top with more to come, the next page is asked for.
  const firstIndex = rows.eventAt(0);
  const firstSeq = firstIndex >= 0 ? rows.events.seqAt(firstIndex) : undefined;
  const shownFirst = useRef(firstSeq);
  useLayoutEffect(() => {
    const before = shownFirst.current;
    shownFirst.current = firstSeq;
    const element = scrollRef.current;
    if (!element || before === undefined || firstSeq === undefined || firstSeq >= before) return;
    const moved = rowOfSeq(before);
    if (moved > 0) element.scrollTop += moved * ROW_HEIGHT;
  }, [firstSeq, rowOfSeq]);
  const nearTop = useCallback(() => {
    const element = scrollRef.current;
    if (element && moreBefore && element.scrollTop < EARLIER_ROWS * ROW_HEIGHT) onLoadEarlier();
  }, [moreBefore, onLoadEarlier]);
  useEffect(nearTop, [nearTop, rows]);
  const scrolled = useCallback(() => {
    onScroll();
    nearTop();
    setScrollLeft(scrollRef.current?.scrollLeft ?? 0);
  }, [onScroll, nearTop]);
  const rowId = (seq: bigint) => `${idBase}-event-${seq}`;

  // A shared link (?e=42), or a switch of zoom, scrolls to its event once, when the event has arrived;
  // until then, and without one, the ladder follows the newest events.
  const [linkedSeq] = useState(revealSeq);
  const linkedRow = rowOfSeq(linkedSeq);
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || linkedSeq === null || revealSeq !== linkedSeq || linkedRow < 0) return;
    stopFollowing();
    // A frame later, for the same reason as the follower's scrolls (see useLadderScroll).
    const frame = requestAnimationFrame(() => {
      restored.current = true;
      scrollToRow(linkedRow, "center");
    });
    return () => cancelAnimationFrame(frame);
  }, [linkedSeq, revealSeq, linkedRow, scrollToRow, stopFollowing]);

  // When the ladder's height changes (the details below it open on a narrow screen, the window is
  // resized), the selected event stays in view, or the newest ones while following them.
  const selectedRowRef = useRef(selectedRow);
  selectedRowRef.current = selectedRow;
  const lastHeight = useRef(height);
  useLayoutEffect(() => {
    if (lastHeight.current === height) return;
    const grewFromNothing = lastHeight.current === 0;
    lastHeight.current = height;
    if (!grewFromNothing) settle(selectedRowRef.current);
  }, [height, settle]);

  function onKeyDown(event: React.KeyboardEvent) {
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 0) - header) / ROW_HEIGHT) - 1);
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
    // A selection with no row at this zoom (a message among segments): the first key press goes to the
    // first row joined to it.
    const joined = from < 0 && (step === "next" || step === "previous") ? rowOfSeq(revealSeq) : -1;
    const target = joined >= 0 ? joined : stepRow(rows, from >= 0 ? from : null, step);
    const index = target === null ? -1 : rows.eventAt(target);
    if (target === null || index < 0) return;
    const seq = rows.events.seqAt(index);
    onSelect(seq);
    scrollToRow(target, "nearest");
  }

  // Sloped arrows (time-scale.ts): each shown message's delay, from the segments that carried it, found once per row.
  const { on: sloped } = useSloped();
  const dropOf = useMemo(() => {
    const cache = new Map<bigint, ArrowDrop | null>();
    return (event: TimelineEvent): ArrowDrop | null => {
      let drop = cache.get(event.seq);
      if (drop === undefined) cache.set(event.seq, (drop = arrowDrop(arrowSlope(event, relatedEvents(rows.events, event), true))));
      return drop;
    };
  }, [rows.events]);

  const items = virtualizer.getVirtualItems();
  // A jump (no row on screen before is on screen after) gives the new rows the old rows' React keys in the same order,
  // so their elements are reused, attributes and text changed, instead of removed and made again: that was most of
  // what a jump across the ladder cost. Between overlapping screens a row keeps its key while it stays in view, and
  // the DOM keeps the rows' order (React moves nothing; keys by slot would make it move most rows on every scroll up).
  const keyBase = useRef({ first: 0, last: -1, shift: 0 });
  const shown0 = items[0]?.index ?? 0;
  const shownN = items[items.length - 1]?.index ?? -1;
  if (shown0 > keyBase.current.last || shownN < keyBase.current.first) keyBase.current.shift += shown0 - keyBase.current.first;
  keyBase.current.first = shown0;
  keyBase.current.last = shownN;
  const keyOf = (index: number) => index - keyBase.current.shift;
  const activeRendered = selectedSeq !== null && items.some((item) => item.index === selectedRow);
  const several = shown.length > 1;

  return (
    <div
      ref={scrollRef}
      onScroll={scrolled}
      className="relative min-h-0 flex-1 basis-0 overflow-auto overscroll-contain has-[[role=listbox]:focus-visible]:ring-2 has-[[role=listbox]:focus-visible]:ring-inset has-[[role=listbox]:focus-visible]:ring-blue-700 dark:has-[[role=listbox]:focus-visible]:ring-sky-300"
    >
      <div style={{ width: layout.width, minWidth: "100%" }}>
        <LaneHeader layout={layout} headerRef={headerRef} onToggle={toggleGroup} ruler={sloped} isChosen={isChosen} />
        <p id={`${idBase}-help`} className="sr-only">
          {t("ladderHelp")}
        </p>
        {relatedNote !== undefined && (
          <p id={`${idBase}-related`} className="sr-only">
            {relatedNote}
          </p>
        )}
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
          <LaneLines layout={layout} isChosen={isChosen} />
          {items.map((item) => {
            const row = rows.row(item.index);
            const top = item.start - header;
            if (row === undefined) return null;
            if (row.kind === "gap") return <GapRow key={keyOf(item.index)} ns={row.ns} top={top} width={layout.rowWidth} />;
            // Made from the columns for the rows on screen only, and the same object while it stays there.
            const event = rows.events.at(row.index);
            const lanes = event ? eventLanes(layout, event) : [];
            const ends = lanes[0]?.ends;
            if (!event || !ends) return null;
            const conversation = conversations.get(event.conversationId);
            // The calls whose lanes the arrow is drawn on, in its name: the drawing is hidden from screen readers.
            const callWords = lanes.flatMap((lane) => {
              const call = lane.stream > 0 ? lane.ends.client.call : undefined;
              return call ? [t("rowCall", { method: call.path !== "" ? shortMethod(call.path) : t("laneCallUnnamed"), stream: call.stream })] : [];
            });
            const named = [several && conversation ? conversationName(t, conversation) : "", ...callWords].filter((words) => words !== "");
            return (
              <EventRow
                key={keyOf(item.index)}
                id={rowId(event.seq)}
                event={event}
                ends={ends}
                alsoEnds={lanes.length > 1 ? lanes.slice(1).map((lane) => lane.ends) : undefined}
                width={layout.rowWidth}
                top={top}
                selected={event.seq === selectedSeq}
                related={related.has(event.seq)}
                relatedNoteId={relatedNote !== undefined ? `${idBase}-related` : undefined}
                baseNs={baseNs}
                gapBeforeNs={row.gapBeforeNs}
                conversationName={named.length > 0 ? named.join(", ") : null}
                datagram={conversation?.transport === Transport.UDP}
                onSelect={onSelect}
                http={event.http.length > 0 ? firstExchange(pairs, event.seq, event.http) : undefined}
                drop={sloped ? dropOf(event) : undefined}
              />
            );
          })}
          {/* Over the rows, so a selected or joined row's background does not hide them. */}
          {items.length > 0 && pairs.exchanges.length > 0 && (
            <PairBars
              layout={layout}
              pairs={pairs}
              rowOfSeq={rowOfSeq}
              from={(items[0] as (typeof items)[number]).index}
              to={(items[items.length - 1] as (typeof items)[number]).index}
              height={virtualizer.getTotalSize()}
            />
          )}
        </div>
      </div>
    </div>
  );
}

/**
 * The lanes' heads: the role ("your program", "lab client", "lab server: tcp-echo") and the endpoint, or for a host's
 * shared lane the host and a toggle that splits it into one lane per endpoint ("5 connections"). In a narrow lane the
 * role wraps onto two lines and the port goes under the address; the header takes the height of its tallest head.
 * Whatever still does not fit is cut off on screen, and stays whole in the item's text (what a screen reader reads)
 * and its tooltip. Pinned server heads stick to the right edge, over the client heads scrolled under them.
 */
function LaneHeader({
  layout,
  headerRef,
  onToggle,
  ruler = false,
  isChosen,
}: {
  layout: LaneLayout;
  headerRef: React.Ref<HTMLDivElement>;
  onToggle: (group: string) => void;
  /** A call's lane the gRPC console points at. */
  isChosen: (lane: Lane) => boolean;
  /** Sloped arrows are on: their scale under the time column's heading. */
  ruler?: boolean;
}) {
  const t = useT("timeline");
  const pinned = layout.lanes.filter((lane) => lane.pinned);
  return (
    <div
      ref={headerRef}
      className="sticky top-0 z-20 flex border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950"
    >
      <div
        style={{ width: TIME_COLUMN_WIDTH, minHeight: HEADER_HEIGHT - 1 }}
        className="sticky left-0 z-10 flex shrink-0 items-end justify-end gap-2 border-r border-slate-200 bg-white pb-2 pr-3 text-xs font-medium text-slate-600 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-400"
      >
        {ruler && <SlopeRuler />}
        {t("timeHeader")}
      </div>
      <ul aria-label={t("lanesLabel")} className="flex">
        {layout.lanes.map((lane) => {
          if (lane.call) return <CallLaneHead key={lane.key} lane={lane} call={lane.call} chosen={isChosen(lane)} />;
          const role = laneRole(t, lane);
          const grouped = lane.side === "client" && lane.groupEndpoints > 1;
          const count = grouped ? groupCount(t, lane) : "";
          const { host, port } = grouped && !lane.expanded ? { host: lane.endpoint, port: "" } : splitEndpoint(lane.endpoint);
          // Pinned heads stack from the right edge in their order.
          const fromRight = lane.pinned
            ? pinned.slice(pinned.indexOf(lane) + 1).reduce((sum, next) => sum + next.width, 0)
            : undefined;
          return (
            <li
              key={lane.key}
              title={grouped && !lane.expanded ? `${role} ${lane.endpoint} · ${count}` : `${role} ${lane.endpoint}`}
              data-side={lane.side}
              data-pinned={lane.pinned || undefined}
              style={{ width: lane.width, right: fromRight }}
              className={`flex shrink-0 py-1.5 ${lane.width < 100 ? "px-px" : lane.width < 150 ? "px-1" : "px-1.5"} ${
                lane.pinned ? "sticky z-[5] bg-white dark:bg-slate-950" : ""
              }`}
            >
              <div
                className={`flex w-full min-w-0 flex-col items-center rounded border-t-4 py-1 text-center ${
                  lane.width < 100 ? "px-0.5" : "px-1"
                } ${
                  lane.side === "client" ? "border-c2s" : "border-s2c"
                } ${lane.expanded ? "bg-sky-50 dark:bg-slate-800" : "bg-slate-50 dark:bg-slate-900"}`}
              >
                <span className="line-clamp-3 break-words text-[11px] leading-[14px] text-slate-600 dark:text-slate-400">
                  {role}
                </span>{" "}
                <span className="block max-w-full font-mono text-xs font-semibold text-slate-900 dark:text-slate-100">
                  <span className="inline-block max-w-full truncate align-top">{host}</span>
                  <wbr />
                  <span className="inline-block max-w-full truncate align-top">{port}</span>
                </span>
                {grouped && lane.first && (
                  <button
                    type="button"
                    aria-expanded={lane.expanded}
                    onClick={() => onToggle(lane.group)}
                    className="mt-0.5 max-w-full overflow-hidden rounded text-[11px] font-medium leading-4 text-blue-800 underline decoration-dotted underline-offset-2 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-blue-700 dark:text-sky-300 dark:hover:bg-slate-700 dark:focus-visible:outline-sky-300"
                  >
                    <span aria-hidden="true">{lane.expanded ? "▾ " : "▸ "}</span>
                    {count}
                    <span className="sr-only"> {t("laneSplitHint", { role: laneRole(t, { ...lane, programs: lane.groupPrograms }), host: lane.host })}</span>
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/**
 * The head of one end of an HTTP/2 call's lane pair: which end and the stream on the first line, the method (without
 * its package) on the second; the whole path and the connection's endpoint in its tooltip and its screen-reader text.
 */
function CallLaneHead({ lane, call, chosen }: { lane: Lane; call: Call; chosen: boolean }) {
  const t = useT("timeline");
  const method = call.path !== "" ? shortMethod(call.path) : t("laneCallUnnamed");
  const name = t("laneCallName", { side: lane.side, method: call.path !== "" ? call.path : t("laneCallUnnamed"), stream: call.stream, endpoint: lane.endpoint });
  return (
    <li
      title={name}
      aria-current={chosen || undefined}
      data-side={lane.side}
      data-call={call.stream}
      style={{ width: lane.width }}
      className={`flex shrink-0 py-1.5 ${lane.width < 100 ? "px-px" : lane.width < 150 ? "px-1" : "px-1.5"}`}
    >
      <div
        className={`flex w-full min-w-0 flex-col items-center rounded border-t-4 border-dashed py-1 text-center ${
          chosen ? "bg-violet-200 ring-2 ring-inset ring-violet-700 dark:bg-violet-800 dark:ring-violet-300" : "bg-violet-50 dark:bg-violet-950"
        } ${lane.width < 100 ? "px-0.5" : "px-1"} ${lane.side === "client" ? "border-c2s" : "border-s2c"}`}
      >
        <span aria-hidden="true" className="line-clamp-3 break-words text-[11px] leading-[14px] text-slate-600 dark:text-slate-300">
          {t(lane.side === "client" ? "laneCallClient" : "laneCallServer", { stream: call.stream })}
        </span>{" "}
        {/* The service, then the method on a line of its own: in a narrow lane the service is cut, never the method. */}
        <span aria-hidden="true" className="flex max-w-full flex-wrap justify-center font-mono text-xs font-semibold text-slate-900 dark:text-slate-100">
          {method.includes("/") ? (
            <>
              <span className="max-w-full truncate">{method.slice(0, method.indexOf("/") + 1)}</span>
              <span className="max-w-full truncate">{method.slice(method.indexOf("/") + 1)}</span>
            </>
          ) : (
            <span className="max-w-full truncate">{method}</span>
          )}
        </span>
        <span className="sr-only">
          {name}
          {chosen && `, ${t("laneCallChosen")}`}
        </span>
      </div>
    </li>
  );
}

/** Who a lane stands for: the lab's own client, the student's program, or a lab server and its services. */
function laneRole(t: TimelineT, lane: Lane): string {
  if (lane.side === "server") {
    // The port the lab keeps closed has no server: only refused connects reach its lane.
    if (lane.services.length > 0 && lane.services.every((service) => service === CLOSED_PORT_SERVICE)) return t("laneNothingListens");
    return lane.services.length > 0 ? t("laneServerService", { service: lane.services.join(", ") }) : t("laneServer");
  }
  if (lane.origin === "external") {
    // The program's name where the lab host's system told it (issue 15 §1.6).
    if (lane.programs.length > 0) return t("laneYourProgramNamed", { name: lane.programs.join(", ") });
    return lane.otherMachine ? t("laneOtherMachine") : t("laneYourProgram");
  }
  return lane.origin === "lab" ? t("laneLabClient") : t("laneClient");
}

/** "5 connections", "3 flows": what a host's lane holds. */
function groupCount(t: TimelineT, lane: Lane): string {
  const n = lane.groupConversations;
  return lane.transport === "udp"
    ? t("laneFlows", { n })
    : lane.transport === "mixed"
      ? t("laneConversations", { n })
      : t("laneConnections", { n });
}

/** "127.0.0.1:8888" as "127.0.0.1" and ":8888": a narrow lane breaks the endpoint before its port. */
function splitEndpoint(endpoint: string): { host: string; port: string } {
  const colon = endpoint.lastIndexOf(":");
  return colon <= 0 ? { host: endpoint, port: "" } : { host: endpoint.slice(0, colon), port: endpoint.slice(colon) };
}

/** The lanes' lines; while the lanes overflow, only the client lanes in sight, not those under the pinned ones. */
function LaneLines({ layout, isChosen }: { layout: LaneLayout; isChosen: (lane: Lane) => boolean }) {
  const view = layout.clientView;
  const seen = view
    ? layout.lanes.filter((lane) => (lane.side === "server" && !lane.call) || (lane.x >= view.from && lane.x <= view.to))
    : layout.lanes;
  return (
    <div aria-hidden="true" className="pointer-events-none absolute inset-0">
      {seen.map((lane) => (
        <span
          key={lane.key}
          style={{ left: lane.x }}
          className={`absolute inset-y-0 ${
            !lane.call
              ? "w-px bg-slate-300 dark:bg-slate-700"
              : isChosen(lane)
                ? "-ml-px border-l-[3px] border-violet-700 dark:border-violet-300"
                : "border-l border-dashed border-violet-400 dark:border-violet-500"
          }`}
        />
      ))}
    </div>
  );
}

const BAR_FILL = [
  "fill-slate-400 dark:fill-slate-500",
  "fill-slate-400 dark:fill-slate-500",
  "fill-emerald-600 dark:fill-emerald-400",
  "fill-sky-600 dark:fill-sky-400",
  "fill-amber-500 dark:fill-amber-400",
  "fill-red-600 dark:fill-red-400",
] as const;

/**
 * Each answered HTTP request tied to its response: a bar on the server's lane from the request's arrow down to the
 * response's (the time the server held the request, as a sequence diagram's activation), in the status class's
 * colour. Only the pairs that cross the rows on screen. Decoration: the rows' names say the same in words.
 */
function PairBars({
  layout,
  pairs,
  rowOfSeq,
  from,
  to,
  height,
}: {
  layout: LaneLayout;
  pairs: HttpPairs;
  rowOfSeq: (seq: bigint) => number;
  from: number;
  to: number;
  height: number;
}) {
  const lineY = ROW_HEIGHT - 13;
  const bars: React.ReactNode[] = [];
  for (const exchange of pairs.exchanges) {
    const { request, response } = exchange;
    if (!request || !response) continue;
    const ends = layout.ends.get(exchange.conversationId);
    if (!ends) continue;
    const a = rowOfSeq(request.seq);
    const b = rowOfSeq(response.seq);
    if (a < 0 || b < 0 || Math.max(a, b) < from || Math.min(a, b) > to) continue;
    const top = Math.min(a, b) * ROW_HEIGHT + lineY;
    const span = Math.max(6, Math.abs(b - a) * ROW_HEIGHT);
    bars.push(
      <rect
        key={`${request.seq}-${request.part}`}
        data-pair={`${request.seq}-${response.seq}`}
        className={BAR_FILL[statusClass(response.summary.status)]}
        x={ends.server.x - 3}
        y={a === b ? top - 3 : top}
        width={6}
        height={span}
        rx={2}
        opacity={0.75}
      />,
    );
  }
  return (
    <svg aria-hidden="true" className="pointer-events-none absolute left-0 top-0 z-[0]" width={layout.rowWidth} height={height}>
      {bars}
    </svg>
  );
}

/** The element's inner size, kept current as the window or the panels around it resize. */
function useSize(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () =>
      setSize((current) =>
        current.width === element.clientWidth && current.height === element.clientHeight
          ? current
          : { width: element.clientWidth, height: element.clientHeight },
      );
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

/** The element's height with its borders, kept current as its content wraps; 0 until measured. */
function useOuterHeight(ref: React.RefObject<HTMLElement | null>): number {
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setHeight(element.offsetHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return height;
}
