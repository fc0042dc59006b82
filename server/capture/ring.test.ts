import { describe, expect, it } from "vitest";
import type { CapturedEvent, ConversationInfo } from "./events";
import { createRing, SLOT_BYTES } from "./ring";

const conversation: ConversationInfo = {
  id: "c1",
  transport: "tcp",
  client: { ip: "127.0.0.1", port: 1 },
  server: { ip: "127.0.0.1", port: 2 },
  service: "tcp-echo",
  protocol: "text",
  origin: "external",
  owner: undefined,
};

function event(seq: number, size = 10, fill = 0): CapturedEvent {
  return {
    seq,
    conversation,
    kind: "data",
    direction: "c2s",
    monoMs: seq,
    wallMs: seq,
    data: new Uint8Array(size).fill(fill),
    pdus: undefined,
    errorCode: "",
    errorMessage: "",
    streamOffset: -1,
    segment: undefined,
  };
}

describe("ring", () => {
  it("drops the oldest events past the event bound and counts them", () => {
    const ring = createRing(100, 1 << 30);
    for (let i = 1; i <= 250; i++) ring.push(event(i));
    expect(ring.size).toBe(100);
    expect(ring.dropped).toBe(150);
    expect(ring.after(0, 1000).map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 151 + i));
  });

  it("drops the oldest events past the byte bound", () => {
    const cost = 1000 + SLOT_BYTES;
    const ring = createRing(1_000_000, cost * 5);
    for (let i = 1; i <= 12; i++) ring.push(event(i, 1000, i));
    expect(ring.size).toBe(5);
    expect(ring.bytes).toBe(cost * 5);
    expect(ring.dropped).toBe(7);
    // The bytes that remain are the newest events' own, across the slab's wrap.
    expect(ring.after(0, 10).map((e) => [e.seq, e.data.length, e.data[0], e.data[999]])).toEqual(
      [8, 9, 10, 11, 12].map((i) => [i, 1000, i, i]),
    );
  });

  it("keeps every event's bytes exact as the slab grows and wraps", () => {
    const ring = createRing(300, 64 * 1024);
    const sizes = Array.from({ length: 2000 }, (_, i) => (i * 37) % 700);
    sizes.forEach((size, i) => ring.push(event(i + 1, size, i % 251)));
    const held = ring.after(0, 1000);
    expect(held.length).toBeGreaterThan(0);
    expect(ring.bytes).toBeLessThanOrEqual(64 * 1024);
    for (const e of held) {
      expect(e.data.length).toBe(sizes[e.seq - 1]);
      expect(e.data.every((b) => b === (e.seq - 1) % 251)).toBe(true);
    }
    expect(held.at(-1)?.seq).toBe(2000);
  });

  it("keeps kinds, directions and error text", () => {
    const ring = createRing(10, 1 << 20);
    ring.push({ ...event(1, 0), kind: "error", direction: "s2c", errorCode: "ECONNRESET", errorMessage: "reset" });
    ring.push({ ...event(2, 3), kind: "half-close", direction: "c2s" });
    const [a, b] = ring.after(0, 10);
    expect([a?.kind, a?.direction, a?.errorCode, a?.errorMessage]).toEqual(["error", "s2c", "ECONNRESET", "reset"]);
    expect([b?.kind, b?.direction, b?.errorCode]).toEqual(["half-close", "c2s", ""]);
  });

  it("reads after a cursor with binary search across the wrap", () => {
    const ring = createRing(2000, 1 << 30);
    // 2501 events with odd seqs into 2000 slots: the oldest 501 go and the buffer wraps.
    for (let i = 1; i <= 5001; i += 2) ring.push(event(i));
    expect(ring.dropped).toBe(501);
    const first = ring.after(0, 1)[0]!;
    expect(ring.after(first.seq, 3).map((e) => e.seq)).toEqual([first.seq + 2, first.seq + 4, first.seq + 6]);
    expect(ring.after(4000, 2).map((e) => e.seq)).toEqual([4001, 4003]);
    expect(ring.after(5001, 10)).toEqual([]);
  });

  it("reads the newest events before a seq, oldest first, across the wrap", () => {
    const ring = createRing(2000, 1 << 30);
    for (let i = 1; i <= 5001; i += 2) ring.push(event(i));
    const oldest = ring.after(0, 1)[0]!.seq;
    // The latest screen, then one page back from its first event, then the page that reaches the oldest.
    expect(ring.before(Infinity, 3).map((e) => e.seq)).toEqual([4997, 4999, 5001]);
    expect(ring.before(4997, 2).map((e) => e.seq)).toEqual([4993, 4995]);
    expect(ring.before(4996, 2).map((e) => e.seq)).toEqual([4993, 4995]);
    expect(ring.before(oldest + 4, 10).map((e) => e.seq)).toEqual([oldest, oldest + 2]);
    expect(ring.before(oldest, 10)).toEqual([]);
    expect(ring.before(Infinity, 0)).toEqual([]);
    expect(ring.before(Infinity, 1_000_000)).toHaveLength(2000);
  });

  it("clears, bumps its generation and wakes waiters", async () => {
    const ring = createRing(10, 1 << 20);
    ring.push(event(1));
    const woke = ring.changed();
    ring.clear();
    await woke;
    expect(ring.size).toBe(0);
    expect(ring.generation).toBe(1);
  });
});

describe("ring with text payloads", () => {
  it("stores strings as their UTF-8 bytes, across the slab's wrap", () => {
    const ring = createRing(1000, 8 * 1024);
    const texts = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `Привет ${i}` : `ECHO: message ${i} ${"x".repeat(i % 50)}`));
    texts.forEach((text, i) => ring.push({ ...event(i + 1, 0), data: text }));
    const held = ring.after(0, 1000);
    expect(held.length).toBeGreaterThan(10);
    expect(held.at(-1)?.seq).toBe(300);
    for (const e of held) expect(new TextDecoder().decode(e.data)).toBe(texts[e.seq - 1]);
    expect(ring.bytes).toBeLessThanOrEqual(8 * 1024);
  });
});
