"use client";
// The TCP lesson's "Try it from your terminal": nc and Python (socket module) for each of the lesson's
// three servers (seeds 000, 002, 003), laid out by the lesson kit with the host and ports the lab reports.

import { useT } from "@/app/_i18n/client";
import { GREETING_MESSAGE, ncCommand, ncGreetingCommand, ncListenCommand, pythonEcho, pythonGreeting, pythonTime } from "../home/commands";
import { TerminalCommands, type TerminalServer } from "../lesson-kit/terminal-commands";

export function TcpTerminalCommands() {
  const t = useT("tcpLesson");
  const nc = t("termNc");
  const python = t("termPython");
  const servers: TerminalServer[] = [
    {
      id: "time",
      service: "time",
      title: ({ port }) => t("termTime", { port: String(port) }),
      commands: [
        { label: nc, code: ncListenCommand },
        { label: python, code: pythonTime },
      ],
      note: t("termTimeNote"),
    },
    {
      id: "greeting",
      service: "greeting",
      title: ({ port }) => t("termGreeting", { port: String(port) }),
      commands: [
        { label: nc, code: (endpoint) => ncGreetingCommand(endpoint, GREETING_MESSAGE) },
        { label: python, code: (endpoint) => pythonGreeting(endpoint, GREETING_MESSAGE) },
      ],
      note: t("termGreetingNote"),
    },
    {
      id: "echo",
      service: "tcp-echo",
      title: ({ port }) => t("termEcho", { port: String(port) }),
      commands: [
        { label: nc, code: ncCommand },
        { label: python, code: pythonEcho },
      ],
      note: t("termEchoNote"),
    },
  ];
  return <TerminalCommands servers={servers} />;
}
