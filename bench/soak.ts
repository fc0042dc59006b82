// `npm run soak`: the lab under a class's worth of load for ten minutes (issue 8 §3). A lab host in its own
// process (server/attack/host-child.ts, free ports) serves 500 clients that connect, talk and close over
// and over, spread across every lab server that runs (and the port kept closed), while 50 Watch streams
// read seven sessions' timelines as pages do (bench/watch-client.ts) and pcapng exports run in parallel.
// It prints the host's RSS over time, and fails (exit 1) on a crash, a lost message, or RSS growing by
// 10% or more after the warm-up (the median of the measured period's last third against its first third).
//
// The warm-up lasts until the event store is full (its first event dropped) and at least --warmup minutes,
// at most --warmup-max: until then RSS grows with the store by design, which says nothing of a leak. The
// --minutes measured follow it. Beside RSS, each sample shows the heap used right after a full collection
// ("live heap"): what the host holds, without the garbage the collector had not come for yet.
//
//   npm run soak                                     # store full, then 10 minutes, 500 clients, 50 Watch streams
//   npm run soak -- --minutes 1 --warmup 0.25 --capture-max-events 100000   # a quick look
//
// "Lost" is where the protocol promises delivery: an echo message without its echo, a time or greeting
// connection closed without its answer. The closed port is expected to refuse: a connect that succeeds
// there is an error, a refused one is not.

import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { LAB_SERVICES } from "@/server/servers/index";
import { MULTICAST_GROUP } from "@/server/servers/udp-multicast";
import WebSocket from "ws";
import { positiveOption } from "./options";
import { freePort } from "@/server/testing/host";

const USAGE =
  "Usage: npm run soak [-- --minutes 10] [--warmup 2] [--warmup-max 15] [--clients 500] [--watches 50] [--capture-max-mb 128] [--capture-max-events 1000000] [--without-exports] [--without-watches] [--host-node-args='--cpu-prof --cpu-prof-dir=DIR']";
const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    "warmup-max": { type: "string", default: "15" },
    clients: { type: "string", default: "500" },
    watches: { type: "string", default: "50" },
    "capture-max-mb": { type: "string", default: "128" },
    "capture-max-events": { type: "string", default: "1000000" },
    // To tell which part of the load a figure comes from.
    "without-exports": { type: "boolean" },
    "without-watches": { type: "boolean" },
    // A folder: the host's heap written there when the warm-up ends and when the run ends, to compare in
    // Chrome's devtools (Memory, Comparison) when RSS grows. Diagnosis only: writing a snapshot stops the host
    // for seconds and doubles its RSS, so that run's losses and RSS verdict mean nothing.
    "heap-snapshots": { type: "string" },
    // Node flags for the host's process, space-separated: `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its
    // turns go (diagnosis: a profiled host is slower, so that run's figures are not the lab's).
    "host-node-args": { type: "string" },
    help: { type: "boolean" },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const positive = positiveOption("soak", USAGE);
const minutes = positive(values.minutes, "--minutes");
const warmupMinutes = positive(values.warmup, "--warmup");
const warmupMaxMinutes = Math.max(warmupMinutes, positive(values["warmup-max"], "--warmup-max"));
const clientCount = positive(values.clients, "--clients", true);
const watchCount = values["without-watches"] ? 0 : positive(values.watches, "--watches", true);
const captureMaxMb = positive(values["capture-max-mb"], "--capture-max-mb", true);
const captureMaxEvents = positive(values["capture-max-events"], "--capture-max-events", true);

const root = path.resolve(import.meta.dirname, "..");
/** A session holds at most 8 Watch streams. */
const STREAMS_PER_SESSION = 8;
const ANSWER_TIMEOUT_MS = 10_000;

// --- the host -------------------------------------------------------------------------------------------

type Memory = { rss: number; liveHeap?: number; peak: number; heapUsed: number; external: number; arrayBuffers: number };
type LoopFigures = { p50: number; p99: number; max: number; mean: number; count: number };
type Loop = { interval: LoopFigures; total: LoopFigures };
type Capture = { store: { events: number; bytes: number; allocated: number; dropped: number; maxBytes: number } };

