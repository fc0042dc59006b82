// The lab host of the Watch stream benchmark (bench/watch-stream.ts), in a process of its own so that the
// benchmark can read its CPU time from /proc/<pid>/stat: the host as `npm start` wires it (pages left out),
// wire capture off, and two sessions whose browser address is 127.0.0.1, so every event of the benchmark's
// echo connections goes into both rings (two, because one session holds at most 8 Watch streams and the
// benchmark opens 10).
//
//   node --import tsx bench/watch-host.ts [lab host flags, e.g. --ring-max-events=200000]
//
//   stdout  {"ready":true,"web":N,"echo":N,"pid":N,"sessions":["<id>","<id>"]}   once listening
//   stdin   "stats" -> stdout {"ring":N,"dropped":N}                              the first session's ring
//   stdin   EOF     -> exit                                                     never outlive the benchmark

import readline from "node:readline";
import { parseConfig } from "@/server/config";
import { startLabHost } from "@/server/lab/host";

const config = parseConfig(
  ["--web-port=0", "--echo-port=0", "--time-port=0", "--greeting-port=0", "--http-port=0", "--grpc-port=0", "--capture=off", ...process.argv.slice(2)],
  {},
);
const host = await startLabHost(config);
const sessions = [host.sessions.resolve(undefined, "127.0.0.1").session, host.sessions.resolve(undefined, "127.0.0.1").session];
process.stdout.write(
  `${JSON.stringify({ ready: true, web: host.port("web"), echo: host.port("tcp-echo"), pid: process.pid, sessions: sessions.map((s) => s.id) })}\n`,
);

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() === "stats") {
    const ring = sessions[0]!.ring;
    process.stdout.write(`${JSON.stringify({ ring: ring.size, dropped: ring.dropped })}\n`);
  }
});
lines.on("close", () => {
  void host.stop().finally(() => process.exit(0));
});
