"use client";
// Experiment 5: redirects (RFC 9110 §15.4), followed by the lab's client or not. Seed 003's GET / -> 302 -> /posts,
// and the server's other examples: 301, 302 and 303 lead to /posts, 307 and 308 to the echo address, which answers
// with the method and body it read (so a POST kept as a POST shows its body arriving again), and a loop that
// leads to itself until the client gives up. Every hop is its own exchange on the timeline.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { HttpClientError } from "@/gen/lab/v1/lab_pb";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, Panel, selectClass } from "../lesson-kit/ui";
import { ExchangeList } from "./exchange-view";
import { decodeBody, finalExchange, useHttpRuns } from "./use-http";

export const REDIRECT_TARGETS = ["/", "/redirect/301", "/redirect/302", "/redirect/303", "/redirect/307", "/redirect/308", "/redirect/loop"] as const;
/** What the client tells the server in a POST, so the echo can show whether it arrived again. */
export const REDIRECT_POST_BODY = '{"note": "sent with POST"}';
/** The hops the panel lets the client follow before it gives up on a loop. */
export const REDIRECT_LIMIT = 10;

/** What the echo address read, from its JSON answer; undefined for any other answer. */
export function echoOf(body: string): { method: string; bodyLength: number } | undefined {
  try {
    const parsed = JSON.parse(body) as { method?: unknown; bodyLength?: unknown };
    return typeof parsed.method === "string" && typeof parsed.bodyLength === "number" ? { method: parsed.method, bodyLength: parsed.bodyLength } : undefined;
  } catch {
    return undefined;
  }
}

export function RedirectPanel() {
  const t = useT("httpLesson");
  const id = useId();
  const http = useHttpRuns();
  const [target, setTarget] = useState<string>("/");
  const [method, setMethod] = useState<"GET" | "POST">("GET");
  const [follow, setFollow] = useState(true);
  const run = http.runs.at(-1);
  const last = finalExchange(run);
  const echo = last && last.target === "/http/echo" ? echoOf(decodeBody(last)) : undefined;

  function send() {
    void http.send(
      {
        method,
        url: target,
        headers: method === "POST" ? [["Content-Type", "application/json"]] : [],
        body: method === "POST" ? REDIRECT_POST_BODY : "",
        follow,
        maxRedirects: REDIRECT_LIMIT,
      },
      "replace",
    );
  }

  return (
    <Panel id="http-redirects" title={t("redTitle")}>
      <Paragraphs texts={[t("redP1")]} />
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1" htmlFor={`${id}-target`}>
          {t("redTarget")}
          <select id={`${id}-target`} className={`${selectClass} py-1.5`} value={target} onChange={(e) => setTarget(e.target.value)}>
            {REDIRECT_TARGETS.map((path) => (
              <option key={path} value={path}>
                {path === "/" ? t("redSeed") : path}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1" htmlFor={`${id}-method`}>
          {t("redMethod")}
          <select id={`${id}-method`} className={`${selectClass} py-1.5`} value={method} onChange={(e) => setMethod(e.target.value as "GET" | "POST")}>
            <option value="GET">GET</option>
            <option value="POST">POST</option>
          </select>
        </label>
        <label className="flex items-center gap-2 py-1.5">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} className="size-4" />
          {t("redFollow")}
        </label>
        <button type="button" className={buttonPrimary} disabled={http.pending} onClick={send}>
          {t("redSend")}
        </button>
      </div>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {run && <TimelineNotice />}
      <div aria-live="polite" className="space-y-2 text-sm">
        {run && <p>{t("redHops", { n: run.exchanges.length })}</p>}
        {run && <ExchangeList exchanges={run.exchanges} label={t("redExchanges")} />}
        {echo && (
          <p>
            <Rich text={t("redEcho", { method: echo.method, n: echo.bodyLength })} />
          </p>
        )}
        {run?.error === HttpClientError.TOO_MANY_REDIRECTS && <p>{t("redTooMany", { n: REDIRECT_LIMIT })}</p>}
      </div>
    </Panel>
  );
}
