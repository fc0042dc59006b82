"use client";
// The HTTP request composer (issue 11 §4): method, path and query, headers, a body (text, JSON checked as typed,
// urlencoded or multipart form fields), redirects followed or not; presets for the course's requests, and seed
// 000's HTTPClientExample run one step at a time or all at once. The lab's tapped client sends it
// (LabService.SendHttp), so its bytes land on the timeline; the answer links there. The same request is given as a
// curl command and as Python code, at the host and port the running lab reports. /tools/http shows it beside the
// timeline; a lesson embeds it with its own preset list (`groups`), inside a LabStatusProvider and a timeline.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { HttpClientError, type SendHttpResponse } from "@/gen/lab/v1/lab_pb";
import { CommandBlock } from "../home/command-block";
import { endpointOf } from "../home/commands";
import { usePageHost } from "../home/use-page-host";
import { labClient } from "../lab-client";
import { useLabStatus } from "../lab-status";
import { callFailure } from "../lesson-kit/lab-call";
import { buttonPrimary, buttonSecondary, ErrorText, inputClass, selectClass } from "../lesson-kit/ui";
import { FieldsEditor } from "./fields-editor";
import {
  baseUrl,
  BODY_MODES,
  curlCommand,
  EMPTY_REQUEST,
  findPreset,
  jsonProblem,
  METHODS,
  newBoundary,
  normalizePath,
  PRESET_GROUPS,
  pythonRequests,
  sendHttpRequest,
  type BodyMode,
  type ComposerRequest,
  type Preset,
  type PresetGroup,
} from "./model";
import { ExchangeView, TimelineLink } from "./response-view";

const BODY_LABEL = { none: "bodyNone", raw: "bodyRaw", json: "bodyJson", form: "bodyForm", multipart: "bodyMultipart" } as const;
const GROUP_LABEL = { seed000: "groupSeed000", workshop: "groupWorkshop", redirect: "groupRedirect", rpc: "groupRpc", echo: "groupEcho" } as const;
const ERROR_TEXT = {
  [HttpClientError.TIMEOUT]: "errorTimeout",
  [HttpClientError.CLOSED]: "errorClosed",
  [HttpClientError.BAD_RESPONSE]: "errorBadResponse",
  [HttpClientError.TOO_MANY_REDIRECTS]: "errorTooManyRedirects",
  [HttpClientError.FOREIGN_REDIRECT]: "errorForeignRedirect",
  [HttpClientError.CONNECT_FAILED]: "errorConnect",
} as const;

/** A problem with what is typed, said as it is typed (politely: an alert on every key would be noise). */
const problemClass = "font-medium text-red-800 dark:text-red-300";

/** One step of a sequence run: its preset and what came back. */
interface StepResult {
  readonly preset: Preset;
  readonly status: number | undefined;
  readonly seq: bigint;
}

function send(request: ComposerRequest): Promise<SendHttpResponse> {
  return labClient().sendHttp(sendHttpRequest(request, newBoundary()));
}

export interface HttpComposerProps {
  /** The presets offered (all the course's by default); a lesson passes its own. */
  readonly groups?: readonly PresetGroup[];
  readonly initialPreset?: string;
  /** The level of the composer's own headings: 2 on its page, 3 inside a lesson's section. */
  readonly headingLevel?: 2 | 3;
  /** The form's name where a page holds several composers (a lesson's sections), so each landmark has its own. */
  readonly label?: string;
}

