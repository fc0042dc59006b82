// Lab sessions: one per browser, named by an unguessable cookie. A session is an identity (its id, when
// it began, the addresses its browser came from, to attribute students' own nc/python traffic to it) and
// the resources this run of the host holds for it (its timeline ring, the clients the lab opened for it).
//
// Sessions are made only by page visits (never by API calls), and a class cannot be wiped by someone
// making many: each address may start a few per minute and hold a bounded number, and when the store is
// full the least recently seen session that nothing live holds (no open Watch stream, no open lab client)
// goes first, with its clients closed. A session a student is using is never evicted.
//
// Cookies are not scoped by port, so another page on the same host name can plant a lab_session cookie
// (with a longer path, sent first, or simply over the lab's own) to make a victim's API calls land in its
// session. So the page holds a second secret, its page token (an HMAC of the session id under a key of
// this run), and sends it on every API call: a call is taken for the session its token names, whichever
// cookies came. The page keeps the token that worked in its own origin's storage (which other ports
// cannot touch) and offers it first, so a planted cookie that wins a reload's page visit does not win
// the page. Only the cookie finds the session of a caller without a page (a script).

import { createHmac, randomBytes } from "node:crypto";
import type { SessionDirectory } from "../capture/bus";
import { normalizeIp } from "../capture/events";
import { createRing, type Ring } from "../capture/ring";

export const SESSION_COOKIE = "lab_session";
/** The header that carries a page's token on API calls, and the request header the host hands the page renderer it in. */
export const PAGE_TOKEN_HEADER = "x-lab-page";
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Who a session is: what outlives this run of the host once a store keeps it (the users data set the HTTP
 * lesson adds is keyed by this id).
 */
export interface SessionIdentity {
  readonly id: string;
  readonly createdMs: number;
  /** The address whose page visit created it (its quota is charged). */
  readonly creator: string;
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
  /** Each says whether something live holds the session now (a Watch stream, an open client): then it is never evicted. */
  readonly holds: Set<() => boolean>;
}

export interface Session extends SessionIdentity, SessionResources {}

export interface SessionStore extends SessionDirectory {
  get(id: string): Session | undefined;
  /**
   * The session an API request is for, if it exists (and notes the address it came from). With page
   * tokens (a comma-separated list, the page's preference first), the session the first live one names,
   * or none; without (a script), the cookie sent last (the one with the shortest path, `/` where the lab
   * set it).
   */
  lookup(cookieHeader: string | undefined, remoteAddress: string | undefined, pageTokens?: string): Session | undefined;
  /**
   * For a page visit: the session named by the cookie header, or a new one; `created` says which.
   * Throws SessionRefused when the visiting address may not start another session now.
   */
  resolve(cookieHeader: string | undefined, remoteAddress: string | undefined): { session: Session; created: boolean };
  /** The token a page of this session sends with its API calls. */
  pageToken(session: Session): string;
  readonly size: number;
  dispose(): void;
}

/** How many sessions there may be, and how fast one address may start them. */
export interface SessionLimits {
  readonly maxSessions: number;
  /** Sessions one address may hold; beyond it, its own least recently seen idle session goes. */
  readonly maxSessionsPerAddress: number;
  /** Sessions one address may start at once, and per minute after that (a token bucket). */
  readonly creationBurst: number;
  readonly creationsPerMinute: number;
}

export const SESSION_LIMITS: SessionLimits = {
  maxSessions: 2_000,
  maxSessionsPerAddress: 100,
  creationBurst: 60,
  creationsPerMinute: 60,
};

export interface SessionOptions extends Partial<SessionLimits> {
  readonly ringMaxEvents: number;
  readonly ringMaxBytes: number;
}

/** A page visit that may not start a session now: too many from its address, or every session in use. */
export class SessionRefused extends Error {
  override name = "SessionRefused";
  constructor(
    readonly reason: "rate" | "full",
    /** Seconds after which a retry may succeed. */
    readonly retryAfterS: number,
  ) {
    super(
      reason === "rate"
        ? "Too many new lab sessions from this address: wait a minute and reload (is this site allowed to keep cookies?)."
        : "The lab holds as many sessions as it can and every one is in use: try again in a minute.",
    );
  }
}

