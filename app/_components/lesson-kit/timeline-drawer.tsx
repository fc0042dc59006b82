"use client";
// The lesson's aside (the timeline and any live diagram) on a narrow screen: a drawer fixed to the bottom of
// the viewport, so that the timeline is next to the experiment that made its traffic, not 2,000 px below
// it. A bar with the aside's name opens and closes it (a disclosure button); it opens by itself when events
// arrive just after the student pressed a button in the lesson. While open, the page keeps room for it at
// the bottom (a padding and a scroll padding), so nothing of the lesson hides behind it for good. On a wide
// screen it is the column beside the lesson, and the bar is not shown.

import { useEffect, useId, useRef, useState } from "react";
import { useNarrowScreen } from "../timeline/details-sheet";
import { useLessonTimeline } from "./use-lesson-timeline";

/** Events this soon after a press of a button in the lesson are that button's traffic. */
const ACTION_MS = 5_000;

export function TimelineDrawer({ label, children }: { label: string; children: React.ReactNode }) {
  const narrow = useNarrowScreen();
  const { events } = useLessonTimeline();
  const [open, setOpen] = useState(false);
  const bodyId = useId();
  const asideRef = useRef<HTMLElement>(null);
  const lastAction = useRef<{ at: number; element: Element } | null>(null);
  /** The button whose traffic opened the drawer: it scrolls up above the drawer once there is room. */
  const pressed = useRef<Element | null>(null);

  // A press of a button (or a form sent) in the lesson, not in the drawer itself.
  useEffect(() => {
    const onAction = (event: Event) => {
      const target = event.target instanceof Element ? event.target : null;
      if (!target || asideRef.current?.contains(target)) return;
      // The element itself: a button is often disabled (and loses the focus) while its request runs.
      const element = event.type === "submit" ? target : target.closest("button");
      if (element) lastAction.current = { at: Date.now(), element };
    };
    document.addEventListener("click", onAction, true);
    document.addEventListener("submit", onAction, true);
    return () => {
      document.removeEventListener("click", onAction, true);
      document.removeEventListener("submit", onAction, true);
    };
  }, []);

  // A link to the timeline or the diagram (the table of contents, a shared URL) opens the drawer to it.
  useEffect(() => {
    const onHash = () => {
      const target = window.location.hash.length > 1 ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
      if (target && asideRef.current?.contains(target)) {
        setOpen(true);
        requestAnimationFrame(() => target.scrollIntoView({ block: "start" }));
      }
    };
    onHash();
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  // Its traffic arrived: show it, and keep the button that made it in view above the drawer.
  const lastSeq = events.lastSeq;
  useEffect(() => {
    const action = lastAction.current;
    if (!narrow || lastSeq === undefined || !action || Date.now() - action.at > ACTION_MS) return;
    lastAction.current = null;
    if (open) return;
    pressed.current = action.element;
    setOpen(true);
    // Only a new event opens it: closing it again (open changing) must not.
  }, [lastSeq, narrow]);

  // The room the drawer takes at the bottom of the page (its height: the bar's name may wrap), for the
  // lesson's padding and for scrolling.
  useEffect(() => {
    const root = document.documentElement;
    const aside = asideRef.current;
    if (!narrow || !aside) return;
    const observer = new ResizeObserver(() => {
      const room = `${aside.offsetHeight}px`;
      root.style.setProperty("--lesson-drawer", room);
      root.style.scrollPaddingBottom = room;
      pressed.current?.scrollIntoView({ block: "nearest" });
      pressed.current = null;
    });
    observer.observe(aside);
    return () => {
      observer.disconnect();
      root.style.removeProperty("--lesson-drawer");
      root.style.scrollPaddingBottom = "";
    };
  }, [narrow]);

  return (
    <aside
      ref={asideRef}
      aria-label={label}
      className="min-w-0 max-lg:fixed max-lg:inset-x-0 max-lg:bottom-0 max-lg:m-0 max-lg:z-30 max-lg:border-t max-lg:border-slate-300 max-lg:bg-white max-lg:shadow-[0_-4px_12px_rgb(0_0_0/0.12)] dark:max-lg:border-slate-700 dark:max-lg:bg-slate-950 lg:absolute lg:inset-y-0 lg:right-0 lg:w-[calc((100%-2rem)*6/11)] xl:w-[calc(100%-30rem)] 2xl:w-[calc(100%-38rem)]"
    >
      <button
        type="button"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setOpen(!open)}
        className="flex min-h-12 w-full items-center gap-2 px-4 py-2 text-left font-semibold focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-blue-700 lg:hidden dark:focus-visible:outline-blue-300"
      >
        <span aria-hidden="true" className="inline-block w-4 text-slate-600 dark:text-slate-400">
          {open ? "▾" : "▴"}
        </span>
        {label}
      </button>
      <div
        id={bodyId}
        className={`flex flex-col gap-3 max-lg:h-[calc(70dvh-3rem)] max-lg:overflow-y-auto max-lg:overscroll-contain max-lg:px-3 max-lg:pb-3 lg:sticky lg:top-4 lg:h-[calc(100dvh-2rem)] lg:overflow-y-auto ${
          open ? "" : "max-lg:hidden"
        }`}
      >
        {children}
      </div>
    </aside>
  );
}
