// The TCP echo benchmark's load for paired measurements: N connections to each of two servers, and
// ping-pong on one set at a time, in short windows that alternate between the servers (A B, B A, A B,
// ...). A machine's slow drift (another job starting, the CPU's clock) then falls on both sides of each
// pair, so the ratio of a pair is steadier than the ratio of two measurements taken seconds apart.
//
//   node --import tsx bench/alternate-load.ts --ports A,B [--connections 100] [--welcome] [--window-ms 1000] [--pairs 10] [--rate R]
//
// Within a window the load is bench/load.ts's: each connection sends "ping NNN", waits for the answer,
// sends the next; with --rate R, the connections together send at most R pings a second (both servers then
// answer the same number of messages, and their CPU per message compares work alike). Between windows the
// active set stops sending and waits for its answers in flight, so no window gets another's work.
//
// Output, one JSON line each, on stdout (the parent reads the server's CPU when it sees them):
//   {"connected":N,"pid":N}                                   both sets are open
//   {"window":"start","index":i,"server":0|1}                 server 0 is A (--ports' first), 1 is B
//   {"window":"end","index":i,"server":0|1,"messages":N,"seconds":S,"odd":N}
//   {"done":true}

import net from "node:net";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    ports: { type: "string" },
    connections: { type: "string", default: "100" },
    welcome: { type: "boolean", default: false },
    "window-ms": { type: "string", default: "1000" },
    "warmup-ms": { type: "string", default: "500" },
    pairs: { type: "string", default: "10" },
    rate: { type: "string", default: "0" },
  },
  strict: true,
});

const ports = (values.ports ?? "").split(",").map(Number);
const connections = Number(values.connections);
const windowMs = Number(values["window-ms"]);
const warmupMs = Number(values["warmup-ms"]);
const pairs = Number(values.pairs);
const rate = Number(values.rate);
if (ports.length !== 2 || !ports.every((p) => Number.isInteger(p) && p > 0) || !(connections > 0) || !(windowMs > 0) || !(pairs > 0) || !(warmupMs >= 0) || !(rate >= 0)) {
  process.stderr.write("usage: alternate-load.ts --ports A,B [--connections N] [--welcome] [--window-ms N] [--warmup-ms N] [--pairs N] [--rate R]\n");
  process.exit(2);
}

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PINGS = Array.from({ length: 1000 }, (_, i) => Buffer.from(`ping ${String(i).padStart(3, "0")}`));
const expected = (values.welcome ? "ECHO: " : "").length + PINGS[0]!.length;

interface Conn {
  readonly socket: net.Socket;
  n: number;
  inFlight: boolean;
}

/** One server's connections; `running` decides whether an answer is followed by the next ping. */
class LoadSet {
  readonly conns: Conn[] = [];
  running = false;
  /** With --rate: connections whose answer came, waiting for the pacer to give them a turn. */
  private readonly waiting: Conn[] = [];
  private pacer: NodeJS.Timeout | undefined;
  answers = 0;
  odd = 0;
  constructor(readonly port: number) {}

  async open(): Promise<void> {
    // One at a time, as load.ts does: a short accept backlog would otherwise drop SYNs.
    for (let i = 0; i < connections; i++) this.conns.push(await this.connect());
  }

  private connect(): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port: this.port, noDelay: true });
      const conn: Conn = { socket, n: 0, inFlight: false };
      const timer = setTimeout(() => reject(new Error(`no answer from 127.0.0.1:${this.port} within 10 s`)), 10_000);
      const ready = () => {
        clearTimeout(timer);
        socket.off("error", reject);
        socket.on("error", () => {});
        socket.on("data", (chunk: Buffer) => this.answer(conn, chunk));
        resolve(conn);
      };
      socket.once("error", reject);
      if (values.welcome) socket.once("data", ready);
      else socket.once("connect", ready);
    });
  }

  private answer(conn: Conn, chunk: Buffer): void {
    conn.inFlight = false;
    this.answers++;
    if (chunk.length !== expected) this.odd++;
    if (!this.running) return;
    if (rate > 0) this.waiting.push(conn);
    else this.ping(conn);
  }

  private ping(conn: Conn): void {
    conn.n = (conn.n + 1) % PINGS.length;
    conn.inFlight = true;
    conn.socket.write(PINGS[conn.n]!);
  }

  start(): void {
    this.running = true;
    if (rate === 0) {
      for (const conn of this.conns) if (!conn.inFlight) this.ping(conn);
      return;
    }
    for (const conn of this.conns) if (!conn.inFlight) this.waiting.push(conn);
    // Every millisecond, as many waiting connections send as the time allows (load.ts paces the same way): timers
    // fire late by a millisecond or so, so up to ten milliseconds' worth may go at once and the rate holds.
    const t0 = performance.now();
    const burst = Math.max(1, Math.ceil(rate / 100));
    let sent = 0;
    this.pacer = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * rate);
      for (let n = Math.min(due - sent, burst); n > 0 && this.waiting.length > 0; n--) {
        this.ping(this.waiting.shift()!);
        sent++;
      }
    }, 1);
  }

  /** Stops sending and waits (2 s at most) for the answers still on their way. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.pacer);
    this.waiting.length = 0;
    for (let i = 0; i < 200 && this.conns.some((c) => c.inFlight); i++) await sleep(10);
  }

  close(): void {
    for (const conn of this.conns) conn.socket.destroy();
  }
}

async function main() {
  const sets = ports.map((port) => new LoadSet(port));
  for (const set of sets) await set.open();
  emit({ connected: connections * sets.length, pid: process.pid });
  // Warm-up: each server runs once before the first measured window.
  for (const set of sets) {
    set.start();
    await sleep(warmupMs);
    await set.stop();
  }
  for (let index = 0; index < pairs * 2; index++) {
    // A B, B A, A B...: each server goes first in half of the pairs.
    const pair = index >> 1;
    const server = (index + pair) % 2;
    const set = sets[server]!;
    const a0 = set.answers;
    const o0 = set.odd;
    emit({ window: "start", index, server });
    const t0 = performance.now();
    set.start();
    await sleep(windowMs);
    const messages = set.answers - a0;
    const seconds = (performance.now() - t0) / 1000;
    emit({ window: "end", index, server, messages, seconds, odd: set.odd - o0 });
    await set.stop();
  }
  for (const set of sets) set.close();
  emit({ done: true });
  process.exit(0);
}

// The parent closes our stdin when it gives up on us: never outlive it.
process.stdin.on("end", () => process.exit(1));
process.stdin.resume();

void main().catch((err) => {
  process.stderr.write(`alternate-load: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
