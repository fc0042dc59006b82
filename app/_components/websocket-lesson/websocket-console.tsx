"use client";
// The WebSocket console (issue 12 §3): a WebSocket from the lab's own tapped client (LabService.OpenWebSocket) to the
// lab's echo or to a chat room, so every byte of the upgrade and of each frame is on the session's timeline. The
// student sends text (JSON or not), a ping, or a close with a chosen code, and sees what comes back; a second tab (or
// a classmate) in the same room sees the same messages. The socket lives as long as the stream: leaving the page
// closes it.

import { useEffect, useId, useRef, useState } from "react";
import { ConnectError } from "@connectrpc/connect";
import { useT } from "@/app/_i18n/client";
import { labClient } from "../lab-client";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, buttonSecondary, ErrorText, inputClass, Panel, selectClass, StateBadge, type PanelState } from "../lesson-kit/ui";
import { TimelineNotice } from "../lesson-kit/connection-state";

/** The close codes the console offers (RFC 6455 §7.4.1, and one of the range for applications). */
export const CLOSE_CODES = [1000, 1001, 1003, 1008, 4000] as const;
const ROOM = /^[\p{L}\p{N}\p{Mn}\p{Pc}]{1,64}$/u;
/** Lines the log keeps: the newest. */
const LOG_LIMIT = 200;

/** One line of the log; a close's text is its reason. */
interface LogEntry {
  readonly id: number;
  readonly way: "out" | "in";
  readonly kind: "text" | "ping" | "pong" | "closed";
  readonly text: string;
  readonly code?: number;
}

export function endpointPath(endpoint: "echo" | "chat", room: string): string {
  return endpoint === "echo" ? "/api/ws/echo/" : `/api/ws/chat/${encodeURIComponent(room)}/`;
}

