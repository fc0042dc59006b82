// Measures what events really cost the host, beside what the event store counts for them (store.ts): run in a
// child process with --expose-gc (store-cost.test.ts; also by hand, `node --expose-gc --import tsx
// server/capture/store-cost.child.ts [count]`). For each shape of traffic it records `count` conversations
// through a real capture bus (stream sessions, PDUs and their memos, conversation infos, as the servers' taps make
// them), lets the bus go, and compares the heap and array buffers still used after full collections with the
// store's `allocatedBytes` (its bound applies to `bytes`: the same less the room it has grown for). Then it makes
// every event's brief, as the timeline reader does, and compares what the brief cache holds with what it counts.
// Prints one JSON line: { shapes: [{ shape, events, measured, counted, bounded }], briefs: { events, measured, counted } }.

import { readFileSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import { GetEarlierEventsRequestSchema } from "@/gen/lab/v1/lab_pb";
import { parseConversation, type Turn } from "../dissect/testdata/http1/conversations";
import { dissectorFor } from "../dissect/protocols";
import { createTimelineReader } from "../lab/watch";
import type { Pacer } from "../lab/pacer";
import { createBus, RUN_ID, type SegmentRecord, type SessionSink } from "./bus";
import { createRing } from "./ring";
import type { EventStore } from "./store";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write("store-cost: run with --expose-gc\n");
  process.exit(2);
}

const count = Number(process.argv[2] ?? 2000);

