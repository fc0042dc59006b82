// The protobuf explorer's logic (issue 14 §4), isomorphic: JSON to a message's bytes with protobuf-es, and bytes
// back to their fields, each with its tag, wire type, the varint's bytes and value, and the field's name and type
// from the lab's schemas (server/dissect/protobuf.ts reads the varints). Errors are values, never thrown.

import { fromBinary, fromJsonString, toBinary, toJsonString, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { file_helloworld_helloworld } from "@/gen/helloworld/helloworld_pb";
import { file_user_user } from "@/gen/user/user_pb";
import { file_user_service_user_service } from "@/gen/user_service/user_service_pb";
import { readVarint, WIRE_TYPE_NAMES, zigzag } from "@/server/dissect/protobuf";

/** The messages a student can pick: the lab's own services' (seeds 000, 001, 004). */
export const EXPLORER_MESSAGES: readonly DescMessage[] = [file_user_service_user_service, file_user_user, file_helloworld_helloworld].flatMap((f) => f.messages);

export function messageByName(typeName: string): DescMessage | undefined {
  return EXPLORER_MESSAGES.find((m) => m.typeName === typeName);
}

export type Encoded = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** The message's bytes for its JSON (proto3's JSON mapping: field names in lowerCamelCase or as written). */
export function encodeJson(desc: DescMessage, json: string): Encoded {
  try {
    return { ok: true, bytes: toBinary(desc, fromJsonString(desc, json)) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export type HexRead = { ok: true; bytes: Uint8Array } | { ok: false; error: "odd" | "char"; at: number };

/** Hex digits to bytes; spaces, colons and a 0x prefix are allowed between bytes. The error says where. */
export function readHex(input: string): HexRead {
  const digits: { char: string; at: number }[] = [];
  const text = input.replace(/0x/gi, (m) => " ".repeat(m.length));
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s|:|,/.test(c)) continue;
    if (!/[0-9a-f]/i.test(c)) return { ok: false, error: "char", at: i };
    digits.push({ char: c, at: i });
  }
  if (digits.length % 2 === 1) return { ok: false, error: "odd", at: digits[digits.length - 1]!.at };
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits[2 * i]!.char + digits[2 * i + 1]!.char, 16);
  return { ok: true, bytes };
}

export interface WireField {
  /** Where the tag starts, and the whole field's length (tag and value). */
  readonly start: number;
  readonly length: number;
  readonly tagBytes: Uint8Array;
  readonly fieldNumber: number;
  readonly wireType: number;
  readonly wireTypeName: string;
  /** The field's name and type in the schema, when it has this number. */
  readonly name?: string;
  readonly type?: string;
  /** A varint's bytes (the value's, for VARINT; the length's, for LEN). */
  readonly varintBytes?: Uint8Array;
  readonly varint?: bigint;
  /** The value as the schema reads it: a number, a string, an enum's name, a nested message's fields. */
  readonly value: string;
  readonly nested?: readonly WireField[];
}

export type Read = { ok: true; fields: WireField[]; json?: string; jsonError?: string } | { ok: false; error: string; at: number; fields: WireField[] };

function typeOf(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return field.scalar === undefined ? "?" : scalarName(field.scalar);
    case "enum":
      return field.enum.name;
    case "message":
      return field.message.name;
    case "list":
      return `repeated ${field.listKind === "scalar" ? scalarName(field.scalar) : field.listKind === "enum" ? field.enum.name : field.message.name}`;
    case "map":
      return "map";
  }
}

const SCALAR_NAMES: Record<number, string> = {
  1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64", 7: "fixed32", 8: "bool", 9: "string",
  12: "bytes", 13: "uint32", 15: "sfixed32", 16: "sfixed64", 17: "sint32", 18: "sint64",
};
const scalarName = (scalar: number) => SCALAR_NAMES[scalar] ?? String(scalar);

const MAX_DEPTH = 8;

