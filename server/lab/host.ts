// The lab host: the lab's TCP servers, each behind the tap, and the web port that serves the
// Next.js app, the Connect control API and /api/status from one origin.
// main.ts starts it for `npm start`; integration tests start it on free ports.

import { readFileSync } from "node:fs";
import dgram from "node:dgram";
import http from "node:http";
import { createServer as netCreateServer } from "node:net";
import type { Duplex } from "node:stream";
import { createContextValues } from "@connectrpc/connect";
import { create, toJson } from "@bufbuild/protobuf";
import {
  CaptureMode as ProtoCaptureMode,
  CaptureOff,
  LabService,
  ServiceState as ProtoServiceState,
  StatusResponseSchema,
  type StatusResponse,
} from "@/gen/lab/v1/lab_pb";
import { dissectorFor } from "../dissect/protocols";
import { createBus, RUN_ID, type Bus } from "../capture/bus";
import { normalizeIp } from "../capture/events";
import { startWireCapture, type CaptureMode, type CaptureOffCode, type WireCapture } from "../capture/wire";
import type { ServiceTarget } from "../clients/tcp";
import type { HttpClientLimits } from "../clients/http";
import type { UdpServiceTarget } from "../clients/udp";
import { multicastInterface } from "../servers/udp-multicast";
import { keptClosed, SERVICES, WEB_PORT, type LabConfig, type LabServiceName, type ServiceName } from "../config";
import { LAB_SERVICES } from "../servers/index";
import { openStore, type LabStore } from "../store/store";
import { listen, portError, PortInUseError, type MulticastState, type RunningService, type ServicePort, type Transport } from "../servers/service";
import { createApiHandler } from "./api-handler";
import { parseFilter } from "../dissect/filter/parse";
import { createPcapngDownloads, DOWNLOAD_LIMITS, type DownloadLimits } from "./pcapng-downloads";
import { createLabService, kClientAddress, kSession, LIMITS } from "./service";
import { createJimAccounts } from "../servers/jim/accounts";
import { defineJimService, jimHubOf } from "../servers/jim/jim-service";
import { TRANSPORT } from "./to-proto";
import {
  createSessionStore,
  PAGE_TOKEN_HEADER,
  sessionCookie,
  SessionRefused,
  type Session,
  type SessionLimits,
  type SessionStore,
} from "./sessions";
import {
  capConnections,
  createHostCheck,
  dropRestOfBody,
  securityHeaders,
  WEB_LIMITS,
  webServerOptions,
  type ConnectionCounts,
  type WebLimits,
} from "./web-guard";
import type { GrpcConsoleLimits } from "./grpc-console";

/** "closed": a port the lab keeps closed on purpose (a connect gets RST). */
export type ServiceState = "listening" | "failed" | "stopped" | "closed";

export interface ServiceStatus {
  readonly name: ServiceName;
  readonly transport: Transport;
  readonly host: string;
  readonly port: number;
  readonly state: ServiceState;
  /** Protocol id of the dissector for its conversations; empty for the web port. */
  readonly protocol: string;
  /** A multicast receiver's group and whether it joined it. */
  readonly multicast?: MulticastState;
}

const SERVICE_STATE: Record<ServiceState, ProtoServiceState> = {
  listening: ProtoServiceState.LISTENING,
  failed: ProtoServiceState.FAILED,
  stopped: ProtoServiceState.STOPPED,
  closed: ProtoServiceState.CLOSED,
};
const CAPTURE_OFF: Record<CaptureOffCode, CaptureOff> = {
  "turned-off": CaptureOff.TURNED_OFF,
  "no-program": CaptureOff.NO_PROGRAM,
  "not-permitted": CaptureOff.NOT_PERMITTED,
  "did-not-start": CaptureOff.DID_NOT_START,
  stopped: CaptureOff.STOPPED,
};

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

/** What tests and the attack suite change; `npm start` uses the defaults. */
export interface HostOptions {
  /** The web port's connection bounds (WEB_LIMITS by default). */
  readonly web?: Partial<WebLimits>;
  /** Where the control API reports a failed call, one line each (stderr by default). */
  readonly log?: (line: string) => void;
  /** The pcapng downloads' bounds (DOWNLOAD_LIMITS by default). */
  readonly downloads?: Partial<DownloadLimits>;
  /** How many sessions there may be and how fast an address may start them (SESSION_LIMITS by default). */
  readonly sessions?: Partial<SessionLimits>;
  /** The lab's HTTP client's bounds (HTTP_CLIENT_LIMITS by default). */
  readonly httpClient?: Partial<HttpClientLimits>;
  /** The gRPC call console's bounds (GRPC_CONSOLE_LIMITS by default). */
  readonly grpcConsole?: Partial<GrpcConsoleLimits>;
}