export function HttpComposer({ groups = PRESET_GROUPS, initialPreset, headingLevel = 2, label }: HttpComposerProps) {
  const H = headingLevel === 2 ? "h2" : "h3";
  // Several composers on one page (a lesson) would make regions of one name ("Response" each): there, only the
  // form is a landmark, named by `label`, and the parts below it are headed blocks.
  const Part = label ? "div" : "section";
  const partName = (part: string) => (label ? {} : { "aria-labelledby": `${id}-${part}` });
  const t = useT("httpComposer");
  const id = useId();
  const status = useLabStatus();
  const pageHost = usePageHost();
  const endpoint = endpointOf(status, pageHost, "http");
  const start = initialPreset ? findPreset(groups, initialPreset) : undefined;
  const [presetId, setPresetId] = useState(start?.id ?? "");
  const [request, setRequest] = useState<ComposerRequest>(start?.request ?? EMPTY_REQUEST);
  const [pending, setPending] = useState(false);
  const [answer, setAnswer] = useState<SendHttpResponse>();
  const [failure, setFailure] = useState<string>();
  const [steps, setSteps] = useState<StepResult[]>();

  const edit = (patch: Partial<ComposerRequest>) => {
    setRequest((r) => ({ ...r, ...patch }));
    setPresetId("");
  };
  const group = groups.find((g) => g.presets.some((p) => p.id === presetId));
  const pathOk = normalizePath(request.path) !== undefined;
  const problem = request.bodyMode === "json" ? jsonProblem(request.text) : undefined;
  const curl = curlCommand(request, endpoint);
  const python = pythonRequests(request, endpoint);

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    setPending(true);
    setFailure(undefined);
    try {
      return await work();
    } catch (err) {
      setFailure(t("callFailed", { message: callFailure(err).message }));
      return undefined;
    } finally {
      setPending(false);
    }
  }

  async function onSend(e: React.FormEvent) {
    e.preventDefault();
    setSteps(undefined);
    const res = await run(() => send(request));
    setAnswer(res);
  }

  async function onRunSequence(g: PresetGroup) {
    setAnswer(undefined);
    const done: StepResult[] = [];
    setSteps([]);
    await run(async () => {
      for (const preset of g.presets) {
        setPresetId(preset.id);
        setRequest(preset.request);
        const res = await send(preset.request);
        const last = res.exchanges.at(-1);
        done.push({ preset, status: last?.status || undefined, seq: last?.requestSeq ?? 0n });
        setSteps([...done]);
        setAnswer(res);
      }
    });
  }

  function choose(value: string) {
    setPresetId(value);
    const preset = findPreset(groups, value);
    if (preset) setRequest(preset.request);
    setAnswer(undefined);
    setSteps(undefined);
  }

  const jsonHelpId = `${id}-json`;
  const urlHelpId = `${id}-url`;
  const exchanges = answer?.exchanges ?? [];

  return (
    <div className="min-w-0 space-y-6">
      <form onSubmit={onSend} aria-label={label ?? t("composerLabel")} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900">
        <div className="flex flex-wrap items-end gap-2">
          <label className="flex min-w-0 flex-1 basis-64 flex-col gap-1 text-sm font-medium">
            {t("presetLabel")}
            <select value={presetId} onChange={(e) => choose(e.target.value)} className={`${selectClass} w-full py-1.5`}>
              <option value="">{t("presetNone")}</option>
              {groups.map((g) => (
                <optgroup key={g.id} label={t(GROUP_LABEL[g.id])}>
                  {g.presets.map((p, i) => (
                    <option key={p.id} value={p.id}>
                      {`${g.sequence ? `${i + 1}. ` : ""}${p.request.method} ${p.request.path}${p.note ? ` (${t(p.note)})` : ""} · ${t("presetExpect", { status: p.expect })}`}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          {group?.sequence && (
            <button type="button" className={buttonSecondary} disabled={pending} onClick={() => void onRunSequence(group)}>
              {t("runSequence", { count: group.presets.length })}
            </button>
          )}
        </div>

        <div className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t("methodLabel")}
            <select value={request.method} onChange={(e) => edit({ method: e.target.value })} className={`${selectClass} py-1.5 font-mono`}>
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <label className="flex min-w-0 flex-1 basis-64 flex-col gap-1 text-sm font-medium">
            {t("urlLabel")}
            <input
              value={request.path}
              onChange={(e) => edit({ path: e.target.value })}
              aria-describedby={urlHelpId}
              aria-invalid={!pathOk}
              spellCheck={false}
              autoComplete="off"
              className={inputClass}
            />
          </label>
        </div>
        <p id={urlHelpId} aria-live="polite" className="text-xs text-slate-700 dark:text-slate-300">
          {pathOk ? t("urlHelp", { base: baseUrl(endpoint) }) : <span className={problemClass}>{t("urlInvalid")}</span>}
        </p>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={request.followRedirects} onChange={(e) => edit({ followRedirects: e.target.checked })} className="size-4" />
          {t("followLabel")}
        </label>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{t("headersLegend")}</legend>
          <p className="text-xs text-slate-700 dark:text-slate-300">{t("headersHelp")}</p>
          <FieldsEditor
            fields={request.headers}
            onChange={(headers) => edit({ headers })}
            labels={{
              name: (n) => t("headerName", { n }),
              value: (n) => t("headerValue", { n }),
              remove: (n) => t("removeHeader", { n }),
              add: t("addHeader"),
            }}
          />
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{t("bodyLegend")}</legend>
          <div role="radiogroup" aria-label={t("bodyLegend")} className="flex flex-wrap gap-x-4 gap-y-1">
            {BODY_MODES.map((mode: BodyMode) => (
              <label key={mode} className="flex items-center gap-1.5 text-sm">
                <input type="radio" name={`${id}-body`} checked={request.bodyMode === mode} onChange={() => edit({ bodyMode: mode })} className="size-4" />
                {t(BODY_LABEL[mode])}
              </label>
            ))}
          </div>
          {(request.bodyMode === "raw" || request.bodyMode === "json") && (
            <>
              <textarea
                aria-label={t("bodyText")}
                aria-describedby={request.bodyMode === "json" ? jsonHelpId : undefined}
                aria-invalid={problem !== undefined}
                value={request.text}
                onChange={(e) => edit({ text: e.target.value })}
                rows={Math.min(12, Math.max(3, request.text.split("\n").length + 1))}
                spellCheck={false}
                className={`${inputClass} resize-y`}
              />
              {request.bodyMode === "json" && (
                <p id={jsonHelpId} aria-live="polite" className="text-xs">
                  {problem === undefined ? (
                    <span className="text-emerald-800 dark:text-emerald-300">{t("jsonOk")}</span>
                  ) : (
                    <span className={problemClass}>
                      {problem.kind === "empty"
                        ? t("jsonEmpty", { example: "{}" })
                        : t(problem.kind === "depth" ? "jsonDepth" : "jsonSyntax", { line: problem.line, column: problem.column })}
                    </span>
                  )}
                </p>
              )}
            </>
          )}
          {(request.bodyMode === "form" || request.bodyMode === "multipart") && (
            <FieldsEditor
              fields={request.fields}
              onChange={(fields) => edit({ fields })}
              labels={{
                name: (n) => t("fieldName", { n }),
                value: (n) => t("fieldValue", { n }),
                remove: (n) => t("removeField", { n }),
                add: t("addField"),
              }}
            />
          )}
        </fieldset>

        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={buttonPrimary} disabled={pending || !pathOk || problem !== undefined}>
            {pending ? t("sending") : t("send")}
          </button>
          {failure && <ErrorText>{failure}</ErrorText>}
        </div>
      </form>

      {steps && group && (
        <Part {...partName("steps")} className="space-y-2">
          <H id={`${id}-steps`} className="text-lg font-semibold">
            {t("sequenceHeading")}
          </H>
          <ol className="space-y-1 text-sm">
            {steps.map((s) => (
              <li key={s.preset.id} data-testid="sequence-step" className="flex flex-wrap gap-x-2 font-mono">
                <span>{`${s.preset.request.method} ${s.preset.request.path}`}</span>
                <span className={s.status === s.preset.expect ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}>
                  {s.status === undefined ? t("sequenceNoAnswer", { expected: s.preset.expect }) : t("sequenceStatus", { got: s.status, expected: s.preset.expect })}
                </span>
                {s.seq > 0n && <TimelineLink seq={s.seq}>{t("showRequest")}</TimelineLink>}
              </li>
            ))}
          </ol>
        </Part>
      )}

      <Part {...partName("response")} aria-live="polite" aria-busy={pending} className="min-w-0 space-y-3">
        <H id={`${id}-response`} className="text-lg font-semibold">
          {t("responseHeading")}
        </H>
        {answer && answer.error !== HttpClientError.UNSPECIFIED && <ErrorText>{t(ERROR_TEXT[answer.error as keyof typeof ERROR_TEXT] ?? "errorBadResponse")}</ErrorText>}
        {exchanges.map((x, i) => (
          <ExchangeView key={`${x.requestSeq}-${i}`} exchange={x} n={i + 1} count={exchanges.length} headingLevel={headingLevel + 1 === 3 ? 3 : 4} />
        ))}
      </Part>

      <Part {...partName("code")} className="min-w-0 space-y-3">
        <H id={`${id}-code`} className="text-lg font-semibold">
          {t("codeHeading")}
        </H>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("codeNote", { base: baseUrl(endpoint) })}</p>
        <CommandBlock label={t("curlLabel")} code={curl} />
        <CommandBlock label={t("pythonLabel")} code={python} />
      </Part>
    </div>
  );
}
