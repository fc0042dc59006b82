// A lab service is one declaration: its name, transport, default port, the flag and environment variable
// that move it, the protocol its conversations speak, the course documents it comes from, its limits and how
// it starts. Configuration, the port check, the status the pages read, the start-up listing, the control
// API's allowlist and the README's port table all read the list in ./index.ts; adding a service is one
// file and one line there.

import type net from "node:net";
import type { Bus, ConversationTap } from "../capture/bus";
import { translateSocketError } from "../capture/errors";
import { createTappedServer } from "../capture/tap";

import type { Transport } from "../capture/events";

export type { Transport };

export interface ServicePort {
  readonly name: string;
  readonly transport: Transport;
  readonly defaultPort: number;
  /** The flag that moves this port, without the leading dashes. */
  readonly flag: string;
  readonly env: string;
}

/** What a service that has started tells the host. */
export interface RunningService {
  /** The port it listens on (the one asked for, or the system's choice for 0). */
  readonly port: number;
  /** What each open connection holds in memory (bounds are tested on it). */
  connections(): { writableLength: number; readableLength: number }[];
  /** Ends every open conversation and stops listening. */
  stop(): Promise<void>;
}

export interface StartContext {
  readonly bus: Bus;
  readonly host: string;
  readonly port: number;
}

export interface LabServiceDefinition<N extends string = string> extends ServicePort {
  readonly name: N;
  /** Protocol id of the dissector that reads its conversations (server/dissect/protocols.ts). */
  readonly protocol: string;
  /** The course documents (shared/seeds) whose behaviour it reproduces. */
  readonly seeds: readonly string[];
  /** Listens and serves, behind the tap. Absent for a port the lab keeps closed (a connect gets RST). */
  readonly start?: (ctx: StartContext) => Promise<RunningService>;
}

export class PortInUseError extends Error {
  override name = "PortInUseError";
}

/** Binds `server` for a service, turning EADDRINUSE and friends into one line that names the flag to change. */
export function listen(server: net.Server, spec: ServicePort, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(
          new PortInUseError(
            `Port ${port} (${spec.name}, ${spec.transport}) is already in use on ${host}: stop the program using it, or move it with --${spec.flag}=<port> (or move every port with --port-offset=<n>).`,
          ),
        );
      } else {
        reject(new PortInUseError(`Cannot listen on ${host}:${port} for ${spec.name}: ${translateSocketError(err).message} Use --${spec.flag}=<port> or --host=<addr>.`));
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

export interface TcpServiceOptions<N extends string> extends Omit<LabServiceDefinition<N>, "transport" | "start"> {
  /** The protocol code for one accepted connection, after the tap. */
  readonly handle: (socket: net.Socket, conversation: ConversationTap) => void;
  /** Idle connections are closed after this many milliseconds. */
  readonly idleTimeoutMs: number;
  /** Open connections allowed from one address. */
  readonly maxConnectionsPerAddress?: number;
}

export type TcpServiceDefinition<N extends string> = LabServiceDefinition<N> & Pick<TcpServiceOptions<N>, "handle" | "idleTimeoutMs" | "maxConnectionsPerAddress">;

/** A TCP service whose protocol code gets each accepted socket through the tap. */
export function defineTcpService<N extends string>(options: TcpServiceOptions<N>): TcpServiceDefinition<N> {
  const spec: TcpServiceDefinition<N> = {
    ...options,
    transport: "tcp",
    async start({ bus, host, port }) {
      const open = new Set<net.Socket>();
      const server = createTappedServer({
        bus,
        service: options.name,
        protocol: options.protocol,
        idleTimeoutMs: options.idleTimeoutMs,
        maxConnectionsPerAddress: options.maxConnectionsPerAddress,
        handler: (socket, conversation) => {
          open.add(socket);
          socket.once("close", () => open.delete(socket));
          options.handle(socket, conversation);
        },
      });
      const bound = await listen(server, spec, host, port);
      return {
        port: bound,
        connections: () => [...open].map((s) => ({ writableLength: s.writableLength, readableLength: s.readableLength })),
        stop: () =>
          new Promise<void>((resolve) => {
            // Open conversations are ended instead of keeping the process alive.
            for (const socket of open) socket.destroy();
            server.close(() => resolve());
          }),
      };
    },
  };
  return spec;
}
