import { describe, it, expect } from "vitest";
import { coverageProblems, formatTree, leafCoverage, parseHex, toHex } from "./tree";
import type { DissectedFrame, FieldNode } from "./types";

const node = (id: string, offset: number, length: number, children: FieldNode[] = [], bitmask = 0): FieldNode => ({
  id,
  label: id,
  value: { format: "plain", text: "x" },
  offset,
  length,
  bitmask,
  blurb: "",
  children,
});
const frame = (length: number, fields: FieldNode[]): DissectedFrame => ({
  protocol: "demo",
  summary: "s",
  offset: 0,
  length,
  fields,
  findings: [],
});

describe("formatTree", () => {
  it("writes one line per node and finding, indented by depth", () => {
    const f = {
      ...frame(2, [node("demo.a", 0, 2, [node("demo.a.hi", 0, 1, [], 0x80), node("demo.a.rest", 1, 1)])]),
      findings: [{ code: "demo.odd", severity: "note" as const, message: "Odd.", offset: 1, length: 1 }],
    };
    expect(formatTree([f])).toBe(
      [
        "frame off=0 len=2 proto=demo summary: s",
        "  off=0 len=2 demo.a=x",
        "    off=0 len=1 mask=0x80 demo.a.hi=x",
        "    off=1 len=1 demo.a.rest=x",
        "  finding demo.odd note off=1 len=1: Odd.",
        "",
      ].join("\n"),
    );
  });
});

describe("leaf coverage", () => {
  it("accepts leaves that tile the frame, counting one word's bit fields once", () => {
    const f = frame(3, [node("a", 0, 1, [], 0x80), node("b", 0, 1, [], 0x7f), node("p", 1, 2, [node("c", 1, 2)])]);
    expect(leafCoverage(f)).toEqual([1, 1, 1]);
    expect(coverageProblems(f)).toEqual([]);
  });

  it("reports gaps, overlaps, strays and shared bits", () => {
    const f = {
      ...frame(5, [node("a", 0, 2), node("b", 1, 1), node("p", 3, 1, [node("c", 2, 1)]), node("x", 3, 1, [], 1), node("y", 3, 1, [], 3)]),
      findings: [{ code: "demo.far", severity: "note" as const, message: "", offset: 5, length: 1 }],
    };
    expect(coverageProblems(f)).toEqual([
      "c off=2 len=1 lies outside p",
      "y off=3 shares bits with another field of its word",
      "bytes 1..1 covered 2 times",
      "bytes 4..4 covered 0 times",
      "finding demo.far off=5 len=1 lies outside the frame",
    ]);
  });
});

describe("hex fixtures", () => {
  it("reads pairs with whitespace and comments, and writes them back", () => {
    const bytes = parseHex("# hello\n68 65 6c\n6C6f # lo\n0a");
    expect(Array.from(bytes)).toEqual([0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x0a]);
    expect(toHex(bytes, 4)).toBe("68 65 6c 6c\n6f 0a\n");
    expect(parseHex("# nothing\n").length).toBe(0);
    expect(() => parseHex("6")).toThrow();
    expect(() => parseHex("zz")).toThrow();
  });
});
