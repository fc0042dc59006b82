import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CapturedEvent, ConversationInfo, EventKind } from "./events";
import { createPcapngWriter, LINKTYPE_RAW, readPcapng } from "./pcapng";
import { synthesizeTcp, synthesizeTcpPackets, type SynthesizedPacket } from "./synthesize";

// --- an independent decoder and checksum, written from RFC 791 / 8200 / 9293 / 1071 without the module's code

/** RFC 1071 checks a received header by summing it, checksum included: the folded sum must be 0xffff. */
function onesSum(words: number[]): number {
  let sum = words.reduce((a, b) => a + b, 0);
  while (sum >> 16) sum = (sum >> 16) + (sum & 0xffff);
  return sum;
}

function words(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) out.push(bytes[i]! * 256 + (bytes[i + 1] ?? 0));
  return out;
}

interface Decoded {
  version: 4 | 6;
  src: string;
  dst: string;
  ipLength: number;
  ttl: number;
  ipId: number;
  df: boolean;
  ipChecksumOk: boolean;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options: Uint8Array;
  payload: Uint8Array;
  tcpChecksumOk: boolean;
}

function decode(p: Uint8Array): Decoded {
  const b = Buffer.from(p.buffer, p.byteOffset, p.byteLength);
  const version = b[0]! >> 4;
  let ipHeader: number, ipLength: number, ttl: number, ipId = 0, df = false, ipChecksumOk = true;
  let src: string, dst: string, pseudo: number[];
  if (version === 4) {
    ipHeader = (b[0]! & 15) * 4;
    ipLength = b.readUInt16BE(2);
    ipId = b.readUInt16BE(4);
    df = (b.readUInt16BE(6) & 0x4000) !== 0;
    ttl = b[8]!;
    expect(b[9]).toBe(6);
    ipChecksumOk = onesSum(words(p.subarray(0, ipHeader))) === 0xffff;
    src = [...b.subarray(12, 16)].join(".");
    dst = [...b.subarray(16, 20)].join(".");
    pseudo = [...words(p.subarray(12, 20)), 6, ipLength - ipHeader];
  } else {
    ipHeader = 40;
    ipLength = 40 + b.readUInt16BE(4);
    expect(b[6]).toBe(6);
    ttl = b[7]!;
    const hex = (from: number) => Array.from({ length: 8 }, (_, i) => b.readUInt16BE(from + 2 * i).toString(16)).join(":");
    src = hex(8);
    dst = hex(24);
    pseudo = [...words(p.subarray(8, 40)), 0, ipLength - 40, 0, 6];
  }
  expect(ipLength).toBe(p.length);
  const t = b.subarray(ipHeader);
  const dataOffset = (t[12]! >> 4) * 4;
  return {
    version: version as 4 | 6,
    src,
    dst,
    ipLength,
    ttl,
    ipId,
    df,
    ipChecksumOk,
    srcPort: t.readUInt16BE(0),
    dstPort: t.readUInt16BE(2),
    seq: t.readUInt32BE(4),
    ack: t.readUInt32BE(8),
    flags: t.readUInt16BE(12) & 0x1ff,
    window: t.readUInt16BE(14),
    options: new Uint8Array(t.subarray(20, dataOffset)),
    payload: new Uint8Array(t.subarray(dataOffset)),
    tcpChecksumOk: onesSum([...pseudo, ...words(p.subarray(ipHeader))]) === 0xffff,
  };
}

const F = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;
const flagNames = (f: number) =>
  (["FIN", "SYN", "RST", "PSH", "ACK"] as const).filter((n) => f & F[n]).join("|");
const tsOption = (o: Uint8Array) => {
  for (let i = 0; i < o.length; ) {
    if (o[i] === 1) i++;
    else if (o[i] === 8) return { val: Buffer.from(o).readUInt32BE(i + 2), ecr: Buffer.from(o).readUInt32BE(i + 6) };
    else i += o[i + 1]!;
  }
  return undefined;
};

// --- fixtures

function conversationOf(client: string, server: string, id = "c7"): ConversationInfo {
  return {
    id,
    transport: "tcp",
    client: { ip: client, port: 51514 },
    server: { ip: server, port: 8888 },
    service: "tcp-echo",
    protocol: "text",
    origin: "external",
    owner: undefined,
  };
}

const T0 = 1_700_000_000_123.25; // wall-clock ms with a sub-ms part (exact in a double, so the test can name the ns)

