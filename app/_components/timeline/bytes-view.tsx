"use client";
// An event's bytes as Wireshark's bytes pane and xxd show them: offset, 16 bytes in hex, the same bytes
// as text with non-printables as dots and each UTF-8 character over its bytes (bytes-text.ts); 8 bytes a row when the view is too narrow for 16 (the details
// beside the ladder). The selected field's bytes are highlighted; a click on a byte (or the arrow keys
// while the view has focus) picks the byte, and the parent selects the deepest field covering it. Rows
// are virtualised: one read can be 64 KiB, 4,096 rows.

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { textCells } from "./bytes-text";
import { BYTES_PER_ROW, hexByte, hexOffsetDigits, hexRow, hexRowCount, NARROW_BYTES_PER_ROW } from "./model";

const LINE_HEIGHT = 20;

/**
 * Width in CSS pixels of a row of `perRow` bytes, `ch` the width of one monospace character. Mirrors
 * the classes below: px-2, the offset and mr-3, each byte's two digits and px-[3px], ml-2 after the
 * eighth, ml-3, the text column; plus the border and room for a vertical scrollbar.
 */
function rowWidth(perRow: number, digits: number, ch: number): number {
  return 16 + digits * ch + 12 + perRow * (2 * ch + 6) + (perRow > 8 ? 8 : 0) + 12 + perRow * ch + 2 + 16;
}

