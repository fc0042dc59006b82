"use client";
// The send() calls this page asked the lab's client to make, per conversation: the sizes of the parts of
// each Send (one write() each). The timeline records the client's bytes as the server's socket read them,
// so it cannot tell one 100 KB send() from two reads of it, nor two quick sends from one; the socket-calls
// diagram takes the client's calls from here for the connections this page drives (model.ts socketSteps).

import { useSyncExternalStore } from "react";

const writes = new Map<string, readonly number[]>();
const listeners = new Set<() => void>();

/** Called as the page asks for the writes, before the host makes them (their events may come first). */
export function recordWrites(conversationId: string, sizes: readonly number[]): void {
  writes.set(conversationId, [...(writes.get(conversationId) ?? []), ...sizes]);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The sizes of the client's writes on a conversation, or undefined when this page made none there. */
export function useClientWrites(conversationId: string | undefined): readonly number[] | undefined {
  return useSyncExternalStore(
    subscribe,
    () => (conversationId ? writes.get(conversationId) : undefined),
    () => undefined,
  );
}
