"use client";
// How the HTTP lessons' panels show what the lab's client did: a list of exchanges (the request line, the status
// the server answered, which connection carried it, the bytes each way, a button that selects it on the
// timeline), and one message as the bytes on the timeline frame it, line by line (start line, headers, the empty
// line, the body), with every line's ending made visible.

import { useT } from "@/app/_i18n/client";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import type { HttpExchange } from "@/gen/lab/v1/lab_pb";
import { visibleText } from "../lesson-kit/bytes";
import { selectOnTimeline } from "../lesson-kit/navigate";
import { buttonSmall } from "../lesson-kit/ui";
import { useConversation } from "../lesson-kit/use-lesson-timeline";
import { connectionsOf, messageBytes, messageLines, type LinePart } from "./model";

const CLASS_LOOK: Record<number, string> = {
  1: "bg-slate-100 text-slate-900 ring-slate-500/40 dark:bg-slate-800 dark:text-slate-100",
  2: "bg-emerald-50 text-emerald-900 ring-emerald-600/40 dark:bg-emerald-950 dark:text-emerald-100",
  3: "bg-blue-50 text-blue-900 ring-blue-600/40 dark:bg-blue-950 dark:text-blue-100",
  4: "bg-amber-50 text-amber-950 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-100",
  5: "bg-red-50 text-red-900 ring-red-600/40 dark:bg-red-950 dark:text-red-100",
};

/** A status code with its reason phrase; the colour repeats the class the first digit says. */
export function StatusBadge({ status, reason }: { status: number; reason: string }) {
  const look = CLASS_LOOK[Math.floor(status / 100)] ?? CLASS_LOOK[1];
  return (
    <span data-status={status} className={`inline-flex items-center rounded px-1.5 py-0.5 font-mono text-xs font-semibold ring-1 ring-inset ${look}`}>
      {status} {reason}
    </span>
  );
}

/** Selects an event on the timeline, as the timeline's own rows do. */
export function ShowButton({ seq, children }: { seq: bigint; children: React.ReactNode }) {
  return (
    <button type="button" className={buttonSmall} onClick={() => selectOnTimeline(seq)}>
      {children}
    </button>
  );
}

/** Milliseconds as a person reads them: 0.4, 3.2, 512. */
export function formatMs(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
}

export function ExchangeList({ exchanges, label }: { exchanges: readonly HttpExchange[]; label: string }) {
  const t = useT("httpLesson");
  const connections = connectionsOf(exchanges);
  if (exchanges.length === 0) return null;
  return (
    <ol aria-label={label} className="space-y-2 text-sm">
      {exchanges.map((x, i) => {
        const connection = connections.indexOf(x.conversationId) + 1;
        return (
          <li key={`${x.conversationId}-${String(x.requestSeq)}-${i}`} className="space-y-1 rounded border border-slate-200 p-2 dark:border-slate-700">
            <p className="flex flex-wrap items-center gap-2">
              <code className="font-mono break-all">
                {x.method} {x.target}
              </code>
              <span aria-hidden="true">→</span>
              {x.status > 0 ? <StatusBadge status={x.status} reason={x.reason} /> : <span>{t("noAnswer")}</span>}
            </p>
            <p className="text-xs text-slate-700 dark:text-slate-300">
              {t(x.reused ? "exConnReused" : "exConnNew", { n: connection })} ·{" "}
              {t("exBytes", { sent: Number(x.requestBytes), got: Number(x.responseBytes) })}
              {x.status > 0 && <> · {t("exTtfb", { ms: formatMs(x.ttfbMs) })}</>}{" "}
              {x.responseSeq > 0n && (
                <ShowButton seq={x.responseSeq}>{t("showOnTimeline")}</ShowButton>
              )}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

const PART_LOOK: Record<LinePart, string> = {
  start: "font-semibold text-blue-900 dark:text-blue-200",
  header: "text-slate-900 dark:text-slate-100",
  blank: "text-slate-600 dark:text-slate-400",
  body: "text-emerald-900 dark:text-emerald-200",
};

/**
 * One message of an exchange as the timeline's bytes hold it (the request, or the response with any interim
 * answer before it), each line labelled with its part. Until the events arrive it says so.
 */
export function MessageView({ exchange, direction, title }: { exchange: HttpExchange; direction: Direction; title: string }) {
  const t = useT("httpLesson");
  const { events } = useConversation(exchange.conversationId);
  const seq = direction === Direction.CLIENT_TO_SERVER ? exchange.requestSeq : exchange.responseSeq;
  const bytes = seq > 0n ? messageBytes(events, seq, direction) : new Uint8Array(0);
  const lines = messageLines(bytes);
  const partName: Record<LinePart, string> = { start: t("partStart"), header: t("partHeader"), blank: t("partBlank"), body: t("partBody") };
  return (
    <figure className="min-w-0 space-y-1">
      <figcaption className="text-sm font-medium">
        {title} <span className="font-normal text-slate-700 dark:text-slate-300">{t("exMessageBytes", { n: bytes.length })}</span>
      </figcaption>
      {lines.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("waitingForTimeline")}</p>
      ) : (
        <table className="w-full table-fixed border-collapse rounded bg-slate-50 font-mono text-xs dark:bg-slate-950">
          <thead className="sr-only">
            <tr>
              <th scope="col">{t("partCol")}</th>
              <th scope="col">{t("lineCol")}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, i) => (
              <tr key={i} data-part={line.part} className="border-b border-slate-200 align-top last:border-0 dark:border-slate-800">
                <th scope="row" className="w-20 px-1.5 py-0.5 text-left font-sans font-normal text-slate-700 sm:w-24 dark:text-slate-300">
                  {partName[line.part]}
                </th>
                <td className={`px-1.5 py-0.5 break-all whitespace-pre-wrap ${PART_LOOK[line.part]}`}>
                  {line.part === "body" ? line.text : visibleText(line.text)}
                  <span className="text-slate-600 dark:text-slate-400">{visibleText(line.ending)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}
