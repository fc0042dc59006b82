"use client";
// The students' struct sandbox: a Python struct format and values (or bytes), packed and unpacked as CPython does
// (server/dissect/struct.ts), shown with the timeline's own field tree and bytes view, a float's bits one by one,
// and CPython's own error text for a bad format or value. The UDP lesson embeds it; /tools/struct shows it alone.

import { useId, useMemo, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { BytesView } from "@/app/_components/timeline/bytes-view";
import { FieldTree } from "@/app/_components/timeline/field-tree";
import { byteRange, deepestFieldAt, type FieldRef } from "@/app/_components/timeline/model";
import { inputClass } from "@/app/_components/lesson-kit/ui";
import type { ByteOrderChar, FloatParts, StructLayout } from "@/server/dissect/struct";
import { evaluate, floatsOf, toHex, type InputProblem, type SandboxMode } from "./model";

type T = ReturnType<typeof useT<"structSandbox">>;

export interface StructSandboxProps {
  readonly initialFormat?: string;
  readonly initialValues?: string;
  readonly initialBytes?: string;
  readonly initialMode?: SandboxMode;
  /** The heading level of the sandbox's own sections (2 on its page, 3 or 4 inside a lesson). */
  readonly headingLevel?: 2 | 3 | 4;
}

/** Formats from the course, each a click away. */
const EXAMPLES: readonly { format: string; values: string }[] = [
  { format: "If", values: "42, 3.14" },
  { format: "<If", values: "42, 3.14" },
  { format: "!HHI", values: "8889, 53, 3735928559" },
  { format: "4sL", values: "b'\\xe0\\x00\\x00\\x64', 0" },
  { format: "b", values: "1" },
  { format: "bi", values: "1, 2" },
  { format: "<e?q", values: "0.1, True, -1" },
];

const ORDER_KEYS: Readonly<Record<ByteOrderChar, Keys<"structSandbox">>> = {
  "@": "orderNative",
  "=": "orderStandard",
  "<": "orderLittle",
  ">": "orderBig",
  "!": "orderNetwork",
};

const pill =
  "rounded border border-slate-400 bg-white px-2 py-0.5 font-mono text-xs text-slate-900 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus-visible:outline-blue-300";

export function StructSandbox({
  initialFormat = "If",
  initialValues = "42, 3.14",
  initialBytes = "2a 00 00 00 c3 f5 48 40",
  initialMode = "pack",
  headingLevel = 2,
}: StructSandboxProps) {
  const t = useT("structSandbox");
  const id = useId();
  const [format, setFormat] = useState(initialFormat);
  const [mode, setMode] = useState<SandboxMode>(initialMode);
  const [values, setValues] = useState(initialValues);
  const [hex, setHex] = useState(initialBytes);
  const [selected, setSelected] = useState<FieldRef | null>(null);
  const result = useMemo(() => evaluate(format, mode, mode === "pack" ? values : hex), [format, mode, values, hex]);
  const H = `h${headingLevel}` as "h2";
  const H2 = `h${Math.min(headingLevel + 1, 6)}` as "h3";

  const frames = result.kind === "ok" ? [result.frame] : [];
  const data = result.kind === "ok" ? result.data : new Uint8Array(0);
  // A selection from an earlier table may not exist in this one: byteRange then gives nothing.
  const highlight = selected && result.kind === "ok" ? (byteRange(frames, selected, data.length) ?? null) : null;

  function switchMode(next: SandboxMode) {
    // The other direction starts from what this one shows: the packed bytes, or the unpacked values.
    if (result.kind === "ok") {
      if (next === "unpack") setHex(toHex(result.data));
      else setValues(result.tuple.replace(/^\(|,?\)$/g, ""));
    }
    setMode(next);
  }

  return (
    <div className="space-y-6" data-proto="struct">
      <form className="space-y-4" onSubmit={(event) => event.preventDefault()}>
        <div className="space-y-1">
          <label htmlFor={`${id}-format`} className="block text-sm font-semibold">
            {t("formatLabel")}
          </label>
          <input
            id={`${id}-format`}
            value={format}
            onChange={(event) => {
              setFormat(event.target.value);
              setSelected(null);
            }}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            aria-describedby={`${id}-format-help`}
            className={`${inputClass} max-w-md`}
          />
          <p id={`${id}-format-help`} className="text-xs text-slate-600 dark:text-slate-400">
            {t("formatHelp")}
          </p>
        </div>

        <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("examplesLabel")}>
          <span className="text-xs font-semibold text-slate-700 dark:text-slate-300" aria-hidden="true">
            {t("examplesLabel")}:
          </span>
          {EXAMPLES.map((example) => (
            <button
              key={example.format}
              type="button"
              className={pill}
              onClick={() => {
                setFormat(example.format);
                setValues(example.values);
                setMode("pack");
                setSelected(null);
              }}
            >
              {example.format}
            </button>
          ))}
        </div>

        <fieldset className="space-y-1">
          <legend className="text-sm font-semibold">{t("modeLegend")}</legend>
          <div className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
            {(["pack", "unpack"] as const).map((m) => (
              <label key={m} className="inline-flex items-center gap-2">
                <input type="radio" name={`${id}-mode`} value={m} checked={mode === m} onChange={() => switchMode(m)} className="accent-blue-700 dark:accent-blue-300" />
                {t(m === "pack" ? "modePack" : "modeUnpack")}
              </label>
            ))}
          </div>
        </fieldset>

        {mode === "pack" ? (
          <div className="space-y-1">
            <label htmlFor={`${id}-values`} className="block text-sm font-semibold">
              {t("valuesLabel")}
            </label>
            <input
              id={`${id}-values`}
              value={values}
              onChange={(event) => {
                setValues(event.target.value);
                setSelected(null);
              }}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              aria-describedby={`${id}-values-help`}
              className={`${inputClass} max-w-xl`}
            />
            <p id={`${id}-values-help`} className="text-xs text-slate-600 dark:text-slate-400">
              {t("valuesHelp")}
            </p>
          </div>
        ) : (
          <div className="space-y-1">
            <label htmlFor={`${id}-bytes`} className="block text-sm font-semibold">
              {t("bytesLabel")}
            </label>
            <input
              id={`${id}-bytes`}
              value={hex}
              onChange={(event) => {
                setHex(event.target.value);
                setSelected(null);
              }}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              aria-describedby={`${id}-bytes-help`}
              className={`${inputClass} max-w-xl`}
            />
            <p id={`${id}-bytes-help`} className="text-xs text-slate-600 dark:text-slate-400">
              {t("bytesHelp")}
            </p>
          </div>
        )}
      </form>

      <section aria-labelledby={`${id}-result`} className="space-y-3">
        <H id={`${id}-result`} className="text-lg font-semibold">
          {t("resultHeading")}
        </H>
        <div aria-live="polite" className="space-y-2">
          {result.kind === "format_error" || result.kind === "struct_error" ? (
            <PythonError t={t} text={`${result.error.pythonType}: ${result.error.message}`} />
          ) : result.kind === "input_error" ? (
            <p className="rounded border-l-4 border-amber-600 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
              {problemText(t, result.problem)}
            </p>
          ) : (
            <>
              <p className="text-sm">{t(mode === "pack" ? "packedGives" : "unpackedGives")}</p>
              {mode === "pack" && (
                <p>
                  <code className="rounded bg-slate-100 px-2 py-1 font-mono text-sm dark:bg-slate-800" data-testid="struct-bytes">
                    {toHex(result.data)}
                  </code>
                </p>
              )}
              <p>
                <code className="rounded bg-slate-100 px-2 py-1 font-mono text-sm dark:bg-slate-800" data-testid="struct-values">
                  {result.tuple}
                </code>
              </p>
            </>
          )}
        </div>
      </section>

      {result.kind !== "format_error" && <LayoutTable t={t} layout={result.layout} id={id} Heading={H} />}

      {result.kind === "ok" && result.data.length > 0 && (
        <section aria-labelledby={`${id}-fields`} className="space-y-3">
          <H id={`${id}-fields`} className="text-lg font-semibold">
            {t("fieldsHeading")}
          </H>
          <p className="text-sm text-slate-700 dark:text-slate-300">{t("fieldsHelp")}</p>
          <div className="grid gap-4 lg:grid-cols-2">
            <div className="min-w-0 rounded-lg border border-slate-200 p-2 dark:border-slate-700">
              <FieldTree frames={frames} selected={selected} onSelect={setSelected} label={t("treeLabel")} openByDefault={() => true} />
            </div>
            <div className="min-w-0">
              <BytesView
                data={data}
                highlight={highlight}
                label={t("bytesViewLabel")}
                onSelectByte={(offset) => setSelected(deepestFieldAt(frames, offset) ?? null)}
              />
            </div>
          </div>
        </section>
      )}

      {result.kind === "ok" &&
        floatsOf(result.layout, result.data)
          .slice(0, 4)
          .map(({ offset, parts }) => <FloatBreakdown key={offset} t={t} offset={offset} parts={parts} Heading={H2} />)}
    </div>
  );
}

