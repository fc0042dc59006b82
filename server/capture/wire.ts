// Wire capture: a capture program (tcpdump) runs as a child process on the loopback (and, when the
// lab serves a LAN, on every interface), filtered to exactly the lab's ports, and streams pcap to
// stdout. A reader thread (wire-worker.ts) runs the program, reads the stream and dissects every
// packet; the servers' thread only receives the segments in batches and hands each to the bus, which
// joins it to the conversation the tap knows. When capture is not permitted, the host says so in one
// line with the command that enables it, and the timeline shows socket events only.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SegmentRecord } from "./bus";
import { readBatch, type FromReader, type KernelCounts, type ProgramToTry, type ReaderStart, type ReaderTotals, type ToReader } from "./wire-batch";

export type { KernelCounts } from "./wire-batch";

export type CaptureSetting = "auto" | "pcap" | "off";

/** What the timeline can show: the kernel's segments, or the socket API's events only. */
export type CaptureMode = "real segments" | "socket events";

export interface WireCaptureOptions {
  readonly setting: CaptureSetting;
  /** TCP ports to capture (the lab's servers). */
  readonly tcpPorts: readonly number[];
  /** UDP ports to capture (the lab's UDP services: a multicast group's datagrams are caught by its port). */
  readonly udpPorts?: readonly number[];
  /** The address the lab binds: loopback captures `lo`, anything else captures every interface. */
  readonly host: string;
  /** The capture program (tcpdump or dumpcap); when not given, CAPTURE_PROGRAMS are tried in order. */
  readonly program?: string;
  /** Programs to try in order when none is given (default: CAPTURE_PROGRAMS found on PATH); for tests. */
  readonly candidates?: readonly string[];
  /**
   * Each TCP segment to or from one of `tcpPorts` (and UDP datagram of `udpPorts`), dissected, on the
   * caller's thread: true when it was joined to a conversation (the host passes bus.segment).
   */
  readonly onSegment: (record: SegmentRecord) => boolean;
  /** Segments that may wait for the caller's thread, at most (MAX_QUEUED_SEGMENTS); more are dropped and counted. */
  readonly maxQueuedSegments?: number;
  /** The same bound in packet bytes (MAX_QUEUED_BYTES). */
  readonly maxQueuedBytes?: number;
}

/** Counts since capture started. */
export interface CaptureCounts extends ReaderTotals {
  /** Segments handed to onSegment, and those it joined to a conversation. */
  readonly delivered: number;
  readonly joined: number;
}

/** Why the lab does not capture packets, as codes the pages put in the reader's language. */
export type CaptureOffCode = "turned-off" | "no-program" | "not-permitted" | "did-not-start" | "stopped";

export interface CaptureOff {
  readonly code: CaptureOffCode;
  /** The capture program (its path), when there is one. */
  readonly program?: string;
  /** The command that enables capture, when one does. */
  readonly command?: string;
  /** The capture program's own words (its last error line, or how it ended): shown as they are. */
  readonly detail?: string;
}

export interface WireCapture {
  /** Live: a capture program that exits or fails while the lab runs turns this to "socket events". */
  readonly mode: CaptureMode;
  /** Why capture is off, in one English line for the start-up output (empty when capturing). */
  readonly reason: string;
  /** Why capture is off, for the Status call; undefined when capturing. */
  readonly off: CaptureOff | undefined;
  /** What the capture read, delivered and dropped so far (as of the last batch the reader sent). */
  readonly counts: CaptureCounts;
  /** The kernel's counts for tcpdump's capture (asked with SIGUSR1); undefined for other programs or when capture is off. */
  kernelCounts(): Promise<KernelCounts | undefined>;
  /** The reader thread while capturing, for diagnostics and tests. */
  readonly reader: Worker | undefined;
  stop(): Promise<void>;
}

/** The one-line reason the host prints at start-up. */
export function captureOffReason(off: CaptureOff): string {
  const name = path.basename(off.program ?? "tcpdump");
  switch (off.code) {
    case "turned-off":
      return `capture was turned off with --capture=off; start the lab without it, as root or after granting the capture program its capabilities: ${off.command}`;
    case "no-program":
      return "no capture program: install tcpdump (Debian: apt-get install tcpdump) or Wireshark's dumpcap, or pass --capture-program";
    case "not-permitted":
      return `${name} may not capture here (it needs root or CAP_NET_RAW); enable it with: ${off.command}`;
    case "did-not-start":
      return `${name} did not start: ${off.detail || "no output"}`;
    case "stopped":
      return `${name} stopped capturing while the lab ran (${off.detail}); restart the lab to capture again`;
  }
}

const setcap = (program: string) => `sudo setcap cap_net_raw,cap_net_admin=eip ${program}`;

const STARTUP_TIMEOUT_MS = 5_000;

/**
 * Segments waiting for the servers' thread, at most: about half a second of the echo benchmark's
 * saturation rate (about 35,000 packets/s on two cores), which covers a long garbage collection there.
 */
