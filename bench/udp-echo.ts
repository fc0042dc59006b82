// UDP echo benchmark (issue 10 §7): clients doing datagram ping-pong against four echo servers, all in one run:
//
//   lab tapped     the lab host as `npm start` wires it, its udp-echo service (the datagram tap, the bus, the
//                  seed's answers), wire capture off, with a session watching every client's address (one per
//                  address, as a class of students on one machine each would), so every datagram is kept
//   lab untapped   the same service code (udp-echo's handle, the tapped server's sockets, rate limit and
//                  bounds) with the tap turned off: nothing recorded
//   bare node      socket.on("message", (m, r) => socket.send(m, r.port, r.address)): the limit here
//   python         bench/python_udp_echo.py, seed 000's UDPServer: recvfrom(1024), one thread per datagram
//
// For each it reports datagrams echoed per second and the server's CPU time per datagram (user + system,
// every thread, from /proc/<pid>/stat over exactly the load generator's measured window). Each server and
// the load generator run in processes of their own; measurements are repeated (--rounds) and interleaved,
// and the median is reported, because a 2-core machine is noisy.
//
// Every client sends "ping NNN" and sends the next one when the answer came: one datagram in flight per
// client, so the servers answer in order and no socket buffer overflows. A datagram that gets no answer
// within 200 ms is sent again and counted as lost (UDP may drop; an answer that never comes would stall
// the client). Clients bind addresses of their own in 127.0.0.0/8 (127.1.0.1, 127.1.0.2, ...): the lab's
// UDP servers limit each source address to 500 datagrams a second (a flood from one source must not starve
// the others), and the benchmark measures serving many sources, not the limit.
//
//   npm run bench:udp-echo
//   npx tsx bench/udp-echo.ts --seconds 3 --rounds 1          quick mode
//   npx tsx bench/udp-echo.ts --only lab-tapped,lab-untapped   a subset
//   npx tsx bench/udp-echo.ts --help                          every option
//
// Goals (issue 10 §7): the tap costs <= 15% CPU per datagram over the untapped server; the lab echoes >= 2x
// the datagrams per second of the Python server. Reported, never turned into an exit code: a benchmark on a
// shared machine is evidence, not a test.
//
// The same file is the servers and the load generator (run with "server <kind>" or "load ..."), so the
// pid the benchmark reads is the serving process's own.

import dgram from "node:dgram";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { positiveOption } from "./options";
import { cpuSeconds, sleep, startChild, stopChild } from "./processes";

const here = path.dirname(fileURLToPath(import.meta.url));

const SERVERS = [
  { id: "lab-tapped", label: "lab tapped", prefixed: true },
  { id: "lab-untapped", label: "lab untapped", prefixed: true },
  { id: "bare-node", label: "bare node", prefixed: false },
  { id: "python", label: "python thread/datagram", prefixed: true },
] as const;
type ServerId = (typeof SERVERS)[number]["id"];
type ServerSpec = (typeof SERVERS)[number];

const TAP_GOAL = 0.15;
const PYTHON_GOAL = 2;
/** An unanswered datagram is sent again after this long (and counted as lost). */
const RESEND_MS = 200;

/** The source address of client `i`: 127.1.0.1, 127.1.0.2, ... (every 127/8 address is the loopback's). */
const clientAddress = (i: number) => `127.1.${(i + 1) >> 8}.${(i + 1) & 0xff}`;

const HELP = `Usage: npx tsx bench/udp-echo.ts [options]

  --seconds <s>     measured window per measurement (default 5)
  --warmup <s>      ping-pong before the window, not measured (default 1)
  --rounds <n>      measurements per server, interleaved; the median is reported (default 3)
  --clients <n>     concurrent ping-pong clients, each from its own loopback address (default 100)
  --only <a,b>      servers to run: ${SERVERS.map((s) => s.id).join(", ")} (default: all)
  --python <path>   Python interpreter (default /usr/bin/python3 if it exists, else python3)
  --cpu-prof <dir>  run the Node servers with --cpu-prof; profiles go to <dir>/<server>/ on exit
                    (summarise one with: npx tsx bench/profile-summary.ts <file>)
  --help            this text`;

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

