"use client";
// What the lab's client got back for one request: the status line (its class in colour, the words say it too), the
// timing, sizes and connection, links that select the request and the response on the timeline, the headers in
// their order, and the body (JSON indented).

import { useId } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import type { HttpExchange } from "@/gen/lab/v1/lab_pb";
import { selectOnTimeline } from "../lesson-kit/navigate";
import { prettyBody, statusClass } from "./model";

const CLASS_LOOK: Readonly<Record<number, string>> = {
  0: "bg-red-50 text-red-900 ring-red-600/40 dark:bg-red-950 dark:text-red-100",
  1: "bg-slate-100 text-slate-900 ring-slate-500/40 dark:bg-slate-800 dark:text-slate-100",
  2: "bg-emerald-50 text-emerald-900 ring-emerald-600/40 dark:bg-emerald-950 dark:text-emerald-100",
  3: "bg-blue-50 text-blue-900 ring-blue-600/40 dark:bg-blue-950 dark:text-blue-100",
  4: "bg-amber-50 text-amber-950 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-100",
  5: "bg-red-50 text-red-900 ring-red-600/40 dark:bg-red-950 dark:text-red-100",
};

const linkClass =
  "text-sm text-blue-800 underline hover:no-underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:text-blue-300 dark:focus-visible:outline-blue-300";

/** A link to an event: a real href (?e=seq) that works without script too, handled as the timeline selects. */
export function TimelineLink({ seq, children }: { seq: bigint; children: React.ReactNode }) {
  return (
    <a
      href={`?e=${seq}`}
      className={linkClass}
      onClick={(e) => {
        e.preventDefault();
        selectOnTimeline(seq);
      }}
    >
      {children}
    </a>
  );
}

/** Milliseconds in the reader's number format (42.1 or 42,1), two decimals below 10. */
const ms = (value: number, locale: string) => {
  const digits = value < 10 ? 2 : 1;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
};

export function ExchangeView({ exchange: x, n, count, headingLevel }: { exchange: HttpExchange; n: number; count: number; headingLevel: 3 | 4 }) {
  const t = useT("httpComposer");
  const locale = useLocale();
  const H = headingLevel === 3 ? "h3" : "h4";
  const Sub = headingLevel === 3 ? "h4" : "h5";
  const id = useId();
  const contentType = x.headers.find((h) => h.name.toLowerCase() === "content-type")?.value;
  const body = prettyBody(x.body, contentType);
  const statusLine = x.status ? `${x.version} ${x.status} ${x.reason}`.trim() : "—";
  return (
    <article aria-labelledby={id} className="min-w-0 space-y-3 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
      <H id={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {t("hopHeading", { n, count, line: `${x.method} ${x.target}` })}
      </H>
      <p className="flex flex-wrap items-center gap-2">
        <span data-testid="status-line" className={`rounded px-2 py-0.5 font-mono text-sm font-semibold ring-1 ring-inset ${CLASS_LOOK[statusClass(x.status)]}`}>
          {statusLine}
        </span>
        <span className="text-xs text-slate-700 dark:text-slate-300">
          {[
            x.status ? t("ttfb", { ms: ms(x.ttfbMs, locale) }) : undefined,
            t("total", { ms: ms(x.totalMs, locale) }),
            t("sizes", { request: Number(x.requestBytes), response: Number(x.responseBytes) }),
            t(x.reused ? "connectionReused" : "connectionNew"),
          ]
            .filter(Boolean)
            .join(" · ")}
        </span>
      </p>
      <p className="flex flex-wrap gap-x-4 gap-y-1">
        {x.requestSeq > 0n && <TimelineLink seq={x.requestSeq}>{t("showRequest")}</TimelineLink>}
        {x.responseSeq > 0n && <TimelineLink seq={x.responseSeq}>{t("showResponse")}</TimelineLink>}
      </p>
      {x.headers.length > 0 && (
        // The final answer's headers open; a redirect's, folded.
        <details className="text-sm" open={n === count}>
          <summary className="cursor-pointer font-medium">{t("responseHeaders")}</summary>
          <dl className="mt-1 grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-3 font-mono text-xs">
            {x.headers.map((h, i) => (
              <div key={i} className="contents">
                <dt className="text-slate-700 dark:text-slate-300">{h.name}:</dt>
                <dd className="break-all">{h.value}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      <div className="space-y-1">
        <Sub className="text-sm font-medium">{t("responseBody")}</Sub>
        {x.body.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">{t("bodyEmpty")}</p>
        ) : (
          <>
            {x.bodyTruncated && <p className="text-xs text-slate-700 dark:text-slate-300">{t("bodyTruncated", { shown: x.body.length, total: Number(x.bodyLength) })}</p>}
            {/* tabIndex: a scrollable region must be reachable by keyboard (WCAG 2.1.1). */}
            <pre
              tabIndex={0}
              aria-label={t("responseBody")}
              className="max-h-80 overflow-auto rounded bg-slate-50 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-words focus-visible:outline-2 focus-visible:outline-blue-700 dark:bg-slate-950 dark:focus-visible:outline-blue-300"
            >
              {body.text}
            </pre>
          </>
        )}
      </div>
    </article>
  );
}
