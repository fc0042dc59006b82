// A bounds-checked reader that builds the field tree as it reads.
// Modelled on Wireshark's proto_tree_add_item / proto_tree_add_bitmask and tvbuff bounds checks
// (epan/proto.c, epan/tvbuff.c), without the exception: reading past the end records `<proto>.truncated`.
//
// Truncation contract: a read that runs past the end (of the bytes, or of the enclosing subtree) records
// one `<proto>.truncated` finding (severity "error", the first time only), adds a node for whatever bytes
// were there, sets `truncated`, and returns a sentinel: 0 (0n) for numbers, the partial bytes or text for
// bytes/text. Callers that care check `cur.truncated`; the partial tree is kept either way.
//
// Values: each node carries its value and a format id (core/formats.ts), never words. A node is only made when
// the cursor builds a tree, so a value (or a string a caller computes for it) costs nothing without one.

import { escapeText, hexPairs } from "./fields";
import { makeFinding, SHARED_FINDINGS, type FindingSpec, type FindingValues } from "./findings";
import { FLAG_SEPARATOR, type FieldValue } from "./formats";
import type { DissectedFrame, FieldNode, FieldSpec, Finding } from "./types";

export interface NumberOptions {
  /** Network byte order (big-endian) unless set. */
  readonly littleEndian?: boolean;
}

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "latin1";
export type WordWidth = 1 | 2 | 4;
/** One number per spec, so `const [fin, opcode] = cur.bits(1, [f.fin, f.opcode])` types as numbers. */
export type BitValues<S extends readonly FieldSpec[]> = { -readonly [K in keyof S]: number };

/** A node's value: a FieldValue, or a string that reads the same in every language (a `plain` value). */
export type NodeValue = FieldValue | string;

/** What `finding` takes after the spec: the values when its template has any, then offset and length. */
export type FindingRest<A extends string> = [A] extends [never]
  ? [offset?: number, length?: number]
  : [values: FindingValues<A>, offset?: number, length?: number];

export interface Cursor {
  readonly proto: string;
  /**
   * False when the cursor builds no tree (TreeOptions): reads, truncation and findings work as always, but no
   * node is kept, so a dissector may skip work that only displays need.
   */
  readonly tree: boolean;
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
  /**
   * Reads one word and adds one node per spec for its `bitmask` bits (shifted down); advances once. Pass a list
   * made once (a module constant): the nodes of each word are made once per list and shared.
   */
  bits<const S extends readonly FieldSpec[]>(width: WordWidth, specs: S, opts?: NumberOptions): BitValues<S>;
  /** A flags word: a node for the word (its value names the flags set) with one child per flag; returns the word. */
  flags(spec: FieldSpec, width: WordWidth, flagSpecs: readonly FieldSpec[], opts?: NumberOptions): number;
  /** A view into the input (not a copy). */
  bytes(spec: FieldSpec, n: number): Uint8Array;
  text(spec: FieldSpec, n: number, encoding?: TextEncoding): string;
  /**
   * A field whose value the dissector makes itself; returns its bytes. With a `bitmask`, the node stands for those
   * bits of the `n` bytes (a 20-bit flow label in a 32-bit word), as `bits` nodes do.
   */
  item(spec: FieldSpec, n: number, value: NodeValue, bitmask?: number): Uint8Array;
  /** Moves on without a node: skipped bytes are not covered by any leaf. */
  skip(n: number): void;
  /**
   * Steps back `n` bytes (never before 0) so that more fields can be read from a word already read, as Wireshark
   * adds items that share bytes: `tcp.hdr_len` and the `tcp.flags` group both live in the 16 bits at offset 12.
   * Read the same word again with bitmasks that do not overlap, so its bytes stay covered once.
   */
  back(n: number): void;
  /**
   * A node of `length` bytes whose children `fn` reads; reads inside cannot pass its end. Afterwards the
   * cursor is at its end whatever `fn` read. `fn` may return the node's value; by default it is its length in bytes.
   */
  subtree(spec: FieldSpec, length: number, fn: (cur: Cursor) => NodeValue | void): void;
  /** Opens a node whose length is known only once its children are read; `pop` closes it. */
  push(spec: FieldSpec): void;
  /** Closes the node `push` opened, with `value`, or by default its length in bytes. */
  pop(value?: NodeValue): void;
  /**
   * Reports a finding of the protocol's table (core/findings.ts): `cur.finding(f.ack_nonzero, 8, 4)`, or with the
   * values its template names, `cur.finding(f.bad_checksum, { stored, expected }, 16, 2)`. The offset defaults to
   * the cursor's, the length to 0.
   */
  finding<A extends string>(spec: FindingSpec<A>, ...rest: FindingRest<A>): void;
  /** Keeps a finding made elsewhere (makeFinding), such as the TCP analyzer's. */
  addFinding(finding: Finding): void;
  /** The frame for everything read so far (closes nodes left open). */
  frame(summary: string): DissectedFrame;
}