function PythonError({ t, text }: { t: T; text: string }) {
  return (
    <div className="rounded border-l-4 border-red-700 bg-red-50 px-3 py-2 text-sm text-red-950 dark:border-red-400 dark:bg-red-950 dark:text-red-100">
      <p>{t("pythonSays")}</p>
      <p>
        <code className="font-mono" data-testid="struct-error">
          {text}
        </code>
      </p>
    </div>
  );
}

function problemText(t: T, problem: InputProblem): string {
  switch (problem.kind) {
    case "value":
      return t("inputValue", { index: problem.index + 1, text: problem.text });
    case "bytes_ascii":
      return t("inputBytesAscii", { index: problem.index + 1 });
    case "hex_char":
      return t("hexChar", { char: problem.char, at: problem.at + 1 });
    case "hex_odd":
      return t("hexOdd");
  }
}

function LayoutTable({ t, layout, id, Heading }: { t: T; layout: StructLayout; id: string; Heading: "h2" }) {
  return (
    <section aria-labelledby={`${id}-layout`} className="space-y-2">
      <Heading id={`${id}-layout`} className="text-lg font-semibold">
        {t("layoutHeading")}
      </Heading>
      <p className="text-sm">{t(ORDER_KEYS[layout.byteOrder])}</p>
      <p className="text-sm font-medium">{t("summary", { size: layout.size, items: layout.items })}</p>
      {layout.tokens.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("noCodes")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-[20rem] border-collapse text-sm">
            <thead>
              <tr className="border-b border-slate-300 text-left dark:border-slate-600">
                <th scope="col" className="py-1 pr-4 font-semibold">
                  {t("colCode")}
                </th>
                <th scope="col" className="py-1 pr-4 font-semibold">
                  {t("colOffset")}
                </th>
                <th scope="col" className="py-1 pr-4 font-semibold">
                  {t("colSize")}
                </th>
                <th scope="col" className="py-1 pr-4 font-semibold">
                  {t("colPadding")}
                </th>
              </tr>
            </thead>
            <tbody>
              {layout.tokens.slice(0, 64).map((token, index) => (
                <tr key={index} className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="row" className="py-1 pr-4 text-left font-mono font-normal">
                    {token.text.trim()}
                  </th>
                  <td className="py-1 pr-4 font-mono">{token.offset}</td>
                  <td className="py-1 pr-4 font-mono">{token.size}</td>
                  <td className="py-1 pr-4 font-mono">{token.padding}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function FloatBreakdown({ t, offset, parts, Heading }: { t: T; offset: number; parts: FloatParts; Heading: "h3" }) {
  const total = 1 + parts.exponentBits + parts.mantissaBits;
  const bits = parts.bits.toString(2).padStart(total, "0");
  const sign = bits.slice(0, 1);
  const exponent = bits.slice(1, 1 + parts.exponentBits);
  const mantissa = bits.slice(1 + parts.exponentBits);
  const mantissaHex = `0x${parts.mantissa.toString(16).padStart(Math.ceil(parts.mantissaBits / 4), "0")}`;
  const exponentLine =
    parts.class === "infinity" || parts.class === "nan"
      ? t("floatExponentSpecial", { stored: parts.biasedExponent })
      : parts.class === "normal"
        ? t("floatExponent", { stored: parts.biasedExponent, bias: parts.bias, power: parts.exponent })
        : t("floatExponentSubnormal", { power: parts.exponent });
  return (
    <section className="space-y-2 rounded-lg border border-slate-200 p-4 dark:border-slate-700" aria-label={t("floatHeading", { offset })}>
      <Heading className="text-base font-semibold">{t("floatHeading", { offset })}</Heading>
      <p className="text-xs text-slate-600 dark:text-slate-400">{t("floatBits")}</p>
      <p className="break-all font-mono text-base tracking-wider">
        <span className="rounded bg-rose-100 px-1 text-rose-950 dark:bg-rose-950 dark:text-rose-100">{sign}</span>{" "}
        <span className="rounded bg-amber-100 px-1 text-amber-950 dark:bg-amber-950 dark:text-amber-100">{exponent}</span>{" "}
        <span className="rounded bg-sky-100 px-1 text-sky-950 dark:bg-sky-950 dark:text-sky-100">{mantissa}</span>
      </p>
      <ul className="space-y-0.5 text-sm">
        <li>
          <span aria-hidden="true" className="mr-1 inline-block size-2.5 rounded-sm bg-rose-400" />
          {t("floatSign", { sign: parts.sign, word: t(parts.sign ? "floatNegative" : "floatPositive") })}
        </li>
        <li>
          <span aria-hidden="true" className="mr-1 inline-block size-2.5 rounded-sm bg-amber-400" />
          {exponentLine}
        </li>
        <li>
          <span aria-hidden="true" className="mr-1 inline-block size-2.5 rounded-sm bg-sky-400" />
          {t("floatMantissa", { hex: mantissaHex, bits: parts.mantissaBits })}
        </li>
        {(parts.class === "normal" || parts.class === "subnormal") && (
          <>
            <li className="font-mono text-[13px]">{t("floatExact", { exact: parts.exact })}</li>
            <li className="font-mono text-[13px]">{t("floatRepr", { repr: parts.repr })}</li>
            <li className="font-mono text-[13px]">{t("floatShortest", { shortest: parts.shortest })}</li>
          </>
        )}
      </ul>
      {parts.class === "normal" && parts.exact !== parts.shortest && (
        <p className="text-sm text-slate-700 dark:text-slate-300">{t("floatWhy", { bits: parts.mantissaBits })}</p>
      )}
    </section>
  );
}
