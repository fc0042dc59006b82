"use client";
// Experiment 6: persistent connections (RFC 9112 §9.3). Three requests in a row from the lab's client, first as
// HTTP/1.1 sends them by default (the server keeps the connection open and the client reuses it), then each with
// Connection: close (the server closes after its answer, so the next request opens a new connection). The panel
// counts the TCP connections each run used, from the conversations the exchanges went on.

import { useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { HttpExchange } from "@/gen/lab/v1/lab_pb";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonSecondary, ErrorText, Panel } from "../lesson-kit/ui";
import { ExchangeList } from "./exchange-view";
import { connectionsOf } from "./model";
import { useHttpRuns } from "./use-http";

export const KEEP_ALIVE_REQUESTS = 3;
const URL = "/api/health";

type Mode = "keep" | "close";

export function KeepAlivePanel() {
  const t = useT("httpLesson");
  const http = useHttpRuns();
  const [results, setResults] = useState<Partial<Record<Mode, readonly HttpExchange[]>>>({});

  function run(mode: Mode) {
    const spec = { method: "GET", url: URL, headers: mode === "close" ? [["Connection", "close"] as const] : [] };
    void http.sendEach(Array.from({ length: KEEP_ALIVE_REQUESTS }, () => spec), (done) => setResults((prev) => ({ ...prev, [mode]: done })));
  }

  return (
    <Panel id="http-keep-alive" title={t("kaTitle")}>
      <Paragraphs texts={[t("kaP1", { n: KEEP_ALIVE_REQUESTS })]} />
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonSecondary} disabled={http.pending} onClick={() => run("keep")}>
          {t("kaKeep", { n: KEEP_ALIVE_REQUESTS })}
        </button>
        <button type="button" className={buttonSecondary} disabled={http.pending} onClick={() => run("close")}>
          {t("kaClose", { n: KEEP_ALIVE_REQUESTS })}
        </button>
      </div>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {(results.keep || results.close) && <TimelineNotice />}
      <div className="grid grid-cols-1 gap-4">
        {(["keep", "close"] as const).map((mode) => {
          const exchanges = results[mode];
          if (!exchanges) return null;
          const connections = connectionsOf(exchanges).length;
          return (
            <section key={mode} aria-labelledby={`http-ka-${mode}`} className="space-y-2">
              <h4 id={`http-ka-${mode}`} className="font-semibold">
                {t(mode === "keep" ? "kaKeepHeading" : "kaCloseHeading")}
              </h4>
              <p aria-live="polite" data-testid={`ka-count-${mode}`} className="text-sm font-medium">
                {t("kaCount", { requests: exchanges.length, connections })}
              </p>
              <ExchangeList exchanges={exchanges} label={t(mode === "keep" ? "kaKeepHeading" : "kaCloseHeading")} />
            </section>
          );
        })}
      </div>
    </Panel>
  );
}
