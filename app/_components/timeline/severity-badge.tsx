"use client";
// A finding's severity as a small badge: colour (Wireshark's expert-info levels: chat grey, note blue,
// warn amber, error red) plus a distinct glyph, so it never depends on colour alone.

import { useLocale, useT } from "@/app/_i18n/client";
import { findingText, type ShownFinding } from "@/app/_i18n/findings";
import { Severity } from "@/gen/lab/v1/timeline_pb";
import { severityName } from "./describe";

const STYLE: Record<Severity, { glyph: string; className: string }> = {
  [Severity.UNSPECIFIED]: { glyph: "•", className: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100" },
  [Severity.CHAT]: { glyph: "•", className: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100" },
  [Severity.NOTE]: { glyph: "i", className: "bg-blue-100 text-blue-900 dark:bg-blue-900 dark:text-blue-100" },
  [Severity.WARN]: { glyph: "!", className: "bg-amber-200 text-amber-950 dark:bg-amber-800 dark:text-amber-50" },
  [Severity.ERROR]: { glyph: "×", className: "bg-red-700 text-white dark:bg-red-700 dark:text-white" },
};

/**
 * Compact (on the ladder), the badge's tooltip and text alternative are the finding in words, in the reader's
 * language (app/_i18n/findings.ts), never its code; in the details panel it shows the severity word.
 */
export function SeverityBadge({ severity, finding, compact = false }: { severity: Severity; finding?: ShownFinding; compact?: boolean }) {
  const t = useT("timeline");
  const locale = useLocale();
  const { glyph, className } = STYLE[severity] ?? STYLE[Severity.CHAT];
  const name = severityName(t, severity);
  const words = compact && finding ? t("findingName", { severity: name, text: findingText(locale, finding) }) : name;
  return (
    <span
      title={compact ? words : undefined}
      className={`inline-flex h-4 shrink-0 items-center gap-1 rounded-full px-1.5 text-[11px] font-bold leading-none ${className}`}
    >
      <span aria-hidden="true">{glyph}</span>
      {compact ? <span className="sr-only">{words}</span> : <span>{name}</span>}
    </span>
  );
}
