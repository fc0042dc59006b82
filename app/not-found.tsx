// 404 for any address without a page: say so and lead back to the lesson map.

import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, translator } from "./_i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  return { title: translator(await getLocale(), "common")("notFoundTitle") };
}

export default async function NotFound() {
  const locale = await getLocale();
  const common = translator(locale, "common");
  const t = translator(locale, "home");
  return (
    <div className="mx-auto max-w-xl space-y-4 py-10">
      <h1 className="text-2xl font-semibold">{common("notFoundTitle")}</h1>
      <p className="text-slate-700 dark:text-slate-300">{t("notFoundText")}</p>
      <Link
        href="/"
        className="inline-block rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:bg-blue-300 dark:text-slate-950 dark:hover:bg-blue-200 dark:focus-visible:outline-blue-300"
      >
        {common("notFoundBack")}
      </Link>
    </div>
  );
}
