import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { createCursor } from "./cursor";
import { defineFields } from "./fields";
import { coverageProblems, leafCoverage, parseHex } from "./tree";
import type { Dissector, PduLength } from "./types";
import { dissectText, textDissector } from "../text";
import { createStreamSession, needsStreamSession, rebuildPdu, type StreamPdu } from "./stream";
import { englishDisplay } from "./formats";

/** A test protocol: a 2-byte big-endian length, then that many payload bytes. */
const f = defineFields("lp", {
  length: { label: "Length", type: "u16", blurb: "Payload bytes that follow." },
  payload: { label: "Payload", type: "bytes", blurb: "The message." },
  line: { label: "Line", type: "bytes", blurb: "One line." },
});
const lp: Dissector = {
  id: "lp",
  name: "Length-prefixed",
  pduLength: (bytes, offset): PduLength => (bytes.length - offset < 2 ? "more" : 2 + (((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0))),
  dissect(bytes, ctx) {
    const cur = createCursor(bytes, "lp", ctx.tree ?? true);
    const n = cur.u16(f.length);
    cur.bytes(f.payload, n);
    return [cur.frame(`${n} bytes`)];
  },
};
const lpMessage = (payload: number[]) => [payload.length >> 8, payload.length & 0xff, ...payload];

/** Counts the bytes pduLength looked at, to show that a search resumes instead of rescanning. */
let examined = 0;

/** A test protocol whose end is an LF: pduLength resumes its search where it stopped (scan.at). */
const nl: Dissector = {
  id: "nl",
  name: "Lines",
  pduLength: (bytes, offset, ctx) => {
    const from = offset + ctx.scan.at;
    examined += bytes.length - from;
    const i = bytes.indexOf(0x0a, from);
    if (i < 0) {
      ctx.scan.at = bytes.length - offset;
      return "more";
    }
    return i + 1 - offset;
  },
  dissect(bytes, ctx) {
    const cur = createCursor(bytes, "nl", ctx.tree ?? true);
    if (bytes.length) cur.bytes(f.line, bytes.length);
    return [cur.frame("line")];
  },
};

/**
 * A toy stateful protocol, as HPACK is one: "SET k v\n" stores a value in the conversation's state, "GET k\n"
 * shows the value stored earlier (in either direction), every message is numbered in the conversation, and
 * "UPGRADE lp\n" hands the stream to the length-prefixed protocol. The memo keeps what a rebuilt tree needs.
 */
interface KvState {
  readonly values: Map<string, string>;
  count: number;
}
interface KvMemo {
  readonly n: number;
  readonly value: string | undefined;
}
const kvFields = defineFields("kv", {
  message: { label: "Message", type: "text", blurb: "One command." },
  value: { label: "Stored value", type: "none", blurb: "What an earlier SET stored for this key." },
});
const kv: Dissector<KvState> = {
  id: "kv",
  name: "Key-value",
  pduLength: nl.pduLength as Dissector<KvState>["pduLength"],
  createState: () => ({ values: new Map(), count: 0 }),
  dissect(bytes, ctx) {
    const text = new TextDecoder().decode(bytes).replace(/\n$/, "");
    const [verb = "", key = "", value = ""] = text.split(" ");
    let memo = ctx.memo as KvMemo | undefined;
    if (ctx.state) {
      const state = ctx.state;
      state.count++;
      if (verb === "SET") state.values.set(key, value);
      memo = { n: state.count, value: verb === "GET" ? state.values.get(key) : undefined };
    }
    const cur = createCursor(bytes, "kv", ctx.tree ?? true);
    cur.item(kvFields.message, bytes.length, JSON.stringify(text));
    if (memo?.value !== undefined) cur.item(kvFields.value, 0, memo.value);
    const frame = cur.frame(`#${memo?.n ?? "?"} ${text}${memo?.value === undefined ? "" : ` = ${memo.value}`}`);
    return [{ ...frame, memo, handoff: verb === "UPGRADE" ? { protocol: key } : undefined }];
  },
};
/** Detects "KV" at the start of a stream, as HTTP/2's preface is told from HTTP/1.1. */
const sniff: Dissector = {
  ...nl,
  id: "sniff",
  name: "Sniffing",
  detect: (bytes) => (bytes.length < 2 ? "more" : bytes[0] === 0x4b && bytes[1] === 0x56 ? "kv" : undefined),
};
const protocols = new Map<string, Dissector>([lp, nl, kv as Dissector, sniff, textDissector].map((d) => [d.id, d]));
const dissectorFor = (id: string) => protocols.get(id);
const encode = (s: string) => new TextEncoder().encode(s);

function replay(protocol: string, bytes: Uint8Array, step: number, options: { maxPdu?: number; tree?: boolean } = {}) {
  const session = createStreamSession(protocol, { dissectorFor, tree: true, ...options });
  const pdus: StreamPdu[] = [];
  for (let i = 0; i < bytes.length; i += step) pdus.push(...session.push("c2s", bytes.subarray(i, i + step)));
  pdus.push(...session.end("c2s"));
  return pdus;
}

/** How many leaves cover each byte of the stream, PDU by PDU. */
function streamCoverage(pdus: readonly StreamPdu[], length: number): number[] {
  const counts = new Array<number>(length).fill(0);
  for (const pdu of pdus) {
    for (const frame of pdu.frames) {
      leafCoverage(frame).forEach((c, i) => {
        const at = pdu.streamOffset + frame.offset + i;
        counts[at] = (counts[at] ?? 0) + c;
      });
    }
  }
  return counts;
}

const plain = (pdus: readonly StreamPdu[]) =>
  pdus.map((p) => ({ protocol: p.protocol, at: p.streamOffset, bytes: Array.from(p.bytes), frames: p.frames, memo: p.memo }));

const testdata = new URL("../testdata/", import.meta.url);
// The stream fixtures: text protocols (packet fixtures hold several captured packets each).
const fixtures = readdirSync(testdata)
  .filter((name) => name.startsWith("text-") && name.endsWith(".hex"))
  .map((name) => ({ name, bytes: parseHex(readFileSync(new URL(name, testdata), "utf8")) }));

describe("replaying fixtures split 1 and 2 bytes at a time", () => {
  it("has fixtures to replay", () => expect(fixtures.length).toBeGreaterThan(0));

  for (const { name, bytes } of fixtures) {
    for (const step of [1, 2]) {
      it(`${name} in ${step}-byte reads: one text PDU per read, every byte covered once`, () => {
        const pdus = replay("text", bytes, step);
        expect(pdus).toHaveLength(Math.ceil(bytes.length / step));
        for (const pdu of pdus) {
          expect(pdu.reassembled).toBe(false);
          expect(Array.from(pdu.bytes)).toEqual(Array.from(bytes.subarray(pdu.streamOffset, pdu.streamOffset + pdu.bytes.length)));
          for (const frame of pdu.frames) expect(coverageProblems(frame)).toEqual([]);
        }
        expect(streamCoverage(pdus, bytes.length).every((c) => c === 1)).toBe(true);
      });

      it(`${name} wrapped in length-prefixed messages, in ${step}-byte reads, dissects as if read whole`, () => {
        const stream = Uint8Array.from([...lpMessage(Array.from(bytes)), ...lpMessage([1, 2, 3])]);
        const whole = replay("lp", stream, stream.length);
        const split = replay("lp", stream, step);
        expect(plain(split)).toEqual(plain(whole));
        expect(whole.map((x) => [x.streamOffset, x.bytes.length])).toEqual([
          [0, bytes.length + 2],
          [bytes.length + 2, 5],
        ]);
        expect(streamCoverage(split, stream.length).every((c) => c === 1)).toBe(true);
      });
    }
  }
});

describe("a session without framing", () => {
  it("makes each read one PDU, a view of the read, with its stream offset", () => {
    const session = createStreamSession("text", { dissectorFor, tree: true });
    const chunk = encode("hi\n");
    const [pdu, ...rest] = session.push("c2s", chunk);
    expect(rest).toEqual([]);
    expect(pdu).toMatchObject({ direction: "c2s", protocol: "text", streamOffset: 0, reassembled: false });
    expect(pdu!.frames).toEqual(dissectText(chunk, { direction: "c2s" }));
    expect(session.push("c2s", new Uint8Array())).toEqual([]);
    expect(session.push("c2s", chunk)[0]).toMatchObject({ streamOffset: 3 });
    expect(session.push("s2c", chunk)[0]).toMatchObject({ direction: "s2c", streamOffset: 0 });
    expect(session.buffered("c2s")).toBe(0);
    expect(session.streamLength("c2s")).toBe(6);
    expect(session.end("c2s")).toEqual([]);
  });

  it("needs no session at capture time, unlike framed, stateful or sniffing protocols", () => {
    expect(needsStreamSession(textDissector)).toBe(false);
    expect([lp, kv as Dissector, sniff].map(needsStreamSession)).toEqual([true, true, true]);
  });
});

describe("a session with pduLength", () => {
  it("cuts several PDUs out of one read, each a view of it", () => {
    const session = createStreamSession("lp", { dissectorFor, tree: true });
    const pdus = session.push("c2s", Uint8Array.from([...lpMessage([1]), ...lpMessage([]), ...lpMessage([2, 3]), 0]));
    expect(pdus.map((x) => [x.streamOffset, x.bytes.length, x.reassembled, x.frames[0]?.summary])).toEqual([
      [0, 3, false, "1 bytes"],
      [3, 2, false, "0 bytes"],
      [5, 4, false, "2 bytes"],
    ]);
    expect(session.buffered("c2s")).toBe(1);
  });

  it("waits for more, then gives the PDU its stream offset and its reassembled bytes (never a negative offset)", () => {
    const session = createStreamSession("lp", { dissectorFor, tree: true });
    expect(session.push("c2s", Uint8Array.of(0))).toEqual([]);
    expect(session.push("c2s", Uint8Array.of(3, 7))).toEqual([]);
    expect(session.buffered("c2s")).toBe(3);
    const [pdu] = session.push("c2s", Uint8Array.of(8, 9, 0));
    expect(pdu).toMatchObject({ streamOffset: 0, reassembled: true });
    expect(pdu!.frames[0]).toMatchObject({ offset: 0, length: 5, findings: [] });
    expect(Array.from(pdu!.bytes)).toEqual([0, 3, 7, 8, 9]);
    expect(session.buffered("c2s")).toBe(1);
  });

  it("keeps the bytes it returned intact while its buffer is reused", () => {
    const session = createStreamSession("lp", { dissectorFor });
    session.push("c2s", Uint8Array.of(0));
    const [first] = session.push("c2s", Uint8Array.from([2, 1, 2, 0]));
    for (let i = 0; i < 50; i++) session.push("c2s", Uint8Array.of(0xff));
    expect(Array.from(first?.bytes ?? [])).toEqual([0, 2, 1, 2]);
  });

  it("keeps the two directions apart", () => {
    const session = createStreamSession("lp", { dissectorFor });
    expect(session.push("c2s", Uint8Array.of(0, 1))).toEqual([]);
    expect(session.push("s2c", Uint8Array.from(lpMessage([9])))).toEqual([expect.objectContaining({ direction: "s2c", streamOffset: 0 })]);
    expect(session.push("c2s", Uint8Array.of(5))).toEqual([expect.objectContaining({ direction: "c2s", streamOffset: 0, reassembled: true })]);
  });

  it("shows a message declared longer than maxPdu as it arrives, then finds the next one", () => {
    const stream = Uint8Array.from([...lpMessage(new Array<number>(20).fill(7)), ...lpMessage([1])]);
    const pdus = replay("lp", stream, 6, { maxPdu: 8 });
    expect(pdus.map((x) => [x.protocol, x.streamOffset, x.bytes.length, x.frames[0]?.findings.map((y) => y.code)])).toEqual([
      ["lp", 0, 6, ["lp.truncated", "lp.too_long"]],
      ["data", 6, 6, ["lp.too_long"]],
      ["data", 12, 6, ["lp.too_long"]],
      ["data", 18, 4, ["lp.too_long"]],
      ["lp", 22, 3, []],
    ]);
    expect(pdus[0]?.frames[0]?.findings[1]).toMatchObject({ severity: "error", offset: 0, length: 6, args: { declared: 22, limit: 8 } });
    expect(streamCoverage(pdus, stream.length).every((c) => c === 1)).toBe(true);
  });

  it("bounds the buffer when no end of message comes", () => {
    const session = createStreamSession("nl", { dissectorFor, maxPdu: 4 });
    expect(session.push("c2s", Uint8Array.of(1, 2, 3, 4))).toEqual([]);
    const [pdu, ...rest] = session.push("c2s", Uint8Array.of(5));
    expect(rest).toEqual([]);
    expect(pdu).toMatchObject({ protocol: "nl", streamOffset: 0, reassembled: true });
    expect(pdu!.bytes.length).toBe(5);
    expect(pdu!.frames[0]?.findings.map((x) => x.code)).toEqual(["nl.too_long"]);
    expect(session.buffered("c2s")).toBe(0);
    expect(session.push("c2s", Uint8Array.of(6, 0x0a))).toEqual([expect.objectContaining({ streamOffset: 5, reassembled: false })]);
  });

  it("keeps its buffer the size of what waits, however long the stream runs", () => {
    const session = createStreamSession("lp", { dissectorFor });
    const message = Uint8Array.from(lpMessage([1, 2, 3, 4, 5, 6, 7, 8]));
    // Reads that never end on a message boundary: a 5-byte read, then 10-byte ones, a megabyte in all.
    expect(session.push("c2s", message.subarray(0, 5))).toEqual([]);
    let cut = 0;
    for (let i = 0; i < 100_000; i++) cut += session.push("c2s", Uint8Array.from([...message.subarray(5), ...message.subarray(0, 5)])).length;
    expect(cut).toBe(100_000);
    expect(session.buffered("c2s")).toBe(5);
    expect(session.bufferSize("c2s")).toBeLessThanOrEqual(64);
  });

  it("resumes a delimiter search instead of rescanning what it already searched", () => {
    const session = createStreamSession("nl", { dissectorFor });
    examined = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) expect(session.push("c2s", Uint8Array.of(0x41))).toEqual([]);
    expect(session.push("c2s", Uint8Array.of(0x0a))[0]?.bytes.length).toBe(n + 1);
    // Each byte looked at once (a rescan would look at n * (n + 1) / 2 = 200 million).
    expect(examined).toBe(n + 1);
  });

  it("hands what is left at the end of the stream to the dissector", () => {
    const session = createStreamSession("lp", { dissectorFor });
    session.push("c2s", Uint8Array.of(0, 9, 1));
    const [pdu] = session.end("c2s");
    expect(pdu).toMatchObject({ streamOffset: 0, reassembled: true });
    expect(pdu!.frames[0]?.findings.map((x) => x.code)).toEqual(["lp.truncated"]);
    expect(session.end("c2s")).toEqual([]);
  });

  it("survives a pduLength that throws or returns nonsense: the dissector reads everything buffered", () => {
    const nonsense: Dissector["pduLength"][] = [() => 0, () => -1, () => Number.NaN, () => 1.5, () => Infinity];
    nonsense.push(() => {
      throw new Error("boom");
    });
    for (const pduLength of nonsense) {
      const odd: Dissector = { ...lp, id: "odd", pduLength };
      const session = createStreamSession("odd", { dissectorFor: (id) => (id === "odd" ? odd : undefined) });
      expect(session.push("c2s", Uint8Array.of(0, 1, 5, 6)).map((x) => [x.streamOffset, x.bytes.length, x.frames[0]?.findings])).toEqual([
        [0, 4, []],
      ]);
      expect(session.buffered("c2s")).toBe(0);
    }
  });

  it("turns a dissector that throws, or returns nothing, into data frames", () => {
    const boom = () => {
      throw new Error("boom");
    };
    const throwing: Dissector = { ...lp, id: "boom", dissect: boom };
    const silent: Dissector = { ...lp, id: "silent", dissect: () => [] };
    const lookup = (id: string) => (id === "boom" ? throwing : id === "silent" ? silent : undefined);
    const [pdu] = createStreamSession("boom", { dissectorFor: lookup }).push("c2s", Uint8Array.from(lpMessage([1])));
    expect(pdu!.frames[0]).toMatchObject({ protocol: "data", length: 3 });
    expect(pdu!.frames[0]?.findings.map((x) => x.code)).toEqual(["boom.dissector_error"]);
    const [quiet] = createStreamSession("silent", { dissectorFor: lookup }).push("c2s", Uint8Array.from(lpMessage([1])));
    expect(quiet!.frames).toEqual([expect.objectContaining({ protocol: "data", length: 3 })]);
  });
});

