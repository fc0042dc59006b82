// UDP flows exported as pcapng and read by tshark (issue 10 §6): tshark must agree with the lab on every UDP
// field of every packet (ports, length, checksum and its status, payload bytes), with the addresses, TTL or
// hop limit and Info line besides, and both must agree with the datagrams the tap recorded. Twice:
// - synthesised: capture off, one IPv4 or IPv6 packet per datagram (a lost datagram has none);
// - real: tcpdump on the loopback as root, the lab's tapped UDP echo answering a real client over IPv4 and
//   IPv6, each captured datagram joined to its flow and to the datagram event it stands for; and the whole
//   lab host with capture on, a session's lab UDP client (Open, Send) and the file it downloads.
// tshark runs with UDP checksum checking on (Wireshark's default is off), so its status is a verdict.

import dgram from "node:dgram";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { execFile } from "node:child_process";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { LabService } from "@/gen/lab/v1/lab_pb";
import type { LabHost } from "../lab/host";
import { startTestHost } from "../testing/host";
import { createSessionStore, type Session } from "../lab/sessions";
import { exportPcapng } from "../lab/export-pcapng";
import { dissectorFor } from "../dissect/protocols";
import { dissectPacket, type DissectedPacket } from "../dissect/packet";
import type { FieldNode } from "../dissect/core/types";
import { tshark } from "../testing/tshark";
import { createBus } from "./bus";
import type { CapturedEvent } from "./events";
import { readPcapng } from "./pcapng";
import { createTappedUdpServer, type TappedUdpServer } from "./udp-tap";
import { startWireCapture, type WireCapture } from "./wire";

const tcpdump = ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"].find((p) => existsSync(p));
const canCapture = tshark !== undefined && tcpdump !== undefined && process.getuid?.() === 0;

