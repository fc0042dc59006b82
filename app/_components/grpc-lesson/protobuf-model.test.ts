// The protobuf explorer's logic: JSON to bytes with the lab's schemas, bytes back to named fields with each varint's
// bytes, hex input validated, varints and zig-zag both ways, malformed bytes told where they break.
import { describe, expect, it } from "vitest";
import { encodeJson, encodeVarint, EXPLORER_MESSAGES, messageByName, readFields, readHex, varintByteBits, zigzagDecode, zigzagEncode } from "./protobuf-model";

const userResponse = messageByName("user_service.UserResponse")!;

describe("the protobuf explorer", () => {
  it("lists the lab's messages", () => {
    expect(EXPLORER_MESSAGES.map((m) => m.typeName)).toEqual(expect.arrayContaining(["user_service.GetUserRequest", "user.User", "helloworld.HelloRequest"]));
  });

  it("turns GetUserRequest{user_id: 1} into 08 01 and 150 into 08 96 01", () => {
    const desc = messageByName("user_service.GetUserRequest")!;
    expect(encodeJson(desc, '{"user_id": 1}')).toEqual({ ok: true, bytes: new Uint8Array([0x08, 0x01]) });
    expect(encodeJson(desc, '{"userId": 150}')).toEqual({ ok: true, bytes: new Uint8Array([0x08, 0x96, 0x01]) });
  });

  it("says why JSON does not fit the message", () => {
    const desc = messageByName("user_service.GetUserRequest")!;
    const bad = encodeJson(desc, '{"nope": 1}');
    expect(bad.ok).toBe(false);
    expect(encodeJson(desc, "{").ok).toBe(false);
  });

  it("reads a UserResponse back to named fields, and round-trips to the same JSON", () => {
    const json = '{"id": 1, "name": "Alice", "email": "alice@example.com", "age": 30, "status": "active"}';
    const encoded = encodeJson(userResponse, json);
    if (!encoded.ok) throw new Error(encoded.error);
    const read = readFields(encoded.bytes, userResponse);
    if (!read.ok) throw new Error(read.error);
    expect(read.fields.map((f) => [f.fieldNumber, f.name, f.wireTypeName, f.value])).toEqual([
      [1, "id", "VARINT", "1"],
      [2, "name", "LEN", '"Alice"'],
      [3, "email", "LEN", '"alice@example.com"'],
      [4, "age", "VARINT", "30"],
      [5, "status", "LEN", '"active"'],
    ]);
    expect([...read.fields[1]!.tagBytes]).toEqual([0x12]);
    expect([...read.fields[1]!.varintBytes!]).toEqual([5]);
    expect(JSON.parse(read.json!)).toEqual(JSON.parse(json));
  });

  it("reads bytes without a schema, guessing text", () => {
    const read = readFields(new Uint8Array([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69]));
    expect(read.ok && read.fields.map((f) => [f.fieldNumber, f.value, f.name])).toEqual([
      [1, "150", undefined],
      [2, '"hi"', undefined],
    ]);
  });

  it("tells where malformed bytes break: a varint that never ends, a length past the end, field 0, wire type 7", () => {
    expect(readFields(new Uint8Array([0x08, 0xff, 0xff]))).toMatchObject({ ok: false, error: "varint", at: 1 });
    expect(readFields(new Uint8Array([0x08, 0x01, 0x12, 0x09, 0x61]))).toMatchObject({ ok: false, error: "short", at: 2 });
    expect(readFields(new Uint8Array([0x00, 0x01]))).toMatchObject({ ok: false, error: "field0", at: 0 });
    expect(readFields(new Uint8Array([0x0f]))).toMatchObject({ ok: false, error: "wiretype", at: 0 });
  });

  it("validates hex input and says where it is wrong", () => {
    expect(readHex("08 96 01")).toEqual({ ok: true, bytes: new Uint8Array([8, 0x96, 1]) });
    expect(readHex("0x08:0x96,01")).toEqual({ ok: true, bytes: new Uint8Array([8, 0x96, 1]) });
    expect(readHex("08 9")).toEqual({ ok: false, error: "odd", at: 3 });
    expect(readHex("08 zz")).toEqual({ ok: false, error: "char", at: 3 });
  });

  it("encodes varints and zig-zag both ways", () => {
    expect([...encodeVarint(150n)]).toEqual([0x96, 0x01]);
    expect([...encodeVarint(1n)]).toEqual([1]);
    expect(encodeVarint(-1n).length).toBe(10);
    expect([0n, -1n, 1n, -2n, 2n].map(zigzagEncode)).toEqual([0n, 1n, 2n, 3n, 4n]);
    for (const v of [0n, -1n, 1n, -64n, 63n, -2147483648n]) expect(zigzagDecode(zigzagEncode(v))).toBe(v);
    expect(varintByteBits(0x96)).toEqual({ more: true, bits: "0010110" });
  });
});
