"use client";
// "Try it from your terminal": for each of a lesson's servers, commands and programs for the student's own
// terminal (nc, Python, curl...), with the host and ports the lab host reports, or the defaults at this
// page's address while it has not. A lesson lists its servers and how to write each command; this block
// looks up the endpoints and lays them out. Needs a LabStatusProvider above it (LessonPage has one).

import { useT } from "@/app/_i18n/client";
import { CommandBlock } from "../home/command-block";
import { endpointOf, type Endpoint } from "../home/commands";
import type { LabServiceName } from "../service-port";
import { useLabStatus } from "../lab-status";
import { usePageHost } from "../home/use-page-host";
import { Paragraphs } from "./prose";

export interface TerminalServer {
  /** Unique on the page: the server's heading is `term-<id>`. */
  readonly id: string;
  /** The lab service whose host and port the commands use. */
  readonly service: LabServiceName;
  /** The server's heading, with its real port. */
  title(endpoint: Endpoint): string;
  /** Each command's caption ("nc", "Python") and its text for the endpoint. */
  readonly commands: readonly { readonly label: string; code(endpoint: Endpoint): string }[];
  /** A sentence under the commands; `backticks` mark code. */
  readonly note?: string;
}

export function TerminalCommands({ servers }: { servers: readonly TerminalServer[] }) {
  const t = useT("lessonKit");
  const result = useLabStatus();
  const pageHost = usePageHost();
  const endpoints = servers.map((server) => endpointOf(result, pageHost, server.service));

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {result.kind === "ok"
          ? t("termHost", { host: endpoints[0]?.host ?? "" })
          : result.kind === "unreachable"
            ? t("termHostUnknown")
            : t("termHostChecking")}
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
            {server.note && <Paragraphs texts={[server.note]} className="text-sm leading-relaxed text-slate-800 dark:text-slate-200" />}
          </section>
        );
      })}
    </div>
  );
}
