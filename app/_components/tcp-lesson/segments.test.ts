import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { formatMessage, type Values } from "@/app/_i18n/format";
import type { Locale } from "@/app/_i18n/locales";
import type { Keys } from "@/app/_i18n/messages";
import tcpLesson from "@/app/_i18n/messages/tcp-lesson";
import { ConversationSchema, Direction, EventKind, EventSchema, Origin, type Conversation } from "@/gen/lab/v1/timeline_pb";
import { dissectPacket } from "@/server/dissect/packet";
import { createTcpAnalyzer } from "@/server/dissect/tcp-analysis";
import { parseHex } from "../lesson-kit/bytes";
import {
  CaptureMode,
  CaptureOff,
  CaptureStatusSchema,
  ServiceState,
  StatusResponseSchema,
} from "@/gen/lab/v1/lab_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";

type CaptureStatusInit = MessageInitShape<typeof CaptureStatusSchema>;
import { captureCommand, captureOf, captureStatusFrom, commandInReason } from "../capture-status";
import { readTcpPacket, TCP_FLAG } from "./segment-adapter";
import {
  COOKED_V2_LINKTYPE,
  ECHO_CONVERSATION,
  IPV6_CONVERSATION,
  LOOPBACK_LINKTYPE,
  REFUSED_CONVERSATION,
  type CapturedPacket,
} from "./segments.fixtures";
import {
  analyzeSegments,
  chooseDiagramSegment,
  conversationAfter,
  explainSegment,
  headerRows,
  isReadable,
  type SegmentView,
  type Translate,
} from "./segments";
import { timelineEventOf, type TimelineEvent } from "../timeline/batch";
import { eventViewOf } from "../timeline/event-table";

/** An event as the page holds it, made from a whole one as the host makes its brief. */
const timelineEvent = (init: MessageInitShape<typeof EventSchema>): TimelineEvent => timelineEventOf(create(EventSchema, init));

function translator(locale: Locale): Translate {
  const dictionary = tcpLesson[locale] as Record<string, Parameters<typeof formatMessage>[1]>;
  return (key: Keys<"tcpLesson">, values?: Values) => formatMessage(locale, dictionary[key] ?? key, values);
}
const en = translator("en");
const ru = translator("ru");

function bytes(hex: string): Uint8Array {
  const parsed = parseHex(hex);
  if (!parsed.ok) throw new Error("bad hex in a fixture");
  return parsed.bytes;
}

function segmentEvents(packets: readonly CapturedPacket[], linkType: number, conversationId = "c1", firstSeq = 1): TimelineEvent[] {
  return packets.map((p, i) =>
    timelineEvent({
      seq: BigInt(firstSeq + i),
      conversationId,
      kind: EventKind.SEGMENT,
      direction: p.c2s ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT,
      monoNs: BigInt(p.us) * 1000n,
      data: bytes(p.hex),
      linkType,
    }),
  );
}

function views(events: readonly TimelineEvent[]): SegmentView[] {
  const entries = analyzeSegments(events);
  const readable = entries.filter(isReadable);
  expect(readable.length).toBe(entries.length);
  return readable;
}

function at<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}

