"use client";
// Experiment 7: a chunked answer that drips (RFC 9112 §7.1). GET /http/drip answers with Transfer-Encoding: chunked
// and writes one line every half second; each write leaves as one chunk. The panel lists the reads of the answer
// as the timeline recorded them, with their times, and then the chunks those bytes frame: each size line in hex,
// the data it announces, and the empty last chunk.

import { useT } from "@/app/_i18n/client";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import { visibleText } from "../lesson-kit/bytes";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { useConversation } from "../lesson-kit/use-lesson-timeline";
import { formatMs, ShowButton, StatusBadge } from "./exchange-view";
import { chunksOf, headerValue, messageBytes } from "./model";
import { finalExchange, useHttpRuns } from "./use-http";

export const DRIP_URL = "/http/drip?chunks=5&interval=500";

export function ChunkedPanel() {
  const t = useT("httpLesson");
  const http = useHttpRuns();
  const answer = finalExchange(http.runs.at(-1));
  const { events } = useConversation(answer?.conversationId);
  const reads = answer
    ? events.filter((e) => e.kind === EventKind.DATA && e.direction === Direction.SERVER_TO_CLIENT && e.seq >= answer.responseSeq)
    : [];
  const firstNs = reads[0]?.monoNs;
  const chunks = answer ? chunksOf(messageBytes(events, answer.responseSeq, Direction.SERVER_TO_CLIENT)) : [];

  return (
    <Panel id="http-chunked" title={t("chTitle")}>
      <Paragraphs texts={[t("chP1")]} />
      <button type="button" className={buttonPrimary} disabled={http.pending} onClick={() => void http.send({ method: "GET", url: DRIP_URL }, "replace")}>
        {http.pending ? t("chWaiting") : t("chSend")}
      </button>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {answer && <TimelineNotice />}
      {answer && (
        <div aria-live="polite" className="space-y-3 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <code className="font-mono">GET {DRIP_URL}</code> <span aria-hidden="true">→</span> <StatusBadge status={answer.status} reason={answer.reason} />
            <code className="font-mono">Transfer-Encoding: {headerValue(answer.headers, "transfer-encoding") ?? "-"}</code>
          </p>
          <table className="w-full border-collapse text-left">
            <caption className="text-left font-medium">{t("chReads", { n: reads.length })}</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-600">
                <th scope="col" className="py-1 pr-2">{t("chAfter")}</th>
                <th scope="col" className="py-1 pr-2">{t("chBytes")}</th>
                <th scope="col" className="py-1 pr-2">{t("chCarried")}</th>
                <th scope="col" className="py-1"><span className="sr-only">{t("showOnTimeline")}</span></th>
              </tr>
            </thead>
            <tbody>
              {reads.map((e) => (
                <tr key={String(e.seq)} className="border-b border-slate-200 align-top dark:border-slate-800">
                  <td className="py-1 pr-2 font-mono whitespace-nowrap">{formatMs(Number((e.monoNs - (firstNs ?? e.monoNs)) / 1000n) / 1000)} ms</td>
                  <td className="py-1 pr-2 font-mono">{e.length}</td>
                  <td className="py-1 pr-2 font-mono break-all">{visibleText(new TextDecoder().decode(e.data)).slice(0, 160)}</td>
                  <td className="py-1">
                    <ShowButton seq={e.seq}>{t("showShort")}</ShowButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {chunks.length > 0 && (
            <ol aria-label={t("chChunks")} className="space-y-1">
              {chunks.map((c, i) => (
                <li key={i}>
                  <code className="font-mono">{c.sizeLine}\r\n</code>{" "}
                  {c.size === 0 ? t("chLast") : <>{t("chChunk", { hex: c.sizeLine, n: c.size })} <code className="font-mono">{visibleText(c.data)}</code></>}
                </li>
              ))}
            </ol>
          )}
          <p>{t("chBody", { n: Number(answer.bodyLength) })}</p>
        </div>
      )}
    </Panel>
  );
}
