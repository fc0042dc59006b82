// The web port answers only to the lab's own names (issue 8, item 7: DNS rebinding), sends its security
// headers with every response, and streams the pcapng export (item 10), over real sockets.

import type net from "node:net";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LabService } from "@/gen/lab/v1/lab_pb";
import { readPcapng } from "../capture/pcapng";
import type { LabHost } from "./host";
import { fillTimeline, newSessions } from "../attack/attacks";
import { httpRequest, rawHttp, startEchoProbe } from "../attack/probes";
import { synthesizeTcp } from "../capture/synthesize";
import { connectClient, sleep, startTestHost } from "../testing/host";

const PAGE = "<!doctype html><title>Protocol Lab</title><p>a page</p>";
let host: LabHost;
let cookie: string;

beforeAll(async () => {
  host = await startTestHost(["--allowed-host=lab.school.example"], {
    pages: (_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(PAGE);
    },
  });
  const res = await httpRequest(host.port("web"), { path: "/lessons/tcp", headers: { host: "127.0.0.1" } });
  cookie = String(res.headers["set-cookie"]).split(";")[0]!;
});
afterAll(async () => {
  await host.stop();
});

const ROUTES = ["/", "/lessons/tcp", "/api/status", "/api/sessions/current/capture.pcapng"];
const api = (method: string) => `/${LabService.typeName}/${method}`;

function labClient(hostHeader: string) {
  return createClient(
    LabService,
    createConnectTransport({
      baseUrl: `http://127.0.0.1:${host.port("web")}`,
      httpVersion: "1.1",
      interceptors: [
        (next) => (req) => {
          req.header.set("host", hostHeader);
          req.header.set("cookie", cookie);
          return next(req);
        },
      ],
    }),
  );
}

describe("the web port answers only to the lab's own names", () => {
  it("refuses Host: evil.example with 421 on every route: pages, status, the pcapng export and the control API", async () => {
    const sessions = host.sessions.size;
    for (const route of ROUTES) {
      const res = await httpRequest(host.port("web"), { path: route, headers: { host: "evil.example", cookie } });
      expect(res.status, route).toBe(421);
      expect(res.headers["set-cookie"], route).toBeUndefined();
      expect(res.body.toString(), route).not.toContain("Protocol Lab</title>");
    }
    const evil = labClient("evil.example:3000");
    await expect(evil.status({})).rejects.toMatchObject({ code: 7 }); // PERMISSION_DENIED
    await expect(evil.clearTimeline({})).rejects.toMatchObject({ code: 7 });
    const watch = await httpRequest(host.port("web"), {
      method: "POST",
      path: api("Watch"),
      headers: { host: "evil.example", cookie, "content-type": "application/connect+json" },
      body: Buffer.concat([Buffer.from([0, 0, 0, 0, 2]), Buffer.from("{}")]),
    });
    expect(watch.status).toBe(421);
    // No session was made for the rebinding page.
    expect(host.sessions.size).toBe(sessions);
  });

  it("refuses a request without a usable Host too", async () => {
    for (const hostLine of ["Host: \r\n", "Host: evil.example:3000:1\r\n", "Host: 127.0.0.1.nip.io\r\n", "Host: 127.0.0.1@evil.example\r\n"]) {
      const res = await rawHttp(host.port("web"), `GET /api/status HTTP/1.1\r\n${hostLine}Connection: close\r\n\r\n`);
      expect([400, 421], hostLine).toContain(res.status);
    }
    // HTTP/1.0 may leave Host out: refused as well.
    const old = await rawHttp(host.port("web"), "GET /api/status HTTP/1.0\r\n\r\n");
    expect(old.status).toBe(421);
  });

  it("serves its own names: 127.0.0.1, localhost, [::1] and an --allowed-host name, with any port", async () => {
    for (const name of ["127.0.0.1", `127.0.0.1:${host.port("web")}`, "localhost:3000", "[::1]:3000", "LOCALHOST", "lab.school.example:3000"]) {
      for (const route of ROUTES) {
        const res = await httpRequest(host.port("web"), { path: route, headers: { host: name, cookie } });
        expect(res.status, `${name} ${route}`).toBe(200);
      }
      expect((await labClient(name).status({})).services.length).toBeGreaterThan(0);
    }
  });
});

describe("security headers", () => {
  const expectHeaders = (headers: Record<string, string | string[] | undefined>, what: string) => {
    expect(headers["content-security-policy"], what).toMatch(/frame-ancestors 'none'/);
    expect(headers["content-security-policy"], what).toMatch(/default-src 'self'/);
    expect(headers["x-content-type-options"], what).toBe("nosniff");
    expect(headers["referrer-policy"], what).toBe("no-referrer");
    expect(headers["x-frame-options"], what).toBe("DENY");
  };

  it("are on every response: pages, status, export, API answers and errors, refusals", async () => {
    const page = await httpRequest(host.port("web"), { path: "/", headers: { host: "127.0.0.1" } });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toBe(PAGE);
    expectHeaders(page.headers, "/");
    for (const route of ROUTES) expectHeaders((await httpRequest(host.port("web"), { path: route, headers: { host: "127.0.0.1", cookie } })).headers, route);
    const call = await httpRequest(host.port("web"), {
      method: "POST",
      path: api("Status"),
      headers: { host: "127.0.0.1", "content-type": "application/json" },
      body: "{}",
    });
    expect(call.status).toBe(200);
    expectHeaders(call.headers, "Status");
    const bad = await httpRequest(host.port("web"), {
      method: "POST",
      path: api("Status"),
      headers: { host: "127.0.0.1", "content-type": "application/proto" },
      body: Uint8Array.of(0xff),
    });
    expect(bad.status).toBe(400);
    expectHeaders(bad.headers, "a bad call");
    expectHeaders((await httpRequest(host.port("web"), { path: api("Nope"), headers: { host: "127.0.0.1" } })).headers, "no such method");
    expectHeaders((await httpRequest(host.port("web"), { path: "/", headers: { host: "evil.example" } })).headers, "a refusal");
  });
});