export interface LabHost {
  readonly bus: Bus;
  readonly capture: CaptureStatus;
  /** The wire capture (what it read, delivered and dropped), once started. */
  readonly wire: WireCapture | undefined;
  readonly sessions: SessionStore;
  /** The lab's data (server/store): in config.dataDir, or in memory. */
  readonly store: LabStore;
  status(): ServiceStatus[];
  port(name: ServiceName): number;
  /** What each open connection of a lab server holds in memory (bounds are tested on it). */
  socketStats(name: LabServiceName): { writableLength: number; readableLength: number }[];
  /** The web port's connections: open now, and refused or evicted by its caps so far. */
  webConnections(): ConnectionCounts;
  stop(): Promise<void>;
}

export { PortInUseError };

/**
 * Fails fast, with the same one-line error as a real start, when a port is taken: main.ts calls it
 * before the slow steps (building and preparing the web app).
 */
export async function checkPorts(config: LabConfig, services: typeof SERVICES = SERVICES): Promise<void> {
  for (const spec of services) {
    const port = config.ports[spec.name] ?? spec.defaultPort;
    // Port 0 is the system's choice; a port the lab keeps closed is not bound.
    if (port === 0 || keptClosed(spec)) continue;
    await probe(spec, config.host, port);
  }
}

/** Binds and releases a port on the service's own transport (tcp 8888 and udp 8888 are different ports). */
async function probe(spec: ServicePort, host: string, port: number): Promise<void> {
  if (spec.transport === "tcp") {
    const server = netCreateServer();
    await listen(server, spec, host, port);
    await close(server);
    return;
  }
  const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
  await new Promise<void>((resolve, reject) => {
    socket.once("error", (err: NodeJS.ErrnoException) => {
      socket.close();
      reject(portError(spec, host, port, err));
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve()));
  });
}

/**
 * The largest body a request to anything but the control API may announce: the pages take none (a
 * Next.js server action, should a page get one, takes at most 1 MiB by default).
 */
const MAX_PAGE_BODY_BYTES = 1024 * 1024;

/** HAR's log.creator: this program and its version (package.json's). */
const HAR_CREATOR = { name: "Protocol Lab", version: (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version };

/** A request whose Host is not one of the lab's names: maybe a page that rebound its own DNS name to the lab. */
function refuseHost(res: http.ServerResponse, isApi: boolean) {
  const message =
    "This lab answers only to its own host names (localhost, its addresses, and the names it was started with --allowed-host=<name>).";
  if (isApi) {
    // A Connect error, so a Connect client reports PERMISSION_DENIED.
    res.writeHead(421, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ code: "permission_denied", message }));
    return;
  }
  res.writeHead(421, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(`${message}\n`);
}

/**
 * A page a browser loads: a GET or HEAD of anything but the built assets and the host's own routes (a
 * form that POSTs across sites, a fetch of an asset or a script's API call makes no session).
 */
function isPageVisit(req: http.IncomingMessage, url: string): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (url.startsWith("/_next/") || url.startsWith("/api/")) return false;
  // Browsers say what a request is for (curl and scripts say nothing, and browsers say nothing to a lab
  // on a LAN address, which is no secure context): a top-level navigation, or the page's own fetches of
  // further pages (Next.js's router). A subresource, or a frame another site asks for, is no visit.
  const site = req.headers["sec-fetch-site"];
  if (site === undefined) return true;
  if (req.headers["sec-fetch-mode"] === "navigate") {
    const dest = req.headers["sec-fetch-dest"];
    return dest === undefined || dest === "document";
  }
  return site === "same-origin";
}

/** The request's cookies other than the session's: the renderer still sees the student's language. */
function otherCookies(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part !== "" && part.slice(0, part.indexOf("=")).trim() !== "lab_session");
}

