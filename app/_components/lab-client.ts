"use client";
// The browser's client for the lab's control API (same origin, Connect protocol over fetch).
//
// Every call carries the page's token (the host rendered it into the page, see app/layout.tsx): the host
// takes a call for the session the token names, so a lab_session cookie planted by a page on another
// port of the same host cannot redirect this page's calls. A call the host answers "unauthenticated"
// means this page's session is gone (the host restarted); the page says so (SessionLostNotice).

import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { LabService } from "@/gen/lab/v1/lab_pb";
import { PAGE_TOKEN_HEADER, PAGE_TOKEN_META } from "./page-token";


let client: ReturnType<typeof createClient<typeof LabService>> | undefined;
let sessionLost = false;
const lostListeners = new Set<() => void>();

/** The token the host gave this page, if it gave one. */
export function pageToken(): string | undefined {
  if (typeof document === "undefined") return undefined;
  return document.querySelector<HTMLMetaElement>(`meta[name="${PAGE_TOKEN_META}"]`)?.content || undefined;
}

const withPageToken: Interceptor = (next) => async (req) => {
  const token = pageToken();
  if (token) req.header.set(PAGE_TOKEN_HEADER, token);
  try {
    return await next(req);
  } catch (err) {
    if (err instanceof ConnectError && err.code === Code.Unauthenticated && !sessionLost) {
      sessionLost = true;
      for (const listener of lostListeners) listener();
    }
    throw err;
  }
};

export function labClient() {
  client ??= createClient(
    LabService,
    createConnectTransport({
      baseUrl: typeof window === "undefined" ? "http://localhost" : window.location.origin,
      interceptors: [withPageToken],
    }),
  );
  return client;
}

/** Whether the host no longer knows this page's session (for useSyncExternalStore). */
export function isSessionLost(): boolean {
  return sessionLost;
}

export function onSessionLost(listener: () => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}
