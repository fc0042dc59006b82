// Test helpers: a lab host on free ports, and small real socket clients.

import net from "node:net";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { LabService } from "@/gen/lab/v1/lab_pb";
import { parseConfig } from "../config";
import { startLabHost, type HostOptions, type LabHost, type PageHandler } from "../lab/host";

/** The UDP services on ports the system picks (a lab on the default ports may be running). */
export const UDP_PORTS_ANY = ["--udp-echo-port=0", "--broadcast-port=0", "--multicast-port=0"] as const;

export async function startTestHost(extraArgs: string[] = [], options: HostOptions & { pages?: PageHandler } = {}): Promise<LabHost> {
  const config = parseConfig(
    ["--web-port=0", "--echo-port=0", "--time-port=0", "--greeting-port=0", ...UDP_PORTS_ANY, "--http-port=0", "--grpc-port=0", "--jim-port=0", "--capture=off", ...extraArgs],
    {},
  );
  return startLabHost(config, options.pages, options);
}

/** Visits a page of the host, as a browser does, and returns the session cookie it set ("lab_session=..."). */
export async function visitForSession(host: LabHost, path = "/"): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${host.port("web")}${path}`);
  return (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}

/** A LabService client of the session the cookie names, speaking binary protobuf as the page does. */
export function labServiceFor(host: LabHost, cookie: string): Client<typeof LabService> {
  return createClient(
    LabService,
    createConnectTransport({
      baseUrl: `http://127.0.0.1:${host.port("web")}`,
      httpVersion: "1.1",
      useBinaryFormat: true,
      interceptors: [
        (next) => (req) => {
          req.header.set("cookie", cookie);
          return next(req);
        },
      ],
    }),
  );
}

/** A loopback TCP port nothing listens on now (for a host that must come back on the same ports). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP client that collects everything it reads, for assertions. */
export interface TestClient {
  readonly socket: net.Socket;
  /** Everything received so far. */
  received(): Buffer;
  /** Resolves once the received bytes (as UTF-8) satisfy `predicate`. */
  until(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the server closed its side (FIN). */
  ended: Promise<void>;
  closed: Promise<void>;
}

export function connectClient(port: number, host = "127.0.0.1"): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    let waiters: (() => void)[] = [];
    const notify = () => {
      const woken = waiters;
      waiters = [];
      for (const fn of woken) fn();
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      notify();
    });
    socket.on("end", notify);
    const ended = new Promise<void>((r) => socket.once("end", () => r()));
    const closed = new Promise<void>((r) => socket.once("close", () => r()));
    socket.on("error", () => {});
    socket.once("error", reject);
    socket.once("connect", () => {
      const received = () => Buffer.concat(chunks);
      resolve({
        socket,
        received,
        ended,
        closed,
        until(predicate, timeoutMs = 5_000) {
          return new Promise((res, rej) => {
            const timer = setTimeout(
              () => rej(new Error(`timed out; received so far: ${JSON.stringify(received().toString("utf8"))}`)),
              timeoutMs,
            );
            const check = () => {
              const text = received().toString("utf8");
              if (predicate(text)) {
                clearTimeout(timer);
                res(text);
              } else {
                waiters.push(check);
              }
            };
            check();
          });
        },
      });
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
