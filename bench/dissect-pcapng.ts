// Dissection throughput over one ~50 MB pcapng of mixed lab traffic: the lab's own dissectors against
// `tshark -r` (summary lines) and `tshark -r -V` (full trees), same file, same machine, same run.
//
//   npx tsx bench/dissect-pcapng.ts                  capture the file once (cached), then measure
//   npx tsx bench/dissect-pcapng.ts --runs 5         more runs per reader (the median is reported)
//   npx tsx bench/dissect-pcapng.ts --regenerate     capture the file again
//   npx tsx bench/dissect-pcapng.ts --help           every option
//
// The file is captured for real, not synthesized: the lab host's servers (startLabHost, capture off,
// ports moved by an offset so a running lab is not disturbed) on 127.0.0.1, tcpdump on `lo` filtered to
// exactly those ports (the lab's own filter, wire.ts captureFilter), and a traffic driver in this
// process: echo ping-pong on many connections (short lines, `hello\n`, 1 KB messages, Cyrillic, `time`,
// `exit`), time-server connects, greetings with Cyrillic, a few 1 MB bursts, connection churn (FIN and
// RST) and refused connects to the lab's closed port, until the pcapng would reach the target size.
// tcpdump writes nanosecond pcap; the lab's pcapng writer converts it (nanosecond if_tsresol), and the
// pcap is deleted. The file and a JSON description of it stay in bench/out/ (git-ignored).
//
// Every reader runs twice over, and the output says which is which:
//   fresh        a new process per run, timed from its spawn to its exit: what a student's one-off
//                `tshark -r file` costs, and the same for the lab (node + tsx start-up, module loading and
//                a cold JIT included: a child `node --import tsx bench/dissect-pcapng.ts --child ...`).
//   warm         the work alone in a process that is already up: the lab in this process after one
//                untimed run of the same reader (the JIT warm); tshark started reading `-r` from a named
//                pipe, fed the file only once it has initialised (registered its dissectors, read its
//                preferences) and sits waiting for input, timed from the first byte fed to its exit.
//
// What each reader does with it:
//   lab, trees   readFileSync + readPcapng, then for every packet dissectPacket(linkType, bytes,
//                { analyzer, checksumsMayBeOffloaded: true, time }) with ONE TCP analyzer, plus
//                textDissector.dissect on the TCP payload of every segment to or from the lab's text
//                ports: the full trees the timeline shows. In this process, so tsx's keepNames cost is
//                included, as with npm start. The peer that does the same work is tshark -r -V.
//   lab, no trees  the same with { tree: false }: every frame, summary line and finding, no field trees,
//                as the live capture's joiner (server/capture/segments.ts) runs it. The peer that does
//                the same work is tshark -r, which dissects with a NULL tree when it prints summaries.
//   tshark -r    `tshark -r FILE > /dev/null`: every packet dissected, one summary line each.
//   tshark -r -V `tshark -r FILE -V > /dev/null`: every packet's full tree printed.
// MB/s is file bytes (MB = 10^6 bytes) over wall time; tshark's wall time includes its start-up, which
// is measured separately on a 10-packet file and printed so it can be taken into account.
//
// Like every benchmark here it prints evidence and never fails on a missed goal.

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createPcapStreamReader, type Packet } from "@/server/capture/pcap-reader";
import { createPcapngWriter, readPcapng } from "@/server/capture/pcapng";
import { captureFilter } from "@/server/capture/wire";
import { parseConfig } from "@/server/config";
import { dissectPacket } from "@/server/dissect/packet";
import { createTcpAnalyzer } from "@/server/dissect/tcp-analysis";
import { textDissector } from "@/server/dissect/text";
import { PortInUseError, startLabHost, type LabHost } from "@/server/lab/host";
import { pythonStrip, pythonStrftime } from "@/server/servers/python-repr";
import { positiveOption } from "./options";
import { cpuSeconds } from "./processes";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, "out");