const FIELDS = [
  "ip.src",
  "ip.dst",
  "ip.len",
  "ip.ttl",
  "ipv6.src",
  "ipv6.dst",
  "ipv6.plen",
  "ipv6.hlim",
  "udp.srcport",
  "udp.dstport",
  "udp.length",
  "udp.checksum",
  "udp.checksum.status",
  "udp.checksum_calculated",
  "udp.payload",
  "_ws.malformed",
  "_ws.col.Info",
  "frame.comment",
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

/** tshark's fields for every packet, with UDP checksums checked; the comment kept whole (it may hold the separator). */
async function readWithTshark(file: string): Promise<Row[]> {
  const args = ["-r", file, "-o", "udp.check_checksum:TRUE", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"];
  for (const f of FIELDS) args.push("-e", f);
  const { stdout } = await promisify(execFile)(tshark!, args, { maxBuffer: 64 << 20 });
  return stdout
    .trimEnd()
    .split("\n")
    .map((line) => Object.fromEntries(line.split("\t").map((v, i) => [FIELDS[i], v])) as Row);
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const hex16 = (n: number) => `0x${n.toString(16).padStart(4, "0")}`;

function field(p: DissectedPacket, id: string): FieldNode | undefined {
  const walk = (nodes: readonly FieldNode[]): FieldNode | undefined => {
    for (const n of nodes) {
      const hit = n.id === id ? n : walk(n.children);
      if (hit) return hit;
    }
    return undefined;
  };
  for (const frame of p.frames) {
    const hit = walk(frame.fields);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The lab's reading of a UDP packet in tshark's terms. The checksum's status: good 1, none (0 over IPv4) 3,
 * and 0 where the lab computed another value (bad, or unverified on a loopback that leaves it to the card).
 */
function labRow(p: DissectedPacket, bytes: Uint8Array): Partial<Row> {
  const v4 = p.ip!.version === 4;
  const checksum = field(p, "udp.checksum")!.value as unknown as { stored: number; verdict: string; expected?: number };
  const status = checksum.verdict === "good" ? "1" : checksum.verdict === "none" ? "3" : checksum.expected !== undefined && checksum.expected !== checksum.stored ? "0" : "?";
  const udp = p.udp!;
  return {
    ...(v4
      ? { "ip.src": p.flow!.src, "ip.dst": p.flow!.dst, "ip.len": String(p.ip!.totalLength), "ip.ttl": String(p.ip!.ttl) }
      : { "ipv6.src": p.flow!.src, "ipv6.dst": p.flow!.dst, "ipv6.plen": String(p.ip!.payloadLength), "ipv6.hlim": String(p.ip!.hopLimit) }),
    "udp.srcport": String(p.flow!.srcPort),
    "udp.dstport": String(p.flow!.dstPort),
    "udp.length": String(udp.length),
    "udp.checksum": hex16(checksum.stored),
    "udp.checksum.status": status,
    "udp.checksum_calculated": status === "3" ? "" : hex16(checksum.verdict === "good" ? checksum.stored : checksum.expected!),
    "udp.payload": hex(bytes.subarray(udp.payloadOffset, udp.payloadOffset + udp.payloadLength)),
    "_ws.malformed": "",
    // tshark says so in Info when it found the checksum wrong.
    "_ws.col.Info": status === "0" ? `${p.summary} [UDP CHECKSUM INCORRECT]` : p.summary,
  };
}

/** Writes the session's export, reads it with tshark and with the lab, and checks they agree on every UDP packet. */
async function exportAndCompare(session: Session, offloaded: boolean) {
  const { bytes, summary } = exportPcapng(session.ring, dissectorFor, "udp test");
  return { ...(await compareFile(bytes, offloaded)), summary };
}

/** Reads a pcapng file with tshark and with the lab, and checks they agree on every UDP packet. */
async function compareFile(bytes: Uint8Array, offloaded: boolean) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "lab-udp-export-")), "session.pcapng");
  writeFileSync(file, bytes);
  const theirs = await readWithTshark(file);
  const pcapng = readPcapng(bytes);
  expect(theirs).toHaveLength(pcapng.packets.length);
  const ours = pcapng.packets.map((p) => ({ data: p.data, packet: dissectPacket(pcapng.interfaces[p.interfaceId]!.linkType, p.data, { checksumsMayBeOffloaded: offloaded }) }));
  ours.forEach(({ data, packet }, i) => {
    if (!packet.udp) return;
    const mine = labRow(packet, data);
    const t = theirs[i]!;
    const picked = Object.fromEntries(Object.keys(mine).map((k) => [k, t[k as keyof Row]]));
    expect(mine, `packet ${i + 1}: ${packet.summary}`).toEqual(picked);
  });
  return { theirs, ours };
}

/** The datagram events of the session's UDP flows, in seq order. */
const datagramsOf = (session: Session, kind: CapturedEvent["kind"] = "data") =>
  session.ring.after(0, Infinity).filter((e) => e.conversation.transport === "udp" && e.kind === kind);

function setup() {
  const sessions = createSessionStore({ ringMaxEvents: 10_000, ringMaxBytes: 16 << 20 });
  const session = sessions.resolve(undefined, "127.0.0.1").session;
  const bus = createBus({ sessions, dissectorFor });
  return { sessions, session, bus };
}

const utf8 = (text: string) => new TextEncoder().encode(text);
/** struct.pack('If', 42, 3.14) on x86-64. */
const BINARY = Uint8Array.of(42, 0, 0, 0, 0xc3, 0xf5, 0x48, 0x40);

describe.skipIf(!tshark)("UDP flows exported with synthesised packets, read by tshark", () => {
  it("agree with the lab on every UDP field, and hold each datagram's bytes, one packet per datagram; a lost datagram has none", async () => {
    const { session, bus } = setup();
    const owner = session.id;
    const echo = bus.open({ service: "udp-echo", transport: "udp", protocol: "udpecho", client: { ip: "127.0.0.1", port: 40000 }, server: { ip: "127.0.0.1", port: 8889 }, owner });
    echo.data("c2s", utf8("Hello UDP!"));
    echo.data("s2c", utf8("UDP-ECHO: Hello UDP!"));
    echo.data("c2s", utf8("BINARY_TEST"));
    echo.data("s2c", "UDP-ECHO: BINARY_TEST");
    echo.data("s2c", BINARY);
    echo.record("lost", "c2s", utf8("never sent"), "ELOST", "dropped by the session's impairment");
    echo.data("c2s", new Uint8Array(0));
    echo.data("c2s", Uint8Array.of(0xff, 0xfe, 0x80));
    echo.data("c2s", new Uint8Array(65_507).map((_, i) => (i * 7) & 0xff));
    echo.close("EIDLE", "no datagram for 60 s");
    const v6 = bus.open({ service: "udp-echo", transport: "udp", protocol: "udpecho", client: { ip: "::1", port: 40001 }, server: { ip: "::1", port: 8889 }, owner });
    v6.data("c2s", utf8("hello over IPv6"));
    v6.data("s2c", utf8("UDP-ECHO: hello over IPv6"));
    const group = bus.open({ service: "udp-multicast", transport: "udp", protocol: "text", client: { ip: "127.0.0.1", port: 40002 }, server: { ip: "224.0.0.100", port: 9999 }, owner });
    group.data("c2s", utf8("hello group"));
    // A TCP conversation beside them, to show the two transports side by side in one file.
    const tcp = bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "127.0.0.1", port: 40000 }, server: { ip: "127.0.0.1", port: 8888 }, owner });
    tcp.data("c2s", utf8("hello\n"));
    tcp.close();

    const { theirs, ours, summary } = await exportAndCompare(session, false);
    const udp = ours.map((o, i) => ({ ...o, t: theirs[i]! })).filter((o) => o.packet.udp);
    const datagrams = datagramsOf(session);
    expect(summary.real).toBe(0);
    expect(udp).toHaveLength(datagrams.length);
    expect(udp).toHaveLength(11);
    // Each packet is one datagram the tap recorded, in order, with its bytes, and checks out.
    udp.forEach(({ t }, i) => {
      const e = datagrams[i]!;
      expect(t["udp.payload"]).toBe(hex(e.data));
      expect(t["udp.length"]).toBe(String(8 + e.data.length));
      expect(t["udp.checksum.status"]).toBe("1");
      expect(t["frame.comment"]).toContain(`(lab event #${e.seq})`);
    });
    expect(udp.map(({ t }) => [t["ip.src"] || t["ipv6.src"], t["udp.srcport"], t["ip.dst"] || t["ipv6.dst"], t["udp.dstport"], t["ip.ttl"] || t["ipv6.hlim"]])).toEqual([
      ["127.0.0.1", "40000", "127.0.0.1", "8889", "64"],
      ["127.0.0.1", "8889", "127.0.0.1", "40000", "64"],
      ["127.0.0.1", "40000", "127.0.0.1", "8889", "64"],
      ["127.0.0.1", "8889", "127.0.0.1", "40000", "64"],
      ["127.0.0.1", "8889", "127.0.0.1", "40000", "64"],
      ["127.0.0.1", "40000", "127.0.0.1", "8889", "64"],
      ["127.0.0.1", "40000", "127.0.0.1", "8889", "64"],
      ["127.0.0.1", "40000", "127.0.0.1", "8889", "64"],
      ["::1", "40001", "::1", "8889", "64"],
      ["::1", "8889", "::1", "40001", "64"],
      ["127.0.0.1", "40002", "224.0.0.100", "9999", "1"],
    ]);
    expect(udp[4]!.t["udp.payload"]).toBe("2a000000c3f54840");
    expect(udp[7]!.t["udp.length"]).toBe("65515");
    // The lost datagram: no packet holds its bytes, and the packet before it says why.
    expect(theirs.some((t) => t["udp.payload"] === hex(utf8("never sent")))).toBe(false);
    expect(udp[4]!.t["frame.comment"]).toMatch(/the session's impairment dropped before it was sent, so it has no packet \(lab event #\d+\)$/);
    expect(udp[7]!.t["frame.comment"]).toMatch(/the flow's end, EIDLE/);
    // The TCP conversation is there too, synthesised as before.
    expect(ours.filter((o) => o.packet.tcp).length).toBeGreaterThanOrEqual(7);
  });
});

