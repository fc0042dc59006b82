// Browser timeline benchmark (issue 9 items 3 and 5): what the page's timeline store costs in a real browser. A lab
// host on its own ports, Debian's Chromium headless (Playwright) on its TCP lesson, and echo traffic from Node (an
// external client at 127.0.0.1, so it lands on the page's timeline) until the page holds 10k, 50k and 100k events.
// At each size, after a garbage collection:
//
//   heap per event         the page's JS heap and ArrayBuffers (CDP HeapProfiler.collectGarbage, then
//                          Runtime.getHeapUsage: usedSize + backingStorageSize) minus the same before the traffic,
//                          divided by the events the page holds
//   scroll frame p95       requestAnimationFrame intervals while the ladder scrolls: "smooth" moves it 3 rows a
//                          frame, "jump" sets it to a random place every frame (the virtualiser renders a new
//                          screen of rows each time)
//   event-to-screen        an echo written from Node (probe-<n>) until its row is in the ladder's DOM (a
//                          MutationObserver in the page), while the ladder follows the newest events; p50 and p99
//
// With --baseline <dir> the same runs against a second checkout (the previous store: see bench/README.md for how to
// make one from git) on other ports, and the rows are printed side by side, with the goals of issue 9: <= 300 bytes
// per small event, jump scrolling p95 <= 16.7 ms at 100k, event-to-screen p99 < 100 ms at 100k. Never an exit code.
//
//   flock /tmp/bench.lock npm run bench:browser -- --baseline /tmp/protocol-lab-before
//   npx tsx bench/browser-timeline.ts --sizes 2000,10000 --probes 30          quick mode, this checkout only

import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Page } from "@playwright/test";
import fs from "node:fs";
import { positiveOption } from "./options";
import { mainThread, selfTimeByKind, selfTimeByName, type TraceEvent } from "./trace-summary";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

const HELP = `Usage: npx tsx bench/browser-timeline.ts [options]

  --sizes <a,b,c>       events the page holds at each measurement (default 10000,50000,100000)
  --baseline <dir>      a built checkout with the previous store, run beside this one (default: none)
  --probes <n>          echoes timed to the screen at each size (default 100)
  --frames <n>          animation frames per scroll measurement (default 180)
  --connections <n>     echo connections filling the timeline (default 8)
  --offset <n>          port offset of this checkout's lab host; the baseline's is 1000 more (default 12000)
  --capture             keep the host's wire capture on (default off: every event is a small message)
  --chromium <path>     the browser (default /usr/bin/chromium)
  --profile <dir>       also record the jump scroll at each size: a Chromium trace (<dir>/<host>-<events>.trace.json,
                        summarised as the main thread's self time by task) and a CPU profile (.cpuprofile, for
                        bench/profile-summary.ts)
  --help                this text`;

