"use client";
// The HTTP lessons' requests: sent by the lab's tapped HTTP client (lab.v1.SendHttp, server/clients/http.ts), so
// every byte lands on the timeline, and answered with what the client read. A panel keeps the exchanges of its
// last run (a request and any redirects it followed), or of several runs in a row when it compares them.

import { useCallback, useState } from "react";
import { HttpClientError, type HttpExchange, type SendHttpResponse } from "@/gen/lab/v1/lab_pb";
import { utf8 } from "../lesson-kit/bytes";
import { useLabCall } from "../lesson-kit/lab-call";
import { labClient } from "../lab-client";

export interface HttpRequestSpec {
  readonly method: string;
  /** The path and query on the lab's http service. */
  readonly url: string;
  readonly headers?: readonly (readonly [name: string, value: string])[];
  readonly body?: string;
  readonly follow?: boolean;
  readonly maxRedirects?: number;
}

/** One request as a panel shows it: the exchanges it made, and why it stopped early if it did. */
export interface HttpRun {
  readonly spec: HttpRequestSpec;
  readonly exchanges: readonly HttpExchange[];
  readonly error: HttpClientError;
  readonly errorMessage: string;
}

export function sendHttp(spec: HttpRequestSpec): Promise<SendHttpResponse> {
  return labClient().sendHttp({
    method: spec.method,
    url: spec.url,
    headers: (spec.headers ?? []).map(([name, value]) => ({ name, value })),
    body: utf8(spec.body ?? ""),
    followRedirects: spec.follow ?? false,
    maxRedirects: spec.maxRedirects ?? 0,
  });
}

/** Sends requests one after another for a panel; `runs` holds what came back, the newest last. */
export function useHttpRuns() {
  const { run, pending, error } = useLabCall();
  const [runs, setRuns] = useState<readonly HttpRun[]>([]);

  const send = useCallback(
    async (spec: HttpRequestSpec, keep: "append" | "replace" = "append"): Promise<HttpRun | undefined> => {
      const answer = await run(() => sendHttp(spec));
      if (!answer) return undefined;
      const result: HttpRun = { spec, exchanges: answer.exchanges, error: answer.error, errorMessage: answer.errorMessage };
      setRuns((prev) => (keep === "replace" ? [result] : [...prev, result]));
      return result;
    },
    [run],
  );

  /**
   * Sends the requests one after another, each after the previous answer, and calls `progress` with the final
   * exchanges so far after each; stops at the first that fails. Returns them all.
   */
  const sendEach = useCallback(
    async (specs: readonly HttpRequestSpec[], progress: (done: readonly HttpExchange[]) => void): Promise<readonly HttpExchange[]> => {
      const done: HttpExchange[] = [];
      progress([]);
      for (const spec of specs) {
        const answer = finalExchange(await send(spec, "replace"));
        if (!answer) break;
        done.push(answer);
        progress([...done]);
      }
      return done;
    },
    [send],
  );

  const clear = useCallback(() => setRuns([]), []);
  return { runs, send, sendEach, clear, pending, error };
}

/** The last exchange of a run: the final answer, after any redirects followed. */
export function finalExchange(run: HttpRun | undefined): HttpExchange | undefined {
  return run?.exchanges.at(-1);
}

export const decodeBody = (exchange: HttpExchange) => new TextDecoder("utf-8", { fatal: false }).decode(exchange.body);
