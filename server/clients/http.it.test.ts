// The lab's HTTP client over loopback (issue 11 §4): through LabService.SendHttp on a real lab host, and alone
// against a tapped server that never answers. Statuses, bodies and the timeline's events are the real ones.

import { ConnectError, Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClientError } from "@/gen/lab/v1/lab_pb";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { LabHost } from "../lab/host";
import { defineTcpService, type RunningService } from "../servers/service";
import { labServiceFor, sleep, startTestHost, visitForSession } from "../testing/host";
import { defineHttpService } from "../servers/http/http-service";
import { LIMITS } from "../lab/service";
import { createLabHttpClient, parseResponse, requestBytes, type HttpRequestSpec } from "./http";
import type { ServiceTarget } from "./tcp";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const utf8 = (s: string) => new TextEncoder().encode(s);

const newSession = () => visitForSession(host, "/tools/http");
const labFor = (cookie: string) => labServiceFor(host, cookie);

const json = { name: "Content-Type", value: "application/json" };

describe("SendHttp", () => {
  it("runs seed 000's HTTPClientExample: 200, 200, 200, 201, 200, 200, 404, 400, on one kept-alive connection", async () => {
    const lab = labFor(await newSession());
    const steps = [
      { method: "GET", url: "/api/health" },
      { method: "GET", url: "/api/users" },
      { method: "GET", url: "/api/users/1" },
      { method: "POST", url: "/api/users", headers: [json], body: utf8('{"name": "David", "email": "david@example.com", "age": 28}') },
      { method: "PUT", url: "/api/users/1", headers: [json], body: utf8('{"name": "Alice Updated", "age": 31}') },
      { method: "DELETE", url: "/api/users/2" },
      { method: "GET", url: "/api/users/999" },
      { method: "POST", url: "/api/users", headers: [json], body: utf8("invalid json") },
    ];
    const answers = [];
    for (const step of steps) answers.push(await lab.sendHttp(step));
    expect(answers.map((a) => a.exchanges[0]?.status)).toEqual([200, 200, 200, 201, 200, 200, 404, 400]);
    const users = JSON.parse(text(answers[1]!.exchanges[0]!.body)) as { count: number; data: { name: string }[] };
    expect(users.data.map((u) => u.name)).toEqual(["Alice", "Bob", "Charlie"]);
    expect(JSON.parse(text(answers[3]!.exchanges[0]!.body))).toMatchObject({ success: true, data: { name: "David", age: 28 } });
    // One connection: the first request opened it, every next one reused it.
    const conversations = new Set(answers.map((a) => a.exchanges[0]!.conversationId));
    expect(conversations.size).toBe(1);
    expect(answers.map((a) => a.exchanges[0]!.reused)).toEqual([false, true, true, true, true, true, true, true]);
    for (const a of answers) expect(a.error).toBe(HttpClientError.UNSPECIFIED);
  });

  it("gives the timeline events of the request and of its response, and their timing", async () => {
    const lab = labFor(await newSession());
    const res = await lab.sendHttp({ method: "GET", url: "/api/users/1" });
    const x = res.exchanges[0]!;
    expect(x.requestSeq).toBeGreaterThan(0n);
    expect(x.responseSeq).toBeGreaterThan(x.requestSeq);
    const request = (await lab.getEvent({ seq: x.requestSeq, runId: res.runId })).event!;
    const response = (await lab.getEvent({ seq: x.responseSeq, runId: res.runId })).event!;
    expect(request.kind).toBe(EventKind.DATA);
    expect(request.direction).toBe(Direction.CLIENT_TO_SERVER);
    expect(text(request.data)).toBe(`GET /api/users/1 HTTP/1.1\r\nHost: 127.0.0.1:${host.port("http")}\r\n\r\n`);
    expect(response.direction).toBe(Direction.SERVER_TO_CLIENT);
    expect(text(response.data)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(x.requestBytes).toBe(BigInt(request.data.length));
    expect(x.ttfbMs).toBeGreaterThan(0);
    expect(x.totalMs).toBeGreaterThanOrEqual(x.ttfbMs);
    expect(x.version).toBe("HTTP/1.1");
    expect(x.reason).toBe("OK");
    expect(x.headers.find((h) => h.name.toLowerCase() === "content-type")?.value).toMatch(/^application\/json/);
  });

  it("follows seed 003's redirect when asked, each hop its own request, and stops at it otherwise", async () => {
    const lab = labFor(await newSession());
    const followed = await lab.sendHttp({ method: "GET", url: "/", followRedirects: true });
    expect(followed.exchanges.map((x) => [x.method, x.target, x.status])).toEqual([
      ["GET", "/", 302],
      ["GET", "/posts", 200],
    ]);
    expect(followed.exchanges[1]!.requestSeq).toBeGreaterThan(followed.exchanges[0]!.responseSeq);
    expect(text(followed.exchanges[1]!.body)).toMatch(/<html/i);

    const stopped = await lab.sendHttp({ method: "GET", url: "/", followRedirects: false });
    expect(stopped.exchanges).toHaveLength(1);
    expect(stopped.exchanges[0]!.status).toBe(302);
    expect(stopped.exchanges[0]!.headers.find((h) => h.name.toLowerCase() === "location")?.value).toBe("/posts");

    // 303 after a POST goes on as a GET; 307 keeps the method and the body.
    const see = await lab.sendHttp({ method: "POST", url: "/redirect/303", headers: [{ name: "Content-Type", value: "text/plain" }], body: utf8("x"), followRedirects: true });
    expect(see.exchanges.map((x) => [x.method, x.status])).toEqual([
      ["POST", 303],
      ["GET", 200],
    ]);
    const temp = await lab.sendHttp({ method: "POST", url: "/redirect/307", headers: [{ name: "Content-Type", value: "text/plain" }], body: utf8("kept"), followRedirects: true });
    expect(temp.exchanges.map((x) => [x.method, x.target])).toEqual([
      ["POST", "/redirect/307"],
      ["POST", "/http/echo"],
    ]);
    expect(text(temp.exchanges[1]!.body)).toContain("kept");
  });

  it("stops a redirect loop at max_redirects", async () => {
    const lab = labFor(await newSession());
    const res = await lab.sendHttp({ method: "GET", url: "/redirect/loop", followRedirects: true, maxRedirects: 3 });
    expect(res.exchanges).toHaveLength(4);
    expect(res.exchanges.every((x) => x.status === 302)).toBe(true);
    expect(res.error).toBe(HttpClientError.TOO_MANY_REDIRECTS);
    await expect(lab.sendHttp({ method: "GET", url: "/", maxRedirects: 21 })).rejects.toMatchObject({ code: Code.InvalidArgument });
  });

  it("refuses a URL of any other host or port, and takes one of its own service", async () => {
    const lab = labFor(await newSession());
    for (const url of ["http://example.com/", `http://127.0.0.1:${host.port("web")}/api/status`, "https://127.0.0.1/", "//example.com/x", "file:///etc/passwd"]) {
      const err = await lab.sendHttp({ method: "GET", url }).then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
      // A host or port of its own is refused as not permitted; what is no http URL at all, as invalid.
      expect(err?.code, url).toBe(url.startsWith("//") ? Code.InvalidArgument : Code.PermissionDenied);
    }
    const own = await lab.sendHttp({ method: "GET", url: `http://localhost:${host.port("http")}/api/health` });
    expect(own.exchanges[0]!.status).toBe(200);
    expect(own.exchanges[0]!.target).toBe("/api/health");
  });

  it("refuses header injection and a method that is no token", async () => {
    const lab = labFor(await newSession());
    await expect(lab.sendHttp({ method: "GET", url: "/", headers: [{ name: "X-A", value: "1\r\nX-B: 2" }] })).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(lab.sendHttp({ method: "GE T", url: "/" })).rejects.toMatchObject({ code: Code.InvalidArgument });
    await expect(lab.sendHttp({ method: "GET", url: "/a b" })).rejects.toMatchObject({ code: Code.InvalidArgument });
  });

  it("counts its connections in the session's bound on lab clients", async () => {
    const lab = labFor(await newSession());
    await lab.sendHttp({ method: "GET", url: "/api/health" });
    const opened = [];
    for (let i = 0; i < LIMITS.clientsPerSession - 1; i++) opened.push(await lab.open({ service: "tcp-echo" }));
    // 31 echo clients and the kept-alive HTTP connection: the session's 32.
    await expect(lab.open({ service: "tcp-echo" })).rejects.toMatchObject({ code: Code.ResourceExhausted });
    await expect(lab.sendHttp({ method: "GET", url: "/api/health" })).rejects.toMatchObject({ code: Code.ResourceExhausted });
    await lab.close({ conversationId: opened[0]!.conversation!.id });
    expect((await lab.sendHttp({ method: "GET", url: "/api/health" })).exchanges[0]!.status).toBe(200);
  });

  it("closes the connection when the request says Connection: close, and opens a new one next time", async () => {
    const lab = labFor(await newSession());
    const first = await lab.sendHttp({ method: "GET", url: "/api/health", headers: [{ name: "Connection", value: "close" }] });
    const second = await lab.sendHttp({ method: "GET", url: "/api/health" });
    expect(second.exchanges[0]!.reused).toBe(false);
    expect(second.exchanges[0]!.conversationId).not.toBe(first.exchanges[0]!.conversationId);
  });
});

describe("the client alone", () => {
  const session = () => host.sessions.resolve(undefined, "127.0.0.1").session;
  const target = (): ServiceTarget => ({ service: "http", transport: "tcp", protocol: "http1", host: "127.0.0.1", port: host.port("http") });
  const get = (url: string): HttpRequestSpec => ({ method: "GET", url, headers: [], body: new Uint8Array(0), followRedirects: false, maxRedirects: 0 });

  it("keeps at most bodyLimit bytes of a body and says how long it was", async () => {
    const s = session();
    const client = createLabHttpClient(host.bus, target(), s.id, { isOwnHost: () => false, ring: s.ring, limits: { bodyLimit: 10 } });
    const res = await client.send(get("/api/users"));
    const x = res.exchanges[0]!;
    expect(x.status).toBe(200);
    expect(x.body.length).toBe(10);
    expect(x.bodyTruncated).toBe(true);
    expect(x.bodyLength).toBeGreaterThan(100);
    expect(text(x.body)).toBe(text(utf8('{"success": true')).slice(0, 10));
    client.close();
  });

  it("forgets a kept connection the server closed while it was idle, and opens a new one", async () => {
    const quick: RunningService = await defineHttpService({ keepAliveTimeoutMs: 300, timeoutCheckMs: 100 }).start!({ bus: host.bus, host: "127.0.0.1", port: 0 });
    try {
      const s = session();
      const client = createLabHttpClient(host.bus, { ...target(), port: quick.port }, s.id, { isOwnHost: () => false, ring: s.ring });
      const first = await client.send(get("/api/health"));
      expect(client.connections).toBe(1);
      const again = await client.send(get("/api/health"));
      expect(again.exchanges[0]!.reused).toBe(true);
      // Node closes an idle kept-alive socket once keepAliveTimeout has passed (and its timer check ran).
      const closedBy = performance.now() + 5_000;
      while (client.connections > 0 && performance.now() < closedBy) await sleep(50);
      expect(client.connections).toBe(0);
      const later = await client.send(get("/api/health"));
      expect(later.exchanges[0]!.status).toBe(200);
      expect(later.exchanges[0]!.reused).toBe(false);
      expect(later.exchanges[0]!.conversation.id).not.toBe(first.exchanges[0]!.conversation.id);
      client.close();
    } finally {
      await quick.stop();
    }
  });

  it("records a TIMEOUT event when the server never answers, and closes the connection", async () => {
    const silent = defineTcpService({ name: "silent", defaultPort: 0, flag: "silent-port", env: "LAB_SILENT", protocol: "http1", seeds: [], idleTimeoutMs: 60_000, handle: () => {} });
    const running: RunningService = await silent.start!({ bus: host.bus, host: "127.0.0.1", port: 0 });
    try {
      const s = session();
      const client = createLabHttpClient(host.bus, { service: "silent", transport: "tcp", protocol: "http1", host: "127.0.0.1", port: running.port }, s.id, {
        isOwnHost: () => false,
        ring: s.ring,
        limits: { responseTimeoutMs: 300 },
      });
      const started = performance.now();
      const res = await client.send(get("/"));
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(res.error?.code).toBe("timeout");
      const x = res.exchanges[0]!;
      expect(x.status).toBe(0);
      expect(x.requestSeq).toBeGreaterThan(0);
      const events = s.ring.after(0, 1000).filter((e) => e.conversation.id === x.conversation.id);
      const timeout = events.find((e) => e.kind === "timeout");
      expect(timeout?.errorCode).toBe("ETIMEDOUT");
      expect(timeout?.direction).toBe("s2c");
      expect(client.connections).toBe(0);
      client.close();
    } finally {
      await running.stop();
    }
  });
});

describe("request and response bytes", () => {
  it("writes Host first unless given, and Content-Length for a body", () => {
    expect(text(requestBytes("POST", "/x", "127.0.0.1:8080", [{ name: "Content-Type", value: "text/plain" }], utf8("é")))).toBe(
      "POST /x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\né",
    );
    expect(text(requestBytes("GET", "/", "h", [{ name: "host", value: "lab" }], new Uint8Array(0)))).toBe("GET / HTTP/1.1\r\nhost: lab\r\n\r\n");
  });

  it("reads chunked bodies, skips 100 Continue, and waits for a close-delimited body's end", () => {
    const chunked = utf8("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n");
    const parsed = parseResponse(chunked, "POST", false, 100);
    expect(parsed).toMatchObject({ status: 200, bodyLength: 5, end: chunked.length, keepAlive: true });
    expect(typeof parsed === "object" && text(parsed.body)).toBe("abcde");
    for (let cut = 1; cut < chunked.length; cut++) expect(parseResponse(chunked.subarray(0, cut), "POST", false, 100)).toBe("more");
    const toClose = utf8("HTTP/1.0 200 OK\r\n\r\nbody");
    expect(parseResponse(toClose, "GET", false, 100)).toBe("more");
    expect(parseResponse(toClose, "GET", true, 100)).toMatchObject({ status: 200, bodyLength: 4, keepAlive: false });
    expect(parseResponse(utf8("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), "HEAD", false, 100)).toMatchObject({ bodyLength: 0, keepAlive: true });
    expect(parseResponse(utf8("SSH-2.0-OpenSSH\r\n"), "GET", false, 100)).toBe("bad");
  });
});
