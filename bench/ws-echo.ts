// WebSocket benchmark (issue 12 §6): three servers, in one run, one after another:
//
//   lab tapped   the lab host as `npm start` wires it (capture off): /api/ws/echo/ and /api/ws/chat/<room>/ on
//                the http service's node:http behind the tap's stream, with a session watching 127.0.0.1 (a
//                student's browser on the same machine), so every frame is kept and dissected for its timeline
//   bare ws      a WebSocketServer from the `ws` library doing the same work (JSON in, JSON out): the limit
//   python       bench/python_ws_echo.py on Debian's websockets (asyncio), as a student's server would be
//
// Echo: `clients` sockets (100) each send {"message": "hello"} and wait for the answer, again and again, for
// `seconds`: round trips per second, and the server's CPU time per message (user + system, every thread, from
// /proc/<pid>/stat around the measured run). Fan-out: `fanout` sockets (200) in one chat room; one of them
// keeps `window` messages in flight (it sends the next when one comes back to it): messages delivered per
// second, counted at every socket. Clients use no compression (permessage-deflate off), as do the servers.
// Goal: the lab >= 0.8x bare ws's echo round trips; the Python ratio is reported. Printed, never an exit
// code: a benchmark on a shared 2-core machine is evidence, not a test. The clients run in this process and
// share the machine with the server measured. Run it alone: `flock /tmp/bench.lock npm run bench:ws-echo`.
//
//   npm run bench:ws-echo
//   npx tsx bench/ws-echo.ts --seconds 3 --clients 50
//   npx tsx bench/ws-echo.ts --help
//
// The same file is the Node servers (run with "server lab|bare"), so the pid read is the serving process's.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import WebSocket, { WebSocketServer } from "ws";
import { positiveOption } from "./options";
import { cpuSeconds, startChild, stopChild, type LineChild } from "./processes";

const here = path.dirname(fileURLToPath(import.meta.url));

const LAB_GOAL = 0.8;
/**
 * Clients per source address: the lab serves 32 WebSockets to one address (ws-app.ts), as a class's students
 * each come from their own; the loopback has all of 127/8.
 */
const PER_ADDRESS = 25;
const MAX_ADDRESSES = 40;
const addressOf = (i: number) => `127.0.1.${1 + Math.floor(i / PER_ADDRESS)}`;

const HELP = `Usage: npx tsx bench/ws-echo.ts [options]

  --seconds <s>    measured run per server and test (default 5)
  --warmup <s>     echo run before it, not measured (default 1)
  --clients <n>    echo sockets (default 100)
  --fanout <n>     sockets in the chat room (default 200)
  --window <n>     chat messages the sender keeps in flight (default 8)
  --python <path>  Python interpreter with websockets (default /usr/bin/python3 if it exists, else python3)
  --help           this text`;

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

// ---- role: a Node server ----

async function serve(kind: string): Promise<void> {
  if (kind === "lab") {
    const { parseConfig } = await import("../server/config");
    const { startLabHost } = await import("../server/lab/host");
    const config = parseConfig(
      ["--web-port=0", "--echo-port=0", "--time-port=0", "--greeting-port=0", "--udp-echo-port=0", "--broadcast-port=0", "--multicast-port=0", "--http-port=0", "--grpc-port=0", "--capture=off"],
      {},
    );
    const host = await startLabHost(config);
    // A student's browser at each of the clients' addresses: the traffic is kept for its timelines.
    for (let i = 0; i < MAX_ADDRESSES; i++) host.sessions.resolve(undefined, addressOf(i * PER_ADDRESS));
    emit({ ready: true, port: host.port("http"), pid: process.pid });
  } else if (kind === "bare") {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false, maxPayload: 64 * 1024 });
    const room = new Set<WebSocket>();
    wss.on("connection", (ws, req) => {
      const chat = (req.url ?? "").startsWith("/api/ws/chat/");
      if (chat) room.add(ws);
      ws.on("close", () => room.delete(ws));
      ws.on("message", (data) => {
        const text = JSON.stringify({ message: (JSON.parse(data.toString()) as { message: string }).message });
        if (!chat) return ws.send(text);
        for (const peer of room) peer.send(text);
      });
    });
    await new Promise<void>((r) => wss.once("listening", () => r()));
    emit({ ready: true, port: (wss.address() as { port: number }).port, pid: process.pid });
  } else {
    process.stderr.write(`ws-echo: unknown server kind ${kind}\n`);
    process.exit(2);
  }
  // The benchmark closes stdin when it is done (or dies): then this process ends.
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
}

// ---- the benchmark ----

/** A server as a child that says `{"ready": true, "port": N}`; its pid is the serving process's. */
async function startServer(kind: "lab" | "bare" | "python", python: string): Promise<{ child: LineChild; port: number; pid: number }> {
  const child =
    kind === "python"
      ? startChild(python, [path.join(here, "python_ws_echo.py"), "0"], "python websockets")
      : startChild(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "server", kind], `${kind} server`);
  const ready = await child.next((m) => m.ready === true, 60_000, "ready line");
  return { child, port: Number(ready.port), pid: child.proc.pid! };
}

