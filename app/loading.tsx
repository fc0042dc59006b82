// Shown while a page's server components load; the text is a polite status, not a spinner alone.

import { getT } from "./_i18n/server";

export default async function Loading() {
  const t = await getT("common");
  return (
    <p role="status" className="py-10 text-center text-slate-700 dark:text-slate-300">
      <span aria-hidden="true" className="mr-2 inline-block size-3 animate-pulse rounded-full bg-blue-600 motion-reduce:animate-none dark:bg-blue-400" />
      {t("loading")}
    </p>
  );
}
