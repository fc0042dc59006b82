// Visibility rules and attribution of the capture bus, with in-memory sessions.

import { describe, expect, it, vi } from "vitest";
import { toBinary } from "@bufbuild/protobuf";
import { EventSchema } from "@/gen/lab/v1/timeline_pb";
import { createCursor } from "../dissect/core/cursor";
import { dataFields } from "../dissect/core/registry";
import type { Dissector } from "../dissect/core/types";
import { textDissector } from "../dissect/text";
import { createSessionStore } from "../lab/sessions";
import { eventToProto, framesOf } from "../lab/to-proto";
import { reanchorClock } from "./clock";
import { createBus, type SessionDirectory, type SessionSink } from "./bus";
import { createRing } from "./ring";

function setup() {
  const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
  const bus = createBus({ sessions, dissectorFor: () => textDissector });
  return { sessions, bus };
}

const server = { ip: "127.0.0.1", port: 8888 };
const bytes = (s: string) => new TextEncoder().encode(s);
const conversationsIn = (ring: { after(s: number, n: number): { conversation: { id: string } }[] }) =>
  new Set(ring.after(0, 10_000).map((e) => e.conversation.id));

/**
 * A session directory of `count` browsers at one address, plus a way to add one: many sessions at one
 * address, without the session store's own rules on how fast an address may start them.
 */
function directoryAt(ip: string, count: number, bounds = { maxEvents: 1000, maxBytes: 1 << 20 }) {
  const sinks: SessionSink[] = [];
  let version = 0;
  const add = () => {
    const sink = { id: `s${sinks.length}`, ring: createRing(bounds.maxEvents, bounds.maxBytes) };
    sinks.push(sink);
    version++;
    return sink;
  };
  for (let i = 0; i < count; i++) add();
  const sessions: SessionDirectory = {
    get: (id) => sinks.find((sink) => sink.id === id),
    byAddress: (address) => (address === ip ? sinks : []),
    get version() {
      return version;
    },
  };
  return { sessions, watchers: [...sinks], add };
}

describe("one copy for every session (issue 8, item 5)", () => {
  /** `count` browsers at 127.0.0.1, and an external client there sending `messages` lines through echo. */
  function fanOut(count: number, messages: number) {
    const { sessions, watchers, add } = directoryAt("127.0.0.1", count);
    const bus = createBus({ sessions, dissectorFor: () => textDissector });
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "127.0.0.1", port: 41000 }, server });
    for (let i = 0; i < messages; i++) {
      tap.data("c2s", bytes(`message ${i} ${"x".repeat(500)}`));
      tap.data("s2c", `ECHO: message ${i} ${"x".repeat(500)}`);
    }
    return { add, bus, watchers, tap };
  }

  it("stores an external event once however many sessions see it, and every session sees it", () => {
    const one = fanOut(1, 200);
    const many = fanOut(100, 200);
    expect(many.bus.store.size).toBe(401);
    expect(many.bus.store.bytes).toBe(one.bus.store.bytes);
    // One lane entry per event (the address's), however many rings read it.
    expect(many.bus.store.lane("address 127.0.0.1")?.end).toBe(401);
    for (const w of many.watchers) {
      const events = w.ring.after(0, 10_000);
      expect(events).toHaveLength(401);
      expect(new TextDecoder().decode(events.at(-1)!.data)).toBe(`ECHO: message 199 ${"x".repeat(500)}`);
      expect(w.ring.bytes).toBe(many.bus.store.bytes);
    }
  });

  it("shows a session that arrives later only what comes after, and a clear hides events from that session only", () => {
    const { add, watchers, tap } = fanOut(2, 3);
    const late = add();
    tap.data("c2s", bytes("after"));
    expect(late.ring.after(0, 100).map((e) => new TextDecoder().decode(e.data))).toEqual(["after"]);
    watchers[0]!.ring.clear();
    expect(watchers[0]!.ring.size).toBe(0);
    expect(watchers[1]!.ring.size).toBe(8);
    tap.close();
    expect(watchers[0]!.ring.after(0, 100).map((e) => e.kind)).toEqual(["close"]);
    expect(watchers[1]!.ring.after(0, 100).map((e) => e.kind)).toEqual(["open", ...Array(7).fill("data"), "close"]);
  });

  it("bounds what every session together keeps: the store's bounds, and events it dropped count as dropped", () => {
    const { sessions, watchers } = directoryAt("127.0.0.1", 10);
    const bus = createBus({ sessions, dissectorFor: () => textDissector, maxEvents: 100, maxBytes: 1 << 20 });
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "127.0.0.1", port: 41001 }, server });
    for (let i = 0; i < 299; i++) tap.data("c2s", bytes(`${i}`));
    expect(bus.store.size).toBe(100);
    for (const w of watchers) {
      expect([w.ring.size, w.ring.dropped]).toEqual([100, 200]);
      expect(w.ring.after(0, 1).map((e) => new TextDecoder().decode(e.data))).toEqual(["199"]);
    }
  });
});

