import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { createCursor } from "../dissect/core/cursor";
import { defineFields } from "../dissect/core/fields";
import { coverageProblems, leafCoverage, parseHex } from "../dissect/core/tree";
import type { DissectContext, Dissector, PduLength } from "../dissect/core/types";
import { dissectText, textDissector } from "../dissect/text";
import { createReassembler, type ReassembledFrame } from "./reassemble";

const ctx: DissectContext = { direction: "c2s" };

/** A test protocol: a 2-byte big-endian length, then that many payload bytes. */
const f = defineFields("lp", {
  length: { label: "Length", type: "u16", blurb: "Payload bytes that follow." },
  payload: { label: "Payload", type: "bytes", blurb: "The message." },
});
const lp: Dissector = {
  id: "lp",
  name: "Length-prefixed",
  pduLength: (bytes, offset): PduLength => (bytes.length - offset < 2 ? "more" : 2 + (((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0))),
  dissect(bytes) {
    const cur = createCursor(bytes, "lp");
    const n = cur.u16(f.length);
    cur.bytes(f.payload, n);
    return [cur.frame(`${n} bytes`)];
  },
};
const lpMessage = (payload: number[]) => [payload.length >> 8, payload.length & 0xff, ...payload];

/** A test protocol whose end is an LF, so pduLength says "more" until one arrives. */
const nl: Dissector = {
  ...lp,
  id: "nl",
  pduLength: (bytes, offset) => {
    const i = bytes.indexOf(0x0a, offset);
    return i < 0 ? "more" : i + 1 - offset;
  },
  dissect: (bytes) => [{ ...dataFrame(bytes), protocol: "nl" }],
};
function dataFrame(bytes: Uint8Array) {
  const cur = createCursor(bytes, "nl");
  if (bytes.length) cur.bytes(f.payload, bytes.length);
  return cur.frame("line");
}

function replay(dissector: Dissector, bytes: Uint8Array, step: number, maxPdu?: number) {
  const r = createReassembler(dissector, ctx, { maxPdu });
  const frames: ReassembledFrame[] = [];
  for (let i = 0; i < bytes.length; i += step) {
    const chunk = bytes.subarray(i, i + step);
    for (const frame of r.push(chunk)) {
      // The frame's end lies in the chunk that completed it.
      expect(frame.offset + frame.length).toBeGreaterThan(0);
      expect(frame.offset + frame.length).toBeLessThanOrEqual(chunk.length);
      expect(frame.streamOffset).toBe(i + frame.offset);
      frames.push(frame);
    }
  }
  frames.push(...r.end());
  return frames;
}

/** How many leaves cover each byte of the stream, frame by frame. */
function streamCoverage(frames: readonly ReassembledFrame[], length: number): number[] {
  const counts = new Array<number>(length).fill(0);
  for (const frame of frames) {
    leafCoverage(frame).forEach((c, i) => (counts[frame.streamOffset + i] = (counts[frame.streamOffset + i] ?? 0) + c));
  }
  return counts;
}

const testdata = new URL("../dissect/testdata/", import.meta.url);
// The stream fixtures: text protocols (packet fixtures hold several captured packets each).
const fixtures = readdirSync(testdata)
  .filter((name) => name.startsWith("text-") && name.endsWith(".hex"))
  .map((name) => ({ name, bytes: parseHex(readFileSync(new URL(name, testdata), "utf8")) }));

describe("replaying fixtures split 1 and 2 bytes at a time", () => {
  it("has fixtures to replay", () => expect(fixtures.length).toBeGreaterThan(0));

  for (const { name, bytes } of fixtures) {
    for (const step of [1, 2]) {
      it(`${name} in ${step}-byte reads: one text frame per read, every byte covered once`, () => {
        const frames = replay(textDissector, bytes, step);
        expect(frames).toHaveLength(Math.ceil(bytes.length / step));
        for (const frame of frames) {
          expect(frame.offset).toBe(0);
          expect(Array.from(frame.bytes)).toEqual(Array.from(bytes.subarray(frame.streamOffset, frame.streamOffset + frame.length)));
          expect(coverageProblems(frame)).toEqual([]);
        }
        expect(streamCoverage(frames, bytes.length).every((c) => c === 1)).toBe(true);
      });

      it(`${name} wrapped in length-prefixed messages, in ${step}-byte reads, dissects as if read whole`, () => {
        const stream = Uint8Array.from([...lpMessage(Array.from(bytes)), ...lpMessage([1, 2, 3])]);
        const whole = replay(lp, stream, stream.length);
        const split = replay(lp, stream, step);
        const strip = (frames: ReassembledFrame[]) => frames.map(({ offset: _offset, ...rest }) => rest);
        expect(strip(split)).toEqual(strip(whole));
        expect(whole.map((x) => [x.streamOffset, x.length])).toEqual([
          [0, bytes.length + 2],
          [bytes.length + 2, 5],
        ]);
        expect(streamCoverage(split, stream.length).every((c) => c === 1)).toBe(true);
      });
    }
  }
});

describe("reassembler without pduLength", () => {
  it("makes each read one message, copying its bytes", () => {
    const r = createReassembler(textDissector, ctx);
    const chunk = new TextEncoder().encode("hi\n");
    const [frame, ...rest] = r.push(chunk);
    expect(rest).toEqual([]);
    const { bytes: _bytes, streamOffset: _streamOffset, ...plain } = frame!;
    expect(plain).toEqual(dissectText(chunk, ctx)[0]);
    chunk[0] = 0;
    expect(frame?.bytes[0]).toBe(0x68);
    expect(r.push(new Uint8Array())).toEqual([]);
    expect(r.push(chunk)[0]).toMatchObject({ offset: 0, streamOffset: 3 });
    expect(r.buffered).toBe(0);
    expect(r.end()).toEqual([]);
  });
});

describe("reassembler with pduLength", () => {
  it("cuts several messages out of one read", () => {
    const r = createReassembler(lp, ctx);
    const frames = r.push(Uint8Array.from([...lpMessage([1]), ...lpMessage([]), ...lpMessage([2, 3]), 0]));
    expect(frames.map((x) => [x.offset, x.length, x.streamOffset, x.summary])).toEqual([
      [0, 3, 0, "1 bytes"],
      [3, 2, 3, "0 bytes"],
      [5, 4, 5, "2 bytes"],
    ]);
    expect(r.buffered).toBe(1);
  });

  it("waits for more, then gives offsets relative to the read that completed the message", () => {
    const r = createReassembler(lp, ctx);
    expect(r.push(Uint8Array.of(0))).toEqual([]);
    expect(r.push(Uint8Array.of(3, 7))).toEqual([]);
    expect(r.buffered).toBe(3);
    const [frame] = r.push(Uint8Array.of(8, 9, 0));
    expect(frame).toMatchObject({ offset: -3, length: 5, streamOffset: 0, findings: [] });
    expect(Array.from(frame?.bytes ?? [])).toEqual([0, 3, 7, 8, 9]);
    expect(r.buffered).toBe(1);
  });

  it("keeps returned bytes intact while its buffer is reused", () => {
    const r = createReassembler(lp, ctx);
    const [first] = r.push(Uint8Array.from([...lpMessage([1, 2]), 0]));
    for (let i = 0; i < 50; i++) r.push(Uint8Array.of(0xff));
    expect(Array.from(first?.bytes ?? [])).toEqual([0, 2, 1, 2]);
  });

  it("shows a message declared longer than maxPdu as it arrives, then finds the next one", () => {
    const stream = Uint8Array.from([...lpMessage(new Array<number>(20).fill(7)), ...lpMessage([1])]);
    const frames = replay(lp, stream, 6, 8);
    expect(frames.map((x) => [x.protocol, x.streamOffset, x.length, x.findings.map((y) => y.code)])).toEqual([
      ["lp", 0, 6, ["lp.truncated", "lp.too_long"]],
      ["data", 6, 6, ["lp.too_long"]],
      ["data", 12, 6, ["lp.too_long"]],
      ["data", 18, 4, ["lp.too_long"]],
      ["lp", 22, 3, []],
    ]);
    expect(frames[0]?.findings[1]).toMatchObject({ severity: "error", offset: 0, length: 6 });
    expect(streamCoverage(frames, stream.length).every((c) => c === 1)).toBe(true);
  });

  it("bounds the buffer when no end of message comes", () => {
    const r = createReassembler(nl, ctx, { maxPdu: 4 });
    expect(r.push(Uint8Array.of(1, 2, 3, 4))).toEqual([]);
    const [frame, ...rest] = r.push(Uint8Array.of(5));
    expect(rest).toEqual([]);
    expect(frame).toMatchObject({ protocol: "nl", offset: -4, length: 5, streamOffset: 0 });
    expect(frame?.findings.map((x) => x.code)).toEqual(["nl.too_long"]);
    expect(r.buffered).toBe(0);
    expect(r.push(Uint8Array.of(6, 0x0a))).toEqual([expect.objectContaining({ offset: 0, length: 2, streamOffset: 5, findings: [] })]);
  });

  it("hands what is left at the end of the stream to the dissector", () => {
    const r = createReassembler(lp, ctx);
    r.push(Uint8Array.of(0, 9, 1));
    const [frame] = r.end();
    expect(frame).toMatchObject({ offset: -3, streamOffset: 0, length: 3 });
    expect(frame?.findings.map((x) => x.code)).toEqual(["lp.truncated"]);
    expect(r.end()).toEqual([]);
  });

  it("survives a pduLength that throws or returns nonsense: the dissector reads everything buffered", () => {
    const nonsense: Dissector["pduLength"][] = [() => 0, () => -1, () => Number.NaN, () => 1.5, () => Infinity];
    nonsense.push(() => {
      throw new Error("boom");
    });
    for (const pduLength of nonsense) {
      const r = createReassembler({ ...lp, pduLength }, ctx);
      expect(r.push(Uint8Array.of(0, 1, 5, 6)).map((x) => [x.streamOffset, x.length, x.findings])).toEqual([[0, 4, []]]);
      expect(r.buffered).toBe(0);
    }
  });

  it("turns a dissector that throws, or returns nothing, into data frames", () => {
    const boom = () => {
      throw new Error("boom");
    };
    const throwing = createReassembler({ ...lp, dissect: boom }, ctx);
    const [frame] = throwing.push(Uint8Array.from(lpMessage([1])));
    expect(frame).toMatchObject({ protocol: "data", length: 3 });
    expect(frame?.findings.map((x) => x.code)).toEqual(["lp.dissector_error"]);
    const silent = createReassembler({ ...lp, dissect: () => [] }, ctx);
    expect(silent.push(Uint8Array.from(lpMessage([1])))).toEqual([expect.objectContaining({ protocol: "data", length: 3 })]);
  });
});
