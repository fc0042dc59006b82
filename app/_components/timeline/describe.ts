// Words for the timeline's events, shared by the ladder rows, their accessible names and the details
// panel, so an arrow reads the same wherever it is described. Every string comes from the dictionary.

import type { useT } from "@/app/_i18n/client";
import { Direction, EventKind, Severity, type Conversation, type Event } from "@/gen/lab/v1/timeline_pb";
import { formatEndpoint, splitDuration, type EventFinding } from "./model";

export type TimelineT = ReturnType<typeof useT<"timeline">>;

export function directionName(t: TimelineT, direction: Direction): string | null {
  if (direction === Direction.CLIENT_TO_SERVER) return t("clientToServer");
  if (direction === Direction.SERVER_TO_CLIENT) return t("serverToClient");
  return null;
}

/** What a lifecycle mark says on the ladder; null for data events (their label is the frame summary). */
export function markLabel(t: TimelineT, event: Event): string | null {
  switch (event.kind) {
    case EventKind.OPEN:
      return t("markOpen");
    case EventKind.HALF_CLOSE:
      return event.direction === Direction.SERVER_TO_CLIENT ? t("markHalfCloseServer") : t("markHalfCloseClient");
    case EventKind.CLOSE:
      return t("markClose");
    case EventKind.ERROR:
      return event.errorCode !== "" ? t("markErrorCode", { code: event.errorCode }) : t("markError");
    default:
      return null;
  }
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
 * The accessible name of an arrow row, e.g. "Server to client, ECHO: hello, 11 bytes, 12.345 ms".
 * It carries everything the drawing shows, since the drawing itself is hidden from screen readers.
 */
export function rowName(
  t: TimelineT,
  parts: {
    event: Event;
    label: { text: string; more: number };
    time: string;
    findings: readonly EventFinding[];
    gap: string | null;
    conversation: string | null;
  },
): string {
  const { event, label, findings } = parts;
  const words: string[] = [];
  const direction = directionName(t, event.direction);
  if (direction) words.push(direction);
  const mark = markLabel(t, event);
  if (mark) words.push(mark);
  else {
    if (label.text !== "") words.push(label.text);
    if (label.more > 0) words.push(t("moreFrames", { n: label.more }));
    words.push(t("byteCount", { n: event.data.length }));
  }
  words.push(t("atMs", { ms: parts.time }));
  for (const finding of findings) {
    words.push(t("findingName", { severity: severityName(t, finding.severity), code: finding.code }));
  }
  if (parts.conversation) words.push(parts.conversation);
  if (parts.gap) words.push(t("afterGap", { duration: parts.gap }));
  return words.join(", ");
}