const ports: Record<string, number> = { web: await freePort() };
for (const spec of LAB_SERVICES) ports[spec.name] = await freePort();
const flagOf = (name: string) => LAB_SERVICES.find((s) => s.name === name)!.flag;

const host: ChildProcess = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--expose-gc",
    ...(values["host-node-args"]?.split(/\s+/).filter(Boolean) ?? []),
    path.join(root, "server/attack/host-child.ts"),
    `--web-port=${ports.web}`,
    ...LAB_SERVICES.map((spec) => `--${flagOf(spec.name)}=${ports[spec.name]}`),
    "--capture=off",
    `--capture-max-mb=${captureMaxMb}`,
    `--capture-max-events=${captureMaxEvents}`,
  ],
  { cwd: root, stdio: ["pipe", "ignore", "pipe", "ipc"] },
);
const hostLog: string[] = [];
host.stderr!.on("data", (chunk: Buffer) => hostLog.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
let crashed: string | undefined;
let stopping = false;
const waiting = new Map<string, (message: unknown) => void>();
host.on("message", (message: { type: string }) => {
  const resolve = waiting.get(message.type);
  waiting.delete(message.type);
  resolve?.(message);
});
host.on("exit", (code, signal) => {
  if (!stopping) crashed = `exit ${code ?? signal}; last words: ${hostLog.slice(-10).join(" | ")}`;
});
const ask = <T>(request: { readonly type: string; readonly [field: string]: unknown }, answer = request.type) =>
  new Promise<T | undefined>((resolve) => {
    if (!host.connected) return resolve(undefined);
    const timer = setTimeout(() => resolve(undefined), 30_000);
    waiting.set(answer, (m) => {
      clearTimeout(timer);
      resolve(m as T);
    });
    host.send(request);
  });
await new Promise<void>((resolve, reject) => {
  waiting.set("ready", () => resolve());
  host.once("exit", () => reject(new Error(`the host did not start: ${hostLog.join("\n")}`)));
});

// --- sessions and their pages ---------------------------------------------------------------------------

/** A page visit: the session id the host set. */
function visit(): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: ports.web, path: "/lessons/tcp" }, (res) => {
        res.resume();
        const id = /^lab_session=([^;]+)/.exec(res.headers["set-cookie"]?.[0] ?? "")?.[1];
        if (id) resolve(id);
        else reject(new Error(`no session cookie (HTTP ${res.statusCode})`));
      })
      .on("error", reject);
  });
}

const sessionIds: string[] = [];
for (let i = 0; i < Math.max(1, Math.ceil(watchCount / STREAMS_PER_SESSION)); i++) sessionIds.push(await visit());

/** The pages: Watch streams in a process of their own; `events()` is what they read so far. */
async function startWatchers(): Promise<{ events(): Promise<number>; stop(): void }> {
  if (watchCount === 0) return { events: async () => 0, stop() {} };
  const watcher = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "bench/watch-client.ts"),
      "--port",
      String(ports.web),
      // With "=": a session id may begin with "-", which parseArgs would take for an option.
      `--cookies=${sessionIds.join(",")}`,
      "--streams",
      String(watchCount),
      "--per-session",
      String(STREAMS_PER_SESSION),
      "--count-only",
    ],
    { cwd: root, stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = readline.createInterface({ input: watcher.stdout! });
  let answer: ((line: string) => void) | undefined;
  await new Promise<void>((resolve) => {
    lines.on("line", (line) => {
      if (line.startsWith('{"open"')) resolve();
      else answer?.(line);
    });
  });
  return {
    events: () =>
      new Promise<number>((resolve) => {
        const timer = setTimeout(() => resolve(Number.NaN), 10_000);
        answer = (line) => {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { events: number }).events);
        };
        watcher.stdin!.write("count\n");
      }),
    stop: () => watcher.stdin!.end(),
  };
}
const watchers = await startWatchers();

