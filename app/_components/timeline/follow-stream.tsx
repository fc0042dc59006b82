"use client";
// Follow stream (issue 15 §2), as Wireshark's Follow TCP Stream: a button in the details of any event of a
// conversation opens a dialog with the conversation's bytes, both directions in the order they were sent, coloured
// per direction (and named, for readers who do not see the colours), as text, a hex dump or raw hex. Each chunk names
// its event, and choosing it selects that event on the timeline: the view and the arrows stay linked.

import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import type { FollowConversationResponse } from "@/gen/lab/v1/lab_pb";
import { Direction, Transport, type Conversation } from "@/gen/lab/v1/timeline_pb";
import { useT } from "@/app/_i18n/client";
import { conversationName } from "./describe";
import { chunkLines, copiedText, shownSide, streamOffsets, type FollowSides, type FollowView } from "./follow-stream-model";

/** Bytes rendered before "Show more": a hex dump of a whole megabyte is 65,536 lines. */
const RENDER_STEP = 64 * 1024;

const SIDE_STYLE = {
  client: "border-rose-500 bg-rose-50 text-rose-950 dark:border-rose-400 dark:bg-rose-950/60 dark:text-rose-50",
  server: "border-sky-500 bg-sky-50 text-sky-950 dark:border-sky-400 dark:bg-sky-950/60 dark:text-sky-50",
} as const;

export interface FollowStreamProps {
  readonly conversation: Conversation;
  /** The event whose details opened it: its chunk is marked and scrolled to. */
  readonly selectedSeq: bigint;
  readonly follow: (conversationId: string) => Promise<FollowConversationResponse>;
  readonly onSelectEvent: (seq: bigint) => void;
}

