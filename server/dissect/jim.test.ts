// Golden files: testdata/jim/<case>.hex (each turn is one read, written as the course's clients and servers send:
// one object per send(), or what students' programs get wrong) -> <case>.tree.txt.
// `UPDATE_GOLDEN=1 npx vitest run server/dissect/jim.test.ts` rewrites the trees; read every changed one before keeping
// it. Also: the same objects cut into reads of 1 and 2 bytes, many objects in one read, each finding, and fuzzed input.
import fc from "fast-check";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createStreamSession, rebuildPdu, type StreamPdu } from "./core/stream";
import { coverageProblems, formatTree } from "./core/tree";
import type { DissectedFrame, Direction } from "./core/types";
import { dissectJim, jimDissector, jimPduLength } from "./jim";
import { dissectorFor } from "./protocols";
import { loadConversations, replay, type Turn } from "./testdata/http1/conversations";

const testdata = new URL("./testdata/jim/", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const conversations = loadConversations(testdata);

/** Finding codes (and forms) of each conversation's frames, in order. */
const EXPECTED: Record<string, string[]> = {
  "client-mistakes": [
    "jim.string_time string",
    "jim.missing_time",
    "jim.unknown_action unknown",
    "jim.unknown_action unknown",
    "jim.limit action",
    "jim.limit name",
    "jim.non_ascii",
    "jim.limit message",
    "jim.unknown_action alias",
  ],
  "coalesced-two-sends": ["jim.coalesced"],
  garbage: ["jim.bad_json syntax", "jim.not_object", "jim.bad_json encoding", "jim.bad_json syntax"],
  "homework-presence": [],
  "server-mistakes": [
    "jim.response_not_integer string",
    "jim.error_without_error",
    "jim.response_not_integer fraction",
    "jim.unknown_code",
    "jim.coalesced",
  ],
  "split-three-reads": ["jim.split"],
};

const golden = (pdus: readonly StreamPdu[]) =>
  pdus.map((p) => `pdu ${p.direction} at=${p.streamOffset} len=${p.bytes.length} proto=${p.protocol}\n${formatTree(p.frames)}`).join("");
const codes = (frames: readonly DissectedFrame[]) => frames.flatMap((f) => f.findings.map((x) => (x.form ? `${x.code} ${x.form}` : x.code)));
const run = (turns: readonly Turn[], split = 0) => replay(turns, { protocol: "jim", split });
const bytes = (text: string) => new TextEncoder().encode(text);

function session() {
  return createStreamSession("jim", { dissectorFor, tree: true });
}

describe("jim golden conversations", () => {
  it("has an expectation for every recorded conversation", () => {
    expect(conversations.map((c) => c.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const { name, turns } of conversations) {
    it(`${name}: matches its trees, covers every byte once, rebuilds from its memo, reports the expected findings`, () => {
      const pdus = run(turns);
      const text = golden(pdus);
      const file = new URL(`${name}.tree.txt`, testdata);
      if (UPDATE) writeFileSync(file, text);
      expect(existsSync(file), `missing ${file.pathname}; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(file, "utf8"));
      for (const pdu of pdus) {
        expect(pdu.protocol).toBe("jim");
        for (const frame of pdu.frames) expect(coverageProblems(frame), `${name} ${pdu.direction}@${pdu.streamOffset}`).toEqual([]);
        const rebuilt = rebuildPdu(jimDissector, pdu);
        expect(rebuilt.map((f) => ({ summary: f.summary, fields: f.fields, findings: f.findings }))).toEqual(
          pdu.frames.map((f) => ({ summary: f.summary, fields: f.fields, findings: f.findings })),
        );
      }
      expect(codes(pdus.flatMap((p) => p.frames))).toEqual(EXPECTED[name]);
    });
  }
});

describe("jim framing over a stream", () => {
  const presence = `{"action": "presence", "time": 1764950400, "user": {"account_name": "guest1", "status": "here"}}`;
  const msg = `{"action": "msg", "time": 1764950401, "to": "#room", "from": "guest1", "encoding": "utf-8", "message": "Привет {\\"}"}`;

  it("cuts one object per PDU, with the whitespace after it, whatever the reads", () => {
    const stream = `${presence}\n${msg}\r\n`;
    expect(run([["c2s", bytes(stream)]]).map((p) => [p.streamOffset, p.bytes.length])).toEqual([
      [0, bytes(presence).length + 1],
      [bytes(presence).length + 1, bytes(msg).length + 2],
    ]);
    for (const split of [0, 1, 2, 7]) {
      // Cut finer, whitespace that has not arrived when an object ends goes with the next PDU, or alone at the close.
      const pdus = run([["c2s", bytes(stream)]], split);
      const summaries = pdus.map((p) => p.frames[0]!.summary).filter((t) => t !== "Whitespace");
      expect(summaries, `split ${split}`).toEqual(["presence guest1", 'msg guest1 → #room: "Привет {\\"}"']);
      expect(pdus.reduce((n, p) => n + p.bytes.length, 0)).toBe(bytes(stream).length);
    }
  });

  it("reads a brace inside a string as text, and a backslash before a quote as an escape", () => {
    const text = `{"action": "msg", "time": 1, "to": "b", "from": "a", "message": "}}}\\\\"}`;
    expect(jimPduLength(bytes(`${text}{"x"`), 0)).toBe(bytes(text).length);
  });

  it("says which object shares a read and which came in pieces, the same split 1 and 2 bytes at a time", () => {
    const one = run([["c2s", bytes(presence + msg)]]);
    expect(one.map((p) => codes(p.frames))).toEqual([[], ["jim.coalesced"]]);
    const ones = run([["c2s", bytes(presence)]], 1);
    expect(codes(ones[0]!.frames)).toEqual(["jim.split"]);
    expect(ones[0]!.frames[0]!.findings[0]!.args).toEqual({ reads: bytes(presence).length });
    const twos = run([["c2s", bytes(presence)]], 2);
    expect(twos[0]!.frames[0]!.findings[0]!.args).toEqual({ reads: Math.ceil(bytes(presence).length / 2) });
  });

  it("does not call an object split when only the whitespace before it came in an earlier read", () => {
    const s = session();
    s.push("c2s", bytes(`${presence}`));
    expect(s.push("c2s", bytes("\n"))).toEqual([]);
    const [pdu] = s.push("c2s", bytes(msg));
    expect(codes(pdu!.frames)).toEqual([]);
  });

  it("calls the second of two objects in one read coalesced even when its end comes later", () => {
    const s = session();
    const cut = 10;
    const first = s.push("c2s", bytes(presence + msg.slice(0, cut)));
    expect(codes(first[0]!.frames)).toEqual([]);
    const [second] = s.push("c2s", bytes(msg.slice(cut)));
    expect(codes(second!.frames)).toEqual(["jim.coalesced", "jim.split"]);
  });

  it("shows a line of garbage as it arrives, and an unfinished object at the close", () => {
    const s = session();
    const [garbage] = s.push("c2s", bytes("hello\n"));
    expect(garbage!.frames[0]!.summary).toBe('Not JSON: "hello"');
    expect(s.push("c2s", bytes(`{"action": "pres`))).toEqual([]);
    const [rest] = s.end("c2s");
    expect(codes(rest!.frames)).toEqual(["jim.bad_json syntax"]);
  });

  it("keeps a scan's place across reads: a deep nesting dripped one byte at a time is read once", () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const s = createStreamSession("jim", { dissectorFor, maxPdu: 1 << 20 });
    const out: StreamPdu[] = [];
    for (let i = 0; i < deep.length; i++) out.push(...s.push("c2s", bytes(deep[i]!)));
    expect(out).toHaveLength(1);
    expect(codes(out[0]!.frames)).toEqual(["jim.bad_json depth", "jim.split"]);
  });
});

describe("jim findings one by one", () => {
  const one = (text: string, direction: Direction = "c2s") => codes(dissectJim(bytes(text), { direction }));

  it("names each action and code, and says nothing of a correct message", () => {
    expect(one(`{"action": "join", "time": 1, "room": "#py"}`)).toEqual([]);
    expect(one(`{"action": "quit"}`)).toEqual([]);
    expect(one(`{"response": 410, "time": 1.5, "error": "bob is offline"}`, "s2c")).toEqual([]);
    expect(dissectJim(bytes(`{"response": 410, "time": 1.5, "error": "bob is offline"}`))[0]!.summary).toBe('410 Gone: "bob is offline"');
    expect(dissectJim(bytes(`{"action": "authenticate", "time": 1, "user": {"account_name": "C0deMaver1ck", "password": "x"}}`))[0]!.fields[0]!.id).toBe(
      "jim.object.authenticate",
    );
  });

  it("counts limits in characters, not bytes", () => {
    expect(one(`{"action": "msg", "time": 1, "to": "b", "from": "a", "encoding": "utf-8", "message": "${"я".repeat(500)}"}`)).toEqual([]);
    expect(one(`{"action": "msg", "time": 1, "to": "b", "from": "a", "encoding": "utf-8", "message": "${"я".repeat(501)}"}`)).toEqual(["jim.limit message"]);
    expect(one(`{"action": "msg", "time": 1, "to": "b", "from": "a", "encoding": "utf-8", "message": "${"я".repeat(560)}"}`)).toEqual([
      "jim.limit message",
      "jim.limit object",
    ]);
    expect(one(`{"action": "join", "time": 1, "room": "#${"r".repeat(24)}"}`)).toEqual([]);
    expect(one(`{"action": "join", "time": 1, "room": "#${"r".repeat(25)}"}`)).toEqual(["jim.limit name"]);
  });

  it("takes \\u escapes as ASCII and raw UTF-8 only with an encoding that says so", () => {
    expect(one(`{"action": "msg", "time": 1, "to": "b", "from": "a", "message": "\\u041f"}`)).toEqual([]);
    expect(one(`{"action": "msg", "time": 1, "to": "b", "from": "a", "encoding": "utf-8", "message": "П"}`)).toEqual([]);
    const [frame] = dissectJim(bytes(`{"action": "msg", "time": 1, "to": "b", "from": "a", "message": "Пр"}`));
    expect(frame!.findings[0]).toMatchObject({ code: "jim.non_ascii", args: { count: 4, at: 65 }, offset: 65 });
  });

  it("reads a number, a string and nothing else as time", () => {
    expect(one(`{"action": "presence", "time": 1764950400}`)).toEqual([]);
    expect(one(`{"action": "presence", "time": "1764950400.5"}`)).toEqual(["jim.string_time string"]);
    expect(one(`{"action": "presence", "time": null}`)).toEqual(["jim.string_time other"]);
    expect(one(`{"response": 200}`, "s2c")).toEqual(["jim.missing_time"]);
  });

  it("wants an object with an action or a response", () => {
    expect(one(`{"time": 1}`)).toEqual(["jim.no_action missing"]);
    expect(one(`{"action": 7, "time": 1}`)).toEqual(["jim.no_action not_string"]);
    expect(one(`"presence"`)).toEqual(["jim.not_object"]);
    expect(one(``)).toEqual(["jim.bad_json syntax"]);
  });
});

describe("jim never throws", () => {
  it("on 100,000 inputs: random bytes, mutated objects, and streams cut anywhere", () => {
    const seeds = conversations.flatMap((c) => c.turns.map(([, b]) => b));
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }))
      .map(([b, edits]) => {
        const out = Uint8Array.from(b);
        for (const [at, v] of edits) if (out.length) out[at % out.length] = v;
        return out;
      });
    const jsonish = fc.array(fc.constantFrom(0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x5c, 0x3a, 0x2c, 0x20, 0x0a, 0x31, 0x61, 0xd0, 0xff), { maxLength: 80 }).map((a) => Uint8Array.from(a));
    const inputs = fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated, jsonish);
    let n = 0;
    for (const input of fc.sample(inputs, { numRuns: 90_000, seed: 13 })) {
      for (const frame of dissectJim(input, { direction: n++ % 2 ? "c2s" : "s2c" })) expect(coverageProblems(frame)).toEqual([]);
    }
    for (const [input, cut] of fc.sample(fc.tuple(inputs, fc.integer({ min: 1, max: 9 })), { numRuns: 10_000, seed: 14 })) {
      const s = createStreamSession("jim", { dissectorFor, maxPdu: 256 });
      let total = 0;
      for (let i = 0; i < input.length; i += cut) for (const p of s.push("c2s", input.subarray(i, i + cut))) total += p.bytes.length;
      for (const p of s.end("c2s")) total += p.bytes.length;
      expect(total).toBe(input.length);
    }
  });
});
