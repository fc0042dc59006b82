// What the web port does before it serves anything: it answers only to the lab's own host names (no DNS
// rebinding), bounds its connections (in all, per address, and in time for a request's headers and body),
// and sends the same security headers with every response.

import type http from "node:http";
import type net from "node:net";
import { networkInterfaces } from "node:os";
import { normalizeIp } from "../capture/events";

export interface WebLimits {
  /** Time for a connection to send a request's headers (a slow-header connection is closed with 408). */
  readonly headersTimeoutMs: number;
  /** Time for a connection to send a whole request, body included (a Watch's response may last longer). */
  readonly requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** How often Node checks the two timeouts above: they are late by up to this much. */
  readonly timeoutCheckMs: number;
  /** Connections the web port holds at once (see capConnections for which one goes when it is full). */
  readonly maxConnections: number;
  /** Connections one address may hold at once (a browser needs fewer than ten). */
  readonly maxConnectionsPerAddress: number;
}

export const WEB_LIMITS: WebLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  timeoutCheckMs: 1_000,
  maxConnections: 1_024,
  maxConnectionsPerAddress: 128,
};

export function webServerOptions(limits: WebLimits): http.ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckMs,
  };
}

export interface ConnectionCounts {
  /** Connections open now. */
  readonly open: number;
  /** New connections closed at once: their address (or the port) was full of connections in use. */
  readonly refused: number;
  /** Idle connections closed to make room for a new one. */
  readonly evicted: number;
}

/**
 * Caps the web port's connections in all and per remote address. A connection is idle until its
 * request's headers are complete, and again between kept-alive requests; one serving a request (a
 * Watch stream, a download) is busy. When a new connection finds its address full, that address's
 * oldest idle connection is closed to make room; when it finds the port full, the oldest idle one of
 * the address that holds the most. Only when every candidate is busy is the new one closed instead.
 * So connections that never finish their headers (a slowloris) cannot lock out a browser, not even
 * one at the same address: each newcomer pushes the oldest of them out, and a flood from a few
 * addresses pushes out its own.
 */
export function capConnections(server: http.Server, limits: WebLimits): () => ConnectionCounts {
  const addressOf = new Map<net.Socket, string>();
  // Insertion order is age: the first idle connection (of an address) is its oldest.
  const idle = new Set<net.Socket>();
  const perAddress = new Map<string, number>();
  const requests = new WeakMap<net.Socket, number>();
  let refused = 0;
  let evicted = 0;

  const forget = (socket: net.Socket) => {
    const ip = addressOf.get(socket);
    if (ip === undefined) return;
    addressOf.delete(socket);
    idle.delete(socket);
    const left = (perAddress.get(ip) ?? 1) - 1;
    if (left > 0) perAddress.set(ip, left);
    else perAddress.delete(ip);
  };
  /** The oldest idle connection of `ip`; without one, of the address that holds the most connections. */
  const oldestIdle = (ip?: string) => {
    let found: net.Socket | undefined;
    let most = 0;
    for (const socket of idle) {
      const from = addressOf.get(socket)!;
      if (ip !== undefined) {
        if (from === ip) return socket;
        continue;
      }
      const held = perAddress.get(from) ?? 0;
      if (held > most) {
        most = held;
        found = socket;
      }
    }
    return found;
  };
  /** Makes room by closing an idle connection (see oldestIdle); false when all are busy. */
  const makeRoom = (ip?: string) => {
    const victim = oldestIdle(ip);
    if (!victim) return false;
    forget(victim);
    victim.destroy();
    evicted++;
    return true;
  };

  server.on("connection", (socket: net.Socket) => {
    const ip = normalizeIp(socket.remoteAddress);
    const full =
      ((perAddress.get(ip) ?? 0) >= limits.maxConnectionsPerAddress && !makeRoom(ip)) ||
      (addressOf.size >= limits.maxConnections && !makeRoom());
    if (full) {
      refused++;
      socket.destroy();
      return;
    }
    addressOf.set(socket, ip);
    perAddress.set(ip, (perAddress.get(ip) ?? 0) + 1);
    idle.add(socket);
    socket.once("close", () => forget(socket));
  });
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    requests.set(socket, (requests.get(socket) ?? 0) + 1);
    idle.delete(socket);
    res.once("close", () => {
      const left = (requests.get(socket) ?? 1) - 1;
      requests.set(socket, left);
      // Kept alive for the next request: idle again, and now the newest.
      if (left === 0 && addressOf.has(socket) && !socket.destroyed) idle.add(socket);
    });
  });

  return () => ({ open: addressOf.size, refused, evicted });
}

