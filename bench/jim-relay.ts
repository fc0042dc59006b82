// JIM benchmark (issue 13 §8): 1,000 clients in 10 rooms, each message sent at a fixed total rate to one
// room and relayed to the room's other 99 members, against three servers in one run:
//
//   lab tapped   the lab's JIM service (hub.ts behind the tap and its bus, the JIM dissector, one session
//                at 127.0.0.1 keeping every event, as when a student watches the timeline); the per-address
//                cap is raised to fit the benchmark's 1,000 clients from one address, every other bound is
//                the default (one frame per write, the next after the previous reached the kernel)
//   bare node    the smallest correct Node JIM relay: the same object splitter, JSON.parse, rooms, and
//                socket.write of JSON.stringify; no tap, no limits, no pacing (the limit here)
//   python       bench/python_jim.py: one thread, non-blocking sockets and a selector, json raw_decode
//
// Reported side by side: messages delivered per second, delivery latency p50/p99 (from the sender's write
// to the addressee's read, one clock: every client lives in the load process), the server's CPU
// microseconds per delivered message (/proc/<pid>/stat over the load's window), sent vs delivered.
// Each server and the load generator run in processes of their own.
//
//   npm run bench:jim
//   npx tsx bench/jim-relay.ts --rate 300 --seconds 10 --clients 1000 --rooms 10
//   npx tsx bench/jim-relay.ts --only lab-tapped,bare-node
//
// Goals (issue): the lab delivers >= 0.7x the bare relay's messages at the same p99, >= 3x Python's, and
// loses none. They are reported, never turned into an exit code: a benchmark on a shared machine is
// evidence, not a test.

import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createJimDecoder } from "@/server/servers/jim/decoder";
import { createJimHub } from "@/server/servers/jim/hub";
import { startJimAlone } from "@/server/servers/jim/jim-service";
import { positiveOption } from "./options";
import { cpuSeconds, startChild, stopChild, type LineChild } from "./processes";

const here = path.dirname(fileURLToPath(import.meta.url));
const KINDS = ["lab-tapped", "bare-node", "python"] as const;
/**
 * Diagnostics, with --only: the lab's hub on a plain net.Server (what the tap and the bus cost, by difference),
 * and the tapped service with no session watching (the tap records, nobody keeps or dissects).
 */
const EXTRA_KINDS = ["lab-untapped", "lab-unwatched"] as const;
type Kind = (typeof KINDS)[number] | (typeof EXTRA_KINDS)[number];
const LABELS: Record<Kind, string> = { "lab-tapped": "lab tapped", "lab-untapped": "lab untapped", "lab-unwatched": "lab unwatched", "bare-node": "bare node relay", python: "python selector" };

const USAGE = `usage: npx tsx bench/jim-relay.ts [--clients N] [--rooms N] [--rate msgs/s] [--seconds N] [--only kinds]
  --clients   connections, default 1000
  --rooms     rooms, the clients spread evenly over them, default 10
  --rate      messages sent per second by all clients together, default 200
  --seconds   how long they send, default 10
  --only      a comma-separated subset of ${KINDS.join(",")}, or the diagnostic ${EXTRA_KINDS.join(",")}`;

const splitter = () => createJimDecoder({ maxObjectBytes: 1 << 20, maxDepth: 64 });

// ---- the servers (child processes) ----

async function serveLab(watched: boolean): Promise<number> {
  const jim = await startJimAlone({ limits: { maxConnectionsPerAddress: 4096 } });
  // The session a browser on this machine gets: it watches every conversation from 127.0.0.1.
  if (watched) jim.sessions.resolve(undefined, "127.0.0.1");
  return jim.port;
}

async function serveUntapped(): Promise<number> {
  const hub = createJimHub({ limits: { maxConnectionsPerAddress: 4096 } });
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => hub.handle(socket));
  return listenLocal(server);
}

function listenLocal(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen({ host: "127.0.0.1", port: 0, backlog: 2048 }, () => resolve((server.address() as net.AddressInfo).port)));
}

