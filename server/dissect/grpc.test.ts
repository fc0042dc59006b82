// gRPC envelopes as gRPC, gRPC-web and Connect send them: the flags bits and length, a protobuf message read with
// the method's descriptors, gzip inflated (node:zlib compresses, the lab's isomorphic inflate reads), gRPC-web's
// trailer frame with grpc-status named, Connect's end-stream JSON, a message cut by the end of the bytes, and
// 100,000 fuzzed inputs that never throw.
import { create, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { GetUserRequestSchema, UserResponseSchema } from "@/gen/user_service/user_service_pb";
import { createCursor } from "./core/cursor";
import { concatBytes } from "./core/fields";
import { coverageProblems, findNode, parseHex } from "./core/tree";
import type { DissectedFrame, FieldNode } from "./core/types";
import { addGrpcMessages, grpcDissector, gunzip, type GrpcCall } from "./grpc";
import { http1Dissector } from "./http1";
import { readFileSync } from "node:fs";
import "./protocols";
import { parseConversation, replay } from "./testdata/http1/conversations";

const envelope = (flags: number, body: Uint8Array) => {
  const out = new Uint8Array(5 + body.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, body.length);
  out.set(body, 5);
  return out;
};
const GET_USER: GrpcCall = { path: "/user_service.UserService/GetUser", request: true, contentType: "application/grpc" };

function read(bytes: Uint8Array, call: GrpcCall) {
  const cur = createCursor(bytes, "grpc");
  const r = addGrpcMessages(cur, bytes, bytes.length, call);
  return { ...r, frame: cur.frame(r.summary) };
}

describe("grpc envelopes", () => {
  const request = toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { userId: 42 }));

  it("reads a request with its method's descriptor, flags as bits, every byte once", () => {
    const r = read(envelope(0, request), GET_USER);
    expect(r.summary).toBe("GetUserRequest {user_id: 42}");
    expect(findNode(r.frame.fields, "grpc.flags.compressed")).toMatchObject({ offset: 0, length: 1, bitmask: 0x01 });
    expect(findNode(r.frame.fields, "grpc.length")).toMatchObject({ offset: 1, length: 4 });
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("inflates a gzip message, and two messages in one read", () => {
    const gz = envelope(1, zlib.gzipSync(request));
    expect(read(gz, GET_USER).summary).toBe("gzip GetUserRequest {user_id: 42}");
    expect(gunzip(zlib.gzipSync(new TextEncoder().encode("hello"))).bytes).toEqual(new TextEncoder().encode("hello"));
    const two = new Uint8Array([...envelope(0, request), ...gz]);
    expect(read(two, GET_USER).summary).toBe("GetUserRequest {user_id: 42}, gzip GetUserRequest {user_id: 42}");
    expect(read(envelope(1, parseHex("1f 8b 08 00 00 00 00 00 00 03 ff ff ff ff 00 00 00 00 00 00 00 00")), GET_USER).frame.findings.map((f) => f.code)).toEqual([
      "grpc.inflate_failed",
    ]);
  });

  it("names grpc-status in gRPC-web's trailer frame", () => {
    const trailer = envelope(0x80, new TextEncoder().encode("grpc-status:5\r\ngrpc-message:User%2099%20not%20found\r\n"));
    const r = read(trailer, { request: false, contentType: "application/grpc-web+proto" });
    expect(r.summary).toBe("trailers: NOT_FOUND");
    expect(r.status).toBe(5);
    expect(findNode(r.frame.fields, "grpc.status")?.value).toEqual({ format: "named", value: 5, name: "NOT_FOUND" });
    expect(findNode(r.frame.fields, "grpc.status_message")?.value).toMatchObject({ text: "User 99 not found" });
    expect(r.frame.findings.map((f) => f.code)).toEqual(["grpc.status_error"]);
    expect(coverageProblems(r.frame)).toEqual([]);
  });

  it("reads Connect's end-stream message", () => {
    const end = envelope(0x02, new TextEncoder().encode('{"error":{"code":"not_found","message":"no"}}'));
    expect(read(end, { request: false, contentType: "application/connect+proto" }).summary).toBe("end of stream: not_found");
  });

  it("says how much of a message is still owed when the bytes end inside it", () => {
    const whole = envelope(0, request);
    expect(read(whole.subarray(0, 4), GET_USER).pending).toBe(1);
    const r = read(whole.subarray(0, 6), GET_USER);
    expect(r.pending).toBe(whole.length - 6);
    expect(coverageProblems(r.frame)).toEqual([]);
    expect(read(envelope(0x7c, new Uint8Array(0)), GET_USER).frame.findings.map((f) => f.code)).toEqual(["grpc.reserved_flags"]);
  });

  it("cuts a stream into envelopes as a stream dissector (pduLength)", () => {
    expect(grpcDissector.pduLength!(envelope(0, request), 0, { direction: "c2s", scan: { at: 0, state: 0 } })).toBe(5 + request.length);
    expect(grpcDissector.pduLength!(parseHex("00 00"), 0, { direction: "c2s", scan: { at: 0, state: 0 } })).toBe("more");
  });

  it("never throws: 100,000 fuzzed inputs", () => {
    const seeds = [envelope(0, request), envelope(1, zlib.gzipSync(request)), envelope(0x80, new TextEncoder().encode("grpc-status:0\r\n"))];
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 48 }),
      fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 })).map(([seed, edits]) => {
        const out = seed.slice();
        for (const [at, v] of edits) out[at % out.length] = v;
        return out;
      }),
    );
    fc.assert(
      fc.property(arb, fc.constantFrom<GrpcCall>(GET_USER, { request: false, contentType: "application/connect+proto" }), (bytes, call) => {
        expect(typeof read(bytes, call).summary).toBe("string");
      }),
      { numRuns: 100_000, seed: 14 },
    );
  });

  it("reads gRPC-web on the shared port: HTTP/1.1 detected, the request body's envelope and message", () => {
    const { turns } = parseConversation(readFileSync(new URL("./testdata/grpc/curl-grpc-web.hex", import.meta.url), "utf8"));
    const pdus = replay(turns, { protocol: "http2" });
    expect(pdus.map((p) => p.protocol)).toEqual(["http1", "http1"]);
    const [request, response] = pdus.map((p) => p.frames[0]!);
    expect(request!.summary).toContain("gRPC {#1: 1}");
    // The answer comes in two chunks (the message, then the trailer frame): its envelopes are read from them joined.
    expect(response!.summary).toBe('HTTP/1.1 200 OK (application/grpc-web+proto) gRPC {#1: 1, #2: "Alice", #3: "alice@example.com", #4: 30, #5: "ACTIVE"}, trailers: OK');
    expect(findNode(response!.fields, "http1.envelopes")?.children.map((n) => n.id)).toEqual(["grpc.message", "grpc.message"]);
    expect(findNode(request!.fields, "grpc.length")?.value).toMatchObject({ value: 2 });
    for (const frame of [request!, response!]) expect(coverageProblems(frame)).toEqual([]);
  });
});

