// Wire capture with the real capture program: tcpdump on the loopback, filtered to the lab's ports.
// As root (CI runs as root) the capture runs for real; as another user, tcpdump itself refuses, which is
// the "normal user" case. That case is also run as root by starting tcpdump through setpriv as `nobody`,
// so the refusal the test sees is tcpdump's own.
import { afterEach, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { dissectPacket } from "../dissect/packet";
import { TCP_FLAGS } from "../dissect/tcp-analysis";
import type { SegmentRecord } from "./bus";
import { captureFilter, startWireCapture, type WireCapture } from "./wire";

const tcpdump = ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"].find((p) => existsSync(p));
const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));
const dumpcap = ["/usr/bin/dumpcap", "/usr/sbin/dumpcap"].find((p) => existsSync(p));
const isRoot = process.getuid?.() === 0;
const canCapture = tcpdump !== undefined && isRoot;

const started: WireCapture[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startWireCapture>[0]): Promise<WireCapture> {
  const capture = await startWireCapture(options);
  started.push(capture);
  return capture;
}

/** A shell script that runs tcpdump the way `body` says, as a capture program. */
function wrapper(body: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lab-wire-"));
  dirs.push(dir);
  const file = path.join(dir, "tcpdump");
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A listener on a free loopback port that closes each connection once it has read a line. */
async function listener(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => {
    socket.on("data", () => socket.end());
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function exchange(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write("hello\n"));
    socket.on("error", reject);
    socket.on("data", () => {});
    socket.on("close", () => resolve());
  });
}

/** The command lines of this process's children (none: empty). */
function childArgs(): string {
  try {
    return execFileSync("ps", ["-o", "args=", "--ppid", String(process.pid)], { encoding: "utf8" });
  } catch {
    return "";
  }
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("captureFilter", () => {
  it("names exactly the lab's ports", () => {
    expect(captureFilter([8888, 8000, 8001])).toBe("tcp port 8888 or tcp port 8000 or tcp port 8001");
    expect(captureFilter([8888, 8000], [8889, 8888, 9999])).toBe("tcp port 8888 or tcp port 8000 or udp port 8889 or udp port 8888 or udp port 9999");
  });
});

describe("wire capture turned off or impossible", () => {
  it("with --capture=off, says so and how to turn it on", async () => {
    const capture = await start({ setting: "off", tcpPorts: [8888], host: "127.0.0.1", program: "/usr/bin/tcpdump", onSegment: () => false });
    expect(capture.mode).toBe("socket events");
    expect(capture.reason).toContain("--capture=off");
    expect(capture.reason).toContain("setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump");
    expect(capture.off).toEqual({ code: "turned-off", program: "/usr/bin/tcpdump", command: "sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump" });
  });

  it("with a capture program that cannot run: socket events in auto mode, an error in pcap mode", async () => {
    const missing = path.join(os.tmpdir(), "no-such-dir", "tcpdump");
    const capture = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", program: missing, onSegment: () => false });
    expect(capture.mode).toBe("socket events");
    expect(capture.reason).toMatch(/^tcpdump did not start/);
    expect(capture.off).toMatchObject({ code: "did-not-start", program: missing });
    expect(capture.off?.command).toBeUndefined();
    await expect(startWireCapture({ setting: "pcap", tcpPorts: [8888], host: "127.0.0.1", program: missing, onSegment: () => false })).rejects.toThrow(
      /^--capture=pcap: tcpdump did not start/,
    );
  });

  it.skipIf(!canCapture || !setpriv)("as a user without the capability: tcpdump's refusal becomes the command that enables it", async () => {
    const program = wrapper(`exec ${setpriv} --reuid=65534 --regid=65534 --clear-groups ${tcpdump} "$@"`);
    const capture = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", program, onSegment: () => false });
    expect(capture.mode).toBe("socket events");
    expect(capture.reason).toBe(
      `tcpdump may not capture here (it needs root or CAP_NET_RAW); enable it with: sudo setcap cap_net_raw,cap_net_admin=eip ${program}`,
    );
    expect(capture.off).toEqual({ code: "not-permitted", program, command: `sudo setcap cap_net_raw,cap_net_admin=eip ${program}` });
    await expect(startWireCapture({ setting: "pcap", tcpPorts: [8888], host: "127.0.0.1", program, onSegment: () => false })).rejects.toThrow(
      /^--capture=pcap: tcpdump may not capture here/,
    );
  });
});

describe("wire capture with a program that does not write pcap", () => {
  it("is a program that did not start, in its own words, and the host carries on", async () => {
    const program = wrapper("echo 'this is not pcap at all'; sleep 5");
    const capture = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", program, onSegment: () => false });
    expect(capture.mode).toBe("socket events");
    expect(capture.off).toMatchObject({ code: "did-not-start", detail: expect.stringMatching(/^its output is not a pcap stream: .*magic 0x74686973/) });
  });
});

/** What a test keeps of the segments the capture delivered, with each packet dissected again. */
function collector(joined = false) {
  const records: SegmentRecord[] = [];
  return {
    records,
    onSegment: (record: SegmentRecord) => {
      records.push(record);
      return joined;
    },
    dissected: () => records.map((r) => dissectPacket(r.linkType, r.packet)),
  };
}

/** Connects `count` times, one after another, to a port nobody listens on, in a child process: each try is a SYN and a RST. */
function refusedConnects(port: number, count: number): void {
  const script = `
    const net = require("node:net");
    let left = ${count};
    const next = () => {
      if (left-- === 0) return;
      const s = net.connect(${port}, "127.0.0.1");
      s.on("error", next);
      s.on("connect", () => { s.destroy(); next(); });
    };
    next();`;
  execFileSync(process.execPath, ["-e", script], { timeout: 20_000 });
}

/** Blocks this thread (no event loop turns, no CPU) for `ms`, as a busy servers' thread would hold it. */
function blockThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const l = await listener();
  await l.close();
  return l.port;
}

