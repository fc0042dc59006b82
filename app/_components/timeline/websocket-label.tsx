"use client";
// A WebSocket frame's arrow label on the ladder: its opcode as a chip (control frames, close, ping and pong, in a colour
// of their own, and always with the word), the flags in brackets, then what it carries, as the dissector's summary
// says (server/dissect/websocket.ts: the opcode's name, [FIN] [MASKED] [COMPRESSED], then the payload). The row's
// accessible name keeps the whole summary.

import { OPCODE_NAMES } from "@/server/dissect/websocket/tables";

const NAMES = Object.values(OPCODE_NAMES);
const CONTROL = new Set(["Close", "Ping", "Pong"]);
const FLAGS = /^((?:\[(?:FIN|MASKED|COMPRESSED)\] ?)+)/;
const FLAGLESS_PAYLOAD = /^(?:\d+ bytes?|")/;

export interface WebSocketFrameLabel {
  readonly opcode: string;
  readonly control: boolean;
  /** "[FIN] [MASKED]", or empty. */
  readonly flags: string;
  /** The payload's part of the summary: a quoted text, a close code, a byte count. */
  readonly rest: string;
}

/** The parts of a WebSocket frame's summary; undefined for any other summary (a text line's is quoted, so never matches). */
export function websocketFrameLabel(summary: string): WebSocketFrameLabel | undefined {
  const space = summary.indexOf(" ");
  const opcode = space < 0 ? summary : summary.slice(0, space);
  if (!NAMES.includes(opcode)) return undefined;
  const after = space < 0 ? "" : summary.slice(space + 1);
  const flags = FLAGS.exec(after)?.[1] ?? "";
  // A frame without FIN (a first fragment) has no flag: its payload is then a byte count or a quoted text.
  if (flags === "" && after !== "" && !FLAGLESS_PAYLOAD.test(after)) return undefined;
  return { opcode, control: CONTROL.has(opcode), flags: flags.trim(), rest: after.slice(flags.length) };
}

const CHIP = "shrink-0 rounded px-1 font-mono text-[11px] font-semibold";
const CONTROL_CHIP = `${CHIP} bg-violet-100 text-violet-900 ring-1 ring-inset ring-violet-400 dark:bg-violet-950 dark:text-violet-100 dark:ring-violet-500`;
const DATA_CHIP = `${CHIP} bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100`;

/** The label's visible part (hidden from screen readers: the row's name says it all), and how many frames follow the first. */
export function WebSocketLabel({ label, more }: { label: WebSocketFrameLabel; more: number }) {
  return (
    <>
      <span className={label.control ? CONTROL_CHIP : DATA_CHIP}>{label.opcode}</span>
      {label.flags && <span className="shrink-0 font-mono text-[11px] text-slate-600 dark:text-slate-400">{label.flags}</span>}
      {label.rest && (
        <span title={label.rest} className="truncate font-mono text-slate-900 dark:text-slate-100">
          {label.rest}
        </span>
      )}
      {more > 0 && <span className="shrink-0 rounded bg-slate-200 px-1 font-mono text-[11px] text-slate-800 dark:bg-slate-700 dark:text-slate-100">+{more}</span>}
    </>
  );
}
