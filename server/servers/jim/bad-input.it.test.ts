// Bad input on the JIM server over real sockets (issue 13 §7): garbage, unbalanced braces, 10,000-deep
// nesting, 1 MB with no closing brace, an array or a number instead of an object, bad UTF-8, a drip of one
// byte a second, 1,000 connections from one address, a client that never reads while a room floods it.
// Each gets a 400 or a clean close; what the server holds stays bounded; two bystanders at another address
// keep chatting after every attack. The object timeout is shortened (2 s) so the drip is quick; every
// other bound is the default.

import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient, type TestClient } from "../../testing/host";
import { createJimDecoder } from "./decoder";
import { JIM_LIMITS } from "./hub";
import { eventually, startJim, type StartedJim } from "./testing";

let jim: StartedJim;
beforeAll(async () => {
  jim = await startJim({ limits: { objectTimeoutMs: 2_000 } });
});
afterAll(async () => {
  await jim.running.stop();
});

/** The objects a client has read so far, parsed. */
function objectsOf(client: TestClient): Record<string, unknown>[] {
  const decoder = createJimDecoder({ maxObjectBytes: 1 << 20, maxDepth: 100 });
  return decoder.push(client.received()).flatMap((e) => (e.kind === "object" ? [JSON.parse(Buffer.from(e.bytes).toString("ascii")) as Record<string, unknown>] : []));
}

async function nextObjects(client: TestClient, count: number): Promise<Record<string, unknown>[]> {
  await client.until(() => objectsOf(client).length >= count);
  return objectsOf(client);
}

const line = (obj: Record<string, unknown>) => JSON.stringify({ time: Date.now() / 1000, ...obj });

let round = 0;
/** Two clients at 127.0.0.77 and .78 exchange a message through a room: the server still serves others. */
async function bystandersChat(): Promise<void> {
  round++;
  const connect = (localAddress: string) =>
    new Promise<TestClient>((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port: jim.port, localAddress });
      socket.once("error", reject);
      socket.once("connect", () => resolve(connectedClient(socket)));
    });
  const [a, b] = await Promise.all([connect("127.0.0.77"), connect("127.0.0.78")]);
  try {
    a.socket.write(line({ action: "presence", user: { account_name: `by-a${round}` } }));
    b.socket.write(line({ action: "presence", user: { account_name: `by-b${round}` } }));
    await Promise.all([nextObjects(a, 1), nextObjects(b, 1)]);
    a.socket.write(line({ action: "join", room: "#by" }));
    b.socket.write(line({ action: "join", room: "#by" }));
    await Promise.all([nextObjects(a, 2), nextObjects(b, 2)]);
    a.socket.write(line({ action: "msg", to: "#by", message: `still here ${round}` }));
    const got = await nextObjects(b, 3);
    expect(got[2]).toMatchObject({ action: "msg", from: `by-a${round}`, message: `still here ${round}` });
    expect((await nextObjects(a, 3))[2]).toMatchObject({ response: 200 });
  } finally {
    a.socket.destroy();
    b.socket.destroy();
  }
}

