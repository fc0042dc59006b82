// The lesson map on the home page: one card per topic of the course's documents. Only lessons that
// exist are links; the others say "coming soon" in words, so nobody follows a link to an empty page.

import Link from "next/link";
import { getT } from "@/app/_i18n/server";
import type { Keys } from "@/app/_i18n/messages";

interface LessonCard {
  readonly id: string;
  readonly href?: string;
  readonly title: Keys<"home">;
  readonly text: Keys<"home">;
  /** Topics separated by "|" in the dictionary, shown as a list. */
  readonly topics: Keys<"home">;
}

const LESSONS: readonly LessonCard[] = [
  { id: "tcp", href: "/lessons/tcp", title: "lessonTcpTitle", text: "lessonTcpText", topics: "lessonTcpTopics" },
  { id: "udp", href: "/lessons/udp", title: "lessonUdpTitle", text: "lessonUdpText", topics: "lessonUdpTopics" },
  { id: "http", href: "/lessons/http", title: "lessonHttpTitle", text: "lessonHttpText", topics: "lessonHttpTopics" },
  { id: "rest-rpc", href: "/lessons/rest-rpc", title: "lessonRestRpcTitle", text: "lessonRestRpcText", topics: "lessonRestRpcTopics" },
  { id: "websocket", href: "/lessons/websocket", title: "lessonWsTitle", text: "lessonWsText", topics: "lessonWsTopics" },
  { id: "jim", href: "/lessons/jim", title: "lessonJimTitle", text: "lessonJimText", topics: "lessonJimTopics" },
  { id: "grpc", href: "/lessons/grpc", title: "lessonGrpcTitle", text: "lessonGrpcText", topics: "lessonGrpcTopics" },
];

export async function LessonMap() {
  const t = await getT("home");
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {LESSONS.map((lesson) => {
        const available = lesson.href !== undefined;
        return (
          <li
            key={lesson.id}
            className={
              available
                ? "relative rounded-lg border-2 border-blue-600 bg-white p-4 shadow-sm focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-blue-600 hover:bg-blue-50 dark:border-blue-400 dark:bg-slate-900 dark:hover:bg-slate-800 dark:focus-within:outline-blue-400"
                : "rounded-lg border border-dashed border-slate-300 bg-slate-50 p-4 dark:border-slate-700 dark:bg-slate-900/50"
            }
          >
            <div className="flex flex-wrap items-start justify-between gap-2">
              <h3 className="text-lg font-semibold">
                {lesson.href ? (
                  // The link's ::after covers the card, so the whole card is one click target and one tab stop.
                  <Link href={lesson.href} className="text-blue-800 outline-none after:absolute after:inset-0 after:content-[''] dark:text-blue-300">
                    {t(lesson.title)}
                  </Link>
                ) : (
                  t(lesson.title)
                )}
              </h3>
              <span
                className={
                  available
                    ? "rounded bg-blue-700 px-2 py-0.5 text-xs font-medium text-white dark:bg-blue-300 dark:text-slate-950"
                    : "rounded bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-800 dark:bg-slate-700 dark:text-slate-100"
                }
              >
                {available ? t("lessonReady") : t("comingSoon")}
              </span>
            </div>
            <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t(lesson.text)}</p>
            <ul className="mt-3 flex flex-wrap gap-1.5" aria-label={t("lessonTopics")}>
              {t(lesson.topics)
                .split("|")
                .map((topic) => (
                  <li
                    key={topic}
                    className="rounded border border-slate-200 px-1.5 py-0.5 text-xs text-slate-700 dark:border-slate-700 dark:text-slate-300"
                  >
                    {topic}
                  </li>
                ))}
            </ul>
          </li>
        );
      })}
    </ul>
  );
}
