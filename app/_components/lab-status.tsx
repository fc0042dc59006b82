"use client";
// Live status of the lab host from GET /api/status, polled every 5 seconds while the page is visible and
// shared through context, so everything on one page (status table, commands, timeline, capture notes)
// makes one request, not one each.

import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { parseCaptureStatus, type CaptureStatus } from "./capture-status";

export interface LabServiceStatus {
  readonly name: string;
  readonly transport: string;
  readonly host: string;
  readonly port: number;
  readonly state: string;
}

export interface LabStatus extends CaptureStatus {
  readonly host: string;
  readonly clientAddress: string;
  readonly services: readonly LabServiceStatus[];
}

export type LabStatusResult =
  | { readonly kind: "checking" }
  | { readonly kind: "ok"; readonly status: LabStatus; readonly checkedAt: number }
  | { readonly kind: "unreachable"; readonly checkedAt: number };

const POLL_MS = 5_000;
// A request that takes longer than the poll interval means the host is not answering.
const TIMEOUT_MS = 4_000;

const LabStatusContext = createContext<LabStatusResult>({ kind: "checking" });
/** Asks again at once (a student who just enabled capture and restarted the lab). */
const RecheckContext = createContext<() => void>(() => undefined);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Checks the JSON's shape instead of trusting it: a half-started host may answer with anything. */
export function parseLabStatus(json: unknown): LabStatus | undefined {
  if (!isRecord(json) || typeof json.host !== "string" || !Array.isArray(json.services)) return undefined;
  const services: LabServiceStatus[] = [];
  for (const s of json.services) {
    if (!isRecord(s) || typeof s.name !== "string" || typeof s.port !== "number") continue;
    services.push({
      name: s.name,
      transport: typeof s.transport === "string" ? s.transport : "tcp",
      host: typeof s.host === "string" ? s.host : json.host,
      port: s.port,
      state: typeof s.state === "string" ? s.state : "unknown",
    });
  }
  const { capture, closedPort } = parseCaptureStatus(json) ?? { capture: undefined, closedPort: undefined };
  return {
    host: json.host,
    clientAddress: typeof json.clientAddress === "string" ? json.clientAddress : "",
    services,
    capture,
    closedPort,
  };
}

async function fetchStatus(): Promise<LabStatus | undefined> {
  try {
    const response = await fetch("/api/status", { cache: "no-store", signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) return undefined;
    return parseLabStatus(await response.json());
  } catch {
    return undefined;
  }
}

export function LabStatusProvider({ children }: { children: React.ReactNode }) {
  const [result, setResult] = useState<LabStatusResult>({ kind: "checking" });
  const pollRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // One loop only: a visibility change or a recheck during a request must not start a second one.
    let inFlight = false;

    async function poll() {
      if (inFlight) return;
      inFlight = true;
      clearTimeout(timer);
      // A hidden tab does not need fresh status; visibilitychange below polls again on return.
      if (document.visibilityState === "visible") {
        const status = await fetchStatus();
        if (stopped) return;
        const checkedAt = Date.now();
        setResult(status ? { kind: "ok", status, checkedAt } : { kind: "unreachable", checkedAt });
      }
      inFlight = false;
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }
    pollRef.current = () => void poll();

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

  const recheck = useCallback(() => pollRef.current(), []);
  return (
    <LabStatusContext.Provider value={result}>
      <RecheckContext.Provider value={recheck}>{children}</RecheckContext.Provider>
    </LabStatusContext.Provider>
  );
}

/** Needs a LabStatusProvider above it. */
export function useLabStatus(): LabStatusResult {
  return useContext(LabStatusContext);
}

export function useLabStatusRecheck(): () => void {
  return useContext(RecheckContext);
}
