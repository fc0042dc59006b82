"use client";
// One row of the ladder: the time, and the event drawn between its conversation's two lanes. Data is
// a solid arrow coloured by direction; the connection's lifecycle has its own shapes (circles for open,
// a bar for half-close, squares for close, crosses for reset/error, a dashed line stopped by a cross for a
// refused connect; a UDP datagram lost on the way is an arrow
// broken off with a cross, a receive timeout a clock) and always a text label too. A
// captured segment is a thinner arrow (thicker when it carries payload, red for RST), labelled with its
// TCP summary, shortened to fit the lanes (a UDP datagram with its UDP summary). A row joined to the selection across the zooms is marked.

import { memo } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "./batch";
import { formatDuration, isDuplicate, markLabel, rowName } from "./describe";
import { HttpLabel, httpWords } from "./http-label";
import type { HttpExchange } from "./http-pairs";
import {
  elapsedMs,
  eventFindings,
  eventLabel,
  formatMs,
  labelChars,
  ROW_HEIGHT,
  segmentFlags,
  segmentLabel,
  segmentLabelLevel,
  segmentSummary,
  TIME_COLUMN_WIDTH,
  type Lane,
} from "./model";
import { SeverityBadge } from "./severity-badge";
import { websocketFrameLabel, WebSocketLabel } from "./websocket-label";
import type { ArrowDrop } from "./time-scale";
import { findingText } from "@/app/_i18n/findings";

export interface EventRowProps {
  readonly id: string;
  readonly event: TimelineEvent;
  readonly ends: { readonly client: Lane; readonly server: Lane };
  /** More lane pairs the same arrow is drawn on: the other HTTP/2 calls whose frames one read or write carried. */
  readonly alsoEnds?: readonly { readonly client: Lane; readonly server: Lane }[];
  readonly width: number;
  readonly top: number;
  readonly selected: boolean;
  /** Joined to the selected event across the zooms (a segment of the selected message, or back). */
  readonly related: boolean;
  /** The id of the text that says what `related` means, for aria-describedby. */
  readonly relatedNoteId: string | undefined;
  readonly baseNs: bigint;
  readonly gapBeforeNs: bigint | null;
  /** Named in the accessible name only when several conversations share the ladder. */
  readonly conversationName: string | null;
  /** Its conversation is a UDP flow: a captured packet is a datagram, not a TCP segment. */
  readonly datagram: boolean;
  readonly onSelect: (seq: bigint) => void;
  /** An HTTP message's row: its exchange, and which of the event's HTTP parts the label tells. */
  readonly http?: { readonly exchange: HttpExchange; readonly part: number };
  /** Sloped arrows on (time-scale.ts): a message's ends off its row's line by its delay; null draws it flat. */
  readonly drop?: ArrowDrop | null;
}

const LINE_Y = ROW_HEIGHT - 13;
/** How much lower than the first an event's arrows on more lane pairs are drawn (HTTP/2 frames of several calls). */
const ALSO_DY = 7;
// A row joined to the selection, in dark mode: a dim amber, opaque (arrows scroll under the time cell).
const RELATED_DARK = "dark:bg-[color-mix(in_oklab,var(--color-amber-950)_45%,var(--color-slate-950))]";
const RELATED_DARK_HOVER = "dark:hover:bg-[color-mix(in_oklab,var(--color-amber-950)_75%,var(--color-slate-950))]";
const RELATED_DARK_HOVER_CELL =
  "dark:group-hover/row:bg-[color-mix(in_oklab,var(--color-amber-950)_75%,var(--color-slate-950))]";

