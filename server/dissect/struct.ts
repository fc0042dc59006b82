// Python's `struct` module in TypeScript: a format string (`<If`, `!HHI`, `4sL`) compiled into a table of fields
// with exact offsets, sizes and byte order, and `calcsize`, `pack` and `unpack` that give the bytes and the errors
// CPython gives. Sources: the Python documentation, "struct — Interpret bytes as packed binary data", and CPython
// 3.11's Modules/_struct.c (prepare_s, align, the native and standard tables, the np_*/lp_*/bp_* packers and their
// error messages) and Objects/floatobject.c (PyFloat_Pack2/Pack4). Native mode ('@', the default) is CPython's on
// x86-64 Linux: little endian, C sizes (long and size_t 8 bytes) and C alignment before each item.
// ISOMORPHIC: the struct sandbox page imports this.

import { createCursor, type Cursor } from "./core/cursor";
import { defineFields } from "./core/fields";
import type { FieldValue } from "./core/formats";
import type { FieldNode, FieldSpec } from "./core/types";

/** The closed set of StructError codes; tests assert these, the message is CPython's text. */
export const STRUCT_ERROR_CODES = [
  "not_ascii",
  "embedded_null",
  "bad_char",
  "repeat_count",
  "size_too_long",
  "item_count",
  "not_integer",
  "not_float",
  "int_range",
  "int_too_large",
  "float_overflow",
  "char_length",
  "not_bytes",
  "buffer_size",
  "negative_size",
  "too_large",
] as const;
export type StructErrorCode = (typeof STRUCT_ERROR_CODES)[number];

/** The Python exception CPython raises for each: mostly struct.error. */
export type PythonErrorType = "struct.error" | "OverflowError" | "UnicodeEncodeError" | "ValueError" | "SystemError" | "MemoryError";

const PY_TYPE: Readonly<Record<StructErrorCode, PythonErrorType>> = {
  not_ascii: "UnicodeEncodeError",
  embedded_null: "struct.error",
  bad_char: "struct.error",
  repeat_count: "struct.error",
  size_too_long: "struct.error",
  item_count: "struct.error",
  not_integer: "struct.error",
  not_float: "struct.error",
  int_range: "struct.error",
  int_too_large: "struct.error",
  float_overflow: "OverflowError",
  char_length: "struct.error",
  not_bytes: "struct.error",
  buffer_size: "struct.error",
  negative_size: "SystemError",
  too_large: "MemoryError",
};

/** What the struct module raises: `code` is stable, `message` is CPython's own text, `pythonType` its exception. */
export class StructError extends Error {
  override name = "StructError";
  readonly code: StructErrorCode;
  readonly pythonType: PythonErrorType;
  constructor(code: StructErrorCode, message: string) {
    super(message);
    this.code = code;
    this.pythonType = PY_TYPE[code];
  }
  /** As a Python traceback's last line shows it: `struct.error: bad char in struct format`. */
  get pythonText(): string {
    return `${this.pythonType}: ${this.message}`;
  }
}

/** The format codes. */
export type StructCode = "x" | "c" | "b" | "B" | "?" | "h" | "H" | "i" | "I" | "l" | "L" | "q" | "Q" | "n" | "N" | "e" | "f" | "d" | "s" | "p" | "P";

type Kind = "pad" | "char" | "int" | "bool" | "float" | "string" | "pascal" | "pointer";

interface Entry {
  readonly kind: Kind;
  readonly size: number;
  /** Native alignment (0: none), as CPython's native table. */
  readonly align: number;
  readonly signed: boolean;
}

const e = (kind: Kind, size: number, align: number, signed = false): Entry => ({ kind, size, align, signed });

/** CPython's native_table on x86-64 Linux (LP64). */
const NATIVE: Readonly<Record<string, Entry>> = {
  x: e("pad", 1, 0),
  b: e("int", 1, 0, true),
  B: e("int", 1, 0),
  c: e("char", 1, 0),
  s: e("string", 1, 0),
  p: e("pascal", 1, 0),
  h: e("int", 2, 2, true),
  H: e("int", 2, 2),
  i: e("int", 4, 4, true),
  I: e("int", 4, 4),
  l: e("int", 8, 8, true),
  L: e("int", 8, 8),
  n: e("int", 8, 8, true),
  N: e("int", 8, 8),
  q: e("int", 8, 8, true),
  Q: e("int", 8, 8),
  "?": e("bool", 1, 1),
  e: e("float", 2, 2),
  f: e("float", 4, 4),
  d: e("float", 8, 8),
  P: e("pointer", 8, 8),
};