async function serveBare(): Promise<number> {
  const rooms = new Map<string, Set<net.Socket>>();
  const names = new Map<string, net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    const decoder = splitter();
    const joined = new Set<string>();
    let name = "";
    const reply = (code: number, alert: string) => socket.write(JSON.stringify({ response: code, time: Date.now() / 1000, alert }));
    socket.on("data", (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind !== "object") continue;
        const obj = JSON.parse(Buffer.from(event.bytes).toString("utf8")) as Record<string, unknown> & { user?: { account_name?: string } };
        if (obj.action === "presence") {
          name = obj.user?.account_name ?? "";
          names.set(name, socket);
          reply(200, "OK");
        } else if (obj.action === "join") {
          const room = String(obj.room);
          if (!rooms.has(room)) rooms.set(room, new Set());
          rooms.get(room)!.add(socket);
          joined.add(room);
          reply(200, "OK");
        } else if (obj.action === "msg") {
          const to = String(obj.to);
          const frame = JSON.stringify({ action: "msg", time: Date.now() / 1000, to, from: name, encoding: "ascii", message: obj.message });
          const targets = to.startsWith("#") ? (rooms.get(to) ?? new Set<net.Socket>()) : new Set([names.get(to)!].filter(Boolean));
          for (const other of targets) if (other !== socket) other.write(frame);
          reply(200, "OK");
        }
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      for (const room of joined) rooms.get(room)?.delete(socket);
      if (names.get(name) === socket) names.delete(name);
    });
  });
  return listenLocal(server);
}

async function serverMain(kind: string): Promise<void> {
  const port = kind.startsWith("lab-") && kind !== "lab-untapped" ? await serveLab(kind === "lab-tapped") : kind === "lab-untapped" ? await serveUntapped() : await serveBare();
  console.log(JSON.stringify({ ready: true, port, pid: process.pid }));
  readline.createInterface({ input: process.stdin }).on("close", () => process.exit(0));
}

// ---- the load generator (a child process) ----

interface LoadResult {
  sent: number;
  acked: number;
  expected: number;
  delivered: number;
  windowSeconds: number;
  p50: number;
  p99: number;
  errors: number;
}

async function loadMain(port: number, clients: number, rooms: number, rate: number, seconds: number): Promise<void> {
  const sockets: net.Socket[] = [];
  const members = new Array<number>(rooms).fill(0);
  const latencies: number[] = [];
  let acked = 0;
  let setupReplies = 0;
  let errors = 0;
  let delivered = 0;
  let onSetup: (() => void) | undefined;
  for (let i = 0; i < clients; i++) {
    const room = i % rooms;
    members[room]!++;
    const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
    const decoder = splitter();
    socket.on("data", (chunk: Buffer) => {
      const now = performance.now();
      for (const event of decoder.push(chunk)) {
        if (event.kind !== "object") continue;
        const obj = JSON.parse(Buffer.from(event.bytes).toString("utf8")) as { response?: number; action?: string; message?: string };
        if (obj.action === "msg") {
          delivered++;
          latencies.push(now - Number(obj.message!.split(":")[1]));
        } else if (obj.response === 200) {
          if (setupReplies < clients * 2) {
            setupReplies++;
            if (setupReplies === clients * 2) onSetup?.();
          } else acked++;
        } else errors++;
      }
    });
    socket.on("error", () => errors++);
    socket.write(JSON.stringify({ action: "presence", time: Date.now() / 1000, user: { account_name: `c${i}` } }));
    socket.write(JSON.stringify({ action: "join", time: Date.now() / 1000, room: `#room${room}` }));
    sockets.push(socket);
    // Connect in slices so the listen backlog is never the bottleneck of the setup.
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise<void>((resolve) => (setupReplies === clients * 2 ? resolve() : (onSetup = resolve)));
  console.log(JSON.stringify({ connected: clients }));
  await new Promise<void>((resolve) => readline.createInterface({ input: process.stdin }).once("line", () => resolve()));

  const started = performance.now();
  const total = Math.round(rate * seconds);
  let sent = 0;
  let expected = 0;
  // Every 10 ms, the messages due by now: a fixed rate however late a tick runs.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (sent < due) {
        const from = (sent * 7919) % clients; // spread the senders over every client and room
        const room = from % rooms;
        expected += members[room]! - 1;
        sockets[from]!.write(JSON.stringify({ action: "msg", time: Date.now() / 1000, to: `#room${room}`, message: `${from}:${performance.now().toFixed(3)}` }));
        sent++;
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  // Drain: until everything expected arrived, or 10 s without progress.
  let last = -1;
  let still = 0;
  while ((delivered < expected || acked < sent) && still < 100) {
    await new Promise((r) => setTimeout(r, 100));
    still = delivered + acked === last ? still + 1 : 0;
    last = delivered + acked;
  }
  const windowSeconds = (performance.now() - started) / 1000 - still * 0.1;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const result: LoadResult = { sent, acked, expected, delivered, windowSeconds, p50: at(0.5), p99: at(0.99), errors };
  console.log(JSON.stringify({ done: result }));
  for (const socket of sockets) socket.destroy();
  process.exit(0);
}

// ---- the benchmark ----

interface Row {
  kind: Kind;
  result: LoadResult;
  cpuUsPerDelivered: number;
}

async function runOne(kind: Kind, options: { clients: number; rooms: number; rate: number; seconds: number }): Promise<Row> {
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const server: LineChild =
    kind === "python"
      ? startChild(python, [path.join(here, "python_jim.py")], "python jim")
      : startChild(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "server", kind], `${kind} server`);
  let load: LineChild | undefined;
  try {
    const ready = await server.next((m) => m.ready === true, 30_000, "ready line");
    const pid = Number(ready.pid);
    const args = [String(ready.port), String(options.clients), String(options.rooms), String(options.rate), String(options.seconds)];
    load = startChild(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "load", ...args], `${kind} load`);
    await load.next((m) => m.connected !== undefined, 60_000, "clients connected");
    const cpu0 = cpuSeconds(pid);
    load.send("go");
    const done = await load.next((m) => m.done !== undefined, (options.seconds + 60) * 1000, "load result");
    const cpu1 = cpuSeconds(pid);
    const result = done.done as LoadResult;
    return { kind, result, cpuUsPerDelivered: ((cpu1 - cpu0) * 1e6) / Math.max(1, result.delivered) };
  } finally {
    if (load) await stopChild(load);
    await stopChild(server);
  }
}

