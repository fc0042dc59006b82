// The datagram tap's bounds over real sockets (issue 10 §2, §6): a flood from one source meets its rate limit
// (one ERATELIMIT event per burst, the rest dropped unread) while another source is still answered; flows per
// source and in all are bounded (the quietest forgotten, everyone answered); an idle flow ends with EIDLE.

import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { createBus } from "./bus";
import type { CapturedEvent } from "./events";
import { createSessionStore } from "../lab/sessions";
import { dissectorFor } from "../dissect/protocols";
import { createTappedUdpServer, udpFlowsOf, type TappedUdpServer, type UdpLimits } from "./udp-tap";

const servers: TappedUdpServer[] = [];
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A bus whose one session is the browser at 127.0.0.1 (it sees the outside clients from there). */
function setup() {
  const sessions = createSessionStore({ ringMaxEvents: 100_000, ringMaxBytes: 1 << 26 });
  const ring = sessions.resolve(undefined, "127.0.0.1").session.ring;
  return { bus: createBus({ sessions, dissectorFor }), ring };
}

async function echoServer(bus: ReturnType<typeof setup>["bus"], limits: Partial<UdpLimits>, idleTimeoutMs = 60_000) {
  const server = await createTappedUdpServer({
    bus,
    service: "test-echo",
    protocol: "text",
    binds: [{ address: "127.0.0.1", type: "udp4" }],
    port: 0,
    idleTimeoutMs,
    limits,
    handle: (datagram, reply) => reply(datagram),
  });
  servers.push(server);
  return server;
}

async function client(address: string) {
  const socket = dgram.createSocket("udp4");
  sockets.push(socket);
  const received: Buffer[] = [];
  socket.on("message", (m) => received.push(m));
  await new Promise<void>((r) => socket.bind(0, address, () => r()));
  const send = (bytes: string, port: number) => new Promise<void>((r, j) => socket.send(bytes, port, "127.0.0.1", (e) => (e ? j(e) : r())));
  return { socket, received, send, port: socket.address().port };
}

async function until<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ofClient = (events: CapturedEvent[], port: number) => events.filter((e) => e.conversation.client.port === port);

