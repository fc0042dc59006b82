"use client";
// Experiment 2: the greeting server (seed 002, port 8007) and the difference between characters and
// bytes. The counts shown for "sent" and "answered" come from the bytes on the timeline, not from the
// text box, so they are what really crossed the connection.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import { GREETING_MESSAGE } from "../home/commands";
import { useServicePort } from "../lesson-kit/service-port";
import { characterBytes, concatBytes, countCharacters, decodeUtf8, toHex, utf8, visibleText } from "../lesson-kit/bytes";
import { dataChunks } from "../lesson-kit/connection";
import { ConnectionLine, TimelineNotice } from "../lesson-kit/connection-state";
import { lab } from "../lesson-kit/lab-call";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, inputClass, Panel } from "../lesson-kit/ui";
import { useExperiment } from "../lesson-kit/use-experiment";

// Enough characters to see the pattern; a pasted essay would only stretch the page.
const BREAKDOWN_LIMIT = 40;

function CharacterBytes({ text }: { text: string }) {
  const t = useT("tcpLesson");
  const chars = characterBytes(text);
  return (
    <div className="space-y-1">
      <p id="greeting-breakdown" className="text-sm font-medium">
        {t("greetingBreakdown")}
      </p>
      <ol aria-labelledby="greeting-breakdown" className="flex flex-wrap gap-1">
        {chars.slice(0, BREAKDOWN_LIMIT).map(({ char, bytes }, i) => (
          <li
            key={i}
            className={`rounded border px-1.5 py-1 text-center font-mono text-xs ${
              bytes.length > 1 ? "border-blue-600 border-2 dark:border-blue-400" : "border-slate-300 dark:border-slate-600"
            }`}
          >
            <span className="block text-sm">{char === " " ? "␣" : visibleText(char)}</span>
            <span className="block text-slate-700 dark:text-slate-300">{toHex(bytes)}</span>
            <span className="sr-only">{t("greetingCharBytes", { n: bytes.length })}</span>
          </li>
        ))}
      </ol>
      {chars.length > BREAKDOWN_LIMIT && <p className="text-xs">{t("greetingBreakdownCut", { n: BREAKDOWN_LIMIT })}</p>}
    </div>
  );
}

function CountRow({ label, bytes }: { label: string; bytes: Uint8Array }) {
  const text = decodeUtf8(bytes);
  return (
    <tr className="border-t border-slate-200 dark:border-slate-700">
      <th scope="row" className="py-1.5 pr-3 text-left font-medium">
        {label}
      </th>
      <td className="py-1.5 pr-3 font-mono break-words">{visibleText(text)}</td>
      <td className="py-1.5 pr-3 tabular-nums">{countCharacters(text)}</td>
      <td className="py-1.5 tabular-nums">{bytes.length}</td>
    </tr>
  );
}

export function GreetingPanel() {
  const t = useT("tcpLesson");
  const port = useServicePort("greeting");
  const experiment = useExperiment("greeting");
  const [message, setMessage] = useState(GREETING_MESSAGE);
  const inputId = useId();
  const countsId = useId();
  const typed = utf8(message);
  const sent = concatBytes(dataChunks(experiment.events, Direction.CLIENT_TO_SERVER));
  const answered = concatBytes(dataChunks(experiment.events, Direction.SERVER_TO_CLIENT));
  const busy = experiment.state === "connecting" || experiment.pending;

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    // The server reads once and answers; one connection per greeting, as in the seed's client.
    const conversation = await experiment.open();
    if (!conversation) return;
    await experiment.run(() => lab.send(conversation.id, [utf8(message)]));
  }

  return (
    <Panel id="greeting" title={t("greetingTitle", { port: String(port) })}>
      <Paragraphs texts={[t("greetingP1"), t("greetingP2"), t("greetingP3")]} />
      <form onSubmit={onSubmit} className="space-y-2">
        <label htmlFor={inputId} className="block text-sm font-medium">
          {t("greetingInput")}
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id={inputId}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            aria-describedby={countsId}
            className={`${inputClass} flex-1 basis-48`}
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" className={buttonPrimary} disabled={busy || message.length === 0}>
            {t("greetingSend")}
          </button>
        </div>
        <p id={countsId} className="text-sm text-slate-700 dark:text-slate-300">
          {t("greetingCounts", { chars: countCharacters(message), n: typed.length })}
        </p>
      </form>
      {message.length > 0 && <CharacterBytes text={message} />}
      <ConnectionLine state={experiment.state} port={experiment.conversation?.client?.port} />
      {experiment.error && <ErrorText>{experiment.error}</ErrorText>}
      {experiment.conversation && <TimelineNotice />}
      <div aria-live="polite">
        {(sent.length > 0 || answered.length > 0) && (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[18rem] text-sm">
              <caption className="pb-1 text-left font-medium">{t("greetingTableCaption")}</caption>
              <thead>
                <tr className="text-left text-xs uppercase tracking-wide text-slate-600 dark:text-slate-300">
                  <td />
                  <th scope="col" className="pr-3 font-medium">
                    {t("greetingColText")}
                  </th>
                  <th scope="col" className="pr-3 font-medium">
                    {t("greetingColChars")}
                  </th>
                  <th scope="col" className="font-medium">
                    {t("greetingColBytes")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {sent.length > 0 && <CountRow label={t("greetingRowSent")} bytes={sent} />}
                {answered.length > 0 && <CountRow label={t("greetingRowAnswer")} bytes={answered} />}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Panel>
  );
}
