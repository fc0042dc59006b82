"use client";
// The time-sequence graph of a TCP conversation (issue 15 §2; W. R. Stevens' graphs, as tcptrace and Wireshark's
// "Stevens" view draw them): one direction's segments as vertical bars of their sequence ranges over time, the other
// side's ACK as a step line and ACK + advertised window as a dashed one. Opened from the details of any event of a TCP
// conversation, on that event's neighbourhood (its time marked, the segments nearest to it; windowAround), with the
// whole connection a button or a key away. Keyboard: the plot is one focusable group; arrows move between segments,
// Page Up/Down pan, +/- zoom, 0 the whole connection, E back around the event, Enter selects the segment on the
// timeline; the mouse drags to pan, wheels to zoom, hovers and clicks points. The same points are in a table beside
// it, for readers who cannot see the plot.

import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import { Direction, EventKind, Transport, type Conversation } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "./batch";
import { TCP_FLAG } from "../tcp-lesson/segment-adapter";
import { conversationName } from "./describe";
import { formatMs, timeBase } from "./model";
import {
  busierDirection,
  fullWindow,
  nearestPoint,
  panWindow,
  seqGraph,
  seqRange,
  ticks,
  windowAround,
  zoomWindow,
  type SeqPoint,
  type SeqSeries,
  type TimeWindow,
} from "./seq-graph-model";
import { useTimeline } from "./store";
import { useCaptureStatus } from "./use-capture-status";

const BUTTON =
  "rounded border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 dark:border-slate-600 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-300";
const HEIGHT = 320;
const PAD = { left: 72, right: 16, top: 12, bottom: 40 } as const;
/** Rows of the table alternative rendered at most (the plot has all the points). */
const TABLE_ROWS = 500;

export interface SeqGraphProps {
  readonly conversation: Conversation;
  /** The direction to open on (the selected event's); the busier one when unspecified. */
  readonly direction?: Direction;
  /** The event it is opened from: the graph opens on its neighbourhood, with its time marked. */
  readonly around?: TimelineEvent;
  readonly onSelectEvent: (seq: bigint) => void;
}

export function SeqGraphButton({ conversation, direction, around, onSelectEvent }: SeqGraphProps) {
  const t = useT("timeView");
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  if (conversation.transport !== Transport.TCP) return null;
  return (
    <>
      <button
        type="button"
        title={t("openHelp")}
        className={BUTTON}
        onClick={() => {
          setOpen(true);
          dialogRef.current?.showModal();
        }}
      >
        {t("open")}
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={`seq-graph-${conversation.id}`}
        onClose={() => setOpen(false)}
        className="m-auto flex max-h-[95dvh] w-[min(64rem,calc(100vw-1rem))] flex-col gap-2 overflow-auto rounded-lg border border-slate-300 bg-white p-3 text-slate-900 shadow-xl backdrop:bg-slate-950/50 open:flex dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 [&:not([open])]:hidden"
      >
        {open && (
          <SeqGraphView
            conversation={conversation}
            direction={direction}
            around={around}
            titleId={`seq-graph-${conversation.id}`}
            onClose={() => dialogRef.current?.close()}
            onSelectEvent={(seq) => {
              onSelectEvent(seq);
              dialogRef.current?.close();
            }}
          />
        )}
      </dialog>
    </>
  );
}

