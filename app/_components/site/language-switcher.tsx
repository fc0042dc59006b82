"use client";
// Sets the language cookie and re-renders the server components in the new language.

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useLocale, useT } from "../../_i18n/client";
import { LOCALE_COOKIE, LOCALES, type Locale } from "../../_i18n/locales";

export function LanguageSwitcher() {
  const locale = useLocale();
  const t = useT("common");
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const names: Record<Locale, string> = { en: t("english"), ru: t("russian") };

  function choose(next: Locale) {
    document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
    startTransition(() => router.refresh());
  }

  return (
    <div role="group" aria-label={t("language")} className="flex gap-1" aria-busy={pending}>
      {LOCALES.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          aria-pressed={code === locale}
          onClick={() => choose(code)}
          className="rounded px-2 py-1 text-sm aria-pressed:bg-slate-900 aria-pressed:text-white hover:bg-slate-100 dark:aria-pressed:bg-slate-100 dark:aria-pressed:text-slate-900 dark:hover:bg-slate-800"
        >
          {names[code]}
        </button>
      ))}
    </div>
  );
}
