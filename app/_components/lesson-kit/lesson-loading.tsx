// Shown while a lesson's server components render (each lesson route's loading.tsx): the lesson's title in the
// reader's language and a polite status.

import { getLocale, getT } from "@/app/_i18n/server";
import type { LessonContent } from "./lesson-page";

export async function LessonLoading({ content }: { content: LessonContent }) {
  const [locale, common] = await Promise.all([getLocale(), getT("common")]);
  return (
    <div className="space-y-4 py-6">
      <h1 className="text-3xl font-bold tracking-tight">{content[locale].meta.title}</h1>
      <p role="status" className="text-slate-700 dark:text-slate-300">
        <span aria-hidden="true" className="mr-2 inline-block size-3 animate-pulse rounded-full bg-blue-600 motion-reduce:animate-none dark:bg-blue-400" />
        {common("loading")}
      </p>
    </div>
  );
}
