"use client";
// Experiment 4: TCP is a byte stream. A: two small writes back to back (one Send with two parts, each
// part one write()). B: one write of 100 KB. The echo server answers each recv(1024) separately
// (seed 000), so its answers show how the server's reads cut the stream. Nothing here is simulated:
// the counts come from this connection's events on the timeline.

import { useEffect, useMemo, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { utf8 } from "../lesson-kit/bytes";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { runLengths, streamResult } from "./model";
import { Code, Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { lab, useLabCall } from "../lesson-kit/lab-call";
import { useConversation } from "../lesson-kit/use-lesson-timeline";

type Kind = "pair" | "bulk";

const PAIR = ["ping", "pong"] as const;
const BULK_BYTES = 100 * 1024;
// Long enough for 100 KB to cross a loopback and come back even on a slow classroom laptop.
const WAIT_MS = 10_000;

/** 100 KB of A..Z: ASCII without spaces, so strip() on the server changes nothing and lengths match. */
function bulkPayload(): Uint8Array {
  const bytes = new Uint8Array(BULK_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = 0x41 + (i % 26);
  return bytes;
}

/** Which sentence explains what happened to the two writes this time. */
function pairVerdict(reads: readonly string[]): "streamPairJoined" | "streamPairSeparate" | "streamPairOther" {
  if (reads.length === 1) return "streamPairJoined";
  if (reads.length === PAIR.length && reads.every((read, i) => read === PAIR[i])) return "streamPairSeparate";
  return "streamPairOther";
}

interface Run {
  readonly kind: Kind;
  readonly conversationId: string;
  readonly total: number;
}

function Reads({ reads }: { reads: readonly string[] }) {
  const t = useT("tcpLesson");
  const sizes = runLengths(reads.map((r) => r.length));
  return (
    <p className="text-sm">
      {t("streamSizes")}{" "}
      <span className="font-mono">{sizes.map(({ size, times }) => (times > 1 ? `${size} × ${times}` : `${size}`)).join(", ")}</span>
    </p>
  );
}

export function StreamPanel() {
  const t = useT("tcpLesson");
  const { run: call, pending, error } = useLabCall();
  const [run, setRun] = useState<Run>();
  const [timedOut, setTimedOut] = useState(false);
  const { events } = useConversation(run?.conversationId);
  const result = useMemo(() => streamResult(events), [events]);
  const complete = run !== undefined && result.echoedBytes >= run.total;
  const waiting = run !== undefined && !complete && !timedOut;

  // Stop waiting after WAIT_MS, and close the connection once the experiment is over either way.
  useEffect(() => {
    if (!run || complete) return;
    const timer = setTimeout(() => setTimedOut(true), WAIT_MS);
    return () => clearTimeout(timer);
  }, [run, complete]);
  const closed = useRef<string>(undefined);
  useEffect(() => {
    if (!run || (!complete && !timedOut) || closed.current === run.conversationId) return;
    closed.current = run.conversationId;
    lab.close(run.conversationId).catch(() => undefined);
  }, [run, complete, timedOut]);

  async function start(kind: Kind) {
    const opened = await call(() => lab.open("tcp-echo"));
    const id = opened?.id;
    if (!id) return;
    const parts = kind === "pair" ? PAIR.map((p) => utf8(p)) : [bulkPayload()];
    setTimedOut(false);
    setRun({ kind, conversationId: id, total: parts.reduce((sum, p) => sum + p.length, 0) });
    await call(() => lab.send(id, parts));
  }

  let phase = "";
  if (run && waiting) phase = t("streamWaiting");
  else if (run && complete) phase = t("streamDone", { n: result.reads.length });
  else if (run && timedOut) phase = t("streamTimedOut", { got: result.echoedBytes, total: run.total });

  return (
    <Panel id="stream" title={t("streamTitle")}>
      <Paragraphs texts={[t("streamP1"), t("streamP2"), t("streamP3")]} />
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonPrimary} disabled={pending || waiting} onClick={() => void start("pair")}>
          {t("streamPairButton")}
        </button>
        <button type="button" className={buttonPrimary} disabled={pending || waiting} onClick={() => void start("bulk")}>
          {t("streamBulkButton")}
        </button>
      </div>
      {error && <ErrorText>{error}</ErrorText>}
      {run && <TimelineNotice />}
      <p role="status" className="text-sm font-medium">
        {phase}
      </p>
      {run && (
        <div className="space-y-2 rounded border border-slate-200 p-3 text-sm dark:border-slate-700">
          <p>
            {run.kind === "pair" ? (
              <Rich text={t("streamPairWrites")} />
            ) : (
              <Rich text={t("streamBulkWrites", { n: BULK_BYTES })} />
            )}
          </p>
          <p>
            <Rich text={t("streamReads", { n: result.reads.length })} />
          </p>
          {result.reads.length > 0 && run.kind === "pair" && (
            <ol className="list-inside list-decimal space-y-1">
              {result.reads.map((read, i) => (
                <li key={i}>
                  <Code>{read}</Code>
                </li>
              ))}
            </ol>
          )}
          {result.reads.length > 0 && run.kind === "bulk" && <Reads reads={result.reads} />}
          <p className="text-slate-700 dark:text-slate-300">{t("streamDataEvents", { n: result.clientDataEvents })}</p>
          {complete && run.kind === "pair" && (
            <p>
              <Rich text={t(pairVerdict(result.reads))} />
            </p>
          )}
          {complete && run.kind === "bulk" && (
            <p>
              <Rich text={t("streamBulkExplained", { n: result.reads.length })} />
            </p>
          )}
        </div>
      )}
      <Paragraphs texts={[t("streamP4")]} />
    </Panel>
  );
}
