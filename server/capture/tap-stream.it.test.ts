// The tapped listener with via: "stream" over real sockets: node:http and node:http2 get a stream in
// front of the tapped socket, and the timeline holds exactly the bytes each side put on the wire, with
// half-closes, resets, the listener's limits and backpressure both ways kept.

import { once } from "node:events";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { textDissector } from "../dissect/text";
import { createSessionStore, type Session } from "../lab/sessions";
import { handleEcho } from "../servers/tcp-echo";
import { connectClient, sleep } from "../testing/host";
import { createBus } from "./bus";
import type { CapturedEvent } from "./events";
import { createSocketStream, createTappedServer, type SocketStream, type TappedServerOptions, type Via } from "./tap";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

type StartOptions<V extends Via> = Partial<TappedServerOptions<V>> & Pick<TappedServerOptions<V>, "handler">;

async function start<V extends Via = "stream">(options: StartOptions<V>, ringMaxBytes = 1 << 22) {
  const sessions = createSessionStore({ ringMaxEvents: 100_000, ringMaxBytes });
  const watcher = sessions.resolve(undefined, "127.0.0.1").session;
  const bus = createBus({ sessions, dissectorFor: () => textDissector });
  const server = createTappedServer<V>({ bus, service: "test", protocol: "text", via: "stream" as V, ...options });
  const connections = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    connections.add(s);
    s.once("close", () => connections.delete(s));
  });
  cleanups.push(() => {
    for (const s of connections) s.destroy();
    server.close();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return { port, watcher, connections };
}

/** The recorded events once the (one) conversation has closed. */
async function settled(watcher: Session, timeoutMs = 5_000): Promise<CapturedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = watcher.ring.after(0, 1_000_000);
    if (events.some((e) => e.kind === "close")) return events;
    if (Date.now() > deadline) throw new Error(`timed out; recorded ${events.map((e) => e.kind).join(",")}`);
    await sleep(10);
  }
}

const bytesOf = (events: readonly CapturedEvent[], direction: "c2s" | "s2c") =>
  Buffer.concat(events.filter((e) => e.kind === "data" && e.direction === direction).map((e) => e.data));

const kinds = (events: readonly CapturedEvent[]) => events.map((e) => `${e.kind}:${e.direction}`);

