// Evaluates a parsed display filter (parse.ts) over one event: the values of its frames' field trees, read from
// each node's typed value and, for text and bytes, from the bytes the node covers (so `contains` sees what was
// sent, not the escaped text a page shows). Semantics as Wireshark 4's: a field with several occurrences matches
// a relation when any occurrence does, `!=` when none is equal; a relation on a field the event lacks is false.
// ISOMORPHIC: no node:*.

import type { FieldNode } from "../core/types";
import { COMPOUND_FIELDS, type FilterNode, type Literal } from "./parse";

/** One occurrence of a field: its number, its text, its bytes, whichever it has. */
export interface FilterValue {
  readonly num?: number;
  readonly str?: string;
  readonly bytes?: Uint8Array;
}

/** What a filter is evaluated against: the protocols present and every field's occurrences by id. */
export interface FilterRecord {
  readonly protocols: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, readonly FilterValue[]>;
}

/** A frame as the evaluator reads it: its protocol, its tree, and the bytes its nodes' offsets count in. */
export interface FilterFrame {
  readonly protocol: string;
  readonly fields: readonly FieldNode[];
  readonly bytes?: Uint8Array;
}

/** How much of a value `matches` reads: the regex engine is linear, and this bounds the line. */
export const MATCH_SUBJECT_CHARS = 4096;

const utf8 = new TextDecoder("utf-8");
const encoder = new TextEncoder();

function valueOf(node: FieldNode, bytes: Uint8Array | undefined): FilterValue {
  const raw = bytes && node.offset >= 0 && node.length > 0 && node.offset + node.length <= bytes.length ? bytes.subarray(node.offset, node.offset + node.length) : undefined;
  const v = node.value;
  switch (v.format) {
    case "number":
    case "hex":
    case "named":
    case "flags":
    case "window":
    case "shift":
    case "relative":
    case "option":
      return { num: Number(v.value), bytes: raw };
    case "flag":
      return { num: v.value ? 1 : 0 };
    case "byte_count":
    case "byte_length":
    case "options":
    case "blocks":
      return { num: v.n, bytes: raw };
    case "checksum":
      return { num: v.stored, bytes: raw };
    case "vlan":
      return { num: v.id };
    case "fragment":
      return { num: v.offset };
    case "quoted":
      return { str: raw ? utf8.decode(raw) : v.text, bytes: raw };
    case "plain":
      return { str: v.text, bytes: raw };
    case "bytes":
      return { str: raw ? utf8.decode(raw) : undefined, bytes: raw };
    case "truncated":
      return { bytes: raw };
  }
}

/**
 * The record of an event's frames, plus values the lab knows without dissecting (`frame.len`, `lab.service`) and
 * protocols present besides the frames' (the conversation's transport).
 */
export function filterRecord(frames: readonly FilterFrame[], extra: Readonly<Record<string, FilterValue>> = {}, protocols: readonly string[] = []): FilterRecord {
  const present = new Set<string>(protocols);
  const values = new Map<string, FilterValue[]>();
  const add = (id: string, value: FilterValue) => {
    const list = values.get(id);
    if (list) list.push(value);
    else values.set(id, [value]);
  };
  for (const frame of frames) {
    present.add(frame.protocol);
    const walk = (nodes: readonly FieldNode[]) => {
      for (const node of nodes) {
        add(node.id, valueOf(node, frame.bytes));
        const dot = node.id.indexOf(".");
        if (dot > 0) present.add(node.id.slice(0, dot));
        walk(node.children);
      }
    };
    walk(frame.fields);
  }
  for (const [id, value] of Object.entries(extra)) add(id, value);
  return { protocols: present, values };
}

function occurrences(record: FilterRecord, field: string): readonly FilterValue[] {
  const parts = COMPOUND_FIELDS[field];
  if (!parts) return record.values.get(field) ?? [];
  return parts.flatMap((id) => record.values.get(id) ?? []);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function includesBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function order(rel: "==" | "<" | "<=" | ">" | ">=", d: number): boolean {
  switch (rel) {
    case "==":
      return d === 0;
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    case ">":
      return d > 0;
    case ">=":
      return d >= 0;
  }
}

/** How one occurrence compares with the literal (negative, zero, positive), or undefined when they do not compare. */
function difference(value: FilterValue, lit: Literal): number | undefined {
  if (lit.kind === "number") {
    if (value.num !== undefined) return value.num - lit.value;
    if (value.str !== undefined && value.str.trim() !== "" && !Number.isNaN(Number(value.str))) return Number(value.str) - lit.value;
    return undefined;
  }
  if (lit.kind === "bytes") return value.bytes ? compareBytes(value.bytes, lit.value) : undefined;
  // A string: a flag's true/false, a number written as text, an address or a name.
  if (value.num !== undefined) {
    const word = lit.value.toLowerCase();
    if (word === "true" || word === "false") return value.num - (word === "true" ? 1 : 0);
    return value.str === undefined ? undefined : value.str < lit.value ? -1 : value.str > lit.value ? 1 : 0;
  }
  if (value.str !== undefined) return value.str < lit.value ? -1 : value.str > lit.value ? 1 : 0;
  if (value.bytes) return compareBytes(value.bytes, encoder.encode(lit.value));
  return undefined;
}

function contains(value: FilterValue, lit: Literal): boolean {
  if (lit.kind === "bytes") return value.bytes ? includesBytes(value.bytes, lit.value) : false;
  const needle = lit.kind === "number" ? lit.text : lit.value;
  if (value.str !== undefined) return value.str.includes(needle);
  return value.bytes ? includesBytes(value.bytes, encoder.encode(needle)) : false;
}

/** Whether the event the record describes passes the filter (no filter passes everything). */
export function matchFilter(filter: FilterNode | undefined, record: FilterRecord): boolean {
  if (!filter) return true;
  switch (filter.t) {
    case "or":
      return matchFilter(filter.left, record) || matchFilter(filter.right, record);
    case "and":
      return matchFilter(filter.left, record) && matchFilter(filter.right, record);
    case "not":
      return !matchFilter(filter.node, record);
    case "has":
      return record.protocols.has(filter.field) || occurrences(record, filter.field).length > 0;
  }
  const values = occurrences(record, filter.field);
  if (values.length === 0) return false;
  const { rel, value: lit } = filter;
  switch (rel) {
    case "contains":
      return values.some((v) => contains(v, lit));
    case "matches": {
      const regex = filter.regex;
      if (!regex) return false;
      return values.some((v) => {
        const subject = v.str ?? (v.num !== undefined ? String(v.num) : undefined);
        return subject !== undefined && regex.test(subject.slice(0, MATCH_SUBJECT_CHARS));
      });
    }
    case "!=":
      return values.every((v) => {
        const d = difference(v, lit);
        return d !== undefined && d !== 0;
      });
    default:
      return values.some((v) => {
        const d = difference(v, lit);
        return d !== undefined && order(rel, d);
      });
  }
}