export const EventRow = memo(function EventRow(props: EventRowProps) {
  const t = useT("timeline");
  const locale = useLocale();
  const { event, ends, selected } = props;
  const time = formatMs(elapsedMs(event.monoNs, props.baseNs), locale);
  const segment = event.kind === EventKind.SEGMENT;
  const httpSummary = props.http && event.http[props.http.part];
  const label = segment
    ? { text: segmentSummary(event), more: 0 }
    : props.http && httpSummary
      ? { text: httpWords(t, locale, httpSummary, props.http.exchange).join(", "), more: event.moreFrames }
      : eventLabel(event);
  const findings = eventFindings(event);
  const mark = markLabel(t, event, props.datagram);
  const lost = event.kind === EventKind.LOST;
  const duplicate = isDuplicate(event);
  const name = rowName(t, {
    event,
    label,
    time,
    findings,
    gap: props.gapBeforeNs === null ? null : formatDuration(t, props.gapBeforeNs, locale),
    conversation: props.conversationName,
    datagram: props.datagram,
    findingWords: (finding) => findingText(locale, finding),
  });
  // Centred between the two lanes; a short span still gets room to read, overlapping lanes beside it,
  // but never past the ladder's edges (that would make a narrow ladder scroll sideways).
  const room = props.width - TIME_COLUMN_WIDTH - 8;
  const labelWidth = Math.min(room, Math.max(Math.abs(ends.server.x - ends.client.x) - 28, 220));
  const centred = (ends.client.x + ends.server.x) / 2 - labelWidth / 2;
  const labelLeft = Math.max(TIME_COLUMN_WIDTH + 4, Math.min(centred, props.width - labelWidth - 4));
  // One rule for every row of this width (model.ts segmentLabel); the whole summary is in the name and the tooltip.
  const shownText = segment ? segmentLabel(event, segmentLabelLevel(labelChars(labelWidth))) : label.text;
  const related = props.related && !selected;
  const frameLabel = segment || props.http ? undefined : websocketFrameLabel(label.text);
  // The sticky time cell is opaque: arrows scroll under it when the ladder scrolls sideways.
  const timeBackground = selected
    ? "bg-sky-100 dark:bg-sky-950"
    : related
      ? `bg-amber-50 group-hover/row:bg-amber-100 ${RELATED_DARK} ${RELATED_DARK_HOVER_CELL}`
      : "bg-white group-hover/row:bg-slate-50 dark:bg-slate-950 dark:group-hover/row:bg-slate-900";

  return (
    <div
      role="option"
      id={props.id}
      aria-selected={selected}
      aria-label={name}
      aria-describedby={related ? props.relatedNoteId : undefined}
      data-related={related || undefined}
      onClick={() => props.onSelect(event.seq)}
      style={{ transform: `translateY(${props.top}px)`, width: props.width, height: ROW_HEIGHT }}
      className={`group/row absolute left-0 top-0 flex cursor-pointer items-center ${
        // The virtualiser's overscan rows, out of sight, are not laid out or painted until they scroll in. Not a sloped
        // arrow's row: its drawing reaches into the rows around it, and the containment would clip it.
        props.drop ? "" : "[content-visibility:auto]"
      } ${
        selected
          ? "bg-sky-100 group-focus-visible/list:outline-2 group-focus-visible/list:-outline-offset-2 group-focus-visible/list:outline-blue-700 dark:bg-sky-950 dark:group-focus-visible/list:outline-sky-300"
          : related
            ? `bg-amber-50 hover:bg-amber-100 ${RELATED_DARK} ${RELATED_DARK_HOVER}`
            : "hover:bg-slate-50 dark:hover:bg-slate-900"
      }`}
    >
      <span
        style={{ width: TIME_COLUMN_WIDTH }}
        className={`sticky left-0 z-[1] flex h-full shrink-0 items-center justify-end border-r border-slate-200 pr-3 font-mono text-xs tabular-nums text-slate-600 dark:border-slate-800 dark:text-slate-400 ${timeBackground} ${
          related ? "border-l-4 border-l-amber-500 dark:border-l-amber-400" : ""
        }`}
      >
        {related && (
          <span aria-hidden="true" className="mr-auto pl-1 text-amber-700 dark:text-amber-300">
            ◆
          </span>
        )}
        {time}
      </span>
      <svg aria-hidden="true" className="pointer-events-none absolute left-0 top-0 overflow-visible" width={props.width} height={ROW_HEIGHT}>
        <EventDrawing event={event} client={ends.client.x} server={ends.server.x} drop={props.drop ?? null} />
        {/* A little lower, so that an arrow drawn over the first one's span still reads as its own. */}
        {props.alsoEnds?.map((also) => (
          <g key={also.client.key} transform={`translate(0 ${ALSO_DY})`}>
            <EventDrawing event={event} client={also.client.x} server={also.server.x} drop={props.drop ?? null} />
          </g>
        ))}
      </svg>
      <span
        style={{ left: labelLeft, width: labelWidth }}
        className="absolute top-1 flex h-5 items-center justify-center gap-1 overflow-hidden text-xs"
      >
        {mark !== null ? (
          <>
            <span
              className={`shrink-0 truncate font-medium italic ${
                event.kind === EventKind.ERROR || event.kind === EventKind.CONNECT_FAILED || lost ? "text-red-700 dark:text-red-300" : "text-slate-700 dark:text-slate-300"
              }`}
            >
              {mark}
            </span>
            {lost && label.text !== "" && (
              <span title={label.text} className="truncate font-mono text-slate-600 line-through dark:text-slate-400">
                {label.text}
              </span>
            )}
          </>
        ) : props.http && httpSummary ? (
          <HttpLabel summary={httpSummary} exchange={props.http.exchange} more={label.more} />
        ) : frameLabel ? (
          <WebSocketLabel label={frameLabel} more={label.more} />
        ) : (
          <>
            <span
              title={shownText !== label.text ? label.text : undefined}
              className="truncate font-mono text-slate-900 dark:text-slate-100"
            >
              {shownText}
            </span>
            {label.more > 0 && (
              <span className="shrink-0 rounded bg-slate-200 px-1 font-mono text-[11px] text-slate-800 dark:bg-slate-700 dark:text-slate-100">
                +{label.more}
              </span>
            )}
            {duplicate && (
              <span className="shrink-0 rounded bg-amber-100 px-1 text-[11px] font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">
                {t("duplicateTag")}
              </span>
            )}
          </>
        )}
        {findings.map((finding, index) => (
          <SeverityBadge key={index} severity={finding.severity} finding={finding} compact />
        ))}
      </span>
    </div>
  );
});

