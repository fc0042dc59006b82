"use client";
// Why the lab does not capture packets, in the reader's language: the host's code as a sentence, then the
// capture program's own words as they are (they come from tcpdump and are not translated). Shared by the
// timeline and the lessons; a host too old to send a code is left to the caller, which shows its line.

import { useT } from "@/app/_i18n/client";
import type { CaptureOffCode, LabCapture } from "./capture-status";

const SENTENCE = {
  "turned-off": "captureOffTurnedOff",
  "no-program": "captureOffNoProgram",
  "not-permitted": "captureOffNotPermitted",
  "did-not-start": "captureOffDidNotStart",
  stopped: "captureOffStopped",
} as const satisfies Record<CaptureOffCode, string>;

/** Renders nothing without a code. `detailClassName` styles the box with the program's words. */
export function CaptureReason({ capture, detailClassName }: { capture: Pick<LabCapture, "code" | "detail">; detailClassName: string }) {
  const t = useT("common");
  if (!capture.code) return null;
  return (
    <>
      <p>{t(SENTENCE[capture.code])}</p>
      {capture.detail && (
        <>
          <p>{t("captureOffDetail")}</p>
          <p className={detailClassName}>{capture.detail}</p>
        </>
      )}
    </>
  );
}
