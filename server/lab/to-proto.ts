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
} from "@/gen/lab/v1/timeline_pb";
import type { CapturedEvent, ConversationInfo } from "../capture/events";
import type { DissectedFrame, FieldNode, Severity as DissectSeverity } from "../dissect/core/types";

const KIND = {
  open: EventKind.OPEN,
  data: EventKind.DATA,
  "half-close": EventKind.HALF_CLOSE,
  close: EventKind.CLOSE,
  error: EventKind.ERROR,
} as const;

const SEVERITY: Record<DissectSeverity, Severity> = {
  chat: Severity.CHAT,
  note: Severity.NOTE,
  warn: Severity.WARN,
  error: Severity.ERROR,
};

export function conversationToProto(info: ConversationInfo): Conversation {
  return create(ConversationSchema, {
    id: info.id,
    transport: Transport.TCP,
    client: { ip: info.client.ip, port: info.client.port },
    server: { ip: info.server.ip, port: info.server.port },
    service: info.service,
    origin: info.origin === "lab-client" ? Origin.LAB_CLIENT : Origin.EXTERNAL,
    protocol: info.protocol,
  });
}

function fieldToProto(node: FieldNode, path: string): Field {
  return {
    $typeName: "lab.v1.Field",
    id: node.id,
    label: node.label,
    display: node.display,
    offset: node.offset,
    length: node.length,
    bitmask: node.bitmask,
    blurb: node.blurb,
    path,
    children: node.children.map((child, i) => fieldToProto(child, `${path}.${i}`)),
  };
}

function frameToProto(frame: DissectedFrame): Frame {
  return {
    $typeName: "lab.v1.Frame",
    protocol: frame.protocol,
    summary: frame.summary,
    offset: frame.offset,
    length: frame.length,
    fields: frame.fields.map((node, i) => fieldToProto(node, String(i))),
    findings: frame.findings.map((f) => ({
      $typeName: "lab.v1.Finding",
      code: f.code,
      severity: SEVERITY[f.severity],
      message: f.message,
      offset: f.offset,
      length: f.length,
    })),
  };
}

export function eventToProto(event: CapturedEvent): Event {
  return create(EventSchema, {
    seq: event.seq,
    conversationId: event.conversation.id,
    kind: KIND[event.kind],
    direction: event.direction === "c2s" ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT,
    monoNs: event.monoNs,
    wallMs: event.wallMs,
    data: event.data,
    frames: event.frames.map(frameToProto),
    errorCode: event.errorCode,
    errorMessage: event.errorMessage,
  });
}
