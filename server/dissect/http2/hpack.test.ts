// RFC 7541 Appendix C: the integer examples (C.1), the header blocks of C.2 to C.6 decoded in sequence with their
// dynamic tables, and the tree's byte coverage; Huffman codes; fuzzed blocks never throw.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCursor } from "../core/cursor";
import { coverageProblems, parseHex } from "../core/tree";
import { createHpackTable, decodeHeaderBlock, huffmanDecode, readInteger, type HpackTable } from "./hpack";

function decode(hex: string, table: HpackTable) {
  const bytes = parseHex(hex);
  const cur = createCursor(bytes, "hpack");
  const block = decodeHeaderBlock(cur, bytes, bytes.length, table, { showTable: true });
  const frame = cur.frame("");
  return { ...block, frame };
}

const dyn = (t: HpackTable) => t.entries.map(([n, v]) => `${n}: ${v}`);

describe("HPACK integers (RFC 7541 C.1)", () => {
  it("reads 10 in a 5-bit prefix, 1337 in a 5-bit prefix and 42 at an octet boundary", () => {
    expect(readInteger(parseHex("0a"), 0, 1, 5)).toEqual({ value: 10, length: 1 });
    expect(readInteger(parseHex("1f 9a 0a"), 0, 3, 5)).toEqual({ value: 1337, length: 3 });
    expect(readInteger(parseHex("2a"), 0, 1, 8)).toEqual({ value: 42, length: 1 });
    expect(readInteger(parseHex("1f 9a"), 0, 2, 5)).toBe("short");
    expect(readInteger(parseHex("1f ff ff ff ff ff ff"), 0, 7, 5)).toBe("overflow");
  });
});

describe("HPACK header fields (RFC 7541 C.2)", () => {
  it("C.2.1 literal with indexing", () => {
    const t = createHpackTable();
    const r = decode("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572", t);
    expect(r.headers).toEqual([["custom-key", "custom-header"]]);
    expect(dyn(t)).toEqual(["custom-key: custom-header"]);
    expect(t.size).toBe(55);
    expect(coverageProblems(r.frame)).toEqual([]);
  });
  it("C.2.2 literal without indexing", () => {
    const t = createHpackTable();
    const r = decode("040c 2f73 616d 706c 652f 7061 7468", t);
    expect(r.headers).toEqual([[":path", "/sample/path"]]);
    expect(t.entries).toEqual([]);
    expect(coverageProblems(r.frame)).toEqual([]);
  });
  it("C.2.3 literal never indexed", () => {
    const t = createHpackTable();
    const r = decode("1008 7061 7373 776f 7264 0673 6563 7265 74", t);
    expect(r.headers).toEqual([["password", "secret"]]);
    expect(t.entries).toEqual([]);
    expect(r.frame.fields[0]!.children[0]!.id).toBe("hpack.never_indexed");
  });
  it("C.2.4 indexed", () => {
    const t = createHpackTable();
    const r = decode("82", t);
    expect(r.headers).toEqual([[":method", "GET"]]);
    expect(coverageProblems(r.frame)).toEqual([]);
  });
});

const C3 = [
  "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
  "8286 84be 5808 6e6f 2d63 6163 6865",
  "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
];
const C4 = [
  "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
  "8286 84be 5886 a8eb 1064 9cbf",
  "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
];
const REQUESTS = [
  [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"]],
  [[":method", "GET"], [":scheme", "http"], [":path", "/"], [":authority", "www.example.com"], ["cache-control", "no-cache"]],
  [[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [":authority", "www.example.com"], ["custom-key", "custom-value"]],
];
const REQUEST_TABLES = [
  { entries: [":authority: www.example.com"], size: 57 },
  { entries: ["cache-control: no-cache", ":authority: www.example.com"], size: 110 },
  { entries: ["custom-key: custom-value", "cache-control: no-cache", ":authority: www.example.com"], size: 164 },
];

const C5 = [
  "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
  "4803 3330 37c1 c0bf",
  "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
];
const C6 = [
  "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
  "4883 640e ffc1 c0bf",
  "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
];
const RESPONSES = [
  [[":status", "302"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], ["location", "https://www.example.com"]],
  [[":status", "307"], ["cache-control", "private"], ["date", "Mon, 21 Oct 2013 20:13:21 GMT"], ["location", "https://www.example.com"]],
  [
    [":status", "200"],
    ["cache-control", "private"],
    ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
    ["location", "https://www.example.com"],
    ["content-encoding", "gzip"],
    ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
  ],
];
const RESPONSE_TABLES = [
  { entries: ["location: https://www.example.com", "date: Mon, 21 Oct 2013 20:13:21 GMT", "cache-control: private", ":status: 302"], size: 222 },
  { entries: [":status: 307", "location: https://www.example.com", "date: Mon, 21 Oct 2013 20:13:21 GMT", "cache-control: private"], size: 222 },
  { entries: ["set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1", "content-encoding: gzip", "date: Mon, 21 Oct 2013 20:13:22 GMT"], size: 215 },
];

describe("HPACK blocks in sequence (RFC 7541 C.3 to C.6)", () => {
  for (const [name, blocks, expected, tables, max] of [
    ["C.3 requests without Huffman", C3, REQUESTS, REQUEST_TABLES, 4096],
    ["C.4 requests with Huffman", C4, REQUESTS, REQUEST_TABLES, 4096],
    ["C.5 responses without Huffman, 256-byte table", C5, RESPONSES, RESPONSE_TABLES, 256],
    ["C.6 responses with Huffman, 256-byte table", C6, RESPONSES, RESPONSE_TABLES, 256],
  ] as const) {
    it(`${name}: headers, table and size after each block, every byte covered once`, () => {
      const t = createHpackTable(max);
      blocks.forEach((hex, i) => {
        const r = decode(hex, t);
        expect(r.ok).toBe(true);
        expect(r.headers).toEqual(expected[i]);
        expect(dyn(t)).toEqual(tables[i]!.entries);
        expect(t.size).toBe(tables[i]!.size);
        expect(coverageProblems(r.frame)).toEqual([]);
        expect(r.frame.findings).toEqual([]);
      });
    });
  }
});

describe("Huffman (RFC 7541 §5.2, Appendix B)", () => {
  it("decodes www.example.com and no-cache, and refuses long or zero padding and EOS", () => {
    expect(new TextDecoder().decode(huffmanDecode(parseHex("f1e3 c2e5 f23a 6ba0 ab90 f4ff")).text)).toBe("www.example.com");
    expect(new TextDecoder().decode(huffmanDecode(parseHex("a8eb 1064 9cbf")).text)).toBe("no-cache");
    expect(huffmanDecode(parseHex("a8eb 1064 9cbf ff")).error).toBe("padding");
    expect(huffmanDecode(parseHex("a8eb 1064 9cb0")).error).toBe("padding");
    expect(huffmanDecode(parseHex("ffff fffc")).error).toBe("eos");
  });
  it("gives findings for bad input, never a throw (100,000 fuzzed blocks)", () => {
    const r = decode("bf", createHpackTable());
    expect(r.ok).toBe(false);
    expect(r.frame.findings.map((f) => f.code)).toEqual(["hpack.index_invalid"]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        const cur = createCursor(bytes, "hpack");
        decodeHeaderBlock(cur, bytes, bytes.length, createHpackTable(64), { showTable: true });
        cur.frame("");
      }),
      { numRuns: 100_000, seed: 14 },
    );
  });
});
