// The chunked transfer coding (RFC 9112 §7.1): chunk-size [chunk-ext] CRLF, chunk-data CRLF, ..., last-chunk,
// trailer fields, CRLF. One walker serves the framing (where the body ends, resumable byte by byte), the tree (each
// chunk's parts) and bodies longer than one frame (where to cut, and in what state the next frame starts).
// ISOMORPHIC: no Node imports.

import { CR, headerAt, isEmpty, isTchar, LF, lineAt, type HeaderField, type Line } from "./head";

/** Where a walk stands: before a size line, inside a chunk's data (`left` bytes of it to come), after it, in the trailers. */
export type ChunkPhase =
  | { readonly at: "size" }
  | { readonly at: "data"; readonly left: number }
  | { readonly at: "data_end" }
  | { readonly at: "trailer" };

export const SIZE: ChunkPhase = { at: "size" };

/** A chunk size line longer than this is not one (llhttp and Node stop far sooner). */
const MAX_SIZE_LINE = 4096;
/** Sizes past 12 hex digits (256 TiB) are not chunk sizes a reader can honour. */
const MAX_SIZE_DIGITS = 12;

export type ChunkItem =
  | { readonly kind: "size"; readonly line: Line; readonly size: number; readonly digitsEnd: number }
  | { readonly kind: "data"; readonly start: number; readonly end: number }
  | { readonly kind: "data_end"; readonly start: number; readonly end: number }
  | { readonly kind: "trailer"; readonly field: HeaderField }
  | { readonly kind: "end"; readonly line: Line };

export type ChunkWalk =
  /** The body ended at `end` (after the trailers' empty line). */
  | { readonly kind: "end"; readonly end: number }
  /** The bytes ran out at `resume` (a boundary at or before the end), in `phase`. */
  | { readonly kind: "more"; readonly resume: number; readonly phase: ChunkPhase }
  /** Past `limit`: the frame ends at `at`, and the next one starts in `phase`. */
  | { readonly kind: "cut"; readonly at: number; readonly phase: ChunkPhase }
  /** Not chunked coding: a bad size line, or chunk data not followed by CRLF; the frame ends at `end`. */
  | { readonly kind: "error"; readonly error: "size" | "data_end"; readonly at: number; readonly end: number };

/** A chunk size line's size, and where its hex digits end; undefined when it is not one. */
export function sizeLine(bytes: Uint8Array, line: Line): { size: number; digitsEnd: number } | undefined {
  let i = line.start;
  let size = 0;
  while (i < line.contentEnd) {
    const b = bytes[i] as number;
    const d = b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x57 : b >= 0x41 && b <= 0x46 ? b - 0x37 : -1;
    if (d < 0) break;
    size = size * 16 + d;
    i++;
  }
  const digits = i - line.start;
  if (digits === 0 || digits > MAX_SIZE_DIGITS) return undefined;
  // After the digits only extensions (RFC 9112 §7.1.1): `;name` or `;name=value`, a value a token or a quoted string,
  // with no whitespace around them, as llhttp reads them strictly.
  let k = i;
  while (k < line.contentEnd) {
    if (bytes[k] !== 0x3b) return undefined;
    const name = ++k;
    while (k < line.contentEnd && isTchar(bytes[k])) k++;
    if (k === name) return undefined;
    if (bytes[k] !== 0x3d) continue;
    k++;
    if (bytes[k] === 0x22) {
      for (k++; k < line.contentEnd && bytes[k] !== 0x22; k++) {
        const b = bytes[k] as number;
        if (b === 0x5c) k++;
        else if ((b < 0x20 && b !== 0x09) || b === 0x7f) return undefined;
      }
      if (bytes[k] !== 0x22 || k >= line.contentEnd) return undefined;
      k++;
    } else {
      const value = k;
      while (k < line.contentEnd && isTchar(bytes[k])) k++;
      if (k === value) return undefined;
    }
  }
  return { size, digitsEnd: i };
}

