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
import type { Packet } from "./pcap-reader";
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
  });
});

describe("wire capture turned off or impossible", () => {
  it("with --capture=off, says so and how to turn it on", async () => {
    const capture = await start({ setting: "off", tcpPorts: [8888], host: "127.0.0.1", program: "/usr/bin/tcpdump", onPacket: () => {} });
    expect(capture.mode).toBe("socket events");
    expect(capture.reason).toContain("--capture=off");
    expect(capture.reason).toContain("setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump");
    expect(capture.off).toEqual({ code: "turned-off", program: "/usr/bin/tcpdump", command: "sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump" });
  });

  it("with a capture program that cannot run: socket events in auto mode, an error in pcap mode", async () => {
    const missing = path.join(os.tmpdir(), "no-such-dir", "tcpdump");
    const capture = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", program: missing, onPacket: () => {} });
    expect(capture.mode).toBe("socket events");
    expect(capture.reason).toMatch(/^tcpdump did not start/);
    expect(capture.off).toMatchObject({ code: "did-not-start", program: missing });
    expect(capture.off?.command).toBeUndefined();
    await expect(startWireCapture({ setting: "pcap", tcpPorts: [8888], host: "127.0.0.1", program: missing, onPacket: () => {} })).rejects.toThrow(
      /^--capture=pcap: tcpdump did not start/,
    );
  });

  it.skipIf(!canCapture || !setpriv)("as a user without the capability: tcpdump's refusal becomes the command that enables it", async () => {
    const program = wrapper(`exec ${setpriv} --reuid=65534 --regid=65534 --clear-groups ${tcpdump} "$@"`);
    const capture = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", program, onPacket: () => {} });
    expect(capture.mode).toBe("socket events");
    expect(capture.reason).toBe(
      `tcpdump may not capture here (it needs root or CAP_NET_RAW); enable it with: sudo setcap cap_net_raw,cap_net_admin=eip ${program}`,
    );
    expect(capture.off).toEqual({ code: "not-permitted", program, command: `sudo setcap cap_net_raw,cap_net_admin=eip ${program}` });
    await expect(startWireCapture({ setting: "pcap", tcpPorts: [8888], host: "127.0.0.1", program, onPacket: () => {} })).rejects.toThrow(
      /^--capture=pcap: tcpdump may not capture here/,
    );
  });
});

describe("wire capture with a program that does not write pcap", () => {
  it("is a program that did not start, in its own words, and the host carries on", async () => {
    const program = wrapper("echo 'this is not pcap at all'; sleep 5");
    const capture = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", program, onPacket: () => {} });
    expect(capture.mode).toBe("socket events");
    expect(capture.off).toMatchObject({ code: "did-not-start", detail: expect.stringMatching(/^its output is not a pcap stream: .*magic 0x74686973/) });
  });
});

