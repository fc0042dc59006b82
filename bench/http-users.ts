// HTTP benchmark (issue 11 §7): wrk asks GET /api/users/1 on kept-alive connections of three servers, in
// one run, one after another:
//
//   lab tapped   the lab host as `npm start` wires it (capture off): its http service on 8080's code, node:http
//                behind the tap's stream, the user read from SQLite, with a session watching 127.0.0.1 (a
//                student's browser on the same machine), so every request and answer is kept for its timeline
//   bare node    http.createServer answering the same bytes (the same JSON and headers) from memory: the limit
//   python       bench/python_users.py, seed 000's design: http.server's HTTPServer, one request at a time,
//                HTTP/1.0 (a connection per request)
//
// For each: requests per second (wrk's figure) and the server's CPU time per request (user + system, every
// thread, from /proc/<pid>/stat around the measured wrk run). Goals: the lab >= 0.7x bare Node's
// requests per second, and >= 10x Python's. Printed, never an exit code: a benchmark on a shared 2-core
// machine is evidence, not a test. Run it alone: `flock /tmp/bench.lock npm run bench:http-users`.
//
//   npm run bench:http-users
//   npx tsx bench/http-users.ts --seconds 3 --connections 16
//   npx tsx bench/http-users.ts --help
//
// The same file is the Node servers (run with "server lab|bare"), so the pid read is the serving process's.

import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { positiveOption } from "./options";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const run = promisify(execFile);

const LAB_GOAL = 0.7;
const PYTHON_GOAL = 10;

const HELP = `Usage: npx tsx bench/http-users.ts [options]

  --seconds <s>       measured wrk run per server (default 5)
  --warmup <s>        wrk run before it, not measured (default 1)
  --connections <n>   wrk's kept-alive connections (default 16; one wrk thread)
  --python <path>     Python interpreter (default /usr/bin/python3 if it exists, else python3)
  --help              this text

Needs wrk (Debian: apt-get install wrk).`;

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
    // A student's browser at the address wrk comes from: the traffic is kept for its timeline.
    host.sessions.resolve(undefined, "127.0.0.1");
    emit({ ready: true, port: host.port("http"), pid: process.pid });
  } else if (kind === "bare") {
    const body = Buffer.from('{"success": true, "data": {"id": 1, "name": "Alice", "email": "alice@example.com", "age": 30}}');
    const server = http.createServer((_req, res) => {
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type",
        "Content-Length": body.length,
      });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    emit({ ready: true, port: (server.address() as { port: number }).port, pid: process.pid });
  } else {
    process.stderr.write(`http-users: unknown server kind ${kind}\n`);
    process.exit(2);
  }
  // The benchmark closes stdin when it is done (or dies): then this process ends.
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
}

// ---- the benchmark ----

/** user + system CPU of a process, all its threads, in microseconds. */
function cpuMicros(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / clockTicks;
}
let clockTicks = 100;

interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  readonly pid: number;
}

async function startServer(kind: "lab" | "bare" | "python", python: string): Promise<Started> {
  const child =
    kind === "python"
      ? spawn(python, [path.join(here, "python_users.py"), "0"], { stdio: ["pipe", "pipe", "inherit"] })
      : spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "server", kind], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout! });
  const ready = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${kind} server exited (${code}) before it was ready`)));
    lines.on("line", (line) => {
      const python = /^ready (\d+)$/.exec(line);
      if (python) resolve({ port: Number(python[1]), pid: child.pid! });
      else if (line.startsWith("{")) {
        const parsed = JSON.parse(line) as { ready?: boolean; port: number; pid: number };
        if (parsed.ready) resolve(parsed);
      }
    });
  });
  return { child, ...ready };
}

async function wrk(port: number, seconds: number, connections: number): Promise<{ requests: number; perSecond: number; errors: string }> {
  const { stdout } = await run("wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, `http://127.0.0.1:${port}/api/users/1`], { maxBuffer: 1 << 20 });
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
  const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0);
  const errors = [/Socket errors:.*/.exec(stdout)?.[0], /Non-2xx or 3xx responses: \d+/.exec(stdout)?.[0]].filter(Boolean).join("; ");
  return { requests, perSecond, errors };
}

async function main() {
  const { values, positionals } = parseArgs({
    options: {
      seconds: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
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
  const positive = positiveOption("http-users", HELP);
  const seconds = positive(values.seconds ?? "5", "--seconds", true);
  const warmup = positive(values.warmup ?? "1", "--warmup", true);
  const connections = positive(values.connections ?? "16", "--connections", true);
  const python = values.python ?? (fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (err) {
    // wrk --version exits 1 after printing its version; only a missing program is a problem.
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      process.stderr.write("http-users: wrk is not installed (Debian: apt-get install wrk)\n");
      process.exit(2);
    }
  }
  clockTicks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

  const results: { label: string; perSecond: number; cpuUs: number; errors: string }[] = [];
  for (const [kind, label] of [
    ["lab", "lab tapped (SQLite)"],
    ["bare", "bare node"],
    ["python", "python http.server"],
  ] as const) {
    const server = await startServer(kind, python);
    try {
      await wrk(server.port, warmup, connections);
      const before = cpuMicros(server.pid);
      const measured = await wrk(server.port, seconds, connections);
      const cpu = cpuMicros(server.pid) - before;
      results.push({ label, perSecond: measured.perSecond, cpuUs: measured.requests > 0 ? cpu / measured.requests : 0, errors: measured.errors });
    } finally {
      server.child.stdin?.end();
      server.child.kill("SIGTERM");
    }
  }

  const [lab, bare, py] = results as [(typeof results)[number], (typeof results)[number], (typeof results)[number]];
  const lines = [
    `GET /api/users/1, wrk -t1 -c${connections}, ${seconds} s each (keep-alive; Python's HTTP/1.0 server closes every connection)`,
    "",
    `${"server".padEnd(22)} ${"requests/s".padStart(11)} ${"server CPU µs/request".padStart(22)}`,
    ...results.map((r) => `${r.label.padEnd(22)} ${r.perSecond.toFixed(0).padStart(11)} ${r.cpuUs.toFixed(1).padStart(22)}${r.errors ? `   (${r.errors})` : ""}`),
    "",
    `lab / bare node: ${(lab.perSecond / bare.perSecond).toFixed(2)}x requests/s (goal >= ${LAB_GOAL}x): ${lab.perSecond / bare.perSecond >= LAB_GOAL ? "met" : "NOT met"}`,
    `lab / python:    ${(lab.perSecond / py.perSecond).toFixed(1)}x requests/s (goal >= ${PYTHON_GOAL}x): ${lab.perSecond / py.perSecond >= PYTHON_GOAL ? "met" : "NOT met"}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`http-users: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
