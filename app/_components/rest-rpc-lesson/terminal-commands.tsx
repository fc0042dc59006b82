"use client";
// The REST and RPC lesson's "Try it from your terminal": curl for the users API, the workshop's dummies and a
// JSON-RPC batch, and Python for XML-RPC and JSON-RPC, at the host and port the lab host reports (the kit's
// TerminalCommands looks them up).

import { useT } from "@/app/_i18n/client";
import { TerminalCommands, type TerminalServer } from "../lesson-kit/terminal-commands";
import { curlDummies, curlJsonRpcBatch, curlUsers, pythonJsonRpc, pythonXmlRpc } from "./commands";

export function RestRpcTerminalCommands() {
  const t = useT("restRpcLesson");
  const servers: TerminalServer[] = [
    {
      id: "rr-rest",
      service: "http",
      title: ({ port }) => t("termRest", { port: String(port) }),
      commands: [
        { label: t("termUsers"), code: curlUsers },
        { label: t("termDummies"), code: curlDummies },
      ],
      note: t("termRestNote"),
    },
    {
      id: "rr-rpc",
      service: "http",
      title: ({ port }) => t("termRpc", { port: String(port) }),
      commands: [
        { label: t("termBatch"), code: curlJsonRpcBatch },
        { label: t("termXmlRpc"), code: pythonXmlRpc },
        { label: t("termJsonRpc"), code: pythonJsonRpc },
      ],
      note: t("termRpcNote"),
    },
  ];
  return <TerminalCommands servers={servers} />;
}