describe("the pcapng export", () => {
  it("streams the file (chunked) and keeps the echo server answering while eight sessions download theirs", async () => {
    const target = { webPort: host.port("web"), echoPort: host.port("tcp-echo"), cookie };
    const cookies = await newSessions(target, 8);
    await fillTimeline(target, 4_000);
    const echo = startEchoProbe(host.port("tcp-echo"), "127.0.0.1", 2);
    const downloads = await Promise.all(
      cookies.map((c) => httpRequest(host.port("web"), { path: "/api/sessions/current/capture.pcapng", headers: { host: "127.0.0.1", cookie: c } })),
    );
    const stats = await echo.stop();
    for (const d of downloads) {
      expect(d.status).toBe(200);
      expect(d.headers["transfer-encoding"]).toBe("chunked");
      expect(d.headers["content-length"]).toBeUndefined();
      expect(readPcapng(d.body).packets.length).toBeGreaterThan(8_000);
    }
    expect(stats.failed).toBe(0);
    // Made at once, eight files of this size stalled the host for over a second (p99 1.5 s here).
    expect(stats.p99Ms).toBeLessThan(750);
  });

  it("writes the same packets in the same order as sorting the whole file would: time order across interleaved conversations", async () => {
    const [mine] = await newSessions({ webPort: host.port("web"), echoPort: host.port("tcp-echo"), cookie }, 1);
    const clients = await Promise.all([0, 1, 2].map(() => connectClient(host.port("tcp-echo"))));
    for (const c of clients) await c.until((t) => t.endsWith(")"));
    for (let round = 0; round < 30; round++) {
      for (const [i, c] of clients.entries()) {
        c.socket.write(`${i}:${round}`);
        await c.until((t) => t.endsWith(`ECHO: ${i}:${round}`));
      }
    }
    for (const c of clients) c.socket.destroy();
    await Promise.all(clients.map((c) => c.closed));
    await sleep(100);
    const ring = host.sessions.get(mine!.split("=")[1]!)!.ring;
    const events = ring.after(0, 1_000_000);
    const byConversation = new Map<string, typeof events>();
    for (const e of events) byConversation.set(e.conversation.id, [...(byConversation.get(e.conversation.id) ?? []), e]);
    const expected = [...byConversation.values()]
      .flatMap((list) => synthesizeTcp(list[0]!.conversation, list))
      .sort((a, b) => (a.timestampNs < b.timestampNs ? -1 : a.timestampNs > b.timestampNs ? 1 : 0));
    const res = await httpRequest(host.port("web"), { path: "/api/sessions/current/capture.pcapng", headers: { host: "127.0.0.1", cookie: mine! } });
    const file = readPcapng(res.body);
    expect(byConversation.size).toBeGreaterThanOrEqual(3);
    expect(file.packets.map((p) => Buffer.from(p.data).toString("hex"))).toEqual(expected.map((p) => Buffer.from(p.data).toString("hex")));
  });

  it("gives a session one download at a time, and drops one whose client stops reading", async () => {
    const slow = await startTestHost([], { downloads: { stallMs: 500 } });
    try {
      const target = { webPort: slow.port("web"), echoPort: slow.port("tcp-echo"), cookie: "" };
      const [mine] = await newSessions(target, 1);
      // A file larger than the socket buffers on both sides can hold (about 12 MiB).
      await fillTimeline(target, 12_000, 1_000);
      const request = `GET /api/sessions/current/capture.pcapng HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${mine}\r\n\r\n`;
      // A client that reads the first bytes and then nothing: the buffers on both sides fill, and the
      // host's writes wait.
      let reader: net.Socket | undefined;
      const stalled = rawHttp(slow.port("web"), request, {
        timeoutMs: 10_000,
        untilClosed: true,
        then: (socket) => {
          reader = socket;
          socket.once("data", () => socket.pause());
        },
      });
      await new Promise((r) => setTimeout(r, 300));
      const second = await httpRequest(slow.port("web"), { path: "/api/sessions/current/capture.pcapng", headers: { host: "127.0.0.1", cookie: mine! } });
      expect(second.status).toBe(429);
      expect(second.headers["retry-after"]).toBe("5");
      // After stallMs without a drain, the host gave the download up: reading on, the client finds the
      // connection closed with the file cut short.
      await new Promise((r) => setTimeout(r, 1_000));
      reader!.resume();
      const first = await stalled;
      expect(first.status).toBe(200);
      expect(first.closed).toBe(true);
      expect(first.body.length).toBeLessThan(20 * 1024 * 1024);
      // Its turn is free again.
      const again = await httpRequest(slow.port("web"), { path: "/api/sessions/current/capture.pcapng", headers: { host: "127.0.0.1", cookie: mine! } });
      expect(again.status).toBe(200);
      expect(readPcapng(again.body).packets.length).toBeGreaterThan(30_000);
    } finally {
      await slow.stop();
    }
  });
});
