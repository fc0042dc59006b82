// Lesson 1, "Sockets and TCP": what a socket is, the calls of server and client, four experiments with
// the lab's real TCP servers (time 8000, greeting 8007, echo 8888; seeds 000, 002, 003), then the same
// connections as the kernel's segments (handshake, data, FINs, a refused connect's RST, when the lab
// captures packets) and the TCP header of seed 000 filled with a real segment's values, and the same
// servers from the student's own terminal. The lesson is on the left; the socket-calls diagram and the
// packet timeline stay in view on the right on wide screens, and follow the echo experiments on narrow ones.

import type { Metadata } from "next";
import { LabStatusProvider } from "@/app/_components/lab-status";
import { EchoPanel } from "@/app/_components/tcp-lesson/echo-panel";
import { GreetingPanel } from "@/app/_components/tcp-lesson/greeting-panel";
import { HandshakePanel } from "@/app/_components/tcp-lesson/handshake-panel";
import { Paragraphs, Rich } from "@/app/_components/lesson-kit/prose";
import { RstPanel } from "@/app/_components/tcp-lesson/rst-panel";
import { HEADER_SECTION_ID } from "@/app/_components/tcp-lesson/section-ids";
import { SocketCallsDiagram } from "@/app/_components/tcp-lesson/socket-calls-diagram";
import { StreamPanel } from "@/app/_components/tcp-lesson/stream-panel";
import { TcpHeaderDiagram } from "@/app/_components/tcp-lesson/tcp-header-diagram";
import { TcpTerminalCommands } from "@/app/_components/tcp-lesson/terminal-commands";
import { TimePanel } from "@/app/_components/tcp-lesson/time-panel";
import { TimelineProvider } from "@/app/_components/timeline/store";
import { Timeline } from "@/app/_components/timeline/timeline";
import { getT } from "@/app/_i18n/server";
import type { Keys } from "@/app/_i18n/messages";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT("tcpLesson");
  return { title: t("metaTitle"), description: t("metaDescription") };
}

const h2 = "scroll-mt-4 text-2xl font-semibold";
const h3 = "text-lg font-semibold";
const h2Small = "scroll-mt-4 text-lg font-semibold";

function CallList({ items, t }: { items: readonly Keys<"tcpLesson">[]; t: (key: Keys<"tcpLesson">) => string }) {
  return (
    <ul className="list-disc space-y-2 pl-5 leading-relaxed text-slate-800 marker:text-slate-500 dark:text-slate-200">
      {items.map((key) => (
        <li key={key}>
          <Rich text={t(key)} />
        </li>
      ))}
    </ul>
  );
}

