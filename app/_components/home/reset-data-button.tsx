"use client";
// The data-reset button: puts this session's data set (seed 000's users, the workshop's dummies) back to the seed
// data with LabService.ResetData, after the student confirms, and says what it did. The data set is the one the
// session's lab clients and the programs at its browser's address (curl) read and write on the HTTP server.
// Used on the home page's HTTP card and by the request composer.

import { useEffect, useId, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { labClient } from "../lab-client";

type State = { kind: "idle" } | { kind: "confirming" } | { kind: "working" } | { kind: "done"; users: number; dummies: number } | { kind: "failed" };

const BUTTON =
  "rounded border px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 disabled:opacity-60 dark:focus-visible:outline-sky-300";

export function ResetDataButton({ className = "" }: { className?: string }) {
  const t = useT("home");
  const id = useId();
  const [state, setState] = useState<State>({ kind: "idle" });
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    // Focus follows the question: to its confirm button when it opens, back to the button when it is dismissed.
    if (state.kind === "confirming") confirmRef.current?.focus();
    else if (wasConfirming.current && state.kind === "idle") openRef.current?.focus();
    wasConfirming.current = state.kind === "confirming";
  }, [state.kind]);

  async function reset() {
    setState({ kind: "working" });
    try {
      const answer = await labClient().resetData({});
      setState({ kind: "done", users: answer.users, dummies: answer.dummies });
    } catch {
      setState({ kind: "failed" });
    }
  }

  return (
    <div className={`space-y-2 ${className}`}>
      {state.kind === "confirming" ? (
        <div role="group" aria-labelledby={`${id}-question`} className="space-y-2 rounded border border-amber-400 bg-amber-50 p-2 dark:border-amber-700 dark:bg-amber-950">
          <p id={`${id}-question`} className="text-sm text-amber-950 dark:text-amber-50">
            {t("resetQuestion")}
          </p>
          <div className="flex flex-wrap gap-2">
            <button
              ref={confirmRef}
              type="button"
              onClick={() => void reset()}
              className={`${BUTTON} border-red-700 bg-red-700 text-white hover:bg-red-800 dark:border-red-400 dark:bg-red-400 dark:text-slate-950 dark:hover:bg-red-300`}
            >
              {t("resetConfirm")}
            </button>
            <button
              type="button"
              onClick={() => setState({ kind: "idle" })}
              className={`${BUTTON} border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800`}
            >
              {t("resetCancel")}
            </button>
          </div>
        </div>
      ) : (
        <button
          ref={openRef}
          type="button"
          disabled={state.kind === "working"}
          onClick={() => setState({ kind: "confirming" })}
          className={`${BUTTON} border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800`}
        >
          {state.kind === "working" ? t("resetWorking") : t("resetButton")}
        </button>
      )}
      <p role="status" className="text-sm text-slate-800 dark:text-slate-200">
        {state.kind === "done" ? t("resetDone", { users: state.users, dummies: state.dummies }) : ""}
      </p>
      {state.kind === "failed" && (
        <p role="alert" className="text-sm text-red-800 dark:text-red-200">
          {t("resetFailed")}
        </p>
      )}
    </div>
  );
}
