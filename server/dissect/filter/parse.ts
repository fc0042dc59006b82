// The timeline's display filter (issue 15 §2): a subset of Wireshark's display filter language over the fields the
// lab's dissectors declare (catalogue.ts), parsed once and evaluated on the server (FilterEvents, the pcapng export)
// over the events' rebuilt trees. Wireshark's syntax (wireshark-filter(4)): a field alone tests presence
// (`tcp.flags.syn`, `http1`); comparisons `== != < <= > >=` and `eq ne lt le gt ge`; `contains`; `matches` (`~`);
// `&&`/`and`, `||`/`or`, `!`/`not`, parentheses; literals "strings", numbers (decimal, 0x hex), bytes `aa:bb:cc`
// and bare words (`127.0.0.1`). `and` binds tighter than `or`, as in Wireshark 4.
// An error names its code (words in app/_i18n, both languages) and the column it starts at, never a sentence.
// ISOMORPHIC: no node:*.

import { cataloguedFields } from "../catalogue";
import { PROTOCOLS } from "../protocols";
import { compileRegex, RegexError, type CompiledRegex } from "./regex";

export const FILTER_LIMITS = {
  /** Characters in a filter. */
  length: 1024,
  /** Comparisons and presence tests in one filter. */
  terms: 64,
  /** Parentheses and `not`s inside one another. */
  depth: 32,
} as const;

export const FILTER_ERROR_CODES = [
  "too_long",
  "too_many_terms",
  "too_deep",
  "unexpected_char",
  "unterminated_string",
  "bad_escape",
  "expected_field",
  "unknown_field",
  "expected_value",
  "expected_close",
  "unexpected_token",
  "bad_regex",
  "bad_number",
] as const;
export type FilterErrorCode = (typeof FILTER_ERROR_CODES)[number];

/** A filter that does not parse: what, and where (a 0-based column and a length to underline). */
export interface FilterError {
  readonly code: FilterErrorCode;
  readonly at: number;
  readonly length: number;
  /** Values its words show: the token, the unknown name and the nearest catalogued ids. */
  readonly args: Readonly<Record<string, string>>;
}

export const RELATIONS = ["==", "!=", "<", "<=", ">", ">=", "contains", "matches"] as const;
export type Relation = (typeof RELATIONS)[number];

const WORD_RELATIONS: Readonly<Record<string, Relation>> = { eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=", contains: "contains", matches: "matches" };

export type Literal =
  | { readonly kind: "number"; readonly value: number; readonly text: string }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "bytes"; readonly value: Uint8Array; readonly text: string };

export type FilterNode =
  | { readonly t: "or" | "and"; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly t: "not"; readonly node: FilterNode }
  /** `field` is the catalogued id (or a pseudo-field's) that the typed name resolves to. */
  | { readonly t: "has"; readonly field: string }
  | { readonly t: "cmp"; readonly field: string; readonly rel: Relation; readonly value: Literal; readonly regex?: CompiledRegex };

export type ParseResult = { readonly ok: true; readonly filter: FilterNode | undefined } | { readonly ok: false; readonly error: FilterError };

// ---------------------------------------------------------------------------------------------
// Names a filter may use

/**
 * Fields the lab knows of every event without dissecting it, and names made of two fields (`tcp.port` is the source
 * or the destination port), as Wireshark's `frame.*` and its `tcp.port`/`ip.addr`.
 */
export const PSEUDO_FIELDS = {
  "frame.len": "The bytes the event carries.",
  "frame.number": "The event's number on this session's timeline.",
  "lab.service": "The lab service the conversation reached (echo, time, http...).",
  "lab.direction": "c2s for what the client sent, s2c for what the server sent.",
  "lab.kind": "What happened: open, data, half-close, close, error, segment, lost, timeout, connect-failed.",
  "lab.conversation": "The conversation's id, as the timeline names it.",
  "tcp.port": "Either TCP port, source or destination.",
  "udp.port": "Either UDP port, source or destination.",
  "ipv4.addr": "Either IPv4 address, source or destination.",
  "ipv6.addr": "Either IPv6 address, source or destination.",
} as const;

/** The ids a name in a filter may stand for: `tcp.port` for both ports. */
export const COMPOUND_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "tcp.port": ["tcp.srcport", "tcp.dstport"],
  "udp.port": ["udp.srcport", "udp.dstport"],
  "ipv4.addr": ["ipv4.src", "ipv4.dst"],
  "ipv6.addr": ["ipv6.src", "ipv6.dst"],
};

/** Wireshark's names for the lab's protocol ids: `ip.ttl` is `ipv4.ttl`, `http.host` is `http1.host`. */
export const PROTOCOL_ALIASES: Readonly<Record<string, string>> = { ip: "ipv4", http: "http1", ws: "websocket", frame: "frame" };

