// struct.ts against CPython's own struct module: one run of Debian's /usr/bin/python3 computes calcsize, pack and
// unpack (or the error) for a table of formats and for fuzzed ones, and every answer must match byte for byte and
// word for word. Fuzzed formats never throw anything but StructError.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  bytes,
  calcsize,
  compileStruct,
  float,
  float32Parts,
  int,
  pack,
  pyFloatRepr,
  pyRepr,
  pyTupleRepr,
  StructError,
  structFields,
  structTree,
  unpack,
  type StructValue,
} from "./struct";

const PYTHON = "/usr/bin/python3";

interface Case {
  readonly kind: "calcsize" | "pack" | "unpack";
  readonly fmt: string;
  readonly values?: readonly StructValue[];
  readonly hex?: string;
}

/** What Python says: `ok <hex or repr>` or `err <type> <message>`. */
function python(cases: readonly Case[]): string[] {
  const script = String.raw`
import json, struct, sys
cases = json.load(sys.stdin)
out = []
for c in cases:
    try:
        if c["kind"] == "calcsize":
            r = str(struct.calcsize(c["fmt"]))
        elif c["kind"] == "pack":
            args = eval(c["args"], {"inf": float("inf"), "nan": float("nan")})
            r = struct.pack(c["fmt"], *args).hex()
        else:
            r = repr(struct.unpack(c["fmt"], bytes.fromhex(c["hex"])))
        out.append("ok " + r)
    except Exception as e:
        name = "struct.error" if isinstance(e, struct.error) else type(e).__name__
        out.append("err " + name + " " + str(e))
print(json.dumps(out))
`;
  const input = cases.map((c) => ({ kind: c.kind, fmt: c.fmt, hex: c.hex ?? "", args: `(${(c.values ?? []).map((v) => `${pyRepr(v)},`).join("")})` }));
  const run = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

function ours(c: Case): string {
  try {
    if (c.kind === "calcsize") return `ok ${calcsize(c.fmt)}`;
    if (c.kind === "pack") return `ok ${toHex(pack(c.fmt, c.values ?? []))}`;
    return `ok ${pyTupleRepr(unpack(c.fmt, fromHex(c.hex ?? "")))}`;
  } catch (err) {
    if (!(err instanceof StructError)) throw err;
    return `err ${err.pythonType} ${err.message}`;
  }
}

const b = (s: string) => bytes(s);
const CASES: Case[] = [
  // The seed's three formats.
  { kind: "pack", fmt: "If", values: [int(42), float(3.14)] },
  { kind: "pack", fmt: "4sL", values: [b("\xe0\x00\x00\x64"), int(0)] },
  { kind: "pack", fmt: "b", values: [int(1)] },
  { kind: "unpack", fmt: "If", hex: "2a000000c3f54840" },
  { kind: "pack", fmt: "<If", values: [int(42), float(3.14)] },
  { kind: "pack", fmt: ">If", values: [int(42), float(3.14)] },
  { kind: "pack", fmt: "!HHI", values: [int(8889), int(53), int(0xdeadbeef)] },
  { kind: "pack", fmt: "=bhiq", values: [int(-1), int(-2), int(-3), int(-4)] },
  { kind: "pack", fmt: "@bhiq", values: [int(-1), int(-2), int(-3), int(-4)] },
  { kind: "pack", fmt: "@c i ? d", values: [b("A"), int(7), { kind: "bool", value: true }, float(-0.5)] },
  { kind: "pack", fmt: "<3I2x4s", values: [int(1), int(2), int(3), b("abcdef")] },
  { kind: "pack", fmt: "10p", values: [b("hello")] },
  { kind: "pack", fmt: "3p", values: [b("abcdef")] },
  { kind: "pack", fmt: "0s0p", values: [b("abc"), b("abc")] },
  { kind: "pack", fmt: "<eeee", values: [float(1.5), float(65504), float(5.960464477539063e-8), float(-0.0)] },
  { kind: "pack", fmt: "<e", values: [float(2 ** -25)] },
  { kind: "pack", fmt: "<e", values: [float(0.1)] },
  { kind: "pack", fmt: "<e", values: [float(65520)] },
  { kind: "pack", fmt: "e", values: [float(NaN)] },
  { kind: "pack", fmt: "<f", values: [float(1e39)] },
  { kind: "pack", fmt: "f", values: [float(1e39)] },
  { kind: "pack", fmt: "<f", values: [float(Infinity)] },
  { kind: "pack", fmt: "<f", values: [float(2 ** 128 - 2 ** 103 - 2 ** 75)] },
  { kind: "pack", fmt: "<f", values: [float(2 ** 128 - 2 ** 103)] },
  { kind: "pack", fmt: "<f", values: [float(1e-46)] },
  { kind: "pack", fmt: ">d", values: [int(1)] },
  { kind: "pack", fmt: "<qQ", values: [int(-(2n ** 63n)), int(2n ** 64n - 1n)] },
  { kind: "pack", fmt: "nNP", values: [int(-5), int(5), int(-1)] },
  { kind: "pack", fmt: "?", values: [{ kind: "none" }] },
  { kind: "pack", fmt: "?", values: [b("")] },
  { kind: "pack", fmt: "?", values: [{ kind: "str", value: "x" }] },
  { kind: "pack", fmt: "i", values: [{ kind: "bool", value: true }] },
  { kind: "pack", fmt: "x" },
  // Errors, each as CPython words it.
  { kind: "pack", fmt: "b", values: [int(200)] },
  { kind: "pack", fmt: "<B", values: [int(-1)] },
  { kind: "pack", fmt: "h", values: [int(70000)] },
  { kind: "pack", fmt: "<H", values: [int(70000)] },
  { kind: "pack", fmt: "i", values: [int(2n ** 31n)] },
  { kind: "pack", fmt: "<l", values: [int(-(2n ** 31n) - 1n)] },
  { kind: "pack", fmt: "I", values: [int(-1)] },
  { kind: "pack", fmt: "<I", values: [int(2n ** 32n)] },
  { kind: "pack", fmt: "<L", values: [int(2n ** 32n)] },
  { kind: "pack", fmt: "l", values: [int(2n ** 63n)] },
  { kind: "pack", fmt: "<Q", values: [int(2n ** 64n)] },
  { kind: "pack", fmt: "P", values: [int(2n ** 64n)] },
  { kind: "pack", fmt: "i", values: [float(1.5)] },
  { kind: "pack", fmt: "b", values: [float(1)] },
  { kind: "pack", fmt: "f", values: [{ kind: "str", value: "x" }] },
  { kind: "pack", fmt: "c", values: [b("ab")] },
  { kind: "pack", fmt: "c", values: [int(1)] },
  { kind: "pack", fmt: "s", values: [{ kind: "str", value: "a" }] },
  { kind: "pack", fmt: "p", values: [int(1)] },
  { kind: "pack", fmt: "ii", values: [int(1)] },
  { kind: "pack", fmt: "3x", values: [int(1)] },
  { kind: "pack", fmt: "<P", values: [int(1)] },
  { kind: "unpack", fmt: "If", hex: "616263" },
  { kind: "unpack", fmt: "<?", hex: "02" },
  { kind: "unpack", fmt: "<e", hex: "007c" },
  { kind: "unpack", fmt: "<f", hex: "0000c07f" },
  { kind: "unpack", fmt: "2p", hex: "0561" },
  { kind: "unpack", fmt: "5p", hex: "ff61626364" },
  { kind: "unpack", fmt: "c4s", hex: "27616227ff" },
  { kind: "unpack", fmt: ">dd", hex: "3ff0000000000000" + "0000000000000001" },
  { kind: "unpack", fmt: "<ff", hex: "0000803f" + "cdcccc3d" },
  { kind: "unpack", fmt: "<ddd", hex: "000000000000f03f" + "2d431cebe2361a3f" + "0000000000003043" },
  { kind: "calcsize", fmt: "@b0i" },
  { kind: "calcsize", fmt: "@i0s" },
  { kind: "calcsize", fmt: " <i" },
  { kind: "calcsize", fmt: "<i \t\n" },
  { kind: "calcsize", fmt: "3" },
  { kind: "calcsize", fmt: "3 i" },
  { kind: "calcsize", fmt: "<n" },
  { kind: "calcsize", fmt: "<<" },
  { kind: "calcsize", fmt: "" },
  { kind: "calcsize", fmt: "z" },
  { kind: "calcsize", fmt: "9999999999999999999i" },
  { kind: "calcsize", fmt: "99999999999999999999i" },
  { kind: "calcsize", fmt: "1000000000000000000x" },
  { kind: "calcsize", fmt: "i\0i" },
  { kind: "calcsize", fmt: "iébad" },
  { kind: "calcsize", fmt: "@bHbIbQbe" },
];

/** A deterministic PRNG (mulberry32), so a failure replays. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = "xcbB?hHiIlLqQnNefdspP@=<>! 0123456789";
const JUNK = ["z", "\t", "%", "é", "\0", "-", "99999999999999999999"];

function fuzzFormats(count: number): string[] {
  const next = prng(20261204);
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let fmt = "";
    const length = Math.floor(next() * 10);
    for (let j = 0; j < length; j++) {
      fmt += next() < 0.05 ? JUNK[Math.floor(next() * JUNK.length)] : ALPHABET[Math.floor(next() * ALPHABET.length)];
    }
    out.push(fmt);
  }
  return out;
}

describe("struct against CPython", () => {
  it("calcsize, pack and unpack give Python's bytes, values and errors for the table", () => {
    const expected = python(CASES);
    const got = CASES.map(ours);
    for (let k = 0; k < CASES.length; k++) expect(got[k], `${CASES[k]!.kind} ${JSON.stringify(CASES[k]!.fmt)}`).toBe(expected[k]);
  });

  it("fuzzed formats: calcsize and the unpacking of random bytes agree, and nothing throws but StructError", () => {
    const next = prng(7);
    const formats = fuzzFormats(600);
    const cases: Case[] = [];
    for (const fmt of formats) {
      cases.push({ kind: "calcsize", fmt });
      let size = 0;
      try {
        size = calcsize(fmt);
      } catch (err) {
        expect(err).toBeInstanceOf(StructError);
      }
      if (size <= 4096) {
        // Random bytes of the right size, and of one byte too few.
        const hex = Array.from({ length: size }, () => Math.floor(next() * 256).toString(16).padStart(2, "0")).join("");
        cases.push({ kind: "unpack", fmt, hex }, { kind: "unpack", fmt, hex: hex.slice(2) });
      }
    }
    const expected = python(cases);
    let agreed = 0;
    for (let k = 0; k < cases.length; k++) {
      const c = cases[k]!;
      // Python 3.11 raises SystemError for unpacking "0p"; ours says the same words.
      expect(ours(c), `${c.kind} ${JSON.stringify(c.fmt)} ${c.hex ?? ""}`).toBe(expected[k]);
      agreed++;
    }
    expect(agreed).toBe(cases.length);
    expect(cases.length).toBeGreaterThan(1000);
  });

  it("round-trips pack(unpack(bytes)) for fuzzed formats whose values survive", () => {
    const next = prng(99);
    let checked = 0;
    for (const fmt of fuzzFormats(400)) {
      let layout;
      try {
        layout = compileStruct(fmt);
      } catch (err) {
        expect(err).toBeInstanceOf(StructError);
        continue;
      }
      if (layout.size > 4096 || /[efdp?]/.test(fmt)) continue; // NaN payloads, Pascal lengths and bools do not round-trip
      const data = Uint8Array.from({ length: layout.size }, () => Math.floor(next() * 256));
      // Pad bytes pack as zeros.
      for (const field of structFields(layout)) if (field.item < 0) data.fill(0, field.offset, field.offset + field.size);
      expect(pack(layout, unpack(layout, data)), fmt).toEqual(data);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe("struct layout", () => {
  it("lays out the seed's 'If' natively: u32 at 0, f32 at 4, little endian, 8 bytes", () => {
    const layout = compileStruct("If");
    expect(layout).toMatchObject({ byteOrder: "@", native: true, littleEndian: true, size: 8, items: 2 });
    expect(structFields(layout).map((f) => [f.code, f.offset, f.size])).toEqual([
      ["I", 0, 4],
      ["f", 4, 4],
    ]);
    expect(structFields(compileStruct("bi")).map((f) => [f.code, f.offset, f.size])).toEqual([
      ["b", 0, 1],
      ["align", 1, 3],
      ["i", 4, 4],
    ]);
    expect(structFields(compileStruct("=bi")).map((f) => [f.code, f.offset, f.size])).toEqual([
      ["b", 0, 1],
      ["i", 1, 4],
    ]);
  });

  it("shows why 3.14 comes back as 3.140000104904175, bit by bit", () => {
    const p = float32Parts(3.14);
    expect(p.bits).toBe(0x4048f5c3n);
    expect([p.sign, p.biasedExponent, p.exponent, p.mantissa]).toEqual([0, 128, 1, 0x48f5c3n]);
    expect(p.class).toBe("normal");
    expect(p.repr).toBe("3.140000104904175");
    expect(p.exact).toBe("3.1400001049041748046875");
    expect(p.shortest).toBe("3.14");
    expect(float32Parts(-0.0)).toMatchObject({ sign: 1, class: "zero", repr: "-0.0" });
    expect(float32Parts(1e-45)).toMatchObject({ class: "subnormal", exponent: -126, mantissa: 1n });
  });

  it("prints floats as Python's repr does", () => {
    expect([1, 0.1, 1e16, 1e-5, 0.0001, 123456789012345680, -2.5e-300, 42.0].map(pyFloatRepr)).toEqual([
      "1.0",
      "0.1",
      "1e+16",
      "1e-05",
      "0.0001",
      "1.2345678901234568e+17",
      "-2.5e-300",
      "42.0",
    ]);
  });

  it("builds a field tree with byte ranges: 42 at 0-3, the float and its bits at 4-7", () => {
    const { fields, truncated } = structTree("If", fromHex("2a000000c3f54840"));
    expect(truncated).toBe(false);
    expect(fields.map((n) => [n.id, n.offset, n.length, n.value])).toEqual([
      ["struct.uint32", 0, 4, { format: "number", value: 42 }],
      ["struct.float32", 4, 4, { format: "plain", text: "3.140000104904175" }],
    ]);
    expect(fields[1]!.children.map((n) => [n.id, n.offset, n.length, n.bitmask])).toEqual([
      ["struct.sign", 4, 4, 0x80000000],
      ["struct.exponent", 4, 4, 0x7f800000],
      ["struct.mantissa", 4, 4, 0x7fffff],
    ]);
    const short = structTree("If", fromHex("2a000000c3f5"));
    expect(short.truncated).toBe(true);
  });

  it("refuses formats too large to lay out, with its own code", () => {
    expect(() => pack("100000000x", [])).toThrow(expect.objectContaining({ code: "too_large" }));
    expect(calcsize("100000000x")).toBe(100000000);
  });
});
