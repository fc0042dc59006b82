"use client";
// Experiment 1: the time server (seed 003, port 8000). It accepts, writes the ISO time and "\n",
// closes. The student only connects and reads, and sees the close that tells the client "that's all".

import { useT } from "@/app/_i18n/client";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import { useServicePort } from "../lesson-kit/service-port";
import { concatBytes, decodeUtf8, visibleText } from "../lesson-kit/bytes";
import { dataChunks } from "../lesson-kit/connection";
import { ConnectionLine, TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { BytesText, buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { useExperiment } from "../lesson-kit/use-experiment";

export function TimePanel() {
  const t = useT("tcpLesson");
  const port = useServicePort("time");
  const experiment = useExperiment("time");
  const chunks = dataChunks(experiment.events, Direction.SERVER_TO_CLIENT);
  const received = concatBytes(chunks);
  const closedByServer = experiment.state === "closed" || experiment.state === "serverHalfClosed" || experiment.state === "bothHalfClosed";

  return (
    <Panel id="time" title={t("timeTitle", { port: String(port) })}>
      <Paragraphs texts={[t("timeP1"), t("timeP2")]} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={buttonPrimary} onClick={() => void experiment.open()} disabled={experiment.state === "connecting"}>
          {t("timeConnect")}
        </button>
        <ConnectionLine state={experiment.state} port={experiment.conversation?.client?.port} />
      </div>
      {experiment.error && <ErrorText>{experiment.error}</ErrorText>}
      {experiment.conversation && <TimelineNotice />}
      {/* The live region exists before anything arrives: one inserted together with its text is often not read. */}
      <div className="space-y-2" aria-live="polite">
        {received.length > 0 && (
          <>
            <p className="text-sm font-medium">{t("timeReceived", { n: received.length })}</p>
            <BytesText text={visibleText(decodeUtf8(received))} />
          </>
        )}
        {received.length > 0 && closedByServer && (
          <p className="text-sm text-slate-800 dark:text-slate-200">
            <Rich text={t("timeClosed")} />
          </p>
        )}
      </div>
    </Panel>
  );
}
