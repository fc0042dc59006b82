// Golden files: testdata/http1/<case>.hex (recorded conversations) -> <case>.tree.txt. `UPDATE_GOLDEN=1 npx vitest run
// server/dissect/http1.test.ts` rewrites the trees; read every changed one before keeping it.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { METHODS } from "node:http";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { rebuildPdu, type StreamPdu } from "./core/stream";
import { coverageProblems, formatTree } from "./core/tree";
import type { Direction, Dissector } from "./core/types";
import { dissectorFor } from "./protocols";
import { HTTP1_FRAME_LIMIT, http1Dissector, upgradeProtocol } from "./http1";
import { findHeadEnd, framingOf, framingScan, LLHTTP_METHODS, parseHead } from "./http1/head";
import { loadConversations, replay, type Turn } from "./testdata/http1/conversations";

const testdata = new URL("./testdata/http1/", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const enc = (s: string) => new TextEncoder().encode(s);
const conversations = loadConversations();

/** Finding codes each recorded conversation must produce, frame by frame, in order. */
const EXPECTED: Record<string, string[]> = {
  "chunked-drip": [],
  "etag-304": ["http1.no_body"],
  "expect-100": [],
  "form-urlencoded": [],
  head: ["http1.no_body"],
  "jsonrpc-batch": [],
  multipart: [],
  pipelined: [],
  "redirect-302": [],
  "seed000-get-users": ["http1.read_to_close"],
  "seed000-invalid-json": ["http1.json_invalid", "http1.read_to_close"],
  "seed000-not-found": ["http1.read_to_close"],
  "seed000-post-user": ["http1.read_to_close"],
  "upgrade-101": ["http1.upgrade"],
  "xmlrpc-call": [],
  "xmlrpc-fault": [],
};

/** The golden text of a conversation: each PDU's direction and stream offset, then its frames. */
function golden(pdus: readonly StreamPdu[]): string {
  return pdus.map((p) => `pdu ${p.direction} at=${p.streamOffset} len=${p.bytes.length} proto=${p.protocol}\n${formatTree(p.frames)}`).join("");
}

const framesOf = (pdus: readonly StreamPdu[]) => pdus.filter((p) => p.protocol === "http1").flatMap((p) => p.frames);

describe("http1 golden conversations", () => {
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
      for (const pdu of pdus) {
        for (const frame of pdu.frames) expect(coverageProblems(frame), `${name} ${pdu.direction}@${pdu.streamOffset}`).toEqual([]);
        // A reader long after the capture gets the same tree from the bytes and the memo alone.
        if (pdu.protocol === "http1") expect(rebuildPdu(http1Dissector, pdu)).toEqual(pdu.frames);
      }
      // Every byte of both directions is in exactly one PDU, in order.
      for (const direction of ["c2s", "s2c"] as const) {
        const sent = turns.filter(([d]) => d === direction).reduce((n, [, b]) => n + b.length, 0);
        let at = 0;
        for (const p of pdus.filter((q) => q.direction === direction)) {
          expect(p.streamOffset).toBe(at);
          at += p.bytes.length;
        }
        expect(at).toBe(sent);
      }
      expect(framesOf(pdus).flatMap((f) => f.findings.map((x) => x.code))).toEqual(EXPECTED[name]);
    });
  }
});

/**
 * What must not change with how reads were cut: the HTTP PDUs, their frames' summaries, findings and trees. (After a
 * handoff to a protocol without framing of its own, each read is a PDU.)
 */
const shape = (pdus: readonly StreamPdu[]) =>
  pdus.filter((p) => p.protocol === "http1").map((p) => ({ direction: p.direction, at: p.streamOffset, n: p.bytes.length, protocol: p.protocol, frames: p.frames.map((f) => ({ ...f, memo: undefined })) }));

describe("http1 over reads of any size", () => {
  for (const { name, turns } of conversations) {
    it(`${name}: fed 1 and 2 bytes at a time gives the same frames`, () => {
      const whole = shape(replay(turns));
      expect(shape(replay(turns, { split: 1 }))).toEqual(whole);
      expect(shape(replay(turns, { split: 2 }))).toEqual(whole);
    });
  }

  it("gives the same summaries and findings without trees", () => {
    for (const { turns } of conversations) {
      const full = replay(turns);
      const bare = replay(turns, { tree: false });
      expect(bare.map((p) => p.frames.map((f) => [f.summary, f.findings, f.fields.length]))).toEqual(full.map((p) => p.frames.map((f) => [f.summary, f.findings, 0])));
    }
  });
});

