"use client";
// Step-by-step playback (issue 15 §2): a bar over the ladder to step back and forward through the events the timeline
// shows (filters and zoom respected), or play them at a chosen speed, the selection (and so the details and the
// highlighted arrow) following each step. Stepping pauses the live feed, so what is stepped through holds still;
// "Back to live" resumes it. Keys anywhere in the timeline but its text fields: [ back, ] forward, P play or pause
// (by physical key, so a Russian layout's Х, Ъ and З work too). Each step is announced politely to screen readers.

import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import { Transport, type Conversation } from "@/gen/lab/v1/timeline_pb";
import { directionName, eventNumber, markLabel } from "./describe";
import type { EventView } from "./event-table";
import { eventLabel, findEventIndex, type RowIndex } from "./model";
import { DEFAULT_SPEED, parseSpeed, PLAYBACK_SPEEDS, playbackPosition, playbackStep, stepDelayMs, type PlaybackSpeed } from "./playback-model";
import { useTimeline } from "./store";

export interface PlaybackProps {
  readonly rows: RowIndex;
  readonly events: EventView;
  readonly conversations: ReadonlyMap<string, Conversation>;
  /** The selected event (the playhead), as most recently asked for. */
  readonly currentSeq: () => bigint | null;
  readonly selectedSeq: bigint | null;
  /** Selects `seq` and brings its arrow into view; null: back to the newest events, following them. */
  readonly onStep: (seq: bigint | null) => void;
  /** Where the keys work: the timeline's section. */
  readonly scope: RefObject<HTMLElement | null>;
  /** The row's id (the toolbar's Playback switch controls it) and whether the switch has it open. */
  readonly id: string;
  readonly open: boolean;
  /** A key stepped or played while the row was closed: open it, so the reader sees where the playhead is. */
  readonly onReveal: () => void;
}

const BUTTON =
  "inline-flex items-center gap-1 whitespace-nowrap rounded border border-slate-300 px-2 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-300";

