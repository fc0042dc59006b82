// The lab host: the lab's TCP servers, each behind the tap, and the web port that serves the
// Next.js app, the Connect control API and /api/status from one origin.
// main.ts starts it for `npm start`; integration tests start it on free ports.

import http from "node:http";
import type net from "node:net";
import { createServer as netCreateServer } from "node:net";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createContextValues } from "@connectrpc/connect";
import { LabService } from "@/gen/lab/v1/lab_pb";
import { dataDissector, defaultRegistry } from "../dissect/core/registry";
import { createBus, type Bus } from "../capture/bus";
import { translateSocketError } from "../capture/errors";
import { normalizeIp } from "../capture/events";
import { createSegmentJoiner } from "../capture/segments";
import { createTappedServer } from "../capture/tap";
import { startWireCapture, type CaptureMode, type CaptureOffCode, type WireCapture } from "../capture/wire";
import type { TcpTarget } from "../clients/tcp";
import { SERVICES, serviceSpec, type LabConfig, type LabServiceName, type ServiceName } from "../config";
import { handleEcho } from "../servers/tcp-echo";
import { handleGreeting } from "../servers/greeting";
import { handleTime } from "../servers/time";
import { exportPcapng } from "./export-pcapng";
import { createLabService, kSession } from "./service";
import { createSessionStore, sessionCookie, type SessionStore } from "./sessions";

export type ServiceState = "listening" | "failed" | "stopped";

/** LabService name of the port the lab keeps closed (the RST experiment). */
export const CLOSED_PORT_SERVICE = "closed-port";

export interface ServiceStatus {
  readonly name: ServiceName;
  readonly transport: "tcp";
  readonly host: string;
  readonly port: number;
  readonly state: ServiceState;
}

/** Next.js's request handler, or none (tests of the API alone). */
export type PageHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

export interface CaptureStatus {
  readonly mode: CaptureMode;
  /** Why capture is off and how to enable it, in one English line; empty when capturing. */
  readonly reason: string;
  /** Why capture is off, for the pages to say in the reader's language; absent when capturing. */
  readonly code?: CaptureOffCode;
  readonly command?: string;
  readonly detail?: string;
}

export interface LabHost {
  readonly bus: Bus;
  readonly capture: CaptureStatus;
  readonly sessions: SessionStore;
  status(): ServiceStatus[];
  port(name: ServiceName): number;
  /** What each open connection of a lab server holds in memory (bounds are tested on it). */
  socketStats(name: LabServiceName): { writableLength: number; readableLength: number }[];
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  override name = "PortInUseError";
}

/** The lab's TCP servers and how each is run (bench/tcp-echo.ts runs the echo the same way). */
export const LAB_SERVERS: Record<LabServiceName, { handler: (socket: net.Socket) => void; protocol: string; idleTimeoutMs: number }> = {
  "tcp-echo": { handler: handleEcho, protocol: "text", idleTimeoutMs: 10 * 60_000 },
  time: { handler: handleTime, protocol: "text", idleTimeoutMs: 30_000 },
  greeting: { handler: handleGreeting, protocol: "text", idleTimeoutMs: 60_000 },
};

