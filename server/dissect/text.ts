// Text lines: the lab's echo, time and greeting servers (seed protocols with no framing of their own).
// One read is one message, so there is no pduLength. Lines end in CRLF (RFC 5198 §2, the Internet's
// text line), LF or a lone CR. UTF-8 is decoded as the WHATWG Encoding Standard §8.1.1 does, so the
// text shown matches what TextDecoder gives, with each invalid sequence (its maximal subpart, Unicode
// §3.9 "U+FFFD Substitution of Maximal Subparts") replaced by U+FFFD and reported at its exact bytes.

import { createCursor, type Cursor } from "./core/cursor";
import { defineFields, formatBytes, plural, quoteText } from "./core/fields";
import type { DissectContext, DissectedFrame, Dissector, Severity } from "./core/types";

export const textFields = defineFields("text", {
  line: {
    label: "Line",
    type: "text",
    blurb: "One line of text: its characters and the bytes that end it.",
  },
  "line.content": {
    label: "Content",
    type: "text",
    blurb: "The characters of the line, decoded from UTF-8; a character beyond ASCII takes 2 to 4 bytes.",
  },
  "line.terminator": {
    label: "Line terminator",
    type: "bytes",
    blurb:
      "The bytes that end the line: LF (0x0a) on Unix, CRLF (0x0d 0x0a) in most Internet protocols, rarely a lone CR (0x0d).",
  },
});
const f = textFields;

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const DEL = 0x7f;
/** Findings of one code past this many are folded into one, so binary noise stays readable. */
const MAX_FINDINGS_PER_CODE = 10;

type Terminator = "CRLF" | "LF" | "CR";
interface Line {
  readonly start: number;
  readonly contentEnd: number;
  readonly end: number;
  readonly terminator?: Terminator;
}
export interface Range {
  offset: number;
  length: number;
}

function splitLines(bytes: Uint8Array): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === LF) {
      lines.push({ start, contentEnd: i, end: i + 1, terminator: "LF" });
    } else if (b === CR) {
      const crlf = bytes[i + 1] === LF;
      lines.push({ start, contentEnd: i, end: i + (crlf ? 2 : 1), terminator: crlf ? "CRLF" : "CR" });
      if (crlf) i++;
    } else continue;
    start = i + 1;
  }
  if (start < bytes.length) lines.push({ start, contentEnd: bytes.length, end: bytes.length });
  return lines;
}

export interface Decoded {
  text: string;
  /** Code points, U+FFFD replacements included: what a learner counts as characters. */
  chars: number;
  invalid: Range[];
  /** A character cut by the end of the read: its first bytes. */
  split?: Range;
}

/**
 * WHATWG UTF-8 decode of bytes[start, end), keeping where each invalid sequence was. `atEnd` says the read
 * ends at `end`, so a character cut there is `split` rather than invalid. The text equals TextDecoder's.
 */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length, atEnd = true): Decoded {
  const out: Decoded = { text: "", chars: 0, invalid: [] };
  const bad = (offset: number, length: number): void => {
    const last = out.invalid[out.invalid.length - 1];
    if (last && last.offset + last.length === offset) last.length += length;
    else out.invalid.push({ offset, length });
  };
  let i = start;
  while (i < end) {
    const b = bytes[i] ?? 0;
    out.chars++;
    if (b < 0x80) {
      out.text += String.fromCharCode(b);
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) [need, cp] = [1, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) {
      [need, cp] = [2, b & 0x0f];
      if (b === 0xe0) lower = 0xa0; // overlong
      if (b === 0xed) upper = 0x9f; // UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      [need, cp] = [3, b & 0x07];
      if (b === 0xf0) lower = 0x90; // overlong
      if (b === 0xf4) upper = 0x8f; // past U+10FFFF
    } else {
      bad(i, 1);
      out.text += "\uFFFD";
      i++;
      continue;
    }
    let j = i + 1;
    for (; need > 0 && j < end; need--, j++) {
      const c = bytes[j] ?? 0;
      if (c < lower || c > upper) break;
      [lower, upper] = [0x80, 0xbf];
      cp = (cp << 6) | (c & 0x3f);
    }
    if (need === 0) out.text += String.fromCodePoint(cp);
    else {
      // The byte that broke the sequence (if any) starts the next character.
      if (j === end && atEnd) out.split = { offset: i, length: j - i };
      else bad(i, j - i);
      out.text += "\uFFFD";
    }
    i = j;
  }
  return out;
}

/** Contiguous runs of control bytes other than TAB (CR and LF never reach content: they end lines). */
function controlRuns(bytes: Uint8Array, start: number, end: number): Range[] {
  const runs: Range[] = [];
  for (let i = start; i < end; i++) {
    const b = bytes[i] ?? 0;
    if ((b >= 0x20 || b === TAB) && b !== DEL) continue;
    const last = runs[runs.length - 1];
    if (last && last.offset + last.length === i) last.length++;
    else runs.push({ offset: i, length: 1 });
  }
  return runs;
}

