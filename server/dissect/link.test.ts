import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { coverageProblems, parseHex } from "./core/tree";
import type { DissectedFrame } from "./core/types";
import { ETHERTYPE, LINKTYPE, dissectLink, dissectLinkTrailer, isSupportedLinkType } from "./link";
import { layerSeeds, mutatedBytes } from "./testdata/fixtures";
import { englishDisplay } from "./core/formats";

const fields = (frame: DissectedFrame | undefined) => (frame?.fields ?? []).map((n) => `${n.id}=${englishDisplay(n)}`);
const codes = (frame: DissectedFrame | undefined) => (frame?.findings ?? []).map((x) => x.code);

describe("Ethernet", () => {
  it("reads the addresses and the EtherType", () => {
    const r = dissectLink(LINKTYPE.ETHERNET, parseHex("ff ff ff ff ff ff 02 fc 00 00 00 01 86 dd 60"));
    expect(r).toMatchObject({ headerLength: 14, etherType: ETHERTYPE.IPV6 });
    expect(fields(r.frame)).toEqual(["eth.dst=ff:ff:ff:ff:ff:ff (broadcast)", "eth.src=02:fc:00:00:00:01", "eth.type=IPv6 (0x86dd)"]);
    expect(r.frame?.length).toBe(14);
  });

  it("marks multicast destinations", () => {
    const r = dissectLink(LINKTYPE.ETHERNET, parseHex("01 00 5e 00 00 fb 02 fc 00 00 00 01 08 00"));
    expect(fields(r.frame)[0]).toBe("eth.dst=01:00:5e:00:00:fb (multicast)");
  });

  it("reads 802.1Q tags and stops after four", () => {
    const tagged = dissectLink(LINKTYPE.ETHERNET, parseHex("000000000000 000000000000 8100 a064 0800"));
    expect(tagged).toMatchObject({ headerLength: 18, etherType: ETHERTYPE.IPV4 });
    expect(tagged.frame?.fields[3] && englishDisplay(tagged.frame.fields[3])).toBe("VLAN 100, priority 5");
    const many = dissectLink(LINKTYPE.ETHERNET, parseHex(`000000000000 000000000000 8100 ${"0001 8100 ".repeat(9)}0001 0800`));
    expect(many).toMatchObject({ headerLength: 14 + 4 * 4, etherType: ETHERTYPE.VLAN });
  });

  it("reads an IEEE 802.3 length and hands nothing to IP", () => {
    const r = dissectLink(LINKTYPE.ETHERNET, parseHex("000000000000 000000000000 0026 aaaa03"));
    expect(r.etherType).toBe(-1);
    expect(fields(r.frame)[2]).toBe("eth.len=38");
  });

  it("reports a header cut short", () => {
    const r = dissectLink(LINKTYPE.ETHERNET, parseHex("000000000000 000000000000 08"));
    expect(r.etherType).toBe(-1);
    expect(codes(r.frame)).toEqual(["eth.truncated"]);
  });
});

describe("Linux cooked capture", () => {
  it("v1: caps the address at its 8 bytes and covers the unused rest", () => {
    const r = dissectLink(LINKTYPE.LINUX_SLL, parseHex("0004 0001 0006 02fc00000001 0000 0800"));
    expect(r).toMatchObject({ headerLength: 16, etherType: ETHERTYPE.IPV4 });
    expect(fields(r.frame)).toContain("sll.pkttype=Sent by us (4)");
    const long = dissectLink(LINKTYPE.LINUX_SLL, parseHex("0000 0001 00ff 0102030405060708 86dd"));
    expect(long).toMatchObject({ headerLength: 16, etherType: ETHERTYPE.IPV6 });
    expect(coverageProblems(long.frame as DissectedFrame)).toEqual([]);
  });

  it("v2: protocol first, then interface, type, packet type and address", () => {
    const r = dissectLink(LINKTYPE.LINUX_SLL2, parseHex("0800 0000 00000002 0001 00 06 02fc00000001 0000"));
    expect(r).toMatchObject({ headerLength: 20, etherType: ETHERTYPE.IPV4 });
    expect(r.frame?.summary).toBe("Linux cooked capture v2, Protocol: IPv4 (0x0800), Interface: 2");
  });
});

