// WebSocket on 8080 over loopback with real clients: Debian's Python websockets (the client the course's
// students use) for echo and a two-client chat, the workshop's pages, a client at one address seen only by
// the browser session at that address, and bad input on raw sockets and ws clients, each answered with its
// close code while the host and other rooms carry on. The service runs with short timeouts so the attacks
// are quick; the limits are the same code as the defaults.

import { execFile } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createBus } from "../../capture/bus";
import { eventPduFrames } from "../../capture/events";
import { dissectorFor } from "../../dissect/protocols";
import { createSessionStore, type Session } from "../../lab/sessions";
import { sleep } from "../../testing/host";
import type { RunningService } from "../service";
import { defineHttpService } from "../http/http-service";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const IDLE_MS = 1_500;
const PER_ADDRESS = 32;

const service = defineHttpService({}, { idleMs: IDLE_MS, maxSocketsPerAddress: PER_ADDRESS, maxPayloadBytes: 64 * 1024 });
let running: RunningService;
let here: Session;
let elsewhere: Session;

beforeAll(async () => {
  const sessions = createSessionStore({ ringMaxEvents: 200_000, ringMaxBytes: 1 << 28 });
  // Two browsers: one at the address the Python client connects from, one at another.
  here = sessions.resolve(undefined, "127.0.0.1").session;
  elsewhere = sessions.resolve(undefined, "127.0.0.2").session;
  const bus = createBus({ sessions, dissectorFor });
  running = await service.start!({ bus, host: "127.0.0.1", port: 0, sessions });
});
afterAll(async () => {
  await running.stop();
});

const url = (path: string) => `ws://127.0.0.1:${running.port}${path}`;

/** A ws client from `localAddress`; resolves once open. */
function open(path: string, options: WebSocket.ClientOptions & { localAddress?: string } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url(path), { perMessageDeflate: false, ...options });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

const closeOf = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
const nextMessage = (ws: WebSocket) => new Promise<string>((resolve) => ws.once("message", (data) => resolve(data.toString())));

