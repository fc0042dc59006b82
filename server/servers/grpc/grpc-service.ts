// The gRPC service on 50051 (seeds 000, 001, 004) as one declaration: seed 000's user_service.UserService,
// seed 001's user.UserService, seed 004's helloworld.Greeter, grpc.health.v1.Health and server reflection
// (v1, v1alpha), over the lab's store (the users GET /api/users shows on 8080), behind the tap's stream
// (./app.ts picks HTTP/2 or HTTP/1.1 by the first bytes). Its conversations start with the HTTP/2
// preface or an HTTP/1.1 request; protocol http2 names the dissector that reads them.

import type { IncomingHttpHeaders, ServerHttp2Stream } from "node:http2";
import { createContextValues } from "@connectrpc/connect";
import { SERVED_GRPC_FILES } from "../../dissect/lab-services";
import { openStore, PUBLIC_DATASET, type LabStore } from "../../store/store";
import { datasetOf as datasetOfConversation } from "../http/app";
import { defineTcpService, type LabServiceDefinition, type RunningService, type StartContext } from "../service";
import { createGrpcApp, GRPC_LIMITS, type GrpcLimits } from "./app";
import { datasetKey } from "./context";
import { greeterRoutes } from "./greeter";
import { createGrpcHandler, type NodeRequest, type NodeResponse } from "./handler";
import { createHealthState, ServingStatus } from "./health";
import { authInterceptor, grpcAuth, formatLogLine, loggingInterceptor, metadataInterceptor, type AuthPolicy, type LogLine } from "./interceptors";
import { createReflection } from "./reflection";
import { userRoutes } from "./user";
import { userServiceRoutes } from "./user-service";

export interface GrpcServiceOptions {
  readonly limits?: Partial<GrpcLimits>;
  /** Milliseconds between the messages of GetUsers and ListUsers (seed 000's server sleeps 0.5 s). */
  readonly paceMs?: number;
  /** Which data sets' write methods ask for a bearer token (by default those grpcAuth has turned on). */
  readonly auth?: AuthPolicy;
  /** Where the logging interceptor's lines go (besides the service's recent lines). */
  readonly log?: (line: LogLine) => void;
  /** false: unary gRPC calls go through Connect too (tests compare the fast path's answers with Connect's). */
  readonly unaryFastPath?: boolean;
}

/** The files whose services 50051 serves (reflection lists them; their imports come along). */
const SERVED_FILES = SERVED_GRPC_FILES;

/** Log lines kept for the lesson (the newest). */
const RECENT_LOG_LINES = 200;

export interface RunningGrpcService extends RunningService {
  /** The logging interceptor's newest lines, oldest first. */
  recentLog(): readonly string[];
  readonly health: { set(service: string, status: ServingStatus): void };
}

export function defineGrpcService(options: GrpcServiceOptions = {}): LabServiceDefinition<"grpc"> {
  const limits: GrpcLimits = { ...GRPC_LIMITS, ...options.limits };
  const declaration = {
    name: "grpc",
    defaultPort: 50051,
    flag: "grpc-port",
    env: "LAB_GRPC_PORT",
    protocol: "http2",
    seeds: ["000", "001", "004"],
  } as const;
  return {
    ...declaration,
    transport: "tcp",
    async start(ctx: StartContext): Promise<RunningGrpcService> {
      const store = ctx.store ?? openStore();
      const { app, health, recent, shutdown } = createGrpcServing(options, limits, store, ctx.sessions);
      const tcp = defineTcpService({
        ...declaration,
        via: "stream",
        idleTimeoutMs: limits.idleTimeoutMs,
        maxConnectionsPerAddress: limits.maxConnectionsPerAddress,
        handle: (stream, conversation) => app.accept(stream, conversation),
      });
      const running = await tcp.start!(ctx).catch((err: unknown) => {
        if (!ctx.store) store.close();
        throw err;
      });
      return {
        ...running,
        recentLog: () => recent.map(formatLogLine),
        health,
        async stop() {
          // Watchers hear NOT_SERVING, new calls are refused by GOAWAY, calls in flight finish (or the grace ends).
          health.shutdown();
          await app.close();
          shutdown.abort();
          await running.stop();
          if (!ctx.store) store.close();
        },
      };
    },
  };
}

/**
 * The app and handler 50051 serves with, the tap aside: what the service starts behind the tap's stream,
 * and what bench/grpc-users.ts serves on a plain socket (its "lab untapped" row).
 */
export function createGrpcServing(options: GrpcServiceOptions, limits: GrpcLimits, store: LabStore, sessions: StartContext["sessions"]) {
  const reflection = createReflection(SERVED_FILES);
  const health = createHealthState(reflection.services);
  const shutdown = new AbortController();
  // Lines kept as they came and formatted when the lesson reads them (a call's cost is then one push).
  const recent: LogLine[] = [];
  const log = (line: LogLine) => {
    recent.push(line);
    if (recent.length > RECENT_LOG_LINES) recent.shift();
    options.log?.(line);
  };
  const deps = { store, paceMs: options.paceMs ?? 500 };
  // The app serves with the handler, which asks the app for a request's conversation.
  const app = createGrpcApp(Object.assign((req: NodeRequest, res: NodeResponse) => handler(req, res), { unary: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => handler.unary(stream, headers) }), limits);
  const handler = createGrpcHandler({
    routes(router) {
      userServiceRoutes(router, deps);
      userRoutes(router, deps);
      greeterRoutes(router);
      health.routes(router);
      reflection.routes(router);
    },
    readMaxBytes: limits.maxMessageBytes,
    maxTimeoutMs: limits.maxTimeoutMs,
    interceptors: [loggingInterceptor(log), metadataInterceptor, authInterceptor(options.auth ?? grpcAuth.policy)],
    shutdownSignal: shutdown.signal,
    contextValues(req) {
      const conversation = app.conversationOf(req);
      let found: Promise<string> | undefined;
      const dataset = () =>
        (found ??= conversation
          ? new Promise<string>((resolve) => conversation.onSettled((info) => resolve(datasetOfConversation(info, sessions))))
          : Promise.resolve(PUBLIC_DATASET));
      return createContextValues().set(datasetKey, dataset);
    },
    log: (line) => process.stderr.write(`protocol-lab: grpc: ${line}\n`),
    unaryFastPath: options.unaryFastPath,
  });
  return { app, health, recent, shutdown };
}

export const grpcService = defineGrpcService();
