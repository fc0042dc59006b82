// The struct sandbox's model: values typed as Python literals (42, 3.14, b'abc', True), bytes typed in hex, and
// a struct table turned into the timeline's Frame, so the sandbox shows it with the timeline's own field tree and
// bytes view. Pure functions; the component (struct-sandbox.tsx) only holds state.

import type { Frame } from "@/gen/lab/v1/timeline_pb";
import { argsOf } from "@/server/dissect/core/formats";
import type { FieldNode } from "@/server/dissect/core/types";
import {
  compileStruct,
  floatParts,
  pack,
  pyTupleRepr,
  StructError,
  structFields,
  structTree,
  unpack,
  type FloatParts,
  type StructLayout,
  type StructValue,
} from "@/server/dissect/struct";

/** Why typed input could not be read, with what the message needs. */
export type InputProblem =
  | { readonly kind: "value"; readonly index: number; readonly text: string }
  | { readonly kind: "bytes_ascii"; readonly index: number }
  | { readonly kind: "hex_char"; readonly char: string; readonly at: number }
  | { readonly kind: "hex_odd" };

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: InputProblem };

/** Splits at commas outside quotes; a trailing comma is allowed, as in a Python tuple. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      current += ch;
      if (ch === "\\" && i + 1 < text.length) current += text[++i];
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === ",") {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  const trimmed = parts.map((p) => p.trim());
  if (trimmed.length > 0 && trimmed[trimmed.length - 1] === "") trimmed.pop();
  return trimmed;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, "\\": 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, "0": 0 };

/** The body of a quoted literal (escapes decoded) as code points; undefined when malformed. */
function unescape(body: string): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== "\\") {
      out.push(ch.codePointAt(0) ?? 0);
      if ((ch.codePointAt(0) ?? 0) > 0xffff) i++;
      continue;
    }
    const next = body[++i];
    if (next === undefined) return undefined;
    if (next === "x") {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (next in SIMPLE_ESCAPES) out.push(SIMPLE_ESCAPES[next] as number);
    else out.push(92, next.codePointAt(0) ?? 0); // Python keeps an unknown escape as it is
  }
  return out;
}

