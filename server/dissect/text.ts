// Text lines: the lab's echo, time and greeting servers (seed protocols with no framing of their own).
// One read is one message, so there is no pduLength. Lines end in CRLF (RFC 5198 §2, the Internet's
// text line), LF or a lone CR. UTF-8 is decoded as the WHATWG Encoding Standard §8.1.1 does, so the
// text shown matches what TextDecoder gives, with each invalid sequence (its maximal subpart, Unicode
// §3.9 "U+FFFD Substitution of Maximal Subparts") replaced by U+FFFD and reported at its exact bytes.

import { addItem, createCursor, type Cursor } from "./core/cursor";
import { defineFields, escapeChar, hexPreview, invisibleEscape, QUOTE_MAX } from "./core/fields";
import { defineFindings, type FindingSpec } from "./core/findings";
import type { FieldValue } from "./core/formats";
import type { DissectContext, DissectedFrame, Dissector } from "./core/types";

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

// `hex` is the bytes in hex (core/fields.ts hexPreview); `more` folds the findings of one code past the first nine.
const x = defineFindings("text", {
  empty: { severity: "note", message: "This read carried no bytes, so there is no text to show." },
  invalid_utf8: {
    severity: "warn",
    forms: {
      range:
        'Not valid UTF-8: {length:bytes} ({hex}), shown as U+FFFD (\uFFFD). Text saved in another encoding looks like this: Latin-1 writes "é" as the single byte e9.',
      more: "{count} more like this between offsets {from} and {to}.",
    },
  },
  control_chars: {
    severity: "note",
    forms: {
      range:
        "{length:control_bytes} ({hex}): not printable, shown as \\x escapes. Typed text rarely contains them; binary data often does.",
      more: "{count} more like this between offsets {from} and {to}.",
    },
  },
  split_character: {
    severity: "note",
    message:
      "The read ends inside a UTF-8 character: only its first {length:bytes} ({hex}) arrived, the rest would come in the next read. TCP keeps bytes in order but not characters whole; a reader buffers before decoding.",
  },
  // Chat, not note: the lab's text servers answer without a line end, so nearly every arrow has it (issue 15 §1.7).
  no_terminator: {
    severity: "chat",
    message:
      "The last line has no CR or LF. The lab's text servers and the course's clients send their messages without one, and this lab reads one read as one message. Over a real stream, a protocol needs a terminator or a length to know where a message ends.",
  },
  replacement_char: {
    severity: "note",
    message:
      "The bytes ef bf bd at offset {offset} are U+FFFD (\uFFFD), the character a decoder writes where bytes were not UTF-8. The lab's echo server decodes what it reads that way, so a message with a byte that is not UTF-8 (68 69 ff) is answered ECHO: hi + ef bf bd. The course's Python server decodes strictly (data.decode('utf-8')): it raises UnicodeDecodeError on such bytes and the connection closes.",
  },
  encoding: {
    severity: "chat",
    forms: {
      invalid: "Not valid UTF-8: {bytes:bytes}, {chars:characters}, counting each U+FFFD replacement as one.",
      split: "UTF-8: {bytes:bytes}, {chars:characters}, the last one cut off by the end of the read.",
      ascii: "ASCII: {bytes:bytes}, {chars:characters}, one byte each.",
      utf8: "UTF-8: {bytes:bytes}, {chars:characters}; characters beyond ASCII take 2 to 4 bytes each.",
    },
  },
});
export const textFindings = x;

const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;
const DEL = 0x7f;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Findings of one code past this many are folded into one, so binary noise stays readable. */
const MAX_FINDINGS_PER_CODE = 10;