// ---------------------------------------------------------------------------------------------------
// Role: one echo server (node --import tsx bench/udp-echo.ts server <kind> <clients>)
//
//   stdout  {"ready":true,"port":N,"pid":N}   once bound
//   stdin   "stats" -> {"stats":{...}}        what the lab host keeps (lab-tapped)
//   stdin   EOF     -> exit                   never outlive the benchmark

async function serve(kind: string, clients: number): Promise<void> {
  let port: number;
  let stats: () => Record<string, unknown> = () => ({});
  let stop: () => Promise<void>;
  if (kind === "lab-tapped") {
    const { parseConfig } = await import("@/server/config");
    const { startLabHost } = await import("@/server/lab/host");
    // Port 0 everywhere (a lab may be running on the default ports); the environment is left out so that
    // a LAB_* variable of the shell cannot change what is measured.
    const config = parseConfig(
      ["--web-port=0", "--echo-port=0", "--time-port=0", "--greeting-port=0", "--udp-echo-port=0", "--broadcast-port=0", "--multicast-port=0", "--http-port=0", "--grpc-port=0", "--capture=off"],
      {},
    );
    const host = await startLabHost(config, undefined, { log: () => {} });
    // The sessions a browser at each client's address would get on its first page load: each follows its
    // address's lane, so every datagram is stored once and seen by the session of its source.
    const sessions = Array.from({ length: clients }, (_, i) => host.sessions.resolve(undefined, clientAddress(i)).session);
    port = host.port("udp-echo");
    stats = () => ({
      events: sessions.reduce((n, s) => n + s.ring.size, 0),
      dropped: sessions.reduce((n, s) => n + s.ring.dropped, 0),
      liveConversations: host.bus.live.size,
    });
    stop = () => host.stop();
  } else if (kind === "lab-untapped") {
    const { createBus } = await import("@/server/capture/bus");
    const { createTappedUdpServer } = await import("@/server/capture/udp-tap");
    const { createSessionStore } = await import("@/server/lab/sessions");
    const { dataDissector } = await import("@/server/dissect/core/registry");
    const { udpEchoService } = await import("@/server/servers/udp-echo");
    // udp-echo as the host starts it (service.ts defineUdpService), minus the tap.
    const server = await createTappedUdpServer({
      bus: createBus({ sessions: createSessionStore({ ringMaxEvents: 100, ringMaxBytes: 1 << 20 }), dissectorFor: () => dataDissector }),
      service: udpEchoService.name,
      protocol: udpEchoService.protocol,
      // The host's IPv4 socket (its IPv6 one is idle here), the service's idle timeout and the tap's default limits.
      binds: [{ address: "127.0.0.1", type: "udp4" }],
      port: 0,
      idleTimeoutMs: udpEchoService.idleTimeoutMs,
      handle: udpEchoService.handle,
      tapped: false,
    });
    port = server.port;
    stats = () => ({ ...server.counts });
    stop = () => server.close();
  } else if (kind === "bare-node") {
    const socket = dgram.createSocket("udp4");
    socket.on("message", (m, r) => socket.send(m, r.port, r.address));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    port = socket.address().port;
    stop = () => new Promise((resolve) => socket.close(() => resolve()));
  } else {
    process.stderr.write(`udp-echo: unknown server kind ${kind}\n`);
    process.exit(2);
  }
  emit({ ready: true, port, pid: process.pid });
  let stopping = false;
  const end = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 2_000).unref();
    void stop().finally(() => process.exit(0));
  };
  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (line.trim() === "stats") emit({ stats: { ...stats(), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) } });
  });
  lines.on("close", end);
  process.on("SIGTERM", end);
}

// ---------------------------------------------------------------------------------------------------
// Role: the load generator (node --import tsx bench/udp-echo.ts load <port> <clients> <prefixed> <warmupMs> <seconds>)
//
//   stdout  {"ready":true,"pid":N}                              every client bound and connected
//   stdout  {"window":"start"}, then {"window":"end","datagrams":N,"seconds":S,"lost":N,"odd":N}
//   stdout  {"done":true}

/** Pings built once: the generator must spend its CPU on sockets, so that it stays ahead of the server. */
const PINGS = Array.from({ length: 1000 }, (_, i) => Buffer.from(`ping ${String(i).padStart(3, "0")}`));

