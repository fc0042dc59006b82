// The frame of every lesson page: the lab status and the timeline for everything inside, and the layout.
// The lesson's MDX comes in as children, in reading order (header, sections, the aside with the timeline,
// more sections); that order is also the narrow screen's. On a wide screen the text keeps a reading width
// and the aside takes the rest of the row beside the whole lesson: from 1280 px on, the timeline has room
// for its details beside the ladder (layout.tsx widens the page for data-page-width="wide").

import type { MDXContent } from "mdx/types";
import { LabStatusProvider } from "../lab-status";
import { TimelineProvider } from "../timeline/store";
import { TimelineDrawer } from "./timeline-drawer";
import type { Locale } from "@/app/_i18n/locales";

/** A lesson's title and description, for the browser tab and search engines. */
export interface LessonMeta {
  readonly title: string;
  readonly description: string;
}

/** One lesson in every language: each locale's MDX and its meta (app/lessons/<id>/content.ts). */
export type LessonContent = Readonly<Record<Locale, { readonly Content: MDXContent; readonly meta: LessonMeta }>>;

// On a wide screen the text keeps to its column by padding on the right; the aside is taken out of the flow
// and laid over that padding, so that it spans the lesson's full height whatever the sections are. Its
// widths repeat the padding's: 5 : 6 with a 2rem gap, then a fixed reading width of 28rem and 36rem.
// On a narrow one the aside is a drawer at the bottom of the screen (timeline-drawer.tsx), and the lesson keeps
// room below for it (--lesson-drawer, set by the drawer).
const frame =
  "relative space-y-10 max-lg:pb-[var(--lesson-drawer,0px)] lg:pr-[calc((100%-2rem)*6/11+2rem)] xl:pr-[calc(100%-28rem)] 2xl:pr-[calc(100%-36rem)]";

export function LessonPage({ children }: { children: React.ReactNode }) {
  return (
    <TimelineProvider>
      <LabStatusProvider>
        <div data-page-width="wide" className={frame}>
          {children}
        </div>
      </LabStatusProvider>
    </TimelineProvider>
  );
}

/**
 * The timeline's column, and any live diagram above the timeline. Where it stands in the MDX is where it
 * comes in reading order (the keyboard's order); on a wide screen it sits beside the whole lesson, and its
 * inner box stays in view while the lesson scrolls; on a narrow one it is a drawer at the bottom.
 */
export function LessonAside({ label, children }: { label: string; children: React.ReactNode }) {
  return <TimelineDrawer label={label}>{children}</TimelineDrawer>;
}
