import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Direction, EventKind, EventSchema } from "@/gen/lab/v1/timeline_pb";
import { utf8 } from "../lesson-kit/bytes";
import { compactSteps, ECHO_RECV_SIZE, lastAnswer, runLengths, socketSteps, splitEchoAnswers, streamResult, tallyCalls, type Call } from "./model";
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

  // Issue 15 §1.3: a refused connect is its own event, and connect() is drawn as failed, not done.
  it("shows a refused connect as the client's socket() and a connect() that failed with ECONNREFUSED", () => {
    const refused = timelineEvent({ seq: 50n, kind: EventKind.CONNECT_FAILED, errorCode: "ECONNREFUSED", errorMessage: "nothing listens" });
    const steps = socketSteps([refused]);
    expect(steps).toEqual([
      {
        seq: 50n,
        calls: [
          { side: "client", name: "socket" },
          { side: "client", name: "connect", failed: "ECONNREFUSED" },
        ],
        error: { code: "ECONNREFUSED", message: "nothing listens" },
      },
    ]);
    const tally = tallyCalls(steps);
    expect(tally.client.get("connect")).toEqual({ count: 1, latest: true, failed: "ECONNREFUSED" });
    expect(tally.server.size).toBe(0);
  });

  // Experiment B (issue 15 §1.5): one send() of 100 KB, read by the server's socket in two chunks and by the
  // echo server 1024 bytes at a time, a hundred ECHO answers back. The diagram draws the calls the panel counts.
  it("draws the stream experiment's one send() and the echo server's hundred recv(1024) as the panel counts them", () => {
    const letters = (n: number, from = 0) => Array.from({ length: n }, (_, i) => String.fromCharCode(0x41 + ((from + i) % 26))).join("");
    const events = [ev(EventKind.OPEN), s2c(WELCOME), c2s(letters(65_536)), c2s(letters(36_864, 65_536))];
    for (let at = 0; at < 102_400; at += 1024) events.push(s2c(`ECHO: ${letters(1024, at)}`));
    events.push(ev(EventKind.HALF_CLOSE, Direction.CLIENT_TO_SERVER), ev(EventKind.CLOSE, Direction.SERVER_TO_CLIENT));

    const steps = socketSteps(events, { writes: [102_400], recvSize: ECHO_RECV_SIZE });
    const counted = streamResult(events);
    const calls = steps.flatMap((s) => s.calls);
    const total = (match: (c: Call) => boolean) => calls.filter(match).reduce((n, c) => n + (c.times ?? 1), 0);
    expect(total((c) => c.side === "client" && c.name === "send")).toBe(1);
    expect(calls.find((c) => c.side === "client" && c.name === "send")?.bytes).toBe(102_400);
    expect(total((c) => c.side === "server" && c.name === "recv" && !c.eof)).toBe(counted.reads.length);
    expect(counted.reads.length).toBe(100);
    expect(total((c) => c.side === "server" && c.name === "send")).toBe(101);
    const tally = tallyCalls(steps);
    expect(tally.client.get("send")?.count).toBe(1);
    // A hundred reads with data, and the one that returns 0 bytes after the client's FIN.
    expect(tally.server.get("recv")?.count).toBe(101);
    // The two chunks: 64 reads of 1024, then 36.
    expect(steps[2]!.calls).toEqual([
      { side: "client", name: "send", bytes: 102_400 },
      { side: "server", name: "recv", bytes: 1024, times: 64 },
    ]);
    expect(steps[3]!.calls).toEqual([{ side: "server", name: "recv", bytes: 1024, times: 36 }]);

    // The log: the first few of the hundred like steps, then the rest as a count.
    const log = compactSteps(steps);
    expect(log.filter((line) => "more" in line)).toEqual([{ more: 97, total: 100, seq: steps[103]!.seq }]);
    expect(log.length).toBe(1 + 1 + 2 + 3 + 1 + 2);
  });

  it("shows two quick send() calls that arrived as one chunk as two sends and one recv", () => {
    const steps = socketSteps([ev(EventKind.OPEN), c2s("pingpong")], { writes: [4, 4] });
    expect(steps[1]!.calls).toEqual([
      { side: "client", name: "send", bytes: 4 },
      { side: "client", name: "send", bytes: 4 },
      { side: "server", name: "recv", bytes: 8 },
    ]);
    // Without the page's writes, each chunk the server read stands for one send().
    expect(socketSteps([c2s("pingpong")])[0]!.calls.map((c) => c.name)).toEqual(["send", "recv"]);
    // A read shorter than recv(1024) is one call; a rest after full reads is its own.
    expect(socketSteps([c2s("x".repeat(1500))], { recvSize: 1024 })[0]!.calls.slice(1)).toEqual([
      { side: "server", name: "recv", bytes: 1024 },
      { side: "server", name: "recv", bytes: 476 },
    ]);
    expect(socketSteps([c2s("x".repeat(1000))], { recvSize: 1024 })[0]!.calls.slice(1)).toEqual([{ side: "server", name: "recv", bytes: 1000 }]);
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
