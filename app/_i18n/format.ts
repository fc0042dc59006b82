// Message formatting shared by server and client components: "{name}" placeholders and plural forms.
// A plural message is an object of Intl.PluralRules categories: { one: "{n} event", other: "{n} events" }.

import type { Locale } from "./locales";

export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;
export type Values = Record<string, string | number>;

const pluralRules = new Map<Locale, Intl.PluralRules>();

function pluralCategory(locale: Locale, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(n);
}

export function formatMessage(locale: Locale, message: Message, values: Values = {}): string {
  let template: string;
  if (typeof message === "string") {
    template = message;
  } else {
    const n = Number(values.n ?? values.count ?? 0);
    template = message[pluralCategory(locale, n)] ?? message.other;
  }
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? value.toLocaleString(locale === "ru" ? "ru-RU" : "en-US") : value;
  });
}