function SeqGraphView({
  conversation,
  direction: opened,
  around,
  titleId,
  onClose,
  onSelectEvent,
}: SeqGraphProps & { titleId: string; onClose: () => void }) {
  const t = useT("timeView");
  const timelineT = useT("timeline");
  const locale = useLocale();
  const id = useId();
  const { events } = useTimeline();
  const capture = useCaptureStatus();
  const conversationEvents = events.ofConversation(conversation.id);
  const baseNs = timeBase(events);
  const graph = useMemo(() => seqGraph(conversationEvents, baseNs), [conversationEvents, baseNs]);
  const [direction, setDirection] = useState<Direction | null>(
    opened === Direction.CLIENT_TO_SERVER || opened === Direction.SERVER_TO_CLIENT ? opened : null,
  );
  const shownDirection = direction ?? busierDirection(graph);
  const series = shownDirection === Direction.SERVER_TO_CLIENT ? graph.s2c : graph.c2s;
  const full = useMemo(() => fullWindow(graph.startMs, graph.endMs), [graph.startMs, graph.endMs]);
  // The event's time on the graph's axis, and its neighbourhood: what the graph opens on (view null), and where E goes.
  const aroundMs = around ? Number(around.monoNs - baseNs) / 1e6 : undefined;
  // A lab client's message: its client's end too (time-scale.ts), with the segments between the two.
  const peerMs = around?.kind === EventKind.DATA && around.peerNs !== undefined ? Number(around.peerNs - baseNs) / 1e6 : undefined;
  const focus = useMemo(
    () =>
      aroundMs === undefined
        ? undefined
        : windowAround([...series.points.map((p) => p.ms), ...series.acks.map((a) => a.ms)], aroundMs, full, undefined, peerMs === undefined ? [] : [peerMs]),
    [aroundMs, peerMs, series, full],
  );
  const [view, setView] = useState<TimeWindow | null>(null);
  const window_ = view ?? focus ?? full;
  // A segment opened from is the current point.
  const [current, setCurrent] = useState(() => (around?.kind === EventKind.SEGMENT ? series.points.findIndex((p) => p.seq === around.seq) : -1));
  const aroundNumber = around ? Number(around.number ?? around.seq) : 0;
  const number = new Intl.NumberFormat(locale);
  const directionName = t(shownDirection === Direction.SERVER_TO_CLIENT ? "directionS2c" : "directionC2s");

  return (
    <>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={titleId} className="text-base font-semibold">
            {t("title")}
          </h2>
          <p className="break-words text-sm text-slate-700 dark:text-slate-300">{conversationName(timelineT, conversation)}</p>
        </div>
        <button type="button" onClick={onClose} className={BUTTON}>
          {t("close")}
        </button>
      </div>
      {graph.segments === 0 ? (
        <p className="text-sm" data-testid="seq-graph-empty">
          {capture.mode === "socket" ? t("emptyCaptureOff") : t("emptyNoSegments")}
        </p>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
            <fieldset className="flex flex-wrap items-center gap-2">
              <legend className="float-left mr-1">{t("directionLabel")}</legend>
              {[Direction.CLIENT_TO_SERVER, Direction.SERVER_TO_CLIENT].map((d) => (
                <label key={d} className="flex items-center gap-1">
                  <input
                    type="radio"
                    name={`${id}-direction`}
                    checked={shownDirection === d}
                    onChange={() => {
                      setDirection(d);
                      setCurrent(-1);
                    }}
                  />
                  {t(d === Direction.SERVER_TO_CLIENT ? "directionS2c" : "directionC2s")}
                </label>
              ))}
            </fieldset>
            <span className="flex flex-wrap gap-1">
              <button type="button" className={BUTTON} onClick={() => setView(zoomWindow(window_, 0.5, (window_.from + window_.to) / 2, full))}>
                {t("zoomIn")}
              </button>
              <button type="button" className={BUTTON} onClick={() => setView(zoomWindow(window_, 2, (window_.from + window_.to) / 2, full))}>
                {t("zoomOut")}
              </button>
              {focus && (
                <button type="button" className={BUTTON} onClick={() => setView(null)}>
                  {t("zoomEvent", { n: aroundNumber })}
                </button>
              )}
              <button type="button" className={BUTTON} onClick={() => setView(full)}>
                {t("zoomReset")}
              </button>
            </span>
            <Legend direction={shownDirection} />
          </div>
          {!graph.scaled && <p className="text-xs text-slate-700 dark:text-slate-300">{t("windowUnscaled")}</p>}
          {focus && view === null && aroundMs !== undefined && (
            <p className="text-xs text-slate-700 dark:text-slate-300" data-testid="seq-graph-around">
              {t("aroundEvent", { n: aroundNumber, ms: formatMs(aroundMs, locale) })}
            </p>
          )}
          <Plot
            series={series}
            view={window_}
            full={full}
            onView={setView}
            mark={
              aroundMs === undefined
                ? undefined
                : {
                    ms: aroundMs,
                    label: t("eventMark", { n: aroundNumber }),
                    ...(peerMs !== undefined && {
                      peerMs,
                      peerLabel: t(around?.direction === Direction.CLIENT_TO_SERVER ? "peerMarkWrite" : "peerMarkRead"),
                    }),
                  }
            }
            current={current}
            onCurrent={setCurrent}
            onSelectEvent={onSelectEvent}
            label={t("graphLabel", { direction: directionName.toLowerCase() })}
            description={t("graphDescription", {
              points: series.points.length,
              bytes: series.bytes,
              from: formatMs(Math.max(0, window_.from), locale),
              to: formatMs(window_.to, locale),
            })}
          />
          <PointTable series={series} directionName={directionName} number={number} onSelectEvent={onSelectEvent} />
        </>
      )}
    </>
  );
}

