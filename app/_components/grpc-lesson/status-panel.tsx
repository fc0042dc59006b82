"use client";
// Experiment: the status code explorer (issue 14 §4). Each code of seed 001's table that the lab's gRPC service can
// really produce, by one real h2c call from the lab's tapped client (LabService.ProduceGrpcStatus): what the code
// means, whether to retry, and the response's headers and trailers (or the RST_STREAM) that carried it.

import { useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { StatusExperiment, type MetadataField, type ProduceGrpcStatusResponse } from "@/gen/lab/v1/grpc_lesson_pb";
import { labClient } from "../lab-client";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { useLabCall } from "../lesson-kit/lab-call";
import { Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonSecondary, ErrorText, Panel } from "../lesson-kit/ui";

type K = Keys<"grpcLesson">;

export interface StatusRow {
  readonly experiment: StatusExperiment;
  /** The code's name as gRPC spells it. */
  readonly code: string;
  readonly how: K;
  readonly meaning: K;
  readonly retry: K;
  readonly verdict: "retryYes" | "retryNo" | "retryMaybe";
}

export const STATUS_ROWS: readonly StatusRow[] = [
  { experiment: StatusExperiment.OK, code: "OK", how: "howOk", meaning: "meanOk", retry: "retryOk", verdict: "retryNo" },
  { experiment: StatusExperiment.NOT_FOUND, code: "NOT_FOUND", how: "howNotFound", meaning: "meanNotFound", retry: "retryNotFound", verdict: "retryNo" },
  { experiment: StatusExperiment.INVALID_ARGUMENT, code: "INVALID_ARGUMENT", how: "howInvalidArgument", meaning: "meanInvalidArgument", retry: "retryInvalidArgument", verdict: "retryNo" },
  { experiment: StatusExperiment.ALREADY_EXISTS, code: "ALREADY_EXISTS", how: "howAlreadyExists", meaning: "meanAlreadyExists", retry: "retryAlreadyExists", verdict: "retryNo" },
  { experiment: StatusExperiment.UNAUTHENTICATED, code: "UNAUTHENTICATED", how: "howUnauthenticated", meaning: "meanUnauthenticated", retry: "retryUnauthenticated", verdict: "retryMaybe" },
  { experiment: StatusExperiment.DEADLINE_EXCEEDED, code: "DEADLINE_EXCEEDED", how: "howDeadlineExceeded", meaning: "meanDeadlineExceeded", retry: "retryDeadlineExceeded", verdict: "retryYes" },
  { experiment: StatusExperiment.RESOURCE_EXHAUSTED, code: "RESOURCE_EXHAUSTED", how: "howResourceExhausted", meaning: "meanResourceExhausted", retry: "retryResourceExhausted", verdict: "retryMaybe" },
  { experiment: StatusExperiment.CANCELLED, code: "CANCELLED", how: "howCancelled", meaning: "meanCancelled", retry: "retryCancelled", verdict: "retryNo" },
  { experiment: StatusExperiment.UNIMPLEMENTED, code: "UNIMPLEMENTED", how: "howUnimplemented", meaning: "meanUnimplemented", retry: "retryUnimplemented", verdict: "retryNo" },
];

function Fields({ fields, empty }: { fields: readonly MetadataField[]; empty: string }) {
  if (fields.length === 0) return <p className="text-sm">{empty}</p>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 font-mono text-xs">
      {fields.map((f, i) => (
        <div key={i} className="contents">
          <dt className="font-semibold">{f.name}</dt>
          <dd className="break-all">{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function StatusPanel() {
  const t = useT("grpcLesson");
  const { run, pending, error } = useLabCall();
  const [result, setResult] = useState<{ row: StatusRow; answer: ProduceGrpcStatusResponse }>();

  async function produce(row: StatusRow) {
    const answer = await run(() => labClient().produceGrpcStatus({ experiment: row.experiment }));
    if (answer) setResult({ row, answer });
  }

  return (
    <Panel id="grpc-status" title={t("stTitle")}>
      <Paragraphs texts={[t("stP1")]} />
      <div className="overflow-x-auto" role="region" aria-label={t("stCaption")} tabIndex={0}>
        <table className="w-full min-w-[36rem] border-collapse text-left text-sm">
          <caption className="text-left font-medium">{t("stCaption")}</caption>
          <thead>
            <tr className="border-b border-slate-300 dark:border-slate-600">
              <th scope="col" className="py-1 pr-2">{t("stColCode")}</th>
              <th scope="col" className="py-1 pr-2">{t("stColHow")}</th>
              <th scope="col" className="py-1 pr-2">{t("stColRetry")}</th>
            </tr>
          </thead>
          <tbody>
            {STATUS_ROWS.map((row) => (
              <tr key={row.code} className="border-b border-slate-200 align-top dark:border-slate-800">
                <th scope="row" className="py-1 pr-2">
                  <button type="button" className={`${buttonSecondary} font-mono`} disabled={pending} onClick={() => void produce(row)} aria-label={t("stProduce", { code: row.code })}>
                    {row.code}
                  </button>
                </th>
                <td className="py-1 pr-2">
                  <Rich text={t(row.how)} />
                </td>
                <td className="py-1 pr-2">{t(row.verdict)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error && <ErrorText>{error}</ErrorText>}
      {result && <TimelineNotice />}
      <div aria-live="polite">
        {result && (
          <section aria-labelledby="grpc-status-result" className="space-y-2 rounded border border-slate-200 p-3 dark:border-slate-700" data-status={result.answer.grpcStatus}>
            <h3 id="grpc-status-result" className="font-semibold">
              {t("stResultTitle", { code: result.row.code, number: String(result.answer.grpcStatus) })}
            </h3>
            <p className="font-mono text-sm break-all">{t("stPath", { path: result.answer.path })}</p>
            <p className="text-sm">{t("stSent", { note: result.answer.requestNote })}</p>
            {result.answer.grpcMessage && <p className="font-mono text-sm break-all">{t("stMessage", { message: result.answer.grpcMessage })}</p>}
            <p className="text-sm">
              <Rich text={t("stMeaning", { text: t(result.row.meaning) })} />
            </p>
            <p className="text-sm">{t("stRetryIs", { text: t(result.row.retry) })}</p>
            <h4 className="text-sm font-semibold">{t("stHeaders")}</h4>
            <Fields fields={result.answer.headers} empty={t("stNone")} />
            <h4 className="text-sm font-semibold">{t("stTrailers")}</h4>
            {result.answer.rstCode !== 0 ? (
              <p className="text-sm">{t("stRst", { code: String(result.answer.rstCode) })}</p>
            ) : (
              <Fields fields={result.answer.trailers} empty={t("stTrailersOnly")} />
            )}
          </section>
        )}
      </div>
    </Panel>
  );
}
