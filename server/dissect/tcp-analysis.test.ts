// The analyzer on crafted segment sequences. Each sequence was also written as a pcap and read by tshark 4.0, whose
// Info column showed the same markers on the same packets (see the expected codes below).
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { createTcpAnalyzer, TCP_ANALYSIS_LABELS, type TcpAnalysis, type TcpSegment } from "./tcp-analysis";

const CLIENT = { src: "10.0.0.1", port: 40000 };
const SERVER = { src: "10.0.0.2", port: 80 };
const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };

interface Step {
  /** Client to server. */
  readonly c2s: boolean;
  readonly seq: number;
  readonly ack: number;
  /** Flag letters: S, A, P, F, R. */
  readonly flags: string;
  readonly win: number;
  readonly len?: number;
  readonly ws?: number;
  /** Seconds. */
  readonly t: number;
}

function segment(s: Step): TcpSegment {
  const [from, to] = s.c2s ? [CLIENT, SERVER] : [SERVER, CLIENT];
  let flags = 0;
  for (const c of s.flags) flags |= FLAG_BITS[c] ?? 0;
  return {
    src: from.src,
    dst: to.src,
    srcPort: from.port,
    dstPort: to.port,
    seq: s.seq,
    ack: s.ack,
    flags,
    window: s.win,
    payloadLength: s.len ?? 0,
    windowScale: s.ws,
    time: s.t,
  };
}

function analyze(steps: readonly Step[]): TcpAnalysis[] {
  const analyzer = createTcpAnalyzer();
  return steps.map((s) => analyzer.analyze(segment(s)));
}

const codes = (results: readonly TcpAnalysis[]): string[][] => results.map((r) => r.findings.map((x) => x.code.replace("tcp.analysis.", "")));

/** The client's ISN is 1000, the server's 5000; both announce window scale 7 unless told not to. */
function handshake(ws = true): Step[] {
  return [
    { c2s: true, seq: 1000, ack: 0, flags: "S", win: 64240, ws: ws ? 7 : undefined, t: 0 },
    { c2s: false, seq: 5000, ack: 1001, flags: "SA", win: 65160, ws: ws ? 7 : undefined, t: 0.01 },
    { c2s: true, seq: 1001, ack: 5001, flags: "A", win: 502, t: 0.02 },
  ];
}
const data = (seq: number, len: number, t: number, win = 502): Step => ({ c2s: true, seq, ack: 5001, flags: "PA", win, len, t });
const ack = (n: number, win: number, t: number, seq = 5001): Step => ({ c2s: false, seq, ack: n, flags: "A", win, t });

describe("relative numbers", () => {
  it("counts from each direction's ISN: the SYN is 0, the first data byte 1", () => {
    const r = analyze([...handshake(), data(1001, 100, 0.1), ack(1101, 500, 0.11)]);
    expect(r.map((x) => [x.relativeSeq, x.relativeAck])).toEqual([
      [0, undefined],
      [0, 1],
      [1, 1],
      [1, 1],
      [1, 101],
    ]);
    expect(r[4]?.peerBase).toBe(1000);
  });

  it("starts at 1 when the capture missed the handshake", () => {
    const r = analyze([
      { c2s: true, seq: 777, ack: 9999, flags: "PA", win: 502, len: 10, t: 0 },
      { c2s: false, seq: 9999, ack: 787, flags: "A", win: 300, t: 0.01 },
    ]);
    expect(r.map((x) => [x.relativeSeq, x.relativeAck])).toEqual([
      [1, 1],
      [1, 11],
    ]);
    expect(r.map((x) => x.windowScaled)).toEqual([undefined, undefined]);
  });

  it("wraps around 2^32", () => {
    const isn = 0xffffff00;
    const r = analyze([
      { c2s: true, seq: isn, ack: 0, flags: "S", win: 1000, t: 0 },
      { c2s: false, seq: 7, ack: (isn + 1) >>> 0, flags: "SA", win: 1000, t: 0.01 },
      { c2s: true, seq: (isn + 1) >>> 0, ack: 8, flags: "PA", win: 1000, len: 0x200, t: 0.02 },
      { c2s: true, seq: (isn + 0x201) >>> 0, ack: 8, flags: "PA", win: 1000, len: 10, t: 0.03 },
    ]);
    expect(r[3]?.relativeSeq).toBe(0x201);
    expect(codes(r)).toEqual([[], [], [], []]);
  });
});

