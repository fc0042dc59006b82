"use client";
// The browser's client for the lab's control API (same origin, Connect protocol over fetch).
//
// Every call carries the page's token (the host rendered it into the page, see app/layout.tsx): the host
// takes a call for the session the token names, so a lab_session cookie planted by a page on another
// port of the same host cannot redirect this page's calls. The token that worked is kept in this
// origin's storage, which other ports cannot touch, and offered first: a planted cookie that won a
// reload's page visit (and so the rendered token) still does not win the page. A call the host answers
// "unauthenticated" means this page's session is gone (the host restarted); the page says so
// (SessionLostNotice).

import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { LabService } from "@/gen/lab/v1/lab_pb";
import { PAGE_TOKEN_HEADER, PAGE_TOKEN_META } from "./page-token";


let client: ReturnType<typeof createClient<typeof LabService>> | undefined;
let sessionLost = false;
const lostListeners = new Set<() => void>();

const KEPT_TOKEN = "lab-page-token";

/** The token the host rendered into this page, if it gave one. */
function renderedToken(): string | undefined {
  if (typeof document === "undefined") return undefined;
  return document.querySelector<HTMLMetaElement>(`meta[name="${PAGE_TOKEN_META}"]`)?.content || undefined;
}

function keptToken(): string | undefined {
  try {
    return window.localStorage.getItem(KEPT_TOKEN) ?? undefined;
  } catch {
    return undefined; // storage turned off: the rendered token alone
  }
}

function keep(token: string) {
  try {
    window.localStorage.setItem(KEPT_TOKEN, token);
  } catch {
    // storage turned off or full: nothing to keep
  }
}

/** The tokens to offer, this page's preference first. */
export function pageTokens(): string[] {
  const tokens = [keptToken(), renderedToken()].filter((t): t is string => t !== undefined && /^[A-Za-z0-9_-]{43}$/.test(t));
  return [...new Set(tokens)];
}

const withPageToken: Interceptor = (next) => async (req) => {
  const tokens = pageTokens();
  if (tokens.length > 0) req.header.set(PAGE_TOKEN_HEADER, tokens.join(", "));
  try {
    const res = await next(req);
    const used = res.header.get(PAGE_TOKEN_HEADER);
    if (used && used !== keptToken()) keep(used);
    return res;
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
      // Protobuf on the wire: the timeline's batches are about a quarter of their JSON size.
      useBinaryFormat: true,
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