describe.skipIf(!canCapture)("wire capture as root", () => {
  it("delivers the handshake, data and teardown of the lab's ports as segments, oriented, and nothing of other ports", async () => {
    const lab = await listener();
    const other = await listener();
    const got = collector(true);
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program: tcpdump, onSegment: got.onSegment });
    try {
      expect(capture.mode).toBe("real segments");
      expect(capture.reason).toBe("");
      expect(capture.off).toBeUndefined();
      expect(capture.reader).toBeDefined();
      await exchange(other.port);
      await exchange(lab.port);
      // Handshake (3), data and its ACK, then FIN/ACK each way: at least 7 packets, the last a FIN or ACK.
      await until(() => got.dissected().filter((p) => (p.tcp?.flags ?? 0) & TCP_FLAGS.FIN).length >= 2);
      const all = got.dissected();
      for (const p of all) expect([p.flow?.srcPort, p.flow?.dstPort]).toContain(lab.port);
      for (const r of got.records) expect(r.server).toEqual({ ip: "127.0.0.1", port: lab.port });
      expect(all[0]?.tcp?.flags).toBe(TCP_FLAGS.SYN);
      expect(all[1]?.tcp?.flags).toBe(TCP_FLAGS.SYN | TCP_FLAGS.ACK);
      expect(got.records.slice(0, 3).map((r) => r.direction)).toEqual(["c2s", "s2c", "c2s"]);
      // The TCP analysis ran in the reader thread: relative numbers, and the data's stream offset.
      expect(got.records.slice(0, 3).map((r) => [r.analysis?.relativeSeq, r.analysis?.relativeAck])).toEqual([
        [0, undefined],
        [0, 1],
        [1, 1],
      ]);
      const hello = got.records.find((r) => r.payloadLength === 6 && r.direction === "c2s")!;
      expect(hello.streamOffset).toBe(0);
      expect(new TextDecoder().decode(hello.packet.subarray(-6))).toBe("hello\n");
      expect(got.records.every((r) => r.wallMs > Date.parse("2024-01-01") && r.checksumsMayBeOffloaded && r.linkType === 1)).toBe(true);
      await until(() => capture.counts.delivered === got.records.length);
      expect(capture.counts).toEqual({
        packets: got.records.length,
        segments: got.records.length,
        dropped: 0,
        batches: expect.any(Number),
        delivered: got.records.length,
        joined: got.records.length,
      });
      // tcpdump's own counts of its kernel buffer, asked with SIGUSR1.
      const kernel = await capture.kernelCounts();
      expect(kernel?.received).toBeGreaterThanOrEqual(got.records.length);
      expect(kernel?.dropped).toBe(0);
    } finally {
      await lab.close();
      await other.close();
    }
  });

  it.skipIf(!dumpcap)("captures with Wireshark's dumpcap too", async () => {
    const lab = await listener();
    const got = collector();
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program: dumpcap, onSegment: got.onSegment });
    try {
      expect(capture.mode).toBe("real segments");
      await exchange(lab.port);
      const flags = () => got.dissected().map((p) => p.tcp?.flags ?? -1);
      await until(() => flags().filter((f) => f & TCP_FLAGS.FIN).length >= 2);
      expect(flags().slice(0, 2)).toEqual([TCP_FLAGS.SYN, TCP_FLAGS.SYN | TCP_FLAGS.ACK]);
      // Only tcpdump answers SIGUSR1 with counts.
      expect(await capture.kernelCounts()).toBeUndefined();
    } finally {
      await lab.close();
    }
  });

  it.skipIf(!dumpcap || !setpriv)("in auto mode, tries dumpcap when tcpdump may not capture, and reports tcpdump's reason when neither may", async () => {
    const refused = wrapper(`exec ${setpriv} --reuid=65534 --regid=65534 --clear-groups ${tcpdump} "$@"`);
    const lab = await listener();
    const got = collector();
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", candidates: [refused, dumpcap!], onSegment: got.onSegment });
    try {
      expect(capture.mode).toBe("real segments");
      await exchange(lab.port);
      await until(() => got.records.length >= 7);
    } finally {
      await lab.close();
    }
    const neither = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", candidates: [refused, refused], onSegment: () => false });
    expect(neither.off).toEqual({ code: "not-permitted", program: refused, command: `sudo setcap cap_net_raw,cap_net_admin=eip ${refused}` });
    const none = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", candidates: [], onSegment: () => false });
    expect(none.off).toEqual({ code: "no-program", command: "sudo apt-get install tcpdump" });
  });

  it("stops its capture program and its reader thread, and nothing arrives after stop", async () => {
    const lab = await listener();
    const got = collector();
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program: tcpdump, onSegment: got.onSegment });
    try {
      await exchange(lab.port);
      await until(() => got.records.length >= 7);
      expect(childArgs()).toContain(`tcp port ${lab.port}`);
      const reader = capture.reader!;
      const ended = new Promise<number>((resolve) => reader.once("exit", resolve));
      await capture.stop();
      expect(await ended).toBe(0);
      expect(capture.reader).toBeUndefined();
      expect(childArgs()).not.toContain(`tcp port ${lab.port}`);
      const before = got.records.length;
      await exchange(lab.port);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(got.records.length).toBe(before);
      expect(capture.mode).toBe("real segments");
    } finally {
      await lab.close();
    }
  });

  it("says so when the capture program stops while the lab runs", async () => {
    const lab = await listener();
    // tcpdump -c 3 exits after three packets, as a capture program that dies would.
    const program = wrapper(`exec ${tcpdump} -c 3 "$@"`);
    const got = collector();
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program, onSegment: got.onSegment });
    try {
      expect(capture.mode).toBe("real segments");
      await exchange(lab.port);
      await until(() => capture.mode === "socket events");
      // The three packets it wrote arrive before the news that it ended.
      expect(got.records.length).toBe(3);
      expect(capture.reason).toMatch(/^tcpdump stopped capturing while the lab ran \(exit code 0.*\); restart the lab to capture again$/);
      expect(capture.off).toMatchObject({ code: "stopped", program, detail: expect.stringMatching(/^exit code 0/) });
    } finally {
      await lab.close();
    }
  });
});

