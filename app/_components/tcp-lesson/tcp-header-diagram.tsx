"use client";
// The TCP header as the course's notes draw it, 32 bits a row, as a real table: a caption, a header row for
// the bits, a row header for each row's bytes, and one cell per field spanning its bits. The cells hold the
// values of one captured segment (segments.ts chooses which: the timeline's selection, else the latest lab
// segment); each explains its field in a tooltip and, for assistive technology and keyboards, through the
// list of explanations under the table. On a narrow screen the table scrolls inside its own box.

import { Suspense, useMemo } from "react";
import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { Origin, type Conversation } from "@/gen/lab/v1/timeline_pb";
import { useSelection } from "../timeline/use-selection";
import {
  analyzeSegments,
  chooseDiagramSegment,
  endpointText,
  explainSegment,
  flagNames,
  headerRows,
  isReadable,
  type HeaderCell,
  type HeaderFieldId,
  type SegmentView,
} from "./segments";
import { Rich } from "../lesson-kit/prose";
import { CaptureMode } from "../capture-status";
import { useCaptureStatus } from "../lesson-kit/use-capture-status";
import { useLessonTimeline } from "../lesson-kit/use-lesson-timeline";
import type { TimelineEvent } from "../timeline/batch";

interface FieldText {
  readonly name: Keys<"tcpLesson">;
  readonly blurb: Keys<"tcpLesson">;
  /** A shorter name for cells too narrow for the full one (the full name is still read out). */
  readonly short?: Keys<"tcpLesson">;
  /** The flag's letters, drawn one above the other as in the RFC's picture. */
  readonly letters?: string;
}

const FIELDS: Record<HeaderFieldId, FieldText> = {
  srcPort: { name: "fieldSrcPort", blurb: "fieldSrcPortBlurb" },
  dstPort: { name: "fieldDstPort", blurb: "fieldDstPortBlurb" },
  seq: { name: "fieldSeq", blurb: "fieldSeqBlurb" },
  ack: { name: "fieldAck", blurb: "fieldAckBlurb" },
  dataOffset: { name: "fieldDataOffset", blurb: "fieldDataOffsetBlurb", short: "fieldDataOffsetShort" },
  reserved: { name: "fieldReserved", blurb: "fieldReservedBlurb", short: "fieldReservedShort" },
  cwr: { name: "fieldCwr", blurb: "fieldCwrBlurb", letters: "CWR" },
  ece: { name: "fieldEce", blurb: "fieldEceBlurb", letters: "ECE" },
  urg: { name: "fieldUrg", blurb: "fieldUrgBlurb", letters: "URG" },
  ackFlag: { name: "fieldAckFlag", blurb: "fieldAckFlagBlurb", letters: "ACK" },
  psh: { name: "fieldPsh", blurb: "fieldPshBlurb", letters: "PSH" },
  rst: { name: "fieldRst", blurb: "fieldRstBlurb", letters: "RST" },
  syn: { name: "fieldSyn", blurb: "fieldSynBlurb", letters: "SYN" },
  fin: { name: "fieldFin", blurb: "fieldFinBlurb", letters: "FIN" },
  window: { name: "fieldWindow", blurb: "fieldWindowBlurb" },
  checksum: { name: "fieldChecksum", blurb: "fieldChecksumBlurb" },
  urgentPointer: { name: "fieldUrgentPointer", blurb: "fieldUrgentPointerBlurb" },
  options: { name: "fieldOptions", blurb: "fieldOptionsBlurb" },
  padding: { name: "fieldPadding", blurb: "fieldPaddingBlurb" },
};

const FIELD_ORDER = Object.keys(FIELDS) as HeaderFieldId[];
const BITS = Array.from({ length: 32 }, (_, i) => i);

/** Text without the dictionaries' `code` marks, for a tooltip. */
const plain = (text: string) => text.replaceAll("`", "");

const blurbId = (prefix: string, id: HeaderFieldId) => `${prefix}-${id}`;

const isLabClient = (c: Conversation) => c.origin === Origin.LAB_CLIENT;
const NO_EVENTS: readonly TimelineEvent[] = [];

function Cell({ cell, prefix }: { cell: HeaderCell; prefix: string }) {
  const t = useT("tcpLesson");
  const field = FIELDS[cell.id];
  const name = t(field.name);
  const hasValue = cell.value !== undefined;
  const base = "border border-slate-400 p-1 align-top dark:border-slate-500";

  if (field.letters) {
    const look = cell.set
      ? "bg-slate-800 font-bold text-white dark:bg-slate-100 dark:text-slate-950"
      : "bg-white text-slate-800 dark:bg-slate-900 dark:text-slate-200";
    return (
      <td colSpan={cell.bits} title={`${name}: ${plain(t(field.blurb))}`} aria-describedby={blurbId(prefix, cell.id)} className={`${base} px-0 text-center ${look}`}>
        <span aria-hidden="true" className="flex flex-col items-center font-mono text-xs leading-[1.1]">
          {[...field.letters].map((letter, i) => (
            <span key={i}>{letter}</span>
          ))}
          <span className="mt-0.5 text-xs">{hasValue ? cell.value : "·"}</span>
        </span>
        <span className="sr-only">
          {name}: {hasValue ? `${cell.value}, ${t(cell.set ? "headerFlagSet" : "headerFlagClear")}` : t("headerNoValue")}
        </span>
      </td>
    );
  }

  return (
    <td colSpan={cell.bits} title={`${name}: ${plain(t(field.blurb))}`} aria-describedby={blurbId(prefix, cell.id)} className={`${base} bg-white text-center dark:bg-slate-900`}>
      {field.short ? (
        <>
          <span aria-hidden="true" className="block text-xs font-semibold leading-tight text-slate-700 dark:text-slate-300">
            {t(field.short)}
          </span>
          <span className="sr-only">{name}: </span>
        </>
      ) : (
        <span className="block text-xs font-semibold leading-tight text-slate-700 dark:text-slate-300">
          {name}
          <span className="sr-only">: </span>
        </span>
      )}
      <span className="block font-mono text-xs break-words text-slate-950 dark:text-slate-50">
        {hasValue ? cell.value : <span className="text-slate-500 dark:text-slate-400">—<span className="sr-only">{t("headerNoValue")}</span></span>}
      </span>
    </td>
  );
}