function listen(server: net.Server, name: ServiceName, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const spec = serviceSpec(name);
      if (err.code === "EADDRINUSE") {
        reject(new PortInUseError(`Port ${port} (${name}) is already in use on ${host}: stop the program using it, or move it with --${spec.flag}=<port> (or move every port with --port-offset=<n>).`));
      } else {
        reject(new PortInUseError(`Cannot listen on ${host}:${port} for ${name}: ${translateSocketError(err).message} Use --${spec.flag}=<port> or --host=<addr>.`));
      }
    };
    server.once("error", onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/**
 * Fails fast, with the same one-line error as a real start, when a port is taken: main.ts calls it
 * before the slow steps (building and preparing the web app).
 */
export async function checkPorts(config: LabConfig): Promise<void> {
  for (const { name } of SERVICES) {
    if (config.ports[name] === 0) continue;
    const probe = netCreateServer();
    await listen(probe, name, config.host, config.ports[name]);
    await close(probe);
  }
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Where the lab's own clients connect to reach a server bound to `host`. */
function reachable(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "::1";
  return host;
}

export async function startLabHost(config: LabConfig, pages?: PageHandler): Promise<LabHost> {
  const sessions = createSessionStore({ ringMaxEvents: config.ringMaxEvents, ringMaxBytes: config.ringMaxBytes });
  const dissectorFor = (protocol: string) => defaultRegistry.dissector(protocol) ?? dataDissector;
  const bus = createBus({ sessions, dissectorFor });
  const servers = new Map<ServiceName, net.Server>();
  const bound = new Map<ServiceName, number>();
  const states = new Map<ServiceName, ServiceState>();
  const closers = new Map<ServiceName, () => void>();
  const open = new Map<ServiceName, Set<net.Socket>>();

  const targets = new Map<string, TcpTarget>();
  let wire: WireCapture | undefined;
  const captureStatus = (): CaptureStatus => {
    if (!wire) return { mode: "socket events", reason: "" };
    const off = wire.off;
    return { mode: wire.mode, reason: wire.reason, code: off?.code, command: off?.command, detail: off?.detail };
  };
  const labService = createLabService({ bus, targets: () => targets, dissectorFor });
  const connect = connectNodeAdapter({
    routes: (router) => router.service(LabService, labService),
    contextValues: (req) => {
      return createContextValues().set(kSession, sessions.resolve(req.headers.cookie, req.socket.remoteAddress));
    },
  });

  const web = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith(`/${LabService.typeName}/`)) return connect(req, res);
    if (url === "/api/status" || url.startsWith("/api/status?")) {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.end(
        JSON.stringify({
          host: config.host,
          clientAddress: normalizeIp(req.socket.remoteAddress),
          services: status(),
          capture: captureStatus(),
          closedPort: config.closedPort,
        }),
      );
      return;
    }
    if (url === "/api/sessions/current/capture.pcapng" || url.startsWith("/api/sessions/current/capture.pcapng?")) {
      // The cookie decides whose traffic this is: a caller without a session gets nothing.
      const session = sessions.lookup(req.headers.cookie, req.socket.remoteAddress);
      if (!session) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("No lab session: open a lab page first, then download its capture.\n");
        return;
      }
      const { bytes } = exportPcapng(session.ring, dissectorFor, session.id.slice(0, 8));
      const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
      res.writeHead(200, {
        "content-type": "application/x-pcapng",
        "content-length": bytes.length,
        "content-disposition": `attachment; filename="protocol-lab-${stamp}.pcapng"`,
        "cache-control": "no-store",
      });
      res.end(bytes);
      return;
    }
    // Visiting any page creates the session (and records the browser's address for attribution).
    if (!url.startsWith("/_next/")) {
      const { session, created } = sessions.resolve(req.headers.cookie, req.socket.remoteAddress);
      if (created) {
        res.setHeader("set-cookie", sessionCookie(session.id));
        req.headers.cookie = [req.headers.cookie, `lab_session=${session.id}`].filter(Boolean).join("; ");
      }
    }
    if (pages) return void pages(req, res);
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("The web app is not served by this host.\n");
  });

  function status(): ServiceStatus[] {
    return [...bound.keys(), ...[...states.keys()].filter((n) => !bound.has(n))].map((name) => ({
      name,
      transport: "tcp",
      host: config.host,
      port: bound.get(name) ?? config.ports[name],
      state: states.get(name) ?? "stopped",
    }));
  }

  async function stop() {
    await wire?.stop();
    sessions.dispose();
    await Promise.all(
      [...servers].map(async ([name, server]) => {
        // Open conversations and streams are ended instead of keeping the process alive.
        closers.get(name)?.();
        await close(server);
        states.set(name, "stopped");
      }),
    );
  }

  try {
    for (const name of Object.keys(LAB_SERVERS) as LabServiceName[]) {
      const spec = LAB_SERVERS[name];
      const connections = new Set<net.Socket>();
      open.set(name, connections);
      const server = createTappedServer({
        bus,
        service: name,
        protocol: spec.protocol,
        idleTimeoutMs: spec.idleTimeoutMs,
        handler: (socket) => {
          connections.add(socket);
          socket.once("close", () => connections.delete(socket));
          spec.handler(socket);
        },
      });
      closers.set(name, () => {
        for (const socket of connections) socket.destroy();
      });
      servers.set(name, server);
      states.set(name, "failed");
      const port = await listen(server, name, config.host, config.ports[name]);
      bound.set(name, port);
      states.set(name, "listening");
      targets.set(name, { service: name, protocol: spec.protocol, host: reachable(config.host), port });
    }
    // The RST experiment: a port the lab keeps closed; a connect to it is refused by the kernel.
    targets.set(CLOSED_PORT_SERVICE, { service: CLOSED_PORT_SERVICE, protocol: "data", host: reachable(config.host), port: config.closedPort });

    const labPorts = new Set([...bound.values(), config.closedPort]);
    const joiner = createSegmentJoiner({ bus, labPorts, loopback: /^(127\.|::1$|localhost$)/.test(config.host) });
    wire = await startWireCapture({
      setting: config.capture,
      tcpPorts: [...labPorts],
      host: config.host,
      program: config.captureProgram || undefined,
      onPacket: (packet) => joiner.push(packet),
    });
    bus.trackStreamOffsets = wire.mode === "real segments";

    servers.set("web", web);
    closers.set("web", () => web.closeAllConnections());
    states.set("web", "failed");
    bound.set("web", await listen(web, "web", config.host, config.ports.web));
    states.set("web", "listening");
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    bus,
    get capture() {
      return captureStatus();
    },
    sessions,
    status,
    port: (name) => bound.get(name) ?? config.ports[name],
    socketStats: (name) =>
      [...(open.get(name) ?? [])].map((s) => ({ writableLength: s.writableLength, readableLength: s.readableLength })),
    stop,
  };
}
