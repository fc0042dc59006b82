// Field declarations as data, and the language-neutral pieces of values (hex, escaped text).
// Modelled on Wireshark's hf_register_info tables and value_string (epan/proto.h, epan/value_string.h):
// every field is declared once with its label, type, bitmask, value names and a blurb, and the tree only
// refers to those declarations. How values read in words is formats.ts's.

import type { FieldSpec, FieldType } from "./types";

/** A field as written in a protocol's table; `defineFields` adds the id. */
export interface FieldDef {
  readonly label: string;
  readonly type: FieldType;
  readonly bitmask?: number;
  readonly names?: Readonly<Record<number, string>>;
  /** For a length counted in units: the bytes in one unit (FieldSpec.scale). */
  readonly scale?: number;
  readonly blurb: string;
}

export type Fields<T> = { readonly [K in keyof T]: FieldSpec };

const SEGMENT = /^[a-z][a-z0-9_]*$/;

/**
 * Declares a protocol's fields once. `defineFields("text", { line: {...}, "line.terminator": {...} })` gives
 * specs with ids "text.line" and "text.line.terminator"; a dotted key is reached as `f["line.terminator"]`.
 * Throws on a malformed protocol id or key: that is a programming error, caught at module load by any test
 * that imports the dissector, never by bytes on the wire.
 */
export function defineFields<const T extends Readonly<Record<string, FieldDef>>>(proto: string, table: T): Fields<T> {
  if (!SEGMENT.test(proto)) throw new Error(`defineFields: protocol id "${proto}" is not lowercase snake case`);
  const out: Record<string, FieldSpec> = {};
  for (const [key, def] of Object.entries(table)) {
    if (!key.split(".").every((s) => SEGMENT.test(s))) {
      throw new Error(`defineFields: field key "${key}" of "${proto}" is not dotted snake case`);
    }
    out[key] = Object.freeze({ ...def, id: `${proto}.${key}` });
  }
  return Object.freeze(out) as Fields<T>;
}

/** Wireshark's val_to_str: the name of a value, or `unknown`. */
export function valueName(names: Readonly<Record<number, string>> | undefined, value: number, unknown = "Unknown"): string {
  return names?.[value] ?? unknown;
}

/** Turns an `as const` name-to-value object (`{ text: 1, binary: 2 }`) into a value-name table. */
export function namesOf(values: Readonly<Record<string, number>>): Readonly<Record<number, string>> {
  const names: Record<number, string> = {};
  for (const [name, value] of Object.entries(values)) names[value] = name;
  return Object.freeze(names);
}

/** The parts' bytes one after another, in a new array (a message read from pieces that arrived apart). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

export function hex(value: number | bigint, width: number): string {
  return `0x${value.toString(16).padStart(width * 2, "0")}`;
}

/** Every byte as two lowercase hex digits. */
const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** The first `max` bytes as hex pairs, `48 65 6c` (a `bytes` value shows these and the count). */
export function hexPairs(bytes: Uint8Array, max = 16): string {
  let shown = "";
  const end = Math.min(Math.max(0, Math.trunc(max) || 0), bytes.length);
  for (let i = 0; i < end; i++) shown += i ? ` ${HEX_PAIRS[bytes[i] ?? 0]}` : HEX_PAIRS[bytes[i] ?? 0];
  return shown;
}

/**
 * The first `max` bytes in hex, ` …` marking that more follow: `e2 82`, `00 01 02 …`. Language-neutral (the count
 * of the bytes is said where the words are), for values a finding shows.
 */
export function hexPreview(bytes: Uint8Array, max = 16): string {
  const shown = hexPairs(bytes, max);
  return bytes.length > max ? `${shown} …` : shown;
}

/**
 * One character as it appears inside a quoted display string: the escapes a learner knows from source code
 * (\n \r \t \" \\), \xNN for other C0 controls and DEL, \uNNNN for C1 controls; everything else as itself.
 */
/**
 * Characters that show nothing, or that reorder the text around them, written as escapes so a label cannot
 * lie about its bytes: bidi controls (Unicode UAX #9: ALM U+061C, LRM/RLM U+200E-200F, the embeddings and
 * overrides U+202A-202E, the isolates U+2066-2069), zero-width characters (U+200B-200D, U+2060-2064) and the
 * byte order mark U+FEFF. Undefined for any other UTF-16 code unit.
 */
export function invisibleEscape(unit: number): string | undefined {
  const hidden =
    unit === 0x061c ||
    (unit >= 0x200b && unit <= 0x200f) ||
    (unit >= 0x202a && unit <= 0x202e) ||
    (unit >= 0x2060 && unit <= 0x2064) ||
    (unit >= 0x2066 && unit <= 0x2069) ||
    unit === 0xfeff;
  return hidden ? `\\u${unit.toString(16).padStart(4, "0")}` : undefined;
}

export function escapeChar(ch: string): string {
  switch (ch) {
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    case '"':
      return '\\"';
    case "\\":
      return "\\\\";
  }
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp >= 0x80 && cp <= 0x9f) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return invisibleEscape(cp) ?? ch;
}

/** quoteText's default: displays and summaries show about this many characters. */
export const QUOTE_MAX = 60;

/** quoteText's parts: the escaped characters that fit in `max`, and whether some did not. */
export function escapeText(text: string, max = QUOTE_MAX): { readonly shown: string; readonly cut: boolean } {
  let out = "";
  for (const ch of text) {
    const piece = escapeChar(ch);
    if (out.length + piece.length > max) return { shown: out, cut: true };
    out += piece;
  }
  return { shown: out, cut: false };
}

/** `"hello\n"`; past `max` escaped characters it stops at a whole character: `"hello wor"…`. */
export function quoteText(text: string, max = QUOTE_MAX): string {
  const { shown, cut } = escapeText(text, max);
  return cut ? `"${shown}"…` : `"${shown}"`;
}
