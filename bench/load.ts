// The load generator of the TCP echo benchmark: N connections doing ping-pong, in a process of its
// own so that its CPU is never counted as the server's.
//
//   node --import tsx bench/load.ts --port N [--connections 100] [--welcome] [--warmup-ms 1000] [--seconds 5] [--rate R]
//
// Every connection sends "ping NNN", waits for the answer, sends the next one, and so on: at most one
// message in flight per connection, so one read is one answer (the pings are 8 bytes and Nagle is off
// on both ends; a read of another length is counted as "odd" so a broken assumption shows up).
// Servers that greet (the lab's echo and the Python one) send a welcome first; with --welcome each
// connection reads and discards it before its first ping. The bare Node echo sends none.
// With --rate R the connections together send at most R pings per second (a class's steady traffic rather than
// the most the server can take): a connection whose answer came waits for its turn, paced every millisecond.
//
// Output, one JSON line each, on stdout (the parent reads the server's CPU when it sees them):
//   {"connected":N,"pid":N,"setupMs":N}        all connections are open; ping-pong starts now
//   {"window":"start"}                         warm-up over: the measured window begins
//   {"window":"end","messages":N,"seconds":S,"odd":N,"errors":N}
//   {"done":true}                              connections closed; the process exits
//   {"count":N,"odd":N,"errors":N}             answers so far, on a "count" line on stdin ("stop" ends the window)

import net from "node:net";
import readline from "node:readline";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    connections: { type: "string", default: "100" },
    welcome: { type: "boolean", default: false },
    "warmup-ms": { type: "string", default: "1000" },
    seconds: { type: "string", default: "5" },
    rate: { type: "string", default: "0" },
  },
  strict: true,
});

const port = Number(values.port);
const host = values.host!;
const connections = Number(values.connections);
const warmupMs = Number(values["warmup-ms"]);
const seconds = Number(values.seconds);
const rate = Number(values.rate);
if (!Number.isInteger(port) || port <= 0 || !(connections > 0) || !(warmupMs >= 0) || !(seconds > 0) || !(rate >= 0)) {
  process.stderr.write("usage: load.ts --port N [--connections N] [--welcome] [--warmup-ms N] [--seconds S] [--rate R]\n");
  process.exit(2);
}

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

// Pings are built once: the generator must spend its CPU on sockets, not on formatting strings, so
// that it stays ahead of the server on a 2-core machine.
const PINGS = Array.from({ length: 1000 }, (_, i) => Buffer.from(`ping ${String(i).padStart(3, "0")}`));

let running = false;
let total = 0; // answers received while running, all connections
let odd = 0;
let errors = 0;
const sockets: net.Socket[] = [];

/** Opens one connection and, when the server greets, waits for its welcome. */
function open(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no ${values.welcome ? "welcome" : "connection"} from ${host}:${port} within 10 s`));
    }, 10_000);
    const done = () => {
      clearTimeout(timer);
      socket.off("error", fail);
      socket.on("error", () => {
        errors++;
      });
      resolve(socket);
    };
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    socket.once("error", fail);
    socket.setNoDelay(true);
    if (values.welcome) socket.once("data", done);
    else socket.once("connect", done);
  });
}

/** Sends a connection's next ping now, or (with --rate) when the pacer gives it a turn. */
let send = (socket: net.Socket, ping: Buffer) => void socket.write(ping);

function pingPong(socket: net.Socket, expectedLength: number): void {
  let n = 0;
  socket.on("data", (chunk: Buffer) => {
    if (!running) return;
    total++;
    if (chunk.length !== expectedLength) odd++;
    n = (n + 1) % PINGS.length;
    send(socket, PINGS[n]!);
  });
  send(socket, PINGS[0]!);
}

/** Paces the pings to `rate` a second: every millisecond, as many waiting connections send as the time allows. */
function pace(rate: number): void {
  const waiting: [net.Socket, Buffer][] = [];
  let head = 0;
  const t0 = performance.now();
  let sent = 0;
  // Timers fire late by a millisecond or so: ten milliseconds' worth may go at once, so the rate holds.
  const burst = Math.max(1, Math.ceil(rate / 100));
  send = (socket, ping) => void waiting.push([socket, ping]);
  setInterval(() => {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    // A backlog from a stall is not made up in a burst: at most ten milliseconds' worth over the schedule.
    if (due - sent > burst) sent = due - burst;
    while (sent < due && head < waiting.length) {
      const [socket, ping] = waiting[head++]!;
      if (!socket.destroyed) socket.write(ping);
      sent++;
    }
    if (head > 1024 && head * 2 > waiting.length) {
      waiting.splice(0, head);
      head = 0;
    }
  }, 1).unref();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let stopWindow: (() => void) | undefined;

async function main() {
  const setupStart = performance.now();
  // One connection at a time: a server with a short accept backlog (the Python one's listen(5)) would
  // otherwise drop SYNs and make setup wait for retransmissions. Setup is not measured anyway.
  for (let i = 0; i < connections; i++) sockets.push(await open());
  emit({ connected: sockets.length, pid: process.pid, setupMs: Math.round(performance.now() - setupStart) });

  running = true;
  if (rate > 0) pace(rate);
  // "ECHO: ping NNN" from the lab's and Python's servers, the ping itself from the bare echo.
  const expected = (values.welcome ? "ECHO: " : "").length + PINGS[0]!.length;
  for (const socket of sockets) pingPong(socket, expected);

  await sleep(warmupMs);
  const startCount = total;
  const startOdd = odd;
  const t0 = performance.now();
  emit({ window: "start" });
  await new Promise<void>((resolve) => {
    stopWindow = resolve;
    setTimeout(resolve, seconds * 1000);
  });
  const messages = total - startCount;
  const elapsed = (performance.now() - t0) / 1000;
  emit({ window: "end", messages, seconds: elapsed, odd: odd - startOdd, errors });
  running = false;

  // A clean end (FIN) lets every server close its side the way it normally does; whatever is still
  // open after 2 s is reset.
  const closed = sockets.map((s) => new Promise<void>((r) => (s.destroyed ? r() : s.once("close", () => r()))));
  for (const s of sockets) s.end();
  await Promise.race([Promise.all(closed), sleep(2_000)]);
  for (const s of sockets) s.destroy();
  emit({ done: true });
  process.exit(0);
}

// The parent closes our stdin when it gives up on us: never outlive it. A "count" line asks for the answers so far
// (a parent that measures several windows inside one long one), "stop" ends the window now.
process.stdin.on("end", () => process.exit(1));
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "count") emit({ count: total, odd, errors });
  else if (line === "stop") stopWindow?.();
});

void main().catch((err) => {
  process.stderr.write(`load: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