describe("node:http behind the stream", () => {
  it("records exactly the bytes a raw client wrote and read: GET, a POST sent in pieces, a chunked answer, keep-alive", async () => {
    const seen: { remoteAddress?: string; remotePort?: number; localPort?: number; socket: unknown }[] = [];
    const api = http.createServer((req, res) => {
      seen.push({ remoteAddress: req.socket.remoteAddress, remotePort: req.socket.remotePort, localPort: req.socket.localPort, socket: req.socket });
      if (req.url === "/hello") {
        res.end("hello");
      } else if (req.url === "/echo") {
        const parts: Buffer[] = [];
        req.on("data", (d: Buffer) => parts.push(d));
        req.on("end", () => {
          const body = Buffer.concat(parts);
          res.end(`got ${body.length} bytes: ${body.toString()}`);
        });
      } else {
        res.write("one ");
        setTimeout(() => {
          res.write("two ");
          res.end("three");
        }, 20);
      }
    });
    const { port, watcher } = await start({ handler: (stream) => api.emit("connection", stream) });
    const client = await connectClient(port);
    const clientPort = client.socket.localPort;
    const sent: Buffer[] = [];
    const send = (text: string) => {
      const bytes = Buffer.from(text, "latin1");
      sent.push(bytes);
      client.socket.write(bytes);
    };

    send("GET /hello HTTP/1.1\r\nHost: lab\r\n\r\n");
    await client.until((t) => t.endsWith("\r\n\r\nhello"));
    send("POST /echo HTTP/1.1\r\nHost: lab\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n");
    await sleep(20);
    send("hello");
    await sleep(20);
    send(" world");
    await client.until((t) => t.endsWith("got 11 bytes: hello world"));
    send("GET /chunked HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n");
    await client.ended;
    client.socket.end();
    await client.closed;

    const events = await settled(watcher);
    expect(bytesOf(events, "c2s").equals(Buffer.concat(sent))).toBe(true);
    expect(bytesOf(events, "s2c").equals(client.received())).toBe(true);
    const answers = client.received().toString("latin1");
    expect(answers.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
    expect(answers).toContain("Transfer-Encoding: chunked");
    expect(answers.endsWith("4\r\none \r\n4\r\ntwo \r\n5\r\nthree\r\n0\r\n\r\n")).toBe(true);
    // Three requests, one connection: the server closed it after the request that asked for it.
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
    expect(seen[0]).toMatchObject({ remoteAddress: "127.0.0.1", remotePort: clientPort, localPort: port });
    const order = kinds(events);
    expect(order[0]).toBe("open:c2s");
    expect(order.at(-1)).toBe("close:c2s");
    expect(order.filter((k) => k === "half-close:s2c")).toHaveLength(1);
    // The server's FIN comes after the last byte of the chunked answer.
    expect(order.lastIndexOf("data:s2c")).toBeLessThan(order.indexOf("half-close:s2c"));
    for (let i = 1; i < events.length; i++) expect(events[i]!.monoMs).toBeGreaterThanOrEqual(events[i - 1]!.monoMs);
  });

  it("closes a keep-alive connection after the server's keepAliveTimeout (setTimeout on the stream)", async () => {
    const api = http.createServer((_req, res) => res.end("ok"));
    // Node adds a 1 s buffer to the timeout it sets on the socket (HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER).
    api.keepAliveTimeout = 100;
    const { port, watcher } = await start({ handler: (stream) => api.emit("connection", stream), idleTimeoutMs: 10_000 });
    const client = await connectClient(port);
    const began = Date.now();
    client.socket.write("GET / HTTP/1.1\r\nHost: lab\r\n\r\n");
    await client.until((t) => t.endsWith("\r\n\r\nok"));
    await client.closed;
    const elapsed = Date.now() - began;
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(3_000);
    const events = await settled(watcher);
    expect(events.some((e) => e.kind === "error")).toBe(false);
  });
});

describe("node:http2 (h2c) behind the stream", () => {
  it("records the connection preface and every byte the client's socket sent and received", async () => {
    const h2 = http2.createServer();
    h2.on("stream", (stream, headers) => {
      stream.respond({ ":status": 200, "content-type": "text/plain" });
      stream.end(`you asked for ${headers[":path"]}`);
    });
    const { port, watcher } = await start({ handler: (stream) => h2.emit("connection", stream) });

    // A client socket read and written through JavaScript, so its byte counters see every byte.
    let raw: net.Socket | undefined;
    const received: Buffer[] = [];
    const session = http2.connect(`http://127.0.0.1:${port}`, {
      createConnection: () => {
        raw = net.connect(port, "127.0.0.1");
        raw.on("data", (d: Buffer) => received.push(d));
        return createSocketStream(raw);
      },
    });
    const get = async (path: string) => {
      const request = session.request({ ":path": path });
      request.setEncoding("utf8");
      let body = "";
      request.on("data", (d: string) => (body += d));
      await once(request, "end");
      return body;
    };
    expect(await get("/a")).toBe("you asked for /a");
    expect(await get("/b")).toBe("you asked for /b");
    session.close();
    await once(raw!, "close");

    const events = await settled(watcher);
    const c2s = bytesOf(events, "c2s");
    const s2c = bytesOf(events, "s2c");
    expect(c2s.subarray(0, 24).toString("latin1")).toBe("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    expect(c2s.length).toBe(raw!.bytesWritten);
    expect(s2c.length).toBe(raw!.bytesRead);
    expect(s2c.equals(Buffer.concat(received))).toBe(true);
    expect(s2c.includes("you asked for /a")).toBe(true);
    expect(s2c.includes("you asked for /b")).toBe(true);
    expect(events.at(-1)?.kind).toBe("close");
  });
});

describe("half-close, close, errors and resets through the stream", () => {
  /** A line protocol over the stream: echoes, and answers the client's FIN with "bye" and its own. */
  function echoUntilEnd(log: string[]) {
    return (stream: SocketStream) => {
      stream.on("data", (d: Buffer) => stream.write(d));
      stream.on("end", () => stream.end("bye"));
      stream.on("error", (err: NodeJS.ErrnoException) => log.push(`error:${err.code}`));
      stream.on("close", () => log.push("close"));
    };
  }

  it("passes the client's FIN to the protocol code and the protocol code's FIN to the client", async () => {
    const log: string[] = [];
    const { port, watcher } = await start({ handler: echoUntilEnd(log) });
    const client = await connectClient(port);
    client.socket.write("ping");
    await client.until((t) => t === "ping");
    client.socket.end();
    await client.ended;
    await client.closed;
    const events = await settled(watcher);
    expect(kinds(events)).toEqual(["open:c2s", "data:c2s", "data:s2c", "half-close:c2s", "data:s2c", "half-close:s2c", "close:c2s"]);
    expect(client.received().toString()).toBe("pingbye");
    await sleep(20);
    expect(log).toEqual(["close"]);
  });

  it("keeps reading after the server's FIN (half-open), as a socket does", async () => {
    const got: Buffer[] = [];
    const { port, watcher } = await start({
      handler: (stream) => {
        stream.end("first\n");
        stream.on("data", (d: Buffer) => got.push(d));
        stream.resume();
      },
    });
    // allowHalfOpen: a net client would otherwise answer the server's FIN with its own at once.
    const client = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    const first: Buffer[] = [];
    client.on("data", (d: Buffer) => first.push(d));
    await once(client, "end");
    client.end("still here");
    await once(client, "close");
    expect(Buffer.concat(first).toString()).toBe("first\n");
    const events = await settled(watcher);
    expect(kinds(events)).toEqual(["open:c2s", "data:s2c", "half-close:s2c", "data:c2s", "half-close:c2s", "close:c2s"]);
    expect(Buffer.concat(got).toString()).toBe("still here");
  });

  it("records a client's reset and gives the protocol code the error", async () => {
    const log: string[] = [];
    const { port, watcher, connections } = await start({ handler: echoUntilEnd(log) });
    const client = await connectClient(port);
    client.socket.write("x");
    await client.until((t) => t === "x");
    client.socket.resetAndDestroy();
    const events = await settled(watcher);
    expect(events.find((e) => e.kind === "error")?.errorCode).toBe("ECONNRESET");
    expect(events.at(-1)?.kind).toBe("close");
    await sleep(20);
    expect(log).toEqual(["error:ECONNRESET", "close"]);
    expect(connections.size).toBe(0);
  });

  it("destroys the socket when the protocol code destroys the stream, and records the error it gave", async () => {
    const { port, watcher, connections } = await start({
      handler: (stream) => {
        stream.on("error", () => {});
        stream.once("data", () => stream.destroy(Object.assign(new Error("bad input"), { code: "EBADINPUT" })));
      },
    });
    const client = await connectClient(port);
    client.socket.write("nonsense");
    await client.closed;
    const events = await settled(watcher);
    expect(events.find((e) => e.kind === "error")?.errorCode).toBe("EBADINPUT");
    expect(events.at(-1)?.kind).toBe("close");
    expect(connections.size).toBe(0);
  });

  it("does not let a socket error crash a protocol that does not listen for errors", async () => {
    const { port, watcher } = await start({ handler: (stream) => stream.resume() });
    const client = await connectClient(port);
    client.socket.write("x");
    await sleep(20);
    client.socket.resetAndDestroy();
    const events = await settled(watcher);
    expect(events.find((e) => e.kind === "error")?.errorCode).toBe("ECONNRESET");
  });
});

describe("the listener's limits with via: stream", () => {
  it("closes an idle client and destroys the stream", async () => {
    const api = http.createServer(() => {});
    let streamClosed = false;
    const { port, watcher } = await start({
      idleTimeoutMs: 200,
      handler: (stream) => {
        stream.on("close", () => (streamClosed = true));
        api.emit("connection", stream);
      },
    });
    const client = await connectClient(port);
    await client.closed;
    const events = await settled(watcher);
    expect(events.find((e) => e.kind === "error")?.errorCode).toBe("EIDLE");
    expect(events.at(-1)?.kind).toBe("close");
    expect(streamClosed).toBe(true);
  });

  it("resets connections past the per-address limit before any protocol code sees them", async () => {
    let streams = 0;
    const api = http.createServer((_req, res) => res.end("ok"));
    const { port, watcher } = await start({
      maxConnectionsPerAddress: 1,
      handler: (stream) => {
        streams++;
        api.emit("connection", stream);
      },
    });
    const kept = await connectClient(port);
    const extra = net.connect({ host: "127.0.0.1", port });
    let received = 0;
    extra.on("data", (d: Buffer) => (received += d.length));
    extra.on("error", () => {});
    // Not events.once: it would reject on the reset's 'error'.
    await new Promise((r) => extra.once("close", r));
    expect(received).toBe(0);
    expect(streams).toBe(1);
    expect(watcher.ring.after(0, 1000).some((e) => e.errorCode === "ELIMIT")).toBe(true);
    kept.socket.write("GET / HTTP/1.1\r\nHost: lab\r\n\r\n");
    await kept.until((t) => t.endsWith("\r\n\r\nok"));
    kept.socket.destroy();
  });
});

describe("backpressure through the stream", () => {
  const TOTAL = 64 * 2 ** 20;
  const CHUNK = Buffer.alloc(64 * 1024, "x");
  const MiB = 2 ** 20;

  /** An HTTP server behind the stream, with a ring that holds all of both directions. */
  async function startAccepting(api: http.Server) {
    let onAccept: (s: SocketStream) => void = () => {};
    const stream = new Promise<SocketStream>((r) => (onAccept = r));
    const handler = (s: SocketStream) => {
      api.emit("connection", s);
      onAccept(s);
    };
    const { port, watcher, connections } = await start({ handler }, 1 << 28);
    // The listener's 'connection' listeners run in one emit, so the socket is known with the stream.
    const accepted = stream.then((s) => ({ stream: s, socket: [...connections][0]! }));
    return { port, watcher, accepted };
  }

  /** Resolves with `progress()` once it has not changed for `quietMs`. */
  async function stalled(progress: () => number, quietMs = 200, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last = progress();
    let since = Date.now();
    while (Date.now() - since < quietMs) {
      if (Date.now() > deadline) throw new Error(`still moving at ${last}`);
      await sleep(10);
      const now = progress();
      if (now !== last) [last, since] = [now, Date.now()];
    }
    return last;
  }

  /** Samples a size every few milliseconds and keeps the largest. */
  function sampleMax(size: () => number) {
    let max = 0;
    const timer = setInterval(() => (max = Math.max(max, size())), 2);
    return {
      get max() {
        return Math.max(max, size());
      },
      stop: () => clearInterval(timer),
    };
  }

  it("holds a large answer at the server while the client does not read, then delivers every byte", async () => {
    let response: http.ServerResponse | undefined;
    let produced = 0;
    const api = http.createServer((_req, res) => {
      response = res;
      res.writeHead(200, { "content-length": TOTAL });
      const pump = () => {
        while (produced < TOTAL) {
          produced += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const { port, watcher, accepted } = await startAccepting(api);
    const client = net.connect(port, "127.0.0.1");
    const { socket, stream } = await accepted;
    // What the server holds for this connection in user space: the socket's queue, the response's
    // own buffer plus the stream's queue (res.writableLength counts both), the stream's read buffer.
    const held = sampleMax(() => socket.writableLength + (response?.writableLength ?? 0) + stream.readableLength);
    let received = 0;
    const chunks: Buffer[] = [];
    client.on("data", (d: Buffer) => {
      received += d.length;
      chunks.push(d);
    });
    client.write("GET /big HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n");
    while (received < MiB) await sleep(2);
    client.pause();
    // The server stops producing once the kernel's buffers and the stream's are full.
    expect(await stalled(() => produced)).toBeLessThan(TOTAL);
    client.resume();
    await once(client, "end");
    held.stop();

    const answer = Buffer.concat(chunks);
    const body = answer.subarray(answer.indexOf("\r\n\r\n") + 4);
    expect(body.length).toBe(TOTAL);
    expect(held.max).toBeLessThan(MiB);
    const events = await settled(watcher);
    expect(bytesOf(events, "s2c").length).toBe(answer.length);
    client.destroy();
  });

  it("stops reading a client whose body the server does not read yet, then takes every byte", async () => {
    let request: http.IncomingMessage | undefined;
    let consumed = 0;
    let startReading = () => {};
    const reading = new Promise<void>((r) => (startReading = r));
    const api = http.createServer((req, res) => {
      request = req;
      // The handler reads the body only when told: until then it waits in req, the stream and the socket.
      void reading.then(() => {
        req.on("data", (d: Buffer) => (consumed += d.length));
        req.on("end", () => res.end(`got ${consumed}`));
      });
    });
    const { port, watcher, accepted } = await startAccepting(api);
    const client = await connectClient(port);
    const { socket, stream } = await accepted;
    const held = sampleMax(() => socket.readableLength + stream.readableLength + (request?.readableLength ?? 0));
    const head = Buffer.from(`POST /sink HTTP/1.1\r\nHost: lab\r\nContent-Length: ${TOTAL}\r\nConnection: close\r\n\r\n`);
    client.socket.write(head);
    let written = 0;
    const write = async () => {
      while (written < TOTAL) {
        written += CHUNK.length;
        if (!client.socket.write(CHUNK)) await once(client.socket, "drain");
      }
    };
    const writing = write();
    // The server's socket stops taking bytes from the kernel while nothing consumes them.
    expect(await stalled(() => socket.bytesRead)).toBeLessThan(head.length + TOTAL);
    expect(consumed).toBe(0);
    startReading();
    await writing;
    await client.until((t) => t.endsWith(`got ${TOTAL}`), 10_000);
    held.stop();
    expect(held.max).toBeLessThan(MiB);
    client.socket.end();
    const events = await settled(watcher);
    expect(bytesOf(events, "c2s").length).toBe(head.length + TOTAL);
  });
});

describe("via: socket (the default) is unchanged", () => {
  it("hands the socket itself to the protocol code and records its reads and writes", async () => {
    let given: unknown;
    const { port, watcher } = await start<"socket">({
      via: "socket",
      handler: (socket, conversation) => {
        given = socket;
        handleEcho(socket);
        expect(conversation.info.service).toBe("test");
      },
    });
    const client = await connectClient(port);
    await client.until((t) => t.endsWith(")"));
    client.socket.write("hi\n");
    await client.until((t) => t.endsWith("ECHO: hi"));
    client.socket.end();
    await client.closed;
    expect(given).toBeInstanceOf(net.Socket);
    const events = await settled(watcher);
    expect(kinds(events)).toEqual(["open:c2s", "data:s2c", "data:c2s", "data:s2c", "half-close:c2s", "half-close:s2c", "close:c2s"]);
    expect(bytesOf(events, "s2c").equals(client.received())).toBe(true);
  });
});