const HELP = `Usage: npx tsx bench/dissect-pcapng.ts [options]

  --runs <n>           measured runs per reader, interleaved; the median is reported (default 3)
  --file <path>        the pcapng to measure (default bench/out/mixed-lab-traffic.pcapng; made when missing)
  --regenerate         capture the file again even if it exists
  --size-mb <n>        target size of a new file, MB = 10^6 bytes (default 50)
  --port-offset <n>    where the lab's servers listen while the file is captured (default 20000:
                       echo 28888, time 28000, greeting 28007, closed port 28001); the next offsets
                       (+1000 each) are tried when a port is taken
  --no-verbose         skip the tshark -V rows (they are the slowest)
  --modes <list>       fresh, warm or both (default fresh,warm): fresh runs each reader as a new
                       process per run; warm measures a process that is already up (see the header)
  --tshark <path>      tshark binary (default /usr/bin/tshark, else tshark on PATH)
  --tcpdump <path>     tcpdump binary for the capture (default /usr/bin/tcpdump, else on PATH)
  --help               this text`;

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    file: { type: "string" },
    regenerate: { type: "boolean", default: false },
    "size-mb": { type: "string", default: "50" },
    "port-offset": { type: "string", default: "20000" },
    "no-verbose": { type: "boolean", default: false },
    tshark: { type: "string" },
    tcpdump: { type: "string" },
    modes: { type: "string", default: "fresh,warm" },
    child: { type: "string" },
    "text-ports": { type: "string" },
    help: { type: "boolean", default: false },
  },
  strict: true,
});
if (opts.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const positive = positiveOption("dissect-pcapng", HELP);
const runs = positive(opts.runs!, "--runs", true);
const targetBytes = Math.round(positive(opts["size-mb"]!, "--size-mb", false) * 1e6);
const baseOffset = Number(opts["port-offset"]);
if (!Number.isInteger(baseOffset) || baseOffset < 0 || baseOffset > 30000) {
  process.stderr.write(`dissect-pcapng: --port-offset must be an integer from 0 to 30000\n`);
  process.exit(2);
}
const modes = new Set(opts.modes!.split(",").map((m) => m.trim()));
if (modes.size === 0 || [...modes].some((m) => m !== "fresh" && m !== "warm")) {
  process.stderr.write(`dissect-pcapng: --modes takes fresh, warm or fresh,warm\n`);
  process.exit(2);
}
const pcapngPath = path.resolve(opts.file ?? path.join(outDir, "mixed-lab-traffic.pcapng"));
const metaPath = pcapngPath.replace(/\.pcapng$/, "") + ".json";

function findProgram(name: string, given: string | undefined): string | undefined {
  if (given) return given;
  for (const dir of ["/usr/bin", "/usr/sbin", ...(process.env.PATH ?? "").split(path.delimiter)]) {
    if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}
const tshark = findProgram("tshark", opts.tshark);
const timeProgram = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

const out = (s = "") => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------
// Child processes: every one we start is stopped on any exit path (by pid, never by name).

const children = new Set<ChildProcess>();
function killAll() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// The file's description, kept next to it

interface Meta {
  readonly file: string;
  readonly bytes: number;
  readonly packets: number;
  readonly linkType: number;
  readonly ports: { echo: number; time: number; greeting: number; closed: number };
  readonly capturedAt: string;
  readonly captureSeconds: number;
  readonly firstPacketNs: string;
  readonly lastPacketNs: string;
  readonly tcpdump: string;
  readonly tcpdumpDropped: number | null;
  readonly mix: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------------
// Generation: the lab's servers, tcpdump, and a bounded traffic driver

/** The pcapng the lab's writer makes of these packets: SHB + IDB, then 32 bytes + data padded per EPB. */
const PCAPNG_HEADER_ESTIMATE = 256;
const epbBytes = (captured: number) => 32 + captured + ((4 - (captured % 4)) % 4);

/** A client connection that counts what it receives and can wait for a byte count or for the close. */
class Conn {
  received = 0;
  closed = false;
  reset = false;
  private waiters: (() => void)[] = [];
  constructor(readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.received += d.length;
      this.wake();
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNRESET" || err.code === "EPIPE") this.reset = true;
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
  }
  private wake() {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
  /** Resolves true once `predicate` holds, false on timeout or when the connection closed first. */
  until(predicate: () => boolean, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(false);
      }, ms);
      const check = () => {
        if (predicate()) {
          clearTimeout(timer);
          resolve(true);
        } else if (this.closed) {
          clearTimeout(timer);
          resolve(false);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }
  bytes(n: number, ms = 5_000) {
    return this.until(() => this.received >= n, ms);
  }
  close(ms = 5_000) {
    return this.until(() => this.closed, ms);
  }
}

function connect(port: number): Promise<Conn | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, 5_000);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(new Conn(socket));
    });
    socket.once("error", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
  });
}

const utf8Length = (s: string) => Buffer.byteLength(s, "utf8");

/** About 1 KiB of log-like lines, exactly `size` bytes. */
function logText(size: number, seed: number): string {
  let s = "";
  for (let i = 0; s.length < size; i++) {
    s += `${String(seed + i).padStart(6, "0")} INFO request from 127.0.0.1:${40000 + ((seed * 7 + i) % 20000)} served in ${i % 7}.${i % 10} ms\n`;
  }
  return s.slice(0, size);
}

const KILOBYTES = Array.from({ length: 16 }, (_, i) => logText(1024, i * 100));
const CYRILLIC = ["Привет, сервер", "Привет, мир!\n", "Как дела? Всё хорошо.", "Съешь же ещё этих мягких французских булок"];

interface Mix {
  echoConnections: number;
  echoMessages: number;
  echoKilobyteMessages: number;
  echoTime: number;
  echoCyrillic: number;
  echoExit: number;
  timeConnects: number;
  greetings: number;
  churnFin: number;
  churnRst: number;
  refused: number;
  bursts: number;
  burstBytes: number;
  stalls: number;
  failedConnects: number;
}

function newMix(): Mix {
  return {
    echoConnections: 0,
    echoMessages: 0,
    echoKilobyteMessages: 0,
    echoTime: 0,
    echoCyrillic: 0,
    echoExit: 0,
    timeConnects: 0,
    greetings: 0,
    churnFin: 0,
    churnRst: 0,
    refused: 0,
    bursts: 0,
    burstBytes: 0,
    stalls: 0,
    failedConnects: 0,
  };
}

/** The message an echo connection sends at step `i`, and the bytes of its answer. */
function echoMessage(conn: number, i: number, mix: Mix): { text: string; answer: number } {
  const k = (conn * 3 + i) % 10;
  let text: string;
  if (k <= 3) text = `ping ${String((conn * 31 + i) % 1000).padStart(3, "0")}`;
  else if (k === 4) text = "hello\n";
  else if (k <= 6) {
    text = KILOBYTES[(conn + i) % KILOBYTES.length]!;
    mix.echoKilobyteMessages++;
  } else if (k === 7) {
    text = CYRILLIC[(conn + i) % CYRILLIC.length]!;
    mix.echoCyrillic++;
  } else if (k === 8) {
    text = "time";
    mix.echoTime++;
    // ECHO: time, then "Server time: YYYY-MM-DD HH:MM:SS" (fixed width).
    return { text, answer: utf8Length("ECHO: time") + utf8Length(`Server time: ${pythonStrftime(new Date())}`) };
  } else text = `message ${conn}.${i}: the quick brown fox`;
  return { text, answer: utf8Length(`ECHO: ${pythonStrip(text)}`) };
}

