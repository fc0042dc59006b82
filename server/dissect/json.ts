// JSON texts as field trees whose every node points at its bytes (RFC 8259), for any protocol that carries JSON
// (HTTP bodies, JSON-RPC, JIM). Modelled on Wireshark's JSON dissector (epan/dissectors/packet-json.c: json.object,
// json.member, json.key, json.value.*), with one difference a byte-exact tree needs: RFC 8259 §2's six structural
// characters, with the insignificant whitespace around them that the grammar gives them (`begin-object = ws %x7B
// ws`), are leaves of their own, so that the leaves cover every byte of the text exactly once.
//
// The text is read in two steps: `parseJson` tokenises and checks the grammar (without building anything when the
// caller only needs the values), `addJsonTree` adds the nodes. A member's field can be named by the caller (JSON-RPC's
// `method`, `params`, `id`): the tree is the same, its ids say what the members mean. Never throws.
// ISOMORPHIC: no Node imports.

import { addItem, quoted, type Cursor } from "./core/cursor";
import { defineFields, escapeText } from "./core/fields";
import type { FieldSpec } from "./core/types";

export const jsonFields = defineFields("json", {
  object: { label: "Object", type: "none", blurb: "A JSON object: members, each a name and a value, between { and }." },
  array: { label: "Array", type: "none", blurb: "A JSON array: values in order, between [ and ]." },
  member: { label: "Member", type: "none", blurb: "One member of an object: a name, a colon and a value." },
  key: { label: "Name", type: "text", blurb: "The member's name: a JSON string, so it is always in double quotes." },
  string: { label: "String", type: "text", blurb: "A JSON string: characters in double quotes, with \\ escapes such as \\n and \\u00e9." },
  number: { label: "Number", type: "text", blurb: "A JSON number in decimal, as written: JSON has one number type, with no separate integers." },
  literal: { label: "Literal", type: "text", blurb: "One of the three literal names JSON has: true, false or null." },
  token: {
    label: "Structural character",
    type: "text",
    blurb:
      "One of the six structural characters of RFC 8259 ({ } [ ] : ,) with the whitespace around it, which the grammar gives to it and which changes nothing.",
  },
  whitespace: { label: "Whitespace", type: "text", blurb: "Spaces, tabs or line breaks outside any value, which a JSON reader skips." },
});
const f = jsonFields;

/** Nesting beyond this is not shown as a tree (a reader's stack is finite too; Python's json stops near 1000). */
export const JSON_MAX_DEPTH = 64;

export type JsonValue =
  | { readonly kind: "object"; readonly start: number; readonly end: number; readonly members: readonly JsonMember[]; readonly tokens: readonly Span[] }
  | { readonly kind: "array"; readonly start: number; readonly end: number; readonly items: readonly JsonValue[]; readonly tokens: readonly Span[] }
  | { readonly kind: "string"; readonly start: number; readonly end: number; readonly value: string }
  | { readonly kind: "number"; readonly start: number; readonly end: number; readonly value: string }
  | { readonly kind: "literal"; readonly start: number; readonly end: number; readonly value: "true" | "false" | "null" };

export interface JsonMember {
  readonly key: string;
  readonly keyStart: number;
  readonly keyEnd: number;
  /** The name separator `:` with its whitespace. */
  readonly colon: Span;
  readonly value: JsonValue;
}

/** A structural character with the whitespace the grammar gives it: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface JsonDocument {
  readonly value: JsonValue;
  /** Whitespace before and after a top-level value that has no structural character to own it. */
  readonly leading: Span | undefined;
  readonly trailing: Span | undefined;
}

/** Why a text is not JSON, and the offset where a reader stops. */
export interface JsonError {
  readonly error: "syntax" | "depth" | "encoding";
  readonly at: number;
}

type TokenKind = "{" | "}" | "[" | "]" | ":" | "," | "string" | "number" | "literal" | "end";
interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

