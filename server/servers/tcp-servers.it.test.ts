// The seeds' TCP servers over real loopback sockets, answer for answer.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LabHost } from "../lab/host";
import { connectClient, sleep, startTestHost } from "../testing/host";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

const WELCOME = /^Welcome to TCP Server! Your address: \('127\.0\.0\.1', (\d+)\)$/;
const SERVER_TIME = /Server time: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe("tcp-echo (seed 000)", () => {
  it("runs the seed client's whole session: welcome, echoes, time, exit and close", async () => {
    const client = await connectClient(host.port("tcp-echo"));
    const welcome = await client.until((t) => t.length > 0 && t.endsWith(")"));
    const match = WELCOME.exec(welcome);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBe(client.socket.localPort);

    let seen = welcome.length;
    const next = async (message: string, done: (answer: string) => boolean) => {
      client.socket.write(message);
      const text = await client.until((t) => done(t.slice(seen)));
      const answer = text.slice(seen);
      seen = text.length;
      return answer;
    };
    expect(await next("Hello, Server!", (a) => a === "ECHO: Hello, Server!")).toBe("ECHO: Hello, Server!");
    const timeAnswer = await next("time", (a) => SERVER_TIME.test(a));
    expect(timeAnswer).toMatch(/^ECHO: timeServer time: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await next("How are you?", (a) => a === "ECHO: How are you?")).toBe("ECHO: How are you?");
    expect(await next("exit", (a) => a.endsWith("Goodbye!"))).toBe("ECHO: exitGoodbye!");
    await client.ended;
    await client.closed;
  });

  it("strips whitespace and newlines like Python's str.strip(), and matches commands case-insensitively", async () => {
    const client = await connectClient(host.port("tcp-echo"));
    await client.until((t) => t.endsWith(")"));
    client.socket.write("  TIME \r\n");
    const text = await client.until((t) => SERVER_TIME.test(t));
    expect(text).toMatch(/\)ECHO: TIMEServer time: /);
    client.socket.end();
    await client.closed;
  });

  it("answers each recv(1024) of a large message separately", async () => {
    const client = await connectClient(host.port("tcp-echo"));
    await client.until((t) => t.endsWith(")"));
    const before = client.received().length;
    client.socket.write("a".repeat(3000));
    const expected = `ECHO: ${"a".repeat(1024)}ECHO: ${"a".repeat(1024)}ECHO: ${"a".repeat(952)}`;
    const text = await client.until((t) => t.length - before >= expected.length);
    expect(text.slice(before)).toBe(expected);
    client.socket.destroy();
  });

  it("serves 200 concurrent clients, each with its own echoes", async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, () => connectClient(host.port("tcp-echo"))));
    await Promise.all(clients.map((c) => c.until((t) => t.endsWith(")"))));
    await Promise.all(
      clients.map(async (c, i) => {
        const before = c.received().length;
        c.socket.write(`client-${i}`);
        const text = await c.until((t) => t.length - before >= `ECHO: client-${i}`.length);
        expect(text.slice(before)).toBe(`ECHO: client-${i}`);
        const welcome = WELCOME.exec(text.slice(0, before));
        expect(Number(welcome![1])).toBe(c.socket.localPort);
      }),
    );
    for (const c of clients) c.socket.end();
    await Promise.all(clients.map((c) => c.closed));
  });

  it("works with a Python client written as in the seed", async () => {
    const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    const script = `
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(("127.0.0.1", int(sys.argv[1])))
print(s.recv(1024).decode("utf-8"))
for msg in ["Hello, Server!", "exit"]:
    s.send(msg.encode("utf-8"))
    time.sleep(0.2)
    print(s.recv(1024).decode("utf-8"))
print(repr(s.recv(1024)))
s.close()
`;
    // Asynchronously: the server runs in this very process.
    const { stdout: out } = await promisify(execFile)(python, ["-c", script, String(host.port("tcp-echo"))], { encoding: "utf8" });
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(WELCOME);
    expect(lines[1]).toBe("ECHO: Hello, Server!");
    expect(lines[2]).toBe("ECHO: exitGoodbye!");
    expect(lines[3]).toBe("b''");
  });
});

describe("time (seeds 002, 003)", () => {
  it("sends the local time in ISO 8601 and a newline, then closes", async () => {
    const client = await connectClient(host.port("time"));
    await client.ended;
    const text = client.received().toString("ascii");
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?\n$/);
    const sent = new Date(text.trim()).getTime();
    expect(Math.abs(Date.now() - sent)).toBeLessThan(60_000);
    await client.closed;
  });
});

