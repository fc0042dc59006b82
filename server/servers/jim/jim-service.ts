// The JIM messenger service on tcp 7777 (seed 002) as one lab service: hub.ts behind the tap, its
// conversations read by the JIM dissector (protocol jim). Guest mode: any name, no password; the host's
// --jim-accounts (config.jimAccounts) starts it in accounts mode over the host's store (lab/host.ts).
//
// Module API for the lab host and its pages:
//   jimService                  the declaration in LAB_SERVICES (flag --jim-port, LAB_JIM_PORT)
//   defineJimService(options)   the same with other limits, accounts mode or a log (tests, benches, the CLI)
//   jimHubOf(running)           the running service's JimHub: probe(name?), block/unblock, online(), rooms()
//   startJimAlone(...)          the service outside the lab host, on its own tap and bus (CLI, tests, bench)
// The CLI (cli-server.ts) serves the same hub on its own port without the lab host.

import { createBus } from "../../capture/bus";
import { jimDissector } from "../../dissect/jim";
import { createSessionStore, type SessionStore } from "../../lab/sessions";
import { defineTcpService, type LabServiceDefinition, type RunningService, type StartContext } from "../service";
import { createJimHub, type JimHub, type JimServerOptions } from "./hub";

const hubs = new WeakMap<RunningService, JimHub>();

/** The hub behind a running jim service (the instructor's probe button, tests). */
export function jimHubOf(running: RunningService): JimHub | undefined {
  return hubs.get(running);
}

export function defineJimService(options: JimServerOptions = {}): LabServiceDefinition<"jim"> {
  const declaration = {
    name: "jim",
    defaultPort: 7777,
    flag: "jim-port",
    env: "LAB_JIM_PORT",
    protocol: "jim",
    seeds: ["002"],
  } as const;
  return {
    ...declaration,
    transport: "tcp",
    async start(ctx: StartContext): Promise<RunningService> {
      const hub = createJimHub(options);
      const tcp = defineTcpService({
        ...declaration,
        idleTimeoutMs: hub.limits.idleTimeoutMs,
        maxConnectionsPerAddress: hub.limits.maxConnectionsPerAddress,
        handle: (socket, conversation) => hub.handle(socket, conversation),
      });
      const running = await tcp.start!(ctx);
      hubs.set(running, hub);
      return running;
    },
  };
}

export const jimService = defineJimService();

export interface StartedJim {
  readonly running: RunningService;
  readonly hub: JimHub;
  readonly port: number;
  /** The bus's sessions: a session resolved at an address watches that address's conversations (the bench). */
  readonly sessions: SessionStore;
}

/**
 * The service without the lab host: the same tap and bounds, on a bus of its own whose timeline nobody
 * watches (the CLI server, tests and the benchmark).
 */
export async function startJimAlone(options: JimServerOptions = {}, host = "127.0.0.1", port = 0): Promise<StartedJim> {
  const sessions = createSessionStore({ ringMaxEvents: 100_000, ringMaxBytes: 1 << 26 });
  // Only JIM flows through this bus: its dissector alone, without the lab's whole registry.
  const bus = createBus({ sessions, dissectorFor: () => jimDissector });
  const running = await defineJimService(options).start!({ bus, host, port, sessions });
  return { running, hub: jimHubOf(running)!, port: running.port, sessions };
}