const STRUCTURAL = new Set<TokenKind>(["{", "}", "[", "]", ":", ","]);
const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** Digits, `e`, `E`, `.`, `+` and `-`: the bytes a number token runs over (parseJson checks its grammar after). */
const isNumberByte = (b: number) => (b >= 0x30 && b <= 0x39) || b === 0x65 || b === 0x45 || b === 0x2e || b === 0x2b || b === 0x2d;
const isWs = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * The tokens of bytes[start, end), each structural one widened over the whitespace around it; or where the bytes
 * stop being JSON tokens.
 */
function tokenize(bytes: Uint8Array, start: number, end: number): Token[] | JsonError {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const b = bytes[i] as number;
    if (isWs(b)) {
      i++;
      continue;
    }
    const t0 = i;
    if (b === 0x7b || b === 0x7d || b === 0x5b || b === 0x5d || b === 0x3a || b === 0x2c) {
      tokens.push({ kind: String.fromCharCode(b) as TokenKind, start: t0, end: ++i });
    } else if (b === 0x22) {
      i++;
      let closed = false;
      while (i < end) {
        const c = bytes[i] as number;
        if (c === 0x22) {
          closed = true;
          i++;
          break;
        }
        if (c < 0x20) return { error: "syntax", at: i };
        i += c === 0x5c ? 2 : 1;
      }
      if (!closed || i > end) return { error: "syntax", at: Math.min(i, end) };
      tokens.push({ kind: "string", start: t0, end: i });
    } else if (b === 0x2d || (b >= 0x30 && b <= 0x39)) {
      while (i < end && isNumberByte(bytes[i] as number)) i++;
      tokens.push({ kind: "number", start: t0, end: i });
    } else if (b >= 0x61 && b <= 0x7a) {
      while (i < end && (bytes[i] as number) >= 0x61 && (bytes[i] as number) <= 0x7a) i++;
      tokens.push({ kind: "literal", start: t0, end: i });
    } else return { error: "syntax", at: i };
  }
  return tokens;
}

/** Bytes as Latin-1 text, a slice at a time (an argument list has a size limit). */
export function ascii(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i += 4096) out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  return out;
}

/**
 * Reads bytes[start, end) as one JSON text (RFC 8259 §2: a value with optional whitespace around it). The values are
 * decoded (strings unescaped); offsets are into `bytes`. Without `decode`, the text is only checked: strings of
 * ASCII without escapes read as "" (what a caller that needs no values saves).
 */
export function parseJson(bytes: Uint8Array, start = 0, end = bytes.length, decode = true): JsonDocument | JsonError {
  const tokens = tokenize(bytes, start, end);
  if (!Array.isArray(tokens)) return tokens;
  // Whitespace between two tokens goes to the structural one before it, else to the one after (RFC 8259's grammar
  // puts `ws` on both sides of each structural character; one of them owns it here so that no byte is counted twice).
  const spans: Span[] = tokens.map((t) => ({ start: t.start, end: t.end }));
  let leading: Span | undefined;
  let trailing: Span | undefined;
  for (let k = 0; k <= tokens.length; k++) {
    const gapStart = k === 0 ? start : (tokens[k - 1] as Token).end;
    const gapEnd = k === tokens.length ? end : (tokens[k] as Token).start;
    if (gapEnd <= gapStart) continue;
    const before = k > 0 ? (tokens[k - 1] as Token) : undefined;
    const after = k < tokens.length ? (tokens[k] as Token) : undefined;
    if (before && STRUCTURAL.has(before.kind)) spans[k - 1] = { start: (spans[k - 1] as Span).start, end: gapEnd };
    else if (after && STRUCTURAL.has(after.kind)) spans[k] = { start: gapStart, end: (spans[k] as Span).end };
    else if (!before) leading = { start: gapStart, end: gapEnd };
    else if (!after) trailing = { start: gapStart, end: gapEnd };
    else return { error: "syntax", at: gapEnd };
  }

  const reader = new Reader(bytes, tokens, spans, end, decode);
  const top = reader.value(0);
  if (!top) return reader.failure ?? { error: "syntax", at: start };
  if (reader.k < tokens.length) return { error: "syntax", at: reader.peek().start };
  return { value: top, leading, trailing };
}

