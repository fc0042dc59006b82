// The wire capture's reader thread: it runs the capture program, reads its pcap stream, dissects every
// packet and sends the lab's TCP segments and UDP datagrams to the servers' thread in batches (wire-batch.ts), so the
// servers' event loop only joins them to conversations. Started by wire.ts (see startReader there for
// how this TypeScript file is loaded into a thread).
//
// What waits for the servers' thread is bounded: when it holds the most it may (segments or bytes), a
// new segment is dropped and counted, never queued. Packets are still dissected when they are dropped,
// so the TCP analysis (relative numbers, retransmissions) stays right for the ones that go through.

import { spawn, type ChildProcess } from "node:child_process";
import { parentPort, workerData } from "node:worker_threads";
import { createPcapStreamReader, type Packet } from "./pcap-reader";
import { createSegmentDissector } from "./segments";
import { createBatchWriter, type FromReader, type KernelCounts, type ReaderStart, type ToReader } from "./wire-batch";

const start = workerData as ReaderStart;
const port = parentPort!;
const send = (message: FromReader, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

const dissector = createSegmentDissector({ labPorts: new Set(start.labPorts), udpPorts: new Set(start.udpPorts), loopback: start.loopback });
const writer = createBatchWriter();
const taken = new Int32Array(start.taken);
// Sent so far, modulo 2^32 like the counters the servers' thread adds to (Atomics.add wraps).
let sentSegments = 0;
let sentBytes = 0;
const totals = { packets: 0, segments: 0, dropped: 0, batches: 0 };
let reportedDropped = 0;

/** tcpdump's answer to SIGUSR1, on stderr: "tcpdump: 5 packets captured, 7 packets received by filter, 0 packets dropped by kernel". */
const KERNEL_COUNTS = /(\d+) packets? captured, (\d+) packets? received by filter, (\d+) packets? dropped by kernel/;

let child: ChildProcess | undefined;
let stopping = false;
let lostDetail: string | undefined;
let stderrTail = "";
let kernelWaiters = 0;

function onPackets(packets: readonly Packet[]) {
  for (const packet of packets) {
    totals.packets++;
    const record = dissector.dissect(packet);
    if (!record) continue;
    totals.segments++;
    const waiting = ((sentSegments - Atomics.load(taken, 0)) | 0) + writer.count;
    const waitingBytes = ((sentBytes - Atomics.load(taken, 1)) | 0) + writer.bytes;
    if (waiting >= start.maxQueuedSegments || waitingBytes + record.packet.length > start.maxQueuedBytes) {
      totals.dropped++;
      continue;
    }
    writer.add(record);
  }
  scheduleFlush();
}

let flushScheduled = false;
function scheduleFlush() {
  if (flushScheduled) return;
  flushScheduled = true;
  // Once per turn of this thread's loop: the chunks read in one turn go in one batch.
  setImmediate(flush);
}

function flush() {
  flushScheduled = false;
  if (stopping) return;
  if (writer.count === 0) {
    if (totals.dropped !== reportedDropped) {
      reportedDropped = totals.dropped;
      send({ type: "totals", totals: { ...totals } });
    }
    return;
  }
  const count = writer.count;
  const bytes = writer.bytes;
  const batch = writer.finish();
  sentSegments = (sentSegments + count) | 0;
  sentBytes = (sentBytes + bytes) | 0;
  reportedDropped = totals.dropped;
  totals.batches++;
  send({ type: "batch", totals: { ...totals }, ...batch }, [batch.buffer]);
}

const lastLine = (text: string) => text.trim().split("\n").at(-1) ?? "";

/** Starts one program; resolves true once it writes the pcap header, false when it did not start. */
function startProgram(program: string, args: readonly string[]): Promise<boolean> {
  const proc = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
  const reader = createPcapStreamReader();
  let stderr = "";
  proc.stderr!.setEncoding("utf8");
  proc.stderr!.on("data", (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  let unreadable = "";
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => done(false), start.startupTimeoutMs);
    let settled = false;
    const done = (started: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proc.stdout!.removeListener("data", first);
      if (started) return resolve(true);
      proc.kill("SIGKILL");
      send({ type: "not-started", program, stderr, unreadable });
      resolve(false);
    };
    // The capture program writes the pcap header once it is capturing.
    const first = (chunk: Buffer) => {
      let packets: Packet[];
      try {
        packets = reader.push(chunk);
      } catch (err) {
        unreadable = `its output is not a pcap stream: ${err instanceof Error ? err.message : String(err)}`;
        return done(false);
      }
      done(true);
      capture(proc, reader, stderr);
      send({ type: "started", program, pid: proc.pid! });
      onPackets(packets);
    };
    proc.stdout!.on("data", first);
    proc.once("error", () => done(false));
    proc.once("exit", () => done(false));
  });
}