/** How long, and how much, a refused body is still read (and dropped) before its connection is closed. */
const LINGER_MS = 1_000;
const LINGER_BYTES = 8 * 1024 * 1024;

/**
 * After a response that refused a request's body before reading all of it: reads and drops what still
 * comes for a moment, then closes the connection. Closing at once would reset it with the client's
 * bytes unread, and the client might lose the answer; reading on for long would let it keep the host
 * busy. A body that ends meanwhile leaves the connection open for the next request.
 */
export function dropRestOfBody(req: http.IncomingMessage, res: http.ServerResponse): void {
  // The response lets go of the socket when it finishes: hold on to it here.
  const socket = req.socket;
  res.once("finish", () => {
    if (req.complete || socket.destroyed) return;
    let dropped = 0;
    const close = () => socket.destroy();
    const timer = setTimeout(close, LINGER_MS);
    const stop = () => clearTimeout(timer);
    socket.once("close", stop);
    // A kept-alive connection carries many requests: each one's listener goes with its body.
    req.once("end", () => {
      stop();
      socket.off("close", stop);
    });
    req.on("data", (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > LINGER_BYTES) close();
    });
    req.resume();
  });
}

export interface HostCheckOptions {
  /** The address the web port is bound to. */
  readonly host: string;
  /** More names it answers to (--allowed-host), lower case, IPv6 without brackets. */
  readonly allowedHosts: readonly string[];
}

const WILDCARDS = new Set(["", "0.0.0.0", "::"]);
const INTERFACES_TTL_MS = 10_000;

/**
 * Says whether a request's Host header names this lab: localhost, a loopback address, the address the
 * port is bound to (every address of the machine when bound to all of them) or an --allowed-host name.
 * Any other name is a page that reached the lab through someone else's DNS (rebinding): refused.
 */
export function createHostCheck(options: HostCheckOptions): (hostHeader: string | undefined) => boolean {
  const fixed = new Set(["localhost", "127.0.0.1", "::1", ...options.allowedHosts.map((h) => h.toLowerCase())]);
  const bound = options.host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  const everyInterface = WILDCARDS.has(bound);
  if (!everyInterface) fixed.add(bound);
  let interfaces: { names: Set<string>; atMs: number } | undefined;
  const machineAddresses = () => {
    const now = Date.now();
    if (!interfaces || now - interfaces.atMs > INTERFACES_TTL_MS) {
      const names = new Set<string>();
      for (const list of Object.values(networkInterfaces())) {
        for (const a of list ?? []) names.add(a.address.toLowerCase().split("%", 1)[0]!);
      }
      interfaces = { names, atMs: now };
    }
    return interfaces.names;
  };
  return (hostHeader) => {
    const name = hostName(hostHeader);
    if (name === undefined) return false;
    return fixed.has(name) || (everyInterface && machineAddresses().has(name));
  };
}

/** The name in a Host header, lower case, without port or IPv6 brackets; undefined when malformed. */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) return bracketed[1];
  const plain = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(value);
  return plain?.[1];
}

/**
 * Headers on every response of the web port. The pages are Next.js's: its inline bootstrap scripts
 * carry no nonce (the pages are prerendered), so scripts may be inline but only from this origin, never
 * eval'd (except by the development build's tooling), never in attributes; styles may be inline (React
 * writes style attributes). Nothing may frame the lab, and nothing is fetched from elsewhere but the lab's own gRPC
 * port (`grpcPort`, at whatever name the page was reached by): the gRPC call console's connect-web calls go there.
 */
export function securityHeaders(dev: boolean, grpcPort?: number): Readonly<Record<string, string>> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${grpcPort ? ` http://*:${grpcPort}` : ""}${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
  };
}
