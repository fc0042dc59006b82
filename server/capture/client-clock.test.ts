// A lab client's own times (client-clock.ts) and how the bus gives them to the server's events: a read by the server
// gets the client's write of its first byte; a server's write waits for the client's read of its last byte, with the
// conversation's later events behind it, in order; the wait and the marks are bounded.

import { describe, expect, it } from "vitest";
import { textDissector } from "../dissect/text";
import { createSessionStore } from "../lab/sessions";
import { sleep } from "../testing/host";
import { createBus } from "./bus";
import { createClientClock, type ClientClock } from "./client-clock";

describe("createClientClock", () => {
  it("finds the write that holds a byte and the read that reached an end", () => {
    const clock = createClientClock();
    clock.wrote(5); // bytes 0-4
    clock.wrote(3); // bytes 5-7
    clock.read(10); // up to 10
    clock.read(20); // up to 30
    const first = clock.writeTimeOf(0)!;
    expect(first).toBeTypeOf("number");
    expect(clock.writeTimeOf(5)).toBeGreaterThanOrEqual(first);
    // Byte 7 is the second write's too.
    expect(clock.writeTimeOf(7)).toBe(clock.writeTimeOf(5));
    const tenth = clock.readTimeOf(10)!;
    expect(clock.readTimeOf(11)).toBeGreaterThanOrEqual(tenth);
    expect(clock.readTimeOf(30)).toBe(clock.readTimeOf(11));
    // Not read that far yet.
    expect(clock.readTimeOf(31)).toBeUndefined();
    expect(clock.closed).toBe(false);
  });

  it("ignores empty writes and reads, and tells of progress on each read and at close, once", () => {
    const clock = createClientClock();
    let told = 0;
    clock.onProgress = () => told++;
    clock.wrote(0);
    clock.read(0);
    expect(clock.writeTimeOf(0)).toBeUndefined();
    clock.read(4);
    clock.close();
    clock.close();
    expect([told, clock.closed]).toEqual([2, true]);
  });

  it("keeps at most `marks` marks a direction: a byte whose write went with the bound has no time", () => {
    const clock = createClientClock({ marks: 2 });
    clock.wrote(1); // byte 0: dropped below
    clock.wrote(1); // byte 1
    clock.wrote(1); // byte 2
    expect(clock.writeTimeOf(0)).toBeUndefined();
    expect(clock.writeTimeOf(1)).toBeTypeOf("number");
    for (let i = 0; i < 10; i++) clock.read(1);
    // Reads up to 1..8 went; the first read kept reaches 9.
    expect(clock.readTimeOf(9)).toBeTypeOf("number");
    expect(clock.readTimeOf(11)).toBeUndefined();
  });
});

const server = { ip: "127.0.0.1", port: 8888 };
const client = { ip: "127.0.0.1", port: 41000 };

/** A lab client's conversation on the bus, claimed with a clock, as openTcpClient claims it. */
async function claimed(options: { clientReadWaitMs?: number; maxPendingEvents?: number } = {}) {
  const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
  const session = sessions.resolve(undefined, "127.0.0.1").session;
  const bus = createBus({ sessions, dissectorFor: () => textDissector, ...options });
  const clock: ClientClock = createClientClock();
  const release = bus.expectClient(server.port);
  const tap = bus.open({ service: "tcp-echo", protocol: "text", client, server });
  await bus.claim(client, server, session.id, "tcp", clock);
  release();
  const events = () => session.ring.after(0, 1000).filter((e) => e.kind !== "open");
  return { bus, tap, clock, events };
}

describe("a timed lab client's messages on the bus", () => {
  it("gives a server's read the client's write of its first byte, and a server's write the client's read of its last", async () => {
    const { tap, clock, events } = await claimed();
    clock.wrote(6); // "hello\n"
    const wroteAt = clock.writeTimeOf(0)!;
    tap.data("c2s", "hel");
    tap.data("c2s", "lo\n");
    expect(events().map((e) => [e.direction, e.peerMs])).toEqual([
      ["c2s", wroteAt],
      ["c2s", wroteAt],
    ]);
    for (const e of events()) expect(e.peerMs).toBeLessThanOrEqual(e.monoMs);

    tap.data("s2c", "ECHO: hello");
    tap.halfClose("s2c");
    // The write waits for the client's read, and the half-close behind it.
    expect(events()).toHaveLength(2);
    clock.read(5);
    expect(events()).toHaveLength(2);
    clock.read(6);
    const [echo, fin] = events().slice(2);
    expect([echo?.kind, echo?.direction, fin?.kind]).toEqual(["data", "s2c", "half-close"]);
    expect(echo!.peerMs).toBe(clock.readTimeOf(11));
    expect(echo!.peerMs).toBeGreaterThanOrEqual(echo!.monoMs);
    expect(fin!.peerMs).toBeUndefined();
  });

  it("lets what waits go without a time when the client's socket closes", async () => {
    const { tap, clock, events } = await claimed();
    tap.data("s2c", "Welcome");
    tap.close();
    expect(events()).toHaveLength(0);
    clock.close();
    expect(events().map((e) => [e.kind, e.peerMs])).toEqual([
      ["data", undefined],
      ["close", undefined],
    ]);
  });

  it("gives up waiting after clientReadWaitMs (a client that stopped reading)", async () => {
    const { tap, events } = await claimed({ clientReadWaitMs: 5 });
    tap.data("s2c", "never read");
    expect(events()).toHaveLength(0);
    const deadline = Date.now() + 5_000;
    while (events().length === 0 && Date.now() < deadline) await sleep(5);
    expect(events().map((e) => [e.kind, e.peerMs])).toEqual([["data", undefined]]);
  });

  it("holds at most maxPendingEvents behind an unread write, then lets them all go in order", async () => {
    const { tap, events } = await claimed({ maxPendingEvents: 3 });
    tap.data("s2c", "a");
    tap.data("c2s", "b");
    tap.data("s2c", "c");
    expect(events()).toHaveLength(0);
    tap.data("c2s", "d");
    expect(events().map((e) => e.direction)).toEqual(["s2c", "c2s", "s2c", "c2s"]);
  });

  it("gives an outside program's messages no client time", () => {
    const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
    const watcher = sessions.resolve(undefined, "127.0.0.1").session;
    const bus = createBus({ sessions, dissectorFor: () => textDissector });
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client, server });
    tap.data("c2s", "hi");
    tap.data("s2c", "ECHO: hi");
    const data = watcher.ring.after(0, 100).filter((e) => e.kind === "data");
    expect(data.map((e) => [e.direction, e.peerMs])).toEqual([
      ["c2s", undefined],
      ["s2c", undefined],
    ]);
  });
});