describe("window scaling (RFC 7323 §2)", () => {
  it("scales windows after the handshake when both SYNs carry the option, never the SYNs' own", () => {
    const r = analyze([...handshake(), ack(1001, 500, 0.05)]);
    expect(r.map((x) => [x.windowScaled, x.windowMultiplier])).toEqual([
      [64240, 1],
      [65160, 1],
      [502 * 128, 128],
      [500 * 128, 128],
    ]);
  });

  it("does not scale when a SYN lacks the option", () => {
    const noReply = analyze([
      { c2s: true, seq: 1000, ack: 0, flags: "S", win: 64240, ws: 7, t: 0 },
      { c2s: false, seq: 5000, ack: 1001, flags: "SA", win: 65160, t: 0.01 },
      { c2s: true, seq: 1001, ack: 5001, flags: "A", win: 502, t: 0.02 },
      ack(1001, 500, 0.05),
    ]);
    expect(noReply.slice(2).map((x) => [x.windowScaled, x.windowMultiplier])).toEqual([
      [502, 1],
      [500, 1],
    ]);
    const none = analyze([...handshake(false), ack(1001, 500, 0.05)]);
    expect(none[3]?.windowScaled).toBe(500);
  });

  it("knows the server's scale from a SYN-ACK alone, but not the client's", () => {
    const r = analyze([handshake()[1] as Step, handshake()[2] as Step, ack(1001, 500, 0.05)]);
    expect(r.map((x) => x.windowScaled)).toEqual([65160, undefined, 500 * 128]);
  });

  it("uses at most 14 for a larger shift", () => {
    const r = analyze([
      { c2s: true, seq: 1000, ack: 0, flags: "S", win: 100, ws: 15, t: 0 },
      { c2s: false, seq: 5000, ack: 1001, flags: "SA", win: 100, ws: 15, t: 0.01 },
      ack(1001, 2, 0.05),
    ]);
    expect(r[2]?.windowMultiplier).toBe(16384);
  });
});

