// The capture reader's lean path (createSegmentDissector's `lean`, issue 9 §4): a common TCP packet read from its
// header fields must give the record dissectPacket gives (flow, direction, payload length, stream offset and the
// TCP analysis, whose state both keep in capture order). Held on the packet fixtures of every link type and on
// generated conversations (handshakes with options, data, retransmissions, FIN and RST), a fifth of their packets
// with bytes changed anywhere in their headers, so that every packet the lean path does not take goes the long way.
import { describe, expect, it } from "vitest";
import { loadPacketFixtures } from "../dissect/testdata/fixtures";
import type { Packet } from "./pcap-reader";
import { createSegmentDissector } from "./segments";

const LAB_PORTS = new Set([8888, 8080]);

function ethernetIpv4Tcp(o: {
  src: number[];
  dst: number[];
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options: number[];
  payload: number;
}): Uint8Array {
  const tcpLength = 20 + o.options.length;
  const total = 20 + tcpLength + o.payload;
  const b = new Uint8Array(14 + total);
  b[12] = 0x08;
  b[14] = 0x45;
  b[16] = total >> 8;
  b[17] = total & 0xff;
  b[20] = 0x40; // DF
  b[22] = 64;
  b[23] = 6;
  b.set(o.src, 26);
  b.set(o.dst, 30);
  const t = 34;
  b[t] = o.srcPort >> 8;
  b[t + 1] = o.srcPort & 0xff;
  b[t + 2] = o.dstPort >> 8;
  b[t + 3] = o.dstPort & 0xff;
  new DataView(b.buffer).setUint32(t + 4, o.seq >>> 0);
  new DataView(b.buffer).setUint32(t + 8, o.ack >>> 0);
  b[t + 12] = ((tcpLength / 4) << 4) | ((o.flags >> 8) & 0x0f);
  b[t + 13] = o.flags & 0xff;
  b[t + 14] = o.window >> 8;
  b[t + 15] = o.window & 0xff;
  b.set(o.options, t + 20);
  for (let i = 0; i < o.payload; i++) b[t + tcpLength + i] = 0x61 + (i % 26);
  return b;
}

/** Every port a lab port: every TCP packet of the fixtures gives a record. */
const EVERY_PORT = new Set(Array.from({ length: 65536 }, (_, i) => i));

function records(packets: readonly Packet[], lean: boolean, labPorts: ReadonlySet<number> = LAB_PORTS) {
  const dissector = createSegmentDissector({ labPorts, loopback: true, lean });
  return packets.map((p) => dissector.dissect(p));
}

describe("the capture reader's lean path", () => {
  it("gives dissectPacket's record for every packet fixture (other link types, IPv6, UDP, truncated: the long way)", () => {
    const packets: Packet[] = loadPacketFixtures().flatMap((f) =>
      f.packets.map((data, i) => ({ linkType: f.link, data, timestampNs: BigInt(i) * 1_000_000n, originalLength: data.length })),
    );
    expect(packets.length).toBeGreaterThan(10);
    const lean = records(packets, true, EVERY_PORT);
    expect(lean).toEqual(records(packets, false, EVERY_PORT));
    expect(lean.filter((r) => r?.transport === "tcp").length).toBeGreaterThan(3);
  });

  it("gives dissectPacket's record, analysis included, over generated conversations with a fifth of the packets damaged", () => {
    let seed = 4;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const SYN = 0x002;
    const ACK = 0x010;
    const FIN = 0x001;
    const RST = 0x004;
    const PSH = 0x008;
    const OPTIONS = [
      [],
      [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], // NOP NOP timestamps
      [2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7], // MSS SACK-permitted TS NOP WS=7
      [3, 3, 14, 0], // WS=14, EOL
      [1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9], // SACK block
      [2, 9, 0, 0], // a length past the header: the long way
    ];
    const packets: Packet[] = [];
    let time = 0n;
    for (let c = 0; c < 60; c++) {
      const client = [127, 0, 0, 1 + rand(3)];
      const server = [127, 0, 0, 1];
      const clientPort = 40000 + rand(20000);
      const serverPort = rand(10) === 0 ? 9999 : [8888, 8080][rand(2)]!;
      let cSeq = rand(0x7fffffff) * 2;
      let sSeq = rand(0x7fffffff) * 2;
      const send = (fromClient: boolean, flags: number, payload: number, options: number[]) => {
        const packet = ethernetIpv4Tcp({
          src: fromClient ? client : server,
          dst: fromClient ? server : client,
          srcPort: fromClient ? clientPort : serverPort,
          dstPort: fromClient ? serverPort : clientPort,
          seq: fromClient ? cSeq : sSeq,
          ack: flags & ACK ? (fromClient ? sSeq : cSeq) : 0,
          flags,
          window: 1 + rand(65535),
          options,
          payload,
        });
        if (rand(5) === 0) packet[rand(Math.min(packet.length, 60))] = rand(256);
        packets.push({ linkType: 1, data: packet, timestampNs: (time += BigInt(1 + rand(3_000_000))), originalLength: packet.length });
        const advance = payload + (flags & (SYN | FIN) ? 1 : 0);
        // A retransmission now and then: the same bytes again, numbers not moved on.
        if (rand(8) !== 0) {
          if (fromClient) cSeq = (cSeq + advance) >>> 0;
          else sSeq = (sSeq + advance) >>> 0;
        }
      };
      send(true, SYN, 0, OPTIONS[rand(OPTIONS.length)]!);
      send(false, SYN | ACK, 0, OPTIONS[rand(OPTIONS.length)]!);
      send(true, ACK, 0, []);
      for (let m = rand(8); m > 0; m--) {
        send(true, ACK | PSH, 1 + rand(300), OPTIONS[rand(2)]!);
        send(false, ACK | PSH, rand(2) ? 1 + rand(300) : 0, OPTIONS[rand(2)]!);
      }
      if (rand(4) === 0) send(rand(2) === 0, RST | ACK, 0, []);
      else {
        send(true, FIN | ACK, 0, []);
        send(false, FIN | ACK, 0, []);
        send(true, ACK, 0, []);
      }
    }
    const lean = records(packets, true);
    expect(lean).toEqual(records(packets, false));
    // Most took the lean path, with their analyses: not a comparison of the long way with itself.
    expect(lean.filter((r) => r?.analysis).length).toBeGreaterThan(packets.length / 2);
  });
});