/** A raw socket that has done the opening handshake on `path`; `frames` are written as given. */
async function rawSocket(path: string, localAddress = "127.0.0.1"): Promise<{ socket: net.Socket; closeCode: Promise<number>; status: string }> {
  const socket = net.connect({ host: "127.0.0.1", port: running.port, localAddress });
  socket.on("error", () => {});
  socket.write(`GET ${path} HTTP/1.1\r\nHost: lab\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let buffered = Buffer.alloc(0);
  let status = "";
  let onHead: (() => void) | undefined;
  let closeCode: (code: number) => void = () => {};
  const code = new Promise<number>((resolve) => {
    closeCode = resolve;
    socket.once("close", () => resolve(-1));
  });
  socket.on("data", (d: Buffer) => {
    buffered = Buffer.concat([buffered, d]);
    if (!status) {
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      status = buffered.subarray(0, buffered.indexOf("\r\n")).toString("latin1");
      buffered = buffered.subarray(end + 4);
      onHead?.();
    }
    // A close frame from the server: 0x88, a length, the code.
    const at = buffered.indexOf(0x88);
    if (at >= 0 && buffered.length >= at + 4) closeCode(buffered.readUInt16BE(at + 2));
  });
  await new Promise<void>((resolve, reject) => {
    onHead = resolve;
    socket.once("close", () => reject(new Error("closed before the handshake")));
  });
  return { socket, closeCode: code, status };
}

function masked(opcode: number, payload: Buffer, { fin = true, key = Buffer.from([0x37, 0xfa, 0x21, 0x3d]) } = {}): Buffer {
  const header = payload.length < 126 ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]) : Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, key, Buffer.from(payload.map((b, i) => b ^ key[i & 3]!))]);
}

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: running.port, path, headers, agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on("error", reject);
  });
}

describe("the workshop's endpoints with Python's websockets", () => {
  it("echoes {message} on the same socket and answers anything else with a JSON error, with and without the trailing slash", async () => {
    const script = String.raw`
import asyncio, json, sys, websockets
async def main():
    for path in ("/api/ws/echo/", "/api/ws/echo"):
        async with websockets.connect(sys.argv[1] + path, local_addr=("127.0.0.1", 0)) as ws:
            await ws.send(json.dumps({"message": "hello"}))
            print(json.loads(await ws.recv()))
            await ws.send("not json")
            print(sorted(json.loads(await ws.recv())))
            await ws.send(b"\x00\x01")
            print(sorted(json.loads(await ws.recv())))
            print(ws.extensions[0].name if ws.extensions else "none")
asyncio.run(main())
`;
    const { stdout } = await run(PYTHON, ["-c", script, `ws://127.0.0.1:${running.port}`]);
    expect(stdout.trim().split("\n")).toEqual(Array(2).fill(["{'message': 'hello'}", "['error']", "['error']", "permessage-deflate"]).flat());
  });

  it("sends each chat message to everyone in the room, the sender included, on chat and async_chat alike", async () => {
    const script = String.raw`
import asyncio, json, sys, websockets
async def main():
    base = sys.argv[1]
    async with websockets.connect(base + "/api/ws/chat/python_room/") as alice, websockets.connect(base + "/api/ws/async_chat/python_room/") as bob:
        await alice.send(json.dumps({"message": "hi from alice"}))
        print("alice", json.loads(await alice.recv())["message"])
        print("bob", json.loads(await bob.recv())["message"])
        await bob.send(json.dumps({"message": "привет от bob"}))
        print("alice", json.loads(await alice.recv())["message"])
        print("bob", json.loads(await bob.recv())["message"])
asyncio.run(main())
`;
    const { stdout } = await run(PYTHON, ["-c", script, `ws://127.0.0.1:${running.port}`]);
    expect(stdout.trim().split("\n")).toEqual(["alice hi from alice", "bob hi from alice", "alice привет от bob", "bob привет от bob"]);
  });

  it("shows an external client's conversation to the browser at its address only, handshake and frames dissected", async () => {
    const before = { here: here.ring.after(0, 1_000_000).length, elsewhere: elsewhere.ring.after(0, 1_000_000).length };
    const ws = await open("/api/ws/echo/", { localAddress: "127.0.0.3" });
    ws.send(JSON.stringify({ message: "only at .3" }));
    await nextMessage(ws);
    ws.close(1000);
    await closeOf(ws);
    await sleep(100);
    // A browser at 127.0.0.3 did not exist: neither session saw this conversation.
    const texts = (s: Session) => s.ring.after(0, 1_000_000).map((e) => Buffer.from(e.data).toString("latin1"));
    expect(texts(here).slice(before.here).some((t) => t.includes("only at .3"))).toBe(false);
    expect(texts(elsewhere).slice(before.elsewhere).some((t) => t.includes("only at .3"))).toBe(false);

    const mine = await open("/api/ws/echo/", { localAddress: "127.0.0.1" });
    mine.send(JSON.stringify({ message: "seen at .1" }));
    await nextMessage(mine);
    mine.close(1000);
    await closeOf(mine);
    await sleep(100);
    expect(texts(here).some((t) => t.includes("seen at .1"))).toBe(true);
    expect(texts(elsewhere).some((t) => t.includes("seen at .1"))).toBe(false);
    // Dissected as it was captured: the 101 hands the stream to the WebSocket dissector.
    const summaries = here.ring
      .after(0, 1_000_000)
      .flatMap((e) => (e.pdus ?? []).flatMap((p) => eventPduFrames(e, p, dissectorFor).map((f) => `${p.protocol} ${f.summary}`)));
    expect(summaries).toContain('websocket Text [FIN] [MASKED] "{\\"message\\":\\"seen at .1\\"}"');
    expect(summaries).toContain('websocket Text [FIN] "{\\"message\\":\\"seen at .1\\"}"');
    expect(summaries).toContain("http1 HTTP/1.1 101 Switching Protocols");
  });
});

describe("the workshop's pages", () => {
  it("serves the echo, chat and room pages in English, or Russian when asked, with the socket on the same path", async () => {
    const echo = await get("/api/ws/echo/");
    expect(echo.status).toBe(200);
    expect(echo.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(echo.body).toContain('<html lang="en">');
    expect(echo.body).toContain("new WebSocket(");
    expect(echo.body).not.toMatch(/https?:\/\/(?!lab)/);
    const index = await get("/api/ws/chat", { "Accept-Language": "ru-RU,ru;q=0.9" });
    expect(index.body).toContain('<html lang="ru">');
    expect(index.body).toContain("Название комнаты");
    const room = await get("/api/ws/async_chat/lobby/");
    expect(room.body).toContain("Chat room: lobby");
    expect((await get("/api/ws/chat/no-dashes/")).status).toBe(404);
  });

  it("answers a request that asks for another upgrade (h2c) as any other", async () => {
    const answer = await get("/api/health", { Connection: "Upgrade, HTTP2-Settings", Upgrade: "h2c", "HTTP2-Settings": "AAMAAABkAAQAoAAAAAIAAAAA" });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: "healthy" });
  });
});

