"use client";
// Experiment 9: CORS and the preflight (Fetch standard, "CORS protocol"). The page may not call the HTTP port
// itself (its Content-Security-Policy allows only its own origin), so the lab's client sends what a browser on this
// page would: OPTIONS with Origin, Access-Control-Request-Method and Access-Control-Request-Headers, for a PUT (the
// users API allows it) or a PATCH (it does not). The panel reads the answer's Access-Control-* headers as a browser
// does, and only when they allow it sends the request itself, with its Origin.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { HttpExchange } from "@/gen/lab/v1/lab_pb";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, buttonSecondary, ErrorText, Panel, selectClass } from "../lesson-kit/ui";
import { ExchangeList } from "./exchange-view";
import { preflightVerdict, type PreflightVerdict } from "./model";
import { finalExchange, useHttpRuns } from "./use-http";

const URL = "/api/users/1";
/** Alice as the seed has her: the PUT changes nothing, so the experiment leaves the data as it was. */
const ALICE = JSON.stringify({ name: "Alice", email: "alice@example.com", age: 30 });
const METHODS = ["PUT", "PATCH"] as const;

export function CorsPanel() {
  const t = useT("httpLesson");
  const id = useId();
  const http = useHttpRuns();
  const [method, setMethod] = useState<(typeof METHODS)[number]>("PUT");
  const [preflight, setPreflight] = useState<{ exchange: HttpExchange; verdict: PreflightVerdict; method: string; origin: string }>();
  const [actual, setActual] = useState<HttpExchange>();

  async function ask() {
    const origin = window.location.origin;
    setActual(undefined);
    const answer = finalExchange(
      await http.send(
        {
          method: "OPTIONS",
          url: URL,
          headers: [
            ["Origin", origin],
            ["Access-Control-Request-Method", method],
            ["Access-Control-Request-Headers", "content-type"],
          ],
        },
        "replace",
      ),
    );
    if (answer) setPreflight({ exchange: answer, verdict: preflightVerdict(answer.headers, origin, method, ["content-type"], answer.status), method, origin });
  }

  async function send() {
    if (!preflight) return;
    const answer = finalExchange(
      await http.send({ method: preflight.method, url: URL, headers: [["Origin", preflight.origin], ["Content-Type", "application/json"]], body: ALICE }, "replace"),
    );
    if (answer) setActual(answer);
  }

  const allowHeaders = preflight?.exchange.headers.filter((h) => h.name.toLowerCase().startsWith("access-control-")) ?? [];
  const check = (ok: boolean, key: "corsOrigin" | "corsMethod" | "corsHeaders") => (
    <li>
      <span aria-hidden="true">{ok ? "✓ " : "✕ "}</span>
      {t(key, { ok: ok ? "yes" : "no", method: preflight?.method ?? "" })}
    </li>
  );

  return (
    <Panel id="http-cors" title={t("corsTitle")}>
      <Paragraphs texts={[t("corsP1")]} />
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1" htmlFor={`${id}-method`}>
          {t("corsMethodLabel")}
          <select id={`${id}-method`} className={`${selectClass} py-1.5`} value={method} onChange={(e) => setMethod(e.target.value as (typeof METHODS)[number])}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className={buttonPrimary} disabled={http.pending} onClick={() => void ask()}>
          {t("corsAsk")}
        </button>
      </div>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {preflight && <TimelineNotice />}
      {preflight && (
        <div aria-live="polite" className="space-y-3 text-sm">
          <ExchangeList exchanges={[preflight.exchange]} label={t("corsPreflight")} />
          <ul aria-label={t("corsAnswerHeaders")} className="space-y-0.5 font-mono text-xs break-all">
            {allowHeaders.map((h, i) => (
              <li key={i}>
                {h.name}: {h.value}
              </li>
            ))}
          </ul>
          <ul aria-label={t("corsChecks")} className="space-y-0.5">
            {check(preflight.verdict.origin, "corsOrigin")}
            {check(preflight.verdict.method, "corsMethod")}
            {check(preflight.verdict.headers, "corsHeaders")}
          </ul>
          <p className="font-medium" data-testid="cors-verdict">
            {t(preflight.verdict.allowed ? "corsAllowed" : "corsRefused", { method: preflight.method })}
          </p>
          {preflight.verdict.allowed && (
            <button type="button" className={buttonSecondary} disabled={http.pending} onClick={() => void send()}>
              {t("corsSend", { method: preflight.method })}
            </button>
          )}
          {actual && <ExchangeList exchanges={[actual]} label={t("corsActual")} />}
        </div>
      )}
    </Panel>
  );
}
