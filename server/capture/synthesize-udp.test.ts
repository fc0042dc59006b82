// Synthesised UDP (synthesizeUdpPackets) read back by an independent decoder written from RFC 768, 791,
// 8200 and 1071 without the module's code: one packet per datagram with its exact bytes, lengths and
// checksums; nothing for events that put nothing on the wire (a lost datagram above all).

import { describe, expect, it } from "vitest";
import type { CapturedEvent, ConversationInfo, EventKind } from "./events";
import { synthesizeUdpPackets, type SynthesizedPacket } from "./synthesize";

/** RFC 1071: a received header or datagram sums, checksum included, to 0xffff. */
function onesSum(bytes: Uint8Array, extra: number[] = []): number {
  let sum = extra.reduce((a, b) => a + b, 0);
  for (let i = 0; i < bytes.length; i += 2) sum += bytes[i]! * 256 + (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum >>> 16) + (sum & 0xffff);
  return sum;
}

const pairs = (bytes: Uint8Array) => Array.from({ length: bytes.length / 2 }, (_, i) => bytes[2 * i]! * 256 + bytes[2 * i + 1]!);

interface Datagram {
  version: number;
  src: string;
  dst: string;
  ttl: number;
  ipId: number;
  df: boolean;
  ipChecksumOk: boolean;
  protocol: number;
  srcPort: number;
  dstPort: number;
  udpLength: number;
  checksum: number;
  checksumOk: boolean;
  payload: Uint8Array;
}

function decode(p: Uint8Array): Datagram {
  const b = Buffer.from(p.buffer, p.byteOffset, p.byteLength);
  const version = b[0]! >> 4;
  let header: number;
  let pseudo: number[];
  let d: Pick<Datagram, "src" | "dst" | "ttl" | "ipId" | "df" | "ipChecksumOk" | "protocol">;
  if (version === 4) {
    header = (b[0]! & 15) * 4;
    expect(b.readUInt16BE(2)).toBe(p.length);
    d = {
      src: [...b.subarray(12, 16)].join("."),
      dst: [...b.subarray(16, 20)].join("."),
      ttl: b[8]!,
      ipId: b.readUInt16BE(4),
      df: (b.readUInt16BE(6) & 0x4000) !== 0,
      ipChecksumOk: onesSum(p.subarray(0, header)) === 0xffff,
      protocol: b[9]!,
    };
    pseudo = [...pairs(p.subarray(12, 20)), 17, p.length - header];
  } else {
    header = 40;
    expect(b.readUInt16BE(4)).toBe(p.length - 40);
    const hex = (from: number) => Array.from({ length: 8 }, (_, i) => b.readUInt16BE(from + 2 * i).toString(16)).join(":");
    d = { src: hex(8), dst: hex(24), ttl: b[7]!, ipId: 0, df: false, ipChecksumOk: true, protocol: b[6]! };
    pseudo = [...pairs(p.subarray(8, 40)), 0, p.length - 40, 0, 17];
  }
  const u = b.subarray(header);
  return {
    version,
    ...d,
    srcPort: u.readUInt16BE(0),
    dstPort: u.readUInt16BE(2),
    udpLength: u.readUInt16BE(4),
    checksum: u.readUInt16BE(6),
    checksumOk: onesSum(p.subarray(header), pseudo) === 0xffff,
    payload: new Uint8Array(u.subarray(8)),
  };
}

function flow(client: string, server: string, serverPort = 8889): ConversationInfo {
  return {
    id: "c9",
    transport: "udp",
    client: { ip: client, port: 40000 },
    server: { ip: server, port: serverPort },
    service: "udp-echo",
    protocol: "text",
    origin: "lab-client",
    owner: "s1",
  };
}

const T0 = 1_700_000_000_123.25;

function eventsOf(conversation: ConversationInfo, steps: [EventKind, "c2s" | "s2c", (string | Uint8Array)?, string?][]): CapturedEvent[] {
  return steps.map(([kind, direction, data, errorCode], i) => ({
    seq: 200 + i,
    conversation,
    kind,
    direction,
    monoMs: 100 + i,
    wallMs: T0 + i,
    data: typeof data === "string" ? new TextEncoder().encode(data) : (data ?? new Uint8Array(0)),
    pdus: undefined,
    errorCode: errorCode ?? "",
    errorMessage: errorCode ? `message for ${errorCode}` : "",
    streamOffset: -1,
    segment: kind === "segment" ? { linkType: 101, payloadLength: 0, analysis: undefined, checksumsMayBeOffloaded: false } : undefined,
  }));
}

