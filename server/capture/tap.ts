// The tap: every lab server accepts through a tapped listener that records the exact bytes of every
// read and write, half-closes, closes and errors before the protocol code sees the socket.
// Reads are recorded where Node pushes them into the socket's stream (so they precede the server's
// answer); writes are recorded at the write()/end() call, one event per send, as the socket API makes them.
//
// Streams, not sockets (DESIGN.md): node:http and node:http2 do not read a net.Socket through its
// stream API but hand its native handle to llhttp or nghttp2 (lib/_http_server.js
// connectionListenerInternal: parser.consume(socket._handle); lib/internal/http2/core.js setupHandle:
// handle.consume(socket._handle)), so push() is never called and the tap would see no request bytes.
// Such code gets a SocketStream instead: a plain JavaScript Duplex in front of the tapped socket.

import { Duplex } from "node:stream";
import net from "node:net";
import type { Bus, ConversationTap } from "./bus";
import { translateSocketError } from "./errors";
import { normalizeIp, type Direction } from "./events";
import { notePeerProcess } from "./peer-process";

/** What a tapped server hands its protocol code: the accepted socket, or a SocketStream in front of it. */
export type Via = "socket" | "stream";

export interface TappedServerOptions<V extends Via = "socket"> {
  readonly bus: Bus;
  readonly service: string;
  readonly protocol: string;
  /**
   * "socket" (the default) for code that reads through the socket's stream API, as the lab's TCP
   * servers do; "stream" for node:http, node:http2 and ws, which would read the native handle past the tap.
   */
  readonly via?: V;
  /** The protocol code; it gets the socket (or the stream in front of it) after the tap. */
  readonly handler: (socket: V extends "stream" ? SocketStream : net.Socket, conversation: ConversationTap) => void;
  /**
   * Open connections allowed from one address (DESIGN: caps connections per address): external
   * clients only. The lab's own clients all come from this host's address, so they count per session
   * instead (LIMITS.clientsPerSession, where the lab opens them), not here.
   */
  readonly maxConnectionsPerAddress?: number;
  /** Open connections allowed in all, lab clients included: what bounds the server when nothing else does. */
  readonly maxConnections?: number;
  /** Idle connections are closed after this many milliseconds. */
  readonly idleTimeoutMs?: number;
  /** Always true in the lab; false only to measure what the tap costs (bench/tcp-echo.ts). */
  readonly tapped?: boolean;
}

/** Defaults of the bounds above: 32 lab clients for each of 128 sessions would fit beside a full address. */
export const TAP_LIMITS = { maxConnectionsPerAddress: 512, maxConnections: 4_608 } as const;

const toBytes = (chunk: unknown, encoding?: BufferEncoding): Uint8Array =>
  typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk instanceof Uint8Array ? chunk : new Uint8Array(0);

// Node gives every read its own right-sized buffer and the lab's servers never modify what they read
// or write, so the tap keeps references instead of copies.

/** What tapSocket reports to: a conversation's tap, or a lab client's clock (client-clock.ts). */
export type SocketRecorder = Pick<ConversationTap, "data" | "halfClose" | "error" | "close">;

/**
 * Records what happens on `socket` into `tap`. `outgoing` is the direction of bytes this socket writes
 * (s2c on a server's accepted socket).
 *
 * Reads are taken where Node hands them to the stream (push), which is when the kernel's recv()
 * returned: one call per read, and no extra 'data' listener (each extra listener makes every emit
 * copy the listener list). push(null) is the peer's FIN.
 */
export function tapSocket(socket: net.Socket, tap: SocketRecorder, outgoing: Direction): void {
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
  onSettled(listener) {
    listener(this.info);
  },
  data() {},
  halfClose() {},
  close() {},
  error() {},
  record() {},
};

/**
 * What protocol code gets in place of an accepted socket: a Duplex whose reads come from the socket's
 * 'data' events and whose writes go to socket.write(), so every byte passes the tap (tapSocket) first,
 * plus the parts of net.Socket that node:http, node:http2 and ws use (see createSocketStream).
 */
export interface SocketStream extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  /** As net.Socket's: emits 'timeout' after `ms` without a read or a write through this stream (0 turns it off). */
  setTimeout(ms: number, callback?: () => void): this;
  setNoDelay(noDelay?: boolean): this;
  /** As net.Socket's: ends the writable side, then destroys once it has finished (the FIN is sent). */
  destroySoon(): void;
}

const destroyedError = (method: string) =>
  Object.assign(new Error(`Cannot call ${method} after a stream was destroyed`), { code: "ERR_STREAM_DESTROYED" });

type WriteCallback = (error?: Error | null) => void;

/** Queued buffers joined into one write (SocketStream._writev): a frame's pieces, not a bulk transfer. */
const JOIN_MAX_CHUNKS = 4;
const JOIN_MAX_BYTES = 16 * 1024;

