// The locale and translations for server components.

import { cookies, headers } from "next/headers";
import type { Dictionary } from "./define";
import { formatMessage, type Values } from "./format";
import { isLocale, LOCALE_COOKIE, negotiateLocale, type Locale } from "./locales";
import { namespaces, type Keys, type NamespaceName } from "./messages";

export async function getLocale(): Promise<Locale> {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(fromCookie)) return fromCookie;
  return negotiateLocale((await headers()).get("accept-language"));
}

export async function getT<N extends NamespaceName>(namespace: N) {
  const locale = await getLocale();
  return translator(locale, namespace);
}

export function translator<N extends NamespaceName>(locale: Locale, namespace: N) {
  const dictionary: Dictionary = namespaces[namespace][locale];
  return (key: Keys<N>, values?: Values): string => formatMessage(locale, dictionary[key] ?? key, values);
}