function eventsOf(conversation: ConversationInfo, steps: [EventKind, "c2s" | "s2c", (string | Uint8Array)?, string?][]): CapturedEvent[] {
  return steps.map(([kind, direction, data, errorCode], i) => ({
    seq: 100 + i,
    conversation,
    kind,
    direction,
    monoMs: 5000.25 + i * 2.5,
    wallMs: T0 + i * 2.5,
    data: typeof data === "string" ? new TextEncoder().encode(data) : (data ?? new Uint8Array(0)),
    pdus: undefined,
    errorCode: errorCode ?? "",
    errorMessage: errorCode ? `message for ${errorCode}` : "",
    streamOffset: -1,
    segment: kind === "segment" ? { linkType: 101, payloadLength: 0, analysis: undefined, checksumsMayBeOffloaded: false } : undefined,
  }));
}

const ECHO_STEPS: Parameters<typeof eventsOf>[1] = [
  ["open", "c2s"],
  ["data", "c2s", "hello"],
  ["data", "s2c", "ECHO: hello"],
  ["half-close", "c2s"],
  ["half-close", "s2c"],
  ["close", "c2s"],
];

const echo = conversationOf("127.0.0.1", "127.0.0.1");
const echoPackets = synthesizeTcp(echo, eventsOf(echo, ECHO_STEPS));