describe("state and handoff", () => {
  function run(tree: boolean): StreamPdu[] {
    const session = createStreamSession("kv", { dissectorFor, tree });
    return [
      ...session.push("c2s", encode("SET a 1\nGET a\nSET b 22\n")),
      ...session.push("s2c", encode("GET b\n")),
      ...session.push("c2s", encode("UPGRADE lp\n")),
      ...session.push("c2s", Uint8Array.from([...lpMessage([1, 2]), ...lpMessage([3])])),
      ...session.push("s2c", Uint8Array.from(lpMessage([4]))),
    ];
  }

  it("keeps one state for the conversation, in stream order across directions, and hands both over", () => {
    const pdus = run(true);
    expect(pdus.map((p) => `${p.direction} ${p.protocol} ${p.frames[0]?.summary}`)).toEqual([
      "c2s kv #1 SET a 1",
      "c2s kv #2 GET a = 1",
      "c2s kv #3 SET b 22",
      "s2c kv #4 GET b = 22",
      "c2s kv #5 UPGRADE lp",
      "c2s lp 2 bytes",
      "c2s lp 1 bytes",
      "s2c lp 1 bytes",
    ]);
  });

  it("cuts what the other direction held under the old protocol as soon as a handoff switches it", () => {
    const session = createStreamSession("kv", { dissectorFor });
    // The server's bytes wait for an LF that kv needs; they are a whole lp message.
    expect(session.push("s2c", Uint8Array.from(lpMessage([7, 7])))).toEqual([]);
    const pdus = session.push("c2s", encode("UPGRADE lp\n"));
    expect(pdus.map((p) => [p.direction, p.protocol, p.frames[0]?.summary, p.reassembled])).toEqual([
      ["c2s", "kv", "#1 UPGRADE lp", false],
      ["s2c", "lp", "2 bytes", true],
    ]);
    expect(session.buffered("s2c")).toBe(0);
  });

  it("hands one direction over when the frame says so", () => {
    const once: Dissector<KvState> = {
      ...kv,
      id: "once",
      dissect: (bytes, ctx) => kv.dissect(bytes, ctx).map((frame) => ({ ...frame, handoff: frame.handoff && { ...frame.handoff, directions: "this" } })),
    };
    const session = createStreamSession("once", { dissectorFor: (id) => (id === "once" ? (once as Dissector) : dissectorFor(id)) });
    session.push("c2s", encode("UPGRADE lp\n"));
    expect([session.protocol("c2s"), session.protocol("s2c")]).toEqual(["lp", "once"]);
  });

  it("rebuilds every tree from a PDU's bytes and memo alone, as the capture-time tree was", () => {
    const withTrees = run(true);
    const withoutTrees = run(false);
    expect(withoutTrees.every((p) => p.frames.every((frame) => frame.fields.length === 0))).toBe(true);
    const rebuilt = withoutTrees.map((p) => rebuildPdu(protocols.get(p.protocol)!, p));
    expect(rebuilt).toEqual(withTrees.map((p) => p.frames));
    expect(rebuilt[3]?.[0]?.fields.map((x) => [x.id, englishDisplay(x)])).toEqual([
      ["kv.message", '"GET b"'],
      ["kv.value", "22"],
    ]);
  });

  it("lets detect pick the protocol from the first bytes, for both directions", () => {
    const session = createStreamSession("sniff", { dissectorFor });
    expect(session.push("c2s", encode("K"))).toEqual([]);
    expect(session.push("c2s", encode("V x y\n")).map((p) => p.frames[0]?.summary)).toEqual(["#1 KV x y"]);
    expect([session.protocol("c2s"), session.protocol("s2c")]).toEqual(["kv", "kv"]);
    const other = createStreamSession("sniff", { dissectorFor });
    expect(other.push("c2s", encode("hello\n")).map((p) => p.protocol)).toEqual(["sniff"]);
    expect(other.protocol("c2s")).toBe("sniff");
  });
});