describe.skipIf(!canCapture)("wire capture: what waits for the servers' thread is bounded", () => {
  it("holds at most maxQueuedSegments for a thread that does not take them; the rest are dropped and counted", async () => {
    const port = await closedPort();
    const got = collector();
    const capture = await start({ setting: "auto", tcpPorts: [port], host: "127.0.0.1", program: tcpdump, onSegment: got.onSegment, maxQueuedSegments: 16 });
    // 100 refused connects (a SYN and a RST each) while this thread is held: the reader may send 16.
    refusedConnects(port, 100);
    // tcpdump gets its packets a block at a time, at most a second after the first.
    blockThread(2_500);
    await until(() => capture.counts.segments === 200);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.records.length).toBe(16);
    expect(capture.counts).toEqual({ packets: 200, segments: 200, dropped: 184, batches: expect.any(Number), delivered: 16, joined: 0 });
    // Once taken, the room is there again: the next segments go through.
    refusedConnects(port, 5);
    await until(() => capture.counts.segments === 210);
    expect(got.records.length).toBe(26);
    expect(capture.counts.dropped).toBe(184);
  });

  it("holds at most maxQueuedBytes of packets", async () => {
    const port = await closedPort();
    const got = collector();
    // On lo a SYN is 74 bytes (Ethernet, IPv4, TCP with options) and a RST 54.
    const capture = await start({ setting: "auto", tcpPorts: [port], host: "127.0.0.1", program: tcpdump, onSegment: got.onSegment, maxQueuedBytes: 200 });
    refusedConnects(port, 50);
    blockThread(2_500);
    await until(() => capture.counts.segments === 100);
    await new Promise((r) => setTimeout(r, 100));
    const bytes = got.records.reduce((n, r) => n + r.packet.length, 0);
    // SYN 74, RST 54 (128), the next SYN would make 202: dropped; the next RST fits (182); nothing else does.
    expect(got.records.map((r) => r.packet.length)).toEqual([74, 54, 54]);
    expect(bytes).toBe(182);
    expect(capture.counts).toMatchObject({ segments: 100, delivered: 3, dropped: 97 });
  });
});

