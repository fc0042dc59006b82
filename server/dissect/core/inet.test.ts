import { describe, it, expect } from "vitest";
import { createCursor } from "./cursor";
import { defineFields } from "./fields";
import { checkChecksum, foldSum, frameAt, ipv4Text, ipv6Text, itemOrPartial, macText, onesComplementSum, pseudoHeaderSum } from "./inet";
import { coverageProblems } from "./tree";
import { englishDisplay } from "./formats";

const bytes = (...b: number[]) => new Uint8Array(b);
const v6 = (...groups: number[]) => new Uint8Array(groups.flatMap((g) => [g >>> 8, g & 0xff]));

describe("Internet checksum (RFC 1071)", () => {
  it("sums 16-bit words with end-around carry, as RFC 1071 §3's example does", () => {
    const sum = onesComplementSum(bytes(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7), 0, 8);
    expect(foldSum(sum)).toBe(0xddf2);
  });

  it("pads an odd last byte with zero and never reads past the end", () => {
    expect(onesComplementSum(bytes(0x12, 0x34, 0x56), 0, 3)).toBe(0x1234 + 0x5600);
    expect(onesComplementSum(bytes(0x12, 0x34), 0, 10)).toBe(0x1234);
  });

  it("adds the pseudo-header's protocol and 32-bit length", () => {
    expect(pseudoHeaderSum(1, 6, 0x10002)).toBe(1 + 6 + 1 + 2);
  });

  it("says correct, incorrect with the right value, or unverified and why", () => {
    // A header whose checksum field (the last word) makes the sum 0xffff.
    const words = [0x4500, 0x0073, 0x0000, 0x4000, 0x4011];
    const sum = words.reduce((a, b) => a + b, 0);
    const good = ~foldSum(sum) & 0xffff;
    expect(checkChecksum(good, sum + good, false)).toEqual({ format: "checksum", stored: good, verdict: "good" });
    expect(checkChecksum(0x1234, sum + 0x1234, false)).toEqual({ format: "checksum", stored: 0x1234, verdict: "bad", expected: good });
    expect(checkChecksum(0x1234, sum + 0x1234, true)).toEqual({ format: "checksum", stored: 0x1234, verdict: "unverified", expected: good, reason: "offload" });
    expect(checkChecksum(0, sum, false)).toEqual({ format: "checksum", stored: 0, verdict: "unverified", expected: good, reason: "zero" });
    expect(checkChecksum(0x1234, undefined, false)).toEqual({ format: "checksum", stored: 0x1234, verdict: "unverified", reason: "not_captured" });
    expect(checkChecksum(0x1234, undefined, false, "routing")).toMatchObject({ verdict: "unverified", reason: "routing" });
  });
});

describe("addresses as text", () => {
  it("writes IPv4 dotted and MAC addresses with colons", () => {
    expect(ipv4Text(bytes(0, 192, 0, 2, 1), 1)).toBe("192.0.2.1");
    expect(macText(bytes(0x02, 0xfc, 0, 0, 0, 0x01), 0)).toBe("02:fc:00:00:00:01");
  });

  it("writes IPv6 as RFC 5952 §4 says", () => {
    expect(ipv6Text(v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 0)).toBe("2001:db8::1");
    expect(ipv6Text(v6(0, 0, 0, 0, 0, 0, 0, 1), 0)).toBe("::1");
    expect(ipv6Text(v6(0, 0, 0, 0, 0, 0, 0, 0), 0)).toBe("::");
    expect(ipv6Text(v6(1, 0, 0, 0, 0, 0, 0, 0), 0)).toBe("1::");
    // §4.2.2: one zero group is not shortened; §4.2.3: the longest run, the first on a tie.
    expect(ipv6Text(v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), 0)).toBe("2001:db8:0:1:1:1:1:1");
    expect(ipv6Text(v6(0x2001, 0, 0, 1, 0, 0, 0, 1), 0)).toBe("2001:0:0:1::1");
    expect(ipv6Text(v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), 0)).toBe("2001:db8::1:0:0:1");
    expect(ipv6Text(v6(0xfe80, 0, 0, 0, 0xfc, 0xff, 0xfe00, 1), 0)).toBe("fe80::fc:ff:fe00:1");
    // §5: IPv4-mapped addresses end in dotted decimal.
    expect(ipv6Text(v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201), 0)).toBe("::ffff:192.0.2.1");
  });
});

const f = defineFields("demo", {
  word: { label: "Word", type: "u16", blurb: "Two bytes." },
  hi: { label: "High", type: "u16", bitmask: 0xf000, blurb: "Four bits." },
  rest: { label: "Rest", type: "u16", bitmask: 0x0fff, blurb: "Twelve bits." },
});

describe("cursor helpers for shared words", () => {
  it("reads one word as several fields with back() and a bitmask item, covering it once", () => {
    const cur = createCursor(bytes(0x51, 0x23, 0xff), "demo");
    cur.bits(2, [f.hi]);
    cur.back(2);
    cur.item(f.rest, 2, "0x123", 0x0fff);
    itemOrPartial(cur, f.word, 2, "never shown");
    const frame = cur.frame("");
    expect(frame.fields.map((n) => [n.id, n.offset, n.length, n.bitmask, englishDisplay(n)])).toEqual([
      ["demo.hi", 0, 2, 0xf000, "5"],
      ["demo.rest", 0, 2, 0x0fff, "0x123"],
      ["demo.word", 2, 1, 0, "ff (truncated: 1 of 2 bytes)"],
    ]);
    expect(coverageProblems(frame)).toEqual([]);
    expect(frame.findings.map((x) => x.code)).toEqual(["demo.truncated"]);
  });

  it("never steps back before the start", () => {
    const cur = createCursor(bytes(1, 2), "demo");
    cur.back(5);
    expect(cur.offset).toBe(0);
  });

  it("places a header's frame in the packet, as long as what was read", () => {
    const cur = createCursor(bytes(1, 2, 3, 4), "demo");
    cur.item(f.word, 2, "x");
    expect(frameAt(cur, "s", 14)).toMatchObject({ protocol: "demo", summary: "s", offset: 14, length: 2 });
  });
});
