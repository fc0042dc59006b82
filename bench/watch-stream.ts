// Watch stream benchmark (issue 9 items 1 and 2): what a page watching the timeline costs the lab host, and how
// fast a reload over a full ring shows its first screen. In one run, side by side:
//
//   echo with 0, 1 and 10 pages watching   the lab host (bench/watch-host.ts: wire capture off, two sessions at
//                                          127.0.0.1) under ping-pong from bench/load.ts, with 0, 1 or 10 Watch
//                                          streams open (bench/watch-client.ts, a Node Connect client reading the
//                                          stream as the page's store does), the ring filled first. Reported:
//                                          messages per second, the host's CPU per message (/proc/<pid>/stat over
//                                          the load's measured window) and its ratio to 0 pages, and the bytes per
//                                          event on the Watch stream, binary (the Connect protocol's envelope
//                                          included) and as JSON
//   replay of a full ring                  the ring filled by echo traffic, then a page's first screen: Watch with
//                                          latest = 2000 (what the page asks for), first on the host's cold code
//                                          and again on warm code, beside latest = 0 (the whole ring, as before):
//                                          time to the stream's first answer, to the first batch and to
//                                          caught_up, and the slowest /api/status answer meanwhile
//
//   npm run bench:watch
//   npx tsx bench/watch-stream.ts --seconds 3 --rounds 1      quick mode
//
// Goals (issue 9): <= 80 bytes per small echo event; CPU per message with 1 page <= 1.5x none, with 10 <= 3x;
// a reload of a full ring shows its first screen in under 1 s. Printed beside the figures, never an exit code.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { LabService } from "@/gen/lab/v1/lab_pb";
import { positiveOption } from "./options";
import { cpuSeconds, sleep, startChild, stopChild, type LineChild } from "./processes";

const here = path.dirname(fileURLToPath(import.meta.url));

const HELP = `Usage: npx tsx bench/watch-stream.ts [options]

  --seconds <s>        measured window per measurement (default 5)
  --warmup <s>         ping-pong before the first window (default 3)
  --rounds <n>         measurements per page count, interleaved; the median is reported (default 3)
  --warm-rounds <n>    rounds before those, not reported: the host's code for every page count compiled, as in a
                       lab that has run for a while (default 1)
  --connections <n>    ping-pong connections (default 50)
  --pages <a,b,c>      page counts to compare (default 0,1,10)
  --rates <r,r>        one table per rate: pings per second in all, paced, 0 for as fast as the host answers
                       (default 2000,0)
  --latest <n>         the page's first screen, in events (default 2000, as the timeline's store asks)
  --host-node-args=<a> node options for the lab host, e.g. --host-node-args='--cpu-prof --cpu-prof-dir=DIR'
  --help               this text`;

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    warmup: { type: "string", default: "3" },
    rounds: { type: "string", default: "3" },
    "warm-rounds": { type: "string", default: "1" },
    connections: { type: "string", default: "50" },
    pages: { type: "string", default: "0,1,10" },
    latest: { type: "string", default: "2000" },
    rates: { type: "string", default: "2000,0" },
    "host-node-args": { type: "string", default: "" },
    help: { type: "boolean", default: false },
  },
  strict: true,
});
if (opts.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const positive = positiveOption("watch-stream", HELP);
const seconds = positive(opts.seconds!, "--seconds", false);
const warmup = positive(opts.warmup!, "--warmup", false);
const rounds = positive(opts.rounds!, "--rounds", true);
const warmRounds = opts["warm-rounds"] === "0" ? 0 : positive(opts["warm-rounds"]!, "--warm-rounds", true);
const connections = positive(opts.connections!, "--connections", true);
const latest = positive(opts.latest!, "--latest", true);
const rates = opts.rates!.split(",").map((r) => Number(r.trim()));
if (rates.some((r) => !Number.isInteger(r) || r < 0)) {
  process.stderr.write("watch-stream: --rates takes whole numbers of pings per second, 0 for as fast as the host answers\n");
  process.exit(2);
}
const pageCounts = opts.pages!.split(",").map((p) => Number(p.trim()));
if (pageCounts.some((n) => !Number.isInteger(n) || n < 0 || n > 10)) {
  process.stderr.write("watch-stream: --pages takes counts from 0 to 10 (two sessions of 5)\n");
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------
// Processes: every child is stopped on any exit path, by pid

/** A child speaking JSON lines, run with tsx as a loader so that the pid spawned is the one measured. */
const startScript = (script: string, args: string[], name: string, nodeArgs: string[] = []) =>
  startChild(process.execPath, [...nodeArgs, "--import", "tsx", path.join(here, script), ...args], name);
const hostNodeArgs = opts["host-node-args"]!.split(/\s+/).filter(Boolean);

interface Host {
  readonly child: LineChild;
  readonly pid: number;
  readonly web: number;
  readonly echo: number;
  readonly sessions: string[];
}

async function startHost(): Promise<Host> {
  const child = startScript("watch-host.ts", [], "lab host", hostNodeArgs);
  const ready = await child.next((m) => m.ready === true, 120_000, "ready line");
  return { child, pid: Number(ready.pid), web: Number(ready.web), echo: Number(ready.echo), sessions: ready.sessions as string[] };
}

/** Ping-pong for the warm-up and the window; resolves at the window's start and end with the host's CPU then. */
function startLoad(host: Host, windowSeconds: number, rate: number): LineChild {
  return startScript(
    "load.ts",
    ["--port", String(host.echo), "--connections", String(connections), "--welcome", "--warmup-ms", String(warmup * 1000), "--seconds", String(windowSeconds), "--rate", String(rate)],
    "load",
  );
}

async function runLoad(host: Host, windowSeconds: number, onWindow: (edge: "start" | "end") => void | Promise<void>) {
  const load = startLoad(host, windowSeconds, 0);
  await load.next((m) => m.connected !== undefined, 60_000, "connections");
  await load.next((m) => m.window === "start", 60_000, "window start");
  await onWindow("start");
  const end = await load.next((m) => m.window === "end", (windowSeconds + 60) * 1000, "window end");
  await onWindow("end");
  await load.next((m) => m.done === true, 30_000, "done");
  await stopChild(load);
  return { messages: Number(end.messages), seconds: Number(end.seconds) };
}

/**
 * Echo traffic at full speed until the session's ring has dropped events: it then holds as many as it may, as in a
 * lab that has run for a while, and every event pushed from then on makes the store let its oldest go.
 */
async function fillRing(host: Host): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await runLoad(host, 3, () => undefined);
    host.child.send("stats");
    const stats = await host.child.next((m) => m.ring !== undefined, 10_000, "stats");
    if (Number(stats.dropped) > 0) return;
  }
  throw new Error("the ring never filled: echo traffic did not reach its bounds in 10 windows");
}