describe("readTcpPacket", () => {
  it("reads a real SYN captured on loopback (Ethernet, IPv4, TCP with options)", () => {
    const p = readTcpPacket(LOOPBACK_LINKTYPE, bytes(at(ECHO_CONVERSATION, 0).hex));
    expect(p).toMatchObject({
      ipVersion: 4,
      srcIp: "127.0.0.1",
      dstIp: "127.0.0.1",
      srcPort: 50666,
      dstPort: 18888,
      seq: 3234450577,
      ack: 0,
      dataOffset: 10,
      reserved: 0,
      flags: TCP_FLAG.SYN,
      window: 65495,
      checksum: 0xfe30,
      // Linux leaves loopback checksums for an offload that never happens: tcpdump says "incorrect".
      checksumState: "mismatch",
      urgentPointer: 0,
      optionsLength: 20,
      payloadLength: 0,
      tcpOffset: 34,
    });
    expect(p?.options).toEqual([
      { kind: 2, length: 4, mss: 65495 },
      { kind: 4, length: 2 },
      { kind: 8, length: 10, tsVal: 770127866, tsEcr: 0 },
      { kind: 1, length: 1 },
      { kind: 3, length: 3, shift: 10 },
    ]);
  });

  it("verifies a checksum the kernel did fill in (its own RST)", () => {
    const p = readTcpPacket(LOOPBACK_LINKTYPE, bytes(at(REFUSED_CONVERSATION, 1).hex));
    expect(p).toMatchObject({ flags: TCP_FLAG.RST | TCP_FLAG.ACK, seq: 0, ack: 1458611628, window: 0, checksum: 0xa543, checksumState: "correct" });
    expect(p?.options).toEqual([]);
  });

  it("takes the payload length from the IP header", () => {
    const welcome = readTcpPacket(LOOPBACK_LINKTYPE, bytes(at(ECHO_CONVERSATION, 3).hex));
    expect(welcome?.payloadLength).toBe(57);
    expect(welcome?.flags).toBe(TCP_FLAG.PSH | TCP_FLAG.ACK);
  });

  it("reads IPv6 in Linux cooked v2", () => {
    const p = readTcpPacket(COOKED_V2_LINKTYPE, bytes(at(IPV6_CONVERSATION, 0).hex));
    expect(p).toMatchObject({ ipVersion: 6, srcIp: "::1", dstIp: "::1", srcPort: 46360, dstPort: 18889, seq: 1800035229, window: 65476 });
  });

  it("reads the same segment behind other link headers", () => {
    const ethernet = bytes(at(ECHO_CONVERSATION, 0).hex);
    const ip = ethernet.subarray(14);
    const sll = new Uint8Array(16 + ip.length);
    sll.set([0, 0, 3, 4, 0, 6], 0);
    sll.set([0x08, 0x00], 14);
    sll.set(ip, 16);
    const bsd = new Uint8Array(4 + ip.length);
    bsd.set([2, 0, 0, 0], 0);
    bsd.set(ip, 4);
    for (const [linkType, packet] of [
      [101, ip],
      [228, ip],
      [113, sll],
      [0, bsd],
    ] as const) {
      expect(readTcpPacket(linkType, packet)).toMatchObject({ srcPort: 50666, seq: 3234450577, tcpOffset: linkType === 113 ? 36 : linkType === 0 ? 24 : 20 });
    }
  });

  it("returns undefined for what is not a whole TCP header", () => {
    const syn = bytes(at(ECHO_CONVERSATION, 0).hex);
    expect(readTcpPacket(LOOPBACK_LINKTYPE, syn.subarray(0, 40))).toBeUndefined();
    expect(readTcpPacket(9999, syn)).toBeUndefined();
    const udp = syn.slice();
    udp[23] = 17;
    expect(readTcpPacket(LOOPBACK_LINKTYPE, udp)).toBeUndefined();
  });
});

