// The capture pass (Dissector.capture) against dissection at capture time: a stream session that defers (as the
// capture bus does) must cut the same PDUs, learn the same state, keep the same memos and hand off at the same
// bytes, and the frames a reader makes later from the bytes and the memo (summaries, findings) must equal those
// the session would have made at once. Held on every recorded HTTP/1.x and JIM conversation, every llhttp corpus
// message, each cut into reads of several sizes, and on thousands of mutated conversations. The bus's side:
// server/capture/bus-deferred.test.ts.
import { describe, expect, it } from "vitest";
import { pduFrames, type StreamPdu } from "./core/stream";
import type { Direction } from "./core/types";
import { http1Dissector } from "./http1";
import { loadConversations, replay, type Turn } from "./testdata/http1/conversations";
import { LLHTTP_CORPUS, LLHTTP_RESPONSES } from "./testdata/http1/llhttp-corpus";

const http1 = loadConversations();
const jim = loadConversations(new URL("./testdata/jim/", import.meta.url));
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Every PDU of the turns (each cut into reads of `split` bytes, 0: whole), then both directions ended. */
const run = (protocol: string, turns: readonly Turn[], split: number, defer: boolean): StreamPdu[] =>
  replay(turns, { protocol, split, tree: false, defer, maxPdu: 4096 });

/** A PDU as a reader sees it, its frames made when deferred. */
const seen = (p: StreamPdu) => ({
  direction: p.direction,
  protocol: p.protocol,
  streamOffset: p.streamOffset,
  bytes: [...p.bytes],
  reassembled: p.reassembled,
  memo: p.memo,
  sessionFinding: p.sessionFinding,
  frames: p.frames,
});

function expectSame(protocol: string, turns: readonly Turn[], split: number): number {
  const eager = run(protocol, turns, split, false);
  const deferred = run(protocol, turns, split, true);
  expect(deferred.map(seen)).toEqual(eager.map(seen));
  return deferred.filter((p) => p.deferred).length;
}

const SPLITS = [0, 1, 2, 3, 7, 64];

describe("the capture pass gives what dissection at capture time gives", () => {
  it("on every recorded HTTP/1.x conversation, read whole and in pieces (a 101 handing over to WebSocket included)", () => {
    let deferred = 0;
    for (const c of http1) for (const split of SPLITS) deferred += expectSame("http1", c.turns, split);
    // The pass ran: not a comparison of two eager sessions.
    expect(deferred).toBeGreaterThan(200);
    const upgrade = run("http1", http1.find((c) => c.name === "upgrade-101")!.turns, 0, true);
    expect(upgrade.map((p) => p.protocol)).toContain("websocket");
  });

  it("on every recorded JIM conversation (objects coalesced and split across reads)", () => {
    let deferred = 0;
    for (const c of jim) for (const split of SPLITS) deferred += expectSame("jim", c.turns, split);
    expect(deferred).toBeGreaterThan(100);
    const codes = run("jim", jim.flatMap((c) => c.turns), 0, true).flatMap((p) => p.frames.flatMap((f) => f.findings.map((x) => x.code)));
    expect(codes).toEqual(expect.arrayContaining(["jim.coalesced"]));
  });

  it("on the llhttp corpus's requests and responses, good and bad, after a request of each method that frames a response", () => {
    for (const { text } of LLHTTP_CORPUS) for (const split of [0, 1, 5]) expectSame("http1", [["c2s", latin1(text)]], split);
    for (const method of ["GET", "HEAD", "CONNECT"]) {
      for (const { text } of LLHTTP_RESPONSES) {
        const turns: Turn[] = [
          ["c2s", latin1(`${method} / HTTP/1.1\r\nHost: lab\r\n\r\n`)],
          ["s2c", latin1(text)],
          ["c2s", latin1("GET /next HTTP/1.1\r\nHost: lab\r\n\r\n")],
        ];
        for (const split of [0, 1, 4]) expectSame("http1", turns, split);
      }
    }
  });

  it("on mutated conversations: bytes changed, cut out, doubled, and framing headers put in", () => {
    let seed = 9;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const PIECES = [
      "\r\n",
      "\n",
      "\r\n\r\n",
      "Transfer-Encoding: chunked\r\n",
      "Content-Length: 5\r\n",
      "Content-Length: 999999\r\n",
      "Connection: upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      "HTTP/1.1 200 OK\r\n",
      "HEAD / HTTP/1.1\r\n",
      "CONNECT lab:80 HTTP/1.1\r\n",
      "5\r\nhello\r\n0\r\n\r\n",
      "zz\r\n",
      " folded\r\n",
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
      '{"action": "presence"}',
      "{",
      "}",
    ].map(latin1);
    const sources = [...http1, ...jim];
    let pdus = 0;
    for (let round = 0; round < 1500; round++) {
      const source = sources[rand(sources.length)]!;
      const turns: Turn[] = source.turns.map(([d, b]) => [d, b.slice()]);
      for (let m = 1 + rand(4); m > 0; m--) {
        const t = rand(turns.length);
        const [direction, bytes] = turns[t]!;
        const at = rand(bytes.length + 1);
        let next: Uint8Array;
        switch (rand(4)) {
          case 0: {
            next = bytes.slice();
            if (next.length > 0) next[rand(next.length)] = rand(256);
            break;
          }
          case 1:
            next = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(Math.min(bytes.length, at + 1 + rand(40)))]);
            break;
          case 2:
            next = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at), ...bytes.subarray(at)]);
            break;
          default:
            next = Uint8Array.from([...bytes.subarray(0, at), ...PIECES[rand(PIECES.length)]!, ...bytes.subarray(at)]);
        }
        turns[t] = [direction as Direction, next];
      }
      const protocol = jim.includes(source) ? "jim" : "http1";
      expectSame(protocol, turns, [0, 1, 3, 17][rand(4)]!);
      pdus++;
    }
    expect(pdus).toBe(1500);
  });

  it("a PDU the session kept frames for is read as it is; a deferred one's frames are made once", () => {
    const [eager] = run("http1", [["c2s", latin1("GET / HTTP/1.1\r\nHost: lab\r\n\r\n")]], 0, false);
    expect(eager!.deferred).toBe(false);
    expect(pduFrames(http1Dissector, eager!, new Uint8Array(0))).toBe(eager!.frames);
    const [deferred] = run("http1", [["c2s", latin1("GET / HTTP/1.1\r\nHost: lab\r\n\r\n")]], 0, true);
    expect(deferred!.deferred).toBe(true);
    expect(deferred!.frames).toBe(deferred!.frames);
    expect(deferred!.frames[0]!.summary).toBe("GET / HTTP/1.1");
  });
});
