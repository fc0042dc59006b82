"use client";
// Sloped arrows (time-scale.ts): the toolbar's toggle, kept in the URL (?slope=delay) as the zoom is, the ruler in the
// ladder's time column, and the details' words for what an arrow's slope is based on.

import { useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import { EventKind, Origin, type Conversation } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "./batch";
import { elapsedMs, formatMs } from "./model";
import { useCaptureStatus } from "./use-capture-status";
import { arrowSlope, delayParts, parseSloped, RULER_US, PX_PER_US, slopedSearch, type Slope } from "./time-scale";

export function useSloped(): { readonly on: boolean; readonly set: (on: boolean) => void } {
  const params = useSearchParams();
  const on = parseSloped(params);
  const set = useCallback((next: boolean) => {
    // As the selection and zoom are written (use-selection.ts): no history entry, no refetch.
    window.history.replaceState(null, "", `${window.location.pathname}${slopedSearch(window.location.search, next)}${window.location.hash}`);
  }, []);
  return { on, set };
}

const TOGGLE =
  "rounded border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 aria-pressed:border-blue-700 aria-pressed:bg-blue-700 aria-pressed:text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800 dark:aria-pressed:border-sky-300 dark:aria-pressed:bg-sky-300 dark:aria-pressed:text-slate-950 dark:focus-visible:outline-sky-300";

/** The toolbar's toggle. */
export function SlopeToggle() {
  const t = useT("timeView");
  const { on, set } = useSloped();
  return (
    <button type="button" aria-pressed={on} title={t("slopedHelp")} onClick={() => set(!on)} className={TOGGLE}>
      {t("slopedToggle")}
    </button>
  );
}

/** The scale of the slopes, under the time column's heading while they are on. */
export function SlopeRuler() {
  const t = useT("timeView");
  const px = RULER_US * PX_PER_US;
  const length = t("delayUs", { n: RULER_US });
  return (
    <span className="flex items-center gap-1 text-[11px] font-normal" title={t("rulerLabel", { length, px })}>
      <span className="sr-only">{t("rulerLabel", { length, px })}</span>
      <svg aria-hidden="true" width={8} height={px + 2} className="stroke-slate-600 dark:stroke-slate-400">
        <path d={`M1 1H7M4 1V${px + 1}M1 ${px + 1}H7`} strokeWidth={1.5} fill="none" />
      </svg>
      <span aria-hidden="true">{length}</span>
    </span>
  );
}

export function useDelayText(): (delayNs: bigint) => string {
  const t = useT("timeView");
  const locale = useLocale();
  return useCallback(
    (delayNs: bigint) => {
      const { unit, value } = delayParts(delayNs);
      const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
      return t(unit === "us" ? "delayUs" : "delayMs", { n });
    },
    [t, locale],
  );
}

const SLOPE_TEXT = {
  clientToRead: "slopeClientToRead",
  writeToClient: "slopeWriteToClient",
  wireToRead: "slopeWireToRead",
  writeToWire: "slopeWriteToWire",
} as const;

/** What the selected arrow's slope is based on, in the details, while sloped arrows are on. */
export function SlopeNote({
  event,
  carriers,
  baseNs,
  conversation,
}: {
  event: TimelineEvent;
  carriers: readonly TimelineEvent[];
  baseNs: bigint;
  conversation?: Conversation;
}) {
  const t = useT("timeView");
  const locale = useLocale();
  const { on } = useSloped();
  const delay = useDelayText();
  const capture = useCaptureStatus();
  if (!on) return null;
  const slope: Slope = arrowSlope(event, carriers, capture.mode !== "socket");
  const ms = (ns: bigint) => formatMs(elapsedMs(ns, baseNs), locale);
  const text =
    slope.basis === "flat"
      ? t("slopeOneTime", {
          why: t(
            slope.why === "segment"
              ? "slopeWhySegment"
              : slope.why === "noCapture"
                ? "slopeWhyNoCapture"
                : slope.why === "noSegment"
                  ? "slopeWhyNoSegment"
                  : "slopeWhyKind",
          ),
        })
      : t(SLOPE_TEXT[slope.basis], {
          from: ms(slope.fromNs),
          to: ms(slope.toNs),
          delay: delay(slope.delayNs),
        });
  const wire = slope.basis !== "flat" && slope.wireNs !== undefined ? t("slopeWireBetween", { wire: ms(slope.wireNs) }) : "";
  // An outside program's end is never timed: said wherever its message's arrow is (issue 15 §2).
  const outside = conversation?.origin === Origin.EXTERNAL && event.kind === EventKind.DATA ? t("slopeOutside") : "";
  return (
    <p data-testid="slope-note" className="text-sm text-slate-700 dark:text-slate-300">
      {[text, wire, outside].filter(Boolean).join(" ")}
    </p>
  );
}
