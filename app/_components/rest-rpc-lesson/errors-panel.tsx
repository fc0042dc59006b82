"use client";
// Experiment: the same mistake three ways. A dummy that does not exist, read over REST (404 {"detail": "Not
// found."}), and a procedure that does not exist, called over JSON-RPC 2.0 (200 with an error object, code -32601)
// and over XML-RPC (200 with a fault, faultCode -32601). The panel shows the status line and the body each answer
// came with, as the lab's HTTP client read them.

import { useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { HttpExchange } from "@/gen/lab/v1/lab_pb";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { BytesText, buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { ShowButton, StatusBadge } from "../http-lesson/exchange-view";
import { decodeBody, useHttpRuns } from "../http-lesson/use-http";
import { ERRORS, procedureOf, type Style } from "./calls";
import { STYLE_NAME } from "./style-names";

export function ErrorsPanel() {
  const t = useT("restRpcLesson");
  const http = useHttpRuns();
  const [rows, setRows] = useState<readonly { style: Style; procedure?: string; exchange: HttpExchange }[]>([]);

  function run() {
    void http.sendEach(
      ERRORS.map((e) => e.spec),
      (done) => setRows(done.map((exchange, i) => ({ style: ERRORS[i]!.style, procedure: procedureOf(ERRORS[i]!.spec), exchange }))),
    );
  }

  return (
    <Panel id="rr-errors" title={t("errTitle")}>
      <Paragraphs texts={[t("errP1")]} />
      <button type="button" className={buttonPrimary} disabled={http.pending} onClick={run}>
        {t("errRun")}
      </button>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {rows.length > 0 && <TimelineNotice />}
      <ul aria-live="polite" aria-label={t("errList")} className="space-y-3 text-sm">
        {rows.map(({ style, procedure, exchange }) => (
          <li key={style} data-style={style} className="min-w-0 space-y-1 rounded border border-slate-200 p-2 dark:border-slate-700">
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{t(STYLE_NAME[style])}</span>
              <code className="font-mono break-all">
                {exchange.method} {exchange.target}
              </code>
              {procedure && <span>{t("errCalls", { procedure })}</span>}
              <span aria-hidden="true">→</span>
              <StatusBadge status={exchange.status} reason={exchange.reason} />
              <ShowButton seq={exchange.responseSeq}>{t("showShort")}</ShowButton>
            </p>
            <BytesText text={decodeBody(exchange)} />
          </li>
        ))}
      </ul>
    </Panel>
  );
}
