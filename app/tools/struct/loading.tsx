// Shown while the struct sandbox's page renders.

import { PageLoading } from "@/app/_components/site/page-loading";
import { getT } from "@/app/_i18n/server";

export default async function StructToolLoading() {
  const t = await getT("structSandbox");
  return <PageLoading title={t("pageTitle")} />;
}
