// Shown while the HTTP composer's page renders: its title and a polite status.

import { getT } from "@/app/_i18n/server";

export default async function HttpToolLoading() {
  const [t, common] = await Promise.all([getT("httpComposer"), getT("common")]);
  return (
    <div className="space-y-4 py-6">
      <h1 className="text-3xl font-bold tracking-tight">{t("pageTitle")}</h1>
      <p role="status" className="text-slate-700 dark:text-slate-300">
        <span aria-hidden="true" className="mr-2 inline-block size-3 animate-pulse rounded-full bg-blue-600 motion-reduce:animate-none dark:bg-blue-400" />
        {common("loading")}
      </p>
    </div>
  );
}
