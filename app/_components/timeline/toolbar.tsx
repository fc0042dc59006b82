"use client";
// The timeline's header bar: connection, live/paused, the zoom (messages or segments) with the lab's
// capture mode, counters and clear; the display and conversation filters; playback and export behind switches.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { CaptureReason } from "../capture-reason";
import { DisplayFilter } from "./display-filter";
import { exportDocument, EXPORT_FILE_NAME, splitCaptureReason, type CaptureStatus, type Zoom } from "./model";
import { usePendingCount, useTimeline } from "./store";
import { SlopeToggle } from "./time-view";

/**
 * The session's capture as pcapng (server/lab/pcapng-downloads.ts); `?conversations=` keeps the ones named, `?filter=`
 * the events the display filter keeps.
 */
const PCAPNG_URL = "/api/sessions/current/capture.pcapng";

/** The file of what the timeline shows: the conversations the text filter keeps and the events the display filter keeps. */
function shownPcapngUrl(shownIds: readonly string[] | null, displayFilter: string): string | null {
  const params = new URLSearchParams();
  if (shownIds) params.set("conversations", shownIds.join(","));
  if (displayFilter !== "") params.set("filter", displayFilter);
  const query = params.toString();
  return query === "" ? null : `${PCAPNG_URL}?${query}`;
}

export interface ToolbarProps {
  readonly query: string;
  readonly onQueryChange: (query: string) => void;
  readonly shownConversations: number;
  /** The ids of the conversations the filter keeps; null when nothing is filtered out. */
  readonly shownIds: readonly string[] | null;
  /** The zoom shown: messages whenever capture is off, whatever the URL asks. */
  readonly zoom: Zoom;
  /** The zoom the URL asks for. */
  readonly requestedZoom: Zoom;
  readonly onZoomChange: (zoom: Zoom) => void;
  readonly capture: CaptureStatus;
  /** The display filter applied ("" for none), and what it keeps in words (null when none is applied). */
  readonly displayFilter: string;
  readonly onDisplayFilterChange: (filter: string) => void;
  readonly displaySummary: string | null;
  /** The playback row (playback.tsx): its element's id, and whether it is shown. */
  readonly playbackId: string;
  readonly playbackOpen: boolean;
  readonly onPlaybackOpenChange: (open: boolean) => void;
}

const ZOOM_BUTTON =
  "border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 aria-pressed:border-blue-700 aria-pressed:bg-blue-700 aria-pressed:text-white aria-disabled:cursor-not-allowed aria-disabled:border-dashed aria-disabled:text-slate-600 aria-disabled:hover:bg-transparent focus-visible:relative focus-visible:z-10 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800 dark:aria-pressed:border-sky-300 dark:aria-pressed:bg-sky-300 dark:aria-pressed:text-slate-950 dark:aria-disabled:text-slate-400 dark:focus-visible:outline-sky-300";

const BUTTON =
  "rounded border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-300";

/** A switch that shows or hides a row of the toolbar. */
const DISCLOSURE = `${BUTTON} inline-flex items-center gap-1.5 aria-expanded:bg-slate-100 dark:aria-expanded:bg-slate-800`;

