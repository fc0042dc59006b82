// HPACK (RFC 7541): header blocks decoded representation by representation, with every integer's and string's
// bytes, Huffman-coded strings shown both as sent and decoded (Appendix B's canonical code, built here from its
// code lengths), and the dynamic table kept per direction as connection state (§2.3, §4).
// Our own, because no library gives byte offsets. Modelled on Wireshark's packet-http2.c HPACK items.
// ISOMORPHIC: no Node imports.

import type { Cursor } from "../core/cursor";
import { defineFields } from "../core/fields";
import { defineFindings } from "../core/findings";
import type { FieldSpec } from "../core/types";

/** RFC 7541 Appendix A. */
export const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [":authority", ""], [":method", "GET"], [":method", "POST"], [":path", "/"], [":path", "/index.html"], [":scheme", "http"],
  [":scheme", "https"], [":status", "200"], [":status", "204"], [":status", "206"], [":status", "304"], [":status", "400"],
  [":status", "404"], [":status", "500"], ["accept-charset", ""], ["accept-encoding", "gzip, deflate"], ["accept-language", ""],
  ["accept-ranges", ""], ["accept", ""], ["access-control-allow-origin", ""], ["age", ""], ["allow", ""], ["authorization", ""],
  ["cache-control", ""], ["content-disposition", ""], ["content-encoding", ""], ["content-language", ""], ["content-length", ""],
  ["content-location", ""], ["content-range", ""], ["content-type", ""], ["cookie", ""], ["date", ""], ["etag", ""], ["expect", ""],
  ["expires", ""], ["from", ""], ["host", ""], ["if-match", ""], ["if-modified-since", ""], ["if-none-match", ""], ["if-range", ""],
  ["if-unmodified-since", ""], ["last-modified", ""], ["link", ""], ["location", ""], ["max-forwards", ""], ["proxy-authenticate", ""],
  ["proxy-authorization", ""], ["range", ""], ["referer", ""], ["refresh", ""], ["retry-after", ""], ["server", ""], ["set-cookie", ""],
  ["strict-transport-security", ""], ["transfer-encoding", ""], ["user-agent", ""], ["vary", ""], ["via", ""], ["www-authenticate", ""],
];

// RFC 7541 Appendix B: the code length of symbols 0..255 and EOS (256). The code is canonical (codes of one length
// are consecutive, in symbol order, shorter codes first), so the lengths determine every code.
const CODE_LENGTHS =
  "13,23,28,28,28,28,28,28,28,24,30,28,28,30,28,28,28,28,28,28,28,28,30,28,28,28,28,28,28,28,28,28," +
  "6,10,10,12,13,6,8,11,10,10,8,11,8,6,6,6,5,5,5,6,6,6,6,6,6,6,7,8,15,6,12,10," +
  "13,6,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,8,7,8,13,19,13,14,6," +
  "15,5,6,5,6,5,6,6,6,5,7,7,6,6,6,5,6,7,6,5,5,6,7,7,7,7,7,15,11,14,13,28," +
  "20,22,20,20,22,22,22,23,22,23,23,23,23,23,24,23,24,24,22,23,24,23,23,23,23,21,22,23,22,23,23,24," +
  "22,21,20,22,22,23,23,21,23,22,22,24,21,22,23,23,21,21,22,21,23,22,23,23,20,22,22,22,23,22,22,23," +
  "26,26,20,19,22,23,22,25,26,26,26,27,27,26,24,25,19,21,26,27,27,26,27,24,21,21,26,26,28,27,27,27," +
  "20,24,20,21,22,21,21,23,22,22,25,25,24,24,26,23,26,27,26,26,27,27,27,27,27,28,27,27,27,27,27,26,30";

const EOS = 256;

/** Canonical decoding tables: per length, the first code, and the symbols in code order (as puff.c does). */
const HUFFMAN = (() => {
  const lengths = CODE_LENGTHS.split(",").map(Number);
  const count = new Array<number>(31).fill(0);
  for (const l of lengths) count[l]!++;
  const symbols = lengths.map((l, s) => [l, s] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, s]) => s);
  return { count, symbols };
})();