/** connectClient's collector around a socket that is already connected (bound to another local address). */
function connectedClient(socket: net.Socket): TestClient {
  const chunks: Buffer[] = [];
  let waiters: (() => void)[] = [];
  socket.on("data", (c: Buffer) => {
    chunks.push(c);
    const w = waiters;
    waiters = [];
    for (const fn of w) fn();
  });
  const received = () => Buffer.concat(chunks);
  return {
    socket,
    received,
    ended: new Promise((r) => socket.once("end", () => r())),
    closed: new Promise((r) => socket.once("close", () => r())),
    until(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out: ${received().toString("latin1")}`)), timeoutMs);
        const check = () => {
          if (predicate(received().toString("latin1"))) {
            clearTimeout(timer);
            resolve(received().toString("latin1"));
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Sends `bytes`, expects one 400 whose error contains `text`, then expects the connection still to answer. */
async function expect400Kept(bytes: Buffer | string, text: string): Promise<void> {
  const c = await connectClient(jim.port);
  c.socket.write(bytes);
  const [reply] = await nextObjects(c, 1);
  expect(reply).toMatchObject({ response: 400 });
  expect(String(reply!.error)).toContain(text);
  c.socket.write(line({ action: "presence" }));
  const after = await nextObjects(c, 2);
  expect(after[1]).toMatchObject({ response: 200 });
  c.socket.destroy();
  await bystandersChat();
}

/** Sends `bytes`, expects one 400 whose error contains `text`, then the server's FIN. */
async function expect400Closed(bytes: Buffer | string, text: string): Promise<TestClient> {
  const c = await connectClient(jim.port);
  c.socket.write(bytes);
  await c.ended;
  const replies = objectsOf(c);
  expect(replies).toHaveLength(1);
  expect(replies[0]).toMatchObject({ response: 400 });
  expect(String(replies[0]!.error)).toContain(text);
  c.socket.destroy();
  await bystandersChat();
  return c;
}

describe("bad input on the JIM server", () => {
  it("garbage: a 400 for the run of junk, and the connection keeps working", async () => {
    await expect400Kept(Buffer.from("\x00\x01hello garbage\xff\xfe\n", "latin1"), "not a JSON object: byte 0x00 outside an object");
  });

  it("a JSON array, a number, a string instead of an object: 400", async () => {
    await expect400Kept("[1, 2, 3]", "byte 0x5b outside an object");
    await expect400Kept("42", "byte 0x34 outside an object");
    await expect400Kept('"presence"', "byte 0x22 outside an object");
  });

  it("closing braces with nothing open: 400", async () => {
    await expect400Kept("}}}", "byte 0x7d outside an object");
  });

  it("invalid JSON inside braces: 400", async () => {
    await expect400Kept('{"action": presence}', "not valid JSON");
  });

  it("bad UTF-8 inside an object: 400", async () => {
    await expect400Kept(Buffer.from('{"action": "presence", "time": 1, "x": "\xc3\x28"}', "latin1"), "not valid UTF-8");
  });

  it("an unclosed object: 400 when its time is up, then close", async () => {
    await expect400Closed('{"action": "presence", "time": 1', "not finished within 2 s");
  });

  it("10,000 levels of nesting: 400 at the depth bound, then close", async () => {
    await expect400Closed(`${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`, `nested deeper than ${JIM_LIMITS.maxDepth} levels`);
  });

  it("1 MB with no closing brace: 400 at 16 KiB, then close; the server held no more than that", async () => {
    const c = await connectClient(jim.port);
    c.socket.write(`{"action": "msg", "message": "${"x".repeat(1024 * 1024)}`);
    await c.ended;
    const replies = objectsOf(c);
    expect(replies).toHaveLength(1);
    expect(String(replies[0]!.error)).toBe(`object: no end within ${JIM_LIMITS.maxObjectBytes} bytes (the limit is 640 characters)`);
    for (const held of jim.running.connections()) expect(held.readableLength).toBeLessThanOrEqual(JIM_LIMITS.maxObjectBytes);
    c.socket.destroy();
    await bystandersChat();
  });

  it("a drip of one byte a second: 400 when the object's time is up, then close", async () => {
    const c = await connectClient(jim.port);
    const object = line({ action: "presence" });
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < object.length && !c.socket.destroyed) c.socket.write(object[sent++]!);
    }, 1_000);
    try {
      await bystandersChat();
      await c.ended;
      expect(sent).toBeLessThan(object.length);
      expect(objectsOf(c)).toEqual([expect.objectContaining({ response: 400, error: "object: not finished within 2 s of its first byte" })]);
    } finally {
      clearInterval(drip);
      c.socket.destroy();
    }
  });

  it("1,000 connections from one address: the first 64 are served, the rest reset, others unaffected", async () => {
    const sockets: net.Socket[] = [];
    const outcomes = await Promise.all(
      Array.from(
        { length: 1000 },
        () =>
          new Promise<"open" | "reset">((resolve) => {
            const s = net.connect({ host: "127.0.0.1", port: jim.port });
            sockets.push(s);
            s.on("error", () => resolve("reset"));
            s.on("close", () => resolve("reset"));
            s.on("connect", () => {
              s.write(line({ action: "presence" }));
              s.once("data", () => resolve("open"));
            });
          }),
      ),
    );
    try {
      expect(outcomes.filter((o) => o === "open")).toHaveLength(JIM_LIMITS.maxConnectionsPerAddress);
      expect(outcomes.filter((o) => o === "reset")).toHaveLength(1000 - JIM_LIMITS.maxConnectionsPerAddress);
      await bystandersChat();
    } finally {
      for (const s of sockets) s.destroy();
    }
    await eventually(() => jim.hub.connections === 0, "every attacking connection closed");
  });

  it("a client that never reads while its room floods it is dropped; the queue for it stays bounded", async () => {
    const sink = await connectClient(jim.port);
    sink.socket.write(line({ action: "presence", user: { account_name: "sink" } }));
    await nextObjects(sink, 1);
    sink.socket.write(line({ action: "join", room: "#flood" }));
    await nextObjects(sink, 2);
    sink.socket.pause(); // reads nothing from now on

    const source = await connectClient(jim.port);
    source.socket.write(line({ action: "presence", user: { account_name: "source" } }));
    await nextObjects(source, 1);
    const message = line({ action: "msg", to: "#flood", message: "f".repeat(450) });
    let sent = 0;
    let maxHeld = 0;
    let dropped = false;
    void sink.closed.then(() => (dropped = true));
    const sinkGone = eventually(() => !jim.hub.online().includes("sink"), "the sink dropped");
    while (jim.hub.online().includes("sink") && sent < 200_000) {
      source.socket.write(message.repeat(50));
      sent += 50;
      await source.until(() => objectsOf(source).length >= sent - 100, 10_000);
      for (const held of jim.running.connections()) maxHeld = Math.max(maxHeld, held.writableLength);
    }
    await sinkGone;
    sink.socket.destroy();
    expect(dropped || sink.socket.destroyed).toBe(true);
    // What the server kept for the sink: its queue bound, plus at most one frame in the socket's buffer.
    expect(maxHeld).toBeLessThanOrEqual(JIM_LIMITS.maxQueuedBytes + 1024);
    expect(sent).toBeLessThan(200_000);
    // The source was answered 200 for every message, and keeps chatting.
    await source.until(() => objectsOf(source).length >= sent + 1, 10_000);
    expect(objectsOf(source).slice(1).every((r) => r.response === 200 || r.response === 404)).toBe(true);
    source.socket.destroy();
    await bystandersChat();
  });
});