/**
 * What node:http, node:http2 and ws touch on the socket they are given (Node 20), and so what this
 * class provides besides Duplex:
 * - node:http (lib/_http_server.js): setTimeout() when server.timeout or keepAliveTimeout is set, and
 *   the 'timeout' event (socketOnTimeout destroys the socket); destroySoon() after a response that
 *   closes the connection (it falls back to end(), which would wait for the client's FIN before
 *   closing); pause()/resume(), cork()/uncork(), _writableState.needDrain, writableHighWaterMark,
 *   writable, destroyed, destroy(err). It consumes the native handle only when `_handle.isStreamBase`,
 *   so this class must not have a `_handle`; `_unrefTimer()` is called only from the consumed-handle
 *   path (kOnExecute) and is not needed.
 * - node:http2 (lib/internal/http2/core.js): a stream without a StreamBase `_handle` is wrapped in a
 *   JSStreamSocket (lib/internal/js_stream_socket.js), which uses only pause()/resume(), 'data',
 *   'end', 'close' and 'error', cork()/write(buf, cb)/uncork() (the next frame is written once the
 *   callback has run), end(cb) and destroy(); setNoDelay, connecting, encrypted, ref/unref and the
 *   peer address are then asked of the wrapper, not of this stream (so an h2 handler finds the
 *   client's address in its ConversationTap, not in req.socket). The server's connectionListener
 *   reads `alpnProtocol` of this stream: undefined, so no HTTP/1.1 fallback.
 * - ws 8 (lib/websocket.js setSocket, read from its source; ws is not a dependency yet):
 *   setTimeout(0), setNoDelay(), unshift(), pause()/resume(), end(), destroy().
 * - connect-node reads `encrypted` of an HTTP/1.1 req.socket: undefined here (plain text).
 * - handlers read req.socket.remoteAddress and friends, which the lab uses to attribute traffic.
 * Nothing reads readyState, connecting, address(), setKeepAlive() or ref()/unref() on it, so it has none.
 */
class SocketStreamImpl extends Duplex implements SocketStream {
  readonly #socket: net.Socket;
  #timer: NodeJS.Timeout | undefined;

  constructor(socket: net.Socket) {
    super({
      // The listener keeps its sockets half-open; the protocol code decides when to end its side.
      allowHalfOpen: true,
      // Strings (node:http writes its header block as latin1) go to socket.write() as they are: the
      // tap records UTF-8 text without a copy, and the socket encodes it once.
      decodeStrings: false,
      readableHighWaterMark: socket.readableHighWaterMark,
      writableHighWaterMark: socket.writableHighWaterMark,
    });
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#timer?.refresh();
      // A full readable buffer stops the socket, which stops reading its handle once its own buffer
      // is full: the kernel's receive window then closes and the client waits.
      if (!this.push(chunk)) socket.pause();
    });
    socket.on("end", () => this.push(null));
    // The tap has recorded the error already. Code that does not listen for errors on the stream gets
    // a plain close, as it would on the socket, whose tap listener keeps a reset from crashing the host.
    socket.on("error", (err) => this.destroy(this.listenerCount("error") > 0 ? err : undefined));
    socket.on("close", () => this.destroy());
  }

  override _read(): void {
    this.#socket.resume();
  }

  // One write in flight: the callback runs once the socket has handed the bytes to the kernel, so a
  // client that stops reading holds the protocol code at its high-water mark instead of letting it
  // queue without bound in the socket.
  override _write(chunk: Buffer | string, encoding: BufferEncoding, callback: WriteCallback): void {
    const socket = this.#socket;
    if (socket.destroyed) return this.#afterSocketGone("write", callback);
    this.#timer?.refresh();
    socket.write(chunk, encoding, callback);
  }

  // Writes queued while one was in flight (or between cork() and uncork()) leave in one writev. Small
  // buffers go as one write, so the tap records one send: ws corks a frame's header and payload
  // (lib/sender.js sendFrame), and the timeline shows the frame as one event, as the kernel sends it.
  override _writev(chunks: { chunk: Buffer | string; encoding: BufferEncoding }[], callback: WriteCallback): void {
    const socket = this.#socket;
    if (socket.destroyed) return this.#afterSocketGone("write", callback);
    this.#timer?.refresh();
    if (chunks.length <= JOIN_MAX_CHUNKS && chunks.every((c) => typeof c.chunk !== "string")) {
      let total = 0;
      for (const c of chunks) total += c.chunk.length;
      if (total <= JOIN_MAX_BYTES) return void socket.write(Buffer.concat(chunks.map((c) => c.chunk as Buffer), total), callback);
    }
    socket.cork();
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) socket.write(chunks[i]!.chunk, chunks[i]!.encoding);
    socket.write(chunks[last]!.chunk, chunks[last]!.encoding, callback);
    socket.uncork();
  }

  override _final(callback: WriteCallback): void {
    const socket = this.#socket;
    if (socket.destroyed) return this.#afterSocketGone("end", callback);
    // The callback runs on the socket's 'finish', once its FIN has been handed to the kernel.
    socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // The error goes to the socket as it would had the protocol code held the socket (http destroys
    // it with the parse error), so the timeline records it.
    if (!this.#socket.destroyed) this.#socket.destroy(error ?? undefined);
    callback(error);
  }

  /**
   * The socket was destroyed but has not emitted 'close' yet. The caller's callback gets the error a
   * destroyed net.Socket gives it; the stream is destroyed first, so that error is not also emitted
   * as an 'error' event (Writable's onwriteError skips destroyed streams).
   */
  #afterSocketGone(method: string, callback: WriteCallback): void {
    this.destroy(this.#socket.errored ?? undefined);
    callback(destroyedError(method));
  }

  // Node's own socket timer (lib/internal/stream_base_commons.js setStreamTimeout), driven by the
  // reads and writes of this stream. The accepted socket keeps its own timer for the listener's idle
  // timeout, so the protocol code's keep-alive timeout does not replace it.
  setTimeout(ms: number, callback?: () => void): this {
    if (this.destroyed) return this;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (ms === 0) {
      if (callback) this.removeListener("timeout", callback);
      return this;
    }
    this.#timer = setTimeout(() => this.emit("timeout"), ms).unref();
    if (callback) this.once("timeout", callback);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.#socket.setNoDelay(noDelay);
    return this;
  }

  // lib/net.js Socket.prototype.destroySoon.
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once("finish", () => this.destroy());
  }

  get remoteAddress() {
    return this.#socket.remoteAddress;
  }
  get remotePort() {
    return this.#socket.remotePort;
  }
  get remoteFamily() {
    return this.#socket.remoteFamily;
  }
  get localAddress() {
    return this.#socket.localAddress;
  }
  get localPort() {
    return this.#socket.localPort;
  }
}

