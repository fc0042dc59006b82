// Text dissector benchmark: how long `dissectText` takes per event, for the chunks the lab's seed servers
// really send. The lab dissects lazily, when a browser reads events (up to 100,000 for one page load), so
// the cost per event is what matters.
//
//   npx tsx bench/dissect-text.ts                  default: each run about 250 ms, median of 7 runs
//   npx tsx bench/dissect-text.ts --n 20000        a fixed number of passes over the mix per run
//   npx tsx bench/dissect-text.ts --help           every option
//
// It runs through tsx, as `npm start` does, so esbuild's keepNames cost (a `__name()` call for every
// function created at run time) is included. Each row is warmed up first, then measured --runs times; the
// median is reported. Like every benchmark here it prints evidence and never fails: a shared 2-core
// machine is too noisy for a threshold.

import { parseArgs } from "node:util";
import { dissectText } from "../server/dissect/text";
import { positiveOption } from "./options";

const HELP = `Usage: npx tsx bench/dissect-text.ts [options]

  --n <count>      passes per measured run (default: calibrated so a run takes about --ms)
  --ms <ms>        target length of one measured run when --n is not given (default 250)
  --runs <count>   measured runs per row; the median is reported (default 7)
  --warmup <ms>    warm-up before each row, not measured (default 300)
  --only <text>    only the rows whose name contains <text> (for profiling one chunk:
                   node --import tsx --cpu-prof bench/dissect-text.ts --only "echo answer")
  --help           this text`;

const { values } = parseArgs({
  options: {
    n: { type: "string" },
    ms: { type: "string", default: "250" },
    runs: { type: "string", default: "7" },
    warmup: { type: "string", default: "300" },
    only: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const positive = positiveOption("dissect-text", HELP);
const fixedN = values.n === undefined ? undefined : positive(values.n, "--n");
const targetMs = positive(values.ms, "--ms");
const runs = positive(values.runs, "--runs");
const warmupMs = positive(values.warmup, "--warmup");

// ---------------------------------------------------------------------------------------------------
// The chunks: what the echo (8888), time (8000) and greeting (8007) servers and their clients send.

const utf8 = (s: string) => new TextEncoder().encode(s);

/** About 1 KiB of log-like text lines, as one recv(1024) returns it: exactly 1024 bytes, the last line cut. */
function kilobyte(): Uint8Array {
  let s = "";
  for (let i = 0; s.length < 1024; i++) s += `${String(i).padStart(4, "0")} INFO request from 127.0.0.1:${54321 + i} served in ${i % 7}.${i % 10} ms\n`;
  return utf8(s.slice(0, 1024));
}

const CHUNKS: readonly { name: string; bytes: Uint8Array }[] = [
  { name: "echo answer", bytes: utf8("ECHO: hello") },
  { name: "welcome", bytes: utf8("Welcome to TCP Server! Your address: ('127.0.0.1', 54321)") },
  { name: "hello LF", bytes: utf8("hello\n") },
  { name: "cyrillic", bytes: utf8("Привет, клиент") },
  { name: "echo time", bytes: utf8("ECHO: time") },
  { name: "server time", bytes: utf8("Server time: 2026-11-21 16:00:00") },
  { name: "latin-1 (invalid)", bytes: Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a]) }, // "café\r\n" in Latin-1
  {
    name: "binary (invalid)",
    bytes: Uint8Array.from([0x00, 0x01, 0xff, 0xfe, 0x41, 0xc3, 0x28, 0x1b, 0x5b, 0x41, 0xe2, 0x82, 0x0a, 0x7f, 0xf0, 0x9f]),
  },
  { name: "1024 bytes", bytes: kilobyte() },
];
for (const c of CHUNKS) if (c.name === "1024 bytes" && c.bytes.length !== 1024) throw new Error("kilobyte(): not 1024 bytes");

// ---------------------------------------------------------------------------------------------------
// Measuring

/** Keeps the results alive, so the work cannot be optimised away. */
let sink = 0;

function pass(chunks: readonly Uint8Array[]): void {
  for (const bytes of chunks) {
    const [frame] = dissectText(bytes, { direction: "s2c" });
    if (frame) sink += frame.summary.length + frame.fields.length + frame.findings.length;
  }
}

/** Wall and CPU milliseconds for n passes. CPU time (user + system, all threads: GC included) is steadier
 * than wall time on a shared machine, where other work takes turns on the cores. */
function timePasses(chunks: readonly Uint8Array[], n: number): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) pass(chunks);
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

interface Row {
  name: string;
  bytes: number;
  events: number;
  usPerEvent: number;
  spread: [number, number];
  cpuUsPerEvent: number;
}

function measure(name: string, chunks: readonly Uint8Array[]): Row {
  // Warm-up: run until warmupMs have passed, which also calibrates the passes per run.
  let passes = 0;
  const w0 = process.hrtime.bigint();
  let elapsed = 0;
  for (let batch = 1; elapsed < warmupMs; batch *= 2) {
    timePasses(chunks, batch);
    passes += batch;
    elapsed = Number(process.hrtime.bigint() - w0) / 1e6;
  }
  const n = fixedN ?? Math.max(1, Math.round((passes * targetMs) / elapsed));
  const perEvent: number[] = [];
  const cpuPerEvent: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = timePasses(chunks, n);
    perEvent.push((t.wall * 1000) / (n * chunks.length));
    cpuPerEvent.push((t.cpu * 1000) / (n * chunks.length));
  }
  return {
    name,
    bytes: chunks.reduce((sum, c) => sum + c.length, 0) / chunks.length,
    events: n * chunks.length,
    usPerEvent: median(perEvent),
    spread: [Math.min(...perEvent), Math.max(...perEvent)],
    cpuUsPerEvent: median(cpuPerEvent),
  };
}

const all = CHUNKS.map((c) => c.bytes);
const small = CHUNKS.filter((c) => c.bytes.length <= 64).map((c) => c.bytes);

console.log(
  `node ${process.version}, ${runs} runs per row, medians reported. µs/event: wall time per dissectText call ` +
    `(events/s from it); CPU µs/event: process CPU time (all threads) per call; min..max: wall, over the runs.`,
);
const selected = (name: string) => values.only === undefined || name.includes(values.only);
const rows: Row[] = [];
for (const c of CHUNKS) if (selected(c.name)) rows.push(measure(c.name, [c.bytes]));
if (selected("mix, small (<= 64 B)")) rows.push(measure("mix, small (<= 64 B)", small));
if (selected("mix, all")) rows.push(measure("mix, all", all));

const header = ["chunk", "bytes", "µs/event", "events/s", "CPU µs/event", "min..max µs", "events/run"];
const table = rows.map((r) => [
  r.name,
  r.bytes.toFixed(r.bytes % 1 ? 1 : 0),
  r.usPerEvent.toFixed(2),
  Math.round(1e6 / r.usPerEvent).toLocaleString("en-US"),
  r.cpuUsPerEvent.toFixed(2),
  `${r.spread[0].toFixed(2)}..${r.spread[1].toFixed(2)}`,
  r.events.toLocaleString("en-US"),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? "").length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
console.log(line(header));
for (const row of table) console.log(line(row));
console.log(`(sink ${sink})`);
