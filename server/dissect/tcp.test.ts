import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { foldSum, onesComplementSum, pseudoHeaderSum, type TransportContext } from "./core/inet";
import { coverageProblems, findNode, parseHex } from "./core/tree";
import type { DissectedFrame } from "./core/types";
import { englishDisplay } from "./core/formats";
import { dissectTcp, isTcpFrame, tcpFlagNames, tcpFlagsText, tcpSummaryItems, type TcpContext } from "./tcp";
import { createTcpAnalyzer } from "./tcp-analysis";
import { fixtureFrames, layerSeeds, mutatedBytes } from "./testdata/fixtures";

const ADDRESSES = 0xc000 + 0x0201 + 0xc633 + 0x6402; // 192.0.2.1 and 198.51.100.2

interface Segment {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  win?: number;
  options?: string;
  payload?: string;
  doff?: number;
  urg?: number;
  checksum?: number;
}

/** A TCP segment 40000 → 8888 with a correct checksum unless one is given; options and payload in hex. */
function tcp(s: Segment = {}): Uint8Array {
  const options = parseHex(s.options ?? "");
  const payload = parseHex(s.payload ?? "");
  const doff = s.doff ?? 5 + options.length / 4;
  const u16 = (v: number) => [(v >>> 8) & 0xff, v & 0xff];
  const u32 = (v: number) => [...u16(v >>> 16), ...u16(v & 0xffff)];
  const b = Uint8Array.from([
    ...u16(s.sport ?? 40000),
    ...u16(s.dport ?? 8888),
    ...u32(s.seq ?? 1000),
    ...u32(s.ack ?? 0),
    (doff << 4) | ((s.flags ?? 0x002) >> 8),
    (s.flags ?? 0x002) & 0xff,
    ...u16(s.win ?? 64240),
    0,
    0,
    ...u16(s.urg ?? 0),
    ...options,
    ...payload,
  ]);
  const sum = s.checksum ?? ~foldSum(onesComplementSum(b, 0, b.length, pseudoHeaderSum(ADDRESSES, 6, b.length))) & 0xffff;
  b[16] = sum >> 8;
  b[17] = sum & 0xff;
  return b;
}
const transport = (length: number, more: Partial<TransportContext> = {}): TransportContext => ({ ipVersion: 4, addressSum: ADDRESSES, length, ...more });
const dissect = (bytes: Uint8Array, ctx: Partial<TcpContext> = {}) => dissectTcp(bytes, { transport: transport(bytes.length), ...ctx });
const codes = (frame: DissectedFrame) => frame.findings.map((x) => x.code);

const find = findNode;
const display = (frame: DissectedFrame, id: string) => {
  const node = find(frame.fields, id);
  return node && englishDisplay(node);
};

