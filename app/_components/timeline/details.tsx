"use client";
// The selected event, explained: its bytes and field tree for data, a plain explanation for the
// connection's lifecycle (open, half-close, close, reset/error), and for a captured segment the whole
// packet with every layer. A message lists the segments that carried its bytes, and a segment the
// messages it carried; choosing one selects it at the other zoom. The timeline holds what the ladder draws;
// the bytes and the field tree of the selected event are fetched whole (LabService.GetEvent).

import { Fragment, memo, useEffect, useId, useState, type RefObject } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import { Direction, EventKind, Transport, type Conversation, type Event } from "@/gen/lab/v1/timeline_pb";
import type { FollowConversationResponse } from "@/gen/lab/v1/lab_pb";
import type { TimelineEvent } from "./batch";
import { BytesView } from "./bytes-view";
import { carriedPart, conversationName, directionName, eventNumber, isDuplicate, markLabel, type TimelineT } from "./describe";
import { FieldTree } from "./field-tree";
import { HttpMessages } from "./http-message";
import type { HttpExchange } from "./http-pairs";
import {
  byteRange,
  reassembledFrames,
  carriedBytes,
  deepestFieldAt,
  elapsedMs,
  eventLabel,
  formatEndpoint,
  formatMs,
  linkTypeName,
  segmentLabel,
  streamRange,
  type FieldRef,
  type TreeNode,
  type Zoom,
} from "./model";
import { FollowStream } from "./follow-stream";
import { SeqGraphButton } from "./seq-graph";
import { SlopeNote } from "./time-view";

export interface DetailsProps {
  /** The seq the URL asks for; its event may not have arrived yet. */
  readonly seq: bigint | null;
  readonly event: TimelineEvent | undefined;
  /** Fetches an event whole (the store keeps the last few). */
  readonly wholeEvent: (seq: bigint) => Promise<Event>;
  /** Fetches a conversation's bytes for Follow stream. */
  readonly followConversation?: (conversationId: string) => Promise<FollowConversationResponse>;
  /** The event asked for is older than every event held: dropped, it will not arrive. */
  /** The selected event is not held: the timeline was cleared since, or only newer events are kept. */
  readonly gone?: "cleared" | "dropped";
  readonly conversation: Conversation | undefined;
  readonly field: FieldRef | null;
  /** Events joined to this one across the zooms: a message's segments, or a segment's messages. */
  readonly related: readonly TimelineEvent[];
  /** Selects an event at the other zoom. */
  readonly onJump: (seq: bigint, zoom: Zoom) => void;
  readonly baseNs: bigint;
  readonly headingRef: RefObject<HTMLHeadingElement | null>;
  readonly onSelectField: (ref: FieldRef | null) => void;
  readonly className?: string;
  /** HTTP: the exchange of each of the event's HTTP parts, and how to select the paired message's event. */
  readonly httpExchanges?: readonly (HttpExchange | undefined)[];
  readonly onSelectEvent?: (seq: bigint) => void;
}

