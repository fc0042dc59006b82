// The pcapng export checked against tshark (issue 3 §6): a session's traffic, exported with real
// capture (as root, with tcpdump) and synthesised (capture off), must dissect in tshark with no
// malformed packet, and tshark must agree with the lab's own dissection on every packet.

import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, describe, expect, it } from "vitest";
import { LabService } from "@/gen/lab/v1/lab_pb";
import { readPcapng } from "../capture/pcapng";
import { dissectPacket } from "../dissect/packet";
import { createTcpAnalyzer } from "../dissect/tcp-analysis";
import { TCP_FLAGS } from "../dissect/tcp-analysis";
import type { LabHost } from "./host";
import { connectClient, sleep, startTestHost } from "../testing/host";
import { tshark, tsharkFields } from "../testing/tshark";

const hasTshark = tshark !== undefined;
const canCapture = hasTshark && ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"].some((p) => existsSync(p)) && process.getuid?.() === 0;

const FIELDS = [
  "ip.src",
  "ip.dst",
  "ip.len",
  "ip.ttl",
  "tcp.srcport",
  "tcp.dstport",
  "tcp.seq",
  "tcp.seq_raw",
  "tcp.ack",
  "tcp.ack_raw",
  "tcp.flags",
  "tcp.window_size_value",
  "tcp.len",
  "tcp.option_kind",
  "tcp.options.mss_val",
  "tcp.options.wscale.shift",
  "tcp.options.timestamp.tsval",
  "tcp.options.timestamp.tsecr",
  "_ws.malformed",
] as const;

/** The lab's own reading of every packet, in the order the file holds them. */
function labReading(bytes: Uint8Array) {
  const file = readPcapng(bytes);
  const analyzer = createTcpAnalyzer();
  return file.packets.map((p) => {
    const linkType = file.interfaces[p.interfaceId]!.linkType;
    return dissectPacket(linkType, p.data, { analyzer, checksumsMayBeOffloaded: true });
  });
}

const hosts: LabHost[] = [];
afterAll(async () => {
  for (const h of hosts) await h.stop();
});

