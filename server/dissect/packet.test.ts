// Golden files: testdata/<proto>-<case>.hex -> <proto>-<case>.tree.txt, for whole captured packets (link, IP,
// transport, data). A .hex file may hold several packets of one capture, separated by `---` lines; they go through
// one TCP analyzer in order. `UPDATE_GOLDEN=1 npx vitest run server/dissect/packet.test.ts` rewrites the trees;
// read every changed one before keeping it. The real loopback fixtures were captured with tcpdump and checked
// against tshark 4.0 (relative seq/ack, flags, window, options, Info column).
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { coverageProblems, formatTree } from "./core/tree";
import type { DissectedFrame } from "./core/types";
import { LINKTYPE } from "./link";
import { dissectPacket, type DissectedPacket } from "./packet";
import { createTcpAnalyzer } from "./tcp-analysis";
import { loadPacketFixtures, mutatedBytes, type PacketFixture } from "./testdata/fixtures";

const testdata = new URL("./testdata/", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** Finding codes each fixture's packets must produce, packet by packet, in order. */
const CASES: Record<string, readonly (readonly string[])[]> = {
  "tcp-lo-conversation": [[], [], [], [], [], [], [], [], [], []],
  "tcp-lo-rst": [[], [], [], [], [], ["tcp.analysis.rst"]],
  "ipv6-lo-tcp-syn": [[], []],
  "udp-lo-ipv4": [[], []],
  "udp-lo-ipv6": [[], []],
  "sll-v1-tcp-syn": [[]],
  "sll-v2-udp-ipv6": [[]],
  "null-ipv4-tcp-syn": [[]],
  "null-ipv6-big-endian": [[]],
  "raw-ipv4-udp": [[]],
  "raw-ipv6-tcp-syn-ack": [[]],
  "tcp-options-sack": [[], [], [], ["tcp.analysis.lost_segment"], ["tcp.analysis.window_update"], ["tcp.analysis.lost_segment"], ["tcp.analysis.duplicate_ack"]],
  "tcp-options-eol-unknown": [["tcp.option.wscale_too_large"]],
  "ipv4-options": [[]],
  "ipv6-ext-headers": [[]],
  "ipv6-fragment": [["ipv6.fragment"]],
  "eth-vlan-padding": [[]],
  "eth-arp": [[]],
  "eth-truncated": [["eth.truncated"]],
  "sll-truncated": [["sll.truncated"]],
  "null-truncated": [["null.truncated"]],
  "ipv4-truncated": [["ipv4.truncated"]],
  "ipv4-bad-ihl": [["ipv4.bad_header_length"]],
  "ipv4-bad-checksum": [["ipv4.bad_checksum"]],
  "ipv4-length-beyond-capture": [["ipv4.length_beyond_capture"]],
  "ipv6-truncated": [["ipv6.truncated"]],
  "tcp-truncated": [["ipv4.length_beyond_capture", "tcp.truncated"]],
  "tcp-options-truncated": [["ipv4.length_beyond_capture", "tcp.truncated"]],
  "tcp-bad-data-offset": [["tcp.bad_header_length"]],
  "tcp-option-length-zero": [["tcp.option.bad_length"]],
  "tcp-option-past-header": [["tcp.option.bad_length"]],
  "udp-truncated": [["ipv4.length_beyond_capture", "udp.truncated"]],
  "udp-bad-length": [["udp.bad_length"]],
};

const fixtures = loadPacketFixtures();

function dissectAll(fx: PacketFixture): DissectedPacket[] {
  const analyzer = createTcpAnalyzer();
  return fx.packets.map((bytes) => dissectPacket(fx.link, bytes, { analyzer, checksumsMayBeOffloaded: fx.offload }));
}

/** The packet as a reader that asked for no trees must get it: the same in every respect but the fields. */
function withoutTrees(p: DissectedPacket): DissectedPacket {
  return { ...p, frames: p.frames.map((frame) => ({ ...frame, fields: [] })) };
}

function formatPackets(link: number, packets: readonly DissectedPacket[]): string {
  return packets.map((p, i) => `packet ${i + 1} link=${link} summary: ${p.summary}\n${formatTree(p.frames)}`).join("");
}

/** Frames of one packet tile it: each starts where the previous ended, and together they cover every byte. */
function tilingProblems(frames: readonly DissectedFrame[], length: number): string[] {
  const problems: string[] = [];
  let at = 0;
  for (const frame of frames) {
    if (frame.offset !== at) problems.push(`${frame.protocol} frame starts at ${frame.offset}, expected ${at}`);
    at = frame.offset + frame.length;
  }
  if (at !== length) problems.push(`frames end at ${at}, the packet at ${length}`);
  return problems;
}

describe("packet golden files", () => {
  it("has a fixture for every case and a case for every fixture", () => {
    expect(fixtures.map((x) => x.name).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const fx of fixtures) {
    const { name, packets } = fx;
    it(`${name}: matches its tree, covers every byte once, reports the expected findings`, () => {
      const codes = CASES[name];
      if (!codes) throw new Error(`no case for ${name}`);
      const dissected = dissectAll(fx);
      const tree = formatPackets(fx.link, dissected);
      const golden = new URL(`${name}.tree.txt`, testdata);
      if (UPDATE) writeFileSync(golden, tree);
      expect(existsSync(golden), `missing ${golden.pathname}; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(tree).toBe(readFileSync(golden, "utf8"));
      dissected.forEach((p, i) => {
        for (const frame of p.frames) expect(coverageProblems(frame), `${name} packet ${i + 1} ${frame.protocol}`).toEqual([]);
        expect(tilingProblems(p.frames, packets[i]?.length ?? 0)).toEqual([]);
      });
      expect(dissected.map((p) => p.frames.flatMap((f) => f.findings.map((x) => x.code)))).toEqual(codes);
    });
  }
});

const fixture = (name: string): PacketFixture => {
  const found = fixtures.find((x) => x.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
};
const first = (name: string): Uint8Array => fixture(name).packets[0] ?? new Uint8Array();
const { ETHERNET } = LINKTYPE;

describe("dissectPacket", () => {
  it("gives the timeline the flow, the TCP numbers and where the payload is", () => {
    const [syn, synAck, ack, data] = dissectAll(fixture("tcp-lo-conversation"));
    expect(syn?.flow).toEqual({ ipVersion: 4, src: "127.0.0.1", dst: "127.0.0.1", srcPort: 54321, dstPort: 8888, transport: "tcp" });
    expect(syn?.ip).toMatchObject({ version: 4, totalLength: 60, payloadLength: 40, ttl: 64, protocol: 6 });
    expect(syn?.tcp).toMatchObject({ relativeSeq: 0, flags: 0x002, window: 65495, windowScaled: 65495, headerLength: 40, payloadLength: 0 });
    expect(syn?.tcp?.options.map((o) => o.kind)).toEqual([2, 4, 8, 1, 3]);
    expect(syn?.tcp?.options[0]).toEqual({ kind: 2, value: 65495 });
    expect(synAck?.tcp).toMatchObject({ relativeSeq: 0, relativeAck: 1, flags: 0x012 });
    expect(ack?.tcp).toMatchObject({ relativeSeq: 1, relativeAck: 1, window: 64, windowScaled: 65536 });
    expect(data?.tcp).toMatchObject({ relativeSeq: 1, payloadOffset: 66, payloadLength: 6 });
    const bytes = fixture("tcp-lo-conversation").packets[3] ?? new Uint8Array();
    const { payloadOffset = 0, payloadLength = 0 } = data?.tcp ?? {};
    expect(new TextDecoder().decode(bytes.subarray(payloadOffset, payloadOffset + payloadLength))).toBe("hello\n");
    expect(data?.frames.map((f) => [f.protocol, f.offset, f.length])).toEqual([
      ["eth", 0, 14],
      ["ipv4", 14, 20],
      ["tcp", 34, 32],
      ["data", 66, 6],
    ]);
  });

  it("writes Info lines as tshark does", () => {
    const summaries = dissectAll(fixture("tcp-lo-conversation")).map((p) => p.summary);
    expect(summaries[0]).toMatch(/^54321 → 8888 \[SYN\] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=\d+ TSecr=0 WS=1024$/);
    expect(summaries[1]).toMatch(/^8888 → 54321 \[SYN, ACK\] Seq=0 Ack=1 Win=65483 Len=0 MSS=65495 SACK_PERM TSval=\d+ TSecr=\d+ WS=1024$/);
    expect(summaries[3]).toMatch(/^54321 → 8888 \[PSH, ACK\] Seq=1 Ack=1 Win=65536 Len=6 TSval=\d+ TSecr=\d+$/);
    expect(summaries[8]).toMatch(/^8888 → 54321 \[FIN, ACK\] Seq=13 Ack=8 Win=65536 Len=0/);
  });

  it("shows raw numbers without an analyzer", () => {
    const p = dissectPacket(ETHERNET, first("tcp-lo-conversation"), { checksumsMayBeOffloaded: true });
    expect(p.tcp?.relativeSeq).toBeUndefined();
    expect(p.tcp?.windowScaled).toBeUndefined();
    expect(p.summary).toBe(`54321 → 8888 [SYN] Seq=${p.tcp?.seq} Win=65495 Len=0 ${p.summary.split(" Len=0 ")[1]}`);
  });

  it("calls a partial loopback checksum bad unless the capture says offload is possible", () => {
    const bytes = first("tcp-lo-conversation");
    const strict = dissectPacket(ETHERNET, bytes);
    expect(strict.frames.flatMap((f) => f.findings.map((x) => x.code))).toEqual(["tcp.bad_checksum"]);
    const loopback = dissectPacket(ETHERNET, bytes, { checksumsMayBeOffloaded: true });
    expect(loopback.frames.flatMap((f) => f.findings)).toEqual([]);
  });

  it("gives UDP its payload and flow", () => {
    const [request] = dissectAll(fixture("udp-lo-ipv6"));
    expect(request?.flow).toEqual({ ipVersion: 6, src: "::1", dst: "::1", srcPort: 54324, dstPort: 8889, transport: "udp" });
    expect(request?.udp).toEqual({ length: 13, payloadOffset: 62, payloadLength: 5 });
    expect(request?.ip).toMatchObject({ version: 6, payloadLength: 13, hopLimit: 64, protocol: 17 });
    expect(request?.summary).toBe("54324 → 8889 Len=5");
  });

  it("reads an unsupported link type as data, with a note", () => {
    const p = dissectPacket(147, new Uint8Array([1, 2, 3]));
    expect(p.frames.map((f) => f.protocol)).toEqual(["data"]);
    expect(p.frames[0]?.findings.map((x) => x.code)).toEqual(["data.unsupported_link_type"]);
    expect(coverageProblems(p.frames[0] as DissectedFrame)).toEqual([]);
    expect(dissectPacket(147, new Uint8Array()).frames).toHaveLength(1);
  });

  it("returns no data frame for an empty payload and no frames past the packet", () => {
    const p = dissectPacket(ETHERNET, first("tcp-lo-conversation"), { checksumsMayBeOffloaded: true });
    expect(p.frames.map((f) => f.protocol)).toEqual(["eth", "ipv4", "tcp"]);
    expect(dissectPacket(ETHERNET, new Uint8Array()).frames.map((f) => [f.protocol, f.length])).toEqual([["eth", 0]]);
  });
});

const LINKS = Object.values(LINKTYPE);
/** Mutated fixture packets with their link type, and random bytes under any link type. */
const packetInputs = fc.oneof(
  fc.tuple(fc.constantFrom(...LINKS), fc.uint8Array({ maxLength: 120 })),
  ...fixtures.map((fx) => fc.tuple(fc.constant(fx.link), mutatedBytes(fx.packets))),
);

describe("dissectPacket on any input", () => {
  it("never throws, tiles the packet with frames that each cover their bytes once (100,000 inputs)", () => {
    const analyzer = createTcpAnalyzer({ maxConnections: 64 });
    fc.assert(
      fc.property(packetInputs, fc.boolean(), ([link, bytes], offload) => {
        const p = dissectPacket(link, bytes, { analyzer, checksumsMayBeOffloaded: offload });
        for (const frame of p.frames) {
          const problems = coverageProblems(frame);
          if (problems.length) throw new Error(`${frame.protocol}: ${problems.join("; ")}`);
        }
        const tiling = tilingProblems(p.frames, bytes.length);
        if (tiling.length) throw new Error(tiling.join("; "));
        if (p.tcp && (p.tcp.payloadOffset + p.tcp.payloadLength > bytes.length + 65535 || p.tcp.payloadOffset > bytes.length)) return false;
        return typeof p.summary === "string";
      }),
      { numRuns: 100_000 },
    );
    expect(analyzer.size).toBeLessThanOrEqual(64);
  });
});

describe("dissectPacket without trees", () => {
  it("gives every fixture's frames, summaries, findings and numbers, with no fields", () => {
    for (const fx of fixtures) {
      const analyzer = createTcpAnalyzer();
      const bare = fx.packets.map((bytes) => dissectPacket(fx.link, bytes, { analyzer, checksumsMayBeOffloaded: fx.offload, tree: false }));
      expect(bare, fx.name).toEqual(dissectAll(fx).map(withoutTrees));
    }
  });

  it("agrees with the tree-building dissection on any input (20,000 inputs)", () => {
    // Two analyzers fed the same packets in the same order hold the same state.
    const withTree = createTcpAnalyzer({ maxConnections: 64 });
    const without = createTcpAnalyzer({ maxConnections: 64 });
    fc.assert(
      fc.property(packetInputs, fc.boolean(), ([link, bytes], offload) => {
        const full = dissectPacket(link, bytes, { analyzer: withTree, checksumsMayBeOffloaded: offload });
        const bare = dissectPacket(link, bytes, { analyzer: without, checksumsMayBeOffloaded: offload, tree: false });
        expect(bare).toEqual(withoutTrees(full));
      }),
      { numRuns: 20_000 },
    );
  });
});
