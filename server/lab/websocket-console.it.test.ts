// The WebSocket console's RPCs (issue 12 §3) on a real lab host over Connect: LabService.OpenWebSocket streams what the
// lab's WebSocket client receives from the real echo and chat endpoints, SendWebSocket sends text, pings and closes,
// every frame lands on the session's own timeline (masked by the client), two sessions in one room hear each other,
// and the per-session cap, bad paths and bad close codes are refused with their codes while the host keeps serving.

import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebSocketUpdate } from "@/gen/lab/v1/lab_pb";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { LabHost } from "./host";
import { labServiceFor, startTestHost, visitForSession } from "../testing/host";
import { WEBSOCKET_CONSOLE_LIMIT } from "./websocket-console";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

type Lab = ReturnType<typeof labServiceFor>;

/** An open console socket: its updates as they come, read one at a time. */
async function open(lab: Lab, path: string, deflate = false) {
  const abort = new AbortController();
  const stream = lab.openWebSocket({ path, deflate }, { signal: abort.signal })[Symbol.asyncIterator]();
  const first = await stream.next();
  const opened = first.value as WebSocketUpdate;
  if (opened.update.case !== "opened") throw new Error(`first update was ${opened.update.case}`);
  return {
    id: opened.update.value.conversationId,
    runId: opened.update.value.runId,
    extensions: opened.update.value.extensions,
    async next(): Promise<WebSocketUpdate["update"]> {
      const r = await stream.next();
      if (r.done) throw new Error("the stream ended");
      return (r.value as WebSocketUpdate).update;
    },
    abort: () => abort.abort(),
  };
}

async function refusal(promise: Promise<unknown>): Promise<Code | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

async function firstUpdate(lab: Lab, path: string): Promise<Code | undefined> {
  return refusal(
    (async () => {
      for await (const _ of lab.openWebSocket({ path })) return;
    })(),
  );
}

