// WebSocket on 8080 (seed 004's workshop, RFC 6455 and RFC 7692), with the `ws` library on the HTTP
// service's node:http server, behind the tap's stream (so every frame is on the timeline as sent):
//   /api/ws/echo/                 a text {"message": m} is answered {"message": m} on the same socket
//   /api/ws/chat/<room>/          each {"message": m} goes to every socket in the room, the sender included
//   /api/ws/async_chat/<room>/    the same (the workshop's async consumer; both join one group per room,
//                                 as Django Channels' chat tutorial names its groups chat_<room>)
// Anything else a socket sends gets {"error": ...} on that socket, never a dropped connection. Paths work
// with or without the trailing slash; room names are \w+ as Python reads it (letters, digits, _ in any
// script). Rooms are per lab: every socket of this host in one room, so a class chats together.
//
// What the server does beyond the workshop: a ping on a timer (a socket that misses its pong is cut),
// a frame or message over maxPayload closes with 1009 (ws checks the declared length before reading,
// and counts inflated bytes while inflating, so a deflate bomb stops at the limit), permessage-deflate
// accepted when the client offers it, a socket with no whole message for idleMs closed with 1001 (with
// 1008 when bytes came but no message was completed: a slow drip), and caps on open sockets per client
// address (external programs) and per lab session (the lab's own clients), above the tap's own bounds.
// ws answers protocol errors with their close codes itself: 1002 for an unmasked client frame or a
// reserved opcode, 1007 for text that is not UTF-8.

import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { ConversationTap } from "../../capture/bus";

export interface WebSocketLimits {
  /** The largest frame or message, inflated (ws maxPayload); larger closes with 1009. */
  readonly maxPayloadBytes: number;
  /** A socket with no whole message either way for this long is closed (1001, or 1008 after a partial one). */
  readonly idleMs: number;
  /** How often the server pings; a socket whose pong has not come by the next ping is cut. */
  readonly pingIntervalMs: number;
  /** Open WebSockets from one address (external programs). */
  readonly maxSocketsPerAddress: number;
  /** Open WebSockets one lab session's clients hold. */
  readonly maxSocketsPerSession: number;
  /** Open WebSockets in all. */
  readonly maxSockets: number;
}

export const WEBSOCKET_LIMITS: WebSocketLimits = {
  maxPayloadBytes: 64 * 1024,
  idleMs: 5 * 60_000,
  pingIntervalMs: 30_000,
  maxSocketsPerAddress: 32,
  maxSocketsPerSession: 16,
  maxSockets: 1_024,
};

/** A Buffer sent as a text message. */
const TEXT = { binary: false } as const;

/** Close codes the server sends (RFC 6455 §7.4.1). */
export const CLOSE = { normal: 1000, goingAway: 1001, policy: 1008, tooBig: 1009 } as const;

/** The endpoints' paths: what they are and, for a chat, the room. */
export type Endpoint = { readonly kind: "echo" } | { readonly kind: "chat"; readonly room: string };

const ROOM = /^[\p{L}\p{N}\p{Mn}\p{Pc}]{1,64}$/u;

/** The endpoint a request path names, with or without the trailing slash; undefined for any other path. */
export function endpointOf(pathname: string): Endpoint | undefined {
  if (/^\/api\/ws\/echo\/?$/.test(pathname)) return { kind: "echo" };
  const chat = /^\/api\/ws\/(?:async_)?chat\/([^/]+)\/?$/.exec(pathname);
  if (!chat) return undefined;
  let room: string;
  try {
    room = decodeURIComponent(chat[1]!);
  } catch {
    return undefined;
  }
  return ROOM.test(room) ? { kind: "chat", room } : undefined;
}

export interface WebSocketApp {
  /** node:http's 'upgrade' for a request with Upgrade: websocket; false when the path is not a WebSocket endpoint. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, conversation: ConversationTap | undefined): boolean;
  /** Sockets open now, by endpoint kind (tests and the benchmark read it). */
  open(): number;
  close(): void;
}

/** A WebSocket's answer to what it was sent: the reply, or an error in the workshop's JSON. */
export function answerOf(data: RawData, isBinary: boolean): { message: string } | { error: string } {
  if (isBinary) return { error: 'Send text: a JSON object such as {"message": "hello"}.' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawText(data));
  } catch {
    return { error: 'Not JSON: send an object such as {"message": "hello"}.' };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !("message" in parsed)) {
    return { error: 'Send an object with a "message" member, such as {"message": "hello"}.' };
  }
  const message = (parsed as { message: unknown }).message;
  if (typeof message !== "string") return { error: 'The "message" member must be a string.' };
  return { message };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data as ArrayBuffer).toString("utf8");
}

