"use client";
// Experiment 6: connect() to the port the lab keeps closed. The kernel answers the SYN with RST, ACK, the
// lab's client gets ECONNREFUSED and the open call fails (the host names the errno in a header of its
// error). The call returns no conversation, so the panel finds the attempt on the timeline: the
// closed-port conversation with events after the click, its CONNECT_FAILED event and, with capture on,
// the SYN and the reset.

import { useEffect, useMemo, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { ConnectError } from "@connectrpc/connect";
import { EventKind, type Conversation } from "@/gen/lab/v1/timeline_pb";
import { CaptureNotice } from "../lesson-kit/capture-notice";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { callFailure, lab } from "../lesson-kit/lab-call";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { countSegments, SegmentList } from "./segment-list";
import { conversationAfter } from "./segments";
import { buttonPrimary, Panel } from "../lesson-kit/ui";
import { CaptureMode } from "../capture-status";
import { capturesSegments, useCaptureStatus } from "../lesson-kit/use-capture-status";
import { useLessonTimeline } from "../lesson-kit/use-lesson-timeline";
import type { TimelineEvent } from "../timeline/batch";

const SERVICE = "closed-port";
/** server/lab/service.ts CONNECT_ERRNO_HEADER: the platform's code of the failed connect(). */
const ERRNO_HEADER = "lab-connect-errno";
/** How long to wait for the timeline's record of the attempt before saying it has none. */
const RECORD_WAIT_MS = 3_000;

type Outcome =
  | { readonly kind: "pending" }
  | { readonly kind: "refused"; readonly errno: string | undefined; readonly code: string; readonly message: string }
  | { readonly kind: "opened" };

interface Attempt {
  /** The timeline's last event when the button was pressed: the attempt's events come after it. */
  readonly afterSeq: bigint;
  readonly outcome: Outcome;
}

const NONE: readonly TimelineEvent[] = [];

// Nothing listens on the port, so only the lab's own client can have a conversation with it.
const isClosedPort = (c: Conversation) => c.service === SERVICE;

export function RstPanel() {
  const t = useT("tcpLesson");
  const { result } = useCaptureStatus();
  const capturing = capturesSegments(result);
  const port = result.kind === "ok" ? result.closedPort : undefined;
  const { events, conversations } = useLessonTimeline();
  const [attempt, setAttempt] = useState<Attempt>();
  const [late, setLate] = useState(false);

  const conversation = useMemo(
    () => (attempt ? conversationAfter(events, conversations, attempt.afterSeq, isClosedPort) : undefined),
    [attempt, events, conversations],
  );
  const mine = conversation ? events.ofConversation(conversation.id) : NONE;
  const error = mine.find((e) => e.kind === EventKind.CONNECT_FAILED || e.kind === EventKind.ERROR);
  const count = countSegments(mine);
  const settled = attempt !== undefined && attempt.outcome.kind !== "pending";

  // Once the call has come back, give the timeline a moment to show the attempt before saying it has not.
  useEffect(() => {
    setLate(false);
    if (!settled) return;
    const timer = setTimeout(() => setLate(true), RECORD_WAIT_MS);
    return () => clearTimeout(timer);
  }, [settled, attempt]);

  async function start() {
    const afterSeq = events.lastSeq ?? 0n;
    setAttempt({ afterSeq, outcome: { kind: "pending" } });
    try {
      const opened = await lab.open(SERVICE);
      // Something listens there after all: say so, and do not leave the connection open.
      if (opened) await lab.close(opened.id).catch(() => undefined);
      setAttempt({ afterSeq, outcome: { kind: "opened" } });
    } catch (e) {
      const { code, message } = callFailure(e);
      const errno = ConnectError.from(e).metadata.get(ERRNO_HEADER) ?? undefined;
      setAttempt({ afterSeq, outcome: { kind: "refused", errno, code, message } });
    }
  }

  const outcome = attempt?.outcome;
  return (
    <Panel id="rst-experiment" title={t("rstTitle")}>
      <Paragraphs texts={[port !== undefined ? t("rstP1", { port: String(port) }) : t("rstP1Unknown"), t("rstP2")]} />
      <div>
        <button type="button" className={buttonPrimary} disabled={outcome?.kind === "pending"} onClick={() => void start()}>
          {port !== undefined ? t("rstButton", { port: String(port) }) : t("rstButtonUnknown")}
        </button>
      </div>
      <div aria-live="polite" className="space-y-2 text-sm">
        {outcome?.kind === "pending" && <p>{t("rstPending")}</p>}
        {outcome?.kind === "refused" && (
          <p className="rounded border border-slate-300 bg-slate-50 p-2 dark:border-slate-600 dark:bg-slate-950">
            <span aria-hidden="true">✕ </span>
            <Rich
              text={
                outcome.errno === "ECONNREFUSED"
                  ? t("rstRefused")
                  : t("rstCallFailed", { code: outcome.errno ?? outcome.code, message: outcome.message })
              }
            />
          </p>
        )}
        {outcome?.kind === "opened" && <p>{t("rstOpened")}</p>}
        {error && (
          <p>
            <Rich
              text={
                error.errorCode === "ECONNREFUSED"
                  ? t("rstTimelineRefused")
                  : t("rstTimelineError", { code: error.errorCode, message: error.errorMessage })
              }
            />
          </p>
        )}
        {settled && !conversation && <p>{late ? t("rstNoRecord") : t("rstWaiting")}</p>}
        {settled && conversation && capturing && count === 0 && late && <p>{t("rstNoSegments")}</p>}
      </div>
      {attempt && <TimelineNotice />}
      {result.kind === "ok" && result.capture?.mode === CaptureMode.SOCKET_EVENTS ? (
        <p className="text-sm text-slate-800 dark:text-slate-200">
          <span aria-hidden="true">⚠ </span>
          <Rich text={t("rstCaptureOff")} />
        </p>
      ) : (
        <CaptureNotice />
      )}
      <SegmentList events={mine} label={t("rstListLabel")} />
    </Panel>
  );
}
