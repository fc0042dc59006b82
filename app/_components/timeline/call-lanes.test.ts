// Each HTTP/2 call on a lane pair of its own (issue 14 §4): which calls a connection has, where their lanes go, and
// which lane pairs each event's arrow is drawn on, checked with the frames' real stream ids and paths.

import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ConversationSchema, Direction, EventKind, Http2SummarySchema, Origin, type Conversation } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "./batch";
import { eventViewOf } from "./event-table";
import { testEvent } from "./testing";
import { callKey, eventLanes, http2Calls, layoutLanes, MAX_CALL_LANES, sameCalls, shortMethod, type Call } from "./model";

const GET_USER = "/user_service.UserService/GetUser";
const GET_USERS = "/user_service.UserService/GetUsers";
const FRAME = { DATA: 0, HEADERS: 1, SETTINGS: 4, WINDOW_UPDATE: 8 } as const;

function h2(stream: number, type: number, path = "", flags = 0) {
  return create(Http2SummarySchema, { stream, type, flags, path });
}

function event(seq: number, init: Partial<TimelineEvent> = {}): TimelineEvent {
  return testEvent({ seq: BigInt(seq), conversationId: "h2", monoNs: BigInt(seq) * 1000n, length: 9, ...init });
}

/** An event carrying these HTTP/2 frames (and `extra` frames that are not HTTP/2's, like the preface, before them). */
function frames(seq: number, parts: ReturnType<typeof h2>[], init: Partial<TimelineEvent> = {}, extra = 0): TimelineEvent {
  return event(seq, { http2: parts, moreFrames: parts.length + extra - 1, ...init });
}

const conversation = (id: string, clientPort: number): Conversation =>
  create(ConversationSchema, {
    id,
    client: { ip: "127.0.0.1", port: clientPort },
    server: { ip: "127.0.0.1", port: 50051 },
    service: "grpc",
    protocol: "http2",
    origin: Origin.LAB_CLIENT,
  });

describe("http2Calls", () => {
  it("lists each connection's streams in order of their first frame, named by the request's :path, stream 0 left out", () => {
    const events = eventViewOf([
      event(1, { kind: EventKind.OPEN }),
      frames(2, [h2(0, FRAME.SETTINGS)], {}, 1),
      // The response's HEADERS can come before the path is known to this page (an earlier page of events).
      frames(3, [h2(3, FRAME.HEADERS), h2(1, FRAME.HEADERS, GET_USER), h2(1, FRAME.DATA)]),
      frames(4, [h2(3, FRAME.HEADERS, GET_USERS)]),
      frames(5, [h2(1, FRAME.HEADERS, "", 0x05), h2(0, FRAME.WINDOW_UPDATE)], { direction: Direction.SERVER_TO_CLIENT }),
      frames(6, [h2(1, FRAME.HEADERS, GET_USER)], { conversationId: "other" }),
    ]);
    const calls = http2Calls(events);
    expect(calls.get("h2")).toEqual([
      { conversationId: "h2", stream: 3, path: GET_USERS },
      { conversationId: "h2", stream: 1, path: GET_USER },
    ]);
    expect(calls.get("other")).toEqual([{ conversationId: "other", stream: 1, path: GET_USER }]);
    expect(sameCalls(calls, http2Calls(events))).toBe(true);
    expect(sameCalls(calls, new Map([["h2", calls.get("h2") ?? []]]))).toBe(false);
  });

  it(`gives lanes to the first ${MAX_CALL_LANES} calls of a connection only`, () => {
    const many = Array.from({ length: MAX_CALL_LANES + 3 }, (_, i) => frames(i + 1, [h2(2 * i + 1, FRAME.HEADERS, `/a.S/M${i}`)]));
    const calls = http2Calls(eventViewOf(many)).get("h2") ?? [];
    expect(calls).toHaveLength(MAX_CALL_LANES);
    expect(calls.at(-1)?.stream).toBe(2 * MAX_CALL_LANES - 1);
  });
});

