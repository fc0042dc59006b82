// The HTTP/1.1 server on 8080: node:http (llhttp) reading each connection through the tap's stream, so
// the timeline holds every byte of every request and response. What HTTP itself does here, beyond the
// areas' routes: keep-alive (and Connection: close, and HTTP/1.0 clients answered in kind), HEAD,
// Expect: 100-continue (100 when the body will be read, 413 at once when it would be too large), 413
// before reading a body over the limit, 431 for headers over llhttp's limit, 400 for what llhttp cannot
// parse (a bad request line, Content-Length with Transfer-Encoding), and 408 for a request that does not
// arrive in time (a slowloris). Each client error is answered with a short text saying what was wrong,
// then the connection closes; the server and every other connection carry on.
//
// Data sets: a request reads and writes the data set of its lab session (the session whose lab client
// opened the connection, or else the most recently seen session whose browser has the client's address)
// or, when none, the public set (store.ts).

import http from "node:http";
import type net from "node:net";
import type { Duplex } from "node:stream";
import type { ConversationTap, SessionDirectory } from "../../capture/bus";
import type { ConversationInfo } from "../../capture/events";
import { PUBLIC_DATASET, sessionDataset, type LabStore } from "../../store/store";
import { declaresTooMuch } from "./body";
import { httpArea } from "./behaviours";
import { redirectsArea } from "./redirects";
import { createRouter, HTTP_LIMITS, type HttpLimits } from "./routing";
import { rpcArea } from "./rpc";
import { usersApi } from "./users-api";
import { workshopRest } from "./workshop-rest";
import { websocketArea } from "../websocket/pages";
import { createWebSocketApp, refuseUpgrade, type WebSocketLimits } from "../websocket/ws-app";

export interface HttpAppOptions {
  readonly store: LabStore;
  /** The host's sessions, to find the browser session at an external client's address. */
  readonly sessions?: SessionDirectory;
  readonly limits?: Partial<HttpLimits>;
  readonly websocket?: Partial<WebSocketLimits>;
}

export interface HttpApp {
  /** Serves one accepted connection (the tap's stream in front of it). */
  accept(connection: Duplex, conversation: ConversationTap): void;
  readonly limits: HttpLimits;
  close(): void;
}

const router = createRouter([usersApi, workshopRest, rpcArea, httpArea, websocketArea], redirectsArea);

/** The data set of a conversation, once the bus knows whose it is. */
export function datasetOf(info: ConversationInfo, sessions: SessionDirectory | undefined): string {
  if (info.origin === "lab-client" && info.owner !== undefined) return sessionDataset(info.owner);
  let latest: string | undefined;
  // The directory lists an address's sessions least recently seen first.
  for (const session of sessions?.byAddress(info.client.ip) ?? []) latest = session.id;
  return latest === undefined ? PUBLIC_DATASET : sessionDataset(latest);
}

const CLIENT_ERRORS: Readonly<Record<string, readonly [status: number, why: string]>> = {
  HPE_HEADER_OVERFLOW: [431, "the request line and headers are longer than this server reads"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "the request did not arrive in time"],
  HPE_HEADERS_TIMEOUT: [408, "the headers did not arrive in time"],
};

const SMUGGLING = "Content-Length together with Transfer-Encoding (a request smuggling pattern)";

/** A client error as a complete HTTP/1.1 answer that closes the connection. */
export function clientErrorAnswer(code: string | undefined, reason: string | undefined): string {
  // llhttp says so with either code, by which of the two headers came second.
  const smuggling = /Content-Length/.test(reason ?? "") && /Transfer-Encoding/.test(reason ?? "");
  const [status, why] = CLIENT_ERRORS[code ?? ""] ?? (smuggling ? [400, SMUGGLING] : [400, `llhttp could not parse the request: ${reason ?? code ?? "malformed"}`]);
  const body = `${status} ${http.STATUS_CODES[status]}: ${why}.\n`;
  return [
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}`,
    "Content-Type: text/plain; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

export function createHttpApp(options: HttpAppOptions): HttpApp {
  const limits: HttpLimits = { ...HTTP_LIMITS, ...options.limits };
  const conversations = new WeakMap<object, ConversationTap>();
  const datasets = new WeakMap<object, Promise<string>>();

  function dataset(req: http.IncomingMessage): Promise<string> {
    const stream = req.socket;
    let found = datasets.get(stream);
    if (!found) {
      const conversation = conversations.get(stream);
      found = conversation
        ? new Promise<string>((resolve) => conversation.onSettled((info) => resolve(datasetOf(info, options.sessions))))
        : Promise.resolve(PUBLIC_DATASET);
      // The origin of a conversation is settled once; the session at an address may change between requests.
      if (conversation?.info.origin === "lab-client") datasets.set(stream, found);
    }
    return found;
  }

  const serve = (req: http.IncomingMessage, res: http.ServerResponse) =>
    void router.handle(req, res, { store: options.store, limits, dataset: () => dataset(req) });

  const server = http.createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckMs,
      // Strict parsing: llhttp's lenient flags stay off (no bare LF, no CL+TE).
      insecureHTTPParser: false,
    },
    serve,
  );

  // node:http checks headersTimeout and requestTimeout on a timer it starts when the server emits
  // 'listening' (lib/_http_server.js setupConnectionsTracking). This server never listens itself: the
  // tapped listener hands it its connections, so it is told it listens, and close() stops the timer.
  server.emit("listening");

  // Expect: 100-continue (RFC 9110 §10.1.1): the interim 100 only when the body will be read.
  server.on("checkContinue", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!declaresTooMuch(req, limits.maxBodyBytes)) res.writeContinue();
    serve(req, res);
  });

  server.on("clientError", (err: NodeJS.ErrnoException & { reason?: string }, socket: Duplex) => {
    // An answer already under way cannot be followed by another on the same connection.
    const answering = (socket as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
    if (err.code === "ECONNRESET" || !socket.writable || answering?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorAnswer(err.code, err.reason));
    // A client that never reads its answer does not keep the connection.
    setTimeout(() => socket.destroy(), 2_000).unref();
  });

  // Upgrade: websocket on a WebSocket path goes to ws (../websocket/ws-app.ts). Any other upgrade is ignored,
  // as RFC 9110 §7.8 allows: the request is answered as any other (one without a body: node:http has let go
  // of the connection, so no body would be read), and the connection closes after it.
  const websockets = createWebSocketApp(options.websocket);
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const websocket = String(req.headers.upgrade ?? "").trim().toLowerCase() === "websocket";
    if (websocket && websockets.upgrade(req, socket, head, conversations.get(socket))) return;
    if (req.headers["content-length"] || req.headers["transfer-encoding"]) {
      return refuseUpgrade(socket, 400, "Bad Request", "this server makes no such upgrade, and a request asking for one may not carry a body here.");
    }
    const res = new http.ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Duplex as net.Socket);
    res.once("finish", () => (socket as Duplex & { destroySoon?: () => void }).destroySoon?.() ?? socket.end());
    serve(req, res);
  });

  return {
    limits,
    accept(connection, conversation) {
      conversations.set(connection, conversation);
      server.emit("connection", connection);
    },
    close() {
      websockets.close();
      server.closeAllConnections();
      server.close();
    },
  };
}
