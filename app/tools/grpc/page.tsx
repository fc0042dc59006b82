// The gRPC call console on its own page, beside the session's timeline (issue 14 §4).

import type { Metadata } from "next";
import { GrpcConsole } from "@/app/_components/grpc-console/grpc-console";
import { LabStatusProvider } from "@/app/_components/lab-status";
import { Timeline } from "@/app/_components/timeline/timeline";
import { TimelineProvider } from "@/app/_components/timeline/store";
import { getT } from "@/app/_i18n/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT("grpcConsole");
  return { title: t("pageTitle"), description: t("pageDescription") };
}

export default async function GrpcToolPage() {
  const t = await getT("grpcConsole");
  return (
    <TimelineProvider>
      <LabStatusProvider>
        <div data-page-width="wide" className="grid gap-6 lg:grid-cols-[minmax(0,36rem)_minmax(0,1fr)]">
          <div className="min-w-0 space-y-6">
            <header className="space-y-3">
              <h1 className="text-3xl font-bold tracking-tight">{t("pageTitle")}</h1>
              <p className="text-slate-700 dark:text-slate-300">{t("pageIntro")}</p>
            </header>
            <GrpcConsole />
          </div>
          <aside aria-labelledby="grpc-timeline-heading" className="min-w-0">
            <div className="flex h-[calc(100dvh-1rem)] min-h-[32rem] flex-col gap-1 lg:sticky lg:top-4 lg:h-[calc(100dvh-2rem)]">
              <h2 id="grpc-timeline-heading" className="text-lg font-semibold">
                {t("timelineHeading")}
              </h2>
              <p className="text-xs text-slate-700 dark:text-slate-300">{t("timelineNote")}</p>
              <div className="min-h-0 flex-1">
                <Timeline className="h-full" />
              </div>
            </div>
          </aside>
        </div>
      </LabStatusProvider>
    </TimelineProvider>
  );
}