describe.skipIf(!canCapture)("wire capture: the reader thread fails", () => {
  /** A lab server that echoes, to show the servers carry on. */
  async function echo(): Promise<{ port: number; close: () => Promise<void> }> {
    const server = net.createServer((socket) => {
      socket.on("data", (d) => socket.write(d));
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  async function echoes(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.write("still here\n"));
      socket.on("error", reject);
      socket.once("data", (d) => {
        socket.destroy();
        resolve(d.toString("utf8"));
      });
    });
  }

  it("with an exception: capture goes off with the reason, its tcpdump is stopped, the servers go on", async () => {
    const lab = await echo();
    const got = collector();
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program: tcpdump, onSegment: got.onSegment });
    try {
      expect(await echoes(lab.port)).toBe("still here\n");
      await until(() => got.records.length >= 4);
      expect(childArgs()).toContain(`tcp port ${lab.port}`);
      // The reader throws on a message it does not know, as it would on any bug.
      capture.reader!.postMessage({ type: "no-such-message" });
      await until(() => capture.mode === "socket events");
      expect(capture.off).toEqual({
        code: "stopped",
        program: tcpdump,
        detail: 'the lab\'s packet reader failed: the capture reader got a message it does not know: {"type":"no-such-message"}',
      });
      expect(capture.reason).toMatch(/^tcpdump stopped capturing while the lab ran \(the lab's packet reader failed: .*\); restart the lab to capture again$/);
      await until(() => capture.reader === undefined);
      await until(() => !childArgs().includes(`tcp port ${lab.port}`));
      const before = got.records.length;
      expect(await echoes(lab.port)).toBe("still here\n");
      await new Promise((r) => setTimeout(r, 1_500));
      expect(got.records.length).toBe(before);
      expect(await capture.kernelCounts()).toBeUndefined();
      await capture.stop();
    } finally {
      await lab.close();
    }
  });

  it("when it ends: capture goes off with the reason, its tcpdump is stopped", async () => {
    const lab = await echo();
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program: tcpdump, onSegment: () => false });
    try {
      expect(childArgs()).toContain(`tcp port ${lab.port}`);
      await capture.reader!.terminate();
      await until(() => capture.mode === "socket events");
      expect(capture.off).toEqual({ code: "stopped", program: tcpdump, detail: "the lab's packet reader ended (exit code 1)" });
      await until(() => !childArgs().includes(`tcp port ${lab.port}`));
      expect(await echoes(lab.port)).toBe("still here\n");
    } finally {
      await lab.close();
    }
  });
});
