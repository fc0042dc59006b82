// The tapped listener over real sockets: what it records, and the limits it keeps (idle clients,
// connections per address, resets).

import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createSessionStore } from "../lab/sessions";
import { handleEcho } from "../servers/tcp-echo";
import { handleGreeting } from "../servers/greeting";
import { connectClient, sleep } from "../testing/host";
import { textDissector } from "../dissect/text";
import { createBus } from "./bus";
import { createTappedServer, type TappedServerOptions } from "./tap";
import { openTcpClient } from "../clients/tcp";

async function waitFor(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(10);
  }
}

const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function start(options: Partial<TappedServerOptions> & Pick<TappedServerOptions, "handler">) {
  const sessions = createSessionStore({ ringMaxEvents: 10_000, ringMaxBytes: 1 << 22 });
  const watcher = sessions.resolve(undefined, "127.0.0.1").session;
  const bus = createBus({ sessions, dissectorFor: () => textDissector });
  const server = createTappedServer({ bus, service: "test", protocol: "text", ...options });
  servers.push(server);
  const connections = new Set<net.Socket>();
  server.on("connection", (s) => {
    connections.add(s);
    s.once("close", () => connections.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const target = { service: "test", transport: "tcp", protocol: "text", host: "127.0.0.1", port } as const;
  return { port, watcher, connections, bus, target };
}

/** Connects from 127.0.0.1 and says what became of it: "served" (the welcome came) or how it ended. */
function externalClient(port: number): Promise<{ outcome: string; socket: net.Socket }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let text = "";
    socket.on("data", (d: Buffer) => {
      text += d.toString();
      if (text.endsWith(")")) resolve({ outcome: "served", socket });
    });
    socket.on("error", (err: NodeJS.ErrnoException) => resolve({ outcome: err.code ?? "error", socket }));
    socket.on("close", () => resolve({ outcome: text ? "closed after data" : "closed", socket }));
  });
}

