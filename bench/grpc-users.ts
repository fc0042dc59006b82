// gRPC benchmark (issue 14 §7): unary user_service.UserService/GetUser{user_id: 1} with 50 streams in
// flight over 4 HTTP/2 connections, against three servers, in one run, one after another:
//
//   lab tapped   the lab host as `npm start` wires it (capture off): 50051's code, node:http2 behind the
//                tap's stream, the unary fast path (server/servers/grpc/unary-fast-path.ts: the call served
//                from the HTTP/2 stream, Connect's router kept for everything else), the interceptors, the
//                user read from SQLite, with a session
//                watching 127.0.0.1 (a student's browser on this machine), so every frame is kept for its timeline
//   lab tapped, unwatched   the same with no session watching (the tap and bus run; nobody keeps the frames)
//   lab untapped the same app and handler (node:http2 + the fast path + interceptors + SQLite) on a plain
//                socket: beside lab tapped it says what the tap costs, beside grpc-js what the lab's path costs
//   node:http2 + store   node:http2 on a plain socket answering from the same SQLite store, no Connect:
//                beside lab untapped it says what the fast path's call and the interceptors cost
//   grpc-js      a bare @grpc/grpc-js server with the same proto (protobuf-es (de)serializers), users in memory
//   python       bench/python_grpc_users.py, seed 000's design: grpcio, ThreadPoolExecutor(max_workers=10)
//
// The client is this process: node:http2 sessions sending the 7-byte request envelope and counting answers
// whose grpc-status is 0. For each server: calls per second and the server's CPU time per call (user +
// system, every thread, from /proc/<pid>/stat around the measured run). Goals: lab >= 1.0x grpc-js,
// >= 3x Python. Printed, never an exit code. Run it alone: `flock /tmp/bench.lock npm run bench:grpc-users`.
//
//   npm run bench:grpc-users
//   npx tsx bench/grpc-users.ts --seconds 3 --streams 50 --connections 4
//
// The same file is the Node servers (run with "server lab|grpc-js"), so the pid read is the serving process's.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http2 from "node:http2";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { positiveOption } from "./options";
import { cpuSeconds, startChild, stopChild, type LineChild } from "./processes";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

const LAB_GOAL = 1.0;
const PYTHON_GOAL = 3;

const HELP = `Usage: npx tsx bench/grpc-users.ts [options]

  --seconds <s>       measured run per server (default 5)
  --warmup <s>        run before it, not measured (default 1)
  --streams <n>       calls in flight at once (default 50)
  --connections <n>   HTTP/2 connections they share (default 4)
  --python <path>     Python with grpcio and grpc_tools (default /usr/bin/python3)
  --only <kinds>      the servers to run, comma-separated: lab,lab-unwatched,lab-untapped,http2-store,grpc-js,python (default all)
  --server-node-args <args>  node options for the Node servers, e.g. '--cpu-prof --cpu-prof-dir=DIR'
  --help              this text`;

const emit = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

// ---- role: a Node server ----