describe.skipIf(!canCapture)("wire capture as root", () => {
  it("delivers the handshake, data and teardown of the lab's ports, and nothing of other ports", async () => {
    const lab = await listener();
    const other = await listener();
    const packets: Packet[] = [];
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program: tcpdump, onPacket: (p) => packets.push(p) });
    try {
      expect(capture.mode).toBe("real segments");
      expect(capture.reason).toBe("");
      expect(capture.off).toBeUndefined();
      await exchange(other.port);
      await exchange(lab.port);
      const dissected = () => packets.map((p) => dissectPacket(p.linkType, p.data));
      // Handshake (3), data and its ACK, then FIN/ACK each way: at least 7 packets, the last a FIN or ACK.
      await until(() => dissected().filter((p) => (p.tcp?.flags ?? 0) & TCP_FLAGS.FIN).length >= 2);
      const all = dissected();
      for (const p of all) expect([p.flow?.srcPort, p.flow?.dstPort]).toContain(lab.port);
      expect(all[0]?.tcp?.flags).toBe(TCP_FLAGS.SYN);
      expect(all[1]?.tcp?.flags).toBe(TCP_FLAGS.SYN | TCP_FLAGS.ACK);
      expect(all.some((p) => p.tcp?.payloadLength === 6 && p.flow?.dstPort === lab.port)).toBe(true);
      expect(packets.every((p) => p.timestampNs > 0n)).toBe(true);
    } finally {
      await lab.close();
      await other.close();
    }
  });

  it.skipIf(!dumpcap)("captures with Wireshark's dumpcap too", async () => {
    const lab = await listener();
    const packets: Packet[] = [];
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program: dumpcap, onPacket: (p) => packets.push(p) });
    try {
      expect(capture.mode).toBe("real segments");
      await exchange(lab.port);
      const flags = () => packets.map((p) => dissectPacket(p.linkType, p.data).tcp?.flags ?? -1);
      await until(() => flags().filter((f) => f & TCP_FLAGS.FIN).length >= 2);
      expect(flags().slice(0, 2)).toEqual([TCP_FLAGS.SYN, TCP_FLAGS.SYN | TCP_FLAGS.ACK]);
    } finally {
      await lab.close();
    }
  });

  it.skipIf(!dumpcap || !setpriv)("in auto mode, tries dumpcap when tcpdump may not capture, and reports tcpdump's reason when neither may", async () => {
    const refused = wrapper(`exec ${setpriv} --reuid=65534 --regid=65534 --clear-groups ${tcpdump} "$@"`);
    const lab = await listener();
    const packets: Packet[] = [];
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", candidates: [refused, dumpcap!], onPacket: (p) => packets.push(p) });
    try {
      expect(capture.mode).toBe("real segments");
      await exchange(lab.port);
      await until(() => packets.length >= 7);
    } finally {
      await lab.close();
    }
    const neither = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", candidates: [refused, refused], onPacket: () => {} });
    expect(neither.off).toEqual({ code: "not-permitted", program: refused, command: `sudo setcap cap_net_raw,cap_net_admin=eip ${refused}` });
    const none = await start({ setting: "auto", tcpPorts: [8888], host: "127.0.0.1", candidates: [], onPacket: () => {} });
    expect(none.off).toEqual({ code: "no-program", command: "sudo apt-get install tcpdump" });
  });

  it("stops its capture program, and nothing arrives after stop", async () => {
    const lab = await listener();
    const packets: Packet[] = [];
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program: tcpdump, onPacket: (p) => packets.push(p) });
    try {
      await exchange(lab.port);
      await until(() => packets.length >= 7);
      expect(childArgs()).toContain(`tcp port ${lab.port}`);
      await capture.stop();
      expect(childArgs()).not.toContain(`tcp port ${lab.port}`);
      const before = packets.length;
      await exchange(lab.port);
      await new Promise((r) => setTimeout(r, 300));
      expect(packets.length).toBe(before);
      expect(capture.mode).toBe("real segments");
    } finally {
      await lab.close();
    }
  });

  it("says so when the capture program stops while the lab runs", async () => {
    const lab = await listener();
    // tcpdump -c 3 exits after three packets, as a capture program that dies would.
    const program = wrapper(`exec ${tcpdump} -c 3 "$@"`);
    const packets: Packet[] = [];
    const capture = await start({ setting: "auto", tcpPorts: [lab.port], host: "127.0.0.1", program, onPacket: (p) => packets.push(p) });
    try {
      expect(capture.mode).toBe("real segments");
      await exchange(lab.port);
      await until(() => capture.mode === "socket events");
      expect(packets.length).toBe(3);
      expect(capture.reason).toMatch(/^tcpdump stopped capturing while the lab ran \(exit code 0.*\); restart the lab to capture again$/);
      expect(capture.off).toMatchObject({ code: "stopped", program, detail: expect.stringMatching(/^exit code 0/) });
    } finally {
      await lab.close();
    }
  });
});
