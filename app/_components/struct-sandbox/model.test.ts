// The sandbox's model: Python literals and hex as a student types them, and what the sandbox shows for the
// seed's formats, for CPython's errors and for input it cannot read.
import { describe, expect, it } from "vitest";
import { evaluate, parseHex, parseValues } from "./model";

describe("struct sandbox input", () => {
  it("reads Python literals", () => {
    const parsed = parseValues(" 42, 3.14, -0x10, 1_000, b'a\\x00\\'', \"s\", True, None, float('-inf'), 1e3, ");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toEqual([
      { kind: "int", value: 42n },
      { kind: "float", value: 3.14 },
      { kind: "int", value: -16n },
      { kind: "int", value: 1000n },
      { kind: "bytes", value: Uint8Array.from([0x61, 0, 0x27]) },
      { kind: "str", value: "s" },
      { kind: "bool", value: true },
      { kind: "none" },
      { kind: "float", value: -Infinity },
      { kind: "float", value: 1000 },
    ]);
    expect(parseValues("")).toEqual({ ok: true, value: [] });
  });

  it("says which value it cannot read", () => {
    expect(parseValues("1, pi")).toEqual({ ok: false, problem: { kind: "value", index: 1, text: "pi" } });
    expect(parseValues("0777")).toMatchObject({ ok: false, problem: { kind: "value", index: 0 } });
    expect(parseValues("b'é'")).toEqual({ ok: false, problem: { kind: "bytes_ascii", index: 0 } });
  });

  it("reads hex with spaces, colons and prefixes, and names a bad digit", () => {
    expect(parseHex("2a 00:00 0x00 \\xc3f54840")).toEqual({ ok: true, value: Uint8Array.from([0x2a, 0, 0, 0, 0xc3, 0xf5, 0x48, 0x40]) });
    expect(parseHex("2g")).toEqual({ ok: false, problem: { kind: "hex_char", char: "g", at: 1 } });
    expect(parseHex("abc")).toEqual({ ok: false, problem: { kind: "hex_odd" } });
  });
});

describe("struct sandbox results", () => {
  it("packs the seed's reply and reads it back with 3.14 as float32", () => {
    const result = evaluate("<If", "pack", "42, 3.14");
    expect(result.kind).toBe("ok");
    if (result.kind !== "ok") return;
    expect(Array.from(result.data)).toEqual([0x2a, 0, 0, 0, 0xc3, 0xf5, 0x48, 0x40]);
    expect(result.tuple).toBe("(42, 3.140000104904175)");
    expect(result.frame.fields.map((f) => [f.id, f.path, f.offset, f.length, f.args])).toEqual([
      ["struct.uint32", "0", 0, 4, { value: "42" }],
      ["struct.float32", "1", 4, 4, { text: "3.140000104904175" }],
    ]);
    expect(result.frame.fields[1]?.children.map((f) => f.path)).toEqual(["1.0", "1.1", "1.2"]);
  });

  it("unpacks typed bytes, and shows CPython's errors", () => {
    expect(evaluate("!HHI", "unpack", "22b9 0035 deadbeef")).toMatchObject({ kind: "ok", tuple: "(8889, 53, 3735928559)" });
    expect(evaluate("If", "unpack", "2a00")).toMatchObject({ kind: "struct_error", error: { code: "buffer_size", message: "unpack requires a buffer of 8 bytes" } });
    expect(evaluate("<Iz", "pack", "1")).toMatchObject({ kind: "format_error", error: { code: "bad_char", message: "bad char in struct format" } });
    expect(evaluate("b", "pack", "200")).toMatchObject({ kind: "struct_error", error: { message: "byte format requires -128 <= number <= 127" } });
    expect(evaluate("<f", "pack", "1e39")).toMatchObject({ kind: "struct_error", error: { pythonType: "OverflowError" } });
    expect(evaluate("i", "pack", "x")).toMatchObject({ kind: "input_error", problem: { kind: "value", index: 0 } });
  });
});
