// The capture bus with deferred frames (Dissector.capture, server/dissect/capture-pass.test.ts): it keeps PDU
// boundaries and memos for HTTP/1.x and JIM, and eventPduFrames makes from the stored bytes the summaries and findings
// that dissection at capture time gives.
import { describe, expect, it } from "vitest";
import { jimDissector } from "../dissect/jim";
import { dissectorFor } from "../dissect/protocols";
import { loadConversations, replay } from "../dissect/testdata/http1/conversations";
import { createBus, type SessionSink } from "./bus";
import { eventPduFrames, type CapturedEvent } from "./events";
import { createRing } from "./ring";

const http1 = loadConversations();
const jim = loadConversations(new URL("../dissect/testdata/jim/", import.meta.url));

describe("the capture bus keeps PDU boundaries and memos, and a reader makes the frames", () => {
  it("keeps no frames for HTTP/1.x and JIM, and eventPduFrames makes the summaries and findings eager dissection gives", () => {
    const ring = createRing(1000, 1 << 20);
    const sink: SessionSink = { id: "s", ring };
    const bus = createBus({ sessions: { get: (id) => (id === "s" ? sink : undefined), byAddress: () => [sink], version: 1 }, dissectorFor });
    for (const [protocol, turns] of [
      ["http1", http1.find((c) => c.name === "pipelined")!.turns],
      ["http1", http1.find((c) => c.name === "chunked-drip")!.turns],
      ["jim", jim.find((c) => c.name === "coalesced-two-sends")!.turns],
    ] as const) {
      const tap = bus.open({ service: protocol, protocol, client: { ip: "127.0.0.1", port: 50000 }, server: { ip: "127.0.0.1", port: 8080 } });
      for (const [direction, bytes] of turns) for (let i = 0; i < bytes.length; i += 5) tap.data(direction, bytes.subarray(i, i + 5));
      tap.close();
      const events = ring.after(0, 1000).filter((e) => e.conversation.id === tap.info.id) as CapturedEvent[];
      const pdus = events.flatMap((e) => (e.pdus ?? []).map((pdu) => ({ e, pdu })));
      expect(pdus.length).toBeGreaterThan(1);
      expect(pdus.every(({ pdu }) => pdu.frames === undefined)).toBe(true);
      const made = pdus.flatMap(({ e, pdu }) => eventPduFrames(e, pdu, dissectorFor));
      expect(made).toEqual(replay(turns, { protocol, split: 5, tree: false }).flatMap((p) => p.frames));
    }
    expect(jimDissector.capture).toBeDefined();
  });
});