async function echoConversation(port: number, conn: number, exchanges: number, mix: Mix): Promise<void> {
  const c = await connect(port);
  if (!c) {
    mix.failedConnects++;
    return;
  }
  mix.echoConnections++;
  try {
    if (!(await c.bytes(1))) {
      mix.stalls++;
      return;
    }
    // The welcome is one write; whatever arrived with it counts as the starting point.
    let expected = c.received;
    for (let i = 0; i < exchanges; i++) {
      const { text, answer } = echoMessage(conn, i, mix);
      expected += answer;
      c.socket.write(text);
      mix.echoMessages++;
      if (!(await c.bytes(expected))) {
        mix.stalls++;
        return;
      }
    }
    if (conn % 2 === 0) {
      // The seed's way out: "exit", answered by "ECHO: exit", "Goodbye!" and the server's FIN.
      c.socket.write("exit");
      mix.echoExit++;
    } else {
      c.socket.end();
    }
    if (!(await c.close())) mix.stalls++;
  } finally {
    c.socket.destroy();
  }
}

async function readToClose(port: number, send: string | undefined, mix: Mix, counter: "timeConnects" | "greetings"): Promise<void> {
  const c = await connect(port);
  if (!c) {
    mix.failedConnects++;
    return;
  }
  mix[counter]++;
  if (send !== undefined) c.socket.write(send);
  if (!(await c.close())) mix.stalls++;
  c.socket.destroy();
}

async function churn(port: number, n: number, mix: Mix): Promise<void> {
  const c = await connect(port);
  if (!c) {
    mix.failedConnects++;
    return;
  }
  await c.bytes(1); // the welcome
  if (n % 5 === 0) {
    c.socket.resetAndDestroy(); // RST instead of FIN
    mix.churnRst++;
    return;
  }
  c.socket.end();
  mix.churnFin++;
  if (!(await c.close())) mix.stalls++;
  c.socket.destroy();
}

function refused(port: number, mix: Mix): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, 5_000);
    socket.once("error", () => {
      mix.refused++;
      clearTimeout(timer);
      resolve();
    });
    socket.once("connect", () => {
      // Something listens there: not the closed port we expected; leave it alone.
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
  });
}

async function burst(port: number, n: number, mix: Mix): Promise<void> {
  const c = await connect(port);
  if (!c) {
    mix.failedConnects++;
    return;
  }
  try {
    await c.bytes(1);
    const welcome = c.received;
    const data = Buffer.from(logText(1 << 20, 1_000_000 + n * 50_000), "utf8");
    c.socket.end(data);
    mix.bursts++;
    mix.burstBytes += data.length;
    // The echo answers every recv(1024) piece, then closes after our FIN.
    if (!(await c.close(60_000))) mix.stalls++;
    mix.burstBytes += c.received - welcome;
  } finally {
    c.socket.destroy();
  }
}

async function startHostWithFreePorts(): Promise<{ host: LabHost; offset: number }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const offset = baseOffset + attempt * 1000;
    try {
      // The environment is left out so a LAB_* variable of the shell cannot change the ports.
      const host = await startLabHost(parseConfig([`--port-offset=${offset}`, "--grpc-port=0", "--capture=off"], {}));
      return { host, offset };
    } catch (err) {
      if (!(err instanceof PortInUseError)) throw err;
    }
  }
  throw new Error(`no free set of lab ports from offset ${baseOffset} on (tried 10 offsets, 1000 apart)`);
}