/**
 * The recursive descent over the tokens. Performance: a class, not closures made per text (tsx's keepNames wraps each
 * closure in a call, every time it is made).
 */
class Reader {
  k = 0;
  failure: JsonError | undefined = undefined;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly tokens: readonly Token[],
    private readonly spans: readonly Span[],
    private readonly end: number,
    private readonly decode: boolean,
  ) {}

  peek(): Token {
    return this.tokens[this.k] ?? { kind: "end", start: this.end, end: this.end };
  }

  fail(error: JsonError["error"], at: number): undefined {
    this.failure ??= { error, at };
    return undefined;
  }

  value(depth: number): JsonValue | undefined {
    const { bytes, spans, decode } = this;
    const t = this.peek();
    const span = spans[this.k];
    if (t.kind === "{" || t.kind === "[") {
      if (depth >= JSON_MAX_DEPTH) return this.fail("depth", t.start);
      this.k++;
      const structural: Span[] = [span as Span];
      const close = t.kind === "{" ? "}" : "]";
      const members: JsonMember[] = [];
      const items: JsonValue[] = [];
      if (this.peek().kind !== close) {
        for (;;) {
          if (t.kind === "{") {
            const keyToken = this.peek();
            if (keyToken.kind !== "string") return this.fail("syntax", keyToken.start);
            const key = stringValue(bytes, keyToken, decode);
            if (key === undefined) return this.fail("encoding", keyToken.start);
            this.k++;
            if (this.peek().kind !== ":") return this.fail("syntax", this.peek().start);
            const colon = spans[this.k] as Span;
            this.k++;
            const v = this.value(depth + 1);
            if (!v) return undefined;
            members.push({ key, keyStart: keyToken.start, keyEnd: keyToken.end, colon, value: v });
          } else {
            const v = this.value(depth + 1);
            if (!v) return undefined;
            items.push(v);
          }
          const next = this.peek();
          if (next.kind === ",") {
            structural.push(spans[this.k] as Span);
            this.k++;
            continue;
          }
          if (next.kind !== close) return this.fail("syntax", next.start);
          break;
        }
      }
      const last = spans[this.k] as Span;
      structural.push(last);
      this.k++;
      const from = (span as Span).start;
      return t.kind === "{"
        ? { kind: "object", start: from, end: last.end, members, tokens: structural }
        : { kind: "array", start: from, end: last.end, items, tokens: structural };
    }
    if (t.kind === "string") {
      const s = stringValue(bytes, t, decode);
      if (s === undefined) return this.fail("encoding", t.start);
      this.k++;
      return { kind: "string", start: t.start, end: t.end, value: s };
    }
    if (t.kind === "number") {
      const text = ascii(bytes, t.start, t.end);
      if (!NUMBER.test(text)) return this.fail("syntax", t.start);
      this.k++;
      return { kind: "number", start: t.start, end: t.end, value: text };
    }
    if (t.kind === "literal") {
      const text = ascii(bytes, t.start, t.end);
      if (text !== "true" && text !== "false" && text !== "null") return this.fail("syntax", t.start);
      this.k++;
      return { kind: "literal", start: t.start, end: t.end, value: text };
    }
    return this.fail("syntax", t.start);
  }
}

