"use client";
// What a route's error boundary shows: a plain explanation, a retry, a way back. Focus moves to the
// heading so a keyboard or screen-reader user lands on the message instead of a vanished control.

import Link from "next/link";
import { useEffect, useRef } from "react";
import { useT } from "@/app/_i18n/client";

export function ErrorPanel({ error, retry, detail }: { error: unknown; retry: () => void; detail?: string }) {
  const common = useT("common");
  const t = useT("home");
  const heading = useRef<HTMLHeadingElement>(null);
  // Server errors reach the browser as a digest only (their message stays in the server log).
  const digest =
    typeof error === "object" && error !== null && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;

  useEffect(() => {
    console.error(error);
    heading.current?.focus();
  }, [error]);

  return (
    <div role="alert" className="mx-auto max-w-xl space-y-4 rounded-lg border border-red-300 bg-red-50 p-6 dark:border-red-800 dark:bg-red-950">
      <h1 ref={heading} tabIndex={-1} className="text-xl font-semibold outline-none">
        {common("errorTitle")}
      </h1>
      <p className="text-sm">{detail ?? t("errorText")}</p>
      {digest && <p className="font-mono text-xs text-slate-700 dark:text-slate-300">{t("errorDigest", { digest })}</p>}
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          onClick={() => retry()}
          className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:bg-blue-300 dark:text-slate-950 dark:hover:bg-blue-200 dark:focus-visible:outline-blue-300"
        >
          {common("errorRetry")}
        </button>
        <Link
          href="/"
          className="rounded px-3 py-1.5 text-sm font-medium text-blue-800 underline hover:no-underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:text-blue-300 dark:focus-visible:outline-blue-300"
        >
          {common("notFoundBack")}
        </Link>
      </div>
    </div>
  );
}