async function serve(kind: string): Promise<void> {
  if (kind === "lab-untapped") {
    // 50051's app and handler (node:http2 + the unary fast path + interceptors + SQLite) on a plain socket: no tap, no bus.
    const net = await import("node:net");
    const { createGrpcServing } = await import("../server/servers/grpc/grpc-service");
    const { GRPC_LIMITS } = await import("../server/servers/grpc/app");
    const { openStore } = await import("../server/store/store");
    const { app } = createGrpcServing({}, GRPC_LIMITS, openStore(), undefined);
    // No conversation: the calls serve the public data set, as an outside program's do.
    const server = net.createServer({ noDelay: true }, (socket) => app.accept(socket as never, undefined as never));
    const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
    emit({ ready: true, port, pid: process.pid });
  } else if (kind === "http2-store") {
    // The floor under the lab's app: node:http2 on a plain socket answering GetUser from the same SQLite
    // store with protobuf-es, no interceptors, no tap (beside "lab untapped": what the lab's call path costs).
    const { create, fromBinary, toBinary } = await import("@bufbuild/protobuf");
    const { GetUserRequestSchema, UserResponseSchema } = await import("../gen/user_service/user_service_pb");
    const { openStore, PUBLIC_DATASET } = await import("../server/store/store");
    const store = openStore();
    const server = http2.createServer();
    server.on("stream", (stream) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const body = Buffer.concat(chunks);
        const { userId } = fromBinary(GetUserRequestSchema, body.subarray(5, 5 + body.readUInt32BE(1)));
        const user = store.users.get(PUBLIC_DATASET, userId);
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.once("wantTrailers", () => stream.sendTrailers(user ? { "grpc-status": "0" } : { "grpc-status": "5", "grpc-message": "not found" }));
        if (!user) return stream.end();
        const message = toBinary(UserResponseSchema, create(UserResponseSchema, { id: user.id, name: user.name, email: user.email, age: user.age, status: "ACTIVE" }));
        const envelope = Buffer.alloc(5 + message.byteLength);
        envelope.writeUInt32BE(message.byteLength, 1);
        envelope.set(message, 5);
        stream.end(envelope);
      });
    });
    const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
    emit({ ready: true, port, pid: process.pid });
  } else if (kind === "lab" || kind === "lab-unwatched") {
    const { parseConfig } = await import("../server/config");
    const { startLabHost } = await import("../server/lab/host");
    const config = parseConfig(
      ["--web-port=0", "--echo-port=0", "--time-port=0", "--greeting-port=0", "--udp-echo-port=0", "--broadcast-port=0", "--multicast-port=0", "--http-port=0", "--grpc-port=0", "--capture=off"],
      {},
    );
    const host = await startLabHost(config);
    // A session watching 127.0.0.1 (a student's browser on this machine) keeps every frame for its timeline.
    if (kind === "lab") host.sessions.resolve(undefined, "127.0.0.1");
    emit({ ready: true, port: host.port("grpc"), pid: process.pid });
  } else if (kind === "grpc-js") {
    const grpc = await import("@grpc/grpc-js");
    const { create, fromBinary, toBinary } = await import("@bufbuild/protobuf");
    const { GetUserRequestSchema, UserResponseSchema } = await import("../gen/user_service/user_service_pb");
    const users = new Map([
      [1, { name: "Alice", email: "alice@example.com", age: 30 }],
      [2, { name: "Bob", email: "bob@example.com", age: 25 }],
      [3, { name: "Charlie", email: "charlie@example.com", age: 35 }],
    ]);
    const server = new grpc.Server();
    server.addService(
      {
        GetUser: {
          path: "/user_service.UserService/GetUser",
          requestStream: false,
          responseStream: false,
          requestSerialize: (m: unknown) => Buffer.from(toBinary(GetUserRequestSchema, m as never)),
          requestDeserialize: (b: Buffer) => fromBinary(GetUserRequestSchema, b),
          responseSerialize: (m: unknown) => Buffer.from(toBinary(UserResponseSchema, m as never)),
          responseDeserialize: (b: Buffer) => fromBinary(UserResponseSchema, b),
        },
      },
      {
        GetUser: ((call: { request: { userId: number } }, callback: (err: unknown, value?: unknown) => void) => {
          const user = users.get(call.request.userId);
          if (!user) return callback({ code: grpc.status.NOT_FOUND, details: `User ${call.request.userId} not found` });
          callback(null, create(UserResponseSchema, { id: call.request.userId, ...user, status: "ACTIVE" }));
        }) as never,
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
    emit({ ready: true, port, pid: process.pid });
  } else {
    process.stderr.write(`grpc-users: unknown server kind ${kind}\n`);
    process.exit(2);
  }
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
}

// ---- the benchmark ----

/** A server child, ready: its port and the pid whose CPU is measured. */
async function startServer(kind: "lab" | "lab-unwatched" | "lab-untapped" | "http2-store" | "grpc-js" | "python", python: string, stubs: string, nodeArgs: string[]): Promise<{ child: LineChild; port: number; pid: number }> {
  const child =
    kind === "python"
      ? startChild(python, [path.join(here, "python_grpc_users.py"), stubs], kind)
      : startChild(process.execPath, [...nodeArgs, "--import", "tsx", fileURLToPath(import.meta.url), "server", kind], kind);
  const ready = await child.next((m) => m.ready === true, 120_000, "ready line");
  return { child, port: Number(ready.port), pid: Number(ready.pid) };
}

/** GetUserRequest{user_id: 1} in its gRPC envelope. */
const REQUEST = Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01]);

