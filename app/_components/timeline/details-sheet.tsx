"use client";
// The selected event's details on a narrow screen: a sheet over the whole viewport, a modal <dialog>, so the
// rest of the page is inert while it is open (focus stays inside), Escape and the Close button close it,
// and the focus goes back to where it was (the event's row). On a wider screen the details stay where the
// timeline lays them out, and this renders them as they are.

import { useCallback, useEffect, useRef } from "react";
import { useT } from "@/app/_i18n/client";
import { useMediaQuery } from "../use-media-query";

/** Below the lesson page's wide layout (Tailwind's lg, 64rem), the details are a sheet. */
const NARROW = "(max-width: 63.98rem)";

/** Whether the screen is narrow enough for sheets and drawers; false in the server render. */
export function useNarrowScreen(): boolean {
  return useMediaQuery(NARROW);
}

export interface DetailsSheetProps {
  /** The student asked for the details (clicked an event, or pressed Enter on one). */
  readonly open: boolean;
  readonly onClose: () => void;
  /** What gets the focus when the sheet opens: the details' heading. */
  readonly focusRef: React.RefObject<HTMLElement | null>;
  readonly children: React.ReactNode;
}

export function DetailsSheet({ open, onClose, focusRef, children }: DetailsSheetProps) {
  const t = useT("timeline");
  const narrow = useNarrowScreen();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const shown = narrow && open;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (shown && !dialog.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      focusRef.current?.focus();
    } else if (!shown && dialog.open) {
      dialog.close();
    }
  }, [shown, focusRef]);

  // Escape, the Close button and a close from the code all end here.
  const onClosed = useCallback(() => {
    onClose();
    const target = returnTo.current;
    returnTo.current = null;
    if (target?.isConnected) target.focus();
  }, [onClose]);

  if (!narrow) return children;
  return (
    <dialog
      ref={dialogRef}
      aria-label={t("sheetLabel")}
      onClose={onClosed}
      className="m-0 h-dvh max-h-none w-full max-w-none flex-col bg-white p-0 text-slate-900 open:flex backdrop:bg-slate-950/60 dark:bg-slate-950 dark:text-slate-100"
    >
      <div className="flex flex-none justify-end border-b border-slate-200 px-3 py-2 dark:border-slate-800">
        <button
          type="button"
          onClick={() => dialogRef.current?.close()}
          className="rounded border border-slate-400 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:border-slate-500 dark:hover:bg-slate-800 dark:focus-visible:outline-blue-300"
        >
          {t("sheetClose")}
        </button>
      </div>
      {shown && <div className="min-h-0 flex-1 overflow-y-auto overscroll-contain">{children}</div>}
    </dialog>
  );
}