// Memoised: live events re-render the timeline every frame, and the selected event rarely changes.
export const Details = memo(function Details({
  seq,
  event,
  wholeEvent,
  followConversation,
  gone,
  conversation,
  field,
  related,
  onJump,
  baseNs,
  headingRef,
  onSelectField,
  className = "",
  httpExchanges,
  onSelectEvent,
}: DetailsProps) {
  const t = useT("timeline");
  const headingId = useId();
  const whole = useWhole(event && event.kind !== EventKind.OPEN && event.kind !== EventKind.CLOSE ? event.seq : null, wholeEvent);
  // A UDP flow's captured packets are datagrams: each carries one message whole.
  const datagram = conversation?.transport === Transport.UDP;
  return (
    // Focusable: it scrolls, and a keyboard must reach what is below its fold even when nothing in it takes focus
    // (a refused connect's long explanation).
    <section aria-labelledby={headingId} tabIndex={0} className={`space-y-3 p-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-sky-300 ${className}`}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-base font-semibold outline-none focus-visible:underline">
        {event
          ? t(event.kind === EventKind.SEGMENT ? (datagram ? "datagramHeading" : "segmentHeading") : "eventHeading", { n: eventNumber(event) })
          : t("detailsHeading")}
      </h2>
      {seq === null ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("selectPrompt")}</p>
      ) : !event ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {t(gone === "cleared" ? "goneCleared" : gone === "dropped" ? "gone" : "notArrived")}
        </p>
      ) : (
        <>
          <EventFacts event={event} wallMs={whole.event?.wallMs} conversation={conversation} baseNs={baseNs} />
          <SlopeNote event={event} carriers={related} baseNs={baseNs} conversation={conversation} />
          {conversation && followConversation && onSelectEvent && event.kind !== EventKind.CONNECT_FAILED && (
            <FollowStream conversation={conversation} selectedSeq={event.seq} follow={followConversation} onSelectEvent={onSelectEvent} />
          )}
          {conversation && onSelectEvent && event.kind !== EventKind.CONNECT_FAILED && (
            <SeqGraphButton conversation={conversation} direction={event.direction} around={event} onSelectEvent={onSelectEvent} />
          )}
          {event.kind === EventKind.DATA ? (
            <>
              {isDuplicate(event) && <p className="text-sm">{t("explainDuplicate")}</p>}
              {related.length > 0 && (
                <Joined
                  heading={t(datagram ? "datagramCarriedByHeading" : "carriedByHeading")}
                  help={t("jumpToSegmentsHelp")}
                  items={related.map((segment) => ({
                    event: segment,
                    label: segmentLabel(segment, 0),
                    part: carriedPart(t, event, carriedBytes(segment, event) ?? { start: 0n, end: 0n }),
                  }))}
                  baseNs={baseNs}
                  onChoose={(seq) => onJump(seq, "segments")}
                />
              )}
              <DataDetails
                key={event.seq.toString()}
                event={event}
                whole={whole}
                field={field}
                onSelectField={onSelectField}
                http={onSelectEvent && { exchanges: httpExchanges, onSelectEvent }}
              />
            </>
          ) : event.kind === EventKind.SEGMENT ? (
            <>
              <p className="text-sm">{t(datagram ? "explainDatagram" : "explainSegment")}</p>
              {event.payloadLength > 0 && (
                <Joined
                  heading={t(datagram ? "datagramCarriesHeading" : "carriesHeading")}
                  help={t("jumpToMessagesHelp")}
                  empty={t("carriesNone")}
                  items={related.map((message) => ({
                    event: message,
                    label: clip(eventLabel(message).text, 40),
                    part: carriedPart(t, message, carriedBytes(event, message) ?? { start: 0n, end: 0n }),
                  }))}
                  baseNs={baseNs}
                  onChoose={(seq) => onJump(seq, "messages")}
                />
              )}
              <DataDetails key={event.seq.toString()} event={event} whole={whole} field={field} onSelectField={onSelectField} />
            </>
          ) : event.kind === EventKind.LOST ? (
            <>
              <p className="text-sm">{t("explainLost")}</p>
              <ErrorFacts event={event} />
              <DataDetails key={event.seq.toString()} event={event} whole={whole} field={field} onSelectField={onSelectField} />
            </>
          ) : (
            <Lifecycle event={event} conversation={conversation} />
          )}
        </>
      )}
    </section>
  );
});

/** The selected event whole, once fetched; `failed` when the lab could not send it. */
interface Whole {
  readonly seq: bigint | null;
  readonly event: Event | undefined;
  readonly failed: boolean;
}

function useWhole(seq: bigint | null, fetch: (seq: bigint) => Promise<Event>): Whole {
  const [state, setState] = useState<Whole>({ seq: null, event: undefined, failed: false });
  useEffect(() => {
    if (seq === null) return;
    let current = true;
    fetch(seq).then(
      (event) => current && setState({ seq, event, failed: false }),
      () => current && setState({ seq, event: undefined, failed: true }),
    );
    return () => {
      current = false;
    };
  }, [seq, fetch]);
  // What the state holds for another event is not this one's.
  return state.seq === seq ? state : { seq, event: undefined, failed: false };
}

