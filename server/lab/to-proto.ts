// From the capture bus's records to the shared timeline model (proto/lab/v1/timeline.proto): an event whole
// (GetEvent, with its bytes and field trees), or as the ladder draws it (EventBrief, in the compact batches of
// Watch and GetEarlierEvents).

import { create } from "@bufbuild/protobuf";
import {
  ConversationSchema,
  Direction,
  EventKind,
  EventSchema,
  HttpPart,
  Origin,
  Severity,
  Transport,
  type Conversation,
  type Event,
  type Field,
  type Frame,
  type Http2Summary,
  type HttpSummary,
  type TcpSummary,
} from "@/gen/lab/v1/timeline_pb";
import { eventPduFrames, pduBytes, type CapturedEvent, type ConversationInfo, type EventPdu } from "../capture/events";
import { catalogued, cataloguedFinding } from "../dissect/catalogue";
import { argsOf } from "../dissect/core/formats";
import { dissectSafely, needsStreamSession, rebuildPdu } from "../dissect/core/stream";
import { dissectPacket } from "../dissect/packet";
import { isHttp1Frame, type Http1Parts } from "../dissect/http1";
import { isHttp2Frame, type Http2Parts } from "../dissect/http2/frame";
import { isTcpFrame, tcpFlagNames, tcpSummaryItems, type TcpSummaryParts } from "../dissect/tcp";
import type { TcpAnalyzer } from "../dissect/tcp-analysis";
import type { DissectedFrame, Dissector, FieldNode, Severity as DissectSeverity } from "../dissect/core/types";
import { createProtoWriter, WIRE, type ProtoWriter } from "./proto-writer";

const KIND = {
  open: EventKind.OPEN,
  data: EventKind.DATA,
  "half-close": EventKind.HALF_CLOSE,
  close: EventKind.CLOSE,
  error: EventKind.ERROR,
  segment: EventKind.SEGMENT,
  lost: EventKind.LOST,
  timeout: EventKind.TIMEOUT,
  "connect-failed": EventKind.CONNECT_FAILED,
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
    processCommand: info.process?.command ?? "",
    processId: info.process?.pid ?? 0,
    otherMachine: info.otherMachine ?? false,
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
    http: isHttp1Frame(frame) ? httpSummaryToProto(frame.http1, frame.length) : undefined,
    http2: isHttp2Frame(frame) ? http2SummaryToProto(frame.http2) : undefined,
  };
}

function http2SummaryToProto(parts: Http2Parts): Http2Summary {
  return { $typeName: "lab.v1.Http2Summary", stream: parts.stream, type: parts.type, flags: parts.flags, path: parts.path ?? "" };
}

const HTTP_PART = { request: HttpPart.REQUEST, response: HttpPart.RESPONSE, body: HttpPart.BODY } as const;

function httpSummaryToProto(parts: Http1Parts, length: number): HttpSummary {
  return { $typeName: "lab.v1.HttpSummary", part: HTTP_PART[parts.kind], method: parts.method, target: parts.target, status: parts.status, reason: parts.reason, length };
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
      const bytes = pduBytes(event, pdu);
      // Without trees, the frames as the stream session cut them (its own finding included) are all there is to show.
      const frames = tree
        ? withSessionFinding(rebuildPdu(dissectorFor(pdu.protocol), { direction: pdu.direction, bytes, memo: pdu.memo }), pdu)
        : eventPduFrames(event, pdu, dissectorFor);
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
  // A lost datagram is dissected as the data it would have been.
  if ((event.kind !== "data" && event.kind !== "lost") || needsStreamSession(dissector)) return [];
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
    ...(event.peerMs === undefined ? {} : { peerMonoNs: BigInt(Math.round(event.peerMs * 1e6)) }),
  });
}

// ---------------------------------------------------------------------------------------------
// Briefs: what the ladder draws of an event, and the compact batches that carry them
//
// A brief is made once per event (the timeline reader caches it host-wide by seq) and holds, already encoded, the
// EventBrief fields that every reader sends alike. A batch writer adds what is its stream's own (the differences
// of seq and time, the indices of the conversation and of the findings' strings in its tables) and copies the
// rest: ten pages watching an event cost one dissection and ten copies of some fifty bytes, not ten messages
// built and walked by reflection.

