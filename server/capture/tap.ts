// The tap: every lab server accepts through a tapped listener that records the exact bytes of every
// read and write, half-closes, closes and errors before the protocol code sees the socket.
// Reads are recorded from a listener prepended to 'data' (so they precede the server's answer);
// writes are recorded at the write()/end() call, one event per send, as the socket API makes them.

import net from "node:net";
import type { Bus, ConversationTap } from "./bus";
import { translateSocketError } from "./errors";
import { normalizeIp, type Direction } from "./events";

export interface TappedServerOptions {
  readonly bus: Bus;
  readonly service: string;
  readonly protocol: string;
  /** The protocol code; it gets the socket after the tap. */
  readonly handler: (socket: net.Socket, conversation: ConversationTap) => void;
  /** Open connections allowed from one address (DESIGN: caps connections per address). */
  readonly maxConnectionsPerAddress?: number;
  /** Idle connections are closed after this many milliseconds. */
  readonly idleTimeoutMs?: number;
  /** Always true in the lab; false only to measure what the tap costs (bench/tcp-echo.ts). */
  readonly tapped?: boolean;
}

const toBytes = (chunk: unknown, encoding?: BufferEncoding): Uint8Array =>
  typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk instanceof Uint8Array ? chunk : new Uint8Array(0);

// Node gives every read its own right-sized buffer and the lab's servers never modify what they read
// or write, so the tap keeps references instead of copies.

/**
 * Records what happens on `socket` into `tap`. `outgoing` is the direction of bytes this socket writes
 * (s2c on a server's accepted socket).
 *
 * Reads are taken where Node hands them to the stream (push), which is when the kernel's recv()
 * returned: one call per read, and no extra 'data' listener (each extra listener makes every emit
 * copy the listener list). push(null) is the peer's FIN.
 */
export function tapSocket(socket: net.Socket, tap: ConversationTap, outgoing: Direction): void {
  const incoming: Direction = outgoing === "s2c" ? "c2s" : "s2c";
  const push = socket.push;
  socket.push = function tappedPush(this: net.Socket, chunk: unknown, encoding?: BufferEncoding) {
    if (chunk === null) tap.halfClose(incoming);
    else if (chunk instanceof Uint8Array) tap.data(incoming, chunk);
    return push.call(this, chunk, encoding);
  };
  socket.on("error", (err) => {
    const { code, message } = translateSocketError(err);
    tap.error(code, message);
  });
  socket.on("close", () => tap.close());

  const write = socket.write;
  const end = socket.end;
  let ended = false;
  socket.write = function tappedWrite(this: net.Socket, chunk: unknown, encoding?: unknown, callback?: unknown) {
    if (ended || socket.destroyed) return write.call(this, chunk as never, encoding as never, callback as never);
    if (typeof chunk === "string") {
      const utf8 = typeof encoding !== "string" || encoding === "utf8" || encoding === "utf-8";
      if (chunk.length > 0) tap.data(outgoing, utf8 ? chunk : Buffer.from(chunk, encoding as BufferEncoding));
    } else if (chunk instanceof Uint8Array && chunk.byteLength > 0) {
      tap.data(outgoing, chunk);
    }
    return write.call(this, chunk as never, encoding as never, callback as never);
  } as typeof socket.write;
  socket.end = function tappedEnd(this: net.Socket, ...args: unknown[]) {
    const [chunk] = args;
    if (chunk !== undefined && typeof chunk !== "function") {
      // end(data) writes through the stream internals, not through write(): record it here.
      const encoding = typeof args[1] === "string" ? (args[1] as BufferEncoding) : undefined;
      const bytes = toBytes(chunk, encoding);
      if (!ended && bytes.byteLength > 0) tap.data(outgoing, bytes);
    }
    if (!ended && !socket.destroyed) tap.halfClose(outgoing);
    ended = true;
    return end.apply(this, args as never);
  } as typeof socket.end;
}

/** What an untapped server reports to: nothing. */
const untapped: ConversationTap = {
  info: {
    id: "untapped",
    transport: "tcp",
    client: { ip: "", port: 0 },
    server: { ip: "", port: 0 },
    service: "",
    protocol: "data",
    origin: "external",
    owner: undefined,
  },
  data() {},
  halfClose() {},
  close() {},
  error() {},
};

export function createTappedServer(options: TappedServerOptions): net.Server {
  const { bus, service, protocol, handler } = options;
  const maxPerAddress = options.maxConnectionsPerAddress ?? 512;
  const perAddress = new Map<string, number>();

  // allowHalfOpen: each server decides when to close, as a Python server does after recv() returns b"".
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const clientIp = normalizeIp(socket.remoteAddress);
    const client = { ip: clientIp, port: socket.remotePort ?? 0 };
    const serverEnd = { ip: normalizeIp(socket.localAddress), port: socket.localPort ?? 0 };
    const tap = options.tapped === false ? untapped : bus.open({ service, protocol, client, server: serverEnd });
    if (options.tapped !== false) tapSocket(socket, tap, "s2c");

    const open = (perAddress.get(clientIp) ?? 0) + 1;
    perAddress.set(clientIp, open);
    socket.once("close", () => {
      const left = (perAddress.get(clientIp) ?? 1) - 1;
      if (left > 0) perAddress.set(clientIp, left);
      else perAddress.delete(clientIp);
    });
    if (open > maxPerAddress) {
      tap.error("ELIMIT", `Too many connections from ${clientIp} (limit ${maxPerAddress}); this one was reset.`);
      socket.resetAndDestroy();
      return;
    }
    if (options.idleTimeoutMs) {
      socket.setTimeout(options.idleTimeoutMs, () => {
        tap.error("EIDLE", `No data for ${Math.round(options.idleTimeoutMs! / 1000)} s: the server closed the idle connection.`);
        socket.destroy();
      });
    }
    handler(socket, tap);
  });
  return server;
}