describe("greeting (seed 002)", () => {
  it("reads one message and answers Привет, клиент in UTF-8, then closes", async () => {
    const client = await connectClient(host.port("greeting"));
    client.socket.write(Buffer.from("Привет, сервер", "utf-8"));
    await client.ended;
    const answer = client.received();
    expect(answer.toString("utf-8")).toBe("Привет, клиент");
    expect(answer.length).toBe(26);
    await client.closed;
  });

  it("answers a client that half-closes without sending", async () => {
    const client = await connectClient(host.port("greeting"));
    client.socket.end();
    await client.ended;
    expect(client.received().toString("utf-8")).toBe("Привет, клиент");
  });
});

describe("bad input", () => {
  it("answers binary garbage with replacement characters and stays up for others", async () => {
    const bad = await connectClient(host.port("tcp-echo"));
    await bad.until((t) => t.endsWith(")"));
    const before = bad.received().length;
    bad.socket.write(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]));
    await bad.until((t) => t.length > before);
    const answer = bad.received().subarray(before);
    // "ECHO: " + U+FFFD U+FFFD NUL U+FFFD "A"  (NUL is not whitespace for str.strip()).
    expect(answer.toString("hex")).toBe(Buffer.from("ECHO: \uFFFD\uFFFD\u0000\uFFFDA", "utf8").toString("hex"));

    const good = await connectClient(host.port("tcp-echo"));
    await good.until((t) => t.endsWith(")"));
    good.socket.write("still here");
    expect(await good.until((t) => t.endsWith("ECHO: still here"))).toContain("ECHO: still here");
    bad.socket.destroy();
    good.socket.destroy();
  });

  it("answers 1 MB without a newline, 1024 bytes at a time", async () => {
    const client = await connectClient(host.port("tcp-echo"));
    await client.until((t) => t.endsWith(")"));
    const before = client.received().length;
    client.socket.write(Buffer.alloc(1024 * 1024, "x"));
    // Every answer is "ECHO: " and at most 1024 x's (a read may end before 1024 bytes, as recv() may).
    const answers = () => client.received().subarray(before).toString("latin1").split("ECHO: ").slice(1);
    await client.until(() => answers().join("").length >= 1024 * 1024, 20_000);
    expect(answers().join("").length).toBe(1024 * 1024);
    expect(answers().every((a) => a.length > 0 && a.length <= 1024 && /^x+$/.test(a))).toBe(true);
    expect(answers().length).toBeGreaterThanOrEqual(1024);
    client.socket.destroy();
  });

  it("keeps its memory bounded for a client that sends but never reads", async () => {
    const socket = net.connect({ host: "127.0.0.1", port: host.port("tcp-echo") });
    await new Promise<void>((r) => socket.once("connect", () => r()));
    socket.pause();
    const chunk = Buffer.alloc(64 * 1024, "y");
    for (let i = 0; i < 256; i++) socket.write(chunk); // 16 MiB offered
    await sleep(1500);
    const stats = host.socketStats("tcp-echo");
    expect(stats.length).toBeGreaterThanOrEqual(1);
    const worst = Math.max(...stats.map((s) => s.writableLength + s.readableLength));
    // The server stops reading once its answers back up: what it holds stays near one read's answers.
    expect(worst).toBeLessThan(1024 * 1024);
    // ...and the rest waits in the sender, not in the server.
    expect(socket.writableLength).toBeGreaterThan(4 * 1024 * 1024);
    socket.destroy();
    await sleep(100);
    const good = await connectClient(host.port("tcp-echo"));
    good.socket.write("ok");
    expect(await good.until((t) => t.endsWith("ECHO: ok"))).toContain("ECHO: ok");
    good.socket.destroy();
  });

  it("survives abrupt resets and keeps serving", async () => {
    for (let i = 0; i < 20; i++) {
      const c = await connectClient(host.port("tcp-echo"));
      c.socket.write("half a message");
      c.socket.resetAndDestroy();
    }
    const g = await connectClient(host.port("greeting"));
    g.socket.resetAndDestroy();
    const good = await connectClient(host.port("tcp-echo"));
    good.socket.write("after resets");
    expect(await good.until((t) => t.endsWith("ECHO: after resets"))).toContain("ECHO: after resets");
    good.socket.destroy();
  });
});
