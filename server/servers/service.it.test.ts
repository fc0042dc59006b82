// A service is one declaration: an HTTP service (node:http behind the tap) declared the way
// server/servers/*.ts declare theirs, started as the host starts every service, and its bytes on a
// session's timeline exactly as the client sent and received them.

import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createBus } from "../capture/bus";
import { dissectorFor } from "../dissect/protocols";
import { createSessionStore } from "../lab/sessions";
import { defineTcpService, type RunningService } from "./service";

const api = http.createServer((req, res) => res.end(`hello ${req.url}`));

const helloService = defineTcpService({
  name: "hello-http",
  defaultPort: 8090,
  flag: "hello-port",
  env: "LAB_HELLO_PORT",
  protocol: "data",
  seeds: [],
  via: "stream",
  idleTimeoutMs: 5_000,
  handle: (stream) => api.emit("connection", stream),
});

let running: RunningService | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("a service declared in one place", () => {
  it("serves node:http through the tap: the timeline holds every request and response byte", async () => {
    const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
    const watcher = sessions.resolve(undefined, "127.0.0.1").session;
    const bus = createBus({ sessions, dissectorFor });
    running = await helloService.start!({ bus, host: "127.0.0.1", port: 0 });

    const request = "GET /one HTTP/1.1\r\nHost: lab\r\n\r\nGET /two HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n";
    const received = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port: running!.port }, () => socket.write(request));
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString("latin1")));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(received).toContain("hello /one");
    expect(received).toContain("hello /two");

    const events = watcher.ring.after(0, 100);
    const sent = (direction: "c2s" | "s2c") =>
      Buffer.concat(events.filter((e) => e.kind === "data" && e.direction === direction).map((e) => e.data)).toString("latin1");
    expect(sent("c2s")).toBe(request);
    expect(sent("s2c")).toBe(received);
    expect(events[0]?.conversation).toMatchObject({ service: "hello-http", transport: "tcp", protocol: "data" });
  });
});