// --- the churning clients -------------------------------------------------------------------------------

const counts = {
  connections: 0,
  messages: 0,
  answered: 0,
  lost: 0,
  refused: 0,
  errors: 0,
  exports: 0,
  exportBytes: 0,
  exportsBusy: 0,
  exportErrors: 0,
  datagrams: 0,
  datagramsAnswered: 0,
  datagramsUnanswered: 0,
};
const errorKinds = new Map<string, number>();
function error(kind: string) {
  counts.errors++;
  errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
}

/** The lab server listening on this port, to name it in an error's kind. */
const serviceAt = (port: number) => Object.keys(ports).find((name) => ports[name] === port) ?? String(port);

/** Reads from a socket until `done(text)` holds, the peer closes, or the timeout: the text read. */
function conversation(port: number, script: (socket: net.Socket, read: (done: (text: string) => boolean) => Promise<string | undefined>) => Promise<void>) {
  return new Promise<void>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let text = "";
    let check: (() => void) | undefined;
    let closed = false;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
      check?.();
    });
    socket.on("close", () => {
      closed = true;
      check?.();
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNREFUSED" && port === ports["closed-port"]) counts.refused++;
      else if (!closed) error(`${serviceAt(port)} ${err.code ?? err.message}`);
      resolve();
    });
    const read = (done: (t: string) => boolean) =>
      new Promise<string | undefined>((answer) => {
        const timer = setTimeout(() => finish(undefined), ANSWER_TIMEOUT_MS);
        function finish(value: string | undefined) {
          clearTimeout(timer);
          check = undefined;
          answer(value);
        }
        check = () => {
          if (done(text)) {
            const got = text;
            text = "";
            finish(got);
          } else if (closed) finish(undefined);
        };
        check();
      });
    socket.once("connect", () => {
      counts.connections++;
      void script(socket, read).finally(() => {
        socket.destroy();
        resolve();
      });
    });
  });
}

/**
 * A UDP client's round: a socket of its own on the worker's loopback address (127.0.1.x, two workers each, so
 * the per-source rate limit and flow bound see a class of students rather than one flooding address), the
 * datagrams sent, and those that expect an answer waited for up to 2 s. UDP promises no delivery: an echo
 * without its answer is counted, not called lost.
 */
function datagrams(worker: number, run: (socket: dgram.Socket, answer: (text: string) => Promise<boolean>) => Promise<void>) {
  return new Promise<void>((resolve) => {
    const socket = dgram.createSocket("udp4");
    const waiting = new Map<string, () => void>();
    socket.on("message", (m) => waiting.get(m.toString("utf8"))?.());
    socket.on("error", (err: NodeJS.ErrnoException) => error(`udp ${err.code ?? err.message}`));
    socket.bind(0, `127.0.1.${1 + (worker % 250)}`, () => {
      const answer = (text: string) =>
        new Promise<boolean>((done) => {
          const timer = setTimeout(() => done(false), 2_000);
          waiting.set(text, () => {
            clearTimeout(timer);
            waiting.delete(text);
            done(true);
          });
        });
      void run(socket, answer).finally(() => {
        socket.close();
        resolve();
      });
    });
  });
}

const send = (socket: dgram.Socket, text: string, port: number, address = "127.0.0.1") =>
  new Promise<void>((resolve) => {
    counts.datagrams++;
    socket.send(text, port, address, () => resolve());
  });

