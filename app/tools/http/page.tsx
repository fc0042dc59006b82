// The HTTP request composer on its own page, beside the session's timeline (issue 11 §4). The HTTP lessons embed
// the same component with their own presets.

import type { Metadata } from "next";
import { HttpComposer } from "@/app/_components/http-composer/http-composer";
import { ToolPage } from "@/app/_components/site/tool-page";
import { getT } from "@/app/_i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT("httpComposer");
  return { title: t("pageTitle"), description: t("pageDescription") };
}

export default async function HttpToolPage() {
  const t = await getT("httpComposer");
  return (
    <ToolPage title={t("pageTitle")} intro={t("pageIntro")} timelineHeading={t("timelineHeading")} timelineNote={t("timelineNote")}>
      <HttpComposer />
    </ToolPage>
  );
}