/** A string token's value, unescaped; undefined when its bytes are not UTF-8 or its escapes are not JSON's. */
function stringValue(bytes: Uint8Array, t: Token, decode = true): string | undefined {
  // Nearly every string is ASCII without escapes: its bytes are its characters.
  let plain = true;
  for (let i = t.start + 1; i < t.end - 1 && plain; i++) {
    const b = bytes[i] as number;
    if (b === 0x5c || b >= 0x80) plain = false;
  }
  if (plain) return decode ? ascii(bytes, t.start + 1, t.end - 1) : "";
  try {
    const parsed: unknown = JSON.parse(fatal.decode(bytes.subarray(t.start, t.end)));
    return typeof parsed === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function isJsonError(x: JsonDocument | JsonError): x is JsonError {
  return "error" in x;
}

/** A member's field, chosen by the caller from where the member sits; undefined for json.member. */
export type MemberNamer = (path: readonly (string | number)[], member: JsonMember) => FieldSpec | undefined;
/** A container's field (object or array), chosen by where it sits; undefined for json.object / json.array. */
export type ContainerNamer = (path: readonly (string | number)[], value: JsonValue) => FieldSpec | undefined;

export interface JsonNaming {
  readonly member?: MemberNamer;
  readonly container?: ContainerNamer;
}

/** A short preview of a value, as a member's node shows it (`"name": "Alice"`): `"Alice"`, `30`, `true`, `{…}`, `[…]`. */
export function jsonPreview(v: JsonValue): string {
  switch (v.kind) {
    case "object":
      return v.members.length ? "{…}" : "{}";
    case "array":
      return v.items.length ? "[…]" : "[]";
    case "string": {
      const { shown, cut } = escapeText(v.value, 40);
      return cut ? `"${shown}"…` : `"${shown}"`;
    }
    default:
      return v.value;
  }
}

/** Moves the cursor to `at`; the spans handed in are in order, so this only ever closes a gap of zero. */
function seek(cur: Cursor, at: number): void {
  if (cur.offset < at) cur.skip(at - cur.offset);
}

function token(cur: Cursor, bytes: Uint8Array, span: Span): void {
  seek(cur, span.start);
  addItem(cur, f.token, span.end - span.start, quoted(ascii(bytes, span.start, span.end)));
}

function addValue(cur: Cursor, bytes: Uint8Array, v: JsonValue, path: (string | number)[], naming: JsonNaming | undefined): void {
  seek(cur, v.start);
  if (v.kind === "object" || v.kind === "array") {
    const spec = naming?.container?.(path, v) ?? (v.kind === "object" ? f.object : f.array);
    const n = v.kind === "object" ? v.members.length : v.items.length;
    cur.push(spec);
    token(cur, bytes, v.tokens[0] as Span);
    for (let i = 0; i < n; i++) {
      if (v.kind === "object") {
        const m = v.members[i] as JsonMember;
        path.push(m.key);
        cur.push(naming?.member?.(path, m) ?? f.member);
        addItem(cur, f.key, m.keyEnd - m.keyStart, quoted(m.key));
        token(cur, bytes, m.colon);
        addValue(cur, bytes, m.value, path, naming);
        cur.pop(`"${escapeText(m.key, 40).shown}": ${jsonPreview(m.value)}`);
        path.pop();
      } else {
        path.push(i);
        addValue(cur, bytes, v.items[i] as JsonValue, path, naming);
        path.pop();
      }
      token(cur, bytes, v.tokens[i + 1] as Span);
    }
    if (n === 0) token(cur, bytes, v.tokens[1] as Span);
    cur.pop(v.kind === "object" ? `{${n}}` : `[${n}]`);
    return;
  }
  const spec = v.kind === "string" ? f.string : v.kind === "number" ? f.number : f.literal;
  addItem(cur, spec, v.end - v.start, v.kind === "string" ? quoted(v.value) : v.value);
}

/** Adds the nodes of a parsed JSON text at the cursor (which must stand at the text's first byte). */
export function addJsonTree(cur: Cursor, bytes: Uint8Array, doc: JsonDocument, naming?: JsonNaming): void {
  if (doc.leading) addItem(cur, f.whitespace, doc.leading.end - doc.leading.start, quoted(ascii(bytes, doc.leading.start, doc.leading.end)));
  addValue(cur, bytes, doc.value, [], naming);
  if (doc.trailing) {
    seek(cur, doc.trailing.start);
    addItem(cur, f.whitespace, doc.trailing.end - doc.trailing.start, quoted(ascii(bytes, doc.trailing.start, doc.trailing.end)));
  }
}

/** A member of an object by name. */
export function member(v: JsonValue | undefined, key: string): JsonValue | undefined {
  return v?.kind === "object" ? v.members.find((m) => m.key === key)?.value : undefined;
}
