// Protobuf wire format: the encoding guide's examples (150 as 08 96 01, "testing", a nested message), a seed 001
// User encoded by @bufbuild/protobuf read with its descriptor (enum, Timestamp as a time, repeated, map, optional)
// and without, every byte covered once, findings for bad input, 100,000 fuzzed messages never throw.
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GetUserResponseSchema, UserSchema, UserStatus } from "@/gen/user/user_pb";
import { createCursor } from "./core/cursor";
import { coverageProblems, findNode, parseHex } from "./core/tree";
import type { DescMessage } from "@bufbuild/protobuf";
import { addMessageFields, readVarint, timestampText, zigzag } from "./protobuf";

function read(bytes: Uint8Array, desc?: DescMessage) {
  const cur = createCursor(bytes, "protobuf");
  const r = addMessageFields(cur, bytes, bytes.length, desc);
  return { ...r, frame: cur.frame(r.summary) };
}

describe("protobuf varints", () => {
  it("reads 1, 150 and the 10-byte -1, refuses an 11th byte, and zig-zags", () => {
    expect(readVarint(parseHex("01"), 0, 1)).toEqual({ value: 1n, length: 1 });
    expect(readVarint(parseHex("96 01"), 0, 2)).toEqual({ value: 150n, length: 2 });
    expect(readVarint(parseHex("ff ff ff ff ff ff ff ff ff 01"), 0, 10)).toEqual({ value: 0xffffffffffffffffn, length: 10 });
    expect(readVarint(parseHex("ff ff ff ff ff ff ff ff ff ff 01"), 0, 11)).toBeUndefined();
    expect([0n, 1n, 2n, 3n, 4294967294n].map(zigzag)).toEqual([0n, -1n, 1n, -2n, 2147483647n]);
  });
});

describe("protobuf schema-less", () => {
  it("reads the encoding guide's 08 96 01 with the key's bits and the varint's bytes", () => {
    const r = read(parseHex("08 96 01"));
    expect(r.summary).toBe("{#1: 150}");
    expect(findNode(r.frame.fields, "protobuf.field_number")).toMatchObject({ offset: 0, length: 1, bitmask: 0xf8 });
    expect(findNode(r.frame.fields, "protobuf.wire_type")).toMatchObject({ offset: 0, length: 1, bitmask: 0x07 });
    expect(findNode(r.frame.fields, "protobuf.varint")).toMatchObject({ offset: 1, length: 2, value: { format: "number", value: 150n } });
    expect(coverageProblems(r.frame)).toEqual([]);
  });
  it("guesses text, a nested message and bytes", () => {
    expect(read(parseHex("12 07 74 65 73 74 69 6e 67")).summary).toBe('{#2: "testing"}');
    const nested = read(parseHex("1a 03 08 96 01"));
    expect(nested.summary).toBe("{#3: {#1: 150}}");
    expect(coverageProblems(nested.frame)).toEqual([]);
    expect(read(parseHex("22 02 ff 00")).summary).toBe("{#4: 2 bytes}");
    expect(read(parseHex("0d 00 00 80 3f")).summary).toContain("1065353216 / 1065353216 / 1");
  });
  it("reports bad input as findings", () => {
    const codes = (hex: string) => read(parseHex(hex)).frame.findings.map((f) => f.code);
    expect(codes("0f 00")).toEqual(["protobuf.bad_wire_type"]);
    expect(codes("0b 00")).toEqual(["protobuf.group"]);
    expect(codes("00 01")).toEqual(["protobuf.field_zero"]);
    expect(codes("12 09 61")).toEqual(["protobuf.length_past_end"]);
    expect(codes("08 ff ff")).toEqual(["protobuf.varint_too_long"]);
    for (const hex of ["0f 00", "12 09 61", "08 ff ff"]) expect(coverageProblems(read(parseHex(hex)).frame)).toEqual([]);
  });
});

describe("protobuf with the lab's descriptors (seed 001's user.User)", () => {
  const user = create(UserSchema, {
    id: "u-1",
    name: "Алиса",
    email: "alice@example.com",
    status: UserStatus.ACTIVE,
    createdAt: timestampFromDate(new Date("2024-01-15T10:30:00.250Z")),
    roles: ["admin", "user"],
    metadata: { team: "red" },
    phone: "+7 900",
  });
  const bytes = toBinary(UserSchema, user);

  it("names every field, the enum value, the time, the roles and the map entry", () => {
    const r = read(bytes, UserSchema);
    expect(r.ok).toBe(true);
    expect(r.summary).toBe(
      '{id: "u-1", name: "Алиса", email: "alice@example.com", status: USER_STATUS_ACTIVE (1), created_at: 2024-01-15T10:30:00.25Z, roles: "admin", roles: "user", metadata: {key: "team", value: "red"}, phone: "+7 900"}',
    );
    expect(r.frame.findings).toEqual([]);
    expect(coverageProblems(r.frame)).toEqual([]);
    expect(findNode(r.frame.fields, "protobuf.time")?.value).toEqual({ format: "plain", text: "2024-01-15T10:30:00.25Z" });
  });

  it("reads a response nesting the user, and flags a field sent with the wrong wire type", () => {
    const wrapped = toBinary(GetUserResponseSchema, create(GetUserResponseSchema, { user }));
    expect(read(wrapped, GetUserResponseSchema).summary.startsWith('{user: {id: "u-1"')).toBe(true);
    expect(read(parseHex("08 01"), UserSchema).frame.findings.map((f) => f.code)).toEqual(["protobuf.wire_type_mismatch"]);
    expect(read(parseHex("f8 01 01"), UserSchema).frame.findings.map((f) => f.code)).toEqual(["protobuf.unknown_field"]);
  });

  it("writes times in UTC with nanoseconds", () => {
    expect(timestampText(0n, 0n)).toBe("1970-01-01T00:00:00Z");
    expect(timestampText(1700000000n, 5n)).toBe("2023-11-14T22:13:20.000000005Z");
  });

  it("never throws: 100,000 fuzzed messages, with and without the descriptor", () => {
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 48 }),
      fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }).map((edits) => {
        const out = bytes.slice();
        for (const [at, v] of edits) out[at] = v;
        return out;
      }),
    );
    fc.assert(
      fc.property(arb, fc.boolean(), (b, schema) => {
        const r = read(b, schema ? UserSchema : undefined);
        expect(typeof r.summary).toBe("string");
      }),
      { numRuns: 100_000, seed: 14 },
    );
  });
});