// A server-streaming gRPC-web answer in several HTTP/1.1 chunks: the chunks split the envelopes anywhere (inside a
// message, inside its 5-byte header), and the dissector reads every message and the trailer frame from the chunks' data
// joined. Checked at every split point and pairs of them of a real answer's body, with 5,000 random splittings, and
// through a stream session fed 1 and 2 bytes at a time.
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const user = (id: number, name: string, age: number) =>
  toBinary(UserResponseSchema, create(UserResponseSchema, { id, name, email: `${name.toLowerCase()}@example.com`, age, status: "active" }));
/** GetUsers' answer as gRPC-web: two users, then the trailer frame. */
const BODY = concatBytes([envelope(0, user(1, "Alice", 30)), envelope(0, user(2, "Bob", 25)), envelope(0x80, latin1("grpc-status:0\r\ngrpc-message:\r\n"))]);
const HEAD = latin1("HTTP/1.1 200 OK\r\ncontent-type: application/grpc-web+proto\r\ntransfer-encoding: chunked\r\n\r\n");

/** The answer with its body cut into chunks at `cuts` (sorted positions inside the body). */
function response(cuts: readonly number[]): Uint8Array {
  const bounds = [0, ...cuts, BODY.length];
  const chunks: Uint8Array[] = [HEAD];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const part = BODY.subarray(bounds[i]!, bounds[i + 1]!);
    if (part.length === 0) continue;
    chunks.push(latin1(`${part.length.toString(16)}\r\n`), part, latin1("\r\n"));
  }
  chunks.push(latin1("0\r\n\r\n"));
  return concatBytes(chunks);
}