const headerValue = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** A page visit refused a session, in both of the lab's languages (no page can be rendered without one). */
function refuseSession(res: http.ServerResponse, err: SessionRefused) {
  const russian =
    err.reason === "rate"
      ? "С этого адреса открыто слишком много новых сессий лаборатории: подождите минуту и обновите страницу (разрешено ли этому сайту хранить cookie?)."
      : "Лаборатория держит столько сессий, сколько может, и все они заняты: попробуйте через минуту.";
  res.writeHead(429, { "content-type": "text/plain; charset=utf-8", "retry-after": String(err.retryAfterS), "cache-control": "no-store" });
  res.end(`${err.message}\n\n${russian}\n`);
}

function close(server: { close(callback: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Where the lab's own clients connect to reach a server bound to `host`. */
function reachable(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "::1";
  return host;
}

export async function startLabHost(config: LabConfig, pages?: PageHandler, options: HostOptions = {}): Promise<LabHost> {
  const sessions = createSessionStore({ ...options.sessions, ringMaxEvents: config.ringMaxEvents, ringMaxBytes: config.ringMaxBytes });
  const bus = createBus({ sessions, dissectorFor, maxEvents: config.captureMaxEvents, maxBytes: config.captureMaxBytes });
  const store = openStore(config.dataDir === undefined ? {} : { dir: config.dataDir });
  const running = new Map<LabServiceName, RunningService>();
  const states = new Map<ServiceName, ServiceState>();
  let webPort: number | undefined;

  const targets = new Map<string, ServiceTarget | UdpServiceTarget>();
  let wire: WireCapture | undefined;
  const captureStatus = (): CaptureStatus => {
    if (!wire) return { mode: "socket events", reason: "" };
    const off = wire.off;
    return { mode: wire.mode, reason: wire.reason, code: off?.code, command: off?.command, detail: off?.detail };
  };
  /** Each API request's session, found before the handler runs (it answers with the session's token). */
  const callers = new WeakMap<http.IncomingMessage, Session | undefined>();
  const hostAllowed = createHostCheck({ host: config.host, allowedHosts: config.allowedHosts });
  const labService = createLabService({
    bus,
    targets: () => targets,
    dissectorFor,
    status: statusMessage,
    isOwnHost: (name) => hostAllowed(name.includes(":") ? `[${name}]` : name),
    httpClientLimits: options.httpClient,
    grpcConsoleLimits: options.grpcConsole,
    store,
    jimCheckHosts: config.jimCheckHosts,
    jimOnline: () => {
      const jim = running.get("jim");
      return jim ? jimHubOf(jim)?.online() : undefined;
    },
  });
  const api = createApiHandler({
    routes: (router) => router.service(LabService, labService),
    contextValues: (req) =>
      createContextValues()
        .set(kSession, callers.get(req))
        .set(kClientAddress, req.socket.remoteAddress),
    readMaxBytes: LIMITS.bytesPerRequest,
    log: options.log,
  });
  const limits: WebLimits = { ...WEB_LIMITS, ...options.web };
  /** The security headers, with the gRPC port as it listens (known once it started). */
  let headers = { grpcPort: -1, entries: [] as [string, string][] };
  const headersNow = () => {
    const grpcPort = targets.get("grpc")?.port ?? 0;
    if (headers.grpcPort !== grpcPort) headers = { grpcPort, entries: Object.entries(securityHeaders(config.dev, grpcPort)) };
    return headers.entries;
  };
  const downloads = createPcapngDownloads(dissectorFor, { ...DOWNLOAD_LIMITS, ...options.downloads });

  const web = http.createServer(webServerOptions(limits), (req, res) => {
    const url = req.url ?? "/";
    for (const [name, value] of headersNow()) res.setHeader(name, value);
    const isApi = url.startsWith(`/${LabService.typeName}/`);
    const allowed = hostAllowed(req.headers.host);
    // A body that whatever answers does not read is read on for a moment at most, not to its end (the
    // control API's handler sees to its own).
    if (!isApi || !allowed) dropRestOfBody(req, res);
    if (!allowed) return refuseHost(res, isApi);
    if (isApi) {
      const session = sessions.lookup(req.headers.cookie, req.socket.remoteAddress, headerValue(req.headers[PAGE_TOKEN_HEADER]));
      callers.set(req, session);
      // The token that named the session: the page keeps it, and offers it first from then on.
      if (session) res.setHeader(PAGE_TOKEN_HEADER, sessions.pageToken(session));
      return api(req, res);
    }
    // Nothing else takes a request body: one that announces more than a small form is refused unread.
    if (!(Number(req.headers["content-length"] ?? "0") <= MAX_PAGE_BODY_BYTES)) {
      res.writeHead(413, { "content-type": "text/plain; charset=utf-8" });
      res.end("Request body too large.\n");
      return;
    }
    if (url === "/api/status" || url.startsWith("/api/status?")) {
      // The Status RPC's message as JSON, for curl and scripts.
      const json = toJson(StatusResponseSchema, statusMessage(req.socket.remoteAddress), { alwaysEmitImplicit: true });
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.end(JSON.stringify(json));
      return;
    }
    const har = url === "/api/sessions/current/exchanges.har" || url.startsWith("/api/sessions/current/exchanges.har?");
    if (har || url === "/api/sessions/current/capture.pcapng" || url.startsWith("/api/sessions/current/capture.pcapng?")) {
      // The cookie decides whose traffic this is (the page's token, when the link carries it, picks among
      // several): a caller without a session gets nothing.
      const params = new URL(url, "http://lab").searchParams;
      const token = params.get("page") ?? undefined;
      const session = sessions.lookup(req.headers.cookie, req.socket.remoteAddress, token);
      if (!session) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("No lab session: open a lab page first, then download its capture.\n");
        return;
      }
      if (har) downloads.serveHar(res, session, HAR_CREATOR);
      else {
        // What the timeline shows: the page names the conversations its filter keeps (issue 15 §1.12).
        const shown = params.get("conversations");
        // The display filter the timeline applies (issue 15 §2): the same filter for the view and the file.
        const parsed = parseFilter(params.get("filter") ?? "");
        if (!parsed.ok) {
          res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
          res.end(`Display filter: ${parsed.error.code} at column ${parsed.error.at + 1}.\n`);
          return;
        }
        downloads.serve(res, session, shown === null ? undefined : new Set(shown.split(",").filter(Boolean)), parsed.filter);
      }
      return;
    }
    // Only the page renderer may tell a page its token.
    delete req.headers[PAGE_TOKEN_HEADER];
    if (isPageVisit(req, url)) {
      // A page visit makes the session (and records the browser's address for attribution); nothing else does.
      let visit: ReturnType<SessionStore["resolve"]>;
      try {
        visit = sessions.resolve(req.headers.cookie, req.socket.remoteAddress);
      } catch (err) {
        if (!(err instanceof SessionRefused)) throw err;
        return refuseSession(res, err);
      }
      const { session, created } = visit;
      if (created) {
        res.setHeader("set-cookie", sessionCookie(session.id));
        // The renderer reads the session the browser will have from now on, as if it had sent it.
        req.headers.cookie = `lab_session=${session.id}`;
      } else {
        // The session the host took (the cookie with the shortest path) is the only one the renderer sees.
        req.headers.cookie = [...otherCookies(req.headers.cookie), `lab_session=${session.id}`].join("; ");
      }
      req.headers[PAGE_TOKEN_HEADER] = sessions.pageToken(session);
    }
    if (pages) return void pages(req, res);
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("The web app is not served by this host.\n");
  });

  const webConnections = capConnections(web, limits);
  // No route of the lab upgrades a connection (HTTP/1.1 Upgrade bypasses the request handler, its
  // timeouts and the Host check). Only a listener Next.js adds itself (its development live reload)
  // may take one, and only for the lab's own names; without it, Node would hand the socket to nobody.
  web.on("upgrade", (req: http.IncomingMessage, socket: Duplex) => {
    if (web.listenerCount("upgrade") === 1 || !hostAllowed(req.headers.host)) socket.destroy();
  });

  function status(): ServiceStatus[] {
    return SERVICES.map((spec) => ({
      name: spec.name,
      transport: spec.transport,
      host: config.host,
      port: portOf(spec.name),
      state: states.get(spec.name) ?? "stopped",
      protocol: "protocol" in spec && typeof spec.protocol === "string" ? spec.protocol : "",
      multicast: spec.name === WEB_PORT.name ? undefined : running.get(spec.name)?.multicast,
    }));
  }

  function statusMessage(clientAddress: string | undefined): StatusResponse {
    const capture = captureStatus();
    return create(StatusResponseSchema, {
      host: config.host,
      clientAddress: normalizeIp(clientAddress),
      services: status().map((s) => ({
        name: s.name,
        transport: TRANSPORT[s.transport],
        host: s.host,
        port: s.port,
        state: SERVICE_STATE[s.state],
        protocol: s.protocol,
        multicastGroup: s.multicast?.group ?? "",
        multicastJoined: s.multicast?.joined ?? false,
        multicastProblem: s.multicast?.problem ?? "",
        mode: s.name === "jim" ? (config.jimAccounts ? "accounts" : "guest") : "",
      })),
      capture: {
        mode: capture.mode === "real segments" ? ProtoCaptureMode.REAL_SEGMENTS : ProtoCaptureMode.SOCKET_EVENTS,
        off: capture.code ? CAPTURE_OFF[capture.code] : CaptureOff.UNSPECIFIED,
        command: capture.command ?? "",
        detail: capture.detail ?? "",
        reason: capture.reason,
      },
      runId: RUN_ID,
    });
  }

  function portOf(name: ServiceName): number {
    if (name === WEB_PORT.name) return webPort ?? config.ports.web;
    return running.get(name)?.port ?? config.ports[name];
  }

  async function stop() {
    await wire?.stop();
    sessions.dispose();
    const stopping = [...running].map(async ([name, service]) => {
      await service.stop();
      states.set(name, "stopped");
    });
    if (webPort !== undefined) {
      // Open conversations and streams are ended instead of keeping the process alive.
      web.closeAllConnections();
      stopping.push(close(web).then(() => void states.set(WEB_PORT.name, "stopped")));
    }
    await Promise.all(stopping);
    store.close();
  }

  try {
    const where = reachable(config.host);
    for (const spec of LAB_SERVICES) {
      if (!spec.start) {
        // The RST experiment: a port the lab keeps closed; a connect to it is refused by the kernel.
        states.set(spec.name, "closed");
        targets.set(spec.name, { service: spec.name, transport: spec.transport, protocol: spec.protocol, host: where, port: config.ports[spec.name] });
        continue;
      }
      states.set(spec.name, "failed");
      // --jim-accounts: the jim service checks passwords of the accounts in this host's store.
      const start = spec.name === "jim" && config.jimAccounts ? defineJimService({ accounts: createJimAccounts(store.jimAccounts) }).start! : spec.start;
      const service = await start({ bus, host: config.host, port: config.ports[spec.name], store, sessions });
      running.set(spec.name, service);
      states.set(spec.name, "listening");
      if (service.multicast && !service.multicast.joined) {
        // One clear line at start-up; the lesson reads the same from Status.
        (options.log ?? ((line: string) => console.warn(line)))(
          `${spec.name}: could not join ${service.multicast.group} on ${config.host} (${service.multicast.problem}); no multicast route on that interface? It still records what reaches udp ${service.port}.`,
        );
      }
      const udp = "udpClient" in spec ? spec.udpClient : undefined;
      if (udp) {
        const destination = udp.destination(config.host, where);
        targets.set(spec.name, {
          service: spec.name,
          transport: "udp",
          protocol: spec.protocol,
          host: where,
          port: service.port,
          destination: destination.address,
          destinationKind: destination.kind,
          ttl: udp.ttl,
          multicastInterface: destination.kind === "multicast" ? multicastInterface(config.host) : undefined,
          answers: udp.answers,
        });
        continue;
      }
      targets.set(spec.name, { service: spec.name, transport: spec.transport, protocol: spec.protocol, host: where, port: service.port });
    }

    const portsOf = (transport: Transport) => LAB_SERVICES.filter((spec) => spec.transport === transport).map((spec) => portOf(spec.name));
    wire = await startWireCapture({
      setting: config.capture,
      tcpPorts: portsOf("tcp"),
      // A multicast group's datagrams are caught by its service's port.
      udpPorts: portsOf("udp"),
      host: config.host,
      program: config.captureProgram || undefined,
      // The reader thread dissects; this thread only joins (looked up per call: tools wrap bus.segment).
      onSegment: (record) => bus.segment(record),
    });
    bus.trackStreamOffsets = wire.mode === "real segments";

    states.set(WEB_PORT.name, "failed");
    webPort = await listen(web, WEB_PORT, config.host, config.ports.web);
    states.set(WEB_PORT.name, "listening");
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    bus,
    get capture() {
      return captureStatus();
    },
    get wire() {
      return wire;
    },
    sessions,
    store,
    status,
    port: portOf,
    socketStats: (name) => running.get(name)?.connections() ?? [],
    webConnections,
    stop,
  };
}