describe("BSD loopback (NULL)", () => {
  it("reads the family in either byte order", () => {
    expect(dissectLink(LINKTYPE.NULL, parseHex("02000000 45")).etherType).toBe(ETHERTYPE.IPV4);
    expect(dissectLink(LINKTYPE.NULL, parseHex("00000002 45")).etherType).toBe(ETHERTYPE.IPV4);
    for (const family of [24, 28, 30]) {
      expect(dissectLink(LINKTYPE.NULL, new Uint8Array([family, 0, 0, 0])).etherType).toBe(ETHERTYPE.IPV6);
      expect(dissectLink(LINKTYPE.NULL, new Uint8Array([0, 0, 0, family])).etherType).toBe(ETHERTYPE.IPV6);
    }
    expect(dissectLink(LINKTYPE.NULL, parseHex("07000000")).etherType).toBe(-1);
  });
});

describe("raw IP", () => {
  it("has no header and tells IPv4 from IPv6 by the version", () => {
    expect(dissectLink(LINKTYPE.RAW, parseHex("60"))).toEqual({ frame: undefined, headerLength: 0, etherType: ETHERTYPE.IPV6 });
    expect(dissectLink(LINKTYPE.RAW, parseHex("45")).etherType).toBe(ETHERTYPE.IPV4);
    expect(dissectLink(LINKTYPE.IPV4, parseHex("60")).etherType).toBe(ETHERTYPE.IPV4);
    expect(dissectLink(LINKTYPE.IPV6, parseHex("45")).etherType).toBe(ETHERTYPE.IPV6);
  });

  it("knows which link types it reads", () => {
    expect(Object.values(LINKTYPE).every(isSupportedLinkType)).toBe(true);
    expect(isSupportedLinkType(147)).toBe(false);
    expect(dissectLink(147, parseHex("00"))).toEqual({ frame: undefined, headerLength: 0, etherType: -1 });
  });
});

describe("trailers", () => {
  it("calls zeros after an Ethernet datagram padding, anything else a trailer", () => {
    const padded = dissectLinkTrailer(LINKTYPE.ETHERNET, parseHex("01 02 00 00 00"), 2);
    expect(padded).toMatchObject({ protocol: "eth", offset: 2, length: 3, summary: "Padding: 3 bytes" });
    expect(fields(padded)).toEqual(["eth.padding=00 00 00"]);
    expect(fields(dissectLinkTrailer(LINKTYPE.ETHERNET, parseHex("01 02 00 12"), 2))).toEqual(["eth.trailer=00 12"]);
    expect(dissectLinkTrailer(LINKTYPE.LINUX_SLL2, parseHex("00 ff"), 1)?.protocol).toBe("sll");
    expect(dissectLinkTrailer(LINKTYPE.NULL, parseHex("00 ff"), 1)?.protocol).toBe("null");
    expect(dissectLinkTrailer(LINKTYPE.RAW, parseHex("00 ff"), 1)?.protocol).toBe("raw");
    expect(dissectLinkTrailer(LINKTYPE.ETHERNET, parseHex("00 ff"), 2)).toBeUndefined();
  });
});

describe("link headers on any input", () => {
  it("never throw, cover what they read once, and end the header inside the bytes (100,000 inputs)", () => {
    const seeds = [...layerSeeds("eth"), ...layerSeeds("sll"), ...layerSeeds("null")];
    const links = Object.values(LINKTYPE);
    fc.assert(
      fc.property(fc.constantFrom(...links), mutatedBytes(seeds, 40), (link, bytes) => {
        const r = dissectLink(link, bytes);
        if (r.headerLength > bytes.length) return false;
        if (r.frame) {
          if (r.frame.length !== r.headerLength) return false;
          const problems = coverageProblems(r.frame);
          if (problems.length) throw new Error(problems.join("; "));
        }
        const trailer = dissectLinkTrailer(link, bytes, r.headerLength);
        return !trailer || coverageProblems(trailer).length === 0;
      }),
      { numRuns: 100_000 },
    );
  });
});
