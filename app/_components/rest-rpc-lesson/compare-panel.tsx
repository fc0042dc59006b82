"use client";
// Experiment: one request of each kind, side by side. A REST read of one dummy, and the procedure upper("hello") as
// a JSON-RPC 2.0 call and as an XML-RPC call (seed 004), sent by the lab's HTTP client one after another. The table
// says what each request line tells an onlooker (the resource, or only the endpoint), which procedure the body
// names, the status, and the bytes each way: the whole messages, and the bodies alone.

import { useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { HttpExchange } from "@/gen/lab/v1/lab_pb";
import { utf8 } from "../lesson-kit/bytes";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { ShowButton, StatusBadge } from "../http-lesson/exchange-view";
import { useHttpRuns, type HttpRequestSpec } from "../http-lesson/use-http";
import { COMPARE, procedureOf, type Style } from "./calls";
import { STYLE_NAME } from "./style-names";

interface Row {
  readonly style: Style;
  readonly spec: HttpRequestSpec;
  readonly exchange: HttpExchange;
}

export function ComparePanel() {
  const t = useT("restRpcLesson");
  const http = useHttpRuns();
  const [rows, setRows] = useState<readonly Row[]>([]);

  function run() {
    void http.sendEach(
      COMPARE.map((c) => c.spec),
      (done) => setRows(done.map((exchange, i) => ({ ...COMPARE[i]!, exchange }))),
    );
  }

  return (
    <Panel id="rr-compare" title={t("cmpTitle")}>
      <Paragraphs texts={[t("cmpP1")]} />
      <button type="button" className={buttonPrimary} disabled={http.pending} onClick={run}>
        {t("cmpRun")}
      </button>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {rows.length > 0 && <TimelineNotice />}
      {rows.length > 0 && (
        <div aria-live="polite" className="overflow-x-auto">
          <table className="w-full min-w-[36rem] border-collapse text-left text-sm">
            <caption className="text-left font-medium">{t("cmpCaption")}</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-600">
                <th scope="col" className="py-1 pr-2">{t("colStyle")}</th>
                <th scope="col" className="py-1 pr-2">{t("colLine")}</th>
                <th scope="col" className="py-1 pr-2">{t("colProcedure")}</th>
                <th scope="col" className="py-1 pr-2">{t("colStatus")}</th>
                <th scope="col" className="py-1 pr-2 text-right">{t("colSent")}</th>
                <th scope="col" className="py-1 pr-2 text-right">{t("colGot")}</th>
                <th scope="col" className="py-1"><span className="sr-only">{t("showOnTimeline")}</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ style, spec, exchange }) => (
                <tr key={style} data-style={style} className="border-b border-slate-200 align-top dark:border-slate-800">
                  <th scope="row" className="py-1 pr-2 font-medium">{t(STYLE_NAME[style])}</th>
                  <td className="py-1 pr-2 font-mono break-all">
                    {exchange.method} {exchange.target}
                  </td>
                  <td className="py-1 pr-2 font-mono">{procedureOf(spec) ?? t("cmpInUrl")}</td>
                  <td className="py-1 pr-2">
                    <StatusBadge status={exchange.status} reason={exchange.reason} />
                  </td>
                  <td className="py-1 pr-2 text-right font-mono">{t("cmpBytes", { all: Number(exchange.requestBytes), body: utf8(spec.body ?? "").length })}</td>
                  <td className="py-1 pr-2 text-right font-mono">{t("cmpBytes", { all: Number(exchange.responseBytes), body: Number(exchange.bodyLength) })}</td>
                  <td className="py-1">
                    <ShowButton seq={exchange.requestSeq}>{t("showShort")}</ShowButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