/** CPython's lilendian_table / bigendian_table: standard sizes, no alignment, no n, N or P. */
const STANDARD: Readonly<Record<string, Entry>> = {
  x: e("pad", 1, 0),
  b: e("int", 1, 0, true),
  B: e("int", 1, 0),
  c: e("char", 1, 0),
  s: e("string", 1, 0),
  p: e("pascal", 1, 0),
  h: e("int", 2, 0, true),
  H: e("int", 2, 0),
  i: e("int", 4, 0, true),
  I: e("int", 4, 0),
  l: e("int", 4, 0, true),
  L: e("int", 4, 0),
  q: e("int", 8, 0, true),
  Q: e("int", 8, 0),
  "?": e("bool", 1, 0),
  e: e("float", 2, 0),
  f: e("float", 4, 0),
  d: e("float", 8, 0),
};

export type ByteOrderChar = "@" | "=" | "<" | ">" | "!";

/** One code of the format as written, with its count: `3I` at position 1. */
export interface StructToken {
  readonly code: StructCode;
  readonly count: number;
  /** Where it starts in the format string, its count included, and how many characters it takes. */
  readonly at: number;
  readonly text: string;
  /** Offset of its first byte (after any alignment padding) and the bytes it takes. */
  readonly offset: number;
  readonly size: number;
  /** Alignment padding before it (native mode only). */
  readonly padding: number;
}

/** One field of the table: a value, a pad run, or alignment padding. */
export interface StructField {
  /** "align" for alignment padding the format does not name. */
  readonly code: StructCode | "align";
  readonly offset: number;
  readonly size: number;
  /** Index of the value it packs or unpacks, -1 for padding. */
  readonly item: number;
  /** Index of the token it comes from. */
  readonly token: number;
}

export interface StructLayout {
  readonly format: string;
  readonly byteOrder: ByteOrderChar;
  /** Native sizes and alignment ('@' only). */
  readonly native: boolean;
  readonly littleEndian: boolean;
  readonly size: number;
  /** How many values pack takes and unpack gives. */
  readonly items: number;
  readonly tokens: readonly StructToken[];
}

const PY_SSIZE_T_MAX = (1n << 63n) - 1n;
/**
 * The largest struct this module packs, unpacks or lists field by field: 16 MiB. CPython would try to allocate
 * whatever calcsize says; a page should not.
 */
export const MAX_STRUCT_BYTES = 1 << 24;

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\x0b" || c === "\x0c";
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

function pyCharRepr(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x100) return `'\\x${cp.toString(16).padStart(2, "0")}'`;
  if (cp < 0x10000) return `'\\u${cp.toString(16).padStart(4, "0")}'`;
  return `'\\U${cp.toString(16).padStart(8, "0")}'`;
}

/** Compiles a format as CPython's Struct() does (prepare_s): the same sizes, alignment and errors. */
export function compileStruct(format: string): StructLayout {
  // Struct() encodes a str format as ASCII first, then refuses an embedded NUL.
  const chars = [...format];
  const first = chars.findIndex((ch) => (ch.codePointAt(0) ?? 0) > 0x7f);
  if (first >= 0) {
    // The ASCII codec reports the whole run of characters it cannot encode.
    let end = first + 1;
    while (end < chars.length && (chars[end]?.codePointAt(0) ?? 0) > 0x7f) end++;
    const what = end - first === 1 ? `character ${pyCharRepr(chars[first] as string)} in position ${first}` : `characters in position ${first}-${end - 1}`;
    throw new StructError("not_ascii", `'ascii' codec can't encode ${what}: ordinal not in range(128)`);
  }
  if (format.includes("\0")) throw new StructError("embedded_null", "embedded null character");
  let i = 0;
  let byteOrder: ByteOrderChar = "@";
  const lead = format[0];
  if (lead === "@" || lead === "=" || lead === "<" || lead === ">" || lead === "!") {
    byteOrder = lead;
    i = 1;
  }
  const native = byteOrder === "@";
  const table = native ? NATIVE : STANDARD;
  const tokens: StructToken[] = [];
  let size = 0n;
  let items = 0;
  const overflow = () => new StructError("size_too_long", "total struct size too long");
  while (i < format.length) {
    const at = i;
    let c = format[i++] as string;
    if (isSpace(c)) continue;
    let num = 1n;
    if (isDigit(c)) {
      num = BigInt(c);
      while (isDigit(format[i])) {
        num = num * 10n + BigInt(format[i] as string);
        if (num > PY_SSIZE_T_MAX) throw overflow();
        i++;
      }
      if (i >= format.length) throw new StructError("repeat_count", "repeat count given without format specifier");
      c = format[i++] as string;
    }
    const entry = table[c];
    if (!entry) throw new StructError("bad_char", "bad char in struct format");
    let padding = 0n;
    if (entry.align && size > 0n) {
      const a = BigInt(entry.align);
      padding = (a - 1n) - ((size - 1n) % a);
      if (size + padding > PY_SSIZE_T_MAX) throw overflow();
    }
    size += padding;
    const itemsize = BigInt(entry.size);
    if (num > (PY_SSIZE_T_MAX - size) / itemsize) throw overflow();
    const offset = size;
    size += num * itemsize;
    if (entry.kind === "string" || entry.kind === "pascal") items += 1;
    else if (entry.kind !== "pad") items += Number(num);
    tokens.push({
      code: c as StructCode,
      count: Number(num),
      at,
      text: format.slice(at, i),
      offset: Number(offset),
      size: Number(num * itemsize),
      padding: Number(padding),
    });
  }
  return { format, byteOrder, native, littleEndian: byteOrder === "<" || byteOrder === "@" || byteOrder === "=", size: Number(size), items, tokens };
}

