"use client";
// Scrolling the ladder: following the newest event while the reader is at the bottom, and bringing a
// row into view. Rows have a fixed height, so a row's position is arithmetic, not a measurement.

import { useCallback, useEffect, useLayoutEffect, useRef, type RefObject } from "react";
import { followAfterScroll, rowScrollTop, type FollowState } from "./model";

export interface LadderScroll {
  readonly onScroll: () => void;
  readonly scrollToRow: (row: number, align: "center" | "nearest") => void;
  readonly stopFollowing: () => void;
  /** Follows the newest events again, from the bottom (playback's "Back to live"). */
  readonly follow: () => void;
  /** After the ladder's size changed: shows `row` (the selection; -1 for none), or else the newest rows while following. */
  readonly settle: (row: number) => void;
}

export function useLadderScroll(scrollRef: RefObject<HTMLElement | null>, rowCount: number, header: number): LadderScroll {
  // Scrolling up stops following; scrolling back down to the bottom resumes it (see followAfterScroll).
  const state = useRef<FollowState>({ following: true, lastTop: 0, followedTop: null });
  const onScroll = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const top = element.scrollTop;
    state.current = followAfterScroll(state.current, top, element.scrollHeight - element.clientHeight - top);
  }, [scrollRef]);

  // To the bottom, remembering where the follower put the ladder when that moved it: only a scroll that moved it
  // has an event to recognise.
  const toBottom = useCallback((element: HTMLElement) => {
    const before = element.scrollTop;
    element.scrollTop = element.scrollHeight;
    if (element.scrollTop !== before) state.current = { ...state.current, followedTop: element.scrollTop };
  }, []);

  // Written a frame later: the virtualizer restores its own offset when it (re)attaches to the element,
  // which React's strict mode does twice on mount. At most one frame is pending, and the next render
  // does not cancel it, since live events can re-render before every frame.
  const frame = useRef<number | null>(null);
  useLayoutEffect(() => {
    frame.current ??= requestAnimationFrame(() => {
      frame.current = null;
      const element = scrollRef.current;
      if (element && state.current.following) toBottom(element);
    });
  }, [scrollRef, rowCount, toBottom]);
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
    state.current = { ...state.current, following: false };
  }, []);

  const follow = useCallback(() => {
    state.current = { ...state.current, following: true };
    const element = scrollRef.current;
    if (element) toBottom(element);
  }, [scrollRef, toBottom]);

  const settle = useCallback(
    (row: number) => {
      const element = scrollRef.current;
      if (!element) return;
      if (row >= 0) scrollToRow(row, "nearest");
      else if (state.current.following) toBottom(element);
    },
    [scrollRef, scrollToRow, toBottom],
  );

  return { onScroll, scrollToRow, stopFollowing, follow, settle };
}
