// 50051: one port, three protocols (DESIGN.md "On 50051 the first bytes tell HTTP/2 from HTTP/1.1").
// Each accepted connection arrives through the tap's stream; its first bytes pick the server:
// - the HTTP/2 connection preface (RFC 9113 §3.4, "PRI * HTTP/2.0...") goes to an h2c node:http2 server
//   (gRPC for grpcio, grpc-js, grpcurl; gRPC-web and Connect over h2c too);
// - anything else goes to a node:http server: gRPC-web and the Connect protocol (the browser's
//   connect-web, curl with JSON), CORS from any origin as 8080's API answers, and GET /protos/... (the
//   .proto files, for grpc_tools.protoc).
// Both serve the same handlers (./handler.ts); a plain unary gRPC call is served from its HTTP/2 stream
// before any compat request is made (handler.unary). HTTP/2 bounds: concurrent streams, header list size,
// session memory; nghttp2 and Node answer floods of HEADERS, SETTINGS, PING and RST_STREAM
// (CVE-2023-44487) with GOAWAY; a stream whose client neither sends nor half-closes for
// streamIdleTimeoutMs is reset with CANCEL. Stopping ends in GOAWAY, letting calls in flight finish.

import http from "node:http";
import http2 from "node:http2";
import type { Duplex } from "node:stream";
import { cors as connectCors } from "@connectrpc/connect";
import type { ConversationTap } from "../../capture/bus";
import type { SocketStream } from "../../capture/tap";
import type { GrpcHandler } from "./handler";
import { serveProtos } from "./protos";

export interface GrpcLimits {
  /** The largest request message (RESOURCE_EXHAUSTED above it), on the wire and inflated. */
  readonly maxMessageBytes: number;
  /** A connection with no bytes either way for this long is closed (the tap's idle timeout). */
  readonly idleTimeoutMs: number;
  /** A stream whose client has not half-closed and sends nothing for this long is reset (CANCEL). */
  readonly streamIdleTimeoutMs: number;
  /** Streams open at once on one HTTP/2 connection (SETTINGS_MAX_CONCURRENT_STREAMS). */
  readonly maxConcurrentStreams: number;
  /** Bytes of one header block, decoded (SETTINGS_MAX_HEADER_LIST_SIZE). */
  readonly maxHeaderListBytes: number;
  /** The longest deadline honoured; a longer one is cut to it. */
  readonly maxTimeoutMs: number;
  /** Graceful shutdown: how long calls in flight may take to finish after GOAWAY. */
  readonly shutdownGraceMs: number;
  readonly maxConnectionsPerAddress: number;
  /** Streams a client may reset in one second on one connection before it is told to calm down. */
  readonly resetsPerSecond: number;
}

export const GRPC_LIMITS: GrpcLimits = {
  maxMessageBytes: 4 * 1024 * 1024,
  idleTimeoutMs: 300_000,
  streamIdleTimeoutMs: 60_000,
  maxConcurrentStreams: 100,
  maxHeaderListBytes: 16 * 1024,
  maxTimeoutMs: 300_000,
  shutdownGraceMs: 5_000,
  maxConnectionsPerAddress: 64,
  resetsPerSecond: 200,
};

const ENHANCE_YOUR_CALM = http2.constants.NGHTTP2_ENHANCE_YOUR_CALM;

/** What the HTTP/2 preface starts with; three bytes tell it from every HTTP/1.1 method ("POST", "PUT"). */
const PREFACE_START = Buffer.from("PRI");

export interface GrpcApp {
  accept(stream: SocketStream, conversation: ConversationTap): void;
  /** The conversation a request's (or an HTTP/2 stream's) connection belongs to. */
  conversationOf(req: http.IncomingMessage | http2.Http2ServerRequest | http2.ServerHttp2Stream): ConversationTap | undefined;
  /** GOAWAY on every HTTP/2 connection; resolves when their calls have ended (or the grace is over). */
  close(): Promise<void>;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": connectCors.allowedMethods.join(", "),
  // request-id: the metadata the lessons send from the browser (the metadata interceptor echoes it; server-time-ms trails).
  "access-control-allow-headers": [...connectCors.allowedHeaders, "authorization", "request-id"].join(", "),
  "access-control-expose-headers": [...connectCors.exposedHeaders, "request-id", "server-time-ms"].join(", "),
  "access-control-max-age": "7200",
} as const;

