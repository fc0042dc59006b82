"use client";
// The lessons' one door to the lab host's control API (lab.v1.LabService over Connect): open one of the
// lab's clients to a lab service, write bytes, half-close, close. Every lesson panel calls the API through
// `lab` here, so a change of the API is a change of this file only. useLabCall runs one call for a panel
// and turns a failure into a sentence for the student: Connect reports an unreachable host as Unavailable
// (fetch failed), and a refusal from the lab host (unknown service, connection gone) with its own code
// and message.

import { Code, ConnectError } from "@connectrpc/connect";
import { useCallback, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Conversation } from "@/gen/lab/v1/timeline_pb";
import { labClient } from "../lab-client";
import { recordWrites } from "./client-writes";

/** The control API's calls a lesson makes. Each rejects with the ConnectError the host answered. */
export const lab = {
  /** Opens one of the lab's clients to a lab service by name ("tcp-echo", "time", ...): the conversation the timeline will show. */
  async open(service: string): Promise<Conversation | undefined> {
    return (await labClient().open({ service })).conversation;
  },
  /** Writes the parts back to back, one write() each (remembered for the socket-calls diagram). */
  send(conversationId: string, parts: Uint8Array[]) {
    recordWrites(conversationId, parts.map((part) => part.length));
    return labClient().send({ conversationId, parts });
  },
  /** shutdown(SHUT_WR): the lab's client sends nothing more but can still read. */
  halfClose(conversationId: string) {
    return labClient().halfClose({ conversationId });
  },
  close(conversationId: string) {
    return labClient().close({ conversationId });
  },
};

export interface CallFailure {
  /** Connect's code as its protocol spells it: Code.Unavailable is "unavailable". */
  readonly code: string;
  /** The lab host's own words, or the transport's. */
  readonly message: string;
  /** The lab host did not answer at all (or a connect() behind the call was refused: also Unavailable). */
  readonly unavailable: boolean;
}

export function callFailure(error: unknown): CallFailure {
  const err = ConnectError.from(error);
  return {
    code: (Code[err.code] ?? String(err.code)).replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase(),
    message: err.rawMessage,
    unavailable: err.code === Code.Unavailable,
  };
}

export function useLabCall() {
  const t = useT("lessonKit");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  const run = useCallback(
    async <T>(call: () => Promise<T>): Promise<T | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await call();
      } catch (e) {
        const failure = callFailure(e);
        setError(failure.unavailable ? t("labUnreachable") : t("labRefused", { message: failure.message }));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [t],
  );

  return { run, pending, error, clearError: useCallback(() => setError(undefined), []) };
}
