"use client";
// The WebSocket lesson's "Try it from your terminal": websocat and Python's websockets against the lab's echo and a
// chat room, at the host and port the lab host reports (the kit's TerminalCommands looks them up).

import { useT } from "@/app/_i18n/client";
import { TerminalCommands, type TerminalServer } from "../lesson-kit/terminal-commands";
import { pythonChat, pythonEcho, websocatChat, websocatEcho } from "./commands";

export function WebSocketTerminalCommands() {
  const t = useT("websocketLesson");
  const servers: TerminalServer[] = [
    {
      id: "ws-echo",
      service: "http",
      title: ({ port }) => t("termEcho", { port: String(port) }),
      commands: [
        { label: t("termWebsocat"), code: websocatEcho },
        { label: t("termPython"), code: pythonEcho },
      ],
      note: t("termEchoNote"),
    },
    {
      id: "ws-chat",
      service: "http",
      title: ({ port }) => t("termChat", { port: String(port) }),
      commands: [
        { label: t("termWebsocat"), code: websocatChat },
        { label: t("termPython"), code: pythonChat },
      ],
      note: t("termChatNote"),
    },
  ];
  return <TerminalCommands servers={servers} />;
}
