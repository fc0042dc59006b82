// Pairing HTTP requests with their responses on the ladder, from real bytes: each conversation is cut and dissected
// by the lab's own stream session and HTTP/1.x dissector (as the host does at capture time), and its frames' parts
// become the events' `http`, as the host's briefs carry them.

import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Direction, EventKind, HttpPart, HttpSummarySchema } from "@/gen/lab/v1/timeline_pb";
import { createStreamSession } from "@/server/dissect/core/stream";
import { http1Dissector, isHttp1Frame } from "@/server/dissect/http1";
import type { TimelineEvent } from "./batch";
import { eventViewOf } from "./event-table";
import { firstExchange, pairedSeq, pairHttp, statusClass, timeToFirstByteNs, type HttpExchange } from "./http-pairs";

type Step = readonly ["c2s" | "s2c", string] | "close";

const PART = { request: HttpPart.REQUEST, response: HttpPart.RESPONSE, body: HttpPart.BODY } as const;

/** Events of one conversation from reads in order, 1 ms apart, with the parts the dissector gave their frames. */
function conversation(steps: readonly Step[], id = "c1", firstSeq = 1): TimelineEvent[] {
  const session = createStreamSession("http1", { dissectorFor: (p) => (p === "http1" ? http1Dissector : undefined) });
  return steps.map((step, i) => {
    const base = { seq: BigInt(firstSeq + i), conversationId: id, monoNs: BigInt(i) * 1_000_000n, data: new Uint8Array() };
    const rest = { summary: "", moreFrames: 0, findings: [], tcpSummary: undefined, streamOffset: -1n, payloadLength: 0, linkType: 0, errorCode: "", errorMessage: "" };
    if (step === "close") return { ...base, ...rest, kind: EventKind.CLOSE, direction: Direction.UNSPECIFIED, length: 0, http: [] };
    const [direction, text] = step;
    const bytes = new TextEncoder().encode(text);
    const frames = session.push(direction, bytes).flatMap((pdu) => pdu.frames);
    const http = frames.flatMap((frame) =>
      isHttp1Frame(frame) ? [create(HttpSummarySchema, { ...frame.http1, part: PART[frame.http1.kind], length: frame.length })] : [],
    );
    return {
      ...base,
      ...rest,
      kind: EventKind.DATA,
      direction: direction === "c2s" ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT,
      length: bytes.length,
      summary: frames[0]?.summary ?? "",
      moreFrames: Math.max(0, frames.length - 1),
      http,
    };
  });
}

const brief = (e: HttpExchange) => ({
  request: e.request && `${e.request.summary.method} ${e.request.summary.target} @${e.request.seq}`,
  interim: e.interim.map((r) => `${r.summary.status} @${r.seq}`),
  response: e.response && `${e.response.summary.status} ${e.response.summary.reason} @${e.response.seq}`,
  state: e.state,
});

