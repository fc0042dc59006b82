// lab.v1.LabService: what the browser asks of the lab host, always on behalf of its own session
// (the session cookie decides; a session can touch only the connections it opened).

import { Code, ConnectError, createContextKey, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { HttpClientError, LabService, UdpTarget, type Impairment, type StatusResponse } from "@/gen/lab/v1/lab_pb";
import { RUN_ID } from "../capture/bus";
import type { Bus } from "../capture/bus";
import type { Dissector } from "../dissect/core/types";
import { ConnectFailed, openTcpClient, type LabTcpClient, type ServiceTarget } from "../clients/tcp";
import { createLabHttpClient, HttpRequestRefused, type HttpClientErrorCode, type HttpClientLimits, type LabHttpClient } from "../clients/http";
import { openUdpClient, type LabUdpClient, type UdpServiceTarget } from "../clients/udp";
import { createSessionImpairment, impairmentProblem, NO_IMPAIRMENT, type ImpairmentSettings, type SessionImpairment } from "../clients/udp-impairment";
import { conversationToProto } from "./to-proto";
import { createTimelineReader, isBinaryContentType, type TimelineLimits } from "./watch";
import type { Session } from "./sessions";
import { sessionDataset, type LabStore } from "../store/store";
import { createWebSocketConsole } from "./websocket-console";
import { createJimConsole } from "./jim-console";
import { createGrpcConsole, type GrpcConsoleLimits } from "./grpc-console";
import { createJimClientCheck } from "./jim-client-check";
import { createGrpcLesson } from "./grpc-lesson";
import { grpcAuth } from "../servers/grpc/interceptors";
import type { WebSocketClientLimits } from "../clients/websocket";
import { followAnswer } from "./follow";
import { createEventFilter } from "./filter-events";

/**
 * The caller's session: the one its page token names among its cookies (or its cookie, for a caller
 * without a page, such as a script). API calls never create one: a page visit does.
 */
export const kSession = createContextKey<Session | undefined>(undefined, { description: "lab session" });

/** The caller's address, as the web server's socket saw it. */
export const kClientAddress = createContextKey<string | undefined>(undefined, { description: "client address" });

/** Bounds that keep one session from exhausting the host. */
export const LIMITS = {
  clientsPerSession: 32,
  bytesPerSend: 1024 * 1024,
  /**
   * The largest request the control API reads, as sent and once inflated: a Send of bytesPerSend in
   * JSON (base64, a third larger) fits; anything larger is refused before it is read or parsed whole.
   */
  bytesPerRequest: 2 * 1024 * 1024,
  partsPerSend: 64,
  /** Header fields one SendHttp may carry. */
  headersPerHttpRequest: 100,
  /** Watch streams one session may hold open at once (a few tabs, and a reconnect racing its old stream). */
  watchesPerSession: 8,
} as const;

/** The largest UDP payload: 65,535 minus the IPv4 (20) and UDP (8) headers; IPv6's header is in its own length field. */
export const MAX_UDP4_PAYLOAD = 65_507;
export const MAX_UDP6_PAYLOAD = 65_527;

export interface LabServiceDeps {
  readonly bus: Bus;
  /** Lab services a session may connect to, by name. */
  readonly targets: () => ReadonlyMap<string, ServiceTarget | UdpServiceTarget>;
  readonly dissectorFor: (protocol: string) => Dissector;
  /** The host's status as the caller at this address sees it. */
  readonly status: (clientAddress: string | undefined) => StatusResponse;
  /** The timeline's bounds (watch.ts TIMELINE_LIMITS), smaller in tests that attack them. */
  readonly timelineLimits?: Partial<TimelineLimits>;
  /** Whether a host name (lowercase, no brackets) is one of the lab's own: a URL the HTTP client may follow. */
  readonly isOwnHost?: (name: string) => boolean;
  /** The HTTP client's bounds (HTTP_CLIENT_LIMITS), shorter in tests. */
  readonly httpClientLimits?: Partial<HttpClientLimits>;
  /** The lab's data (ResetData); without it ResetData is UNIMPLEMENTED. */
  readonly store?: LabStore;
  /** The WebSocket console's client bounds (WEBSOCKET_CLIENT_LIMITS), shorter in tests. */
  readonly webSocketClientLimits?: Partial<WebSocketClientLimits>;
  /** Addresses besides the loopback the JIM conformance check may reach (config.jimCheckHosts). */
  readonly jimCheckHosts?: readonly string[];
  /** Who is online on the lab's JIM server (the messenger's list); undefined when it does not run. */
  readonly jimOnline?: () => readonly string[] | undefined;
  /** The gRPC call console's bounds (GRPC_CONSOLE_LIMITS), smaller in tests. */
  readonly grpcConsoleLimits?: Partial<GrpcConsoleLimits>;
}

const HTTP_CLIENT_ERROR: Record<HttpClientErrorCode, HttpClientError> = {
  timeout: HttpClientError.TIMEOUT,
  closed: HttpClientError.CLOSED,
  "bad-response": HttpClientError.BAD_RESPONSE,
  "too-many-redirects": HttpClientError.TOO_MANY_REDIRECTS,
  "foreign-redirect": HttpClientError.FOREIGN_REDIRECT,
  "connect-failed": HttpClientError.CONNECT_FAILED,
};

/** The lab service the HTTP client reaches, whatever a request names. */
const HTTP_SERVICE = "http";

function sessionOf(ctx: HandlerContext): Session {
  const session = ctx.values.get(kSession);
  // A page from before a restart of the host, another port's cookie, or a script that never visited a page.
  if (!session) throw new ConnectError("no lab session for this page: reload it (the lab may have restarted)", Code.Unauthenticated);
  return session;
}

type LabClient = (LabTcpClient | (LabUdpClient & { halfClose?: undefined })) & { readonly closed: boolean };

const UDP_TARGET = {
  unicast: UdpTarget.UNICAST,
  broadcast: UdpTarget.BROADCAST,
  "broadcast-loopback": UdpTarget.BROADCAST_LOOPBACK,
  multicast: UdpTarget.MULTICAST,
} as const;

const isUdp = (target: ServiceTarget | UdpServiceTarget): target is UdpServiceTarget => target.transport === "udp" && "destination" in target;

function settingsOf(i: Impairment | undefined): ImpairmentSettings {
  if (!i) return NO_IMPAIRMENT;
  return { dropPercent: i.dropPercent, duplicatePercent: i.duplicatePercent, reorderWindow: i.reorderWindow, delayMs: i.delayMs, jitterMs: i.jitterMs, seed: i.seed };
}

export function createLabService(deps: LabServiceDeps): ServiceImpl<typeof LabService> {
  const clients = new WeakMap<Session, Map<string, LabClient>>();
  /** Each session's impairment of its UDP lab clients (absent: none). */
  const impairments = new WeakMap<Session, SessionImpairment>();
  /** Watch streams open per session. */
  const watching = new WeakMap<Session, number>();
  const timeline = createTimelineReader(deps.dissectorFor, deps.timelineLimits);
  const eventFilter = createEventFilter(deps.dissectorFor);
  /** Each session's HTTP client, with its kept-alive connections. */
  const httpClients = new WeakMap<Session, LabHttpClient>();

  /** A session with an open Watch stream or an open client is in use: the store never evicts it. */
  function callerSession(ctx: HandlerContext): Session {
    const found = sessionOf(ctx);
    if (found.holds.size === 0) {
      found.holds.add(
        () =>
          (watching.get(found) ?? 0) > 0 ||
          (httpClients.get(found)?.connections ?? 0) > 0 ||
          webSockets.held(found) > 0 ||
          jims.held(found) > 0 ||
          grpcCalls.held(found) > 0 ||
          [...(clients.get(found)?.values() ?? [])].some((c) => !c.closed),
      );
    }
    return found;
  }

  function clientsOf(session: Session): Map<string, LabClient> {
    let map = clients.get(session);
    if (!map) {
      const created = new Map<string, LabClient>();
      clients.set(session, created);
      session.disposers.add(() => {
        for (const client of created.values()) client.close();
        created.clear();
      });
      map = created;
    }
    return map;
  }

  /** The session's bound on lab clients counts its HTTP connections too. */
  function checkRoom(session: Session, mine: Map<string, LabClient>) {
    for (const [id, client] of mine) if (client.closed) mine.delete(id);
    if (mine.size + (httpClients.get(session)?.connections ?? 0) >= LIMITS.clientsPerSession) {
      throw new ConnectError(`at most ${LIMITS.clientsPerSession} open connections per session`, Code.ResourceExhausted);
    }
  }

  function httpClientOf(session: Session): LabHttpClient {
    const known = httpClients.get(session);
    if (known) return known;
    const target = deps.targets().get(HTTP_SERVICE);
    if (!target || target.transport !== "tcp" || isUdp(target)) throw new ConnectError("the lab runs no http service", Code.FailedPrecondition);
    const created = createLabHttpClient(deps.bus, target, session.id, {
      isOwnHost: deps.isOwnHost ?? ((name) => name === "localhost" || name === "127.0.0.1" || name === "::1"),
      ring: session.ring,
      limits: deps.httpClientLimits,
    });
    httpClients.set(session, created);
    session.disposers.add(() => created.close());
    return created;
  }

  const webSockets = createWebSocketConsole({
    bus: deps.bus,
    target: () => {
      const target = deps.targets().get(HTTP_SERVICE);
      return target && target.transport === "tcp" && !isUdp(target) ? target : undefined;
    },
    session: callerSession,
    limits: deps.webSocketClientLimits,
    connectFailed: connectFailedError,
  });

  const jims = createJimConsole({
    bus: deps.bus,
    target: () => {
      const target = deps.targets().get("jim");
      return target && target.transport === "tcp" && !isUdp(target) ? target : undefined;
    },
    session: callerSession,
    connectFailed: connectFailedError,
    checkHosts: deps.jimCheckHosts ?? [],
    online: deps.jimOnline,
  });

  const grpcCalls = createGrpcConsole({
    bus: deps.bus,
    target: () => {
      const target = deps.targets().get("grpc");
      return target && target.transport === "tcp" && !isUdp(target) ? target : undefined;
    },
    session: callerSession,
    connectFailed: connectFailedError,
    limits: deps.grpcConsoleLimits,
  });

  function clientFor(ctx: HandlerContext, conversationId: string): LabClient {
    const client = clientsOf(callerSession(ctx)).get(conversationId);
    if (!client) throw new ConnectError(`no open connection ${conversationId} in this session`, Code.NotFound);
    return client;
  }

  const tcpTarget = (name: string) => {
    const target = deps.targets().get(name);
    return target && target.transport === "tcp" && !isUdp(target) ? target : undefined;
  };
  const grpcLesson = createGrpcLesson({
    bus: deps.bus,
    grpcTarget: () => tcpTarget("grpc"),
    httpTarget: () => tcpTarget(HTTP_SERVICE),
    session: callerSession,
    connectFailed: connectFailedError,
    auth: grpcAuth,
  });

  return {
    compareGetUser: grpcLesson.compareGetUser,
    produceGrpcStatus: grpcLesson.produceGrpcStatus,
    openWebSocket: webSockets.openWebSocket,
    sendWebSocket: webSockets.sendWebSocket,
    openJim: jims.openJim,
    sendJim: jims.sendJim,
    checkJimServer: jims.checkJimServer,
    openGrpcCall: grpcCalls.openGrpcCall,
    sendGrpcCall: grpcCalls.sendGrpcCall,
    checkJimClient: createJimClientCheck({ bus: deps.bus, target: () => deps.targets().get("jim"), session: callerSession }).checkJimClient,

    async open(req, ctx) {
      const session = callerSession(ctx);
      const target = deps.targets().get(req.service);
      if (!target) throw new ConnectError(`unknown lab service "${req.service}"`, Code.InvalidArgument);
      const mine = clientsOf(session);
      checkRoom(session, mine);
      if (isUdp(target)) {
        try {
          const client = await openUdpClient(deps.bus, target, session.id, { impairment: () => impairments.get(session) });
          mine.set(client.conversation.id, client);
          return {
            conversation: conversationToProto(client.conversation),
            destination: { ip: target.destination, port: target.port },
            udpTarget: UDP_TARGET[target.destinationKind],
            ttl: target.ttl,
          };
        } catch (err) {
          if (err instanceof ConnectFailed) throw connectFailedError(err);
          throw ConnectError.from(err);
        }
      }
      if (target.transport !== "tcp") {
        throw new ConnectError(`the lab cannot open a ${target.transport} client to "${req.service}"`, Code.Unimplemented);
      }
      try {
        const client = await openTcpClient(deps.bus, target, session.id);
        mine.set(client.conversation.id, client);
        return { conversation: conversationToProto(client.conversation) };
      } catch (err) {
        if (err instanceof ConnectFailed) throw connectFailedError(err);
        throw ConnectError.from(err);
      }
    },

    send(req, ctx) {
      const client = clientFor(ctx, req.conversationId);
      if (req.parts.length === 0) throw new ConnectError("nothing to send", Code.InvalidArgument);
      if (req.parts.length > LIMITS.partsPerSend) {
        throw new ConnectError(`at most ${LIMITS.partsPerSend} writes per call`, Code.InvalidArgument);
      }
      const total = req.parts.reduce((sum, p) => sum + p.byteLength, 0);
      if (total > LIMITS.bytesPerSend) {
        throw new ConnectError(`at most ${LIMITS.bytesPerSend} bytes per call`, Code.ResourceExhausted);
      }
      if (client.conversation.transport === "udp") {
        const largest = client.conversation.client.ip.includes(":") ? MAX_UDP6_PAYLOAD : MAX_UDP4_PAYLOAD;
        if (req.parts.some((p) => p.byteLength > largest)) {
          throw new ConnectError(`a UDP datagram holds at most ${largest} bytes`, Code.InvalidArgument);
        }
      }
      if (client.closed) throw new ConnectError("this connection can no longer send", Code.FailedPrecondition);
      return { bytesWritten: BigInt(client.send(req.parts)) };
    },

    halfClose(req, ctx) {
      const client = clientFor(ctx, req.conversationId);
      if (!client.halfClose) throw new ConnectError("a UDP socket has nothing to half-close (no connection, no FIN)", Code.FailedPrecondition);
      client.halfClose();
      return {};
    },

    close(req, ctx) {
      const mine = clientsOf(callerSession(ctx));
      const client = clientFor(ctx, req.conversationId);
      client.close();
      mine.delete(req.conversationId);
      return {};
    },

    resetData(_req, ctx) {
      const store = deps.store;
      if (!store) throw new ConnectError("this lab host keeps no data", Code.Unimplemented);
      const dataset = sessionDataset(callerSession(ctx).id);
      store.reset(dataset);
      return { users: store.users.count(dataset), dummies: store.dummies.list(dataset).length };
    },

    async sendHttp(req, ctx) {
      const session = callerSession(ctx);
      if (req.body.byteLength > LIMITS.bytesPerSend) {
        throw new ConnectError(`at most ${LIMITS.bytesPerSend} bytes per call`, Code.ResourceExhausted);
      }
      if (req.headers.length > LIMITS.headersPerHttpRequest) {
        throw new ConnectError(`at most ${LIMITS.headersPerHttpRequest} header fields`, Code.InvalidArgument);
      }
      const client = httpClientOf(session);
      checkRoom(session, clientsOf(session));
      try {
        const result = await client.send({
          method: req.method,
          url: req.url,
          headers: req.headers.map((h) => ({ name: h.name, value: h.value })),
          body: req.body,
          followRedirects: req.followRedirects,
          maxRedirects: req.maxRedirects,
        });
        return {
          exchanges: result.exchanges.map((x) => ({
            method: x.method,
            target: x.target,
            conversationId: x.conversation.id,
            reused: x.reused,
            requestSeq: BigInt(x.requestSeq),
            responseSeq: BigInt(x.responseSeq),
            status: x.status,
            reason: x.reason,
            version: x.version,
            headers: x.headers.map((h) => ({ name: h.name, value: h.value })),
            body: x.body,
            bodyLength: BigInt(x.bodyLength),
            bodyTruncated: x.bodyTruncated,
            ttfbMs: x.ttfbMs,
            totalMs: x.totalMs,
            requestBytes: BigInt(x.requestBytes),
            responseBytes: BigInt(x.responseBytes),
          })),
          error: result.error ? HTTP_CLIENT_ERROR[result.error.code] : HttpClientError.UNSPECIFIED,
          errorMessage: result.error?.message ?? "",
          runId: RUN_ID,
        };
      } catch (err) {
        if (err instanceof HttpRequestRefused) {
          throw new ConnectError(err.message, err.code === "foreign-url" ? Code.PermissionDenied : Code.InvalidArgument, undefined, undefined, err);
        }
        throw ConnectError.from(err);
      }
    },

    getImpairment(_req, ctx) {
      return { impairment: impairments.get(callerSession(ctx))?.settings ?? NO_IMPAIRMENT };
    },

    setImpairment(req, ctx) {
      const session = callerSession(ctx);
      const settings = settingsOf(req.impairment);
      const problem = impairmentProblem(settings);
      if (problem) throw new ConnectError(problem, Code.InvalidArgument);
      const before = impairments.get(session);
      before?.dispose();
      if (!before) session.disposers.add(() => impairments.get(session)?.dispose());
      impairments.set(session, createSessionImpairment(settings));
      return { impairment: settings };
    },

    status(_req, ctx) {
      return deps.status(ctx.values.get(kClientAddress));
    },

    clearTimeline(_req, ctx) {
      callerSession(ctx).ring.clear();
      return {};
    },

    async *watch(req, ctx) {
      const session = callerSession(ctx);
      const open = watching.get(session) ?? 0;
      if (open >= LIMITS.watchesPerSession) {
        throw new ConnectError(`at most ${LIMITS.watchesPerSession} timeline streams per session`, Code.ResourceExhausted);
      }
      watching.set(session, open + 1);
      try {
        // A page speaking binary gets its batches as the bytes the writer made, never built as messages.
        yield* timeline.follow(session.ring, req, ctx.signal, { binary: isBinaryContentType(ctx.requestHeader.get("content-type")) });
      } finally {
        const left = (watching.get(session) ?? 1) - 1;
        if (left > 0) watching.set(session, left);
        else watching.delete(session);
      }
    },

    getEarlierEvents(req, ctx) {
      return timeline.earlier(callerSession(ctx).ring, req, { binary: isBinaryContentType(ctx.requestHeader.get("content-type")) });
    },

    getEvent(req, ctx) {
      return timeline.event(callerSession(ctx).ring, req);
    },

    followConversation(req, ctx) {
      return followAnswer(callerSession(ctx).ring, req);
    },

    filterEvents(req, ctx) {
      const session = callerSession(ctx);
      return eventFilter.filter(session.id, session.ring, req, ctx.signal);
    },
  };
}

/** The header of a failed Open that names the platform's code of the failed connect() ("ECONNREFUSED"). */
export const CONNECT_ERRNO_HEADER = "lab-connect-errno";

/** A lab client's connect() that failed: Unavailable, with the platform's code in a header so a page can word it. */
function connectFailedError(err: ConnectFailed): ConnectError {
  return new ConnectError(err.message, Code.Unavailable, { [CONNECT_ERRNO_HEADER]: err.reason.code }, undefined, err);
}
