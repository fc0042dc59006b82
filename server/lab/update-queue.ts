// What a server-streaming RPC that follows a socket needs (the WebSocket console, the messenger): updates the socket's
// listeners push at any time, yielded in order until the last one or until the caller goes away.

export interface UpdateQueue<U> {
  push(update: U): void;
  /** Yields every update pushed, in order, up to and including the one `last` names; stops when `signal` aborts. */
  drain(signal: AbortSignal, last: (update: U) => boolean): AsyncGenerator<U>;
}

export function createUpdateQueue<U>(): UpdateQueue<U> {
  const updates: U[] = [];
  let wake: (() => void) | undefined;
  return {
    push(update) {
      updates.push(update);
      wake?.();
    },
    async *drain(signal, last) {
      const onAbort = () => wake?.();
      signal.addEventListener("abort", onAbort);
      try {
        for (;;) {
          const next = updates.shift();
          if (next !== undefined) {
            yield next;
            if (last(next)) return;
            continue;
          }
          if (signal.aborted) return;
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
    },
  };
}