/** struct.calcsize. */
export function calcsize(format: string): number {
  return compileStruct(format).size;
}

function tooLarge(layout: StructLayout): StructError | undefined {
  return layout.size > MAX_STRUCT_BYTES || layout.items > MAX_STRUCT_BYTES
    ? new StructError("too_large", `this sandbox packs at most ${MAX_STRUCT_BYTES} bytes; the format needs ${layout.size}`)
    : undefined;
}

/** The table of fields, one per value, pad run and alignment gap, in byte order. */
export function structFields(layout: StructLayout): StructField[] {
  const big = tooLarge(layout);
  if (big) throw big;
  const fields: StructField[] = [];
  let item = 0;
  layout.tokens.forEach((t, token) => {
    if (t.padding > 0) fields.push({ code: "align", offset: t.offset - t.padding, size: t.padding, item: -1, token });
    const entry = (layout.native ? NATIVE : STANDARD)[t.code] as Entry;
    if (entry.kind === "pad") {
      if (t.size > 0) fields.push({ code: t.code, offset: t.offset, size: t.size, item: -1, token });
    } else if (entry.kind === "string" || entry.kind === "pascal") {
      fields.push({ code: t.code, offset: t.offset, size: t.size, item: item++, token });
    } else {
      for (let k = 0; k < t.count; k++) fields.push({ code: t.code, offset: t.offset + k * entry.size, size: entry.size, item: item++, token });
    }
  });
  return fields;
}

// ---------------------------------------------------------------------------------------------------------------
// Values, as Python has them

/** A Python value that pack takes or unpack gives. */
export type StructValue =
  | { readonly kind: "int"; readonly value: bigint }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "bytes"; readonly value: Uint8Array }
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "none" };

export const int = (value: number | bigint): StructValue => ({ kind: "int", value: BigInt(value) });
export const float = (value: number): StructValue => ({ kind: "float", value });
export const bytes = (value: Uint8Array | string): StructValue => ({
  kind: "bytes",
  value: typeof value === "string" ? Uint8Array.from(value, (ch) => ch.charCodeAt(0) & 0xff) : value,
});

/** Python's truth value (for '?'). */
function truthy(v: StructValue): boolean {
  switch (v.kind) {
    case "int":
      return v.value !== 0n;
    case "float":
      return v.value !== 0;
    case "bool":
      return v.value;
    case "bytes":
      return v.value.length > 0;
    case "str":
      return v.value.length > 0;
    case "none":
      return false;
  }
}

/** An int for an integer code (bool is an int), else undefined. */
function asInt(v: StructValue): bigint | undefined {
  if (v.kind === "int") return v.value;
  if (v.kind === "bool") return v.value ? 1n : 0n;
  return undefined;
}

/** A float for a float code (int and bool convert), else undefined. */
function asFloat(v: StructValue): number | undefined {
  if (v.kind === "float") return v.value;
  const n = asInt(v);
  return n === undefined ? undefined : Number(n);
}

