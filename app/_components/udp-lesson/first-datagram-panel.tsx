"use client";
// Experiment 2: no handshake. A new lab client socket sends one datagram to the echo server, and the panel lists
// that flow's events as the timeline recorded them, beside the three segments every TCP connection opens with
// (lesson 1). The socket's "open" is local (connect() on a UDP socket only remembers the peer): the first thing
// that crosses is the data, and with wire capture on, the first packet is that datagram.

import { useT } from "@/app/_i18n/client";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "../timeline/batch";
import { utf8 } from "../lesson-kit/bytes";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { FlowLine } from "./flow-line";
import { useUdpFlow } from "./use-udp-flow";

const MESSAGE = "Hello UDP!";
const TCP_OPENING = ["tcpSyn", "tcpSynAck", "tcpAck", "tcpData"] as const;

function elapsedMs(from: TimelineEvent, to: TimelineEvent): string {
  return (Number(to.monoNs - from.monoNs) / 1e6).toFixed(2);
}

export function FirstDatagramPanel() {
  const t = useT("udpLesson");
  const udp = useUdpFlow("udp-echo");

  async function start() {
    const flow = await udp.openFresh();
    if (flow) await udp.send([utf8(MESSAGE)], flow);
  }

  const shown = udp.events.filter((e) => e.kind !== EventKind.CLOSE);
  const firstOut = shown.find((e) => e.direction === Direction.CLIENT_TO_SERVER && (e.kind === EventKind.DATA || e.kind === EventKind.SEGMENT));
  const answer = shown.find((e) => e.kind === EventKind.DATA && e.direction === Direction.SERVER_TO_CLIENT);
  const firstData = shown.find((e) => e.kind === EventKind.DATA && e.direction === Direction.CLIENT_TO_SERVER);

  function line(e: TimelineEvent): string {
    const c2s = e.direction === Direction.CLIENT_TO_SERVER;
    switch (e.kind) {
      case EventKind.OPEN:
        return t("firstOpen");
      case EventKind.DATA:
        return t(c2s ? "firstDataOut" : "firstDataIn", { n: e.length });
      case EventKind.SEGMENT:
        return t(c2s ? "firstPacketOut" : "firstPacketIn", { n: e.length });
      case EventKind.LOST:
        return t("firstLost", { n: e.length });
      case EventKind.TIMEOUT:
        return t("listTimeout");
      default:
        return t("firstOther");
    }
  }

  return (
    <Panel id="udp-first" title={t("firstTitle")}>
      <Paragraphs texts={[t("firstP1")]} />
      <button type="button" className={buttonPrimary} disabled={udp.pending} onClick={() => void start()}>
        {t("firstButton")}
      </button>
      <FlowLine flow={udp.flow} />
      {udp.error && <ErrorText>{udp.error}</ErrorText>}
      {udp.flow && <TimelineNotice />}
      <div className="@container"><div className="grid gap-4 @lg:grid-cols-2">
        <section aria-labelledby="udp-first-tcp" className="rounded border border-slate-200 p-3 text-sm dark:border-slate-700">
          <h4 id="udp-first-tcp" className="mb-2 font-semibold">
            {t("firstTcpHeading")}
          </h4>
          <ol className="list-inside list-decimal space-y-1">
            {TCP_OPENING.map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="udp-first-udp" className="rounded border border-slate-200 p-3 text-sm dark:border-slate-700" aria-live="polite">
          <h4 id="udp-first-udp" className="mb-2 font-semibold">
            {t("firstUdpHeading")}
          </h4>
          {shown.length === 0 ? (
            <p className="text-slate-700 dark:text-slate-300">{t("firstEmpty")}</p>
          ) : (
            <ol className="list-inside list-decimal space-y-1">
              {shown.map((e) => (
                <li key={String(e.seq)}>{line(e)}</li>
              ))}
            </ol>
          )}
        </section>
      </div></div>
      {firstOut && (
        <p className="text-sm">
          {t(firstOut.kind === EventKind.SEGMENT ? "firstVerdictPacket" : "firstVerdict")}
          {firstData && answer && <> {t("firstAnswered", { ms: elapsedMs(firstData, answer) })}</>}
        </p>
      )}
    </Panel>
  );
}
