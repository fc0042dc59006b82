// The JIM object splitter on bytes as TCP may deliver them: joined, split 1 and 2 bytes at a time,
// with whitespace, split UTF-8 characters, braces inside strings, junk, and past its bounds.

import { describe, expect, it } from "vitest";
import { createJimDecoder, type JimChunkEvent } from "./decoder";

const LIMITS = { maxObjectBytes: 256, maxDepth: 8 };
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Pushes `bytes` in pieces of `size`, and returns every event. */
function feed(bytes: Uint8Array, size: number, limits = LIMITS): JimChunkEvent[] {
  const decoder = createJimDecoder(limits);
  const events: JimChunkEvent[] = [];
  for (let at = 0; at < bytes.length; at += size) events.push(...decoder.push(bytes.subarray(at, at + size)));
  return events;
}

const objects = (events: JimChunkEvent[]) => events.flatMap((e) => (e.kind === "object" ? [dec(e.bytes)] : []));

describe("createJimDecoder", () => {
  const two = '{"action": "presence", "time": 1.5}{"action": "msg", "time": 2, "to": "#r", "message": "a}b{\\"c"}';
  for (const size of [1, 2, 3, 1000]) {
    it(`cuts two coalesced objects, braces and escaped quotes inside strings, read ${size} bytes at a time`, () => {
      expect(objects(feed(enc(two), size))).toEqual(['{"action": "presence", "time": 1.5}', '{"action": "msg", "time": 2, "to": "#r", "message": "a}b{\\"c"}']);
    });
  }

  it("skips whitespace and newlines between objects without calling them junk", () => {
    const events = feed(enc(' \r\n\t{"a": 1}\n\n  {"b": {"c": 2}}\n'), 1);
    expect(events.map((e) => e.kind)).toEqual(["object", "object"]);
    expect(objects(events)).toEqual(['{"a": 1}', '{"b": {"c": 2}}']);
  });

  it("keeps a UTF-8 character split across reads whole (П is d0 9f)", () => {
    const bytes = enc('{"message": "Привет"}');
    const split = bytes.indexOf(0x9f);
    const decoder = createJimDecoder(LIMITS);
    expect(decoder.push(bytes.subarray(0, split))).toEqual([]);
    expect(decoder.pending).toBe(split);
    const [event] = decoder.push(bytes.subarray(split));
    expect(event?.kind).toBe("object");
    expect(dec((event as { bytes: Uint8Array }).bytes)).toBe('{"message": "Привет"}');
    expect(decoder.pending).toBe(0);
  });

  it("reports one junk event per run of bytes outside objects, and finds the object after it", () => {
    const events = feed(enc('[1, 2] 42 {"a": 1} "x"'), 2);
    expect(events).toEqual([
      { kind: "junk", byte: 0x5b },
      { kind: "object", bytes: enc('{"a": 1}') },
      { kind: "junk", byte: 0x22 },
    ]);
  });

  it("gives up on an object longer than maxObjectBytes, and takes nothing more", () => {
    const decoder = createJimDecoder(LIMITS);
    const events = decoder.push(enc(`{"a": "${"x".repeat(300)}"}{"b": 1}`));
    expect(events).toEqual([{ kind: "too-long", limit: 256 }]);
    expect(decoder.failed).toBe(true);
    expect(decoder.pending).toBe(0);
    expect(decoder.push(enc('{"c": 1}'))).toEqual([]);
  });

  it("counts the limit across reads (an object dripped in pieces)", () => {
    const events = feed(enc(`{"a": "${"x".repeat(300)}`), 7);
    expect(events).toEqual([{ kind: "too-long", limit: 256 }]);
  });

  it("accepts an object of exactly maxObjectBytes", () => {
    const body = `{"a": "${"x".repeat(256 - 9)}"}`;
    expect(body.length).toBe(256);
    expect(objects(feed(enc(body), 5))).toEqual([body]);
  });

  it("gives up past maxDepth nested braces (10,000 levels never reach a recursion)", () => {
    expect(feed(enc("{".repeat(10_000)), 1000)).toEqual([{ kind: "too-deep", limit: 8 }]);
    const ok = `${'{"a":'.repeat(7)}{}${"}".repeat(7)}`;
    expect(objects(feed(enc(ok), 1))).toEqual([ok]);
  });
});
