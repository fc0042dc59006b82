"use client";
// The socket calls of one lab-client connection, a row for the client and one for the server, lit up
// as the timeline reports them (mapping in model.ts socketSteps). It is a pair of lists with each
// call's state in an icon and in words, a marker for the latest call, and a polite live sentence, so
// it works without colour and without sight.

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { Origin, type Conversation } from "@/gen/lab/v1/timeline_pb";
import {
  CLIENT_CALLS,
  compactSteps,
  ECHO_RECV_SIZE,
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
import { useClientWrites } from "../lesson-kit/client-writes";
import { useMediaQuery } from "../use-media-query";
import { asideBoxClass, asideHeadingClass, selectClass } from "../lesson-kit/ui";
import { useConversation, useLessonTimeline } from "../lesson-kit/use-lesson-timeline";

const LATEST = "latest";
// The 100 KB experiment makes a hundred steps in a blink; a screen reader should hear the last one,
// not all of them.
const ANNOUNCE_MS = 1500;
/** Lines of the steps' log (a run of like steps is a few of them and a count: model.ts compactSteps). */
const LOG_LINES = 16;

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
      if (c.failed !== undefined) return `${what} ${t("callFailed", { code: c.failed })}`;
      if (c.eof) return `${what} ${t("callEof")}`;
      if (c.times !== undefined && c.bytes !== undefined) return `${what} ${t("callTimes", { times: c.times, n: c.bytes })}`;
      if (c.bytes !== undefined) return `${what} ${t("callBytes", { n: c.bytes })}`;
      return what;
    };
    const step = (s: CallStep) => {
      // A call that failed says so itself (connect() refused); an error on an open connection has no call of its own.
      if (s.error && s.calls.length === 0) return t("stepError", { code: s.error.code, message: s.error.message });
      const calls = s.calls.map(call).join("; ");
      return s.error && s.error.message !== "" ? `${calls}. ${s.error.message}` : calls;
    };
    return { call, step };
  }, [t]);
}

function conversationLabel(conversation: Conversation, t: ReturnType<typeof useT<"tcpLesson">>): string {
  return t("diagramConversation", { service: conversation.service, port: String(conversation.client?.port ?? "?") });
}

const chip = "inline-flex max-w-full flex-wrap items-baseline gap-x-1 rounded px-1 py-px text-xs";

/**
 * One call as a chip. Its state is in the icon (✓ done, ▶ part of the latest step, ○ not yet) and
 * in words for screen readers and as a tooltip; how often it happened is shown as ×n.
 */
function CallChip({ side, name, tally }: { side: Side; name: CallName; tally: CallTally | undefined }) {
  const t = useT("tcpLesson");
  const accent = side === "client" ? "border-c2s" : "border-s2c";
  let look = "border border-dashed border-slate-400 text-slate-700 dark:border-slate-500 dark:text-slate-300";
  let icon = "○";
  let status = t("callNotYet");
  if (tally) {
    look = tally.latest
      ? `border-2 ${accent} bg-slate-100 font-semibold text-slate-950 dark:bg-slate-800 dark:text-white`
      : "border border-slate-400 text-slate-900 dark:border-slate-500 dark:text-slate-100";
    icon = tally.latest ? "▶" : "✓";
    status = t("callCount", { n: tally.count });
    if (tally.failed !== undefined) {
      // Made, and it returned an error: not done.
      look = "border-2 border-red-600 text-red-800 dark:border-red-400 dark:text-red-200";
      icon = "✕";
      status = `${status}, ${t("callFailed", { code: tally.failed })}`;
    }
    if (tally.latest) status = `${status}, ${t("callNow")}`;
  }
  return (
    <li aria-current={tally?.latest ? "step" : undefined} title={status} className={`${chip} ${look}`}>
      <span aria-hidden="true">{icon}</span>
      <code className="font-mono">{name}()</code>
      {tally && tally.count > 1 && (
        <span aria-hidden="true" className="tabular-nums">
          ×{tally.count}
        </span>
      )}
      <span className="sr-only">: {status}</span>
    </li>
  );
}

/** The server's socket(), bind() and listen(), made once when the lab host started: one chip. */
function SetupChip() {
  const t = useT("tcpLesson");
  const names = SERVER_CALLS.filter((name) => SERVER_SETUP_CALLS.has(name));
  return (
    <li className={`${chip} border border-slate-400 text-slate-900 dark:border-slate-500 dark:text-slate-100`}>
      <span aria-hidden="true">✓</span>
      <code className="font-mono">{names.map((name) => `${name}()`).join(" ")}</code>
      <span className="text-slate-700 dark:text-slate-300">
        <span className="sr-only">: </span>
        {t("callAtStart")}
      </span>
    </li>
  );
}