type Terminator = "CRLF" | "LF" | "CR";
export interface Range {
  offset: number;
  length: number;
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
 * The UTF-8 character whose first byte (>= 0x80) is bytes[i], read as the WHATWG Encoding Standard's decoder
 * (§8.1.1) reads it, never at or past `end`. Returns, so that nothing is allocated:
 *   > 0  a valid character: `(codePoint << 3) | its length in bytes`;
 *   0    bytes[i] cannot start a character: one invalid byte;
 *   < 0  a character that starts well but is cut short, by a byte that does not continue it (which then
 *        starts the next character) or by `end`: minus the bytes it has, its maximal subpart. It reads as
 *        one U+FFFD, like an invalid byte.
 */
function utf8Sequence(bytes: Uint8Array, i: number, end: number): number {
  const b = bytes[i] ?? 0;
  let need: number;
  let cp: number;
  let lower = 0x80;
  let upper = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) {
    need = 1;
    cp = b & 0x1f;
  } else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    cp = b & 0x0f;
    if (b === 0xe0) lower = 0xa0; // overlong
    if (b === 0xed) upper = 0x9f; // UTF-16 surrogates
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    cp = b & 0x07;
    if (b === 0xf0) lower = 0x90; // overlong
    if (b === 0xf4) upper = 0x8f; // past U+10FFFF
  } else return 0;
  let j = i + 1;
  for (; need > 0 && j < end; need--, j++) {
    const c = bytes[j] ?? 0;
    if (c < lower || c > upper) break;
    lower = 0x80;
    upper = 0xbf;
    cp = (cp << 6) | (c & 0x3f);
  }
  return need === 0 ? (cp << 3) | (j - i) : i - j;
}

/** Adds a range to a list, extending the last one when it ends where this one starts. */
function addRange(list: Range[], offset: number, length: number): Range[] {
  const last = list[list.length - 1];
  if (last && last.offset + last.length === offset) last.length += length;
  else list.push({ offset, length });
  return list;
}

/** Code units to a string, a slice at a time (an argument list has a size limit). */
const CHUNK = 4096;

/**
 * WHATWG UTF-8 decode of bytes[start, end), keeping where each invalid sequence was. `atEnd` says the read
 * ends at `end`, so a character cut there is `split` rather than invalid. The text equals TextDecoder's.
 */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length, atEnd = true): Decoded {
  const out: Decoded = { text: "", chars: 0, invalid: [] };
  const units: number[] = [];
  let text = "";
  let i = start;
  while (i < end) {
    const b = bytes[i] ?? 0;
    out.chars++;
    if (b < 0x80) {
      units.push(b);
      i++;
    } else {
      const r = utf8Sequence(bytes, i, end);
      if (r > 0) {
        const cp = r >>> 3;
        if (cp > 0xffff) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
        else units.push(cp);
        i += r & 7;
      } else {
        const length = r === 0 ? 1 : -r;
        // A cut character (not an invalid first byte) that reaches the end of the read is split.
        if (r < 0 && i + length === end && atEnd) out.split = { offset: i, length };
        else addRange(out.invalid, i, length);
        units.push(0xfffd);
        i += length;
      }
    }
    if (units.length >= CHUNK) {
      text += String.fromCharCode.apply(null, units);
      units.length = 0;
    }
  }
  out.text = text + String.fromCharCode.apply(null, units);
  return out;
}

/** For the UTF-16 code units below 0xa0: escapeChar's piece when it differs from the character. */
const ESCAPES: readonly (string | undefined)[] = Array.from({ length: 0xa0 }, (_, c) => {
  const ch = String.fromCharCode(c);
  const piece = escapeChar(ch);
  return piece === ch ? undefined : piece;
});

/** Set by escapeRange: whether it stopped before `to` because the next piece would not fit. */
let escapeCut = false;

/**
 * `prefix`, then the characters of s[from, to) as escapeChar shows them, as many whole ones as fit in `max`
 * characters in all. This is quoteText's loop, continued from an earlier call's result (`prefix`), so one
 * decoded string serves every display: the content, the line with its terminator and the summary. Sets
 * `escapeCut` when a character did not fit (quoteText's `…`).
 */
function escapeRange(prefix: string, s: string, from: number, to: number, max: number): string {
  let out = prefix;
  let used = prefix.length;
  let run = from; // characters from `run` to `i` are shown as they are, and copied in one slice
  let i = from;
  escapeCut = false;
  while (i < to) {
    let c = s.charCodeAt(i);
    // Fast path: printable ASCII other than `"` and `\` is shown as it is.
    while (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && used < max) {
      used++;
      if (++i === to) break;
      c = s.charCodeAt(i);
    }
    if (i === to) break;
    const piece = c < 0xa0 ? ESCAPES[c] : invisibleEscape(c);
    // A surrogate pair is one character of two code units, shown as itself.
    const units = c >= 0xd800 && c <= 0xdbff && i + 1 < to && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    const width = piece === undefined ? units : piece.length;
    if (used + width > max) {
      escapeCut = true;
      break;
    }
    used += width;
    if (piece !== undefined) {
      out += run < i ? s.slice(run, i) + piece : piece;
      run = i + 1;
    }
    i += units;
  }
  return run < i ? out + s.slice(run, i) : out;
}