describe("layoutLanes with calls", () => {
  const calls = new Map<string, readonly Call[]>([
    [
      "h2",
      [
        { conversationId: "h2", stream: 1, path: GET_USER },
        { conversationId: "h2", stream: 3, path: GET_USERS },
      ],
    ],
  ]);

  it("puts each call's client lane and server lane side by side, between the client lanes and the server lanes", () => {
    const layout = layoutLanes([conversation("h2", 40000)], { available: 1280, calls });
    expect(layout.lanes.map((lane) => lane.key)).toEqual([
      "client|lab|127.0.0.1",
      "call|client|h2#1",
      "call|server|h2#1",
      "call|client|h2#3",
      "call|server|h2#3",
      "server|127.0.0.1:50051",
    ]);
    expect(layout.lanes.map((lane) => lane.side)).toEqual(["client", "client", "server", "client", "server", "server"]);
    const call1 = layout.ends.get(callKey("h2", 1));
    expect(call1?.client.call).toEqual({ conversationId: "h2", stream: 1, path: GET_USER });
    expect(call1?.client.endpoint).toBe("127.0.0.1:40000");
    expect(call1?.server.endpoint).toBe("127.0.0.1:50051");
    // Six lanes share 1280 px evenly; every lane to the right of the one before.
    const xs = layout.lanes.map((lane) => lane.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(layout.lanes.map((lane) => lane.width)).size).toBe(1);
    // The connection keeps its own pair.
    expect(layout.ends.get("h2")?.client.key).toBe("client|lab|127.0.0.1");
    expect(layout.ends.get("h2")?.server.key).toBe("server|127.0.0.1:50051");
  });

  it("keeps calls of a conversation the filter hides off the ladder", () => {
    const layout = layoutLanes([conversation("other", 40001)], { available: 1280, calls });
    expect(layout.lanes.some((lane) => lane.call)).toBe(false);
    expect(layout.ends.has(callKey("h2", 1))).toBe(false);
  });

  it("scrolls the calls' lanes with the client lanes on a narrow ladder, pinning only the server's", () => {
    const layout = layoutLanes([conversation("h2", 40000)], { available: 390, calls });
    expect(layout.overflow).toBe(true);
    expect(layout.lanes.filter((lane) => lane.pinned).map((lane) => lane.key)).toEqual(["server|127.0.0.1:50051"]);
    const view = layout.clientView;
    expect(view).not.toBeNull();
    // The first call's pair is in sight; the second's is beyond, whole, where scrolling brings it (not squeezed to a
    // dot at the edge).
    const first = layout.ends.get(callKey("h2", 1));
    const second = layout.ends.get(callKey("h2", 3));
    expect(first?.client.x).toBeGreaterThanOrEqual(view?.from ?? Infinity);
    expect(first?.client.x).toBeLessThanOrEqual(view?.to ?? -Infinity);
    expect(second?.client.x).toBeGreaterThan(view?.to ?? Infinity);
    expect((second?.server.x ?? 0) - (second?.client.x ?? 0)).toBe(second?.client.width);
    // Scrolled to it, it is in sight.
    const scrolled = layoutLanes([conversation("h2", 40000)], { available: 390, calls, scrollLeft: 1000 });
    const seen = scrolled.ends.get(callKey("h2", 3));
    expect(seen?.client.x).toBeGreaterThanOrEqual(scrolled.clientView?.from ?? Infinity);
    expect(seen?.server.x).toBeLessThanOrEqual(scrolled.clientView?.to ?? -Infinity);
  });
});

describe("eventLanes", () => {
  const calls = new Map<string, readonly Call[]>([["h2", [{ conversationId: "h2", stream: 1, path: GET_USER }]]]);
  const layout = layoutLanes([conversation("h2", 40000)], { available: 1280, calls });
  const keys = (e: TimelineEvent) => eventLanes(layout, e).map((lanes) => `${lanes.key}:${lanes.stream}`);

  it("draws the connection's frames on its lanes and a call's frames on the call's", () => {
    expect(keys(event(1, { kind: EventKind.OPEN }))).toEqual(["h2:0"]);
    // The preface (not an HTTP/2 frame) and SETTINGS: the connection's.
    expect(keys(frames(2, [h2(0, FRAME.SETTINGS)], {}, 1))).toEqual(["h2:0"]);
    expect(keys(frames(3, [h2(1, FRAME.HEADERS, GET_USER), h2(1, FRAME.DATA)]))).toEqual(["h2#1:1"]);
  });

  it("draws one write that carried several streams' frames on each of their pairs, the first frame's first", () => {
    expect(keys(frames(4, [h2(0, FRAME.SETTINGS, "", 1), h2(1, FRAME.HEADERS, GET_USER)]))).toEqual(["h2:0", "h2#1:1"]);
    expect(keys(frames(5, [h2(1, FRAME.DATA), h2(0, FRAME.WINDOW_UPDATE)]))).toEqual(["h2#1:1", "h2:0"]);
    // A stream without lanes of its own (past the bound) is drawn on the connection's, once.
    expect(keys(frames(6, [h2(1, FRAME.DATA), h2(19, FRAME.HEADERS), h2(0, FRAME.WINDOW_UPDATE)]))).toEqual(["h2#1:1", "h2:0"]);
  });

  it("draws nothing for a conversation not laid out", () => {
    expect(eventLanes(layout, event(7, { conversationId: "gone" }))).toEqual([]);
  });
});

describe("shortMethod", () => {
  it("leaves the package out of a gRPC path", () => {
    expect(shortMethod(GET_USER)).toBe("UserService/GetUser");
    expect(shortMethod("/grpc.health.v1.Health/Check")).toBe("Health/Check");
    expect(shortMethod("/helloworld.Greeter/SayHello")).toBe("Greeter/SayHello");
    expect(shortMethod("/api/users")).toBe("api/users");
    expect(shortMethod("/")).toBe("/");
  });
});