type MutableNode = { -readonly [K in keyof FieldNode]: FieldNode[K] };

/**
 * The children of every leaf: one shared empty array, frozen so that nothing can add to it, instead of one array
 * per field. A node gets an array of its own when it is opened (push, subtree, flags), before any child is added.
 */
const NO_CHILDREN = Object.freeze([]) as unknown as FieldNode[];

/**
 * What `add` gives a cursor that builds no tree: one node that is written to and never kept, so that callers
 * need not care which kind of cursor they have. Its children stay the frozen empty array.
 */
const DISCARDED: MutableNode = { id: "", label: "", value: { format: "plain", text: "" }, offset: 0, length: 0, bitmask: 0, blurb: "", children: NO_CHILDREN };

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

/** All the bits of a word `width` bytes wide. */
function fullMask(width: WordWidth): number {
  return 0xffffffff >>> (32 - 8 * width);
}

function shiftOf(mask: number): number {
  return mask === 0 ? 0 : 31 - Math.clz32(mask & -mask);
}

const SET: FieldValue = Object.freeze({ format: "flag", value: true });
const NOT_SET: FieldValue = Object.freeze({ format: "flag", value: false });

/** A number's value as its spec declares it: a flag, a named value, a length in units, else `otherwise`. */
function declaredValue(spec: FieldSpec, value: number | bigint, otherwise: () => FieldValue): FieldValue {
  if (spec.type === "bool") return value ? SET : NOT_SET;
  if (spec.names) return { format: "named", value: Number(value), name: spec.names[Number(value)] ?? "" };
  if (spec.scale) return { format: "byte_length", n: Number(value) * spec.scale, raw: Number(value) };
  return otherwise();
}

/** Bits read as what they mean: a flag, a named value, or the shifted-down value in decimal. */
function bitValue(spec: FieldSpec, value: number): FieldValue {
  return declaredValue(spec, value, () => ({ format: "number", value }));
}

/** A value given as a string: one that reads the same in every language. */
function valueOf(value: NodeValue): FieldValue {
  return typeof value === "string" ? { format: "plain", text: value } : value;
}

/** A value whose field's bytes were cut short: `wanted` of them should have been there. */
function cut(value: NodeValue, wanted: number): FieldValue {
  return { ...valueOf(value), wanted };
}

/**
 * Bit nodes, by the spec list they were made for, then by offset and word. Performance: the nodes for one word at
 * one offset are the same in every frame that has them (a SYN's TCP flags, an IPv4 header's first byte and DS
 * field), and a capture holds few such words, so each set is made once and shared by every tree that has it. Nothing
 * changes a node once it is in a tree: FieldNode is readonly, and the cursor changes only the nodes it opened
 * (push, subtree, flags), never bit nodes. (Not frozen: frozen nodes among the others made every reader of trees
 * twice as slow.) A list whose words keep changing (a flow label) refills its map when it is full.
 */
const bitNodeCache = new WeakMap<readonly FieldSpec[], Map<number, readonly FieldNode[]>>();
const BIT_NODE_CACHE_MAX = 1024;

function bitNodes(specs: readonly FieldSpec[], width: WordWidth, offset: number, word: number): readonly FieldNode[] {
  let byKey = bitNodeCache.get(specs);
  if (!byKey) bitNodeCache.set(specs, (byKey = new Map()));
  // The word is unsigned and below 2^32, the offset far below 2^20: the key stays an exact integer.
  const key = offset * 0x1_0000_0000 + word;
  let nodes = byKey.get(key);
  if (!nodes) {
    nodes = specs.map((spec) => {
      const mask = spec.bitmask ?? fullMask(width);
      const value = bitValue(spec, (word & mask) >>> shiftOf(mask));
      const node: FieldNode = { id: spec.id, label: spec.label, value, offset, length: width, bitmask: mask, blurb: spec.blurb, children: NO_CHILDREN };
      return node;
    });
    if (byKey.size >= BIT_NODE_CACHE_MAX) byKey.clear();
    byKey.set(key, nodes);
  }
  return nodes;
}

/** The ids of the set flags of a word, in the order of `flagSpecs`, cached per list and word. */
const flagSetCache = new WeakMap<readonly FieldSpec[], Map<number, string>>();

