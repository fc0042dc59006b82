"use client";
// Shown when the lab host no longer knows this page's session (it restarted, or the session was
// closed): nothing the page does reaches the lab until it is reloaded, so say so and offer the reload.

import { useSyncExternalStore } from "react";
import { useT } from "../../_i18n/client";
import { isSessionLost, onSessionLost } from "../lab-client";

export function SessionLostNotice() {
  const t = useT("common");
  const lost = useSyncExternalStore(onSessionLost, isSessionLost, () => false);
  if (!lost) return null;
  return (
    <div role="alert" className="border-b border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <div className="mx-auto flex max-w-(--page-max) flex-wrap items-center justify-between gap-3 px-4 py-2 text-sm">
        <p>{t("sessionLost")}</p>
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="rounded bg-amber-900 px-3 py-1 font-medium text-white hover:bg-amber-800 focus-visible:outline-2 focus-visible:outline-offset-2 dark:bg-amber-200 dark:text-amber-950 dark:hover:bg-amber-100"
        >
          {t("sessionLostReload")}
        </button>
      </div>
    </div>
  );
}
