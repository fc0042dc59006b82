"use client";
// The UDP lesson's "Try it from your terminal": nc -u and Python for the echo server, the broadcast receiver and
// the multicast group, at the host and ports the lab host reports (the Status RPC), or the seeds' ports at this
// page's address while it has not answered. Needs a LabStatusProvider above it (LessonPage has one).

import { useT } from "@/app/_i18n/client";
import { CommandBlock } from "../home/command-block";
import { usePageHost } from "../home/use-page-host";
import { useLabStatus } from "../lab-status";
import { Paragraphs } from "../lesson-kit/prose";
import { ncUdpEcho, ncUdpInteractive, pythonBroadcast, pythonMulticast, pythonUdpEcho, udpEndpointOf, type UdpEndpoint } from "./commands";
import { MULTICAST_GROUP, type UdpService } from "./ports";

interface Server {
  readonly id: string;
  readonly service: UdpService;
  title(endpoint: UdpEndpoint): string;
  readonly commands: readonly { readonly label: string; code(endpoint: UdpEndpoint): string }[];
  readonly note: string;
}

export function UdpTerminalCommands() {
  const t = useT("udpLesson");
  const result = useLabStatus();
  const pageHost = usePageHost();
  const servers: Server[] = [
    {
      id: "udp-echo",
      service: "udp-echo",
      title: ({ port }) => t("termEcho", { port: String(port) }),
      commands: [
        { label: t("termNcOnce"), code: ncUdpEcho },
        { label: t("termNcLines"), code: ncUdpInteractive },
        { label: t("termPython"), code: pythonUdpEcho },
      ],
      note: t("termEchoNote"),
    },
    {
      id: "udp-broadcast",
      service: "udp-broadcast",
      title: ({ port }) => t("termBroadcast", { port: String(port) }),
      commands: [{ label: t("termPython"), code: pythonBroadcast }],
      note: t("termBroadcastNote"),
    },
    {
      id: "udp-multicast",
      service: "udp-multicast",
      title: ({ port }) => t("termMulticast", { group: MULTICAST_GROUP, port: String(port) }),
      commands: [{ label: t("termPython"), code: pythonMulticast }],
      note: t("termMulticastNote"),
    },
  ];
  const endpoints = servers.map((server) => udpEndpointOf(result, pageHost, server.service));

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {result.kind === "ok" ? t("termHost", { host: endpoints[0]?.host ?? "" }) : result.kind === "unreachable" ? t("termHostUnknown") : t("termHostChecking")}
      </p>
      {servers.map((server, i) => {
        const endpoint = endpoints[i]!;
        const title = server.title(endpoint);
        return (
          <section key={server.id} aria-labelledby={`term-${server.id}`} className="space-y-3">
            <h3 id={`term-${server.id}`} className="text-lg font-semibold">
              {title}
            </h3>
            <div className="grid grid-cols-1 gap-3">
              {server.commands.map((command) => (
                <CommandBlock key={command.label} label={command.label} code={command.code(endpoint)} copyName={`${command.label} (${title})`} />
              ))}
            </div>
            <Paragraphs texts={[server.note]} className="text-sm leading-relaxed text-slate-800 dark:text-slate-200" />
          </section>
        );
      })}
    </div>
  );
}