/** One HTTP request on a connection of its own: a 200 with a JSON body is its answer. */
function httpGet(port: number, path: string) {
  return new Promise<void>((resolve) => {
    counts.messages++;
    const seen = { connected: false, bytes: 0, headers: false };
    const req = http.get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      seen.headers = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        counts.connections++;
        if (res.statusCode === 200 && body.startsWith("{")) counts.answered++;
        else {
          counts.lost++;
          error(`http ${res.statusCode} for ${path}`);
        }
        resolve();
      });
      res.on("error", () => {
        counts.lost++;
        resolve();
      });
    });
    // What a request that times out got, to tell a server that never accepted it from one that stalled.
    req.on("socket", (socket: net.Socket) => {
      socket.once("connect", () => (seen.connected = true));
      socket.on("data", (chunk: Buffer) => (seen.bytes += chunk.length));
    });
    req.setTimeout(ANSWER_TIMEOUT_MS, () => {
      const state = !seen.connected ? "not connected" : seen.headers ? "headers read, body cut" : seen.bytes > 0 ? "bytes read, no headers" : "connected, no bytes";
      req.destroy(new Error(`timeout (${state})`));
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      counts.lost++;
      error(`http ${err.code ?? err.message}`);
      resolve();
    });
  });
}

/** A WebSocket on the http service's echo endpoint: each text sent comes back as it went. */
function webSocketEcho(port: number, worker: number, round: number) {
  return new Promise<void>((resolve) => {
    // From the worker's own loopback address, as UDP's rounds: the lab caps open WebSockets per address (a
    // class is many students, not 500 sockets of one).
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/ws/echo/`, { localAddress: `127.0.1.${1 + (worker % 250)}` });
    const expected: string[] = [];
    let settled = false;
    const finish = (lost: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      counts.lost += lost;
      socket.terminate();
      resolve();
    };
    let opened = false;
    let sent = 0;
    const timer = setTimeout(() => {
      // What a round that timed out got, to tell a handshake never answered from echoes that did not come.
      error(opened ? `websocket timeout (open, ${sent - expected.length} of ${sent} echoed)` : "websocket timeout (no handshake answer)");
      finish(opened ? expected.length : Math.max(1, expected.length));
    }, ANSWER_TIMEOUT_MS);
    socket.on("open", () => {
      opened = true;
      counts.connections++;
      for (let i = 0; i < 1 + ((worker + round) % 3); i++) {
        const text = JSON.stringify({ message: `w${worker} r${round} m${i}` });
        counts.messages++;
        expected.push(text);
        sent++;
        socket.send(text);
      }
    });
    socket.on("message", (data) => {
      if (data.toString() !== expected[0]) return void error("websocket answer out of order");
      expected.shift();
      counts.answered++;
      if (expected.length === 0) {
        socket.close(1000);
        finish(0);
      }
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      error(`websocket ${err.code ?? err.message}`);
      finish(expected.length || 1);
    });
  });
}

/**
 * Seed 000's unary GetUser(1) on a connection of its own, as a grpcio client that runs once: the HTTP/2
 * preface, one call (a 5-byte envelope around the protobuf `user_id: 1`), then GOAWAY. Its answer is
 * grpc-status 0 in the trailers and Alice in the message.
 */
function grpcGetUser(port: number) {
  return new Promise<void>((resolve) => {
    counts.messages++;
    const session = http2.connect(`http://127.0.0.1:${port}`);
    let settled = false;
    const finish = (answered: boolean, why?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (answered) counts.answered++;
      else {
        counts.lost++;
        error(`grpc ${why}`);
      }
      session.close();
      resolve();
    };
    const timer = setTimeout(() => {
      session.destroy();
      finish(false, "timeout");
    }, ANSWER_TIMEOUT_MS);
    session.on("error", (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
    session.once("connect", () => counts.connections++);
    const call = session.request({
      ":method": "POST",
      ":path": "/user_service.UserService/GetUser",
      "content-type": "application/grpc",
      te: "trailers",
    });
    const body: Buffer[] = [];
    call.on("data", (chunk: Buffer) => body.push(chunk));
    call.on("trailers", (trailers) => {
      const status = trailers["grpc-status"];
      const message = Buffer.concat(body);
      finish(status === "0" && message.includes("Alice"), `status ${String(status)}`);
    });
    call.on("close", () => finish(false, "closed without trailers"));
    call.on("error", (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
    call.end(Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01]));
  });
}

/** A JIM reply with this code, as seed 002's server writes it. */
const jimReply = (code: number) => (text: string) => new RegExp(`"response":\\s*${code}\\b`).test(text);
const jimObject = (fields: Record<string, unknown>) => JSON.stringify({ ...fields, time: Date.now() / 1000 });

const EXCHANGES: Record<string, (port: number, worker: number, round: number) => Promise<void>> = {
  http: (port, worker, round) =>
    (worker + round) % 3 === 2 ? webSocketEcho(port, worker, round) : httpGet(port, (worker + round) % 3 === 0 ? "/api/users/1" : "/api/health"),
  grpc: (port) => grpcGetUser(port),
  // Seed 002's homework client: presence, a room joined and written to, quit. Every message gets its reply.
  jim: (port, worker, round) =>
    conversation(port, async (socket, read) => {
      const name = `soak${worker}r${round}`;
      const room = `#soak${worker % 10}`;
      const steps: [Record<string, unknown>, number][] = [
        [{ action: "presence", type: "status", user: { account_name: name, status: "here" } }, 200],
        [{ action: "join", room }, 200],
        [{ action: "msg", to: room, from: name, encoding: "ascii", message: `round ${round}` }, 200],
      ];
      for (const [fields, code] of steps) {
        counts.messages++;
        socket.write(jimObject(fields));
        // Room traffic from other workers may come first: wait for this step's own reply.
        if ((await read((t) => jimReply(code)(t))) === undefined) return void counts.lost++;
        counts.answered++;
      }
      socket.write(jimObject({ action: "quit" }));
    }),
  "udp-echo": (port, worker, round) =>
    datagrams(worker, async (socket, answer) => {
      for (let i = 0; i < 1 + ((worker + round) % 3); i++) {
        const message = `w${worker} r${round} d${i}`;
        const answered = answer(`UDP-ECHO: ${message}`);
        await send(socket, message, port);
        if (await answered) counts.datagramsAnswered++;
        else counts.datagramsUnanswered++;
      }
    }),
  "udp-broadcast": (port, worker, round) => datagrams(worker, (socket) => send(socket, `w${worker} r${round} hello, everyone`, port)),
  "udp-multicast": (port, worker, round) =>
    datagrams(worker, async (socket) => {
      socket.setMulticastTTL(1);
      socket.setMulticastInterface("127.0.0.1");
      await send(socket, `w${worker} r${round} hello, group`, port, MULTICAST_GROUP);
    }),
  "tcp-echo": (port, worker, round) =>
    conversation(port, async (socket, read) => {
      if ((await read((t) => t.startsWith("Welcome to TCP Server!"))) === undefined) return void counts.lost++;
      for (let i = 0; i < 1 + ((worker + round) % 5); i++) {
        const message = `w${worker} r${round} m${i}`;
        counts.messages++;
        socket.write(message);
        if ((await read((t) => t.includes(`ECHO: ${message}`))) === undefined) counts.lost++;
        else counts.answered++;
      }
      counts.messages++;
      socket.write("exit");
      if ((await read((t) => t.includes("Goodbye!"))) === undefined) counts.lost++;
      else counts.answered++;
    }),
  time: (port) =>
    conversation(port, async (_socket, read) => {
      counts.messages++;
      if ((await read((t) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\n$/.test(t))) === undefined) counts.lost++;
      else counts.answered++;
    }),
  greeting: (port, worker) =>
    conversation(port, async (socket, read) => {
      counts.messages++;
      socket.write(`student ${worker}`);
      if ((await read((t) => t === "Привет, клиент")) === undefined) counts.lost++;
      else counts.answered++;
    }),
  "closed-port": (port) =>
    conversation(port, async () => {
      error("closed port accepted a connection");
    }),
};

const servers = LAB_SERVICES.map((spec) => spec.name).filter((name) => name in EXCHANGES);
const missing = LAB_SERVICES.map((spec) => spec.name).filter((name) => !(name in EXCHANGES));
if (missing.length > 0) {
  process.stderr.write(`soak: no exchange for the lab servers ${missing.join(", ")}: add one to EXCHANGES\n`);
  process.exit(2);
}
const started = performance.now();
/** When the warm-up ended (performance.now()), and the run's end: --minutes after it. */
let warmEnd: number | undefined;
let deadline = started + (warmupMaxMinutes + minutes) * 60_000;

async function churn(worker: number) {
  for (let round = 0; performance.now() < deadline && !crashed; round++) {
    const name = servers[(worker + round) % servers.length]!;
    await EXCHANGES[name]!(ports[name]!, worker, round);
    // A student's program between two runs: a short pause, so the 500 are clients, not a flood.
    await new Promise((resolve) => setTimeout(resolve, 20 + ((worker * 7 + round * 13) % 80)));
  }
}

function download(sessionId: string): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: "127.0.0.1", port: ports.web, path: "/api/sessions/current/capture.pcapng", headers: { cookie: `lab_session=${sessionId}` } },
      (res) => {
        if (res.statusCode === 429) counts.exportsBusy++;
        else if (res.statusCode !== 200) counts.exportErrors++;
        res.on("data", (chunk: Buffer) => (counts.exportBytes += chunk.length));
        res.on("end", () => {
          if (res.statusCode === 200) counts.exports++;
          resolve();
        });
        res.on("error", () => {
          counts.exportErrors++;
          resolve();
        });
      },
    );
    req.on("error", () => {
      counts.exportErrors++;
      resolve();
    });
  });
}