async function load(port: number, clients: number, prefixed: boolean, warmupMs: number, seconds: number): Promise<void> {
  const expected = (prefixed ? "UDP-ECHO: " : "").length + PINGS[0]!.length;
  let running = false;
  let total = 0;
  let lost = 0;
  let odd = 0;
  interface Client {
    readonly socket: dgram.Socket;
    n: number;
    sentAt: number;
  }
  const all: Client[] = [];
  for (let i = 0; i < clients; i++) {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(0, clientAddress(i), () => socket.connect(port, "127.0.0.1", () => (socket.off("error", reject), resolve())));
    });
    const client: Client = { socket, n: 0, sentAt: 0 };
    socket.on("error", () => {});
    socket.on("message", (answer) => {
      if (!running) return;
      total++;
      if (answer.length !== expected) odd++;
      client.n = (client.n + 1) % PINGS.length;
      client.sentAt = performance.now();
      socket.send(PINGS[client.n]!);
    });
    all.push(client);
  }
  emit({ ready: true, pid: process.pid });
  running = true;
  for (const c of all) {
    c.sentAt = performance.now();
    c.socket.send(PINGS[0]!);
  }
  // UDP may drop: a client whose answer does not come sends again (counted) instead of stalling.
  const resend = setInterval(() => {
    const now = performance.now();
    for (const c of all) {
      if (now - c.sentAt < RESEND_MS) continue;
      lost++;
      c.sentAt = now;
      c.socket.send(PINGS[c.n]!);
    }
  }, RESEND_MS / 4);
  await sleep(warmupMs);
  const start = { total, lost, odd };
  const t0 = performance.now();
  emit({ window: "start" });
  await sleep(seconds * 1000);
  emit({ window: "end", datagrams: total - start.total, seconds: (performance.now() - t0) / 1000, lost: lost - start.lost, odd: odd - start.odd });
  running = false;
  clearInterval(resend);
  for (const c of all) c.socket.close();
  emit({ done: true });
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------
// Role: the benchmark

// tsx as a loader (node --import tsx) instead of the tsx CLI: the CLI would run the script in a grandchild,
// and the pid we spawn must be the process whose CPU we read.
const self = (args: string[], node: string[] = []): [string, string[]] => [process.execPath, [...node, "--import", "tsx", fileURLToPath(import.meta.url), ...args]];

interface Measurement {
  readonly datagrams: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly lost: number;
  readonly odd: number;
}