// ---------------------------------------------------------------------------------------------------
// Echo with pages watching

interface EchoResult {
  readonly pages: number;
  readonly perSecond: number;
  readonly cpuUsPerMessage: number;
  readonly binaryPerEvent: number | undefined;
  readonly jsonPerEvent: number | undefined;
  readonly eventsPerSecond: number | undefined;
  /** Watch responses a second per page: how far coalescing gathers events into batches. */
  readonly batchesPerSecond: number | undefined;
}

/** After pages open, before their window: their first screen is sent and the host's code for it compiled. */
const SETTLE_MS = 2000;

/**
 * Every page count's windows in one host under one load, alternating (0, 1, 10, then 10, 1, 0, ...): the ratios then
 * compare windows a few seconds apart on the same process, its code compiled and its heap grown alike, rather than
 * hosts started afresh, whose CPU per message differed by a third from one start to the next.
 */
async function measureEcho(rate: number, report: (result: EchoResult, round: number) => void): Promise<void> {
  const host = await startHost();
  // Measured windows then all see the same store: full, evicting as it takes events. Filling it during the rounds
  // made the later windows dearer than the earlier (0 pages at 2,000 msg/s: 56, 60, then 84 us/msg).
  await fillRing(host);
  const perWindow = SETTLE_MS / 1000 + seconds + 15;
  const load = startLoad(host, (warmRounds + rounds) * pageCounts.length * perWindow + 60, rate);
  try {
    await load.next((m) => m.connected !== undefined, 60_000, "connections");
    await load.next((m) => m.window === "start", 60_000, "window start");
    // Warm rounds first (negative), then the reported ones.
    for (let round = -warmRounds; round < rounds; round++) {
      for (const pages of (round + warmRounds) % 2 === 0 ? pageCounts : [...pageCounts].reverse()) {
        const client =
          pages > 0
            ? startScript("watch-client.ts", ["--port", String(host.web), "--cookies", host.sessions.join(","), "--streams", String(pages), "--latest", String(latest)], "pages")
            : undefined;
        try {
          if (client) await client.next((m) => m.open !== undefined, 60_000, "open streams");
          await sleep(SETTLE_MS);
          // The host's CPU, the load's answers and the pages' events at each edge of the window.
          const edge = async () => {
            const cpu = cpuSeconds(host.pid);
            const at = performance.now();
            load.send("count");
            const answered = Number((await load.next((m) => m.count !== undefined, 30_000, "count")).count);
            client?.send("count");
            // Ten pages decoding a saturated host's events can take a while to answer.
            const read = client ? await client.next((m) => m.events !== undefined, 60_000, "count") : {};
            return { cpu, at, answered, read };
          };
          if (round < 0) {
            await sleep(seconds * 1000);
            continue;
          }
          const start = await edge();
          await sleep(seconds * 1000);
          const end = await edge();
          const messages = end.answered - start.answered;
          const window = (end.at - start.at) / 1000;
          const events = Number(end.read.events ?? 0) - Number(start.read.events ?? 0);
          const binary = Number(end.read.binary) - Number(start.read.binary);
          report(
            {
              pages,
              perSecond: messages / window,
              cpuUsPerMessage: ((end.cpu - start.cpu) * 1e6) / messages,
              binaryPerEvent: events > 0 ? binary / events : undefined,
              // JSON's size from the sampled responses' ratio to their binary size.
              jsonPerEvent: events > 0 && Number(end.read.binarySampled) > 0 ? (binary / events) * (Number(end.read.jsonSampled) / Number(end.read.binarySampled)) : undefined,
              eventsPerSecond: events > 0 ? events / window / pages : undefined,
              batchesPerSecond: events > 0 ? (Number(end.read.responses) - Number(start.read.responses)) / window / pages : undefined,
            },
            round,
          );
        } finally {
          if (client) {
            await stopChild(client);
            // The host ends the pages' streams once it sees their connections close: the next pages find room.
            await sleep(1000);
          }
        }
      }
    }
    load.send("stop");
    await load.next((m) => m.done === true, 30_000, "done");
  } finally {
    await stopChild(load);
    await stopChild(host.child);
  }
}

