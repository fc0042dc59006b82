// The gRPC call console on its own page, beside the session's timeline (issue 14 §4).

import type { Metadata } from "next";
import { GrpcConsole } from "@/app/_components/grpc-console/grpc-console";
import { ToolPage } from "@/app/_components/site/tool-page";
import { getT } from "@/app/_i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT("grpcConsole");
  return { title: t("pageTitle"), description: t("pageDescription") };
}

export default async function GrpcToolPage() {
  const t = await getT("grpcConsole");
  return (
    <ToolPage title={t("pageTitle")} intro={t("pageIntro")} timelineHeading={t("timelineHeading")} timelineNote={t("timelineNote")}>
      <GrpcConsole />
    </ToolPage>
  );
}