/** 16 bytes a row when a whole row fits the view's width, else 8. */
function useBytesPerRow(wrapper: HTMLElement | null, probe: HTMLElement | null, digits: number): number {
  const [perRow, setPerRow] = useState(BYTES_PER_ROW);
  useLayoutEffect(() => {
    if (!wrapper || !probe) return;
    const measure = () => {
      // The probe holds ten monospace digits in the rows' font.
      const ch = probe.getBoundingClientRect().width / 10;
      if (ch === 0) return;
      setPerRow(wrapper.clientWidth >= rowWidth(BYTES_PER_ROW, digits, ch) ? BYTES_PER_ROW : NARROW_BYTES_PER_ROW);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(wrapper);
    return () => observer.disconnect();
  }, [wrapper, probe, digits]);
  return perRow;
}

export interface BytesViewProps {
  readonly data: Uint8Array;
  /** Event-relative byte range to highlight (the selected field's bytes). */
  readonly highlight: { readonly start: number; readonly length: number } | null;
  readonly onSelectByte: (offset: number) => void;
  /** The group's accessible name, when the page shows more than one byte view. */
  readonly label?: string;
}

export function BytesView({ data, highlight, onSelectByte, label }: BytesViewProps) {
  const t = useT("timeline");
  const helpId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [wrapper, setWrapper] = useState<HTMLDivElement | null>(null);
  const [probe, setProbe] = useState<HTMLSpanElement | null>(null);
  const perRow = useBytesPerRow(wrapper, probe, hexOffsetDigits(data.length));
  const [cursor, setCursor] = useState<number | null>(null);
  const virtualizer = useVirtualizer({
    count: hexRowCount(data.length, perRow),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT,
    overscan: 8,
    useFlushSync: false,
  });

  const highlightStart = highlight?.start ?? null;
  useEffect(() => {
    if (highlightStart !== null) virtualizer.scrollToIndex(Math.floor(highlightStart / perRow), { align: "auto" });
  }, [highlightStart, virtualizer, perRow]);

  if (data.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">{t("noBytes")}</p>;
  }

  const isHighlighted = (offset: number, length = 1) =>
    highlight !== null && offset < highlight.start + highlight.length && offset + length > highlight.start;
  // The byte picked last, unless the selection has since moved elsewhere (a click in the field tree).
  const at = cursor !== null && (highlight === null || isHighlighted(cursor)) ? cursor : highlightStart;

  function pick(offset: number) {
    const clamped = Math.min(data.length - 1, Math.max(0, offset));
    setCursor(clamped);
    onSelectByte(clamped);
    virtualizer.scrollToIndex(Math.floor(clamped / perRow), { align: "auto" });
  }

  function onKeyDown(event: React.KeyboardEvent) {
    const from = at ?? -1;
    const moves: Record<string, number> = {
      ArrowRight: from + 1,
      ArrowLeft: from - 1,
      ArrowDown: from < 0 ? 0 : from + perRow,
      ArrowUp: from - perRow,
      Home: 0,
      End: data.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    pick(next);
  }

  function onClick(event: React.MouseEvent) {
    const cell = (event.target as HTMLElement).closest<HTMLElement>("[data-offset]");
    if (cell?.dataset.offset !== undefined) pick(Number(cell.dataset.offset));
  }

  const cellClass = (offset: number, length = 1) =>
    `${isHighlighted(offset, length) ? "bg-amber-200 text-slate-950 dark:bg-amber-700 dark:text-white" : ""} ${
      at !== null && at >= offset && at < offset + length
        ? "group-focus-visible/bytes:outline group-focus-visible/bytes:outline-1 group-focus-visible/bytes:-outline-offset-1 group-focus-visible/bytes:outline-blue-700 dark:group-focus-visible/bytes:outline-sky-300"
        : ""
    }`;

  return (
    <div ref={setWrapper} className="relative">
      <span ref={setProbe} aria-hidden="true" className="invisible absolute font-mono text-xs">
        0000000000
      </span>
      <p id={helpId} className="mb-1 text-xs text-slate-600 dark:text-slate-400">
        {t("bytesHelp")}
      </p>
      <div
        ref={scrollRef}
        role="group"
        tabIndex={0}
        aria-label={label ?? t("bytesLabel", { n: data.length })}
        aria-describedby={helpId}
        onKeyDown={onKeyDown}
        onClick={onClick}
        className="group/bytes max-h-64 overflow-auto rounded border border-slate-200 bg-slate-50 font-mono text-xs leading-5 text-slate-900 focus-visible:outline-2 focus-visible:outline-blue-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100 dark:focus-visible:outline-sky-300"
      >
        <div style={{ height: virtualizer.getTotalSize() }} className="relative min-w-max">
          {virtualizer.getVirtualItems().map((item) => {
            const row = hexRow(data, item.index, perRow);
            const cells = Array.from(row.bytes, (byte, i) => ({ byte, offset: row.offset + i }));
            return (
              <div
                key={item.key}
                style={{ transform: `translateY(${item.start}px)`, height: LINE_HEIGHT }}
                className="absolute left-0 top-0 flex whitespace-pre px-2"
              >
                <span className="mr-3 select-none text-slate-500 dark:text-slate-400">{row.offsetLabel}</span>
                {cells.map(({ byte, offset }, i) => (
                  <span key={offset} data-offset={offset} data-column="hex" data-highlighted={isHighlighted(offset)} className={`cursor-pointer px-[3px] ${i === 8 ? "ml-2" : ""} ${cellClass(offset)}`}>
                    {hexByte(byte)}
                  </span>
                ))}
                {Array.from({ length: perRow - cells.length }, (_, i) => (
                  <span key={`pad${i}`} className={`px-[3px] ${cells.length + i === 8 ? "ml-2" : ""}`}>
                    {"  "}
                  </span>
                ))}
                <span className="ml-3" />
                {/* A character of several bytes is one cell as wide as its bytes' columns. */}
                {textCells(data, row.offset, row.offset + cells.length).map(({ offset, length, text }) => (
                  <span
                    key={offset}
                    data-offset={offset}
                    data-column="text"
                    data-highlighted={isHighlighted(offset, length)}
                    style={length > 1 ? { width: `${length}ch` } : undefined}
                    className={`inline-block cursor-pointer text-center ${cellClass(offset, length)}`}
                  >
                    {text || " "}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