function EventDrawing({ event, client, server, drop }: { event: TimelineEvent; client: number; server: number; drop: ArrowDrop | null }) {
  const fromServer = event.direction === Direction.SERVER_TO_CLIENT;
  const [from, to] = fromServer ? [server, client] : [client, server];
  const tone =
    event.direction === Direction.UNSPECIFIED
      ? "stroke-slate-500 fill-slate-500 dark:stroke-slate-400 dark:fill-slate-400"
      : fromServer
        ? "stroke-s2c fill-s2c"
        : "stroke-c2s fill-c2s";
  const neutral = "stroke-slate-500 fill-slate-500 dark:stroke-slate-400 dark:fill-slate-400";
  const hollow = "fill-white stroke-slate-600 dark:fill-slate-950 dark:stroke-slate-300";
  switch (event.kind) {
    case EventKind.DATA:
      if (drop) return <SlopedArrow from={from} to={to} drop={drop} tone={tone} />;
      return (
        <g className={tone}>
          <circle cx={from} cy={LINE_Y} r={2.5} />
          <line x1={from} y1={LINE_Y} x2={to - 8 * Math.sign(to - from)} y2={LINE_Y} strokeWidth={2} />
          <ArrowHead at={to} from={from} />
        </g>
      );
    case EventKind.OPEN:
      return (
        <g className={neutral}>
          <line x1={client} y1={LINE_Y} x2={server} y2={LINE_Y} strokeWidth={1.5} strokeDasharray="5 3" />
          <circle cx={client} cy={LINE_Y} r={5} />
          <circle cx={server} cy={LINE_Y} r={5} />
        </g>
      );
    case EventKind.HALF_CLOSE:
      return (
        <g className={tone}>
          <line x1={from} y1={LINE_Y} x2={to - 8 * Math.sign(to - from)} y2={LINE_Y} strokeWidth={1.5} strokeDasharray="5 3" />
          <ArrowHead at={to} from={from} />
          <rect x={from - 2} y={LINE_Y - 8} width={4} height={16} strokeWidth={0} />
        </g>
      );
    case EventKind.CLOSE:
      return (
        <g>
          <line className={neutral} x1={client} y1={LINE_Y} x2={server} y2={LINE_Y} strokeWidth={1.5} strokeDasharray="2 3" />
          <rect className={hollow} x={client - 5} y={LINE_Y - 5} width={10} height={10} strokeWidth={2} />
          <rect className={hollow} x={server - 5} y={LINE_Y - 5} width={10} height={10} strokeWidth={2} />
        </g>
      );
    case EventKind.SEGMENT: {
      const reset = segmentFlags(event).includes("RST");
      const payload = event.payloadLength > 0;
      return (
        <g className={reset ? "fill-red-600 stroke-red-600 dark:fill-red-400 dark:stroke-red-400" : tone}>
          <line
            x1={from}
            y1={LINE_Y}
            x2={to - 8 * Math.sign(to - from)}
            y2={LINE_Y}
            strokeWidth={payload ? 2 : 1.25}
            strokeDasharray={reset ? "2 3" : undefined}
          />
          {payload && <circle cx={from} cy={LINE_Y} r={2.5} />}
          <ArrowHead at={to} from={from} />
        </g>
      );
    }
    case EventKind.LOST: {
      // Sent, and broken off two thirds of the way: no head, since nothing arrived.
      const end = from + (to - from) * 0.62;
      const dir = Math.sign(to - from);
      return (
        <g>
          <g className={tone}>
            <circle cx={from} cy={LINE_Y} r={2.5} />
            <line x1={from} y1={LINE_Y} x2={end} y2={LINE_Y} strokeWidth={2} strokeDasharray="6 3" />
          </g>
          <path
            className="fill-none stroke-red-600 dark:stroke-red-400"
            d={`M${end} ${LINE_Y}l${3 * dir} -6l${4 * dir} 12l${3 * dir} -6`}
            strokeWidth={2}
          />
          <g className="stroke-red-600 dark:stroke-red-400">
            <Cross x={end + 18 * dir} />
          </g>
        </g>
      );
    }
    case EventKind.TIMEOUT: {
      // A clock on the lane that waited (the receiver of the answer that never came), the wait dotted across.
      const waiting = to;
      return (
        <g>
          <line
            className={neutral}
            x1={from}
            y1={LINE_Y}
            x2={waiting - 8 * Math.sign(waiting - from)}
            y2={LINE_Y}
            strokeWidth={1.25}
            strokeDasharray="1 4"
          />
          <circle className={hollow} cx={waiting} cy={LINE_Y} r={7} strokeWidth={2} />
          <path
            className="fill-none stroke-slate-600 dark:stroke-slate-300"
            d={`M${waiting} ${LINE_Y - 4}V${LINE_Y}H${waiting + 3}`}
            strokeWidth={1.5}
          />
        </g>
      );
    }
    case EventKind.CONNECT_FAILED:
      // The client's attempt goes out and is turned back where nothing listens: no circles, since nothing opened.
      return (
        <g>
          <g className={neutral}>
            <circle cx={client} cy={LINE_Y} r={2.5} />
            <line x1={client} y1={LINE_Y} x2={server - 12 * Math.sign(server - client)} y2={LINE_Y} strokeWidth={1.5} strokeDasharray="5 3" />
          </g>
          <g className="stroke-red-600 dark:stroke-red-400">
            <Cross x={server} />
          </g>
        </g>
      );
    case EventKind.ERROR:
      return (
        <g className="stroke-red-600 dark:stroke-red-400">
          <line x1={client} y1={LINE_Y} x2={server} y2={LINE_Y} strokeWidth={1.5} strokeDasharray="2 3" />
          <Cross x={client} />
          <Cross x={server} />
        </g>
      );
    default:
      return null;
  }
}

