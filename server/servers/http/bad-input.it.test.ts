// Bad input on 8080, over real sockets: each gets HTTP's own error (408, 431, 400, 413) or a reset at the
// per-address cap, the server stays up, and a well-behaved client at another address is answered all along.
// The service runs with short timeouts and a small cap so the attacks are quick; the limits are the
// same code as the defaults.

import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBus } from "../../capture/bus";
import { dissectorFor } from "../../dissect/protocols";
import { createSessionStore, type Session } from "../../lab/sessions";
import { connectClient, sleep } from "../../testing/host";
import type { RunningService } from "../service";
import { defineHttpService } from "./http-service";

const CAP = 20;
const service = defineHttpService({ headersTimeoutMs: 1_000, requestTimeoutMs: 3_000, timeoutCheckMs: 100, maxConnectionsPerAddress: CAP });

let running: RunningService;
let watcher: Session;
beforeAll(async () => {
  const sessions = createSessionStore({ ringMaxEvents: 200_000, ringMaxBytes: 1 << 28 });
  // A browser at the attackers' address, so the timeline (what the server read) can be checked.
  watcher = sessions.resolve(undefined, "127.0.0.1").session;
  const bus = createBus({ sessions, dissectorFor });
  running = await service.start!({ bus, host: "127.0.0.1", port: 0, sessions });
});
afterAll(async () => {
  await running.stop();
});

/** A good client at another address: one request, its status line. */
async function bystander(): Promise<string> {
  const socket = net.connect({ host: "127.0.0.1", port: running.port, localAddress: "127.0.0.77" });
  const text = await new Promise<string>((resolve, reject) => {
    let got = "";
    socket.on("data", (d: Buffer) => {
      got += d.toString("latin1");
      if (got.includes('"users_count"')) resolve(got);
    });
    socket.on("error", reject);
    socket.write("GET /api/health HTTP/1.1\r\nHost: lab\r\n\r\n");
  });
  socket.destroy();
  return text.split("\r\n")[0]!;
}

/** Bytes the server read from the client on conversations that began after `seq`. */
function bytesRead(afterSeq: number): number {
  return watcher.ring
    .after(afterSeq, 1_000_000)
    .filter((e) => e.kind === "data" && e.direction === "c2s")
    .reduce((sum, e) => sum + e.data.byteLength, 0);
}