/** An HTTP answer written on a socket that will not be upgraded, then the socket closed. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, why: string): void {
  const body = `${status} ${reason}: ${why}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 2_000).unref();
}

interface Counted {
  readonly key: string;
}

export function createWebSocketApp(overrides: Partial<WebSocketLimits> = {}): WebSocketApp {
  const limits: WebSocketLimits = { ...WEBSOCKET_LIMITS, ...overrides };
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: limits.maxPayloadBytes,
    // RFC 7692: accepted when the client offers it; every message compressed then, so a student sees it.
    // Each inflate and deflate is a job on libuv's thread pool, and its end waits for a turn of the event loop,
    // so on a busy host the number in flight is the echo's throughput: at 4 (ws's default is 10) a class's worth
    // of sockets (`npm run soak`) queued echoes past 10 s while sockets without the extension kept up. 16 is
    // still a bound: the pool has 4 threads, and the rest wait in libuv's queue, not in memory per socket.
    perMessageDeflate: { threshold: 0, concurrencyLimit: 16 },
  });
  const rooms = new Map<string, Set<WebSocket>>();
  /** Each open socket's idle timer, refreshed by a whole message either way. */
  const activity = new WeakMap<WebSocket, () => void>();
  const counts = new Map<string, number>();
  const sockets = new Set<WebSocket>();

  const take = (key: string, max: number): Counted | undefined => {
    const n = counts.get(key) ?? 0;
    if (n >= max) return undefined;
    counts.set(key, n + 1);
    return { key };
  };
  const release = (counted: Counted) => {
    const n = (counts.get(counted.key) ?? 1) - 1;
    if (n > 0) counts.set(counted.key, n);
    else counts.delete(counted.key);
  };

  const pinger = setInterval(() => {
    for (const ws of sockets) {
      const alive = ws as WebSocket & { labAlive?: boolean };
      if (alive.labAlive === false) {
        ws.terminate();
        continue;
      }
      alive.labAlive = false;
      ws.ping();
    }
  }, limits.pingIntervalMs);
  pinger.unref();

  function serve(ws: WebSocket, endpoint: Endpoint, socket: Duplex, counted: readonly Counted[]) {
    sockets.add(ws);
    const alive = ws as WebSocket & { labAlive?: boolean };
    alive.labAlive = true;
    ws.on("pong", () => (alive.labAlive = true));
    let room: Set<WebSocket> | undefined;
    if (endpoint.kind === "chat") {
      room = rooms.get(endpoint.room);
      if (!room) rooms.set(endpoint.room, (room = new Set()));
      room.add(ws);
    }
    // Idle: no whole message either way. Bytes that arrive without making a message are a drip.
    let partial = false;
    const onBytes = () => (partial = true);
    socket.on("data", onBytes);
    const idle = setTimeout(() => {
      if (partial) ws.close(CLOSE.policy, `No whole message for ${Math.round(limits.idleMs / 1000)} s, only pieces of one.`);
      else ws.close(CLOSE.goingAway, `Idle for ${Math.round(limits.idleMs / 1000)} s.`);
      // A peer that does not answer the close is cut after ws's own close timeout.
    }, limits.idleMs);
    idle.unref();
    const active = () => {
      partial = false;
      idle.refresh();
    };
    activity.set(ws, active);
    // A ping or pong is whole too: an idle client that answers pings is idle, not dripping.
    const whole = () => (partial = false);
    ws.on("ping", whole);
    ws.on("pong", whole);
    ws.on("message", (data, isBinary) => {
      active();
      const answer = answerOf(data, isBinary);
      // Bytes, not a string: ws frames a string's payload apart from its header, which the tap's stream then writes
      // (and records) as two sends; a Buffer's pieces leave as one (server/capture/tap.ts _writev), once for a room.
      const text = Buffer.from(JSON.stringify(answer));
      if ("error" in answer || !room) return void ws.send(text, TEXT);
      for (const peer of room) {
        if (peer.readyState !== peer.OPEN) continue;
        peer.send(text, TEXT);
        activity.get(peer)?.();
      }
    });
    ws.on("error", () => {
      // ws has sent the close code the error calls for (1002, 1007, 1009) and closes; nothing to add.
    });
    ws.once("close", () => {
      clearTimeout(idle);
      socket.off("data", onBytes);
      sockets.delete(ws);
      for (const c of counted) release(c);
      if (room && endpoint.kind === "chat") {
        room.delete(ws);
        if (room.size === 0) rooms.delete(endpoint.room);
      }
    });
  }

  return {
    upgrade(req, socket, head, conversation) {
      const url = new URL(req.url ?? "/", "http://lab.invalid");
      const endpoint = endpointOf(url.pathname);
      if (!endpoint) return false;
      const info = conversation?.info;
      const byAddress = info?.origin === "lab-client" && info.owner !== undefined ? `session ${info.owner}` : `address ${info?.client.ip ?? req.socket.remoteAddress ?? ""}`;
      const cap = byAddress.startsWith("session") ? limits.maxSocketsPerSession : limits.maxSocketsPerAddress;
      const total = take("total", limits.maxSockets);
      if (!total) {
        refuseUpgrade(socket, 503, "Service Unavailable", `the lab serves ${limits.maxSockets} WebSockets at most; try again later.`);
        return true;
      }
      const own = take(byAddress, cap);
      if (!own) {
        release(total);
        const whose = byAddress.startsWith("session") ? "this lab session" : "your address";
        refuseUpgrade(socket, 429, "Too Many Requests", `${whose} has ${cap} WebSockets open here, the most allowed; close one first.`);
        return true;
      }
      socket.on("error", () => {});
      let upgraded = false;
      wss.handleUpgrade(req, socket, head, (ws) => {
        upgraded = true;
        serve(ws, endpoint, socket, [total, own]);
      });
      // ws completes or refuses a handshake at once (no verifyClient); a refused one (a bad key or version,
      // answered 400) gives its counts back.
      if (!upgraded) {
        release(total);
        release(own);
      }
      return true;
    },
    open: () => sockets.size,
    close() {
      clearInterval(pinger);
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}