export interface FilterName {
  readonly name: string;
  /** "protocol" for a protocol's name (presence only), "field" for a catalogued field, "pseudo" for the rest. */
  readonly kind: "protocol" | "field" | "pseudo";
  /** The catalogued type ("u16", "text"...), for completion's hint. */
  readonly type: string;
}

let names: readonly FilterName[] | undefined;
let byName: Map<string, FilterName> | undefined;

/** Every name a filter may use, sorted: protocols, catalogued fields and pseudo-fields. For completion. */
export function filterNames(): readonly FilterName[] {
  if (!names) {
    const all = new Map<string, FilterName>();
    for (const m of PROTOCOLS) all.set(m.id, { name: m.id, kind: "protocol", type: "protocol" });
    for (const spec of cataloguedFields()) if (!all.has(spec.id)) all.set(spec.id, { name: spec.id, kind: "field", type: spec.type });
    for (const id of Object.keys(PSEUDO_FIELDS)) all.set(id, { name: id, kind: "pseudo", type: id.startsWith("lab.") ? "text" : "u32" });
    names = [...all.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    byName = new Map(names.map((n) => [n.name, n]));
  }
  return names;
}

/** The id a typed name stands for (`ip.ttl` -> `ipv4.ttl`), if it names a protocol or field. */
export function resolveName(typed: string): string | undefined {
  filterNames();
  const dot = typed.indexOf(".");
  const head = dot < 0 ? typed : typed.slice(0, dot);
  const alias = PROTOCOL_ALIASES[head];
  const id = alias ? alias + (dot < 0 ? "" : typed.slice(dot)) : typed;
  return byName!.has(id) ? id : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** The catalogued names nearest a name that is none (what it starts, then by edit distance), at most `n`. */
export function nearestNames(typed: string, n = 3): string[] {
  const lower = typed.toLowerCase();
  return filterNames()
    .map((f) => ({ name: f.name, d: f.name.startsWith(lower) ? 0 : editDistance(lower, f.name) }))
    .sort((a, b) => a.d - b.d || a.name.length - b.name.length)
    .slice(0, n)
    .map((x) => x.name);
}

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { readonly k: "word"; readonly text: string; readonly at: number }
  | { readonly k: "string"; readonly text: string; readonly at: number; readonly length: number }
  | { readonly k: "op"; readonly text: string; readonly at: number }
  | { readonly k: "end"; readonly at: number };

class Fail {
  constructor(readonly error: FilterError) {}
}
const fail = (code: FilterErrorCode, at: number, length: number, args: Record<string, string> = {}): never => {
  throw new Fail({ code, at, length: Math.max(1, length), args });
};

const WORD = /[A-Za-z0-9_.:\-/]/;
const OPS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "~", "="];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const start = i++;
      let text = "";
      for (;;) {
        const d = src[i];
        if (d === undefined) fail("unterminated_string", start, src.length - start);
        i++;
        if (d === '"') break;
        if (d === "\\") {
          const e = src[i++];
          const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", '"': '"', "0": "\0" };
          if (e !== undefined && e in map) text += map[e];
          else if (e === "x" && /^[0-9a-fA-F]{2}$/.test(src.slice(i, i + 2))) {
            text += String.fromCharCode(parseInt(src.slice(i, i + 2), 16));
            i += 2;
          } else if (e === "x" || e === undefined) fail("bad_escape", i - 2, 2, { token: src.slice(i - 2, i + 2) });
          // Any other escape stays as typed, so a pattern's `\d` or `\.` reaches `matches` as it was written.
          else text += "\\" + e;
        } else text += d;
      }
      out.push({ k: "string", text, at: start, length: i - start });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      // A lone `=` is a common slip for `==`: said so where it stands.
      if (op === "=") fail("unexpected_char", i, 1, { token: "=" });
      out.push({ k: "op", text: op, at: i });
      i += op.length;
      continue;
    }
    if (WORD.test(c)) {
      const start = i;
      while (i < src.length && WORD.test(src[i]!)) i++;
      out.push({ k: "word", text: src.slice(start, i), at: start });
      continue;
    }
    fail("unexpected_char", i, 1, { token: c });
  }
  out.push({ k: "end", at: src.length });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Grammar: or := and (("||"|"or") and)*; and := unary (("&&"|"and") unary)*; unary := ("!"|"not") unary | primary;
// primary := "(" or ")" | field [relation value]

const NUMBER = /^(?:0x[0-9a-fA-F]+|-?\d+(?:\.\d+)?)$/;
const BYTES = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2})+$/;
const tokenText = (t: Token) => (t.k === "end" ? "" : t.k === "string" ? src(t) : t.text);
const src = (t: Token & { k: "string" }) => JSON.stringify(t.text);
const tokenLength = (t: Token) => (t.k === "end" ? 1 : t.k === "string" ? t.length : t.text.length);

