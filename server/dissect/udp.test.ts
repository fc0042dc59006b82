import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { foldSum, onesComplementSum, pseudoHeaderSum, type TransportContext } from "./core/inet";
import { coverageProblems, parseHex } from "./core/tree";
import type { DissectedFrame } from "./core/types";
import { dissectUdp } from "./udp";
import { layerSeeds, mutatedBytes } from "./testdata/fixtures";
import { englishDisplay } from "./core/formats";

const ADDRESSES = 0xc000 + 0x0201 + 0xc633 + 0x6402; // 192.0.2.1 and 198.51.100.2

/** A UDP datagram 40000 → 8889 carrying `payload`, its checksum right unless given. */
function udp(payload: string, opts: { length?: number; checksum?: number } = {}): Uint8Array {
  const body = parseHex(payload);
  const length = opts.length ?? 8 + body.length;
  const b = Uint8Array.from([0x9c, 0x40, 0x22, 0xb9, length >> 8, length & 0xff, 0, 0, ...body]);
  const covered = Math.min(length, b.length);
  const sum = opts.checksum ?? ~foldSum(onesComplementSum(b, 0, covered, pseudoHeaderSum(ADDRESSES, 17, covered))) & 0xffff;
  b[6] = sum >> 8;
  b[7] = sum & 0xff;
  return b;
}
const ctx = (length: number, more: Partial<TransportContext> = {}): TransportContext => ({ ipVersion: 4, addressSum: ADDRESSES, length, ...more });
const codes = (frame: DissectedFrame) => frame.findings.map((x) => x.code);
const checksum = (frame: DissectedFrame) => {
  const node = frame.fields.find((n) => n.id === "udp.checksum");
  return node && englishDisplay(node);
};

describe("UDP header", () => {
  it("reads ports, length and a correct checksum", () => {
    const bytes = udp("70696e670a");
    const r = dissectUdp(bytes, ctx(bytes.length));
    expect(r).toMatchObject({ complete: true, srcPort: 40000, dstPort: 8889, length: 13, payloadOffset: 8, payloadLength: 5 });
    expect(r.frame.summary).toBe("40000 → 8889 Len=5");
    expect(checksum(r.frame)).toMatch(/\(correct\)$/);
    expect(codes(r.frame)).toEqual([]);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("reads 0 over IPv4 as no checksum, and over IPv6 as a missing one", () => {
    const bytes = udp("70696e670a", { checksum: 0 });
    const v4 = dissectUdp(bytes, ctx(bytes.length));
    expect(codes(v4.frame)).toEqual([]);
    expect(checksum(v4.frame)).toMatch(/^0x0000 \(none/);
    const v6 = dissectUdp(bytes, ctx(bytes.length, { ipVersion: 6 }));
    expect(codes(v6.frame)).toEqual(["udp.missing_checksum"]);
  });

  it("reports a wrong checksum unless offload may explain it", () => {
    const bytes = udp("70696e670a", { checksum: 0x1234 });
    expect(codes(dissectUdp(bytes, ctx(bytes.length)).frame)).toEqual(["udp.bad_checksum"]);
    const offloaded = dissectUdp(bytes, ctx(bytes.length, { checksumsMayBeOffloaded: true }));
    expect(codes(offloaded.frame)).toEqual([]);
    expect(checksum(offloaded.frame)).toMatch(/unverified: checksum offload/);
  });

  it("cannot verify without the IP layer, nor the whole datagram", () => {
    const bytes = udp("70696e670a");
    expect(checksum(dissectUdp(bytes).frame)).toMatch(/^0x[0-9a-f]{4} \(unverified: no IP header to build the pseudo-header from\)$/);
    expect(checksum(dissectUdp(bytes.subarray(0, 10), ctx(bytes.length)).frame)).toMatch(/unverified: not all/);
    expect(checksum(dissectUdp(bytes, ctx(bytes.length, { checksumUnverifiable: "routing" })).frame)).toMatch(/unverified: the routing header still has segments left/);
  });

  it("checks the length against the IP payload", () => {
    const short = udp("70696e670a", { length: 4 });
    expect(codes(dissectUdp(short, ctx(short.length)).frame)).toEqual(["udp.bad_length"]);
    const long = udp("70696e670a", { length: 200 });
    const r = dissectUdp(long, ctx(long.length));
    expect(codes(r.frame)).toEqual(["udp.bad_length"]);
    expect(r.payloadLength).toBe(5);
    const surplus = udp("70696e670a0000", { length: 13 });
    const s = dissectUdp(surplus, ctx(surplus.length));
    expect(codes(s.frame)).toEqual(["udp.surplus"]);
    expect(s.payloadLength).toBe(5);
    expect(checksum(s.frame)).toMatch(/\(correct\)$/);
  });

  it("reports a header cut short", () => {
    const r = dissectUdp(udp("").subarray(0, 5), ctx(8));
    expect(r).toMatchObject({ complete: false, payloadLength: 0 });
    expect(codes(r.frame)).toEqual(["udp.truncated"]);
    expect(r.frame.summary).toBe("UDP (truncated)");
  });
});

describe("UDP on any input", () => {
  it("never throws and covers the header's bytes once (100,000 inputs)", () => {
    const seeds = layerSeeds("udp");
    const context = fc.option(
      fc.record({
        ipVersion: fc.constantFrom(4 as const, 6 as const),
        addressSum: fc.nat(0x7ffff),
        length: fc.oneof(fc.nat(80), fc.nat(0xffff)),
        checksumsMayBeOffloaded: fc.boolean(),
      }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(mutatedBytes(seeds, 60), context, (bytes, c) => {
        const r = dissectUdp(bytes, c);
        const problems = coverageProblems(r.frame);
        if (problems.length) throw new Error(problems.join("; "));
        return r.frame.length <= 8 && r.payloadLength >= 0 && (!r.complete || r.payloadOffset === 8);
      }),
      { numRuns: 100_000 },
    );
  });
});
