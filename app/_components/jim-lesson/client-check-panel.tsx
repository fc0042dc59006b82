"use client";
// Scoring the student's own JIM client (issue 13 §5): the lab's JIM host and port from the running lab, a Go button
// that opens a scoring window (CheckJimClient, server/lab/jim-client-check.ts), and, when the client's connections
// closed or the time ran out, each connection's cases: verdict, why, the object it is about, and a link to the event
// that carried it on the timeline. The mode note says whether the server wants authenticate first.

import { useEffect, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { JimClientVerdict, type CheckJimClientResponse, type JimClientCase } from "@/gen/lab/v1/jim_client_check_pb";
import { CommandBlock } from "../home/command-block";
import { endpointOf } from "../home/commands";
import { usePageHost } from "../home/use-page-host";
import { useLabStatus } from "../lab-status";
import { labClient } from "../lab-client";
import { useLabCall } from "../lesson-kit/lab-call";
import { selectOnTimeline } from "../lesson-kit/navigate";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, buttonSmall, ErrorText, Panel } from "../lesson-kit/ui";
import { homeworkClient } from "./terminal-commands";

type T = ReturnType<typeof useT<"jimLesson">>;

/** How long Go waits for the client (the host allows up to 60). */
export const CLIENT_WINDOW_SECONDS = 30;

const CASE_KEYS = {
  connected: "ccConnected",
  first: "ccFirst",
  json: "ccJson",
  one_per_send: "ccOnePerSend",
  time: "ccTime",
  limits: "ccLimits",
  encoding: "ccEncoding",
  msg: "ccMsg",
  actions: "ccActions",
  waits: "ccWaits",
  answers: "ccAnswers",
  quit: "ccQuit",
} as const;

const REASON_KEYS = {
  nothing_sent: "crNothingSent",
  first_not_object: "crFirstNotObject",
  first_not_presence: "crFirstNotPresence",
  first_no_time: "crFirstNoTime",
  bad_json: "crBadJson",
  not_object: "crNotObject",
  no_action: "crNoAction",
  coalesced: "crCoalesced",
  string_time: "crStringTime",
  time_not_number: "crTimeNotNumber",
  missing_time: "crMissingTime",
  limit_action: "crLimitAction",
  limit_name: "crLimitName",
  limit_message: "crLimitMessage",
  limit_object: "crLimitObject",
  non_ascii: "crNonAscii",
  no_msg: "crNoMsg",
  msg_shape: "crMsgShape",
  unknown_action: "crUnknownAction",
  alias: "crAlias",
  reset: "crReset",
  sent_before_reply: "crSentBeforeReply",
  error_reply: "crErrorReply",
  no_answer: "crNoAnswer",
  quit_not_last: "crQuitNotLast",
  just_closed: "crJustClosed",
  still_open: "crStillOpen",
  truncated: "crTruncated",
} as const;

function reasonText(t: T, c: JimClientCase): string {
  if (c.reason === "ok") return c.id === "connected" ? t("crConnected", { client: c.args.client ?? "" }) : t("crOk");
  const key = REASON_KEYS[c.reason as keyof typeof REASON_KEYS];
  if (!key) return c.reason;
  const a = c.args;
  return t(key, {
    got: a.got ?? "",
    action: a.action ?? "",
    kind: a.kind ?? "",
    count: Number(a.count ?? 0),
    field: a.field ?? "",
    length: a.length ?? "",
    bytes: Number(a.bytes ?? 0),
    missing: a.missing ?? "",
    standard: a.standard ?? "",
    code: a.code ?? "",
    error: a.error ?? "",
    events: a.events ?? "",
  });
}

const LOOK: Record<JimClientVerdict, { icon: string; key: "verdictPass" | "verdictWarn" | "verdictFail" | "clientNote"; className: string }> = {
  [JimClientVerdict.PASS]: { icon: "✓", key: "verdictPass", className: "bg-emerald-50 text-emerald-800 ring-emerald-600/40 dark:bg-emerald-950 dark:text-emerald-200" },
  [JimClientVerdict.WARN]: { icon: "!", key: "verdictWarn", className: "bg-amber-50 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-100" },
  [JimClientVerdict.FAIL]: { icon: "✕", key: "verdictFail", className: "bg-red-50 text-red-800 ring-red-600/40 dark:bg-red-950 dark:text-red-200" },
  [JimClientVerdict.NOTE]: { icon: "i", key: "clientNote", className: "bg-slate-100 text-slate-800 ring-slate-500/40 dark:bg-slate-800 dark:text-slate-100" },
  [JimClientVerdict.UNSPECIFIED]: { icon: "?", key: "clientNote", className: "" },
};

const decoder = new TextDecoder();

