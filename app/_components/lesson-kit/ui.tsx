// Small building blocks shared by every lesson's panels: buttons, fields, the panel frame, the connection
// badge, the frame of a box beside the timeline. No hooks here, so server and client components can both
// use them.

import type { ConnectionState } from "./connection";
import { Rich } from "./prose";

const focusRing =
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300";

export const buttonPrimary = `rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700 dark:bg-blue-300 dark:text-slate-950 dark:hover:bg-blue-200 dark:disabled:bg-slate-700 dark:disabled:text-slate-300 ${focusRing}`;

export const buttonSecondary = `rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:border-slate-300 disabled:text-slate-500 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 dark:disabled:border-slate-700 dark:disabled:text-slate-400 ${focusRing}`;

/** A small secondary button, for an action repeated on every item of a list. */
export const buttonSmall = `rounded border border-slate-400 bg-white px-2 py-0.5 text-xs font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 ${focusRing}`;

const fieldLook = `rounded border border-slate-400 bg-white px-2 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 ${focusRing}`;
export const inputClass = `w-full min-w-0 py-1.5 font-mono ${fieldLook}`;
export const selectClass = fieldLook;

export function Panel({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-5 dark:border-slate-700 dark:bg-slate-900"
    >
      <h3 id={`${id}-heading`} className="text-lg font-semibold">
        <Rich text={title} />
      </h3>
      {children}
    </section>
  );
}

/** A box in the lesson's aside, above the timeline (a live diagram), and the look of its heading. */
export const asideBoxClass = "rounded-lg border border-slate-200 p-3 dark:border-slate-700";
export const asideHeadingClass = "scroll-mt-4 text-lg font-semibold";

/** Local states come before the timeline reports anything: nothing opened yet, or the RPC is running. */
export type PanelState = ConnectionState | "idle" | "connecting";

const STATE_LOOK: Record<PanelState, { icon: string; className: string }> = {
  idle: { icon: "○", className: "text-slate-700 ring-slate-400 dark:text-slate-300" },
  connecting: { icon: "…", className: "text-slate-800 ring-slate-500 dark:text-slate-200" },
  open: { icon: "●", className: "bg-emerald-50 text-emerald-800 ring-emerald-600/40 dark:bg-emerald-950 dark:text-emerald-200" },
  clientHalfClosed: { icon: "◐", className: "bg-amber-50 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-100" },
  serverHalfClosed: { icon: "◑", className: "bg-amber-50 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-100" },
  bothHalfClosed: { icon: "◌", className: "bg-amber-50 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-100" },
  closed: { icon: "■", className: "bg-slate-100 text-slate-800 ring-slate-500/40 dark:bg-slate-800 dark:text-slate-100" },
  error: { icon: "✕", className: "bg-red-50 text-red-800 ring-red-600/40 dark:bg-red-950 dark:text-red-200" },
};

/** The state as a word with an icon; the colour only repeats what the word says. */
export function StateBadge({ state, label }: { state: PanelState; label: string }) {
  const look = STATE_LOOK[state];
  return (
    <span className={`inline-flex items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.className}`}>
      <span aria-hidden="true">{look.icon}</span>
      {label}
    </span>
  );
}

export function ErrorText({ children }: { children: React.ReactNode }) {
  return (
    <p role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      {children}
    </p>
  );
}

/** Bytes as a learner reads them: the text with control characters spelled out. */
export function BytesText({ text }: { text: string }) {
  return (
    <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-sm text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      {text}
    </pre>
  );
}