/** CPython's range errors per code, mode and sign (_range_error and the np_/lp_ packers, 3.11). */
function intRange(code: StructCode, size: number, signed: boolean, n: bigint): StructError | undefined {
  const bits = BigInt(size * 8);
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (n >= min && n <= max) return undefined;
  const named: Partial<Record<StructCode, string>> = { b: "byte", B: "ubyte", h: "short", H: "ushort" };
  const word = named[code];
  if (word) return new StructError("int_range", `${word} format requires ${min} <= number <= ${max}`);
  // 4-byte ints: a negative for an unsigned one fails in the conversion, anything else names the range.
  if (size === 4 && (signed || n >= 0n)) return new StructError("int_range", `'${code}' format requires ${min} <= number <= ${max}`);
  return new StructError("int_range", "argument out of range");
}

// ---------------------------------------------------------------------------------------------------------------
// Floats: binary16 and binary32 from a double, rounded to nearest even, as PyFloat_Pack2/Pack4

function roundHalfEven(x: number): number {
  const fl = Math.floor(x);
  const diff = x - fl;
  if (diff > 0.5) return fl + 1;
  if (diff < 0.5) return fl;
  return fl % 2 === 0 ? fl : fl + 1;
}

/** The binary16 bits of a double, or undefined when it is finite but too large (CPython's OverflowError). */
export function halfBits(x: number): number | undefined {
  if (Number.isNaN(x)) return 0x7e00; // CPython packs a NaN as a quiet NaN, keeping its sign
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a < 2 ** -14) {
    // Subnormal: a multiple of 2^-24; rounding up may give the smallest normal, whose bits follow on.
    return sign | roundHalfEven(a / 2 ** -24);
  }
  let exp = Math.floor(Math.log2(a));
  if (2 ** exp > a) exp--;
  if (2 ** (exp + 1) <= a) exp++;
  let frac = roundHalfEven((a / 2 ** exp - 1) * 1024);
  if (frac === 1024) {
    frac = 0;
    exp++;
  }
  if (exp > 15) return undefined;
  return sign | ((exp + 15) << 10) | frac;
}

export function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  if (exp === 0) return sign * frac * 2 ** -24;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

// ---------------------------------------------------------------------------------------------------------------
// pack and unpack

function writeInt(view: DataView, offset: number, size: number, n: bigint, le: boolean): void {
  const wrapped = BigInt.asUintN(size * 8, n);
  for (let k = 0; k < size; k++) {
    const byte = Number((wrapped >> BigInt(8 * k)) & 0xffn);
    view.setUint8(le ? offset + k : offset + size - 1 - k, byte);
  }
}

function readInt(view: DataView, offset: number, size: number, signed: boolean, le: boolean): bigint {
  let n = 0n;
  for (let k = 0; k < size; k++) {
    const byte = BigInt(view.getUint8(le ? offset + size - 1 - k : offset + k));
    n = (n << 8n) | byte;
  }
  return signed ? BigInt.asIntN(size * 8, n) : n;
}

function byteValue(v: StructValue): Uint8Array | undefined {
  return v.kind === "bytes" ? v.value : undefined;
}

/** struct.pack: the bytes, or the StructError CPython would raise. */
export function pack(format: string | StructLayout, values: readonly StructValue[]): Uint8Array {
  const layout = typeof format === "string" ? compileStruct(format) : format;
  if (values.length !== layout.items) {
    throw new StructError("item_count", `pack expected ${layout.items} items for packing (got ${values.length})`);
  }
  const fields = structFields(layout);
  const out = new Uint8Array(layout.size);
  const view = new DataView(out.buffer);
  const le = layout.littleEndian;
  for (const field of fields) {
    if (field.item < 0) continue;
    const v = values[field.item] as StructValue;
    const code = field.code as StructCode;
    const entry = (layout.native ? NATIVE : STANDARD)[code] as Entry;
    switch (entry.kind) {
      case "int": {
        const n = asInt(v);
        if (n === undefined) throw new StructError("not_integer", "required argument is not an integer");
        const err = intRange(code, entry.size, entry.signed, n);
        if (err) throw err;
        writeInt(view, field.offset, entry.size, n, le);
        break;
      }
      case "pointer": {
        const n = asInt(v);
        if (n === undefined) throw new StructError("not_integer", "required argument is not an integer");
        if (n < -(1n << 63n) || n > (1n << 64n) - 1n) throw new StructError("int_too_large", "int too large to convert");
        writeInt(view, field.offset, 8, n, le);
        break;
      }
      case "bool":
        out[field.offset] = truthy(v) ? 1 : 0;
        break;
      case "char": {
        const b = byteValue(v);
        if (!b || b.length !== 1) throw new StructError("char_length", "char format requires a bytes object of length 1");
        out[field.offset] = b[0] as number;
        break;
      }
      case "string": {
        const b = byteValue(v);
        if (!b) throw new StructError("not_bytes", "argument for 's' must be a bytes object");
        out.set(b.subarray(0, field.size), field.offset);
        break;
      }
      case "pascal": {
        const b = byteValue(v);
        if (!b) throw new StructError("not_bytes", "argument for 'p' must be a bytes object");
        if (field.size === 0) break;
        const n = Math.min(b.length, field.size - 1);
        out.set(b.subarray(0, n), field.offset + 1);
        out[field.offset] = Math.min(n, 255);
        break;
      }
      case "float": {
        const x = asFloat(v);
        if (x === undefined) throw new StructError("not_float", "required argument is not a float");
        if (entry.size === 8) view.setFloat64(field.offset, x, le);
        else if (entry.size === 4) {
          const y = Math.fround(x);
          // Standard sizes check the rounding (PyFloat_Pack4); CPython 3.11's native 'f' casts to C float unchecked.
          if (!layout.native && !Number.isFinite(y) && Number.isFinite(x)) {
            throw new StructError("float_overflow", "float too large to pack with f format");
          }
          view.setFloat32(field.offset, Number.isNaN(x) ? NaN : y, le);
        } else {
          const h = halfBits(x);
          if (h === undefined) throw new StructError("float_overflow", "float too large to pack with e format");
          view.setUint16(field.offset, h, le);
        }
        break;
      }
      case "pad":
        break;
    }
  }
  return out;
}

