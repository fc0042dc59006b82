"use client";
// Whether the lab captures real segments, and which port it keeps closed, as the lesson's panels read it:
// from the page's shared lab status (LabStatusProvider, the Status RPC).

import { useMemo } from "react";
import { useLabStatus, useLabStatusRecheck } from "../lab-status";
import { CaptureMode, type CaptureStatusResult } from "../capture-status";

interface CaptureStatusState {
  readonly result: CaptureStatusResult;
  /** Asks the lab host again at once. */
  recheck(): void;
}

export function useCaptureStatus(): CaptureStatusState {
  const status = useLabStatus();
  const recheck = useLabStatusRecheck();
  const result = useMemo<CaptureStatusResult>(() => {
    if (status.kind === "checking") return { kind: "checking" };
    if (status.kind === "unreachable") return { kind: "unreachable" };
    return { kind: "ok", capture: status.status.capture, closedPort: status.status.closedPort };
  }, [status]);
  return { result, recheck };
}

/** True only when the lab host said it captures real segments. */
export function capturesSegments(result: CaptureStatusResult): boolean {
  return result.kind === "ok" && result.capture?.mode === CaptureMode.REAL_SEGMENTS;
}