export const MAX_QUEUED_SEGMENTS = 20_000;
/** And their packet bytes, at most: large segments (64 KiB on loopback) reach this bound first. */
export const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** The reader thread's heap: the TCP analyzer's connections and a batch in the making fit many times over. */
const READER_HEAP_MB = 256;

/** Tried in order: tcpdump, then Wireshark's dumpcap, which a desktop often lets its users run. */
const CAPTURE_PROGRAMS = ["tcpdump", "dumpcap"] as const;

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  for (const dir of ["/usr/sbin", "/usr/bin", "/sbin"]) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The BPF filter for exactly the lab's ports, each with its transport (TCP 8888 and UDP 8888 are two services). */
export function captureFilter(tcpPorts: readonly number[], udpPorts: readonly number[] = []): string {
  return [...tcpPorts.map((port) => `tcp port ${port}`), ...udpPorts.map((port) => `udp port ${port}`)].join(" or ");
}

/** The ports to capture: each once, and none that is not a port (a service that did not start). */
const labPorts = (ports: readonly number[]) => [...new Set(ports.filter((p) => p > 0))];

function isLoopback(host: string): boolean {
  return host === "localhost" || host.startsWith("127.") || host === "::1";
}

const NO_COUNTS: CaptureCounts = { packets: 0, segments: 0, dropped: 0, batches: 0, delivered: 0, joined: 0 };

const off = (why: CaptureOff): WireCapture => ({
  mode: "socket events",
  reason: captureOffReason(why),
  off: why,
  counts: NO_COUNTS,
  kernelCounts: async () => undefined,
  reader: undefined,
  stop: async () => {},
});

export async function startWireCapture(options: WireCaptureOptions): Promise<WireCapture> {
  if (options.setting === "off") {
    const tcpdump = options.program ?? findOnPath("tcpdump") ?? "/usr/bin/tcpdump";
    return off({ code: "turned-off", program: tcpdump, command: setcap(tcpdump) });
  }
  const found = options.program
    ? [options.program]
    : (options.candidates ?? CAPTURE_PROGRAMS.map((name) => findOnPath(name))).filter((p): p is string => p !== undefined);
  const iface = isLoopback(options.host) ? "lo" : "any";
  const filter = captureFilter(labPorts(options.tcpPorts), labPorts(options.udpPorts ?? []));
  const programs = found.map((program) => ({ program, args: captureArgs(program, iface, filter) }));
  const capture = programs.length > 0 ? await startReader(programs, options) : { code: "no-program" as const, command: "sudo apt-get install tcpdump" };
  if (!("code" in capture)) return capture;
  if (options.setting === "pcap") throw new Error(`--capture=pcap: ${captureOffReason(capture)}`);
  return off(capture);
}

/** The arguments that make `program` write pcap to stdout, packet by packet, for exactly `filter`. */
function captureArgs(program: string, iface: string, filter: string): string[] {
  if (path.basename(program).startsWith("dumpcap")) {
    // Wireshark's capture program (often allowed to capture for the wireshark group without root): pcap
    // (-P) rather than pcapng, which it flushes to a pipe after each packet; -B is in MiB.
    return ["-i", iface, "-f", filter, "-P", "-s", "262144", "-B", "16", "-q", "-w", "-"];
  }
  return [
    "-i",
    iface,
    "-U", // packet-buffered output: each packet is written as soon as tcpdump has it
    // Not --immediate-mode: the kernel hands tcpdump its packets a block at a time (when a block fills,
    // or a second after it was opened), instead of waking it for every packet. Woken per packet, tcpdump
    // cost more CPU per echo message than the echo itself and lost a fifth of the packets at the echo
    // benchmark's rate even with nothing but `cat` reading it (bench/README.md); in blocks it costs a
    // sixth and loses none. The price: a segment reaches the timeline up to a second after it was sent
    // while traffic is light (the page orders segments by their capture time, and the bus holds them
    // for conversations that already closed).
    "-B", // a 16 MiB kernel buffer (libpcap's default is 2 MiB): bursts wait there while the host is busy
    "16384",
    "-n",
    "-s",
    "262144",
    "--time-stamp-precision=nano",
    "-w",
    "-",
    filter,
  ];
}

/**
 * The thread that runs wire-worker.ts. The host runs TypeScript through tsx (and tests through vitest),
 * and on Node 20 a worker thread does not get the parent's module hooks: the thread's first code
 * registers tsx's CommonJS hooks itself and then requires the TypeScript entry.
 */
function readerThread(data: ReaderStart): Worker {
  const require = createRequire(import.meta.url);
  const tsx = require.resolve("tsx/cjs/api");
  const entry = fileURLToPath(new URL("./wire-worker.ts", import.meta.url));
  const source = `require(${JSON.stringify(tsx)}).register();\nrequire(${JSON.stringify(entry)});\n`;
  return new Worker(source, { eval: true, workerData: data, resourceLimits: { maxOldGenerationSizeMb: READER_HEAP_MB } });
}