describe("OpenWebSocket and SendWebSocket", () => {
  it("echoes {\"message\": \"hello\"} and puts the upgrade and the masked frames on the session's timeline", async () => {
    const cookie = await visitForSession(host, "/");
    const lab = labServiceFor(host, cookie);
    const ws = await open(lab, "/api/ws/echo/");
    expect(ws.extensions).toBe("");
    await lab.sendWebSocket({ conversationId: ws.id, what: { case: "text", value: '{"message": "hello"}' } });
    const answer = await ws.next();
    expect(answer.case).toBe("message");
    expect(answer.case === "message" && text(answer.value.data)).toBe('{"message":"hello"}');
    await lab.sendWebSocket({ conversationId: ws.id, what: { case: "ping", value: new TextEncoder().encode("are you there") } });
    const pong = await ws.next();
    expect(pong.case === "pong" && text(pong.value)).toBe("are you there");
    await lab.sendWebSocket({ conversationId: ws.id, what: { case: "close", value: { code: 4000, reason: "done" } } });
    const closed = await ws.next();
    expect(closed.case === "closed" && [closed.value.code, closed.value.reason]).toEqual([4000, "done"]);

    // The session's timeline, as the page reads it: the GET and its 101, then the client's masked frames.
    const session = host.sessions.resolve(cookie, "127.0.0.1").session;
    const events = session.ring.after(0, 1000).filter((e) => e.conversation.id === ws.id);
    expect(events[0]?.conversation.origin).toBe("lab-client");
    const data = events.filter((e) => e.kind === "data");
    expect(text(data[0]!.data)).toMatch(/^GET \/api\/ws\/echo\/ HTTP\/1\.1\r\n/);
    expect(text(data[1]!.data)).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    const frame = data[2]!;
    expect(frame.direction).toBe("c2s");
    // FIN + text, MASK + 20 bytes, a 4-byte key, then the payload XORed with it.
    expect([...frame.data.subarray(0, 2)]).toEqual([0x81, 0x80 | 20]);
    const key = frame.data.subarray(2, 6);
    const unmasked = frame.data.subarray(6).map((b, i) => b ^ key[i % 4]!);
    expect(text(unmasked)).toBe('{"message": "hello"}');
    // The echo is one read of the server's: its header and payload in one send, unmasked.
    const echo = data[3]!;
    expect(echo.direction).toBe("s2c");
    expect([...echo.data.subarray(0, 2)]).toEqual([0x81, 19]);
    expect(text(echo.data.subarray(2))).toBe('{"message":"hello"}');
    const got = await lab.getEvent({ seq: BigInt(frame.seq), runId: ws.runId });
    expect(got.event?.kind).toBe(EventKind.DATA);
    expect(got.event?.direction).toBe(Direction.CLIENT_TO_SERVER);
    expect(got.event?.frames.map((f) => f.protocol)).toEqual(["websocket"]);
    expect(got.event?.frames[0]?.summary).toContain('"{\\"message\\": \\"hello\\"}"');
  });

  it("lets two sessions in one chat room hear each other, the sender included", async () => {
    const alice = labServiceFor(host, await visitForSession(host, "/"));
    const bob = labServiceFor(host, await visitForSession(host, "/"));
    const a = await open(alice, "/api/ws/chat/console_test/");
    const b = await open(bob, "/api/ws/chat/console_test");
    await alice.sendWebSocket({ conversationId: a.id, what: { case: "text", value: '{"message": "hi bob"}' } });
    for (const ws of [a, b]) {
      const got = await ws.next();
      expect(got.case === "message" && text(got.value.data)).toBe('{"message":"hi bob"}');
    }
    // Bob cannot send on Alice's socket: it is not his session's.
    expect(await refusal(bob.sendWebSocket({ conversationId: a.id, what: { case: "text", value: "x" } }))).toBe(Code.NotFound);
    a.abort();
    b.abort();
  });

  it("offers permessage-deflate when asked and reads the compressed answers", async () => {
    const lab = labServiceFor(host, await visitForSession(host, "/"));
    const ws = await open(lab, "/api/ws/echo", true);
    expect(ws.extensions).toContain("permessage-deflate");
    await lab.sendWebSocket({ conversationId: ws.id, what: { case: "text", value: '{"message": "squeezed"}' } });
    const got = await ws.next();
    expect(got.case === "message" && text(got.value.data)).toBe('{"message":"squeezed"}');
    ws.abort();
  });

  it(`holds at most ${WEBSOCKET_CONSOLE_LIMIT} sockets per session, and gives a slot back when one closes`, async () => {
    const cookie = await visitForSession(host, "/");
    const lab = labServiceFor(host, cookie);
    const sockets = [];
    for (let i = 0; i < WEBSOCKET_CONSOLE_LIMIT; i++) sockets.push(await open(lab, "/api/ws/echo/"));
    expect(await firstUpdate(lab, "/api/ws/echo/")).toBe(Code.ResourceExhausted);
    // Another session is not affected.
    const other = labServiceFor(host, await visitForSession(host, "/"));
    const theirs = await open(other, "/api/ws/echo/");
    theirs.abort();
    await lab.sendWebSocket({ conversationId: sockets[0]!.id, what: { case: "close", value: { code: 1000, reason: "" } } });
    expect((await sockets[0]!.next()).case).toBe("closed");
    const again = await open(lab, "/api/ws/echo/");
    await lab.sendWebSocket({ conversationId: again.id, what: { case: "text", value: '{"message": "still here"}' } });
    const got = await again.next();
    expect(got.case === "message" && text(got.value.data)).toBe('{"message":"still here"}');
    for (const s of [again, ...sockets.slice(1)]) s.abort();
  });

  it("refuses a path that is not an endpoint, a bad close code, a long ping, and nothing to send", async () => {
    const lab = labServiceFor(host, await visitForSession(host, "/"));
    expect(await firstUpdate(lab, "/api/users")).toBe(Code.NotFound);
    expect(await firstUpdate(lab, "/api/ws/chat/no spaces/")).toBe(Code.InvalidArgument);
    expect(await firstUpdate(lab, "http://example.com/")).toBe(Code.InvalidArgument);
    const ws = await open(lab, "/api/ws/echo/");
    for (const code of [1005, 1006, 999, 2000, 5000]) {
      expect(await refusal(lab.sendWebSocket({ conversationId: ws.id, what: { case: "close", value: { code, reason: "" } } }))).toBe(Code.InvalidArgument);
    }
    expect(await refusal(lab.sendWebSocket({ conversationId: ws.id, what: { case: "close", value: { code: 1000, reason: "x".repeat(124) } } }))).toBe(
      Code.InvalidArgument,
    );
    expect(await refusal(lab.sendWebSocket({ conversationId: ws.id, what: { case: "ping", value: new Uint8Array(126) } }))).toBe(Code.InvalidArgument);
    expect(await refusal(lab.sendWebSocket({ conversationId: ws.id, what: { case: undefined } }))).toBe(Code.InvalidArgument);
    // The socket still works after every refusal.
    await lab.sendWebSocket({ conversationId: ws.id, what: { case: "text", value: "not json" } });
    const got = await ws.next();
    expect(got.case === "message" && JSON.parse(text(got.value.data))).toHaveProperty("error");
    ws.abort();
  });

  it("closes the socket when the page's stream goes away", async () => {
    const lab = labServiceFor(host, await visitForSession(host, "/"));
    const ws = await open(lab, "/api/ws/echo/");
    ws.abort();
    // The server sees the client's close frame (1001) and the connection ends: the session's socket is gone.
    for (let i = 0; i < 100; i++) {
      const code = await refusal(lab.sendWebSocket({ conversationId: ws.id, what: { case: "text", value: "x" } }));
      if (code === Code.NotFound) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("the socket stayed open after its stream was cancelled");
  });
});
