"use client";
// Experiment: GetUser four ways (issue 14 §4). The lab's tapped clients send it over gRPC (h2c), gRPC-web, Connect
// and REST (LabService.CompareGetUser), each on a connection of its own, so all four are on the timeline; the table
// compares sizes, writes and status, and each way's bytes are dumped with the protobuf message marked: the same
// bytes in the three binary ways, everything around them the way's own framing.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { WireWay, type ByteSpan, type WireCall } from "@/gen/lab/v1/grpc_lesson_pb";
import { labClient } from "../lab-client";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { useLabCall } from "../lesson-kit/lab-call";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, ErrorText, inputClass, Panel } from "../lesson-kit/ui";
import { formatMs } from "../http-lesson/exchange-view";
import { HexDump } from "./hex-dump";

export const WAY_NAME: Readonly<Record<number, Keys<"grpcLesson">>> = {
  [WireWay.GRPC]: "wayGrpc",
  [WireWay.GRPC_WEB]: "wayGrpcWeb",
  [WireWay.CONNECT]: "wayConnect",
  [WireWay.REST]: "wayRest",
};

export function FourWaysPanel() {
  const t = useT("grpcLesson");
  const { run, pending, error } = useLabCall();
  const [userId, setUserId] = useState("1");
  const [calls, setCalls] = useState<readonly WireCall[]>([]);
  const inputId = useId();

  async function send() {
    const answer = await run(() => labClient().compareGetUser({ userId: Number.parseInt(userId, 10) || 0 }));
    if (answer) setCalls(answer.calls);
  }

  const spanText = (s: ByteSpan | undefined) => (s && s.length > 0 ? String(s.length) : "–");

  return (
    <Panel id="grpc-four-ways" title={t("fwTitle")}>
      <Paragraphs texts={[t("fwP1")]} />
      <div className="flex flex-wrap items-end gap-3">
        <label htmlFor={inputId} className="text-sm font-medium">
          {t("fwUser")}
          <input id={inputId} className={`${inputClass} mt-1 w-24`} inputMode="numeric" value={userId} onChange={(e) => setUserId(e.target.value.replace(/\D/g, "").slice(0, 7))} />
        </label>
        <button type="button" className={buttonPrimary} disabled={pending} onClick={() => void send()}>
          {t("fwRun")}
        </button>
      </div>
      {error && <ErrorText>{error}</ErrorText>}
      {calls.length > 0 && <TimelineNotice />}
      {calls.length > 0 && (
        <div aria-live="polite" className="space-y-4">
          <div className="overflow-x-auto" role="region" aria-label={t("fwCaption")} tabIndex={0}>
            <table className="w-full min-w-[40rem] border-collapse text-left text-sm">
              <caption className="text-left font-medium">{t("fwCaption")}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-600">
                  <th scope="col" className="py-1 pr-2">{t("colWay")}</th>
                  <th scope="col" className="py-1 pr-2">{t("colTransport")}</th>
                  <th scope="col" className="py-1 pr-2">{t("colStatus")}</th>
                  <th scope="col" className="py-1 pr-2 text-right">{t("colSent")}</th>
                  <th scope="col" className="py-1 pr-2 text-right">{t("colGot")}</th>
                  <th scope="col" className="py-1 pr-2 text-right">{t("colWrites")}</th>
                  <th scope="col" className="py-1 pr-2 text-right">{t("colMessage")}</th>
                  <th scope="col" className="py-1 text-right">{t("colTime")}</th>
                </tr>
              </thead>
              <tbody>
                {calls.map((call) => (
                  <tr key={call.way} data-way={WireWay[call.way]} className="border-b border-slate-200 align-top dark:border-slate-800">
                    <th scope="row" className="py-1 pr-2 font-medium">{t(WAY_NAME[call.way]!)}</th>
                    <td className="py-1 pr-2">{t(call.way === WireWay.GRPC ? "transportH2" : "transportH1")}</td>
                    <td className="py-1 pr-2 font-mono" data-cell="status">{call.status}</td>
                    <td className="py-1 pr-2 text-right font-mono" data-cell="sent">{call.request.length}</td>
                    <td className="py-1 pr-2 text-right font-mono" data-cell="got">{call.response.length}</td>
                    <td className="py-1 pr-2 text-right font-mono">
                      {call.clientWrites} / {call.serverWrites}
                    </td>
                    <td className="py-1 pr-2 text-right font-mono">
                      {call.way === WireWay.REST ? t("fwNoMessage") : t("fwMessageBytes", { req: spanText(call.requestMessage), res: spanText(call.responseMessage) })}
                    </td>
                    <td className="py-1 text-right font-mono">{t("fwMs", { ms: formatMs(call.elapsedMs) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="text-sm">
            <mark className="rounded bg-amber-200 px-1 text-slate-950 dark:bg-amber-300">{t("fwLegend")}</mark>
          </p>
          {calls.map((call) => (
            <details key={call.way} className="rounded border border-slate-200 p-2 dark:border-slate-700" data-way={WireWay[call.way]}>
              <summary className="cursor-pointer font-medium">{t("fwBytesTitle", { way: t(WAY_NAME[call.way]!) })}</summary>
              <div className="mt-2 space-y-3">
                <HexDump title={t("fwRequest", { n: call.request.length })} bytes={call.request} mark={call.requestMessage} />
                <HexDump title={t("fwResponse", { n: call.response.length })} bytes={call.response} mark={call.responseMessage} />
                <p className="font-mono text-sm break-all">{t("fwAnswer", { json: call.answerJson })}</p>
              </div>
            </details>
          ))}
        </div>
      )}
    </Panel>
  );
}
