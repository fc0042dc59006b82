import { describe, expect, it } from "vitest";
import type { CapturedEvent, ConversationInfo, Direction, EventKind } from "../capture/events";
import { createRing } from "../capture/ring";
import { followConversation } from "./follow";

const conversation = (id: string): ConversationInfo => ({
  id,
  transport: "tcp",
  client: { ip: "127.0.0.1", port: 50000 },
  server: { ip: "127.0.0.1", port: 8888 },
  service: "tcp-echo",
  protocol: "text",
  origin: "external",
  owner: undefined,
});
const ECHO = conversation("echo");
const OTHER = conversation("other");

let seq = 0;
function event(on: ConversationInfo, kind: EventKind, direction: Direction, text = ""): CapturedEvent {
  seq++;
  return {
    seq,
    conversation: on,
    kind,
    direction,
    monoMs: seq,
    wallMs: seq,
    data: new TextEncoder().encode(text),
    pdus: undefined,
    errorCode: "",
    errorMessage: "",
    streamOffset: -1,
    segment: undefined,
  };
}

const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe("followConversation", () => {
  it("gives one conversation's reads and writes in order, both directions, without its socket events or another's bytes", () => {
    const ring = createRing(1000, 1 << 20);
    ring.push(event(ECHO, "open", "c2s"));
    ring.push(event(ECHO, "data", "s2c", "Welcome\r\n"));
    ring.push(event(OTHER, "data", "c2s", "not this"));
    ring.push(event(ECHO, "data", "c2s", "hello\n"));
    ring.push(event(ECHO, "data", "s2c", "ECHO: hello\n"));
    ring.push(event(ECHO, "half-close", "c2s"));
    ring.push(event(ECHO, "close", "c2s"));
    const followed = followConversation(ring, "echo");
    expect(followed.chunks.map((c) => [c.direction, text(c.data)])).toEqual([
      ["s2c", "Welcome\r\n"],
      ["c2s", "hello\n"],
      ["s2c", "ECHO: hello\n"],
    ]);
    // Numbered as the session's timeline numbers them: the open is 1, the other conversation's write 3.
    expect(followed.chunks.map((c) => c.number)).toEqual([2, 4, 5]);
    expect([followed.clientBytes, followed.serverBytes, followed.clientChunks, followed.serverChunks]).toEqual([6, 21, 1, 2]);
    expect(followed.omittedChunks).toBe(0);
  });

  it("stops at its byte budget and counts what it left out, keeping the stream's beginning without holes", () => {
    const ring = createRing(1000, 1 << 20);
    ring.push(event(ECHO, "data", "c2s", "a".repeat(40)));
    ring.push(event(ECHO, "data", "s2c", "b".repeat(70)));
    ring.push(event(ECHO, "data", "c2s", "c".repeat(10)));
    const followed = followConversation(ring, "echo", { maxBytes: 100, maxChunks: 10 });
    expect(followed.chunks.map((c) => text(c.data))).toEqual(["a".repeat(40)]);
    expect(followed.omittedChunks).toBe(2);
    expect([followed.clientBytes, followed.serverBytes]).toEqual([50, 70]);
  });

  it("stops at its chunk budget", () => {
    const ring = createRing(1000, 1 << 20);
    for (let i = 0; i < 12; i++) ring.push(event(ECHO, "data", i % 2 ? "s2c" : "c2s", `${i}`));
    const followed = followConversation(ring, "echo", { maxBytes: 1000, maxChunks: 5 });
    expect(followed.chunks.map((c) => text(c.data))).toEqual(["0", "1", "2", "3", "4"]);
    expect(followed.omittedChunks).toBe(7);
  });

  it("shows nothing after a clear, and nothing for a conversation the ring never held", () => {
    const ring = createRing(1000, 1 << 20);
    ring.push(event(ECHO, "data", "c2s", "gone"));
    ring.clear();
    expect(followConversation(ring, "echo").chunks).toEqual([]);
    expect(followConversation(ring, "nope")).toMatchObject({ chunks: [], clientBytes: 0, serverBytes: 0, omittedChunks: 0 });
  });
});