function dissect(bytes: Uint8Array): DissectedFrame {
  const frames = http1Dissector.dissect(bytes, { direction: "s2c", state: http1Dissector.createState?.(), tree: true });
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

/** The answer's envelopes: read from the chunks joined, or in a body of one chunk from that chunk's data. */
const messages = (frame: DissectedFrame): FieldNode[] =>
  (findNode(frame.fields, "http1.envelopes") ?? findNode(frame.fields, "http1.chunk.data"))?.children.filter((n) => n.id === "grpc.message") ?? [];
const json = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
const SUMMARY = "HTTP/1.1 200 OK (application/grpc-web+proto) gRPC {#1: 1, #2: \"Alice\", #3: \"alice@example.com\", #4: 30, #5: \"active\"}";

/** What every splitting must give: three envelopes (Alice, Bob, the trailers with grpc-status 0), and every byte once. */
function expectWhole(frame: DissectedFrame, chunks: number) {
  const found = messages(frame);
  expect(found).toHaveLength(3);
  expect(found.map((m) => (findNode(m.children, "grpc.length")?.value as { value?: number } | undefined)?.value)).toEqual([
    user(1, "Alice", 30).length,
    user(2, "Bob", 25).length,
    30,
  ]);
  const text = json(found.map((m) => m.children));
  expect(text).toContain("Alice");
  expect(text).toContain("Bob");
  expect(findNode(found[2]!.children, "grpc.status")?.value).toEqual({ format: "named", value: 0, name: "OK" });
  expect(frame.summary.startsWith(SUMMARY.slice(0, SUMMARY.indexOf("{")))).toBe(true);
  expect(frame.summary).toContain("trailers: OK");
  expect(frame.findings.map((f) => f.code)).toEqual([]);
  const chunkNodes = findNode(frame.fields, "http1.chunked")?.children.filter((n) => n.id === "http1.chunk") ?? [];
  expect(chunkNodes).toHaveLength(chunks);
  expect(coverageProblems(frame)).toEqual([]);
}

describe("a gRPC-web stream in several chunks", () => {
  it("reads the envelopes when each chunk is one message, as the lab's server writes them", () => {
    const cuts = [5 + user(1, "Alice", 30).length, 10 + user(1, "Alice", 30).length + user(2, "Bob", 25).length];
    expectWhole(dissect(response(cuts)), 3);
  });

  it("reads every message and the trailers at every split point, and at every pair of them", () => {
    for (let a = 1; a < BODY.length; a++) {
      expectWhole(dissect(response([a])), 2);
      for (let b = a + 1; b < BODY.length; b += 3) expectWhole(dissect(response([a, b])), 3);
    }
  });

  it("reads them under 5,000 random splittings, one byte per chunk included", () => {
    const cuts = fc.uniqueArray(fc.integer({ min: 1, max: BODY.length - 1 }), { maxLength: BODY.length - 1 }).map((c) => c.sort((x, y) => x - y));
    fc.assert(
      fc.property(cuts, (c) => expectWhole(dissect(response(c)), c.length + 1)),
      { numRuns: 5_000, seed: 1414 },
    );
    expectWhole(dissect(response(Array.from({ length: BODY.length - 1 }, (_, i) => i + 1))), BODY.length);
  });

  it("reads them when the reads split the chunks too: one PDU, fed 1 and 2 bytes at a time", () => {
    const bytes = response([3, 40, 41, 77]);
    for (const split of [1, 2, 0]) {
      const pdus = replay([["s2c", bytes]], { split });
      expect(pdus).toHaveLength(1);
      expectWhole(pdus[0]!.frames[0]!, 5);
    }
  });

  it("says what is missing when the stream ends inside a message: the last envelope's bytes owed", () => {
    // The chunked body ends (a last chunk) 10 bytes into Bob's message.
    const cut = 5 + user(1, "Alice", 30).length + 15;
    const bytes = concatBytes([HEAD, latin1("3\r\n"), BODY.subarray(0, 3), latin1("\r\n"), latin1(`${(cut - 3).toString(16)}\r\n`), BODY.subarray(3, cut), latin1("\r\n0\r\n\r\n")]);
    const frame = dissect(bytes);
    const found = messages(frame);
    expect(found).toHaveLength(2);
    expect(json(found[1])).toContain(`message ${user(2, "Bob", 25).length} bytes (10 here)`);
    expect(coverageProblems(frame)).toEqual([]);
  });
});