/** A student's session: page visit, echo conversation with hello and exit, then the export. */
async function sessionCapture(host: LabHost) {
  const base = `http://127.0.0.1:${host.port("web")}`;
  const cookie = (await fetch(`${base}/`)).headers.get("set-cookie")!.split(";")[0]!;
  const lab = createClient(
    LabService,
    createConnectTransport({
      baseUrl: base,
      httpVersion: "1.1",
      interceptors: [(next) => (req) => (req.header.set("cookie", cookie), next(req))],
    }),
  );
  const { conversation } = await lab.open({ service: "tcp-echo" });
  await sleep(100);
  await lab.send({ conversationId: conversation!.id, parts: [new TextEncoder().encode("hello")] });
  await sleep(100);
  await lab.send({ conversationId: conversation!.id, parts: [new TextEncoder().encode("exit")] });
  await sleep(1_500); // the close, and the capture's last packets (tcpdump hands them over a block at a time, up to a second late)
  const res = await fetch(`${base}/api/sessions/current/capture.pcapng`, { headers: { cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/x-pcapng");
  const bytes = new Uint8Array(await res.arrayBuffer());
  const file = path.join(mkdtempSync(path.join(tmpdir(), "lab-export-")), "session.pcapng");
  writeFileSync(file, bytes);
  return { bytes, file, clientPort: conversation!.client!.port, serverPort: host.port("tcp-echo") };
}

function flagNames(flags: number): string[] {
  return Object.entries(TCP_FLAGS)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name);
}

async function expectAgreement(bytes: Uint8Array, file: string) {
  const theirs = await tsharkFields(file, FIELDS);
  const ours = labReading(bytes);
  expect(theirs.length).toBe(ours.length);
  expect(ours.length).toBeGreaterThanOrEqual(10);
  ours.forEach((p, i) => {
    const t = theirs[i]!;
    expect(t["_ws.malformed"], `packet ${i + 1} malformed in tshark`).toBe("");
    expect(p.frames.flatMap((f) => f.findings).filter((f) => f.code.endsWith(".truncated"))).toEqual([]);
    const tcp = p.tcp!;
    const ip = p.ip!;
    const mine = {
      "ip.src": p.flow!.src,
      "ip.dst": p.flow!.dst,
      "ip.len": String(ip.totalLength),
      "ip.ttl": String(ip.ttl),
      "tcp.srcport": String(p.flow!.srcPort),
      "tcp.dstport": String(p.flow!.dstPort),
      "tcp.seq": String(tcp.relativeSeq),
      "tcp.seq_raw": String(tcp.seq),
      "tcp.ack": String(tcp.relativeAck ?? 0),
      "tcp.ack_raw": String(tcp.ack),
      "tcp.flags": String(tcp.flags),
      "tcp.window_size_value": String(tcp.window),
      "tcp.len": String(tcp.payloadLength),
      "tcp.option_kind": tcp.options.map((o) => o.kind).join(","),
      "tcp.options.mss_val": tcp.options.filter((o) => o.kind === 2).map((o) => String(o.value)).join(","),
      "tcp.options.wscale.shift": tcp.options.filter((o) => o.kind === 3).map((o) => String(o.value)).join(","),
      "tcp.options.timestamp.tsval": tcp.options
        .filter((o) => o.kind === 8)
        .map((o) => String((o.value as { tsval: number }).tsval))
        .join(","),
      "tcp.options.timestamp.tsecr": tcp.options
        .filter((o) => o.kind === 8)
        .map((o) => String((o.value as { tsecr: number }).tsecr))
        .join(","),
    };
    const theirsPicked = Object.fromEntries(Object.keys(mine).map((k) => [k, t[k as keyof typeof t]]));
    theirsPicked["tcp.flags"] = String(Number(t["tcp.flags"])); // tshark prints 0x0012
    // tshark prints no ack number on segments without the ACK flag (the first SYN).
    if (!flagNames(tcp.flags).includes("ACK")) theirsPicked["tcp.ack"] = "0";
    expect(mine, `packet ${i + 1}: ${p.summary}`).toEqual(theirsPicked);
  });
  return ours;
}

/** Two sessions at one address and an external client: each session's export holds its own and the external one. */
async function expectOnlyOwn(flag: string) {
  const host = await startTestHost([flag]);
  hosts.push(host);
  const base = `http://127.0.0.1:${host.port("web")}`;
  const session = async () => {
    const cookie = (await fetch(`${base}/`)).headers.get("set-cookie")!.split(";")[0]!;
    const lab = createClient(
      LabService,
      createConnectTransport({ baseUrl: base, httpVersion: "1.1", interceptors: [(next) => (req) => (req.header.set("cookie", cookie), next(req))] }),
    );
    const { conversation } = await lab.open({ service: "tcp-echo" });
    await lab.send({ conversationId: conversation!.id, parts: [new TextEncoder().encode("mine")] });
    return { cookie, port: conversation!.client!.port };
  };
  const a = await session();
  const b = await session();
  // A client outside the lab (nc, a Python script) from this machine's address: every session here sees it.
  const external = await connectClient(host.port("tcp-echo"));
  await external.until((text) => text.startsWith("Welcome"));
  external.socket.write("outside");
  await external.until((text) => text.includes("outside"));
  const externalPort = external.socket.localPort!;
  await sleep(600);
  const clientPorts = async (cookie: string) => {
    const res = await fetch(`${base}/api/sessions/current/capture.pcapng`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const file = readPcapng(new Uint8Array(await res.arrayBuffer()));
    const ports = new Set<number>();
    for (const p of file.packets) {
      const flow = dissectPacket(file.interfaces[p.interfaceId]!.linkType, p.data).flow!;
      ports.add(flow.srcPort === host.port("tcp-echo") ? flow.dstPort : flow.srcPort);
    }
    return [...ports].sort((x, y) => x - y);
  };
  expect(await clientPorts(a.cookie)).toEqual([a.port, externalPort].sort((x, y) => x - y));
  expect(await clientPorts(b.cookie)).toEqual([b.port, externalPort].sort((x, y) => x - y));
  external.socket.destroy();
}

describe("pcapng export against tshark", () => {
  it.skipIf(!hasTshark)("synthesised packets (capture off) dissect cleanly and agree field by field", async () => {
    const host = await startTestHost(["--capture=off"]);
    hosts.push(host);
    const { bytes, file, clientPort, serverPort } = await sessionCapture(host);
    const ours = await expectAgreement(bytes, file);
    const flags = ours.map((p) => p.summary.match(/\[([A-Z, ]+)\]/)?.[1]);
    expect(flags.slice(0, 3)).toEqual(["SYN", "SYN, ACK", "ACK"]);
    expect(ours.every((p) => [clientPort, serverPort].includes(p.flow!.srcPort))).toBe(true);
    const comments = readPcapng(bytes).sections[0]!.comments.join(" ");
    expect(comments).toContain("SYNTHESISED");
  });

  it.skipIf(!canCapture)("real packets (capture on, as root) dissect cleanly and agree field by field", async () => {
    const host = await startTestHost(["--capture=auto"]);
    hosts.push(host);
    expect(host.capture.mode).toBe("real segments");
    const { bytes, file, clientPort } = await sessionCapture(host);
    const ours = await expectAgreement(bytes, file);
    expect(ours[0]!.summary).toMatch(new RegExp(`^${clientPort} → \\d+ \\[SYN\\] Seq=0 `));
    const sections = readPcapng(bytes).sections[0]!.comments.join(" ");
    expect(sections).toContain("captured on the wire");
    expect(sections).not.toContain("SYNTHESISED");
  });

  it("synthesised (capture off): holds the caller's own conversations and external ones from its address, nobody else's", async () => {
    await expectOnlyOwn("--capture=off");
  });

  it.skipIf(!canCapture)("real (capture on, as root): holds the caller's own conversations and external ones from its address, nobody else's", async () => {
    await expectOnlyOwn("--capture=auto");
  });

  it("gives a caller without a session nothing", async () => {
    const host = await startTestHost();
    hosts.push(host);
    const res = await fetch(`http://127.0.0.1:${host.port("web")}/api/sessions/current/capture.pcapng`);
    expect(res.status).toBe(404);
  });
});
