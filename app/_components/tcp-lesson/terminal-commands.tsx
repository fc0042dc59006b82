"use client";
// "Try it from your terminal": nc and Python (socket module) for each of the lesson's three servers,
// with the host and ports the lab host reports. Needs a LabStatusProvider above it.

import { useT } from "@/app/_i18n/client";
import { CommandBlock } from "../home/command-block";
import { endpointOf, GREETING_MESSAGE, ncCommand, ncGreetingCommand, pythonEcho, pythonGreeting, pythonTime } from "../home/commands";
import { useLabStatus } from "../lab-status";
import { usePageHost } from "../home/use-page-host";
import { Paragraphs } from "./prose";

export function TerminalCommands() {
  const t = useT("tcpLesson");
  const result = useLabStatus();
  const pageHost = usePageHost();
  const time = endpointOf(result, pageHost, "time");
  const greeting = endpointOf(result, pageHost, "greeting");
  const echo = endpointOf(result, pageHost, "tcp-echo");

  const servers = [
    { id: "time", title: t("termTime", { port: String(time.port) }), nc: ncCommand(time), python: pythonTime(time), note: t("termTimeNote") },
    {
      id: "greeting",
      title: t("termGreeting", { port: String(greeting.port) }),
      nc: ncGreetingCommand(greeting, GREETING_MESSAGE),
      python: pythonGreeting(greeting, GREETING_MESSAGE),
      note: t("termGreetingNote"),
    },
    { id: "echo", title: t("termEcho", { port: String(echo.port) }), nc: ncCommand(echo), python: pythonEcho(echo), note: t("termEchoNote") },
  ];

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {result.kind === "ok"
          ? t("termHost", { host: echo.host })
          : result.kind === "unreachable"
            ? t("termHostUnknown")
            : t("termHostChecking")}
      </p>
      {servers.map((server) => (
        <section key={server.id} aria-labelledby={`term-${server.id}`} className="space-y-3">
          <h3 id={`term-${server.id}`} className="text-lg font-semibold">
            {server.title}
          </h3>
          <div className="grid grid-cols-1 gap-3">
            <CommandBlock label={t("termNc")} code={server.nc} copyName={`${t("termNc")} (${server.title})`} />
            <CommandBlock label={t("termPython")} code={server.python} copyName={`${t("termPython")} (${server.title})`} />
          </div>
          <Paragraphs texts={[server.note]} className="text-sm leading-relaxed text-slate-800 dark:text-slate-200" />
        </section>
      ))}
    </div>
  );
}
