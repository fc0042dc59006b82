// One echo server for the TCP echo benchmark, in a process of its own so that the benchmark can read
// its CPU time from /proc/<pid>/stat without counting the load generator or the benchmark itself.
//
//   node --import tsx bench/echo-server.ts <kind> [lab host flags, e.g. --ring-max-events=1000]
//
// kinds:
//   lab-tapped    the lab host as `npm start` wires it (startLabHost: the tapped listener, the capture
//                 bus with the lab's protocol modules, the session store), wire capture off
//                 (--capture=off: see lab-tapped-capture), pages left out, plus
//                 ONE session whose browser address is 127.0.0.1, so every event of the benchmark's
//                 connections is pushed into that session's ring, as when a student watches the
//                 timeline (text conversations are dissected when a reader asks, not at capture).
//   lab-tapped-unwatched
//                 the same host without the session: the tap records every read and the bus finds no
//                 one to deliver it to, so nothing is kept. A diagnostic
//                 kind (not in the default run): the difference to lab-tapped is the cost of keeping.
//   lab-tapped-capture
//                 lab-tapped with wire capture on (--capture=auto, as `npm start` runs it when it may
//                 capture): the host spawns tcpdump on lo for its ports, reads the pcap stream, dissects
//                 every packet (dissectPacket + one TCP analyzer) and joins it to its conversation, so the
//                 session's ring also holds "segment" events. lab-tapped and lab-tapped-unwatched run with
//                 --capture=off, so that they measure the tap alone wherever the benchmark runs (as root,
//                 "auto" would capture).
//   lab-untapped  the same handleEcho on a plain net.Server with the tapped listener's options.
//   bare-node     the smallest Node echo: socket.on("data", d => socket.write(d)); no welcome, no prefix.
//
// Protocol with the parent (line-based, so it needs nothing but pipes):
//   stdout  {"ready":true,"port":N,"pid":N,"capture":{"mode":M,"reason":R}}
//                                                 once listening (port 0 = ephemeral, the pid is ours:
//                                                 a launcher in between would have a pid of its own);
//                                                 capture only for the lab host kinds
//   stdin   "stats"  -> stdout one JSON line      what the capture holds (lab-tapped*) and memory use
//   stdin   "stats full" -> the same, plus the ring's events counted by kind (segments included); it
//                                                 walks the whole ring, so the benchmark asks only at the end
//   stdin   "segments" -> stdout {"segments":{"seen":N,"joined":N}}
//                                                 packets the wire capture delivered so far (lab host kinds;
//                                                 0 without capture), asked at the window's edges
//   stdin   "capture" -> stdout {"capture":{"counts":{...},"kernel":{"received":N,"dropped":N,...}}}
//                                                 the wire capture's own counts (packets read, segments, dropped
//                                                 by its bound, batches) and tcpdump's kernel counts (asked with
//                                                 SIGUSR1); absent without capture
//   The ready line also gives the lab host's web port ("web"), where the benchmark's pages visit and watch.
//   stdin   EOF      -> exit                      the parent went away: never outlive it

import net from "node:net";
import readline from "node:readline";
import { keptClosed, parseConfig, SERVICES } from "@/server/config";
import { createBus } from "@/server/capture/bus";
import type { Ring } from "@/server/capture/ring";
import { createTappedServer } from "@/server/capture/tap";
import { dataDissector } from "@/server/dissect/core/registry";
import { startLabHost, type LabHost } from "@/server/lab/host";
import { tcpEchoService } from "@/server/servers/tcp-echo";
import { createSessionStore } from "@/server/lab/sessions";

const SERVER_KINDS = ["lab-tapped", "lab-tapped-capture", "lab-tapped-unwatched", "lab-untapped", "bare-node"] as const;
type NodeServerKind = (typeof SERVER_KINDS)[number];

interface Running {
  port: number;
  /** The lab host's web port (pages, the control API). */
  web?: number;
  capture?: { mode: string; reason: string };
  stats(full: boolean): Record<string, unknown>;
  /** Packets the wire capture handed to the bus so far, and those joined to a conversation. */
  segments?(): { seen: number; joined: number };
  /** The wire capture's counts and tcpdump's kernel counts. */
  captureCounts?(): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, exclusive: true }, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}

/** Closes the listener and every socket still open, so stop() never waits on a client. */
function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  return () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

