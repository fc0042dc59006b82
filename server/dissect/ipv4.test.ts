import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { foldSum, onesComplementSum } from "./core/inet";
import { coverageProblems } from "./core/tree";
import type { DissectedFrame } from "./core/types";
import { dissectIpv4 } from "./ipv4";
import { layerSeeds, mutatedBytes } from "./testdata/fixtures";
import { englishDisplay } from "./core/formats";

interface Header {
  ihl?: number;
  total?: number;
  flags?: number;
  proto?: number;
  options?: number[];
  payload?: number[];
  checksum?: number;
}

/** An IPv4 header 192.0.2.1 → 198.51.100.2 with a correct checksum unless one is given. */
function ipv4(h: Header = {}): Uint8Array {
  const options = h.options ?? [];
  const payload = h.payload ?? [1, 2, 3, 4, 5, 6, 7, 8];
  const ihl = h.ihl ?? 5 + options.length / 4;
  const total = h.total ?? 20 + options.length + payload.length;
  const flags = h.flags ?? 0x4000;
  const b = [0x40 | ihl, 0, total >> 8, total & 0xff, 0x12, 0x34, flags >> 8, flags & 0xff, 64, h.proto ?? 17, 0, 0, 192, 0, 2, 1, 198, 51, 100, 2, ...options];
  const sum = h.checksum ?? ~foldSum(onesComplementSum(Uint8Array.from(b), 0, b.length)) & 0xffff;
  b[10] = sum >> 8;
  b[11] = sum & 0xff;
  return Uint8Array.from([...b, ...payload]);
}

const codes = (frame: DissectedFrame) => frame.findings.map((x) => x.code);
const display = (frame: DissectedFrame, id: string): string | undefined => {
  const find = (nodes: DissectedFrame["fields"]): string | undefined => {
    for (const n of nodes) {
      if (n.id === id) return englishDisplay(n);
      const inner = find(n.children);
      if (inner !== undefined) return inner;
    }
    return undefined;
  };
  return find(frame.fields);
};

