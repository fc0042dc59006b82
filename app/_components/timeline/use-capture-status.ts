"use client";
// Whether the lab host captures real segments, from the page's shared lab status (a LabStatusProvider
// must be above the timeline). A host that stops answering keeps its last known mode: capture does not
// change while the host runs.

import { useState } from "react";
import { useLabStatus } from "../lab-status";
import { captureStatusOf, sameCaptureStatus, type CaptureStatus } from "./model";

export function useCaptureStatus(): CaptureStatus {
  const status = useLabStatus();
  const [known, setKnown] = useState<CaptureStatus>({ mode: "unknown" });
  const next = status.kind === "ok" ? captureStatusOf(status.status.capture) : undefined;
  // Derived state, kept across answers (React's "storing information from previous renders").
  if (next && !sameCaptureStatus(known, next)) setKnown(next);
  return next ?? known;
}