export type HuffmanResult = { readonly text: Uint8Array; readonly error?: "eos" | "padding" | "incomplete" };

/** RFC 7541 §5.2: decodes Huffman-coded bytes; padding longer than 7 bits, or not all ones, is an error. */
export function huffmanDecode(bytes: Uint8Array): HuffmanResult {
  const out: number[] = [];
  const { count, symbols } = HUFFMAN;
  let code = 0;
  let first = 0;
  let index = 0;
  let len = 0;
  let ones = true;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      const v = (b >> bit) & 1;
      code = code | v;
      len++;
      ones = ones && v === 1;
      const c = count[len] ?? 0;
      if (code - c < first) {
        const symbol = symbols[index + (code - first)]!;
        if (symbol === EOS) return { text: Uint8Array.from(out), error: "eos" };
        out.push(symbol);
        code = first = index = len = 0;
        ones = true;
        continue;
      }
      if (len >= 30) return { text: Uint8Array.from(out), error: "eos" };
      index += c;
      first = (first + c) << 1;
      code <<= 1;
    }
  }
  if (len > 7) return { text: Uint8Array.from(out), error: "padding" };
  if (len > 0 && !ones) return { text: Uint8Array.from(out), error: "padding" };
  return { text: Uint8Array.from(out) };
}

// ---------------------------------------------------------------------------------------------
// The dynamic table (§2.3.2, §4)

export type HeaderField = readonly [name: string, value: string];

/** One direction's decoding context. Entries newest first; a snapshot array is replaced, never changed. */
export interface HpackTable {
  entries: readonly HeaderField[];
  size: number;
  maxSize: number;
}

/** SETTINGS_HEADER_TABLE_SIZE's initial value (RFC 9113 §6.5.2). */
export const DEFAULT_TABLE_SIZE = 4096;

export function createHpackTable(maxSize = DEFAULT_TABLE_SIZE): HpackTable {
  return { entries: [], size: 0, maxSize };
}

/** §4.1: an entry's size is its name's and value's lengths in octets plus 32. */
const utf8 = new TextEncoder();
export function entrySize([name, value]: HeaderField): number {
  return utf8.encode(name).length + utf8.encode(value).length + 32;
}

function evict(table: HpackTable, entries: HeaderField[]): void {
  while (table.size > table.maxSize && entries.length > 0) table.size -= entrySize(entries.pop()!);
}

function insert(table: HpackTable, field: HeaderField): void {
  const entries = [field, ...table.entries];
  table.size += entrySize(field);
  evict(table, entries);
  table.entries = entries;
}

function resize(table: HpackTable, maxSize: number): void {
  table.maxSize = maxSize;
  const entries = [...table.entries];
  evict(table, entries);
  table.entries = entries;
}

function lookup(table: HpackTable, index: number): HeaderField | undefined {
  if (index >= 1 && index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1];
  return table.entries[index - STATIC_TABLE.length - 1];
}

// ---------------------------------------------------------------------------------------------
// Fields and findings

