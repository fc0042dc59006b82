// The UDP lesson's pure parts: a flow's tally, what the seed's client meets, the impairment form, the header from a
// packet or from the socket's facts, and the terminal commands' endpoints.
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ConversationSchema, Direction, EndpointSchema, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "../timeline/batch";
import { testEvent } from "../timeline/testing";
import { checkImpairment, formOf, impairmentOff, packetOf, pythonUtf8Error, seedUnpack, tallyFlow } from "./model";
import { headerFromPacket, headerFromSocket } from "./header";
import { broadcastAddress, pythonMulticast, pythonUdpEcho, udpEndpointOf } from "./commands";

let seq = 0n;
function ev(kind: EventKind, direction: Direction, data = new Uint8Array(0), extra: Partial<TimelineEvent> = {}): TimelineEvent {
  seq += 1n;
  return testEvent({ seq, conversationId: "u1", kind, direction, monoNs: seq * 1000n, length: data.length, data, ...extra });
}
const bytes = (text: string) => new TextEncoder().encode(text);
const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => Number.parseInt(b, 16)));
const C2S = Direction.CLIENT_TO_SERVER;
const S2C = Direction.SERVER_TO_CLIENT;

describe("tallyFlow", () => {
  it("counts each datagram's fate, copies apart", () => {
    const events = [
      ev(EventKind.OPEN, C2S),
      ev(EventKind.DATA, C2S, bytes("datagram 1")),
      ev(EventKind.LOST, C2S, bytes("datagram 2")),
      ev(EventKind.DATA, S2C, bytes("UDP-ECHO: datagram 1")),
      ev(EventKind.DATA, S2C, bytes("UDP-ECHO: datagram 1"), { errorCode: "EDUPLICATE" }),
      ev(EventKind.DATA, C2S, bytes("datagram 3")),
      ev(EventKind.LOST, S2C, bytes("UDP-ECHO: datagram 3")),
      ev(EventKind.TIMEOUT, S2C),
      ev(EventKind.TIMEOUT, S2C),
    ];
    expect(tallyFlow(events)).toEqual({ sent: 3, arrived: 2, lostOnTheWay: 1, answers: 1, answersLost: 1, copies: 1, timeouts: 2 });
  });
});

