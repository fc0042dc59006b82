// What the timeline's stream sends for a field: its id, format and value, and its words only when they are not
// the catalogued ones for that id; and a TCP frame's summary in parts.
import { describe, expect, it } from "vitest";
import { EventKind, Severity, type Field } from "@/gen/lab/v1/timeline_pb";
import type { CapturedEvent, ConversationInfo } from "../capture/events";
import { dissectorFor } from "../dissect/protocols";
import { loadPacketFixtures } from "../dissect/testdata/fixtures";
import { briefOf, eventToProto, SEGMENT_HEAD_BYTES } from "./to-proto";

const conversation: ConversationInfo = {
  id: "c1",
  transport: "tcp",
  client: { ip: "127.0.0.1", port: 54321 },
  server: { ip: "127.0.0.1", port: 8888 },
  service: "tcp-echo",
  protocol: "text",
  origin: "lab-client",
  owner: undefined,
};

function event(kind: "segment" | "data", data: Uint8Array): CapturedEvent {
  return {
    seq: 1,
    conversation,
    kind,
    direction: "c2s",
    monoMs: 1,
    wallMs: 1,
    data,
    pdus: undefined,
    errorCode: "",
    errorMessage: "",
    streamOffset: -1,
    segment: kind === "segment" ? { linkType: 1, payloadLength: 6, analysis: undefined, checksumsMayBeOffloaded: true } : undefined,
  };
}

function* fields(list: readonly Field[]): Generator<Field> {
  for (const f of list) {
    yield f;
    yield* fields(f.children);
  }
}

describe("eventToProto", () => {
  it("sends a segment's fields by id and value, without the catalogued words", () => {
    const packet = loadPacketFixtures().find((fx) => fx.name === "tcp-lo-conversation")!.packets[3]!;
    const proto = eventToProto(event("segment", packet), dissectorFor);
    const all = proto.frames.flatMap((frame) => [...fields(frame.fields)]);
    expect(all.length).toBeGreaterThan(40);
    expect(all.find((f) => f.id === "tcp.srcport")).toMatchObject({ label: "", blurb: "", display: "", format: "number", args: { value: "54321" } });
    expect(all.every((f) => f.label === "" && f.blurb === "")).toBe(true);
    expect(new Set(all.map((f) => f.id))).toContain("ipv4.ttl");
  });

  it("sends a TCP frame's summary in parts, and none for the other layers", () => {
    const packet = loadPacketFixtures().find((fx) => fx.name === "tcp-lo-conversation")!.packets[3]!;
    const frames = eventToProto(event("segment", packet), dissectorFor).frames;
    const tcp = frames.find((frame) => frame.protocol === "tcp");
    const parts = tcp?.tcpSummary;
    expect(parts).toMatchObject({ srcPort: 54321, dstPort: 8888, flags: ["PSH", "ACK"] });
    const items = parts?.items.map(({ key, value }) => (value === "" ? key : `${key}=${value}`)).join(" ");
    expect(tcp?.summary).toBe(`54321 → 8888 [PSH, ACK] ${items}`);
    expect(items).toMatch(/^Seq=\d+ Ack=\d+ Win=\d+ Len=\d+ TSval=\d+ TSecr=\d+$/);
    expect(frames.filter((frame) => frame.protocol !== "tcp").every((frame) => frame.tcpSummary === undefined)).toBe(true);
  });

  it("does the same for a message's text fields", () => {
    const proto = eventToProto(event("data", new TextEncoder().encode("hello\n")), dissectorFor);
    const all = proto.frames.flatMap((frame) => [...fields(frame.fields)]);
    expect(all.map((f) => [f.id, f.label, f.display, f.format, f.args])).toEqual([
      ["text.line", "", "", "quoted", { text: "hello\\n", cut: "false" }],
      ["text.line.content", "", "", "quoted", { text: "hello", cut: "false" }],
      ["text.line.terminator", "", "", "plain", { text: "LF" }],
    ]);
  });
});

describe("briefOf", () => {
  it("gives a segment's TCP summary line, its parts, its findings and its headers, without a tree", () => {
    const packet = loadPacketFixtures().find((fx) => fx.name === "tcp-lo-conversation")!.packets[3]!;
    const whole = eventToProto(event("segment", packet), dissectorFor);
    const brief = briefOf(event("segment", packet), dissectorFor);
    const tcp = whole.frames.find((frame) => frame.protocol === "tcp")!;
    expect(brief).toMatchObject({ kind: EventKind.SEGMENT, summary: tcp.summary, moreFrames: 0, length: packet.length, linkType: 1, payloadLength: 6 });
    expect(brief.tcpSummary).toEqual(tcp.tcpSummary);
    expect(brief.findings.map((f) => f.code)).toEqual(whole.frames.flatMap((frame) => frame.findings.map((f) => f.code)));
    expect([...brief.data]).toEqual([...packet.subarray(0, SEGMENT_HEAD_BYTES)]);
  });

  it("gives a message's summary and findings by code, form and args, and its bytes only for a lab client", () => {
    const hello = new TextEncoder().encode("hello\n");
    const brief = briefOf(event("data", hello), dissectorFor);
    expect(brief).toMatchObject({ kind: EventKind.DATA, summary: '"hello\\n"', moreFrames: 0, length: 6 });
    expect(brief.findings).toEqual([
      { code: "text.encoding", severity: Severity.CHAT, form: "ascii", args: [["bytes", "6"], ["chars", "6"]], message: "" },
    ]);
    // The conversation above is a lab client's: the lessons' panels read its bytes.
    expect(new TextDecoder().decode(brief.data)).toBe("hello\n");
    const external = briefOf({ ...event("data", hello), conversation: { ...conversation, origin: "external" } }, dissectorFor);
    expect(external.data).toHaveLength(0);
    expect(external.length).toBe(6);
  });
});