/** A segment's first bytes travel with its brief: every header a lesson reads (link 20 + IPv6 40 + TCP 60). */
export const SEGMENT_HEAD_BYTES = 128;

/** Field numbers of proto/lab/v1/timeline.proto's messages that the batches carry. */
const BATCH_FIELD = { resetTables: 1, conversations: 2, strings: 3, firstSeq: 4, firstMonoNs: 5, events: 6, firstNumber: 7 } as const;
const BRIEF_FIELD = {
  seqSkip: 1,
  conversation: 2,
  kind: 3,
  direction: 4,
  monoDeltaNs: 5,
  length: 6,
  summary: 7,
  moreFrames: 8,
  findings: 9,
  streamOffset: 10,
  data: 11,
  tcpSummary: 12,
  payloadLength: 13,
  linkType: 14,
  errorCode: 15,
  errorMessage: 16,
  http: 17,
  numberSkip: 18,
  http2: 19,
  peerDeltaNs: 20,
} as const;
const HTTP_SUMMARY_FIELD = { part: 1, method: 2, target: 3, status: 4, reason: 5, length: 6 } as const;
const HTTP2_SUMMARY_FIELD = { stream: 1, type: 2, flags: 3, path: 4 } as const;
const FINDING_FIELD = { code: 1, severity: 2, form: 3, argNames: 4, argValues: 5, message: 6 } as const;
const CONVERSATION_FIELD = {
  id: 1,
  transport: 2,
  client: 3,
  server: 4,
  service: 5,
  origin: 6,
  protocol: 7,
  processCommand: 8,
  processId: 9,
  otherMachine: 10,
} as const;
const ENDPOINT_FIELD = { ip: 1, port: 2 } as const;
const TCP_SUMMARY_FIELD = { srcPort: 1, dstPort: 2, flags: 3, items: 4 } as const;
const SUMMARY_ITEM_FIELD = { key: 1, value: 2 } as const;

/** A finding as a brief carries it: what goes into its stream's string table, and the rest encoded. */
export interface BriefFinding {
  readonly code: string;
  readonly severity: Severity;
  /** "" when its code has one wording. */
  readonly form: string;
  readonly argNames: readonly string[];
  /**
   * Where its FindingBrief's arg_values and message (English, only for a code the tables do not declare) lie
   * encoded in its brief's `encoded` (past the brief's own fields): offsets rather than views, which cost more.
   */
  readonly from: number;
  readonly to: number;
}

/**
 * An event as the ladder draws it, the same for every reader (so it is made once and cached by seq). `encoded`
 * holds EventBrief's fields in field order except those a batch writer adds: kind and direction, then (from
 * `afterMono`) length, summary and more_frames, then (from `afterFindings` to `end`) stream_offset to
 * error_message; then its findings' values.
 */
export interface Brief {
  readonly seq: number;
  readonly conversation: ConversationInfo;
  readonly monoNs: number;
  /** A timed lab client's end of the message, less monoNs (EventBrief.peer_delta_ns); undefined when not known. */
  readonly peerDeltaNs: number | undefined;
  readonly findings: readonly BriefFinding[];
  readonly encoded: Uint8Array;
  readonly afterMono: number;
  readonly afterFindings: number;
  readonly end: number;
  /** What the brief costs in a batch and in the cache, roughly bytes. */
  readonly weight: number;
}

/**
 * The frames a brief reads (summaries, findings, a TCP frame's summary parts), without trees and without the
 * copies framesOf makes to place frames in their event: a brief needs no offsets.
 */
