"use client";
// The HTTP message view of the details panel: each request or response of the selected event as a reader knows it
// (start line, one line per header, the body as the dissector read it: JSON, a form, multipart parts, a JSON-RPC or
// XML-RPC call), every line a button that selects its field, so its bytes light up in the bytes view; a byte chosen
// there selects its field, and the line that holds it is marked here. The paired message is one click away.

import { useMemo } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import { fieldText } from "@/app/_i18n/fields";
import { HttpPart, type Frame } from "@/gen/lab/v1/timeline_pb";
import { escapeChar } from "@/server/dissect/core/fields";
import { requestLine, StatusChip, statusClassName, statusLine } from "./http-label";
import type { HttpExchange } from "./http-pairs";
import { walkFields, type FieldRef } from "./model";

/** Characters of a body shown as text; the bytes view and the field tree have all of it. */
const BODY_PREVIEW = 2000;

interface Line {
  readonly ref: FieldRef;
  readonly text: string;
}

interface Message {
  readonly frame: number;
  readonly request: boolean;
  readonly start: Line | undefined;
  readonly headers: readonly Line[];
  readonly body: (Line & { readonly length: number; readonly kinds: readonly string[] }) | undefined;
}

const decoder = new TextDecoder("utf-8");
/** Characters as they are, save controls and invisible ones (bidi, zero-width), which show as escapes. */
const KEPT = new Set(['"', "\\", "\n", "\t"]);
const text = (bytes: Uint8Array, max: number) => {
  let out = "";
  for (const ch of decoder.decode(bytes)) {
    if (out.length >= max) return `${out}…`;
    out += KEPT.has(ch) ? ch : escapeChar(ch);
  }
  return out;
};

const BODY_IDS = new Set(["http1.body", "http1.chunked"]);

/** The messages of an event's frames, read from their trees and bytes. */
function messagesOf(frames: readonly Frame[], data: Uint8Array, words: (id: string) => string): Message[] {
  const out: Message[] = [];
  frames.forEach((frame, index) => {
    const http = frame.http;
    if (!http || http.part === HttpPart.BODY || http.part === HttpPart.UNSPECIFIED) return;
    const bytes = frame.reassembled.length > 0 ? frame.reassembled : data.subarray(frame.offset, frame.offset + frame.length);
    const slice = (offset: number, length: number) => bytes.subarray(offset, offset + length);
    // A line's text without its terminator (the last child of a start line's or a header's node).
    const lineText = (field: Frame["fields"][number], max: number) => {
      const last = field.children.at(-1);
      return text(slice(field.offset, field.length - (last?.id === "http1.eol" ? last.length : 0)), max);
    };
    let start: Line | undefined;
    const headers: Line[] = [];
    let body: Message["body"];
    for (const { field, path, ancestors } of walkFields(frame.fields)) {
      if (ancestors.length > 0) continue;
      const ref = { frame: index, path };
      if (field.id === "http1.request_line" || field.id === "http1.status_line") {
        start = { ref, text: lineText(field, 200) };
      } else if (field.id === "http1.header") {
        headers.push({ ref, text: lineText(field, 300) });
      } else if (BODY_IDS.has(field.id)) {
        const kinds = [...new Set(field.children.map((child) => words(child.id)))].slice(0, 3);
        body = { ref, text: text(slice(field.offset, field.length), BODY_PREVIEW), length: field.length, kinds };
      }
    }
    out.push({ frame: index, request: http.part === HttpPart.REQUEST, start, headers, body });
  });
  return out;
}

/** Whether `ref` is `line`'s node or inside it. */
const within = (ref: FieldRef | null, line: Line) =>
  ref !== null && ref.frame === line.ref.frame && (ref.path === line.ref.path || ref.path.startsWith(`${line.ref.path}.`));