async function benchMain(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: "string", default: "1000" },
      rooms: { type: "string", default: "10" },
      rate: { type: "string", default: "200" },
      seconds: { type: "string", default: "10" },
      only: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const positive = positiveOption("jim-relay", USAGE);
  const options = {
    clients: positive(values.clients, "--clients", true),
    rooms: positive(values.rooms, "--rooms", true),
    rate: positive(values.rate, "--rate"),
    seconds: positive(values.seconds, "--seconds"),
  };
  const kinds = values.only ? (values.only.split(",") as Kind[]) : [...KINDS];
  for (const kind of kinds) {
    if (![...KINDS, ...EXTRA_KINDS].includes(kind)) {
      console.error(`--only: unknown kind "${kind}"\n${USAGE}`);
      process.exit(2);
    }
  }
  console.log(`JIM relay: ${options.clients} clients in ${options.rooms} rooms, ${options.rate} msg/s sent for ${options.seconds} s, each to a room of ${options.clients / options.rooms}`);
  const rows: Row[] = [];
  for (const kind of kinds) {
    const row = await runOne(kind, options);
    rows.push(row);
    console.error(`${LABELS[kind]} done`);
  }
  const pad = (s: string, n: number) => s.padStart(n);
  console.log(`${"server".padEnd(18)}${pad("delivered/s", 13)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}${pad("CPU µs/msg", 12)}${pad("sent", 8)}${pad("expected", 10)}${pad("delivered", 11)}${pad("lost", 7)}${pad("errors", 8)}`);
  for (const { kind, result: r, cpuUsPerDelivered } of rows) {
    console.log(
      `${LABELS[kind].padEnd(18)}${pad((r.delivered / r.windowSeconds).toFixed(0), 13)}${pad(r.p50.toFixed(2), 9)}${pad(r.p99.toFixed(2), 9)}${pad(cpuUsPerDelivered.toFixed(1), 12)}${pad(String(r.sent), 8)}${pad(String(r.expected), 10)}${pad(String(r.delivered), 11)}${pad(String(r.expected - r.delivered), 7)}${pad(String(r.errors), 8)}`,
    );
  }
  const by = (k: Kind) => rows.find((r) => r.kind === k);
  const lab = by("lab-tapped");
  const bare = by("bare-node");
  const py = by("python");
  // At a fixed offered rate the servers that keep up deliver the same messages per second; CPU per
  // delivered message says how far each is from its ceiling (1 / CPU per message is what one core could do).
  if (lab && bare) {
    console.log(
      `lab vs bare relay: CPU per message x${(lab.cpuUsPerDelivered / bare.cpuUsPerDelivered).toFixed(2)} (capacity ${(bare.cpuUsPerDelivered / lab.cpuUsPerDelivered).toFixed(2)}x, goal >= 0.7x), p99 ${lab.result.p99.toFixed(2)} vs ${bare.result.p99.toFixed(2)} ms`,
    );
  }
  if (lab && py) console.log(`lab vs python: capacity ${(py.cpuUsPerDelivered / lab.cpuUsPerDelivered).toFixed(2)}x (goal >= 3x), p99 ${lab.result.p99.toFixed(2)} vs ${py.result.p99.toFixed(2)} ms`);
  for (const row of rows) if (row.result.delivered !== row.result.expected) console.log(`${LABELS[row.kind]}: ${row.result.expected - row.result.delivered} of ${row.result.expected} not delivered`);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "server") await serverMain(rest[0]!);
else if (mode === "load") await loadMain(...(rest.map(Number) as [number, number, number, number, number]));
else await benchMain();
