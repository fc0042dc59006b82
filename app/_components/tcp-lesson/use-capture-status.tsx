"use client";
// Whether the lab captures real segments, and which port it keeps closed, from GET /api/status: asked
// once for the whole lesson when the page opens, again when the tab comes back into view (the lab may
// have been restarted with capture enabled meanwhile), and when the student asks.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { parseCaptureStatus, type CaptureStatusResult } from "../capture-status";

const TIMEOUT_MS = 4_000;

interface CaptureStatusState {
  readonly result: CaptureStatusResult;
  recheck(): void;
}

const CaptureStatusContext = createContext<CaptureStatusState>({ result: { kind: "checking" }, recheck: () => undefined });

async function fetchCaptureStatus(): Promise<CaptureStatusResult> {
  try {
    const response = await fetch("/api/status", { cache: "no-store", signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) return { kind: "unreachable" };
    const status = parseCaptureStatus(await response.json());
    return status ? { kind: "ok", ...status } : { kind: "unreachable" };
  } catch {
    return { kind: "unreachable" };
  }
}

export function CaptureStatusProvider({ children }: { children: React.ReactNode }) {
  const [result, setResult] = useState<CaptureStatusResult>({ kind: "checking" });
  const generation = useRef(0);

  const recheck = useCallback(() => {
    const mine = ++generation.current;
    void fetchCaptureStatus().then((next) => {
      // Only the latest request's answer counts.
      if (mine === generation.current) setResult(next);
    });
  }, []);

  useEffect(() => {
    recheck();
    const onVisible = () => {
      if (document.visibilityState === "visible") recheck();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      generation.current++;
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [recheck]);

  const value = useMemo(() => ({ result, recheck }), [result, recheck]);
  return <CaptureStatusContext.Provider value={value}>{children}</CaptureStatusContext.Provider>;
}

export function useCaptureStatus(): CaptureStatusState {
  return useContext(CaptureStatusContext);
}

/** True only when the lab host said it captures real segments. */
export function capturesSegments(result: CaptureStatusResult): boolean {
  return result.kind === "ok" && result.capture?.mode === "real segments";
}
