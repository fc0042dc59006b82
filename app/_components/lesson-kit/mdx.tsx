// What a lesson's MDX (app/lessons/<id>/content.<locale>.mdx) is written with: the look of its markdown
// (paragraphs, lists, ### headings, `code`, links) and the blocks that give it its structure, which every
// MDX file may use without importing them (mdx-components.tsx at the repo root hands them to @next/mdx):
//
//   <LessonHeader kicker title>   the kicker, the h1, then <Lede> and <Toc> as children
//   <Toc>                         the "On this page" list: a markdown list of links to the sections' ids
//   <Section id title focusable>  an h2 with its id (the Toc's targets) and the section's prose and panels
//   <Panels>                      a group of experiment panels, spaced apart
//   <LessonAside label>           the column beside the lesson on a wide screen, a drawer at the bottom of a
//                                 narrow one; holds <LessonTimeline> and any live diagram
//   <LessonTimeline headingId title>lead</LessonTimeline>   the packet timeline with its heading and lead
//   <ServicePort service>         a lab service's port as the running lab reports it ("tcp-echo", "time"...):
//                                 the lesson's text names no port itself
//
// Panels themselves are client components the MDX imports by path; they take no prose, only structure.
// Server components: nothing here runs in the browser except the panels and the timeline.

import type { MDXComponents } from "mdx/types";
import type { ComponentPropsWithoutRef, ReactNode } from "react";
import { Timeline } from "@/app/_components/timeline/timeline";
import { getT } from "@/app/_i18n/server";
import { LessonAside } from "./lesson-page";
import { ServicePort } from "./service-port";
import type { LessonMdxBlock } from "./mdx-blocks";
import { Code } from "./prose";
import { asideHeadingClass } from "./ui";

const proseText = "leading-relaxed text-slate-800 dark:text-slate-200";
const sectionHeading = "scroll-mt-4 text-2xl font-semibold";

export function LessonHeader({ kicker, title, children }: { kicker: string; title: string; children: ReactNode }) {
  return (
    <header className="space-y-4">
      <p className="text-sm font-medium text-blue-800 dark:text-blue-300">{kicker}</p>
      <h1 className="text-3xl font-bold tracking-tight">{title}</h1>
      {children}
    </header>
  );
}

export function Lede({ children }: { children: ReactNode }) {
  return <p className="text-lg leading-relaxed text-slate-700 dark:text-slate-300">{children}</p>;
}

/** The table of contents: `children` is a markdown list of links (`1. [Heading](#id)`), laid out in a row. */
export async function Toc({ children }: { children: ReactNode }) {
  const t = await getT("lessonKit");
  return (
    <nav
      aria-label={t("tocLabel")}
      className="rounded-lg bg-slate-100 p-3 text-sm dark:bg-slate-900 [&_ol]:flex [&_ol]:flex-wrap [&_ol]:gap-x-4 [&_ol]:gap-y-1"
    >
      {children}
    </nav>
  );
}

/**
 * One section of the lesson, named by its heading. `focusable` lets a panel move the focus to the heading
 * (navigate.ts, showSection), as a link to the section would.
 */
export function Section({ id, title, focusable, children }: { id: string; title: string; focusable?: boolean; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0 space-y-4">
      <h2 id={id} tabIndex={focusable ? -1 : undefined} className={sectionHeading}>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Panels({ children }: { children: ReactNode }) {
  return <div className="space-y-6 pt-2">{children}</div>;
}

/**
 * The packet timeline under its heading (a div, not a section: the Timeline is its own labelled region, and
 * two regions of one name confuse). Narrow screens: first in the drawer and as tall as it, the details in a
 * sheet; a live diagram follows it there.
 */
export function LessonTimeline({ headingId, title, children }: { headingId: string; title: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1 max-lg:order-first max-lg:h-[calc(70dvh-3.75rem)] max-lg:flex-none lg:min-h-[24rem] lg:flex-1">
      {/* In the drawer, its bar names it: the heading stays for the table of contents and screen readers. */}
      <h2 id={headingId} className={`${asideHeadingClass} max-lg:sr-only`}>
        {title}
      </h2>
      <p className="text-xs text-slate-700 max-lg:sr-only dark:text-slate-300">{children}</p>
      <div className="min-h-0 flex-1">
        <Timeline className="h-full" />
      </div>
    </div>
  );
}

/** What a lesson's MDX renders its markdown with, and the blocks it may use without an import. */
export const lessonMdxComponents = {
  LessonHeader,
  Lede,
  Toc,
  Section,
  Panels,
  LessonAside,
  LessonTimeline,
  ServicePort,
  p: (props: ComponentPropsWithoutRef<"p">) => <p className={proseText} {...props} />,
  ul: (props: ComponentPropsWithoutRef<"ul">) => (
    <ul className={`list-disc space-y-2 pl-5 marker:text-slate-500 ${proseText}`} {...props} />
  ),
  h3: (props: ComponentPropsWithoutRef<"h3">) => <h3 className="text-lg font-semibold" {...props} />,
  code: ({ children }: ComponentPropsWithoutRef<"code">) => <Code>{children}</Code>,
  a: (props: ComponentPropsWithoutRef<"a">) => <a className="text-blue-800 underline hover:no-underline dark:text-blue-300" {...props} />,
} satisfies MDXComponents & Record<LessonMdxBlock, unknown>;

// A block here that LESSON_MDX_BLOCKS does not name would pass lessons.test.ts's check unseen.
type Unlisted = Exclude<Extract<keyof typeof lessonMdxComponents, Capitalize<string>>, LessonMdxBlock>;
export const everyBlockListed: Record<Unlisted, never> = {};