describe("settling", () => {
  it("says at once whose conversation it is when the bus knows, and later when a lab client may still claim it", async () => {
    const { sessions, bus } = setup();
    const owner = sessions.resolve(undefined, "127.0.0.1").session;
    const seen: string[] = [];
    const note = (name: string) => (info: { origin: string }) => seen.push(`${name}:${info.origin}`);

    bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "10.0.0.5", port: 1 }, server }).onSettled(note("lan"));
    const release = bus.expectClient(8888);
    const claimedFirst = { ip: "127.0.0.1", port: 2 };
    const early = bus.claim(claimedFirst, server, owner.id);
    bus.open({ service: "tcp-echo", protocol: "text", client: claimedFirst, server }).onSettled(note("claimed-first"));
    await early;
    const claimedLater = { ip: "127.0.0.1", port: 3 };
    bus.open({ service: "tcp-echo", protocol: "text", client: claimedLater, server }).onSettled(note("claimed-later"));
    bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "127.0.0.1", port: 4 }, server }).onSettled(note("nc"));
    expect(seen).toEqual(["lan:external", "claimed-first:lab-client"]);
    await bus.claim(claimedLater, server, owner.id);
    expect(seen).toEqual(["lan:external", "claimed-first:lab-client", "claimed-later:lab-client"]);
    release();
    expect(seen).toEqual(["lan:external", "claimed-first:lab-client", "claimed-later:lab-client", "nc:external"]);
  });
});

describe("who sees what", () => {
  it("gives an external conversation to every session at the client's address, and to no other", () => {
    const { sessions, bus } = setup();
    const here = sessions.resolve(undefined, "10.0.0.5").session;
    const alsoHere = sessions.resolve(undefined, "::ffff:10.0.0.5").session; // same browser address, dual stack
    const elsewhere = sessions.resolve(undefined, "10.0.0.6").session;
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "10.0.0.5", port: 40000 }, server });
    tap.data("c2s", bytes("hello"));
    tap.close();
    expect(tap.info.origin).toBe("external");
    expect([...conversationsIn(here.ring)]).toEqual([tap.info.id]);
    expect([...conversationsIn(alsoHere.ring)]).toEqual([tap.info.id]);
    expect(elsewhere.ring.size).toBe(0);
    expect(here.ring.after(0, 10).map((e) => e.kind)).toEqual(["open", "data", "close"]);
  });

  it("gives a lab client's conversation to its session only, even with other sessions at the same address", async () => {
    const { sessions, bus } = setup();
    const owner = sessions.resolve(undefined, "127.0.0.1").session;
    const neighbour = sessions.resolve(undefined, "127.0.0.1").session;
    const release = bus.expectClient(8888);
    const client = { ip: "127.0.0.1", port: 40001 };
    // The server's accept can come first: its events wait for the claim.
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client, server });
    tap.data("s2c", bytes("Welcome"));
    expect(owner.ring.size).toBe(0);
    const info = await bus.claim(client, server, owner.id);
    release();
    tap.data("c2s", bytes("hi"));
    expect(info.origin).toBe("lab-client");
    expect(owner.ring.after(0, 10).map((e) => e.kind)).toEqual(["open", "data", "data"]);
    expect(neighbour.ring.size).toBe(0);
  });

  it("accepts a claim that arrives before the server side saw the connection", async () => {
    const { sessions, bus } = setup();
    const owner = sessions.resolve(undefined, "127.0.0.1").session;
    const client = { ip: "127.0.0.1", port: 40002 };
    const claimed = bus.claim(client, server, owner.id);
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client, server });
    expect((await claimed).id).toBe(tap.info.id);
    expect(tap.info.owner).toBe(owner.id);
    expect(owner.ring.size).toBe(1);
  });

  it("settles a waiting conversation as external once no lab client is connecting", () => {
    const { sessions, bus } = setup();
    const watcher = sessions.resolve(undefined, "127.0.0.1").session;
    const release = bus.expectClient(8888);
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "127.0.0.1", port: 40003 }, server });
    tap.data("c2s", bytes("nc"));
    expect(watcher.ring.size).toBe(0);
    release();
    expect(tap.info.origin).toBe("external");
    expect(watcher.ring.after(0, 10).map((e) => e.kind)).toEqual(["open", "data"]);
  });

  it("keeps seq increasing in each ring and dissects when read", () => {
    const { sessions, bus } = setup();
    const s = sessions.resolve(undefined, "127.0.0.1").session;
    const a = bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "127.0.0.1", port: 1 }, server });
    const b = bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "127.0.0.1", port: 2 }, server });
    a.data("c2s", bytes("one\n"));
    b.data("c2s", bytes("two\n"));
    a.data("s2c", bytes("ECHO: one"));
    const events = s.ring.after(0, 10);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((x, y) => x - y));
    // One read is one text message: nothing is dissected until a reader asks.
    const echo = events.at(-1)!;
    expect(echo.pdus).toBeUndefined();
    const frames = framesOf(echo, () => textDissector);
    expect(frames[0]?.protocol).toBe("text");
    expect(frames[0]?.findings.map((f) => f.code)).toContain("text.no_terminator");
  });
});