/** struct.pack('If', 42, 3.14) on x86-64: what seed 000's echo server sends after a BINARY message. */
const BINARY = Uint8Array.of(42, 0, 0, 0, 0xc3, 0xf5, 0x48, 0x40);

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const all = (conversation: ConversationInfo, events: CapturedEvent[]): SynthesizedPacket[] => [...synthesizeUdpPackets(conversation, events)];

describe("synthesizeUdpPackets", () => {
  const echo = flow("127.0.0.1", "127.0.0.1");
  const events = eventsOf(echo, [
    ["open", "c2s"],
    ["data", "c2s", "BINARY_TEST"],
    ["data", "s2c", "UDP-ECHO: BINARY_TEST"],
    ["data", "s2c", BINARY],
    ["close", "c2s", undefined, "EIDLE"],
  ]);
  const packets = all(echo, events);

  it("makes one IPv4/UDP packet per datagram, with the datagram's bytes, lengths and checksums", () => {
    const d = packets.map((p) => decode(p.data));
    expect(d.map((x) => [`${x.src}:${x.srcPort}`, `${x.dst}:${x.dstPort}`, x.udpLength, x.payload.length])).toEqual([
      ["127.0.0.1:40000", "127.0.0.1:8889", 19, 11],
      ["127.0.0.1:8889", "127.0.0.1:40000", 29, 21],
      ["127.0.0.1:8889", "127.0.0.1:40000", 16, 8],
    ]);
    expect(text(d[0]!.payload)).toBe("BINARY_TEST");
    expect(text(d[1]!.payload)).toBe("UDP-ECHO: BINARY_TEST");
    expect([...d[2]!.payload]).toEqual([...BINARY]);
    for (const x of d) {
      expect(x).toMatchObject({ version: 4, protocol: 17, ttl: 64, df: true, ipChecksumOk: true, checksumOk: true });
      expect(x.checksum).not.toBe(0);
    }
  });

  it("numbers the client's IP ids from its own counter and sends the server's with id 0, as Linux does", () => {
    const d = all(echo, eventsOf(echo, [["data", "c2s", "a"], ["data", "s2c", "b"], ["data", "c2s", "c"], ["data", "s2c", "d"]])).map((p) => decode(p.data));
    expect((d[2]!.ipId - d[0]!.ipId) & 0xffff).toBe(1);
    expect([d[1]!.ipId, d[3]!.ipId]).toEqual([0, 0]);
  });

  it("stamps each packet with its event's wall-clock time in nanoseconds, and says which event it stands for", () => {
    expect(packets.map((p) => p.timestampNs)).toEqual([1_700_000_000_124_250_000n, 1_700_000_000_125_250_000n, 1_700_000_000_126_250_000n]);
    expect(packets[0]!.comment).toBe("synthesised from a socket event: a datagram of 11 bytes from the client to the server (lab event #201)");
    expect(packets[1]!.comment).toBe("synthesised from a socket event: a datagram of 21 bytes from the server to the client (lab event #202)");
    // The flow's idle end has no packet: the last packet's comment tells it.
    expect(packets[2]!.comment).toBe(
      "synthesised from a socket event: a datagram of 8 bytes from the server to the client (lab event #203); the lab also recorded the flow's end, EIDLE (lab event #204): message for EIDLE",
    );
  });

  it("writes no packet for a lost datagram (it never hit the wire) and tells it in the next packet's comment", () => {
    const lossy = all(
      echo,
      eventsOf(echo, [
        ["data", "c2s", "one"],
        ["lost", "c2s", "two"],
        ["data", "c2s", "three"],
        ["timeout", "c2s"],
      ]),
    );
    expect(lossy.map((p) => text(decode(p.data).payload))).toEqual(["one", "three"]);
    expect(lossy[0]!.comment).toBe(
      "synthesised from a socket event: a datagram of 3 bytes from the client to the server (lab event #200); the lab also recorded a datagram of 3 bytes from the client that the session's impairment dropped before it was sent, so it has no packet (lab event #201)",
    );
    expect(lossy[1]!.comment).toMatch(/\(lab event #202\); the lab also recorded that the client had no answer within its receive timeout \(lab event #203\)$/);
    // A flow whose first datagram was lost says so in its first packet.
    const first = all(echo, eventsOf(echo, [["lost", "c2s", "x"], ["data", "c2s", "y"]]));
    expect(first).toHaveLength(1);
    expect(first[0]!.comment).toMatch(/\(lab event #201\); before it, the lab also recorded a datagram of 1 bytes from the client that the session's impairment dropped/);
    expect(all(echo, eventsOf(echo, [["lost", "c2s", "x"]]))).toEqual([]);
  });

  it("skips the packets wire capture saw, which are real", () => {
    const mixed = eventsOf(echo, [["data", "c2s", "hi"], ["segment", "c2s", new Uint8Array(30)]]);
    expect(all(echo, mixed)).toHaveLength(1);
  });

  it("sends to a multicast group with TTL 1 (the default and the seed's)", () => {
    const group = flow("127.0.0.1", "224.0.0.100", 9999);
    const [p] = all(group, eventsOf(group, [["data", "c2s", "hello group"]])).map((x) => decode(x.data));
    expect(p).toMatchObject({ dst: "224.0.0.100", dstPort: 9999, ttl: 1, checksumOk: true, ipChecksumOk: true });
  });

  it("says so when the server's address is not known (a socket bound to every address)", () => {
    const any = flow("192.0.2.7", "0.0.0.0", 8888);
    const [first, second] = all(any, eventsOf(any, [["data", "c2s", "a"], ["data", "c2s", "b"]]));
    expect(decode(first!.data)).toMatchObject({ src: "192.0.2.7", dst: "0.0.0.0", checksumOk: true });
    expect(first!.comment).toMatch(/; the server's socket listens on every address, so the address the client sent to is not known: 0\.0\.0\.0 stands for it$/);
    expect(second!.comment).not.toMatch(/every address/);
  });

  it("makes IPv6/UDP packets for an IPv6 flow, with hop limit 64 and the checksum IPv6 requires", () => {
    const v6 = flow("::1", "::1");
    const d = all(v6, eventsOf(v6, [["data", "c2s", "hello"], ["data", "s2c", "UDP-ECHO: hello"]])).map((p) => decode(p.data));
    expect(d.map((x) => [x.version, x.src, x.dst, x.ttl, x.protocol, x.udpLength, text(x.payload)])).toEqual([
      [6, "0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:1", 64, 17, 13, "hello"],
      [6, "0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:1", 64, 17, 23, "UDP-ECHO: hello"],
    ]);
    for (const x of d) expect(x.checksumOk && x.checksum !== 0).toBe(true);
  });

  it("sends a checksum that sums to zero as 0xffff (RFC 768: zero means none)", () => {
    // A payload whose last word makes the datagram's sum 0xffff: its checksum computes to 0.
    const payload = Uint8Array.of(1, 2, 3, 4, 0, 0);
    const probe = decode(all(echo, eventsOf(echo, [["data", "c2s", payload]]))[0]!.data);
    payload[4] = probe.checksum >> 8;
    payload[5] = probe.checksum & 0xff;
    const x = decode(all(echo, eventsOf(echo, [["data", "c2s", payload]]))[0]!.data);
    expect(x.checksum).toBe(0xffff);
    expect(x.checksumOk).toBe(true);
  });

  it("fits the largest datagrams one IP packet holds, empty ones too, and tells one that cannot be a packet", () => {
    const big = new Uint8Array(65_507).map((_, i) => i & 0xff);
    const d = all(echo, eventsOf(echo, [["data", "c2s", big], ["data", "c2s", new Uint8Array(0)]])).map((p) => decode(p.data));
    expect(d.map((x) => [x.udpLength, x.payload.length, x.checksumOk])).toEqual([
      [65_515, 65_507, true],
      [8, 0, true],
    ]);
    expect(Buffer.from(d[0]!.payload).equals(Buffer.from(big))).toBe(true);
    const tooBig = all(echo, eventsOf(echo, [["data", "c2s", "a"], ["data", "c2s", new Uint8Array(65_508)]]));
    expect(tooBig).toHaveLength(1);
    expect(tooBig[0]!.comment).toMatch(/the lab also recorded a datagram of 65508 bytes, more than one IPv4 packet holds \(lab event #201\)$/);
  });

  it("reads its events once, in order, as packets are asked for", () => {
    let read = 0;
    function* counted() {
      for (const e of events) {
        read++;
        yield e;
      }
    }
    const it = synthesizeUdpPackets(echo, counted());
    it.next();
    // The first packet waits for the next datagram (notes between them are its own).
    expect(read).toBe(3);
    expect([...it]).toHaveLength(2);
    expect(read).toBe(events.length);
  });
});
