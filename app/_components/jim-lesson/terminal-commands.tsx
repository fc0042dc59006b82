"use client";
// The JIM lesson's "Try it from your terminal": seed 002's homework commands (`client.py <addr> [<port>]` against
// the lab's JIM server; `server.py -p <port> -a <addr>` for the student's own), the lab's CLI pair that does the
// same, and nc for raw bytes, at the host and port the lab host reports.

import { useT } from "@/app/_i18n/client";
import type { Endpoint } from "../home/commands";
import { TerminalCommands, type TerminalServer } from "../lesson-kit/terminal-commands";

/** The homework's client against the lab's server. */
export const homeworkClient = ({ host, port }: Endpoint) => `python3 client.py ${host} ${port}`;
/** The homework's server on a port of the student's own (the lab's port plus one, free on this machine). */
export const homeworkServer = ({ port }: Endpoint) => `python3 server.py -p ${port + 1} -a 127.0.0.1`;
export const labClientCommand = ({ host, port }: Endpoint) => `npm run jim:client -- ${host} ${port}`;
export const ncPresence = ({ host, port }: Endpoint) =>
  `printf '{"action": "presence", "time": %s, "user": {"account_name": "nc_user"}}' "$(date +%s)" | nc -q 1 ${host} ${port}`;

export function JimTerminalCommands() {
  const t = useT("jimLesson");
  const servers: TerminalServer[] = [
    {
      id: "jim-homework",
      service: "jim",
      title: ({ port }) => t("termHomework", { port: String(port) }),
      commands: [
        { label: t("termClient"), code: homeworkClient },
        { label: t("termServer"), code: homeworkServer },
      ],
      note: t("termHomeworkNote"),
    },
    {
      id: "jim-raw",
      service: "jim",
      title: ({ port }) => t("termRaw", { port: String(port) }),
      commands: [
        { label: t("termNc"), code: ncPresence },
        { label: t("termLabClient"), code: labClientCommand },
      ],
      note: t("termRawNote"),
    },
  ];
  return <TerminalCommands servers={servers} />;
}
