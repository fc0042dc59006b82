// From the capture bus's records to the shared timeline model (proto/lab/v1/timeline.proto).

import { create } from "@bufbuild/protobuf";
import {
  ConversationSchema,
  Direction,
  EventKind,
  EventSchema,
  Origin,
  Severity,
  Transport,
  type Conversation,
  type Event,
  type Field,
  type Frame,
  type TcpSummary,
} from "@/gen/lab/v1/timeline_pb";
import type { CapturedEvent, ConversationInfo } from "../capture/events";
import { catalogued, cataloguedFinding } from "../dissect/catalogue";
import { argsOf } from "../dissect/core/formats";
import { dissectSafely, needsStreamSession, rebuildPdu } from "../dissect/core/stream";
import { dissectPacket } from "../dissect/packet";
import { isTcpFrame, tcpFlagNames, tcpSummaryItems, type TcpSummaryParts } from "../dissect/tcp";
import type { TcpAnalyzer } from "../dissect/tcp-analysis";
import type { DissectedFrame, Dissector, FieldNode, Severity as DissectSeverity } from "../dissect/core/types";

const KIND = {
  open: EventKind.OPEN,
  data: EventKind.DATA,
  "half-close": EventKind.HALF_CLOSE,
  close: EventKind.CLOSE,
  error: EventKind.ERROR,
  segment: EventKind.SEGMENT,
} as const;

const SEVERITY: Record<DissectSeverity, Severity> = {
  chat: Severity.CHAT,
  note: Severity.NOTE,
  warn: Severity.WARN,
  error: Severity.ERROR,
};

export const TRANSPORT: Readonly<Record<ConversationInfo["transport"], Transport>> = { tcp: Transport.TCP, udp: Transport.UDP };

export function conversationToProto(info: ConversationInfo): Conversation {
  return create(ConversationSchema, {
    id: info.id,
    transport: TRANSPORT[info.transport],
    client: { ip: info.client.ip, port: info.client.port },
    server: { ip: info.server.ip, port: info.server.port },
    service: info.service,
    origin: info.origin === "lab-client" ? Origin.LAB_CLIENT : Origin.EXTERNAL,
    protocol: info.protocol,
  });
}

function fieldToProto(node: FieldNode, path: string): Field {
  // A catalogued field's label and blurb follow from its id: the page looks them up (about 60% of a
  // segment event's bytes otherwise).
  const known = catalogued(node.id);
  const implied = known !== undefined && known.label === node.label && known.blurb === node.blurb;
  return {
    $typeName: "lab.v1.Field",
    id: node.id,
    label: implied ? "" : node.label,
    // The page words the value from its format and args, in the reader's language.
    display: "",
    format: node.value.format,
    args: argsOf(node.value),
    offset: node.offset,
    length: node.length,
    bitmask: node.bitmask,
    blurb: implied ? "" : node.blurb,
    path,
    children: node.children.map((child, i) => fieldToProto(child, `${path}.${i}`)),
  };
}

function frameToProto(frame: EventFrame): Frame {
  return {
    $typeName: "lab.v1.Frame",
    streamOffset: BigInt(frame.streamOffset),
    reassembled: frame.reassembled ?? NO_BYTES,
    protocol: frame.protocol,
    summary: frame.summary,
    offset: frame.offset,
    length: frame.length,
    fields: frame.fields.map((node, i) => fieldToProto(node, String(i))),
    findings: frame.findings.map((f) => ({
      $typeName: "lab.v1.Finding",
      code: f.code,
      severity: SEVERITY[f.severity],
      // A declared finding's English follows from its code, form and args: the page renders it.
      message: cataloguedFinding(f.code, f.form) ? "" : f.message,
      offset: f.offset,
      length: f.length,
      args: f.args ? Object.fromEntries(Object.entries(f.args).map(([name, value]) => [name, String(value)])) : {},
      form: f.form ?? "",
    })),
    tcpSummary: isTcpFrame(frame) ? tcpSummaryToProto(frame.tcp) : undefined,
  };
}