describe("IPv4 header", () => {
  it("reads every field and hands UDP its segment and pseudo-header", () => {
    const r = dissectIpv4(ipv4());
    expect(r).toMatchObject({ version: 4, totalLength: 28, ttl: 64, protocol: 17, src: "192.0.2.1", dst: "198.51.100.2" });
    expect(r).toMatchObject({ payloadOffset: 20, payloadLength: 8, end: 28, fragment: false });
    expect(r.transport).toEqual({
      ipVersion: 4,
      addressSum: 0xc000 + 0x0201 + 0xc633 + 0x6402,
      length: 8,
      checksumsMayBeOffloaded: false,
    });
    expect(r.frame.length).toBe(20);
    expect(codes(r.frame)).toEqual([]);
    expect(display(r.frame, "ipv4.flags")).toBe("0x2 (Don't fragment)");
    expect(display(r.frame, "ipv4.checksum")).toMatch(/^0x[0-9a-f]{4} \(correct\)$/);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("reports a wrong checksum, unless offload may explain it, and does not judge 0", () => {
    const bad = dissectIpv4(ipv4({ checksum: 0x1234 }));
    expect(codes(bad.frame)).toEqual(["ipv4.bad_checksum"]);
    expect(bad.frame.findings[0]).toMatchObject({ severity: "warn", offset: 10, length: 2 });
    expect(display(bad.frame, "ipv4.checksum")).toMatch(/^0x1234 \(incorrect, should be 0x[0-9a-f]{4}\)$/);
    const offloaded = dissectIpv4(ipv4({ checksum: 0x1234 }), { checksumsMayBeOffloaded: true });
    expect(codes(offloaded.frame)).toEqual([]);
    expect(display(offloaded.frame, "ipv4.checksum")).toMatch(/unverified: checksum offload/);
    expect(codes(dissectIpv4(ipv4({ checksum: 0 })).frame)).toEqual([]);
  });

  it("says when the bytes are not IPv4", () => {
    const r = dissectIpv4(Uint8Array.from([0x60, 0, 0, 0]));
    expect(codes(r.frame)).toEqual(["ipv4.bad_version"]);
    expect(r.transport).toBeUndefined();
    expect(r.frame.length).toBe(1);
  });

  it("keeps the fixed fields of a header length below 5 but reads no payload", () => {
    const r = dissectIpv4(ipv4({ ihl: 4 }));
    expect(codes(r.frame)).toEqual(["ipv4.bad_header_length"]);
    expect(r.frame.length).toBe(20);
    expect(r.transport).toBeUndefined();
  });

  it("reports total lengths below the header or beyond the capture", () => {
    expect(codes(dissectIpv4(ipv4({ total: 12 })).frame)).toEqual(["ipv4.bad_total_length"]);
    const long = dissectIpv4(ipv4({ total: 100 }));
    expect(codes(long.frame)).toEqual(["ipv4.length_beyond_capture"]);
    expect(long).toMatchObject({ payloadLength: 80, end: 28 });
    expect(long.transport?.length).toBe(80);
  });

  it("takes the captured length when segmentation offload left the total length 0", () => {
    const r = dissectIpv4(ipv4({ total: 0 }));
    expect(codes(r.frame)).toEqual(["ipv4.zero_total_length"]);
    expect(r).toMatchObject({ totalLength: 28, payloadLength: 8 });
  });

  it("hands no fragment to the transport", () => {
    for (const flags of [0x2000, 0x0001, 0x20b9]) {
      const r = dissectIpv4(ipv4({ flags }));
      expect(r.fragment).toBe(true);
      expect(r.transport).toBeUndefined();
      expect(codes(r.frame)).toEqual(["ipv4.fragment"]);
    }
  });

  it("notes the reserved flag", () => {
    expect(codes(dissectIpv4(ipv4({ flags: 0xc000 })).frame)).toEqual(["ipv4.reserved_bit_set"]);
  });

  it("only hands TCP and UDP on", () => {
    expect(dissectIpv4(ipv4({ proto: 1 })).transport).toBeUndefined();
    expect(dissectIpv4(ipv4({ proto: 6 })).transport?.ipVersion).toBe(4);
  });
});

describe("IPv4 options", () => {
  it("walks NOP, type-length-value options and End of Options List with its padding", () => {
    const r = dissectIpv4(ipv4({ options: [0x01, 0x94, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00] }));
    const options = r.frame.fields.find((n) => n.id === "ipv4.options");
    expect(options && englishDisplay(options)).toBe("8 bytes: NOP, Router Alert, EOL");
    expect(options?.children.map((n) => `${n.id}=${englishDisplay(n)}`)).toEqual([
      "ipv4.option=NOP (1)",
      "ipv4.option=Router Alert: 4 bytes",
      "ipv4.option=EOL (0)",
      "ipv4.options.padding=00 00",
    ]);
    expect(codes(r.frame)).toEqual([]);
    expect(r.payloadOffset).toBe(28);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("stops at a length below 2 or past the header, covering the rest", () => {
    for (const options of [
      [0x07, 0x00, 0x00, 0x00],
      [0x07, 0x01, 0x00, 0x00],
      [0x01, 0x07, 0x08, 0x00],
      [0x01, 0x01, 0x01, 0x07],
    ]) {
      const r = dissectIpv4(ipv4({ options }));
      expect(codes(r.frame)).toEqual(["ipv4.option.bad_length"]);
      expect(r.frame.length).toBe(24);
      expect(coverageProblems(r.frame)).toEqual([]);
      expect(r.transport?.length).toBe(8);
    }
  });
});

describe("IPv4 on any input", () => {
  it("never throws and covers the header's bytes once (100,000 inputs)", () => {
    const seeds = layerSeeds("ipv4");
    fc.assert(
      fc.property(mutatedBytes(seeds, 80), fc.boolean(), (bytes, offloaded) => {
        const r = dissectIpv4(bytes, { checksumsMayBeOffloaded: offloaded });
        const problems = coverageProblems(r.frame);
        if (problems.length) throw new Error(problems.join("; "));
        if (r.frame.length > bytes.length || r.end > bytes.length || r.payloadOffset !== r.frame.length) return false;
        return !r.transport || (r.payloadOffset >= 20 && r.transport.length >= 0);
      }),
      { numRuns: 100_000 },
    );
  });
});