/**
 * escapeRange("", s, from, to, max) for a range known to need no escapes (one character per code unit, each shown
 * as itself): a slice, with `escapeCut` set the same way.
 */
function plainRange(s: string, from: number, to: number, max: number): string {
  escapeCut = to - from > max;
  return s.slice(from, escapeCut ? from + max : to);
}

/** quoteText's result from escapeRange's: `"hello\n"`, or `"hello wor"…` when it was cut. */
function quoted(shown: string, cut: boolean): string {
  return cut ? `"${shown}"…` : `"${shown}"`;
}

/** Keeps a byte order mark as U+FEFF, as decodeUtf8 does, rather than dropping it. */
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

export function dissectText(bytes: Uint8Array, ctx?: DissectContext): DissectedFrame[] {
  const tree = ctx?.tree ?? true;
  if (bytes.length === 0) {
    const cur = createCursor(bytes, "text", tree);
    cur.finding(x.empty);
    return [cur.frame("(empty)")];
  }
  // TextDecoder decodes exactly as decodeUtf8 does (a property test holds them to it) and much faster. Should
  // a platform's differ anyway, the code units will not add up, and decodeUtf8's text is used instead.
  const frame = dissectLines(bytes, utf8Decoder.decode(bytes), tree) ?? dissectLines(bytes, decodeUtf8(bytes).text, tree);
  if (!frame) throw new Error("dissectText: decodeUtf8 disagrees with itself"); // unreachable
  return [frame];
}

/**
 * The frame for a read of one or more lines, given the text of all its bytes (`text`: the lines' characters
 * and terminators, U+FFFD for each invalid sequence). One pass over the bytes splits the lines, counts
 * characters and code units, and finds invalid sequences and control bytes; the displays are then cut from
 * `text`. Undefined when `text` does not have the code units the bytes decode to.
 */
