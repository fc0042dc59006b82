"use client";
// Experiment 4: a status-code explorer. Each trigger is a real request that makes the lab's HTTP server answer a
// code of one class (RFC 9110 §15): 100 Continue before the final answer to a request that expects it, 200, 201
// and 204 (a JSON-RPC notification), 302 (seed 003's GET /) and 304 (a revalidation with the ETag the server just
// sent), 400, 404, 405, 413 (a body declared over the limit, refused before it is sent), 415, and 5xx from the
// address that answers the status asked for (the server does not fail on purpose). The codes shown are the status
// lines in the response's bytes on the timeline, interim ones included.

import { useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import type { HttpExchange } from "@/gen/lab/v1/lab_pb";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonSecondary, ErrorText, Panel } from "../lesson-kit/ui";
import { useConversation } from "../lesson-kit/use-lesson-timeline";
import { ShowButton, StatusBadge } from "./exchange-view";
import { headerValue, messageBytes, messageLines } from "./model";
import { finalExchange, useHttpRuns, type HttpRequestSpec } from "./use-http";

interface Trigger {
  readonly code: number;
  readonly text: Keys<"httpLesson">;
  /** The request to send, or "revalidate": GET /posts, then again with the ETag it answered (304). */
  readonly spec: HttpRequestSpec | "revalidate";
}

const JSON_TYPE = ["Content-Type", "application/json"] as const;

/** Every class the lab's server can be made to answer, each with a real request. */
export const TRIGGERS: readonly { readonly klass: 1 | 2 | 3 | 4 | 5; readonly triggers: readonly Trigger[] }[] = [
  {
    klass: 1,
    triggers: [
      {
        code: 100,
        text: "st100",
        spec: { method: "POST", url: "/http/echo", headers: [["Content-Type", "text/plain"], ["Expect", "100-continue"]], body: "Hello, server" },
      },
    ],
  },
  {
    klass: 2,
    triggers: [
      { code: 200, text: "st200", spec: { method: "GET", url: "/api/users/1" } },
      {
        code: 201,
        text: "st201",
        spec: { method: "POST", url: "/api/users", headers: [JSON_TYPE], body: JSON.stringify({ name: "Eve", email: "eve@example.com", age: 22 }) },
      },
      { code: 204, text: "st204", spec: { method: "POST", url: "/api/rpc/json", headers: [JSON_TYPE], body: '{"jsonrpc": "2.0", "method": "upper", "params": ["hi"]}' } },
    ],
  },
  {
    klass: 3,
    triggers: [
      { code: 302, text: "st302", spec: { method: "GET", url: "/" } },
      { code: 304, text: "st304", spec: "revalidate" },
    ],
  },
  {
    klass: 4,
    triggers: [
      { code: 400, text: "st400", spec: { method: "POST", url: "/api/users", headers: [JSON_TYPE], body: '{"name": "Eve",' } },
      { code: 404, text: "st404", spec: { method: "GET", url: "/api/users/99" } },
      { code: 405, text: "st405", spec: { method: "DELETE", url: "/api/health" } },
      {
        code: 413,
        text: "st413",
        spec: { method: "POST", url: "/http/echo", headers: [["Content-Type", "text/plain"], ["Content-Length", "2000000"], ["Expect", "100-continue"]] },
      },
      { code: 415, text: "st415", spec: { method: "POST", url: "/api/rpc/json", headers: [["Content-Type", "text/plain"]], body: "add 2 3" } },
    ],
  },
  {
    klass: 5,
    triggers: [
      { code: 500, text: "st500", spec: { method: "GET", url: "/http/status/500" } },
      { code: 503, text: "st503", spec: { method: "GET", url: "/http/status/503" } },
    ],
  },
];

const CLASS_NAME: Record<number, Keys<"httpLesson">> = { 1: "stClass1", 2: "stClass2", 3: "stClass3", 4: "stClass4", 5: "stClass5" };

/** The status lines of an exchange's response as its bytes on the timeline hold them: interim answers first. */
function AnswerLine({ exchange }: { exchange: HttpExchange }) {
  const t = useT("httpLesson");
  const { events } = useConversation(exchange.conversationId);
  const bytes = exchange.responseSeq > 0n ? messageBytes(events, exchange.responseSeq, Direction.SERVER_TO_CLIENT) : new Uint8Array(0);
  const starts = messageLines(bytes)
    .filter((l) => l.part === "start")
    .map((l) => /^HTTP\/\d\.\d (\d{3}) ?(.*)$/.exec(l.text))
    .filter((m): m is RegExpExecArray => m !== null);
  const answers = starts.length > 0 ? starts.map((m) => ({ status: Number(m[1]), reason: m[2] ?? "" })) : [{ status: exchange.status, reason: exchange.reason }];
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span className="sr-only">{t("stAnswered")}</span>
      {answers.map((a, i) => (
        <span key={i} className="inline-flex items-center gap-1">
          {i > 0 && <span>{t("stThen")}</span>}
          {a.status > 0 ? <StatusBadge status={a.status} reason={a.reason} /> : t("noAnswer")}
        </span>
      ))}
      {exchange.responseSeq > 0n && (
        <ShowButton seq={exchange.responseSeq}>{t("showOnTimeline")}</ShowButton>
      )}
    </span>
  );
}

export function StatusPanel() {
  const t = useT("httpLesson");
  const http = useHttpRuns();
  const [results, setResults] = useState<Readonly<Record<number, HttpExchange>>>({});

  async function fire({ code, spec }: Trigger) {
    let request = spec;
    if (request === "revalidate") {
      const first = finalExchange(await http.send({ method: "GET", url: "/posts" }, "replace"));
      const etag = first ? headerValue(first.headers, "etag") : undefined;
      if (!etag) return;
      request = { method: "GET", url: "/posts", headers: [["If-None-Match", etag]] };
    }
    const answer = finalExchange(await http.send(request, "replace"));
    if (answer) setResults((prev) => ({ ...prev, [code]: answer }));
  }

  return (
    <Panel id="http-status" title={t("stTitle")}>
      <Paragraphs texts={[t("stP1")]} />
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {Object.keys(results).length > 0 && <TimelineNotice />}
      <div className="space-y-4">
        {TRIGGERS.map(({ klass, triggers }) => (
          <section key={klass} aria-labelledby={`http-status-${klass}xx`} className="space-y-2">
            <h4 id={`http-status-${klass}xx`} className="font-semibold">
              {t(CLASS_NAME[klass]!)}
            </h4>
            <ul className="space-y-2 text-sm">
              {triggers.map((trigger) => {
                const answer = results[trigger.code];
                return (
                  <li key={trigger.code} className="space-y-1 rounded border border-slate-200 p-2 dark:border-slate-700">
                    <div className="flex flex-wrap items-center gap-2">
                      <button type="button" className={buttonSecondary} disabled={http.pending} onClick={() => void fire(trigger)}>
                        {t("stTrigger", { code: trigger.code })}
                      </button>
                      <span className="min-w-0 text-slate-800 dark:text-slate-200">
                        <Rich text={t(trigger.text)} />
                      </span>
                    </div>
                    {answer && (
                      <p aria-live="polite" className="flex flex-wrap items-center gap-2">
                        <code className="font-mono break-all">
                          {answer.method} {answer.target}
                        </code>
                        <span aria-hidden="true">→</span>
                        <AnswerLine exchange={answer} />
                      </p>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </Panel>
  );
}
