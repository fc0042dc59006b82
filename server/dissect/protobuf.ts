// Protocol Buffers wire format (protobuf.dev/programming-guides/encoding): each field's key (field number and wire
// type) and value with every varint's bytes, read schema-less (types guessed: a varint as unsigned, zig-zag and bool,
// a length-delimited value as text, a nested message or bytes) or with a @bufbuild/protobuf message descriptor
// (names, scalar types, enums, maps, repeated and packed fields, google.protobuf.Timestamp as a time).
// Modelled on Wireshark's packet-protobuf.c. ISOMORPHIC: no Node imports (descriptors are plain objects).

import { ScalarType, type DescEnum, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { Cursor } from "./core/cursor";
import { defineFields } from "./core/fields";
import { defineFindings } from "./core/findings";
import type { FieldSpec } from "./core/types";

export const WIRE_TYPES = { varint: 0, i64: 1, len: 2, sgroup: 3, egroup: 4, i32: 5 } as const;
export const WIRE_TYPE_NAMES: Readonly<Record<number, string>> = { 0: "VARINT", 1: "I64", 2: "LEN", 3: "SGROUP", 4: "EGROUP", 5: "I32" };

export const protobufFields = defineFields("protobuf", {
  message: { label: "Message", type: "none", blurb: "A protobuf message: fields one after another, each a key and a value, in any order." },
  field: { label: "Field", type: "none", blurb: "One field as sent: its key, then its value encoded as the wire type says." },
  key: { label: "Key (tag)", type: "u32", blurb: "A varint: the field number shifted left by 3, plus the wire type in the low 3 bits." },
  field_number: { label: "Field number", type: "u32", bitmask: 0xf8, blurb: "The number the .proto gives the field: the message's names never travel, only these numbers." },
  wire_type: {
    label: "Wire type",
    type: "u8",
    bitmask: 0x07,
    names: WIRE_TYPE_NAMES,
    blurb: "How the value is encoded: 0 varint, 1 eight bytes, 2 length-delimited, 5 four bytes (3 and 4 are deprecated groups).",
  },
  varint: {
    label: "Varint",
    type: "u64",
    blurb: "A variable-length integer: 7 bits per byte, least significant group first; a top bit of 1 says another byte follows.",
  },
  length: { label: "Length", type: "u32", blurb: "A varint: how many bytes the value that follows takes." },
  fixed64: { label: "64-bit value", type: "bytes", blurb: "Eight bytes, little-endian: fixed64, sfixed64 or double." },
  fixed32: { label: "32-bit value", type: "bytes", blurb: "Four bytes, little-endian: fixed32, sfixed32 or float." },
  string: { label: "String", type: "text", blurb: "Length-delimited bytes read as UTF-8 text." },
  bytes: { label: "Bytes", type: "bytes", blurb: "Length-delimited bytes the application gives meaning to." },
  packed: { label: "Packed values", type: "none", blurb: "A repeated number field sent packed: one key and length, then the values back to back." },
  guess: { label: "Could be", type: "text", blurb: "Without the .proto the wire type is all there is: what these bytes read as in each type that encodes so." },
  value: { label: "Value", type: "text", blurb: "The value in the type the .proto declares for this field." },
  time: { label: "Time", type: "text", blurb: "A google.protobuf.Timestamp: seconds and nanoseconds since 1970-01-01 UTC, shown as a date and time." },
  map_entry: { label: "Map entry", type: "none", blurb: "A map is sent as repeated entries, each a small message with the key as field 1 and the value as field 2." },
});

export const protobufFindings = defineFindings("protobuf", {
  bad_wire_type: { severity: "error", message: "Wire type {type} does not exist: a decoder stops here (INVALID_ARGUMENT in gRPC)." },
  group: { severity: "warn", message: "Wire type {type} is a group, deprecated since proto2; the lab does not read into groups." },
  field_zero: { severity: "error", message: "Field number 0 is not allowed: numbers start at 1." },
  varint_too_long: { severity: "error", message: "A varint longer than 10 bytes, or cut off: a decoder stops here." },
  length_past_end: { severity: "error", message: "The length {length} runs past the end of the message ({left} bytes left)." },
  wire_type_mismatch: { severity: "warn", message: "Field {field} is declared {declared} but sent with wire type {type}: a decoder rejects it." },
  unknown_field: { severity: "note", message: "Field number {number} is not in the .proto the lab knows: kept as an unknown field." },
  too_deep: { severity: "warn", message: "Messages nested deeper than {depth} levels are shown as bytes." },
});

const f = protobufFields;
const x = protobufFindings;
const MAX_DEPTH = 16;
const fatal = new TextDecoder("utf-8", { fatal: true });

/** A varint at `at` (up to 10 bytes), or undefined when it does not end before `end` or is too long. */
export function readVarint(bytes: Uint8Array, at: number, end: number): { value: bigint; length: number } | undefined {
  let value = 0n;
  for (let i = 0; i < 10 && at + i < end; i++) {
    const b = bytes[at + i]!;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return { value, length: i + 1 };
  }
  return undefined;
}

export const zigzag = (v: bigint): bigint => (v & 1n ? -((v + 1n) >> 1n) : v >> 1n);
const asInt64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const asInt32 = (v: bigint): bigint => BigInt.asIntN(32, v);

/** Whether [at, end) reads as a message: fields with valid keys and lengths, ending exactly at `end`. */
function looksLikeMessage(bytes: Uint8Array, at: number, end: number, depth = 0): boolean {
  if (at >= end || depth > MAX_DEPTH) return false;
  while (at < end) {
    const key = readVarint(bytes, at, end);
    if (!key || key.value >> 3n === 0n || key.value >> 3n > 536870911n) return false;
    at += key.length;
    const wire = Number(key.value & 7n);
    if (wire === 0) {
      const v = readVarint(bytes, at, end);
      if (!v) return false;
      at += v.length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const n = readVarint(bytes, at, end);
      if (!n || n.value > BigInt(end - at - n.length)) return false;
      at += n.length + Number(n.value);
    } else return false;
  }
  return at === end;
}

function printable(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text);
}