/**
 * Walks chunked coding in bytes[from, ...) from `phase`. With `limit`, a body that goes past it is cut at the first
 * boundary at or past it, or at `limit` itself inside chunk data, and only once the bytes reach it: the cut depends on
 * the bytes, never on how they were read. `visit` sees each item (the tree).
 */
export function walkChunks(bytes: Uint8Array, from: number, phase: ChunkPhase, limit: number, visit?: (item: ChunkItem) => void): ChunkWalk {
  let pos = from;
  let ph = phase;
  const n = bytes.length;
  for (;;) {
    if (pos >= limit && ph.at !== "data_end") return { kind: "cut", at: pos, phase: ph };
    switch (ph.at) {
      case "size": {
        const line = lineAt(bytes, pos);
        if (!line) {
          if (n - pos > MAX_SIZE_LINE) return { kind: "error", error: "size", at: pos, end: pos + MAX_SIZE_LINE + 1 };
          return { kind: "more", resume: pos, phase: ph };
        }
        const parsed = sizeLine(bytes, line);
        if (!parsed) return { kind: "error", error: "size", at: pos, end: line.end };
        visit?.({ kind: "size", line, size: parsed.size, digitsEnd: parsed.digitsEnd });
        pos = line.end;
        ph = parsed.size === 0 ? { at: "trailer" } : { at: "data", left: parsed.size };
        break;
      }
      case "data": {
        const end = pos + ph.left;
        if (end > limit) {
          if (n < limit) return { kind: "more", resume: pos, phase: ph };
          visit?.({ kind: "data", start: pos, end: limit });
          return { kind: "cut", at: limit, phase: { at: "data", left: end - limit } };
        }
        if (n < end) return { kind: "more", resume: pos, phase: ph };
        visit?.({ kind: "data", start: pos, end });
        pos = end;
        ph = { at: "data_end" };
        break;
      }
      case "data_end": {
        if (bytes[pos] === CR && bytes[pos + 1] === LF) {
          visit?.({ kind: "data_end", start: pos, end: pos + 2 });
          pos += 2;
        } else if (bytes[pos] === LF) {
          visit?.({ kind: "data_end", start: pos, end: pos + 1 });
          pos += 1;
        } else if (pos >= n || (pos + 1 >= n && bytes[pos] === CR)) {
          return { kind: "more", resume: pos, phase: ph };
        } else return { kind: "error", error: "data_end", at: pos, end: pos + (bytes[pos] === CR ? 2 : 1) };
        ph = SIZE;
        break;
      }
      case "trailer": {
        const line = lineAt(bytes, pos);
        if (!line) {
          if (n - pos > MAX_SIZE_LINE) return { kind: "error", error: "size", at: pos, end: pos + MAX_SIZE_LINE + 1 };
          return { kind: "more", resume: pos, phase: ph };
        }
        if (isEmpty(line)) {
          visit?.({ kind: "end", line });
          return { kind: "end", end: line.end };
        }
        const field = headerAt(bytes, pos, n);
        // A trailer field folded over a line not yet complete: wait for it.
        if (field.end >= n) return { kind: "more", resume: pos, phase: ph };
        visit?.({ kind: "trailer", field });
        pos = field.end;
        break;
      }
    }
  }
}

/** A phase packed in a number for PduScan.state (with the code's room below it), and back. */
export function packPhase(ph: ChunkPhase, base: number): number {
  switch (ph.at) {
    case "size":
      return base;
    case "data_end":
      return base + 1;
    case "trailer":
      return base + 2;
    case "data":
      return base + 3 + 8 * ph.left;
  }
}

export function unpackPhase(code: number, base: number): ChunkPhase {
  const k = code - base;
  if (k === 0) return SIZE;
  if (k === 1) return { at: "data_end" };
  if (k === 2) return { at: "trailer" };
  return { at: "data", left: Math.floor((k - 3) / 8) };
}