describe("bad input on the WebSocket endpoints", () => {
  /** Two clients from other addresses chat in another room: what each attack must not disturb. */
  async function roomStillTalks(text: string) {
    const alice = await open("/api/ws/chat/calm/", { localAddress: "127.0.0.44" });
    const bob = await open("/api/ws/chat/calm/", { localAddress: "127.0.0.45" });
    const heard = nextMessage(bob);
    alice.send(JSON.stringify({ message: text }));
    expect(JSON.parse(await heard)).toEqual({ message: text });
    alice.close();
    bob.close();
  }

  it("closes with 1002 on an unmasked client frame", async () => {
    const { socket, closeCode } = await rawSocket("/api/ws/chat/bad/");
    socket.write(Buffer.from([0x81, 0x05, ...Buffer.from("Hello")]));
    expect(await closeCode).toBe(1002);
    await roomStillTalks("after unmasked");
  });

  it("closes with 1002 on a reserved opcode", async () => {
    const { socket, closeCode } = await rawSocket("/api/ws/echo/");
    socket.write(masked(0x3, Buffer.from("?")));
    expect(await closeCode).toBe(1002);
    await roomStillTalks("after opcode 3");
  });

  it("closes with 1009 on a 100 MB length header, before any of it is read", async () => {
    const { socket, closeCode } = await rawSocket("/api/ws/echo/");
    socket.write(Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0x06, 0x40, 0, 0, 1, 2, 3, 4]));
    expect(await closeCode).toBe(1009);
    expect(running.connections().every((c) => c.readableLength < 1 << 20)).toBe(true);
    await roomStillTalks("after 100 MB");
  });

  it("closes with 1007 on text that is not UTF-8", async () => {
    const { socket, closeCode } = await rawSocket("/api/ws/echo/");
    socket.write(masked(0x1, Buffer.from([0x7b, 0xc3, 0x28, 0x7d])));
    expect(await closeCode).toBe(1007);
    await roomStillTalks("after bad UTF-8");
  });

  it("closes with 1009 on a deflate bomb, never inflating past the limit", async () => {
    const ws = await open("/api/ws/echo/", { perMessageDeflate: { threshold: 0 } });
    const closed = closeOf(ws);
    ws.send(Buffer.alloc(50 * 1024 * 1024));
    expect((await closed).code).toBe(1009);
    await roomStillTalks("after the bomb");
  });

  it("closes a slow drip (a frame a byte at a time, never whole) with 1008 once the idle time has passed", async () => {
    const { socket, closeCode } = await rawSocket("/api/ws/echo/");
    const frame = masked(0x1, Buffer.from(JSON.stringify({ message: "x".repeat(100) })));
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < frame.length - 1 && !socket.destroyed) socket.write(frame.subarray(sent, ++sent));
    }, 100);
    try {
      expect(await closeCode).toBe(1008);
    } finally {
      clearInterval(drip);
    }
    await roomStillTalks("after the drip");
  });

  it("serves 32 sockets of 1,000 idle ones from one address, refuses the rest (429 or a reset), closes the idle ones with 1001", async () => {
    const attempts = await Promise.all(
      Array.from({ length: 1_000 }, () =>
        rawSocket("/api/ws/echo/", "127.0.0.99").then(
          (r) => r,
          () => undefined,
        ),
      ),
    );
    const upgraded = attempts.filter((a) => a?.status === "HTTP/1.1 101 Switching Protocols");
    const refused = attempts.filter((a) => a?.status.startsWith("HTTP/1.1 429"));
    expect(upgraded.length).toBe(PER_ADDRESS);
    // The rest are refused with 429, or reset by the tap while 64 connections from the address are open.
    const reset = attempts.filter((a) => a === undefined);
    expect(refused.length).toBeGreaterThan(0);
    expect(upgraded.length + refused.length + reset.length).toBe(1_000);
    // Meanwhile, another address is served and the calm room talks.
    const other = await open("/api/ws/echo/", { localAddress: "127.0.0.100" });
    other.send(JSON.stringify({ message: "still here" }));
    expect(JSON.parse(await nextMessage(other))).toEqual({ message: "still here" });
    other.close();
    await roomStillTalks("during the flood");
    const codes = await Promise.all(upgraded.map((a) => a!.closeCode));
    expect(new Set(codes)).toEqual(new Set([1001]));
    for (const a of attempts) a?.socket.destroy();
  }, 30_000);
});

describe("the server's pings", () => {
  const pinging = defineHttpService({}, { pingIntervalMs: 200 });
  let server: RunningService;
  beforeAll(async () => {
    const sessions = createSessionStore({ ringMaxEvents: 10_000, ringMaxBytes: 1 << 24 });
    server = await pinging.start!({ bus: createBus({ sessions, dissectorFor }), host: "127.0.0.1", port: 0, sessions });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("pings on its timer, keeps a socket that answers, and cuts one that does not", async () => {
    const answering = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws/echo/`, { perMessageDeflate: false });
    let pings = 0;
    answering.on("ping", () => pings++);
    await new Promise((r) => answering.once("open", r));
    const silent = net.connect({ host: "127.0.0.1", port: server.port });
    silent.write("GET /api/ws/echo/ HTTP/1.1\r\nHost: lab\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    let received = Buffer.alloc(0);
    silent.on("data", (d: Buffer) => (received = Buffer.concat([received, d])));
    const started = Date.now();
    await new Promise((r) => silent.once("close", r));
    // The first ping goes unanswered; at the next tick the socket is cut, without a close frame.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(received.includes(Buffer.from([0x89, 0x00]))).toBe(true);
    expect(received.includes(0x88)).toBe(false);
    await sleep(500);
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(answering.readyState).toBe(WebSocket.OPEN);
    answering.close();
  });
});
