// The JIM messenger service on tcp 7777 (seed 002) as one lab service: hub.ts behind the tap, its
// conversations read by the JIM dissector (protocol jim). Guest mode: any name, no password.
//
// Module API for the lab host and its pages:
//   jimService                  the declaration in LAB_SERVICES (flag --jim-port, LAB_JIM_PORT)
//   defineJimService(options)   the same with other limits, accounts mode or a log (tests, benches, the CLI)
//   jimHubOf(running)           the running service's JimHub: probe(name?), block/unblock, online(), rooms()
// The CLI (cli-server.ts) serves the same hub on its own port without the lab host.

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