export function FollowStream({ conversation, selectedSeq, follow, onSelectEvent }: FollowStreamProps) {
  const t = useT("followStream");
  const timelineT = useT("timeline");
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const udp = conversation.transport === Transport.UDP;
  const [open, setOpen] = useState(false);
  const [answer, setAnswer] = useState<{ response?: FollowConversationResponse; error?: string } | null>(null);
  const [view, setView] = useState<FollowView>("text");
  const [sides, setSides] = useState<FollowSides>("both");
  const [budget, setBudget] = useState(RENDER_STEP);
  const [copyState, setCopyState] = useState<"idle" | "copied" | "failed">("idle");

  const show = useCallback(() => {
    setOpen(true);
    setAnswer(null);
    setBudget(RENDER_STEP);
    setCopyState("idle");
    dialogRef.current?.showModal();
    follow(conversation.id).then(
      (response) => setAnswer({ response }),
      (error: unknown) => setAnswer({ error: error instanceof Error ? error.message : String(error) }),
    );
  }, [conversation.id, follow]);
  const hide = useCallback(() => dialogRef.current?.close(), []);

  const chunks = useMemo(() => answer?.response?.chunks ?? [], [answer]);
  const offsets = useMemo(() => streamOffsets(chunks), [chunks]);
  // The chunks to render: the shown sides' ones, until the byte budget is spent.
  const { rendered, restBytes } = useMemo(() => {
    const rendered: number[] = [];
    let bytes = 0;
    let restBytes = 0;
    chunks.forEach((chunk, i) => {
      if (!shownSide(chunk.direction, sides)) return;
      if (bytes < budget) rendered.push(i);
      else restBytes += chunk.data.length;
      bytes += chunk.data.length;
    });
    return { rendered, restBytes };
  }, [chunks, sides, budget]);

  // The chunk of the event that opened the dialog comes into view once it is there.
  useEffect(() => {
    if (!open || !answer?.response) return;
    dialogRef.current?.querySelector('[data-selected="true"]')?.scrollIntoView({ block: "nearest" });
  }, [open, answer]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(copiedText(chunks, view, sides));
      setCopyState("copied");
    } catch {
      setCopyState("failed");
    }
  };

  const response = answer?.response;
  return (
    <>
      <button
        type="button"
        onClick={show}
        title={t("openHelp")}
        className="rounded border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 dark:border-slate-600 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-300"
      >
        {t(udp ? "openUdp" : "openTcp")}
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        onClose={() => setOpen(false)}
        className="m-auto flex max-h-[90dvh] w-[min(64rem,calc(100vw-1rem))] flex-col gap-2 rounded-lg border border-slate-300 bg-white p-3 text-slate-900 shadow-xl backdrop:bg-slate-950/50 open:flex dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 [&:not([open])]:hidden"
      >
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0">
            <h2 id={titleId} className="text-base font-semibold">
              {t(udp ? "titleUdp" : "titleTcp")}
            </h2>
            <p className="break-words text-sm text-slate-700 dark:text-slate-300">{conversationName(timelineT, conversation)}</p>
          </div>
          <button
            type="button"
            onClick={hide}
            className="rounded border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 dark:border-slate-600 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-300"
          >
            {t("close")}
          </button>
        </div>
        {open && !answer && <p className="text-sm">{t("loading")}</p>}
        {answer?.error !== undefined && (
          <p role="alert" className="text-sm text-red-800 dark:text-red-300">
            {t("failed", { message: answer.error })}
          </p>
        )}
        {response && (
          <>
            <p className="text-sm">
              {t(udp ? "totalsUdp" : "totals", {
                clientBytes: Number(response.clientBytes),
                clientChunks: response.clientChunks,
                serverBytes: Number(response.serverBytes),
                serverChunks: response.serverChunks,
              })}{" "}
              <span className={`whitespace-nowrap rounded border-l-4 px-1 ${SIDE_STYLE.client}`}>{t("legendClient")}</span>{" "}
              <span className={`whitespace-nowrap rounded border-l-4 px-1 ${SIDE_STYLE.server}`}>{t("legendServer")}</span>
            </p>
            {response.omittedChunks > 0 && (
              <p className="text-sm text-amber-900 dark:text-amber-200">{t("omitted", { n: response.omittedChunks })}</p>
            )}
            <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
              <label className="flex items-center gap-1">
                {t("sidesLabel")}
                <select
                  value={sides}
                  onChange={(e) => setSides(e.target.value as FollowSides)}
                  className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-600 dark:bg-slate-900"
                >
                  <option value="both">{t("sidesBoth")}</option>
                  <option value="client">{t("sidesClient")}</option>
                  <option value="server">{t("sidesServer")}</option>
                </select>
              </label>
              <fieldset className="flex flex-wrap items-center gap-2">
                <legend className="float-left mr-1">{t("viewLabel")}</legend>
                {(["text", "hex", "raw"] as const).map((v) => (
                  <label key={v} className="flex items-center gap-1">
                    <input type="radio" name={`${titleId}-view`} value={v} checked={view === v} onChange={() => setView(v)} />
                    {t(v === "text" ? "viewText" : v === "hex" ? "viewHex" : "viewRaw")}
                  </label>
                ))}
              </fieldset>
              <button
                type="button"
                onClick={copy}
                className="rounded border border-slate-300 px-2 py-0.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-700 dark:border-slate-600 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-300"
              >
                {t("copy")}
              </button>
              <span role="status" className="text-slate-700 dark:text-slate-300">
                {copyState === "copied" ? t("copied") : copyState === "failed" ? t("copyFailed") : ""}
              </span>
            </div>
            {chunks.length === 0 ? (
              <p className="text-sm">{t("empty")}</p>
            ) : (
              <div
                role="region"
                aria-label={t("streamLabel")}
                tabIndex={0}
                className="min-h-0 flex-1 space-y-1 overflow-auto rounded border border-slate-200 p-1 focus-visible:outline-2 focus-visible:outline-blue-700 dark:border-slate-700 dark:focus-visible:outline-sky-300"
              >
                {rendered.map((i) => {
                  const chunk = chunks[i]!;
                  const client = chunk.direction === Direction.CLIENT_TO_SERVER;
                  const selected = chunk.seq === selectedSeq;
                  const name = t(client ? "chunkClient" : "chunkServer", { n: Number(chunk.number), bytes: chunk.data.length });
                  return (
                    <div
                      key={chunk.seq.toString()}
                      data-testid="follow-chunk"
                      data-direction={client ? "client" : "server"}
                      data-selected={selected || undefined}
                      className={`rounded border-l-4 px-2 py-1 ${SIDE_STYLE[client ? "client" : "server"]} ${selected ? "ring-2 ring-amber-500" : ""}`}
                    >
                      <button
                        type="button"
                        title={t("chunkHelp")}
                        onClick={() => {
                          onSelectEvent(chunk.seq);
                          hide();
                        }}
                        className="text-left text-xs underline decoration-dotted underline-offset-2 hover:decoration-solid focus-visible:outline-2 focus-visible:outline-blue-700 dark:focus-visible:outline-sky-300"
                      >
                        {name}
                        {selected && ` ${t("chunkSelected")}`}
                      </button>
                      <pre className={`font-mono text-[13px] leading-5 ${view === "raw" ? "break-all whitespace-pre-wrap" : view === "hex" ? "w-max whitespace-pre" : "whitespace-pre-wrap break-words"}`}>
                        {chunkLines(chunk, view, offsets[i]!).join("\n")}
                      </pre>
                    </div>
                  );
                })}
                {restBytes > 0 && (
                  <button
                    type="button"
                    onClick={() => setBudget((b) => b + RENDER_STEP)}
                    className="rounded border border-slate-300 px-2 py-0.5 text-sm hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800"
                  >
                    {t("showMore", { n: restBytes })}
                  </button>
                )}
              </div>
            )}
          </>
        )}
      </dialog>
    </>
  );
}
