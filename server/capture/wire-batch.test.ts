// Segments packed in one buffer by the reader thread come out on the servers' thread as the records
// the segment dissector made: every packet fixture (every link type, IPv4 and IPv6, TCP and UDP, options,
// findings, malformed packets), and a batch after a batch from the same writer.

import { describe, expect, it } from "vitest";
import { dissectPacket } from "../dissect/packet";
import { loadPacketFixtures } from "../dissect/testdata/fixtures";
import type { SegmentRecord } from "./bus";
import { createSegmentDissector } from "./segments";
import { createBatchWriter, readBatch, type SegmentBatch } from "./wire-batch";

/** Every TCP segment and UDP datagram of the fixtures that goes to or from its first packet's destination port. */
function fixtureRecords(): SegmentRecord[] {
  const records: SegmentRecord[] = [];
  for (const fx of loadPacketFixtures()) {
    // The first packet's destination is the lab's server, as in a capture that starts with a SYN.
    const ports = new Set<number>();
    const flow = dissectPacket(fx.link, fx.packets[0]!).flow;
    if (flow) ports.add(flow.dstPort);
    const dissector = createSegmentDissector({ labPorts: ports, udpPorts: ports, loopback: fx.offload });
    fx.packets.forEach((data, i) => {
      const record = dissector.dissect({ linkType: fx.link, timestampNs: 1_700_000_000_123_456_789n + BigInt(i) * 1_000_000n, data, originalLength: data.length });
      if (record) records.push(record);
    });
  }
  // A segment whose TCP header could not be analysed (a capture cut inside it) carries no analysis.
  records.push({ ...records[0]!, analysis: undefined, streamOffset: -1 });
  return records;
}

/** As postMessage does it: the buffer transferred, the rest cloned. */
function acrossThreads(batch: SegmentBatch): SegmentBatch {
  return structuredClone(batch, { transfer: [batch.buffer] });
}

function read(batch: SegmentBatch): SegmentRecord[] {
  const out: SegmentRecord[] = [];
  readBatch(batch, (r) => out.push(r));
  return out;
}

describe("segment batches", () => {
  const records = fixtureRecords();

  it("the fixtures give records of every kind the batch must carry", () => {
    expect(records.length).toBeGreaterThan(20);
    expect(records.some((r) => r.analysis === undefined)).toBe(true);
    expect(records.some((r) => (r.analysis?.findings.length ?? 0) > 0)).toBe(true);
    expect(records.some((r) => r.analysis?.relativeAck === undefined && r.analysis !== undefined)).toBe(true);
    expect(records.some((r) => r.analysis?.windowScaled !== undefined)).toBe(true);
    expect(records.some((r) => r.client.ip.includes(":"))).toBe(true);
    expect(records.some((r) => r.direction === "s2c")).toBe(true);
    expect(records.some((r) => r.streamOffset === -1) && records.some((r) => r.streamOffset >= 0)).toBe(true);
    expect(new Set(records.map((r) => r.linkType)).size).toBeGreaterThan(2);
    expect(records.some((r) => r.checksumsMayBeOffloaded) && records.some((r) => !r.checksumsMayBeOffloaded)).toBe(true);
    expect(records.some((r) => r.transport === "udp" && r.payloadDigest >= 0) && records.some((r) => r.transport === "tcp")).toBe(true);
  });

  it("come out as they went in, field for field and byte for byte", () => {
    const writer = createBatchWriter();
    for (const r of records) writer.add(r);
    expect(writer.count).toBe(records.length);
    expect(writer.bytes).toBe(records.reduce((n, r) => n + r.packet.length, 0));
    const batch = acrossThreads(writer.finish());
    expect(batch.count).toBe(records.length);
    // Each address once.
    expect(batch.ips).toEqual([...new Set(records.flatMap((r) => [r.client.ip, r.server.ip]))]);
    expect(read(batch)).toStrictEqual(records);
  });

  it("start empty again after finish, and each batch stands alone", () => {
    const writer = createBatchWriter();
    const half = records.length >> 1;
    for (const r of records.slice(0, half)) writer.add(r);
    const first = acrossThreads(writer.finish());
    expect(writer.count).toBe(0);
    expect(writer.bytes).toBe(0);
    for (const r of records.slice(half)) writer.add(r);
    const second = acrossThreads(writer.finish());
    expect([...read(first), ...read(second)]).toStrictEqual(records);
    const empty = writer.finish();
    expect(empty.count).toBe(0);
    expect(read(empty)).toEqual([]);
  });
});
