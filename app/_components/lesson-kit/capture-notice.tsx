"use client";
// What a segment panel says instead of segments when the lab does not capture packets: that real segments
// are not available, the lab host's own reason, the command that enables capture (copyable), and, in
// words only, what the panel would list. Nothing here looks like a captured segment.

import { useT } from "@/app/_i18n/client";
import { CommandBlock } from "../home/command-block";
import { CaptureReason } from "../capture-reason";
import { CaptureMode, captureCommand } from "../capture-status";
import { Rich } from "./prose";
import { buttonSecondary } from "./ui";
import { useCaptureStatus } from "./use-capture-status";

const DETAIL = "rounded bg-white/70 p-2 font-mono text-xs break-words text-slate-900 dark:bg-slate-900 dark:text-slate-100";
const box = "space-y-2 rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50";

/** Renders nothing while the lab captures real segments. `expect` says what the panel would show. */
export function CaptureNotice({ expect }: { expect?: string }) {
  const t = useT("lessonKit");
  const { result, recheck } = useCaptureStatus();

  if (result.kind === "checking") return <p className="text-sm text-slate-700 dark:text-slate-300">{t("captureChecking")}</p>;
  if (result.kind === "ok" && result.capture?.mode === CaptureMode.REAL_SEGMENTS) return null;

  const recheckButton = (
    <button type="button" className={buttonSecondary} onClick={recheck}>
      {t("captureRecheck")}
    </button>
  );

  if (result.kind === "unreachable" || !result.capture) {
    return (
      <div className={box}>
        <p>
          <span aria-hidden="true">⚠ </span>
          {result.kind === "unreachable" ? t("captureUnreachable") : t("captureUnknown")}
        </p>
        {recheckButton}
      </div>
    );
  }

  const { capture } = result;
  const { reason } = capture;
  const command = captureCommand(capture);
  return (
    <div className={box}>
      <p className="font-semibold">
        <span aria-hidden="true">⚠ </span>
        {t("captureOffTitle")}
      </p>
      <p>{t("captureOffP1")}</p>
      <CaptureReason capture={capture} detailClassName={DETAIL} />
      {!capture.code && reason !== "" && (
        <>
          <p>{t("captureOffReason")}</p>
          <p className={DETAIL}>{reason}</p>
        </>
      )}
      {command && (
        <div className="text-slate-900 dark:text-slate-100">
          <CommandBlock label={t("captureOffCommand")} code={command} />
        </div>
      )}
      <p>{t(command ? "captureOffAfter" : "captureOffRestart")}</p>
      {recheckButton}
      {expect && (
        <p className="border-t border-amber-300 pt-2 dark:border-amber-800">
          <Rich text={expect} />
        </p>
      )}
    </div>
  );
}
