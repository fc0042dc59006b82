"use client";
// Experiment: round trips. Three dummies read as three REST requests, as one REST request that filters the
// collection by repeated ?id= (seed 004), and three procedure calls as one JSON-RPC 2.0 batch. Each way is sent by
// the lab's HTTP client on a kept-alive connection; the panel counts the requests (each one a round trip: its
// answer comes before the next request leaves), the bytes each way and the time from first request to last answer.

import { useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { HttpExchange } from "@/gen/lab/v1/lab_pb";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonSecondary, ErrorText, Panel } from "../lesson-kit/ui";
import { ExchangeList, formatMs } from "../http-lesson/exchange-view";
import { useHttpRuns } from "../http-lesson/use-http";
import { BATCHES } from "./calls";

type Way = keyof typeof BATCHES;
const WAYS: readonly Way[] = ["rest", "filter", "batch"];
const BUTTON = { rest: "batRest", filter: "batFilter", batch: "batBatch" } as const;

export function BatchPanel() {
  const t = useT("restRpcLesson");
  const http = useHttpRuns();
  const [results, setResults] = useState<Partial<Record<Way, readonly HttpExchange[]>>>({});

  function run(way: Way) {
    void http.sendEach(BATCHES[way], (done) => setResults((prev) => ({ ...prev, [way]: done })));
  }

  return (
    <Panel id="rr-batches" title={t("batTitle")}>
      <Paragraphs texts={[t("batP1")]} />
      <div className="flex flex-wrap gap-2">
        {WAYS.map((way) => (
          <button key={way} type="button" className={buttonSecondary} disabled={http.pending} onClick={() => run(way)}>
            {t(BUTTON[way])}
          </button>
        ))}
      </div>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {Object.keys(results).length > 0 && <TimelineNotice />}
      <div className="space-y-4">
        {WAYS.map((way) => {
          const exchanges = results[way];
          if (!exchanges || exchanges.length === 0) return null;
          const sent = exchanges.reduce((n, x) => n + Number(x.requestBytes), 0);
          const got = exchanges.reduce((n, x) => n + Number(x.responseBytes), 0);
          const ms = exchanges.reduce((n, x) => n + x.totalMs, 0);
          return (
            <section key={way} aria-labelledby={`rr-bat-${way}`} className="space-y-2">
              <h4 id={`rr-bat-${way}`} className="font-semibold">
                {t(BUTTON[way])}
              </h4>
              <p aria-live="polite" data-testid={`rr-trips-${way}`} className="text-sm font-medium">
                {t("batSummary", { trips: exchanges.length, sent, got, ms: formatMs(ms) })}
              </p>
              <ExchangeList exchanges={exchanges} label={t(BUTTON[way])} />
            </section>
          );
        })}
      </div>
    </Panel>
  );
}