describe("what the seed's client meets", () => {
  it("unpacks the 8-byte reply as CPython does, and fails on the text echo with CPython's words", () => {
    expect(seedUnpack(hex("2a000000c3f54840"))).toEqual({ ok: true, values: "(42, 3.140000104904175)" });
    expect(seedUnpack(bytes("UDP-ECHO: BINARY_TEST"))).toEqual({ ok: false, error: "struct.error: unpack requires a buffer of 8 bytes" });
  });

  // Each expectation is what python3 printed for bytes.decode("utf-8").
  it("words a UTF-8 decoding error as Python does", () => {
    expect(pythonUtf8Error(hex("2a000000c3f54840"))).toBe("'utf-8' codec can't decode byte 0xc3 in position 4: invalid continuation byte");
    expect(pythonUtf8Error(hex("6162e282"))).toBe("'utf-8' codec can't decode bytes in position 2-3: unexpected end of data");
    expect(pythonUtf8Error(hex("e28241"))).toBe("'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte");
    expect(pythonUtf8Error(hex("ff"))).toBe("'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    expect(pythonUtf8Error(hex("61c3"))).toBe("'utf-8' codec can't decode byte 0xc3 in position 1: unexpected end of data");
    expect(pythonUtf8Error(hex("eda080"))).toBe("'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte");
    expect(pythonUtf8Error(hex("f09f98"))).toBe("'utf-8' codec can't decode bytes in position 0-2: unexpected end of data");
    expect(pythonUtf8Error(bytes("Привет, UDP"))).toBeUndefined();
  });
});

describe("the impairment form", () => {
  it("reads the host's ranges, and names the first field out of range", () => {
    const example = { dropPercent: 50, duplicatePercent: 0, reorderWindow: 0, delayMs: 0, jitterMs: 0, seed: 7 };
    expect(checkImpairment(formOf(example))).toEqual({ ok: true, values: example });
    expect(checkImpairment({ ...formOf(example), dropPercent: "12,5" })).toMatchObject({ ok: true, values: { dropPercent: 12.5 } });
    expect(checkImpairment({ ...formOf(example), dropPercent: "" })).toMatchObject({ ok: true, values: { dropPercent: 0 } });
    expect(checkImpairment({ ...formOf(example), dropPercent: "101" })).toMatchObject({ ok: false, field: "dropPercent", max: 100 });
    expect(checkImpairment({ ...formOf(example), reorderWindow: "2.5" })).toMatchObject({ ok: false, field: "reorderWindow", integer: true });
    expect(checkImpairment({ ...formOf(example), seed: "-1" })).toMatchObject({ ok: false, field: "seed" });
    expect(impairmentOff({ ...example, dropPercent: 0, reorderWindow: 1, seed: 9 })).toBe(true);
    expect(impairmentOff(example)).toBe(false);
  });
});

describe("the UDP header", () => {
  // A raw IPv4 packet (link type 101): 127.0.0.1:40000 -> 127.0.0.1:8889, TTL 64, "hi", checksums left at 0.
  const packet = hex("4500001e00004000401100007f0000017f000001" + "9c4022b9000a0000" + "6869");

  it("reads a captured packet's fields and bytes, with the IP TTL", () => {
    const view = headerFromPacket(101, packet)!;
    expect(view).toMatchObject({ source: "packet", srcPort: 40000, dstPort: 8889, length: 10, checksum: 0, ttl: 64, payloadLength: 2 });
    expect(view.bytes).toEqual([0x9c, 0x40, 0x22, 0xb9, 0x00, 0x0a, 0x00, 0x00]);
  });

  it("without a packet, knows the ports and the length but not the checksum", () => {
    const conversation = create(ConversationSchema, {
      id: "u1",
      client: create(EndpointSchema, { ip: "127.0.0.1", port: 40000 }),
      server: create(EndpointSchema, { ip: "127.0.0.1", port: 8889 }),
    });
    const view = headerFromSocket(conversation, { direction: S2C, length: 20 });
    expect(view).toMatchObject({ source: "socket", srcPort: 8889, dstPort: 40000, length: 28, checksum: undefined });
    expect(view.bytes).toEqual([0x22, 0xb9, 0x9c, 0x40, 0x00, 0x1c, undefined, undefined]);
  });

  it("joins a datagram to its packet by direction and stream offset", () => {
    const data = ev(EventKind.DATA, C2S, bytes("hi"), { streamOffset: 5n });
    const other = ev(EventKind.SEGMENT, C2S, packet, { streamOffset: 3n });
    const mine = ev(EventKind.SEGMENT, C2S, packet, { streamOffset: 5n });
    expect(packetOf([data, other, mine], data)).toBe(mine);
    expect(packetOf([data, other], { ...data, streamOffset: -1n })).toBeUndefined();
  });
});

describe("terminal commands", () => {
  const status = (host: string, port: number) =>
    ({
      kind: "ok",
      checkedAt: 0,
      status: { host, clientAddress: "", runId: "r", services: [{ name: "udp-echo", transport: "udp", host, port, state: "listening", protocol: "udpecho" }] },
    }) as unknown as Parameters<typeof udpEndpointOf>[0];

  it("use the port the host reports, never the seed's when the host says otherwise", () => {
    const endpoint = udpEndpointOf(status("127.0.0.1", 28889), "localhost", "udp-echo");
    expect(endpoint).toEqual({ host: "127.0.0.1", port: 28889 });
    expect(pythonUdpEcho(endpoint)).toContain('sock.sendto(b"BINARY_TEST", ("127.0.0.1", 28889))');
    // Not reported: the seed's port at the page's host.
    expect(udpEndpointOf(status("127.0.0.1", 28889), "localhost", "udp-multicast").port).toBe(9999);
    expect(udpEndpointOf({ kind: "checking" }, "lab.example", "udp-echo")).toEqual({ host: "lab.example", port: 8889 });
    // A wildcard bind: the page's own host name.
    expect(udpEndpointOf(status("0.0.0.0", 8889), "192.168.1.20", "udp-echo").host).toBe("192.168.1.20");
  });

  it("broadcast on the loopback's own address, multicast out of the lab's interface with TTL 1", () => {
    expect(broadcastAddress("127.0.0.1")).toBe("127.255.255.255");
    expect(broadcastAddress("192.168.1.20")).toBe("<broadcast>");
    const program = pythonMulticast({ host: "127.0.0.1", port: 9999 });
    expect(program).toContain('struct.pack("b", 1)');
    expect(program).toContain('socket.inet_aton("127.0.0.1")');
    expect(program).toContain('("224.0.0.100", 9999)');
  });
});