function Legend({ direction }: { direction: Direction }) {
  const t = useT("timeView");
  return (
    <ul className="flex flex-wrap gap-x-3 text-xs text-slate-700 dark:text-slate-300" aria-hidden="true">
      <li className="flex items-center gap-1">
        <span className={`inline-block h-3 w-0.5 ${direction === Direction.SERVER_TO_CLIENT ? "bg-s2c" : "bg-c2s"}`} /> {t("legendData")}
      </li>
      <li className="flex items-center gap-1">
        <span className="inline-block h-3 w-0.5 bg-red-600 dark:bg-red-400" /> {t("legendRetransmit")}
      </li>
      <li className="flex items-center gap-1">
        <span className="inline-block h-0.5 w-4 bg-slate-700 dark:bg-slate-300" /> {t("legendAck")}
      </li>
      <li className="flex items-center gap-1">
        <span className="inline-block w-4 border-t-2 border-dashed border-amber-600 dark:border-amber-400" /> {t("legendWindow")}
      </li>
    </ul>
  );
}

interface PlotProps {
  readonly series: SeqSeries;
  readonly view: TimeWindow;
  readonly full: TimeWindow;
  /** The window to show; null: the one the graph opened on (around its event, or the whole connection). */
  readonly onView: (view: TimeWindow | null) => void;
  /** The event the graph was opened from, marked at its time. */
  readonly mark?: { readonly ms: number; readonly label: string; readonly peerMs?: number; readonly peerLabel?: string };
  readonly current: number;
  readonly onCurrent: (index: number) => void;
  readonly onSelectEvent: (seq: bigint) => void;
  readonly label: string;
  readonly description: string;
}

