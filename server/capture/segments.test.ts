// Captured packets joined to a conversation: their trees, rebuilt when read from the bytes and the
// analysis kept at capture time, are the trees a capture-order dissection gives. UDP datagrams join their
// flow and the datagram event each stands for.

import { describe, expect, it } from "vitest";
import { loadPacketFixtures } from "../dissect/testdata/fixtures";
import { dissectPacket } from "../dissect/packet";
import { createTcpAnalyzer } from "../dissect/tcp-analysis";
import { textDissector } from "../dissect/text";
import { formatTree } from "../dissect/core/tree";
import { createSessionStore } from "../lab/sessions";
import { framesOf } from "../lab/to-proto";
import { createBus } from "./bus";
import type { Direction, Endpoint } from "./events";
import { LINKTYPE_RAW } from "./pcapng";
import type { Packet } from "./pcap-reader";
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

/** A UDP datagram as the capture would see it on loopback: raw IPv4 (link type 101), TTL 1 to a multicast group, no checksum. */
function datagram(client: Endpoint, server: Endpoint, direction: Direction, payload: string | Uint8Array, wallMs = Date.now()): Packet {
  const data = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const [from, to] = direction === "c2s" ? [client, server] : [server, client];
  const bytes = new Uint8Array(28 + data.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x45;
  view.setUint16(2, bytes.length);
  bytes[8] = to.ip.startsWith("224.") ? 1 : 64;
  bytes[9] = 17;
  bytes.set(from.ip.split(".").map(Number), 12);
  bytes.set(to.ip.split(".").map(Number), 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += view.getUint16(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  view.setUint16(10, ~sum & 0xffff);
  view.setUint16(20, from.port);
  view.setUint16(22, to.port);
  view.setUint16(24, 8 + data.length);
  bytes.set(data, 28);
  return { linkType: LINKTYPE_RAW, timestampNs: BigInt(Math.round(wallMs * 1e6)), data: bytes, originalLength: bytes.length };
}

describe("segment joiner for UDP", () => {
  function setup() {
    const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
    const watcher = sessions.resolve(undefined, "127.0.0.1").session;
    const bus = createBus({ sessions, dissectorFor: () => textDissector });
    bus.trackStreamOffsets = true;
    const joiner = createSegmentJoiner({ bus, labPorts: new Set([8888]), udpPorts: new Set([8888, 8889, 9999]), loopback: true });
    const events = () => watcher.ring.after(0, 1000);
    return { bus, joiner, events };
  }
  const client = { ip: "127.0.0.1", port: 40000 };
  const echo = { ip: "127.0.0.1", port: 8889 };
  const BINARY = Uint8Array.of(42, 0, 0, 0, 0xc3, 0xf5, 0x48, 0x40);

  it("joins each datagram to its flow and to the datagram event it stands for, and shows its IP and UDP headers", () => {
    const { bus, joiner, events } = setup();
    const flow = bus.open({ service: "udp-echo", transport: "udp", protocol: "text", client, server: echo });
    flow.data("c2s", new TextEncoder().encode("BINARY_TEST"));
    flow.data("s2c", "UDP-ECHO: BINARY_TEST");
    flow.data("s2c", BINARY);
    joiner.push(datagram(client, echo, "c2s", "BINARY_TEST"));
    joiner.push(datagram(client, echo, "s2c", "UDP-ECHO: BINARY_TEST"));
    joiner.push(datagram(client, echo, "s2c", BINARY));
    expect(joiner.stats).toEqual({ seen: 3, joined: 3 });

    const all = events();
    const data = all.filter((e) => e.kind === "data");
    const segments = all.filter((e) => e.kind === "segment");
    expect(segments.map((e) => e.conversation.id)).toEqual([flow.info.id, flow.info.id, flow.info.id]);
    // Each datagram's packet is placed where its event is in the flow: the page joins the two by these.
    expect(data.map((e) => [e.direction, e.streamOffset, e.data.length])).toEqual([
      ["c2s", 0, 11],
      ["s2c", 0, 21],
      ["s2c", 21, 8],
    ]);
    expect(segments.map((e) => [e.direction, e.streamOffset, e.segment!.payloadLength, e.segment!.analysis])).toEqual([
      ["c2s", 0, 11, undefined],
      ["s2c", 0, 21, undefined],
      ["s2c", 21, 8, undefined],
    ]);
    const frames = framesOf(segments[2]!, () => textDissector);
    expect(frames.map((f) => [f.protocol, f.summary])).toEqual([
      ["ipv4", expect.stringContaining("127.0.0.1")],
      ["udp", "8889 → 40000 Len=8"],
      ["data", expect.any(String)],
    ]);
    const tree = formatTree(frames);
    for (const id of ["ipv4.ttl=64", "udp.length=16", "udp.checksum="]) expect(tree).toContain(id);
  });

  it("tells a UDP flow from a TCP connection with the same addresses and ports", () => {
    const { bus, joiner, events } = setup();
    const server = { ip: "127.0.0.1", port: 8888 };
    const tcp = bus.open({ service: "tcp-echo", protocol: "text", client, server });
    const udp = bus.open({ service: "udp-broadcast", transport: "udp", protocol: "text", client, server });
    udp.data("c2s", "hi");
    joiner.push(datagram(client, server, "c2s", "hi"));
    expect(events().filter((e) => e.kind === "segment").map((e) => e.conversation.id)).toEqual([udp.info.id]);
    expect(tcp.info.id).not.toBe(udp.info.id);
  });

  it("places datagrams the capture missed nowhere and the next ones right, and those the tap has not recorded nowhere", () => {
    const { bus, joiner, events } = setup();
    const flow = bus.open({ service: "udp-echo", transport: "udp", protocol: "text", client, server: echo });
    for (const text of ["one", "two", "three"]) flow.data("c2s", text);
    // "two" was not captured; the same bytes again, then a datagram the tap never recorded.
    joiner.push(datagram(client, echo, "c2s", "one"));
    joiner.push(datagram(client, echo, "c2s", "three"));
    joiner.push(datagram(client, echo, "c2s", "one"));
    expect(events().filter((e) => e.kind === "segment").map((e) => e.streamOffset)).toEqual([0, 6, -1]);
  });

  it("joins datagrams sent to a multicast group or a broadcast address to the flow of their client and port", () => {
    const { bus, joiner, events } = setup();
    const group = bus.open({ service: "udp-multicast", transport: "udp", protocol: "text", client, server: { ip: "0.0.0.0", port: 9999 } });
    group.data("c2s", "hello group");
    joiner.push(datagram(client, { ip: "224.0.0.100", port: 9999 }, "c2s", "hello group"));
    const other = { ip: "127.0.0.1", port: 40001 };
    const broadcast = bus.open({ service: "udp-broadcast", transport: "udp", protocol: "text", client: other, server: { ip: "127.0.0.1", port: 8888 } });
    broadcast.data("c2s", "hello all");
    joiner.push(datagram(other, { ip: "127.255.255.255", port: 8888 }, "c2s", "hello all"));
    const segments = events().filter((e) => e.kind === "segment");
    expect(segments.map((e) => [e.conversation.id, e.streamOffset])).toEqual([
      [group.info.id, 0],
      [broadcast.info.id, 0],
    ]);
    const [ttl] = dissectPacket(LINKTYPE_RAW, segments[0]!.data).frames.map((f) => formatTree([f]).match(/ipv4\.ttl=(\d+)/)?.[1]);
    expect(ttl).toBe("1");
  });

  it("joins datagrams the capture delivers after the flow's idle end, and nothing of another port", () => {
    const { bus, joiner, events } = setup();
    const flow = bus.open({ service: "udp-echo", transport: "udp", protocol: "text", client, server: echo });
    flow.data("c2s", "late");
    flow.close();
    joiner.push(datagram(client, echo, "c2s", "late"));
    joiner.push(datagram(client, { ip: "127.0.0.1", port: 7777 }, "c2s", "late"));
    expect(joiner.stats).toEqual({ seen: 2, joined: 1 });
    expect(events().map((e) => [e.kind, e.streamOffset])).toEqual([
      ["open", -1],
      ["data", 0],
      ["close", -1],
      ["segment", 0],
    ]);
  });
});
