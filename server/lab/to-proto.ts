// From the capture bus's records to the shared timeline model (proto/lab/v1/timeline.proto): an event whole
// (GetEvent, with its bytes and field trees), or as the ladder draws it (EventBrief, in the compact batches of
// Watch and GetEarlierEvents).

import { create } from "@bufbuild/protobuf";
import {
  ConversationSchema,
  Direction,
  EventBatchSchema,
  EventKind,
  EventSchema,
  Origin,
  Severity,
  Transport,
  type Conversation,
  type Event,
  type EventBatch,
  type EventBrief,
  type Field,
  type Frame,
  type TcpSummary,
} from "@/gen/lab/v1/timeline_pb";
import type { CapturedEvent, ConversationInfo, EventPdu } from "../capture/events";
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

/** A rebuilt tree carries the finding its stream session added at capture time (`<proto>.too_long`). */
function withSessionFinding(frames: readonly DissectedFrame[], pdu: EventPdu): readonly DissectedFrame[] {
  const extra = pdu.sessionFinding;
  return extra ? frames.map((f, i) => (i === 0 ? { ...f, findings: [...f.findings, extra] } : f)) : frames;
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
 * bytes and memos), or dissected now from the event's bytes. With `tree: false`, the same frames without
 * fields (summaries, findings and a TCP frame's summary parts): what a brief needs, at a fraction of the cost.
 */
export function framesOf(
  event: CapturedEvent,
  dissectorFor: (protocol: string) => Dissector,
  { tree = true }: { readonly tree?: boolean } = {},
): readonly EventFrame[] {
  const place = (frames: readonly DissectedFrame[], streamStart: number): EventFrame[] =>
    frames.map((f) => ({ ...f, streamOffset: streamStart < 0 ? -1 : streamStart + f.offset, reassembled: undefined }));
  if (event.pdus) {
    return event.pdus.flatMap((pdu) => {
      const bytes = pdu.reassembled ?? event.data.subarray(pdu.offsetInEvent, pdu.offsetInEvent + pdu.length);
      // Without trees, the frames as the stream session cut them (its own finding included) are all there is to show.
      const frames = tree ? withSessionFinding(rebuildPdu(dissectorFor(pdu.protocol), { direction: pdu.direction, bytes, memo: pdu.memo }), pdu) : pdu.frames;
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
    return place(dissectPacket(linkType, event.data, { analyzer: replay, checksumsMayBeOffloaded, tree }).frames, -1);
  }
  const dissector = dissectorFor(event.conversation.protocol);
  // A conversation a stream session follows has its frames in `pdus` only: a read that completed none has none.
  if (event.kind !== "data" || needsStreamSession(dissector)) return [];
  return place(dissectSafely(dissector, event.data, { direction: event.direction, tree }), event.streamOffset);
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

// ---------------------------------------------------------------------------------------------
// Briefs: what the ladder draws of an event, and the compact batches that carry them

/** A segment's first bytes travel with its brief: every header a lesson reads (link 20 + IPv6 40 + TCP 60). */
export const SEGMENT_HEAD_BYTES = 128;

/** A finding as a brief carries it: its args as [name, value] pairs. */
export interface BriefFinding {
  readonly code: string;
  readonly severity: Severity;
  readonly form: string;
  readonly args: readonly (readonly [string, string])[];
  /** English, for a code the tables do not declare. */
  readonly message: string;
}

/**
 * An event as the ladder draws it, the same for every reader (so it is made once and cached by seq): a batch
 * writer turns it into an EventBrief with that stream's table indices and differences.
 */
export interface Brief {
  readonly seq: number;
  readonly conversation: ConversationInfo;
  readonly kind: EventKind;
  readonly direction: Direction;
  readonly monoNs: number;
  readonly length: number;
  readonly summary: string;
  readonly moreFrames: number;
  readonly findings: readonly BriefFinding[];
  readonly streamOffset: number;
  readonly data: Uint8Array;
  readonly tcpSummary: TcpSummary | undefined;
  readonly payloadLength: number;
  readonly linkType: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** What the brief costs in a batch, roughly: its bytes and strings, for a batch's size bound. */
  readonly weight: number;
}

export function briefOf(event: CapturedEvent, dissectorFor: (protocol: string) => Dissector): Brief {
  const frames = framesOf(event, dissectorFor, { tree: false });
  const segment = event.kind === "segment";
  // A segment's label is its TCP frame's summary, else its innermost header's (the page's segmentSummary did so).
  const tcp = segment ? frames.find((frame) => frame.protocol === "tcp") : undefined;
  const labelled = segment ? (tcp ?? frames.filter((frame) => frame.protocol !== "data").at(-1)) : frames[0];
  const findings: BriefFinding[] = [];
  for (const frame of frames) {
    for (const f of frame.findings) {
      findings.push({
        code: f.code,
        severity: SEVERITY[f.severity],
        form: f.form ?? "",
        args: f.args ? Object.entries(f.args).map(([name, value]) => [name, String(value)] as const) : [],
        message: cataloguedFinding(f.code, f.form) ? "" : f.message,
      });
    }
  }
  // The lessons' panels show what the lab's own clients sent and received; every other message's bytes come on
  // demand. A segment brings its headers, which the TCP lesson reads.
  const data = segment
    ? event.data.subarray(0, SEGMENT_HEAD_BYTES)
    : event.kind === "data" && event.conversation.origin === "lab-client"
      ? event.data
      : NO_BYTES;
  const summary = labelled?.summary ?? "";
  return {
    seq: event.seq,
    conversation: event.conversation,
    kind: KIND[event.kind],
    direction: event.direction === "c2s" ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT,
    monoNs: Math.round(event.monoMs * 1e6),
    length: event.data.byteLength,
    summary,
    moreFrames: segment ? 0 : Math.max(0, frames.length - 1),
    findings,
    streamOffset: event.streamOffset,
    data,
    tcpSummary: tcp && isTcpFrame(tcp) ? tcpSummaryToProto(tcp.tcp) : undefined,
    payloadLength: event.segment?.payloadLength ?? 0,
    linkType: event.segment?.linkType ?? 0,
    errorCode: event.errorCode,
    errorMessage: event.errorMessage,
    weight: 32 + data.byteLength + 3 * summary.length + 2 * (event.errorCode.length + event.errorMessage.length) + 48 * findings.length,
  };
}

/**
 * Writes briefs into batches for one reader: a Watch stream (tables shared by all its batches) or one answer
 * (a writer of its own). Conversations and strings go into the tables the first time a batch needs them; past
 * `maxTableEntries` the tables start over, so a stream that lives through many conversations holds a bounded map.
 */
export interface BatchWriter {
  write(briefs: readonly Brief[]): EventBatch;
}

export function createBatchWriter({ maxTableEntries = 4096 }: { readonly maxTableEntries?: number } = {}): BatchWriter {
  let conversations = new Map<string, number>();
  let strings = new Map<string, number>();
  return {
    write(briefs) {
      const batch = create(EventBatchSchema);
      if (conversations.size + strings.size + 2 * briefs.length > maxTableEntries && (conversations.size > 0 || strings.size > 0)) {
        conversations = new Map();
        strings = new Map();
        batch.resetTables = true;
      }
      const stringIndex = (text: string): number => {
        if (text === "") return 0;
        let index = strings.get(text);
        if (index === undefined) {
          index = strings.size + 1;
          strings.set(text, index);
          batch.strings.push(text);
        }
        return index;
      };
      const first = briefs[0];
      if (!first) return batch;
      batch.firstSeq = BigInt(first.seq);
      batch.firstMonoNs = BigInt(first.monoNs);
      let previousSeq = first.seq - 1;
      let previousMono = first.monoNs;
      for (const brief of briefs) {
        let conversation = conversations.get(brief.conversation.id);
        if (conversation === undefined) {
          conversation = conversations.size;
          conversations.set(brief.conversation.id, conversation);
          batch.conversations.push(conversationToProto(brief.conversation));
        }
        const out: EventBrief = {
          $typeName: "lab.v1.EventBrief",
          seqSkip: BigInt(brief.seq - previousSeq - 1),
          conversation,
          kind: brief.kind,
          direction: brief.direction,
          monoDeltaNs: BigInt(brief.monoNs - previousMono),
          length: brief.length,
          summary: brief.summary,
          moreFrames: brief.moreFrames,
          findings: brief.findings.map((f) => ({
            $typeName: "lab.v1.FindingBrief",
            code: stringIndex(f.code),
            severity: f.severity,
            form: stringIndex(f.form),
            argNames: f.args.map(([name]) => stringIndex(name)),
            argValues: f.args.map(([, value]) => value),
            message: f.message,
          })),
          streamOffset: BigInt(brief.streamOffset),
          data: brief.data,
          tcpSummary: brief.tcpSummary,
          payloadLength: brief.payloadLength,
          linkType: brief.linkType,
          errorCode: brief.errorCode,
          errorMessage: brief.errorMessage,
        };
        batch.events.push(out);
        previousSeq = brief.seq;
        previousMono = brief.monoNs;
      }
      return batch;
    },
  };
}
