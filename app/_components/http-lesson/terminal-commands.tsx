"use client";
// The HTTP lesson's "Try it from your terminal": curl and Python's requests against the lab's HTTP server, at the
// host and port the lab host reports (the kit's TerminalCommands looks them up).

import { useT } from "@/app/_i18n/client";
import { TerminalCommands, type TerminalServer } from "../lesson-kit/terminal-commands";
import { curlDrip, curlEtag, curlFollow, curlKeepAlive, curlVerbose, pythonHttp } from "./commands";

export function HttpTerminalCommands() {
  const t = useT("httpLesson");
  const servers: TerminalServer[] = [
    {
      id: "http-redirect",
      service: "http",
      title: ({ port }) => t("termRedirect", { port: String(port) }),
      commands: [
        { label: t("termCurlV"), code: curlVerbose },
        { label: t("termCurlL"), code: curlFollow },
      ],
      note: t("termRedirectNote"),
    },
    {
      id: "http-messages",
      service: "http",
      title: ({ port }) => t("termMessages", { port: String(port) }),
      commands: [
        { label: t("termCurlKeep"), code: curlKeepAlive },
        { label: t("termCurlEtag"), code: curlEtag },
        { label: t("termCurlDrip"), code: curlDrip },
      ],
      note: t("termMessagesNote"),
    },
    {
      id: "http-python",
      service: "http",
      title: ({ port }) => t("termPython", { port: String(port) }),
      commands: [{ label: t("termRequests"), code: pythonHttp }],
      note: t("termPythonNote"),
    },
  ];
  return <TerminalCommands servers={servers} />;
}
