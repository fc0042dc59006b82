// The home page: what the lab is, the lesson map, the lab host's live status, and how to point your own
// client at the lab's servers. Server component; the live parts are small client components.

import Link from "next/link";
import { ConnectCommands } from "./_components/home/connect-commands";
import { HttpServiceCard } from "./_components/home/http-service-card";
import { LabStatusProvider } from "./_components/lab-status";
import { LessonMap } from "./_components/home/lesson-map";
import { ServiceStatus } from "./_components/home/service-status";
import { getT } from "./_i18n/server";

export default async function HomePage() {
  const t = await getT("home");
  return (
    <div className="space-y-12">
      <section aria-labelledby="intro-heading" className="max-w-3xl space-y-4">
        <h1 id="intro-heading" className="text-3xl font-bold tracking-tight sm:text-4xl">
          {t("heroTitle")}
        </h1>
        <p className="text-lg text-slate-700 dark:text-slate-300">{t("heroLead")}</p>
        <ol className="grid gap-3 text-sm sm:grid-cols-3">
          {(["heroStep1", "heroStep2", "heroStep3"] as const).map((key, index) => (
            <li key={key} className="flex gap-2 rounded-lg bg-slate-100 p-3 dark:bg-slate-900">
              <span aria-hidden="true" className="font-mono font-bold text-blue-800 dark:text-blue-300">
                {index + 1}
              </span>
              <span>{t(key)}</span>
            </li>
          ))}
        </ol>
        <p className="text-slate-700 dark:text-slate-300">{t("heroOwnClients")}</p>
        <Link
          href="/lessons/tcp"
          className="inline-block rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:bg-blue-300 dark:text-slate-950 dark:hover:bg-blue-200 dark:focus-visible:outline-blue-300"
        >
          {t("heroStart")}
        </Link>
      </section>

      <section aria-labelledby="lessons-heading" className="space-y-4">
        <h2 id="lessons-heading" className="text-2xl font-semibold">
          {t("lessonsHeading")}
        </h2>
        <p className="max-w-3xl text-slate-700 dark:text-slate-300">{t("lessonsLead")}</p>
        <LessonMap />
      </section>

      <LabStatusProvider>
        <div className="grid grid-cols-1 gap-10 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <section aria-labelledby="status-heading" className="space-y-3">
            <h2 id="status-heading" className="text-2xl font-semibold">
              {t("statusHeading")}
            </h2>
            <p className="text-slate-700 dark:text-slate-300">{t("statusLead")}</p>
            <ServiceStatus />
            <HttpServiceCard />
          </section>
          <section aria-labelledby="connect-heading" className="space-y-3">
            <h2 id="connect-heading" className="text-2xl font-semibold">
              {t("connectHeading")}
            </h2>
            <p className="text-slate-700 dark:text-slate-300">{t("connectLead")}</p>
            <ConnectCommands />
          </section>
        </div>
      </LabStatusProvider>
    </div>
  );
}
