// The web port's connection bounds (issue 8, item 6): a few hundred slow-header connections against
// lowered caps, from other addresses and from the victim's own, while an unrelated student's echo
// client and a browser's fresh /api/status requests keep working.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LabService } from "@/gen/lab/v1/lab_pb";
import type { LabHost } from "./host";
import { startTestHost } from "../testing/host";
import { slowHeaders } from "../attack/attacks";
import { rawHttp, startEchoProbe, startStatusProbe } from "../attack/probes";

const LIMITS = {
  headersTimeoutMs: 1_500,
  requestTimeoutMs: 2_500,
  timeoutCheckMs: 250,
  maxConnections: 120,
  maxConnectionsPerAddress: 50,
};
let host: LabHost;

beforeAll(async () => {
  host = await startTestHost([], { web: LIMITS });
});
afterAll(async () => {
  await host.stop();
});

function target() {
  return { webPort: host.port("web"), echoPort: host.port("tcp-echo"), cookie: "" };
}

describe("the web port under slow-header connections", () => {
  it("holds at most its caps; the API and the lab servers keep answering; every slow connection is closed", async () => {
    const before = host.webConnections();
    const echo = startEchoProbe(host.port("tcp-echo"));
    const status = startStatusProbe(host.port("web"), { intervalMs: 50 });
    let peakOpen = 0;
    const sampler = setInterval(() => (peakOpen = Math.max(peakOpen, host.webConnections().open)), 20);
    const attack = await slowHeaders(target(), {
      count: 300,
      addresses: ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"],
      lineEveryMs: 300,
      waitMs: 8_000,
    });
    clearInterval(sampler);
    const [echoStats, statusStats] = await Promise.all([echo.stop(), status.stop()]);

    expect(attack.problems).toEqual([]);
    // Never more than the cap (plus the probes' own connection now and then).
    expect(peakOpen).toBeLessThanOrEqual(LIMITS.maxConnections);
    const after = host.webConnections();
    expect(after.refused + after.evicted - before.refused - before.evicted).toBeGreaterThan(0);
    // Those that got in were closed with 408 once their headers were late.
    expect(attack.answers["408 then closed"]).toBeGreaterThan(0);
    expect(statusStats.failed).toBe(0);
    expect(statusStats.ok).toBeGreaterThan(10);
    expect(echoStats.failed).toBe(0);
    expect(echoStats.p99Ms).toBeLessThan(500);
  });

  it("lets a browser in even when slow connections fill its own address", async () => {
    const status = startStatusProbe(host.port("web"), { intervalMs: 50 });
    const attack = await slowHeaders(target(), { count: 200, addresses: ["127.0.0.1"], lineEveryMs: 300, waitMs: 8_000 });
    const statusStats = await status.stop();
    expect(attack.problems).toEqual([]);
    // The address holds 50 at most: each newcomer pushed the oldest idle one out.
    expect(attack.answers["closed without an answer"]).toBeGreaterThan(100);
    expect(statusStats.failed).toBe(0);
    expect(statusStats.ok).toBeGreaterThan(10);
  });

  it("closes a connection that asks to be upgraded: no route upgrades, and an upgraded socket has no timeouts", async () => {
    for (const name of ["127.0.0.1", "evil.example"]) {
      const answer = await rawHttp(host.port("web"), `GET / HTTP/1.1\r\nHost: ${name}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`, {
        timeoutMs: 3_000,
        untilClosed: true,
      });
      expect(answer.closed, name).toBe(true);
      expect(answer.ms, name).toBeLessThan(1_000);
    }
  });

  it("reads on a body nobody wants for a second at most, then closes the connection", async () => {
    for (const [path, hostName] of [["/api/status", "127.0.0.1"], ["/", "127.0.0.1"], ["/api/status", "evil.example"]]) {
      const answer = await rawHttp(host.port("web"), `POST ${path} HTTP/1.1\r\nHost: ${hostName}\r\nTransfer-Encoding: chunked\r\n\r\n`, {
        timeoutMs: 5_000,
        untilClosed: true,
        then: (socket) => {
          const chunk = `4000\r\n${"a".repeat(0x4000)}\r\n`;
          const timer = setInterval(() => socket.write(chunk), 5);
          socket.once("close", () => clearInterval(timer));
        },
      });
      expect(answer.status, `${hostName}${path}`).toBeGreaterThan(0);
      expect(answer.closed, `${hostName}${path}`).toBe(true);
      expect(answer.ms, `${hostName}${path}`).toBeLessThan(2_500);
    }
  });

  it("closes a request whose body trickles in with 408 once its time is up", async () => {
    const answer = await rawHttp(
      host.port("web"),
      `POST /${LabService.typeName}/ClearTimeline HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
      {
        timeoutMs: 8_000,
        then: (socket) => {
          const timer = setInterval(() => socket.write("a"), 200);
          socket.once("close", () => clearInterval(timer));
        },
      },
    );
    expect(answer.status).toBe(408);
    expect(answer.closed).toBe(true);
    expect(answer.ms).toBeLessThan(LIMITS.requestTimeoutMs + 2 * LIMITS.timeoutCheckMs + 1_000);
  });
});
