"use client";
// Scrolling the ladder: following the newest event while the reader is at the bottom, and bringing a
// row into view. Rows have a fixed height, so a row's position is arithmetic, not a measurement.

import { useCallback, useEffect, useLayoutEffect, useRef, type RefObject } from "react";
import { ROW_HEIGHT, rowScrollTop } from "./model";

export interface LadderScroll {
  readonly onScroll: () => void;
  readonly scrollToRow: (row: number, align: "center" | "nearest") => void;
  readonly stopFollowing: () => void;
  /** After the ladder's size changed: shows `row` (the selection; -1 for none), or else the newest rows while following. */
  readonly settle: (row: number) => void;
}

export function useLadderScroll(scrollRef: RefObject<HTMLElement | null>, rowCount: number, header: number): LadderScroll {
  // Scrolling up stops following; scrolling back down to the bottom resumes it. A scroll event comes
  // a frame after its scroll, when live events may already have made the list taller: so the
  // follower's own scrolls are recognised by position, and a reader moving down gets two rows of slack.
  const following = useRef(true);
  const lastTop = useRef(0);
  const followedTop = useRef<number | null>(null);
  const onScroll = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const top = element.scrollTop;
    if (top !== followedTop.current) {
      const distance = element.scrollHeight - element.clientHeight - top;
      following.current = distance <= ROW_HEIGHT / 2 || (top >= lastTop.current && distance <= 2 * ROW_HEIGHT);
    }
    lastTop.current = top;
  }, [scrollRef]);

  // Written a frame later: the virtualizer restores its own offset when it (re)attaches to the element,
  // which React's strict mode does twice on mount. At most one frame is pending, and the next render
  // does not cancel it, since live events can re-render before every frame.
  const frame = useRef<number | null>(null);
  useLayoutEffect(() => {
    frame.current ??= requestAnimationFrame(() => {
      frame.current = null;
      const element = scrollRef.current;
      if (!element || !following.current) return;
      element.scrollTop = element.scrollHeight;
      followedTop.current = element.scrollTop;
    });
  }, [scrollRef, rowCount]);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    },
    [],
  );

  const scrollToRow = useCallback(
    (row: number, align: "center" | "nearest") => {
      const element = scrollRef.current;
      if (!element) return;
      element.scrollTop = rowScrollTop(row, { scrollTop: element.scrollTop, height: element.clientHeight, header }, align);
    },
    [scrollRef, header],
  );

  const stopFollowing = useCallback(() => {
    following.current = false;
  }, []);

  const settle = useCallback(
    (row: number) => {
      const element = scrollRef.current;
      if (!element) return;
      if (row >= 0) {
        scrollToRow(row, "nearest");
      } else if (following.current) {
        element.scrollTop = element.scrollHeight;
        followedTop.current = element.scrollTop;
      }
    },
    [scrollRef, scrollToRow],
  );

  return { onScroll, scrollToRow, stopFollowing, settle };
}