function connect(port: number, pathname: string, localAddress: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${pathname}`, { perMessageDeflate: false, localAddress });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** Connects `n` sockets, a few at a time, PER_ADDRESS from each source address. */
async function connectMany(port: number, pathname: string, n: number): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  while (out.length < n) {
    const from = out.length;
    out.push(...(await Promise.all(Array.from({ length: Math.min(20, n - from) }, (_, k) => connect(port, pathname, addressOf(from + k))))));
  }
  return out;
}

const closeAll = (sockets: readonly WebSocket[]) => Promise.all(sockets.map((ws) => new Promise<void>((r) => (ws.once("close", () => r()), ws.close()))));

/** Closed-loop echo on every socket for `seconds`: round trips completed. */
async function echoRun(sockets: readonly WebSocket[], seconds: number): Promise<number> {
  let done = 0;
  let running = true;
  const payload = JSON.stringify({ message: "hello" });
  const listeners = sockets.map((ws) => {
    const onMessage = () => {
      done++;
      if (running) ws.send(payload);
    };
    ws.on("message", onMessage);
    ws.send(payload);
    return onMessage;
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  const counted = done;
  // Let the answers in flight arrive before the sockets are reused.
  await new Promise((r) => setTimeout(r, 300));
  sockets.forEach((ws, i) => ws.off("message", listeners[i]!));
  return counted;
}

/** One sender keeps `window` messages in flight to a room of `sockets`: deliveries counted at every socket. */
async function fanoutRun(sockets: readonly WebSocket[], seconds: number, window: number): Promise<number> {
  let delivered = 0;
  let running = true;
  const sender = sockets[0]!;
  const payload = JSON.stringify({ message: "to everyone" });
  const count = () => delivered++;
  for (const ws of sockets) ws.on("message", count);
  const next = () => {
    if (running) sender.send(payload);
  };
  sender.on("message", next);
  for (let i = 0; i < window; i++) sender.send(payload);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  const counted = delivered;
  await new Promise((r) => setTimeout(r, 500));
  for (const ws of sockets) ws.off("message", count);
  sender.off("message", next);
  return counted;
}

interface Result {
  readonly label: string;
  readonly echoPerSecond: number;
  readonly cpuUs: number;
  readonly fanoutPerSecond: number;
}

async function main() {
  const { values, positionals } = parseArgs({
    options: {
      seconds: { type: "string" },
      warmup: { type: "string" },
      clients: { type: "string" },
      fanout: { type: "string" },
      window: { type: "string" },
      python: { type: "string" },
      help: { type: "boolean" },
    },
    allowPositionals: true,
  });
  if (positionals[0] === "server") return serve(positionals[1] ?? "");
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const positive = positiveOption("ws-echo", HELP);
  const seconds = positive(values.seconds ?? "5", "--seconds");
  const warmup = positive(values.warmup ?? "1", "--warmup");
  const clients = positive(values.clients ?? "100", "--clients", true);
  const fanout = positive(values.fanout ?? "200", "--fanout", true);
  if (Math.max(clients, fanout) > PER_ADDRESS * MAX_ADDRESSES) {
    process.stderr.write(`ws-echo: at most ${PER_ADDRESS * MAX_ADDRESSES} sockets\n`);
    process.exit(2);
  }
  const window = positive(values.window ?? "8", "--window", true);
  const python = values.python ?? (fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
  let hasPython = true;
  try {
    execFileSync(python, ["-c", "import websockets"], { stdio: "ignore" });
  } catch {
    hasPython = false;
    process.stderr.write(`ws-echo: ${python} has no websockets module (Debian: apt-get install python3-websockets); Python is left out\n`);
  }
  const load = os.loadavg().map((n) => n.toFixed(2)).join(" ");

  const results: Result[] = [];
  const kinds = [
    ["lab", "lab tapped"],
    ["bare", "bare ws"],
    ...(hasPython ? ([["python", "python websockets"]] as const) : []),
  ] as const;
  for (const [kind, label] of kinds) {
    const server = await startServer(kind, python);
    try {
      const echoSockets = await connectMany(server.port, "/api/ws/echo/", clients);
      await echoRun(echoSockets, warmup);
      const before = cpuSeconds(server.pid);
      const trips = await echoRun(echoSockets, seconds);
      const cpu = (cpuSeconds(server.pid) - before) * 1e6;
      await closeAll(echoSockets);
      const room = await connectMany(server.port, "/api/ws/chat/bench/", fanout);
      const delivered = await fanoutRun(room, seconds, window);
      await closeAll(room);
      // Each round trip is one message in and one out; CPU per message counts the one that came in.
      results.push({ label, echoPerSecond: trips / seconds, cpuUs: trips > 0 ? cpu / trips : 0, fanoutPerSecond: delivered / seconds });
    } finally {
      await stopChild(server.child);
    }
  }

  const byLabel = (label: string) => results.find((r) => r.label === label);
  const lab = byLabel("lab tapped")!;
  const bare = byLabel("bare ws")!;
  const py = byLabel("python websockets");
  const lines = [
    `WebSocket echo {"message": "hello"}, ${clients} sockets, closed loop; chat fan-out to ${fanout} sockets in one room (${window} in flight); ${seconds} s each; load average before: ${load}`,
    "",
    `${"server".padEnd(20)} ${"echo round trips/s".padStart(19)} ${"server CPU µs/msg".padStart(18)} ${"fan-out deliveries/s".padStart(21)}`,
    ...results.map((r) => `${r.label.padEnd(20)} ${r.echoPerSecond.toFixed(0).padStart(19)} ${r.cpuUs.toFixed(1).padStart(18)} ${r.fanoutPerSecond.toFixed(0).padStart(21)}`),
    "",
    `lab / bare ws: ${(lab.echoPerSecond / bare.echoPerSecond).toFixed(2)}x echo round trips/s (goal >= ${LAB_GOAL}x): ${lab.echoPerSecond / bare.echoPerSecond >= LAB_GOAL ? "met" : "NOT met"}; fan-out ${(lab.fanoutPerSecond / bare.fanoutPerSecond).toFixed(2)}x`,
    ...(py ? [`lab / python:  ${(lab.echoPerSecond / py.echoPerSecond).toFixed(2)}x echo round trips/s; fan-out ${(lab.fanoutPerSecond / py.fanoutPerSecond).toFixed(2)}x`] : []),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`ws-echo: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