describe("analyzeSegments on a real echo conversation", () => {
  const events = segmentEvents(ECHO_CONVERSATION, LOOPBACK_LINKTYPE);
  const list = views(events);

  it("classifies every segment and counts from each side's ISN", () => {
    expect(list.map((v) => [v.side, v.kind, v.relSeq, v.relAck, v.packet.payloadLength])).toEqual([
      ["client", "syn", 0, undefined, 0],
      ["server", "synAck", 0, 1, 0],
      ["client", "handshakeAck", 1, 1, 0],
      ["server", "data", 1, 1, 57],
      ["client", "ack", 1, 58, 0],
      ["client", "data", 1, 58, 5],
      ["server", "ack", 58, 6, 0],
      ["server", "data", 58, 6, 11],
      ["client", "ack", 6, 69, 0],
      ["client", "fin", 6, 69, 0],
      ["server", "fin", 69, 7, 0],
      ["client", "ack", 7, 70, 0],
    ]);
    expect(list.map((v) => v.nextRelSeq)).toEqual([1, 1, 1, 58, 1, 6, 58, 69, 6, 7, 70, 7]);
  });

  it("sees the ack of a SYN as the peer's seq + 1", () => {
    expect(at(list, 1).ackIsPeerSynPlusOne).toBe(true);
    expect(at(list, 2).ackIsPeerSynPlusOne).toBe(true);
    expect(at(list, 4).ackIsPeerSynPlusOne).toBe(false);
  });

  it("knows what each ACK confirms, and the real 43 ms delayed ACK", () => {
    expect(at(list, 1).acked).toMatchObject({ syn: true, data: 0, fin: false });
    expect(at(list, 4).acked).toMatchObject({ syn: false, data: 57, fin: false, delayNs: 21_000n });
    expect(at(list, 8).acked).toMatchObject({ data: 11, delayNs: 42_940_000n });
    expect(at(list, 10).acked).toMatchObject({ data: 0, fin: true });
    expect(at(list, 11).acked).toMatchObject({ data: 0, fin: true });
    // The client's "hello" repeats ack 58, which it had already sent.
    expect(at(list, 5).acked).toEqual({ data: 0, syn: false, fin: false });
  });

  it("scales windows after the SYNs only", () => {
    expect(at(list, 0).windowShift).toBeUndefined();
    expect(at(list, 2)).toMatchObject({ windowShift: 10, windowBytes: 65536 });
  });

  it("explains each segment in one line with its real values", () => {
    const lines = list.map((v) => explainSegment(v, en).headline);
    expect(lines[0]).toBe(
      "SYN from 127.0.0.1:50666: seq 0 (raw 3234450577), window 65495, options: MSS 65495, SACK permitted, timestamps, window scale 10 (×1024)",
    );
    expect(lines[1]).toBe(
      "SYN-ACK from 127.0.0.1:18888: seq 0 (raw 2401037062), ack 1, window 65483, options: MSS 65495, SACK permitted, timestamps, window scale 10 (×1024)",
    );
    expect(lines[2]).toBe("ACK from 127.0.0.1:50666: seq 1, ack 1, window 64 × 1024 = 65,536 bytes");
    expect(lines[3]).toBe("Data from 127.0.0.1:18888: seq 1, Len 57, ack 1, window 64 × 1024 = 65,536 bytes");
    expect(lines[9]).toBe("FIN from 127.0.0.1:50666: seq 6, ack 69");
    expect(explainSegment(at(list, 1), en).notes[0]).toContain("ack 1 = the peer's seq + 1");
    expect(explainSegment(at(list, 2), en).notes[0]).toContain("the handshake is complete");
    expect(explainSegment(at(list, 3), en).notes[0]).toBe("Seq grows by the payload's length: the next new byte from this side will be seq 58.");
    expect(explainSegment(at(list, 8), en).notes).toEqual([
      "Confirms 11 more bytes (everything before 69 has arrived), 42.94 ms after they were sent.",
      "The receiver held this ACK back, in case it could travel with a reply: a delayed ACK. No reply came, so the timer sent it alone.",
    ]);
    expect(explainSegment(at(list, 9), en).notes[0]).toContain("its ACK will say 7");
    expect(explainSegment(at(list, 11), en).notes).toEqual(["Confirms the other side's FIN: ack 70 = the FIN's seq + 1."]);
  });

  it("says the same in Russian, with Russian number forms", () => {
    expect(explainSegment(at(list, 2), ru).headline).toBe("ACK от 127.0.0.1:50666: seq 1, ack 1, окно 64 × 1024 = 65\u00a0536 байт");
    expect(explainSegment(at(list, 4), ru).notes[0]).toBe("Подтверждает ещё 57 байт (всё до 58 пришло) через 0,021 мс после отправки.");
  });
});

