"use client";
// "Connect your own client" on the home page: nc and Python for the lab's TCP servers, with the host and
// ports the host's Status reports, so what the student pastes reaches this lab and shows on their timeline.

import { useT } from "@/app/_i18n/client";
import { CommandBlock } from "./command-block";
import { endpointOf, GREETING_MESSAGE, ncCommand, ncListenCommand, pythonEcho, pythonGreeting } from "./commands";
import { useLabStatus } from "../lab-status";
import { usePageHost } from "./use-page-host";

export function ConnectCommands() {
  const t = useT("home");
  const result = useLabStatus();
  const pageHost = usePageHost();
  const echo = endpointOf(result, pageHost, "tcp-echo");
  const time = endpointOf(result, pageHost, "time");
  const greeting = endpointOf(result, pageHost, "greeting");

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {result.kind === "ok" ? t("connectHost", { host: echo.host }) : t("connectDefaults")}
      </p>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <CommandBlock label={t("cmdNcEcho")} code={ncCommand(echo)} />
        <CommandBlock label={t("cmdNcTime")} code={ncListenCommand(time)} />
        {/* Programs get the full width: a cut-off line of code is worse than a taller page. */}
        <div className="md:col-span-2">
          <CommandBlock label={t("cmdPyEcho")} code={pythonEcho(echo)} />
        </div>
        <div className="md:col-span-2">
          <CommandBlock label={t("cmdPyGreeting")} code={pythonGreeting(greeting, GREETING_MESSAGE)} />
        </div>
      </div>
      <p className="text-sm text-slate-700 dark:text-slate-300">{t("connectWindows")}</p>
    </div>
  );
}
