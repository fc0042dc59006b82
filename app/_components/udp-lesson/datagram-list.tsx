"use client";
// The datagrams of one flow as a panel lists them, from its timeline events: each way's datagrams with their
// sizes and contents (text when it is UTF-8, hex otherwise, and the seed's 8-byte reply unpacked), the ones
// the session's impairment lost, the duplicates' copies and "no answer within 5 s", and why the server did not answer
// a datagram that is not UTF-8 (the udpecho dissector's finding). Each row can select its
// event on the timeline, where its bytes and fields are.

import { useLocale, useT } from "@/app/_i18n/client";
import { findingText } from "@/app/_i18n/findings";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "../timeline/batch";
import { toHex, visibleText } from "../lesson-kit/bytes";
import { selectOnTimeline } from "../lesson-kit/navigate";
import { buttonSmall } from "../lesson-kit/ui";
import { isDuplicate } from "../timeline/describe";
import { seedUnpack } from "./model";

const strict = new TextDecoder("utf-8", { fatal: true });
// A long datagram's text would push the list off a phone's screen.
const PREVIEW_CHARS = 60;
const PREVIEW_BYTES = 16;
const DROPPED_FINDING = "udpecho.dropped";

function contentOf(data: Uint8Array): { kind: "text" | "hex"; text: string } {
  try {
    const text = visibleText(strict.decode(data));
    return { kind: "text", text: text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text };
  } catch {
    return { kind: "hex", text: `${toHex(data, PREVIEW_BYTES)}${data.length > PREVIEW_BYTES ? " …" : ""}` };
  }
}

/** The events a list shows: datagrams, lost ones and timeouts (not the flow's open and close marks). */
export function listedEvents(events: readonly TimelineEvent[]): TimelineEvent[] {
  return events.filter((e) => e.kind === EventKind.DATA || e.kind === EventKind.LOST || e.kind === EventKind.TIMEOUT);
}

function Row({ event }: { event: TimelineEvent }) {
  const t = useT("udpLesson");
  const locale = useLocale();
  const c2s = event.direction === Direction.CLIENT_TO_SERVER;
  // The one finding a list must show: why a datagram got no answer.
  const dropped = event.findings.find((f) => f.code === DROPPED_FINDING);
  const way = c2s ? t("listToServer") : t("listToClient");
  const content = event.kind === EventKind.TIMEOUT ? undefined : contentOf(event.data);
  const binary = event.kind === EventKind.DATA && !c2s && event.data.length === 8 && content?.kind === "hex" ? seedUnpack(event.data) : undefined;

  let mark: { icon: string; text: string; className: string } | undefined;
  if (event.kind === EventKind.LOST) mark = { icon: "✕", text: t("listLost"), className: "text-red-800 dark:text-red-300" };
  else if (event.kind === EventKind.TIMEOUT) mark = { icon: "◌", text: t("listTimeout"), className: "text-amber-900 dark:text-amber-200" };
  else if (isDuplicate(event)) mark = { icon: "2×", text: t("listCopy"), className: "text-violet-800 dark:text-violet-300" };

  return (
    <li className="flex items-start gap-2 border-b border-slate-200 py-1.5 text-sm last:border-b-0 dark:border-slate-700">
      <span aria-hidden="true" className="w-4 shrink-0 text-center font-mono">
        {c2s ? "→" : "←"}
      </span>
      <span className="sr-only">{way}:</span>
      <span className="flex min-w-0 flex-1 flex-wrap items-baseline gap-x-2 gap-y-0.5">
        {mark && (
          <span className={`font-medium ${mark.className}`}>
            <span aria-hidden="true">{mark.icon} </span>
            {mark.text}
          </span>
        )}
        {content && (
          <span className={`min-w-0 break-all font-mono ${event.kind === EventKind.LOST ? "text-slate-600 line-through dark:text-slate-400" : ""}`}>
            {content.kind === "text" ? `"${content.text}"` : content.text}
          </span>
        )}
        {content && <span className="text-xs text-slate-700 dark:text-slate-300">{t("listBytes", { n: event.data.length })}</span>}
        {binary?.ok && <span className="font-mono text-xs text-slate-800 dark:text-slate-200">{t("listUnpacked", { values: binary.values })}</span>}
        {dropped && <span className="basis-full text-xs text-amber-950 dark:text-amber-100">{findingText(locale, dropped)}</span>}
      </span>
      <button type="button" className={`${buttonSmall} shrink-0`} onClick={() => selectOnTimeline(event.seq)}>
        {t("listShowShort")}
        <span className="sr-only"> {t("listShowRest", { way })}</span>
      </button>
    </li>
  );
}

/** `label` names the list; `limit` keeps the newest rows. */
export function DatagramList({ events, label, limit = 12 }: { events: readonly TimelineEvent[]; label: string; limit?: number }) {
  const t = useT("udpLesson");
  const rows = listedEvents(events);
  const shown = rows.slice(-limit);
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium">{label}</p>
      {rows.length > shown.length && <p className="text-xs text-slate-700 dark:text-slate-300">{t("listNewest", { n: shown.length, total: rows.length })}</p>}
      <ol aria-label={label} className="rounded border border-slate-200 px-2 dark:border-slate-700">
        {shown.map((event) => (
          <Row key={String(event.seq)} event={event} />
        ))}
      </ol>
    </div>
  );
}