export default async function TcpLessonPage() {
  const t = await getT("tcpLesson");
  const kit = await getT("lessonKit");
  const toc = [
    ["what-socket", t("socketHeading")],
    ["calls", t("callsHeading")],
    ["experiments", t("experimentsHeading")],
    ["diagram", t("diagramHeading")],
    ["timeline", t("timelineHeading")],
    ["handshake", t("handshakeHeading")],
    [HEADER_SECTION_ID, t("headerHeading")],
    ["terminal", t("terminalHeading")],
    ["remember", t("rememberHeading")],
  ] as const;

  return (
    <TimelineProvider>
      <LabStatusProvider>
        {/* Wide (layout.tsx): the text keeps a reading width and the timeline takes the rest, so that from
            1280 px on the timeline has room for its details beside the ladder. */}
        <div
          data-page-width="wide"
          className="grid grid-cols-1 gap-10 lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)] lg:gap-8 xl:grid-cols-[minmax(0,28rem)_minmax(0,1fr)] 2xl:grid-cols-[minmax(0,36rem)_minmax(0,1fr)]"
        >
          <div className="min-w-0 space-y-10 lg:col-start-1 lg:row-start-1">
            <header className="space-y-4">
              <p className="text-sm font-medium text-blue-800 dark:text-blue-300">{t("kicker")}</p>
              <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
              <Paragraphs texts={[t("lede")]} className="text-lg leading-relaxed text-slate-700 dark:text-slate-300" />
              <nav aria-label={kit("tocLabel")} className="rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-900">
                <ol className="flex flex-wrap gap-x-4 gap-y-1">
                  {toc.map(([id, label]) => (
                    <li key={id}>
                      <a href={`#${id}`} className="text-blue-800 underline hover:no-underline dark:text-blue-300">
                        {label}
                      </a>
                    </li>
                  ))}
                </ol>
              </nav>
            </header>

            <section aria-labelledby="what-socket" className="space-y-4">
              <h2 id="what-socket" className={h2}>
                {t("socketHeading")}
              </h2>
              <Paragraphs texts={[t("socketP1"), t("socketP2"), t("socketP3")]} />
            </section>

            <section aria-labelledby="calls" className="space-y-4">
              <h2 id="calls" className={h2}>
                {t("callsHeading")}
              </h2>
              <Paragraphs texts={[t("callsP1")]} />
              <h3 className={h3}>{t("callsServerHeading")}</h3>
              <CallList t={t} items={["callServerSocket", "callServerBind", "callServerListen", "callServerAccept"]} />
              <h3 className={h3}>{t("callsClientHeading")}</h3>
              <CallList t={t} items={["callClientSocket", "callClientConnect"]} />
              <h3 className={h3}>{t("callsBothHeading")}</h3>
              <CallList t={t} items={["callSend", "callRecv", "callShutdown", "callClose"]} />
              <Paragraphs texts={[t("callsP2"), t("callsP3")]} />
            </section>
          </div>

          <section aria-labelledby="experiments" className="min-w-0 space-y-6 lg:col-start-1 lg:row-start-2">
            <h2 id="experiments" className={h2}>
              {t("experimentsHeading")}
            </h2>
            <Paragraphs texts={[t("experimentsP1")]} />
            <TimePanel />
            <GreetingPanel />
            <EchoPanel />
            <StreamPanel />
          </section>

          {/* Spans every row on wide screens so its sticky inner box stays in view while the lesson scrolls. */}
          <aside aria-label={t("asideLabel")} className="min-w-0 lg:col-start-2 lg:row-span-6 lg:row-start-1">
            <div className="flex flex-col gap-3 lg:sticky lg:top-4 lg:h-[calc(100dvh-2rem)] lg:overflow-y-auto">
              <section aria-labelledby="diagram" className="rounded-lg border border-slate-200 p-3 dark:border-slate-700">
                <SocketCallsDiagram headingId="diagram" title={t("diagramHeading")} headingClassName={h2Small} />
              </section>
              {/* A div, not a section: the Timeline is its own labelled region, and two regions of one name confuse.
                  Narrow screens: a screenful, so that the ladder and the selected event's details are seen together. */}
              <div className="flex h-[calc(100dvh-1rem)] min-h-[32rem] flex-col gap-1 lg:h-auto lg:min-h-[24rem] lg:flex-1">
                <h2 id="timeline" className={h2Small}>
                  {t("timelineHeading")}
                </h2>
                <p className="text-xs text-slate-700 dark:text-slate-300">{t("timelineLead")}</p>
                <div className="min-h-0 flex-1">
                  <Timeline className="h-full" />
                </div>
              </div>
            </div>
          </aside>

          {/* After the timeline in reading order: on a narrow screen the timeline follows the echo experiments,
              and these sections explain what it shows once the lab captures segments. */}
          <section aria-labelledby="handshake" className="min-w-0 space-y-4 lg:col-start-1 lg:row-start-3">
            <h2 id="handshake" className={h2}>
              {t("handshakeHeading")}
            </h2>
            <Paragraphs texts={[t("handshakeP1")]} />
            <h3 className={h3}>{t("handshakeOpenHeading")}</h3>
            <Paragraphs texts={[t("handshakeOpenP1")]} />
            <h3 className={h3}>{t("handshakeSeqHeading")}</h3>
            <Paragraphs texts={[t("handshakeSeqP1"), t("handshakeSeqP2"), t("handshakeSeqP3")]} />
            <h3 className={h3}>{t("handshakeWindowHeading")}</h3>
            <Paragraphs texts={[t("handshakeWindowP1")]} />
            <h3 className={h3}>{t("handshakeDelayedHeading")}</h3>
            <Paragraphs texts={[t("handshakeDelayedP1")]} />
            <h3 className={h3}>{t("handshakeCloseHeading")}</h3>
            <Paragraphs texts={[t("handshakeCloseP1")]} />
            <h3 className={h3}>{t("handshakeRstHeading")}</h3>
            <Paragraphs texts={[t("handshakeRstP1"), t("handshakeCaptureP1")]} />
            <div className="space-y-6 pt-2">
              <HandshakePanel />
              <RstPanel />
            </div>
          </section>

          <section aria-labelledby={HEADER_SECTION_ID} className="min-w-0 space-y-4 lg:col-start-1 lg:row-start-4">
            {/* tabIndex: "Show in the header diagram" moves the focus here. */}
            <h2 id={HEADER_SECTION_ID} tabIndex={-1} className={h2}>
              {t("headerHeading")}
            </h2>
            <Paragraphs texts={[t("headerP1"), t("headerP2")]} />
            <TcpHeaderDiagram />
          </section>

          <section aria-labelledby="terminal" className="min-w-0 space-y-4 lg:col-start-1 lg:row-start-5">
            <h2 id="terminal" className={h2}>
              {t("terminalHeading")}
            </h2>
            <Paragraphs texts={[t("terminalP1"), t("terminalP2")]} />
            <TcpTerminalCommands />
          </section>

          <section aria-labelledby="remember" className="min-w-0 space-y-4 lg:col-start-1 lg:row-start-6">
            <h2 id="remember" className={h2}>
              {t("rememberHeading")}
            </h2>
            <CallList t={t} items={["remember1", "remember2", "remember3", "remember4", "remember5", "remember6", "remember7"]} />
          </section>
        </div>
      </LabStatusProvider>
    </TimelineProvider>
  );
}