describe("captured segments", () => {
  const segment = (client: { ip: string; port: number }, direction: "c2s" | "s2c") => ({
    transport: "tcp" as const,
    client,
    server,
    direction,
    wallMs: performance.timeOrigin + performance.now(),
    packet: new Uint8Array(54),
    linkType: 1,
    analysis: undefined,
    checksumsMayBeOffloaded: true,
    payloadLength: 0,
    streamOffset: -1,
    payloadDigest: -1,
  });

  it("holds a lab client's early SYN until the claim, so no other session at its address sees it", async () => {
    const { sessions, bus } = setup();
    const owner = sessions.resolve(undefined, "127.0.0.1").session;
    const neighbour = sessions.resolve(undefined, "127.0.0.1").session;
    const client = { ip: "127.0.0.1", port: 40100 };
    const release = bus.expectClient(8888);
    expect(bus.segment(segment(client, "c2s"))).toBe(false); // before the accept: held briefly
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client, server });
    expect(bus.segment(segment(client, "s2c"))).toBe(true);
    expect(owner.ring.size + neighbour.ring.size).toBe(0);
    await bus.claim(client, server, owner.id);
    release();
    expect(owner.ring.after(0, 10).map((e) => `${e.kind}:${e.direction}`)).toEqual(["open:c2s", "segment:c2s", "segment:s2c"]);
    expect(neighbour.ring.size).toBe(0);
    expect(tap.info.origin).toBe("lab-client");
  });

  it("joins late segments to a conversation that just closed", () => {
    const { sessions, bus } = setup();
    const watcher = sessions.resolve(undefined, "127.0.0.1").session;
    const client = { ip: "127.0.0.1", port: 40101 };
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client, server });
    tap.close();
    expect(bus.segment(segment(client, "c2s"))).toBe(true);
    expect(watcher.ring.after(0, 10).map((e) => e.kind)).toEqual(["open", "close", "segment"]);
  });

  it("puts a segment stamped by a skewed wall clock at the time of the message it carried", () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    try {
      vi.advanceTimersByTime(25 * 60_000);
      // The wall clock has run 0.5% fast since the process started, and was stepped 90 s on top.
      const base = Date.now() - performance.now();
      vi.spyOn(Date, "now").mockImplementation(() => Math.floor(base + 90_000 + performance.now() * 1.005));
      reanchorClock();
      const { sessions, bus } = setup();
      const watcher = sessions.resolve(undefined, "127.0.0.1").session;
      const client = { ip: "127.0.0.1", port: 40120 };
      const tap = bus.open({ service: "tcp-echo", protocol: "text", client, server });
      tap.data("c2s", new TextEncoder().encode("hello"));
      // tcpdump stamps the packet with the wall clock of the same moment.
      expect(bus.segment({ ...segment(client, "c2s"), wallMs: Date.now() })).toBe(true);
      const [message, carrier] = watcher.ring.after(0, 10).filter((e) => e.kind === "data" || e.kind === "segment");
      expect(carrier!.monoMs - message!.monoMs).toBeGreaterThanOrEqual(-1);
      expect(carrier!.monoMs - message!.monoMs).toBeLessThanOrEqual(0);
      expect(Math.abs(carrier!.wallMs - message!.wallMs)).toBeLessThan(1);
    } finally {
      vi.useRealTimers();
      vi.restoreAllMocks();
      reanchorClock();
    }
  });

  it("forgets a closed conversation once its late segments' window is over, even when a 4-tuple closed again meanwhile", () => {
    let now = 1_000;
    const clock = vi.spyOn(performance, "now").mockImplementation(() => now);
    try {
      const { bus } = setup();
      const [a, b, c] = [40110, 40111, 40112].map((port) => ({ ip: "127.0.0.1", port }));
      const openAndClose = (client: { ip: string; port: number }) => bus.open({ service: "tcp-echo", protocol: "text", client, server }).close();
      openAndClose(a!);
      openAndClose(b!);
      // The system hands a's port out again; that conversation closes 4 s later.
      now = 5_000;
      openAndClose(a!);
      // 6 s after b closed: a close sweeps what is past the window, b included, though a (recent) closed first once.
      now = 7_000;
      openAndClose(c!);
      expect(bus.segment(segment(b!, "c2s"))).toBe(false);
      expect(bus.segment(segment(a!, "c2s"))).toBe(true);
      expect(bus.segment(segment(c!, "c2s"))).toBe(true);
    } finally {
      clock.mockRestore();
    }
  });
});