const { values: opts } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,50000,100000" },
    baseline: { type: "string" },
    probes: { type: "string", default: "100" },
    frames: { type: "string", default: "180" },
    connections: { type: "string", default: "8" },
    offset: { type: "string", default: "12000" },
    capture: { type: "boolean", default: false },
    chromium: { type: "string", default: process.env.LAB_CHROMIUM ?? "/usr/bin/chromium" },
    profile: { type: "string" },
    help: { type: "boolean", default: false },
  },
  strict: true,
});
if (opts.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const positive = positiveOption("browser-timeline", HELP);
const probes = positive(opts.probes!, "--probes", true);
const frames = positive(opts.frames!, "--frames", true);
const connections = positive(opts.connections!, "--connections", true);
const offset = positive(opts.offset!, "--offset", true);
const sizes = opts.sizes!.split(",").map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 100) || sizes.some((n, i) => i > 0 && n <= (sizes[i - 1] ?? 0))) {
  process.stderr.write("browser-timeline: --sizes takes growing event counts of 100 or more\n");
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------
// Lab hosts: each in its own process group, stopped by pid on every exit path

const hosts = new Set<ChildProcess>();
function stopHosts() {
  for (const host of hosts) {
    if (host.pid !== undefined && host.exitCode === null && host.signalCode === null) {
      try {
        process.kill(-host.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
  }
}
process.on("exit", stopHosts);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopHosts();
    process.exit(130);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const started = Date.now();
/** Progress on stderr, so that a slow step shows where it is. */
const step = (what: string) => process.stderr.write(`  [${((Date.now() - started) / 1000).toFixed(0)} s] ${what}\n`);

interface Host {
  readonly name: string;
  readonly web: number;
  readonly echo: number;
  stop(): Promise<void>;
}

async function startHost(name: string, dir: string, portOffset: number): Promise<Host> {
  // 50051 plus an offset above 15484 is past 65535: the gRPC port is the system's choice.
  const args = ["tsx", "server/main.ts", `--port-offset=${portOffset}`, "--grpc-port=0"];
  if (!opts.capture) args.push("--capture=off");
  const child = spawn("npx", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], detached: true });
  hosts.add(child);
  let log = "";
  const keep = (chunk: Buffer) => (log = (log + chunk.toString("utf8")).slice(-4000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const web = 3000 + portOffset;
  const until = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name}: the lab host exited (${child.exitCode}):\n${log}`);
    if (Date.now() > until) throw new Error(`${name}: the lab host did not answer on ${web} within 10 min:\n${log}`);
    try {
      const response = await fetch(`http://127.0.0.1:${web}/api/status`);
      if (response.ok) break;
    } catch {
      // Not listening yet (or still building its web app).
    }
    await sleep(500);
  }
  return {
    name,
    web,
    echo: 8888 + portOffset,
    async stop() {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once("exit", resolve)));
      hosts.delete(child);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Traffic: ping-pong from Node, each message and its echo two events on the page's timeline

/** An echo connection: its welcome read, then one message at a time. */
async function echoClient(port: number) {
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let buffered = "";
  let waiting: (() => void) | null = null;
  let want = "";
  socket.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("latin1");
    if (waiting && buffered.includes(want)) {
      buffered = "";
      const done = waiting;
      waiting = null;
      done();
    }
  });
  await new Promise<void>((resolve) => {
    const check = () => (buffered.includes("\n") || buffered.length > 0 ? resolve() : setTimeout(check, 5));
    check();
  });
  buffered = "";
  return {
    /** Writes `text` and waits for its echo. */
    send(text: string): Promise<void> {
      return new Promise((resolve) => {
        want = `ECHO: ${text}`;
        waiting = resolve;
        socket.write(text);
      });
    },
    close() {
      socket.destroy();
    },
  };
}

let sent = 0;

/** Messages (two events each) from `connections` clients until `events` more events were made. */
async function fill(port: number, events: number) {
  const clients = await Promise.all(Array.from({ length: connections }, () => echoClient(port)));
  let left = Math.ceil(events / 2);
  await Promise.all(
    clients.map(async (client) => {
      while (left > 0) {
        left--;
        await client.send(`m${sent++}`);
      }
    }),
  );
  for (const client of clients) client.close();
}

// ---------------------------------------------------------------------------------------------------
// In the page

/** The events the page holds, from the toolbar's counters ("12,345 events · ..."). */
async function eventsShown(page: Page): Promise<number> {
  const text = (await page.getByText(/\d events ·/).first().textContent()) ?? "";
  return Number(/([\d,\s\u00a0\u202f]+) events/.exec(text)?.[1]?.replace(/\D/g, "") ?? 0);
}

/**
 * The page's JS heap and the ArrayBuffers' backing stores (outside the heap: typed arrays' columns live there), in
 * bytes, after garbage collection. Chromium reports the backing stores since 2023 (Runtime.getHeapUsage
 * backingStorageSize); an older one says 0, and the bench says so.
 */
async function heapUsed(page: Page): Promise<{ heap: number; buffers: number }> {
  const cdp = await page.context().newCDPSession(page);
  // Twice: what the first collection frees may hold more through finalisers and weak references.
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const usage = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number; backingStorageSize?: number };
  await cdp.detach();
  return { heap: usage.usedSize, buffers: usage.backingStorageSize ?? 0 };
}

/** The ladder's listbox (the page's English name for it): the display filter's completions are a listbox too. */
const LADDER = '[role="listbox"][aria-label="Events"]';

