"use client";
// The lab host's servers and whether they listen, from its Status. A state is always a word with an
// icon, never only a colour; the one-line summary is the aria-live part, so a screen reader hears a
// change (a server failed, the host went away) but not every 5-second poll.

import { useLocale, useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { useLabStatus, type LabServiceStatus } from "../lab-status";
import { serviceText } from "./service-text";

const STATE_STYLE: Record<string, { icon: string; text: Keys<"home">; className: string }> = {
  listening: {
    icon: "●",
    text: "stateListening",
    className: "bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/40",
  },
  failed: {
    icon: "✕",
    text: "stateFailed",
    className: "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/40",
  },
  closed: {
    icon: "⊘",
    text: "stateClosed",
    className: "bg-slate-100 text-slate-800 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-400/40",
  },
  stopped: {
    icon: "■",
    text: "stateStopped",
    className: "bg-slate-100 text-slate-800 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-400/40",
  },
};

function StateBadge({ state }: { state: string }) {
  const t = useT("home");
  const style = STATE_STYLE[state];
  const base = "inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset";
  if (!style) {
    return <span className={`${base} ring-slate-400`}>{t("stateOther", { state })}</span>;
  }
  return (
    <span className={`${base} ${style.className}`}>
      <span aria-hidden="true">{style.icon}</span>
      {t(style.text)}
    </span>
  );
}

function ServiceRow({ service }: { service: LabServiceStatus }) {
  const t = useT("home");
  const description = serviceText(service.name);
  return (
    <tr className="border-t border-slate-200 dark:border-slate-700">
      <th scope="row" className="py-2 pr-3 text-left align-top font-normal">
        <code className="font-mono text-sm font-semibold">{service.name}</code>
        {description && <span className="block text-xs text-slate-600 dark:text-slate-300">{t(description)}</span>}
      </th>
      <td className="hidden py-2 pr-3 align-top font-mono text-sm uppercase sm:table-cell">{service.transport}</td>
      {/* Narrow, the transport goes under the port: four columns do not fit a phone's width beside the descriptions. */}
      <td className="py-2 pr-3 align-top font-mono text-sm tabular-nums">
        {service.port}
        <span className="block text-xs uppercase text-slate-600 sm:hidden dark:text-slate-300">{service.transport}</span>
      </td>
      <td className="py-2 align-top">
        <StateBadge state={service.state} />
      </td>
    </tr>
  );
}

export function ServiceStatus() {
  const t = useT("home");
  const locale = useLocale();
  const result = useLabStatus();

  let summary: string;
  if (result.kind === "checking") summary = t("statusChecking");
  else if (result.kind === "unreachable") summary = t("statusUnreachable");
  else {
    // A port the lab keeps closed on purpose is not a service that should be listening.
    const served = result.status.services.filter((s) => s.state !== "closed");
    const up = served.filter((s) => s.state === "listening").length;
    summary = t("statusSummary", { up, total: served.length });
  }

  return (
    <div className="space-y-3">
      <p
        role="status"
        className={
          result.kind === "unreachable"
            ? "rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
            : "text-sm"
        }
      >
        {result.kind === "unreachable" && <span aria-hidden="true">⚠ </span>}
        {summary}
      </p>
      {result.kind === "ok" && (
        <>
          <div className="overflow-x-auto">
            <table className="w-full min-w-[18rem] text-sm">
              <caption className="sr-only">{t("statusCaption")}</caption>
              <thead>
                <tr className="text-left text-xs uppercase tracking-wide text-slate-600 dark:text-slate-300">
                  <th scope="col" className="pb-1 pr-3 font-medium">
                    {t("colService")}
                  </th>
                  <th scope="col" className="hidden pb-1 pr-3 font-medium sm:table-cell">
                    {t("colTransport")}
                  </th>
                  <th scope="col" className="pb-1 pr-3 font-medium">
                    {t("colPort")}
                  </th>
                  <th scope="col" className="pb-1 font-medium">
                    {t("colState")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.status.services.map((service) => (
                  <ServiceRow key={`${service.name}:${service.port}`} service={service} />
                ))}
              </tbody>
            </table>
          </div>
          {result.status.clientAddress && (
            <p className="text-sm text-slate-700 dark:text-slate-300">
              {t("yourAddress", { address: result.status.clientAddress })}
            </p>
          )}
        </>
      )}
      {result.kind !== "checking" && (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {t("statusCheckedAt", { time: new Date(result.checkedAt).toLocaleTimeString(locale === "ru" ? "ru-RU" : "en-US") })}
        </p>
      )}
    </div>
  );
}
