// A bounds-checked reader that builds the field tree as it reads.
// Modelled on Wireshark's proto_tree_add_item / proto_tree_add_bitmask and tvbuff bounds checks
// (epan/proto.c, epan/tvbuff.c), without the exception: reading past the end records `<proto>.truncated`.
//
// Truncation contract: a read that runs past the end (of the bytes, or of the enclosing subtree) records
// one `<proto>.truncated` finding (severity "error", the first time only), adds a node for whatever bytes
// were there, sets `truncated`, and returns a sentinel: 0 (0n) for numbers, the partial bytes or text for
// bytes/text. Callers that care check `cur.truncated`; the partial tree is kept either way.

import { formatBytes, formatNumber, hex, plural, quoteText } from "./fields";
import type { DissectedFrame, FieldNode, FieldSpec, Finding, Severity } from "./types";

export interface NumberOptions {
  /** Network byte order (big-endian) unless set. */
  readonly littleEndian?: boolean;
}

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "latin1";
export type WordWidth = 1 | 2 | 4;
/** One number per spec, so `const [fin, opcode] = cur.bits(1, [f.fin, f.opcode])` types as numbers. */
export type BitValues<S extends readonly FieldSpec[]> = { -readonly [K in keyof S]: number };

export interface Cursor {
  readonly proto: string;
  /** The bytes being read; offsets are relative to them. */
  readonly input: Uint8Array;
  /** Offset of the next read. */
  readonly offset: number;
  /** Bytes left before the end of `bytes` or of the innermost subtree. */
  readonly remaining: number;
  /** True once any read fell short. */
  readonly truncated: boolean;
  readonly findings: readonly Finding[];

  u8(spec: FieldSpec, opts?: NumberOptions): number;
  u16(spec: FieldSpec, opts?: NumberOptions): number;
  u32(spec: FieldSpec, opts?: NumberOptions): number;
  u64(spec: FieldSpec, opts?: NumberOptions): bigint;
  /** Reads one word and adds one node per spec for its `bitmask` bits (shifted down); advances once. */
  bits<const S extends readonly FieldSpec[]>(width: WordWidth, specs: S, opts?: NumberOptions): BitValues<S>;
  /** A flags word: a node for the word (`0x12 (SYN, ACK)`) with one child per flag; returns the word. */
  flags(spec: FieldSpec, width: WordWidth, flagSpecs: readonly FieldSpec[], opts?: NumberOptions): number;
  /** A view into the input (not a copy). */
  bytes(spec: FieldSpec, n: number): Uint8Array;
  text(spec: FieldSpec, n: number, encoding?: TextEncoding): string;
  /** A field the dissector formats itself; returns its bytes. */
  item(spec: FieldSpec, n: number, display: string): Uint8Array;
  /** Moves on without a node: skipped bytes are not covered by any leaf. */
  skip(n: number): void;
  /**
   * A node of `length` bytes whose children `fn` reads; reads inside cannot pass its end. Afterwards the
   * cursor is at its end whatever `fn` read. `fn` may return the node's display.
   */
  subtree(spec: FieldSpec, length: number, fn: (cur: Cursor) => string | void): void;
  /** Opens a node whose length is known only once its children are read; `pop` closes it. */
  push(spec: FieldSpec): void;
  pop(display?: string): void;
  finding(code: string, severity: Severity, message: string, offset?: number, length?: number): void;
  /** The frame for everything read so far (closes nodes left open). */
  frame(summary: string): DissectedFrame;
}

type MutableNode = { -readonly [K in keyof FieldNode]: FieldNode[K] };

const decoders = new Map<TextEncoding, TextDecoder>();
function decoder(encoding: TextEncoding): TextDecoder {
  let d = decoders.get(encoding);
  if (!d) decoders.set(encoding, (d = new TextDecoder(encoding)));
  return d;
}

/** Lengths come from the wire: NaN, fractions and negatives read as 0 bytes rather than throwing. */
function byteCount(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : n === Infinity ? Number.MAX_SAFE_INTEGER : 0;
}

function shiftOf(mask: number): number {
  return mask === 0 ? 0 : 31 - Math.clz32(mask & -mask);
}

/** Bits read as what they mean: `Set`, `Text (1)`, or the shifted-down value in decimal. */
function bitDisplay(spec: FieldSpec, value: number): string {
  if (spec.type === "bool") return value ? "Set" : "Not set";
  return spec.names ? formatNumber(value, 1, spec.names) : String(value);
}

