import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPcapngWriter, LINKTYPE_ETHERNET, LINKTYPE_RAW, PcapngFormatError, readPcapng } from "./pcapng";

const hex = (text: string) => Uint8Array.from(text.replace(/\s+|#[^\n]*/g, "").match(/../g) ?? [], (h) => parseInt(h, 16));
const enc = (s: string) => new TextEncoder().encode(s);

/** SHB + IDB + EPB assembled by hand from draft-ietf-opsawg-pcapng §4.1-4.3, little-endian. */
const GOLDEN = hex(`
  0a0d0d0a 30000000              # SHB, total length 48
  4d3c2b1a 0100 0000             # byte-order magic, version 1.0
  ffffffffffffffff               # section length: not given
  0400 0c00 50726f746f636f6c204c6162   # shb_userappl, 12 bytes: "Protocol Lab"
  00000000                       # opt_endofopt
  30000000
  01000000 20000000              # IDB, total length 32
  6500 0000 00000400             # LINKTYPE_RAW, reserved, snaplen 262144
  0900 0100 09000000             # if_tsresol = 9, padded
  00000000
  20000000
  06000000 34000000              # EPB, total length 52
  00000000                       # interface 0
  fe9c9717 15cd853d              # 1700000000123456789 ns: high 0x17979cfe, low 0x3d85cd15
  05000000 05000000              # captured 5, original 5
  68656c6c6f 000000              # "hello", padded to 32 bits
  0100 0200 6869 0000            # opt_comment "hi"
  00000000
  34000000
`);

function golden() {
  const w = createPcapngWriter();
  w.sectionHeader({ userAppl: "Protocol Lab" });
  const id = w.interfaceDescription({ linkType: LINKTYPE_RAW, snapLen: 262144, tsresol: 9 });
  w.enhancedPacket({ interfaceId: id, timestampNs: 1_700_000_000_123_456_789n, data: enc("hello"), comment: "hi" });
  return w;
}

function formatError(bytes: Uint8Array): PcapngFormatError {
  try {
    readPcapng(bytes);
  } catch (err) {
    if (err instanceof PcapngFormatError) return err;
    throw err;
  }
  throw new Error("expected a PcapngFormatError");
}

describe("pcapng writer", () => {
  it("writes the hand-built golden file byte for byte", () => {
    expect(golden().toBytes()).toEqual(GOLDEN);
  });

  it("streams the same bytes block by block, each block once", () => {
    const w = golden();
    const blocks = [...w.blocks()];
    expect(blocks.map((b) => b.length)).toEqual([48, 32, 52]);
    expect(Uint8Array.from(blocks.flatMap((b) => [...b]))).toEqual(GOLDEN);
    expect([...w.blocks()]).toEqual([]);
    w.enhancedPacket({ interfaceId: 0, timestampNs: 1n, data: enc("x") });
    expect(w.toBytes().length).toBe(36); // the new packet only: 28 + 1 byte padded to 4, no options
  });

  it("round-trips sections, interfaces, packets, comments and timestamps", () => {
    const w = createPcapngWriter();
    w.sectionHeader({ comment: "Packets synthesised — не с провода", hardware: "x86_64", os: "Linux", userAppl: "Protocol Lab" });
    const raw = w.interfaceDescription({ linkType: LINKTYPE_RAW, snapLen: 0, name: "lab", description: "synthesised", tsresol: 9 });
    const eth = w.interfaceDescription({ linkType: LINKTYPE_ETHERNET, snapLen: 4, tsresol: 6 });
    const big = new Uint8Array(70_000).map((_, i) => i * 7);
    w.enhancedPacket({ interfaceId: raw, timestampNs: 1_700_000_000_000_000_001n, data: big, comment: "große Daten" });
    w.enhancedPacket({ interfaceId: eth, timestampNs: 1_700_000_000_123_456_789n, data: enc("abcdefgh") });
    w.enhancedPacket({ interfaceId: raw, timestampNs: 0n, data: new Uint8Array(0), originalLength: 60 });
    const file = readPcapng(w.toBytes());

    expect(file.sections).toEqual([
      { littleEndian: true, major: 1, minor: 0, comments: ["Packets synthesised — не с провода"], hardware: "x86_64", os: "Linux", userAppl: "Protocol Lab" },
    ]);
    expect(file.interfaces).toEqual([
      { section: 0, id: 0, linkType: 101, snapLen: 0, name: "lab", description: "synthesised", tsresol: 9, tsoffset: 0n },
      { section: 0, id: 1, linkType: 1, snapLen: 4, tsresol: 6, tsoffset: 0n },
    ]);
    const [p0, p1, p2] = file.packets;
    expect(p0).toMatchObject({ interfaceId: 0, linkType: 101, timestampNs: 1_700_000_000_000_000_001n, originalLength: 70_000, comments: ["große Daten"] });
    expect(Buffer.from(p0!.data).equals(big)).toBe(true);
    // Microsecond interface: the nanoseconds below a microsecond are gone; snapLen 4 cut the packet.
    expect(p1).toMatchObject({ interfaceId: 1, linkType: 1, timestampNs: 1_700_000_000_123_456_000n, data: enc("abcd"), originalLength: 8, comments: [] });
    expect(p2).toMatchObject({ timestampNs: 0n, data: new Uint8Array(0), originalLength: 60 });
  });

  it("round-trips any packets (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ data: fc.uint8Array({ maxLength: 300 }), ts: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), comment: fc.option(fc.string(), { nil: undefined }) }), { maxLength: 20 }),
        (packets) => {
          const w = createPcapngWriter();
          w.sectionHeader({ userAppl: "Protocol Lab" });
          w.interfaceDescription({ linkType: LINKTYPE_RAW, snapLen: 0 });
          for (const p of packets) w.enhancedPacket({ interfaceId: 0, timestampNs: p.ts, data: p.data, ...(p.comment === undefined ? {} : { comment: p.comment }) });
          const back = readPcapng(w.toBytes()).packets;
          expect(back.map((p) => ({ data: [...p.data], ts: p.timestampNs, comments: p.comments }))).toEqual(
            packets.map((p) => ({ data: [...p.data], ts: p.ts, comments: p.comment === undefined ? [] : [p.comment] })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses what the format cannot hold", () => {
    const w = createPcapngWriter();
    expect(() => w.interfaceDescription({ linkType: 101, snapLen: 0 })).toThrow(/section header before/);
    w.sectionHeader({});
    expect(() => w.enhancedPacket({ interfaceId: 0, timestampNs: 0n, data: new Uint8Array(1) })).toThrow(/no interface 0/);
    w.interfaceDescription({ linkType: 101, snapLen: 0 });
    expect(() => w.enhancedPacket({ interfaceId: 0, timestampNs: -1n, data: new Uint8Array(1) })).toThrow(/before 1970/);
    expect(() => w.enhancedPacket({ interfaceId: 0, timestampNs: 1n << 64n, data: new Uint8Array(1) })).toThrow(/64 bits/);
    expect(() => w.enhancedPacket({ interfaceId: 0, timestampNs: 0n, data: new Uint8Array(9), originalLength: 8 })).toThrow(/original length/);
    expect(() => w.enhancedPacket({ interfaceId: 0, timestampNs: 0n, data: new Uint8Array(1), comment: "x".repeat(70_000) })).toThrow(/65535/);
    expect(() => w.interfaceDescription({ linkType: 101, snapLen: 0, tsresol: 12 })).toThrow(/tsresol/);
    // A new section numbers its interfaces from 0 again (§4.2).
    w.sectionHeader({});
    expect(() => w.enhancedPacket({ interfaceId: 0, timestampNs: 0n, data: new Uint8Array(1) })).toThrow(/no interface 0/);
  });
});

describe("pcapng reader", () => {
  it("reads a big-endian section, base-2 if_tsresol with if_tsoffset, and skips unknown blocks", () => {
    const file = readPcapng(
      hex(`
        0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c
        00000001 0000002c 0065 0000 00000000
          0009 0001 83000000             # if_tsresol: 2^-3 s
          000e 0008 0000000000000064     # if_tsoffset: 100 s
          00000000
        0000002c
        00000bad 00000010 deadbeef 00000010   # a block type this reader does not know
        00000006 00000024 00000000 00000000 00000014 00000003 00000004 01020300 00000024
      `),
    );
    expect(file.sections[0]).toMatchObject({ littleEndian: false, major: 1 });
    expect(file.interfaces[0]).toMatchObject({ linkType: 101, tsresol: 0x83, tsoffset: 100n });
    // 20 units of 1/8 s = 2.5 s, plus the 100 s offset.
    expect(file.packets).toEqual([
      { section: 0, interfaceId: 0, linkType: 101, timestampNs: 102_500_000_000n, data: Uint8Array.of(1, 2, 3), originalLength: 4, comments: [] },
    ]);
  });

  it("reads several sections, each with its own interfaces", () => {
    const a = golden().toBytes();
    const file = readPcapng(Uint8Array.from([...a, ...a]));
    expect(file.sections).toHaveLength(2);
    expect(file.interfaces.map((i) => [i.section, i.id])).toEqual([[0, 0], [1, 0]]);
    expect(file.packets.map((p) => [p.section, p.comments])).toEqual([[0, ["hi"]], [1, ["hi"]]]);
  });

  it("rejects malformed files with a code and the block's offset", () => {
    const patch = (at: number, bytes: number[]) => {
      const copy = GOLDEN.slice();
      copy.set(bytes, at);
      return copy;
    };
    expect(formatError(new Uint8Array(0)).code).toBe("not-pcapng");
    expect(formatError(hex("d4c3b2a1 02000400")).code).toBe("not-pcapng"); // classic pcap
    expect(formatError(patch(8, [1, 2, 3, 4])).code).toBe("bad-byte-order");
    expect(formatError(patch(12, [2, 0])).code).toBe("bad-version");
    expect(formatError(patch(4, [0x31, 0, 0, 0]))).toMatchObject({ code: "bad-block-length", offset: 0 });
    expect(formatError(patch(4, [0x08, 0, 0, 0])).code).toBe("bad-block-length");
    expect(formatError(patch(44, [0x34, 0, 0, 0])).code).toBe("bad-block-length"); // trailing length differs
    expect(formatError(patch(48 + 32 + 8, [1, 0, 0, 0]))).toMatchObject({ code: "unknown-interface", offset: 80 });
    expect(formatError(patch(48 + 32 + 20, [0xff, 0, 0, 0])).code).toBe("bad-packet-length");
    expect(formatError(patch(48 + 32 + 36 + 2, [0x40, 0])).code).toBe("bad-option");
    expect(formatError(patch(48 + 18, [2, 0])).code).toBe("bad-option"); // if_tsresol of 2 bytes
    const error = formatError(GOLDEN.subarray(0, 100));
    expect(error).toMatchObject({ code: "truncated", offset: 80 });
    expect(error.message).toBe("pcapng: block of 52 bytes with 20 left (block at byte 80)");
  });

  it("never fails other than with PcapngFormatError, on any cut or corruption (property)", () => {
    for (let n = 0; n < GOLDEN.length; n++) {
      if (n === 0 || n === 48 || n === 80) continue; // block boundaries: a shorter file that is still valid
      expect(formatError(GOLDEN.subarray(0, n))).toBeInstanceOf(PcapngFormatError);
    }
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(GOLDEN.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const bytes = GOLDEN.slice();
        for (const [at, value] of edits) bytes[at] = value;
        try {
          readPcapng(bytes);
        } catch (err) {
          expect(err).toBeInstanceOf(PcapngFormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
