"use client";
// The captured segments of one conversation as an ordered list, one explained line each (segments.ts),
// with a button that selects the segment on the timeline so that the header diagram shows it. Every
// item stands for a SEGMENT event the capture recorded; the list never adds one.

import { useMemo } from "react";
import { useT } from "@/app/_i18n/client";
import type { TimelineEvent } from "../timeline/batch";
import { selectOnTimeline, showSection } from "../lesson-kit/navigate";
import { Rich } from "../lesson-kit/prose";
import { buttonSmall } from "../lesson-kit/ui";
import { analyzeSegments, explainSegment, explainUnreadable, isReadable, isSegment, type SegmentEntry } from "./segments";
import { HEADER_SECTION_ID } from "./section-ids";

function showInDiagram(seq: bigint): void {
  selectOnTimeline(seq);
  showSection(HEADER_SECTION_ID);
}

function SegmentItem({ entry, index }: { entry: SegmentEntry; index: number }) {
  const t = useT("tcpLesson");
  const explanation = isReadable(entry) ? explainSegment(entry, t) : explainUnreadable(entry, t);
  const client = entry.side === "client";
  return (
    <li
      className={`space-y-1 border-l-4 py-1 pl-3 ${client ? "border-c2s" : entry.side === "server" ? "border-s2c" : "border-slate-400"}`}
    >
      <p className="flex flex-wrap items-baseline gap-x-2 text-xs text-slate-700 dark:text-slate-300">
        <span className="font-semibold tabular-nums">{index + 1}.</span>
        {entry.side && <span>{t(client ? "hsDirectionClient" : "hsDirectionServer")}</span>}
      </p>
      <p className="font-mono text-sm break-words text-slate-900 dark:text-slate-100">{explanation.headline}</p>
      {explanation.notes.map((note, i) => (
        <p key={i} className="text-sm leading-relaxed text-slate-800 dark:text-slate-200">
          <Rich text={note} />
        </p>
      ))}
      <button type="button" className={buttonSmall} onClick={() => showInDiagram(entry.eventSeq)}>
        {t("hsShow")}
        <span className="sr-only">: {t("hsShowWhich", { n: index + 1 })}</span>
      </button>
    </li>
  );
}

/** The segments among `events` (one conversation's, in timeline order), explained. */
export function SegmentList({ events, label }: { events: readonly TimelineEvent[]; label: string }) {
  const entries = useMemo(() => analyzeSegments(events), [events]);
  if (entries.length === 0) return null;
  return (
    <ol aria-label={label} className="space-y-3">
      {entries.map((entry, i) => (
        <SegmentItem key={String(entry.eventSeq)} entry={entry} index={i} />
      ))}
    </ol>
  );
}

/** How many SEGMENT events `events` holds. */
export function countSegments(events: readonly TimelineEvent[]): number {
  let n = 0;
  for (const e of events) if (isSegment(e)) n++;
  return n;
}