function EventFacts({
  event,
  wallMs,
  conversation,
  baseNs,
}: {
  event: TimelineEvent;
  /** The wall clock, which only the whole event carries. */
  wallMs: number | undefined;
  conversation: Conversation | undefined;
  baseNs: bigint;
}) {
  const t = useT("timeline");
  const locale = useLocale();
  const segment = event.kind === EventKind.SEGMENT;
  const datagram = conversation?.transport === Transport.UDP;
  const what = segment
    ? t(datagram ? "datagramWhat" : "segmentWhat", { n: event.length })
    : (markLabel(t, event, datagram) ?? t("byteCount", { n: event.length }));
  const payload = segment ? streamRange(event) : null;
  const direction = directionName(t, event.direction);
  const clock = wallMs === undefined ? null : new Date(wallMs).toLocaleTimeString(locale, {
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
        {clock !== null && <span className="text-slate-600 dark:text-slate-400"> · {clock}</span>}
      </dd>
      {segment && (
        <>
          <dt className="text-slate-600 dark:text-slate-400">{t("factPayload")}</dt>
          <dd>
            {datagram
              ? t("datagramPayload", { n: event.payloadLength })
              : payload
              ? t("payloadRange", {
                  n: event.payloadLength,
                  start: payload.start.toString(),
                  end: (payload.end - 1n).toString(),
                })
              : t("payloadNone")}
          </dd>
          <dt className="text-slate-600 dark:text-slate-400">{t("factLink")}</dt>
          <dd>{linkTypeName(event.linkType)}</dd>
        </>
      )}
      {conversation && (
        <>
          <dt className="text-slate-600 dark:text-slate-400">{t("factConversation")}</dt>
          <dd className="break-words">{conversationName(t, conversation)}</dd>
          {/* An outside program's name, where the lab host's system told it (issue 15 §1.6). */}
          {(conversation.processCommand !== "" || conversation.otherMachine) && (
            <>
              <dt className="text-slate-600 dark:text-slate-400">{t("factProgram")}</dt>
              <dd className="break-words">
                {conversation.processCommand !== ""
                  ? t("programNamed", { name: conversation.processCommand, pid: String(conversation.processId) })
                  : t("programOtherMachine")}
              </dd>
            </>
          )}
        </>
      )}
    </dl>
  );
}

/** A segment's layers start closed but for TCP's (a datagram's: UDP's); a message's frames and their fields start open. */
const openTransportOnly = (node: TreeNode) => node.depth === 0 && (node.label === "tcp" || node.label === "udp");

/** The bytes and the field tree: a message's bytes, or a segment's whole packet (frame offsets from its start). */
function DataDetails({
  event: brief,
  whole,
  field,
  onSelectField,
  http,
}: {
  event: TimelineEvent;
  whole: Whole;
  field: FieldRef | null;
  onSelectField: (ref: FieldRef | null) => void;
  http?: { exchanges: readonly (HttpExchange | undefined)[] | undefined; onSelectEvent: (seq: bigint) => void };
}) {
  const t = useT("timeline");
  const segment = brief.kind === EventKind.SEGMENT;
  const event = whole.event;
  if (!event) {
    return (
      <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
        {t(whole.failed ? "wholeFailed" : "wholeLoading")}
      </p>
    );
  }
  const highlight = field ? (byteRange(event.frames, field, event.data.length) ?? null) : null;
  return (
    <>
      {http && (
        <HttpMessages
          frames={event.frames}
          data={event.data}
          exchanges={http.exchanges}
          selected={field}
          onSelectField={onSelectField}
          onSelectEvent={http.onSelectEvent}
        />
      )}
      <h3 className="text-sm font-semibold">{t(segment ? "packetBytesHeading" : "bytesHeading")}</h3>
      <BytesView
        data={event.data}
        highlight={highlight}
        onSelectByte={(offset) => onSelectField(deepestFieldAt(event.frames, offset) ?? null)}
      />
      {reassembledFrames(event.frames).map(({ index, frame }) => {
        // A message that came in several reads: its own bytes, where its fields point.
        const start = frame.streamOffset;
        const heading = t("reassembledHeading", { start: String(start), end: String(start + BigInt(frame.reassembled.length) - 1n) });
        return (
          <Fragment key={index}>
            <h3 className="text-sm font-semibold">{heading}</h3>
            <BytesView
              label={heading}
              data={frame.reassembled}
              highlight={field && field.frame === index ? (byteRange(event.frames, field, frame.reassembled.length, true) ?? null) : null}
              onSelectByte={(offset) => onSelectField(deepestFieldAt(event.frames, offset, index) ?? null)}
            />
          </Fragment>
        );
      })}
      <h3 className="text-sm font-semibold">{t(segment ? "layersHeading" : "fieldsHeading")}</h3>
      {event.frames.length > 0 ? (
        <FieldTree
          frames={event.frames}
          selected={field}
          onSelect={onSelectField}
          label={segment ? t("layersLabel") : undefined}
          openByDefault={segment ? openTransportOnly : undefined}
        />
      ) : (
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("noFrames")}</p>
      )}
    </>
  );
}

/** The most joined events listed; a message cut into hundreds of segments lists the first ones. */
const MAX_JOINED = 50;

