"use client";
// The framing experiment: two messages written back to back in one write(), which is what two quick send()s look
// like to a reader whose recv() finds both. The server's read carries two objects, the timeline's JIM dissector
// cuts them apart and flags the second, and the panel says what `json.loads(data)` makes of that read: Python's
// "Extra data" error, with the position it would name (the first object's length in characters).

import { useState } from "react";
import { useT } from "@/app/_i18n/client";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, Panel } from "../lesson-kit/ui";
import { JimItems } from "./jim-items";
import { useJim } from "./use-jim";

/** What Python's json.loads says of two objects in one string: where the first one ended, in characters. */
export function extraDataError(first: string): string {
  const char = [...first].length;
  return `json.decoder.JSONDecodeError: Extra data: line 1 column ${char + 1} (char ${char})`;
}

export function FramingPanel() {
  const t = useT("jimLesson");
  const jim = useJim();
  const [name] = useState(() => `framing${Math.floor(1000 + Math.random() * 9000)}`);
  const sentPairs = jim.items.filter((i) => i.way === "out").slice(-2);

  async function run() {
    const id = jim.state === "open" && jim.conversationId ? jim.conversationId : await jim.open();
    if (!id) return;
    if (jim.state !== "open") await jim.send({ case: "presence", value: { accountName: name, password: "", status: "" } }, id);
    await jim.send(
      {
        case: "pair",
        value: { first: { to: name, from: name, message: t("framingFirst") }, second: { to: name, from: name, message: t("framingSecond") } },
      },
      id,
    );
  }

  const pair = sentPairs.length === 2 && sentPairs[0] && sentPairs[1] && sentPairs[0].streamOffset + sentPairs[0].bytes.length === sentPairs[1].streamOffset ? sentPairs : undefined;

  return (
    <Panel id="jim-framing" title={t("framingTitle")}>
      <Paragraphs texts={[t("framingP1"), t("framingP2")]} />
      <button type="button" className={buttonPrimary} disabled={jim.pending || jim.state === "connecting"} onClick={() => void run()}>
        {t("framingRun")}
      </button>
      {jim.error && <ErrorText>{jim.error}</ErrorText>}
      {pair && (
        <div className="space-y-1 text-sm">
          <p>
            <Rich text={t("framingLoads", { n: pair[0]!.bytes.length + pair[1]!.bytes.length })} />
          </p>
          <pre className="overflow-x-auto rounded bg-red-50 p-2 font-mono text-xs whitespace-pre-wrap break-all text-red-900 dark:bg-red-950 dark:text-red-100">
            {extraDataError(pair[0]!.text)}
          </pre>
          <p>
            <Rich text={t("framingLook")} />
          </p>
        </div>
      )}
      {jim.conversationId && <TimelineNotice />}
      <div aria-live="polite">
        <JimItems items={jim.items} conversationId={jim.conversationId} me={name} label={t("framingItems")} />
      </div>
    </Panel>
  );
}