/** A field's declared type, as far as the wire cares. */
type Declared =
  | { readonly kind: "scalar"; readonly scalar: ScalarType }
  | { readonly kind: "enum"; readonly desc: DescEnum }
  | { readonly kind: "message"; readonly desc: DescMessage }
  | { readonly kind: "map"; readonly key: ScalarType; readonly value: Declared };

function declaredOf(field: DescField): { type: Declared; repeated: boolean } {
  switch (field.fieldKind) {
    case "scalar":
      return { type: { kind: "scalar", scalar: field.scalar }, repeated: false };
    case "enum":
      return { type: { kind: "enum", desc: field.enum }, repeated: false };
    case "message":
      return { type: { kind: "message", desc: field.message }, repeated: false };
    case "list":
      if (field.listKind === "scalar") return { type: { kind: "scalar", scalar: field.scalar }, repeated: true };
      if (field.listKind === "enum") return { type: { kind: "enum", desc: field.enum }, repeated: true };
      return { type: { kind: "message", desc: field.message }, repeated: true };
    case "map": {
      const value: Declared =
        field.mapKind === "scalar" ? { kind: "scalar", scalar: field.scalar } : field.mapKind === "enum" ? { kind: "enum", desc: field.enum } : { kind: "message", desc: field.message };
      return { type: { kind: "map", key: field.mapKey, value }, repeated: true };
    }
  }
}

/** The wire type a declared type is sent with (a packed repeated number comes as LEN). */
function wireOf(t: Declared): number {
  if (t.kind !== "scalar") return t.kind === "enum" ? 0 : 2;
  switch (t.scalar) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return 1;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return 5;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return 2;
    default:
      return 0;
  }
}

const SCALAR_NAMES: Readonly<Record<number, string>> = {
  1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64", 7: "fixed32", 8: "bool", 9: "string", 12: "bytes",
  13: "uint32", 15: "sfixed32", 16: "sfixed64", 17: "sint32", 18: "sint64",
};

