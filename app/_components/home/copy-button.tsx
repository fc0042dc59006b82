"use client";
// Copies a command and says so in an aria-live status. The Clipboard API exists only in secure contexts
// (https or localhost); in class mode students open the lab over plain http on the LAN, so there is a
// fallback through a selected textarea, and if that fails too the student is told how to copy by hand.

import { useEffect, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";

type CopyState = "idle" | "copied" | "failed";

function copyWithTextarea(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

async function copyText(text: string): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission denied or document not focused: try the old way below.
    }
  }
  return copyWithTextarea(text);
}

export function CopyButton({ text, name }: { text: string; name: string }) {
  const t = useT("home");
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  async function onCopy() {
    const ok = await copyText(text);
    setState(ok ? "copied" : "failed");
    clearTimeout(timer.current);
    // The failure hint stays: the student needs it to copy by hand.
    if (ok) timer.current = setTimeout(() => setState("idle"), 3000);
  }

  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        onClick={onCopy}
        aria-label={t("copyNamed", { name })}
        className="rounded border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus-visible:outline-blue-400"
      >
        {t("copy")}
      </button>
      <span role="status" className="text-xs text-slate-700 dark:text-slate-300">
        {state === "copied" ? t("copied") : state === "failed" ? t("copyFailed") : ""}
      </span>
    </div>
  );
}
