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

/** Waits `ms`, or rejects with the call's abort reason (its deadline passed, the client cancelled). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
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
