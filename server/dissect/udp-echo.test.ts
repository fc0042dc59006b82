// The udp-echo dissector on the datagrams of seed 000's UDP session, as bytes: a text message and its echo, BINARY_TEST
// and its two answers (the 8-byte struct reply read as native 'If'), invalid UTF-8 (which the seed's server drops),
// an empty datagram and the largest one IPv4 carries (65,507 bytes).
import { describe, expect, it } from "vitest";
import { englishDisplay } from "./core/formats";
import type { DissectedFrame, FieldNode } from "./core/types";
import { dissectorFor } from "./protocols";
import { dissectUdpEcho } from "./udp-echo";

const hex = (h: string) => Uint8Array.from(h.replace(/\s+/g, "").match(/../g) ?? [], (x) => parseInt(x, 16));
const utf8 = (s: string) => new TextEncoder().encode(s);
const c2s = (b: Uint8Array) => dissectUdpEcho(b, { direction: "c2s" })[0] as DissectedFrame;
const s2c = (b: Uint8Array) => dissectUdpEcho(b, { direction: "s2c" })[0] as DissectedFrame;
const codes = (f: DissectedFrame) => f.findings.map((x) => x.code);

function flat(nodes: readonly FieldNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${"  ".repeat(depth)}off=${n.offset} len=${n.length} ${n.id}=${englishDisplay(n)}`, ...flat(n.children, depth + 1)]);
}

describe("udpecho dissector", () => {
  it("is the registry's dissector for udpecho", () => {
    expect(dissectorFor("udpecho").id).toBe("udpecho");
  });

  it("reads a text message and its echo", () => {
    const ask = c2s(utf8("Hello UDP!"));
    expect(ask.summary).toBe('"Hello UDP!"');
    expect(flat(ask.fields)).toEqual(['off=0 len=10 udpecho.message="Hello UDP!"']);
    expect(ask.findings).toEqual([]);
    const echo = s2c(utf8("UDP-ECHO: Hello UDP!"));
    expect(flat(echo.fields)).toEqual(['off=0 len=10 udpecho.prefix="UDP-ECHO: "', 'off=10 len=10 udpecho.echoed="Hello UDP!"']);
    expect(echo.summary).toBe('"UDP-ECHO: Hello UDP!"');
  });

  it("notes that a BINARY message gets a second datagram, and reads that one as native 'If'", () => {
    expect(codes(c2s(utf8("BINARY_TEST")))).toEqual(["udpecho.binary_follows"]);
    const reply = s2c(hex("2a000000 c3f54840"));
    expect(reply.summary).toBe("struct.unpack('If') = (42, 3.140000104904175)");
    expect(flat(reply.fields)).toEqual([
      "off=0 len=8 udpecho.binary=(42, 3.140000104904175)",
      "  off=0 len=4 struct.uint32=42",
      "  off=4 len=4 struct.float32=3.140000104904175",
      "    off=4 len=4 struct.sign=+ (0)",
      "    off=4 len=4 struct.exponent=128 → 2^1",
      "    off=4 len=4 struct.mantissa=0x48f5c3 (4781507)",
    ]);
    expect(codes(reply)).toEqual(["udpecho.native_layout", "udpecho.float32"]);
    expect(reply.findings[1]?.args).toEqual({ shortest: "3.14", exact: "3.1400001049041748046875", repr: "3.140000104904175" });
    expect(reply.findings[1]).toMatchObject({ offset: 4, length: 4 });
  });

  it("says the seed's server drops a datagram that is not UTF-8, at the bad byte", () => {
    const frame = c2s(hex("48 69 ff 21"));
    expect(codes(frame)).toEqual(["udpecho.dropped"]);
    expect(frame.findings[0]).toMatchObject({ offset: 2, length: 1, args: { offset: 2, hex: "ff" } });
    expect(flat(frame.fields)).toEqual(['off=0 len=4 udpecho.message="Hi\uFFFD!"']);
    // BINARY followed by bad bytes is dropped too: the server never gets as far as the struct.
    expect(codes(c2s(hex("42 49 4e 41 52 59 c3")))).toEqual(["udpecho.dropped"]);
  });

  it("reads an empty datagram and the empty echo", () => {
    const frame = c2s(new Uint8Array(0));
    expect(frame).toMatchObject({ summary: "(empty)", fields: [], length: 0 });
    expect(codes(frame)).toEqual(["udpecho.empty"]);
    expect(flat(s2c(utf8("UDP-ECHO: ")).fields)).toEqual(['off=0 len=10 udpecho.prefix="UDP-ECHO: "']);
  });

  it("reads a 65,507-byte datagram whole, and says the seed's server gets only 1,024 of it", () => {
    const big = new Uint8Array(65_507).fill(0x61);
    const frame = c2s(big);
    expect(frame.length).toBe(65_507);
    expect(frame.fields[0]).toMatchObject({ id: "udpecho.message", offset: 0, length: 65_507 });
    expect(codes(frame)).toEqual(["udpecho.cut_by_server"]);
    expect(frame.findings[0]).toMatchObject({ offset: 1024, length: 64_483, args: { recv: 1024, length: 65_507 } });
    // A two-byte character cut at 1,024 is invalid for the server that decodes only 1,024 bytes.
    const cut = new Uint8Array(2000).fill(0x61);
    cut.set([0xd0, 0x96], 1023);
    expect(codes(c2s(cut))).toEqual(["udpecho.cut_by_server", "udpecho.dropped"]);
  });

  it("marks a reply that is neither an echo nor the struct", () => {
    const frame = s2c(hex("01 02 03"));
    expect(codes(frame)).toEqual(["udpecho.unexpected"]);
    expect(flat(frame.fields)).toEqual(["off=0 len=3 udpecho.data=01 02 03"]);
  });

  it("builds the same summaries and findings without a tree", () => {
    for (const [bytes, direction] of [
      [utf8("Hello UDP!"), "c2s"],
      [hex("2a000000c3f54840"), "s2c"],
      [hex("ff"), "c2s"],
    ] as const) {
      const withTree = dissectUdpEcho(bytes, { direction })[0]!;
      const without = dissectUdpEcho(bytes, { direction, tree: false })[0]!;
      expect([without.summary, without.findings]).toEqual([withTree.summary, withTree.findings]);
      expect(without.fields).toEqual([]);
    }
  });
});
