// The lab's own WebSocket client (issue 12 §3), for a browser session's WebSocket console. It is the `ws` library's
// client (RFC 6455: it masks every frame with a fresh key, answers pings, runs the closing handshake) on a socket the
// lab connects itself, so the connection is claimed for the session as the lab's TCP clients are (./tcp.ts) and the
// http service's tap records every byte of the upgrade and the frames. It reaches only the lab's http service, and
// only its WebSocket endpoints: the path is all a caller chooses.

import net from "node:net";
import { WebSocket, type RawData } from "ws";
import type { Bus } from "../capture/bus";
import { createClientClock, timeClientSocket } from "../capture/client-clock";
import { translateSocketError } from "../capture/errors";
import { normalizeIp, type ConversationInfo } from "../capture/events";
import { isSendableCloseCode } from "../dissect/websocket";
import { ConnectFailed, type ServiceTarget } from "./tcp";

export interface WebSocketClientLimits {
  /** The upgrade's answer must come within this. */
  readonly handshakeTimeoutMs: number;
  /** The largest message the client takes (ws maxPayload); the lab's server sends far smaller ones. */
  readonly maxPayloadBytes: number;
}

export const WEBSOCKET_CLIENT_LIMITS: WebSocketClientLimits = {
  handshakeTimeoutMs: 5_000,
  maxPayloadBytes: 1024 * 1024,
};

/** What the client hears, in order: messages and pongs, then the close once. */
export interface WebSocketClientListener {
  message(data: Uint8Array, binary: boolean): void;
  pong(data: Uint8Array): void;
  close(code: number, reason: string, error: string): void;
}

export interface LabWebSocket {
  readonly conversation: ConversationInfo;
  /** The extensions the server accepted ("permessage-deflate; ..."), empty for none. */
  readonly extensions: string;
  sendText(text: string): void;
  sendBinary(data: Uint8Array): void;
  ping(data: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Cuts the connection without a closing handshake. */
  terminate(): void;
  readonly closed: boolean;
}

/** Why the lab's client will not send something, or could not connect: codes for the RPC's errors. */
export class WebSocketRefused extends Error {
  override name = "WebSocketRefused";
  constructor(
    readonly code: "invalid-path" | "not-websocket" | "too-many" | "invalid-close" | "too-long" | "not-open",
    message: string,
  ) {
    super(message);
  }
}

/** A control frame's payload: 125 bytes (RFC 6455 §5.5); a close's reason gets what its 2-byte code leaves. */
export const CONTROL_PAYLOAD_LIMIT = 125;
const PATH = /^\/[\x21-\x7e]{0,511}$/;
const utf8 = new TextEncoder();

function bytesOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** A close the client may send, or why not. */
export function checkClose(code: number, reason: string): void {
  if (!isSendableCloseCode(code)) throw new WebSocketRefused("invalid-close", `${code} is not a close code an endpoint may send (1000-1003, 1007-1014, 3000-4999).`);
  if (utf8.encode(reason).length > CONTROL_PAYLOAD_LIMIT - 2) throw new WebSocketRefused("too-long", `A close reason holds at most ${CONTROL_PAYLOAD_LIMIT - 2} bytes of UTF-8.`);
}

export function openLabWebSocket(
  bus: Bus,
  target: ServiceTarget,
  sessionId: string,
  path: string,
  options: { readonly deflate: boolean; readonly limits?: Partial<WebSocketClientLimits> },
  listener: WebSocketClientListener,
): Promise<LabWebSocket> {
  if (!PATH.test(path)) return Promise.reject(new WebSocketRefused("invalid-path", "The path starts with / and holds no spaces or other characters a request line cannot carry."));
  const limits = { ...WEBSOCKET_CLIENT_LIMITS, ...options.limits };
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  const release = bus.expectClient(target.port);
  let claimed: Promise<ConversationInfo> | undefined;
  let connectError: unknown;

  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${host}:${target.port}${path}`, {
      perMessageDeflate: options.deflate,
      handshakeTimeout: limits.handshakeTimeoutMs,
      maxPayload: limits.maxPayloadBytes,
      followRedirects: false,
      // The socket is the lab's own, so that its conversation is claimed for the session before the server reads it.
      createConnection: () => {
        const socket = net.connect({ host: target.host, port: target.port, noDelay: true });
        // Its own times give each message its client's end (client-clock.ts); ws reads and writes through the socket.
        const clock = createClientClock();
        timeClientSocket(socket, clock);
        socket.once("connect", () => {
          const client = { ip: normalizeIp(socket.localAddress), port: socket.localPort ?? 0 };
          const server = { ip: normalizeIp(socket.remoteAddress), port: socket.remotePort ?? 0 };
          claimed = bus.claim(client, server, sessionId, "tcp", clock);
          void claimed.then(release, release);
        });
        socket.once("error", (err) => (connectError ??= err));
        return socket;
      },
    });
    let opened = false;
    let done = false;
    ws.on("message", (data, binary) => listener.message(bytesOf(data), binary));
    ws.on("pong", (data) => listener.pong(new Uint8Array(data)));
    ws.on("error", () => {
      // 'close' follows with the code; the reason of a failed handshake is told in 'unexpected-response' or below.
    });
    ws.on("unexpected-response", (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      ws.terminate();
      done = true;
      release();
      reject(
        status === 429 || status === 503
          ? new WebSocketRefused("too-many", `The lab's WebSocket server answered ${status} ${res.statusMessage ?? ""}: too many WebSockets open.`)
          : new WebSocketRefused("not-websocket", `${path} is not one of the lab's WebSocket endpoints (the server answered ${status} ${res.statusMessage ?? ""}).`),
      );
    });
    ws.once("open", () => {
      opened = true;
      const conversation = claimed;
      if (!conversation) return;
      void conversation.then((info) => {
        resolve({
          conversation: info,
          extensions: String(ws.extensions ?? ""),
          sendText: (text) => ws.send(text),
          sendBinary: (data) => ws.send(data, { binary: true }),
          ping(data) {
            if (data.length > CONTROL_PAYLOAD_LIMIT) throw new WebSocketRefused("too-long", `A ping carries at most ${CONTROL_PAYLOAD_LIMIT} bytes.`);
            ws.ping(data);
          },
          close(code, reason) {
            checkClose(code, reason);
            ws.close(code, reason);
          },
          terminate: () => ws.terminate(),
          get closed() {
            return ws.readyState !== WebSocket.OPEN;
          },
        });
      });
    });
    ws.once("close", (code, reason) => {
      if (!opened) {
        if (done) return;
        release();
        const translated = translateSocketError(connectError ?? new Error("The connection closed before the upgrade finished."));
        reject(new ConnectFailed(translated));
        return;
      }
      const error = code === 1006 ? "The connection ended without a close frame." : "";
      // After the open, the conversation is known: the close reaches the listener in order behind the messages.
      void claimed?.then(() => listener.close(code, reason.toString("utf8"), error));
    });
  });
}