/**
 * A Duplex in front of an accepted socket, for protocol code that would otherwise read the socket's
 * native handle (node:http, node:http2, ws). Tap the socket first (tapSocket): every byte the stream
 * delivers was pushed into the socket, and recorded, before it; every byte written to the stream goes
 * through socket.write() or end(), and is recorded there. Half-closes pass both ways; destroying
 * either side destroys the other, with the error if there was one; backpressure holds both ways.
 */
export function createSocketStream(socket: net.Socket): SocketStream {
  return new SocketStreamImpl(socket);
}

/**
 * A lab server's listener: each accepted socket is tapped, then handed to the protocol code.
 *
 * Connections per address count external clients only (issue 8, item 4: every lab client connects
 * from 127.0.0.1, so counting them there let one student's lab clients lock every other student, and
 * their own nc, out). At accept the bus may not know yet whether a loopback connection is a lab
 * client (the client's claim can come after the accept); such a connection counts once the bus
 * settles it as external, and is reset then if its address is full. A claimed one never counts there.
 * Every connection, of either kind, counts against maxConnections, so nothing is unbounded.
 */
export function createTappedServer<V extends Via = "socket">(options: TappedServerOptions<V>): net.Server {
  const { bus, service, protocol } = options;
  // V only narrows what callers see; here both kinds of handler are one function of either.
  const handler = options.handler as (socket: net.Socket | SocketStream, conversation: ConversationTap) => void;
  const maxPerAddress = options.maxConnectionsPerAddress ?? TAP_LIMITS.maxConnectionsPerAddress;
  const maxTotal = options.maxConnections ?? TAP_LIMITS.maxConnections;
  const perAddress = new Map<string, number>();
  let total = 0;

  // allowHalfOpen: each server decides when to close, as a Python server does after recv() returns b"".
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const clientIp = normalizeIp(socket.remoteAddress);
    const client = { ip: clientIp, port: socket.remotePort ?? 0 };
    const serverEnd = { ip: normalizeIp(socket.localAddress), port: socket.localPort ?? 0 };
    const tap = options.tapped === false ? untapped : bus.open({ service, protocol, client, server: serverEnd });
    if (options.tapped !== false) tapSocket(socket, tap, "s2c");

    const refuse = (message: string) => {
      tap.error("ELIMIT", message);
      socket.resetAndDestroy();
    };
    total++;
    let counted = false;
    socket.once("close", () => {
      total--;
      if (!counted) return;
      const left = (perAddress.get(clientIp) ?? 1) - 1;
      if (left > 0) perAddress.set(clientIp, left);
      else perAddress.delete(clientIp);
    });
    if (total > maxTotal) {
      refuse(`Too many connections to this server (limit ${maxTotal}); this one was reset.`);
      return;
    }
    let refused = false;
    // At once for most connections; later for a loopback one that a lab client may still claim.
    tap.onSettled((info) => {
      if (info.origin !== "external" || socket.destroyed) return;
      // Which program connected (issue 15 §1.6), looked up off this path.
      if (options.tapped !== false) notePeerProcess(info);
      counted = true;
      const open = (perAddress.get(clientIp) ?? 0) + 1;
      perAddress.set(clientIp, open);
      if (open > maxPerAddress) {
        refused = true;
        refuse(`Too many connections from ${clientIp} (limit ${maxPerAddress}); this one was reset.`);
      }
    });
    if (refused) return;
    if (options.idleTimeoutMs) {
      socket.setTimeout(options.idleTimeoutMs, () => {
        tap.error("EIDLE", `No data for ${Math.round(options.idleTimeoutMs! / 1000)} s: the server closed the idle connection.`);
        socket.destroy();
      });
    }
    handler(options.via === "stream" ? createSocketStream(socket) : socket, tap);
  });
  return server;
}
