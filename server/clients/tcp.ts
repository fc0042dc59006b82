// The lab's own TCP client, opened for a browser session. It connects to one of the lab's servers
// (never an arbitrary host: the lab is not a relay), tells the bus whose conversation it is, and
// reads whatever the server sends so the server never blocks on it. The server's tap records the
// bytes, so this side records only what the server cannot see: a failed connect, and its own socket's
// times (client-clock.ts), which give each message its client's end (issue 15: end-to-end slopes).

import net from "node:net";
import type { Bus } from "../capture/bus";
import { createClientClock, timeClientSocket } from "../capture/client-clock";
import { translateSocketError, type TranslatedError } from "../capture/errors";
import { normalizeIp, type ConversationInfo, type Endpoint, type Transport } from "../capture/events";

/** A lab service a session's client may reach: the allowlist's entries. */
export interface ServiceTarget {
  readonly service: string;
  readonly transport: Transport;
  readonly protocol: string;
  /** Where to connect: the lab server's address as seen from this host. */
  readonly host: string;
  readonly port: number;
}

export interface LabTcpClient {
  readonly conversation: ConversationInfo;
  /** Each part is one write() call, back to back in the same tick. */
  send(parts: readonly Uint8Array[]): number;
  halfClose(): void;
  close(): void;
  readonly closed: boolean;
}

/** What an owner of the socket hears (the HTTP client reads its responses); the lesson clients listen to nothing. */
export interface TcpClientListener {
  data?(chunk: Uint8Array): void;
  /** The server finished sending (FIN); the client finishes too. */
  end?(): void;
  close?(): void;
}

export class ConnectFailed extends Error {
  override name = "ConnectFailed";
  constructor(readonly reason: TranslatedError) {
    super(reason.message);
  }
}

const CLAIM_TIMEOUT_MS = 5_000;

export function openTcpClient(bus: Bus, target: ServiceTarget, sessionId: string, listener: TcpClientListener = {}): Promise<LabTcpClient> {
  const release = bus.expectClient(target.port);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port, noDelay: true, allowHalfOpen: true });
    const clock = createClientClock();
    timeClientSocket(socket, clock);
    // The connect() call has bound a local port once Node's own connect tick ran (the next tick
    // after ours); read it then, because a refused connect closes the socket before we hear of it.
    let local: Endpoint | undefined;
    process.nextTick(() => {
      if (socket.localPort) local = { ip: normalizeIp(socket.localAddress), port: socket.localPort };
    });
    socket.on("data", (chunk: Buffer) => listener.data?.(chunk));
    // The server finished: finish too, as the seeds' clients close once recv() returns b"".
    socket.on("end", () => {
      socket.end();
      listener.end?.();
    });
    socket.on("close", () => listener.close?.());

    const fail = (err: unknown) => {
      release();
      const translated = translateSocketError(err);
      // The server never saw this connection: record what the client saw, for this session only.
      const client: Endpoint = local ?? { ip: normalizeIp(socket.localAddress) || "0.0.0.0", port: socket.localPort ?? 0 };
      const tap = bus.open({
        service: target.service,
        protocol: target.protocol,
        client,
        server: { ip: target.host, port: target.port },
        owner: sessionId,
        connectFailed: translated,
      });
      tap.close();
      reject(new ConnectFailed(translated));
    };
    socket.once("error", fail);

    socket.once("connect", () => {
      socket.off("error", fail);
      socket.on("error", () => {});
      const client = { ip: normalizeIp(socket.localAddress), port: socket.localPort ?? 0 };
      const server = { ip: normalizeIp(socket.remoteAddress), port: socket.remotePort ?? 0 };
      const timer = setTimeout(() => {
        bus.forgetClaim(client, server);
        release();
        socket.destroy();
        reject(new ConnectFailed({ code: "ETIMEDOUT", message: "The lab server did not accept the connection in time." }));
      }, CLAIM_TIMEOUT_MS);
      void bus.claim(client, server, sessionId, "tcp", clock).then((conversation) => {
        clearTimeout(timer);
        release();
        let ended = false;
        resolve({
          conversation,
          send(parts) {
            let written = 0;
            for (const part of parts) {
              socket.write(part);
              written += part.byteLength;
            }
            return written;
          },
          halfClose() {
            if (!ended) socket.end();
            ended = true;
          },
          close() {
            socket.destroy();
          },
          get closed() {
            return socket.destroyed || socket.writableEnded;
          },
        });
      });
    });
  });
}