describe("a refused connection", () => {
  const list = views(segmentEvents(REFUSED_CONVERSATION, LOOPBACK_LINKTYPE));

  it("reads the kernel's RST, ACK as the refusal of that SYN", () => {
    const rst = at(list, 1);
    expect(rst).toMatchObject({ kind: "rst", side: "server", relSeq: undefined, relAck: 1, refusesSyn: true });
    const { headline, notes } = explainSegment(rst, en);
    // Issue 15 §1.3: the row (the dissector's summary, Wireshark's numbering) says Seq=1 Ack=1; the panel says the
    // same, and gives the numbers on the wire beside them.
    const rawAck = (at(list, 0).packet.seq + 1) >>> 0;
    expect(headline).toBe(`RST, ACK from 127.0.0.1:18001: Seq=1 Ack=1 as the timeline shows them; on the wire seq 0, ack ${rawAck}`);
    // The row's label is the host's dissection of the same packets, analysed in order.
    const analyzer = createTcpAnalyzer();
    const rows = segmentEvents(REFUSED_CONVERSATION, LOOPBACK_LINKTYPE).map(
      (e) => dissectPacket(LOOPBACK_LINKTYPE, e.data, { analyzer }).frames.find((f) => f.protocol === "tcp")?.summary,
    );
    expect(rows[1]).toBe("18001 → 51612 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0");
    expect(notes[0]).toContain("Nothing listens on port 18001");
    expect(notes[0]).toContain(`The ack on the wire, ${rawAck}, is the SYN's seq + 1`);
  });
});

describe("an IPv6 conversation where the client closes first", () => {
  const list = views(segmentEvents(IPV6_CONVERSATION, COOKED_V2_LINKTYPE));

  it("pairs each FIN with its ACK", () => {
    expect(list.map((v) => `${v.kind} ${v.relSeq}/${v.relAck}`)).toEqual([
      "syn 0/undefined",
      "synAck 0/1",
      "handshakeAck 1/1",
      "data 1/1",
      "ack 1/3",
      "fin 3/1",
      "fin 1/4",
      "ack 4/2",
    ]);
    expect(explainSegment(at(list, 0), en).headline).toMatch(/^SYN from \[::1\]:46360: seq 0 \(raw 1800035229\)/);
    // The server's FIN, ACK confirms the client's FIN as it closes its own side.
    expect(at(list, 6).acked).toMatchObject({ fin: true });
  });
});

describe("without the SYNs", () => {
  it("shows raw numbers instead of inventing relative ones", () => {
    const list = views(segmentEvents(ECHO_CONVERSATION.slice(3, 5), LOOPBACK_LINKTYPE));
    expect(at(list, 0)).toMatchObject({ relSeq: undefined, relAck: undefined, windowShift: undefined });
    expect(explainSegment(at(list, 0), en).headline).toBe(
      "Data from 127.0.0.1:18888: seq 2401037063 (raw: this side's SYN was not captured), Len 57, ack 3234450578 (raw: this side's SYN was not captured), window 64",
    );
  });

  it("keeps a packet it cannot read as one line", () => {
    const bad = timelineEvent({ seq: 9n, kind: EventKind.SEGMENT, linkType: 147, data: Uint8Array.of(1, 2, 3) });
    expect(analyzeSegments([bad])).toEqual([{ eventSeq: 9n, side: undefined, linkType: 147, unreadable: true }]);
  });
});