export function Toolbar({
  query,
  onQueryChange,
  shownConversations,
  shownIds,
  zoom,
  requestedZoom,
  onZoomChange,
  capture,
  displayFilter,
  onDisplayFilterChange,
  displaySummary,
  playbackId,
  playbackOpen,
  onPlaybackOpenChange,
}: ToolbarProps) {
  const t = useT("timeline");
  const timeline = useTimeline();
  const pending = usePendingCount();
  const filterId = useId();
  const captureId = useId();
  // Null until the reader toggles it: then open by itself when a link asks for segments the lab cannot show.
  const [explain, setExplain] = useState<boolean | null>(null);
  const captureOff = capture.mode === "socket";
  const explainOpen = captureOff && (explain ?? requestedZoom === "segments");
  const [clearing, setClearing] = useState(false);
  const [clearFailed, setClearFailed] = useState(false);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [exportOpen, setExportOpen] = useState(false);
  const { conversations, events, counters } = timeline;
  const shownUrl = shownPcapngUrl(shownIds, displayFilter);

  async function clear() {
    setClearing(true);
    setClearFailed(false);
    try {
      await timeline.clear();
    } catch {
      setClearFailed(true);
    } finally {
      setClearing(false);
    }
  }

  function exportJson() {
    const document_ = exportDocument(conversations.values(), events, timeline.dropped);
    const url = URL.createObjectURL(new Blob([JSON.stringify(document_, null, 2)], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = EXPORT_FILE_NAME;
    link.click();
    // The download has started from the object URL by the next task; holding it longer only leaks memory.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  const filtersOn = (query.trim() !== "" ? 1 : 0) + (displayFilter !== "" ? 1 : 0);

  return (
    // One row of what a student looks at (connection, live, zoom, slopes, capture, counts) and the switches for
    // the rest, then the filters, then the export row when opened. The filters stay in view from 46rem of
    // timeline width; narrower (the lesson's drawer on a phone) they fold behind their own switch, so the
    // events keep the room.
    <div className="space-y-2 border-b border-slate-200 p-2 dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <p role="status" className="flex items-center gap-1.5 text-sm">
          <span
            aria-hidden="true"
            className={`inline-block size-2.5 rounded-full ${
              timeline.connected ? "bg-emerald-600 dark:bg-emerald-400" : "border-2 border-amber-600 dark:border-amber-400"
            }`}
          />
          {timeline.connected ? t("connected") : t("connecting")}
        </p>
        <div className="flex items-center gap-2">
          <span className="text-sm font-semibold">
            {timeline.paused ? t("pausedStatus") : t("liveStatus")}
            {timeline.paused && pending > 0 && (
              <span className="font-normal text-slate-700 dark:text-slate-300"> · {t("pendingEvents", { n: pending })}</span>
            )}
          </span>
          <button type="button" className={BUTTON} onClick={() => timeline.setPaused(!timeline.paused)}>
            {timeline.paused ? t("resume") : t("pause")}
          </button>
        </div>
        <div role="group" aria-labelledby={`${captureId}-zoom`} className="flex items-center gap-2">
          <span id={`${captureId}-zoom`} className="text-sm font-medium">
            {t("zoomLabel")}
          </span>
          <span className="inline-flex">
            <button
              type="button"
              aria-pressed={zoom === "messages"}
              onClick={() => onZoomChange("messages")}
              className={`${ZOOM_BUTTON} rounded-l`}
            >
              {t("zoomMessages")}
            </button>
            {/* Not `disabled`: it stays focusable and says (aria-describedby) why it is off and how to turn capture
                on; a click shows that explanation. */}
            <button
              type="button"
              aria-pressed={zoom === "segments"}
              aria-disabled={captureOff || undefined}
              aria-describedby={captureOff ? `${captureId}-explain` : undefined}
              onClick={() => (captureOff ? setExplain(true) : onZoomChange("segments"))}
              className={`${ZOOM_BUTTON} -ml-px rounded-r`}
            >
              {t("zoomSegments")}
            </button>
          </span>
        </div>
        <SlopeToggle />
        {capture.mode !== "unknown" && (
          <p className="flex items-center gap-1.5 text-sm text-slate-700 dark:text-slate-300">
            <span>{t("captureLabel")}</span>
            <span aria-hidden="true" className={capture.mode === "segments" ? "text-emerald-700 dark:text-emerald-300" : "text-amber-700 dark:text-amber-300"}>
              {capture.mode === "segments" ? "●" : "○"}
            </span>
            <span className="font-medium text-slate-900 dark:text-slate-100">
              {capture.mode === "segments" ? t("captureReal") : t("captureSocket")}
            </span>
            {captureOff && (
              <button
                type="button"
                aria-expanded={explainOpen}
                aria-controls={`${captureId}-explain`}
                onClick={() => setExplain(!explainOpen)}
                className="rounded px-1 text-sm text-blue-800 underline hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 dark:text-sky-300 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-300"
              >
                {t("captureWhy")}
              </button>
            )}
          </p>
        )}
        <p className="text-sm tabular-nums text-slate-700 dark:text-slate-300">
          {zoom === "segments"
            ? `${t("segmentCount", { n: counters.segments })} · ${t("wireByteCount", { n: counters.wireBytes })}`
            : `${t("eventCount", { n: counters.events })} · ${t("byteCount", { n: counters.bytes })}`}
        </p>
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <button
            type="button"
            aria-expanded={filtersOpen}
            aria-controls={`${filterId}-filters`}
            onClick={() => setFiltersOpen(!filtersOpen)}
            className={`${DISCLOSURE} @min-[46rem]:hidden`}
          >
            <Chevron open={filtersOpen} />
            {t("filtersToggle", { n: filtersOn })}
          </button>
          <button
            type="button"
            aria-expanded={playbackOpen}
            aria-controls={playbackId}
            onClick={() => onPlaybackOpenChange(!playbackOpen)}
            className={DISCLOSURE}
          >
            <Chevron open={playbackOpen} />
            {t("playbackToggle")}
          </button>
          <button
            type="button"
            aria-expanded={exportOpen}
            aria-controls={`${filterId}-export`}
            onClick={() => setExportOpen(!exportOpen)}
            className={DISCLOSURE}
          >
            <Chevron open={exportOpen} />
            {t("exportToggle")}
          </button>
          <button type="button" className={BUTTON} onClick={clear} disabled={clearing}>
            {t("clear")}
          </button>
        </div>
      </div>
      <div
        id={`${filterId}-filters`}
        className={`${filtersOpen ? "flex" : "hidden @min-[46rem]:flex"} flex-wrap items-center gap-x-4 gap-y-2`}
      >
        <div className="min-w-0 flex-[2_1_24rem]">
          <DisplayFilter applied={displayFilter} onApply={onDisplayFilterChange} summary={displaySummary} />
        </div>
        <div className="flex min-w-0 flex-[1_1_16rem] items-center gap-2">
          <label htmlFor={filterId} className="text-sm font-medium">
            {t("filterLabel")}
          </label>
          <input
            id={filterId}
            type="search"
            value={query}
            onChange={(event) => onQueryChange(event.target.value)}
            placeholder={t("filterPlaceholder")}
            aria-describedby={`${filterId}-count`}
            className="w-48 min-w-0 flex-1 rounded border border-slate-400 bg-white px-2 py-1 text-sm text-slate-900 placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-blue-700 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-400 dark:focus-visible:outline-sky-300"
          />
          {/* Shown while filtering; always read with the field. */}
          <span
            id={`${filterId}-count`}
            className={`min-w-0 text-xs leading-tight text-slate-600 dark:text-slate-400 ${query.trim() === "" ? "sr-only" : ""}`}
          >
            {t("conversationsShown", { shown: shownConversations, n: conversations.size })}
          </span>
        </div>
      </div>
      <div id={`${filterId}-export`} hidden={!exportOpen} className="flex flex-wrap items-center gap-2">
        <button type="button" className={BUTTON} onClick={exportJson} disabled={events.length === 0}>
          {t("exportJson")}
        </button>
        {/* The server builds the file from this session's ring: the session cookie decides whose traffic. */}
        {/* What the timeline shows: with a filter, its conversations only, and everything beside it. */}
        <a href={shownUrl ?? PCAPNG_URL} download className={BUTTON} title={t(captureOff ? "downloadPcapngSynthesized" : "downloadPcapngReal")}>
          {shownUrl ? t("downloadPcapngShown") : t("downloadPcapng")}
        </a>
        {shownUrl && (
          <a href={PCAPNG_URL} download className={BUTTON} title={t("downloadPcapngAllTitle")}>
            {t("downloadPcapngAll")}
          </a>
        )}
        {/* The same session's HTTP exchanges as HAR 1.2, for a browser's devtools or a HAR viewer. */}
        <a href="/api/sessions/current/exchanges.har" download className={BUTTON} title={t("downloadHarTitle")}>
          {t("downloadHar")}
        </a>
      </div>
      {captureOff && <CaptureExplanation id={`${captureId}-explain`} capture={capture} open={explainOpen} />}
      {clearFailed && (
        <p role="alert" className="w-full text-sm text-red-700 dark:text-red-300">
          {t("clearFailed")}
        </p>
      )}
    </div>
  );
}

/** The switches' open or closed mark: decoration beside their words (aria-expanded says it). */
function Chevron({ open }: { open: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className={`size-3 fill-current transition-transform motion-reduce:transition-none ${open ? "rotate-90" : ""}`}>
      <path d="M5 2l7 6-7 6z" />
    </svg>
  );
}

/**
 * Why the Segments zoom is off, and how to turn capture on: always in the DOM (the Segments button's
 * description), shown when opened.
 */
/** The capture program's own words, inside the explanation. */
const DETAIL = "overflow-x-auto rounded bg-white px-2 py-1 font-mono text-xs break-words text-slate-900 dark:bg-slate-900 dark:text-slate-100";

function CaptureExplanation({ id, capture, open }: { id: string; capture: Extract<CaptureStatus, { mode: "socket" }>; open: boolean }) {
  const t = useT("timeline");
  // A host too old to send a code: its English line, split into the reason and the command.
  const { text, command } = capture.code ? { text: "", command: capture.command ?? null } : splitCaptureReason(capture.reason);
  return (
    <div
      id={id}
      hidden={!open}
      className="w-full space-y-1.5 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-50"
    >
      <p className="font-semibold">{t("captureOffTitle")}</p>
      <p>{t("captureOffExplain")}</p>
      <CaptureReason capture={capture} detailClassName={DETAIL} />
      {text !== "" && <p>{t("captureReason", { reason: text })}</p>}
      {command !== null && (
        <>
          <p>{t("captureEnable")}</p>
          <pre className="overflow-x-auto rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100">
            <code>{command}</code>
          </pre>
        </>
      )}
    </div>
  );
}
