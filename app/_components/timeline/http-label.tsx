"use client";
// An HTTP/1.x arrow's label on the ladder: a request says its method and target and what became of it (the status
// it got, no answer yet, or never answered); a response says its status (its class's colour, and always the code and
// a word), the time to first byte and its size. The words for the row's accessible name come from httpWords, so the
// drawing and what a screen reader hears say the same.

import { useLocale, useT } from "@/app/_i18n/client";
import { HttpPart, type HttpSummary } from "@/gen/lab/v1/timeline_pb";
import type { TimelineT } from "./describe";
import { statusClass, timeToFirstByteNs, type HttpExchange } from "./http-pairs";
import { formatMs } from "./model";

/** Status classes 1xx-5xx (0: no code), readable on white and on slate-950; the code is always written too. */
export const STATUS_STYLE: Record<0 | 1 | 2 | 3 | 4 | 5, string> = {
  0: "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-50",
  1: "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-50",
  2: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-50",
  3: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-50",
  4: "bg-amber-200 text-amber-950 dark:bg-amber-800 dark:text-amber-50",
  5: "bg-red-700 text-white dark:bg-red-700 dark:text-white",
};

const CLASS_KEYS = ["httpClass0", "httpClass1", "httpClass2", "httpClass3", "httpClass4", "httpClass5"] as const;

export function statusClassName(t: TimelineT, status: number): string {
  return t(CLASS_KEYS[statusClass(status)]);
}

/** "GET /api/users" */
export function requestLine(summary: HttpSummary): string {
  return `${summary.method} ${summary.target}`;
}

/** "201 Created" */
export function statusLine(summary: HttpSummary): string {
  return summary.reason !== "" ? `${summary.status} ${summary.reason}` : String(summary.status);
}

export function ttfbText(t: TimelineT, ns: number, locale: string): string {
  return t("httpTtfb", { ms: formatMs(ns / 1e6, locale) });
}

/** What the row says of its HTTP message, in words: the accessible name's part for it. */
export function httpWords(t: TimelineT, locale: string, summary: HttpSummary, exchange: HttpExchange): string[] {
  if (summary.part === HttpPart.REQUEST) {
    const words = [t("httpRequestWord"), requestLine(summary)];
    const response = exchange.response;
    if (response) words.push(t("httpAnsweredWith", { status: statusLine(response.summary), kind: statusClassName(t, response.summary.status) }));
    else words.push(exchange.state === "unanswered" ? t("httpUnanswered") : t("httpWaiting"));
    return words;
  }
  const words = [t("httpResponseWord"), statusLine(summary), statusClassName(t, summary.status)];
  const interim = exchange.response?.summary !== summary;
  if (interim) words.push(t("httpInterim"));
  else {
    const ttfb = timeToFirstByteNs(exchange);
    if (ttfb !== undefined) words.push(ttfbText(t, ttfb, locale));
    words.push(t("byteCount", { n: exchange.response?.length ?? summary.length }));
  }
  if (exchange.request) words.push(t("httpAnswers", { request: requestLine(exchange.request.summary) }));
  return words;
}

export function StatusChip({ status, text }: { status: number; text: string }) {
  return (
    <span className={`shrink-0 whitespace-nowrap rounded px-1 font-mono text-[11px] font-semibold ${STATUS_STYLE[statusClass(status)]}`}>{text}</span>
  );
}

/** The label's visible part for an HTTP message (hidden from screen readers: the row's name says it all). */
export function HttpLabel({ summary, exchange, more }: { summary: HttpSummary; exchange: HttpExchange; more: number }) {
  const t = useT("timeline");
  const locale = useLocale();
  const moreChip = more > 0 && (
    <span className="shrink-0 rounded bg-slate-200 px-1 font-mono text-[11px] text-slate-800 dark:bg-slate-700 dark:text-slate-100">+{more}</span>
  );
  if (summary.part === HttpPart.REQUEST) {
    const response = exchange.response;
    return (
      <>
        <span title={requestLine(summary)} className="truncate font-mono font-semibold text-slate-900 dark:text-slate-100">
          {requestLine(summary)}
        </span>
        {moreChip}
        {response ? (
          <StatusChip status={response.summary.status} text={`→ ${response.summary.status}`} />
        ) : (
          <span
            className={`shrink-0 rounded px-1 text-[11px] italic ${
              exchange.state === "unanswered"
                ? "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100"
                : "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100"
            }`}
          >
            {exchange.state === "unanswered" ? t("httpUnanswered") : t("httpWaiting")}
          </span>
        )}
      </>
    );
  }
  const final = exchange.response?.summary === summary;
  const ttfb = final ? timeToFirstByteNs(exchange) : undefined;
  return (
    <>
      <StatusChip status={summary.status} text={statusLine(summary)} />
      {moreChip}
      {final ? (
        <span className="min-w-0 truncate font-mono text-[11px] text-slate-700 dark:text-slate-300">
          {ttfb !== undefined ? `${ttfbText(t, ttfb, locale)} · ` : ""}
          {t("byteCount", { n: exchange.response?.length ?? summary.length })}
        </span>
      ) : (
        <span className="shrink-0 text-[11px] italic text-slate-700 dark:text-slate-300">{t("httpInterim")}</span>
      )}
    </>
  );
}
