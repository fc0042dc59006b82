// Every packet fixture (server/dissect/testdata/*.hex: real loopback captures and crafted cases, every link type, IPv4 and
// IPv6, TCP options, UDP, malformed packets) checked against tshark: each fixture is written as a pcapng,
// tshark reads it, and for every packet the two must agree on addresses, lengths, TTL/hop limit, ports,
// TCP numbers (relative and raw), flags, window (as sent and scaled), header length, option kinds, UDP
// length and checksum, the Info line, and on which packets are malformed.
//
// Where the two differ by design, the difference is named here:
// - tshark lists each byte of padding after End of Option List as another EOL option; the lab shows the
//   padding as one field. Option kinds are compared up to the first EOL.
// - Experimental options (kinds 253 and 254) are decoded by tshark (`ExID=...`); the lab shows their bytes.
// - tshark's Info for packets whose headers are broken is its own wording; Info lines are compared for
//   packets both read as sound.
// - A duplicate ACK's Info names the frame it duplicates (`[TCP Dup ACK 5#1]`) in tshark; the timeline has
//   no frame numbers, so the lab writes `[TCP Dup ACK #1]`.
// - When the IP length claims more bytes than the packet holds, tshark counts the TCP payload by the bytes
//   the frame reports, the lab by the IP header (what was sent; its finding says the capture cut the packet
//   short or the length is wrong). TCP lengths and Info are not compared for those packets.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPcapngWriter } from "./pcapng";
import type { FieldNode } from "../dissect/core/types";
import { dissectPacket, type DissectedPacket } from "../dissect/packet";
import { createTcpAnalyzer } from "../dissect/tcp-analysis";
import { loadPacketFixtures, type PacketFixture } from "../dissect/testdata/fixtures";
import { tshark, tsharkFields } from "../testing/tshark";
import { englishDisplay } from "../dissect/core/formats";

