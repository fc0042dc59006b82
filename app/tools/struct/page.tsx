// The struct sandbox on its own page: Python's struct formats packed and unpacked byte by byte, with the
// timeline's field tree and bytes view. The UDP lesson embeds the same component and links here.

import type { Metadata } from "next";
import { StructSandbox } from "@/app/_components/struct-sandbox/struct-sandbox";
import { getT } from "@/app/_i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT("structSandbox");
  return { title: t("pageTitle"), description: t("pageDescription") };
}

export default async function StructToolPage() {
  const t = await getT("structSandbox");
  return (
    <div className="max-w-6xl space-y-6">
      <header className="max-w-3xl space-y-3">
        <h1 className="text-3xl font-bold tracking-tight">{t("pageTitle")}</h1>
        <p className="text-slate-700 dark:text-slate-300">{t("pageIntro")}</p>
      </header>
      <StructSandbox />
    </div>
  );
}