/** The fields of `bytes` in the order they come, named from `desc` when given. */
export function readFields(bytes: Uint8Array, desc?: DescMessage, depth = 0): Read {
  const fields: WireField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const tag = readVarint(bytes, at, bytes.length);
    if (!tag) return { ok: false, error: "tag", at, fields };
    at += tag.length;
    const fieldNumber = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    if (fieldNumber === 0) return { ok: false, error: "field0", at: start, fields };
    const schemaField = desc?.fields.find((f) => f.number === fieldNumber);
    const base = {
      start,
      tagBytes: bytes.slice(start, start + tag.length),
      fieldNumber,
      wireType,
      wireTypeName: WIRE_TYPE_NAMES[wireType] ?? String(wireType),
      name: schemaField?.name,
      type: schemaField ? typeOf(schemaField) : undefined,
    };
    if (wireType === 0) {
      const v = readVarint(bytes, at, bytes.length);
      if (!v) return { ok: false, error: "varint", at, fields };
      const varintBytes = bytes.slice(at, at + v.length);
      at += v.length;
      let value = v.value.toString();
      const type = base.type?.replace(/^repeated /, "");
      if (type === "sint32" || type === "sint64") value = zigzag(v.value).toString();
      else if (type === "int32" || type === "int64") value = BigInt.asIntN(64, v.value).toString();
      else if (type === "bool") value = v.value === 0n ? "false" : "true";
      else if (schemaField?.fieldKind === "enum") value = schemaField.enum.values.find((e) => BigInt(e.number) === v.value)?.name ?? value;
      fields.push({ ...base, length: at - start, varintBytes, varint: v.value, value });
    } else if (wireType === 2) {
      const len = readVarint(bytes, at, bytes.length);
      if (!len) return { ok: false, error: "varint", at, fields };
      const varintBytes = bytes.slice(at, at + len.length);
      at += len.length;
      const end = at + Number(len.value);
      if (len.value > BigInt(bytes.length - at)) return { ok: false, error: "short", at: start, fields };
      const payload = bytes.subarray(at, end);
      at = end;
      const nestedDesc = schemaField?.fieldKind === "message" ? schemaField.message : schemaField?.fieldKind === "list" && schemaField.listKind === "message" ? schemaField.message : undefined;
      const asText = base.type === "string" || base.type === "repeated string";
      let nested: WireField[] | undefined;
      let value: string;
      if (nestedDesc && depth < MAX_DEPTH) {
        const inner = readFields(payload, nestedDesc, depth + 1);
        nested = inner.fields;
        value = `${nestedDesc.name} {…}`;
      } else if (asText || (!schemaField && isPrintable(payload))) {
        value = JSON.stringify(new TextDecoder().decode(payload));
      } else {
        value = [...payload].map((b) => b.toString(16).padStart(2, "0")).join(" ");
      }
      fields.push({ ...base, length: at - start, varintBytes, varint: len.value, value, nested });
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (at + size > bytes.length) return { ok: false, error: "short", at: start, fields };
      const view = new DataView(bytes.buffer, bytes.byteOffset + at, size);
      const value = wireType === 1 ? (base.type === "double" ? String(view.getFloat64(0, true)) : view.getBigUint64(0, true).toString()) : base.type === "float" ? String(view.getFloat32(0, true)) : String(view.getUint32(0, true));
      at += size;
      fields.push({ ...base, length: at - start, value });
    } else {
      return { ok: false, error: "wiretype", at: start, fields };
    }
  }
  if (!desc) return { ok: true, fields };
  try {
    return { ok: true, fields, json: toJsonString(desc, fromBinary(desc, bytes), { prettySpaces: 2 }) };
  } catch (err) {
    return { ok: true, fields, jsonError: err instanceof Error ? err.message : String(err) };
  }
}

function isPrintable(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return true;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    for (const ch of text) {
      const c = ch.codePointAt(0)!;
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** A number as a varint: its bytes, and the 7-bit groups they carry (least significant first). */
export function encodeVarint(value: bigint): Uint8Array {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return new Uint8Array(out);
}

/** Zig-zag encoding (sint32/sint64): 0, -1, 1, -2, 2 become 0, 1, 2, 3, 4. */
export function zigzagEncode(value: bigint): bigint {
  return value >= 0n ? value << 1n : (-value << 1n) - 1n;
}

export { zigzag as zigzagDecode };

/** A byte in binary with its continuation bit apart: "1|0010110". */
export function varintByteBits(byte: number): { more: boolean; bits: string } {
  return { more: (byte & 0x80) !== 0, bits: (byte & 0x7f).toString(2).padStart(7, "0") };
}
