// Lab sessions: one per browser, named by an unguessable cookie. A session is an identity (its id, when
// it began, the addresses its browser came from, to attribute students' own nc/python traffic to it) and
// the resources this run of the host holds for it (its timeline ring, the clients the lab opened for it). Sessions are bounded in number; the least
// recently seen goes first, and its clients are closed.

import { randomBytes } from "node:crypto";
import type { SessionDirectory } from "../capture/bus";
import { normalizeIp } from "../capture/events";
import { createRing, type Ring } from "../capture/ring";

export const SESSION_COOKIE = "lab_session";
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Who a session is: what outlives this run of the host once a store keeps it (the users data set the HTTP
 * lesson adds is keyed by this id).
 */
export interface SessionIdentity {
  readonly id: string;
  readonly createdMs: number;
  /** The browser's source addresses: traffic of the student's own programs from them is shown to it. */
  readonly addresses: Set<string>;
  lastSeenMs: number;
}

/** What a session holds while the host runs: gone with the process, released on eviction. */
export interface SessionResources {
  /** Its timeline. */
  readonly ring: Ring;
  /** Resources to release with the session (the lab clients it opened). */
  readonly disposers: Set<() => void>;
}

export interface Session extends SessionIdentity, SessionResources {}

export interface SessionStore extends SessionDirectory {
  get(id: string): Session | undefined;
  /** The session named by the cookie header, if it exists (and notes the address it came from). */
  lookup(cookieHeader: string | undefined, remoteAddress: string | undefined): Session | undefined;
  /** The session named by the cookie header, or a new one; `created` says which. */
  resolve(cookieHeader: string | undefined, remoteAddress: string | undefined): { session: Session; created: boolean };
  readonly size: number;
  dispose(): void;
}

export interface SessionOptions {
  readonly ringMaxEvents: number;
  readonly ringMaxBytes: number;
  readonly maxSessions?: number;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(id: string): string {
  // Not Secure: the lab is served over plain HTTP on the loopback or a classroom LAN.
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000`;
}

export function createSessionStore(options: SessionOptions): SessionStore {
  const maxSessions = options.maxSessions ?? 2_000;
  // Map iteration order is insertion order: re-inserting on use keeps it least-recently-seen first.
  const sessions = new Map<string, Session>();
  let version = 0;

  function touch(session: Session, remoteAddress: string | undefined) {
    session.lastSeenMs = Date.now();
    const ip = normalizeIp(remoteAddress);
    if (ip && !session.addresses.has(ip)) {
      session.addresses.add(ip);
      version++;
    }
    sessions.delete(session.id);
    sessions.set(session.id, session);
  }

  function evict(session: Session) {
    version++;
    sessions.delete(session.id);
    for (const dispose of session.disposers) dispose();
    session.disposers.clear();
    session.ring.clear();
  }

  return {
    get: (id) => sessions.get(id),
    *byAddress(ip) {
      for (const session of sessions.values()) if (session.addresses.has(ip)) yield session;
    },
    lookup(cookieHeader, remoteAddress) {
      const id = readCookie(cookieHeader, SESSION_COOKIE);
      const known = id !== undefined && ID_PATTERN.test(id) ? sessions.get(id) : undefined;
      if (known) touch(known, remoteAddress);
      return known;
    },
    resolve(cookieHeader, remoteAddress) {
      const known = this.lookup(cookieHeader, remoteAddress);
      if (known) return { session: known, created: false };
      while (sessions.size >= maxSessions) {
        const oldest = sessions.values().next().value;
        if (!oldest) break;
        evict(oldest);
      }
      const now = Date.now();
      const identity: SessionIdentity = { id: randomBytes(32).toString("base64url"), createdMs: now, addresses: new Set(), lastSeenMs: now };
      const resources: SessionResources = { ring: createRing(options.ringMaxEvents, options.ringMaxBytes), disposers: new Set() };
      const session: Session = Object.assign(identity, resources);
      version++;
      touch(session, remoteAddress);
      return { session, created: true };
    },
    get size() {
      return sessions.size;
    },
    get version() {
      return version;
    },
    dispose() {
      for (const session of [...sessions.values()]) evict(session);
    },
  };
}