describe("TCP header", () => {
  it("reads every fixed field", () => {
    const r = dissect(tcp({ seq: 0x3ade68b1, ack: 0x11223344, flags: 0x012, win: 65483, payload: "68690a" }));
    expect(r).toMatchObject({ complete: true, srcPort: 40000, dstPort: 8888, seq: 0x3ade68b1, ack: 0x11223344, flags: 0x012 });
    expect(r).toMatchObject({ window: 65483, headerLength: 20, payloadOffset: 20, payloadLength: 3, analysis: undefined });
    expect(r.frame.fields.map((n) => `${n.id}=${englishDisplay(n)}`)).toEqual([
      "tcp.srcport=40000",
      "tcp.dstport=8888",
      "tcp.seq=987654321",
      "tcp.ack=287454020",
      "tcp.hdr_len=20 bytes (5)",
      "tcp.flags=0x012 (SYN, ACK)",
      "tcp.window_size_value=65483",
      `tcp.checksum=${display(r.frame, "tcp.checksum")}`,
      "tcp.urgent_pointer=0",
    ]);
    expect(display(r.frame, "tcp.checksum")).toMatch(/\(correct\)$/);
    expect(find(r.frame.fields, "tcp.flags")?.children).toHaveLength(10);
    expect(r.summary).toBe("40000 → 8888 [SYN, ACK] Seq=987654321 Ack=287454020 Win=65483 Len=3");
    expect(r.frame.length).toBe(20);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("names flags from the lowest bit up, as Wireshark does", () => {
    expect(tcpFlagsText(0x012)).toBe("SYN, ACK");
    expect(tcpFlagsText(0x019)).toBe("FIN, PSH, ACK");
    expect(tcpFlagsText(0x1c2)).toBe("SYN, ECE, CWR, AE");
    expect(tcpFlagsText(0x800)).toBe("Reserved");
    expect(tcpFlagsText(0)).toBe("<None>");
    expect(dissect(tcp({ flags: 0 })).summary).toMatch(/\[<None>\]/);
  });

  it("verifies the checksum over the pseudo-header, with the offload rule", () => {
    const bad = tcp({ checksum: 0x1234 });
    expect(codes(dissect(bad).frame)).toEqual(["tcp.bad_checksum"]);
    expect(codes(dissect(bad, { transport: transport(bad.length, { checksumsMayBeOffloaded: true }) }).frame)).toEqual([]);
    expect(display(dissect(tcp({ checksum: 0 })).frame, "tcp.checksum")).toMatch(/^0x0000 \(unverified: 0 means/);
    expect(display(dissectTcp(tcp()).frame, "tcp.checksum")).toMatch(/unverified: no IP header/);
    const cut = tcp({ payload: "00".repeat(10) });
    expect(display(dissect(cut.subarray(0, 25), { transport: transport(30) }).frame, "tcp.checksum")).toMatch(/unverified: not all/);
  });

  it("notes an ACK number without ACK and an urgent pointer without URG", () => {
    expect(codes(dissect(tcp({ flags: 0x002, ack: 5 })).frame)).toEqual(["tcp.ack_nonzero"]);
    expect(codes(dissect(tcp({ flags: 0x010, urg: 7 })).frame)).toEqual(["tcp.urgent_pointer_nonzero"]);
    expect(dissect(tcp({ flags: 0x030, urg: 7 })).summary).toMatch(/ Win=64240 Urg=7 Len=0$/);
  });

  it("reports a data offset below 5, and one beyond the segment", () => {
    const low = dissect(tcp({ doff: 4, payload: "0102" }));
    expect(codes(low.frame)).toEqual(["tcp.bad_header_length"]);
    expect(low).toMatchObject({ complete: false, payloadLength: 0, headerLength: 20 });
    expect(low.frame.length).toBe(20);
    const high = dissect(tcp({ doff: 8 }));
    expect(codes(high.frame)).toEqual(["tcp.bad_header_length", "tcp.truncated"]);
    expect(high.payloadLength).toBe(0);
  });

  it("reports a header cut short", () => {
    const cut = dissect(tcp().subarray(0, 15));
    expect(codes(cut.frame)).toEqual(["tcp.truncated"]);
    expect(cut).toMatchObject({ complete: false, payloadLength: 0 });
    expect(cut.summary).toBe("40000 → 8888 (truncated header)");
    expect(dissect(tcp().subarray(0, 3)).summary).toBe("TCP (truncated header)");
    expect(dissect(new Uint8Array()).frame.length).toBe(0);
  });
});

describe("TCP options", () => {
  it("reads MSS, SACK permitted, timestamps, NOP and window scale, and lists them for the Info line", () => {
    const r = dissect(tcp({ options: "020405b4 0402 080a0000000100000000 01 030307" }));
    expect(r.options).toEqual([
      { kind: 2, value: 1460 },
      { kind: 4, value: true },
      { kind: 8, value: { tsval: 1, tsecr: 0 } },
      { kind: 1, value: undefined },
      { kind: 3, value: 7 },
    ]);
    expect(r.summary).toBe("40000 → 8888 [SYN] Seq=1000 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=1 TSecr=0 WS=128");
    expect(display(r.frame, "tcp.options")).toBe(
      "20 bytes: Maximum Segment Size, SACK Permitted, Timestamps, No-Operation, Window Scale",
    );
    expect(display(r.frame, "tcp.option.wscale.shift")).toBe("7 (multiply by 128)");
    expect(r.headerLength).toBe(40);
    expect(codes(r.frame)).toEqual([]);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("reads SACK blocks, relative to the other side's ISN when analysed", () => {
    const analyzer = createTcpAnalyzer();
    const ctx = { analyzer, src: "192.0.2.1", dst: "198.51.100.2" };
    const back = { src: ctx.dst, dst: ctx.src };
    dissect(tcp({ seq: 1000, flags: 0x002 }), ctx);
    dissect(tcp({ sport: 8888, dport: 40000, seq: 5000, ack: 1001, flags: 0x012 }), { ...ctx, ...back });
    const sack = tcp({ sport: 8888, dport: 40000, seq: 5001, ack: 1001, flags: 0x010, options: "0101 0512 0000041d 00000429 00000435 00000441" });
    const r = dissect(sack, { ...ctx, ...back });
    expect(r.options[2]).toEqual({
      kind: 5,
      value: [
        { left: 1053, right: 1065 },
        { left: 1077, right: 1089 },
      ],
    });
    expect(display(r.frame, "tcp.option.sack.le")).toBe("53 (relative; raw 1053)");
    expect(r.summary).toMatch(/ SLE=53 SRE=65 SLE=77 SRE=89$/);
    expect(display(r.frame, "tcp.seq")).toBe("1 (relative sequence number)");
    expect(find(r.frame.fields, "tcp.seq")?.children.map((n) => `${n.id}=${englishDisplay(n)}`)).toEqual(["tcp.seq_raw=5001"]);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("shows unknown kinds raw, and the rest after End of Option List as padding", () => {
    const r = dissect(tcp({ options: "fd06 1234 5678 00 00" }));
    expect(r.options).toEqual([
      { kind: 253, value: parseHex("12345678") },
      { kind: 0, value: undefined },
    ]);
    expect(display(r.frame, "tcp.option.unknown")).toBe("Experimental (RFC 4727) (253)");
    expect(display(r.frame, "tcp.options.padding")).toBe("00");
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("warns about a window scale shift above 14", () => {
    const r = dissect(tcp({ options: "03030f00" }));
    expect(codes(r.frame)).toEqual(["tcp.option.wscale_too_large"]);
    expect(r.summary).toMatch(/ WS=16384$/);
  });

  it("stops at a length of 0 or 1, or one past the header; goes on past a wrong but sound length", () => {
    const cases: [string, string[], number][] = [
      ["080000000000000000000000", ["tcp.option.bad_length"], 0],
      ["0801000000000000", ["tcp.option.bad_length"], 0],
      ["01080a00", ["tcp.option.bad_length"], 1],
      ["01010102", ["tcp.option.bad_length"], 3],
      ["0203050101010101", ["tcp.option.bad_length"], 5],
    ];
    for (const [options, expected, read] of cases) {
      const r = dissect(tcp({ options }));
      expect(codes(r.frame), options).toEqual(expected);
      expect(r.options, options).toHaveLength(read);
      expect(coverageProblems(r.frame), options).toEqual([]);
      expect(r.frame.length).toBe(20 + options.length / 2);
    }
  });
});

describe("TCP with the analyzer", () => {
  it("shows relative numbers and the scaled window", () => {
    const analyzer = createTcpAnalyzer();
    const ctx = { analyzer, src: "192.0.2.1", dst: "198.51.100.2" };
    const back = { ...ctx, src: ctx.dst, dst: ctx.src };
    const syn = dissect(tcp({ seq: 1000, options: "01030307" }), ctx);
    expect(display(syn.frame, "tcp.window_size_value")).toBe("64240 (a SYN's window is never scaled)");
    dissect(tcp({ sport: 8888, dport: 40000, seq: 5000, ack: 1001, flags: 0x012, options: "01030307" }), back);
    const ack = dissect(tcp({ seq: 1001, ack: 5001, flags: 0x010, win: 502 }), ctx);
    expect(ack.analysis).toMatchObject({ relativeSeq: 1, relativeAck: 1, windowScaled: 64256, windowMultiplier: 128 });
    expect(display(ack.frame, "tcp.window_size_value")).toBe("502 (calculated window size 64256, scaling factor 128)");
    expect(display(ack.frame, "tcp.ack")).toBe("1 (relative ack number)");
    expect(ack.summary).toBe("40000 → 8888 [ACK] Seq=1 Ack=1 Win=64256 Len=0");
  });

  it("puts expert findings on the frame and their labels in front of the Info line", () => {
    const analyzer = createTcpAnalyzer();
    const ctx = { analyzer, src: "192.0.2.1", dst: "198.51.100.2", time: 0 };
    dissect(tcp({ seq: 1, ack: 1, flags: 0x018, payload: "6162" }), ctx);
    const again = dissect(tcp({ seq: 1, ack: 1, flags: 0x018, payload: "6162" }), { ...ctx, time: 1 });
    expect(codes(again.frame)).toEqual(["tcp.analysis.retransmission"]);
    expect(again.summary).toMatch(/^\[TCP Retransmission\] 40000 → 8888 \[PSH, ACK\]/);
  });

  it("does not analyse a segment whose header is unsound", () => {
    const analyzer = createTcpAnalyzer();
    dissect(tcp({ doff: 4 }), { analyzer, src: "a", dst: "b" });
    expect(analyzer.size).toBe(0);
  });
});

describe("TCP summary parts", () => {
  it("make up every fixture's Info line: ports, flags, then the items in order", () => {
    const tcp = fixtureFrames().filter(isTcpFrame);
    expect(tcp.length).toBeGreaterThan(20);
    for (const frame of tcp) {
      const p = frame.tcp;
      const flags = tcpFlagNames(p.flags);
      const items = tcpSummaryItems(p).map(({ key, value }) => (value === "" ? key : `${key}=${value}`));
      // Analysis labels come first, in brackets.
      const line = frame.summary.replace(/^(\[[^\]]*\] )*/, "");
      expect(line).toBe(`${p.srcPort} → ${p.dstPort} [${flags.length ? flags.join(", ") : "<None>"}] ${items.join(" ")}`);
    }
  });

  it("name the flags in the Info line's order, Reserved last", () => {
    expect(tcpFlagNames(0x012)).toEqual(["SYN", "ACK"]);
    expect(tcpFlagNames(0x211)).toEqual(["FIN", "ACK", "Reserved"]);
    expect(tcpFlagNames(0)).toEqual([]);
  });

  it("are absent when the fixed header was cut short", () => {
    expect(isTcpFrame(dissectTcp(new Uint8Array(10)).frame)).toBe(false);
  });
});

describe("TCP on any input", () => {
  it("never throws and covers the header's bytes once (100,000 inputs)", () => {
    const seeds = layerSeeds("tcp");
    const analyzer = createTcpAnalyzer({ maxConnections: 32 });
    const context = fc.record({
      length: fc.oneof(fc.nat(80), fc.nat(0xffff)),
      offload: fc.boolean(),
      analyse: fc.boolean(),
    });
    fc.assert(
      fc.property(mutatedBytes(seeds, 80), context, (bytes, c) => {
        const r = dissectTcp(bytes, {
          transport: { ipVersion: 4, addressSum: ADDRESSES, length: c.length, checksumsMayBeOffloaded: c.offload },
          analyzer: c.analyse ? analyzer : undefined,
          src: "192.0.2.1",
          dst: "198.51.100.2",
        });
        const problems = coverageProblems(r.frame);
        if (problems.length) throw new Error(problems.join("; "));
        if (r.frame.length > Math.max(bytes.length, 0) || r.payloadLength < 0) return false;
        return !r.complete || r.payloadOffset === r.headerLength;
      }),
      { numRuns: 100_000 },
    );
  });
});