/** Parses a display filter; a blank one is no filter (`filter` undefined). */
export function parseFilter(text: string): ParseResult {
  if (text.length > FILTER_LIMITS.length) return { ok: false, error: { code: "too_long", at: FILTER_LIMITS.length, length: text.length - FILTER_LIMITS.length, args: { max: String(FILTER_LIMITS.length) } } };
  try {
    const tokens = tokenize(text);
    let p = 0;
    let terms = 0;
    let depth = 0;
    const peek = () => tokens[p]!;
    const isWord = (t: Token, ...words: string[]) => t.k === "word" && words.includes(t.text.toLowerCase());
    const isOp = (t: Token, ...ops: string[]) => t.k === "op" && ops.includes(t.text);

    const deeper = (t: Token) => {
      if (++depth > FILTER_LIMITS.depth) fail("too_deep", t.at, 1, { max: String(FILTER_LIMITS.depth) });
    };

    function or(): FilterNode {
      let left = and();
      while (isOp(peek(), "||") || isWord(peek(), "or")) {
        p++;
        left = { t: "or", left, right: and() };
      }
      return left;
    }
    function and(): FilterNode {
      let left = unary();
      while (isOp(peek(), "&&") || isWord(peek(), "and")) {
        p++;
        left = { t: "and", left, right: unary() };
      }
      return left;
    }
    function unary(): FilterNode {
      const t = peek();
      if (isOp(t, "!") || isWord(t, "not")) {
        p++;
        deeper(t);
        const node: FilterNode = { t: "not", node: unary() };
        depth--;
        return node;
      }
      return primary();
    }
    function primary(): FilterNode {
      const t = peek();
      if (isOp(t, "(")) {
        p++;
        deeper(t);
        const inner = or();
        const close = peek();
        if (!isOp(close, ")")) fail("expected_close", close.at, tokenLength(close), { token: tokenText(close), open: String(t.at + 1) });
        p++;
        depth--;
        return inner;
      }
      if (t.k !== "word" || NUMBER.test(t.text) || isWord(t, "and", "or", "not", ...Object.keys(WORD_RELATIONS))) {
        fail("expected_field", t.at, tokenLength(t), { token: tokenText(t) });
      }
      const typed = (t as Token & { k: "word" }).text;
      const field = resolveName(typed);
      if (!field) fail("unknown_field", t.at, typed.length, { name: typed, nearest: nearestNames(typed).join(", ") });
      p++;
      if (++terms > FILTER_LIMITS.terms) fail("too_many_terms", t.at, typed.length, { max: String(FILTER_LIMITS.terms) });
      const r = peek();
      const rel: Relation | undefined = r.k === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(r.text) ? (r.text as Relation) : r.k === "op" && r.text === "~" ? "matches" : r.k === "word" ? WORD_RELATIONS[r.text.toLowerCase()] : undefined;
      if (!rel) return { t: "has", field: field! };
      p++;
      const v = peek();
      const value = literal(v);
      p++;
      if (rel === "matches") {
        if (value.kind !== "string") fail("bad_regex", v.at, tokenLength(v), { token: tokenText(v) });
        try {
          return { t: "cmp", field: field!, rel, value, regex: compileRegex((value as { value: string }).value) };
        } catch (err) {
          if (!(err instanceof RegexError)) throw err;
          // The column of the pattern's character in the filter: exact for patterns without escapes in the string.
          const at = v.at + (v.k === "string" ? 1 : 0) + err.at;
          fail("bad_regex", Math.min(at, v.at + tokenLength(v) - 1), 1, { reason: err.reason });
        }
      }
      return { t: "cmp", field: field!, rel, value };
    }
    function literal(v: Token): Literal {
      if (v.k === "string") return { kind: "string", value: v.text };
      if (v.k !== "word" || isWord(v, "and", "or", "not")) return fail("expected_value", v.at, tokenLength(v), { token: tokenText(v) });
      const w = v.text;
      if (BYTES.test(w)) return { kind: "bytes", value: Uint8Array.from(w.split(":"), (h) => parseInt(h, 16)), text: w };
      if (NUMBER.test(w)) {
        const n = w.startsWith("0x") ? parseInt(w, 16) : Number(w);
        if (!Number.isSafeInteger(Math.trunc(n))) fail("bad_number", v.at, w.length, { token: w });
        return { kind: "number", value: n, text: w };
      }
      if (/^\d/.test(w) && !/^\d+(\.\d+){3}$/.test(w) && !w.includes(":")) fail("bad_number", v.at, w.length, { token: w });
      // A bare word: an address, a name (`lab.service == echo`), `true`/`false` for a flag.
      return { kind: "string", value: w };
    }

    if (peek().k === "end") return { ok: true, filter: undefined };
    const filter = or();
    const rest = peek();
    if (rest.k !== "end") {
      if (isOp(rest, ")")) fail("unexpected_token", rest.at, 1, { token: ")" });
      fail("unexpected_token", rest.at, tokenLength(rest), { token: tokenText(rest) });
    }
    return { ok: true, filter };
  } catch (err) {
    if (err instanceof Fail) return { ok: false, error: err.error };
    throw err;
  }
}