function briefFrames(event: CapturedEvent, dissectorFor: (protocol: string) => Dissector): readonly DissectedFrame[] {
  const pdus = event.pdus;
  if (pdus) {
    // The frames as the stream session cut them (its own finding included): what framesOf gives without trees.
    // Deferred ones are made here, once: the brief is cached.
    if (pdus.length === 1) return eventPduFrames(event, pdus[0]!, dissectorFor);
    return pdus.flatMap((pdu) => eventPduFrames(event, pdu, dissectorFor));
  }
  if (event.kind === "segment" && event.segment) {
    const { analysis, linkType, checksumsMayBeOffloaded } = event.segment;
    const replay: TcpAnalyzer | undefined = analysis && { analyze: () => analysis, size: 0 };
    return dissectPacket(linkType, event.data, { analyzer: replay, checksumsMayBeOffloaded, tree: false }).frames;
  }
  const dissector = dissectorFor(event.conversation.protocol);
  // A lost datagram is dissected as the data it would have been.
  if ((event.kind !== "data" && event.kind !== "lost") || needsStreamSession(dissector)) return [];
  return dissectSafely(dissector, event.data, { direction: event.direction, tree: false });
}

/** Whether the page words this finding from its tables (then its English stays home), memoised by code and form. */
const declared = new Map<string, Map<string, boolean>>();
function isDeclared(code: string, form: string): boolean {
  let forms = declared.get(code);
  if (!forms) declared.set(code, (forms = new Map()));
  let known = forms.get(form);
  if (known === undefined) {
    known = cataloguedFinding(code, form) !== undefined;
    // Codes are declared in tables; a dissector that makes up forms cannot grow this past a few per code.
    if (forms.size < 64) forms.set(form, known);
  }
  return known;
}

function writeTcpSummary(w: ProtoWriter, parts: TcpSummaryParts): void {
  w.uint(TCP_SUMMARY_FIELD.srcPort, parts.srcPort);
  w.uint(TCP_SUMMARY_FIELD.dstPort, parts.dstPort);
  for (const flag of tcpFlagNames(parts.flags)) w.string(TCP_SUMMARY_FIELD.flags, flag, true);
  for (const { key, value } of tcpSummaryItems(parts)) {
    const item = w.begin(TCP_SUMMARY_FIELD.items);
    w.string(SUMMARY_ITEM_FIELD.key, key);
    w.string(SUMMARY_ITEM_FIELD.value, value);
    w.end(item);
  }
}

/** Briefs are encoded here and copied out: one buffer for the host, as dissection is synchronous. */
const briefScratch = createProtoWriter(4096);

/**
 * Briefs' bytes are cut from shared chunks instead of each having an ArrayBuffer of its own: allocating, tracking
 * and sweeping one backing store per event cost the host more than the copy. A chunk lives while a brief cut from
 * it does; the cache lets briefs go oldest first, so chunks go in turn.
 */
const CHUNK_BYTES = 64 * 1024;
let chunk = new Uint8Array(CHUNK_BYTES);
let chunkUsed = 0;

function kept(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  // A big brief (a lab client's long message) gets its own buffer rather than pinning most of a chunk.
  if (n > CHUNK_BYTES / 16) return bytes.slice();
  if (chunkUsed + n > CHUNK_BYTES) {
    chunk = new Uint8Array(CHUNK_BYTES);
    chunkUsed = 0;
  }
  const out = chunk.subarray(chunkUsed, chunkUsed + n);
  out.set(bytes);
  chunkUsed += n;
  return out;
}

/**
 * Findings of one code name the same arguments event after event: one list each is kept, not one per brief. Found
 * by the code and compared name by name, which costs less than joining the names into a key and hashing it.
 */
const argNameLists = new Map<string, readonly string[]>();
function sharedNames(code: string, names: string[]): readonly string[] {
  if (names.length === 0) return NO_NAMES;
  const known = argNameLists.get(code);
  if (known && known.length === names.length && known.every((name, i) => name === names[i])) return known;
  // Dissectors name their arguments in tables; should one make codes up, the lists stop being shared past a bound.
  // A code whose forms name other arguments keeps the latest list.
  if (argNameLists.size < 4096 || known) argNameLists.set(code, names);
  return names;
}
const NO_NAMES: readonly string[] = [];

