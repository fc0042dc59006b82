// A tool's page beside the session's timeline (the HTTP composer, the gRPC console): wide, the tool keeps a
// reading width and the timeline takes the rest, sticky, with room for its details; narrow, the timeline
// follows the tool at the height of the screen.

import { LabStatusProvider } from "@/app/_components/lab-status";
import { Timeline } from "@/app/_components/timeline/timeline";
import { TimelineProvider } from "@/app/_components/timeline/store";

/** One tool per page, so one timeline heading. */
const HEADING_ID = "tool-timeline-heading";

export interface ToolPageProps {
  readonly title: string;
  readonly intro: string;
  readonly timelineHeading: string;
  /** What the timeline beside this tool shows, in a line under its heading. */
  readonly timelineNote: string;
  /** The tool itself. */
  readonly children: React.ReactNode;
}

export function ToolPage({ title, intro, timelineHeading, timelineNote, children }: ToolPageProps) {
  return (
    <TimelineProvider>
      <LabStatusProvider>
        <div data-page-width="wide" className="grid gap-6 lg:grid-cols-[minmax(0,36rem)_minmax(0,1fr)]">
          <div className="min-w-0 space-y-6">
            <header className="space-y-3">
              <h1 className="text-3xl font-bold tracking-tight">{title}</h1>
              <p className="text-slate-700 dark:text-slate-300">{intro}</p>
            </header>
            {children}
          </div>
          <aside aria-labelledby={HEADING_ID} className="min-w-0">
            <div className="flex h-[calc(100dvh-1rem)] min-h-[32rem] flex-col gap-1 lg:sticky lg:top-4 lg:h-[calc(100dvh-2rem)]">
              <h2 id={HEADING_ID} className="text-lg font-semibold">
                {timelineHeading}
              </h2>
              <p className="text-xs text-slate-700 dark:text-slate-300">{timelineNote}</p>
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