const json = (status: string, body: string) =>
  `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe("pairHttp", () => {
  it("pairs kept-alive exchanges one after another, with the time to first byte and the size", () => {
    const events = conversation([
      ["c2s", "GET /api/users HTTP/1.1\r\nHost: lab\r\n\r\n"],
      ["s2c", json("200 OK", '{"success":true}')],
      ["c2s", 'POST /api/users HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"name":"Al"}'],
      // The answer's head and body in two reads: its first byte came with the first.
      ["s2c", "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n"],
      ["s2c", "{}"],
    ]);
    const pairs = pairHttp(eventViewOf(events));
    expect(pairs.exchanges.map(brief)).toEqual([
      { request: "GET /api/users @1", interim: [], response: "200 OK @2", state: "answered" },
      { request: "POST /api/users @3", interim: [], response: "201 Created @5", state: "answered" },
    ]);
    const [first, second] = pairs.exchanges as [HttpExchange, HttpExchange];
    expect(timeToFirstByteNs(first)).toBe(1_000_000);
    // Request at 2 ms, its answer's first bytes at 3 ms, completed at 4 ms.
    expect(timeToFirstByteNs(second)).toBe(1_000_000);
    expect(second.response?.length).toBe(events[3]!.length + events[4]!.length);
    expect(pairedSeq(first, 1n)).toBe(2n);
    expect(pairedSeq(first, 2n)).toBe(1n);
    expect(firstExchange(pairs, 5n, events[4]!.http)?.exchange).toBe(second);
  });

  it("pairs pipelined requests in one read with responses in any grouping, n-th with n-th", () => {
    const events = conversation([
      ["c2s", "GET /a HTTP/1.1\r\nHost: lab\r\n\r\nGET /b HTTP/1.1\r\nHost: lab\r\n\r\nGET /c HTTP/1.1\r\nHost: lab\r\n\r\n"],
      ["s2c", json("200 OK", "1") + json("404 Not Found", "{}")],
      ["s2c", json("500 Internal Server Error", "{}")],
    ]);
    expect(events[0]!.http).toHaveLength(3);
    const pairs = pairHttp(eventViewOf(events));
    expect(pairs.exchanges.map(brief)).toEqual([
      { request: "GET /a @1", interim: [], response: "200 OK @2", state: "answered" },
      { request: "GET /b @1", interim: [], response: "404 Not Found @2", state: "answered" },
      { request: "GET /c @1", interim: [], response: "500 Internal Server Error @3", state: "answered" },
    ]);
    expect(pairs.byEvent.get(2n)).toEqual([pairs.exchanges[0], pairs.exchanges[1]]);
  });

  it("reads a HEAD's answer without a body, so the next response pairs with the next request", () => {
    const events = conversation([
      ["c2s", "HEAD /api/users HTTP/1.1\r\nHost: lab\r\n\r\nGET /api/health HTTP/1.1\r\nHost: lab\r\n\r\n"],
      // Content-Length describes the GET's body the HEAD did not get: the 200 after it is the second answer.
      ["s2c", "HTTP/1.1 200 OK\r\nContent-Length: 120\r\n\r\n" + json("200 OK", '{"status":"healthy"}')],
    ]);
    const pairs = pairHttp(eventViewOf(events));
    expect(pairs.exchanges.map(brief)).toEqual([
      { request: "HEAD /api/users @1", interim: [], response: "200 OK @2", state: "answered" },
      { request: "GET /api/health @1", interim: [], response: "200 OK @2", state: "answered" },
    ]);
  });

  it("keeps 100 Continue as interim: the final response answers the same request", () => {
    const events = conversation([
      ["c2s", "POST /api/users HTTP/1.1\r\nHost: lab\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"],
      ["s2c", "HTTP/1.1 100 Continue\r\n\r\n"],
      ["c2s", "{}"],
      ["s2c", json("400 Bad Request", '{"success":false}')],
    ]);
    const pairs = pairHttp(eventViewOf(events));
    expect(pairs.exchanges.map(brief)).toEqual([
      { request: "POST /api/users @3", interim: ["100 @2"], response: "400 Bad Request @4", state: "answered" },
    ]);
  });

  it("pairs a 101 as the final answer; what follows is no longer HTTP", () => {
    const events = conversation([
      ["c2s", "GET /ws HTTP/1.1\r\nHost: lab\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"],
      ["s2c", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"],
      ["c2s", "\x81\x05hello"],
    ]);
    const pairs = pairHttp(eventViewOf(events));
    expect(pairs.exchanges.map(brief)).toEqual([
      { request: "GET /ws @1", interim: [], response: "101 Switching Protocols @2", state: "answered" },
    ]);
    expect(events[2]!.http).toEqual([]);
  });

  it("tells a request with no answer yet from one whose connection closed unanswered", () => {
    const waiting = conversation([["c2s", "GET /slow HTTP/1.1\r\nHost: lab\r\n\r\n"]], "w", 1);
    const closed = conversation([["c2s", "GET /gone HTTP/1.1\r\nHost: lab\r\n\r\n"], "close"], "x", 10);
    const pairs = pairHttp(eventViewOf([...waiting, ...closed]));
    expect(pairs.exchanges.map(brief)).toEqual([
      { request: "GET /slow @1", interim: [], response: undefined, state: "waiting" },
      { request: "GET /gone @10", interim: [], response: undefined, state: "unanswered" },
    ]);
    expect(timeToFirstByteNs(pairs.exchanges[0]!)).toBeUndefined();
  });

  it("pairs an answer that came before its request was whole (413 before the body) with that request", () => {
    const events = conversation([
      ["c2s", "POST /api/users HTTP/1.1\r\nHost: lab\r\nContent-Length: 10\r\n\r\n01234"],
      ["s2c", json("413 Payload Too Large", "{}")],
      ["c2s", "56789"],
    ]);
    const pairs = pairHttp(eventViewOf(events));
    expect(pairs.exchanges.map(brief)).toEqual([
      { request: "POST /api/users @3", interim: [], response: "413 Payload Too Large @2", state: "answered" },
    ]);
    expect(timeToFirstByteNs(pairs.exchanges[0]!)).toBe(0);
  });

  it("names status classes", () => {
    expect([100, 204, 302, 404, 503, 0, 99, 600].map(statusClass)).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
  });
});