function flagSet(flagSpecs: readonly FieldSpec[], word: number): string {
  let byWord = flagSetCache.get(flagSpecs);
  if (!byWord) flagSetCache.set(flagSpecs, (byWord = new Map()));
  let set = byWord.get(word);
  if (set === undefined) {
    set = "";
    for (const f of flagSpecs) {
      if (f.type === "bool" && f.bitmask !== undefined && (word & f.bitmask) !== 0) set = set ? `${set}${FLAG_SEPARATOR}${f.id}` : f.id;
    }
    if (byWord.size >= BIT_NODE_CACHE_MAX) byWord.clear();
    byWord.set(word, set);
  }
  return set;
}

// Performance: dissection runs once per captured read and again when a browser pages through events
// (up to 100,000 for one page load), so a cursor must be cheap to create. It is a class: methods live on
// the prototype and state in fields, so creating one allocates one object and a few arrays, and no
// closures (which tsx's esbuild keepNames would also wrap in a `__name()` call each). Methods use `this`,
// so call them on the cursor (`cur.u8(...)`), not detached.
class TreeCursor implements Cursor {
  readonly proto: string;
  readonly input: Uint8Array;
  readonly tree: boolean;
  offset = 0;
  truncated = false;
  readonly findings: Finding[] = [];
  private readonly roots: FieldNode[] = [];
  private readonly open: MutableNode[] = [];
  /** Nodes below this depth belong to an enclosing subtree, not to push/pop. */
  private floor = 0;
  private limit: number;
  /** The subtree that set `limit`, for the truncation message. */
  private limitSpec: FieldSpec | undefined = undefined;
  private reported = false;
  /** Only u64 needs a DataView; it is made on first use. */
  private view: DataView | undefined = undefined;

  constructor(bytes: Uint8Array, proto: string, tree: boolean) {
    this.proto = proto;
    this.input = bytes;
    this.tree = tree;
    this.limit = bytes.length;
  }

  get remaining(): number {
    return this.limit - this.offset;
  }

  private add(spec: FieldSpec, at: number, length: number, value: NodeValue, bitmask = 0): MutableNode {
    if (!this.tree) return DISCARDED;
    const node: MutableNode = {
      id: spec.id,
      label: spec.label,
      value: valueOf(value),
      offset: at,
      length,
      bitmask,
      blurb: spec.blurb,
      children: NO_CHILDREN,
    };
    this.siblings().push(node);
    return node;
  }

  /** Where the next node goes: the children of the innermost open node, or the roots. */
  private siblings(): FieldNode[] {
    const open = this.open;
    return open.length ? (open[open.length - 1] as MutableNode).children : this.roots;
  }

  /** How many of `wanted` bytes the field `spec` (none: skipped bytes) gets; records the truncation when short. */
  private claim(spec: FieldSpec | undefined, wanted: number): number {
    const offset = this.offset;
    const have = Math.min(wanted, this.limit - offset);
    if (have < wanted) {
      this.truncated = true;
      if (!this.reported) {
        this.reported = true;
        const within = this.limitSpec;
        const forms = SHARED_FINDINGS.truncated;
        const form = spec ? (within ? forms.within : forms.data) : within ? forms.skip_within : forms.skip;
        // Field ids, so a page can name them in its language; the English labels for the English template.
        const values = { field: spec?.id ?? "", label: spec?.label ?? "", wanted, offset, have, within: within?.id ?? "", withinLabel: within?.label ?? "" };
        this.findings.push(makeFinding(form, values, offset, have, this.proto));
      }
    }
    return have;
  }

  /** A node that can hold children: a new array for a kept node, none for the discarded one. */
  private parent(node: MutableNode): MutableNode {
    if (node !== DISCARDED) node.children = [];
    return node;
  }

  /** The node for a number or word that did not fit: the bytes that were there, marked. */
  private partial(spec: FieldSpec, have: number, wanted: number): void {
    if (have > 0 && this.tree) this.add(spec, this.offset, have, { format: "truncated", wanted });
    this.offset += have;
  }