/** Keys typed into these are text, not shortcuts. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

export function Playback({ rows, events, conversations, currentSeq, selectedSeq, onStep, scope, id, open, onReveal }: PlaybackProps) {
  const t = useT("playback");
  const tt = useT("timeline");
  const locale = useLocale();
  const timeline = useTimeline();
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<PlaybackSpeed>(DEFAULT_SPEED);
  // Set when stepping paused the live feed (and so "Back to live" resumes it); a feed the reader paused stays paused.
  const [stepping, setStepping] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const position = useMemo(() => playbackPosition(rows, selectedSeq), [rows, selectedSeq]);

  const describe = useCallback(
    (seq: bigint, place: number, total: number) => {
      const event = events.at(findEventIndex(events, seq));
      if (!event) return "";
      const conversation = conversations.get(event.conversationId);
      const words = [directionName(tt, event.direction), markLabel(tt, event, conversation?.transport === Transport.UDP) ?? eventLabel(event).text]
        .filter((word) => word !== null && word !== "")
        .join(", ");
      return t("announce", { place, total, number: eventNumber(event), what: words });
    },
    [events, conversations, t, tt],
  );

  const timelineRef = useRef(timeline);
  timelineRef.current = timeline;
  /** Holds the live feed still while stepping (unless the reader had paused it already). */
  const holdFeed = useCallback(() => {
    const state = timelineRef.current;
    if (!state.paused) {
      state.setPaused(true);
      setStepping(true);
    }
  }, []);

  /** One step; false at the bound (and the reader is told). */
  const step = useCallback(
    (direction: 1 | -1): boolean => {
      const next = playbackStep(rows, currentSeq(), direction);
      if (next === null) {
        setAnnouncement(t(direction === 1 ? "end" : "start"));
        return false;
      }
      holdFeed();
      onStep(next.seq);
      const { place, total } = playbackPosition(rows, next.seq);
      setAnnouncement(describe(next.seq, place, total));
      return true;
    },
    [rows, currentSeq, holdFeed, onStep, describe, t],
  );

  const togglePlay = useCallback(() => {
    if (playing) {
      setPlaying(false);
      return;
    }
    // Play from the selection, or from the start when it is the last event (or none is selected, step() finds the first).
    holdFeed();
    if (playbackStep(rows, currentSeq(), 1) === null) {
      const first = playbackStep(rows, null, 1);
      if (first === null) return;
      onStep(first.seq);
      const { place, total } = playbackPosition(rows, first.seq);
      setAnnouncement(describe(first.seq, place, total));
    }
    setPlaying(true);
  }, [playing, holdFeed, rows, currentSeq, onStep, describe]);

  // Play: one step per tick; at the last event shown, stop.
  const stepRef = useRef(step);
  stepRef.current = step;
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      if (!stepRef.current(1)) setPlaying(false);
    }, stepDelayMs(speed));
    return () => clearInterval(timer);
  }, [playing, speed]);

  const backToLive = useCallback(() => {
    setPlaying(false);
    setStepping(false);
    setAnnouncement("");
    timelineRef.current.setPaused(false);
    onStep(null);
  }, [onStep]);

  // The reader resumed the feed from the toolbar: stepping is over, play stops.
  useEffect(() => {
    if (!timeline.paused && stepping) {
      setStepping(false);
      setPlaying(false);
    }
  }, [timeline.paused, stepping]);

  useEffect(() => {
    const element = scope.current;
    if (!element) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
      if (event.code === "BracketLeft") step(-1);
      else if (event.code === "BracketRight") step(1);
      else if (event.code === "KeyP") togglePlay();
      else return;
      event.preventDefault();
      onReveal();
    };
    element.addEventListener("keydown", onKey);
    return () => element.removeEventListener("keydown", onKey);
  }, [scope, step, togglePlay, onReveal]);

  // Not disabled at the first or last event: a disabled button would drop the focus the keys work from; a step past
  // the end says so instead.
  const empty = position.total === 0;
  return (
    <div
      id={id}
      hidden={!open}
      role="group"
      aria-label={t("label")}
      aria-describedby={`${id}-keys`}
      className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-b border-slate-200 px-2 py-1.5 dark:border-slate-800"
    >
      <span className="text-sm font-semibold">{t("label")}</span>
      <span className="inline-flex items-center gap-1">
        <button type="button" className={BUTTON} onClick={() => step(-1)} disabled={empty} aria-keyshortcuts="[">
          <Icon shape="back" />
          {t("back")}
        </button>
        <button type="button" className={BUTTON} onClick={togglePlay} disabled={empty} aria-pressed={playing} aria-keyshortcuts="p">
          <Icon shape={playing ? "pause" : "play"} />
          {playing ? t("pause") : t("play")}
        </button>
        <button type="button" className={BUTTON} onClick={() => step(1)} disabled={empty} aria-keyshortcuts="]">
          {t("forward")}
          <Icon shape="forward" />
        </button>
      </span>
      <label className="inline-flex items-center gap-1.5 text-sm">
        {t("speed")}
        <select
          value={String(speed)}
          onChange={(event) => setSpeed(parseSpeed(event.target.value))}
          className="rounded border border-slate-400 bg-white px-1.5 py-1 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-700 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:focus-visible:outline-sky-300"
        >
          {PLAYBACK_SPEEDS.map((option) => (
            <option key={option} value={String(option)}>
              {t("speedOption", { speed: option.toLocaleString(locale) })}
            </option>
          ))}
        </select>
      </label>
      <span className="text-sm tabular-nums text-slate-700 dark:text-slate-300">
        {position.place > 0 ? t("position", { place: position.place, total: position.total }) : t("noPosition", { total: position.total })}
      </span>
      {stepping && (
        <button type="button" className={BUTTON} onClick={backToLive} title={`${t("feedPaused")} ${t("liveTitle")}`}>
          {t("live")}
        </button>
      )}
      <span id={`${id}-keys`} className="text-xs text-slate-600 dark:text-slate-400">
        {t("keys")}
      </span>
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
    </div>
  );
}

/** The buttons' pictures, drawn (the system's fonts may lack the media symbols): decoration beside their words. */
function Icon({ shape }: { shape: "back" | "play" | "pause" | "forward" }) {
  const path = {
    back: "M3 2h2v12H3zM14 2v12L6 8z",
    play: "M4 2v12l10-6z",
    pause: "M3 2h4v12H3zM9 2h4v12H9z",
    forward: "M11 2h2v12h-2zM2 2v12l8-6z",
  }[shape];
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 fill-current">
      <path d={path} />
    </svg>
  );
}
