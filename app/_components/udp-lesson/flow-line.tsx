"use client";
// One line under a UDP panel's buttons: the lab client's socket (its address and port, which the server sees)
// and where its datagrams go, with the IP TTL when the lab set one. UDP has no connection state to show: a
// connected UDP socket only remembers its peer, and nothing is sent until the first datagram.

import { useT } from "@/app/_i18n/client";
import { formatEndpoint } from "../timeline/model";
import type { UdpFlow } from "./use-udp-flow";

export function FlowLine({ flow }: { flow: UdpFlow | undefined }) {
  const t = useT("udpLesson");
  if (!flow) return <p className="text-sm text-slate-700 dark:text-slate-300">{t("flowNone")}</p>;
  const from = formatEndpoint(flow.conversation.client);
  const to = formatEndpoint(flow.destination ?? flow.conversation.server);
  return (
    <p className="text-sm text-slate-800 dark:text-slate-200">
      {t("flowLine", { from, to })}
      {flow.ttl > 0 && <> {t("flowTtl", { ttl: flow.ttl })}</>}
    </p>
  );
}