describe("stream sessions on the bus", () => {
  // A framed protocol: a 1-byte length, then that many bytes.
  const lengthPrefixed: Dissector = {
    id: "lp1",
    name: "Length-prefixed",
    pduLength: (b, offset) => (b.length > offset ? 1 + (b[offset] ?? 0) : "more"),
    dissect(b, ctx) {
      const cur = createCursor(b, "lp1", ctx.tree ?? true);
      cur.bytes(dataFields.data, b.length);
      return [cur.frame(`${b.length} bytes`)];
    },
  };

  it("places a message that spanned reads in the event that completed it, with its bytes: Watch can encode it", () => {
    const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
    const dissectorFor = (id: string) => (id === "lp1" ? lengthPrefixed : textDissector);
    const bus = createBus({ sessions, dissectorFor });
    const s = sessions.resolve(undefined, "10.0.0.9").session;
    const tap = bus.open({ service: "x", protocol: "lp1", client: { ip: "10.0.0.9", port: 1 }, server });
    tap.data("c2s", Uint8Array.of(4, 1, 2)); // the first 3 bytes of a 5-byte message
    tap.data("c2s", Uint8Array.of(3, 4, 1, 9, 5)); // its last 2, a whole message, then one byte of a third
    tap.halfClose("c2s"); // the end of the stream cuts the third short
    const events = s.ring.after(0, 10).map((e) => eventToProto(e, dissectorFor));
    const [, first, second, halfClose] = events;
    expect(first?.frames).toEqual([]);
    expect(second?.frames.map((f) => [f.offset, f.length, f.streamOffset, Array.from(f.reassembled)])).toEqual([
      [0, 5, 0n, [4, 1, 2, 3, 4]],
      [2, 2, 5n, []],
    ]);
    expect(halfClose?.frames.map((f) => [f.offset, f.length, f.streamOffset, Array.from(f.reassembled)])).toEqual([[0, 1, 7n, [5]]]);
    // The reassembled frame's tree covers its own bytes, and every event encodes (a negative offset threw here).
    expect(second?.frames[0]?.fields[0]).toMatchObject({ id: "data.data", offset: 0, length: 5 });
    for (const event of events) expect(toBinary(EventSchema, event).length).toBeGreaterThan(0);
  });

  it("rebuilds a server message the close flushed as the server's, and keeps the session's too_long finding", () => {
    const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
    const directional: Dissector = {
      ...lengthPrefixed,
      dissect: (b, ctx) => lengthPrefixed.dissect(b, ctx).map((f) => ({ ...f, summary: `${ctx.direction} ${f.summary}` })),
    };
    const dissectorFor = (id: string) => (id === "lp1" ? directional : textDissector);
    const bus = createBus({ sessions, dissectorFor, maxPdu: 4 });
    const s = sessions.resolve(undefined, "10.0.0.10").session;
    const tap = bus.open({ service: "x", protocol: "lp1", client: { ip: "10.0.0.10", port: 1 }, server });
    tap.data("s2c", Uint8Array.of(3, 1)); // a server message cut short by the close
    tap.data("c2s", Uint8Array.of(9, 1, 2, 3, 4, 5)); // declares 10 bytes, over the 4 held back
    tap.close();
    const events = s.ring.after(0, 10).map((e) => eventToProto(e, dissectorFor));
    const summaries = events.map((e) => e.frames.map((f) => f.summary));
    expect(summaries).toEqual([[], [], ["c2s 6 bytes"], ["s2c 2 bytes"]]);
    expect(events[2]?.frames[0]?.findings.map((f) => f.code)).toContain("lp1.too_long");
  });
});
