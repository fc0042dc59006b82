// Golden files: testdata/websocket/<case>.hex (conversations recorded through the lab's tap on 8080, from the
// upgrade request on) -> <case>.tree.txt. `UPDATE_GOLDEN=1 npx vitest run server/dissect/websocket.test.ts`
// rewrites the trees; read every changed one before keeping it. Also: RFC 6455 §5.7 and RFC 7692 §7.2.3's
// examples, each finding, a frame split over many reads and many frames in one read, and fuzzed input.
import fc from "fast-check";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { createStreamSession, rebuildPdu, type StreamPdu } from "./core/stream";
import { coverageProblems, findNode, formatTree, parseHex } from "./core/tree";
import type { DissectedFrame, Direction } from "./core/types";
import { dissectorFor } from "./protocols";
import { parseConversation, replay, type Turn } from "./testdata/http1/conversations";
import { invalidUtf8At, WEBSOCKET_MESSAGE_LIMIT, websocketDissector, websocketPduLength } from "./websocket";
import { acceptOf, base64, fromBase64, sha1 } from "./websocket/handshake";
import { createInflater } from "./websocket/inflate";

const testdata = new URL("./testdata/websocket/", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const conversations = readdirSync(testdata)
  .filter((n) => n.endsWith(".hex"))
  .sort()
  .map((file) => ({ name: file.slice(0, -4), ...parseConversation(readFileSync(new URL(file, testdata), "utf8")) }));

/** Finding codes of each conversation's WebSocket frames, in order. */
const EXPECTED: Record<string, string[]> = {
  "python-deflate-echo": [],
  "raw-100mb-length": ["*.too_long"],
  "raw-chat-fragments-invalid-utf8": ["websocket.invalid_utf8"],
  "raw-fragmented-ping": ["websocket.control_fragmented"],
  "raw-reserved-opcode": ["websocket.reserved_opcode"],
  "raw-unmasked": ["websocket.unmasked_client"],
  "ws-echo-lengths": [],
};

const golden = (pdus: readonly StreamPdu[]) =>
  pdus.map((p) => `pdu ${p.direction} at=${p.streamOffset} len=${p.bytes.length} proto=${p.protocol}\n${formatTree(p.frames)}`).join("");
const wsFrames = (pdus: readonly StreamPdu[]) => pdus.filter((p) => p.protocol === "websocket").flatMap((p) => p.frames);
/** Frames as a reader compares them: what reads cut does not change. */
const shape = (pdus: readonly StreamPdu[]) => pdus.map((p) => ({ direction: p.direction, at: p.streamOffset, protocol: p.protocol, frames: p.frames }));

const find = findNode;

function frameOf(hex: string, direction: Direction = "s2c"): DissectedFrame {
  const session = createStreamSession("websocket", { dissectorFor, tree: true });
  const [pdu] = session.push(direction, parseHex(hex));
  return pdu!.frames[0]!;
}

describe("websocket golden conversations", () => {
  it("has an expectation for every recorded conversation", () => {
    expect(conversations.map((c) => c.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const { name, turns } of conversations) {
    it(`${name}: matches its trees, covers every byte once, rebuilds from its memo, reports the expected findings`, () => {
      const pdus = replay(turns);
      const text = golden(pdus);
      const file = new URL(`${name}.tree.txt`, testdata);
      if (UPDATE) writeFileSync(file, text);
      expect(existsSync(file), `missing ${file.pathname}; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(file, "utf8"));
      expect(pdus.some((p) => p.protocol === "websocket")).toBe(true);
      for (const pdu of pdus) {
        for (const frame of pdu.frames) expect(coverageProblems(frame), `${name} ${pdu.direction}@${pdu.streamOffset}`).toEqual([]);
        if (pdu.protocol !== "websocket") continue;
        const rebuilt = rebuildPdu(websocketDissector as never, pdu).map((f) => ({ ...f, findings: f.findings.filter((x) => x !== pdu.sessionFinding) }));
        const own = pdu.frames.map((f) => ({ ...f, findings: f.findings.filter((x) => x !== pdu.sessionFinding) }));
        expect(rebuilt.map((f) => ({ summary: f.summary, fields: f.fields, findings: f.findings.map((x) => x.code) }))).toEqual(
          own.map((f) => ({ summary: f.summary, fields: f.fields, findings: f.findings.map((x) => x.code) })),
        );
      }
      expect(wsFrames(pdus).flatMap((f) => f.findings.map((x) => (x.code.endsWith(".too_long") ? "*.too_long" : x.code)))).toEqual(EXPECTED[name]);
    });

    // Not for a frame longer than the session holds: it goes out as it arrives, so reads change what it looks like.
    if (name === "raw-100mb-length") continue;
    it(`${name}: the same frames when every byte is its own read, and when each direction comes in one read`, () => {
      const whole = shape(replay(turns, { tree: true }));
      expect(shape(replay(turns, { split: 1, tree: true }))).toEqual(whole);
      const joined: Turn[] = [];
      for (const [direction, bytes] of turns) {
        const last = joined.at(-1);
        if (last && last[0] === direction) joined[joined.length - 1] = [direction, Uint8Array.from([...last[1], ...bytes])];
        else joined.push([direction, bytes]);
      }
      expect(shape(replay(joined, { tree: true }))).toEqual(whole);
    });
  }

  it("reads the Python client's compressed messages with the window kept between them (context takeover)", () => {
    const frames = wsFrames(replay(conversations.find((c) => c.name === "python-deflate-echo")!.turns));
    const texts = frames.map((f) => f.summary);
    expect(texts).toContain('Text [FIN] [MASKED] [COMPRESSED] "{\\"message\\": \\"hello again\\"}"');
    expect(texts).toContain('Text [FIN] [COMPRESSED] "{\\"message\\":\\"hello again\\"}"');
    // The two fragments are joined, inflated, and read as JSON.
    const joined = frames.find((f) => f.summary.startsWith("Continuation [FIN]"))!;
    expect(joined.summary).toContain('Text (3 frames) "{\\"message\\": \\"in two pieces\\"}"');
    expect(find(joined.fields, "json.string")?.value).toMatchObject({ text: "in two pieces" });
    const close = frames.find((f) => f.summary.startsWith("Close") && find(f.fields, "websocket.masking_key"))!;
    expect(find(close.fields, "websocket.payload.close.status_code")?.value).toMatchObject({ value: 1000 });
    expect(find(close.fields, "websocket.payload.close.reason")?.value).toMatchObject({ text: "bye" });
  });
});

describe("websocket frames (RFC 6455 §5.7, RFC 7692 §7.2.3)", () => {
  it("reads a single-frame unmasked text message", () => {
    const frame = frameOf("81 05 48 65 6c 6c 6f");
    expect(frame.summary).toBe('Text [FIN] "Hello"');
    expect(find(frame.fields, "websocket.opcode")).toMatchObject({ offset: 0, length: 1, bitmask: 0x0f, value: { value: 1, name: "Text" } });
    expect(find(frame.fields, "websocket.payload.text")).toMatchObject({ offset: 2, length: 5 });
    expect(coverageProblems(frame)).toEqual([]);
  });

  it("shows a masked frame's key, its payload as sent and unmasked", () => {
    const frame = frameOf("81 85 37 fa 21 3d 7f 9f 4d 51 58", "c2s");
    expect(frame.summary).toBe('Text [FIN] [MASKED] "Hello"');
    expect(find(frame.fields, "websocket.masking_key")).toMatchObject({ offset: 2, length: 4, value: { hex: "37 fa 21 3d" } });
    expect(find(frame.fields, "websocket.masked_payload")).toMatchObject({ offset: 6, length: 5, value: { hex: "7f 9f 4d 51 58" } });
    expect(find(frame.fields, "websocket.payload")).toMatchObject({ offset: 6, length: 5, value: { hex: "48 65 6c 6c 6f" } });
    expect(frame.findings).toEqual([]);
  });

  it("joins a fragmented unmasked text message", () => {
    const session = createStreamSession("websocket", { dissectorFor, tree: true });
    const frames = [...session.push("s2c", parseHex("01 03 48 65 6c")), ...session.push("s2c", parseHex("80 02 6c 6f"))].flatMap((p) => p.frames);
    expect(frames.map((f) => f.summary)).toEqual(["Text 3 bytes", 'Continuation [FIN] 2 bytes; Text (2 frames) "Hello"']);
    expect(find(frames[1]!.fields, "websocket.message.fragments")?.value).toMatchObject({ value: 2 });
  });

  it("reads ping, pong, and the 16- and 64-bit lengths", () => {
    expect(frameOf("89 05 48 65 6c 6c 6f").summary).toBe('Ping [FIN] "Hello"');
    expect(frameOf("8a 85 37 fa 21 3d 7f 9f 4d 51 58", "c2s").summary).toBe('Pong [FIN] [MASKED] "Hello"');
    const f16 = frameOf(`82 7e 01 00 ${"00 ".repeat(256)}`);
    expect(find(f16.fields, "websocket.payload_length_ext16")?.value).toMatchObject({ value: 256 });
    expect(f16.summary).toBe("Binary [FIN] 256 bytes");
    const f64 = frameOf(`82 7f 00 00 00 00 00 01 00 00 ${"00 ".repeat(65536)}`);
    expect(find(f64.fields, "websocket.payload_length_ext64")?.value).toMatchObject({ value: 65536n });
    expect(f64.findings).toEqual([]);
    expect(websocketPduLength(parseHex("82 7f 00 00 00 00 06 40 00 00"), 0)).toBe(100 * 1024 * 1024 + 10);
    expect(websocketPduLength(parseHex("82 7f 00 00"), 0)).toBe("more");
  });

  it("inflates RFC 7692's examples, the second with the first's window", () => {
    const session = createStreamSession("websocket", { dissectorFor, tree: true });
    const first = session.push("s2c", parseHex("c1 07 f2 48 cd c9 c9 07 00"))[0]!.frames[0]!;
    const second = session.push("s2c", parseHex("c1 05 f2 00 11 00 00"))[0]!.frames[0]!;
    expect(first.summary).toBe('Text [FIN] [COMPRESSED] "Hello"');
    expect(second.summary).toBe('Text [FIN] [COMPRESSED] "Hello"');
    expect(find(second.fields, "websocket.message.inflated_length")?.value).toMatchObject({ value: 5 });
    // A stored block (BTYPE 00) and a message that refers back past its window.
    expect(frameOf("c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00").summary).toBe('Text [FIN] [COMPRESSED] "Hello"');
  });

  it("stops a deflate bomb at the limit, and says why later messages cannot be read", () => {
    const bomb = new Uint8Array(zlib.deflateRawSync(new Uint8Array(WEBSOCKET_MESSAGE_LIMIT * 4), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4));
    const frame = Uint8Array.of(0xc2, 126, bomb.length >> 8, bomb.length & 0xff, ...bomb);
    const session = createStreamSession("websocket", { dissectorFor, tree: false });
    const [pdu] = session.push("s2c", frame);
    expect(pdu!.frames[0]!.findings.map((f) => f.code)).toEqual(["websocket.inflate_too_big"]);
    const [next] = session.push("s2c", parseHex("c1 07 f2 48 cd c9 c9 07 00"));
    expect(next!.frames[0]!.findings.map((f) => `${f.code} ${f.form}`)).toEqual(["websocket.inflate_failed context"]);
    const limited = createInflater().inflate(bomb, 1000);
    expect(limited).toMatchObject({ error: "too_big" });
    expect(limited.bytes.length).toBe(1000);
  });

  it("reports each finding: masking, reserved bits and opcodes, control frames, UTF-8, close codes, lengths", () => {
    const codes = (hex: string, direction: Direction = "s2c") => frameOf(hex, direction).findings.map((f) => f.code);
    expect(codes("81 05 48 65 6c 6c 6f", "c2s")).toEqual(["websocket.unmasked_client"]);
    expect(codes("81 85 37 fa 21 3d 7f 9f 4d 51 58", "s2c")).toEqual(["websocket.masked_server"]);
    expect(codes("83 00")).toEqual(["websocket.reserved_opcode"]);
    expect(codes("a1 01 41")).toEqual(["websocket.rsv_set"]);
    expect(codes("c9 00")).toEqual(["websocket.rsv1_misplaced"]);
    expect(codes(`89 7e 00 7e ${"00 ".repeat(126)}`)).toEqual(["websocket.control_too_long"]);
    expect(codes("09 00")).toEqual(["websocket.control_fragmented"]);
    expect(codes("82 7e 00 05 01 02 03 04 05")).toEqual(["websocket.length_not_minimal"]);
    expect(codes("81 02 c3 28")).toEqual(["websocket.invalid_utf8"]);
    expect(codes("88 02 03 ed")).toEqual(["websocket.bad_close_code"]);
    expect(codes("88 01 03")).toEqual(["websocket.close_one_byte"]);
    expect(codes("88 04 03 e8 c3 28")).toEqual(["websocket.close_reason_utf8"]);
    expect(codes("82 7f 80 00 00 00 00 00 00 00")).toEqual(["websocket.length_top_bit", "websocket.too_long"]);
    expect(codes("80 01 41")).toEqual(["websocket.continuation_unexpected"]);
    const session = createStreamSession("websocket", { dissectorFor, tree: false });
    session.push("s2c", parseHex("01 01 41"));
    expect(session.push("s2c", parseHex("81 01 42"))[0]!.frames[0]!.findings.map((f) => f.code)).toEqual(["websocket.message_interrupted"]);
    expect(codes("c1 02 ff ff")).toEqual(["websocket.inflate_failed"]);
  });

  it("finds where UTF-8 goes wrong", () => {
    expect(invalidUtf8At(new TextEncoder().encode("café ☕"))).toBe(-1);
    expect(invalidUtf8At(Uint8Array.of(0x41, 0xc3, 0x28))).toBe(1);
    expect(invalidUtf8At(Uint8Array.of(0x41, 0x42, 0xe2, 0x82))).toBe(2);
    expect(invalidUtf8At(Uint8Array.of(0xed, 0xa0, 0x80))).toBe(0);
  });
});

describe("the opening handshake (RFC 6455 §4)", () => {
  const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  it("computes SHA-1, base64 and the Accept value as RFC 6455 §1.3 shows", () => {
    expect(hex(sha1(new TextEncoder().encode("abc")))).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(hex(sha1(new Uint8Array(0)))).toBe("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    expect(hex(sha1(new TextEncoder().encode("a".repeat(1000))))).toBe("291e9a6c66994949b57ba5e650361e98fc36b1ba");
    expect(acceptOf("dGhlIHNhbXBsZSBub25jZQ==").accept).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    expect(base64(Uint8Array.of(1, 2))).toBe("AQI=");
    expect(fromBase64("AQI=")).toEqual(Uint8Array.of(1, 2));
    expect(fromBase64("not base64!")).toBeUndefined();
  });

  const turnsOf = (name: string) => conversations.find((c) => c.name === name)!.turns;
  const handshake = (turns: readonly Turn[]) => replay(turns).filter((p) => p.protocol === "http1").flatMap((p) => p.frames);

  it("shows the key, the Accept check step by step, and the extensions offered and accepted", () => {
    const [request, answer] = handshake(turnsOf("python-deflate-echo"));
    expect(find(request!.fields, "websocket.handshake.key")?.value).toMatchObject({ format: "bytes", n: 16 });
    expect(find(request!.fields, "websocket.handshake.extension")?.value).toMatchObject({ text: "permessage-deflate" });
    expect(find(request!.fields, "websocket.handshake.extension.param")?.value).toMatchObject({ text: "client_max_window_bits" });
    const check = find(answer!.fields, "websocket.handshake.accept")!;
    expect(check.children.map((c) => c.id)).toEqual(["websocket.handshake.concatenated", "websocket.handshake.sha1", "websocket.handshake.expected", "websocket.handshake.matches"]);
    expect(find(check.children, "websocket.handshake.matches")?.value).toMatchObject({ value: true });
    expect(answer!.findings.map((f) => f.code)).toEqual(["http1.upgrade"]);
  });

  it("says when the Accept is not the key's, or the key is not 16 bytes", () => {
    const turns = turnsOf("raw-unmasked").map(([d, b]): Turn => {
      const text = new TextDecoder("latin1").decode(b).replace("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=").replace("dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ==");
      return [d, Uint8Array.from(text, (c) => c.charCodeAt(0))];
    });
    const [, answer] = handshake(turns);
    expect(answer!.findings.map((f) => f.code)).toContain("websocket.accept_mismatch");
    const shortKey = turnsOf("raw-unmasked").map(([d, b]): Turn => [d, Uint8Array.from(new TextDecoder("latin1").decode(b).replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=AAAAAAAAAAAAAAAA"), (c) => c.charCodeAt(0))]);
    expect(handshake(shortKey)[0]!.findings.map((f) => f.code)).toContain("websocket.key_invalid");
  });
});

describe("websocket fuzzing", () => {
  it("never throws, keeps every node and finding inside its frame (100,000 inputs)", () => {
    const seeds = conversations.flatMap((c) => c.turns.map(([, bytes]) => bytes)).filter((b) => b.length < 4096);
    const frameBytes = fc.oneof(
      fc.uint8Array({ maxLength: 48 }),
      fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 })).map(([a, b, rest]) => Uint8Array.of(a, b, ...rest)),
      fc.tuple(fc.constantFrom(...seeds), fc.integer({ min: 0, max: 4095 }), fc.integer({ min: 0, max: 255 })).map(([bytes, at, value]) => {
        const copy = Uint8Array.from(bytes);
        if (copy.length) copy[at % copy.length] = value;
        return copy;
      }),
    );
    const inputs = fc.sample(fc.tuple(fc.array(frameBytes, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 7 }), fc.boolean()), { numRuns: 100_000, seed: 12 });
    let frames = 0;
    for (const [chunks, split, tree] of inputs) {
      const session = createStreamSession("websocket", { dissectorFor, tree, maxPdu: 4096 });
      const direction: Direction = split % 2 ? "c2s" : "s2c";
      const out: StreamPdu[] = [];
      for (const chunk of chunks) {
        if (split < 2) out.push(...session.push(direction, chunk));
        else for (let i = 0; i < chunk.length; i += split) out.push(...session.push(direction, chunk.subarray(i, i + split)));
      }
      out.push(...session.end(direction));
      for (const pdu of out) {
        for (const frame of pdu.frames) {
          frames++;
          expect(frame.findings.filter((f) => f.code.endsWith(".dissector_error"))).toEqual([]);
          if (tree) for (const problem of coverageProblems(frame)) expect(problem).not.toMatch(/outside/);
        }
      }
    }
    expect(frames).toBeGreaterThan(100_000);
  }, 240_000);
});