export function briefOf(event: CapturedEvent, dissectorFor: (protocol: string) => Dissector): Brief {
  const frames = briefFrames(event, dissectorFor);
  const segment = event.kind === "segment";
  // A segment's label is its TCP frame's summary, else its innermost header's (the page's segmentSummary did so).
  const tcp = segment ? frames.find((frame) => frame.protocol === "tcp") : undefined;
  const labelled = segment ? (tcp ?? frames.filter((frame) => frame.protocol !== "data").at(-1)) : frames[0];
  // The lessons' panels show what the lab's own clients sent and received; every other message's bytes come on
  // demand. A segment brings its headers, which the TCP lesson reads.
  const data = segment
    ? event.data.subarray(0, SEGMENT_HEAD_BYTES)
    : (event.kind === "data" || event.kind === "lost") && event.conversation.origin === "lab-client"
      ? event.data
      : NO_BYTES;

  const w = briefScratch;
  w.reset();
  w.uint(BRIEF_FIELD.kind, KIND[event.kind]);
  w.uint(BRIEF_FIELD.direction, event.direction === "c2s" ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT);
  const afterMono = w.length;
  w.uint(BRIEF_FIELD.length, event.data.byteLength);
  w.string(BRIEF_FIELD.summary, labelled?.summary ?? "");
  w.uint(BRIEF_FIELD.moreFrames, segment ? 0 : Math.max(0, frames.length - 1));
  const afterFindings = w.length;
  w.sint(BRIEF_FIELD.streamOffset, event.streamOffset);
  w.bytes(BRIEF_FIELD.data, data);
  if (tcp && isTcpFrame(tcp)) {
    const parts = w.begin(BRIEF_FIELD.tcpSummary);
    writeTcpSummary(w, tcp.tcp);
    w.end(parts);
  }
  w.uint(BRIEF_FIELD.payloadLength, event.segment?.payloadLength ?? 0);
  w.uint(BRIEF_FIELD.linkType, event.segment?.linkType ?? 0);
  w.string(BRIEF_FIELD.errorCode, event.errorCode);
  w.string(BRIEF_FIELD.errorMessage, event.errorMessage);
  for (const frame of frames) {
    if (!isHttp1Frame(frame)) continue;
    const http = w.begin(BRIEF_FIELD.http);
    w.uint(HTTP_SUMMARY_FIELD.part, HTTP_PART[frame.http1.kind]);
    w.string(HTTP_SUMMARY_FIELD.method, frame.http1.method);
    w.string(HTTP_SUMMARY_FIELD.target, frame.http1.target);
    w.uint(HTTP_SUMMARY_FIELD.status, frame.http1.status);
    w.string(HTTP_SUMMARY_FIELD.reason, frame.http1.reason);
    w.uint(HTTP_SUMMARY_FIELD.length, frame.length);
    w.end(http);
  }
  for (const frame of frames) {
    if (!isHttp2Frame(frame)) continue;
    const http2 = w.begin(BRIEF_FIELD.http2);
    w.uint(HTTP2_SUMMARY_FIELD.stream, frame.http2.stream);
    w.uint(HTTP2_SUMMARY_FIELD.type, frame.http2.type);
    w.uint(HTTP2_SUMMARY_FIELD.flags, frame.http2.flags);
    w.string(HTTP2_SUMMARY_FIELD.path, frame.http2.path ?? "");
    w.end(http2);
  }
  const fixedEnd = w.length;

  // Each finding's values follow in the same buffer, so that one copy holds the brief's bytes.
  const findings: BriefFinding[] = [];
  for (const frame of frames) {
    for (const f of frame.findings) {
      const from = w.length;
      const argNames: string[] = [];
      const args = f.args;
      if (args) {
        for (const name of Object.keys(args)) {
          argNames.push(name);
          w.string(FINDING_FIELD.argValues, String(args[name]), true);
        }
      }
      const form = f.form ?? "";
      w.string(FINDING_FIELD.message, isDeclared(f.code, form) ? "" : f.message);
      findings.push({ code: f.code, severity: SEVERITY[f.severity], form, argNames: sharedNames(f.code, argNames), from, to: w.length });
    }
  }
  const encoded = kept(w.written());
  return {
    seq: event.seq,
    conversation: event.conversation,
    monoNs: Math.round(event.monoMs * 1e6),
    peerDeltaNs: event.peerMs === undefined ? undefined : Math.round(event.peerMs * 1e6) - Math.round(event.monoMs * 1e6),
    findings,
    encoded,
    afterMono,
    afterFindings,
    end: fixedEnd,
    weight: 64 + encoded.length + 64 * findings.length,
  };
}