/** Starts the reader thread and the first program that captures: the capture, or why none may. */
async function startReader(programs: ProgramToTry[], options: WireCaptureOptions): Promise<WireCapture | CaptureOff> {
  const taken = new SharedArrayBuffer(8);
  const takenCounts = new Int32Array(taken);
  const worker = readerThread({
    programs,
    labPorts: labPorts(options.tcpPorts),
    udpPorts: labPorts(options.udpPorts ?? []),
    loopback: isLoopback(options.host),
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
    maxQueuedSegments: options.maxQueuedSegments ?? MAX_QUEUED_SEGMENTS,
    maxQueuedBytes: options.maxQueuedBytes ?? MAX_QUEUED_BYTES,
    taken,
  });

  let program = "";
  let pid: number | undefined;
  /** The first program's reason is the one reported when none may capture: it is the one to enable. */
  let first: CaptureOff | undefined;
  let lostWhy: CaptureOff | undefined;
  let stopping = false;
  let exited = false;
  /** The program ended and the reader saw it (so its pid is no longer ours). */
  let programEnded = false;
  let totals: ReaderTotals = { packets: 0, segments: 0, dropped: 0, batches: 0 };
  let delivered = 0;
  let joined = 0;
  const kernelWaiters: ((counts: KernelCounts | undefined) => void)[] = [];
  let settle: ((started: boolean) => void) | undefined;
  const started = new Promise<boolean>((resolve) => (settle = resolve));

  /** Capture ended while the lab runs: the timeline carries on with socket events, and says why. */
  const lost = (detail: string) => {
    if (stopping || lostWhy) return;
    lostWhy = { code: "stopped", program, detail };
  };
  /** A reader thread that failed cannot stop its program: it is stopped here, by the pid it reported. */
  const stopProgram = () => {
    if (pid === undefined || programEnded) return;
    programEnded = true;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  };

  worker.on("message", (message: FromReader) => {
    // The reader has seen its program end: the pid may be another process's from now on.
    if (message.type === "lost" || message.type === "stopped") programEnded = true;
    if (stopping) return;
    switch (message.type) {
      case "started":
        program = message.program;
        pid = message.pid;
        return settle?.(true);
      case "not-started": {
        const denied = /permission|not permitted|operation not permitted|You don't have permission/i.test(message.stderr);
        first ??= denied
          ? { code: "not-permitted", program: message.program, command: setcap(message.program) }
          : { code: "did-not-start", program: message.program, detail: message.unreadable || message.stderr.trim().split("\n").at(-1) || undefined };
        return;
      }
      case "none-started":
        return settle?.(false);
      case "batch": {
        totals = message.totals;
        if (lostWhy) return;
        let bytes = 0;
        readBatch(message, (record) => {
          delivered++;
          bytes += record.packet.length;
          if (options.onSegment(record)) joined++;
        });
        // Taken: the reader may send as much again (modulo 2^32 on both sides).
        Atomics.add(takenCounts, 0, message.count);
        Atomics.add(takenCounts, 1, bytes);
        return;
      }
      case "totals":
        totals = message.totals;
        return;
      case "kernel-counts":
        return kernelWaiters.shift()?.(message.counts);
      case "lost":
        return lost(message.detail);
      case "stopped":
        return;
    }
  });
  worker.on("error", (err) => {
    // An exception in the reader thread (or its heap bound reached): capture is off, the servers go on.
    lost(`the lab's packet reader failed: ${err.message}`);
    settle?.(false);
  });
  worker.on("exit", (code) => {
    exited = true;
    if (!programEnded) lost(`the lab's packet reader ended (exit code ${code})`);
    stopProgram();
    for (const waiter of kernelWaiters.splice(0)) waiter(undefined);
    settle?.(false);
  });

  if (!(await started)) {
    await worker.terminate();
    return first ?? lostWhy ?? { code: "did-not-start", program: programs[0]!.program, detail: "its reader thread did not start" };
  }
  settle = undefined;

  return {
    get mode(): CaptureMode {
      return lostWhy ? "socket events" : "real segments";
    },
    get reason() {
      return lostWhy ? captureOffReason(lostWhy) : "";
    },
    get off() {
      return lostWhy;
    },
    get counts() {
      return { ...totals, delivered, joined };
    },
    get reader() {
      return exited ? undefined : worker;
    },
    kernelCounts() {
      if (exited || lostWhy || stopping) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          const at = kernelWaiters.indexOf(answer);
          if (at >= 0) kernelWaiters.splice(at, 1);
          resolve(undefined);
        }, 2_000);
        const answer = (counts: KernelCounts | undefined) => {
          clearTimeout(timer);
          resolve(counts);
        };
        kernelWaiters.push(answer);
        worker.postMessage({ type: "kernel-counts" } satisfies ToReader);
      });
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      if (exited) return;
      const gone = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ type: "stop" } satisfies ToReader);
      // The reader stops its program (SIGTERM, SIGKILL after 2 s) and ends; a reader that hangs is ended here.
      const timer = setTimeout(() => void worker.terminate(), 3_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
