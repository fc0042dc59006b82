"use client";
// One copyable command or program: a caption, the code, and a Copy button named after the caption
// (or after copyName when several blocks share a caption, so each button's name stays unique).

import { useId } from "react";
import { CopyButton } from "./copy-button";

export function CommandBlock({ label, code, copyName }: { label: string; code: string; copyName?: string }) {
  const captionId = useId();
  return (
    <figure aria-labelledby={captionId} className="min-w-0 rounded-lg border border-slate-200 dark:border-slate-700">
      {/* The caption wraps beside the button, so Copy stays on the caption's first line on every card. */}
      <div className="flex items-start justify-between gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-700">
        <figcaption id={captionId} className="min-w-0 self-center text-sm font-medium">
          {label}
        </figcaption>
        <div className="max-w-[60%] shrink-0">
          <CopyButton text={code} name={copyName ?? label} />
        </div>
      </div>
      {/* tabIndex: a scrollable region must be reachable by keyboard to scroll it (WCAG 2.1.1). */}
      <pre
        tabIndex={0}
        aria-labelledby={captionId}
        className="overflow-x-auto bg-slate-50 px-3 py-2 text-sm focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-600 dark:bg-slate-900 dark:focus-visible:outline-blue-400"
      >
        <code className="font-mono">{code}</code>
      </pre>
    </figure>
  );
}