function Plot({ series, view, full, onView, mark, current, onCurrent, onSelectEvent, label, description }: PlotProps) {
  const t = useT("timeView");
  const locale = useLocale();
  const id = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const width = useWidth(boxRef);
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const { low, high } = seqRange(series, view);
  const x = useCallback((ms: number) => PAD.left + ((ms - view.from) / (view.to - view.from)) * plotW, [view, plotW]);
  const y = useCallback((n: number) => PAD.top + plotH - ((n - low) / (high - low)) * plotH, [low, high, plotH]);
  const msAt = useCallback((px: number) => view.from + ((px - PAD.left) / plotW) * (view.to - view.from), [view, plotW]);
  const number = new Intl.NumberFormat(locale);

  // Wheel zoom around the pointer: React's wheel listener is passive, so the page would scroll too.
  const latest = useRef({ view, full, msAt, onView });
  latest.current = { view, full, msAt, onView };
  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { view: v, full: f, msAt: at, onView: set } = latest.current;
      const rect = box.getBoundingClientRect();
      set(zoomWindow(v, event.deltaY < 0 ? 0.8 : 1.25, at(event.clientX - rect.left), f));
    };
    box.addEventListener("wheel", onWheel, { passive: false });
    return () => box.removeEventListener("wheel", onWheel);
  }, []);
  const drag = useRef<{ x: number; view: TimeWindow; moved: boolean } | null>(null);

  const visible = series.points.filter((p) => p.ms >= view.from && p.ms <= view.to);
  const acksIn = series.acks.filter((a) => a.ms <= view.to);
  // The step lines start at the last ACK before the window, so they enter from the left edge.
  const firstAck = acksIn.findIndex((a) => a.ms >= view.from);
  const lineAcks = firstAck > 0 ? acksIn.slice(firstAck - 1) : firstAck === 0 ? acksIn : acksIn.slice(-1);
  const step = (value: (a: (typeof lineAcks)[number]) => number) =>
    lineAcks
      .map((a, i) => {
        const ax = Math.max(PAD.left, x(a.ms));
        const next = lineAcks[i + 1];
        const nx = next ? Math.min(PAD.left + plotW, x(next.ms)) : PAD.left + plotW;
        // Not clamped: the clip path cuts what is outside, so a line above the graph is not drawn as if at its top.
        const ay = y(value(a));
        return `${i === 0 ? "M" : "L"}${ax.toFixed(1)},${ay.toFixed(1)} L${nx.toFixed(1)},${ay.toFixed(1)}`;
      })
      .join(" ");
  const windowAbove = lineAcks.find((a) => a.limit > high);
  const xTicks = ticks(Math.max(view.from, 0), view.to, Math.max(2, Math.floor(plotW / 90)));
  const yTicks = ticks(low, high, 5);
  const point = current >= 0 ? series.points[current] : undefined;
  const markX = mark ? x(mark.ms) : 0;
  const markRight = markX + 96 > PAD.left + plotW;
  const peerX = mark?.peerMs !== undefined ? x(mark.peerMs) : 0;
  const peerRight = peerX + 110 > PAD.left + plotW;
  const ackAt = point && [...series.acks].reverse().find((a) => a.ms <= point.ms);

  const move = (index: number) => {
    const p = series.points[index];
    if (!p) return;
    onCurrent(index);
    if (p.ms < view.from || p.ms > view.to) {
      const span = view.to - view.from;
      onView(zoomWindow({ from: p.ms - span / 2, to: p.ms + span / 2 }, 1, p.ms, full));
    }
  };
  function onKeyDown(event: React.KeyboardEvent) {
    const count = series.points.length;
    const centre = point ? point.ms : (view.from + view.to) / 2;
    const actions: Record<string, () => void> = {
      ArrowRight: () => move(Math.min(count - 1, current + 1)),
      ArrowLeft: () => move(current < 0 ? 0 : Math.max(0, current - 1)),
      Home: () => move(0),
      End: () => move(count - 1),
      PageDown: () => onView(panWindow(view, 0.5, full)),
      PageUp: () => onView(panWindow(view, -0.5, full)),
      "+": () => onView(zoomWindow(view, 0.5, centre, full)),
      "=": () => onView(zoomWindow(view, 0.5, centre, full)),
      "-": () => onView(zoomWindow(view, 2, centre, full)),
      "0": () => onView(full),
      e: () => onView(null),
      E: () => onView(null),
      Enter: () => point && onSelectEvent(point.seq),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  return (
    <div className="space-y-1">
      <div
        ref={boxRef}
        role="group"
        tabIndex={0}
        aria-label={label}
        aria-describedby={`${id}-desc ${id}-help`}
        onKeyDown={onKeyDown}
        onPointerDown={(event) => {
          drag.current = { x: event.clientX, view, moved: false };
          event.currentTarget.setPointerCapture(event.pointerId);
        }}
        onPointerMove={(event) => {
          const rect = event.currentTarget.getBoundingClientRect();
          const d = drag.current;
          if (d && Math.abs(event.clientX - d.x) > 3) {
            d.moved = true;
            onView(panWindow(d.view, -(event.clientX - d.x) / plotW, full));
          } else if (!d) {
            const near = nearestPoint(visible, msAt(event.clientX - rect.left));
            if (near >= 0) onCurrent(series.points.indexOf(visible[near]!));
          }
        }}
        onPointerUp={(event) => {
          const d = drag.current;
          drag.current = null;
          if (d && !d.moved) {
            const rect = event.currentTarget.getBoundingClientRect();
            const near = nearestPoint(visible, msAt(event.clientX - rect.left));
            const p = visible[near];
            if (p) onSelectEvent(p.seq);
          }
        }}
        className="cursor-crosshair touch-none rounded border border-slate-200 focus-visible:outline-2 focus-visible:outline-blue-700 dark:border-slate-700 dark:focus-visible:outline-sky-300"
      >
        <svg width={width} height={HEIGHT} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} className="block select-none">
          <title id={`${id}-title`}>{label}</title>
          <desc id={`${id}-desc`}>{description}</desc>
          <defs>
            <clipPath id={`${id}-clip`}>
              <rect x={PAD.left} y={PAD.top - 1} width={plotW} height={plotH + 2} />
            </clipPath>
          </defs>
          <g className="text-[11px] fill-slate-600 dark:fill-slate-400">
            {xTicks.map((v) => (
              <g key={`x${v}`}>
                <line x1={x(v)} x2={x(v)} y1={PAD.top} y2={PAD.top + plotH} className="stroke-slate-200 dark:stroke-slate-800" />
                <text x={x(v)} y={PAD.top + plotH + 14} textAnchor="middle">
                  {number.format(v)}
                </text>
              </g>
            ))}
            {yTicks.map((v) => (
              <g key={`y${v}`}>
                <line x1={PAD.left} x2={PAD.left + plotW} y1={y(v)} y2={y(v)} className="stroke-slate-200 dark:stroke-slate-800" />
                <text x={PAD.left - 4} y={y(v) + 4} textAnchor="end">
                  {number.format(v)}
                </text>
              </g>
            ))}
            <text x={PAD.left + plotW / 2} y={HEIGHT - 6} textAnchor="middle">
              {t("axisTime")}
            </text>
            <text x={11} y={PAD.top + plotH / 2} textAnchor="middle" transform={`rotate(-90 11 ${PAD.top + plotH / 2})`}>
              {t("axisSeq")}
            </text>
          </g>
          <g clipPath={`url(#${id}-clip)`}>
            <path d={step((a) => a.limit)} data-testid="seq-graph-window" fill="none" strokeWidth={1.5} strokeDasharray="5 3" className="stroke-amber-600 dark:stroke-amber-400" />
            <path d={step((a) => a.ack)} data-testid="seq-graph-ack" data-acks={lineAcks.length} fill="none" strokeWidth={1.5} className="stroke-slate-700 dark:stroke-slate-300" />
            {visible.map((p) => (
              <PointBar key={p.seq.toString()} p={p} x={x(p.ms)} y1={y(p.start)} y2={y(p.end)} current={p === point} server={series.direction === Direction.SERVER_TO_CLIENT} />
            ))}
          </g>
          {mark && mark.ms >= view.from && mark.ms <= view.to && (
            <g data-testid="seq-graph-event-mark" className="fill-slate-900 stroke-slate-900 dark:fill-white dark:stroke-white">
              <line x1={markX} x2={markX} y1={PAD.top} y2={PAD.top + plotH} strokeWidth={1} strokeDasharray="2 3" />
              {/* Beside the line, on its left near the right edge. */}
              <text x={markRight ? markX - 4 : markX + 4} y={PAD.top + 12} textAnchor={markRight ? "end" : "start"} stroke="none" className="text-[12px]">
                {mark.label}
              </text>
            </g>
          )}
          {mark?.peerMs !== undefined && mark.peerMs >= view.from && mark.peerMs <= view.to && (
            // The client's end of the same message, labelled at the foot so the two labels never meet.
            <g data-testid="seq-graph-peer-mark" className="fill-slate-700 stroke-slate-700 dark:fill-slate-300 dark:stroke-slate-300">
              <line x1={peerX} x2={peerX} y1={PAD.top} y2={PAD.top + plotH} strokeWidth={1} strokeDasharray="6 3" />
              <text x={peerRight ? peerX - 4 : peerX + 4} y={PAD.top + plotH - 4} textAnchor={peerRight ? "end" : "start"} stroke="none" className="text-[12px]">
                {mark.peerLabel}
              </text>
            </g>
          )}
          {point && (
            <circle cx={x(point.ms)} cy={y(point.end)} r={6} fill="none" strokeWidth={2} className="stroke-slate-900 dark:stroke-white" />
          )}
        </svg>
      </div>
      <p id={`${id}-help`} className="text-xs text-slate-600 dark:text-slate-400">
        {t("graphHelp")}
      </p>
      {windowAbove && (
        <p className="text-xs text-amber-900 dark:text-amber-200">
          {t("windowAbove", { limit: number.format(windowAbove.limit), window: number.format(windowAbove.window) })}
        </p>
      )}
      <p aria-live="polite" className="min-h-5 text-sm" data-testid="seq-graph-point">
        {point ? (
          <>
            {t("point", {
              index: current + 1,
              count: series.points.length,
              n: Number(point.number),
              ms: formatMs(point.ms, locale),
              start: number.format(point.start),
              end: number.format(point.end),
              length: point.length,
              flags: flagNames(point.flags),
              retransmit: point.retransmit ? t("pointRetransmit") : "",
            })}
            {ackAt && t("pointAck", { ack: number.format(ackAt.ack), window: number.format(ackAt.window) })}{" "}
            <button type="button" className={BUTTON} onClick={() => onSelectEvent(point.seq)}>
              {t("selectPoint")}
            </button>
          </>
        ) : series.points.length === 0 ? (
          t("pointNone")
        ) : null}
      </p>
    </div>
  );
}

