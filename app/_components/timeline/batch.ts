// The timeline's events as the page holds them: what the ladder and the lessons read of each event, read
// from the compact batches of LabService.Watch and GetEarlierEvents (proto/lab/v1/timeline.proto EventBatch).
// An event's bytes and field trees are not here: GetEvent brings them when the student selects it.

import {
  EventKind,
  type Conversation,
  type Direction,
  type Event,
  type EventBatch,
  type Http2Summary,
  type HttpSummary,
  type Severity,
  type TcpSummary,
} from "@/gen/lab/v1/timeline_pb";

/** A finding as the ladder shows it and the page words it (app/_i18n/findings.ts) from its code, form and args. */
export interface BriefFinding {
  readonly code: string;
  readonly severity: Severity;
  /** Which wording of the code ("" when it has one). */
  readonly form: string;
  readonly args: Readonly<Record<string, string>>;
  /** English, for a code the page's tables do not declare; empty otherwise. */
  readonly message: string;
}

/** One event of the session's timeline (the fields mean what lab.v1.Event's do). */
export interface TimelineEvent {
  /** The host's count: what links, requests and cursors use. */
  readonly seq: bigint;
  /**
   * Its place in the session's timeline, from 1: what the page calls it ("Event 3"). Absent from an event the host
   * did not number (a test's).
   */
  readonly number?: bigint;
  readonly conversationId: string;
  readonly kind: EventKind;
  readonly direction: Direction;
  readonly monoNs: bigint;
  /**
   * A message of a lab client that times its own socket: the client's end of it on the same clock (its write of the
   * first byte before a server's read, its read of the last byte after a server's write). Absent when the lab knows
   * one end only (an outside program's message).
   */
  readonly peerNs?: bigint;
  /** Bytes the event carried: a message's, a segment's whole packet (headers included). */
  readonly length: number;
  /**
   * A lab client's message: its bytes. A segment: its packet's first bytes, up to 128 (its headers). Empty for
   * any other event: its bytes come with GetEvent.
   */
  readonly data: Uint8Array;
  /** The arrow's label (a segment's TCP summary); empty when the event has no frames. */
  readonly summary: string;
  /** Frames after the first. */
  readonly moreFrames: number;
  readonly findings: readonly BriefFinding[];
  readonly tcpSummary: TcpSummary | undefined;
  /** Where the bytes sit in their direction's stream; -1 when unknown. */
  readonly streamOffset: bigint;
  readonly payloadLength: number;
  readonly linkType: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Its HTTP/1.x frames' parts, one per frame that is a request, a response or a body's continuation. */
  readonly http: readonly HttpSummary[];
  /** Its HTTP/2 frames' parts (stream, type, flags, a request's :path), one per HTTP/2 frame; absent or empty for others. */
  readonly http2?: readonly Http2Summary[];
}

export interface BatchReader {
  /** The batch's conversations (new to this reader's table) and its events, oldest first. */
  read(batch: EventBatch): { conversations: Conversation[]; events: TimelineEvent[] };
}

const NO_ARGS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Reads batches with one pair of tables: one reader per Watch stream (its batches share tables), a new one for
 * each GetEarlierEvents answer. Never throws: an index the tables do not hold reads as an empty string, or as an
 * event of no known conversation (which the ladder does not draw).
 */
export function createBatchReader(): BatchReader {
  let conversations: string[] = [];
  let strings: string[] = [""];
  const text = (index: number) => strings[index] ?? "";
  return {
    read(batch) {
      if (batch.resetTables) {
        conversations = [];
        strings = [""];
      }
      for (const conversation of batch.conversations) conversations.push(conversation.id);
      for (const value of batch.strings) strings.push(value);
      const events: TimelineEvent[] = [];
      let seq = batch.firstSeq - 1n;
      let monoNs = batch.firstMonoNs;
      let number = batch.firstNumber - 1n;
      for (const brief of batch.events) {
        seq += brief.seqSkip + 1n;
        number += brief.numberSkip + 1n;
        monoNs += brief.monoDeltaNs;
        let args = NO_ARGS;
        events.push({
          seq,
          ...(batch.firstNumber > 0n ? { number } : {}),
          conversationId: conversations[brief.conversation] ?? "",
          kind: brief.kind,
          direction: brief.direction,
          monoNs,
          ...(brief.peerDeltaNs !== undefined && { peerNs: monoNs + brief.peerDeltaNs }),
          length: brief.length,
          data: brief.data,
          summary: brief.summary,
          moreFrames: brief.moreFrames,
          findings: brief.findings.map((finding) => {
            if (finding.argNames.length > 0) {
              const named: Record<string, string> = {};
              finding.argNames.forEach((name, i) => (named[text(name)] = finding.argValues[i] ?? ""));
              args = named;
            } else args = NO_ARGS;
            return { code: text(finding.code), severity: finding.severity, form: text(finding.form), args, message: finding.message };
          }),
          tcpSummary: brief.tcpSummary,
          streamOffset: brief.streamOffset,
          payloadLength: brief.payloadLength,
          linkType: brief.linkType,
          errorCode: brief.errorCode,
          errorMessage: brief.errorMessage,
          http: brief.http,
          ...(brief.http2.length > 0 && { http2: brief.http2 }),
        });
      }
      return { conversations: [...batch.conversations], events };
    },
  };
}

/**
 * A whole event (GetEvent's, or one a test makes) as the page holds it, labelled as the host labels its briefs
 * (server/lab/to-proto.ts briefOf): the first frame's summary, or a segment's TCP frame's; every frame's
 * findings; all of its bytes.
 */
export function timelineEventOf(event: Event): TimelineEvent {
  const segment = event.kind === EventKind.SEGMENT;
  const tcp = segment ? event.frames.find((frame) => frame.protocol === "tcp") : undefined;
  const labelled = segment ? (tcp ?? event.frames.filter((frame) => frame.protocol !== "data").at(-1)) : event.frames[0];
  return {
    seq: event.seq,
    ...(event.number > 0n ? { number: event.number } : {}),
    conversationId: event.conversationId,
    kind: event.kind,
    direction: event.direction,
    monoNs: event.monoNs,
    ...(event.peerMonoNs !== undefined && { peerNs: event.peerMonoNs }),
    length: event.data.length,
    data: event.data,
    summary: labelled?.summary ?? "",
    moreFrames: segment ? 0 : Math.max(0, event.frames.length - 1),
    findings: event.frames.flatMap((frame) =>
      frame.findings.map((f) => ({ code: f.code, severity: f.severity, form: f.form, args: f.args, message: f.message })),
    ),
    tcpSummary: tcp?.tcpSummary,
    streamOffset: event.streamOffset,
    payloadLength: event.payloadLength,
    linkType: event.linkType,
    errorCode: event.errorCode,
    errorMessage: event.errorMessage,
    http: segment ? [] : event.frames.flatMap((frame) => (frame.http ? [frame.http] : [])),
    ...(!segment && event.frames.some((frame) => frame.http2) && { http2: event.frames.flatMap((frame) => (frame.http2 ? [frame.http2] : [])) }),
  };
}
