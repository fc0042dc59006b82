"use client";
// The state line every experiment shows, and the notice when the timeline cannot show answers.
// Answers reach the page only through the timeline's event stream, so a panel says so plainly when
// that stream is down or paused, instead of looking as if the server never answered.

import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { StateBadge, type PanelState } from "./ui";
import { useLessonTimeline } from "./use-lesson-timeline";

const STATE_TEXT: Record<PanelState, Keys<"lessonKit">> = {
  idle: "stateIdle",
  connecting: "stateConnecting",
  open: "stateOpen",
  clientHalfClosed: "stateClientHalfClosed",
  serverHalfClosed: "stateServerHalfClosed",
  bothHalfClosed: "stateBothHalfClosed",
  closed: "stateClosed",
  error: "stateError",
};

export function ConnectionLine({ state, port }: { state: PanelState; port?: number }) {
  const t = useT("lessonKit");
  return (
    <p role="status" className="flex flex-wrap items-center gap-2 text-sm">
      <span>{t("connectionLabel")}</span>
      <StateBadge state={state} label={t(STATE_TEXT[state])} />
      {port !== undefined && port > 0 && <span className="text-slate-700 dark:text-slate-300">{t("clientPortIs", { port: String(port) })}</span>}
    </p>
  );
}

export function TimelineNotice() {
  const t = useT("lessonKit");
  const { connected, paused } = useLessonTimeline();
  if (connected && !paused) return null;
  return (
    <p role="status" className="rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <span aria-hidden="true">⚠ </span>
      {paused ? t("timelinePaused") : t("timelineDisconnected")}
    </p>
  );
}
