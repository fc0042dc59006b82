// Captured packets joined to a conversation: their trees, rebuilt when read from the bytes and the
// analysis kept at capture time, are the trees a capture-order dissection gives.

import { describe, expect, it } from "vitest";
import { loadPacketFixtures } from "../dissect/testdata/fixtures";
import { dissectPacket } from "../dissect/packet";
import { createTcpAnalyzer } from "../dissect/tcp-analysis";
import { textDissector } from "../dissect/text";
import { formatTree } from "../dissect/core/tree";
import { createSessionStore } from "../lab/sessions";
import { framesOf } from "../lab/to-proto";
import { createBus } from "./bus";
import { createSegmentJoiner } from "./segments";

describe("segment joiner", () => {
  it("joins a real loopback conversation and rebuilds each segment's tree exactly", () => {
    const fixture = loadPacketFixtures().find((f) => f.name === "tcp-lo-conversation")!;
    const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
    const watcher = sessions.resolve(undefined, "127.0.0.1").session;
    const bus = createBus({ sessions, dissectorFor: () => textDissector });
    const tap = bus.open({ service: "tcp-echo", protocol: "text", client: { ip: "127.0.0.1", port: 54321 }, server: { ip: "127.0.0.1", port: 8888 } });
    const joiner = createSegmentJoiner({ bus, labPorts: new Set([8888]), loopback: fixture.offload });
    fixture.packets.forEach((data, i) => joiner.push({ linkType: fixture.link, timestampNs: BigInt(i) * 1000n, data, originalLength: data.length }));
    expect(joiner.stats).toEqual({ seen: fixture.packets.length, joined: fixture.packets.length });

    const segments = watcher.ring.after(0, 100).filter((e) => e.kind === "segment");
    expect(segments.map((e) => e.direction)).toEqual(["c2s", "s2c", "c2s", "c2s", "s2c", "s2c", "c2s", "c2s", "s2c", "c2s"]);
    // "hello\n" is the client's first data (offset 0); "ECHO: hello\n" the server's.
    expect(segments.filter((e) => e.segment!.payloadLength > 0).map((e) => [e.direction, e.streamOffset, e.segment!.payloadLength])).toEqual([
      ["c2s", 0, 6],
      ["s2c", 0, 12],
    ]);

    const analyzer = createTcpAnalyzer();
    const expected = fixture.packets.map((data) => formatTree(dissectPacket(fixture.link, data, { analyzer, checksumsMayBeOffloaded: true }).frames));
    expect(segments.map((e) => formatTree(framesOf(e, () => textDissector)))).toEqual(expected);
    expect(expected[1]).toContain("Seq=0 Ack=1");
    tap.close();
  });

  it("ignores packets of other ports and non-TCP packets", () => {
    const sessions = createSessionStore({ ringMaxEvents: 10, ringMaxBytes: 1 << 20 });
    const bus = createBus({ sessions, dissectorFor: () => textDissector });
    const joiner = createSegmentJoiner({ bus, labPorts: new Set([9999]), loopback: true });
    for (const f of loadPacketFixtures().filter((x) => x.name.startsWith("udp-") || x.name === "tcp-lo-conversation")) {
      for (const data of f.packets) joiner.push({ linkType: f.link, timestampNs: 0n, data, originalLength: data.length });
    }
    expect(joiner.stats.joined).toBe(0);
  });
});