// Expected markers per packet, as tshark 4.0 shows them for the same segments.
describe("expert findings", () => {
  it("retransmission: data resent after the RTO, not acknowledged yet", () => {
    expect(codes(analyze([...handshake(), data(1001, 100, 0.1), data(1001, 100, 0.4)]))).toEqual([[], [], [], [], ["retransmission"]]);
  });

  it("duplicate ACKs, counted, then a fast retransmission", () => {
    const r = analyze([
      ...handshake(),
      data(1001, 100, 0.1),
      data(1101, 100, 0.101),
      data(1201, 100, 0.102),
      ack(1101, 500, 0.12),
      ack(1101, 500, 0.121),
      ack(1101, 500, 0.122),
      data(1101, 100, 0.125),
      ack(1301, 500, 0.14),
    ]);
    expect(codes(r)).toEqual([[], [], [], [], [], [], [], ["duplicate_ack"], ["duplicate_ack"], ["fast_retransmission"], []]);
    expect(r.map((x) => x.duplicateAck)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, 1, 2, undefined, undefined]);
    expect(r[8]?.findings[0]?.message).toMatch(/^Duplicate ACK #2\./);
    expect(r[8]?.findings[0]).toMatchObject({ severity: "note", offset: 8, length: 4 });
  });

  it("out-of-order: an earlier segment within the first RTT after a later one", () => {
    const r = analyze([...handshake(), data(1101, 100, 0.1), data(1001, 100, 0.1005)]);
    expect(codes(r)).toEqual([[], [], [], ["lost_segment"], ["out_of_order"]]);
    expect(r[4]?.findings[0]?.severity).toBe("warn");
  });

  it("the same late segment long after is a retransmission, not out-of-order", () => {
    const r = analyze([...handshake(), data(1101, 100, 0.1), data(1001, 100, 0.5)]);
    expect(codes(r)[4]).toEqual(["retransmission"]);
  });

  it("zero window, a probe into it, its ACK, then a window update", () => {
    const r = analyze([
      ...handshake(),
      data(1001, 100, 0.1),
      ack(1101, 0, 0.11),
      { c2s: true, seq: 1101, ack: 5001, flags: "A", win: 502, len: 1, t: 0.3 },
      ack(1101, 0, 0.31),
      ack(1101, 500, 0.5),
      data(1101, 100, 0.51),
    ]);
    expect(codes(r)).toEqual([
      [],
      [],
      [],
      [],
      ["zero_window"],
      ["zero_window_probe"],
      ["zero_window_probe_ack", "zero_window"],
      ["window_update"],
      [],
    ]);
    expect(r[4]?.findings[0]).toMatchObject({ severity: "warn", offset: 14, length: 2 });
    expect(r[7]?.findings[0]?.severity).toBe("chat");
  });

  it("keep-alive one byte before the next sequence number, and its ACK", () => {
    const r = analyze([...handshake(), data(1001, 100, 0.1), ack(1101, 500, 0.11), { c2s: true, seq: 1100, ack: 5001, flags: "A", win: 502, t: 7.2 }, ack(1101, 500, 7.21)]);
    expect(codes(r)).toEqual([[], [], [], [], [], ["keep_alive"], ["keep_alive_ack"]]);
  });

  it("window full: data up to the right edge of the advertised window", () => {
    const r = analyze([...handshake(false), ack(1001, 200, 0.05), data(1001, 200, 0.06)]);
    expect(codes(r)).toEqual([[], [], [], ["window_update"], ["window_full"]]);
  });

  it("spurious retransmission: data the receiver already acknowledged", () => {
    const r = analyze([...handshake(), data(1001, 100, 0.1), ack(1101, 500, 0.11), data(1001, 100, 0.5)]);
    expect(codes(r)).toEqual([[], [], [], [], [], ["spurious_retransmission"]]);
  });

  it("segments the capture missed, both ways", () => {
    const r = analyze([...handshake(), data(1101, 100, 0.1), ack(1201, 500, 0.11)]);
    expect(codes(r)).toEqual([[], [], [], ["lost_segment"], ["ack_lost_segment"]]);
  });

  it("a new SYN with another ISN on the same ports starts over", () => {
    const r = analyze([
      ...handshake(),
      { c2s: true, seq: 1001, ack: 5001, flags: "FA", win: 502, t: 0.1 },
      { c2s: false, seq: 5001, ack: 1002, flags: "FA", win: 500, t: 0.11 },
      { c2s: true, seq: 1002, ack: 5002, flags: "A", win: 502, t: 0.12 },
      { c2s: true, seq: 90000, ack: 0, flags: "S", win: 64240, ws: 7, t: 1 },
      { c2s: false, seq: 70000, ack: 90001, flags: "SA", win: 65160, ws: 7, t: 1.01 },
    ]);
    expect(codes(r)).toEqual([[], [], [], [], [], [], ["reused_ports"], []]);
    expect(r.slice(6).map((x) => [x.relativeSeq, x.relativeAck])).toEqual([
      [0, undefined],
      [0, 1],
    ]);
  });

  it("a SYN sent again is a retransmission, not a new connection", () => {
    const r = analyze([handshake()[0] as Step, { ...(handshake()[0] as Step), t: 1 }]);
    expect(codes(r)).toEqual([[], ["retransmission"]]);
  });

  it("RST is a note on the flags", () => {
    const r = analyze([...handshake(), { c2s: false, seq: 5001, ack: 1001, flags: "RA", win: 0, t: 0.1 }]);
    expect(codes(r)).toEqual([[], [], [], ["rst"]]);
    expect(r[3]?.findings[0]).toMatchObject({ severity: "note", offset: 12, length: 2 });
  });

  it("several at once, in the order Wireshark's Info column shows them", () => {
    const r = analyze([
      ...handshake(),
      data(1001, 100, 0.1),
      ack(1101, 0, 0.11),
      ack(1101, 0, 7, 5000),
      data(1301, 100, 7.1, 0),
      ack(1501, 0, 7.2),
      data(1001, 100, 9, 0),
    ]);
    expect(codes(r).slice(4)).toEqual([
      ["zero_window"],
      ["zero_window", "keep_alive"],
      ["zero_window", "lost_segment"],
      ["zero_window", "ack_lost_segment"],
      ["zero_window", "spurious_retransmission"],
    ]);
  });

  it("labels every code for the Info column", () => {
    expect(TCP_ANALYSIS_LABELS["tcp.analysis.retransmission"]).toBe("TCP Retransmission");
    expect(Object.keys(TCP_ANALYSIS_LABELS)).toHaveLength(15);
  });
});

