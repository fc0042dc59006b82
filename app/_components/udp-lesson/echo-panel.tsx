"use client";
// Experiment 1: the UDP echo server (seed 000, udp 8889 unless the host says otherwise). The student types a
// message, or presses one of the seed's own two, and each Send is one datagram from one lab client socket, kept
// for the whole panel as the seed's client keeps its socket. The server answers `UDP-ECHO: <message>`, and a
// message that starts with BINARY gets a second datagram: 8 bytes of struct.pack('If', 42, 3.14). Bytes that are
// not UTF-8 get no answer at all (the seed's server fails to decode them): the dissector says why, and after 5 s
// the lab's client records that no answer came.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { toHex, utf8 } from "../lesson-kit/bytes";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, buttonSecondary, ErrorText, inputClass, Panel } from "../lesson-kit/ui";
import { DatagramList } from "./datagram-list";
import { FlowLine } from "./flow-line";
import { useUdpPort } from "./services";
import { useUdpFlow } from "./use-udp-flow";

/** The seed's client sends these two (and "Another message"). */
export const SEED_MESSAGES = ["Hello UDP!", "BINARY_TEST"] as const;
/** Two bytes that are not UTF-8 (0xff and 0xfe never occur in it): the seed's server fails to decode them and answers nothing. */
const NOT_UTF8 = new Uint8Array([0xff, 0xfe]);
// The preview shows the first bytes; the datagram carries them all.
const PREVIEW_BYTES = 32;

export function EchoPanel() {
  const t = useT("udpLesson");
  const port = useUdpPort("udp-echo");
  const udp = useUdpFlow("udp-echo");
  const [value, setValue] = useState("Hello UDP!");
  const inputId = useId();
  const previewId = useId();
  const bytes = utf8(value);

  async function sendBytes(bytes: Uint8Array) {
    const flow = await udp.ensureOpen();
    if (flow) await udp.send([bytes], flow);
  }

  function send(message: string) {
    return sendBytes(utf8(message));
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    void send(value);
  }

  return (
    <Panel id="udp-echo" title={t("echoTitle", { port: String(port) })}>
      <Paragraphs texts={[t("echoP1"), t("echoP2"), t("echoP3")]} />
      <form onSubmit={onSubmit} className="space-y-2">
        <label htmlFor={inputId} className="block text-sm font-medium">
          {t("echoInput")}
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id={inputId}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-describedby={previewId}
            className={`${inputClass} flex-1 basis-48`}
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" className={buttonPrimary} disabled={udp.pending}>
            {t("echoSend")}
          </button>
        </div>
        <p id={previewId} className="text-sm text-slate-700 dark:text-slate-300">
          {t("echoPreview", { n: bytes.length })}{" "}
          <span className="font-mono">
            {toHex(bytes, PREVIEW_BYTES)}
            {bytes.length > PREVIEW_BYTES ? " …" : ""}
          </span>
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm">{t("echoQuick")}</span>
          {SEED_MESSAGES.map((message) => (
            <button key={message} type="button" className={buttonSecondary} disabled={udp.pending} onClick={() => void send(message)}>
              <span className="sr-only">{t("echoQuickSend")} </span>
              <span className="font-mono">{message}</span>
            </button>
          ))}
          <button type="button" className={buttonSecondary} disabled={udp.pending} onClick={() => void sendBytes(NOT_UTF8)}>
            <span className="sr-only">{t("echoQuickSend")} </span>
            <span className="font-mono">{toHex(NOT_UTF8)}</span> {t("echoNotUtf8")}
          </button>
        </div>
      </form>
      <FlowLine flow={udp.flow} />
      {udp.error && <ErrorText>{udp.error}</ErrorText>}
      {udp.flow && <TimelineNotice />}
      <div aria-live="polite">{udp.flow && <DatagramList events={udp.events} label={t("echoDatagrams")} />}</div>
    </Panel>
  );
}