function typeName(t: Declared): string {
  if (t.kind === "scalar") return SCALAR_NAMES[t.scalar] ?? "scalar";
  if (t.kind === "map") return `map<${SCALAR_NAMES[t.key] ?? ""}, ${typeName(t.value)}>`;
  return t.desc.typeName;
}

/** A number read as its declared scalar or enum type. */
function varintAs(t: Declared | undefined, v: bigint): string {
  if (!t) return `${v}`;
  if (t.kind === "enum") {
    const n = Number(asInt32(v));
    return `${t.desc.values.find((e) => e.number === n)?.name ?? "?"} (${n})`;
  }
  if (t.kind !== "scalar") return `${v}`;
  switch (t.scalar) {
    case ScalarType.INT32:
      return `${asInt32(v)}`;
    case ScalarType.INT64:
      return `${asInt64(v)}`;
    case ScalarType.UINT32:
      return `${BigInt.asUintN(32, v)}`;
    case ScalarType.SINT32:
    case ScalarType.SINT64:
      return `${zigzag(v)}`;
    case ScalarType.BOOL:
      return v !== 0n ? "true" : "false";
    default:
      return `${v}`;
  }
}

function fixedAs(t: Declared | undefined, bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scalar = t?.kind === "scalar" ? t.scalar : undefined;
  if (bytes.length === 8) {
    if (scalar === ScalarType.DOUBLE) return `${view.getFloat64(0, true)}`;
    if (scalar === ScalarType.SFIXED64) return `${view.getBigInt64(0, true)}`;
    if (scalar === ScalarType.FIXED64) return `${view.getBigUint64(0, true)}`;
    return `${view.getBigUint64(0, true)} / ${view.getBigInt64(0, true)} / ${view.getFloat64(0, true)}`;
  }
  if (scalar === ScalarType.FLOAT) return `${view.getFloat32(0, true)}`;
  if (scalar === ScalarType.SFIXED32) return `${view.getInt32(0, true)}`;
  if (scalar === ScalarType.FIXED32) return `${view.getUint32(0, true)}`;
  return `${view.getUint32(0, true)} / ${view.getInt32(0, true)} / ${view.getFloat32(0, true)}`;
}

const plain = (text: string) => ({ format: "plain", text }) as const;
const quoted = (text: string) => ({ format: "quoted", text: text.length > 200 ? text.slice(0, 200) : text, cut: text.length > 200 }) as const;

/** Summaries stop at about 300 characters, with an ellipsis. */
const clip = (s: string): string => (s.length > 300 ? `${s.slice(0, 299)}…` : s);

/** A varint's node: one leaf over its bytes with its value. */
function addVarint(cur: Cursor, spec: FieldSpec, n: { value: bigint; length: number }): void {
  cur.item(spec, n.length, { format: "number", value: n.value });
}

/** What reading a message gives back: a summary and the top-level numbers by field number (for Timestamp). */
export interface ReadMessage {
  readonly summary: string;
  readonly numbers: ReadonlyMap<number, bigint>;
  readonly ok: boolean;
}

/**
 * Reads a message over [cur.offset, end) of `bytes` (the cursor's input), with `desc` when the schema is known.
 * Never throws: a field it cannot read ends the message with a finding and the rest as bytes.
 */