describe("bad input on 8080", () => {
  it("answers a slowloris (headers at 1 byte a second) with 408 and closes it, serving others meanwhile", async () => {
    const slow = await connectClient(running.port);
    const request = "GET /api/health HTTP/1.1\r\nHost: lab\r\n\r\n";
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < request.length && !slow.socket.destroyed) slow.socket.write(request[sent++]!);
    }, 1_000);
    try {
      expect(await bystander()).toBe("HTTP/1.1 200 OK");
      await slow.ended;
      const text = slow.received().toString("latin1");
      expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(text).toContain("Connection: close");
      expect(sent).toBeLessThan(request.length);
    } finally {
      clearInterval(drip);
      slow.socket.destroy();
    }
  });

  it("answers a 1 MB header with 431", async () => {
    const client = await connectClient(running.port);
    client.socket.write(`GET /api/users HTTP/1.1\r\nHost: lab\r\nX-Big: ${"a".repeat(1024 * 1024)}\r\n\r\n`);
    const text = await client.until((t) => t.includes("\r\n\r\n") && t.endsWith("\n"));
    expect(text).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    await client.closed;
    expect(await bystander()).toBe("HTTP/1.1 200 OK");
  });

  it("answers an invalid request line, and Content-Length with Transfer-Encoding, with 400", async () => {
    for (const [bad, says] of [
      ["GARBAGE\r\n\r\n", /llhttp could not parse the request/],
      ["GET /api/users HTTP/9.9\r\nHost: lab\r\n\r\n", /llhttp could not parse/],
      ["POST /api/users HTTP/1.1\r\nHost: lab\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", /Content-Length together with Transfer-Encoding/],
    ] as const) {
      const client = await connectClient(running.port);
      client.socket.write(bad);
      await client.ended;
      const text = client.received().toString("latin1");
      expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(text).toMatch(says);
      client.socket.destroy();
    }
    expect(await bystander()).toBe("HTTP/1.1 200 OK");
  });

  it("answers bad JSON and bad UTF-8 with each API's 400", async () => {
    const ask = async (path: string, type: string, body: Buffer) => {
      const client = await connectClient(running.port);
      client.socket.write(`POST ${path} HTTP/1.1\r\nHost: lab\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      client.socket.write(body);
      await client.ended;
      const text = client.received().toString("utf8");
      client.socket.destroy();
      return { status: text.slice(9, 12), body: text.slice(text.indexOf("\r\n\r\n") + 4) };
    };
    const notUtf8 = Buffer.from([0x7b, 0x22, 0x6e, 0xff, 0xfe, 0x22, 0x7d]);
    expect(await ask("/api/users", "application/json", Buffer.from("{'name': 1}"))).toEqual({ status: "400", body: '{"success": false, "error": "Invalid JSON"}' });
    expect(await ask("/api/users", "application/json", notUtf8)).toEqual({ status: "400", body: '{"success": false, "error": "Invalid JSON: the body is not UTF-8"}' });
    expect((await ask("/api/rest/dummie", "application/json", notUtf8)).status).toBe("400");
    const rpc = await ask("/api/rpc/json", "application/json", notUtf8);
    expect(rpc.status).toBe("200");
    expect(JSON.parse(rpc.body)).toMatchObject({ error: { code: -32700 }, id: null });
    const xml = await ask("/api/rpc/xml", "text/xml", notUtf8);
    expect(xml.body).toContain("<value><int>-32700</int></value>");
  });

  it("answers a 100 MB body with 413 after reading a small part of it, declared or chunked", async () => {
    for (const framing of ["declared", "chunked"] as const) {
      const before = watcher.ring.after(0, 1_000_000).at(-1)?.seq ?? 0;
      const socket = net.connect({ host: "127.0.0.1", port: running.port });
      await new Promise((r) => socket.once("connect", r));
      let answer = "";
      socket.on("data", (d: Buffer) => (answer += d.toString("latin1")));
      socket.on("error", () => {});
      const closed = new Promise((r) => socket.once("close", r));
      const head =
        framing === "declared"
          ? `POST /api/users HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`
          : "POST /api/users HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
      socket.write(head);
      const piece = Buffer.alloc(1024 * 1024, 0x20);
      const chunk = framing === "declared" ? piece : Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]);
      let written = 0;
      // Writes as fast as the connection takes them, until the answer comes or 100 MB are out.
      while (written < 100 && !answer.includes("\r\n\r\n") && !socket.destroyed) {
        if (!socket.write(chunk)) await new Promise((r) => setTimeout(r, 5).unref()).then(() => undefined);
        written++;
        if (written % 4 === 0) await sleep(1);
      }
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
      expect(answer).toContain("this server reads at most 1048576 bytes");
      // What the tap saw the server read: the headers and a few MiB, not the 100 MiB the client offered.
      expect(bytesRead(before)).toBeLessThan(16 * 1024 * 1024);
    }
    expect(await bystander()).toBe("HTTP/1.1 200 OK");
  });

  it(`holds at most ${CAP} connections from one address: 1,000 keep-alive ones are mostly reset, and another address is served`, async () => {
    const sockets: net.Socket[] = [];
    const answered = new Set<net.Socket>();
    const reset = new Set<net.Socket>();
    for (let i = 0; i < 1_000; i++) {
      const socket = net.connect({ host: "127.0.0.1", port: running.port, localAddress: "127.0.0.50" });
      socket.on("error", () => reset.add(socket));
      socket.on("close", () => reset.add(socket));
      socket.on("data", (d: Buffer) => {
        if (d.toString("latin1").includes("200 OK")) answered.add(socket);
      });
      socket.on("connect", () => socket.write("GET /api/health HTTP/1.1\r\nHost: lab\r\n\r\n"));
      sockets.push(socket);
    }
    for (let i = 0; i < 500 && answered.size + reset.size < 1_000; i++) await sleep(20);
    expect(answered.size).toBe(CAP);
    expect(reset.size).toBe(1_000 - CAP);
    expect([...answered].every((s) => !s.destroyed)).toBe(true);
    expect(await bystander()).toBe("HTTP/1.1 200 OK");
    for (const socket of sockets) socket.destroy();
    await sleep(100);
    // Room again at that address once its connections closed.
    const again = net.connect({ host: "127.0.0.1", port: running.port, localAddress: "127.0.0.50" });
    const status = await new Promise<string>((resolve) => {
      again.on("data", (d: Buffer) => resolve(d.toString("latin1").split("\r\n")[0]!));
      again.write("GET /api/health HTTP/1.1\r\nHost: lab\r\n\r\n");
    });
    again.destroy();
    expect(status).toBe("HTTP/1.1 200 OK");
  });
});
