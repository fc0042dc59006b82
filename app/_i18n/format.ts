// Message formatting shared by server and client components, with FormatJS's intl-messageformat. Messages
// are ICU MessageFormat (https://unicode-org.github.io/icu/userguide/format_parse/messages/): "{name}"
// arguments, "{n, plural, one {# event} other {# events}}" with the categories of Intl.PluralRules,
// "{kind, select, a {...} other {...}}"; markup is not parsed ("<" is text).
// A number given to a plain "{name}" is written in the reader's locale (1,234 and 1 234), as "#" is in a
// plural. That is done by formatting the value before the library sees it, so within one message a name is
// either plain or read by a plural (select, number), never both: in its plural, a count is written "#"
// (app/_i18n/messages.test.ts checks every message for this).

import {
  isArgumentElement,
  isLiteralElement,
  isPluralElement,
  isPoundElement,
  isSelectElement,
  isTagElement,
  parse,
  type MessageFormatElement,
} from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";
import type { Locale } from "./locales";

export type Values = Readonly<Record<string, string | number>>;

/** The parser options every message is read with, here and in the dictionaries' tests. */
export const PARSE_OPTIONS = { ignoreTag: true } as const;

// The lab writes numbers as these locales do: 1,234.5 and 1 234,5.
const LOCALE_TAG: Readonly<Record<Locale, string>> = { en: "en-US", ru: "ru-RU" };

/** The names of a message's arguments: plain "{name}" ones, and those a plural, select, number, date or time reads. */
export interface MessageArguments {
  readonly plain: ReadonlySet<string>;
  readonly typed: ReadonlySet<string>;
}

export function messageArguments(elements: readonly MessageFormatElement[]): MessageArguments {
  const plain = new Set<string>();
  const typed = new Set<string>();
  const visit = (els: readonly MessageFormatElement[]) => {
    for (const el of els) {
      if (isLiteralElement(el) || isPoundElement(el)) continue;
      if (isTagElement(el)) visit(el.children);
      else if (isArgumentElement(el)) plain.add(el.value);
      else typed.add(el.value);
      if (isPluralElement(el) || isSelectElement(el)) for (const option of Object.values(el.options)) visit(option.value);
    }
  };
  visit(elements);
  return { plain, typed };
}

interface Compiled {
  readonly format: IntlMessageFormat;
  readonly args: MessageArguments;
}

const compiled: Record<Locale, Map<string, Compiled>> = { en: new Map(), ru: new Map() };
const NUMBER_FORMAT: Readonly<Record<Locale, Intl.NumberFormat>> = {
  en: new Intl.NumberFormat(LOCALE_TAG.en),
  ru: new Intl.NumberFormat(LOCALE_TAG.ru),
};

/** Parsed once per locale and message: the dictionaries are a fixed set of strings. */
function compile(locale: Locale, message: string): Compiled {
  let found = compiled[locale].get(message);
  if (!found) {
    const ast = parse(message, PARSE_OPTIONS);
    found = { format: new IntlMessageFormat(ast, LOCALE_TAG[locale]), args: messageArguments(ast) };
    compiled[locale].set(message, found);
  }
  return found;
}

/**
 * The message in the reader's language with its values filled in. A plain value the caller left out shows
 * as its "{name}", and a message that cannot be formatted (a count left out) shows as written and is
 * logged: a slip in one message is visible on the page without breaking the page.
 */
export function formatMessage(locale: Locale, message: string, values: Values = {}): string {
  try {
    const { format, args } = compile(locale, message);
    const filled: Record<string, string | number> = { ...values };
    for (const name of args.plain) {
      const value = values[name];
      filled[name] = value === undefined ? `{${name}}` : typeof value === "number" ? NUMBER_FORMAT[locale].format(value) : value;
    }
    return format
      .formatToParts(filled)
      .map((part) => String(part.value))
      .join("");
  } catch (error) {
    console.error(`Cannot format the ${locale} message ${JSON.stringify(message)}:`, error);
    return message;
  }
}