describe("headerRows", () => {
  const list = views(segmentEvents(ECHO_CONVERSATION, LOOPBACK_LINKTYPE));

  it("fills every row of 32 bits with the SYN's values", () => {
    const rows = headerRows(at(list, 0), en);
    for (const row of rows) expect(row.cells.reduce((sum, c) => sum + c.bits, 0)).toBe(32);
    const cells = Object.fromEntries(rows.flatMap((r) => r.cells.map((c) => [c.id, c])));
    expect(rows.map((r) => r.bytes)).toEqual(["0–3", "4–7", "8–11", "12–15", "16–19", "20–39"]);
    expect(cells.srcPort?.value).toBe("50666");
    expect(cells.dstPort?.value).toBe("18888");
    expect(cells.seq?.value).toBe("0 · raw 3234450577");
    expect(cells.ack?.value).toBe("0 (unused: the ACK flag is 0)");
    expect(cells.dataOffset?.value).toBe("10 = 40 B");
    expect(cells.reserved?.value).toBe("0000");
    expect(["cwr", "ece", "urg", "ackFlag", "psh", "rst", "syn", "fin"].map((id) => cells[id]?.value).join("")).toBe("00000010");
    expect(cells.syn?.set).toBe(true);
    expect(cells.window?.value).toBe("65495");
    expect(cells.checksum?.value).toBe("0xfe30, left unfinished (offload)");
    expect(cells.urgentPointer?.value).toBe("0 (unused)");
    expect(cells.options?.value).toBe(
      "MSS 65495, SACK permitted, timestamps (TSval 770127866, TSecr 0), NOP, window scale 10 (×1024) (20 bytes)",
    );
    // 20 bytes of options (the NOP among them) end on a 32-bit boundary: nothing pads them.
    expect(cells.padding?.value).toBe("none: the options end on a 32-bit boundary");
  });

  it("counts as padding the end-of-options byte and the zeros after it", () => {
    // A SYN with MSS 65495, then EOL and three zero bytes: a 28-byte header.
    const hex =
      "000000000000000000000000080045000030" + "0a414000400632797f0000017f000001" + "c99c465156f0a5ab000000007002ffd7fe300000" + "0204ffd700000000";
    const cells = Object.fromEntries(headerRows(at(views(segmentEvents([{ c2s: true, us: 0, hex }], LOOPBACK_LINKTYPE)), 0), en).flatMap((r) => r.cells.map((c) => [c.id, c])));
    expect(cells.dataOffset?.value).toBe("7 = 28 B");
    expect(cells.padding?.value).toBe("4 bytes (end of options, zeros)");
  });

  it("shows scaled windows and relative acks later on", () => {
    const cells = Object.fromEntries(headerRows(at(list, 4), en).flatMap((r) => r.cells.map((c) => [c.id, c])));
    expect(cells.ack?.value).toBe("58 · raw 2401037120");
    expect(cells.window?.value).toBe("64 × 1024 = 65,536 B");
    expect(cells.ackFlag?.set).toBe(true);
  });

  it("draws the fields without values when there is no segment, and no options row for a bare header", () => {
    const empty = headerRows(undefined, en);
    expect(empty.flatMap((r) => r.cells).every((c) => c.value === undefined)).toBe(true);
    expect(empty.at(-1)?.cells.map((c) => c.id)).toEqual(["options", "padding"]);
    const rst = views(segmentEvents(REFUSED_CONVERSATION, LOOPBACK_LINKTYPE));
    expect(headerRows(at(rst, 1), en).map((r) => r.bytes)).toEqual(["0–3", "4–7", "8–11", "12–15", "16–19"]);
  });
});

describe("chooseDiagramSegment", () => {
  const conversation = (id: string, origin: Origin): Conversation => create(ConversationSchema, { id, origin, service: "tcp-echo" });
  const conversations = new Map([
    ["lab", conversation("lab", Origin.LAB_CLIENT)],
    ["ext", conversation("ext", Origin.EXTERNAL)],
  ]);
  const lab = segmentEvents(ECHO_CONVERSATION.slice(0, 3), LOOPBACK_LINKTYPE, "lab", 1);
  const ext = segmentEvents(ECHO_CONVERSATION.slice(0, 2), LOOPBACK_LINKTYPE, "ext", 10);
  const data = timelineEvent({ seq: 20n, conversationId: "lab", kind: EventKind.DATA });
  const events = eventViewOf([...lab, ...ext, data]);
  const isLab = (c: Conversation) => c.origin === Origin.LAB_CLIENT;

  it("prefers the selected segment, else the latest lab segment", () => {
    expect(chooseDiagramSegment(events, conversations, 11n, isLab)).toEqual({ source: "selected", conversationId: "ext", eventSeq: 11n });
    expect(chooseDiagramSegment(events, conversations, 20n, isLab)).toEqual({ source: "latest", conversationId: "lab", eventSeq: 3n });
    expect(chooseDiagramSegment(events, conversations, null, isLab)?.eventSeq).toBe(3n);
    expect(chooseDiagramSegment(eventViewOf(ext), conversations, null, isLab)).toBeUndefined();
  });
});