describe("the datagram tap's bounds", () => {
  it("drops a flooding source's datagrams over its burst, says so once per burst, and still answers another source", async () => {
    const { bus, ring } = setup();
    const server = await echoServer(bus, { datagramBurst: 20, datagramsPerSecond: 0.001 });
    const flooder = await client("127.0.0.1");
    // One at a time, each handed to the kernel before the next: none is lost before the server reads it.
    for (let i = 0; i < 60; i++) await flooder.send(`flood ${i}`, server.port);
    await until(() => server.counts.received, (n) => n === 60);
    // Another address of this machine is another source with a bucket of its own.
    const other = await client("127.0.0.2");
    await other.send("still here", server.port);
    await until(() => other.received.length, (n) => n === 1);
    expect(other.received[0]!.toString()).toBe("still here");

    const events = ring.after(0, 100_000);
    const flood = ofClient(events, flooder.port);
    expect(flood.filter((e) => e.kind === "data" && e.direction === "c2s")).toHaveLength(20);
    expect(flood.filter((e) => e.kind === "error").map((e) => e.errorCode)).toEqual(["ERATELIMIT"]);
    expect(server.counts.rateLimited).toBe(40);
    expect(flooder.received).toHaveLength(20);
  });

  it("bounds the flows of one source: the one quiet the longest is forgotten with EEVICTED, and every datagram is answered", async () => {
    const { bus, ring } = setup();
    const server = await echoServer(bus, { flowsPerSource: 3 });
    const clients: Awaited<ReturnType<typeof client>>[] = [];
    for (let i = 0; i < 5; i++) clients.push(await client("127.0.0.1"));
    // The first client speaks again before the 4th arrives: the second is then the quietest.
    for (const [i, c] of clients.entries()) {
      if (i === 3) await clients[0]!.send("again", server.port);
      await c.send("hi", server.port);
    }
    await until(() => server.counts.received, (n) => n === 6);
    await until(() => clients.map((c) => c.received.length), (n) => n.reduce((a, b) => a + b) === 6);
    expect(clients.map((c) => c.received.map(String))).toEqual([["hi", "again"], ["hi"], ["hi"], ["hi"], ["hi"]]);
    expect(server.counts.evictedFlows).toBe(2);
    expect(udpFlowsOf(bus).count("127.0.0.1")).toBe(3);
    const closes = ring.after(0, 100).filter((e) => e.kind === "close");
    expect(closes.map((e) => [e.conversation.client.port, e.errorCode])).toEqual([
      [clients[1]!.port, "EEVICTED"],
      [clients[2]!.port, "EEVICTED"],
    ]);
    expect(closes[0]!.errorMessage).toMatch(/at most 3 flows from one address/);
    // Still tracked: the first (active again), the fourth and the fifth.
    const open = [...udpFlowsOf(bus).all()].map((f) => f.tap.info.client.port).sort();
    expect(open).toEqual([clients[0]!.port, clients[3]!.port, clients[4]!.port].sort());
  });

  it("bounds the flows in all, across sources, and never forgets a flow a lab client holds", async () => {
    const { bus } = setup();
    const server = await echoServer(bus, { maxFlows: 2 });
    const held = await client("127.0.0.1");
    await held.send("mine", server.port);
    await until(() => udpFlowsOf(bus).size, (n) => n === 1);
    const heldFlow = [...udpFlowsOf(bus).all()][0]!;
    heldFlow.held = true;
    const a = await client("127.0.0.2");
    const b = await client("127.0.0.3");
    await a.send("a", server.port);
    await until(() => udpFlowsOf(bus).size, (n) => n === 2);
    await b.send("b", server.port);
    await until(() => [a.received.length, b.received.length], ([x, y]) => x === 1 && y === 1);
    expect(server.counts.evictedFlows).toBe(1);
    // 127.0.0.2's flow gave way; the held one and 127.0.0.3's are tracked.
    expect([...udpFlowsOf(bus).all()].map((f) => f.tap.info.client.ip).sort()).toEqual(["127.0.0.1", "127.0.0.3"]);
    expect(heldFlow.closed).toBe(false);

  });

  it("answers a datagram it cannot track when every flow at the bound is held by a lab client", async () => {
    const { bus } = setup();
    const server = await echoServer(bus, { maxFlows: 1 });
    const held = await client("127.0.0.1");
    await held.send("mine", server.port);
    await until(() => udpFlowsOf(bus).size, (n) => n === 1);
    const heldFlow = [...udpFlowsOf(bus).all()][0]!;
    heldFlow.held = true;
    const c = await client("127.0.0.4");
    await c.send("untracked", server.port);
    await until(() => c.received.length, (n) => n === 1);
    expect(c.received.map(String)).toEqual(["untracked"]);
    expect(server.counts).toMatchObject({ untrackedDatagrams: 1, evictedFlows: 0 });
    expect(heldFlow.closed).toBe(false);
    expect(udpFlowsOf(bus).size).toBe(1);
  });

  it("records an answer the system refused to send (EMSGSIZE) on its flow, and goes on serving", async () => {
    const { bus, ring } = setup();
    const server = await createTappedUdpServer({
      bus,
      service: "test-big",
      protocol: "text",
      binds: [{ address: "127.0.0.1", type: "udp4" }],
      port: 0,
      idleTimeoutMs: 60_000,
      // Past the 65,507 bytes an IPv4 datagram can carry: the send fails.
      handle: (datagram, reply) => reply(datagram.toString() === "big" ? new Uint8Array(70_000) : datagram),
    });
    servers.push(server);
    const c = await client("127.0.0.1");
    await c.send("big", server.port);
    const errors = await until(
      () => ofClient(ring.after(0, 100), c.port).filter((e) => e.kind === "error"),
      (evs) => evs.length > 0,
    );
    expect(errors.map((e) => e.errorCode)).toEqual(["EMSGSIZE"]);
    await c.send("small", server.port);
    await until(() => c.received.length, (n) => n === 1);
    expect(c.received.map(String)).toEqual(["small"]);
  });

  it("ends a flow that was quiet for its idle timeout with EIDLE, and a later datagram starts a new one", async () => {
    const { bus, ring } = setup();
    const server = await echoServer(bus, {}, 200);
    const c = await client("127.0.0.1");
    await c.send("first", server.port);
    const closed = await until(
      () => ofClient(ring.after(0, 100), c.port),
      (evs) => evs.some((e) => e.kind === "close"),
    );
    expect(closed.map((e) => e.kind)).toEqual(["open", "data", "data", "close"]);
    expect(closed.at(-1)!.errorCode).toBe("EIDLE");
    await c.send("second", server.port);
    const again = await until(
      () => ofClient(ring.after(0, 100), c.port),
      (evs) => evs.filter((e) => e.kind === "data").length === 4,
    );
    expect(new Set(again.map((e) => e.conversation.id)).size).toBe(2);
  });

  it("rejects a bind on a port already taken with the system's EADDRINUSE, and the sockets it bound are closed", async () => {
    const { bus } = setup();
    const taken = await client("127.0.0.1");
    const bound = createTappedUdpServer({
      bus,
      service: "test-echo",
      protocol: "text",
      binds: [{ address: "127.0.0.1", type: "udp4" }],
      port: taken.port,
      idleTimeoutMs: 60_000,
      limits: {},
      handle: (datagram, reply) => reply(datagram),
    });
    await expect(bound).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});