function used(): number {
  for (let i = 0; i < 4; i++) gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const turnsOf = (file: string): readonly Turn[] =>
  parseConversation(readFileSync(new URL(`../dissect/testdata/${file}`, import.meta.url), "utf8")).turns;

/** A TCP packet over IPv4 on loopback ("raw" link type 101): 20 + 20 bytes of headers and `payload` bytes. */
function packet(payload: number, n: number): Uint8Array {
  const p = new Uint8Array(40 + payload);
  p[0] = 0x45;
  p[2] = (40 + payload) >> 8;
  p[3] = (40 + payload) & 0xff;
  p[8] = 64;
  p[9] = 6;
  p.set([127, 0, 0, 1, 127, 0, 0, 1], 12);
  p[20] = n >> 8;
  p[21] = n & 0xff;
  p[22] = 0x22;
  p[23] = 0xb8;
  p[32] = 0x50;
  p[33] = 0x18;
  p[34] = 0xff;
  return p;
}

interface Shape {
  readonly name: string;
  readonly protocol: string;
  readonly transport?: "tcp" | "udp";
  readonly port: number;
  /** Records one conversation through the bus (`n` tells conversations apart). */
  run(bus: ReturnType<typeof createBus>, n: number): void;
}

const client = (n: number) => ({ ip: "127.0.0.1", port: 10_000 + (n % 50_000) });

function conversation(turns: readonly Turn[], protocol: string, port: number, name: string): Shape {
  return {
    name,
    protocol,
    port,
    run(bus, n) {
      const tap = bus.open({ service: name, protocol, client: client(n), server: { ip: "127.0.0.1", port } });
      for (const [direction, bytes] of turns) tap.data(direction, bytes);
      tap.close();
    },
  };
}

const SHAPES: readonly Shape[] = [
  {
    name: "echo",
    protocol: "text",
    port: 8888,
    run(bus, n) {
      const tap = bus.open({ service: "tcp-echo", protocol: "text", client: client(n), server: { ip: "127.0.0.1", port: 8888 } });
      tap.data("c2s", new TextEncoder().encode(`hello ${n}\n`));
      tap.data("s2c", `hello ${n}\n`);
      tap.close();
    },
  },
  {
    name: "udp-echo",
    protocol: "udpecho",
    transport: "udp",
    port: 9999,
    run(bus, n) {
      const tap = bus.open({ service: "udp-echo", transport: "udp", protocol: "udpecho", client: client(n), server: { ip: "127.0.0.1", port: 9999 } });
      tap.data("c2s", new TextEncoder().encode(`ping ${n}`));
      tap.data("s2c", new TextEncoder().encode(`ping ${n}`));
      tap.close("EIDLE", "no datagram for 30 s");
    },
  },
  {
    name: "connect-failed",
    protocol: "text",
    port: 1,
    run(bus, n) {
      const tap = bus.open({
        service: "closed-port",
        protocol: "text",
        client: client(n),
        server: { ip: "127.0.0.1", port: 1 },
        owner: "s",
        // Each error's own text, as a socket's error gives it.
        connectFailed: { code: "ECONNREFUSED", message: `connect ECONNREFUSED 127.0.0.1:${1 + (n % 1000)}` },
      });
      tap.close();
    },
  },
  conversation(turnsOf("http1/seed000-get-users.hex"), "http1", 8080, "http1"),
  conversation(turnsOf("jim/coalesced-two-sends.hex"), "jim", 7777, "jim"),
  conversation(turnsOf("http2/grpc-unary.hex"), "http2", 50051, "grpc"),
  {
    name: "segments",
    protocol: "text",
    port: 8888,
    run(bus, n) {
      const server = { ip: "127.0.0.1", port: 8888 };
      const tap = bus.open({ service: "tcp-echo", protocol: "text", client: client(n), server });
      for (let i = 0; i < 4; i++) {
        const record: SegmentRecord = {
          transport: "tcp",
          client: client(n),
          server,
          direction: i % 2 ? "s2c" : "c2s",
          wallMs: Date.now(),
          packet: packet(i === 0 ? 0 : 12, n),
          linkType: 101,
          analysis: { relativeSeq: 1 + 12 * i, relativeAck: 1, peerBase: 1000, windowScaled: 65535, windowMultiplier: 1, duplicateAck: undefined, findings: [] },
          checksumsMayBeOffloaded: true,
          payloadLength: i === 0 ? 0 : 12,
          streamOffset: 12 * i,
          payloadDigest: -1,
        };
        bus.segment(record);
      }
      tap.close();
    },
  },
];

/** Records `count` conversations of `shape` and returns the store, the bus gone. */
function record(shape: Shape): { store: EventStore; ring: ReturnType<typeof createRing> } {
  const ring = createRing(10_000_000, 2 ** 40);
  const sink: SessionSink = { id: "s", ring };
  const bus = createBus({
    sessions: { get: (id) => (id === "s" ? sink : undefined), byAddress: () => [sink], version: 1 },
    dissectorFor,
    maxEvents: 10_000_000,
    maxBytes: 2 ** 40,
  });
  for (let n = 0; n < count; n++) shape.run(bus, n);
  return { store: bus.store, ring };
}

/** No turns to share: every slice at once. */
const eager: Pacer = { slot: () => Promise.resolve(), waiting: 0, maxPerTurn: Infinity } as unknown as Pacer;

/** Reads the whole ring a page at a time, as a page scrolling back does (the writers' buffers stay a page's size). */
async function readAll(reader: ReturnType<typeof createTimelineReader>, ring: ReturnType<typeof createRing>) {
  let beforeSeq = BigInt(Number.MAX_SAFE_INTEGER);
  for (;;) {
    const page = await reader.earlier(ring, create(GetEarlierEventsRequestSchema, { runId: RUN_ID, beforeSeq, limit: 2000 }));
    const oldest = ring.before(Number(beforeSeq), 2000)[0];
    if (!page.moreBefore || !oldest) return;
    beforeSeq = BigInt(oldest.seq);
  }
}

// Everything loaded, every lazy table made and every scratch buffer grown before the baseline; the first shape twice,
// as the first measure after all that is the collector's as much as the store's.
for (const shape of [...SHAPES, SHAPES[0]!]) await readAll(createTimelineReader(dissectorFor, {}, eager), record(shape).ring);

const shapes: { shape: string; events: number; measured: number; counted: number; bounded: number }[] = [];
let briefs: { events: number; measured: number; counted: number } | undefined;
/** Records one shape; what it recorded is let go when it returns. */
function heldBy(shape: Shape): { measured: number; store: EventStore } {
  const before = used();
  const { store } = record(shape);
  return { measured: used() - before, store };
}

/**
 * Measures one shape twice and keeps the smaller: now and then a collection leaves some of what came before (the
 * first shape measured once came out 40% over), never less than what is held.
 */
async function measure(shape: Shape) {
  const first = heldBy(shape).measured;
  const before = used();
  const held = record(shape);
  const measured = Math.min(first, used() - before);
  shapes.push({ shape: shape.name, events: held.store.size, measured, counted: held.store.allocatedBytes, bounded: held.store.bytes });
  if (shape.name === "http1") {
    // The brief cache, over events whose store is measured already.
    const reader = createTimelineReader(dissectorFor, { briefCacheBytes: 2 ** 40 }, eager);
    const base = used();
    await readAll(reader, held.ring);
    briefs = { events: reader.briefsMade, measured: used() - base, counted: reader.briefBytes };
  }
}
// One measure thrown away: the first after the warm-up has come out inflated by what the warm-up left.
heldBy(SHAPES[0]!);
for (const shape of SHAPES) await measure(shape);
process.stdout.write(`${JSON.stringify({ shapes, briefs })}\n`);
