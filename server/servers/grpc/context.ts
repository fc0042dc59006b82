// What every handler of 50051 reads from its call's context: the data set of the connection's lab session
// (server/store), found once the bus knows whose the conversation is, and the pace of streamed answers.

import { Code, ConnectError, createContextKey, type HandlerContext } from "@connectrpc/connect";
import { StoreError, type LabStore } from "../../store/store";

/** Resolves the call's data set: its connection's lab session, else the public set. */
export const datasetKey = createContextKey<() => Promise<string>>(() => Promise.resolve("public"), { description: "the call's data set" });

export interface UserServiceDeps {
  readonly store: LabStore;
  /** Milliseconds between two messages of a server stream, so the student can watch it arrive. */
  readonly paceMs: number;
}

export function datasetOf(ctx: HandlerContext): Promise<string> {
  return ctx.values.get(datasetKey)();
}

/**
 * Why a call ended early, in gRPC's words: DEADLINE_EXCEEDED when its remaining time (the client's
 * grpc-timeout, counted server-side) is up, else the abort's own status, else CANCELLED (the client reset
 * the stream: its own deadline passing looks the same from here until the server's runs out too).
 */
export function endedEarly(ctx: HandlerContext): ConnectError {
  const remaining = ctx.timeoutMs();
  if (remaining !== undefined && remaining <= 0) return new ConnectError("the call's deadline passed", Code.DeadlineExceeded);
  const reason: unknown = ctx.signal.reason;
  return reason instanceof ConnectError ? reason : new ConnectError("the client cancelled the call", Code.Canceled);
}

/** Waits `ms`, or rejects when the call ends first (endedEarly). */
export function pause(ms: number, ctx: HandlerContext): Promise<void> {
  const signal = ctx.signal;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(endedEarly(ctx));
    const onAbort = () => {
      clearTimeout(timer);
      reject(endedEarly(ctx));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** A store refusal in gRPC's words: a full data set is RESOURCE_EXHAUSTED. */
export function storeCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StoreError && err.code === "full") throw new ConnectError(err.message, Code.ResourceExhausted);
    throw err;
  }
}
