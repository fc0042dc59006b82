// Sloped arrows: which two times an arrow's slope comes from (a message and the real loopback segments that carried
// its bytes, joined as the ladder joins them), the drop at the scale and its cut, and the view's URL parameter.

import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Direction, EventKind, EventSchema } from "@/gen/lab/v1/timeline_pb";
import { readTcpPacket, TCP_FLAG } from "../tcp-lesson/segment-adapter";
import { ECHO_CONVERSATION, LOOPBACK_LINKTYPE } from "../tcp-lesson/segments.fixtures";
import { timelineEventOf, type TimelineEvent } from "./batch";
import { eventViewOf } from "./event-table";
import { relatedEvents } from "./model";
import { arrowDrop, arrowSlope, delayParts, dropPx, MAX_DROP_PX, parseSloped, slopedSearch } from "./time-scale";

const C2S = Direction.CLIENT_TO_SERVER;
const S2C = Direction.SERVER_TO_CLIENT;
const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const event = (init: MessageInitShape<typeof EventSchema>): TimelineEvent => timelineEventOf(create(EventSchema, { conversationId: "c1", ...init }));
const us = (n: number) => BigInt(Math.round(n * 1000));

/** The fixture's segments as the host sends them: capture time, and where each payload sits in its stream. */
const segments = ECHO_CONVERSATION.map((p, i) => {
  const packet = readTcpPacket(LOOPBACK_LINKTYPE, hex(p.hex))!;
  const isn = p.c2s ? 3234450577 : 2401037062;
  return event({
    seq: BigInt(10 + i),
    kind: EventKind.SEGMENT,
    direction: p.c2s ? C2S : S2C,
    monoNs: us(p.us),
    data: hex(p.hex),
    linkType: LOOPBACK_LINKTYPE,
    payloadLength: packet.payloadLength,
    streamOffset: BigInt(((packet.seq - isn) >>> 0) - 1 + (packet.flags & TCP_FLAG.SYN ? 1 : 0)),
  });
});
// The server's tap: it wrote the welcome (57 bytes) at 380 µs, read "hello" at 530 µs, wrote the echo at 520 µs.
const welcome = event({ seq: 30n, kind: EventKind.DATA, direction: S2C, monoNs: us(380), streamOffset: 0n, data: new Uint8Array(57) });
const hello = event({ seq: 31n, kind: EventKind.DATA, direction: C2S, monoNs: us(530), streamOffset: 0n, data: new TextEncoder().encode("hello") });
const echo = event({ seq: 32n, kind: EventKind.DATA, direction: S2C, monoNs: us(520), streamOffset: 57n, data: new TextEncoder().encode("ECHO: hello") });
const view = eventViewOf([...segments, welcome, hello, echo].sort((a, b) => Number(a.seq - b.seq)));

describe("arrowSlope", () => {
  it("a read: from the segment that carried its first byte to the server's read", () => {
    const carriers = relatedEvents(view, hello);
    expect(carriers.map((s) => s.monoNs)).toEqual([us(494)]);
    expect(arrowSlope(hello, carriers, true)).toEqual({ basis: "wireToRead", fromNs: us(494), toNs: us(530), delayNs: us(36) });
  });
  it("a write: from the server's write to the segment that carried its last byte", () => {
    expect(arrowSlope(welcome, relatedEvents(view, welcome), true)).toEqual({ basis: "writeToWire", fromNs: us(380), toNs: us(398), delayNs: us(18) });
    expect(arrowSlope(echo, relatedEvents(view, echo), true)).toEqual({ basis: "writeToWire", fromNs: us(520), toNs: us(526), delayNs: us(6) });
  });
  it("flat where the lab knows one time, and says why", () => {
    expect(arrowSlope(segments[5]!, [], true)).toEqual({ basis: "flat", why: "segment" });
    expect(arrowSlope(hello, [], false)).toEqual({ basis: "flat", why: "noCapture" });
    expect(arrowSlope(hello, [], true)).toEqual({ basis: "flat", why: "noSegment" });
    expect(arrowSlope(event({ seq: 1n, kind: EventKind.OPEN, direction: C2S, monoNs: 0n }), [], true)).toEqual({ basis: "flat", why: "kind" });
    // A segment timed after the read that it carried: the clocks disagree, so no slope is made up.
    const late = event({ ...segments[5]!, seq: 99n, kind: EventKind.SEGMENT, monoNs: us(600), direction: C2S, data: segments[5]!.data, linkType: LOOPBACK_LINKTYPE });
    expect(arrowSlope(hello, [late], true)).toEqual({ basis: "flat", why: "noSegment" });
  });
});

