"use client";
// The selected event, explained: its bytes and field tree for data, a plain explanation for the
// connection's lifecycle (open, half-close, close, reset/error).

import { memo, useId, type RefObject } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import { Direction, EventKind, Transport, type Conversation, type Event } from "@/gen/lab/v1/timeline_pb";
import { BytesView } from "./bytes-view";
import { conversationName, directionName, markLabel, type TimelineT } from "./describe";
import { FieldTree } from "./field-tree";
import { byteRange, deepestFieldAt, elapsedMs, formatEndpoint, formatMs, type FieldRef } from "./model";

export interface DetailsProps {
  /** The seq the URL asks for; its event may not have arrived yet. */
  readonly seq: bigint | null;
  readonly event: Event | undefined;
  /** The event asked for is older than every event held: dropped, it will not arrive. */
  readonly gone?: boolean;
  readonly conversation: Conversation | undefined;
  readonly field: FieldRef | null;
  readonly baseNs: bigint;
  readonly headingRef: RefObject<HTMLHeadingElement | null>;
  readonly onSelectField: (ref: FieldRef | null) => void;
  readonly className?: string;
}

// Memoised: live events re-render the timeline every frame, and the selected event rarely changes.
export const Details = memo(function Details({
  seq,
  event,
  gone = false,
  conversation,
  field,
  baseNs,
  headingRef,
  onSelectField,
  className = "",
}: DetailsProps) {
  const t = useT("timeline");
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={`space-y-3 p-3 ${className}`}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-base font-semibold outline-none focus-visible:underline">
        {event ? t("eventHeading", { seq: event.seq.toString() }) : t("detailsHeading")}
      </h2>
      {seq === null ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("selectPrompt")}</p>
      ) : !event ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {t(gone ? "gone" : "notArrived", { seq: seq.toString() })}
        </p>
      ) : (
        <>
          <EventFacts event={event} conversation={conversation} baseNs={baseNs} />
          {event.kind === EventKind.DATA ? (
            <DataDetails key={event.seq.toString()} event={event} field={field} onSelectField={onSelectField} />
          ) : (
            <Lifecycle event={event} conversation={conversation} />
          )}
        </>
      )}
    </section>
  );
});

function EventFacts({ event, conversation, baseNs }: { event: Event; conversation: Conversation | undefined; baseNs: bigint }) {
  const t = useT("timeline");
  const locale = useLocale();
  const what = markLabel(t, event) ?? t("byteCount", { n: event.data.length });
  const direction = directionName(t, event.direction);
  const clock = new Date(event.wallMs).toLocaleTimeString(locale, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
    hour12: false,
  });
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-sm">
      <dt className="text-slate-600 dark:text-slate-400">{t("factWhat")}</dt>
      <dd>{direction ? `${direction}, ${what}` : what}</dd>
      <dt className="text-slate-600 dark:text-slate-400">{t("factTime")}</dt>
      <dd>
        {t("atMs", { ms: formatMs(elapsedMs(event.monoNs, baseNs), locale) })}
        <span className="text-slate-600 dark:text-slate-400"> · {clock}</span>
      </dd>
      {conversation && (
        <>
          <dt className="text-slate-600 dark:text-slate-400">{t("factConversation")}</dt>
          <dd className="break-words">{conversationName(t, conversation)}</dd>
        </>
      )}
    </dl>
  );
}

function DataDetails({ event, field, onSelectField }: { event: Event; field: FieldRef | null; onSelectField: (ref: FieldRef | null) => void }) {
  const t = useT("timeline");
  const highlight = field ? (byteRange(event.frames, field, event.data.length) ?? null) : null;
  return (
    <>
      <h3 className="text-sm font-semibold">{t("bytesHeading")}</h3>
      <BytesView
        data={event.data}
        highlight={highlight}
        onSelectByte={(offset) => onSelectField(deepestFieldAt(event.frames, offset) ?? null)}
      />
      <h3 className="text-sm font-semibold">{t("fieldsHeading")}</h3>
      {event.frames.length > 0 ? (
        <FieldTree frames={event.frames} selected={field} onSelect={onSelectField} />
      ) : (
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("noFrames")}</p>
      )}
    </>
  );
}

function Lifecycle({ event, conversation }: { event: Event; conversation: Conversation | undefined }) {
  const t = useT("timeline");
  const text = explanation(t, event, conversation);
  return (
    <div className="space-y-2 text-sm">
      <p>{text}</p>
      {event.kind === EventKind.ERROR && (event.errorCode !== "" || event.errorMessage !== "") && (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5">
          {event.errorCode !== "" && (
            <>
              <dt className="text-slate-600 dark:text-slate-400">{t("errorCode")}</dt>
              <dd>
                <code className="font-mono">{event.errorCode}</code>
              </dd>
            </>
          )}
          {event.errorMessage !== "" && (
            <>
              <dt className="text-slate-600 dark:text-slate-400">{t("errorMessage")}</dt>
              <dd>{event.errorMessage}</dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}

function explanation(t: TimelineT, event: Event, conversation: Conversation | undefined): string {
  const client = formatEndpoint(conversation?.client);
  const server = formatEndpoint(conversation?.server);
  switch (event.kind) {
    case EventKind.OPEN:
      return conversation?.transport === Transport.UDP ? t("explainOpenUdp", { client, server }) : t("explainOpen", { client, server });
    case EventKind.HALF_CLOSE:
      return event.direction === Direction.SERVER_TO_CLIENT ? t("explainHalfCloseServer") : t("explainHalfCloseClient");
    case EventKind.CLOSE:
      return t("explainClose");
    case EventKind.ERROR:
      return event.errorCode === "ECONNRESET" ? t("explainReset") : t("explainError");
    default:
      return t("explainUnknown");
  }
}
