// The text column of the bytes view: each byte's character, as xxd and Wireshark show it, except that a
// UTF-8 sequence (Cyrillic letters take two bytes, most other scripts three, emoji four) is shown as its
// one character laid over the bytes it takes, instead of a dot for each byte. RFC 3629 §3 and §4: a
// sequence is its lead byte and the continuation bytes it announces, with no overlong form, no surrogate
// and nothing above U+10FFFF; anything else is a dot per byte, as is a character that prints nothing
// or moves the text (controls, format, bidi and zero-width characters, combining marks, spaces other
// than the plain one).

import { printableChar } from "./model";

export interface TextCell {
  /** Where the cell's first byte is in the data. */
  readonly offset: number;
  /** How many bytes of this row the cell covers: its width, in byte columns. */
  readonly length: number;
  /** What the cell shows: a character, "." for a byte that is not one, "" for the rest of one begun on the row above. */
  readonly text: string;
}

// Letters, digits, punctuation and symbols print as themselves; the plain space is printable ASCII.
const VISIBLE = /^[\p{L}\p{N}\p{P}\p{S}]$/u;

/** The UTF-8 sequence that starts at `at`: its code point and length, or undefined when there is none. */
function sequenceAt(data: Uint8Array, at: number): { char: string; length: number } | undefined {
  const lead = data[at]!;
  let length: number;
  let code: number;
  let min: number;
  if (lead >= 0xc2 && lead <= 0xdf) [length, code, min] = [2, lead & 0x1f, 0x80];
  else if (lead >= 0xe0 && lead <= 0xef) [length, code, min] = [3, lead & 0x0f, 0x800];
  else if (lead >= 0xf0 && lead <= 0xf4) [length, code, min] = [4, lead & 0x07, 0x10000];
  else return undefined;
  if (at + length > data.length) return undefined;
  for (let i = 1; i < length; i++) {
    const next = data[at + i]!;
    if ((next & 0xc0) !== 0x80) return undefined;
    code = (code << 6) | (next & 0x3f);
  }
  if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return { char: String.fromCodePoint(code), length };
}

/** The cells of the text column for the bytes [start, end) of `data` (one row of the view). */
export function textCells(data: Uint8Array, start: number, end: number): TextCell[] {
  const cells: TextCell[] = [];
  let at = start;
  // The tail of a character that began on the row above: up to three continuation bytes.
  for (let back = 1; back <= 3 && start - back >= 0; back++) {
    const lead = start - back;
    if ((data[lead]! & 0xc0) === 0x80) continue;
    const sequence = sequenceAt(data, lead);
    if (sequence && VISIBLE.test(sequence.char) && lead + sequence.length > start) {
      const length = Math.min(lead + sequence.length, end) - start;
      cells.push({ offset: start, length, text: "" });
      at = start + length;
    }
    break;
  }
  while (at < end) {
    const byte = data[at]!;
    const sequence = byte >= 0x80 ? sequenceAt(data, at) : undefined;
    if (sequence && VISIBLE.test(sequence.char)) {
      const length = Math.min(sequence.length, end - at);
      cells.push({ offset: at, length, text: sequence.char });
      at += length;
    } else {
      cells.push({ offset: at, length: 1, text: printableChar(byte) });
      at += 1;
    }
  }
  return cells;
}
