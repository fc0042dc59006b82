// Shown while the gRPC console's page renders.

import { PageLoading } from "@/app/_components/site/page-loading";
import { getT } from "@/app/_i18n/server";

export default async function GrpcToolLoading() {
  const t = await getT("grpcConsole");
  return <PageLoading title={t("pageTitle")} />;
}
