import { describe, it, expect } from "vitest";
import { defineFields, escapeText, hexPairs, hexPreview, namesOf, quoteText, valueName } from "./fields";

describe("defineFields", () => {
  it("gives each field a dotted snake-case id under its protocol", () => {
    const f = defineFields("text", {
      line: { label: "Line", type: "text", blurb: "A line." },
      "line.terminator": { label: "Terminator", type: "bytes", blurb: "Its end." },
    });
    expect(f.line.id).toBe("text.line");
    expect(f["line.terminator"]).toMatchObject({ id: "text.line.terminator", label: "Terminator", type: "bytes" });
    expect(Object.isFrozen(f.line)).toBe(true);
  });

  it("rejects ids that are not dotted snake case", () => {
    expect(() => defineFields("Text", {})).toThrow();
    expect(() => defineFields("text", { lineEnd: { label: "x", type: "u8", blurb: "x" } })).toThrow();
    expect(() => defineFields("text", { "line..end": { label: "x", type: "u8", blurb: "x" } })).toThrow();
  });
});

describe("value names, bytes and text", () => {
  const OPCODES = namesOf({ Text: 1, Binary: 2 } as const);

  it("names values, with a fallback", () => {
    expect(valueName(OPCODES, 1)).toBe("Text");
    expect(valueName(OPCODES, 9)).toBe("Unknown");
    expect(valueName(undefined, 9, "?")).toBe("?");
  });

  it("shows bytes as hex pairs, the first ones of a long run", () => {
    expect(hexPairs(new Uint8Array([0x48, 0x0a]))).toBe("48 0a");
    expect(hexPairs(new Uint8Array(20), 4)).toBe("00 00 00 00");
    expect(hexPairs(new Uint8Array())).toBe("");
    expect(hexPreview(new Uint8Array(20), 4)).toBe("00 00 00 00 …");
    expect(hexPreview(new Uint8Array([0xe2, 0x82]))).toBe("e2 82");
  });

  it("escapes text and says where it was cut", () => {
    expect(escapeText("ab\n", 60)).toEqual({ shown: "ab\\n", cut: false });
    expect(escapeText("abcdef", 3)).toEqual({ shown: "abc", cut: true });
  });

  it("quotes text with escapes and stops at a whole character", () => {
    expect(quoteText('a"\\\r\n\t\x00\x7f\u0085я')).toBe('"a\\"\\\\\\r\\n\\t\\x00\\x7f\\u0085я"');
    expect(quoteText("hello world", 5)).toBe('"hello"…');
    expect(quoteText("ab\n", 3)).toBe('"ab"…');
    expect(quoteText("👋👋", 3)).toBe('"👋"…');
  });
});