const servers: TappedUdpServer[] = [];
const hosts: LabHost[] = [];
const captures: WireCapture[] = [];
const sockets: dgram.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await Promise.all(captures.splice(0).map((c) => c.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

async function until(check: () => boolean, what: () => string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A client socket that sends each message once the answer to the one before came (the echo answers everything). */
async function talk(type: "udp4" | "udp6", address: string, port: number, messages: readonly Uint8Array[], answers: number): Promise<Buffer[]> {
  const socket = dgram.createSocket(type);
  sockets.push(socket);
  const got: Buffer[] = [];
  socket.on("message", (m) => got.push(m));
  await new Promise<void>((resolve) => socket.bind(0, type === "udp4" ? "127.0.0.1" : "::1", resolve));
  for (const m of messages) {
    const before = got.length;
    socket.send(m, port, address);
    await until(() => got.length > before, () => `an answer to ${JSON.stringify(Buffer.from(m).toString())}`);
  }
  await until(() => got.length >= answers, () => `${answers} answers, got ${got.length}`);
  return got;
}

describe.skipIf(!canCapture)("UDP flows captured on the loopback, exported and read by tshark", () => {
  it("joins each captured datagram to its flow and its datagram event, and tshark agrees with the lab on every UDP field", async () => {
    const { session, bus, sessions } = setup();
    const v6Session = sessions.resolve(undefined, "::1").session;
    const server = await createTappedUdpServer({
      bus,
      service: "udp-echo",
      protocol: "udpecho",
      binds: [
        { address: "127.0.0.1", type: "udp4" },
        { address: "::1", type: "udp6", optional: true },
      ],
      port: 0,
      idleTimeoutMs: 60_000,
      handle(datagram, reply) {
        reply(`UDP-ECHO: ${datagram.toString("utf8")}`);
        if (datagram.toString("utf8").startsWith("BINARY")) reply(BINARY);
      },
    });
    servers.push(server);
    const capture = await startWireCapture({ setting: "pcap", tcpPorts: [], udpPorts: [server.port], host: "127.0.0.1", program: tcpdump, onSegment: (r) => bus.segment(r) });
    captures.push(capture);
    bus.trackStreamOffsets = true;

    const v4 = await talk("udp4", "127.0.0.1", server.port, [utf8("Hello UDP!"), utf8("BINARY_TEST"), new Uint8Array(0)], 4);
    expect(v4.map((b) => b.toString("latin1"))).toEqual(["UDP-ECHO: Hello UDP!", "UDP-ECHO: BINARY_TEST", Buffer.from(BINARY).toString("latin1"), "UDP-ECHO: "]);
    const hasV6 = server.sockets.length > 1;
    if (hasV6) await talk("udp6", "::1", server.port, [utf8("hello over IPv6")], 1);

    // Every datagram's packet arrives (tcpdump hands them over a block at a time, up to a second late).
    const expected = { [session.id]: 7, [v6Session.id]: hasV6 ? 2 : 0 };
    await until(
      () => datagramsOf(session, "segment").length === expected[session.id] && datagramsOf(v6Session, "segment").length === expected[v6Session.id],
      () => `segments: ${datagramsOf(session, "segment").length} and ${datagramsOf(v6Session, "segment").length}`,
    );
    for (const s of [session, v6Session]) {
      const data = datagramsOf(s);
      const packets = datagramsOf(s, "segment");
      // One packet per datagram, each placed where its datagram event is in the flow (the page joins them so).
      expect(packets.map((p) => [p.conversation.id, p.direction, p.streamOffset, p.segment!.payloadLength])).toEqual(
        data.map((d) => [d.conversation.id, d.direction, d.streamOffset, d.data.length]),
      );
      for (const p of packets) expect(p.segment!.analysis).toBeUndefined();
    }

    const { theirs, ours, summary } = await exportAndCompare(session, true);
    expect(summary).toMatchObject({ synthesized: 0, real: 7 });
    const udp = ours.map((o, i) => ({ ...o, t: theirs[i]! })).filter((o) => o.packet.udp);
    expect(udp.map(({ t }) => t["udp.payload"])).toEqual(datagramsOf(session).map((d) => hex(d.data)));
    expect(udp.map(({ t }) => t["ip.ttl"])).toEqual(udp.map(() => "64"));
    for (const { t } of udp) expect(t["frame.comment"]).toMatch(/^captured: \d+ → \d+ Len=\d+$/);
    if (hasV6) {
      const v6 = await exportAndCompare(v6Session, true);
      expect(v6.summary).toMatchObject({ synthesized: 0, real: 2 });
      expect(v6.theirs.map((t) => t["ipv6.src"])).toEqual(["::1", "::1"]);
    }
  });
});

describe.skipIf(!canCapture)("a session's lab UDP client on the lab host with capture on", () => {
  it("sees each datagram's packet joined to it on its timeline, and downloads the captured datagrams that tshark agrees with", async () => {
    const host = await startTestHost(["--capture=pcap"]);
    hosts.push(host);
    expect(host.capture.mode).toBe("real segments");
    const base = `http://127.0.0.1:${host.port("web")}`;
    const cookie = (await fetch(`${base}/`)).headers.get("set-cookie")!.split(";")[0]!;
    const lab = createClient(
      LabService,
      createConnectTransport({ baseUrl: base, httpVersion: "1.1", interceptors: [(next) => (req) => (req.header.set("cookie", cookie), next(req))] }),
    );
    const session = host.sessions.resolve(cookie, "127.0.0.1").session;
    const { conversation } = await lab.open({ service: "udp-echo" });
    const id = conversation!.id;
    const flow = () => session.ring.after(0, Infinity).filter((e) => e.conversation.id === id);
    for (const message of ["Hello UDP!", "BINARY_TEST"]) {
      const answers = flow().filter((e) => e.kind === "data" && e.direction === "s2c").length;
      await lab.send({ conversationId: id, parts: [utf8(message)] });
      await until(() => flow().filter((e) => e.kind === "data" && e.direction === "s2c").length > answers, () => `the answer to ${message}`);
    }
    // Two datagrams out, three back (the BINARY one's struct among them), each with its captured packet.
    await until(
      () => flow().filter((e) => e.kind === "data").length === 5 && flow().filter((e) => e.kind === "segment").length === 5,
      () => flow().map((e) => e.kind).join(","),
    );
    const data = flow().filter((e) => e.kind === "data");
    const packets = flow().filter((e) => e.kind === "segment");
    expect(data.map((e) => Buffer.from(e.data).toString("latin1"))).toEqual([
      "Hello UDP!",
      "UDP-ECHO: Hello UDP!",
      "BINARY_TEST",
      "UDP-ECHO: BINARY_TEST",
      Buffer.from(BINARY).toString("latin1"),
    ]);
    expect(packets.map((p) => [p.direction, p.streamOffset, p.segment!.payloadLength])).toEqual(data.map((d) => [d.direction, d.streamOffset, d.data.length]));
    expect(data.every((d) => d.streamOffset >= 0)).toBe(true);

    const res = await fetch(`${base}/api/sessions/current/capture.pcapng`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const { theirs } = await compareFile(new Uint8Array(await res.arrayBuffer()), true);
    const udp = theirs.filter((t) => t["udp.srcport"] !== "");
    expect(udp.map((t) => t["udp.payload"])).toEqual(data.map((d) => hex(d.data)));
    expect(udp.map((t) => t["udp.dstport"])).toEqual(data.map((d) => String(d.direction === "c2s" ? host.port("udp-echo") : conversation!.client!.port)));
    for (const t of udp) expect(t["frame.comment"]).toMatch(/^captured: /);
  });
});