// ---------------------------------------------------------------------------------------------------
// Replay of a full ring

interface ReplayResult {
  readonly latest: number;
  /** The host's first Watch (its code not yet compiled by V8, no brief made yet), or a later one. */
  readonly first: boolean;
  readonly ringEvents: number;
  /** The stream's first answer (run id, no events): the request's way in and out. */
  readonly firstAnswerMs: number;
  readonly firstBatchMs: number;
  readonly firstBatchEvents: number;
  readonly caughtUpMs: number;
  readonly events: number;
  readonly slowestStatusMs: number;
}

/** Polls `url` every 20 ms from a worker thread until stopped; resolves with the slowest answer's milliseconds. */
function pollStatus(url: string): { stop(): Promise<number> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
    let polling = true;
    let slowest = 0;
    parentPort.once("message", () => (polling = false));
    (async () => {
      while (polling) {
        const started = performance.now();
        await fetch(workerData).then((r) => r.arrayBuffer());
        slowest = Math.max(slowest, performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
      parentPort.postMessage(slowest);
    })();`,
    { eval: true, workerData: url },
  );
  return {
    stop: () =>
      new Promise<number>((resolve, reject) => {
        worker.once("message", (slowest: number) => void worker.terminate().then(() => resolve(slowest)));
        worker.once("error", reject);
        worker.postMessage("stop");
      }),
  };
}

async function measureReplays(): Promise<ReplayResult[]> {
  const host = await startHost();
  try {
    await fillRing(host);
    host.child.send("stats");
    const ringEvents = Number((await host.child.next((m) => m.ring !== undefined, 10_000, "stats")).ring);
    const lab = createClient(
      LabService,
      createConnectTransport({
        baseUrl: `http://127.0.0.1:${host.web}`,
        httpVersion: "1.1",
        useBinaryFormat: true,
      // The page's transport (connect-web) asks for no compression: neither does this one.
      acceptCompression: [],
        interceptors: [
          (next) => (req) => {
            req.header.set("cookie", `lab_session=${host.sessions[0]}`);
            return next(req);
          },
        ],
      }),
    );
    const results: ReplayResult[] = [];
    // The first reload finds the host's code cold (V8 has compiled none of the replay's path yet) and no brief
    // made; the second, the same screen again, finds both warm: the two side by side show what the first pays.
    for (const [asked, first] of [
      [latest, true],
      [latest, false],
      [0, false],
    ] as const) {
      // /api/status polled all along: the slowest answer shows whether the replay stalls the host. Polled from a
      // thread of its own: this one decodes the stream's batches, and an answer waiting behind 1,000 events' decoding
      // here would be this process's stall, not the host's (the whole ring's replay measured 0.7-1.2 s so).
      const poller = pollStatus(`http://127.0.0.1:${host.web}/api/status`);
      const abort = new AbortController();
      const started = performance.now();
      let firstAnswerMs = -1;
      let firstBatchMs = -1;
      let firstBatchEvents = 0;
      let events = 0;
      let caughtUpMs = -1;
      for await (const response of lab.watch({ afterSeq: 0n, runId: "", latest: asked }, { signal: abort.signal })) {
        if (firstAnswerMs < 0) firstAnswerMs = performance.now() - started;
        const n = response.batch?.events.length ?? 0;
        if (n > 0 && firstBatchMs < 0) {
          firstBatchMs = performance.now() - started;
          firstBatchEvents = n;
        }
        events += n;
        if (response.caughtUp) {
          caughtUpMs = performance.now() - started;
          break;
        }
      }
      abort.abort();
      const slowest = await poller.stop();
      results.push({ latest: asked, first, ringEvents, firstAnswerMs, firstBatchMs, firstBatchEvents, caughtUpMs, events, slowestStatusMs: slowest });
    }
    return results;
  } finally {
    await stopChild(host.child);
  }
}