export function createGrpcApp(handle: GrpcHandler, limits: GrpcLimits): GrpcApp {
  const conversations = new WeakMap<object, ConversationTap>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const resets = new WeakMap<http2.ServerHttp2Session, { since: number; n: number }>();
  const idled = new WeakSet<http2.ServerHttp2Stream>();
  let accepting: ConversationTap | undefined;

  const h2 = http2.createServer({
    maxSessionMemory: 8,
    maxHeaderListPairs: 128,
    maxSettings: 32,
    maxOutstandingPings: 10,
    settings: { maxConcurrentStreams: limits.maxConcurrentStreams, maxHeaderListSize: limits.maxHeaderListBytes },
    // Streams refused for being over the concurrency limit before the session is torn down (a HEADERS flood).
    maxSessionRejectedStreams: 100,
    maxSessionInvalidFrames: 100,
  });
  h2.on("session", (session: http2.ServerHttp2Session) => {
    // The session is made synchronously inside emit("connection"), for the stream being accepted.
    if (accepting) conversations.set(session, accepting);
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    // A peer's protocol error ends its session with GOAWAY (nghttp2); a flood is told to calm down.
    session.on("error", (err: Error) => {
      if (/flood/i.test(err.message)) calmDown(session);
      else session.destroy(undefined, http2.constants.NGHTTP2_PROTOCOL_ERROR);
    });
    // Per session: a stream reset in the same read as its HEADERS reaches 'stream' already without one.
    session.on("stream", (stream: http2.ServerHttp2Stream) => watchStream(session, stream));
  });

  /**
   * GOAWAY ENHANCE_YOUR_CALM, then the session ends once its streams have (at most a second later):
   * destroying at once would drop the GOAWAY still queued on the tap's stream.
   */
  function calmDown(session: http2.ServerHttp2Session) {
    if (session.closed || session.destroyed) return;
    session.goaway(ENHANCE_YOUR_CALM);
    session.close();
    setTimeout(() => session.destroy(), 1000).unref();
  }

  function watchStream(session: http2.ServerHttp2Session, stream: http2.ServerHttp2Stream) {
    stream.on("error", () => stream.destroy());
    // Rapid reset (CVE-2023-44487): streams the client opens and cancels at once cost the server a
    // handler each; past resetsPerSecond in one second, the session is ended with ENHANCE_YOUR_CALM.
    stream.once("close", () => {
      if (stream.rstCode === http2.constants.NGHTTP2_NO_ERROR || idled.has(stream)) return;
      if (session.destroyed) return;
      const now = performance.now();
      const count = resets.get(session);
      if (!count || now - count.since > 1000) resets.set(session, { since: now, n: 1 });
      else if (++count.n > limits.resetsPerSecond) calmDown(session);
    });
    // A stream never half-closed (the client neither sends nor ends): reset, so it holds no slot for ever.
    stream.setTimeout(limits.streamIdleTimeoutMs, () => {
      if (stream.readableEnded) return;
      idled.add(stream);
      stream.close(http2.constants.NGHTTP2_CANCEL);
    });
    stream.once("end", () => stream.setTimeout(0));
  }

  // A plain unary gRPC call is served from the stream (handle.unary); any other stream gets the compat
  // request and response node:http2 would make for a 'request' listener (its onServerStream, same checks).
  h2.on("stream", (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
    if (handle.unary(stream, headers)) return;
    const req = new http2.Http2ServerRequest(stream, headers, undefined as never, rawHeaders);
    const res = new http2.Http2ServerResponse(stream);
    if (headers[":method"] === "CONNECT" || (headers.expect !== undefined && headers.expect !== "100-continue")) {
      res.statusCode = headers[":method"] === "CONNECT" ? 405 : 417;
      res.end();
      return;
    }
    if (headers.expect !== undefined) res.writeContinue();
    serve(req, res);
  });

  const h1 = http.createServer({ maxHeaderSize: limits.maxHeaderListBytes, requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => serve(req, res));
  // node:http checks its timeouts on a timer started at 'listening'; this server never listens itself.
  h1.emit("listening");
  h1.on("clientError", (_err, socket: Duplex) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  function serve(req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) {
    if (req.httpVersionMajor === 1) {
      for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
      if (req.method === "OPTIONS") {
        res.writeHead(204);
        res.end();
        return;
      }
    }
    if (handle(req, res)) return;
    if (serveProtos(req, res)) return;
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("Not found: this port serves gRPC, gRPC-web and Connect calls, and the .proto files at /protos/.\n");
  }

  function hand(stream: SocketStream, conversation: ConversationTap, first: Buffer) {
    stream.unshift(first);
    conversations.set(stream, conversation);
    const preface = first.subarray(0, PREFACE_START.length).equals(PREFACE_START);
    accepting = conversation;
    try {
      (preface ? h2 : h1).emit("connection", stream);
    } finally {
      accepting = undefined;
    }
    // node:http reads with a 'data' listener, which does not restart a stream paused on purpose;
    // node:http2's JSStreamSocket resumes the stream itself when nghttp2 wants to read.
    if (!preface) stream.resume();
  }

  return {
    accept(stream, conversation) {
      let first: Buffer = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        first = first.length === 0 ? chunk : Buffer.concat([first, chunk]);
        // Until three bytes have come (a client may write one at a time), or the stream ends.
        if (first.length < PREFACE_START.length) return;
        stream.off("data", onData);
        stream.off("end", onEnd);
        stream.pause();
        hand(stream, conversation, first);
      };
      const onEnd = () => {
        stream.off("data", onData);
        stream.end();
      };
      stream.on("data", onData);
      stream.once("end", onEnd);
    },
    conversationOf(req) {
      const key = req instanceof http2.Http2ServerRequest ? req.stream.session : "httpVersionMajor" in req ? req.socket : req.session;
      return key ? conversations.get(key) : undefined;
    },
    async close() {
      h1.closeAllConnections();
      h1.close();
      const open = [...sessions];
      await Promise.race([
        Promise.all(open.map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.close(resolve))))),
        new Promise<void>((resolve) => setTimeout(resolve, limits.shutdownGraceMs).unref()),
      ]);
      for (const s of open) if (!s.destroyed) s.destroy();
    },
  };
}
