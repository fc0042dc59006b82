// The seeds' UDP servers over real loopback sockets (issue 10 §1, §6): seed 000's own client, unchanged, run
// by Debian's Python against udp-echo; broadcast and multicast receive; bad input; a flood from one source.

import { execFile } from "node:child_process";
import dgram from "node:dgram";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CapturedEvent } from "../capture/events";
import type { LabHost } from "../lab/host";
import type { Session } from "../lab/sessions";
import { startTestHost } from "../testing/host";
import { MULTICAST_GROUP } from "./udp-multicast";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const SEED_CLIENT = new URL("./testdata/seed000-udp-client.py", import.meta.url).pathname;

let host: LabHost;
let watcher: Session;
beforeAll(async () => {
  host = await startTestHost();
  // A browser on this machine: it sees the external clients from 127.0.0.1.
  watcher = host.sessions.resolve(undefined, "127.0.0.1").session;
});
afterAll(async () => {
  await host.stop();
});

const text = (e: CapturedEvent) => Buffer.from(e.data).toString("utf8");

/** The watcher's events of the flow from `port` to `service`, once `done` holds. */
async function flowEvents(
  service: string,
  clientPort: number,
  done: (events: CapturedEvent[]) => boolean,
  session: Session = watcher,
): Promise<CapturedEvent[]> {
  for (;;) {
    const events = session.ring
      .after(0, 1_000_000)
      .filter((e) => e.conversation.service === service && e.conversation.client.port === clientPort);
    if (done(events)) return events;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A UDP socket of the test's own (an outside client), with the datagrams it received. */
async function outsideClient(type: "udp4" | "udp6" = "udp4") {
  const socket = dgram.createSocket(type);
  const received: Buffer[] = [];
  let wake: (() => void) | undefined;
  socket.on("message", (m) => {
    received.push(m);
    wake?.();
  });
  await new Promise<void>((r) => socket.bind(0, type === "udp4" ? "127.0.0.1" : "::1", () => r()));
  return {
    socket,
    port: socket.address().port,
    received,
    async receive(count: number): Promise<Buffer[]> {
      while (received.length < count) await new Promise<void>((r) => (wake = r));
      return received.slice(0, count);
    },
    send: (bytes: Uint8Array | string, port: number, address = type === "udp4" ? "127.0.0.1" : "::1") =>
      new Promise<void>((resolve, reject) => socket.send(bytes, port, address, (err) => (err ? reject(err) : resolve()))),
    close: () => socket.close(),
  };
}

describe("udp-echo (seed 000)", () => {
  it.runIf(existsSync(PYTHON))("gives the seed's own client exactly its answers: the text echo, both BINARY datagrams, the float", async () => {
    const { stdout } = await run(PYTHON, [SEED_CLIENT, String(host.port("udp-echo"))], { timeout: 30_000 });
    const results = stdout
      .split("\n")
      .filter((line) => line.startsWith("RESULT "))
      .map((line) => JSON.parse(line.slice(7)) as unknown);
    expect(results).toEqual([
      "UDP-ECHO: Hello UDP!",
      // The seed's client reads one datagram for BINARY_TEST: the text echo, which struct.unpack('If') refuses...
      null,
      // ...and the binary answer is what its next read gets, which is not UTF-8.
      null,
      "UDP-ECHO: BINARY_TEST",
      [42, 3.140000104904175],
    ]);
    expect(stdout).toContain("Communication error: unpack requires a buffer of 8 bytes");
  });

  it("records every datagram whole, both ways, on one flow that its browser's session sees", async () => {
    const client = await outsideClient();
    await client.send("BINARY please", host.port("udp-echo"));
    const [echo, binary] = await client.receive(2);
    expect(echo!.toString()).toBe("UDP-ECHO: BINARY please");
    expect(binary!.toString("hex")).toBe("2a000000c3f54840");
    const events = await flowEvents("udp-echo", client.port, (evs) => evs.filter((e) => e.kind === "data").length === 3);
    expect(events.map((e) => [e.kind, e.direction])).toEqual([
      ["open", "c2s"],
      ["data", "c2s"],
      ["data", "s2c"],
      ["data", "s2c"],
    ]);
    const flow = events[0]!.conversation;
    expect(flow).toMatchObject({ transport: "udp", origin: "external", client: { ip: "127.0.0.1", port: client.port } });
    expect(flow.server.port).toBe(host.port("udp-echo"));
    expect(text(events[1]!)).toBe("BINARY please");
    expect(Buffer.from(events[3]!.data).toString("hex")).toBe("2a000000c3f54840");
    // Another browser, on another machine, sees none of it.
    const elsewhere = host.sessions.resolve(undefined, "192.0.2.77").session;
    expect(elsewhere.ring.after(0, 1_000_000).some((e) => e.conversation.id === flow.id)).toBe(false);
    client.close();
  });

  it("answers a 0-byte datagram, reads only the first 1,024 bytes of a 65,507-byte one, and records both whole", async () => {
    const client = await outsideClient();
    await client.send(new Uint8Array(0), host.port("udp-echo"));
    const [empty] = await client.receive(1);
    expect(empty!.toString()).toBe("UDP-ECHO: ");
    const big = Buffer.alloc(65_507, "a");
    await client.send(big, host.port("udp-echo"));
    const [, echo] = await client.receive(2);
    expect(echo!.toString()).toBe(`UDP-ECHO: ${"a".repeat(1024)}`);
    const events = await flowEvents("udp-echo", client.port, (evs) => evs.filter((e) => e.kind === "data").length === 4);
    expect(events.filter((e) => e.kind === "data" && e.direction === "c2s").map((e) => e.data.length)).toEqual([0, 65_507]);
    client.close();
  });

  it("answers nothing to bytes that are not UTF-8, records them, and still answers the next datagram", async () => {
    const client = await outsideClient();
    await client.send(Buffer.from([0xff, 0xfe, 0x41]), host.port("udp-echo"));
    // Cut inside a two-byte character at 1,024: the seed's decode() raises on the truncated message too.
    await client.send(Buffer.concat([Buffer.alloc(1023, "b"), Buffer.from("я")]), host.port("udp-echo"));
    await client.send("after", host.port("udp-echo"));
    const [answer] = await client.receive(1);
    expect(answer!.toString()).toBe("UDP-ECHO: after");
    const events = await flowEvents("udp-echo", client.port, (evs) => evs.filter((e) => e.kind === "data").length === 4);
    expect(events.filter((e) => e.kind === "data").map((e) => [e.direction, e.data.length])).toEqual([
      ["c2s", 3],
      ["c2s", 1025],
      ["c2s", 5],
      ["s2c", 15],
    ]);
    client.close();
  });

  it("serves IPv6 where the machine has ::1", async () => {
    const probe = dgram.createSocket("udp6");
    const hasV6 = await new Promise<boolean>((r) => {
      probe.once("error", () => r(false));
      probe.bind(0, "::1", () => r(true));
    });
    probe.close();
    if (!hasV6) return; // No IPv6 loopback here: the lab binds IPv4 only, as it says.
    // A browser at ::1 sees it (the one at 127.0.0.1 is another address).
    const v6Browser = host.sessions.resolve(undefined, "::1").session;
    const client = await outsideClient("udp6");
    await client.send("over six", host.port("udp-echo"));
    const [answer] = await client.receive(1);
    expect(answer!.toString()).toBe("UDP-ECHO: over six");
    const events = await flowEvents("udp-echo", client.port, (evs) => evs.some((e) => e.direction === "s2c"), v6Browser);
    expect(events[0]!.conversation.client.ip).toBe("::1");
    client.close();
  });
});

describe("udp-broadcast (seed 002)", () => {
  it("records a datagram sent to the loopback's broadcast address, and answers nothing", async () => {
    const client = await outsideClient();
    client.socket.setBroadcast(true);
    await client.send("Запрос на соединение!", host.port("udp-broadcast"), "127.255.255.255");
    const events = await flowEvents("udp-broadcast", client.port, (evs) => evs.some((e) => e.kind === "data"));
    expect(text(events.find((e) => e.kind === "data")!)).toBe("Запрос на соединение!");
    expect(events.every((e) => e.direction === "c2s")).toBe(true);
    client.close();
  });
});

describe("udp-multicast (seed 000)", () => {
  it("joins 224.0.0.100 and records what a TTL-1 sender sends to the group", async () => {
    const status = host.status().find((s) => s.name === "udp-multicast")!;
    expect(status.multicast).toMatchObject({ group: MULTICAST_GROUP });
    if (!status.multicast!.joined) {
      // Stated reason: the kernel refused the join on this interface (the status carries its words).
      expect(status.multicast!.problem).not.toBe("");
      return;
    }
    const client = await outsideClient();
    client.socket.setMulticastTTL(1);
    client.socket.setMulticastInterface("127.0.0.1");
    await client.send("Multicast message 0", host.port("udp-multicast"), MULTICAST_GROUP);
    const events = await flowEvents("udp-multicast", client.port, (evs) => evs.some((e) => e.kind === "data"));
    expect(text(events.find((e) => e.kind === "data")!)).toBe("Multicast message 0");
    expect(events[0]!.conversation.server).toEqual({ ip: MULTICAST_GROUP, port: host.port("udp-multicast") });
    client.close();
  });
});
