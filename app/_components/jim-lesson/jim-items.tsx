"use client";
// The objects of one JIM connection, both ways, as chat bubbles with the JSON each one was beside it: a message a
// user wrote as a bubble (yours on the right), a server's reply as a line with its code, anything else as it is.
// Each has a button that selects, on the timeline, the event whose bytes carried its end.

import { useT } from "@/app/_i18n/client";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "../timeline/batch";
import { selectOnTimeline } from "../lesson-kit/navigate";
import { buttonSmall } from "../lesson-kit/ui";
import { useConversation } from "../lesson-kit/use-lesson-timeline";
import type { JimItem } from "./use-jim";

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The seq of the event of this conversation that carried the item's last byte (DATA events, counted per direction). */
export function eventFor(events: readonly TimelineEvent[], item: JimItem): bigint | undefined {
  const direction = item.way === "out" ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
  const last = item.streamOffset + item.bytes.length - 1;
  let at = 0;
  for (const e of events) {
    if (e.kind !== EventKind.DATA || e.direction !== direction) continue;
    if (last >= at && last < at + e.length) return e.seq;
    at += e.length;
  }
  return undefined;
}

function Bubble({ item, me }: { item: JimItem; me: string }) {
  const t = useT("jimLesson");
  const v = isObj(item.value) ? item.value : undefined;
  const action = str(v?.action);
  if (v && (action === "msg" || action === "message")) {
    const from = str(v.from) ?? str(v.sender) ?? "?";
    const to = str(v.to) ?? str(v.destination) ?? "?";
    const text = str(v.message) ?? str(v.mess_text) ?? "";
    const mine = item.way === "out" || from === me;
    return (
      <div className={`max-w-[85%] self-start rounded-2xl px-3 py-2 ${mine ? "ml-auto bg-blue-100 dark:bg-blue-900" : "bg-slate-100 dark:bg-slate-800"}`}>
        <p className="text-xs text-slate-700 dark:text-slate-300">{t("bubbleHead", { from, to })}</p>
        <p className="break-words whitespace-pre-wrap">{text}</p>
      </div>
    );
  }
  if (v && typeof v.response === "number") {
    const words = str(v.error) ?? str(v.alert) ?? "";
    const ok = v.response < 400;
    return (
      <p className={`text-sm font-medium ${ok ? "text-emerald-800 dark:text-emerald-200" : "text-red-800 dark:text-red-200"}`}>
        {t("replyLine", { code: String(v.response), words })}
      </p>
    );
  }
  if (v && action) return <p className="text-sm font-medium">{t("actionLine", { action, way: item.way === "out" ? t("wayOut") : t("wayIn") })}</p>;
  return <p className="text-sm font-medium">{t("notJimLine")}</p>;
}

export function JimItems({ items, conversationId, me, label }: { items: readonly JimItem[]; conversationId: string | undefined; me: string; label: string }) {
  const t = useT("jimLesson");
  const { events } = useConversation(conversationId);
  if (items.length === 0) return null;
  return (
    <ol aria-label={label} className="space-y-3">
      {items.map((item, i) => {
        const seq = eventFor(events, item);
        return (
          <li key={i} className="grid gap-1 md:grid-cols-2 md:gap-3" data-way={item.way}>
            <Bubble item={item} me={me} />
            <div className="min-w-0 space-y-1">
              <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-900 dark:bg-slate-950 dark:text-slate-100">
                {item.text.trim()}
              </pre>
              <p className="flex flex-wrap items-center gap-2 text-xs text-slate-700 dark:text-slate-300">
                <span>{t(item.way === "out" ? "itemSent" : "itemGot", { n: item.bytes.length })}</span>
                {seq !== undefined && (
                  <button type="button" className={buttonSmall} onClick={() => selectOnTimeline(seq)}>
                    {t("showOnTimeline")}
                    <span className="sr-only"> {t("showWhich", { n: i + 1 })}</span>
                  </button>
                )}
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
