// A lab service is one declaration: its name, transport, default port, the flag and environment variable
// that move it, the protocol its conversations speak, the course documents it comes from, its limits and how
// it starts. Configuration, the port check, the status the pages read, the start-up listing, the control
// API's allowlist and the README's port table all read the list in ./index.ts; adding a service is one
// file and one line there.

import type net from "node:net";
import type { Bus, ConversationTap, SessionDirectory } from "../capture/bus";
import type { LabStore } from "../store/store";
import { translateSocketError } from "../capture/errors";
import { createTappedServer, type SocketStream, type Via } from "../capture/tap";
import { createTappedUdpServer, type UdpBind, type UdpFlow, type UdpLimits } from "../capture/udp-tap";
import type dgram from "node:dgram";

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
  /** A multicast receiver's group and whether it could join it (the Status call shows it). */
  readonly multicast?: MulticastState;
}

export interface MulticastState {
  readonly group: string;
  readonly joined: boolean;
  /** Why the join failed, in the system's words; empty when joined. */
  readonly problem: string;
}

export interface StartContext {
  readonly bus: Bus;
  readonly host: string;
  readonly port: number;
  /** The lab's store, for services that keep data (server/store); absent: such a service keeps its own in memory. */
  readonly store?: LabStore;
  /** The host's sessions, for services that keep a data set per session. */
  readonly sessions?: SessionDirectory;
}

export interface LabServiceDefinition<N extends string = string> extends ServicePort {
  readonly name: N;
  /** Protocol id of the dissector that reads its conversations (server/dissect/protocols.ts). */
  readonly protocol: string;
  /** The course documents (shared/seeds) whose behaviour it reproduces. */
  readonly seeds: readonly string[];
  /** Listens and serves, behind the tap. Absent for a port the lab keeps closed (a connect gets RST). */
  readonly start?: (ctx: StartContext) => Promise<RunningService>;
  /** UDP services: where the lab's own client sends its datagrams (clients/udp.ts). */
  readonly udpClient?: UdpClientPlan;
}

/** Where a UDP lab client's datagrams go, for a lab serving `host` (lab.proto OpenResponse). */
export interface UdpClientPlan {
  /** The destination address; `serverHost` is where the lab's clients reach a server bound to `host`. */
  destination(host: string, serverHost: string): { address: string; kind: "unicast" | "broadcast" | "broadcast-loopback" | "multicast" };
  /** IP TTL the client sets on its datagrams (multicast); 0 for the system's default. */
  readonly ttl: number;
  /** The server answers: a datagram with no answer within the receive timeout is a TIMEOUT event. */
  readonly answers: boolean;
}

export class PortInUseError extends Error {
  override name = "PortInUseError";
}

/** A failed bind of a service's port (TCP listen or UDP bind) as one line that names the flag to change. */
export function portError(spec: ServicePort, host: string, port: number, err: NodeJS.ErrnoException): PortInUseError {
  if (err.code === "EADDRINUSE") {
    return new PortInUseError(
      `Port ${port} (${spec.name}, ${spec.transport}) is already in use on ${host}: stop the program using it, or move it with --${spec.flag}=<port> (or move every port with --port-offset=<n>).`,
    );
  }
  return new PortInUseError(
    `Cannot use ${host}:${port}/${spec.transport} for ${spec.name}: ${translateSocketError(err).message} Use --${spec.flag}=<port> or --host=<addr>.`,
  );
}