function tcpSummaryToProto(parts: TcpSummaryParts): TcpSummary {
  return {
    $typeName: "lab.v1.TcpSummary",
    srcPort: parts.srcPort,
    dstPort: parts.dstPort,
    flags: [...tcpFlagNames(parts.flags)],
    items: tcpSummaryItems(parts).map(({ key, value }) => ({ $typeName: "lab.v1.SummaryItem", key, value })),
  };
}

/** A frame placed in its event: offsets in the event's data, or in `reassembled` when that is set. */
export interface EventFrame extends DissectedFrame {
  /** Where the frame starts in its direction's stream; -1 when unknown. */
  readonly streamOffset: number;
  /** The frame's bytes when they did not all arrive in this event. */
  readonly reassembled: Uint8Array | undefined;
}

const NO_BYTES = new Uint8Array(0);

/**
 * The frames of an event with their trees: rebuilt from the PDUs a stream session cut at capture time (their
 * bytes and memos), or dissected now from the event's bytes.
 */
export function framesOf(event: CapturedEvent, dissectorFor: (protocol: string) => Dissector): readonly EventFrame[] {
  const place = (frames: readonly DissectedFrame[], streamStart: number): EventFrame[] =>
    frames.map((f) => ({ ...f, streamOffset: streamStart < 0 ? -1 : streamStart + f.offset, reassembled: undefined }));
  if (event.pdus) {
    return event.pdus.flatMap((pdu) => {
      const bytes = pdu.reassembled ?? event.data.subarray(pdu.offsetInEvent, pdu.offsetInEvent + pdu.length);
      const rebuilt = rebuildPdu(dissectorFor(pdu.protocol), { direction: pdu.direction, bytes, memo: pdu.memo });
      const extra = pdu.sessionFinding;
      const frames = extra ? rebuilt.map((f, i) => (i === 0 ? { ...f, findings: [...f.findings, extra] } : f)) : rebuilt;
      if (!pdu.reassembled) return place(frames, pdu.streamOffset).map((f) => ({ ...f, offset: pdu.offsetInEvent + f.offset }));
      return frames.map((f) => ({
        ...f,
        offset: 0,
        streamOffset: pdu.streamOffset + f.offset,
        reassembled: bytes.subarray(f.offset, f.offset + f.length),
      }));
    });
  }
  if (event.kind === "segment" && event.segment) {
    const { analysis, linkType, checksumsMayBeOffloaded } = event.segment;
    // The tree is rebuilt from the packet; the analysis made at capture time stands in for the
    // connection's history, which a single packet cannot show.
    const replay: TcpAnalyzer | undefined = analysis && { analyze: () => analysis, size: 0 };
    return place(dissectPacket(linkType, event.data, { analyzer: replay, checksumsMayBeOffloaded }).frames, -1);
  }
  const dissector = dissectorFor(event.conversation.protocol);
  // A conversation a stream session follows has its frames in `pdus` only: a read that completed none has none.
  if (event.kind !== "data" || needsStreamSession(dissector)) return [];
  return place(dissectSafely(dissector, event.data, { direction: event.direction }), event.streamOffset);
}

export function eventToProto(event: CapturedEvent, dissectorFor: (protocol: string) => Dissector): Event {
  return create(EventSchema, {
    seq: BigInt(event.seq),
    conversationId: event.conversation.id,
    kind: KIND[event.kind],
    direction: event.direction === "c2s" ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT,
    monoNs: BigInt(Math.round(event.monoMs * 1e6)),
    wallMs: event.wallMs,
    data: event.data,
    frames: framesOf(event, dissectorFor).map(frameToProto),
    errorCode: event.errorCode,
    errorMessage: event.errorMessage,
    linkType: event.segment?.linkType ?? 0,
    payloadLength: event.segment?.payloadLength ?? 0,
    streamOffset: BigInt(event.streamOffset),
  });
}