async function exports() {
  if (values["without-exports"]) return;
  for (let round = 0; performance.now() < deadline && !crashed; round++) {
    await Promise.all([download(sessionIds[round % sessionIds.length]!), download(sessionIds[(round + 1) % sessionIds.length]!)]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
}

// --- accept queues ---------------------------------------------------------------------------------------

/**
 * Connections the kernel has completed that the host has not accepted yet, per lab server (Linux: a LISTEN
 * socket's rx_queue in /proc/net/tcp is its accept backlog). A client waiting there is "connected, no bytes":
 * libuv accepts one connection per listener per turn of the event loop, so a host whose turns are long
 * answers late however fast each answer is. The largest seen, read each second.
 */
const acceptQueueMax = new Map<string, number>();
function readAcceptQueues() {
  let table: string;
  try {
    table = readFileSync("/proc/net/tcp", "utf8");
  } catch {
    return;
  }
  for (const line of table.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[3] !== "0A") continue;
    const port = parseInt(fields[1]?.split(":")[1] ?? "", 16);
    const queued = parseInt(fields[4]?.split(":")[1] ?? "", 16);
    const name = Object.keys(ports).find((n) => ports[n] === port);
    if (name !== undefined && queued > (acceptQueueMax.get(name) ?? 0)) acceptQueueMax.set(name, queued);
  }
}
const acceptQueueTimer = setInterval(readAcceptQueues, 1_000);

// --- sampling --------------------------------------------------------------------------------------------

interface Sample {
  readonly atS: number;
  readonly rss: number;
  readonly liveHeap: number | undefined;
  readonly heap: number;
  readonly buffers: number;
  readonly storeBytes: number;
  /** What the store has allocated: storeBytes and the room its columns and slab have grown for. */
  readonly storeAllocated: number;
  readonly storeEvents: number;
  readonly answered: number;
  readonly datagrams: number;
  readonly watched: number;
  readonly loop: LoopFigures | undefined;
}
const samples: Sample[] = [];
const mib = (n: number) => (n / 1024 / 1024).toFixed(0);
process.stdout.write(
  `Soak: ${minutes} min after a warm-up that lasts until the event store is full (${warmupMinutes} to ${warmupMaxMinutes} min), ${clientCount} clients over ${servers.join(", ")}, ${watchCount} Watch streams in ${sessionIds.length} sessions, 2 pcapng exports every 3 s; event store bound ${captureMaxMb} MiB and ${captureMaxEvents} events\n\n`,
);
process.stdout.write(`load average at the start (1, 5, 15 min): ${os.loadavg().map((n) => n.toFixed(2)).join(", ")} on ${os.cpus().length} cores\n\n`);
process.stdout.write(
  "   time   RSS MiB   live heap MiB   heap MiB   buffers MiB   array buffers MiB   store MiB (allocated)   store events   answers/s   datagrams/s   watched events/s   loop delay p50/p99/max ms\n",
);

async function sample() {
  const memory = await ask<Memory>({ type: "memory", settle: true });
  const capture = await ask<Capture>({ type: "capture", ids: [] });
  const watched = await watchers.events();
  const loop = await ask<Loop>({ type: "loop" });
  if (!memory || !capture) return;
  const s: Sample = {
    atS: (performance.now() - started) / 1000,
    rss: memory.rss,
    liveHeap: memory.liveHeap,
    heap: memory.heapUsed,
    buffers: memory.external,
    storeBytes: capture.store.bytes,
    storeAllocated: capture.store.allocated,
    storeEvents: capture.store.events,
    answered: counts.answered,
    datagrams: counts.datagrams,
    watched,
    loop: loop?.interval,
  };
  const previous = samples.at(-1);
  samples.push(s);
  const per = (a: number, b: number | undefined) => (previous && b !== undefined ? ((a - b) / (s.atS - previous.atS)).toFixed(0) : "-");
  process.stdout.write(
    `${s.atS.toFixed(0).padStart(6)} s ${mib(s.rss).padStart(8)} ${(s.liveHeap === undefined ? "-" : mib(s.liveHeap)).padStart(15)} ${mib(s.heap).padStart(10)} ${mib(s.buffers).padStart(13)} ${mib(memory.arrayBuffers).padStart(19)} ${`${mib(s.storeBytes)} (${mib(s.storeAllocated)})`.padStart(23)} ${String(s.storeEvents).padStart(14)} ${per(s.answered, previous?.answered).padStart(11)} ${per(s.datagrams, previous?.datagrams).padStart(13)} ${per(s.watched, previous?.watched).padStart(18)} ${(s.loop ? `${s.loop.p50.toFixed(0)}/${s.loop.p99.toFixed(0)}/${s.loop.max.toFixed(0)}` : "-").padStart(27)}\n`,
  );
  if (warmEnd === undefined) {
    const full = capture.store.dropped > 0;
    const elapsedMin = s.atS / 60;
    if ((full && elapsedMin >= warmupMinutes) || elapsedMin >= warmupMaxMinutes) {
      warmEnd = performance.now();
      deadline = warmEnd + minutes * 60_000;
      await ask({ type: "loop", since: "start" });
      if (values["heap-snapshots"]) await ask({ type: "heap-snapshot", path: path.resolve(values["heap-snapshots"], "warm.heapsnapshot") });
      process.stdout.write(
        `  -- warm-up over at ${s.atS.toFixed(0)} s: ${full ? "the event store is full" : `the store is not full after ${warmupMaxMinutes} min (RSS below still grows with it)`}; ${minutes} min measured from here --\n`,
      );
    }
  }
}

const sampler = (async () => {
  await sample();
  while (performance.now() < deadline && !crashed) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, (minutes * 60_000) / 20)));
    await sample();
  }
})();

