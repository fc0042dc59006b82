// The HTTP service on 8080 (seeds 000, 003, 004) as one declaration: node:http behind the tap's stream
// (app.ts), over the lab's store. Its conversations are read by the HTTP/1.x dissector (protocol http1).

import { openStore } from "../../store/store";
import { defineTcpService, type LabServiceDefinition, type RunningService, type StartContext } from "../service";
import { createHttpApp } from "./app";
import { HTTP_LIMITS, type HttpLimits } from "./routing";
import type { WebSocketLimits } from "../websocket/ws-app";

/** The service with other limits (tests shorten the timeouts, the body limit and the WebSocket bounds). */
export function defineHttpService(overrides: Partial<HttpLimits> = {}, websocket: Partial<WebSocketLimits> = {}): LabServiceDefinition<"http"> {
  const limits: HttpLimits = { ...HTTP_LIMITS, ...overrides };
  const declaration = {
    name: "http",
    defaultPort: 8080,
    flag: "http-port",
    env: "LAB_HTTP_PORT",
    protocol: "http1",
    seeds: ["000", "003", "004"],
  } as const;
  return {
    ...declaration,
    transport: "tcp",
    async start(ctx: StartContext): Promise<RunningService> {
      // Without the host's store (a test of the service alone), a store of its own in memory.
      const store = ctx.store ?? openStore();
      const app = createHttpApp({ store, sessions: ctx.sessions, limits, websocket });
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
        port: running.port,
        connections: running.connections,
        async stop() {
          app.close();
          await running.stop();
          if (!ctx.store) store.close();
        },
      };
    },
  };
}

export const httpService = defineHttpService();