export function createCursor(bytes: Uint8Array, proto: string): Cursor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const roots: FieldNode[] = [];
  const findings: Finding[] = [];
  const open: MutableNode[] = [];
  let floor = 0; // nodes below this depth belong to an enclosing subtree, not to push/pop
  let offset = 0;
  let limit = bytes.length;
  let limitLabel = ""; // label of the subtree that set `limit`, for the truncation message
  let truncated = false;
  let reported = false;

  function add(spec: FieldSpec, at: number, length: number, display: string, bitmask = 0): MutableNode {
    const node: MutableNode = { id: spec.id, label: spec.label, display, offset: at, length, bitmask, blurb: spec.blurb, children: [] };
    (open[open.length - 1]?.children ?? roots).push(node);
    return node;
  }

  /** How many of `wanted` bytes are there; records the truncation when short. */
  function claim(label: string, wanted: number): number {
    const have = Math.min(wanted, limit - offset);
    if (have < wanted) {
      truncated = true;
      if (!reported) {
        reported = true;
        const where = limitLabel ? `the enclosing ${limitLabel}` : "the data";
        findings.push({
          code: `${proto}.truncated`,
          severity: "error",
          message: `${label} needs ${plural(wanted, "byte")} at offset ${offset}, but ${where} ends after ${plural(have, "byte")}.`,
          offset,
          length: have,
        });
      }
    }
    return have;
  }

  /** The node for a number or word that did not fit: the bytes that were there, marked. */
  function partial(spec: FieldSpec, have: number, wanted: number): void {
    if (have > 0) add(spec, offset, have, `truncated: ${have} of ${plural(wanted, "byte")}`);
    offset += have;
  }

  function word(width: WordWidth, le: boolean): number {
    return width === 1 ? view.getUint8(offset) : width === 2 ? view.getUint16(offset, le) : view.getUint32(offset, le);
  }

  function uint(spec: FieldSpec, width: WordWidth, opts?: NumberOptions): number {
    const have = claim(spec.label, width);
    if (have < width) {
      partial(spec, have, width);
      return 0;
    }
    const value = word(width, opts?.littleEndian ?? false);
    const display = spec.type === "bool" ? (value ? "True" : "False") : formatNumber(value, width, spec.names);
    add(spec, offset, width, display);
    offset += width;
    return value;
  }

  function raw(spec: FieldSpec, n: number, display: (got: Uint8Array) => string): Uint8Array {
    const wanted = byteCount(n);
    const have = claim(spec.label, wanted);
    const got = bytes.subarray(offset, offset + have);
    if (have === wanted) add(spec, offset, have, display(got));
    else if (have > 0) add(spec, offset, have, `${display(got)} (truncated: ${have} of ${plural(wanted, "byte")})`);
    offset += have;
    return got;
  }

  const cur: Cursor = {
    proto,
    input: bytes,
    get offset() {
      return offset;
    },
    get remaining() {
      return limit - offset;
    },
    get truncated() {
      return truncated;
    },
    findings,

    u8: (spec, opts) => uint(spec, 1, opts),
    u16: (spec, opts) => uint(spec, 2, opts),
    u32: (spec, opts) => uint(spec, 4, opts),
    u64(spec, opts) {
      const have = claim(spec.label, 8);
      if (have < 8) {
        partial(spec, have, 8);
        return 0n;
      }
      const value = view.getBigUint64(offset, opts?.littleEndian ?? false);
      add(spec, offset, 8, formatNumber(value, 8, spec.names));
      offset += 8;
      return value;
    },

    bits(width, specs, opts) {
      const have = claim(specs[0]?.label ?? "Bits", width);
      if (have < width) {
        if (specs[0]) partial(specs[0], have, width);
        return specs.map(() => 0) as unknown as BitValues<typeof specs>;
      }
      const w = word(width, opts?.littleEndian ?? false);
      const values = specs.map((spec) => {
        const mask = spec.bitmask ?? 0xffffffff >>> (32 - 8 * width);
        const value = (w & mask) >>> shiftOf(mask);
        add(spec, offset, width, bitDisplay(spec, value), mask);
        return value;
      });
      offset += width;
      return values as unknown as BitValues<typeof specs>;
    },

    flags(spec, width, flagSpecs, opts) {
      const have = claim(spec.label, width);
      if (have < width) {
        partial(spec, have, width);
        return 0;
      }
      const w = word(width, opts?.littleEndian ?? false);
      const set = flagSpecs.filter((f) => f.type === "bool" && f.bitmask !== undefined && (w & f.bitmask) !== 0);
      const node = add(spec, offset, width, `${hex(w, width)} (${set.length ? set.map((f) => f.label).join(", ") : "none set"})`);
      open.push(node);
      cur.bits(width, flagSpecs, opts);
      open.pop();
      return w;
    },

    bytes: (spec, n) => raw(spec, n, (got) => formatBytes(got)),
    text: (spec, n, encoding = "utf-8") => {
      let text = "";
      raw(spec, n, (got) => quoteText((text = decoder(encoding).decode(got))));
      return text;
    },
    item: (spec, n, display) => raw(spec, n, () => display),

    skip(n) {
      offset += claim("Skipped bytes", byteCount(n));
    },

    subtree(spec, length, fn) {
      const start = offset;
      const have = claim(spec.label, byteCount(length));
      const node = add(spec, start, have, plural(have, "byte"));
      const saved = { limit, limitLabel, floor, depth: open.length };
      open.push(node);
      floor = open.length;
      limit = start + have;
      limitLabel = spec.label;
      const display = fn(cur);
      open.length = saved.depth;
      ({ limit, limitLabel, floor } = saved);
      offset = start + have;
      if (typeof display === "string") node.display = display;
    },

    push(spec) {
      open.push(add(spec, offset, 0, ""));
    },
    pop(display) {
      if (open.length <= floor) return;
      const node = open.pop();
      if (!node) return;
      node.length = offset - node.offset;
      node.display = display ?? plural(node.length, "byte");
    },

    finding(code, severity, message, at = offset, length = 0) {
      findings.push({ code, severity, message, offset: at, length });
    },

    frame(summary) {
      while (open.length > floor) cur.pop();
      return { protocol: proto, summary, offset: 0, length: bytes.length, fields: roots, findings };
    },
  };
  return cur;
}
