"use client";
// Experiment 3: the echo server (seed 000, port 8888). The student connects, sends text or raw hex
// bytes, tries the server's `time` and `exit` commands, and ends the connection with a half-close
// (shutdown of the sending side) or a full close.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { useServicePort } from "../lesson-kit/service-port";
import { concatBytes, decodeUtf8, parseHex, toHex, utf8, visibleText, type HexParse } from "../lesson-kit/bytes";
import { ConnectionLine, TimelineNotice } from "../lesson-kit/connection-state";
import { lab } from "../lesson-kit/lab-call";
import { lastAnswer } from "./model";
import { Code, Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, buttonSecondary, BytesText, ErrorText, inputClass, Panel } from "../lesson-kit/ui";
import { useExperiment } from "../lesson-kit/use-experiment";

type InputMode = "text" | "hex";

// Long previews would push the buttons off a phone's screen.
const PREVIEW_BYTES = 32;

function encodeInput(mode: InputMode, value: string, newline: boolean): HexParse {
  if (mode === "hex") return parseHex(value);
  return { ok: true, bytes: utf8(newline ? `${value}\n` : value) };
}

function ModePicker({ mode, onChange }: { mode: InputMode; onChange: (mode: InputMode) => void }) {
  const t = useT("tcpLesson");
  return (
    <fieldset className="text-sm">
      <legend className="mb-1 font-medium">{t("echoModeLegend")}</legend>
      <div className="flex flex-wrap gap-4">
        {(["text", "hex"] as const).map((value) => (
          <label key={value} className="inline-flex items-center gap-1.5">
            <input
              type="radio"
              name="echo-mode"
              value={value}
              checked={mode === value}
              onChange={() => onChange(value)}
              className="size-4 accent-blue-700 dark:accent-blue-300"
            />
            {value === "text" ? t("echoModeText") : t("echoModeHex")}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function LastAnswer({ chunks }: { chunks: Uint8Array[] }) {
  const t = useT("tcpLesson");
  const total = concatBytes(chunks);
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium">{t("echoLastAnswer", { n: total.length })}</p>
      <ol className="space-y-1">
        {chunks.map((chunk, i) => (
          <li key={i}>
            <BytesText text={visibleText(decodeUtf8(chunk))} />
          </li>
        ))}
      </ol>
    </div>
  );
}

export function EchoPanel() {
  const t = useT("tcpLesson");
  const port = useServicePort("tcp-echo");
  const experiment = useExperiment("tcp-echo");
  const [mode, setMode] = useState<InputMode>("text");
  const [value, setValue] = useState("hello");
  const [newline, setNewline] = useState(false);
  const inputId = useId();
  const previewId = useId();

  const id = experiment.conversation?.id;
  const { state } = experiment;
  // After a half-close or the server's FIN there is nobody to write to: sending is for an open connection.
  const canSend = id !== undefined && state === "open" && !experiment.pending;
  const canEnd = id !== undefined && state !== "closed" && state !== "error" && state !== "connecting";
  const encoded = encodeInput(mode, value, newline);
  const answer = lastAnswer(experiment.events);

  async function send(bytes: Uint8Array) {
    if (!id) return;
    await experiment.run(() => lab.send(id, [bytes]));
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (encoded.ok && encoded.bytes.length > 0) void send(encoded.bytes);
  }

  return (
    <Panel id="echo" title={t("echoTitle", { port: String(port) })}>
      <Paragraphs texts={[t("echoP1"), t("echoP2"), t("echoP3")]} />
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={buttonPrimary}
          onClick={() => void experiment.open()}
          disabled={state === "connecting" || (id !== undefined && state !== "closed" && state !== "error")}
        >
          {id === undefined ? t("echoConnect") : t("echoReconnect")}
        </button>
        <button
          type="button"
          className={buttonSecondary}
          disabled={!canEnd || state === "clientHalfClosed" || state === "bothHalfClosed"}
          onClick={() => id && void experiment.run(() => lab.halfClose(id))}
        >
          {t("echoHalfClose")}
        </button>
        <button
          type="button"
          className={buttonSecondary}
          disabled={!canEnd}
          onClick={() => id && void experiment.run(() => lab.close(id))}
        >
          {t("echoClose")}
        </button>
      </div>
      <ConnectionLine state={state} port={experiment.conversation?.client?.port} />

      <form onSubmit={onSubmit} className="space-y-2">
        <ModePicker mode={mode} onChange={setMode} />
        <label htmlFor={inputId} className="block text-sm font-medium">
          {mode === "text" ? t("echoInputText") : t("echoInputHex")}
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id={inputId}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-describedby={previewId}
            aria-invalid={!encoded.ok}
            placeholder={mode === "hex" ? "68 65 6c 6c 6f 0a" : undefined}
            className={`${inputClass} flex-1 basis-48`}
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" className={buttonPrimary} disabled={!canSend || !encoded.ok || encoded.bytes.length === 0}>
            {t("echoSend")}
          </button>
        </div>
        {mode === "text" && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={newline} onChange={(e) => setNewline(e.target.checked)} className="size-4 accent-blue-700 dark:accent-blue-300" />
            <span>
              {t("echoNewline")} <Code>\n</Code>
            </span>
          </label>
        )}
        <p id={previewId} className="text-sm text-slate-700 dark:text-slate-300">
          {encoded.ok ? (
            <>
              {t("echoPreview", { n: encoded.bytes.length })}{" "}
              <span className="font-mono">
                {toHex(encoded.bytes, PREVIEW_BYTES)}
                {encoded.bytes.length > PREVIEW_BYTES ? " …" : ""}
              </span>
            </>
          ) : (
            <span className="text-red-800 dark:text-red-300">
              <span aria-hidden="true">✕ </span>
              {encoded.reason === "badChar" ? t("hexBadChar") : t("hexOddLength")}
            </span>
          )}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm">{t("echoQuick")}</span>
          {(["time", "exit"] as const).map((command) => (
            <button key={command} type="button" className={buttonSecondary} disabled={!canSend} onClick={() => void send(utf8(command))}>
              <span className="sr-only">{t("echoQuickSend")} </span>
              <span className="font-mono">{command}</span>
            </button>
          ))}
        </div>
      </form>
      {id === undefined && <p className="text-sm text-slate-700 dark:text-slate-300">{t("echoConnectFirst")}</p>}
      {experiment.error && <ErrorText>{experiment.error}</ErrorText>}
      {experiment.conversation && <TimelineNotice />}
      <div aria-live="polite">{answer.length > 0 && <LastAnswer chunks={answer} />}</div>
    </Panel>
  );
}
