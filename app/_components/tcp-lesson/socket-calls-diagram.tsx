"use client";
// The socket calls of one lab-client connection, client and server side by side, lit up as the
// timeline reports them (mapping in model.ts socketSteps). It is a pair of lists with each call's state
// in words, a marker for the latest call, and a polite live sentence, so it works without colour and
// without sight.

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { Origin, type Conversation } from "@/gen/lab/v1/timeline_pb";
import {
  CLIENT_CALLS,
  SERVER_CALLS,
  SERVER_SETUP_CALLS,
  socketSteps,
  tallyCalls,
  type Call,
  type CallName,
  type CallStep,
  type CallTally,
  type Side,
} from "./model";
import { selectClass } from "./ui";
import { useConversation, useLessonTimeline } from "./use-lesson-timeline";

const LATEST = "latest";
// The 100 KB experiment makes a hundred steps in a blink; a screen reader should hear the last one,
// not all of them.
const ANNOUNCE_MS = 1500;
const LOG_STEPS = 12;

function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const timer = setTimeout(
      () => {
        last.current = Date.now();
        setShown(value);
      },
      Math.max(0, last.current + ms - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}

function useDescribe() {
  const t = useT("tcpLesson");
  return useMemo(() => {
    const call = (c: Call) => {
      const who = t(c.side === "client" ? "sideClient" : "sideServer");
      const what = `${who}: ${c.name}()`;
      if (c.eof) return `${what} ${t("callEof")}`;
      if (c.bytes !== undefined) return `${what} ${t("callBytes", { n: c.bytes })}`;
      return what;
    };
    const step = (s: CallStep) => (s.error ? t("stepError", { code: s.error.code, message: s.error.message }) : s.calls.map(call).join("; "));
    return { call, step };
  }, [t]);
}

function conversationLabel(conversation: Conversation, t: ReturnType<typeof useT<"tcpLesson">>): string {
  return t("diagramConversation", { service: conversation.service, port: String(conversation.client?.port ?? "?") });
}

function CallItem({ side, name, tally }: { side: Side; name: CallName; tally: CallTally | undefined }) {
  const t = useT("tcpLesson");
  const atStart = side === "server" && SERVER_SETUP_CALLS.has(name);
  const accent = side === "client" ? "border-c2s" : "border-s2c";
  let look = "border border-dashed border-slate-300 text-slate-700 dark:border-slate-600 dark:text-slate-300";
  let icon = "○";
  let status = t("callNotYet");
  if (tally) {
    look = tally.latest
      ? `border-2 ${accent} bg-slate-100 font-semibold text-slate-950 dark:bg-slate-800 dark:text-white`
      : "border border-slate-400 text-slate-900 dark:border-slate-500 dark:text-slate-100";
    icon = tally.latest ? "▶" : "✓";
    status = t("callCount", { n: tally.count });
  } else if (atStart) {
    look = "border border-slate-400 text-slate-900 dark:border-slate-500 dark:text-slate-100";
    icon = "✓";
    status = t("callAtStart");
  }
  return (
    <li aria-current={tally?.latest ? "step" : undefined} className={`flex flex-wrap items-baseline gap-x-2 rounded px-2 py-0.5 text-sm ${look}`}>
      <span aria-hidden="true" className="w-3 shrink-0">
        {icon}
      </span>
      <code className="font-mono">{name}()</code>
      <span className="text-xs">{status}</span>
      {tally?.latest && <span className="text-xs uppercase">{t("callNow")}</span>}
    </li>
  );
}

function CallColumn({ side, tally }: { side: Side; tally: Map<CallName, CallTally> }) {
  const t = useT("tcpLesson");
  const names = side === "client" ? CLIENT_CALLS : SERVER_CALLS;
  return (
    <div className="min-w-0">
      <h3 className={`mb-1 border-b-2 pb-0.5 text-sm font-semibold ${side === "client" ? "border-c2s" : "border-s2c"}`}>
        {t(side === "client" ? "diagramClient" : "diagramServer")}
      </h3>
      <ol className="space-y-0.5">
        {names.map((name) => (
          <CallItem key={name} side={side} name={name} tally={tally.get(name)} />
        ))}
      </ol>
    </div>
  );
}

export function SocketCallsDiagram() {
  const t = useT("tcpLesson");
  const describe = useDescribe();
  const selectId = useId();
  const { conversations } = useLessonTimeline();
  const [choice, setChoice] = useState(LATEST);

  const labConversations = useMemo(
    () => [...conversations.values()].filter((c) => c.origin === Origin.LAB_CLIENT),
    [conversations],
  );
  // A chosen connection that the timeline has forgotten (cleared) falls back to the latest.
  const chosen = labConversations.find((c) => c.id === choice);
  const selected = chosen ?? labConversations.at(-1);
  const { events } = useConversation(selected?.id);
  const steps = useMemo(() => socketSteps(events), [events]);
  const tally = useMemo(() => tallyCalls(steps), [steps]);
  const latest = steps.at(-1);
  const announced = useThrottled(latest ? t("latestCall", { text: describe.step(latest) }) : "", ANNOUNCE_MS);
  const log = steps.slice(-LOG_STEPS);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label htmlFor={selectId} className="font-medium">
          {t("diagramFollow")}
        </label>
        <select
          id={selectId}
          value={chosen ? choice : LATEST}
          onChange={(e) => setChoice(e.target.value)}
          className={`${selectClass} min-w-0 max-w-full flex-1 py-1 font-sans`}
        >
          <option value={LATEST}>
            {selected ? t("diagramLatestOf", { label: conversationLabel(selected, t) }) : t("diagramLatest")}
          </option>
          {labConversations.map((c) => (
            <option key={c.id} value={c.id}>
              {conversationLabel(c, t)}
            </option>
          ))}
        </select>
      </div>
      {!selected && <p className="text-sm text-slate-700 dark:text-slate-300">{t("diagramEmpty")}</p>}
      <div className="grid grid-cols-2 gap-3">
        <CallColumn side="client" tally={tally.client} />
        <CallColumn side="server" tally={tally.server} />
      </div>
      <p aria-live="polite" className="min-h-5 text-sm">
        {announced}
      </p>
      {log.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer rounded font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300">
            {t("diagramSteps", { n: steps.length })}
          </summary>
          <ol start={steps.length - log.length + 1} className="mt-2 list-decimal space-y-0.5 pl-8 font-mono text-xs">
            {log.map((step) => (
              <li key={String(step.seq)}>{describe.step(step)}</li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
