"use client";
// Experiment 1: the course's example exchange (seed 003): GET / is answered 302 Found with Location: /posts, and
// GET /posts is answered 200 with the page. The first button sends GET / and does not follow, so the redirect is
// seen whole; the second follows the Location the server really sent. Each message is shown from the timeline's
// bytes, line by line.

import { useT } from "@/app/_i18n/client";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, buttonSecondary, ErrorText, Panel } from "../lesson-kit/ui";
import { ExchangeList, MessageView } from "./exchange-view";
import { headerValue } from "./model";
import { useHttpRuns } from "./use-http";

export function MessagePanel() {
  const t = useT("httpLesson");
  const http = useHttpRuns();
  const exchanges = http.runs.flatMap((r) => r.exchanges);
  const first = exchanges[0];
  const location = first ? headerValue(first.headers, "location") : undefined;
  const followed = exchanges[1];

  return (
    <Panel id="http-message" title={t("msgTitle")}>
      <Paragraphs texts={[t("msgP1")]} />
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonPrimary} disabled={http.pending} onClick={() => void http.send({ method: "GET", url: "/" }, "replace")}>
          {t("msgSend")}
        </button>
        {location?.startsWith("/") && (
          <button type="button" className={buttonSecondary} disabled={http.pending || followed !== undefined} onClick={() => void http.send({ method: "GET", url: location })}>
            {t("msgFollow", { location })}
          </button>
        )}
      </div>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {first && <TimelineNotice />}
      <div aria-live="polite" className="space-y-4">
        <ExchangeList exchanges={exchanges} label={t("msgExchanges")} />
        {first && (
          <div className="grid min-w-0 grid-cols-1 gap-3">
            <MessageView exchange={first} direction={Direction.CLIENT_TO_SERVER} title={t("msgRequest", { line: `${first.method} ${first.target}` })} />
            <MessageView exchange={first} direction={Direction.SERVER_TO_CLIENT} title={t("msgResponse", { status: first.status })} />
          </div>
        )}
        {location && !followed && (
          <p className="text-sm">
            <Rich text={t("msgLocation", { location })} />
          </p>
        )}
        {followed && (
          <div className="grid min-w-0 grid-cols-1 gap-3">
            <MessageView exchange={followed} direction={Direction.CLIENT_TO_SERVER} title={t("msgRequest", { line: `${followed.method} ${followed.target}` })} />
            <MessageView exchange={followed} direction={Direction.SERVER_TO_CLIENT} title={t("msgResponse", { status: followed.status })} />
          </div>
        )}
      </div>
    </Panel>
  );
}