const TERMINATOR_TEXT: Record<Terminator, string> = { CRLF: "\r\n", LF: "\n", CR: "\r" };

export function dissectText(bytes: Uint8Array, _ctx?: DissectContext): DissectedFrame[] {
  const cur = createCursor(bytes, "text");
  if (bytes.length === 0) {
    cur.finding("text.empty", "note", "This read carried no bytes, so there is no text to show.");
    return [cur.frame("(empty)")];
  }

  const lines = splitLines(bytes);
  const invalid: Range[] = [];
  const control: Range[] = [];
  let split: Range | undefined;
  let whole = "";
  let chars = 0;
  for (const line of lines) {
    const d = decodeUtf8(bytes, line.start, line.contentEnd, line.contentEnd === bytes.length);
    invalid.push(...d.invalid);
    control.push(...controlRuns(bytes, line.start, line.contentEnd));
    split ??= d.split;
    const terminator = line.terminator ? TERMINATOR_TEXT[line.terminator] : "";
    whole += d.text + terminator;
    chars += d.chars + terminator.length;
    const contentBytes = line.contentEnd - line.start;
    cur.subtree(f.line, line.end - line.start, (c) => {
      if (contentBytes > 0) {
        const counts = d.chars === contentBytes ? "" : ` (${plural(d.chars, "character")} in ${plural(contentBytes, "byte")})`;
        c.item(f["line.content"], contentBytes, quoteText(d.text) + counts);
      }
      if (line.terminator) c.item(f["line.terminator"], line.end - line.contentEnd, line.terminator);
      return quoteText(d.text + terminator);
    });
  }

  report(cur, "text.invalid_utf8", "warn", invalid, (r) => {
    const shown = formatBytes(bytes.subarray(r.offset, r.offset + r.length));
    return `${plural(r.length, "byte")} (${shown}) ${r.length === 1 ? "is" : "are"} not valid UTF-8; shown as U+FFFD (\uFFFD). Text saved in another encoding looks like this: Latin-1 writes "é" as the single byte e9.`;
  });
  report(cur, "text.control_chars", "note", control, (r) => {
    const shown = formatBytes(bytes.subarray(r.offset, r.offset + r.length));
    return `Control ${r.length === 1 ? "byte" : "bytes"} ${shown}: not printable, shown as \\x escapes. Typed text rarely contains them; binary data often does.`;
  });
  if (split) {
    cur.finding(
      "text.split_character",
      "note",
      `The read ends inside a UTF-8 character: only its first ${plural(split.length, "byte")} (${formatBytes(bytes.subarray(split.offset, split.offset + split.length))}) arrived, the rest would come in the next read. TCP keeps bytes in order but not characters whole; a reader buffers before decoding.`,
      split.offset,
      split.length,
    );
  }
  const last = lines[lines.length - 1];
  if (last && !last.terminator) {
    cur.finding(
      "text.no_terminator",
      "note",
      "The last line has no CR or LF. That is normal here: the echo server sends back exactly the bytes it got, and this lab reads one read as one message. Over a real stream, a protocol needs a terminator or a length to know where a message ends.",
      last.start,
      last.end - last.start,
    );
  }
  cur.finding("text.encoding", "chat", encodingNote(bytes, chars, invalid.length > 0, split !== undefined), 0, bytes.length);
  return [cur.frame(quoteText(whole))];
}

function encodingNote(bytes: Uint8Array, chars: number, invalid: boolean, split: boolean): string {
  const counts = `${plural(bytes.length, "byte")}, ${plural(chars, "character")}`;
  if (invalid) return `Not valid UTF-8: ${counts}, counting each U+FFFD replacement as one.`;
  if (split) return `UTF-8: ${counts}, the last one cut off by the end of the read.`;
  if (bytes.every((b) => b < 0x80)) return `ASCII: ${counts}, one byte each.`;
  return `UTF-8: ${counts}; characters beyond ASCII take 2 to 4 bytes each.`;
}

/** One finding per range, folding everything past MAX_FINDINGS_PER_CODE into a last one. */
function report(
  cur: Cursor,
  code: string,
  severity: Severity,
  ranges: readonly Range[],
  message: (r: Range) => string,
): void {
  const shown = ranges.length > MAX_FINDINGS_PER_CODE ? MAX_FINDINGS_PER_CODE - 1 : ranges.length;
  for (const r of ranges.slice(0, shown)) cur.finding(code, severity, message(r), r.offset, r.length);
  const rest = ranges.slice(shown);
  const first = rest[0];
  const last = rest[rest.length - 1];
  if (first && last) {
    const end = last.offset + last.length;
    cur.finding(code, severity, `${rest.length} more like this between offsets ${first.offset} and ${end - 1}.`, first.offset, end - first.offset);
  }
}

export const textDissector: Dissector = {
  id: "text",
  name: "Text lines",
  dissect: dissectText,
};