describe("conversationAfter", () => {
  it("finds the conversation a failed connect left on the timeline", () => {
    const closed = create(ConversationSchema, { id: "refused", service: "closed-port", origin: Origin.LAB_CLIENT });
    const echo = create(ConversationSchema, { id: "echo", service: "tcp-echo", origin: Origin.LAB_CLIENT });
    const conversations = new Map([
      ["refused", closed],
      ["echo", echo],
    ]);
    const before = segmentEvents(REFUSED_CONVERSATION, LOOPBACK_LINKTYPE, "refused", 1);
    const error = timelineEvent({ seq: 5n, conversationId: "refused", kind: EventKind.ERROR, errorCode: "ECONNREFUSED" });
    const other = timelineEvent({ seq: 6n, conversationId: "echo", kind: EventKind.DATA });
    const isClosedPort = (c: Conversation) => c.service === "closed-port";
    expect(conversationAfter(eventViewOf([...before, error, other]), conversations, 2n, isClosedPort)?.id).toBe("refused");
    expect(conversationAfter(eventViewOf([...before, other]), conversations, 2n, isClosedPort)).toBeUndefined();
  });
});

describe("capture status", () => {
  it("reads the host's capture mode and closed port from its status", () => {
    const status = (capture: CaptureStatusInit | undefined, closedPort?: number) =>
      create(StatusResponseSchema, {
        capture,
        services: closedPort === undefined ? [] : [{ name: "closed-port", port: closedPort, state: ServiceState.CLOSED }],
      });
    expect(captureStatusFrom(status({ mode: CaptureMode.REAL_SEGMENTS }, 8001))).toEqual({
      capture: { mode: CaptureMode.REAL_SEGMENTS, reason: "" },
      closedPort: 8001,
    });
    expect(captureStatusFrom(status(undefined))).toEqual({ capture: undefined, closedPort: undefined });
    expect(captureStatusFrom(status({}))).toEqual({ capture: undefined, closedPort: undefined });
  });

  it("reads why capture is off: a known code, the command and the program's words, trimmed", () => {
    const command = "sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump";
    const read = (capture: CaptureStatusInit) => captureOf(create(CaptureStatusSchema, capture));
    expect(read({ mode: CaptureMode.SOCKET_EVENTS, reason: "r", off: CaptureOff.NOT_PERMITTED, command })).toEqual({
      mode: CaptureMode.SOCKET_EVENTS,
      reason: "r",
      code: "not-permitted",
      command,
    });
    expect(read({ mode: CaptureMode.SOCKET_EVENTS, reason: "r", off: CaptureOff.STOPPED, detail: " exit code 1 \n" })).toEqual({
      mode: CaptureMode.SOCKET_EVENTS,
      reason: "r",
      code: "stopped",
      detail: "exit code 1",
    });
    expect(read({ mode: CaptureMode.SOCKET_EVENTS, reason: "r", command: " ", detail: "" })).toEqual({ mode: CaptureMode.SOCKET_EVENTS, reason: "r" });
    expect(captureCommand({ reason: "r", command })).toBe(command);
    expect(captureCommand({ reason: `tcpdump may not capture here; enable it with: ${command}` })).toBe(command);
    expect(captureCommand({ reason: "tcpdump did not start: no such device" })).toBeUndefined();
  });

  it("finds the command in the host's reason", () => {
    expect(
      commandInReason(
        "tcpdump may not capture here (it needs root or CAP_NET_RAW); enable it with: sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump",
      ),
    ).toBe("sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump");
    expect(commandInReason("enable it with `sudo setcap cap_net_raw=eip /usr/sbin/tcpdump`, or run the lab as root")).toBe(
      "sudo setcap cap_net_raw=eip /usr/sbin/tcpdump",
    );
    expect(commandInReason("sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump or run the lab as root")).toBe(
      "sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump",
    );
    expect(commandInReason("no capture program: install tcpdump (Debian: apt-get install tcpdump) or pass --capture-program")).toBe(
      "apt-get install tcpdump",
    );
    expect(commandInReason("run the lab as root")).toBeUndefined();
    expect(commandInReason("capture is off (--capture=off)")).toBeUndefined();
  });
});
