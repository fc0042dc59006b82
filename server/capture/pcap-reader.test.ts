import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPcapStreamReader, MAX_RECORD, ReaderError, type Packet } from "./pcap-reader";
import { createPcapngWriter, LINKTYPE_RAW } from "./pcapng";

interface Rec {
  seconds: number;
  fraction: number;
  data: Uint8Array;
  originalLength?: number;
  /** Overrides the captured length field, to build bad records. */
  claims?: number;
}

/** A classic pcap stream built by hand from draft-ietf-opsawg-pcap §4 and §5, as tcpdump -w - writes it. */
function pcapStream(opts: { little: boolean; nanosecond: boolean; snapLen?: number; linkType?: number; magic?: number }, records: Rec[]): Uint8Array {
  const size = 24 + records.reduce((n, r) => n + 16 + r.data.length, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const le = opts.little;
  // The writer stores 0xa1b2c3d4 (or 0xa1b23c4d) in its own byte order.
  view.setUint32(0, opts.magic ?? (opts.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4), le);
  view.setUint16(4, 2, le);
  view.setUint16(6, 4, le);
  view.setUint32(16, opts.snapLen ?? 262144, le);
  view.setUint32(20, opts.linkType ?? 1, le);
  let at = 24;
  for (const r of records) {
    view.setUint32(at, r.seconds, le);
    view.setUint32(at + 4, r.fraction, le);
    view.setUint32(at + 8, r.claims ?? r.data.length, le);
    view.setUint32(at + 12, r.originalLength ?? r.data.length, le);
    bytes.set(r.data, at + 16);
    at += 16 + r.data.length;
  }
  return bytes;
}

const RECORDS: Rec[] = [
  { seconds: 1_700_000_000, fraction: 123_456, data: Uint8Array.from({ length: 60 }, (_, i) => i) },
  { seconds: 1_700_000_001, fraction: 999_999, data: new Uint8Array(0) },
  { seconds: 1_700_000_002, fraction: 1, data: new TextEncoder().encode("ECHO: hello"), originalLength: 1500 },
];

/** Feeds `bytes` in pieces of `sizes` (cycled) and collects every packet. */
function replay(bytes: Uint8Array, sizes: number[]) {
  const reader = createPcapStreamReader();
  const packets: Packet[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    packets.push(...reader.push(bytes.subarray(at, at + n)));
    at += n;
  }
  reader.end();
  return { reader, packets };
}

function expected(nanosecond: boolean, linkType = 1) {
  return RECORDS.map((r) => ({
    linkType,
    timestampNs: BigInt(r.seconds) * 1_000_000_000n + BigInt(r.fraction) * (nanosecond ? 1n : 1000n),
    data: r.data,
    originalLength: r.originalLength ?? r.data.length,
  }));
}

function thrown(f: () => unknown): ReaderError {
  try {
    f();
  } catch (err) {
    if (err instanceof ReaderError) return err;
    throw err;
  }
  throw new Error("expected a ReaderError");
}

describe("pcap stream reader", () => {
  for (const little of [true, false]) {
    for (const nanosecond of [false, true]) {
      const name = `${little ? "little" : "big"}-endian, ${nanosecond ? "ns" : "µs"}`;
      it(`reads a ${name} stream split 1 and 2 bytes at a time, and whole`, () => {
        const bytes = pcapStream({ little, nanosecond, linkType: 113 }, RECORDS);
        for (const sizes of [[1], [2], [bytes.length], [3, 17, 1, 40]]) {
          const { reader, packets } = replay(bytes, sizes);
          expect(packets).toEqual(expected(nanosecond, 113));
          expect(reader).toMatchObject({ linkType: 113, snapLen: 262144, nanosecond, error: undefined });
        }
      });
    }
  }

  it("gives the same packets for any split (property)", () => {
    const bytes = pcapStream({ little: true, nanosecond: true }, RECORDS);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 20 }), (sizes) => {
        expect(replay(bytes, sizes).packets).toEqual(expected(true));
      }),
    );
  });

  it("hands out packets that do not share the caller's chunk", () => {
    const bytes = pcapStream({ little: true, nanosecond: false }, RECORDS);
    const packets = createPcapStreamReader().push(bytes);
    bytes.fill(0);
    expect(packets[0]!.data[59]).toBe(59);
  });

  it("keeps only the link type of the LinkType field, not its FCS bits", () => {
    const bytes = pcapStream({ little: true, nanosecond: false, linkType: 0x1400_0001 }, RECORDS.slice(0, 1));
    expect(createPcapStreamReader().push(bytes)[0]!.linkType).toBe(1);
  });

  it("rejects a bad magic with a stable code, and refuses input after it", () => {
    const reader = createPcapStreamReader();
    const pcapng = Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    expect(reader.push(pcapng.subarray(0, 23))).toEqual([]); // not judged before the header is whole
    const error = thrown(() => reader.push(pcapng.subarray(23)));
    expect(error.code).toBe("bad-magic");
    expect(error.message).toBe("pcap: magic 0x0a0d0d0a is not a pcap file (is it pcapng?)");
    expect(reader.error).toBe(error);
    expect(thrown(() => reader.push(new Uint8Array(1)))).toBe(error);
    expect(thrown(() => reader.end())).toBe(error);
  });

  it("rejects an unknown major version", () => {
    const bytes = pcapStream({ little: true, nanosecond: false }, []);
    bytes[4] = 3;
    expect(thrown(() => createPcapStreamReader().push(bytes)).code).toBe("bad-version");
  });

  it("rejects a record longer than the snaplen before buffering it, keeping the packets before it", () => {
    const records = [RECORDS[0]!, { seconds: 1, fraction: 0, data: new Uint8Array(101) }, RECORDS[2]!];
    const bytes = pcapStream({ little: false, nanosecond: false, snapLen: 101 }, records);
    expect(replay(bytes, [7]).packets).toHaveLength(3); // exactly the snaplen is fine

    const tooLong = pcapStream({ little: false, nanosecond: false, snapLen: 100 }, records);
    const reader = createPcapStreamReader();
    const error = thrown(() => reader.push(tooLong));
    expect(error.code).toBe("oversize-record");
    expect(error.message).toBe("pcap: a record claims 101 bytes, more than the 100 allowed (snaplen 100)");
    expect(error.packets).toEqual(expected(false).slice(0, 1));
    expect(thrown(() => reader.push(new Uint8Array(1)))).toBe(error);
  });

  it("caps records at 256 KiB whatever the snaplen says", () => {
    for (const snapLen of [0, 0x7fffffff]) {
      const reader = createPcapStreamReader();
      const header = pcapStream({ little: true, nanosecond: false, snapLen }, [{ seconds: 0, fraction: 0, data: new Uint8Array(0), claims: MAX_RECORD + 1 }]);
      expect(thrown(() => reader.push(header)).code).toBe("oversize-record");
    }
    const ok = pcapStream({ little: true, nanosecond: false, snapLen: 0 }, [{ seconds: 0, fraction: 0, data: new Uint8Array(MAX_RECORD) }]);
    expect(replay(ok, [65536]).packets[0]!.data.length).toBe(MAX_RECORD);
  });

  it("reports a stream that ends inside a record", () => {
    const bytes = pcapStream({ little: true, nanosecond: false }, RECORDS);
    for (const [cut, where] of [[10, "the file header"], [30, "a record header"], [24 + 16 + 5, "a packet"]] as const) {
      const reader = createPcapStreamReader();
      reader.push(bytes.subarray(0, cut));
      const error = thrown(() => reader.end());
      expect(error.code).toBe("truncated");
      expect(error.message).toBe(`pcap: the stream ended inside ${where}`);
    }
    const whole = createPcapStreamReader();
    whole.push(bytes.subarray(0, 24));
    expect(() => whole.end()).not.toThrow(); // a header and no packets is a complete, empty capture
  });

  // editcap ships with tshark: Wireshark's own pcap writer as an independent source of streams.
  const hasEditcap = spawnSync("editcap", ["--version"], { stdio: "ignore" }).status === 0;
  it.skipIf(!hasEditcap)(`reads what Wireshark's editcap writes, µs and ns${hasEditcap ? "" : " (skipped: editcap is not installed)"}`, () => {
    const w = createPcapngWriter();
    w.sectionHeader({ userAppl: "Protocol Lab" });
    w.interfaceDescription({ linkType: LINKTYPE_RAW, snapLen: 0 });
    const sent = RECORDS.map((r, i) => ({ timestampNs: 1_700_000_000_123_456_789n + BigInt(i) * 1_000_001n, data: r.data }));
    for (const p of sent) w.enhancedPacket({ interfaceId: 0, ...p });
    const dir = mkdtempSync(join(tmpdir(), "pl-editcap-"));
    try {
      writeFileSync(join(dir, "in.pcapng"), w.toBytes());
      for (const [format, nanosecond] of [["pcap", false], ["nsecpcap", true]] as const) {
        const out = join(dir, `${format}.pcap`);
        expect(spawnSync("editcap", ["-F", format, join(dir, "in.pcapng"), out]).status).toBe(0);
        const { reader, packets } = replay(readFileSync(out), [5]);
        expect(reader).toMatchObject({ linkType: LINKTYPE_RAW, nanosecond });
        expect(packets.map((p) => [p.timestampNs, [...p.data]])).toEqual(
          sent.map((p) => [nanosecond ? p.timestampNs : (p.timestampNs / 1000n) * 1000n, [...p.data]]),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