export function HttpMessages({
  frames,
  data,
  exchanges,
  selected,
  onSelectField,
  onSelectEvent,
}: {
  frames: readonly Frame[];
  data: Uint8Array;
  /** The exchange of each of the event's HTTP parts, in order (as HttpPairs.byEvent holds them). */
  exchanges: readonly (HttpExchange | undefined)[] | undefined;
  selected: FieldRef | null;
  onSelectField: (ref: FieldRef) => void;
  onSelectEvent: (seq: bigint) => void;
}) {
  const t = useT("timeline");
  const locale = useLocale();
  const messages = useMemo(() => {
    const look = fieldText(locale);
    return messagesOf(frames, data, (id) => look.words(id)?.label ?? id);
  }, [frames, data, locale]);
  if (messages.length === 0) return null;
  // The parts' exchanges, by frame: the brief's parts are the frames that have `http`, in order.
  const partOf = new Map<number, number>();
  let part = 0;
  frames.forEach((frame, index) => frame.http && partOf.set(index, part++));
  const lineButton = (line: Line, className: string) => (
    <button
      type="button"
      aria-pressed={within(selected, line)}
      onClick={() => onSelectField(line.ref)}
      className={`block w-full truncate rounded px-1 text-left font-mono text-xs hover:bg-slate-100 aria-pressed:bg-sky-100 aria-pressed:text-sky-950 dark:hover:bg-slate-800 dark:aria-pressed:bg-sky-900 dark:aria-pressed:text-sky-50 ${className}`}
    >
      {line.text}
    </button>
  );
  return (
    <>
      {messages.map((message) => {
        const exchange = exchanges?.[partOf.get(message.frame) ?? -1];
        const other = message.request ? exchange?.response : exchange?.request;
        const response = message.request ? undefined : frames[message.frame]?.http;
        return (
          <section
            key={message.frame}
            aria-label={t(message.request ? "httpRequestHeading" : "httpResponseHeading")}
            className="space-y-1 rounded border border-slate-200 p-2 dark:border-slate-700"
          >
            <h3 className="flex items-center gap-2 text-sm font-semibold">
              {t(message.request ? "httpRequestHeading" : "httpResponseHeading")}
              {response && (
                <span className="flex items-center gap-1 text-xs font-normal">
                  <StatusChip status={response.status} text={statusLine(response)} />
                  {statusClassName(t, response.status)}
                </span>
              )}
            </h3>
            {message.start && lineButton(message.start, "font-semibold")}
            <h4 className="pt-1 text-xs font-medium text-slate-600 dark:text-slate-400">{t("httpHeadersHeading", { n: message.headers.length })}</h4>
            <ul className="space-y-px">
              {message.headers.map((line) => (
                <li key={line.ref.path}>{lineButton(line, "")}</li>
              ))}
            </ul>
            <h4 className="pt-1 text-xs font-medium text-slate-600 dark:text-slate-400">
              {message.body
                ? message.body.kinds.length > 0
                  ? t("httpBodyKinds", { n: message.body.length, kinds: message.body.kinds.join(", ") })
                  : t("httpBodyHeading", { n: message.body.length })
                : t("httpNoBody")}
            </h4>
            {message.body && (
              <button
                type="button"
                aria-pressed={within(selected, message.body)}
                onClick={() => message.body && onSelectField(message.body.ref)}
                className="block max-h-40 w-full overflow-auto whitespace-pre-wrap break-all rounded border border-slate-200 px-1 text-left font-mono text-xs hover:bg-slate-100 aria-pressed:bg-sky-100 aria-pressed:text-sky-950 dark:border-slate-700 dark:hover:bg-slate-800 dark:aria-pressed:bg-sky-900 dark:aria-pressed:text-sky-50"
              >
                {message.body.text}
              </button>
            )}
            {exchange && (
              <p className="pt-1 text-xs">
                {other ? (
                  <button
                    type="button"
                    onClick={() => onSelectEvent(other.seq)}
                    className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                  >
                    {t(message.request ? "httpShowResponse" : "httpShowRequest", {
                      line: message.request ? statusLine(other.summary) : requestLine(other.summary),
                    })}
                  </button>
                ) : (
                  <span className="italic">{t(exchange.state === "unanswered" ? "httpUnanswered" : "httpWaiting")}</span>
                )}
              </p>
            )}
          </section>
        );
      })}
    </>
  );
}
