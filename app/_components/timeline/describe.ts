// Words for the timeline's events, shared by the ladder rows, their accessible names and the details
// panel, so an arrow reads the same wherever it is described. Every string comes from the dictionary.

import type { useT } from "@/app/_i18n/client";
import { Direction, EventKind, Severity, type Conversation } from "@/gen/lab/v1/timeline_pb";
import type { BriefFinding, TimelineEvent } from "./batch";
import { formatEndpoint, splitDuration, type StreamRange } from "./model";

export type TimelineT = ReturnType<typeof useT<"timeline">>;

export function directionName(t: TimelineT, direction: Direction): string | null {
  if (direction === Direction.CLIENT_TO_SERVER) return t("clientToServer");
  if (direction === Direction.SERVER_TO_CLIENT) return t("serverToClient");
  return null;
}

/**
 * What a mark says on the ladder; null for data events (their label is the frame summary). `udp`: the event's
 * conversation is a UDP flow, which has no connection to open, close or fail, but loses datagrams and times out.
 */
export function markLabel(t: TimelineT, event: Pick<TimelineEvent, "kind" | "direction" | "errorCode">, udp = false): string | null {
  switch (event.kind) {
    case EventKind.OPEN:
      return udp ? t("markOpenUdp") : t("markOpen");
    case EventKind.HALF_CLOSE:
      return event.direction === Direction.SERVER_TO_CLIENT ? t("markHalfCloseServer") : t("markHalfCloseClient");
    case EventKind.CLOSE:
      return udp ? t("markCloseUdp") : t("markClose");
    case EventKind.ERROR:
      if (udp) return t("markErrorUdp", { code: event.errorCode !== "" ? event.errorCode : "?" });
      return event.errorCode !== "" ? t("markErrorCode", { code: event.errorCode }) : t("markError");
    case EventKind.CONNECT_FAILED:
      return event.errorCode === "ECONNREFUSED" ? t("markRefused") : t("markConnectFailed", { code: event.errorCode !== "" ? event.errorCode : "?" });
    case EventKind.LOST:
      return t("markLost");
    case EventKind.TIMEOUT:
      return t("markTimeout");
    default:
      return null;
  }
}

/**
 * What the page calls an event ("Event 3"): its number in the session's timeline, which starts at 1 for the
 * session's first event; the host's seq only for an event the host did not number.
 */
export function eventNumber(event: Pick<TimelineEvent, "seq" | "number">): string {
  return (event.number ?? event.seq).toString();
}

/** A datagram's second copy, delivered by the session's impairment (a DATA event with this error code). */
export function isDuplicate(event: Pick<TimelineEvent, "kind" | "errorCode">): boolean {
  return event.kind === EventKind.DATA && event.errorCode === "EDUPLICATE";
}

export function severityName(t: TimelineT, severity: Severity): string {
  switch (severity) {
    case Severity.ERROR:
      return t("severityError");
    case Severity.WARN:
      return t("severityWarn");
    case Severity.NOTE:
      return t("severityNote");
    default:
      return t("severityChat");
  }
}

export function formatDuration(t: TimelineT, ns: bigint, locale: string): string {
  const { value, unit } = splitDuration(ns);
  const number = value.toLocaleString(locale === "ru" ? "ru-RU" : "en-US");
  if (unit === "ms") return t("durationMs", { value: number });
  if (unit === "s") return t("durationS", { value: number });
  if (unit === "min") return t("durationMin", { value: number });
  return t("durationH", { value: number });
}

export function conversationName(t: TimelineT, conversation: Conversation): string {
  return t("conversationName", {
    service: conversation.service !== "" ? conversation.service : conversation.protocol,
    client: formatEndpoint(conversation.client),
    server: formatEndpoint(conversation.server),
  });
}

/**
 * The accessible name of an arrow row, e.g. "Server to client, ECHO: hello, 11 bytes, 12.345 ms", a lost
 * datagram's "Client to server, lost datagram, d3, 2 bytes, 40.1 ms", or
 * for a segment "Client to server, TCP segment, 54321 → 8888 [SYN] Seq=0 …, 74 bytes on the wire, …"
 * (or "UDP datagram, 40000 → 8889 Len=5, 47 bytes on the wire, …").
 * It carries everything the drawing shows, since the drawing itself is hidden from screen readers;
 * a segment's name has its whole summary, however short the label on screen.
 */
export function rowName(
  t: TimelineT,
  parts: {
    event: TimelineEvent;
    label: { text: string; more: number };
    time: string;
    findings: readonly BriefFinding[];
    gap: string | null;
    conversation: string | null;
    /** Its conversation is a UDP flow (a segment is a datagram; marks read as UDP's). */
    datagram?: boolean;
    /** A finding in words, in the reader's language (app/_i18n/findings.ts findingText); its code without. */
    findingWords?: (finding: BriefFinding) => string;
  },
): string {
  const { event, label, findings } = parts;
  const words: string[] = [];
  const direction = directionName(t, event.direction);
  if (direction) words.push(direction);
  const mark = markLabel(t, event, parts.datagram);
  if (mark) {
    words.push(mark);
    // A lost datagram still says what it carried.
    if (event.kind === EventKind.LOST) {
      if (label.text !== "") words.push(label.text);
      words.push(t("byteCount", { n: event.length }));
    }
  } else if (event.kind === EventKind.SEGMENT) {
    words.push(t(parts.datagram ? "datagramWord" : "segmentWord"));
    if (label.text !== "") words.push(label.text);
    words.push(t("wireByteCount", { n: event.length }));
  } else {
    if (label.text !== "") words.push(label.text);
    if (label.more > 0) words.push(t("moreFrames", { n: label.more }));
    words.push(t("byteCount", { n: event.length }));
    if (isDuplicate(event)) words.push(t("duplicateTag"));
  }
  words.push(t("atMs", { ms: parts.time }));
  for (const finding of findings) {
    words.push(t("findingName", { severity: severityName(t, finding.severity), text: parts.findingWords?.(finding) ?? finding.code }));
  }
  if (parts.conversation) words.push(parts.conversation);
  if (parts.gap) words.push(t("afterGap", { duration: parts.gap }));
  return words.join(", ");
}

/**
 * Which part of a message a segment carried, told relative to the message: "whole message (11 bytes)",
 * "bytes 0–5 of 11", "byte 10 of 11". `part` is in stream positions (carriedBytes).
 */
export function carriedPart(t: TimelineT, message: TimelineEvent, part: StreamRange): string {
  const n = message.length;
  const from = Number(part.start - message.streamOffset);
  const to = Number(part.end - message.streamOffset) - 1;
  if (from === 0 && to === n - 1) return t("partWhole", { n });
  if (from === to) return t("partByte", { from, n });
  return t("partBytes", { from, to, n });
}