describe("synthesizeTcp", () => {
  it("turns the echo conversation into handshake, data, ACKs and two half-closes with exact seq/ack arithmetic", () => {
    const d = echoPackets.map((p) => decode(p.data));
    const c = d[0]!.seq; // client ISN
    const s = d[1]!.seq; // server ISN
    const C = { from: "127.0.0.1:51514" };
    const S = { from: "127.0.0.1:8888" };
    const expected = [
      { ...C, flags: "SYN", seq: c, ack: 0, len: 0 },
      { ...S, flags: "SYN|ACK", seq: s, ack: c + 1, len: 0 },
      { ...C, flags: "ACK", seq: c + 1, ack: s + 1, len: 0 },
      { ...C, flags: "PSH|ACK", seq: c + 1, ack: s + 1, len: 5 },
      { ...S, flags: "ACK", seq: s + 1, ack: c + 6, len: 0 },
      { ...S, flags: "PSH|ACK", seq: s + 1, ack: c + 6, len: 11 },
      { ...C, flags: "ACK", seq: c + 6, ack: s + 12, len: 0 },
      { ...C, flags: "FIN|ACK", seq: c + 6, ack: s + 12, len: 0 },
      { ...S, flags: "ACK", seq: s + 12, ack: c + 7, len: 0 },
      { ...S, flags: "FIN|ACK", seq: s + 12, ack: c + 7, len: 0 },
      { ...C, flags: "ACK", seq: c + 7, ack: s + 13, len: 0 },
    ];
    const u32 = (n: number) => n >>> 0;
    expect(
      d.map((x) => ({ from: `${x.src}:${x.srcPort}`, flags: flagNames(x.flags), seq: x.seq, ack: x.ack, len: x.payload.length })),
    ).toEqual(expected.map((e) => ({ ...e, seq: u32(e.seq), ack: u32(e.ack) })));
    expect(new TextDecoder().decode(d[3]!.payload)).toBe("hello");
    expect(new TextDecoder().decode(d[5]!.payload)).toBe("ECHO: hello");
    for (const x of d) {
      expect(x.dstPort).toBe(x.srcPort === 8888 ? 51514 : 8888);
      expect(x.ipChecksumOk).toBe(true);
      expect(x.tcpChecksumOk).toBe(true);
      expect(x.ttl).toBe(64);
      expect(x.df).toBe(true);
      expect(x.version).toBe(4);
    }
  });

  it("negotiates like Linux loopback: MSS 65495, SACK_PERM, TS, WS 7, then NOP NOP TS echoing the peer", () => {
    const d = echoPackets.map((p) => decode(p.data));
    const synOptions = [2, 4, 0xff, 0xd7, 4, 2, 8, 10];
    expect([...d[0]!.options.subarray(0, 8)]).toEqual(synOptions);
    expect([...d[0]!.options.subarray(16)]).toEqual([1, 3, 3, 7]);
    expect([...d[1]!.options.subarray(0, 8)]).toEqual(synOptions);
    expect(d[0]!.window).toBe(65495);
    expect(d[1]!.window).toBe(65483);
    expect(tsOption(d[0]!.options)!.ecr).toBe(0);
    expect(tsOption(d[1]!.options)!.ecr).toBe(tsOption(d[0]!.options)!.val);
    for (let i = 2; i < d.length; i++) {
      expect([...d[i]!.options.subarray(0, 4)]).toEqual([1, 1, 8, 10]);
      expect(d[i]!.window).toBe(512);
      // TSecr is the TSval most recently received from the peer.
      const prevFromPeer = d.slice(0, i).findLast((x) => x.srcPort !== d[i]!.srcPort)!;
      expect(tsOption(d[i]!.options)!.ecr).toBe(tsOption(prevFromPeer.options)!.val);
    }
  });

  it("counts IP ids up per sender, keeps timestamps increasing and at or after the events", () => {
    const d = echoPackets.map((p) => decode(p.data));
    for (const port of [8888, 51514]) {
      const ids = d.filter((x) => x.srcPort === port).map((x) => x.ipId);
      ids.forEach((id, i) => expect(id).toBe((ids[0]! + i) & 0xffff));
    }
    const ts = echoPackets.map((p) => p.timestampNs);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! > ts[i - 1]!).toBe(true);
    expect(ts.slice(0, 4)).toEqual([1_700_000_000_123_250_000n, 1_700_000_000_123_250_001n, 1_700_000_000_123_250_002n, 1_700_000_000_125_750_000n]);
  });

  it("comments every packet with what the lab recorded", () => {
    const comments = echoPackets.map((p) => p.comment);
    expect(comments[0]).toMatch(/^synthesised from a socket event: connection opened, handshake 1\/3 \(client SYN\) \(lab event #100\)$/);
    expect(comments[3]).toBe("synthesised from a socket event: server read 5 bytes from the client (lab event #101)");
    expect(comments[5]).toBe("synthesised from a socket event: server wrote 11 bytes (lab event #102)");
    expect(comments[4]).toMatch(/ACK.*server acknowledges 5 bytes/);
    expect(comments[7]).toBe("synthesised from a socket event: the client half-closed (FIN) (lab event #103)");
  });

  it("is reproducible, and ISNs differ between conversations", () => {
    const again = synthesizeTcp(echo, eventsOf(echo, ECHO_STEPS));
    expect(again.map((p) => [...p.data])).toEqual(echoPackets.map((p) => [...p.data]));
    const other = conversationOf("127.0.0.1", "127.0.0.1", "c8");
    const d = synthesizeTcp(other, eventsOf(other, ECHO_STEPS)).map((p) => decode(p.data));
    expect(d[0]!.seq).not.toBe(decode(echoPackets[0]!.data).seq);
  });

  it("splits a large write into 65483-byte segments, PSH on the last, each acknowledged", () => {
    const big = new Uint8Array(150_000).map((_, i) => i & 0xff);
    const packets = synthesizeTcp(echo, eventsOf(echo, [["open", "c2s"], ["data", "s2c", big]])).slice(3);
    const d = packets.map((p) => decode(p.data));
    expect(d.map((x) => [flagNames(x.flags), x.payload.length])).toEqual([
      ["ACK", 65483],
      ["ACK", 0],
      ["ACK", 65483],
      ["ACK", 0],
      ["PSH|ACK", 19034],
      ["ACK", 0],
    ]);
    expect(d[0]!.ipLength).toBe(65535);
    expect(Buffer.concat(d.map((x) => x.payload)).equals(big)).toBe(true);
    expect(d[2]!.seq).toBe((d[0]!.seq + 65483) >>> 0);
    expect(d[5]!.ack).toBe((d[0]!.seq + 150_000) >>> 0);
    expect(d.every((x) => x.tcpChecksumOk && x.ipChecksumOk)).toBe(true);
    expect(packets[2]!.comment).toMatch(/server wrote 150000 bytes, segment 2 of 3/);
  });

  it("resets the connection from the client on ECONNRESET and sends nothing after", () => {
    const packets = synthesizeTcp(echo, eventsOf(echo, [["open", "c2s"], ["data", "c2s", "hi"], ["error", "c2s", undefined, "ECONNRESET"], ["close", "c2s"]]));
    const d = packets.map((p) => decode(p.data));
    expect(d.map((x) => flagNames(x.flags))).toEqual(["SYN", "SYN|ACK", "ACK", "PSH|ACK", "ACK", "RST|ACK"]);
    const rst = d[5]!;
    expect(rst.srcPort).toBe(51514);
    expect(rst.seq).toBe((d[3]!.seq + 2) >>> 0);
    expect(rst.ack).toBe(d[3]!.ack);
    expect(packets[5]!.comment).toBe("synthesised from a socket event: ECONNRESET, the client resets (lab event #102): message for ECONNRESET");
  });

  it("answers a refused connect's SYN with RST-ACK, seq 0, ack ISN+1", () => {
    const d = synthesizeTcp(echo, eventsOf(echo, [["connect-failed", "c2s", undefined, "ECONNREFUSED"]])).map((p) => decode(p.data));
    expect(d.map((x) => flagNames(x.flags))).toEqual(["SYN", "RST|ACK"]);
    expect(d[1]!).toMatchObject({ srcPort: 8888, seq: 0, ack: (d[0]!.seq + 1) >>> 0, window: 0, tcpChecksumOk: true });
    expect(d[1]!.options.length).toBe(0);
  });

  it("a connect that failed otherwise is its SYN alone, the failure in its comment", () => {
    const packets = synthesizeTcp(echo, eventsOf(echo, [["connect-failed", "c2s", undefined, "ETIMEDOUT"]]));
    expect(packets.map((p) => flagNames(decode(p.data).flags))).toEqual(["SYN"]);
    expect(packets[0]!.comment).toMatch(/handshake 1\/3 \(client SYN\) \(lab event #100\); the connect failed, ETIMEDOUT \(lab event #100\): message for ETIMEDOUT$/);
  });

  it("the server's close without half-closes sends both FINs, the server's first; other errors become notes", () => {
    const packets = synthesizeTcp(echo, eventsOf(echo, [["open", "c2s"], ["error", "c2s", undefined, "EIDLE"], ["close", "c2s"]]));
    const d = packets.map((p) => decode(p.data));
    expect(d.slice(3).map((x) => `${x.srcPort} ${flagNames(x.flags)}`)).toEqual(["8888 FIN|ACK", "51514 ACK", "51514 FIN|ACK", "8888 ACK"]);
    expect(packets[3]!.comment).toBe(
      "synthesised from a socket event: connection closed, the server's FIN is assumed (lab event #102); the lab also recorded error EIDLE (lab event #101): message for EIDLE",
    );
  });

  it("starts mid-stream when the opening was dropped from the ring", () => {
    const d = synthesizeTcp(echo, eventsOf(echo, [["data", "s2c", "late"], ["data", "c2s", "x"]])).map((p) => decode(p.data));
    expect(d.map((x) => `${x.srcPort} ${flagNames(x.flags)} ${x.payload.length}`)).toEqual(["8888 PSH|ACK 4", "51514 ACK 0", "51514 PSH|ACK 1", "8888 ACK 0"]);
    expect(d[2]!.ack).toBe((d[0]!.seq + 4) >>> 0);
  });

  it("builds IPv6 packets for IPv6 endpoints, with MSS 65476 and the IPv6 pseudo-header", () => {
    const v6 = conversationOf("::1", "fe80::1%lo");
    const packets = synthesizeTcp(v6, eventsOf(v6, ECHO_STEPS));
    const d = packets.map((p) => decode(p.data));
    expect(d).toHaveLength(11);
    expect(d[0]).toMatchObject({ version: 6, src: "0:0:0:0:0:0:0:1", dst: "fe80:0:0:0:0:0:0:1", ttl: 64, window: 65476 });
    expect([...d[0]!.options.subarray(0, 4)]).toEqual([2, 4, 0xff, 0xc4]);
    expect(d.every((x) => x.tcpChecksumOk)).toBe(true);
    const mixed = conversationOf("127.0.0.1", "::1");
    expect(decode(synthesizeTcp(mixed, eventsOf(mixed, ECHO_STEPS))[0]!.data).src).toBe("0:0:0:0:0:ffff:7f00:1");
  });

  it("skips segment events: wire capture's packets are real", () => {
    const events = eventsOf(echo, ECHO_STEPS);
    const segment = { ...events[1]!, seq: 999, kind: "segment" as const, segment: { linkType: 101, payloadLength: 5, analysis: undefined, checksumsMayBeOffloaded: false } };
    const packets = synthesizeTcp(echo, [...events.slice(0, 2), segment, ...events.slice(2)]);
    expect(packets.map((p) => [p.comment, [...p.data]])).toEqual(echoPackets.map((p) => [p.comment, [...p.data]]));
  });

  it("reads its events once, one ahead at most, as packets are asked for", () => {
    const events = eventsOf(echo, ECHO_STEPS);
    const read: number[] = [];
    function* source() {
      for (const e of events) {
        read.push(e.seq);
        yield e;
      }
    }
    const packets = synthesizeTcpPackets(echo, source());
    // The handshake needs the open only.
    expect(packets.next().value?.comment).toMatch(/handshake 1\/3/);
    expect(read).toEqual([100]);
    const rest = [...packets];
    expect(read).toEqual([100, 101, 102, 103, 104, 105]);
    expect([packets.next().done, rest.length + 1]).toEqual([true, echoPackets.length]);
    expect(rest.map((p) => [p.comment, [...p.data]])).toEqual(echoPackets.slice(1).map((p) => [p.comment, [...p.data]]));
    // A refused connect ends the conversation: what follows is not read.
    read.length = 0;
    events.splice(0, events.length, ...eventsOf(echo, [["connect-failed", "c2s", undefined, "ECONNREFUSED"]]));
    expect([...synthesizeTcpPackets(echo, source())].map((p) => decode(p.data).flags)).toEqual([F.SYN, F.RST | F.ACK]);
    expect(read).toEqual([100]);
  });

  it("returns no packets for an endpoint without a usable address", () => {
    const bad = conversationOf("", "127.0.0.1");
    expect(synthesizeTcp(bad, eventsOf(bad, ECHO_STEPS))).toEqual([]);
    const bad6 = conversationOf("1::2::3", "::1");
    expect(synthesizeTcp(bad6, eventsOf(bad6, ECHO_STEPS))).toEqual([]);
  });
});

// --- Wireshark's own dissector as the referee. CI installs tshark; on a machine without it this is skipped.

const hasTshark = spawnSync("tshark", ["--version"], { stdio: "ignore" }).status === 0;
const withTshark = (title: string) => (hasTshark ? title : `${title} (skipped: tshark is not installed; CI installs it)`);

function writePcapng(packets: readonly SynthesizedPacket[]): Uint8Array {
  const w = createPcapngWriter();
  w.sectionHeader({ comment: "Packets synthesised from the lab's socket events", userAppl: "Protocol Lab" });
  const id = w.interfaceDescription({ linkType: LINKTYPE_RAW, snapLen: 0, name: "lab", tsresol: 9 });
  for (const p of packets) w.enhancedPacket({ interfaceId: id, timestampNs: p.timestampNs, data: p.data, comment: p.comment });
  return w.toBytes();
}

type Layers = Record<string, Record<string, unknown> | string>;

function tshark(file: Uint8Array): { layers: Layers[]; text: string } {
  const dir = mkdtempSync(join(tmpdir(), "pl-tshark-"));
  try {
    const path = join(dir, "lab.pcapng");
    writeFileSync(path, file);
    const args = ["-r", path, "-T", "json", "-o", "tcp.relative_sequence_numbers:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"];
    const run = spawnSync("tshark", args, { encoding: "utf8", maxBuffer: 64 << 20, timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as { _source: { layers: Layers } }[];
    return { layers: parsed.map((p) => p._source.layers), text: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every expert item anywhere in a packet's tree. */
function experts(node: unknown, out: { message: string; severity: number; group: number }[] = []) {
  if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o["_ws.expert.message"] === "string") {
      out.push({ message: o["_ws.expert.message"], severity: Number(o["_ws.expert.severity"]), group: Number(o["_ws.expert.group"]) });
    }
    for (const v of Object.values(o)) experts(v, out);
  }
  return out;
}

const PI_MALFORMED = 0x07000000;
const PI_WARN = 0x00600000;

describe("synthesized traffic in tshark", () => {
  it.skipIf(!hasTshark)(withTshark("dissects every field as written, without malformed packets"), () => {
    const file = writePcapng(echoPackets);
    expect(readPcapng(file).packets).toHaveLength(11);
    const { layers, text } = tshark(file);
    expect(text).not.toContain("_ws.malformed");
    expect(layers).toHaveLength(echoPackets.length);
    layers.forEach((l, i) => {
      const x = decode(echoPackets[i]!.data);
      const ip = l.ip as Record<string, string>;
      const tcp = l.tcp as Record<string, string>;
      const first = decode(echoPackets[x.srcPort === 8888 ? 1 : 0]!.data).seq; // the sender's ISN
      const peerIsn = decode(echoPackets[x.srcPort === 8888 ? 0 : 1]!.data).seq;
      expect(l._ws).toBeUndefined();
      expect(ip["ip.src"]).toBe(x.src);
      expect(ip["ip.dst"]).toBe(x.dst);
      expect(Number(ip["ip.len"])).toBe(x.ipLength);
      expect(ip["ip.ttl"]).toBe("64");
      expect(ip["ip.checksum.status"]).toBe("1"); // good
      expect(Number(tcp["tcp.srcport"])).toBe(x.srcPort);
      expect(Number(tcp["tcp.dstport"])).toBe(x.dstPort);
      expect(Number(tcp["tcp.seq_raw"])).toBe(x.seq);
      expect(Number(tcp["tcp.seq"])).toBe((x.seq - first) >>> 0);
      expect(Number(tcp["tcp.ack_raw"])).toBe(x.ack);
      expect(Number(tcp["tcp.ack"])).toBe(x.flags & F.ACK ? (x.ack - peerIsn) >>> 0 : 0);
      expect(Number(tcp["tcp.flags"])).toBe(x.flags);
      expect(Number(tcp["tcp.window_size_value"])).toBe(x.window);
      expect(Number(tcp["tcp.len"])).toBe(x.payload.length);
      expect(tcp["tcp.checksum.status"]).toBe("1");
      const items = experts(l);
      expect(items.filter((e) => e.group === PI_MALFORMED || /malformed/i.test(e.message))).toEqual([]);
      // Not even a warning (retransmission, out-of-order, ACKed unseen segment, ...): the stream is consistent.
      expect(items.filter((e) => e.severity >= PI_WARN)).toEqual([]);
      expect((l.pkt_comment as Record<string, string>)["frame.comment"]).toBe(echoPackets[i]!.comment);
    });
    // Relative numbers as a student would read them in Wireshark's packet list.
    expect(layers.map((l) => `${(l.tcp as Record<string, string>)["tcp.seq"]}/${(l.tcp as Record<string, string>)["tcp.ack"]}`)).toEqual([
      "0/0", "0/1", "1/1", "1/1", "1/6", "1/6", "6/12", "6/12", "12/7", "12/7", "7/13",
    ]);
    expect((layers.at(-1)!.tcp as Record<string, string>)["tcp.completeness"]).toBe("31"); // SYN, SYN-ACK, ACK, data, FIN
  });

  it.skipIf(!hasTshark)(withTshark("dissects full-size segments, IPv6, resets and refusals without malformed packets"), () => {
    const big = new Uint8Array(150_000).fill(0x41);
    for (const conversation of [conversationOf("127.0.0.1", "127.0.0.1"), conversationOf("::1", "::1")]) {
      const packets = synthesizeTcp(conversation, eventsOf(conversation, [["open", "c2s"], ["data", "c2s", big], ["data", "s2c", big], ["close", "c2s"]]));
      const { layers, text } = tshark(writePcapng(packets));
      expect(text).not.toContain("_ws.malformed");
      expect(layers).toHaveLength(packets.length);
      const warnings = layers.flatMap((l, i) => experts(l).filter((e) => e.severity >= PI_WARN).map((e) => `${i + 1}: ${e.message}`));
      // The one warning is real TCP: the first full segment exactly fills the 65483 (or 65464) bytes the
      // SYN-ACK offered, unscaled, as it does on Linux loopback.
      expect(warnings).toEqual(["4: TCP window specified by the receiver is now completely full"]);
      for (const l of layers) expect((l.tcp as Record<string, string>)["tcp.checksum.status"]).toBe("1");
    }
    const steps: Parameters<typeof eventsOf>[1][] = [
      [["open", "c2s"], ["data", "c2s", "hi"], ["error", "c2s", undefined, "ECONNRESET"], ["close", "c2s"]],
      [["connect-failed", "c2s", undefined, "ECONNREFUSED"]],
      [["data", "s2c", "mid-stream"], ["error", "c2s", undefined, "ELIMIT"]],
    ];
    for (const events of steps) {
      const packets = synthesizeTcp(echo, eventsOf(echo, events));
      const { layers, text } = tshark(writePcapng(packets));
      expect(text).not.toContain("_ws.malformed");
      expect(layers.map((l) => Number((l.tcp as Record<string, string>)["tcp.flags"]) & F.RST).at(-1)).toBe(F.RST);
      for (const l of layers) {
        expect(experts(l).filter((e) => e.group === PI_MALFORMED || e.severity >= 0x00800000)).toEqual([]); // no errors
        expect((l.tcp as Record<string, string>)["tcp.checksum.status"]).toBe("1");
      }
    }
  });
});