/** Reads a started program until it ends or the host stops it. */
function capture(proc: ChildProcess, reader: ReturnType<typeof createPcapStreamReader>, stderrSoFar: string) {
  child = proc;
  stderrTail = stderrSoFar.slice(-2048);
  proc.removeAllListeners("exit");
  proc.removeAllListeners("error");
  proc.stderr!.removeAllListeners("data");
  let pending = "";
  proc.stderr!.on("data", (text: string) => {
    stderrTail = (stderrTail + text).slice(-2048);
    // Whole lines only: a count may arrive split across reads.
    pending = (pending + text).slice(-4096);
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      const m = KERNEL_COUNTS.exec(line);
      if (!m) continue;
      const counts: KernelCounts = { captured: Number(m[1]), received: Number(m[2]), dropped: Number(m[3]) };
      if (kernelWaiters > 0) {
        kernelWaiters--;
        send({ type: "kernel-counts", counts });
      }
    }
  });
  proc.stdout!.on("data", (chunk: Buffer) => {
    if (lostDetail !== undefined || stopping) return;
    let packets: Packet[];
    try {
      packets = reader.push(chunk);
    } catch (err) {
      lose(`its output could not be read: ${err instanceof Error ? err.message : String(err)}`);
      proc.kill("SIGTERM");
      return;
    }
    onPackets(packets);
  });
  proc.once("error", (err) => lose(err.message));
  // "close" rather than "exit": every byte it wrote has been read by then.
  proc.once("close", (code, signal) => {
    const last = lastLine(stderrTail);
    lose(signal ? `killed by ${signal}` : `exit code ${code}${last ? `: ${last}` : ""}`);
  });
}

/** Capture ended while the lab runs: what was read goes out first, then why it ended. */
function lose(detail: string) {
  if (lostDetail !== undefined) return;
  lostDetail = detail;
  if (stopping) return;
  flush();
  send({ type: "lost", detail });
  port.close();
}

function stop() {
  if (stopping) return;
  stopping = true;
  const proc = child;
  const finish = () => {
    send({ type: "stopped" });
    port.close();
  };
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return finish();
  proc.once("exit", finish);
  proc.kill("SIGTERM");
  setTimeout(() => proc.kill("SIGKILL"), 2_000).unref();
}

port.on("message", (message: ToReader) => {
  switch (message.type) {
    case "stop":
      return stop();
    case "kernel-counts":
      // Only tcpdump answers SIGUSR1 with its counts (dumpcap would end).
      if (!child || !/tcpdump[^/]*$/.test(child.spawnfile) || child.exitCode !== null) {
        return send({ type: "kernel-counts", counts: undefined });
      }
      kernelWaiters++;
      child.kill("SIGUSR1");
      return;
    default:
      // A message this thread does not know is a bug in the host: fail loudly (the host turns capture off).
      throw new Error(`the capture reader got a message it does not know: ${JSON.stringify(message)}`);
  }
});

void (async () => {
  for (const { program, args } of start.programs) {
    if (stopping) return;
    if (await startProgram(program, args)) return;
  }
  send({ type: "none-started" });
  port.close();
})();