await Promise.all([...Array.from({ length: clientCount }, (_, i) => churn(i)), exports(), sampler]);
const loopTotal = warmEnd === undefined ? undefined : (await ask<Loop>({ type: "loop" }))?.total;
const loadEnd = os.loadavg();
if (values["heap-snapshots"] && !crashed) await ask({ type: "heap-snapshot", path: path.resolve(values["heap-snapshots"], "end.heapsnapshot") });

// --- verdict ---------------------------------------------------------------------------------------------

stopping = true;
clearInterval(acceptQueueTimer);
watchers.stop();
host.stdin!.end();
host.disconnect();

const warmEndS = warmEnd === undefined ? Infinity : (warmEnd - started) / 1000;
const warm = samples.filter((s) => s.atS >= warmEndS - 0.001);
// Growth is a trend: the median of the measured period's last third against the median of its first third.
// RSS swings with the garbage the collector has not come for yet (the heap's high-water mark between two
// collections), so one sample against another measures where the swing stood, not growth; the band of the
// swing is printed beside it.
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)]!;
};
const third = Math.max(1, Math.floor(warm.length / 3));
const trend = (read: (s: Sample) => number | undefined) => {
  const values = (part: Sample[]) => part.map(read).filter((n): n is number => n !== undefined);
  const first = median(values(warm.slice(0, third)));
  const last = median(values(warm.slice(-third)));
  return { first, last, growth: (last - first) / first };
};
const rssTrend = trend((s) => s.rss);
const liveTrend = trend((s) => s.liveHeap);
const growth = rssTrend.growth;
const rssLow = Math.min(...warm.map((s) => s.rss));
const rssHigh = Math.max(...warm.map((s) => s.rss));
const failures: string[] = [];
if (crashed) failures.push(`the host crashed: ${crashed}`);
if (counts.lost > 0) failures.push(`${counts.lost} messages lost`);
if (warmEnd === undefined) failures.push("the run ended during its warm-up");
else if (!(growth < 0.1)) failures.push(`RSS grew ${(growth * 100).toFixed(1)}% after the warm-up (goal < 10%)`);
if (counts.answered === 0) failures.push("no answers at all");

