"use client";
// The timeline's display filter field (issue 15 §2), as Wireshark's filter toolbar: green while the text parses, red
// with the error and a caret under its column while it does not, and completion of field and protocol names from the
// catalogue (ARIA 1.2 combobox with a listbox: Up/Down choose, Enter or Tab take, Escape closes). Enter applies the
// filter; the lab evaluates it (use-display-filter.ts), the page parses it with the same code (server/dissect/filter).

import { useId, useMemo, useRef, useState } from "react";
import { useLocale, useT } from "@/app/_i18n/client";
import { fieldWords } from "@/app/_i18n/fields";
import { filterNames, parseFilter, PROTOCOL_ALIASES, type FilterError } from "@/server/dissect/filter/parse";

export interface DisplayFilterProps {
  /** The filter applied now ("" for none). */
  readonly applied: string;
  readonly onApply: (filter: string) => void;
  /** What the applied filter keeps: null while no filter is applied. */
  readonly summary: string | null;
}

const MAX_OPTIONS = 8;
const NAME_CHAR = /[A-Za-z0-9_.]/;

/** The name being typed before the caret: where it starts and what it holds so far. */
function wordAt(text: string, caret: number): { start: number; word: string } {
  let start = caret;
  while (start > 0 && NAME_CHAR.test(text[start - 1]!)) start--;
  return { start, word: text.slice(start, caret) };
}

/** Names that continue `word` (Wireshark's ip. and http. prefixes find ipv4. and http1.), at most MAX_OPTIONS. */
function completions(word: string): string[] {
  if (word === "" || /^\d/.test(word)) return [];
  const dot = word.indexOf(".");
  const head = dot < 0 ? word : word.slice(0, dot);
  const alias = PROTOCOL_ALIASES[head];
  const prefixes = alias && alias !== head ? [word, alias + word.slice(head.length)] : [word];
  const found = filterNames()
    .map((n) => n.name)
    .filter((name) => prefixes.some((p) => name.startsWith(p)) && name !== word);
  return found.slice(0, MAX_OPTIONS);
}

export function DisplayFilter({ applied, onApply, summary }: DisplayFilterProps) {
  const t = useT("displayFilter");
  const locale = useLocale();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(applied);
  const [caret, setCaret] = useState(applied.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const parsed = useMemo(() => parseFilter(text), [text]);
  const error: FilterError | undefined = parsed.ok ? undefined : parsed.error;
  const { start, word } = wordAt(text, caret);
  const options = useMemo(() => completions(word), [word]);
  const expanded = open && options.length > 0;
  const state = text.trim() === "" ? "empty" : error ? "invalid" : "valid";

  function update(value: string, at: number) {
    setText(value);
    setCaret(at);
    setOpen(true);
    setActive(-1);
  }

  function take(name: string) {
    const value = text.slice(0, start) + name + text.slice(caret);
    const at = start + name.length;
    setText(value);
    setCaret(at);
    setOpen(false);
    setActive(-1);
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  }

  function apply() {
    if (error) return;
    setOpen(false);
    onApply(text.trim());
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (options.length === 0) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (!expanded ? (step > 0 ? 0 : options.length - 1) : (i + step + options.length) % options.length));
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (expanded && active >= 0) take(options[active]!);
      else apply();
    } else if (event.key === "Tab" && expanded && active >= 0) {
      event.preventDefault();
      take(options[active]!);
    }
  }

  // The status first: what a screen reader says on each change is the verdict, then how the field works.
  const describedBy = [`${id}-status`, `${id}-help`].join(" ");
  const tone =
    state === "valid"
      ? "border-emerald-600 bg-emerald-50 dark:border-emerald-400 dark:bg-emerald-950"
      : state === "invalid"
        ? "border-red-600 bg-red-50 dark:border-red-400 dark:bg-red-950"
        : "border-slate-400 bg-white dark:border-slate-500 dark:bg-slate-900";

  return (
    <div className="relative flex w-full min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
      <label htmlFor={id} className="text-sm font-medium">
        {t("label")}
      </label>
      <div className="relative min-w-0 flex-1 basis-56">
        <input
          ref={input}
          id={id}
          type="text"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={expanded && active >= 0 ? `${id}-option-${active}` : undefined}
          aria-invalid={state === "invalid" || undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={text}
          placeholder={t("placeholder")}
          onChange={(event) => update(event.target.value, event.target.selectionStart ?? event.target.value.length)}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart ?? text.length)}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
          className={`w-full rounded border px-2 py-1 font-mono text-sm text-slate-900 placeholder:font-sans placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-blue-700 dark:text-slate-100 dark:placeholder:text-slate-400 dark:focus-visible:outline-sky-300 ${tone}`}
        />
        <ul
          id={`${id}-list`}
          role="listbox"
          aria-label={t("suggestions")}
          hidden={!expanded}
          className="absolute left-0 top-full z-20 mt-1 max-h-72 w-full min-w-64 overflow-y-auto rounded border border-slate-300 bg-white py-1 text-sm shadow-lg dark:border-slate-600 dark:bg-slate-900"
        >
          {options.map((name, i) => {
            const words = fieldWords(locale, name);
            return (
              <li
                key={name}
                id={`${id}-option-${i}`}
                role="option"
                aria-selected={i === active}
                // Keeps the focus in the field: the click takes the name, the field stays where the student types.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => take(name)}
                className="flex cursor-pointer items-baseline justify-between gap-3 px-2 py-1 text-slate-900 aria-selected:bg-blue-700 aria-selected:text-white dark:text-slate-100 dark:aria-selected:bg-sky-300 dark:aria-selected:text-slate-950"
              >
                <span className="font-mono">{name}</span>
                <span className="truncate text-xs opacity-80">{words ? words.label : t("kindProtocol")}</span>
              </li>
            );
          })}
        </ul>
      </div>
      <button
        type="button"
        onClick={apply}
        disabled={state === "invalid"}
        className="rounded border border-slate-300 px-2.5 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-300"
      >
        {t("apply")}
      </button>
      <p id={`${id}-help`} className="sr-only">
        {t("help")}
      </p>
      <div id={`${id}-status`} aria-live="polite" className="w-full min-w-0 text-xs leading-tight">
        {error ? (
          <FilterErrorView text={text} error={error} />
        ) : state === "valid" && text.trim() !== applied ? (
          <p className="text-emerald-800 dark:text-emerald-300">{t("valid")}</p>
        ) : summary !== null ? (
          <p className="text-slate-700 dark:text-slate-300">{summary}</p>
        ) : null}
      </div>
    </div>
  );
}

/** The error in words with its column, and the filter with a caret under where it goes wrong. */
function FilterErrorView({ text, error }: { text: string; error: FilterError }) {
  const t = useT("displayFilter");
  const key = `err_${error.code}` as const;
  const message = t(key, error.args);
  // The line around the error, so a long filter's caret stays on screen.
  const from = Math.max(0, error.at - 40);
  const shown = text.slice(from, error.at + 40);
  const caretAt = error.at - from;
  return (
    <div className="text-red-800 dark:text-red-300">
      <p>{t("errorAt", { column: error.at + 1, message })}</p>
      <pre aria-hidden="true" className="mt-0.5 overflow-x-auto font-mono text-xs leading-tight">
        {shown}
        {"\n"}
        {" ".repeat(caretAt)}
        {"^".repeat(Math.max(1, Math.min(error.length, shown.length - caretAt)))}
      </pre>
    </div>
  );
}