export const hpackFields = defineFields("hpack", {
  header: { label: "Header", type: "none", blurb: "One header field representation (RFC 7541 §6): how the sender encoded this name and value." },
  indexed: {
    label: "Indexed",
    type: "bool",
    bitmask: 0x80,
    blurb: "A 1 in the top bit: the whole header is an entry of the static or dynamic table, named by its index alone.",
  },
  incremental: {
    label: "Literal with incremental indexing",
    type: "u8",
    bitmask: 0xc0,
    blurb: "The bits 01: a literal header that both sides then add to their dynamic tables, so the next time an index will do.",
  },
  without_indexing: {
    label: "Literal without indexing",
    type: "u8",
    bitmask: 0xf0,
    blurb: "The bits 0000: a literal header that is not added to the dynamic table.",
  },
  never_indexed: {
    label: "Literal never indexed",
    type: "u8",
    bitmask: 0xf0,
    blurb: "The bits 0001: a literal header that no intermediary may ever index, as for secrets such as authorization.",
  },
  size_update: {
    label: "Dynamic table size update",
    type: "u8",
    bitmask: 0xe0,
    blurb: "The bits 001: the encoder changes the dynamic table's maximum size, up to what SETTINGS_HEADER_TABLE_SIZE allows.",
  },
  index: { label: "Index", type: "u32", blurb: "1 to 61 name entries of the static table; 62 and up the dynamic table, newest entry first; 0 means a literal name follows." },
  "index.prefix": { label: "Prefix bits", type: "u8", blurb: "The integer's first bits; all ones mean it goes on in the next bytes (RFC 7541 §5.1)." },
  "index.continuation": { label: "Continuation bytes", type: "bytes", blurb: "7 bits of the integer per byte, least significant first; a top bit of 1 says another byte follows." },
  max_size: { label: "New maximum size", type: "u32", blurb: "The dynamic table's new maximum size in bytes; entries are evicted, oldest first, until they fit." },
  name: { label: "Name", type: "text", blurb: "The header's name as a string literal: a Huffman bit, a length and the bytes." },
  value: { label: "Value", type: "text", blurb: "The header's value as a string literal: a Huffman bit, a length and the bytes." },
  "string.huffman": { label: "Huffman-coded", type: "bool", bitmask: 0x80, blurb: "Set when the string's bytes are Huffman-coded with HPACK's fixed code (RFC 7541 Appendix B)." },
  "string.length": { label: "Length", type: "u32", blurb: "How many bytes the string takes as sent (Huffman-coded or not)." },
  "string.length.prefix": { label: "Length prefix bits", type: "u8", bitmask: 0x7f, blurb: "The length's first 7 bits; all ones mean it goes on in the next bytes." },
  "string.literal": { label: "Bytes", type: "text", blurb: "The string as it was sent, one byte per character." },
  "string.encoded": {
    label: "Huffman-coded bytes",
    type: "bytes",
    blurb: "The string as it was sent: frequent characters take 5 or 6 bits instead of 8, and the last byte is padded with ones.",
  },
  decoded: { label: "Decoded header", type: "text", blurb: "The name and value this representation stands for, after looking up tables and Huffman decoding." },
  table: { label: "Dynamic table after this block", type: "none", blurb: "The entries this direction's dynamic table holds once the block is decoded, newest first (index 62 first)." },
  "table.entry": { label: "Entry", type: "text", blurb: "One entry of the dynamic table: its index, name and value, and its size (name and value in bytes, plus 32)." },
  "table.size": { label: "Table size", type: "u32", blurb: "The sum of the entries' sizes, in bytes, against the maximum the encoder may use." },
});

export const hpackFindings = defineFindings("hpack", {
  index_invalid: { severity: "error", message: "Index {index} names no entry: the static table has 61 and the dynamic table {entries} (RFC 7541 §2.3.3)." },
  string_past_end: { severity: "error", message: "A string literal's length runs past the end of the header block." },
  integer_overflow: { severity: "error", message: "This integer does not end within 5 continuation bytes: the lab stops reading the block here." },
  huffman_invalid: {
    severity: "error",
    forms: {
      eos: "The Huffman-coded string contains the EOS symbol, which RFC 7541 §5.2 forbids.",
      padding: "The Huffman-coded string ends with padding that is longer than 7 bits or not all ones (RFC 7541 §5.2).",
    },
  },
  size_update_too_big: { severity: "error", message: "The new table size {size} is over the {limit} the decoder allows (RFC 7541 §6.3)." },
  size_update_misplaced: { severity: "error", message: "A dynamic table size update after a header: it must come at the start of a block (RFC 7541 §4.2)." },
  unknown_context: {
    severity: "note",
    message: "An earlier header block of this direction could not be decoded, so the dynamic table is unknown and indexes past 61 cannot be resolved.",
  },
});