/** Every value of cookie `name` in the header, in the order sent (longer paths first, as browsers send them). */
export function readCookies(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

export function sessionCookie(id: string): string {
  // Not Secure: the lab is served over plain HTTP on the loopback or a classroom LAN.
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000`;
}

/** Token buckets are forgotten once full again; the table is bounded all the same (oldest first). */
const MAX_TRACKED_ADDRESSES = 10_000;

export function createSessionStore(options: SessionOptions): SessionStore {
  const limits: SessionLimits = { ...SESSION_LIMITS, ...definedOnly(options) };
  // Map iteration order is insertion order: re-inserting on use keeps it least-recently-seen first.
  const sessions = new Map<string, Session>();
  const heldBy = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  const tokenKey = randomBytes(32);
  /** Sessions by their page token (a map lookup, so an unknown token is not compared in varying time). */
  const byToken = new Map<string, Session>();
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

  const inUse = (session: Session) => [...session.holds].some((held) => held());

  function evict(session: Session) {
    version++;
    sessions.delete(session.id);
    byToken.delete(pageToken(session.id));
    const left = (heldBy.get(session.creator) ?? 1) - 1;
    if (left > 0) heldBy.set(session.creator, left);
    else heldBy.delete(session.creator);
    for (const dispose of session.disposers) dispose();
    session.disposers.clear();
    session.holds.clear();
    session.ring.clear();
  }

  /** The least recently seen session nothing live holds, among those `which` accepts. */
  function idlest(which: (session: Session) => boolean): Session | undefined {
    for (const session of sessions.values()) if (which(session) && !inUse(session)) return session;
    return undefined;
  }

  /** Takes one creation from the address's bucket, if it has one. */
  function spend(ip: string): boolean {
    const now = Date.now();
    const perMs = limits.creationsPerMinute / 60_000;
    const bucket = buckets.get(ip) ?? { tokens: limits.creationBurst, atMs: now };
    buckets.delete(ip);
    bucket.tokens = Math.min(limits.creationBurst, bucket.tokens + (now - bucket.atMs) * perMs);
    bucket.atMs = now;
    const ok = bucket.tokens >= 1;
    if (ok) bucket.tokens -= 1;
    buckets.set(ip, bucket);
    // Full buckets say nothing a new one would not; drop them, and the oldest when too many are tracked.
    for (const [key, b] of buckets) {
      const full = b.tokens + (now - b.atMs) * perMs >= limits.creationBurst;
      if (!full && buckets.size <= MAX_TRACKED_ADDRESSES) break;
      buckets.delete(key);
    }
    return ok;
  }

  function create(remoteAddress: string | undefined): Session {
    const ip = normalizeIp(remoteAddress);
    // Room first (its own idle session, then anyone's), so a refusal spends nothing.
    const own = (heldBy.get(ip) ?? 0) >= limits.maxSessionsPerAddress ? idlest((s) => s.creator === ip) : undefined;
    if ((heldBy.get(ip) ?? 0) >= limits.maxSessionsPerAddress && !own) throw new SessionRefused("full", 60);
    const anyone = !own && sessions.size >= limits.maxSessions ? idlest(() => true) : undefined;
    if (!own && sessions.size >= limits.maxSessions && !anyone) throw new SessionRefused("full", 60);
    if (!spend(ip)) throw new SessionRefused("rate", Math.ceil(60 / limits.creationsPerMinute));
    if (own) evict(own);
    if (anyone) evict(anyone);
    const now = Date.now();
    const identity: SessionIdentity = {
      id: randomBytes(32).toString("base64url"),
      createdMs: now,
      creator: ip,
      addresses: new Set(),
      lastSeenMs: now,
    };
    const resources: SessionResources = {
      ring: createRing(options.ringMaxEvents, options.ringMaxBytes),
      disposers: new Set(),
      holds: new Set(),
    };
    const session: Session = Object.assign(identity, resources);
    heldBy.set(ip, (heldBy.get(ip) ?? 0) + 1);
    byToken.set(pageToken(session.id), session);
    version++;
    touch(session, remoteAddress);
    return session;
  }

  function pageToken(id: string): string {
    return createHmac("sha256", tokenKey).update(id).digest("base64url");
  }

  /** The session the cookie sent last names (the one with the shortest path, `/` where the lab set it). */
  function byCookie(cookieHeader: string | undefined): Session | undefined {
    let found: Session | undefined;
    for (const id of readCookies(cookieHeader, SESSION_COOKIE)) {
      const session = ID_PATTERN.test(id) ? sessions.get(id) : undefined;
      if (session) found = session;
    }
    return found;
  }

  return {
    get: (id) => sessions.get(id),
    *byAddress(ip) {
      for (const session of sessions.values()) if (session.addresses.has(ip)) yield session;
    },
    lookup(cookieHeader, remoteAddress, tokens) {
      let found: Session | undefined;
      if (tokens === undefined) found = byCookie(cookieHeader);
      else {
        // The page's tokens in its order of preference: the first that names a live session wins, whatever
        // cookies came (a planted cookie may even have replaced the lab's own).
        for (const token of tokens.split(",")) {
          found = byToken.get(token.trim());
          if (found) break;
        }
      }
      if (found) touch(found, remoteAddress);
      return found;
    },
    resolve(cookieHeader, remoteAddress) {
      const known = byCookie(cookieHeader);
      if (known) {
        // Seen, but its browser's address is learnt from the page's calls, which its token decides: a visit
        // with a planted cookie must not show the visitor's own programs to the planter's session.
        touch(known, undefined);
        return { session: known, created: false };
      }
      return { session: create(remoteAddress), created: true };
    },
    pageToken: (session) => pageToken(session.id),
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

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