interface JoinedItem {
  readonly event: TimelineEvent;
  readonly label: string;
  /** Which part of the message: "whole message (11 bytes)", "bytes 0–5 of 11". */
  readonly part: string;
}

/** The events at the other zoom joined to this one, as buttons that select them there. */
function Joined(props: {
  heading: string;
  help: string;
  empty?: string;
  items: readonly JoinedItem[];
  baseNs: bigint;
  onChoose: (seq: bigint) => void;
}) {
  const t = useT("timeline");
  const locale = useLocale();
  const headingId = useId();
  const shown = props.items.slice(0, MAX_JOINED);
  return (
    <section aria-labelledby={headingId} className="space-y-1">
      <h3 id={headingId} className="text-sm font-semibold">
        {props.heading}
      </h3>
      {props.items.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">{props.empty}</p>
      ) : (
        <>
          <p className="text-xs text-slate-600 dark:text-slate-400">{props.help}</p>
          <ul className="space-y-1">
            {shown.map(({ event, label, part }) => (
              <li key={event.seq.toString()}>
                <button
                  type="button"
                  onClick={() => props.onChoose(event.seq)}
                  className="w-full rounded border border-amber-300 bg-amber-50 px-2 py-1 text-left text-sm hover:bg-amber-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-700 dark:border-amber-800 dark:bg-amber-950/40 dark:hover:bg-amber-950 dark:focus-visible:outline-sky-300"
                >
                  <span className="block break-words font-mono text-[13px] text-slate-900 dark:text-slate-100">
                    {t("jumpItem", { n: eventNumber(event), label })}
                  </span>
                  <span className="block text-xs text-slate-700 dark:text-slate-300">
                    {part} · {t("atMs", { ms: formatMs(elapsedMs(event.monoNs, props.baseNs), locale) })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {props.items.length > shown.length && (
            <p className="text-xs text-slate-600 dark:text-slate-400">{t("joinedMore", { n: props.items.length - shown.length })}</p>
          )}
        </>
      )}
    </section>
  );
}

/** At most `max` characters, with an ellipsis when cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function Lifecycle({ event, conversation }: { event: TimelineEvent; conversation: Conversation | undefined }) {
  const t = useT("timeline");
  const text = explanation(t, event, conversation);
  return (
    <div className="space-y-2 text-sm">
      <p>{text}</p>
      {(event.kind === EventKind.ERROR ||
        event.kind === EventKind.TIMEOUT ||
        event.kind === EventKind.CLOSE ||
        event.kind === EventKind.CONNECT_FAILED) && <ErrorFacts event={event} />}
    </div>
  );
}

/** The operating system's (or the lab's) error code and what it says, where the event has them. */
function ErrorFacts({ event }: { event: TimelineEvent }) {
  const t = useT("timeline");
  if (event.errorCode === "" && event.errorMessage === "") return null;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-sm">
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
  );
}

function explanation(t: TimelineT, event: TimelineEvent, conversation: Conversation | undefined): string {
  const client = formatEndpoint(conversation?.client);
  const server = formatEndpoint(conversation?.server);
  const udp = conversation?.transport === Transport.UDP;
  switch (event.kind) {
    case EventKind.OPEN:
      return udp ? t("explainOpenUdp", { client, server }) : t("explainOpen", { client, server });
    case EventKind.HALF_CLOSE:
      return event.direction === Direction.SERVER_TO_CLIENT ? t("explainHalfCloseServer") : t("explainHalfCloseClient");
    case EventKind.CLOSE:
      if (udp) return event.errorCode === "EEVICTED" ? t("explainEvictedUdp") : t("explainCloseUdp");
      return t("explainClose");
    case EventKind.ERROR:
      if (udp) {
        if (event.errorCode === "ECONNREFUSED") return t("explainRefusedUdp");
        if (event.errorCode === "ERATELIMIT") return t("explainRateLimit");
        return t("explainErrorUdp");
      }
      return event.errorCode === "ECONNRESET" ? t("explainReset") : t("explainError");
    case EventKind.CONNECT_FAILED:
      return event.errorCode === "ECONNREFUSED"
        ? t("explainRefused", { client, server, port: String(conversation?.server?.port ?? "?") })
        : t("explainConnectFailed", { client, server });
    case EventKind.TIMEOUT:
      // UDP's is the lesson client's recvfrom timeout; on TCP, the lab's HTTP client gave up on a response.
      return udp ? t("explainTimeout") : t("explainTimeoutTcp");
    case EventKind.LOST:
      return t("explainLost");
    default:
      return t("explainUnknown");
  }
}
