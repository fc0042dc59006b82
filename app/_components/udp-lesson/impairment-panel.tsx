"use client";
// Experiment 6: loss, duplicates, reordering and delay, and the seed's 5 s timeout. The session's impairment
// (lab.v1 Get/SetImpairment) applies to this browser's UDP lab clients only, both ways, from a fixed seed, so
// the same settings lose the same datagrams on every run. The panel shows what the host holds now, sets it,
// turns it off, and sends a burst of numbered datagrams on a new socket whose fate it counts from the timeline:
// LOST events (broken arrows), the duplicates' marked copies, and "no answer within 5 s".

import { useCallback, useEffect, useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import type { Impairment } from "@/gen/lab/v1/lab_pb";
import { utf8 } from "../lesson-kit/bytes";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { useLabCall } from "../lesson-kit/lab-call";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, buttonSecondary, ErrorText, inputClass, Panel } from "../lesson-kit/ui";
import { labClient } from "../lab-client";
import { DatagramList } from "./datagram-list";
import {
  checkImpairment,
  formOf,
  IMPAIRMENT_LIMITS,
  impairmentOff,
  tallyFlow,
  type ImpairmentForm,
  type ImpairmentValues,
} from "./model";
import { useUdpFlow } from "./use-udp-flow";

export const BURST = 10;
/** The example the lesson suggests: half the datagrams lost, from seed 7, so a class sees the same drops. */
export const EXAMPLE: ImpairmentValues = { dropPercent: 50, duplicatePercent: 0, reorderWindow: 0, delayMs: 0, jitterMs: 0, seed: 7 };
const OFF: ImpairmentValues = { dropPercent: 0, duplicatePercent: 0, reorderWindow: 0, delayMs: 0, jitterMs: 0, seed: 0 };

const FIELDS: readonly { key: keyof ImpairmentValues; label: Keys<"udpLesson">; unit?: Keys<"udpLesson"> }[] = [
  { key: "dropPercent", label: "impDrop", unit: "impPercent" },
  { key: "duplicatePercent", label: "impDuplicate", unit: "impPercent" },
  { key: "reorderWindow", label: "impReorder" },
  { key: "delayMs", label: "impDelay", unit: "impMs" },
  { key: "jitterMs", label: "impJitter", unit: "impMs" },
  { key: "seed", label: "impSeed" },
];

function valuesOf(impairment: Impairment | undefined): ImpairmentValues {
  if (!impairment) return OFF;
  const { dropPercent, duplicatePercent, reorderWindow, delayMs, jitterMs, seed } = impairment;
  return { dropPercent, duplicatePercent, reorderWindow, delayMs, jitterMs, seed };
}

function Current({ values }: { values: ImpairmentValues | undefined }) {
  const t = useT("udpLesson");
  let text: string;
  if (!values) text = t("impCurrentUnknown");
  else if (impairmentOff(values)) text = t("impCurrentOff");
  else text = t("impCurrent", { ...values, seed: String(values.seed) });
  return (
    <p role="status" className="rounded bg-slate-100 p-2 text-sm text-slate-900 dark:bg-slate-800 dark:text-slate-100">
      {text}
    </p>
  );
}

export function ImpairmentPanel() {
  const t = useT("udpLesson");
  const id = useId();
  const { run, pending, error } = useLabCall();
  const [current, setCurrent] = useState<ImpairmentValues>();
  const [form, setForm] = useState<ImpairmentForm>(formOf(EXAMPLE));
  const check = checkImpairment(form);
  const udp = useUdpFlow("udp-echo");
  const tally = tallyFlow(udp.events);

  useEffect(() => {
    let stopped = false;
    labClient()
      .getImpairment({})
      .then((answer) => {
        if (!stopped) setCurrent(valuesOf(answer.impairment));
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
    };
  }, []);

  const apply = useCallback(
    async (values: ImpairmentValues) => {
      const answer = await run(() => labClient().setImpairment({ impairment: values }));
      if (answer) {
        const applied = valuesOf(answer.impairment);
        setCurrent(applied);
        setForm(formOf(applied));
      }
    },
    [run],
  );

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (check.ok) void apply(check.values);
  }

  async function burst() {
    const flow = await udp.openFresh();
    if (flow) await udp.send(Array.from({ length: BURST }, (_, i) => utf8(`datagram ${i + 1}`)), flow);
  }

  const problem = check.ok ? undefined : check;
  const problemLabel = problem ? t(FIELDS.find((f) => f.key === problem.field)!.label) : "";

  return (
    <Panel id="udp-impairment" title={t("impTitle")}>
      <Paragraphs texts={[t("impP1"), t("impP2")]} />
      <Current values={current} />
      <form onSubmit={onSubmit} className="@container space-y-3" aria-describedby={problem ? `${id}-problem` : undefined}>
        <div className="grid grid-cols-1 items-end gap-3 @sm:grid-cols-2 @xl:grid-cols-3">
          {FIELDS.map(({ key, label, unit }) => {
            const limit = IMPAIRMENT_LIMITS[key];
            const invalid = problem?.field === key;
            return (
              <div key={key} className="space-y-1">
                <label htmlFor={`${id}-${key}`} className="block text-sm font-medium">
                  {t(label)}
                  {unit && <span className="font-normal text-slate-700 dark:text-slate-300"> ({t(unit)})</span>}
                </label>
                <input
                  id={`${id}-${key}`}
                  type="number"
                  inputMode={limit.integer ? "numeric" : "decimal"}
                  min={limit.min}
                  max={limit.max}
                  step={limit.integer ? 1 : "any"}
                  value={form[key]}
                  aria-invalid={invalid}
                  onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
                  className={inputClass}
                />
              </div>
            );
          })}
        </div>
        {problem && (
          <p id={`${id}-problem`} className="text-sm text-red-800 dark:text-red-300">
            <span aria-hidden="true">✕ </span>
            {t(problem.integer ? "impProblemWhole" : "impProblem", { field: problemLabel, min: problem.min, max: problem.max })}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={buttonPrimary} disabled={pending || !check.ok}>
            {t("impApply")}
          </button>
          <button type="button" className={buttonSecondary} disabled={pending} onClick={() => void apply(EXAMPLE)}>
            {t("impExample")}
          </button>
          <button type="button" className={buttonSecondary} disabled={pending} onClick={() => void apply(OFF)}>
            {t("impOff")}
          </button>
        </div>
      </form>
      {error && <ErrorText>{error}</ErrorText>}

      <div className="space-y-2 border-t border-slate-200 pt-3 dark:border-slate-700">
        <Paragraphs texts={[t("impBurstP", { n: BURST })]} />
        <button type="button" className={buttonPrimary} disabled={udp.pending} onClick={() => void burst()}>
          {t("impBurst", { n: BURST })}
        </button>
        {udp.error && <ErrorText>{udp.error}</ErrorText>}
        {udp.flow && <TimelineNotice />}
        <div aria-live="polite" className="space-y-2">
          {udp.flow && (
            <p className="text-sm" data-testid="udp-tally">
              {t("impTally", { ...tally })}
            </p>
          )}
          {udp.flow && <DatagramList events={udp.events} label={t("impDatagrams")} limit={3 * BURST} />}
        </div>
      </div>
      <Paragraphs texts={[t("impP3")]} />
    </Panel>
  );
}