/** struct.unpack: the values, or the StructError CPython would raise. */
export function unpack(format: string | StructLayout, data: Uint8Array): StructValue[] {
  const layout = typeof format === "string" ? compileStruct(format) : format;
  if (data.length !== layout.size) throw new StructError("buffer_size", `unpack requires a buffer of ${layout.size} bytes`);
  const fields = structFields(layout);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const values: StructValue[] = [];
  for (const field of fields) {
    if (field.item < 0) continue;
    values.push(unpackField(layout, field, data, view));
  }
  return values;
}

function unpackField(layout: StructLayout, field: StructField, data: Uint8Array, view: DataView): StructValue {
  const code = field.code as StructCode;
  const entry = (layout.native ? NATIVE : STANDARD)[code] as Entry;
  const le = layout.littleEndian;
  const at = field.offset;
  switch (entry.kind) {
    case "int":
      return { kind: "int", value: readInt(view, at, entry.size, entry.signed, le) };
    case "pointer":
      return { kind: "int", value: readInt(view, at, 8, false, le) };
    case "bool":
      return { kind: "bool", value: data[at] !== 0 };
    case "char":
    case "string":
      return { kind: "bytes", value: data.slice(at, at + field.size) };
    case "pascal": {
      if (field.size === 0) throw new StructError("negative_size", "Negative size passed to PyBytes_FromStringAndSize");
      const n = Math.min(data[at] as number, field.size - 1);
      return { kind: "bytes", value: data.slice(at + 1, at + 1 + n) };
    }
    case "float":
      if (entry.size === 8) return { kind: "float", value: view.getFloat64(at, le) };
      if (entry.size === 4) return { kind: "float", value: view.getFloat32(at, le) };
      return { kind: "float", value: halfValue(view.getUint16(at, le)) };
    case "pad":
      return { kind: "none" };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Python's repr

/** repr(float): the shortest decimal that reads back as the same double, in Python's notation. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa = "", expText = "0"] = x.toExponential().split("e");
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const exp = Number(expText);
  let out: string;
  if (exp >= -5 + 1 && exp < 16) {
    // Python's repr switches to exponent notation below 1e-4 and from 1e16 on.
    if (exp < 0) out = `0.${"0".repeat(-exp - 1)}${digits}`;
    else if (digits.length <= exp + 1) out = `${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
    else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return negative ? `-${out}` : out;
}

/** repr(bytes): b'...' with Python's quote choice and escapes. */
export function pyBytesRepr(b: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const c of b) {
    if (c === 0x27) hasSingle = true;
    if (c === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = `b${quote}`;
  for (const c of b) {
    if (c === 0x5c) out += "\\\\";
    else if (c === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += String.fromCharCode(c);
  }
  return `${out}${quote}`;
}

function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if ((ch.codePointAt(0) ?? 0) < 0x20 || ch === "\x7f") out += `\\x${(ch.codePointAt(0) ?? 0).toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

export function pyRepr(v: StructValue): string {
  switch (v.kind) {
    case "int":
      return v.value.toString();
    case "float":
      return pyFloatRepr(v.value);
    case "bool":
      return v.value ? "True" : "False";
    case "bytes":
      return pyBytesRepr(v.value);
    case "str":
      return pyStrRepr(v.value);
    case "none":
      return "None";
  }
}

/** A tuple as Python prints it: `(42, 3.140000104904175)`, `(1,)`, `()`. */
export function pyTupleRepr(values: readonly StructValue[]): string {
  if (values.length === 1) return `(${pyRepr(values[0] as StructValue)},)`;
  return `(${values.map(pyRepr).join(", ")})`;
}

// ---------------------------------------------------------------------------------------------------------------
// IEEE 754 bit by bit

export interface FloatParts {
  /** "e", "f" or "d": binary16, binary32, binary64. */
  readonly code: "e" | "f" | "d";
  readonly bits: bigint;
  readonly sign: 0 | 1;
  /** The exponent field as stored, and the power of two it means (the bias taken off; 1 - bias for subnormals). */
  readonly biasedExponent: number;
  readonly exponent: number;
  readonly bias: number;
  readonly mantissa: bigint;
  readonly mantissaBits: number;
  readonly exponentBits: number;
  readonly class: "zero" | "subnormal" | "normal" | "infinity" | "nan";
  /** The value as a double (what Python's unpack gives). */
  readonly value: number;
  /** Python's repr of it: 3.140000104904175. */
  readonly repr: string;
  /** Every decimal digit of the exact value: 3.1400001049041748046875. */
  readonly exact: string;
  /** The shortest decimal that rounds to the same value in this width (3.14 for float32's 3.1400001...). */
  readonly shortest: string;
}

const WIDTHS = { e: [5, 10], f: [8, 23], d: [11, 52] } as const;

/** The exact decimal expansion of a finite double. */
export function exactDecimal(x: number): string {
  if (!Number.isFinite(x)) return pyFloatRepr(x);
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    m |= 1n << 52n;
    exp = biased - 1075;
  }
  const sign = x < 0 ? "-" : "";
  if (exp >= 0) return `${sign}${(m << BigInt(exp)).toString()}`;
  // m / 2^k = m * 5^k / 10^k
  const k = -exp;
  const scaled = (m * 5n ** BigInt(k)).toString().padStart(k + 1, "0");
  const whole = scaled.slice(0, scaled.length - k);
  const frac = scaled.slice(scaled.length - k).replace(/0+$/, "");
  return `${sign}${whole}${frac ? `.${frac}` : ""}`;
}

/** The fields of an IEEE 754 value from its bits (as an unsigned integer of 16, 32 or 64 bits). */
export function floatParts(code: "e" | "f" | "d", bits: bigint): FloatParts {
  const [exponentBits, mantissaBits] = WIDTHS[code];
  const total = 1 + exponentBits + mantissaBits;
  const sign = Number((bits >> BigInt(total - 1)) & 1n) as 0 | 1;
  const biasedExponent = Number((bits >> BigInt(mantissaBits)) & ((1n << BigInt(exponentBits)) - 1n));
  const mantissa = bits & ((1n << BigInt(mantissaBits)) - 1n);
  const bias = 2 ** (exponentBits - 1) - 1;
  const maxExp = 2 ** exponentBits - 1;
  const cls = biasedExponent === maxExp ? (mantissa ? "nan" : "infinity") : biasedExponent === 0 ? (mantissa ? "subnormal" : "zero") : "normal";
  let value: number;
  if (code === "d") {
    const v = new DataView(new ArrayBuffer(8));
    v.setBigUint64(0, bits);
    value = v.getFloat64(0);
  } else if (code === "f") {
    const v = new DataView(new ArrayBuffer(4));
    v.setUint32(0, Number(bits));
    value = v.getFloat32(0);
  } else value = halfValue(Number(bits));
  const exponent = cls === "normal" ? biasedExponent - bias : 1 - bias;
  return {
    code,
    bits,
    sign,
    biasedExponent,
    exponent,
    bias,
    mantissa,
    mantissaBits,
    exponentBits,
    class: cls,
    value,
    repr: pyFloatRepr(value),
    exact: exactDecimal(value),
    shortest: shortestIn(code, value),
  };
}

/** The float32 breakdown of a number as pack('f') would store it. */
export function float32Parts(x: number): FloatParts {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x);
  return floatParts("f", BigInt(v.getUint32(0)));
}

function roundsTo(code: "e" | "f" | "d", x: number): number {
  if (code === "d") return x;
  if (code === "f") return Math.fround(x);
  const h = halfBits(x);
  return h === undefined ? NaN : halfValue(h);
}

/** The fewest significant digits that round back to `value` at this width, in Python's notation. */
function shortestIn(code: "e" | "f" | "d", value: number): string {
  if (!Number.isFinite(value) || value === 0 || code === "d") return pyFloatRepr(value);
  for (let p = 1; p <= 17; p++) {
    const candidate = Number(value.toPrecision(p));
    if (roundsTo(code, candidate) === value) return pyFloatRepr(candidate);
  }
  return pyFloatRepr(value);
}

// ---------------------------------------------------------------------------------------------------------------
// The field tree: a struct table over bytes, for the timeline and the sandbox

export const structFieldSpecs = defineFields("struct", {
  pad: { label: "Pad bytes (x)", type: "bytes", blurb: "Bytes the format skips with x: packed as zeros, ignored when unpacking." },
  align: {
    label: "Alignment padding",
    type: "bytes",
    blurb:
      "Bytes native mode (@, the default) inserts so that the next value starts at a multiple of its size, as a C compiler lays out a struct. The standard modes (= < > !) never add them.",
  },
  char: { label: "Character (c)", type: "bytes", blurb: "One byte, packed from and unpacked to a bytes object of length 1." },
  int8: { label: "Signed byte (b)", type: "u8", blurb: "A signed 8-bit integer, -128 to 127." },
  uint8: { label: "Unsigned byte (B)", type: "u8", blurb: "An unsigned 8-bit integer, 0 to 255." },
  bool: { label: "Boolean (?)", type: "bool", blurb: "One byte: pack stores 1 for a true value and 0 for a false one; unpack reads any byte but 0 as True." },
  int16: { label: "Signed short (h)", type: "u16", blurb: "A signed 16-bit integer in two's complement, -32768 to 32767." },
  uint16: { label: "Unsigned short (H)", type: "u16", blurb: "An unsigned 16-bit integer, 0 to 65535." },
  int32: { label: "Signed 32-bit integer (i, l)", type: "u32", blurb: "A signed 32-bit integer in two's complement. In native mode l is 8 bytes on 64-bit Linux." },
  uint32: { label: "Unsigned 32-bit integer (I, L)", type: "u32", blurb: "An unsigned 32-bit integer, 0 to 4294967295. In native mode L is 8 bytes on 64-bit Linux." },
  int64: { label: "Signed 64-bit integer (q, l, n)", type: "u64", blurb: "A signed 64-bit integer in two's complement (q; native l and n on 64-bit Linux)." },
  uint64: { label: "Unsigned 64-bit integer (Q, L, N, P)", type: "u64", blurb: "An unsigned 64-bit integer (Q; native L, N and P on 64-bit Linux)." },
  float16: { label: "Half-precision float (e)", type: "u16", blurb: "An IEEE 754 binary16 number: 1 sign bit, 5 exponent bits, 10 mantissa bits." },
  float32: {
    label: "Float (f)",
    type: "u32",
    blurb:
      "An IEEE 754 binary32 number: 1 sign bit, 8 exponent bits, 23 mantissa bits. Python widens it to a double when unpacking, so a number that float32 cannot hold exactly comes back as the float32 nearest to it.",
  },
  float64: { label: "Double (d)", type: "u64", blurb: "An IEEE 754 binary64 number, the same as a Python float: 1 sign bit, 11 exponent bits, 52 mantissa bits." },
  sign: { label: "Sign", type: "u32", blurb: "The top bit: 0 for a positive number, 1 for a negative one." },
  exponent: {
    label: "Exponent",
    type: "u32",
    blurb: "The power of two, stored with a bias added (127 for float32, 15 for binary16): the stored value minus the bias is the power.",
  },
  mantissa: {
    label: "Mantissa",
    type: "u32",
    blurb: "The fraction bits after the implied leading 1: the value is (1 + mantissa / 2^bits) × 2^exponent.",
  },
  string: { label: "Bytes (s)", type: "bytes", blurb: "A fixed number of bytes: pack cuts a longer bytes object and pads a shorter one with zeros." },
  pascal: {
    label: "Pascal string (p)",
    type: "bytes",
    blurb: "A length byte, then the bytes: the count includes the length byte, so 10p holds up to 9 bytes.",
  },
  "pascal.length": { label: "Length", type: "u8", blurb: "How many of the bytes that follow belong to the string (at most 255)." },
  "pascal.data": { label: "Data", type: "bytes", blurb: "The string's bytes, then zeros up to the count." },
});
const sf = structFieldSpecs;

function intSpec(code: StructCode, size: number): FieldSpec {
  const signed = code === "b" || code === "h" || code === "i" || code === "l" || code === "q" || code === "n";
  if (size === 1) return signed ? sf.int8 : sf.uint8;
  if (size === 2) return signed ? sf.int16 : sf.uint16;
  if (size === 4) return signed ? sf.int32 : sf.uint32;
  return signed ? sf.int64 : sf.uint64;
}

const FLOAT_MASKS = {
  e: { sign: 0x8000, exponent: 0x7c00, mantissa: 0x03ff },
  f: { sign: 0x80000000, exponent: 0x7f800000, mantissa: 0x007fffff },
} as const;

/** The node value of an unpacked value. */
function valueNode(v: StructValue, size: number): FieldValue {
  switch (v.kind) {
    case "int":
      return { format: "number", value: size === 8 ? v.value : Number(v.value) };
    case "float":
      return { format: "plain", text: pyFloatRepr(v.value) };
    case "bool":
      return { format: "flag", value: v.value };
    case "bytes":
      return { format: "plain", text: pyBytesRepr(v.value) };
    case "str":
    case "none":
      return { format: "plain", text: pyRepr(v) };
  }
}

/**
 * Adds the fields of a struct table to a cursor at its offset: one node per value (a float's sign, exponent and
 * mantissa as its children), pad runs and alignment gaps. The bytes must be the struct's whole size from the
 * cursor's offset; shorter bytes give the cursor's truncation finding and the fields that fit.
 */
export function addStructFields(cur: Cursor, layout: StructLayout): void {
  const base = cur.offset;
  const fields = structFields(layout);
  const data = cur.input.subarray(base, base + layout.size);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (const field of fields) {
    if (field.offset + field.size > data.length) {
      // Whatever is left reads as the cursor reads it: truncated nodes and one finding.
      const spec = field.code === "align" ? sf.align : field.code === "x" ? sf.pad : sf.string;
      cur.bytes(spec, field.size);
      if (cur.truncated) return;
      continue;
    }
    if (field.code === "align" || field.code === "x") {
      cur.bytes(field.code === "align" ? sf.align : sf.pad, field.size);
      continue;
    }
    const v = unpackField(layout, field, data, view);
    const code = field.code;
    switch (code) {
      case "c":
        cur.item(sf.char, 1, valueNode(v, 1));
        break;
      case "?":
        cur.item(sf.bool, 1, valueNode(v, 1));
        break;
      case "s":
        cur.item(sf.string, field.size, valueNode(v, field.size));
        break;
      case "p":
        cur.subtree(sf.pascal, field.size, (sub) => {
          if (field.size === 0) return;
          sub.u8(sf["pascal.length"]);
          sub.bytes(sf["pascal.data"], field.size - 1);
          return valueNode(v, field.size);
        });
        break;
      case "d":
        cur.item(sf.float64, 8, valueNode(v, 8));
        break;
      case "e":
      case "f": {
        const width = code === "f" ? 4 : 2;
        const raw = width === 4 ? view.getUint32(field.offset, layout.littleEndian) : view.getUint16(field.offset, layout.littleEndian);
        const parts = floatParts(code, BigInt(raw));
        const masks = FLOAT_MASKS[code];
        cur.subtree(code === "f" ? sf.float32 : sf.float16, width, (sub) => {
          sub.item(sf.sign, width, { format: "named", value: parts.sign, name: parts.sign ? "−" : "+" }, masks.sign);
          sub.back(width);
          const power = parts.class === "normal" || parts.class === "subnormal" ? `2^${parts.exponent}` : parts.class === "zero" ? "0" : parts.class === "nan" ? "NaN" : "∞";
          sub.item(sf.exponent, width, { format: "plain", text: `${parts.biasedExponent} → ${power}` }, masks.exponent);
          sub.back(width);
          sub.item(sf.mantissa, width, { format: "hex", value: Number(parts.mantissa), digits: code === "f" ? 6 : 3 }, masks.mantissa);
          return valueNode(v, width);
        });
        break;
      }
      default:
        cur.item(intSpec(code, field.size), field.size, valueNode(v, field.size));
    }
  }
}

/** The field tree of `bytes` read as `format`: what the sandbox shows; throws StructError for a bad format. */
export function structTree(format: string | StructLayout, data: Uint8Array): { fields: FieldNode[]; truncated: boolean } {
  const layout = typeof format === "string" ? compileStruct(format) : format;
  const cur = createCursor(data, "struct");
  addStructFields(cur, layout);
  return { fields: cur.frame("").fields, truncated: cur.truncated };
}