export function WebSocketConsole({ id = "ws-console", defaultEndpoint = "echo" }: { id?: string; defaultEndpoint?: "echo" | "chat" }) {
  const t = useT("websocketLesson");
  const [endpoint, setEndpoint] = useState<"echo" | "chat">(defaultEndpoint);
  const [room, setRoom] = useState("lobby");
  const [state, setState] = useState<PanelState>("idle");
  const [conversationId, setConversationId] = useState<string>();
  const [message, setMessage] = useState('{"message": "hello"}');
  const [closeCode, setCloseCode] = useState<number>(1000);
  const [closeReason, setCloseReason] = useState("");
  const [log, setLog] = useState<LogEntry[]>([]);
  const [error, setError] = useState<string>();
  const abort = useRef<AbortController | undefined>(undefined);
  const nextId = useRef(0);
  const ids = { endpoint: useId(), room: useId(), message: useId(), code: useId(), reason: useId(), log: useId() };

  useEffect(() => () => abort.current?.abort(), []);

  const add = (entry: Omit<LogEntry, "id">) => setLog((before) => [...before, { ...entry, id: nextId.current++ }].slice(-LOG_LIMIT));
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const failed = (err: unknown) => setError(t("consoleFailed", { why: ConnectError.from(err).rawMessage }));

  async function connect() {
    if (endpoint === "chat" && !ROOM.test(room)) {
      setError(t("consoleBadRoom"));
      return;
    }
    setError(undefined);
    setLog([]);
    setState("connecting");
    const controller = new AbortController();
    abort.current = controller;
    try {
      for await (const { update } of labClient().openWebSocket({ path: endpointPath(endpoint, room) }, { signal: controller.signal })) {
        switch (update.case) {
          case "opened":
            setConversationId(update.value.conversationId);
            setState("open");
            break;
          case "message":
            add({ way: "in", kind: "text", text: update.value.binary ? t("consoleBinary", { n: update.value.data.length }) : decode(update.value.data) });
            break;
          case "pong":
            add({ way: "in", kind: "pong", text: decode(update.value) });
            break;
          case "closed":
            add({ way: "in", kind: "closed", code: update.value.code, text: update.value.reason });
            break;
        }
      }
    } catch (err) {
      if (!controller.signal.aborted) failed(err);
    } finally {
      if (abort.current === controller) {
        abort.current = undefined;
        setState((s) => (s === "connecting" ? "idle" : "closed"));
        setConversationId(undefined);
      }
    }
  }

  async function send(what: Parameters<ReturnType<typeof labClient>["sendWebSocket"]>[0]["what"], entry?: Omit<LogEntry, "id">) {
    if (!conversationId) return;
    setError(undefined);
    // Logged before the call returns: the answer may arrive on the stream first.
    if (entry) add(entry);
    try {
      await labClient().sendWebSocket({ conversationId, what });
    } catch (err) {
      failed(err);
    }
  }

  const open = state === "open";
  const stateWord = { idle: t("consoleIdle"), connecting: t("consoleConnecting"), open: t("consoleOpen"), closed: t("consoleClosed") }[state as "idle"] ?? t("consoleClosed");

  return (
    <Panel id={id} title={t("consoleTitle")}>
      <Paragraphs texts={[t("consoleP1")]} />
      <form
        aria-label={t("consoleConnectForm")}
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (open) abort.current?.abort();
          else void connect();
        }}
      >
        <div className="space-y-1">
          <label htmlFor={ids.endpoint} className="block text-sm font-medium">
            {t("consoleEndpoint")}
          </label>
          <select id={ids.endpoint} className={`${selectClass} py-1.5`} value={endpoint} disabled={state !== "idle" && state !== "closed"} onChange={(e) => setEndpoint(e.target.value as "echo" | "chat")}>
            <option value="echo">{t("consoleEcho")}</option>
            <option value="chat">{t("consoleChat")}</option>
          </select>
        </div>
        {endpoint === "chat" && (
          <div className="space-y-1">
            <label htmlFor={ids.room} className="block text-sm font-medium">
              {t("consoleRoom")}
            </label>
            <input id={ids.room} className={`${inputClass} w-40`} value={room} disabled={state !== "idle" && state !== "closed"} onChange={(e) => setRoom(e.target.value)} autoComplete="off" spellCheck={false} />
          </div>
        )}
        <button type="submit" className={open ? buttonSecondary : buttonPrimary} disabled={state === "connecting"}>
          {open ? t("consoleDisconnect") : t("consoleConnect")}
        </button>
        <p role="status" className="flex items-center gap-2 text-sm">
          <StateBadge state={state} label={stateWord} />
          <span className="font-mono text-slate-700 dark:text-slate-300">{endpointPath(endpoint, room)}</span>
        </p>
      </form>

      <form
        aria-label={t("consoleSendForm")}
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          void send({ case: "text", value: message }, { way: "out", kind: "text", text: message });
        }}
      >
        <label htmlFor={ids.message} className="block text-sm font-medium">
          {t("consoleMessage")}
        </label>
        <div className="flex flex-wrap gap-2">
          <input id={ids.message} className={`${inputClass} flex-1 basis-56`} value={message} onChange={(e) => setMessage(e.target.value)} autoComplete="off" spellCheck={false} />
          <button type="submit" className={buttonPrimary} disabled={!open}>
            {t("consoleSend")}
          </button>
          <button type="button" className={buttonSecondary} disabled={!open} onClick={() => void send({ case: "ping", value: new TextEncoder().encode("ping") }, { way: "out", kind: "ping", text: "ping" })}>
            {t("consolePing")}
          </button>
        </div>
      </form>

      <form
        aria-label={t("consoleCloseForm")}
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void send({ case: "close", value: { code: closeCode, reason: closeReason } });
        }}
      >
        <div className="space-y-1">
          <label htmlFor={ids.code} className="block text-sm font-medium">
            {t("consoleCloseCode")}
          </label>
          <select id={ids.code} className={`${selectClass} py-1.5`} value={closeCode} onChange={(e) => setCloseCode(Number(e.target.value))}>
            {CLOSE_CODES.map((code) => (
              <option key={code} value={code}>
                {t(`consoleCode${code}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="flex-1 basis-40 space-y-1">
          <label htmlFor={ids.reason} className="block text-sm font-medium">
            {t("consoleCloseReason")}
          </label>
          <input id={ids.reason} className={inputClass} value={closeReason} maxLength={60} onChange={(e) => setCloseReason(e.target.value)} autoComplete="off" />
        </div>
        <button type="submit" className={buttonSecondary} disabled={!open}>
          {t("consoleClose")}
        </button>
      </form>

      {error && <ErrorText>{error}</ErrorText>}
      {conversationId && <TimelineNotice />}
      <div>
        <h4 id={ids.log} className="text-sm font-semibold">
          {t("consoleLog")}
        </h4>
        {log.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">{t("consoleLogEmpty")}</p>
        ) : (
          <ol aria-labelledby={ids.log} aria-live="polite" className="mt-1 max-h-64 space-y-1 overflow-y-auto font-mono text-sm" tabIndex={0}>
            {log.map((entry) => (
              <li key={entry.id} className="flex gap-2 break-all">
                <span className={entry.way === "out" ? "text-blue-800 dark:text-blue-300" : "text-emerald-800 dark:text-emerald-300"}>
                  {entry.way === "out" ? t("consoleSent") : t("consoleReceived")}
                </span>{" "}
                <span>
                  {entry.kind === "closed"
                    ? `${t("consoleClosedWith", { code: String(entry.code ?? 0) })}${entry.text ? ` ${entry.text}` : ""}`
                    : entry.kind === "text"
                      ? entry.text
                      : `${entry.kind} "${entry.text}"`}
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </Panel>
  );
}
