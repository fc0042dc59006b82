// The lab's own TCP client times its socket (issue 15 §2: end-to-end slopes), over real loopback sockets and the
// host's LabService as a page reads it: each of its messages carries the client's end (its write before the
// server's read, its read after the server's write) to the page, in the Watch stream's briefs and in GetEvent;
// the lab's WebSocket client's too; an outside program's messages carry none.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebSocketUpdate } from "@/gen/lab/v1/lab_pb";
import { Direction, EventKind, type Event } from "@/gen/lab/v1/timeline_pb";
import { createBatchReader, type TimelineEvent } from "@/app/_components/timeline/batch";
import { RUN_ID } from "../capture/bus";
import type { LabHost } from "../lab/host";
import { connectClient, labServiceFor, startTestHost, visitForSession } from "../testing/host";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

/** The session's timeline as a page reads it, until `done`. */
async function watchUntil(lab: ReturnType<typeof labServiceFor>, done: (events: TimelineEvent[]) => boolean): Promise<TimelineEvent[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  const reader = createBatchReader();
  const events: TimelineEvent[] = [];
  try {
    for await (const res of lab.watch({ afterSeq: 0n, runId: "" }, { signal: abort.signal })) {
      if (res.batch) events.push(...reader.read(res.batch).events);
      if (done(events)) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

const text = (e: TimelineEvent) => new TextDecoder().decode(e.data);
const BIG = 100 * 1024;

describe("the lab client's own write and read times", () => {
  it("come with each of its messages: the write before the server's read, the read after the server's write", async () => {
    const cookie = await visitForSession(host, "/lessons/tcp");
    const lab = labServiceFor(host, cookie);
    const { conversation } = await lab.open({ service: "tcp-echo" });
    await lab.send({ conversationId: conversation!.id, parts: [new TextEncoder().encode("hello")] });
    // One write() of 100 KiB, which the server reads in several pieces and answers piece by piece.
    await lab.send({ conversationId: conversation!.id, parts: [new Uint8Array(BIG).fill(0x61)] });
    const echoed = (events: TimelineEvent[]) =>
      events.filter((e) => e.kind === EventKind.DATA && e.direction === Direction.SERVER_TO_CLIENT).reduce((n, e) => n + e.length, 0);
    // The welcome, "ECHO: hello", and 100 KiB of a's each answered with its "ECHO: " prefix.
    const events = await watchUntil(lab, (evs) => echoed(evs) >= BIG + 11 + 57);
    const data = events.filter((e) => e.conversationId === conversation!.id && e.kind === EventKind.DATA);
    expect(text(data[0]!)).toMatch(/^Welcome to TCP Server!/);
    expect(text(data[1]!)).toBe("hello");
    expect(text(data[2]!)).toBe("ECHO: hello");

    const c2s = data.filter((e) => e.direction === Direction.CLIENT_TO_SERVER);
    const s2c = data.filter((e) => e.direction === Direction.SERVER_TO_CLIENT);
    expect(c2s.reduce((n, e) => n + e.length, 0)).toBe(5 + BIG);
    expect(c2s.length).toBeGreaterThan(2);
    for (const e of data) expect(e.peerNs, `event ${e.seq} has the client's time`).toBeDefined();
    // Client write <= server read; server write <= client read.
    for (const e of c2s) expect(e.peerNs! <= e.monoNs).toBe(true);
    for (const e of s2c) expect(e.monoNs <= e.peerNs!).toBe(true);
    // Every read of the 100 KiB came from one write() of the client: one time for all of them, after "hello"'s.
    const bigReads = c2s.slice(1);
    expect(new Set(bigReads.map((e) => e.peerNs)).size).toBe(1);
    expect(bigReads[0]!.peerNs! > c2s[0]!.peerNs!).toBe(true);
    // The client reads what the server wrote in order: its read times never go back.
    for (let i = 1; i < s2c.length; i++) expect(s2c[i]!.peerNs! >= s2c[i - 1]!.peerNs!).toBe(true);

    // GetEvent (the details, the export) has the same time.
    const whole: Event = (await lab.getEvent({ seq: data[2]!.seq, runId: RUN_ID })).event!;
    expect(whole.peerMonoNs).toBe(data[2]!.peerNs);
    await lab.close({ conversationId: conversation!.id });
  });

  it("come with the lab's WebSocket client's messages too, the upgrade included", async () => {
    const cookie = await visitForSession(host, "/");
    const lab = labServiceFor(host, cookie);
    const abort = new AbortController();
    const stream = lab.openWebSocket({ path: "/api/ws/echo/" }, { signal: abort.signal })[Symbol.asyncIterator]();
    const opened = (await stream.next()).value as WebSocketUpdate;
    const id = opened.update.case === "opened" ? opened.update.value.conversationId : "";
    await lab.sendWebSocket({ conversationId: id, what: { case: "text", value: '{"message": "timed"}' } });
    const echo = (await stream.next()).value as WebSocketUpdate;
    expect(echo.update.case).toBe("message");
    abort.abort();
    // By the time the client has the echo, the server's write of it is on the timeline with the client's read.
    const session = host.sessions.resolve(cookie, "127.0.0.1").session;
    const data = session.ring.after(0, 1000).filter((e) => e.conversation.id === id && e.kind === "data");
    expect(data.map((e) => e.direction)).toEqual(["c2s", "s2c", "c2s", "s2c"]);
    for (const e of data) expect(e.peerMs).toBeDefined();
    for (const e of data) expect(e.direction === "c2s" ? e.peerMs! <= e.monoMs : e.monoMs <= e.peerMs!).toBe(true);
  });

  it("are absent from an outside program's messages, whose own times the lab does not know", async () => {
    const cookie = await visitForSession(host, "/lessons/tcp");
    const lab = labServiceFor(host, cookie);
    const client = await connectClient(host.port("tcp-echo"));
    await client.until((t) => t.endsWith(")"));
    client.socket.write("outside");
    await client.until((t) => t.endsWith("ECHO: outside"));
    // An outside program's bytes are not in the briefs (GetEvent has them): its arrows' labels are.
    const echo = '"ECHO: outside"';
    const events = await watchUntil(lab, (evs) => evs.some((e) => e.summary === echo));
    const id = events.find((e) => e.summary === echo)!.conversationId;
    const mine = events.filter((e) => e.kind === EventKind.DATA && e.conversationId === id);
    expect(mine.map((e) => [e.summary.slice(0, 8), e.peerNs])).toEqual([
      ['"Welcome', undefined],
      ['"outside', undefined],
      ['"ECHO: o', undefined],
    ]);
    const whole = (await lab.getEvent({ seq: mine[2]!.seq, runId: RUN_ID })).event!;
    expect(whole.peerMonoNs).toBeUndefined();
    client.socket.destroy();
  });
});