/** One side's calls in a row that wraps: a heading, then the calls in the order a program makes them. */
function CallRow({ side, tally }: { side: Side; tally: Map<CallName, CallTally> }) {
  const t = useT("tcpLesson");
  const headingId = useId();
  const names = side === "client" ? CLIENT_CALLS : SERVER_CALLS.filter((name) => !SERVER_SETUP_CALLS.has(name));
  return (
    <>
      <h3
        id={headingId}
        className={`border-l-4 pl-1.5 text-sm font-semibold leading-6 ${side === "client" ? "border-c2s" : "border-s2c"}`}
      >
        {t(side === "client" ? "diagramClient" : "diagramServer")}
      </h3>
      <ol aria-labelledby={headingId} className="flex min-w-0 flex-wrap items-center gap-1">
        {side === "server" && <SetupChip />}
        {names.map((name) => (
          <CallChip key={name} side={side} name={name} tally={tally.get(name)} />
        ))}
      </ol>
    </>
  );
}

/** True on a wide screen too short for the diagram and the timeline's details together (1024×768). */
const SHORT_WIDE = "(min-width: 64rem) and (max-height: 50rem)";

export interface SocketCallsDiagramProps {
  /** The id of the diagram's heading, which the lesson's table of contents links to. */
  readonly headingId: string;
  readonly title: string;
}

/**
 * Compact, to sit above the timeline: a heading row with the connection picker, one wrapping row of
 * call chips per side, the latest step in words (also announced), and the steps so far on demand.
 * The heading is a disclosure button (APG accordion): closed, only the latest step stays, which is how
 * it starts on a short wide screen so that the timeline's details fit beside it.
 */
export function SocketCallsDiagram({ headingId, title }: SocketCallsDiagramProps) {
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
  const writes = useClientWrites(selected?.id);
  // The echo server reads as the course's does, recv(1024) at a time: the stream experiment counts those reads.
  const recvSize = selected?.service === "tcp-echo" ? ECHO_RECV_SIZE : undefined;
  const steps = useMemo(() => socketSteps(events, { writes, recvSize }), [events, writes, recvSize]);
  const tally = useMemo(() => tallyCalls(steps), [steps]);
  const latest = steps.at(-1);
  const latestText = latest ? t("latestCall", { text: describe.step(latest) }) : "";
  const announced = useThrottled(latestText, ANNOUNCE_MS);
  const log = useMemo(() => compactSteps(steps).slice(-LOG_LINES), [steps]);
  const bodyId = useId();
  const short = useMediaQuery(SHORT_WIDE);
  const [openChoice, setOpenChoice] = useState<boolean | null>(null);
  const open = openChoice ?? !short;

  return (
    <section aria-labelledby={headingId} className={`@container space-y-2 ${asideBoxClass}`}>
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <h2 id={headingId} className={asideHeadingClass}>
          <button
            type="button"
            aria-expanded={open}
            aria-controls={bodyId}
            onClick={() => setOpenChoice(!open)}
            className="flex items-baseline gap-1.5 rounded text-left focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300"
          >
            <span aria-hidden="true" className="inline-block w-3 text-sm text-slate-600 dark:text-slate-400">
              {open ? "▾" : "▸"}
            </span>
            {title}
          </button>
        </h2>
        <div className="flex min-w-0 max-w-full flex-1 basis-64 items-center gap-2 text-sm">
          <label htmlFor={selectId} className="shrink-0 font-medium">
            {t("diagramFollow")}
          </label>
          <select
            id={selectId}
            value={chosen ? choice : LATEST}
            onChange={(e) => setChoice(e.target.value)}
            className={`${selectClass} min-w-0 flex-1 py-0.5 font-sans`}
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
      </div>
      <div id={bodyId} hidden={!open} className="space-y-2">
        <p className="text-xs text-slate-700 dark:text-slate-300">{t("diagramLead")}</p>
        {!selected && <p className="text-sm text-slate-700 dark:text-slate-300">{t("diagramEmpty")}</p>}
        {/* Each side's heading beside its calls when there is room, above them when not. */}
        <div className="grid grid-cols-1 items-start gap-x-2 gap-y-1 @lg:grid-cols-[minmax(0,auto)_minmax(0,1fr)] @lg:gap-y-1.5">
          <CallRow side="client" tally={tally.client} />
          <CallRow side="server" tally={tally.server} />
        </div>
      </div>
      {!open && !selected && <p className="text-sm text-slate-700 dark:text-slate-300">{t("diagramEmpty")}</p>}
      {/* What is on screen follows at once; what is announced is throttled (a burst of steps says the last). */}
      <p aria-hidden="true" className="min-h-5 text-sm">
        {latestText}
      </p>
      <p aria-live="polite" className="sr-only">
        {announced}
      </p>
      {open && log.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer rounded font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300">
            {t("diagramSteps", { n: steps.length })}
          </summary>
          <ul className="mt-2 list-disc space-y-0.5 pl-6 font-mono text-xs">
            {log.map((line) =>
              "step" in line ? (
                <li key={String(line.step.seq)}>{describe.step(line.step)}</li>
              ) : (
                <li key={`more-${line.seq}`} className="list-none font-sans italic">
                  {t("diagramMore", { n: line.more, total: line.total })}
                </li>
              ),
            )}
          </ul>
        </details>
      )}
    </section>
  );
}