async function startLabTapped(watched: boolean, capture: "auto" | "off", hostFlags: string[]): Promise<Running> {
  // Port 0 everywhere (every service the lab serves, UDP and JIM included; the port it keeps closed stays where it is): the benchmark must not collide with a lab
  // that is running on the default ports. The environment is left out so that a LAB_* variable of the shell cannot
  // change what is measured.
  const config = parseConfig([...SERVICES.filter((s) => !keptClosed(s)).map((s) => `--${s.flag}=0`), `--capture=${capture}`, ...hostFlags], {});
  const host: LabHost = await startLabHost(config);
  // The session a browser on this machine would get on its first page load (host.ts does the same
  // resolve() for a request without a cookie). Its address makes it the watcher of every conversation
  // from 127.0.0.1, so the bus dissects each event and pushes it into this ring.
  const session = watched ? host.sessions.resolve(undefined, "127.0.0.1").session : undefined;
  // Counts the packets the wire capture delivers: the segment joiner calls bus.segment once per TCP
  // packet of the lab's ports, so wrapping it costs one increment and changes nothing else.
  const counts = { seen: 0, joined: 0 };
  const segment = host.bus.segment.bind(host.bus);
  host.bus.segment = (record) => {
    counts.seen++;
    const joined = segment(record);
    if (joined) counts.joined++;
    return joined;
  };
  return {
    port: host.port("tcp-echo"),
    web: host.port("web"),
    capture: { mode: host.capture.mode, reason: host.capture.reason },
    segments: () => ({ ...counts }),
    captureCounts: async () => (host.wire ? { counts: host.wire.counts, kernel: await host.wire.kernelCounts() } : undefined),
    stats: (full) => ({
      sessions: host.sessions.size,
      captureMode: host.capture.mode,
      ringEvents: session?.ring.size ?? 0,
      ringBytes: session?.ring.bytes ?? 0,
      ringDropped: session?.ring.dropped ?? 0,
      ringMaxEvents: session?.ring.maxEvents ?? config.ringMaxEvents,
      liveConversations: host.bus.live.size,
      wire: host.wire?.counts,
      ...(full && session ? { ringKinds: countKinds(session.ring) } : {}),
    }),
    stop: () => host.stop(),
  };
}

/** The ring's events by kind (open, data, segment...), read in pages so memory stays bounded. */
function countKinds(ring: Ring): Record<string, number> {
  const counts: Record<string, number> = {};
  let after = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = ring.after(after, 10_000);
    if (page.length === 0) break;
    for (const event of page) counts[event.kind] = (counts[event.kind] ?? 0) + 1;
    after = page[page.length - 1]!.seq;
  }
  return counts;
}

async function startLabUntapped(): Promise<Running> {
  // The lab's echo server as the host runs it (same listener, limits and idle timeout), minus the tap.
  const echo = tcpEchoService;
  const sessions = createSessionStore({ ringMaxEvents: 100, ringMaxBytes: 1 << 20 });
  const server = createTappedServer({
    bus: createBus({ sessions, dissectorFor: () => dataDissector }),
    service: "tcp-echo",
    protocol: echo.protocol,
    handler: echo.handle,
    idleTimeoutMs: echo.idleTimeoutMs,
    tapped: false,
  });
  const stop = closer(server, new Set());
  return { port: await listen(server), stats: () => ({}), stop };
}

async function startBareNode(): Promise<Running> {
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.on("data", (d) => socket.write(d));
    // A reset from a client that went away must not crash the process.
    socket.on("error", () => socket.destroy());
  });
  const stop = closer(server, new Set());
  return { port: await listen(server), stats: () => ({}), stop };
}

function memory(): Record<string, number> {
  const m = process.memoryUsage();
  return { rssMiB: Math.round(m.rss / 2 ** 20), heapUsedMiB: Math.round(m.heapUsed / 2 ** 20) };
}

async function main() {
  const kind = process.argv[2] as NodeServerKind | undefined;
  const hostFlags = process.argv.slice(3);
  if (!kind || !SERVER_KINDS.includes(kind)) {
    process.stderr.write(`usage: echo-server.ts <${SERVER_KINDS.join("|")}> [lab host flags]\n`);
    process.exit(2);
  }
  const running =
    kind === "lab-tapped"
      ? await startLabTapped(true, "off", hostFlags)
      : kind === "lab-tapped-capture"
        ? await startLabTapped(true, "auto", hostFlags)
        : kind === "lab-tapped-unwatched"
          ? await startLabTapped(false, "off", hostFlags)
          : kind === "lab-untapped"
            ? await startLabUntapped()
            : await startBareNode();
  process.stdout.write(`${JSON.stringify({ ready: true, port: running.port, web: running.web, pid: process.pid, capture: running.capture })}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Bounded: exit even if something keeps a handle open.
    setTimeout(() => process.exit(0), 2_000).unref();
    void running.stop().finally(() => process.exit(0));
  };
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const command = line.trim();
    if (command === "capture") {
      void (running.captureCounts?.() ?? Promise.resolve(undefined)).then((capture) =>
        process.stdout.write(`${JSON.stringify({ capture: capture ?? null })}\n`),
      );
    } else if (command === "segments") {
      process.stdout.write(`${JSON.stringify({ segments: running.segments?.() ?? { seen: 0, joined: 0 } })}\n`);
    } else if (command === "stats" || command === "stats full") {
      process.stdout.write(`${JSON.stringify({ stats: { ...running.stats(command === "stats full"), ...memory() } })}\n`);
    }
  });
  lines.on("close", stop);
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main().catch((err) => {
  process.stderr.write(`echo-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
