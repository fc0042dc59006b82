// Moves the student to what a panel talks about: an event on the timeline, a section of the lesson.
// Plain functions for event handlers (they touch window and document, so never call them during render).

import { selectionSearch } from "../timeline/model";

/**
 * Selects an event on the timeline the way the timeline itself does: in the URL (?e=<seq>), with
 * history.replaceState, which Next.js keeps useSearchParams in step with.
 */
export function selectOnTimeline(seq: bigint): void {
  const search = selectionSearch(window.location.search, { seq, field: null });
  window.history.replaceState(null, "", `${window.location.pathname}${search}${window.location.hash}`);
}

/**
 * Scrolls a section's heading into view (smoothly unless the student asked for reduced motion) and moves
 * the focus there, so that a screen reader goes on from the section. The heading must be focusable: in a
 * lesson's MDX, `<Section id="..." focusable>`.
 */
export function showSection(headingId: string): void {
  const heading = document.getElementById(headingId);
  if (!heading) return;
  heading.scrollIntoView({ block: "start", behavior: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  heading.focus({ preventScroll: true });
}
