"use client";
// Translations for client components. The root layout passes the locale; dictionaries are bundled
// (they are small, and the lab must work offline).

import { createContext, useCallback, useContext } from "react";
import type { Dictionary } from "./define";
import { formatMessage, type Values } from "./format";
import { DEFAULT_LOCALE, type Locale } from "./locales";
import { namespaces, type Keys, type NamespaceName } from "./messages";

const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export function I18nProvider({ locale, children }: { locale: Locale; children: React.ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

export function useT<N extends NamespaceName>(namespace: N) {
  const locale = useLocale();
  return useCallback(
    (key: Keys<N>, values?: Values): string => {
      const dictionary: Dictionary = namespaces[namespace][locale];
      return formatMessage(locale, dictionary[key] ?? key, values);
    },
    [locale, namespace],
  );
}