export function addMessageFields(cur: Cursor, bytes: Uint8Array, end: number, desc?: DescMessage, depth = 0): ReadMessage {
  const parts: string[] = [];
  const numbers = new Map<number, bigint>();
  let ok = true;
  while (cur.offset < end) {
    const at = cur.offset;
    const key = readVarint(bytes, at, end);
    if (!key) {
      cur.finding(x.varint_too_long, at, end - at);
      cur.bytes(f.bytes, end - at);
      ok = false;
      break;
    }
    const number = Number(key.value >> 3n);
    const wire = Number(key.value & 7n);
    const field = desc?.fields.find((d) => d.number === number);
    const declared = field ? declaredOf(field) : undefined;
    cur.push(f.field);
    if (key.length === 1) {
      cur.item(f.field_number, 1, { format: "number", value: number }, 0xf8);
      cur.back(1);
      cur.item(f.wire_type, 1, { format: "named", value: wire, name: WIRE_TYPE_NAMES[wire] ?? "" }, 0x07);
    } else cur.item(f.key, key.length, plain(`${number} << 3 | ${wire} (${WIRE_TYPE_NAMES[wire] ?? "?"})`));
    if (number === 0) cur.finding(x.field_zero, at, key.length);
    if (desc && !field && number !== 0) cur.finding(x.unknown_field, { number }, at, key.length);
    const label = field ? field.name : `#${number}`;
    const packedOk = declared?.repeated && wire === 2 && declared.type.kind !== "map" && wireOf(declared.type) !== 2;
    if (declared && wire !== wireOf(declared.type) && !packedOk) {
      cur.finding(x.wire_type_mismatch, { field: field!.name, declared: typeName(declared.type), type: wire }, at, key.length);
    }
    const type = declared && (wire === wireOf(declared.type) || packedOk) ? declared.type : undefined;
    let shown: string;
    if (wire === 0) {
      const v = readVarint(bytes, cur.offset, end);
      if (!v) {
        cur.finding(x.varint_too_long, cur.offset, end - cur.offset);
        cur.bytes(f.bytes, end - cur.offset);
        cur.pop(plain(label));
        ok = false;
        break;
      }
      addVarint(cur, f.varint, v);
      shown = varintAs(type, v.value);
      if (!numbers.has(number)) numbers.set(number, v.value);
      if (cur.tree) {
        if (type) cur.item(f.value, 0, plain(`${shown} (${typeName(type)})`));
        else {
          cur.item(f.guess, 0, plain(`int64 ${asInt64(v.value)}, sint64 ${zigzag(v.value)}${v.value <= 1n ? `, bool ${v.value === 1n}` : ""}`));
        }
      }
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      const got = cur.bytes(wire === 1 ? f.fixed64 : f.fixed32, n);
      if (got.length < n) {
        cur.pop(plain(label));
        ok = false;
        break;
      }
      shown = fixedAs(type, got);
      if (cur.tree) cur.item(type ? f.value : f.guess, 0, plain(shown));
    } else if (wire === 2) {
      const n = readVarint(bytes, cur.offset, end);
      if (!n) {
        cur.finding(x.varint_too_long, cur.offset, end - cur.offset);
        cur.bytes(f.bytes, end - cur.offset);
        cur.pop(plain(label));
        ok = false;
        break;
      }
      const left = end - cur.offset - n.length;
      if (n.value > BigInt(left)) {
        addVarint(cur, f.length, n);
        cur.finding(x.length_past_end, { length: `${n.value}`, left }, cur.offset - n.length, n.length);
        cur.bytes(f.bytes, left);
        cur.pop(plain(label));
        ok = false;
        break;
      }
      addVarint(cur, f.length, n);
      shown = addLengthDelimited(cur, bytes, cur.offset + Number(n.value), type, depth);
    } else {
      cur.finding(wire === 3 || wire === 4 ? x.group : x.bad_wire_type, { type: wire }, at, key.length);
      cur.bytes(f.bytes, end - cur.offset);
      cur.pop(plain(label));
      ok = false;
      break;
    }
    parts.push(`${label}: ${shown}`);
    cur.pop(plain(`${label} = ${shown}`));
  }
  return { summary: clip(`{${parts.join(", ")}}`), numbers, ok };
}