/** The lab's JIM server's mode, in words, from the lab's status (nothing while it has not answered). */
export function JimModeNote() {
  const t = useT("jimLesson");
  const result = useLabStatus();
  const mode = result.kind === "ok" ? result.status.services.find((s) => s.name === "jim")?.mode : undefined;
  if (mode !== "guest" && mode !== "accounts") return null;
  return (
    <p data-jim-mode={mode} className="rounded border border-slate-200 bg-slate-50 p-2 text-sm dark:border-slate-700 dark:bg-slate-900">
      <Rich text={t(mode === "accounts" ? "modeAccounts" : "modeGuest")} />
    </p>
  );
}

function CaseItem({ c, t }: { c: JimClientCase; t: T }) {
  const look = LOOK[c.verdict];
  const name = CASE_KEYS[c.id as keyof typeof CASE_KEYS];
  const bytes = decoder.decode(c.bytes).trim();
  // A case that passed as the document asks is one line: what the student needs to read are the others.
  const brief = c.verdict === JimClientVerdict.PASS && c.reason === "ok";
  return (
    <li className={`space-y-1 rounded border border-slate-200 dark:border-slate-700 ${brief ? "px-2 py-1" : "p-2"}`} data-case={c.id}>
      <p className="flex flex-wrap items-center gap-2">
        <span className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.className}`}>
          <span aria-hidden="true">{look.icon}</span>
          {t(look.key)}
        </span>
        <span className="font-medium">{name ? t(name) : c.id}</span>
      </p>
      {!brief && (
        <p className="text-sm">
          <Rich text={reasonText(t, c)} />
        </p>
      )}
      {bytes && !brief && (
        <div className="min-w-0">
          <p className="text-xs text-slate-700 dark:text-slate-300">{t("clientBytes")}</p>
          <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-900 dark:bg-slate-950 dark:text-slate-100">{bytes}</pre>
        </div>
      )}
      {c.seq > 0n && !brief && (
        <button type="button" className={buttonSmall} onClick={() => selectOnTimeline(c.seq)}>
          {t("showOnTimeline")}
          <span className="sr-only"> ({name ? t(name) : c.id})</span>
        </button>
      )}
    </li>
  );
}

export function ClientCheckPanel() {
  const t = useT("jimLesson");
  const endpoint = endpointOf(useLabStatus(), usePageHost(), "jim");
  const call = useLabCall();
  const [result, setResult] = useState<CheckJimClientResponse>();
  const [left, setLeft] = useState(0);

  useEffect(() => {
    if (!call.pending) return;
    const started = Date.now();
    setLeft(CLIENT_WINDOW_SECONDS);
    const timer = setInterval(() => setLeft(Math.max(0, CLIENT_WINDOW_SECONDS - Math.floor((Date.now() - started) / 1000))), 1000);
    return () => clearInterval(timer);
  }, [call.pending]);

  async function go() {
    setResult(undefined);
    const res = await call.run(() => labClient().checkJimClient({ seconds: CLIENT_WINDOW_SECONDS }));
    if (res) setResult(res);
  }

  return (
    <Panel id="jim-client-check" title={t("clientTitle")}>
      <Paragraphs texts={[t("clientP1", { seconds: String(CLIENT_WINDOW_SECONDS) }), t("clientP2")]} />
      <JimModeNote />
      <p className="text-sm">
        {t("clientTarget")}{" "}
        <code className="font-mono" data-jim-target="">
          {endpoint.host}:{endpoint.port}
        </code>
      </p>
      <CommandBlock label={t("clientCommand")} code={homeworkClient(endpoint)} copyName={t("clientCommand")} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={buttonPrimary} disabled={call.pending} onClick={() => void go()}>
          {t("clientGo")}
        </button>
        {call.pending && <span className="text-sm">{t("clientWaiting", { seconds: left })}</span>}
      </div>
      {call.error && <ErrorText>{call.error}</ErrorText>}
      <div aria-live="polite" className="space-y-4">
        {result && result.connections.length === 0 && <p className="font-medium">{t("clientNothing", { port: String(result.port), seconds: String(CLIENT_WINDOW_SECONDS) })}</p>}
        {result && result.ended === "time" && result.connections.length > 0 && <p className="text-sm">{t("clientStillOpen")}</p>}
        {result?.connections.map((conn) => {
          const judged = conn.cases.filter((c) => c.verdict !== JimClientVerdict.NOTE);
          const passed = judged.filter((c) => c.verdict === JimClientVerdict.PASS).length;
          return (
            <section key={conn.conversationId} className="space-y-2">
              <h3 className="font-semibold">{t("clientConnection", { client: conn.client, n: conn.objects })}</h3>
              <p className="font-medium">{t("clientSummary", { passed, total: judged.length })}</p>
              <ol aria-label={t("clientCases", { client: conn.client })} className="space-y-2">
                {conn.cases.map((c) => (
                  <CaseItem key={c.id} c={c} t={t} />
                ))}
              </ol>
            </section>
          );
        })}
      </div>
    </Panel>
  );
}