/**
 * Writes briefs into batches for one reader: a Watch stream (tables shared by all its batches) or one answer
 * (a writer of its own). Conversations and strings go into the tables the first time a batch needs them; past
 * `maxTableEntries` the tables start over, so a stream that lives through many conversations holds a bounded map.
 */
export interface BatchWriter {
  /**
   * The EventBatch of these briefs (oldest first), encoded; `numberOf` gives each event's number in the reader's
   * timeline (Ring.number), none when it has no numbers to give.
   */
  write(briefs: readonly Brief[], numberOf?: (seq: number) => number): EncodedBatch;
  /**
   * A batch of no events that sends again those of `updated` this reader's table holds with an older process (one
   * peer-process.ts told after the conversation's events went out); null when the table holds none of them.
   */
  update(updated: readonly ConversationInfo[]): EncodedBatch | null;
}

export interface EncodedBatch {
  /** The EventBatch message's bytes. */
  readonly bytes: Uint8Array;
  /** The same after their length: a length-delimited field's value, as a message that holds the batch carries it. */
  readonly delimited: Uint8Array;
  readonly events: number;
}

function writeConversation(w: ProtoWriter, info: ConversationInfo): void {
  w.string(CONVERSATION_FIELD.id, info.id);
  w.uint(CONVERSATION_FIELD.transport, TRANSPORT[info.transport]);
  for (const [field, endpoint] of [
    [CONVERSATION_FIELD.client, info.client],
    [CONVERSATION_FIELD.server, info.server],
  ] as const) {
    const mark = w.begin(field);
    w.string(ENDPOINT_FIELD.ip, endpoint.ip);
    w.uint(ENDPOINT_FIELD.port, endpoint.port);
    w.end(mark);
  }
  w.string(CONVERSATION_FIELD.service, info.service);
  w.uint(CONVERSATION_FIELD.origin, info.origin === "lab-client" ? Origin.LAB_CLIENT : Origin.EXTERNAL);
  w.string(CONVERSATION_FIELD.protocol, info.protocol);
  if (info.process) {
    w.string(CONVERSATION_FIELD.processCommand, info.process.command);
    w.uint(CONVERSATION_FIELD.processId, info.process.pid);
  }
  if (info.otherMachine) w.bool(CONVERSATION_FIELD.otherMachine, true);
}

/** Batches are encoded here and copied out (writing is synchronous, so every stream can share it). */
const batchScratch = createProtoWriter(64 * 1024);