const INT = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)$/;
const FLOAT = /^[+-]?(?:[0-9][0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9]+)?|\.[0-9_]+(?:[eE][+-]?[0-9]+)?)$/;
const SPECIAL_FLOAT = /^([+-]?)(?:float\(\s*['"]([+-]?)(inf|infinity|nan)['"]\s*\)|(inf|nan))$/i;

/** One Python literal: int, float, bool, None, bytes or str. */
export function parseValue(text: string, index: number): Parsed<StructValue> {
  const fail = (kind: "value" | "bytes_ascii" = "value"): Parsed<StructValue> => ({ ok: false, problem: kind === "value" ? { kind, index, text } : { kind, index } });
  const t = text.trim();
  const int = INT.exec(t);
  if (int) {
    const digits = (int[2] as string).replace(/_/g, "");
    // Python refuses leading zeros in a decimal int ("0777"), except for zero itself.
    if (/^0[0-9]/.test(digits) && !/^0+$/.test(digits)) return fail();
    const n = BigInt(digits);
    return { ok: true, value: { kind: "int", value: int[1] === "-" ? -n : n } };
  }
  if (FLOAT.test(t) && /[0-9]/.test(t)) return { ok: true, value: { kind: "float", value: Number(t.replace(/_/g, "")) } };
  const special = SPECIAL_FLOAT.exec(t);
  if (special) {
    const negative = (special[1] === "-") !== (special[2] === "-");
    const word = (special[3] ?? special[4] ?? "").toLowerCase();
    const value = word === "nan" ? NaN : Infinity;
    return { ok: true, value: { kind: "float", value: negative ? -value : value } };
  }
  if (t === "True" || t === "False") return { ok: true, value: { kind: "bool", value: t === "True" } };
  if (t === "None") return { ok: true, value: { kind: "none" } };
  const quoted = /^([bB]?)(['"])(.*)\2$/s.exec(t);
  if (quoted) {
    const body = quoted[3] as string;
    if (body.includes(quoted[2] as string) && !/\\['"]/.test(body)) return fail();
    const points = unescape(body);
    if (!points) return fail();
    if (quoted[1]) {
      if ([...body].some((ch) => (ch.codePointAt(0) ?? 0) > 0x7f)) return fail("bytes_ascii");
      return { ok: true, value: { kind: "bytes", value: Uint8Array.from(points, (p) => p & 0xff) } };
    }
    return { ok: true, value: { kind: "str", value: String.fromCodePoint(...points) } };
  }
  return fail();
}

/** Values separated by commas, as the arguments after the format in struct.pack(fmt, ...). */
export function parseValues(text: string): Parsed<StructValue[]> {
  const values: StructValue[] = [];
  const parts = splitTopLevel(text);
  for (const [index, part] of parts.entries()) {
    const parsed = parseValue(part, index);
    if (!parsed.ok) return parsed;
    values.push(parsed.value);
  }
  return { ok: true, value: values };
}

/** Bytes typed as hex: pairs of digits, spaces and colons between them allowed, `0x` and `\x` prefixes ignored. */
export function parseHex(text: string): Parsed<Uint8Array> {
  const cleaned: string[] = [];
  const source = text.replace(/0x|\\x/gi, (m) => " ".repeat(m.length));
  for (let at = 0; at < source.length; at++) {
    const ch = source[at] as string;
    if (/\s|:|,/.test(ch)) continue;
    if (!/[0-9a-fA-F]/.test(ch)) return { ok: false, problem: { kind: "hex_char", char: ch, at } };
    cleaned.push(ch);
  }
  if (cleaned.length % 2 !== 0) return { ok: false, problem: { kind: "hex_odd" } };
  const out = new Uint8Array(cleaned.length / 2);
  for (let k = 0; k < out.length; k++) out[k] = parseInt(`${cleaned[2 * k]}${cleaned[2 * k + 1]}`, 16);
  return { ok: true, value: out };
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/** A struct table and its bytes as one Frame of the timeline's kind: protocol "struct", fields with paths. */
export function structFrame(layout: StructLayout, data: Uint8Array, summary: string): Frame {
  const { fields } = structTree(layout, data);
  const toField = (node: FieldNode, path: string): Frame["fields"][number] => ({
    $typeName: "lab.v1.Field",
    id: node.id,
    label: "",
    display: "",
    format: node.value.format,
    args: argsOf(node.value),
    offset: node.offset,
    length: node.length,
    bitmask: node.bitmask,
    blurb: "",
    path,
    children: node.children.map((child, i) => toField(child, `${path}.${i}`)),
  });
  return {
    $typeName: "lab.v1.Frame",
    protocol: "struct",
    summary,
    offset: 0,
    length: data.length,
    fields: fields.map((node, i) => toField(node, String(i))),
    findings: [],
    streamOffset: -1n,
    reassembled: new Uint8Array(0),
    tcpSummary: undefined,
  };
}

/** The floats of a table (e and f fields), with where they sit and their bits. */
export function floatsOf(layout: StructLayout, data: Uint8Array): { readonly offset: number; readonly parts: FloatParts }[] {
  if (data.length !== layout.size) return [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return structFields(layout).flatMap((field) => {
    if (field.code === "f") return [{ offset: field.offset, parts: floatParts("f", BigInt(view.getUint32(field.offset, layout.littleEndian))) }];
    if (field.code === "e") return [{ offset: field.offset, parts: floatParts("e", BigInt(view.getUint16(field.offset, layout.littleEndian))) }];
    return [];
  });
}

/** What the sandbox shows for one state of its inputs. */
export type SandboxResult =
  | { readonly kind: "format_error"; readonly error: StructError }
  | { readonly kind: "input_error"; readonly layout: StructLayout; readonly problem: InputProblem }
  | { readonly kind: "struct_error"; readonly layout: StructLayout; readonly error: StructError }
  | {
      readonly kind: "ok";
      readonly layout: StructLayout;
      readonly data: Uint8Array;
      readonly values: readonly StructValue[];
      readonly tuple: string;
      readonly frame: Frame;
    };

export type SandboxMode = "pack" | "unpack";

/** Everything the sandbox shows, from the format, the mode and the text typed for that mode. */
export function evaluate(format: string, mode: SandboxMode, input: string): SandboxResult {
  let layout: StructLayout;
  try {
    layout = compileStruct(format);
  } catch (err) {
    if (err instanceof StructError) return { kind: "format_error", error: err };
    throw err;
  }
  try {
    if (mode === "pack") {
      const parsed = parseValues(input);
      if (!parsed.ok) return { kind: "input_error", layout, problem: parsed.problem };
      const data = pack(layout, parsed.value);
      // What comes back when the bytes are unpacked: 3.14 as float32 is 3.140000104904175.
      const values = unpack(layout, data);
      const tuple = pyTupleRepr(values);
      return { kind: "ok", layout, data, values, tuple, frame: structFrame(layout, data, tuple) };
    }
    const parsed = parseHex(input);
    if (!parsed.ok) return { kind: "input_error", layout, problem: parsed.problem };
    const values = unpack(layout, parsed.value);
    const tuple = pyTupleRepr(values);
    return { kind: "ok", layout, data: parsed.value, values, tuple, frame: structFrame(layout, parsed.value, tuple) };
  } catch (err) {
    if (err instanceof StructError) return { kind: "struct_error", layout, error: err };
    throw err;
  }
}