const f = hpackFields;
const x = hpackFindings;

// ---------------------------------------------------------------------------------------------
// Decoding with a tree

/** The prefix integer at `at` (RFC 7541 §5.1), as [value, bytes]; undefined when it runs past the end or grows too long. */
export function readInteger(bytes: Uint8Array, at: number, end: number, prefixBits: number): { value: number; length: number } | "short" | "overflow" {
  if (at >= end) return "short";
  const mask = (1 << prefixBits) - 1;
  let value = bytes[at]! & mask;
  if (value < mask) return { value, length: 1 };
  let shift = 0;
  for (let i = at + 1; i < end; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value, length: i - at + 1 };
    if (shift >= 35) return "overflow";
  }
  return "short";
}

/** What decoding one block gives: the header list and whether it stopped early. */
export interface HeaderBlock {
  readonly headers: HeaderField[];
  readonly ok: boolean;
}

const latin = new TextDecoder("latin1");
const utf8Text = new TextDecoder("utf-8");

/** An integer's nodes: one leaf over the prefix bits when it fits them, else the prefix and the continuation bytes. */
function addInteger(cur: Cursor, spec: FieldSpec, prefixSpec: FieldSpec, prefixBits: number, n: { value: number; length: number }): void {
  const mask = (1 << prefixBits) - 1;
  if (n.length === 1) {
    cur.item(spec, 1, { format: "number", value: n.value }, mask);
    return;
  }
  cur.push(spec);
  cur.item(prefixSpec, 1, { format: "number", value: mask }, mask);
  cur.bytes(f["index.continuation"], n.length - 1);
  cur.pop({ format: "number", value: n.value });
}

/** A string literal (§5.2) at the cursor; undefined when it could not be read. */
function addString(cur: Cursor, spec: FieldSpec, bytes: Uint8Array, end: number): string | undefined {
  const at = cur.offset;
  const n = readInteger(bytes, at, end, 7);
  if (n === "overflow") {
    cur.finding(x.integer_overflow, at, end - at);
    return undefined;
  }
  if (n === "short" || at + n.length + n.value > end) {
    cur.finding(x.string_past_end, at, end - at);
    return undefined;
  }
  const huffman = (bytes[at]! & 0x80) !== 0;
  const raw = bytes.subarray(at + n.length, at + n.length + n.value);
  let text: string;
  let error: HuffmanResult["error"];
  if (huffman) {
    const decoded = huffmanDecode(raw);
    text = utf8Text.decode(decoded.text);
    error = decoded.error;
  } else text = utf8Text.decode(raw);
  if (cur.tree) {
    cur.push(spec);
    cur.item(f["string.huffman"], 1, { format: "flag", value: huffman }, 0x80);
    cur.back(1);
    if (n.length === 1) cur.item(f["string.length"], 1, { format: "number", value: n.value }, 0x7f);
    else {
      cur.push(f["string.length"]);
      cur.item(f["string.length.prefix"], 1, { format: "number", value: 0x7f }, 0x7f);
      cur.bytes(f["index.continuation"], n.length - 1);
      cur.pop({ format: "number", value: n.value });
    }
    if (huffman) cur.bytes(f["string.encoded"], n.value);
    else cur.item(f["string.literal"], n.value, quotedText(latin.decode(raw)));
    cur.pop(quotedText(text));
  } else cur.skip(n.length + n.value);
  if (error === "eos" || error === "padding") cur.finding(x.huffman_invalid[error], at, n.length + n.value);
  return text;
}

function quotedText(text: string) {
  return { format: "quoted", text: text.length > 200 ? text.slice(0, 200) : text, cut: text.length > 200 } as const;
}

export interface DecodeOptions {
  /** The largest table size SETTINGS allow the encoder (a size update above it is an error). */
  readonly limit?: number;
  /** Whether to add a node for the table after the block. */
  readonly showTable?: boolean;
}