async function generate(): Promise<Meta> {
  const tcpdump = findProgram("tcpdump", opts.tcpdump);
  if (!tcpdump) throw new Error("tcpdump not found: install it (apt-get install tcpdump) or pass --tcpdump");
  fs.mkdirSync(path.dirname(pcapngPath), { recursive: true });
  const pcapPath = pcapngPath.replace(/\.pcapng$/, "") + ".capture.pcap";
  fs.rmSync(pcapPath, { force: true });

  const { host, offset } = await startHostWithFreePorts();
  const ports = {
    echo: host.port("tcp-echo"),
    time: host.port("time"),
    greeting: host.port("greeting"),
    closed: 8001 + offset,
  };
  out(`capturing mixed lab traffic to ${path.relative(process.cwd(), pcapngPath)} (target ${(targetBytes / 1e6).toFixed(0)} MB)`);
  out(`  lab servers on 127.0.0.1: echo ${ports.echo}, time ${ports.time}, greeting ${ports.greeting}, closed port ${ports.closed}`);

  const filter = captureFilter([ports.echo, ports.time, ports.greeting, ports.closed]);
  // As the lab runs it (wire.ts), but to a file and with a larger kernel buffer (-B, KiB) so that the
  // 1 MB bursts are not dropped.
  const args = ["-i", "lo", "-n", "-s", "262144", "--time-stamp-precision=nano", "-B", "32768", "-w", pcapPath, filter];
  // tcpdump reads no stdin, so it would not notice our death: under timeout(1) its life is bounded
  // even if we are killed with SIGKILL. timeout passes our SIGINT on to it.
  const bounded = fs.existsSync("/usr/bin/timeout");
  const dump = track(
    bounded
      ? spawn("/usr/bin/timeout", ["--signal=INT", "--kill-after=5", "900", tcpdump, ...args], { stdio: ["ignore", "ignore", "pipe"] })
      : spawn(tcpdump, args, { stdio: ["ignore", "ignore", "pipe"] }),
  );
  let dumpErr = "";
  dump.stderr!.setEncoding("utf8");
  dump.stderr!.on("data", (t: string) => {
    dumpErr = (dumpErr + t).slice(-4000);
  });
  const mix = newMix();
  const started = performance.now();
  let reader = createPcapStreamReader();
  let fd: number | undefined;
  try {
    // tcpdump says "listening on lo" once it captures.
    for (let i = 0; i < 100 && !/listening on/.test(dumpErr); i++) {
      if (dump.exitCode !== null) break;
      await sleep(50);
    }
    if (!/listening on/.test(dumpErr)) throw new Error(`tcpdump did not start: ${dumpErr.trim() || "no output"}`);
    await sleep(200);

    // Follow the file as tcpdump writes it, to know how large the pcapng of these packets will be.
    let readAt = 0;
    let packets = 0;
    let estimate = PCAPNG_HEADER_ESTIMATE;
    const chunk = Buffer.alloc(1 << 20);
    const follow = () => {
      if (fd === undefined) {
        if (!fs.existsSync(pcapPath)) return;
        fd = fs.openSync(pcapPath, "r");
      }
      for (let guard = 0; guard < 1000; guard++) {
        const n = fs.readSync(fd, chunk, 0, chunk.length, readAt);
        if (n <= 0) break;
        readAt += n;
        for (const p of reader.push(chunk.subarray(0, n))) {
          packets++;
          estimate += epbBytes(p.data.length);
        }
      }
    };

    const BURSTS_AT = [0.15, 0.35, 0.55, 0.75];
    const MAX_CYCLES = 5_000;
    const MAX_MS = 6 * 60_000;
    let nextBurst = 0;
    let lastReport = 0;
    let conn = 0;
    for (let cycle = 0; cycle < MAX_CYCLES; cycle++) {
      follow();
      if (estimate >= targetBytes) break;
      if (performance.now() - started > MAX_MS) {
        out(`  stopped after ${MAX_MS / 60_000} min at ${(estimate / 1e6).toFixed(1)} MB: the file will be smaller than the target`);
        break;
      }
      const tasks: Promise<void>[] = [];
      for (let i = 0; i < 40; i++) tasks.push(echoConversation(ports.echo, conn++, 20, mix));
      for (let i = 0; i < 12; i++) tasks.push(readToClose(ports.time, undefined, mix, "timeConnects"));
      for (let i = 0; i < 12; i++) tasks.push(readToClose(ports.greeting, CYRILLIC[i % CYRILLIC.length], mix, "greetings"));
      for (let i = 0; i < 30; i++) tasks.push(churn(ports.echo, cycle * 30 + i, mix));
      for (let i = 0; i < 2; i++) tasks.push(refused(ports.closed, mix));
      if (nextBurst < BURSTS_AT.length && estimate >= BURSTS_AT[nextBurst]! * targetBytes) {
        tasks.push(burst(ports.echo, nextBurst, mix));
        nextBurst++;
      }
      await Promise.all(tasks);
      const now = performance.now();
      if (now - lastReport > 5_000) {
        lastReport = now;
        out(`  ${((now - started) / 1000).toFixed(0).padStart(4)} s  ${(estimate / 1e6).toFixed(1).padStart(5)} MB  ${packets.toLocaleString("en-US")} packets`);
      }
    }
    // Late FINs, ACKs and TIME_WAIT chatter of the last cycle reach the file before tcpdump stops.
    await sleep(500);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    // SIGINT: tcpdump flushes the file and prints its counters.
    if (dump.exitCode === null && dump.signalCode === null) {
      dump.kill("SIGINT");
      if (!(await exited(dump, 5_000))) {
        dump.kill("SIGKILL");
        await exited(dump, 2_000);
      }
    }
    await host.stop();
  }
  const captureSeconds = (performance.now() - started) / 1000;
  const droppedMatch = /(\d+) packets? dropped by kernel/.exec(dumpErr);

  // Convert: the whole pcap, read by the lab's stream reader, written by the lab's pcapng writer.
  out(`  converting to pcapng with the lab's writer`);
  reader = createPcapStreamReader();
  const pcap = fs.readFileSync(pcapPath);
  const packets: Packet[] = reader.push(pcap);
  reader.end();
  if (packets.length === 0) throw new Error("tcpdump captured no packets");
  const writer = createPcapngWriter();
  writer.sectionHeader({
    comment: `Mixed lab traffic on lo, captured by tcpdump for bench/dissect-pcapng.ts; lab ports echo ${ports.echo}, time ${ports.time}, greeting ${ports.greeting}, closed ${ports.closed}`,
    os: `${os.type()} ${os.release()}`,
    userAppl: "Protocol Lab bench/dissect-pcapng.ts",
  });
  const iface = writer.interfaceDescription({ linkType: reader.linkType!, snapLen: reader.snapLen ?? 262144, name: "lo", tsresol: reader.nanosecond ? 9 : 6 });
  const tmp = `${pcapngPath}.tmp`;
  const outFd = fs.openSync(tmp, "w");
  let written = 0;
  try {
    const flush = () => {
      for (const block of writer.blocks()) {
        fs.writeSync(outFd, block);
        written += block.length;
      }
    };
    flush();
    for (let i = 0; i < packets.length; i++) {
      const p = packets[i]!;
      writer.enhancedPacket({ interfaceId: iface, timestampNs: p.timestampNs, data: p.data, originalLength: p.originalLength });
      if (i % 4096 === 4095) flush();
    }
    flush();
  } finally {
    fs.closeSync(outFd);
  }
  fs.renameSync(tmp, pcapngPath);
  fs.rmSync(pcapPath, { force: true });

  const meta: Meta = {
    file: path.basename(pcapngPath),
    bytes: written,
    packets: packets.length,
    linkType: reader.linkType!,
    ports,
    capturedAt: new Date().toISOString(),
    captureSeconds: Math.round(captureSeconds * 10) / 10,
    firstPacketNs: packets[0]!.timestampNs.toString(),
    lastPacketNs: packets[packets.length - 1]!.timestampNs.toString(),
    tcpdump: `${path.basename(tcpdump)} ${args.join(" ")}`,
    tcpdumpDropped: droppedMatch ? Number(droppedMatch[1]) : null,
    mix: { ...mix },
  };
  fs.writeFileSync(metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  out(`  done in ${captureSeconds.toFixed(0)} s: ${(written / 1e6).toFixed(1)} MB, ${packets.length.toLocaleString("en-US")} packets`);
  out();
  return meta;
}

function loadMeta(): Meta | undefined {
  if (!fs.existsSync(pcapngPath) || !fs.existsSync(metaPath)) return undefined;
  try {
    const meta = JSON.parse(fs.readFileSync(metaPath, "utf8")) as Meta;
    return meta.bytes === fs.statSync(pcapngPath).size ? meta : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Measurement

interface Sample {
  readonly wall: number;
  /** CPU seconds (user + system), undefined when it could not be measured. */
  readonly cpu: number | undefined;
  readonly maxRssMiB?: number;
  /** Lab only: read + readPcapng, the rest is dissection. */
  readonly readSeconds?: number;
  readonly packets?: number;
  /** Lab, fresh: the child's own figure for reading and dissecting, without its start-up. */
  readonly innerWall?: number;
  /** tshark, warm: the CPU it spent starting, before it was fed (left out of `cpu`). */
  readonly startupCpu?: number;
}

interface LabTotals {
  packets: number;
  frames: number;
  topFields: number;
  findings: number;
  textPayloads: number;
  textFrames: number;
  textBytes: number;
}

const labTotals = new Map<boolean, LabTotals>();

function runLab(file: string, textPorts: ReadonlySet<number>, tree: boolean): Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = fs.readFileSync(file);
  const parsed = readPcapng(bytes);
  const t1 = performance.now();
  // One analyzer for the whole file, with the live joiner's bound (server/capture/segments.ts).
  const analyzer = createTcpAnalyzer({ maxConnections: 16_384 });
  const totals: LabTotals = { packets: 0, frames: 0, topFields: 0, findings: 0, textPayloads: 0, textFrames: 0, textBytes: 0 };
  for (const p of parsed.packets) {
    const r = dissectPacket(p.linkType, p.data, { analyzer, checksumsMayBeOffloaded: true, time: Number(p.timestampNs) / 1e9, tree });
    totals.packets++;
    for (const f of r.frames) {
      totals.frames++;
      totals.topFields += f.fields.length;
      totals.findings += f.findings.length;
    }
    const { tcp, flow } = r;
    if (tcp && flow && tcp.payloadLength > 0) {
      const toServer = textPorts.has(flow.dstPort);
      if (toServer || textPorts.has(flow.srcPort)) {
        const end = Math.min(p.data.length, tcp.payloadOffset + tcp.payloadLength);
        if (end > tcp.payloadOffset) {
          const frames = textDissector.dissect(p.data.subarray(tcp.payloadOffset, end), { direction: toServer ? "c2s" : "s2c", tree });
          totals.textPayloads++;
          totals.textBytes += end - tcp.payloadOffset;
          for (const f of frames) {
            totals.textFrames++;
            totals.topFields += f.fields.length;
            totals.findings += f.findings.length;
          }
        }
      }
    }
  }
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  labTotals.set(tree, totals);
  return { wall, cpu: (c.user + c.system) / 1e6, readSeconds: (t1 - t0) / 1000, packets: totals.packets, maxRssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) };
}

/** Runs tshark with stdout to /dev/null; CPU and peak RSS from /usr/bin/time when it is there. */
async function runTshark(file: string, extra: string[]): Promise<Sample> {
  if (!tshark) throw new Error("tshark not found");
  const timeOut = path.join(outDir, `.time-${process.pid}.txt`);
  fs.mkdirSync(outDir, { recursive: true });
  const devnull = fs.openSync("/dev/null", "w");
  const command = timeProgram ? timeProgram : tshark;
  const args = timeProgram ? ["-o", timeOut, "-f", "%e %U %S %M", tshark, "-r", file, ...extra] : ["-r", file, ...extra];
  let stderr = "";
  const t0 = performance.now();
  const child = track(spawn(command, args, { stdio: ["ignore", devnull, "pipe"] }));
  fs.closeSync(devnull);
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (t: string) => {
    stderr = (stderr + t).slice(-4000);
  });
  const done = await exited(child, 15 * 60_000);
  const wall = (performance.now() - t0) / 1000;
  if (!done) {
    child.kill("SIGKILL");
    await exited(child, 2_000);
    throw new Error(`tshark ${extra.join(" ")} did not finish within 15 min`);
  }
  if (child.exitCode !== 0) {
    throw new Error(`tshark -r ${extra.join(" ")} exited with ${child.exitCode ?? child.signalCode}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`);
  }
  let cpu: number | undefined;
  let maxRssMiB: number | undefined;
  if (timeProgram) {
    const fields = fs.readFileSync(timeOut, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
    fs.rmSync(timeOut, { force: true });
    if (fields.length >= 4 && fields.every(Number.isFinite)) {
      cpu = fields[1]! + fields[2]!;
      maxRssMiB = Math.round(fields[3]! / 1024);
    }
  }
  return { wall, cpu, maxRssMiB };
}

/** The lab's reader in a new process (this script with --child), timed from spawn to exit; CPU and peak RSS of the child. */
async function runLabFresh(file: string, textPorts: ReadonlySet<number>, tree: boolean): Promise<Sample> {
  const script = fileURLToPath(import.meta.url);
  const childArgs = ["--import", "tsx", script, "--child", tree ? "trees" : "no-trees", "--file", file, "--text-ports", [...textPorts].join(",")];
  const timeOut = path.join(outDir, `.time-lab-${process.pid}.txt`);
  fs.mkdirSync(outDir, { recursive: true });
  const command = timeProgram ?? process.execPath;
  const args = timeProgram ? ["-o", timeOut, "-f", "%e %U %S %M", process.execPath, ...childArgs] : childArgs;
  let stdout = "";
  let stderr = "";
  const t0 = performance.now();
  const child = track(spawn(command, args, { cwd: path.join(here, ".."), stdio: ["ignore", "pipe", "pipe"] }));
  child.stdout!.setEncoding("utf8").on("data", (t: string) => (stdout += t));
  child.stderr!.setEncoding("utf8").on("data", (t: string) => (stderr = (stderr + t).slice(-4000)));
  const done = await exited(child, 15 * 60_000);
  const wall = (performance.now() - t0) / 1000;
  if (!done) {
    child.kill("SIGKILL");
    throw new Error("the lab's fresh process did not finish within 15 min");
  }
  if (child.exitCode !== 0) throw new Error(`the lab's fresh process exited with ${child.exitCode ?? child.signalCode}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`);
  const inner = JSON.parse(stdout.trim().split("\n").at(-1)!) as Sample & { totals: LabTotals };
  labTotals.set(tree, inner.totals);
  let cpu: number | undefined;
  let maxRssMiB: number | undefined;
  if (timeProgram) {
    const fields = fs.readFileSync(timeOut, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
    fs.rmSync(timeOut, { force: true });
    if (fields.length >= 4 && fields.every(Number.isFinite)) {
      cpu = fields[1]! + fields[2]!;
      maxRssMiB = Math.round(fields[3]! / 1024);
    }
  }
  return { wall, cpu, maxRssMiB, readSeconds: inner.readSeconds, packets: inner.packets, innerWall: inner.wall };
}

/** CPU seconds of a process so far, or undefined once it is gone. */
function cpuOf(pid: number): number | undefined {
  try {
    return cpuSeconds(pid);
  } catch {
    return undefined;
  }
}

/**
 * tshark already up: `tshark -r FIFO` (a named pipe: it refuses the socket Node gives a child's stdin), fed the file
 * once its CPU time has stopped moving for 300 ms (its dissectors registered, waiting to open the pipe). Wall from the first byte fed to its exit; CPU from /proc over the
 * same span, read last just before the pipe closes and at its exit through /usr/bin/time's total.
 */
async function runTsharkWarm(file: string, extra: string[]): Promise<Sample> {
  if (!tshark) throw new Error("tshark not found");
  const timeOut = path.join(outDir, `.time-warm-${process.pid}.txt`);
  fs.mkdirSync(outDir, { recursive: true });
  const fifo = path.join(outDir, `.feed-${process.pid}.pcapng`);
  fs.rmSync(fifo, { force: true });
  execFileSync("mkfifo", [fifo]);
  const devnull = fs.openSync("/dev/null", "w");
  const args = timeProgram ? ["-o", timeOut, "-f", "%e %U %S %M", tshark, "-r", fifo, ...extra] : ["-r", fifo, ...extra];
  const child = track(spawn(timeProgram ?? tshark, args, { stdio: ["ignore", devnull, "pipe"] }));
  fs.closeSync(devnull);
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (t: string) => (stderr = (stderr + t).slice(-4000)));
  // Under /usr/bin/time, tshark is time's child.
  const tsharkPid = async (): Promise<number | undefined> => {
    if (!timeProgram) return child.pid;
    for (let i = 0; i < 100; i++) {
      try {
        const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim();
        if (kids) return Number(kids.split(" ")[0]);
      } catch {
        return undefined;
      }
      await sleep(10);
    }
    return undefined;
  };
  const pid = await tsharkPid();
  if (pid === undefined) throw new Error(`tshark (warm) did not start: ${stderr.trim()}`);
  let last = cpuOf(pid);
  let still = 0;
  const deadline = Date.now() + 60_000;
  while (still < 6 && Date.now() < deadline) {
    await sleep(50);
    const now = cpuOf(pid);
    still = now === last ? still + 1 : 0;
    last = now;
  }
  if (child.exitCode !== null) throw new Error(`tshark -r FIFO ${extra.join(" ")} exited before it was fed: ${stderr.trim()}`);
  const startCpu = last ?? 0;
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const input = fs.createReadStream(file);
    const feed = fs.createWriteStream(fifo);
    input.once("error", reject);
    feed.once("error", reject);
    input.pipe(feed).once("finish", resolve);
  });
  fs.rmSync(fifo, { force: true });
  const done = await exited(child, 15 * 60_000);
  const wall = (performance.now() - t0) / 1000;
  if (!done) {
    child.kill("SIGKILL");
    throw new Error(`tshark -r FIFO ${extra.join(" ")} did not finish within 15 min`);
  }
  if (child.exitCode !== 0) {
    throw new Error(`tshark -r FIFO ${extra.join(" ")} exited with ${child.exitCode ?? child.signalCode}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`);
  }
  let cpu: number | undefined;
  let maxRssMiB: number | undefined;
  if (timeProgram) {
    const fields = fs.readFileSync(timeOut, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
    fs.rmSync(timeOut, { force: true });
    if (fields.length >= 4 && fields.every(Number.isFinite)) {
      cpu = fields[1]! + fields[2]! - startCpu;
      maxRssMiB = Math.round(fields[3]! / 1024);
    }
  }
  return { wall, cpu, maxRssMiB, startupCpu: startCpu };
}

