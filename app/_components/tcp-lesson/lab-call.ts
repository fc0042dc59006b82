"use client";
// Runs one LabService call for a panel and turns a failure into a sentence for the student.
// Connect reports an unreachable host as Unavailable (fetch failed) and a refusal from the lab host
// (unknown service, connection gone) with its own code and message.

import { Code, ConnectError } from "@connectrpc/connect";
import { useCallback, useState } from "react";
import { useT } from "@/app/_i18n/client";

export function useLabCall() {
  const t = useT("tcpLesson");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  const run = useCallback(
    async <T>(call: () => Promise<T>): Promise<T | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await call();
      } catch (e) {
        const err = ConnectError.from(e);
        setError(err.code === Code.Unavailable ? t("labUnreachable") : t("labRefused", { message: err.rawMessage }));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [t],
  );

  return { run, pending, error, clearError: useCallback(() => setError(undefined), []) };
}
