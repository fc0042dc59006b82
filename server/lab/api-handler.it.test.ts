// The control API's handler on its own, with a Watch that writes while its browser is going away:
// each such Watch is said in one line at most, never with a stack (issue 8, item 10).

import http from "node:http";
import type net from "node:net";
import { create } from "@bufbuild/protobuf";
import { createContextValues } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LabService, WatchResponseSchema } from "@/gen/lab/v1/lab_pb";
import { createApiHandler } from "./api-handler";
import { rawHttp } from "../attack/probes";

const logged: string[] = [];
const resets: ((value: unknown) => void)[] = [];
let server: http.Server;
let port: number;

beforeAll(async () => {
  const api = createApiHandler({
    routes: (router) =>
      router.service(LabService, {
        async *watch() {
          yield create(WatchResponseSchema, { runId: "first" });
          // The browser resets the connection; the next write comes before the host has read that the
          // connection is gone, and fails (EPIPE, as the issue found it when a replay kept the host busy).
          await new Promise((r) => resets.push(r));
          const big = create(WatchResponseSchema, { runId: "x".repeat(256 * 1024) });
          for (;;) yield big;
        },
      }),
    contextValues: () => createContextValues(),
    readMaxBytes: 1024,
    log: (line) => logged.push(line),
  });
  server = http.createServer(api);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("the control API handler", () => {
  it("says a Watch whose browser went away mid-write in one line at most, never a stack", async () => {
    const consoleError = vi.spyOn(console, "error");
    const body = Buffer.concat([Buffer.from([0, 0, 0, 0, 2]), Buffer.from("{}")]);
    const head = `POST /${LabService.typeName}/Watch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/connect+json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const watches = Array.from({ length: 20 }, () =>
      rawHttp(port, Buffer.concat([Buffer.from(head), body]), {
        timeoutMs: 5_000,
        then: (socket) =>
          socket.once("data", () => {
            socket.destroy();
            resets.shift()?.(undefined);
          }),
      }),
    );
    const results = await Promise.all(watches);
    expect(results.every((r) => r.closed)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.length).toBeLessThanOrEqual(20);
    for (const line of logged) expect(line).toMatch(/^protocol-lab: Watch ended early: the client went away \(\w+\)\.$/);
  });
});