process.stdout.write(
  [
    "",
    `connections ${counts.connections}, messages ${counts.messages}, answered ${counts.answered}, lost ${counts.lost}, refused by the closed port ${counts.refused} (expected)`,
    `UDP datagrams sent ${counts.datagrams}; echoes answered ${counts.datagramsAnswered}, not answered within 2 s ${counts.datagramsUnanswered} (UDP promises no delivery: counted, not lost)`,
    `errors ${counts.errors}${errorKinds.size > 0 ? ` (${[...errorKinds].map(([k, n]) => `${k} x${n}`).join(", ")})` : ""}`,
    `accept queues, largest seen (connections the host had not accepted yet): ${acceptQueueMax.size === 0 ? "none" : [...acceptQueueMax].map(([n, q]) => `${n} ${q}`).join(", ")}`,
    `pcapng exports ${counts.exports} (${mib(counts.exportBytes)} MiB), refused as busy ${counts.exportsBusy}, failed ${counts.exportErrors}`,
    `RSS after the warm-up: median ${mib(rssTrend.first)} MiB over the first third of the measured period, ${mib(rssTrend.last)} MiB over the last: growth ${(growth * 100).toFixed(1)}% (goal < 10%); it swung between ${mib(rssLow)} and ${mib(rssHigh)} MiB with the garbage between collections`,
    `live heap (after a full collection): median ${mib(liveTrend.first)} MiB over the first third, ${mib(liveTrend.last)} MiB over the last: growth ${(liveTrend.growth * 100).toFixed(1)}%`,
    `event loop delay after the warm-up (a 10 ms timer's lateness, ms): ${loopTotal ? `p50 ${loopTotal.p50.toFixed(1)}, p99 ${loopTotal.p99.toFixed(1)}, max ${loopTotal.max.toFixed(0)}, mean ${loopTotal.mean.toFixed(1)}` : "not measured"}`,
    `watched events/s after the warm-up: ${warm.length > 1 ? ((warm.at(-1)!.watched - warm[0]!.watched) / (warm.at(-1)!.atS - warm[0]!.atS)).toFixed(0) : "-"}`,
    `load average at the end (1, 5, 15 min): ${loadEnd.map((n) => n.toFixed(2)).join(", ")}`,
    `crashes ${crashed ? 1 : 0}`,
    failures.length === 0 ? "soak passed" : `soak FAILED: ${failures.join("; ")}`,
    "",
  ].join("\n"),
);
process.exit(failures.length === 0 ? 0 : 1);