function PointBar({ p, x, y1, y2, current, server }: { p: SeqPoint; x: number; y1: number; y2: number; current: boolean; server: boolean }) {
  // At least a few pixels tall, so a one-byte or a SYN's point stays visible.
  const top = Math.min(y2, y1 - 3);
  return (
    <g data-testid="seq-graph-point-mark" data-start={p.start} data-end={p.end} className={p.retransmit ? "stroke-red-600 dark:stroke-red-400" : server ? "stroke-s2c" : "stroke-c2s"}>
      <line x1={x} x2={x} y1={y1} y2={top} strokeWidth={current ? 3 : 1.5} />
      <line x1={x - 2} x2={x + 2} y1={top} y2={top} strokeWidth={1} />
    </g>
  );
}

function flagNames(flags: number): string {
  const names = (["SYN", "FIN", "RST", "PSH"] as const).filter((name) => flags & TCP_FLAG[name]);
  return names.length > 0 ? ` [${names.join(", ")}]` : "";
}

function PointTable({
  series,
  directionName,
  number,
  onSelectEvent,
}: {
  series: SeqSeries;
  directionName: string;
  number: Intl.NumberFormat;
  onSelectEvent: (seq: bigint) => void;
}) {
  const t = useT("timeView");
  const locale = useLocale();
  const rows = series.points.slice(0, TABLE_ROWS);
  return (
    <details className="text-sm">
      <summary className="cursor-pointer rounded focus-visible:outline-2 focus-visible:outline-blue-700 dark:focus-visible:outline-sky-300">{t("tableSummary")}</summary>
      <div className="max-h-64 overflow-auto" tabIndex={0} role="region" aria-label={t("tableCaption", { direction: directionName.toLowerCase() })}>
        <table className="w-full text-left text-xs tabular-nums">
          <caption className="text-left font-medium">{t("tableCaption", { direction: directionName.toLowerCase() })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("colEvent")}</th>
              <th scope="col">{t("colTime")}</th>
              <th scope="col">{t("colSeq")}</th>
              <th scope="col">{t("colEnd")}</th>
              <th scope="col">{t("colLength")}</th>
              <th scope="col">{t("colFlags")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.seq.toString()} className={p.retransmit ? "text-red-800 dark:text-red-300" : ""}>
                <td>
                  <button type="button" onClick={() => onSelectEvent(p.seq)} className="underline decoration-dotted underline-offset-2 focus-visible:outline-2 focus-visible:outline-blue-700 dark:focus-visible:outline-sky-300">
                    {p.number.toString()}
                  </button>
                </td>
                <td>{formatMs(p.ms, locale)}</td>
                <td>{number.format(p.start)}</td>
                <td>{number.format(p.end)}</td>
                <td>{number.format(p.length)}</td>
                <td>{flagNames(p.flags).trim()}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {series.points.length > rows.length && <p>{t("tableMore", { shown: rows.length, n: series.points.length })}</p>}
      </div>
    </details>
  );
}

/** The element's inner width, kept current as the dialog resizes. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(200, element.clientWidth));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