/** A LEN value over [cur.offset, end): as declared, else text, a nested message or bytes by what it looks like. */
function addLengthDelimited(cur: Cursor, bytes: Uint8Array, end: number, type: Declared | undefined, depth: number): string {
  const start = cur.offset;
  const value = bytes.subarray(start, end);
  if (type?.kind === "message" || type?.kind === "map") {
    if (depth >= MAX_DEPTH) {
      cur.finding(x.too_deep, { depth: MAX_DEPTH }, start, end - start);
      cur.bytes(f.bytes, end - start);
      return `${end - start} bytes`;
    }
    let result: ReadMessage | undefined;
    const spec = type.kind === "map" ? f.map_entry : f.message;
    cur.push(spec);
    if (type.kind === "map") result = addMapEntry(cur, bytes, end, type, depth + 1);
    else {
      result = addMessageFields(cur, bytes, end, type.desc, depth + 1);
      if (type.desc.typeName === "google.protobuf.Timestamp") {
        const time = timestampText(result.numbers.get(1) ?? 0n, result.numbers.get(2) ?? 0n);
        if (cur.tree) cur.item(f.time, 0, plain(time));
        cur.pop(plain(time));
        return time;
      }
    }
    // The node names the nested message's type; the parent's summary shows only its fields.
    cur.pop(plain(type.kind === "message" ? `${type.desc.name} ${result.summary}` : result.summary));
    return result.summary;
  }
  if (type?.kind === "scalar" && type.scalar === ScalarType.STRING) {
    const text = new TextDecoder().decode(value);
    cur.item(f.string, end - start, quoted(text));
    return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  }
  if (type?.kind === "scalar" && type.scalar === ScalarType.BYTES) {
    cur.bytes(f.bytes, end - start);
    return `${end - start} bytes`;
  }
  if (type) return addPacked(cur, bytes, end, type);
  // Schema-less: text when it is printable UTF-8, a message when it parses as one, else bytes.
  let text: string | undefined;
  try {
    text = fatal.decode(value);
  } catch {
    text = undefined;
  }
  if (text !== undefined && text.length > 0 && printable(text)) {
    cur.item(f.string, end - start, quoted(text));
    return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  }
  if (depth < MAX_DEPTH && looksLikeMessage(bytes, start, end)) {
    cur.push(f.message);
    const r = addMessageFields(cur, bytes, end, undefined, depth + 1);
    cur.pop(plain(r.summary));
    return r.summary;
  }
  cur.bytes(f.bytes, end - start);
  return `${end - start} bytes`;
}

/** A packed repeated number field: the values back to back. */
function addPacked(cur: Cursor, bytes: Uint8Array, end: number, type: Declared): string {
  const wire = wireOf(type);
  const values: string[] = [];
  cur.push(f.packed);
  while (cur.offset < end) {
    if (wire === 0) {
      const v = readVarint(bytes, cur.offset, end);
      if (!v) {
        cur.finding(x.varint_too_long, cur.offset, end - cur.offset);
        cur.bytes(f.bytes, end - cur.offset);
        break;
      }
      addVarint(cur, f.varint, v);
      values.push(varintAs(type, v.value));
    } else {
      const n = wire === 1 ? 8 : 4;
      const got = cur.bytes(wire === 1 ? f.fixed64 : f.fixed32, n);
      if (got.length < n) break;
      values.push(fixedAs(type, got));
    }
  }
  const shown = clip(`[${values.join(", ")}]`);
  cur.pop(plain(shown));
  return shown;
}

/** A map entry: key (field 1) and value (field 2), read with a descriptor made for the pair. */
function addMapEntry(cur: Cursor, bytes: Uint8Array, end: number, type: Extract<Declared, { kind: "map" }>, depth: number): ReadMessage {
  const entry = {
    typeName: "map entry",
    fields: [
      { number: 1, name: "key", fieldKind: "scalar", scalar: type.key },
      type.value.kind === "scalar"
        ? { number: 2, name: "value", fieldKind: "scalar", scalar: type.value.scalar }
        : type.value.kind === "enum"
          ? { number: 2, name: "value", fieldKind: "enum", enum: type.value.desc }
          : { number: 2, name: "value", fieldKind: "message", message: (type.value as { desc: DescMessage }).desc },
    ],
  } as unknown as DescMessage;
  return addMessageFields(cur, bytes, end, entry, depth);
}

/** RFC 3339 in UTC, with the nanoseconds when there are any. */
export function timestampText(seconds: bigint, nanos: bigint): string {
  const s = Number(asInt64(seconds));
  const ns = Number(asInt32(nanos));
  const date = new Date(s * 1000);
  if (!Number.isFinite(date.getTime())) return `${s}s`;
  const iso = date.toISOString().replace(".000Z", "");
  return ns > 0 && ns < 1e9 ? `${iso}.${String(ns).padStart(9, "0").replace(/0+$/, "")}Z` : `${iso}Z`;
}
