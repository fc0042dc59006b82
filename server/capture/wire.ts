// Wire capture: a capture program (tcpdump) runs as a child process on the loopback (and, when the
// lab serves a LAN, on every interface), filtered to exactly the lab's ports, and streams pcap to
// stdout; the packets are read incrementally and handed to the bus, which joins them to the
// conversations the tap knows. When capture is not permitted, the host says so in one line with the
// command that enables it, and the timeline shows socket events only.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { createPcapStreamReader, type Packet } from "./pcap-reader";

export type CaptureSetting = "auto" | "pcap" | "off";

/** What the timeline can show: the kernel's segments, or the socket API's events only. */
export type CaptureMode = "real segments" | "socket events";

export interface WireCaptureOptions {
  readonly setting: CaptureSetting;
  /** TCP ports to capture (the lab's servers). */
  readonly tcpPorts: readonly number[];
  /** The address the lab binds: loopback captures `lo`, anything else captures every interface. */
  readonly host: string;
  /** The capture program (tcpdump or dumpcap); when not given, CAPTURE_PROGRAMS are tried in order. */
  readonly program?: string;
  /** Programs to try in order when none is given (default: CAPTURE_PROGRAMS found on PATH); for tests. */
  readonly candidates?: readonly string[];
  readonly onPacket: (packet: Packet) => void;
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

/** The BPF filter for exactly the lab's ports. */
export function captureFilter(tcpPorts: readonly number[]): string {
  return tcpPorts.map((port) => `tcp port ${port}`).join(" or ");
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host.startsWith("127.") || host === "::1";
}

const off = (why: CaptureOff): WireCapture => ({ mode: "socket events", reason: captureOffReason(why), off: why, stop: async () => {} });

export async function startWireCapture(options: WireCaptureOptions): Promise<WireCapture> {
  if (options.setting === "off") {
    const tcpdump = options.program ?? findOnPath("tcpdump") ?? "/usr/bin/tcpdump";
    return off({ code: "turned-off", program: tcpdump, command: setcap(tcpdump) });
  }
  const programs = options.program
    ? [options.program]
    : (options.candidates ?? CAPTURE_PROGRAMS.map((name) => findOnPath(name))).filter((p): p is string => p !== undefined);
  // The first program's reason is the one reported when none may capture: it is the one to enable.
  let first: CaptureOff | undefined;
  for (const program of programs) {
    const capture = await startProgram(program, options);
    if (!("code" in capture)) return capture;
    first ??= capture;
  }
  const why: CaptureOff = first ?? { code: "no-program", command: "sudo apt-get install tcpdump" };
  if (options.setting === "pcap") throw new Error(`--capture=pcap: ${captureOffReason(why)}`);
  return off(why);
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
    "--immediate-mode", // and it has it at once (TPACKET_V3 would otherwise hold packets for up to a second)
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

/** Starts one capture program: the capture, or why it may not capture. */
async function startProgram(program: string, options: WireCaptureOptions): Promise<WireCapture | CaptureOff> {
  const ports = options.tcpPorts.filter((p) => p > 0);
  const args = captureArgs(program, isLoopback(options.host) ? "lo" : "any", captureFilter(ports));

  const child: ChildProcess = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
  const reader = createPcapStreamReader();
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });

  let unreadable = "";
  const started = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), STARTUP_TIMEOUT_MS);
    // The capture program writes the pcap header once it is capturing.
    child.stdout?.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      let packets: Packet[];
      try {
        packets = reader.push(chunk);
      } catch (err) {
        unreadable = `its output is not a pcap stream: ${err instanceof Error ? err.message : String(err)}`;
        return resolve(false);
      }
      for (const packet of packets) options.onPacket(packet);
      resolve(true);
    });
    child.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });

  if (!started) {
    child.kill("SIGKILL");
    const denied = /permission|not permitted|operation not permitted|You don't have permission/i.test(stderr);
    return denied
      ? { code: "not-permitted", program, command: setcap(program) }
      : { code: "did-not-start", program, detail: unreadable || stderr.trim().split("\n").at(-1) || undefined };
  }

  let lostWhy: CaptureOff | undefined;
  let stopping = false;
  /** Capture ended while the lab runs: the timeline carries on with socket events, and says why. */
  const lost = (detail: string) => {
    if (stopping || lostWhy) return;
    lostWhy = { code: "stopped", program, detail };
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    if (lostWhy) return;
    let packets: Packet[];
    try {
      packets = reader.push(chunk);
    } catch (err) {
      lost(`its output could not be read: ${err instanceof Error ? err.message : String(err)}`);
      child.kill("SIGTERM");
      return;
    }
    for (const packet of packets) options.onPacket(packet);
  });
  child.once("exit", (code, signal) => {
    const last = stderr.trim().split("\n").at(-1);
    lost(signal ? `killed by ${signal}` : `exit code ${code}${last ? `: ${last}` : ""}`);
  });

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
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 2_000).unref();
      }),
  };
}