// ---------------------------------------------------------------------------------------------------
// Run and report

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? "-" : n.toFixed(digits));

const rateName = (rate: number) => (rate > 0 ? `${rate} msg/s` : "as fast as the host answers");
process.stdout.write(
  `watch-stream: ${rounds} round(s) of ${seconds} s after ${warmRounds} warm round(s), ${connections} connections, pages ${pageCounts.join("/")}, latest ${latest}, rates ${rates.map(rateName).join(" and ")}\n`,
);
for (const rate of rates) {
  const byPages = new Map<number, EchoResult[]>();
  process.stdout.write(`\nEcho at ${rateName(rate)}, one host, page counts alternating\n`);
  await measureEcho(rate, (result, round) => {
    byPages.set(result.pages, [...(byPages.get(result.pages) ?? []), result]);
    process.stdout.write(
      `  round ${round + 1}, ${result.pages} page(s): ${fmt(result.perSecond, 0)} msg/s, ${fmt(result.cpuUsPerMessage)} us/msg, ${fmt(result.binaryPerEvent)} B/event\n`,
    );
  });
  // Each round's ratio to the 0-page window beside it, and their spread: how steady the measure was.
  const base = byPages.get(0) ?? [];
  const baseline = median(base.map((r) => r.cpuUsPerMessage));
  process.stdout.write(`pages   msg/s   x none   host CPU us/msg   x none (rounds' spread)   Watch B/event (binary)   (JSON)   events/s per page   batches/s per page\n`);
  for (const pages of pageCounts) {
    const list = byPages.get(pages) ?? [];
    const cpu = median(list.map((r) => r.cpuUsPerMessage));
    const perSecond = median(list.map((r) => r.perSecond));
    const ratios = list.map((r, i) => r.cpuUsPerMessage / (base[i]?.cpuUsPerMessage ?? baseline));
    const spread = ratios.length > 1 ? `${fmt(Math.min(...ratios), 2)}-${fmt(Math.max(...ratios), 2)}` : "-";
    const known = (pick: (r: EchoResult) => number | undefined) => {
      const values = list.flatMap((r) => (pick(r) === undefined ? [] : [pick(r)!]));
      return values.length ? median(values) : undefined;
    };
    process.stdout.write(
      `${String(pages).padStart(5)}  ${fmt(perSecond, 0).padStart(6)}   ${fmt(perSecond / median(base.map((r) => r.perSecond)), 2).padStart(6)}   ${fmt(cpu).padStart(15)}   ${`${fmt(cpu / baseline, 2)} (${spread})`.padStart(23)}   ${fmt(known((r) => r.binaryPerEvent)).padStart(22)}   ${fmt(known((r) => r.jsonPerEvent)).padStart(6)}   ${fmt(known((r) => r.eventsPerSecond), 0).padStart(17)}   ${fmt(known((r) => r.batchesPerSecond), 0).padStart(18)}\n`,
    );
  }
}
process.stdout.write(`goals: <= 80 B/event; CPU per message with 1 page <= 1.5x none, with 10 pages <= 3x none (at a class's steady rate)\n`);

const replays = await measureReplays();
process.stdout.write(`\nReplay of a full ring (${replays[0]?.ringEvents ?? 0} events held)\n`);
process.stdout.write(`asked                 first answer ms   first batch ms (events)   caught up ms   events sent   slowest /api/status ms\n`);
for (const r of replays) {
  const asked = r.latest > 0 ? `latest ${r.latest}${r.first ? ", first" : ", again"}` : "whole ring";
  process.stdout.write(
    `${asked.padEnd(20)}  ${fmt(r.firstAnswerMs, 0).padStart(15)}   ${`${fmt(r.firstBatchMs, 0)} (${r.firstBatchEvents})`.padStart(23)}   ${fmt(r.caughtUpMs, 0).padStart(12)}   ${String(r.events).padStart(11)}   ${fmt(r.slowestStatusMs, 0).padStart(22)}\n`,
  );
}
process.stdout.write(`goal: a reload of a full ring shows its first screen in under 1 s (the first batch of latest ${latest})\n`);