async function measure(
  spec: ServerSpec,
  options: { clients: number; seconds: number; warmup: number; python: string; cpuProf: string | undefined },
): Promise<Measurement> {
  const prof = options.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${path.join(options.cpuProf, spec.id)}`] : [];
  const server =
    spec.id === "python"
      ? startChild(options.python, ["-u", path.join(here, "python_udp_echo.py")], spec.label)
      : startChild(...self(["server", spec.id, String(options.clients)], prof), spec.label);
  try {
    const ready = await server.next((m) => m.ready === true, 60_000, "ready line");
    const pid = Number(ready.pid);
    const loader = startChild(
      ...self(["load", String(ready.port), String(options.clients), String(spec.prefixed), String(options.warmup * 1000), String(options.seconds)]),
      `${spec.label} load`,
    );
    try {
      await loader.next((m) => m.ready === true, 60_000, "clients ready");
      await loader.next((m) => m.window === "start", 60_000, "window start");
      const cpu0 = cpuSeconds(pid);
      const end = await loader.next((m) => m.window === "end", options.seconds * 1000 + 60_000, "window end");
      const cpu1 = cpuSeconds(pid);
      await loader.next((m) => m.done === true, 30_000, "load done");
      return { datagrams: Number(end.datagrams), seconds: Number(end.seconds), cpuSeconds: cpu1 - cpu0, lost: Number(end.lost), odd: Number(end.odd) };
    } finally {
      await stopChild(loader);
    }
  } finally {
    await stopChild(server);
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function bench(): Promise<void> {
  const { values: opts } = parseArgs({
    args: process.argv.slice(2),
    options: {
      seconds: { type: "string", default: "5" },
      warmup: { type: "string", default: "1" },
      rounds: { type: "string", default: "3" },
      clients: { type: "string", default: "100" },
      only: { type: "string" },
      python: { type: "string" },
      "cpu-prof": { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (opts.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const positive = positiveOption("udp-echo", HELP);
  const seconds = positive(opts.seconds!, "--seconds", false);
  const warmup = opts.warmup === "0" ? 0 : positive(opts.warmup!, "--warmup", false);
  const rounds = positive(opts.rounds!, "--rounds", true);
  const clients = positive(opts.clients!, "--clients", true);
  if (clients > 60_000) {
    process.stderr.write("udp-echo: --clients must be at most 60000 (one loopback address each)\n");
    process.exit(2);
  }
  const selected: ServerSpec[] = opts.only
    ? opts.only.split(",").map((id) => {
        const spec = SERVERS.find((s) => s.id === id.trim());
        if (!spec) {
          process.stderr.write(`udp-echo: unknown server "${id}" in --only; known: ${SERVERS.map((s) => s.id).join(", ")}\n`);
          process.exit(2);
        }
        return spec;
      })
    : [...SERVERS];
  const python = opts.python ?? (fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
  const cpuProf = opts["cpu-prof"] ? path.resolve(opts["cpu-prof"]) : undefined;

  process.stdout.write(
    `UDP echo: ${clients} clients (one loopback address each) doing ping-pong, ${seconds} s windows after ${warmup} s warm-up, ${rounds} round(s), median reported\n`,
  );
  const results = new Map<ServerId, Measurement[]>(selected.map((s) => [s.id, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const spec of selected) {
      process.stderr.write(`round ${round}/${rounds}: ${spec.label}...\n`);
      results.get(spec.id)!.push(await measure(spec, { clients, seconds, warmup, python, cpuProf }));
    }
  }

  const summary = new Map<ServerId, { rate: number; cpuUs: number; lost: number; odd: number }>();
  for (const spec of selected) {
    const ms = results.get(spec.id)!;
    summary.set(spec.id, {
      rate: median(ms.map((m) => m.datagrams / m.seconds)),
      cpuUs: median(ms.map((m) => (m.cpuSeconds / Math.max(1, m.datagrams)) * 1e6)),
      lost: ms.reduce((n, m) => n + m.lost, 0),
      odd: ms.reduce((n, m) => n + m.odd, 0),
    });
  }
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  process.stdout.write(`\n${pad("server", 24)}${"datagrams/s".padStart(14)}${"CPU us/datagram".padStart(18)}${"resent".padStart(9)}${"odd".padStart(6)}\n`);
  for (const spec of selected) {
    const s = summary.get(spec.id)!;
    process.stdout.write(`${pad(spec.label, 24)}${num(s.rate).padStart(14)}${num(s.cpuUs, 1).padStart(18)}${num(s.lost).padStart(9)}${num(s.odd).padStart(6)}\n`);
  }
  process.stdout.write("(resent: datagrams that got no answer within 200 ms, summed over the rounds; odd: answers of another length)\n\n");

  const tapped = summary.get("lab-tapped");
  const untapped = summary.get("lab-untapped");
  const py = summary.get("python");
  if (tapped && untapped) {
    const cost = tapped.cpuUs / untapped.cpuUs - 1;
    process.stdout.write(
      `tap cost: ${num(cost * 100, 1)}% CPU per datagram over untapped (goal <= ${TAP_GOAL * 100}%): ${cost <= TAP_GOAL ? "met" : "NOT met"}\n`,
    );
  }
  if (tapped && py) {
    const ratio = tapped.rate / py.rate;
    process.stdout.write(`lab tapped vs python: ${num(ratio, 2)}x the datagrams per second (goal >= ${PYTHON_GOAL}x): ${ratio >= PYTHON_GOAL ? "met" : "NOT met"}\n`);
  }
}

// ---------------------------------------------------------------------------------------------------

const [role, ...rest] = process.argv.slice(2);
if (role === "server") {
  // The parent closes our stdin when it is done with us (or died): never outlive it.
  void serve(rest[0]!, Number(rest[1])).catch((err) => {
    process.stderr.write(`udp-echo server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
} else if (role === "load") {
  process.stdin.on("end", () => process.exit(1));
  process.stdin.resume();
  void load(Number(rest[0]), Number(rest[1]), rest[2] === "true", Number(rest[3]), Number(rest[4])).catch((err) => {
    process.stderr.write(`udp-echo load: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else {
  void bench().catch((err) => {
    process.stderr.write(`udp-echo: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1); // the children go with this process (bench/processes.ts)
  });
}
