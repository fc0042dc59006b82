"use client";
// Experiment 7: broadcast and multicast. One button sends seed 002's request to the broadcast receiver (the
// broadcast address of the interface the lab serves; 127.255.255.255 on a loopback-only lab, which reaches this
// machine alone), the other sends to seed 000's group 224.0.0.100 with IP TTL 1. Neither receiver answers: the
// panel shows where each datagram went, its TTL, and whether the receiver's tap recorded it. When the host could
// not join the group, it says why, in the system's words.

import { useT } from "@/app/_i18n/client";
import { UdpTarget } from "@/gen/lab/v1/lab_pb";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import { utf8 } from "../lesson-kit/bytes";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { DatagramList } from "./datagram-list";
import { FlowLine } from "./flow-line";
import { datagrams, tallyFlow } from "./model";
import { useMulticastState, useUdpPort } from "./services";
import { useUdpFlow, type UdpFlow } from "./use-udp-flow";

/** Seed 002's client sends this to the broadcast receiver; seed 000's multicast sender numbers its messages. */
const BROADCAST_MESSAGE = "Запрос на соединение!";
const MULTICAST_MESSAGE = "Multicast message 0";

function targetText(t: ReturnType<typeof useT<"udpLesson">>, flow: UdpFlow): string {
  switch (flow.target) {
    case UdpTarget.BROADCAST:
      return t("groupTargetBroadcast");
    case UdpTarget.BROADCAST_LOOPBACK:
      return t("groupTargetBroadcastLoopback");
    case UdpTarget.MULTICAST:
      return t("groupTargetMulticast");
    default:
      return "";
  }
}

function Heard({ flow, events }: { flow: UdpFlow | undefined; events: Parameters<typeof datagrams>[0] }) {
  const t = useT("udpLesson");
  if (!flow) return null;
  const heard = datagrams(events, Direction.CLIENT_TO_SERVER).length;
  const lost = tallyFlow(events).lostOnTheWay;
  return (
    <>
      <p className="text-sm">
        <Rich text={heard > 0 ? t("groupHeard", { n: heard }) : t("groupNotHeard")} />
      </p>
      {lost > 0 && <p className="text-sm">{t("groupLost", { n: lost })}</p>}
    </>
  );
}

export function GroupPanel() {
  const t = useT("udpLesson");
  const broadcastPort = useUdpPort("udp-broadcast");
  const multicastPort = useUdpPort("udp-multicast");
  const broadcast = useUdpFlow("udp-broadcast");
  const multicast = useUdpFlow("udp-multicast");
  const { state: group, recheck } = useMulticastState();

  async function sendBroadcast() {
    const flow = await broadcast.ensureOpen();
    if (flow) await broadcast.send([utf8(BROADCAST_MESSAGE)], flow);
  }
  async function sendMulticast() {
    recheck();
    const flow = await multicast.ensureOpen();
    if (flow) await multicast.send([utf8(MULTICAST_MESSAGE)], flow);
  }

  return (
    <Panel id="udp-group" title={t("groupTitle")}>
      <Paragraphs texts={[t("groupP1")]} />

      <section aria-labelledby="udp-group-broadcast" className="space-y-2">
        <h4 id="udp-group-broadcast" className="font-semibold">
          {t("groupBroadcastHeading", { port: String(broadcastPort) })}
        </h4>
        <Paragraphs texts={[t("groupBroadcastP")]} />
        <button type="button" className={buttonPrimary} disabled={broadcast.pending} onClick={() => void sendBroadcast()}>
          {t("groupBroadcastButton")}
        </button>
        <FlowLine flow={broadcast.flow} />
        {broadcast.flow && <p className="text-sm">{targetText(t, broadcast.flow)}</p>}
        {broadcast.error && <ErrorText>{broadcast.error}</ErrorText>}
        {broadcast.flow && <TimelineNotice />}
        <div aria-live="polite">
          <Heard flow={broadcast.flow} events={broadcast.events} />
        </div>
      </section>

      <section aria-labelledby="udp-group-multicast" className="space-y-2 border-t border-slate-200 pt-3 dark:border-slate-700">
        <h4 id="udp-group-multicast" className="font-semibold">
          {t("groupMulticastHeading", { group: group.group, port: String(multicastPort) })}
        </h4>
        <Paragraphs texts={[t("groupMulticastP")]} />
        <p role="status" className="text-sm">
          {group.kind === "checking" && t("groupChecking")}
          {group.kind === "joined" && t("groupJoined", { group: group.group })}
          {group.kind === "unknown" && t("groupUnknown")}
        </p>
        {group.kind === "not-joined" && (
          <div className="space-y-1 rounded border border-amber-400 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
            <p>
              <span aria-hidden="true">⚠ </span>
              {t("groupNotJoined", { group: group.group })}
            </p>
            {group.problem && <p className="font-mono text-xs break-words">{group.problem}</p>}
            <p>{t("groupNotJoinedWhy")}</p>
          </div>
        )}
        <button type="button" className={buttonPrimary} disabled={multicast.pending} onClick={() => void sendMulticast()}>
          {t("groupMulticastButton")}
        </button>
        <FlowLine flow={multicast.flow} />
        {multicast.flow && <p className="text-sm">{targetText(t, multicast.flow)}</p>}
        {multicast.error && <ErrorText>{multicast.error}</ErrorText>}
        {multicast.flow && <TimelineNotice />}
        <div aria-live="polite" className="space-y-2">
          <Heard flow={multicast.flow} events={multicast.events} />
          {multicast.flow && <DatagramList events={multicast.events} label={t("groupDatagrams")} limit={5} />}
        </div>
      </section>
      <Paragraphs texts={[t("groupP2")]} />
    </Panel>
  );
}
