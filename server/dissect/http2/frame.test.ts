// Golden files: testdata/http2/<case>.hex (real exchanges recorded through a loopback proxy) -> <case>.tree.txt.
// `UPDATE_GOLDEN=1 npx vitest run server/dissect/http2/frame.test.ts` rewrites the trees; read every changed one.
// Also: each frame type and its findings from hand-made bytes, HTTP/1.1 detected on the shared port, a frame split
// over many reads and many frames in one read, trees rebuilt from memos, and 100,000 fuzzed inputs.
import fc from "fast-check";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createStreamSession, rebuildPdu, type StreamPdu } from "../core/stream";
import { coverageProblems, findNode, formatTree, parseHex } from "../core/tree";
import type { DissectedFrame, Direction } from "../core/types";
import { dissectorFor } from "../protocols";
import { parseConversation, replay, type Turn } from "../testdata/http1/conversations";
import { createHttp2State, http2Dissector, isHttp2Frame, PREFACE } from "./frame";

const testdata = new URL("../testdata/http2/", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const conversations = readdirSync(testdata)
  .filter((n) => n.endsWith(".hex"))
  .sort()
  .map((file) => ({ name: file.slice(0, -4), ...parseConversation(readFileSync(new URL(file, testdata), "utf8")) }));

const golden = (pdus: readonly StreamPdu[]) =>
  pdus.map((p) => `pdu ${p.direction} at=${p.streamOffset} len=${p.bytes.length} proto=${p.protocol}\n${formatTree(p.frames)}`).join("");
const shape = (pdus: readonly StreamPdu[]) => pdus.map((p) => ({ direction: p.direction, at: p.streamOffset, protocol: p.protocol, summaries: p.frames.map((f) => f.summary), fields: p.frames.map((f) => f.fields) }));
const frames = (pdus: readonly StreamPdu[]) => pdus.flatMap((p) => p.frames);

function one(hex: string, direction: Direction = "s2c"): DissectedFrame {
  return http2Dissector.dissect(parseHex(hex), { direction, state: createHttp2State() })[0]!;
}
const codes = (f: DissectedFrame) => f.findings.map((x) => x.code);

describe("http2 golden conversations", () => {
  for (const { name, turns } of conversations) {
    it(`${name}: matches its trees, covers every byte once, rebuilds from memos`, () => {
      const pdus = replay(turns, { protocol: "http2" });
      const text = golden(pdus);
      const file = new URL(`${name}.tree.txt`, testdata);
      if (UPDATE) writeFileSync(file, text);
      expect(existsSync(file), `missing ${file.pathname}; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(file, "utf8"));
      for (const pdu of pdus) {
        expect(pdu.protocol).toBe("http2");
        for (const frame of pdu.frames) expect(coverageProblems(frame), `${pdu.direction}@${pdu.streamOffset} ${frame.summary}`).toEqual([]);
        const rebuilt = rebuildPdu(http2Dissector as never, pdu);
        expect(rebuilt.map((f) => [f.summary, f.fields, codes(f)])).toEqual(pdu.frames.map((f) => [f.summary, f.fields, codes(f)]));
      }
    });

    it(`${name}: the same frames byte by byte, in one read per direction, and from http1's detection`, () => {
      const whole = shape(replay(turns, { protocol: "http2" }));
      expect(shape(replay(turns, { protocol: "http2", split: 1 }))).toEqual(whole);
      expect(shape(replay(turns, { protocol: "http2", split: 7 }))).toEqual(whole);
      const joined: Turn[] = [];
      for (const dir of ["c2s", "s2c"] as const) {
        const parts = turns.filter(([d]) => d === dir).map(([, b]) => b);
        const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          all.set(p, at);
          at += p.length;
        }
        joined.push([dir, all]);
      }
      // Requests all sent before any answer is read: the same frames per direction.
      const byDir = (pdus: ReturnType<typeof shape>, d: Direction) => pdus.filter((p) => p.direction === d);
      const oneRead = shape(replay(joined, { protocol: "http2" }));
      expect(byDir(oneRead, "c2s")).toEqual(byDir(whole, "c2s"));
      expect(byDir(oneRead, "s2c")).toEqual(byDir(whole, "s2c"));
      expect(shape(replay(turns, { protocol: "http1" }))).toEqual(whole);
    });
  }

  it("grpc-unary: the call's method, its protobuf by field name, the gzip answer inflated, NOT_FOUND in trailers", () => {
    const { turns } = conversations.find((c) => c.name === "grpc-unary")!;
    const all = frames(replay(turns, { protocol: "http2" }));
    const summaries = all.map((f) => f.summary);
    expect(summaries[0]).toBe("Magic");
    expect(summaries).toContain("HEADERS[1]: POST /user_service.UserService/GetUser [END_HEADERS]");
    expect(summaries.some((s) => s.startsWith("DATA[1] GetUserRequest {user_id: 1} [END_STREAM]"))).toBe(true);
    expect(summaries.some((s) => s.includes('gzip UserResponse {id: 1, name: "Alice", email: "alice@example.com", age: 30, status: "active"}'))).toBe(true);
    expect(summaries).toContain("HEADERS[3]: grpc-status 5 NOT_FOUND [END_STREAM, END_HEADERS]");
    // Each frame names its stream, for the timeline to draw each call apart, and a header block its call's facts.
    const parts = all.filter(isHttp2Frame).map((f) => f.http2);
    expect(parts.length).toBe(all.length - 1);
    expect(parts.filter((p) => p.stream === 1 && p.type === 1).map((p) => [p.path, p.status, p.grpcStatus])).toEqual([
      ["/user_service.UserService/GetUser", undefined, undefined],
      [undefined, 200, undefined],
      [undefined, undefined, 0],
    ]);
    expect(parts.find((p) => p.stream === 3 && p.grpcStatus !== undefined)?.grpcStatus).toBe(5);
    const req = all.find((f) => f.summary.startsWith("HEADERS[3]: POST"))!;
    // The second request's :path repeats nothing, but content-type and te come from the dynamic table.
    const indexed = findNode(req.fields, "hpack.indexed");
    expect(indexed).toBeDefined();
    expect(findNode(req.fields, "hpack.table")?.children.length).toBeGreaterThan(1);
  });
});

describe("http2 frames by type", () => {
  it("reads the preface, SETTINGS with names, a SETTINGS ACK, PING, WINDOW_UPDATE, RST_STREAM, GOAWAY and PRIORITY", () => {
    const magic = http2Dissector.dissect(PREFACE, { direction: "c2s", state: createHttp2State() })[0]!;
    expect(magic.summary).toBe("Magic");
    const settings = one("00000c 04 00 00000000 0003 00000064 0004 0000ffff");
    expect(settings.summary).toBe("SETTINGS[0] MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65535");
    expect(one("000000 04 01 00000000").summary).toBe("SETTINGS[0] [ACK]");
    expect(one("000008 06 01 00000000 0102030405060708").summary).toBe("PING[0] [ACK]");
    expect(one("000004 08 00 00000000 00000400").summary).toBe("WINDOW_UPDATE[0] +1024");
    expect(one("000004 03 00 00000001 00000008").summary).toBe("RST_STREAM[1] CANCEL");
    expect(one("000008 07 00 00000000 00000003 00000000").summary).toBe("GOAWAY[0] NO_ERROR last 3");
    expect(one("000005 02 00 00000003 80000001 0f").summary).toBe("PRIORITY[3]");
    for (const hex of ["000004 08 00 00000000 00000400", "000005 02 00 00000003 80000001 0f", "00000c 04 00 00000000 0003 00000064 0004 0000ffff"]) {
      expect(coverageProblems(one(hex))).toEqual([]);
    }
    const flags = findNode(one("000000 04 01 00000000").fields, "http2.flags.ack");
    expect(flags).toMatchObject({ offset: 4, length: 1, bitmask: 0x01 });
    expect(findNode(one("000004 03 00 00000001 00000008").fields, "http2.stream_id")).toMatchObject({ offset: 5, length: 4, bitmask: 0x7fffffff });
  });

  it("reads padding and a prioritised HEADERS, and a padded DATA", () => {
    const headers = one("00000a 01 2d 00000001 03 80000000 0f 82 000000", "c2s");
    expect(headers.summary).toBe("HEADERS[1]: GET [END_STREAM, END_HEADERS, PADDED, PRIORITY]");
    expect(coverageProblems(headers)).toEqual([]);
    expect(findNode(headers.fields, "http2.padding")).toMatchObject({ offset: 16, length: 3 });
    const data = one("000006 00 08 00000001 02 6869 0000");
    expect(data.summary).toBe("DATA[1] 2 bytes [PADDED]");
    expect(coverageProblems(data)).toEqual([]);
  });

  it("reports what a receiver refuses, and keeps going", () => {
    expect(codes(one("000004 08 00 00000000 00000000"))).toEqual(["http2.zero_increment"]);
    expect(codes(one("000003 06 00 00000000 010203"))).toContain("http2.frame_size");
    expect(codes(one("000002 00 00 00000000 6869"))).toEqual(["http2.stream_required"]);
    expect(codes(one("000000 04 00 00000001"))).toEqual(["http2.stream_forbidden"]);
    expect(codes(one("000006 04 01 00000000 000100001000"))).toContain("http2.settings_ack_payload");
    expect(codes(one("000002 00 08 00000001 05 00"))).toContain("http2.padding_too_long");
    expect(codes(one("000001 0a 00 00000000 00"))).toEqual(["http2.unknown_type"]);
    expect(codes(one("000001 09 04 00000001 82", "c2s"))).toEqual(["http2.continuation_unexpected"]);
    expect(codes(one("000001 01 04 00000001 bf", "c2s"))).toEqual(["hpack.index_invalid"]);
    const cut = one("000010 00 00 00000001 6869");
    expect(codes(cut)).toEqual(["http2.truncated"]);
  });

  it("decodes a header block split over HEADERS and CONTINUATION once it ends", () => {
    const session = createStreamSession("http2", { dissectorFor, tree: true });
    session.push("c2s", PREFACE);
    const pdus = session.push("c2s", parseHex("000002 01 01 00000001 8286 000001 09 04 00000001 84"));
    expect(pdus.map((p) => p.frames[0]!.summary)).toEqual(["HEADERS[1] [END_STREAM]", "CONTINUATION[1]: GET / [END_HEADERS]"]);
    expect(codes(pdus[1]!.frames[0]!)).toEqual(["http2.hpack_context"]);
    expect(rebuildPdu(http2Dissector as never, pdus[1]!)[0]!.summary).toBe("CONTINUATION[1]: GET / [END_HEADERS]");
  });

  it("gives the HTTP/1.1 of gRPC-web and Connect on the shared port to http1", () => {
    const session = createStreamSession("http2", { dissectorFor, tree: true });
    const pdus = session.push("c2s", new TextEncoder().encode("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"));
    expect(pdus.map((p) => p.protocol)).toEqual(["http1"]);
  });

  it("never throws: 100,000 fuzzed frames and streams", () => {
    const seeds = conversations.flatMap((c) => c.turns.map(([, b]) => b));
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 })).map(([seed, edits]) => {
        const out = seed.slice();
        for (const [at, v] of edits) if (out.length) out[at % out.length] = v;
        return out;
      }),
    );
    fc.assert(
      fc.property(arb, fc.constantFrom<Direction>("c2s", "s2c"), (bytes, direction) => {
        const state = createHttp2State();
        for (const frame of http2Dissector.dissect(bytes, { direction, state })) expect(typeof frame.summary).toBe("string");
        const session = createStreamSession("http2", { dissectorFor, tree: false });
        session.push(direction, bytes);
        session.end(direction);
      }),
      { numRuns: 100_000, seed: 14 },
    );
  });

  it("joins a gRPC message split over DATA frames, its 5-byte header split too, and rebuilds each frame from its memo", () => {
    const enc = new TextEncoder();
    const path = enc.encode("/user_service.UserService/GetUser");
    const type = enc.encode("application/grpc");
    // :method POST (static 3), :path and content-type as literals without indexing with static names (4 and 31).
    const block = [0x83, 0x04, path.length, ...path, 0x0f, 0x10, type.length, ...type];
    const frame = (t: number, flags: number, payload: number[]) => [0, 0, payload.length, t, flags, 0, 0, 0, 1, ...payload];
    // GetUserRequest {user_id: 300}: 08 ac 02, in an envelope of 5 + 3 bytes, cut after 3, then after 6, then the rest.
    const message = [0x00, 0x00, 0x00, 0x00, 0x03, 0x08, 0xac, 0x02];
    const bytes = Uint8Array.from([
      ...PREFACE,
      ...frame(1, 0x04, block),
      ...frame(0, 0, message.slice(0, 3)),
      ...frame(0, 0, message.slice(3, 6)),
      ...frame(0, 0x01, message.slice(6)),
    ]);
    for (const split of [0, 1]) {
      const pdus = replay([["c2s", bytes]], { protocol: "http2", split });
      const data = pdus.filter((p) => p.frames[0]!.summary.startsWith("DATA"));
      expect(data.map((p) => p.frames[0]!.summary)).toEqual(["DATA[1] …", "DATA[1] …", "DATA[1] GetUserRequest {user_id: 300} [END_STREAM]"]);
      for (const pdu of data) {
        expect(coverageProblems(pdu.frames[0]!)).toEqual([]);
        expect(rebuildPdu(http2Dissector as never, pdu).map((f) => [f.summary, f.fields])).toEqual(pdu.frames.map((f) => [f.summary, f.fields]));
      }
      expect(findNode(data[2]!.frames[0]!.fields, "protobuf.value")?.value).toEqual({ format: "plain", text: "300 (int32)" });
    }
  });

  it("does not hold a message longer than the lab reads: a 100 MB length prefix keeps its count, not its bytes", () => {
    const state = createHttp2State();
    const enc = new TextEncoder();
    const type = enc.encode("application/grpc");
    const block = [0x83, 0x0f, 0x10, type.length, ...type];
    const frame = (t: number, flags: number, payload: Uint8Array | number[]) => Uint8Array.from([payload.length >> 16, (payload.length >> 8) & 0xff, payload.length & 0xff, t, flags, 0, 0, 0, 1, ...payload]);
    const dissect = (b: Uint8Array) => http2Dissector.dissect(b, { direction: "c2s", state, tree: false })[0]!;
    dissect(frame(1, 0x04, block));
    dissect(frame(0, 0, [0x00, 0x06, 0x40, 0x00, 0x00, 0x01])); // declares 100 MiB
    const chunk = new Uint8Array(16384);
    for (let i = 0; i < 300; i++) dissect(frame(0, 0, chunk)); // 4.9 MB of it
    const pending = state.streams.get(1)!.pending.c2s!;
    expect(pending.need).toBe(100 * 1024 * 1024 - 1 - 300 * 16384);
    expect(pending.parts).toEqual([]);
  });

  it("marks the blocks after one that failed: the dynamic table is unknown from there on, as rebuilt trees say too", () => {
    const session = createStreamSession("http2", { dissectorFor, tree: true });
    session.push("c2s", PREFACE);
    const pdus = session.push("c2s", parseHex("000001 01 05 00000001 bf  000001 01 05 00000003 82"));
    expect(pdus.map((p) => codes(p.frames[0]!))).toEqual([["hpack.index_invalid"], ["hpack.unknown_context"]]);
    expect(codes(rebuildPdu(http2Dissector as never, pdus[1]!)[0]!)).toEqual(["hpack.unknown_context"]);
  });

  it("checks a size update against the SETTINGS_HEADER_TABLE_SIZE the peer announced", () => {
    const session = createStreamSession("http2", { dissectorFor, tree: true });
    session.push("c2s", PREFACE);
    // The server allows 8192; the client's encoder then moves to 8192 (3f e1 3f), which the default 4096 would refuse.
    session.push("s2c", parseHex("000006 04 00 00000000 0001 00002000"));
    const [pdu] = session.push("c2s", parseHex("000004 01 05 00000001 3fe13f 82"));
    expect(codes(pdu!.frames[0]!)).toEqual([]);
    const fresh = createStreamSession("http2", { dissectorFor, tree: true });
    fresh.push("c2s", PREFACE);
    expect(codes(fresh.push("c2s", parseHex("000004 01 05 00000001 3fe13f 82"))[0]!.frames[0]!)).toEqual(["hpack.size_update_too_big"]);
  });

  it("takes over after an HTTP/1.1 Upgrade: h2c answered 101 (RFC 7540 §3.2), the client's preface first", () => {
    const enc = new TextEncoder();
    const turns: Turn[] = [
      ["c2s", enc.encode("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")],
      ["s2c", Uint8Array.from([...enc.encode("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"), ...parseHex("000000 04 00 00000000")])],
      ["c2s", Uint8Array.from([...PREFACE, ...parseHex("000000 04 00 00000000 000000 04 01 00000000")])],
      ["s2c", parseHex("000001 01 05 00000001 88")],
    ];
    const pdus = replay(turns, { protocol: "http1" });
    expect(pdus.map((p) => `${p.direction} ${p.protocol} ${p.frames[0]!.summary}`)).toEqual([
      "c2s http1 GET / HTTP/1.1",
      "s2c http1 HTTP/1.1 101 Switching Protocols",
      "s2c http2 SETTINGS[0]",
      "c2s http2 Magic",
      "c2s http2 SETTINGS[0]",
      "c2s http2 SETTINGS[0] [ACK]",
      "s2c http2 HEADERS[1]: 200 [END_STREAM, END_HEADERS]",
    ]);
  });
});