function dissectLines(bytes: Uint8Array, text: string, tree: boolean): DissectedFrame | undefined {
  const cur = createCursor(bytes, "text", tree);
  const n = bytes.length;
  let invalid: Range[] | undefined;
  let control: Range[] | undefined;
  let split: Range | undefined;
  let ascii = true;
  let chars = 0; // code points, terminators and U+FFFD replacements included
  let units = 0; // UTF-16 code units of `text` before the byte at `i`
  let summary = ""; // the summary as escapeRange shows it, so far
  let summaryCut = false;
  let lastStart = 0;
  let lastTerminated = false;
  for (let start = 0; start < n; ) {
    const lineUnits = units;
    // Bytes of the content that are not a character of their own (the 2nd to 4th bytes of multi-byte ones, and
    // of invalid sequences, which read as one U+FFFD each), and characters that take two code units.
    let extraBytes = 0;
    let pairs = 0;
    // Whether every character of the content is shown as it is (printable ASCII other than `"` and `\`).
    let plain = true;
    let i = start;
    // The line's content: up to CR, LF or the end. A character cut by CR or LF (never a continuation byte)
    // is invalid; one cut by the end of the read is split. Performance: printable ASCII, nearly all of the
    // text, costs one comparison per byte; the counts are made from the byte positions afterwards.
    while (i < n) {
      const b = bytes[i] as number;
      if (b >= 0x20 && b < DEL) {
        if (b === QUOTE || b === BACKSLASH) plain = false;
        i++;
        continue;
      }
      if (b === LF || b === CR) break;
      plain = false;
      if (b < 0x80) {
        // Control bytes other than TAB (CR and LF end the line).
        if (b !== TAB) control = addRange(control ?? [], i, 1);
        i++;
        continue;
      }
      ascii = false;
      const r = utf8Sequence(bytes, i, n);
      let length: number;
      if (r > 0) {
        length = r & 7;
        if (length === 4) pairs++; // beyond U+FFFF: a surrogate pair
      } else {
        length = r === 0 ? 1 : -r;
        if (r < 0 && i + length === n) split = { offset: i, length };
        else invalid = addRange(invalid ?? [], i, length);
      }
      extraBytes += length - 1;
      i += length;
    }
    const contentEnd = i;
    const lineChars = contentEnd - start - extraBytes;
    units += lineChars + pairs;
    const contentUnits = units;
    let terminator: Terminator | undefined;
    if (i < n) {
      const crlf = bytes[i] === CR && bytes[i + 1] === LF;
      terminator = crlf ? "CRLF" : bytes[i] === LF ? "LF" : "CR";
      i += crlf ? 2 : 1;
    }
    units += i - contentEnd;
    chars += lineChars + (i - contentEnd);

    if (tree) {
      cur.push(f.line);
      let shown = plain ? plainRange(text, lineUnits, contentUnits, QUOTE_MAX) : escapeRange("", text, lineUnits, contentUnits, QUOTE_MAX);
      let cut = escapeCut;
      const contentBytes = contentEnd - start;
      if (contentBytes > 0) {
        // Characters of more than one byte: how many characters in how many bytes.
        const value: FieldValue =
          lineChars === contentBytes
            ? { format: "quoted", text: shown, cut }
            : { format: "quoted", text: shown, cut, chars: lineChars, n: contentBytes };
        addItem(cur, f["line.content"], contentBytes, value);
      }
      if (terminator) {
        addItem(cur, f["line.terminator"], i - contentEnd, terminator);
        if (!cut) {
          shown = escapeRange(shown, text, contentUnits, units, QUOTE_MAX);
          cut = escapeCut;
        }
      }
      cur.pop({ format: "quoted", text: shown, cut });
      // The summary is every line's characters, cut once: for the first line, it is that line's display.
      if (start === 0) {
        summary = shown;
        summaryCut = cut;
      }
    }
    if ((start > 0 || !tree) && !summaryCut) {
      summary = escapeRange(summary, text, lineUnits, units, QUOTE_MAX);
      summaryCut = escapeCut;
    }
    lastStart = start;
    lastTerminated = terminator !== undefined;
    start = i;
  }
  if (units !== text.length) return undefined;

  if (invalid) report(cur, bytes, x.invalid_utf8, invalid);
  if (control) report(cur, bytes, x.control_chars, control);
  if (split) {
    const hex = hexPreview(bytes.subarray(split.offset, split.offset + split.length));
    cur.finding(x.split_character, { length: split.length, hex }, split.offset, split.length);
  }
  if (!lastTerminated) cur.finding(x.no_terminator, lastStart, n - lastStart);
  const replaced = replacementAt(bytes);
  if (replaced >= 0) cur.finding(x.replacement_char, { offset: replaced }, replaced, 3);
  const form = invalid ? x.encoding.invalid : split ? x.encoding.split : ascii ? x.encoding.ascii : x.encoding.utf8;
  cur.finding(form, { bytes: n, chars }, 0, n);
  return cur.frame(quoted(summary, summaryCut));
}

/** Where the first U+FFFD written as UTF-8 (ef bf bd) starts in `bytes`, or -1. */
function replacementAt(bytes: Uint8Array): number {
  for (let i = bytes.indexOf(0xef); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) return i;
  }
  return -1;
}

/**
 * One finding per range, folding everything past MAX_FINDINGS_PER_CODE into a last one (`more`), so binary noise
 * stays readable.
 */
function report(
  cur: Cursor,
  bytes: Uint8Array,
  forms: { readonly range: FindingSpec<"length" | "hex">; readonly more: FindingSpec<"count" | "from" | "to"> },
  ranges: readonly Range[],
): void {
  const shown = ranges.length > MAX_FINDINGS_PER_CODE ? MAX_FINDINGS_PER_CODE - 1 : ranges.length;
  for (let k = 0; k < shown; k++) {
    const r = ranges[k] as Range;
    cur.finding(forms.range, { length: r.length, hex: hexPreview(bytes.subarray(r.offset, r.offset + r.length)) }, r.offset, r.length);
  }
  const first = ranges[shown];
  const last = ranges[ranges.length - 1];
  if (first && last) {
    const end = last.offset + last.length;
    cur.finding(forms.more, { count: ranges.length - shown, from: first.offset, to: end - 1 }, first.offset, end - first.offset);
  }
}

export const textDissector: Dissector = {
  id: "text",
  name: "Text lines",
  dissect: dissectText,
};