describe("random splits of both directions, interleaved", () => {
  // The server's lp messages may come before the client's upgrade (they wait, unterminated, under kv, and are
  // cut when the upgrade switches both sides), after it, or straddle it: the reader must see the same.
  const c2s = Uint8Array.from([...encode("SET k v\nGET k\nUPGRADE lp\n"), ...lpMessage([1, 2, 3]), ...lpMessage([9])]);
  const s2c = Uint8Array.from([...lpMessage([4, 4]), ...lpMessage([5])]);

  function run(cutsC: readonly number[], cutsS: readonly number[], order: readonly boolean[]) {
    const session = createStreamSession("kv", { dissectorFor });
    const reads = (bytes: Uint8Array, cuts: readonly number[]) =>
      [...cuts, bytes.length].map((cut, i, all) => bytes.subarray(i === 0 ? 0 : all[i - 1], cut)).filter((r) => r.length > 0);
    const c = reads(c2s, cutsC);
    const s = reads(s2c, cutsS);
    const pdus: StreamPdu[] = [];
    for (const clientFirst of order) {
      const next = clientFirst ? c.shift() : s.shift();
      if (next) pdus.push(...session.push(clientFirst ? "c2s" : "s2c", next));
    }
    for (const r of c) pdus.push(...session.push("c2s", r));
    for (const r of s) pdus.push(...session.push("s2c", r));
    pdus.push(...session.end("c2s"), ...session.end("s2c"));
    // What a reader sees: each direction's messages, in order, as rebuilt from bytes and memos.
    const view = (direction: "c2s" | "s2c") =>
      pdus
        .filter((p) => p.direction === direction)
        .sort((a, b) => a.streamOffset - b.streamOffset)
        .map((p) => `${p.protocol}@${p.streamOffset}:${rebuildPdu(protocols.get(p.protocol)!, p).map((f) => f.summary).join(",")}`);
    return { c2s: view("c2s"), s2c: view("s2c") };
  }

  it("gives every split the messages a stream read in a few large reads gives, in both directions", () => {
    let seed = 0x1234567;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const cuts = (length: number) =>
      Array.from({ length: Math.floor(random() * 6) }, () => 1 + Math.floor(random() * (length - 1))).sort((a, b) => a - b);
    const expected = {
      c2s: ["kv@0:#1 SET k v", "kv@8:#2 GET k = v", "kv@14:#3 UPGRADE lp", "lp@25:3 bytes", "lp@30:1 bytes"],
      s2c: ["lp@0:2 bytes", "lp@4:1 bytes"],
    };
    let mismatches = 0;
    for (let i = 0; i < 20_000; i++) {
      const order = Array.from({ length: 16 }, () => random() < 0.5);
      if (JSON.stringify(run(cuts(c2s.length), cuts(s2c.length), order)) !== JSON.stringify(expected)) mismatches++;
    }
    expect(run([], [], [false, true])).toEqual(expected);
    expect(mismatches).toBe(0);
  });
});

