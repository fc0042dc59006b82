// A lab host in a process of its own, for the attack suite: its memory is the host's alone, and the
// suite reads it between attacks. Started by suite.ts with an IPC channel:
//
//   node --import tsx server/attack/host-child.ts [lab flags...]
//
// LAB_ATTACK_WEB_LIMITS (JSON, optional) lowers the web port's limits. The child says
// { type: "ready", web, echo, udpEcho } once it listens, and answers { type: "memory" } with its RSS (and with
// settle, run with --expose-gc: its heap used after a full collection), peak RSS
// since the last { type: "reset-peak" } and the JavaScript heap's and buffers' shares, { type: "loop" } with the event loop's delay (p50, p99, max ms) since the
// last ask and since the last { type: "loop", since: "start" }, and { type: "session", id } with whether that session
// still exists, and { type: "capture", ids } with its event store's figures and those sessions' timelines
// (what each shows, and its newest event). It stops when its stdin or the IPC channel closes (so it never outlives the suite).

import { readFileSync, writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import v8 from "node:v8";
import { parseConfig } from "../config";
import { startLabHost } from "../lab/host";
import type { WebLimits } from "../lab/web-guard";

type Request = { type: "memory"; settle?: boolean } | { type: "loop"; since?: "start" } | { type: "heap-snapshot"; path: string } | { type: "reset-peak" } | { type: "session"; id: string } | { type: "capture"; ids: string[] };

/** Peak RSS from the kernel (Linux), which sees every allocation; else sampled every 10 ms. */
function createPeakMeter() {
  const kernel = (): number | undefined => {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  };
  let sampled = process.memoryUsage.rss();
  setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss())), 10).unref();
  return {
    peak: () => Math.max(kernel() ?? 0, sampled, process.memoryUsage.rss()),
    reset() {
      sampled = process.memoryUsage.rss();
      try {
        writeFileSync("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
      } catch {
        // not Linux, or not allowed: the sampled peak stands alone
      }
    },
  };
}

async function main() {
  const send = (message: object) => process.send?.(message);
  const limits = JSON.parse(process.env.LAB_ATTACK_WEB_LIMITS ?? "{}") as Partial<WebLimits>;
  const host = await startLabHost(parseConfig(process.argv.slice(2), {}), undefined, { web: limits });
  const meter = createPeakMeter();
  // How long the event loop's turns take: how late a 10 ms timer fires, per interval between two asks, and since
  // the last { since: "start" } (the soak's warm-up end). Nanoseconds in, milliseconds out.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const sinceStart = monitorEventLoopDelay({ resolution: 10 });
  sinceStart.enable();
  // The histogram holds the time between two ticks of the 10 ms timer: its lateness is that less 10 ms.
  const late = (ns: number) => Math.max(0, ns / 1e6 - 10);
  const loopFigures = (h: { percentile(p: number): number; max: number; mean: number; count: number }) => ({
    p50: late(h.percentile(50)),
    p99: late(h.percentile(99)),
    max: late(h.max),
    mean: late(h.mean),
    count: h.count,
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 3_000);
    force.unref();
    void host.stop().then(() => process.exit(0));
  };
  process.stdin.on("end", stop).on("close", stop).resume();
  process.on("disconnect", stop);
  process.on("message", (request: Request) => {
    if (request.type === "memory") {
      const rss = process.memoryUsage.rss();
      const { heapUsed, external, arrayBuffers } = process.memoryUsage();
      // With settle (and --expose-gc): the heap still used after a full collection, what the host holds
      // without the garbage the collector had not come for yet (a leak grows this; garbage only RSS).
      const gc = (globalThis as { gc?: () => void }).gc;
      let liveHeap: number | undefined;
      if (request.settle && gc) {
        gc();
        liveHeap = process.memoryUsage().heapUsed;
      }
      send({ type: "memory", rss, liveHeap, peak: meter.peak(), heapUsed, external, arrayBuffers });
    }
    else if (request.type === "loop") {
      // since "start": both begin again from here (what came before is not counted anywhere).
      if (request.since === "start") {
        sinceStart.reset();
        loop.reset();
      }
      send({ type: "loop", interval: loopFigures(loop), total: loopFigures(sinceStart) });
      loop.reset();
    } else if (request.type === "heap-snapshot") send({ type: "heap-snapshot", path: v8.writeHeapSnapshot(request.path) });
    else if (request.type === "reset-peak") {
      meter.reset();
      send({ type: "reset-peak" });
    } else if (request.type === "session") send({ type: "session", exists: host.sessions.get(request.id) !== undefined });
    else if (request.type === "capture") {
      const { store } = host.bus;
      const rings = request.ids.map((id) => {
        const ring = host.sessions.get(id)?.ring;
        return ring && { events: ring.size, bytes: ring.bytes, newestSeq: ring.before(Infinity, 1)[0]?.seq ?? 0 };
      });
      send({ type: "capture", store: { events: store.size, bytes: store.bytes, allocated: store.allocatedBytes, dropped: store.dropped, maxBytes: store.maxBytes }, rings });
    }
  });
  send({ type: "ready", web: host.port("web"), echo: host.port("tcp-echo"), udpEcho: host.port("udp-echo") });
}

main().catch((err: unknown) => {
  process.stderr.write(`host-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