const find = (name: string) => conversations.find((c) => c.name === name)!;
const summaries = (pdus: readonly StreamPdu[], direction?: Direction) =>
  pdus.filter((p) => p.direction === direction || !direction).flatMap((p) => p.frames.map((f) => f.summary));
const codes = (pdus: readonly StreamPdu[]) => pdus.flatMap((p) => p.frames.flatMap((f) => f.findings.map((x) => x.code)));
const one = (turns: Turn[]) => replay(turns);
const req = (s: string): Turn => ["c2s", enc(s)];
const res = (s: string): Turn => ["s2c", enc(s)];

describe("http1 messages", () => {
  it("sums up requests and responses as Wireshark's Info column does", () => {
    expect(summaries(replay(find("seed000-get-users").turns))).toEqual(["GET /api/users HTTP/1.1", "HTTP/1.0 200 OK (application/json)"]);
    expect(summaries(replay(find("jsonrpc-batch").turns))).toEqual([
      "POST /api/rpc/json HTTP/1.1 (application/json) JSON-RPC batch: add, nope, add",
      "HTTP/1.1 200 OK (application/json) JSON-RPC batch: result id=1, error -32601 id=2",
    ]);
    expect(summaries(replay(find("xmlrpc-call").turns))).toEqual(["POST /api/rpc/xml HTTP/1.1 (text/xml) XML-RPC add", "HTTP/1.1 200 OK (text/xml) XML-RPC response"]);
    expect(summaries(replay(find("xmlrpc-fault").turns))[1]).toBe("HTTP/1.1 200 OK (text/xml) XML-RPC fault -32601");
  });

  it("cuts pipelined requests one by one and pairs each response with its request", () => {
    const pdus = replay(find("pipelined").turns);
    expect(summaries(pdus, "c2s")).toEqual(["GET /a HTTP/1.1", "GET /b HTTP/1.1"]);
    expect(summaries(pdus, "s2c").map((s) => s.slice(0, 15))).toEqual(["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"]);
  });

  it("reads no body after a response to HEAD, 1xx, 204 and 304, and the next response after it", () => {
    const pdus = one([
      req("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\nGET /y HTTP/1.1\r\nHost: a\r\n\r\n"),
      res("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n"),
    ]);
    expect(summaries(pdus, "s2c")).toEqual(["HTTP/1.1 200 OK", "HTTP/1.1 100 Continue", "HTTP/1.1 204 No Content"]);
    expect(codes(pdus)).toEqual(["http1.no_body", "http1.no_body"]);
  });

  it("hands the stream to the Upgrade protocol at the byte after 101", () => {
    const pdus = replay(find("upgrade-101").turns);
    const next = dissectorFor("websocket").id;
    const after = pdus.filter((p) => p.protocol !== "http1");
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((p) => p.protocol === next)).toBe(true);
    expect(after[0]?.bytes[0]).toBe(0x81);
    expect(upgradeProtocol("WebSocket")).toBe("websocket");
    expect(upgradeProtocol("h2c")).toBe("http2");
    expect(upgradeProtocol("TLS/1.2, x")).toBe("tls");
  });

  it("holds the client's bytes after an upgrade request until the answer says which protocol they are", () => {
    const pdus = one([
      req("GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x85abcd"),
      res("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"),
    ]);
    // The bytes after the request are WebSocket frames (as UTF-8 text, \x81 is two bytes: two frames here).
    const protocols = pdus.filter((p) => p.direction === "c2s").map((p) => p.protocol);
    expect(protocols[0]).toBe("http1");
    expect(new Set(protocols.slice(1))).toEqual(new Set([dissectorFor("websocket").id]));
  });

  it("switches to HTTP/2 on the h2c connection preface", () => {
    const pdus = one([req("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")]);
    expect(pdus[0]?.protocol).toBe(dissectorFor("http2").id);
  });

  it("shows a long body in frames of at most HTTP1_FRAME_LIMIT bytes, cut where the bytes say", () => {
    const n = 600_000;
    const body = "x".repeat(n);
    const turns = [req(`POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: ${n}\r\n\r\n${body}`)];
    const pdus = replay(turns);
    expect(pdus.map((p) => p.bytes.length)).toEqual([55, HTTP1_FRAME_LIMIT, HTTP1_FRAME_LIMIT, n - 2 * HTTP1_FRAME_LIMIT]);
    expect(codes(pdus)).toEqual(["http1.body_follows", "http1.body_follows", "http1.body_follows"]);
    expect(shape(replay(turns, { split: 65_536 }))).toEqual(shape(pdus));
    const head = "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    const chunked = `${(400_000).toString(16)}\r\n${"y".repeat(400_000)}\r\n0\r\n\r\n`;
    const c = replay([req(head + chunked)]);
    expect(c.map((p) => p.bytes.length)).toEqual([HTTP1_FRAME_LIMIT, head.length + chunked.length - HTTP1_FRAME_LIMIT]);
    expect(c.map((p) => p.frames[0]?.summary)).toEqual(["POST /c HTTP/1.1", "Continuation, 137927 bytes"]);
    expect(shape(replay([req(head + chunked)], { split: 10_000 }))).toEqual(shape(c));
  });

  it("says when the stream ends before the body does", () => {
    expect(codes(one([req("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")]))).toEqual(["http1.body_short"]);
    expect(codes(one([req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")]))).toEqual(["http1.body_short"]);
    expect(codes(one([req("GET / HTTP/1.1\r\nHost: a\r\n")]))).toEqual(["http1.headers_unterminated"]);
  });

  it("says when bytes after a message do not start one", () => {
    const pdus = one([res("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA")]);
    expect(pdus.map((p) => p.frames[0]?.summary)).toEqual(["HTTP/1.1 200 OK", 'Not HTTP: "EXTRA"']);
    expect(pdus[1]?.frames[0]?.findings.map((x) => [x.code, x.form])).toEqual([["http1.after_message", "length"]]);
    expect(codes(one([req("hello\r\n")]))).toEqual(["http1.after_message"]);
  });

  it("finds request smuggling, duplicate lengths, a missing Host, bare LF, obs-fold and bad names", () => {
    const c = (s: string) => codes(one([req(s)]));
    expect(c("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")).toEqual(["http1.cl_and_te"]);
    expect(c("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")).toEqual(["http1.duplicate_content_length", "http1.after_message"]);
    expect(c("GET / HTTP/1.1\r\n\r\n")).toEqual(["http1.missing_host"]);
    expect(c("GET / HTTP/1.1\nHost: a\n\n")).toEqual(["http1.bare_lf", "http1.bare_lf", "http1.bare_lf"]);
    expect(c("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n")).toEqual(["http1.obs_fold"]);
    expect(c("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n")).toEqual(["http1.invalid_header_name"]);
    expect(c("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")).toEqual(["http1.invalid_chunk_size"]);
  });

  it("shows a compressed body as sent, without reading it as its media type", () => {
    const gzip = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\xae\x05\x00\x43\xbf\xa6\xa3\x02\x00\x00\x00";
    const pdus = one([req("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), ["s2c", Uint8Array.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 22\r\n\r\n${gzip}`, (c) => c.charCodeAt(0))]]);
    expect(codes(pdus)).toEqual(["http1.content_encoded"]);
    const body = pdus[1]?.frames[0]?.fields.find((n) => n.id === "http1.body");
    expect(body?.value.format).toBe("bytes");
  });

  it("reads bodies it cannot name as text, and says what is wrong with them", () => {
    const post = (type: string, body: string) => one([req(`POST / HTTP/1.1\r\nHost: a\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n${body}`)]);
    const bodyOf = (pdus: StreamPdu[]) => pdus[0]?.frames[0]?.fields.find((n) => n.id === "http1.body");
    const xml = post("text/xml", "<methodCall><methodName>add</methodName></params></methodCall>");
    expect(bodyOf(xml)?.children).toEqual([]);
    expect(bodyOf(xml)?.value.format).toBe("quoted");
    expect(codes(post("multipart/form-data", "--x\r\n\r\nv\r\n--x--\r\n"))).toEqual(["http1.multipart_no_boundary"]);
    const cut = post("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue");
    expect(codes(cut)).toEqual(["http1.multipart_unterminated"]);
    expect(bodyOf(cut)?.children.map((n) => n.id)).toEqual(["http1.multipart.delimiter", "http1.multipart.part"]);
    expect(codes(post("application/json", '{"a": [1, 2'))).toEqual(["http1.json_invalid"]);
    expect(codes(post("application/json", "[".repeat(70) + "]".repeat(70)))).toEqual(["http1.json_invalid"]);
    const rpc = post("application/json", '{"jsonrpc": "2.0", "method": "upper", "params": ["a\\u00e9"]}');
    expect(rpc[0]?.frames[0]?.summary).toBe("POST / HTTP/1.1 (application/json) JSON-RPC upper");
    const members = bodyOf(rpc)?.children[0]?.children.map((n) => n.id);
    expect(members).toEqual(["json.token", "http1.jsonrpc.version", "json.token", "http1.jsonrpc.method", "json.token", "http1.jsonrpc.params", "json.token"]);
  });

  it("knows exactly the methods node:http knows", () => {
    expect([...LLHTTP_METHODS].sort()).toEqual([...METHODS].sort());
  });
});

// ---------------------------------------------------------------------------------------------
// Any input

const mutations = fc.array(fc.tuple(fc.constantFrom("set", "insert", "delete", "truncate"), fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 });
const INTERESTING = enc("\r\n:; \t0123456789abcdefHTTP/1.1 GET POST{}[]\",<>/&=-");
const mutate = (bytes: Uint8Array, ops: readonly [string, number, number][]): Uint8Array => {
  const a = Array.from(bytes);
  for (const [op, at, value] of ops) {
    const i = a.length ? at % a.length : 0;
    const v = value < 128 ? (INTERESTING[value % INTERESTING.length] as number) : value;
    if (op === "set" && a.length) a[i] = v;
    else if (op === "insert") a.splice(i, 0, v);
    else if (op === "delete") a.splice(i, 1);
    else a.length = i;
  }
  return Uint8Array.from(a);
};
const conversationsArb: fc.Arbitrary<Turn[]> = fc.oneof(
  fc.tuple(fc.constantFrom(...conversations), fc.array(fc.tuple(fc.nat(), mutations), { maxLength: 3 })).map(([c, edits]) => {
    const turns = c.turns.map(([d, b]) => [d, b] as [Direction, Uint8Array]);
    for (const [k, ops] of edits) {
      const t = turns[k % turns.length];
      if (t) t[1] = mutate(t[1], ops);
    }
    return turns;
  }),
  fc.array(fc.tuple(fc.constantFrom<Direction>("c2s", "s2c"), fc.uint8Array({ maxLength: 80 })), { maxLength: 4 }),
);

let thrown: unknown;
const watched: Dissector = {
  ...http1Dissector,
  pduLength(bytes, offset, ctx) {
    try {
      return http1Dissector.pduLength!(bytes, offset, ctx as never);
    } catch (err) {
      thrown = err;
      throw err;
    }
  },
};

describe("http1 on any input", () => {
  it("never throws, keeps every node and finding inside its frame, and covers every byte once (100,000 conversations)", () => {
    let n = 0;
    fc.assert(
      fc.property(conversationsArb, fc.constantFrom(0, 0, 0, 1, 7), (turns, split) => {
        n++;
        // The stream session turns a throw into a `dissector_error` finding, and a throwing pduLength into no length:
        // there must be neither.
        const pdus = replay(turns, { split, lookup: (id) => (id === "http1" ? watched : dissectorFor(id)) });
        if (thrown !== undefined) throw thrown;
        for (const pdu of pdus) {
          for (const frame of pdu.frames) {
            if (frame.findings.some((x) => x.code.endsWith(".dissector_error"))) throw new Error(`threw: ${frame.findings.map((x) => x.message).join("; ")}`);
            const problems = coverageProblems(frame);
            if (problems.length) throw new Error(problems.join("; "));
          }
        }
        return true;
      }),
      { numRuns: 100_000, seed: 11 },
    );
    expect(n).toBe(100_000);
  }, 600_000);
});

describe("http1 framing", () => {
  it("reads the same framing from the fields it needs as from the whole head (20,000 heads)", () => {
    const heads = conversations.flatMap((c) => c.turns.map(([d, b]) => [d === "c2s", b] as const));
    fc.assert(
      fc.property(fc.constantFrom(...heads), mutations, ([request, base], ops) => {
        const bytes = mutate(base, ops);
        const found = findHeadEnd(bytes, 0, request, 1 << 16);
        if (found.kind !== "end") return;
        const head = parseHead(bytes, 0, found.end, request);
        expect(framingScan(bytes, head.startLine.start, found.end)).toEqual(framingOf(head.block.fields));
      }),
      { numRuns: 20_000, seed: 5 },
    );
  });
});
