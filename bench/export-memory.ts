// What one pcapng export of a long timeline costs the host's memory (issue 8, the soak), beside its peer:
// the same timeline read whole, 10,000 events a batch (what the export did before it streamed from the
// store: every event with a copy of its bytes, then grouped by conversation).
//
//   npx tsx --expose-gc bench/export-memory.ts                 # a timeline of about 100,000 events
//   npx tsx --expose-gc bench/export-memory.ts --events 300000 --write 2000
//
// The timeline is bench-sized export-pcapng.fixture.ts: conversations of every shape, 100 open at once,
// writes of up to --write bytes. Each row is measured twice, in this process:
// - as the host runs it (no forced GC): the time, the longest slice (work between two pieces the host
//   lets other work run between: the longest the echo server and the pages wait), what V8 allocated on its heap (the heap used before
//   each GC less what the previous GC left, from v8.GCProfiler), how much of it survived two scavenges
//   and went to the old generation (old space's growth over the scavenges: garbage there waits for a full
//   GC, and is what made the host's heap grow under exports), the GCs by kind, and the most the
//   ArrayBuffers (payload copies of 64 bytes and more live there, outside the heap) grew;
// - with a full GC after every slice, so the figure is what the export holds: the highest live heap
//   plus ArrayBuffers above what the store alone holds.

import { GCProfiler } from "node:v8";
import { parseArgs } from "node:util";
import { dissectorFor } from "@/server/dissect/protocols";
import { PAUSE, pcapngParts } from "@/server/lab/export-pcapng";
import { buildTimeline } from "@/server/lab/export-pcapng.fixture";
import { positiveOption } from "./options";

const USAGE = "Usage: npx tsx --expose-gc bench/export-memory.ts [--events 100000] [--write 200]";
const { values } = parseArgs({ options: { events: { type: "string", default: "100000" }, write: { type: "string", default: "200" }, help: { type: "boolean" } } });
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const positive = positiveOption("export-memory", USAGE);
const events = positive(values.events, "--events", true);
const maxWrite = positive(values.write, "--write", true);
const gc = globalThis.gc;
if (!gc) {
  process.stderr.write(`export-memory: run it with --expose-gc\n\n${USAGE}\n`);
  process.exit(2);
}

const MiB = 1024 * 1024;
const mib = (n: number) => (n / MiB).toFixed(1);

/** One unit of work at a time, as the host's slices take it; `step` runs between them. */
type Work = (step: () => void) => { bytes: number };

const exportFile: Work = (step) => {
  let bytes = 0;
  const parts = pcapngParts(fixture.ring, dissectorFor, "bench000");
  for (let next = parts.next(); !next.done; next = parts.next()) {
    // The download writes each piece to the socket and forgets it.
    if (next.value !== PAUSE) bytes += next.value.length;
    step();
  }
  return { bytes };
};

const readWhole: Work = (step) => {
  const all = [];
  let cursor = 0;
  for (;;) {
    const batch = fixture.ring.after(cursor, 10_000);
    if (batch.length === 0) break;
    all.push(...batch);
    cursor = batch[batch.length - 1]!.seq;
    step();
  }
  const byConversation = new Map<string, typeof all>();
  for (const e of all) {
    const list = byConversation.get(e.conversation.id);
    if (list) list.push(e);
    else byConversation.set(e.conversation.id, [e]);
  }
  step();
  return { bytes: all.reduce((n, e) => n + e.data.length, 0) };
};

function asTheHostRunsIt(work: Work) {
  gc!();
  const base = process.memoryUsage();
  let arrayBuffersPeak = base.arrayBuffers;
  const profiler = new GCProfiler();
  const started = performance.now();
  let sliceStart = started;
  let longest = 0;
  profiler.start();
  const { bytes } = work(() => {
    const now = performance.now();
    longest = Math.max(longest, now - sliceStart);
    arrayBuffersPeak = Math.max(arrayBuffersPeak, process.memoryUsage().arrayBuffers);
    sliceStart = performance.now();
  });
  const ms = performance.now() - started;
  const end = process.memoryUsage();
  const stats = profiler.stop()?.statistics ?? [];
  let allocated = 0;
  let promoted = 0;
  let used = base.heapUsed;
  const kinds = new Map<string, number>();
  const old = (s: (typeof stats)[number]["beforeGC"]) => s.heapSpaceStatistics.find((x) => x.spaceName === "old_space")?.spaceUsedSize ?? 0;
  for (const s of stats) {
    allocated += Math.max(0, s.beforeGC.heapStatistics.usedHeapSize - used);
    used = s.afterGC.heapStatistics.usedHeapSize;
    if (s.gcType === "Scavenge") promoted += Math.max(0, old(s.afterGC) - old(s.beforeGC));
    kinds.set(s.gcType, (kinds.get(s.gcType) ?? 0) + 1);
  }
  allocated += Math.max(0, end.heapUsed - used);
  return { ms, longest, bytes, allocated, promoted, kinds, arrayBuffers: arrayBuffersPeak - base.arrayBuffers };
}

function held(work: Work) {
  gc!();
  const base = process.memoryUsage();
  let peak = 0;
  work(() => {
    gc!();
    const now = process.memoryUsage();
    peak = Math.max(peak, now.heapUsed + now.arrayBuffers - base.heapUsed - base.arrayBuffers);
  });
  return peak;
}

const conversations = Math.round(events / 8);
const built = performance.now();
const fixture = buildTimeline({ conversations, concurrent: 100, maxWrite, seed: 1 });
gc();
process.stdout.write(
  `Timeline: ${fixture.ring.size} events in ${conversations} conversations (writes up to ${maxWrite} bytes), ${mib(fixture.store.bytes)} MiB in the store, built in ${((performance.now() - built) / 1000).toFixed(1)} s; heap ${mib(process.memoryUsage().heapUsed)} MiB\n\n`,
);

// Once each first, so both are compiled before they are measured.
exportFile(() => {});
readWhole(() => {});

const rows: [string, Work][] = [
  ["pcapng export (pcapngParts)", exportFile],
  ["peer: the timeline read whole", readWhole],
];
const header = ["", "time ms", "longest slice ms", "output MiB", "heap allocated MiB", "to old gen MiB", "scavenges", "full GCs", "ArrayBuffers +MiB", "held MiB"];
const lines = rows.map(([name, work]) => {
  const r = asTheHostRunsIt(work);
  const h = held(work);
  const full = [...r.kinds].filter(([k]) => k !== "Scavenge").reduce((n, [, c]) => n + c, 0);
  return [name, r.ms.toFixed(0), r.longest.toFixed(1), mib(r.bytes), mib(r.allocated), mib(r.promoted), String(r.kinds.get("Scavenge") ?? 0), String(full), mib(r.arrayBuffers), mib(h)];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
for (const l of [header, ...lines]) process.stdout.write(`${l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}\n`);
process.stdout.write(
  "\n(output MiB: the file for the export, the events' payloads for the peer. held MiB: the most live above the store's own, with a full GC after every slice.)\n",
);
