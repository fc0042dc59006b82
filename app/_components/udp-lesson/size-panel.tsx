"use client";
// Experiment 4: sizes. One datagram of 2,000 bytes to the echo server, whose recvfrom(1024) (seed 000) gets its
// first 1,024 bytes while the kernel discards the rest: the udpecho dissector marks the datagram with its
// cut_by_server finding, and the echo that comes back is 10 + 1,024 bytes. Everything shown is read from this
// flow's events: the finding's words come from the same tables as the timeline's.

import { useT, useLocale } from "@/app/_i18n/client";
import { findingText } from "@/app/_i18n/findings";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { selectOnTimeline } from "../lesson-kit/navigate";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, buttonSecondary, ErrorText, Panel } from "../lesson-kit/ui";
import { isDuplicate } from "../timeline/describe";
import { datagrams } from "./model";
import { useUdpFlow } from "./use-udp-flow";

export const BIG_DATAGRAM_BYTES = 2_000;
/** The seed's recvfrom(1024), on both sides. */
export const SEED_RECV_BYTES = 1_024;
const CUT_FINDING = "udpecho.cut_by_server";

/** 2,000 bytes of ASCII digits in tens ("0123456789" again and again): one byte per character, easy to count. */
function bigPayload(): Uint8Array {
  const bytes = new Uint8Array(BIG_DATAGRAM_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = 0x30 + (i % 10);
  return bytes;
}

export function SizePanel() {
  const t = useT("udpLesson");
  const locale = useLocale();
  const udp = useUdpFlow("udp-echo");

  async function start() {
    const flow = await udp.openFresh();
    if (flow) await udp.send([bigPayload()], flow);
  }

  const sent = datagrams(udp.events, Direction.CLIENT_TO_SERVER).find((e) => !isDuplicate(e));
  const echo = datagrams(udp.events, Direction.SERVER_TO_CLIENT).find((e) => !isDuplicate(e));
  const cut = sent?.findings.find((f) => f.code === CUT_FINDING);

  return (
    <Panel id="udp-size" title={t("sizeTitle")}>
      <Paragraphs texts={[t("sizeP1"), t("sizeP2")]} />
      <button type="button" className={buttonPrimary} disabled={udp.pending} onClick={() => void start()}>
        {t("sizeButton", { n: BIG_DATAGRAM_BYTES })}
      </button>
      {udp.error && <ErrorText>{udp.error}</ErrorText>}
      {udp.flow && <TimelineNotice />}
      <div aria-live="polite" className="space-y-2 text-sm">
        {sent && (
          <div className="space-y-2 rounded border border-slate-200 p-3 dark:border-slate-700">
            <p>
              <Rich text={t("sizeSent", { n: sent.length })} />
            </p>
            {cut && (
              <p className="rounded bg-blue-50 p-2 text-blue-950 dark:bg-blue-950 dark:text-blue-50">
                <span className="font-semibold">{t("sizeFinding")} </span>
                {findingText(locale, cut)}
              </p>
            )}
            <button type="button" className={buttonSecondary} onClick={() => selectOnTimeline(sent.seq)}>
              {t("sizeShowSent")}
            </button>
          </div>
        )}
        {echo && (
          <div className="space-y-2 rounded border border-slate-200 p-3 dark:border-slate-700">
            <p>
              <Rich text={t("sizeEcho", { n: echo.length, prefix: echo.length - Math.min(sent?.length ?? 0, SEED_RECV_BYTES) })} />
            </p>
            {echo.length > SEED_RECV_BYTES && (
              <p>
                <Rich text={t("sizeClientCut", { n: echo.length, recv: SEED_RECV_BYTES, lost: echo.length - SEED_RECV_BYTES })} />
              </p>
            )}
            <button type="button" className={buttonSecondary} onClick={() => selectOnTimeline(echo.seq)}>
              {t("sizeShowEcho")}
            </button>
          </div>
        )}
      </div>
      <Paragraphs texts={[t("sizeP3")]} />
    </Panel>
  );
}
