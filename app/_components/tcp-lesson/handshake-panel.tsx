"use client";
// Experiment 5: one short connection to the echo server, watched segment by segment. The lab's client
// connects, waits for the welcome, sends "hello", waits for the echo and half-closes; the echo server
// then closes too. The list below reads the SEGMENT events the capture recorded for this connection;
// with capture off the panel says so and lists nothing.

import { useCallback, useEffect, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "../timeline/batch";
import { utf8 } from "../lesson-kit/bytes";
import { CaptureNotice } from "../lesson-kit/capture-notice";
import { ConnectionLine, TimelineNotice } from "../lesson-kit/connection-state";
import { lab } from "../lesson-kit/lab-call";
import { Paragraphs } from "../lesson-kit/prose";
import { countSegments, SegmentList } from "./segment-list";
import { buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { capturesSegments, useCaptureStatus } from "../lesson-kit/use-capture-status";
import { useExperiment } from "../lesson-kit/use-experiment";

const MESSAGE = "hello";
/** How long each step waits for the server's answer before going on anyway (a paused timeline, a slow host). */
const WAIT_MS = 3_000;
const POLL_MS = 50;

type Step = "idle" | "connecting" | "welcome" | "sending" | "echo" | "halfClose" | "done" | "failed";

const STEP_TEXT: Record<Exclude<Step, "idle">, Keys<"tcpLesson">> = {
  connecting: "hsStepConnecting",
  welcome: "hsStepWelcome",
  sending: "hsStepSending",
  echo: "hsStepEcho",
  halfClose: "hsStepHalfClose",
  done: "hsStepDone",
  failed: "hsStepFailed",
};

const isData = (e: TimelineEvent, direction: Direction) => e.kind === EventKind.DATA && e.direction === direction;

/** The server has written something on this connection (the welcome). */
function welcomed(events: readonly TimelineEvent[], id: string): boolean {
  return events.some((e) => e.conversationId === id && isData(e, Direction.SERVER_TO_CLIENT));
}

/** The server has written something after the client's last write (the echo). */
function echoed(events: readonly TimelineEvent[], id: string): boolean {
  const mine = events.filter((e) => e.conversationId === id);
  const lastWrite = mine.findLastIndex((e) => isData(e, Direction.CLIENT_TO_SERVER));
  return lastWrite >= 0 && mine.slice(lastWrite + 1).some((e) => isData(e, Direction.SERVER_TO_CLIENT));
}

export function HandshakePanel() {
  const t = useT("tcpLesson");
  const { result } = useCaptureStatus();
  const capturing = capturesSegments(result);
  const experiment = useExperiment("tcp-echo");
  const { open, run } = experiment;
  const [step, setStep] = useState<Step>("idle");

  // The steps wait on the timeline; they read its latest events through a ref, and stop if the panel goes.
  const events = useRef(experiment.events);
  useEffect(() => {
    events.current = experiment.events;
  }, [experiment.events]);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const waitFor = useCallback(async (done: (events: readonly TimelineEvent[]) => boolean) => {
    const until = Date.now() + WAIT_MS;
    while (alive.current && Date.now() < until && !done(events.current)) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }, []);

  async function start() {
    setStep("connecting");
    const conversation = await open();
    if (!alive.current) return;
    if (!conversation) {
      setStep("failed");
      return;
    }
    const id = conversation.id;
    setStep("welcome");
    await waitFor((all) => welcomed(all, id));
    if (!alive.current) return;
    setStep("sending");
    const sent = await run(() => lab.send(id, [utf8(MESSAGE)]));
    if (!alive.current) return;
    if (!sent) {
      setStep("failed");
      return;
    }
    setStep("echo");
    await waitFor((all) => echoed(all, id));
    if (!alive.current) return;
    setStep("halfClose");
    const halfClosed = await run(() => lab.halfClose(id));
    if (alive.current) setStep(halfClosed ? "done" : "failed");
  }

  const running = step !== "idle" && step !== "done" && step !== "failed";
  const count = countSegments(experiment.events);

  return (
    <Panel id="handshake-experiment" title={t("hsTitle")}>
      <Paragraphs texts={[t("hsP1")]} />
      <CaptureNotice expect={t("captureOffExpect")} />
      {capturing && (
        <div className="flex flex-wrap items-center gap-3">
          <button type="button" className={buttonPrimary} disabled={running} onClick={() => void start()}>
            {t("hsButton")}
          </button>
          {experiment.conversation && <ConnectionLine state={experiment.state} port={experiment.conversation.client?.port} />}
        </div>
      )}
      {/* Present from the start, so that each step is announced when its text changes. */}
      <p role="status" className="text-sm font-medium">
        {step === "idle" ? "" : t(STEP_TEXT[step])}
      </p>
      {experiment.error && <ErrorText>{experiment.error}</ErrorText>}
      {experiment.conversation && <TimelineNotice />}
      {experiment.conversation && (count > 0 || step === "done") && (
        <p className="text-sm text-slate-700 dark:text-slate-300">{count > 0 ? t("hsCount", { n: count }) : t("hsNoSegments")}</p>
      )}
      {experiment.conversation && <SegmentList events={experiment.events} label={t("hsListLabel")} />}
    </Panel>
  );
}
