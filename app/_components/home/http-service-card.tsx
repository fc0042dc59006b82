"use client";
// The home page's card for the HTTP server (seeds 000, 003, 004 on one port): where it listens, a curl line to try
// it from a terminal, and the button that puts this session's data back to the seed data.

import { useId } from "react";
import { useT } from "@/app/_i18n/client";
import { useLabStatus } from "../lab-status";
import { CommandBlock } from "./command-block";
import { endpointOf } from "./commands";
import { ResetDataButton } from "./reset-data-button";
import { usePageHost } from "./use-page-host";

export function HttpServiceCard() {
  const t = useT("home");
  const headingId = useId();
  const result = useLabStatus();
  const pageHost = usePageHost();
  const http = endpointOf(result, pageHost, "http");
  const origin = `http://${http.host.includes(":") ? `[${http.host}]` : http.host}:${http.port}`;
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-700">
      <h3 id={headingId} className="text-lg font-semibold">
        {t("httpCardHeading", { port: String(http.port) })}
      </h3>
      <p className="text-sm text-slate-700 dark:text-slate-300">{t("httpCardText")}</p>
      <CommandBlock label={t("httpCardCurl")} code={`curl -i ${origin}/api/users`} />
      <p className="text-sm text-slate-700 dark:text-slate-300">{t("httpCardReset")}</p>
      <ResetDataButton />
    </section>
  );
}