describe("100,000 random splits", () => {
  // A conversation that uses everything: state across messages, a handoff mid-read, framing after it.
  const c2s = Uint8Array.from([...encode("SET k v\nGET k\nSET x 1\nUPGRADE lp\n"), ...lpMessage([1, 2, 3]), ...lpMessage([]), ...lpMessage([9, 8])]);
  const s2c = encode("GET x\n");

  function splitRun(cuts: readonly number[]): StreamPdu[] {
    const session = createStreamSession("kv", { dissectorFor });
    const pdus: StreamPdu[] = [];
    let at = 0;
    for (const cut of [...cuts, c2s.length]) {
      pdus.push(...session.push("c2s", c2s.subarray(at, cut)));
      at = cut;
    }
    pdus.push(...session.push("s2c", s2c), ...session.end("c2s"), ...session.end("s2c"));
    return pdus;
  }

  it("cuts the same PDUs, with the same frames and memos, however the reads fall", () => {
    const whole = plain(splitRun([]));
    expect(whole.map((p) => p.protocol)).toEqual(["kv", "kv", "kv", "kv", "lp", "lp", "lp", "lp"]);
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    let mismatches = 0;
    for (let run = 0; run < 100_000; run++) {
      const cuts: number[] = [];
      const count = 1 + Math.floor(random() * 8);
      for (let i = 0; i < count; i++) cuts.push(1 + Math.floor(random() * (c2s.length - 1)));
      cuts.sort((a, b) => a - b);
      const split = plain(splitRun(cuts));
      if (JSON.stringify(split) !== JSON.stringify(whole)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});