describe("connections", () => {
  it("keeps directions and connections apart", () => {
    const analyzer = createTcpAnalyzer();
    const a = analyzer.analyze(segment({ c2s: true, seq: 100, ack: 0, flags: "S", win: 10, t: 0 }));
    const other = analyzer.analyze({ ...segment({ c2s: true, seq: 900, ack: 0, flags: "S", win: 10, t: 0 }), srcPort: 40001 });
    expect([a.relativeSeq, other.relativeSeq]).toEqual([0, 0]);
    expect(other.findings).toEqual([]);
    expect(analyzer.size).toBe(2);
  });

  it("forgets the oldest connection past its limit", () => {
    const analyzer = createTcpAnalyzer({ maxConnections: 2 });
    for (let port = 1; port <= 5; port++) analyzer.analyze({ ...segment(data(1, 1, 0)), srcPort: port });
    expect(analyzer.size).toBe(2);
  });
});

describe("the analyzer on any segments", () => {
  it("never throws and gives 32-bit relative numbers (100,000 segments)", () => {
    const analyzer = createTcpAnalyzer({ maxConnections: 16 });
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const seg = fc.record({
      c2s: fc.boolean(),
      port: fc.integer({ min: 1, max: 4 }),
      seq: fc.oneof(u32, fc.integer({ min: 990, max: 1300 })),
      ack: fc.oneof(u32, fc.integer({ min: 4990, max: 5300 })),
      flags: fc.integer({ min: 0, max: 0xfff }),
      window: fc.oneof(fc.constantFrom(0, 1, 500), fc.integer({ min: 0, max: 0xffff })),
      payloadLength: fc.oneof(fc.constantFrom(0, 1, 100), fc.integer({ min: 0, max: 65535 })),
      windowScale: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
      time: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(seg, { minLength: 5, maxLength: 10 }), (segs) => {
        for (const s of segs) {
          const [from, to] = s.c2s ? [CLIENT, SERVER] : [SERVER, CLIENT];
          const r = analyzer.analyze({ ...s, src: from.src, dst: to.src, srcPort: s.c2s ? s.port : 80, dstPort: s.c2s ? 80 : s.port });
          if (!Number.isInteger(r.relativeSeq) || r.relativeSeq < 0 || r.relativeSeq > 0xffffffff) return false;
          if (r.windowScaled !== undefined && !(r.windowScaled >= 0)) return false;
        }
        return analyzer.size <= 16;
      }),
      { numRuns: 15_000 },
    );
  });
});
