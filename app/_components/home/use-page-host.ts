"use client";
// The host name in the browser's address bar, for commands when the lab listens on a wildcard address.
// useSyncExternalStore gives the server render an empty value and the browser the real one, without a
// hydration mismatch.

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

export function usePageHost(): string {
  return useSyncExternalStore(
    subscribe,
    () => window.location.hostname,
    () => "",
  );
}
