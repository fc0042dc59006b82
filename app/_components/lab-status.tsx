"use client";
// Live status of the lab host from its Status RPC (lab.v1.LabService), polled every 5 seconds while the page is visible and
// shared through context, so everything on one page (status table, commands, timeline, capture notes)
// makes one request, not one each.

import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { ServiceState, type StatusResponse } from "@/gen/lab/v1/lab_pb";
import { Transport } from "@/gen/lab/v1/timeline_pb";
import { captureStatusFrom, type CaptureStatus } from "./capture-status";
import { labClient } from "./lab-client";

export interface LabServiceStatus {
  readonly name: string;
  readonly transport: "tcp" | "udp";
  readonly host: string;
  readonly port: number;
  readonly state: "listening" | "failed" | "stopped" | "closed" | "unknown";
  readonly protocol: string;
  /** jim: "guest" or "accounts"; empty for other services (and hosts from before the field). */
  readonly mode?: string;
}

export interface LabStatus extends CaptureStatus {
  readonly host: string;
  readonly clientAddress: string;
  readonly services: readonly LabServiceStatus[];
  /** This run of the lab host: it changes when the host restarts. */
  readonly runId: string;
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

const STATES: Readonly<Record<ServiceState, LabServiceStatus["state"]>> = {
  [ServiceState.UNSPECIFIED]: "unknown",
  [ServiceState.LISTENING]: "listening",
  [ServiceState.FAILED]: "failed",
  [ServiceState.STOPPED]: "stopped",
  [ServiceState.CLOSED]: "closed",
};

/** The pages' view of the host's Status message. */
export function labStatusFrom(message: StatusResponse): LabStatus {
  return {
    host: message.host,
    clientAddress: message.clientAddress,
    services: message.services.map((s) => ({
      name: s.name,
      transport: s.transport === Transport.UDP ? "udp" : "tcp",
      host: s.host || message.host,
      port: s.port,
      state: STATES[s.state] ?? "unknown",
      protocol: s.protocol,
      mode: s.mode,
    })),
    runId: message.runId,
    ...captureStatusFrom(message),
  };
}

async function fetchStatus(): Promise<LabStatus | undefined> {
  try {
    return labStatusFrom(await labClient().status({}, { timeoutMs: TIMEOUT_MS }));
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
