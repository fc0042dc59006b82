import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Direction, EventKind, EventSchema } from "@/gen/lab/v1/timeline_pb";
import { utf8 } from "../lesson-kit/bytes";
import { lastAnswer, runLengths, socketSteps, splitEchoAnswers, streamResult, tallyCalls } from "./model";
import { timelineEventOf, type TimelineEvent } from "../timeline/batch";

/** An event as the page holds it, made from a whole one as the host makes its brief. */
const timelineEvent = (init: MessageInitShape<typeof EventSchema>): TimelineEvent => timelineEventOf(create(EventSchema, init));

let seq = 0n;
function ev(kind: EventKind, direction = Direction.UNSPECIFIED, text = ""): TimelineEvent {
  seq += 1n;
  return timelineEvent({ seq, conversationId: "c1", kind, direction, data: utf8(text) });
}
const c2s = (text: string) => ev(EventKind.DATA, Direction.CLIENT_TO_SERVER, text);
const s2c = (text: string) => ev(EventKind.DATA, Direction.SERVER_TO_CLIENT, text);
const WELCOME = "Welcome to TCP Server! Your address: ('127.0.0.1', 54321)";

describe("socketSteps", () => {
  it("maps the events of an echo exchange to the calls both sides made", () => {
    const steps = socketSteps([
      ev(EventKind.OPEN),
      s2c(WELCOME),
      c2s("hi"),
      s2c("ECHO: hi"),
      ev(EventKind.HALF_CLOSE, Direction.CLIENT_TO_SERVER),
      ev(EventKind.CLOSE, Direction.SERVER_TO_CLIENT),
    ]);
    expect(steps.map((s) => s.calls.map((c) => `${c.side}.${c.name}${c.bytes === undefined ? "" : `(${c.bytes})`}`))).toEqual([
      ["client.socket", "client.connect", "server.accept"],
      ["server.send(57)", "client.recv(57)"],
      ["client.send(2)", "server.recv(2)"],
      ["server.send(8)", "client.recv(8)"],
      ["client.shutdown", "server.recv(0)"],
      ["server.close", "client.close"],
    ]);
    const tally = tallyCalls(steps);
    expect(tally.client.get("recv")).toEqual({ count: 2, latest: false });
    expect(tally.server.get("close")).toEqual({ count: 1, latest: true });
    expect(tally.server.has("bind")).toBe(false);
  });

  it("shows only the client's calls for a refused connect", () => {
    const refused = timelineEvent({ seq: 50n, kind: EventKind.ERROR, errorCode: "ECONNREFUSED", errorMessage: "nothing listens" });
    const steps = socketSteps([ev(EventKind.OPEN), refused, ev(EventKind.CLOSE)]);
    expect(steps.map((s) => s.calls.map((c) => `${c.side}.${c.name}`))).toEqual([["client.socket", "client.connect"], [], ["client.close"]]);
    expect(tallyCalls(steps).server.size).toBe(0);
  });

  it("keeps an error as a step without calls", () => {
    const error = timelineEvent({ seq: 99n, kind: EventKind.ERROR, errorCode: "ECONNRESET", errorMessage: "reset" });
    expect(socketSteps([error])).toEqual([{ seq: 99n, calls: [], error: { code: "ECONNRESET", message: "reset" } }]);
  });
});

describe("lastAnswer", () => {
  it("is the welcome before the client writes, then what followed the last write", () => {
    const events = [ev(EventKind.OPEN), s2c(WELCOME)];
    expect(lastAnswer(events).length).toBe(1);
    events.push(c2s("time"), s2c("ECHO: time"), s2c("Server time: 2026-11-21 15:58:03"));
    expect(lastAnswer(events).map((b) => new TextDecoder().decode(b))).toEqual(["ECHO: time", "Server time: 2026-11-21 15:58:03"]);
  });
});

describe("echo answers", () => {
  it("splits the stream on the ECHO prefix, the welcome first", () => {
    expect(splitEchoAnswers(`${WELCOME}ECHO: pingpong`)).toEqual({ preface: WELCOME, answers: ["pingpong"] });
    expect(splitEchoAnswers(`${WELCOME}ECHO: pingECHO: pong`).answers).toEqual(["ping", "pong"]);
  });

  it("reads the server's reads back from its answers, however its writes were cut", () => {
    const events = [ev(EventKind.OPEN), s2c(WELCOME), c2s("A".repeat(2000)), s2c(`ECHO: ${"A".repeat(1024)}EC`), s2c(`HO: ${"A".repeat(976)}`)];
    const result = streamResult(events);
    expect(result.reads.map((r) => r.length)).toEqual([1024, 976]);
    expect(result.echoedBytes).toBe(2000);
    expect(result.clientDataEvents).toBe(1);
  });

  it("summarises sizes as runs", () => {
    expect(runLengths([1024, 1024, 1024, 1000, 1024])).toEqual([
      { size: 1024, times: 3 },
      { size: 1000, times: 1 },
      { size: 1024, times: 1 },
    ]);
  });
});