/** A message's arrow from the sender's lane at the time its bytes left to the receiver's at the time they arrived. */
function SlopedArrow({ from, to, drop, tone }: { from: number; to: number; drop: ArrowDrop; tone: string }) {
  const y1 = LINE_Y + drop.fromY;
  const y2 = LINE_Y + drop.toY;
  const angle = (Math.atan2(y2 - y1, to - from) * 180) / Math.PI;
  const length = Math.hypot(to - from, y2 - y1);
  const mid = { x: (from + to) / 2, y: (y1 + y2) / 2 };
  return (
    <g className={tone} data-testid="sloped-arrow" data-y1={y1} data-y2={y2} data-delay-ns={drop.delayNs.toString()} data-broken={drop.broken || undefined}>
      <circle cx={from} cy={y1} r={2.5} />
      <line x1={from} y1={y1} x2={from + ((to - from) * (length - 8)) / length} y2={y1 + ((y2 - y1) * (length - 8)) / length} strokeWidth={2} />
      <polygon points="0,0 -9,-5 -9,5" transform={`translate(${to} ${y2}) rotate(${angle})`} strokeWidth={0} />
      {drop.broken && (
        // The delay is longer than drawn: two strokes across the line, as an axis break.
        <path
          d="M-4 -7L2 7M2 -7L8 7"
          transform={`translate(${mid.x} ${mid.y}) rotate(${angle})`}
          className="fill-none stroke-slate-900 dark:stroke-white"
          strokeWidth={1.5}
        />
      )}
    </g>
  );
}

function ArrowHead({ at, from }: { at: number; from: number }) {
  const back = at - 9 * Math.sign(at - from);
  return <polygon points={`${at},${LINE_Y} ${back},${LINE_Y - 5} ${back},${LINE_Y + 5}`} strokeWidth={0} />;
}

function Cross({ x }: { x: number }) {
  return (
    <path d={`M${x - 5} ${LINE_Y - 5}L${x + 5} ${LINE_Y + 5}M${x + 5} ${LINE_Y - 5}L${x - 5} ${LINE_Y + 5}`} strokeWidth={2.5} />
  );
}

/** A pause longer than the gap threshold, drawn across the ladder. Its length is also in the next row's name. */
export function GapRow({ ns, top, width }: { ns: bigint; top: number; width: number }) {
  const t = useT("timeline");
  const locale = useLocale();
  return (
    <div
      aria-hidden="true"
      style={{ transform: `translateY(${top}px)`, width, height: ROW_HEIGHT }}
      className="absolute left-0 top-0 flex items-center"
    >
      <span
        style={{ width: TIME_COLUMN_WIDTH }}
        className="sticky left-0 z-[1] h-full shrink-0 border-r border-dashed border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-950"
      />
      <span
        style={{ left: TIME_COLUMN_WIDTH + 8 }}
        className="sticky z-[1] ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-200">
        {t("gapMarker", { duration: formatDuration(t, ns, locale) })}
      </span>
      <span className="mx-2 h-0 flex-1 border-t border-dashed border-slate-400 dark:border-slate-600" />
    </div>
  );
}