  /** The word at the offset; the caller has claimed its bytes. */
  private word(width: WordWidth, le: boolean): number {
    const b = this.input;
    const o = this.offset;
    if (width === 1) return b[o] as number;
    if (width === 2) {
      return le ? (b[o] as number) | ((b[o + 1] as number) << 8) : ((b[o] as number) << 8) | (b[o + 1] as number);
    }
    const w = le
      ? (b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)
      : ((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number);
    return w >>> 0;
  }

  private uint(spec: FieldSpec, width: WordWidth, opts: NumberOptions | undefined): number {
    const have = this.claim(spec, width);
    if (have < width) {
      this.partial(spec, have, width);
      return 0;
    }
    const value = this.word(width, opts?.littleEndian ?? false);
    if (this.tree) this.add(spec, this.offset, width, declaredValue(spec, value, () => ({ format: "hex", value, digits: width * 2 })));
    this.offset += width;
    return value;
  }

  /**
   * The node for the `have` bytes a read of `wanted` bytes got (see `claim`), and moves past them: `value`
   * when they are all there; short of that, the bytes that were there, marked cut short; none when none were.
   */
  private raw(spec: FieldSpec, wanted: number, have: number, value: NodeValue, bitmask = 0): void {
    if (this.tree) {
      if (have === wanted) this.add(spec, this.offset, have, value, bitmask);
      else if (have > 0) this.add(spec, this.offset, have, cut(value, wanted));
    }
    this.offset += have;
  }

  /** The bytes a read of `wanted` bytes gets: all of them, or those before the end. */
  private take(spec: FieldSpec, wanted: number): Uint8Array {
    const have = this.claim(spec, wanted);
    return this.input.subarray(this.offset, this.offset + have);
  }

  u8(spec: FieldSpec, opts?: NumberOptions): number {
    return this.uint(spec, 1, opts);
  }

  u16(spec: FieldSpec, opts?: NumberOptions): number {
    return this.uint(spec, 2, opts);
  }

  u32(spec: FieldSpec, opts?: NumberOptions): number {
    return this.uint(spec, 4, opts);
  }

  u64(spec: FieldSpec, opts?: NumberOptions): bigint {
    const have = this.claim(spec, 8);
    if (have < 8) {
      this.partial(spec, have, 8);
      return 0n;
    }
    const bytes = this.input;
    const view = (this.view ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const value = view.getBigUint64(this.offset, opts?.littleEndian ?? false);
    if (this.tree) this.add(spec, this.offset, 8, declaredValue(spec, value, () => ({ format: "hex", value, digits: 16 })));
    this.offset += 8;
    return value;
  }

  bits<const S extends readonly FieldSpec[]>(width: WordWidth, specs: S, opts?: NumberOptions): BitValues<S> {
    const w = this.bitWord(width, specs, opts);
    const values: number[] = [];
    for (let i = 0; i < specs.length; i++) {
      const mask = (specs[i] as FieldSpec).bitmask ?? fullMask(width);
      values.push(w < 0 ? 0 : (w & mask) >>> shiftOf(mask));
    }
    return values as unknown as BitValues<S>;
  }

  /** `bits` for callers that need only the word: the same nodes, returning the word (-1 when cut short). */
  bitWord(width: WordWidth, specs: readonly FieldSpec[], opts?: NumberOptions): number {
    const first = specs[0];
    const have = this.claim(first, width);
    if (have < width) {
      if (first) this.partial(first, have, width);
      return -1;
    }
    const w = this.word(width, opts?.littleEndian ?? false);
    if (this.tree) {
      const siblings = this.siblings();
      for (const node of bitNodes(specs, width, this.offset, w)) siblings.push(node);
    }
    this.offset += width;
    return w;
  }

  flags(spec: FieldSpec, width: WordWidth, flagSpecs: readonly FieldSpec[], opts?: NumberOptions): number {
    const have = this.claim(spec, width);
    if (have < width) {
      this.partial(spec, have, width);
      return 0;
    }
    const w = this.word(width, opts?.littleEndian ?? false);
    if (!this.tree) {
      this.offset += width;
      return w;
    }
    const value: FieldValue = { format: "flags", value: w, digits: width * 2, set: flagSet(flagSpecs, w) };
    this.open.push(this.parent(this.add(spec, this.offset, width, value)));
    this.bitWord(width, flagSpecs, opts);
    this.open.pop();
    return w;
  }

  bytes(spec: FieldSpec, n: number): Uint8Array {
    const wanted = byteCount(n);
    const got = this.take(spec, wanted);
    // The hex only when a node gets made: with no bytes there (and some wanted), none is.
    if (got.length === wanted || got.length > 0) this.raw(spec, wanted, got.length, this.tree ? { format: "bytes", hex: hexPairs(got), n: got.length } : "");
    return got;
  }

  text(spec: FieldSpec, n: number, encoding: TextEncoding = "utf-8"): string {
    const wanted = byteCount(n);
    const got = this.take(spec, wanted);
    if (got.length !== wanted && got.length === 0) return "";
    const text = decoder(encoding).decode(got);
    this.raw(spec, wanted, got.length, this.tree ? quoted(text) : "");
    return text;
  }

  item(spec: FieldSpec, n: number, value: NodeValue, bitmask = 0): Uint8Array {
    const wanted = byteCount(n);
    const got = this.take(spec, wanted);
    this.raw(spec, wanted, got.length, value, bitmask);
    return got;
  }

  /** `item` for callers that do not use the bytes: the same node and truncation, without making a view. */
  itemOnly(spec: FieldSpec, n: number, value: NodeValue): void {
    const wanted = byteCount(n);
    this.raw(spec, wanted, this.claim(spec, wanted), value);
  }

  back(n: number): void {
    this.offset = Math.max(0, this.offset - byteCount(n));
  }

  skip(n: number): void {
    this.offset += this.claim(undefined, byteCount(n));
  }

  subtree(spec: FieldSpec, length: number, fn: (cur: Cursor) => NodeValue | void): void {
    const start = this.offset;
    const have = this.claim(spec, byteCount(length));
    const node = this.parent(this.add(spec, start, have, this.tree ? { format: "byte_count", n: have } : ""));
    const { limit, limitSpec, floor } = this;
    const depth = this.open.length;
    this.open.push(node);
    this.floor = this.open.length;
    this.limit = start + have;
    this.limitSpec = spec;
    const value = fn(this);
    this.open.length = depth;
    this.limit = limit;
    this.limitSpec = limitSpec;
    this.floor = floor;
    this.offset = start + have;
    if (value !== undefined && node !== DISCARDED) node.value = valueOf(value);
  }

  push(spec: FieldSpec): void {
    this.open.push(this.parent(this.add(spec, this.offset, 0, "")));
  }

  pop(value?: NodeValue): void {
    if (this.open.length <= this.floor) return;
    const node = this.open.pop();
    if (!node || node === DISCARDED) return;
    node.length = this.offset - node.offset;
    node.value = value === undefined ? { format: "byte_count", n: node.length } : valueOf(value);
  }

  finding<A extends string>(spec: FindingSpec<A>, ...rest: FindingRest<A>): void {
    const values = typeof rest[0] === "object" ? (rest[0] as FindingValues<A>) : undefined;
    const at = values ? 1 : 0;
    const offset = (rest[at] as number | undefined) ?? this.offset;
    const length = (rest[at + 1] as number | undefined) ?? 0;
    this.findings.push(makeFinding(spec, values, offset, length, this.proto));
  }

  addFinding(finding: Finding): void {
    this.findings.push(finding);
  }

  frame(summary: string): DissectedFrame {
    while (this.open.length > this.floor) this.pop();
    return { protocol: this.proto, summary, offset: 0, length: this.input.length, fields: this.roots, findings: this.findings };
  }
}

/** A cursor over `bytes` whose fields and findings belong to `proto`; with `tree` false it keeps no nodes. */
export function createCursor(bytes: Uint8Array, proto: string, tree = true): Cursor {
  return new TreeCursor(bytes, proto, tree);
}

/**
 * `cur.bits(width, specs)` when the caller does not need the values: the same nodes and truncation, without the
 * array of values (one allocation per word) on the cursors made here.
 */
export function addBits(cur: Cursor, width: WordWidth, specs: readonly FieldSpec[], opts?: NumberOptions): void {
  if (cur instanceof TreeCursor) cur.bitWord(width, specs, opts);
  else cur.bits(width, specs, opts);
}

/**
 * `cur.item(spec, n, value)` when the caller does not need the bytes. Performance: the cursors made here skip
 * the view item() returns (one allocation per field); any other Cursor gets item() itself.
 */
export function addItem(cur: Cursor, spec: FieldSpec, n: number, value: NodeValue): void {
  if (cur instanceof TreeCursor) cur.itemOnly(spec, n, value);
  else cur.item(spec, n, value);
}

/** Text as a `quoted` value: escaped as it shows between quotes, cut at QUOTE_MAX characters. */
export function quoted(text: string): FieldValue {
  const { shown, cut } = escapeText(text);
  return { format: "quoted", text: shown, cut };
}

/**
 * Copies nodes made on another cursor (a message joined or inflated from this frame's bytes), with no length of
 * their own here: they stand for computed bytes, not for bytes of this frame.
 */
export function graft(cur: Cursor, nodes: readonly FieldNode[]): void {
  for (const node of nodes) {
    const spec: FieldSpec = { id: node.id, label: node.label, type: "none", blurb: node.blurb };
    if (node.children.length) {
      cur.push(spec);
      graft(cur, node.children);
      cur.pop(node.value);
    } else cur.item(spec, 0, node.value);
  }
}