export function createBatchWriter({ maxTableEntries = 4096 }: { readonly maxTableEntries?: number } = {}): BatchWriter {
  // A conversation's table index and the process it was sent with: one told later (peer-process.ts) is sent again,
  // under the next index, and the reader's table takes the newer entry.
  let conversations = new Map<string, { index: number; process: ConversationInfo["process"] }>();
  let conversationEntries = 0;
  let strings = new Map<string, number>();
  // The first pass's table indices, in the order the second pass writes them: reused, so a batch allocates little.
  const indices: number[] = [];
  return {
    write(briefs, numberOf) {
      const w = batchScratch;
      w.reset();
      if (conversationEntries + strings.size + 2 * briefs.length > maxTableEntries && (conversationEntries > 0 || strings.size > 0)) {
        conversations = new Map();
        conversationEntries = 0;
        strings = new Map();
        w.bool(BATCH_FIELD.resetTables, true);
      }
      // Table entries come before the events in field order, so a first pass finds what the tables lack.
      const newConversations: ConversationInfo[] = [];
      const newStrings: string[] = [];
      const stringIndex = (text: string): number => {
        if (text === "") return 0;
        let index = strings.get(text);
        if (index === undefined) {
          index = strings.size + 1;
          strings.set(text, index);
          newStrings.push(text);
        }
        return index;
      };
      indices.length = 0;
      for (const brief of briefs) {
        let conversation = conversations.get(brief.conversation.id);
        if (conversation === undefined || conversation.process !== brief.conversation.process) {
          conversation = { index: conversationEntries++, process: brief.conversation.process };
          conversations.set(brief.conversation.id, conversation);
          newConversations.push(brief.conversation);
        }
        indices.push(conversation.index);
        for (const f of brief.findings) {
          indices.push(stringIndex(f.code), stringIndex(f.form));
          for (const name of f.argNames) indices.push(stringIndex(name));
        }
      }
      for (const info of newConversations) {
        const mark = w.begin(BATCH_FIELD.conversations);
        writeConversation(w, info);
        w.end(mark);
      }
      for (const text of newStrings) w.string(BATCH_FIELD.strings, text, true);
      const first = briefs[0];
      if (first) {
        w.uint(BATCH_FIELD.firstSeq, first.seq);
        w.int64(BATCH_FIELD.firstMonoNs, first.monoNs);
      }
      // Numbers run on by one from event to event, except where the reader's ring dropped some in between.
      let previousNumber = first && numberOf ? numberOf(first.seq) - 1 : 0;
      if (first && numberOf) w.uint(BATCH_FIELD.firstNumber, previousNumber + 1);
      let previousSeq = (first?.seq ?? 0) - 1;
      let previousMono = first?.monoNs ?? 0;
      let at = 0;
      for (const brief of briefs) {
        const event = w.begin(BATCH_FIELD.events);
        w.uint(BRIEF_FIELD.seqSkip, brief.seq - previousSeq - 1);
        w.uint(BRIEF_FIELD.conversation, indices[at++]!);
        w.raw(brief.encoded, 0, brief.afterMono);
        w.sint(BRIEF_FIELD.monoDeltaNs, brief.monoNs - previousMono);
        w.raw(brief.encoded, brief.afterMono, brief.afterFindings);
        for (const f of brief.findings) {
          const finding = w.begin(BRIEF_FIELD.findings);
          w.uint(FINDING_FIELD.code, indices[at++]!);
          w.uint(FINDING_FIELD.severity, f.severity);
          w.uint(FINDING_FIELD.form, indices[at++]!);
          if (f.argNames.length > 0) {
            const names = w.begin(FINDING_FIELD.argNames);
            for (let i = 0; i < f.argNames.length; i++) w.varint(indices[at++]!);
            w.end(names);
          }
          w.raw(brief.encoded, f.from, f.to);
          w.end(finding);
        }
        w.raw(brief.encoded, brief.afterFindings, brief.end);
        if (numberOf) {
          const number = numberOf(brief.seq);
          w.uint(BRIEF_FIELD.numberSkip, number - previousNumber - 1);
          previousNumber = number;
        }
        if (brief.peerDeltaNs !== undefined) {
          // Optional: written when present, even as 0 (sint leaves zeros out).
          w.tag(BRIEF_FIELD.peerDeltaNs, WIRE.varint);
          w.varint(brief.peerDeltaNs >= 0 ? brief.peerDeltaNs * 2 : -brief.peerDeltaNs * 2 - 1);
        }
        w.end(event);
        previousSeq = brief.seq;
        previousMono = brief.monoNs;
      }
      const delimited = w.delimited();
      return { bytes: delimited.subarray(delimited.length - w.length), delimited, events: briefs.length };
    },

    update(updated) {
      const w = batchScratch;
      w.reset();
      for (const info of updated) {
        const sent = conversations.get(info.id);
        if (sent === undefined || sent.process === info.process) continue;
        conversations.set(info.id, { index: conversationEntries++, process: info.process });
        const mark = w.begin(BATCH_FIELD.conversations);
        writeConversation(w, info);
        w.end(mark);
      }
      if (w.length === 0) return null;
      const delimited = w.delimited();
      return { bytes: delimited.subarray(delimited.length - w.length), delimited, events: 0 };
    },
  };
}