describe("arrowSlope with the lab client's own times (end to end)", () => {
  // The lab's client wrote "hello" at 470 µs (before the segment at 494 on the wire and the server's read at 530), and
  // had read the echo at 541 µs (after the server's write at 520 and the segment at 526).
  const timedHello = event({ ...hello, peerMonoNs: us(470), data: hello.data });
  const timedEcho = event({ ...echo, peerMonoNs: us(541), data: echo.data });

  it("a read: from the client's write to the server's read, with the segment's time between them", () => {
    expect(arrowSlope(timedHello, relatedEvents(view, hello), true)).toEqual({
      basis: "clientToRead",
      fromNs: us(470),
      toNs: us(530),
      delayNs: us(60),
      wireNs: us(494),
    });
  });
  it("a write: from the server's write to the client's read, with the segment's time between them", () => {
    expect(arrowSlope(timedEcho, relatedEvents(view, echo), true)).toEqual({
      basis: "writeToClient",
      fromNs: us(520),
      toNs: us(541),
      delayNs: us(21),
      wireNs: us(526),
    });
  });
  it("needs no wire capture, and its drop is the end-to-end delay", () => {
    expect(arrowSlope(timedHello, [], false)).toEqual({ basis: "clientToRead", fromNs: us(470), toNs: us(530), delayNs: us(60) });
    expect(arrowDrop(arrowSlope(timedHello, [], false))).toEqual({ fromY: -60, toY: 0, broken: false, delayNs: us(60) });
    expect(arrowDrop(arrowSlope(timedEcho, [], false))).toEqual({ fromY: 0, toY: 21, broken: false, delayNs: us(21) });
  });
  it("falls back to the wire where the client's time is on the wrong side of the server's (no made-up slope)", () => {
    const wrong = event({ ...hello, peerMonoNs: us(600), data: hello.data });
    expect(arrowSlope(wrong, relatedEvents(view, hello), true)).toEqual({ basis: "wireToRead", fromNs: us(494), toNs: us(530), delayNs: us(36) });
    expect(arrowSlope(wrong, [], false)).toEqual({ basis: "flat", why: "noCapture" });
  });
});

describe("the drop", () => {
  it("is the delay at one pixel per microsecond, above a read's row line and below a write's", () => {
    expect(arrowDrop(arrowSlope(hello, relatedEvents(view, hello), true))).toEqual({ fromY: -36, toY: 0, broken: false, delayNs: us(36) });
    expect(arrowDrop(arrowSlope(welcome, relatedEvents(view, welcome), true))).toEqual({ fromY: 0, toY: 18, broken: false, delayNs: us(18) });
    expect(arrowDrop({ basis: "flat", why: "segment" })).toBeNull();
  });
  it("is cut at the longest drawn drop, and says so", () => {
    expect(dropPx(us(MAX_DROP_PX))).toEqual({ px: MAX_DROP_PX, broken: false });
    expect(dropPx(us(MAX_DROP_PX) + 1n)).toEqual({ px: MAX_DROP_PX, broken: true });
    expect(dropPx(us(43_000))).toEqual({ px: MAX_DROP_PX, broken: true });
    expect(dropPx(0n)).toEqual({ px: 0, broken: false });
  });
  it("words a delay in microseconds under a millisecond, else milliseconds", () => {
    expect(delayParts(us(36))).toEqual({ unit: "us", value: 36 });
    expect(delayParts(us(0.25))).toEqual({ unit: "us", value: 0.3 });
    expect(delayParts(us(43_466))).toEqual({ unit: "ms", value: 43.47 });
  });
});

describe("the view's parameter", () => {
  it("is ?slope=delay, beside the others", () => {
    expect(slopedSearch("?e=4&z=segments", true)).toBe("?e=4&z=segments&slope=delay");
    expect(slopedSearch("?e=4&slope=delay", false)).toBe("?e=4");
    expect(slopedSearch("", false)).toBe("");
    expect(parseSloped(new URLSearchParams("slope=delay"))).toBe(true);
    expect(parseSloped(new URLSearchParams("slope=1"))).toBe(false);
  });
});