/** Binds `server` for a service, turning EADDRINUSE and friends into one line that names the flag to change. */
export function listen(server: net.Server, spec: ServicePort, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(portError(spec, host, port, err));
    server.once("error", onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

export interface TcpServiceOptions<N extends string, V extends Via = "socket"> extends Omit<LabServiceDefinition<N>, "transport" | "start"> {
  /**
   * How the protocol code gets the connection: the tapped socket itself ("socket", for code that reads it
   * through the stream API), or a Duplex in front of it ("stream", for node:http, node:http2 and ws, which
   * would read the native handle past the tap).
   */
  readonly via?: V;
  /** The protocol code for one accepted connection, after the tap. */
  readonly handle: (connection: NoInfer<V> extends "stream" ? SocketStream : net.Socket, conversation: ConversationTap) => void;
  /** Idle connections are closed after this many milliseconds. */
  readonly idleTimeoutMs: number;
  /** Open connections allowed from one address. */
  readonly maxConnectionsPerAddress?: number;
}

export type TcpServiceDefinition<N extends string, V extends Via = "socket"> = LabServiceDefinition<N> &
  Pick<TcpServiceOptions<N, V>, "handle" | "idleTimeoutMs" | "maxConnectionsPerAddress" | "via">;

/** A TCP service whose protocol code gets each accepted connection through the tap. */
export function defineTcpService<N extends string, V extends Via = "socket">(options: TcpServiceOptions<N, V>): TcpServiceDefinition<N, V> {
  const spec: TcpServiceDefinition<N, V> = {
    ...options,
    transport: "tcp",
    async start({ bus, host, port }) {
      // The connections as the protocol code holds them (a stream destroys its socket with it).
      const open = new Set<net.Socket | SocketStream>();
      const server = createTappedServer<V>({
        bus,
        service: options.name,
        protocol: options.protocol,
        via: options.via,
        idleTimeoutMs: options.idleTimeoutMs,
        maxConnectionsPerAddress: options.maxConnectionsPerAddress,
        handler: (connection, conversation) => {
          open.add(connection);
          connection.once("close", () => open.delete(connection));
          options.handle(connection, conversation);
        },
      });
      const bound = await listen(server, spec, host, port);
      return {
        port: bound,
        connections: () => [...open].map((c) => ({ writableLength: c.writableLength, readableLength: c.readableLength })),
        stop: () =>
          new Promise<void>((resolve) => {
            // Open conversations are ended instead of keeping the process alive.
            for (const connection of open) connection.destroy();
            server.close(() => resolve());
          }),
      };
    },
  };
  return spec;
}

export interface UdpServiceOptions<N extends string> extends Omit<LabServiceDefinition<N>, "transport" | "start"> {
  /** The sockets for a lab bound to `host` (both families where the OS has them). */
  readonly binds: (host: string) => readonly UdpBind[];
  readonly reuseAddr?: boolean;
  readonly broadcast?: boolean;
  /** The server address the timeline shows, when not the bound one (the multicast group). */
  readonly shownAddress?: string;
  /** After binding; returns the multicast state for Status when the service joins a group. */
  readonly onBound?: (sockets: readonly dgram.Socket[], host: string) => MulticastState | undefined;
  /** The protocol code for one datagram, after the tap. */
  readonly handle: (datagram: Buffer, reply: (bytes: Uint8Array | string) => void, flow: UdpFlow) => void;
  /** A flow with no datagram for this long is forgotten (its CLOSE, code EIDLE). */
  readonly idleTimeoutMs: number;
  readonly limits?: Partial<UdpLimits>;
  readonly udpClient: UdpClientPlan;
}

export type UdpServiceDefinition<N extends string> = LabServiceDefinition<N> & Pick<UdpServiceOptions<N>, "handle" | "idleTimeoutMs" | "udpClient">;

/** The same IP on the other family, for the second socket: ::1 beside 127.0.0.1, :: beside 0.0.0.0. */
export function otherFamily(host: string): UdpBind | undefined {
  if (host === "127.0.0.1") return { address: "::1", type: "udp6", optional: true };
  if (host === "0.0.0.0") return { address: "::", type: "udp6", optional: true };
  return undefined;
}

/** A UDP service: each datagram reaches its protocol code through the datagram tap (capture/udp-tap.ts). */
export function defineUdpService<N extends string>(options: UdpServiceOptions<N>): UdpServiceDefinition<N> {
  const spec: UdpServiceDefinition<N> = {
    ...options,
    transport: "udp",
    async start({ bus, host, port }) {
      let multicast: MulticastState | undefined;
      const server = await createTappedUdpServer({
        bus,
        service: options.name,
        protocol: options.protocol,
        binds: options.binds(host),
        port,
        shownAddress: options.shownAddress,
        reuseAddr: options.reuseAddr,
        broadcast: options.broadcast,
        idleTimeoutMs: options.idleTimeoutMs,
        limits: options.limits,
        onBound: (sockets) => {
          multicast = options.onBound?.(sockets, host);
        },
        handle: options.handle,
      }).catch((err: NodeJS.ErrnoException) => {
        throw portError(spec, host, port, err);
      });
      return {
        port: server.port,
        connections: () => [],
        multicast,
        stop: () => server.close(),
      };
    },
  };
  return spec;
}
