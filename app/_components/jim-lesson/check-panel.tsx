"use client";
// The conformance check for the student's own JIM server (issue 13 §5): host and port in, seed 002's cases out, each
// with the bytes the lab sent, the objects it got back, a verdict and why. Only this machine and the addresses the
// instructor allowed are reachable (the host refuses the rest). Every case's connection is on the timeline.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { JimCheckVerdict, type JimCheckCase } from "@/gen/lab/v1/lab_pb";
import { useLabCall } from "../lesson-kit/lab-call";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, inputClass, Panel } from "../lesson-kit/ui";
import { useServicePort } from "../lesson-kit/service-port";
import { labClient } from "../lab-client";

type T = ReturnType<typeof useT<"jimLesson">>;

const CASE_KEYS = {
  presence: "casePresence",
  presence_split: "casePresenceSplit",
  two_in_one: "caseTwoInOne",
  bad_json: "caseBadJson",
  unknown_user: "caseUnknownUser",
  quit: "caseQuit",
} as const;

const REASON_KEYS = {
  ok: "reasonOk",
  no_reply: "reasonNoReply",
  one_reply: "reasonOneReply",
  closed: "reasonClosed",
  closed_instead: "reasonClosedInstead",
  not_json: "reasonNotJson",
  not_object: "reasonNotObject",
  no_response: "reasonNoResponse",
  not_integer: "reasonNotInteger",
  wrong_code: "reasonWrongCode",
  no_time: "reasonNoTime",
  no_error: "reasonNoError",
  not_ascii: "reasonNotAscii",
  not_closed: "reasonNotClosed",
  connect_failed: "reasonConnectFailed",
} as const;

function caseName(t: T, id: string): string {
  const key = CASE_KEYS[id as keyof typeof CASE_KEYS];
  return key ? t(key) : id;
}

function reasonText(t: T, c: JimCheckCase): string {
  const key = REASON_KEYS[c.reason as keyof typeof REASON_KEYS];
  return key ? t(key, { want: c.args.want ?? "", got: c.args.got ?? "", code: c.args.code ?? "" }) : c.reason;
}

const VERDICT_LOOK: Record<JimCheckVerdict, { icon: string; key: "verdictPass" | "verdictWarn" | "verdictFail"; className: string }> = {
  [JimCheckVerdict.PASS]: { icon: "✓", key: "verdictPass", className: "bg-emerald-50 text-emerald-800 ring-emerald-600/40 dark:bg-emerald-950 dark:text-emerald-200" },
  [JimCheckVerdict.WARN]: { icon: "!", key: "verdictWarn", className: "bg-amber-50 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-100" },
  [JimCheckVerdict.FAIL]: { icon: "✕", key: "verdictFail", className: "bg-red-50 text-red-800 ring-red-600/40 dark:bg-red-950 dark:text-red-200" },
  [JimCheckVerdict.UNSPECIFIED]: { icon: "?", key: "verdictFail", className: "" },
};

const decoder = new TextDecoder();
const shown = (parts: readonly Uint8Array[]) => parts.map((p) => decoder.decode(p).trim()).join("\n");

export function CheckPanel() {
  const t = useT("jimLesson");
  const labPort = useServicePort("jim");
  const call = useLabCall();
  const [host, setHost] = useState("127.0.0.1");
  const [port, setPort] = useState("");
  const [cases, setCases] = useState<readonly JimCheckCase[]>();
  const hostId = useId();
  const portId = useId();
  const portValue = port === "" ? labPort + 1 : Number(port);

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    setCases(undefined);
    const result = await call.run(() => labClient().checkJimServer({ host, port: portValue }));
    if (result) setCases(result.cases);
  }

  const passed = cases?.filter((c) => c.verdict === JimCheckVerdict.PASS).length ?? 0;

  return (
    <Panel id="jim-check" title={t("checkTitle")}>
      <Paragraphs texts={[t("checkP1"), t("checkP2", { port: String(labPort), next: String(labPort + 1) })]} />
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-2" aria-label={t("checkForm")}>
        <div className="flex-1 basis-40">
          <label htmlFor={hostId} className="block text-sm font-medium">
            {t("checkHost")}
          </label>
          <input id={hostId} value={host} onChange={(e) => setHost(e.target.value)} className={inputClass} autoComplete="off" spellCheck={false} />
        </div>
        <div className="w-28">
          <label htmlFor={portId} className="block text-sm font-medium">
            {t("checkPort")}
          </label>
          <input
            id={portId}
            inputMode="numeric"
            value={port}
            placeholder={String(labPort + 1)}
            onChange={(e) => setPort(e.target.value.replace(/\D/g, ""))}
            className={inputClass}
            autoComplete="off"
          />
        </div>
        <button type="submit" className={buttonPrimary} disabled={call.pending}>
          {call.pending ? t("checkRunning") : t("checkRun")}
        </button>
      </form>
      {call.error && <ErrorText>{call.error}</ErrorText>}
      <div aria-live="polite">
        {cases && (
          <>
            <p className="font-medium">{t("checkSummary", { passed, total: cases.length })}</p>
            <ol aria-label={t("checkResults")} className="mt-2 space-y-3">
              {cases.map((c) => {
                const look = VERDICT_LOOK[c.verdict];
                return (
                  <li key={c.id} className="space-y-1 rounded border border-slate-200 p-2 dark:border-slate-700">
                    <p className="flex flex-wrap items-center gap-2">
                      <span className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.className}`}>
                        <span aria-hidden="true">{look.icon}</span>
                        {t(look.key)}
                      </span>
                      <span className="font-medium">{caseName(t, c.id)}</span>
                    </p>
                    <p className="text-sm">
                      <Rich text={reasonText(t, c)} />
                    </p>
                    <div className="grid gap-2 md:grid-cols-2">
                      <div>
                        <p className="text-xs text-slate-700 dark:text-slate-300">{t("checkSent")}</p>
                        <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-900 dark:bg-slate-950 dark:text-slate-100">
                          {shown(c.sent) || "—"}
                        </pre>
                      </div>
                      <div>
                        <p className="text-xs text-slate-700 dark:text-slate-300">{t("checkGot")}</p>
                        <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-900 dark:bg-slate-950 dark:text-slate-100">
                          {shown(c.received) || "—"}
                        </pre>
                      </div>
                    </div>
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </div>
    </Panel>
  );
}