/** Keeps `streams` unary calls in flight over `connections` sessions for `seconds`; counts the OK ones. */
async function load(port: number, seconds: number, streams: number, connections: number): Promise<{ calls: number; failed: number }> {
  const sessions = Array.from({ length: connections }, () => http2.connect(`http://127.0.0.1:${port}`));
  await Promise.all(sessions.map((s) => new Promise<void>((resolve, reject) => s.once("connect", () => resolve()).once("error", reject))));
  const end = performance.now() + seconds * 1000;
  let calls = 0;
  let failed = 0;
  const one = (session: http2.ClientHttp2Session) =>
    new Promise<void>((resolve) => {
      const stream = session.request({ ":method": "POST", ":path": "/user_service.UserService/GetUser", "content-type": "application/grpc", te: "trailers" });
      let status: string | undefined;
      stream.on("response", (h) => (status = h["grpc-status"] as string | undefined ?? status));
      stream.on("trailers", (t) => (status = t["grpc-status"] as string | undefined));
      stream.on("data", () => {});
      stream.on("close", () => {
        if (status === "0") calls++;
        else failed++;
        resolve();
      });
      stream.on("error", () => {});
      stream.end(REQUEST);
    });
  await Promise.all(
    Array.from({ length: streams }, async (_, i) => {
      const session = sessions[i % connections]!;
      while (performance.now() < end) await one(session);
    }),
  );
  for (const s of sessions) s.close();
  return { calls, failed };
}

async function main() {
  const { values, positionals } = parseArgs({
    options: {
      seconds: { type: "string" },
      warmup: { type: "string" },
      streams: { type: "string" },
      connections: { type: "string" },
      python: { type: "string" },
      only: { type: "string" },
      "server-node-args": { type: "string" },
      help: { type: "boolean" },
    },
    allowPositionals: true,
  });
  if (positionals[0] === "server") return serve(positionals[1] ?? "");
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const positive = positiveOption("grpc-users", HELP);
  const seconds = positive(values.seconds ?? "5", "--seconds");
  const warmup = positive(values.warmup ?? "1", "--warmup");
  const streams = positive(values.streams ?? "50", "--streams", true);
  const connections = positive(values.connections ?? "4", "--connections", true);
  const python = values.python ?? "/usr/bin/python3";
  const only = values.only?.split(",").map((k) => k.trim());
  const nodeArgs = values["server-node-args"]?.split(/\s+/).filter(Boolean) ?? [];

  // The Python server's stubs, generated as the seed does (grpc_tools.protoc on the lab's .proto).
  const stubs = fs.mkdtempSync(path.join(os.tmpdir(), "grpc-users-"));
  execFileSync(python, ["-m", "grpc_tools.protoc", `-I${path.join(root, "proto/user_service")}`, `--python_out=${stubs}`, `--grpc_python_out=${stubs}`, "user_service.proto"]);

  const results: { kind: string; label: string; perSecond: number; cpuUs: number; failed: number }[] = [];
  try {
    for (const [kind, label] of [
      ["lab", "lab tapped (SQLite)"],
      ["lab-unwatched", "lab tapped, unwatched"],
      ["lab-untapped", "lab untapped"],
      ["http2-store", "node:http2 + store"],
      ["grpc-js", "bare @grpc/grpc-js"],
      ["python", "python grpcio (seed)"],
    ] as const) {
      if (only && !only.includes(kind)) continue;
      const server = await startServer(kind, python, stubs, nodeArgs);
      try {
        await load(server.port, warmup, streams, connections);
        const before = cpuSeconds(server.pid);
        const measured = await load(server.port, seconds, streams, connections);
        const cpu = (cpuSeconds(server.pid) - before) * 1e6;
        results.push({ kind, label, perSecond: measured.calls / seconds, cpuUs: measured.calls > 0 ? cpu / measured.calls : 0, failed: measured.failed });
      } finally {
        await stopChild(server.child);
      }
    }
  } finally {
    fs.rmSync(stubs, { recursive: true, force: true });
  }

  const byKind = (kind: string) => results.find((r) => r.kind === kind);
  const ratio = (label: string, a: string, b: string, goal: number) => {
    const x = byKind(a);
    const y = byKind(b);
    if (!x || !y) return [];
    const r = x.perSecond / y.perSecond;
    return [`${label}${r.toFixed(2)}x calls/s (goal >= ${goal}x): ${r >= goal ? "met" : "NOT met"}`];
  };
  const lines = [
    `unary GetUser, ${streams} streams in flight over ${connections} HTTP/2 connections, ${seconds} s each (load average ${os.loadavg()[0]!.toFixed(1)})`,
    "",
    `${"server".padEnd(24)} ${"calls/s".padStart(9)} ${"server CPU µs/call".padStart(19)}`,
    ...results.map((r) => `${r.label.padEnd(24)} ${r.perSecond.toFixed(0).padStart(9)} ${r.cpuUs.toFixed(1).padStart(19)}${r.failed ? `   (${r.failed} failed)` : ""}`),
    "",
    ...ratio("lab / grpc-js: ", "lab", "grpc-js", LAB_GOAL),
    ...ratio("lab / python:  ", "lab", "python", PYTHON_GOAL),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`grpc-users: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
