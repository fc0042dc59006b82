import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { coverageProblems, parseHex } from "./core/tree";
import type { DissectedFrame } from "./core/types";
import { dissectIpv6 } from "./ipv6";
import { layerSeeds, mutatedBytes } from "./testdata/fixtures";
import { englishDisplay } from "./core/formats";

const SRC = "20010db8000000000000000000000001";
const DST = "20010db8000000000000000000000002";

/** An IPv6 packet 2001:db8::1 → 2001:db8::2 with the given next header and payload (hex). */
function ipv6(nxt: number, payload: string, plen?: number): Uint8Array {
  const body = parseHex(payload);
  const length = plen ?? body.length;
  const head = parseHex(`6 00 12345 ${length.toString(16).padStart(4, "0")} ${nxt.toString(16).padStart(2, "0")} 40 ${SRC} ${DST}`.replace(/ /g, ""));
  return Uint8Array.from([...head, ...body]);
}
const UDP = "9c4022b9000e0000 68656c6c6f0a";
const codes = (frame: DissectedFrame) => frame.findings.map((x) => x.code);

describe("IPv6 fixed header", () => {
  it("reads the header and hands UDP its segment", () => {
    const r = dissectIpv6(ipv6(17, UDP));
    expect(r).toMatchObject({ version: 6, hopLimit: 64, protocol: 17, src: "2001:db8::1", dst: "2001:db8::2" });
    expect(r).toMatchObject({ payloadOffset: 40, payloadLength: 14, end: 54, fragment: false });
    expect(r.transport).toMatchObject({ ipVersion: 6, length: 14 });
    expect(r.frame.fields.map((n) => `${n.id}=${englishDisplay(n)}`).slice(0, 3)).toEqual([
      "ipv6.version=6",
      "ipv6.tclass=0x00 (DSCP: CS0, ECN: Not-ECT)",
      "ipv6.flow=0x12345 (74565)",
    ]);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("says when the bytes are not IPv6", () => {
    const r = dissectIpv6(parseHex("45000014"));
    expect(codes(r.frame)).toEqual(["ipv6.bad_version"]);
    expect(r.transport).toBeUndefined();
  });

  it("reports a payload length beyond the capture, and takes the captured length for 0", () => {
    const long = dissectIpv6(ipv6(17, UDP, 100));
    expect(codes(long.frame)).toEqual(["ipv6.length_beyond_capture"]);
    expect(long).toMatchObject({ payloadLength: 100, end: 54 });
    const zero = dissectIpv6(ipv6(17, UDP, 0));
    expect(codes(zero.frame)).toEqual(["ipv6.zero_payload_length"]);
    expect(zero.payloadLength).toBe(14);
    expect(codes(dissectIpv6(ipv6(59, "", 0)).frame)).toEqual([]);
  });

  it("ignores bytes after the payload length (they are the link's trailer)", () => {
    const r = dissectIpv6(Uint8Array.from([...ipv6(17, UDP), 0, 0, 0]));
    expect(r.end).toBe(54);
  });
});

describe("IPv6 extension headers", () => {
  it("walks Hop-by-Hop, Routing and Destination Options to the upper layer", () => {
    const r = dissectIpv6(ipv6(0, `2b00 05020000 0100  3c02 0400 00000000 ${DST}  1100 0104 00000000  ${UDP}`));
    expect(r.frame.fields.slice(8).map((n) => `${n.id}=${englishDisplay(n)}`)).toEqual([
      "ipv6.hopopts=8 bytes",
      "ipv6.routing=24 bytes",
      "ipv6.dstopts=8 bytes",
    ]);
    expect(r).toMatchObject({ protocol: 17, payloadOffset: 80, payloadLength: 14 });
    expect(r.transport?.checksumUnverifiable).toBeUndefined();
    expect(codes(r.frame)).toEqual([]);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("cannot verify the checksum while a routing header has segments left", () => {
    const r = dissectIpv6(ipv6(43, `1102 0401 00000000 ${DST} ${UDP}`));
    expect(r.transport?.checksumUnverifiable).toBe("routing");
  });

  it("hands no fragment to the transport, but reads an atomic fragment as a whole packet", () => {
    const first = dissectIpv6(ipv6(44, `1100 0001 deadbeef ${UDP}`));
    expect(first).toMatchObject({ fragment: true, transport: undefined, protocol: 17 });
    expect(codes(first.frame)).toEqual(["ipv6.fragment"]);
    const atomic = dissectIpv6(ipv6(44, `1100 0000 deadbeef ${UDP}`));
    expect(atomic.fragment).toBe(false);
    expect(atomic.transport?.length).toBe(14);
  });

  it("warns about Hop-by-Hop Options that do not come first", () => {
    const r = dissectIpv6(ipv6(60, `0000 01040000 0000  1100 01040000 0000 ${UDP}`));
    expect(codes(r.frame)).toEqual(["ipv6.hopopts_not_first"]);
  });

  it("stops at an option longer than its header, covering the rest", () => {
    const r = dissectIpv6(ipv6(0, `1100 05090000 0000 ${UDP}`));
    expect(codes(r.frame)).toEqual(["ipv6.opt.bad_length"]);
    expect(r.payloadOffset).toBe(48);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("stops after 32 extension headers", () => {
    const r = dissectIpv6(ipv6(60, `${"3c00 01040000 0000 ".repeat(40)}`));
    expect(codes(r.frame)).toEqual(["ipv6.too_many_extension_headers"]);
    expect(r.transport).toBeUndefined();
  });

  it("reports a header cut short", () => {
    const r = dissectIpv6(ipv6(0, "1101 0000 0000", 16));
    expect(codes(r.frame)).toEqual(["ipv6.length_beyond_capture", "ipv6.truncated"]);
    expect(r.protocol).toBe(-1);
  });
});

describe("IPv6 on any input", () => {
  it("never throws and covers the headers' bytes once (100,000 inputs)", () => {
    const seeds = layerSeeds("ipv6");
    fc.assert(
      fc.property(mutatedBytes(seeds, 120), (bytes) => {
        const r = dissectIpv6(bytes);
        const problems = coverageProblems(r.frame);
        if (problems.length) throw new Error(problems.join("; "));
        return r.frame.length <= bytes.length && r.end <= bytes.length && r.payloadOffset === r.frame.length;
      }),
      { numRuns: 100_000 },
    );
  });
});