/** rAF intervals (ms) while `step` moves the ladder every frame. */
async function scrollFrames(page: Page, mode: "smooth" | "jump"): Promise<number[]> {
  return page.evaluate(
    async ({ mode, frames, ladder }) => {
      const list = document.querySelector(ladder);
      const scroller = list?.closest(".overflow-auto") as HTMLElement | null;
      if (!scroller) return [];
      const top = scroller.scrollHeight - scroller.clientHeight;
      // Start a screen up from the bottom: the follower lets go, as when a student scrolls back.
      scroller.scrollTop = Math.max(0, top - 2000);
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      let seed = 12345;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const stamps: number[] = [];
      await new Promise<void>((resolve) => {
        const frame = (now: number) => {
          stamps.push(now);
          if (stamps.length > frames) return resolve();
          if (mode === "smooth") scroller.scrollTop = Math.max(0, scroller.scrollTop - 132);
          else scroller.scrollTop = Math.floor(random() * top);
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
      // Back to the bottom: the ladder follows the newest events again.
      scroller.scrollTop = scroller.scrollHeight;
      return stamps.slice(1).map((t, i) => t - (stamps[i] ?? t));
    },
    { mode, frames, ladder: LADDER },
  );
}

/** Time (ms) from an echo written in Node to its row in the ladder's DOM, `count` times. */
async function eventToScreen(page: Page, port: number, count: number): Promise<number[]> {
  await page.evaluate((ladder) => {
    const scroller = document.querySelector(ladder)?.closest(".overflow-auto") as HTMLElement | null;
    if (scroller) scroller.scrollTop = scroller.scrollHeight;
  }, LADDER);
  await sleep(500);
  const client = await echoClient(port);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const marker = `probe-${sent++}`;
    const seen = page.evaluate(
      ({ marker, ladder }) =>
        new Promise<number>((resolve) => {
          const list = document.querySelector(ladder);
          // At the newest events before each probe, as a reader watching them is. (The ladder's follower can let go
          // of the bottom after a few events, previous store or this one: use-ladder-scroll.ts, not what is measured here.)
          const scroller = list?.closest(".overflow-auto") as HTMLElement | null;
          if (scroller) scroller.scrollTop = scroller.scrollHeight;
          const found = () => list?.querySelector(`[aria-label*="${marker}"]`) !== null;
          if (found()) return resolve(Date.now());
          const observer = new MutationObserver(() => {
            if (!found()) return;
            observer.disconnect();
            resolve(Date.now());
          });
          observer.observe(list ?? document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-label"] });
        }),
      { marker, ladder: LADDER },
    );
    // The observer is in place before the write.
    await sleep(20);
    const start = Date.now();
    // A probe not on screen within 10 s counts as 10 s (and is reported): the figure must not hide it.
    const late = () => sleep(10_000).then(() => NaN);
    const echoed = await Promise.race([client.send(marker).then(() => true), late().then(() => false)]);
    const at = echoed ? await Promise.race([seen, late()]) : NaN;
    if (Number.isNaN(at)) step(`${marker}: ${echoed ? "no row in the ladder" : "no echo"} within 10 s`);
    times.push(Number.isNaN(at) ? 10_000 : at - start);
    await sleep(30);
  }
  client.close();
  return times;
}

/**
 * Another jump scroll like the measured one, recorded: a Chromium trace and a CPU profile into --profile's folder,
 * and the main thread's self time per frame by kind (script, style, layout, paint, gc) and its heaviest task names.
 */
async function profileJump(browser: Browser, page: Page, name: string, events: number) {
  const dir = path.resolve(opts.profile!);
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `${name}-${events}`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await browser.startTracing(page, {
    path: `${base}.trace.json`,
    categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "blink.user_timing"],
  });
  await cdp.send("Profiler.start");
  const intervals = await scrollFrames(page, "jump");
  const { profile } = (await cdp.send("Profiler.stop")) as { profile: unknown };
  await browser.stopTracing();
  await cdp.detach();
  fs.writeFileSync(`${base}.cpuprofile`, JSON.stringify(profile));
  const trace = JSON.parse(fs.readFileSync(`${base}.trace.json`, "utf8")) as { traceEvents: TraceEvent[] };
  const thread = mainThread(trace.traceEvents);
  if (!thread) return step(`${name}: no renderer main thread in the trace`);
  const byName = selfTimeByName(trace.traceEvents, thread);
  const perFrame = (ms: number) => (ms / Math.max(1, intervals.length)).toFixed(2);
  const kinds = [...selfTimeByKind(byName)].sort((a, b) => b[1] - a[1]);
  const names = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12);
  process.stdout.write(
    `  profile ${events} events: jump p95 ${fmt(percentile(intervals, 95), 1)} ms (while recorded); main thread ms per frame by kind: ${kinds.map(([k, ms]) => `${k} ${perFrame(ms)}`).join(", ")}\n` +
      `    heaviest: ${names.map(([n, ms]) => `${n} ${perFrame(ms)}`).join(", ")}\n` +
      `    files: ${base}.trace.json, ${base}.cpuprofile (npx tsx bench/profile-summary.ts <file> --top 30)\n`,
  );
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

interface Measurement {
  readonly events: number;
  /** JS heap and ArrayBuffers together. */
  readonly heapPerEvent: number;
  /** Of which ArrayBuffers. */
  readonly buffersPerEvent: number;
  readonly smoothP95: number;
  readonly jumpP95: number;
  readonly screenP50: number;
  readonly screenP99: number;
}

async function measureHost(browser: Browser, host: Host): Promise<Measurement[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  // tsx (esbuild keepNames) wraps the functions made inside page.evaluate's callbacks in __name(), which the page
  // does not have.
  await context.addInitScript({ content: "globalThis.__name = (f) => f;" });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${host.web}/lessons/tcp`);
  await page.getByText("Connected to the lab", { exact: true }).waitFor({ timeout: 60_000 });
  await sleep(1000);
  const emptyHeap = await heapUsed(page);
  const out: Measurement[] = [];
  for (const size of sizes) {
    const before = await eventsShown(page).catch(() => 0);
    step(`${host.name}: filling from ${before} to ${size} events`);
    await fill(host.echo, size - before);
    step(`${host.name}: sent; waiting for the page`);
    const until = Date.now() + 120_000;
    let held = await eventsShown(page).catch(() => 0);
    while (held < size && Date.now() < until) {
      await sleep(250);
      held = await eventsShown(page).catch(() => held);
    }
    await sleep(1000);
    held = await eventsShown(page);
    const used = await heapUsed(page);
    const heap = used.heap + used.buffers;
    step(`${host.name}: ${held} events held; scrolling`);
    const smooth = await scrollFrames(page, "smooth");
    const jump = await scrollFrames(page, "jump");
    if (opts.profile) await profileJump(browser, page, host.name, held);
    step(`${host.name}: probes`);
    const screen = await eventToScreen(page, host.echo, probes);
    const m: Measurement = {
      events: held,
      heapPerEvent: (heap - emptyHeap.heap - emptyHeap.buffers) / held,
      buffersPerEvent: (used.buffers - emptyHeap.buffers) / held,
      smoothP95: percentile(smooth, 95),
      jumpP95: percentile(jump, 95),
      screenP50: percentile(screen, 50),
      screenP99: percentile(screen, 99),
    };
    process.stdout.write(
      `${host.name.padEnd(9)} ${String(m.events).padStart(7)} events  heap ${fmt(m.heapPerEvent, 0)} B/event (${fmt(m.buffersPerEvent, 0)} in ArrayBuffers; ${fmt(heap / 2 ** 20, 1)} MiB)  smooth p95 ${fmt(m.smoothP95, 1)} ms  jump p95 ${fmt(m.jumpP95, 1)} ms  event-to-screen p50 ${fmt(m.screenP50, 0)} ms p99 ${fmt(m.screenP99, 0)} ms\n`,
    );
    out.push(m);
  }
  await context.close();
  return out;
}

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

// ---------------------------------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: opts.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results = new Map<string, Measurement[]>();
try {
  const runs: [string, string, number][] = [["this", root, offset]];
  if (opts.baseline) runs.push(["previous", path.resolve(opts.baseline), offset + 1000]);
  for (const [name, dir, portOffset] of runs) {
    sent = 0;
    process.stdout.write(`${name}: starting the lab host in ${dir} (port offset ${portOffset}${opts.capture ? "" : ", capture off"})\n`);
    const host = await startHost(name, dir, portOffset);
    try {
      results.set(name, await measureHost(browser, host));
    } finally {
      await host.stop();
    }
  }
} finally {
  await browser.close();
  stopHosts();
}

const GOALS = { heapPerEvent: "<= 300", jumpP95: "<= 16.7 at 100k", screenP99: "< 100 at 100k" };
const rows: [string, keyof Measurement, number, string][] = [
  ["heap per event (B)", "heapPerEvent", 0, GOALS.heapPerEvent],
  ["  of which ArrayBuffers (B)", "buffersPerEvent", 0, ""],
  ["smooth scroll frame p95 (ms)", "smoothP95", 1, ""],
  ["jump scroll frame p95 (ms)", "jumpP95", 1, GOALS.jumpP95],
  ["event-to-screen p50 (ms)", "screenP50", 0, ""],
  ["event-to-screen p99 (ms)", "screenP99", 0, GOALS.screenP99],
];
const mine = results.get("this") ?? [];
const previous = results.get("previous");
process.stdout.write(`\n${"figure".padEnd(30)}${"events".padStart(8)}${"this store".padStart(12)}${previous ? "previous".padStart(12) : ""}  goal (issue 9)\n`);
for (const [label, key, digits, goal] of rows) {
  mine.forEach((m, i) => {
    const before = previous?.[i];
    process.stdout.write(
      `${label.padEnd(30)}${String(m.events).padStart(8)}${fmt(m[key], digits).padStart(12)}${previous ? fmt(before?.[key] ?? NaN, digits).padStart(12) : ""}  ${goal}\n`,
    );
  });
}
