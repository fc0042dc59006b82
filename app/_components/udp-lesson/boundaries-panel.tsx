"use client";
// Experiment 3: message boundaries kept. The same two writes as the TCP lesson's stream experiment, `ping` and
// `pong` straight after each other (one Send with two parts, each part one send()), but on a UDP socket: each
// becomes one datagram, the server's recvfrom() returns each whole and separately, and each gets its own answer.
// The counts come from this flow's events; the session's impairment, when it is on, may lose some, and the
// panel says so instead of counting them as joined.

import { useT } from "@/app/_i18n/client";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import { decodeUtf8, utf8 } from "../lesson-kit/bytes";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Code, Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { DatagramList } from "./datagram-list";
import { isDuplicate } from "../timeline/describe";
import { datagrams, tallyFlow } from "./model";
import { useUdpFlow } from "./use-udp-flow";

const PAIR = ["ping", "pong"] as const;

export function BoundariesPanel() {
  const t = useT("udpLesson");
  const udp = useUdpFlow("udp-echo");

  async function start() {
    const flow = await udp.openFresh();
    if (flow) await udp.send(PAIR.map((p) => utf8(p)), flow);
  }

  const received = datagrams(udp.events, Direction.CLIENT_TO_SERVER).filter((e) => !isDuplicate(e));
  const tally = tallyFlow(udp.events);
  const settled = udp.flow !== undefined && tally.sent === PAIR.length && tally.answers + tally.answersLost >= tally.arrived;
  const intact = received.length === PAIR.length && received.every((e, i) => decodeUtf8(e.data) === PAIR[i]);

  return (
    <Panel id="udp-boundaries" title={t("boundTitle")}>
      <Paragraphs texts={[t("boundP1"), t("boundP2")]} />
      <button type="button" className={buttonPrimary} disabled={udp.pending} onClick={() => void start()}>
        {t("boundButton")}
      </button>
      {udp.error && <ErrorText>{udp.error}</ErrorText>}
      {udp.flow && <TimelineNotice />}
      <div aria-live="polite" className="space-y-2">
        {udp.flow && received.length > 0 && (
          <div className="space-y-2 rounded border border-slate-200 p-3 text-sm dark:border-slate-700">
            <p>
              <Rich text={t("boundReceived", { n: received.length })} />
            </p>
            <ol className="list-inside list-decimal space-y-1">
              {received.map((e) => (
                <li key={String(e.seq)}>
                  <Code>{decodeUtf8(e.data)}</Code>
                </li>
              ))}
            </ol>
            {settled && (
              <p>
                <Rich text={t(intact ? "boundVerdict" : tally.lostOnTheWay > 0 ? "boundVerdictLost" : "boundVerdictOther")} />
              </p>
            )}
          </div>
        )}
        {udp.flow && <DatagramList events={udp.events} label={t("boundDatagrams")} />}
      </div>
    </Panel>
  );
}
