// The hand-made protobuf writer against @bufbuild/protobuf's own BinaryWriter: the same bytes for every value
// at the edges of each varint length, for zigzag and negative int64, strings beyond ASCII and lengths that take
// a second byte (the length written before a body already written).
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { createProtoWriter, varintSize } from "./proto-writer";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** 0, 1 and every power of two up to 2^53 with its neighbours: each varint length's first and last values. */
const EDGES = [0, 1, ...Array.from({ length: 53 }, (_, i) => 2 ** (i + 1)).flatMap((p) => [p - 1, p, p + 1])].filter(
  (n) => n <= Number.MAX_SAFE_INTEGER,
);

describe("createProtoWriter", () => {
  it("writes uint64 varints as protobuf does, at every length's edges", () => {
    for (const n of EDGES) {
      const mine = createProtoWriter(1);
      mine.uint(1, n);
      const theirs = new BinaryWriter();
      if (n !== 0) theirs.tag(1, WireType.Varint).uint64(BigInt(n));
      expect(hex(mine.copy()), String(n)).toBe(hex(theirs.finish()));
      expect(varintSize(n)).toBe(n === 0 ? 1 : mine.length - 1);
    }
  });

  it("writes sint64 (zigzag) and int64 of either sign as protobuf does", () => {
    for (const n of EDGES.flatMap((e) => (e < 2 ** 52 ? [e, -e] : [e]))) {
      const mine = createProtoWriter(1);
      mine.sint(1, n);
      mine.int64(2, n);
      const theirs = new BinaryWriter();
      if (n !== 0) theirs.tag(1, WireType.Varint).sint64(BigInt(n)).tag(2, WireType.Varint).int64(BigInt(n));
      expect(hex(mine.copy()), String(n)).toBe(hex(theirs.finish()));
    }
  });

  it("writes strings, bytes, bools and packed lists as protobuf does, and leaves defaults out", () => {
    const texts = ["", "a", "x".repeat(127), "x".repeat(128), "é", "ping \u{1F600} \u202e", "é".repeat(100), "z".repeat(20_000)];
    for (const text of texts) {
      const mine = createProtoWriter(1);
      mine.string(1, text);
      mine.string(2, text, true);
      const theirs = new BinaryWriter();
      if (text !== "") theirs.tag(1, WireType.LengthDelimited).string(text);
      theirs.tag(2, WireType.LengthDelimited).string(text);
      expect(hex(mine.copy()), text.slice(0, 20)).toBe(hex(theirs.finish()));
    }
    const mine = createProtoWriter(1);
    mine.bytes(1, new Uint8Array(0));
    mine.bytes(2, new Uint8Array(300).fill(7));
    mine.bool(3, false);
    mine.bool(4, true);
    mine.packed(5, []);
    mine.packed(6, [1, 300, 0, 2 ** 40]);
    const theirs = new BinaryWriter()
      .tag(2, WireType.LengthDelimited)
      .bytes(new Uint8Array(300).fill(7))
      .tag(4, WireType.Varint)
      .bool(true)
      .tag(6, WireType.LengthDelimited)
      .fork()
      .uint64(1)
      .uint64(300)
      .uint64(0)
      .uint64(2 ** 40)
      .join();
    expect(hex(mine.copy())).toBe(hex(theirs.finish()));
  });

  it("puts a nested message's length before it, moving the body when the length takes more than a byte", () => {
    for (const size of [0, 1, 127, 128, 16_383, 16_384, 70_000]) {
      const mine = createProtoWriter(1);
      const outer = mine.begin(1);
      const inner = mine.begin(2);
      mine.bytes(3, new Uint8Array(size).fill(size & 0xff));
      mine.end(inner);
      mine.uint(4, 5);
      mine.end(outer);
      const theirs = new BinaryWriter().tag(1, WireType.LengthDelimited).fork().tag(2, WireType.LengthDelimited).fork();
      if (size > 0) theirs.tag(3, WireType.LengthDelimited).bytes(new Uint8Array(size).fill(size & 0xff));
      theirs.join().tag(4, WireType.Varint).uint32(5).join();
      expect(hex(mine.copy()), String(size)).toBe(hex(theirs.finish()));
    }
  });

  it("copies raw ranges and gives what it wrote after its length", () => {
    const mine = createProtoWriter(1);
    const source = Uint8Array.from({ length: 100 }, (_, i) => i);
    mine.raw(source, 3, 6);
    mine.raw(source, 10, 60);
    expect([...mine.copy()]).toEqual([3, 4, 5, ...Array.from({ length: 50 }, (_, i) => 10 + i)]);
    expect([...mine.copy(50)]).toEqual([57, 58, 59]);
    const delimited = mine.delimited();
    expect([...delimited]).toEqual([53, ...mine.copy()]);
    mine.reset();
    expect(mine.length).toBe(0);
    mine.raw(new Uint8Array(200).fill(1));
    expect([...mine.delimited().subarray(0, 3)]).toEqual([0xc8, 0x01, 1]);
  });
});