/**
 * Decodes the header block [cur.offset, end) of `bytes` (the cursor's input) against `table`, changing the table as
 * the block says, with a node per representation. Never throws; stops at the first representation it cannot read.
 */
export function decodeHeaderBlock(cur: Cursor, bytes: Uint8Array, end: number, table: HpackTable, options: DecodeOptions = {}): HeaderBlock {
  const headers: HeaderField[] = [];
  const limit = options.limit ?? Math.max(DEFAULT_TABLE_SIZE, table.maxSize);
  let ok = true;
  while (cur.offset < end) {
    const at = cur.offset;
    const b = bytes[at]!;
    const prefix = b & 0x80 ? 7 : (b & 0xc0) === 0x40 ? 6 : (b & 0xe0) === 0x20 ? 5 : 4;
    const n = readInteger(bytes, at, end, prefix);
    if (n === "overflow" || n === "short") {
      cur.finding(x.integer_overflow, at, end - at);
      ok = false;
      break;
    }
    if (prefix === 5) {
      cur.push(f.size_update);
      cur.item(f.size_update, 1, { format: "named", value: 1, name: "001" }, 0xe0);
      cur.back(1);
      addInteger(cur, f.max_size, f["index.prefix"], 5, n);
      cur.pop({ format: "number", value: n.value });
      if (headers.length > 0) cur.finding(x.size_update_misplaced, at, n.length);
      if (n.value > limit) cur.finding(x.size_update_too_big, { size: n.value, limit }, at, n.length);
      resize(table, n.value);
      continue;
    }
    cur.push(f.header);
    let field: HeaderField | undefined;
    if (prefix === 7) {
      cur.item(f.indexed, 1, { format: "flag", value: true }, 0x80);
      cur.back(1);
      addInteger(cur, f.index, f["index.prefix"], 7, n);
      field = lookup(table, n.value);
      if (!field || n.value === 0) {
        cur.finding(x.index_invalid, { index: n.value, entries: table.entries.length }, at, n.length);
        cur.pop("");
        ok = false;
        break;
      }
    } else {
      const kind = prefix === 6 ? f.incremental : b & 0x10 ? f.never_indexed : f.without_indexing;
      const pattern = prefix === 6 ? "01" : b & 0x10 ? "0001" : "0000";
      cur.item(kind, 1, { format: "named", value: prefix === 6 ? 1 : b & 0x10 ? 1 : 0, name: pattern }, prefix === 6 ? 0xc0 : 0xf0);
      cur.back(1);
      addInteger(cur, f.index, f["index.prefix"], prefix, n);
      let name: string | undefined;
      if (n.value === 0) name = addString(cur, f.name, bytes, end);
      else {
        name = lookup(table, n.value)?.[0];
        if (name === undefined) cur.finding(x.index_invalid, { index: n.value, entries: table.entries.length }, at, n.length);
      }
      const value = name === undefined ? undefined : addString(cur, f.value, bytes, end);
      if (name === undefined || value === undefined) {
        cur.pop("");
        ok = false;
        break;
      }
      field = [name, value];
      if (prefix === 6) insert(table, field);
    }
    if (cur.tree) cur.item(f.decoded, 0, quotedText(`${field[0]}: ${field[1]}`));
    cur.pop(quotedText(`${field[0]}: ${field[1]}`));
    headers.push(field);
  }
  if (options.showTable && cur.tree) addTable(cur, table);
  return { headers, ok };
}

/** The table's entries as computed nodes (no bytes of their own). */
export function addTable(cur: Cursor, table: HpackTable): void {
  cur.push(f.table);
  table.entries.forEach((entry, i) => cur.item(f["table.entry"], 0, quotedText(`[${STATIC_TABLE.length + 1 + i}] ${entry[0]}: ${entry[1]} (${entrySize(entry)})`)));
  cur.item(f["table.size"], 0, { format: "plain", text: `${table.size} / ${table.maxSize}` });
  cur.pop({ format: "number", value: table.entries.length });
}