const FIELDS = [
  "ip.src",
  "ip.dst",
  "ip.len",
  "ip.ttl",
  "ipv6.src",
  "ipv6.dst",
  "ipv6.plen",
  "ipv6.hlim",
  "tcp.srcport",
  "tcp.dstport",
  "tcp.seq",
  "tcp.seq_raw",
  "tcp.ack",
  "tcp.ack_raw",
  "tcp.flags",
  "tcp.window_size_value",
  "tcp.window_size",
  "tcp.len",
  "tcp.hdr_len",
  "tcp.option_kind",
  "udp.srcport",
  "udp.dstport",
  "udp.length",
  "udp.checksum",
  "_ws.malformed",
  "_ws.col.Info",
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

async function readWithTshark(fx: PacketFixture, dir: string): Promise<Row[]> {
  const writer = createPcapngWriter();
  writer.sectionHeader({});
  const id = writer.interfaceDescription({ linkType: fx.link, snapLen: 262144 });
  fx.packets.forEach((data, i) => writer.enhancedPacket({ interfaceId: id, timestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n, data }));
  const file = path.join(dir, `${fx.name}.pcapng`);
  writeFileSync(file, writer.toBytes());
  return tsharkFields(file, FIELDS);
}

/** Wireshark's malformed group: a read past the end, or a UDP length beyond the IP payload. */
function labMalformed(p: DissectedPacket): boolean {
  return p.frames.some((f) => f.findings.some((x) => x.code.endsWith(".truncated") || x.code === "udp.bad_length"));
}

/** Option kinds as tshark lists them, up to and including the first End of Option List. */
function kindsToEol(kinds: string): string {
  const list = kinds ? kinds.split(",") : [];
  const eol = list.indexOf("0");
  return (eol < 0 ? list : list.slice(0, eol + 1)).join(",");
}

/** The display of the first field `id` in the packet's trees (numbers are shown in decimal first), or what `read` makes of it. */
function field<T = string>(p: DissectedPacket, id: string, read: (node: FieldNode) => T = (node) => englishDisplay(node).split(" ")[0] as T): T | undefined {
  const walk = (nodes: readonly FieldNode[]): FieldNode | undefined => {
    for (const n of nodes) {
      const hit = n.id === id ? n : walk(n.children);
      if (hit) return hit;
    }
    return undefined;
  };
  for (const frame of p.frames) {
    const hit = walk(frame.fields);
    if (hit) return read(hit);
  }
  return undefined;
}

/** The lab's reading of one packet in tshark's terms; only the fields the packet has. */
function labRow(p: DissectedPacket): Partial<Row> {
  const row: Partial<Row> = {};
  const v4 = p.ip?.version === 4;
  if (p.ip && p.flow) {
    if (v4) Object.assign(row, { "ip.src": p.flow.src, "ip.dst": p.flow.dst, "ip.len": String(p.ip.totalLength), "ip.ttl": String(p.ip.ttl) });
    else Object.assign(row, { "ipv6.src": p.flow.src, "ipv6.dst": p.flow.dst, "ipv6.plen": field(p, "ipv6.plen"), "ipv6.hlim": String(p.ip.hopLimit) });
  }
  if (p.flow?.transport === "tcp") Object.assign(row, { "tcp.srcport": String(p.flow.srcPort), "tcp.dstport": String(p.flow.dstPort) });
  if (p.tcp) {
    const t = p.tcp;
    Object.assign(row, {
      "tcp.seq": String(t.relativeSeq),
      "tcp.seq_raw": String(t.seq),
      "tcp.ack": String(t.relativeAck ?? 0),
      "tcp.ack_raw": String(t.ack),
      "tcp.flags": `0x${t.flags.toString(16).padStart(4, "0")}`,
      "tcp.window_size_value": String(t.window),
      "tcp.window_size": String(t.windowScaled ?? t.window),
      "tcp.len": String(t.payloadLength),
      "tcp.hdr_len": String(t.headerLength),
      "tcp.option_kind": kindsToEol(t.options.map((o) => o.kind).join(",")),
    });
  }
  if (p.flow?.transport === "udp") Object.assign(row, { "udp.srcport": String(p.flow.srcPort), "udp.dstport": String(p.flow.dstPort) });
  if (p.udp) {
    row["udp.length"] = String(p.udp.length);
    const checksum = field(p, "udp.checksum", (n) => (n.value as unknown as { stored: number }).stored);
    if (checksum !== undefined) row["udp.checksum"] = `0x${checksum.toString(16).padStart(4, "0")}`;
  }
  return row;
}

describe.skipIf(!tshark)("packet fixtures against tshark", () => {
  const fixtures = loadPacketFixtures();
  const dir = mkdtempSync(path.join(tmpdir(), "lab-fixtures-"));

  it.each(fixtures.map((fx) => [fx.name, fx] as const))("%s: agrees on every packet", async (_name, fx) => {
    const theirs = await readWithTshark(fx, dir);
    const analyzer = createTcpAnalyzer();
    const ours = fx.packets.map((bytes) => dissectPacket(fx.link, bytes, { analyzer, checksumsMayBeOffloaded: fx.offload }));
    expect(theirs).toHaveLength(ours.length);
    ours.forEach((p, i) => {
      const t = theirs[i]!;
      const where = `${fx.name} packet ${i + 1}: ${p.summary}`;
      const malformed = t["_ws.malformed"] !== "";
      expect(labMalformed(p), `${where}: malformed in tshark: ${malformed}`).toBe(malformed);
      const mine = labRow(p);
      const sound = !malformed && p.frames.every((f) => f.findings.every((x) => x.severity !== "error"));
      const cut = p.frames.some((f) => f.findings.some((x) => x.code === "ipv4.length_beyond_capture"));
      // A header the lab cannot read as sound has no numbers past its ports; tshark's partial ones are not compared.
      const compared = Object.keys(mine).filter((k) => (sound || !k.startsWith("tcp.") || k.endsWith("port")) && !(cut && k === "tcp.len"));
      const picked = Object.fromEntries(compared.map((k) => [k, k === "tcp.option_kind" ? kindsToEol(t[k]) : t[k as keyof Row]]));
      expect(Object.fromEntries(compared.map((k) => [k, mine[k as keyof Row]])), where).toEqual(picked);
      if (sound && !cut && (p.tcp || p.udp) && !/ExID=/.test(t["_ws.col.Info"])) {
        expect(p.summary, where).toBe(t["_ws.col.Info"].replace(/\[TCP Dup ACK \d+#/, "[TCP Dup ACK #"));
      }
    });
  });

  it("covers every link type, both IP versions, TCP and UDP", () => {
    // BSD loopback, Ethernet, raw IP, Linux cooked v1 and v2.
    expect([...new Set(fixtures.map((fx) => fx.link))]).toEqual(expect.arrayContaining([0, 1, 101, 113, 276]));
    const all = fixtures.flatMap((fx) => fx.packets.map((bytes) => dissectPacket(fx.link, bytes)));
    expect(new Set(all.map((p) => p.ip?.version))).toEqual(new Set([4, 6, undefined]));
    expect(all.some((p) => p.tcp) && all.some((p) => p.udp)).toBe(true);
  });
});