/** A pcapng of the file's first 10 packets: what tshark takes to start and stop, with almost no work. */
function tinyFile(file: string): string {
  const parsed = readPcapng(fs.readFileSync(file));
  const writer = createPcapngWriter();
  writer.sectionHeader({ userAppl: "Protocol Lab bench/dissect-pcapng.ts (start-up probe)" });
  const iface = writer.interfaceDescription({ linkType: parsed.interfaces[0]!.linkType, snapLen: parsed.interfaces[0]!.snapLen, tsresol: 9 });
  for (const p of parsed.packets.slice(0, 10)) writer.enhancedPacket({ interfaceId: iface, timestampNs: p.timestampNs, data: p.data });
  const tiny = path.join(outDir, "startup-probe.pcapng");
  fs.writeFileSync(tiny, writer.toBytes());
  return tiny;
}

// ---------------------------------------------------------------------------------------------------
// Report

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const fixed = (n: number | undefined, digits = 1) => (n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

async function main() {
  out(`Dissection throughput: the lab's dissectors vs tshark, ${runs} run(s) per reader, interleaved`);
  out(`machine: ${os.cpus().length} CPU(s), node ${process.version}, ${tshark ? `tshark ${tshark}` : "no tshark"}, CPU of children via ${timeProgram ?? "nothing (wall only)"}`);
  out();

  let meta = opts.regenerate ? undefined : loadMeta();
  if (!meta) {
    if (opts.file && !opts.regenerate && fs.existsSync(pcapngPath)) {
      throw new Error(`${pcapngPath} has no matching ${path.basename(metaPath)}; pass --regenerate to capture it anew`);
    }
    meta = await generate();
  }
  const fileBytes = fs.statSync(pcapngPath).size;
  const spanS = Number(BigInt(meta.lastPacketNs) - BigInt(meta.firstPacketNs)) / 1e9;
  out(`file: ${path.relative(process.cwd(), pcapngPath)}  ${(fileBytes / 1e6).toFixed(1)} MB, ${int(meta.packets)} packets (mean ${fixed(fileBytes / meta.packets, 0)} B/packet), link type ${meta.linkType}, ${fixed(spanS)} s of traffic captured ${meta.capturedAt}`);
  out(`  ports: echo ${meta.ports.echo}, time ${meta.ports.time}, greeting ${meta.ports.greeting}, closed ${meta.ports.closed}; tcpdump dropped ${meta.tcpdumpDropped ?? "n/a"} packet(s)`);
  const m = meta.mix;
  out(
    `  traffic: ${int(m.echoConnections ?? 0)} echo conversations (${int(m.echoMessages ?? 0)} messages: ${int(m.echoKilobyteMessages ?? 0)} of 1 KB, ${int(m.echoCyrillic ?? 0)} Cyrillic, ${int(m.echoTime ?? 0)} time, ${int(m.echoExit ?? 0)} exit), ` +
      `${int(m.timeConnects ?? 0)} time connects, ${int(m.greetings ?? 0)} greetings, ${int((m.churnFin ?? 0) + (m.churnRst ?? 0))} churn connects (${int(m.churnRst ?? 0)} reset), ` +
      `${int(m.refused ?? 0)} refused, ${int(m.bursts ?? 0)} bursts of 1 MiB; ${int(m.stalls ?? 0)} stalls, ${int(m.failedConnects ?? 0)} failed connects`,
  );
  out();

  const textPorts = new Set([meta.ports.echo, meta.ports.time, meta.ports.greeting]);
  type Side = "lab" | "lab-no-trees" | "tshark" | "tshark-V";
  type Mode = "fresh" | "warm";
  type ReaderId = `${Side} ${Mode}`;
  const readers: { id: ReaderId; label: string; run: () => Promise<Sample> }[] = [];
  // Warm lab readers get one untimed run first, so every timed run finds the JIT warm.
  const warmed = new Set<boolean>();
  const labWarm = async (tree: boolean) => {
    if (!warmed.has(tree)) runLab(pcapngPath, textPorts, tree);
    warmed.add(tree);
    return runLab(pcapngPath, textPorts, tree);
  };
  for (const mode of ["fresh", "warm"] as const) {
    if (!modes.has(mode)) continue;
    const fresh = mode === "fresh";
    const tag = fresh ? "fresh process" : "warm";
    readers.push(
      { id: `lab ${mode}`, label: `lab, trees (${tag}): dissectPacket + analyzer + text`, run: () => (fresh ? runLabFresh(pcapngPath, textPorts, true) : labWarm(true)) },
      { id: `lab-no-trees ${mode}`, label: `lab, no trees (${tag}): the same, tree: false`, run: () => (fresh ? runLabFresh(pcapngPath, textPorts, false) : labWarm(false)) },
    );
    if (!tshark) continue;
    readers.push({ id: `tshark ${mode}`, label: `tshark -r (${tag}; summary lines)`, run: () => (fresh ? runTshark(pcapngPath, []) : runTsharkWarm(pcapngPath, [])) });
    if (!opts["no-verbose"]) {
      readers.push({ id: `tshark-V ${mode}`, label: `tshark -r -V (${tag}; full trees)`, run: () => (fresh ? runTshark(pcapngPath, ["-V"]) : runTsharkWarm(pcapngPath, ["-V"])) });
    }
  }
  if (!tshark) out("tshark not found: only the lab is measured");
  out("fresh: a new process per run, timed from its spawn to its exit (start-up included); warm: the same work in a process already up (see the header)");

  let startup: Sample | undefined;
  if (tshark && modes.has("fresh")) {
    const tiny = tinyFile(pcapngPath);
    await runTshark(tiny, []); // page the binary and its libraries in
    const probes = [await runTshark(tiny, []), await runTshark(tiny, []), await runTshark(tiny, [])];
    startup = { wall: median(probes.map((p) => p.wall)), cpu: median(probes.map((p) => p.cpu ?? NaN)) };
    fs.rmSync(tiny, { force: true });
  }

  const samples = new Map<ReaderId, Sample[]>(readers.map((r) => [r.id, []]));
  for (let run = 0; run < runs; run++) {
    // Rotate the order every run, so no reader always goes first.
    const order = readers.map((_, i) => readers[(i + run) % readers.length]!);
    for (const reader of order) {
      const s = await reader.run();
      samples.get(reader.id)!.push(s);
      out(
        `run ${run + 1}/${runs}  ${reader.label.padEnd(62)} ${fixed(fileBytes / 1e6 / s.wall).padStart(6)} MB/s  wall ${fixed(s.wall, 2).padStart(6)} s  CPU ${fixed(s.cpu, 2).padStart(6)} s` +
          (s.readSeconds !== undefined ? `  (read + readPcapng ${fixed(s.readSeconds, 2)} s)` : "") +
          (s.innerWall !== undefined ? `  (its own reading and dissection ${fixed(s.innerWall, 2)} s, the rest start-up)` : "") +
          (s.startupCpu !== undefined ? `  (start-up before the feed: CPU ${fixed(s.startupCpu, 2)} s, left out)` : "") +
          (s.maxRssMiB !== undefined ? `  rss ${s.maxRssMiB} MiB` : ""),
      );
    }
  }

  const med = (id: ReaderId, key: keyof Sample) => median((samples.get(id) ?? []).map((s) => (s[key] as number | undefined) ?? NaN));
  const rows = readers.map((r) => {
    const list = samples.get(r.id)!;
    const wall = med(r.id, "wall");
    const cpu = med(r.id, "cpu");
    return [
      r.label,
      fixed(fileBytes / 1e6 / wall),
      int(meta.packets / wall),
      fixed(wall, 2),
      fixed(cpu, 2),
      fixed(fileBytes / 1e6 / cpu),
      list.map((s) => fixed(fileBytes / 1e6 / s.wall)).join(" / "),
    ];
  });
  out();
  out(`Medians of ${runs} run(s) over ${(fileBytes / 1e6).toFixed(1)} MB (MB = 10^6 bytes), ${int(meta.packets)} packets. CPU = user + system.`);
  out(table(["reader", "MB/s", "packets/s", "wall s", "CPU s", "MB per CPU s", "MB/s per run"], rows, [false, true, true, true, true, true, true]));
  const trees = labTotals.get(true);
  const bare = labTotals.get(false);
  if (trees) {
    out();
    out(
      `lab built ${int(trees.frames)} packet frames and ${int(trees.textFrames)} text frames (${int(trees.textPayloads)} payloads, ${fixed(trees.textBytes / 1e6)} MB of text), ` +
        `${int(trees.topFields)} top-level fields, ${int(trees.findings)} findings; read + readPcapng took ${fixed(med(modes.has("warm") ? "lab warm" : "lab fresh", "readSeconds"), 2)} s of the wall time`,
    );
  }
  if (bare) {
    // The two modes must differ only in the fields: the same frames and findings, none of the fields.
    const same = trees ? bare.frames === trees.frames && bare.textFrames === trees.textFrames && bare.findings === trees.findings : true;
    out(
      `lab without trees: ${int(bare.frames)} packet frames, ${int(bare.textFrames)} text frames, ${int(bare.findings)} findings, ${int(bare.topFields)} fields` +
        (trees ? (same ? " (frames and findings as with trees)" : " (DIFFERS from the run with trees: a bug)") : ""),
    );
  }
  if (startup) {
    out(`tshark start-up and exit (10-packet file): ${fixed(startup.wall, 2)} s wall, ${fixed(startup.cpu, 2)} s CPU; included in the fresh tshark rows above`);
  }

  out();
  out("Ratios (lab ÷ tshark; above 1 means the lab is faster):");
  const pairs: { lab: ReaderId; peer: ReaderId; label: string; goal?: boolean }[] = [];
  for (const mode of ["fresh", "warm"] as const) {
    const tag = mode === "fresh" ? "fresh" : "warm ";
    pairs.push(
      { lab: `lab-no-trees ${mode}`, peer: `tshark ${mode}`, label: `${tag}  lab, no trees vs tshark -r     (the same work: summaries and findings)`, goal: true },
      { lab: `lab ${mode}`, peer: `tshark-V ${mode}`, label: `${tag}  lab, trees    vs tshark -r -V  (the same work: full trees)` },
      { lab: `lab ${mode}`, peer: `tshark ${mode}`, label: `${tag}  lab, trees    vs tshark -r     (trees against summaries)` },
    );
  }
  for (const { lab, peer, label, goal } of pairs) {
    if (!samples.get(peer)?.length || !samples.get(lab)?.length) continue;
    const wallRatio = med(peer, "wall") / med(lab, "wall");
    const cpuRatio = med(peer, "cpu") / med(lab, "cpu");
    let line = `  ${label}  MB/s ×${fixed(wallRatio, 2)}   MB per CPU second ×${fixed(cpuRatio, 2)}`;
    if (startup && peer === "tshark fresh") line += `   (tshark's start-up taken out ×${fixed((med(peer, "wall") - startup.wall) / med(lab, "wall"), 2)})`;
    out(line);
    if (goal) out(`  goal ≥ ×1 vs tshark -r (MB/s, ${lab.endsWith("fresh") ? "both fresh" : "both warm"}): ${wallRatio >= 1 ? "MET" : "NOT MET"}`);
  }
}

/** --child trees|no-trees: one run of the lab's reader in this new process, its figures as one JSON line. */
async function child(mode: string) {
  const ports = new Set((opts["text-ports"] ?? "").split(",").filter(Boolean).map(Number));
  const sample = runLab(pcapngPath, ports, mode === "trees");
  process.stdout.write(`${JSON.stringify({ ...sample, totals: labTotals.get(mode === "trees") })}\n`);
}

(opts.child ? child(opts.child) : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`dissect-pcapng: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    killAll();
    process.exit(1);
  },
);