function HeaderTable({ view, caption, prefix }: { view: SegmentView | undefined; caption: string; prefix: string }) {
  const t = useT("tcpLesson");
  const rows = headerRows(view, t);
  return (
    <>
      {/* The caption is read with the table; this copy stays in view when a narrow screen scrolls the table. */}
      <p aria-hidden="true" className="text-sm font-medium">
        {caption}
      </p>
      {/* tabIndex: the box scrolls on a narrow screen, and a scrollable region must take the keyboard.
          relative: the cells' sr-only text is absolutely positioned and must not escape the scroll box. */}
      <div
        role="region"
        aria-label={t("headerRegion")}
        tabIndex={0}
        className="relative overflow-x-auto rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300"
      >
        <table className="w-full min-w-[26rem] table-fixed border-collapse text-sm">
          <caption className="sr-only">{caption}</caption>
          <colgroup>
            <col className="w-12" />
            {BITS.map((bit) => (
              <col key={bit} />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th scope="col" className="p-1 text-left align-bottom text-xs font-medium text-slate-700 dark:text-slate-300">
                {t("headerBytesCol")}
              </th>
              <th scope="colgroup" colSpan={32} className="p-0 font-normal">
                <span className="sr-only">{t("headerBits")}</span>
                {/* As in the RFC's drawing: the tens above the units. */}
                <span aria-hidden="true" className="grid grid-cols-32 font-mono text-xs leading-tight text-slate-600 dark:text-slate-400">
                  {BITS.map((bit) => (
                    <span key={`tens-${bit}`} className="text-center">
                      {bit % 10 === 0 ? bit / 10 : ""}
                    </span>
                  ))}
                  {BITS.map((bit) => (
                    <span key={`units-${bit}`} className="pb-0.5 text-center">
                      {bit % 10}
                    </span>
                  ))}
                </span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.bytes}>
                <th scope="row" className="p-1 text-left align-top font-mono text-xs font-normal whitespace-nowrap text-slate-700 dark:text-slate-300">
                  {row.bytes}
                </th>
                {row.cells.map((cell) => (
                  <Cell key={cell.id} cell={cell} prefix={prefix} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer rounded font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300">
          {t("headerExplanations")}
        </summary>
        <dl className="mt-2 space-y-2">
          {FIELD_ORDER.map((id) => (
            <div key={id}>
              <dt className="font-semibold">{t(FIELDS[id].name)}</dt>
              <dd id={blurbId(prefix, id)} className="leading-relaxed text-slate-800 dark:text-slate-200">
                <Rich text={t(FIELDS[id].blurb)} />
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </>
  );
}

function Diagram() {
  const t = useT("tcpLesson");
  const selection = useSelection();
  const { events, conversations } = useLessonTimeline();
  const { result } = useCaptureStatus();

  const choice = useMemo(() => chooseDiagramSegment(events, conversations, selection.seq, isLabClient), [events, conversations, selection.seq]);
  const conversationEvents = choice ? events.ofConversation(choice.conversationId) : NO_EVENTS;
  const view = useMemo(() => {
    if (!choice) return undefined;
    const entry = analyzeSegments(conversationEvents).find((s) => s.eventSeq === choice.eventSeq);
    return entry && isReadable(entry) ? entry : undefined;
  }, [choice, conversationEvents]);

  const summary = view ? explainSegment(view, t).headline : "";
  const p = view?.packet;
  const caption = p
    ? t("headerCaptionOf", { flags: flagNames(p.flags) || t("segNoFlags"), from: endpointText(p.srcIp, p.srcPort) })
    : t("headerCaption");

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-800 dark:text-slate-200">
        {view && choice
          ? t(choice.source === "selected" ? "headerShowingSelected" : "headerShowingLatest", { summary })
          : result.kind === "ok" && result.capture?.mode === CaptureMode.SOCKET_EVENTS
            ? t("headerEmptyNoCapture")
            : t("headerEmptyCapture")}
      </p>
      <HeaderTable view={view} caption={caption} prefix="tcp-field" />
      {p && (
        <div className="space-y-1 text-sm text-slate-800 dark:text-slate-200">
          <p>{t("headerRoute", { from: endpointText(p.srcIp, p.srcPort), to: endpointText(p.dstIp, p.dstPort) })}</p>
          <p>{p.payloadLength > 0 ? t("headerPayload", { n: p.payloadLength }) : t("headerNoPayload")}</p>
        </div>
      )}
    </div>
  );
}

/** The diagram reads the selection from the URL, which needs a Suspense boundary while it is not known. */
export function TcpHeaderDiagram() {
  const t = useT("tcpLesson");
  return (
    <Suspense fallback={<HeaderTable view={undefined} caption={t("headerCaption")} prefix="tcp-field" />}>
      <Diagram />
    </Suspense>
  );
}
