// Shown while the HTTP composer's page renders.

import { PageLoading } from "@/app/_components/site/page-loading";
import { getT } from "@/app/_i18n/server";

export default async function HttpToolLoading() {
  const t = await getT("httpComposer");
  return <PageLoading title={t("pageTitle")} />;
}
