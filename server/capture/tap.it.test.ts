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
  return { port, watcher, connections };
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
