"use client";
// Whether the lab host captures real segments, from GET /api/status: fetched on mount and every 10
// seconds while the page is visible. The home page's status provider is not above every timeline, and
// the timeline needs only this one field of the status.

import { useEffect, useState } from "react";
import { parseCaptureStatus, type CaptureStatus } from "./model";

const POLL_MS = 10_000;
const TIMEOUT_MS = 4_000;

async function fetchCapture(): Promise<CaptureStatus> {
  try {
    const response = await fetch("/api/status", { cache: "no-store", signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) return { mode: "unknown" };
    return parseCaptureStatus(await response.json());
  } catch {
    return { mode: "unknown" };
  }
}

function same(a: CaptureStatus, b: CaptureStatus): boolean {
  return a.mode === b.mode && (a.mode !== "socket" || b.mode !== "socket" || a.reason === b.reason);
}

export function useCaptureStatus(): CaptureStatus {
  const [status, setStatus] = useState<CaptureStatus>({ mode: "unknown" });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;

    async function poll() {
      if (inFlight) return;
      inFlight = true;
      clearTimeout(timer);
      if (document.visibilityState === "visible") {
        const next = await fetchCapture();
        if (stopped) return;
        // A host that stops answering keeps its last known mode: capture does not change while it runs.
        if (next.mode !== "unknown") setStatus((current) => (same(current, next) ? current : next));
      }
      inFlight = false;
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }

    function onVisible() {
      if (document.visibilityState === "visible") void poll();
    }

    void poll();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);

  return status;
}