describe("tapped listener", () => {
  it("records the exact bytes of reads and writes, half-closes and the close, in order", async () => {
    const { port, watcher } = await start({ handler: handleEcho });
    const client = await connectClient(port);
    const clientPort = client.socket.localPort;
    await client.until((t) => t.endsWith(")"));
    client.socket.write(Buffer.from([0x68, 0x69, 0x0a]));
    await client.until((t) => t.endsWith("ECHO: hi"));
    client.socket.end();
    await client.closed;
    await sleep(50);
    const events = watcher.ring.after(0, 100);
    expect(events.map((e) => `${e.kind}:${e.direction}`)).toEqual([
      "open:c2s",
      "data:s2c",
      "data:c2s",
      "data:s2c",
      "half-close:c2s",
      "half-close:s2c",
      "close:c2s",
    ]);
    expect(Buffer.from(events[2]!.data).toString("hex")).toBe("68690a");
    expect(Buffer.from(events[3]!.data).toString()).toBe("ECHO: hi");
    expect(events[1]!.conversation.client.port).toBe(clientPort);
    for (let i = 1; i < events.length; i++) expect(events[i]!.monoMs).toBeGreaterThanOrEqual(events[i - 1]!.monoMs);
  });

  it("closes a client that never sends, and says why on the timeline", async () => {
    const { port, watcher } = await start({ handler: handleGreeting, idleTimeoutMs: 200 });
    const client = await connectClient(port);
    await client.closed;
    await sleep(50);
    const events = watcher.ring.after(0, 100);
    const error = events.find((e) => e.kind === "error");
    expect(error?.errorCode).toBe("EIDLE");
    expect(events.at(-1)?.kind).toBe("close");
    expect(client.received().length).toBe(0);
  });

  it("resets connections past the per-address limit and keeps serving the others", async () => {
    const { port, watcher } = await start({ handler: handleEcho, maxConnectionsPerAddress: 3 });
    const kept = await Promise.all([1, 2, 3].map(() => connectClient(port)));
    await Promise.all(kept.map((c) => c.until((t) => t.endsWith(")"))));
    const extra = net.connect({ host: "127.0.0.1", port });
    let received = 0;
    extra.on("data", (d: Buffer) => (received += d.length));
    const failure = await new Promise<string>((resolve) => {
      extra.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? ""));
      extra.once("close", () => resolve("closed"));
    });
    expect(["ECONNRESET", "closed"]).toContain(failure);
    expect(received).toBe(0);
    expect(watcher.ring.after(0, 1000).some((e) => e.errorCode === "ELIMIT")).toBe(true);
    kept[0]!.socket.write("still");
    expect(await kept[0]!.until((t) => t.endsWith("ECHO: still"))).toContain("ECHO: still");
    for (const c of kept) c.socket.destroy();
  });

  it("counts lab clients per session, not against their shared address, which stays open to external clients (issue 8, item 4)", async () => {
    const { port, watcher, bus, target } = await start({ handler: handleEcho, maxConnectionsPerAddress: 3 });
    // Three times the address's limit of lab clients, all from 127.0.0.1 like every lab client.
    const labClients = await Promise.all(Array.from({ length: 9 }, () => openTcpClient(bus, target, watcher.id)));
    expect(labClients.map((c) => c.conversation.origin)).toEqual(Array(9).fill("lab-client"));
    // Each is served: its echo comes back.
    labClients[8]!.send([Buffer.from("lab")]);
    await waitFor(() => watcher.ring.after(0, 10_000).some((e) => e.conversation.id === labClients[8]!.conversation.id && new TextDecoder().decode(e.data) === "ECHO: lab"));
    // The address still has its three places for external clients, and no more.
    const external = await Promise.all([1, 2, 3, 4].map(() => externalClient(port)));
    expect(external.map((c) => c.outcome).sort()).toEqual(["ECONNRESET", "served", "served", "served"]);
    const limited = watcher.ring.after(0, 10_000).filter((e) => e.errorCode === "ELIMIT");
    expect(limited.map((e) => e.conversation.origin)).toEqual(["external"]);
    for (const c of [...labClients]) c.close();
    for (const c of external) c.socket.destroy();
  });

  it("counts a loopback connection that a lab client might claim once it turns out external, and resets it then if the address is full", async () => {
    const { port, watcher, bus } = await start({ handler: handleEcho, maxConnectionsPerAddress: 2 });
    const release = bus.expectClient(port);
    // While a lab client is connecting, loopback connections wait to be claimed: none is counted yet.
    const clients = [await connectClient(port), await connectClient(port), await connectClient(port)];
    await waitFor(() => watcher.ring.after(0, 1000).length === 0 && bus.live.size === 3);
    release();
    // No lab client claimed them: they are external, and the third one is past the address's limit.
    await waitFor(() => watcher.ring.after(0, 1000).some((e) => e.errorCode === "ELIMIT"));
    await clients[2]!.closed;
    expect(clients[2]!.received().toString()).toMatch(/^Welcome/);
    clients[0]!.socket.write("still");
    expect(await clients[0]!.until((t) => t.endsWith("ECHO: still"))).toContain("ECHO: still");
    for (const c of clients) c.socket.destroy();
  });

  it("bounds every connection together, lab clients included", async () => {
    const { port, watcher, bus, target } = await start({ handler: handleEcho, maxConnectionsPerAddress: 100, maxConnections: 4 });
    const labClients = await Promise.all([1, 2, 3, 4].map(() => openTcpClient(bus, target, watcher.id)));
    const extra = await externalClient(port);
    expect(extra.outcome).toBe("ECONNRESET");
    const limited = watcher.ring.after(0, 10_000).find((e) => e.errorCode === "ELIMIT");
    expect(limited?.errorMessage).toMatch(/limit 4/);
    // A place freed is a place to take.
    labClients[0]!.close();
    await waitFor(() => bus.live.size === 3);
    expect((await externalClient(port)).outcome).toBe("served");
    for (const c of labClients) c.close();
  });

  it("records resets with translated error codes and never leaves a conversation open", async () => {
    const { port, watcher, connections } = await start({ handler: handleEcho });
    for (let i = 0; i < 10; i++) {
      const c = await connectClient(port);
      await c.until((t) => t.endsWith(")"));
      c.socket.write("x".repeat(5000));
      c.socket.resetAndDestroy();
    }
    await sleep(200);
    expect(connections.size).toBe(0);
    const events = watcher.ring.after(0, 100_000);
    const byConversation = new Map<string, string[]>();
    for (const e of events) byConversation.set(e.conversation.id, [...(byConversation.get(e.conversation.id) ?? []), e.kind]);
    expect(byConversation.size).toBe(10);
    for (const kinds of byConversation.values()) expect(kinds.at(-1)).toBe("close");
    for (const e of events.filter((x) => x.kind === "error")) expect(["ECONNRESET", "EPIPE"]).toContain(e.errorCode);
  });
});
