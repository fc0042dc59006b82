// Field trees for HTTP/1.x header fields (RFC 9110 §5, RFC 9112 §5): name, colon, value and line terminator each
// at their bytes, the header fields the lab names by id, and the faults a header line can have. Shared by message
// heads, chunked trailers and multipart parts.
// ISOMORPHIC: no Node imports.

import { addItem, quoted, type Cursor } from "../core/cursor";
import { hexPreview } from "../core/fields";
import type { FieldSpec } from "../core/types";
import { CR, isTchar, LF, latin1, type HeaderField, type Line } from "./head";
import { http1Fields as f, http1Findings as x } from "./tables";

/** Header fields whose values have a field of their own (Wireshark's http.host, http.content_length...). */
const NAMED: Readonly<Record<string, FieldSpec>> = {
  host: f.host,
  "content-length": f.content_length,
  "content-type": f.content_type,
  "transfer-encoding": f.transfer_encoding,
  connection: f.connection,
  upgrade: f.upgrade,
  location: f.location,
  "user-agent": f.user_agent,
  server: f.server,
  accept: f.accept,
  expect: f.expect,
  etag: f.etag,
  "if-none-match": f.if_none_match,
  allow: f.allow,
  "content-encoding": f.content_encoding,
};

export function terminatorName(bytes: Uint8Array, line: Pick<Line, "contentEnd" | "end">): string {
  return line.end - line.contentEnd === 2 ? "CRLF" : line.end - line.contentEnd === 1 ? (bytes[line.contentEnd] === LF ? "LF" : "CR") : "";
}

/** The line terminator's node, when the line has one. */
export function addEol(cur: Cursor, bytes: Uint8Array, line: Pick<Line, "contentEnd" | "end">): void {
  if (line.end > line.contentEnd) addItem(cur, f.eol, line.end - line.contentEnd, terminatorName(bytes, line));
}

/** Reports a bare LF ending the line whose terminator starts at `at`. */
export function bareLf(cur: Cursor, at: number): void {
  cur.finding(x.bare_lf, at, 1);
}

/** One header field's node; with `check`, the faults of its name, value and lines as findings. */
export function addHeaderField(cur: Cursor, bytes: Uint8Array, h: HeaderField, check: boolean): void {
  if (check) checkHeaderField(cur, bytes, h);
  if (!cur.tree) {
    cur.skip(h.end - cur.offset);
    return;
  }
  cur.push(f.header);
  if (h.colon < 0) {
    if (h.contentEnd > h.start) addItem(cur, f["header.name"], h.contentEnd - h.start, quoted(latin1(bytes, h.start, h.contentEnd)));
  } else {
    if (h.nameEnd > h.start) addItem(cur, f["header.name"], h.nameEnd - h.start, quoted(h.name));
    addItem(cur, f["header.separator"], h.valueStart - h.colon, quoted(latin1(bytes, h.colon, h.valueStart)));
    if (h.valueEnd > h.valueStart) {
      const spec = NAMED[h.key] ?? f["header.value"];
      const value = spec === f.content_length && /^[0-9]{1,15}$/.test(h.value) ? { format: "number" as const, value: Number(h.value) } : quoted(h.value);
      addItem(cur, spec, h.valueEnd - h.valueStart, value);
    }
  }
  const valueEnd = h.colon < 0 ? h.contentEnd : h.valueEnd;
  if (h.contentEnd > valueEnd) addItem(cur, f["header.ows"], h.contentEnd - valueEnd, quoted(latin1(bytes, valueEnd, h.contentEnd)));
  addEol(cur, bytes, h);
  cur.pop(quoted(h.colon < 0 ? h.name : `${h.name}: ${h.value}`));
}

function checkHeaderField(cur: Cursor, bytes: Uint8Array, h: HeaderField): void {
  if (h.colon < 0) cur.finding(x.missing_colon, h.start, h.contentEnd - h.start);
  else {
    let bad = h.nameEnd === h.start ? h.start : -1;
    for (let i = h.start; i < h.nameEnd && bad < 0; i++) if (!isTchar(bytes[i])) bad = i;
    if (bad >= 0) {
      const hex = bad < h.nameEnd ? hexPreview(bytes.subarray(bad, bad + 1)) : "";
      cur.finding(x.invalid_header_name, { name: h.name, hex }, h.start, h.nameEnd - h.start + 1);
    }
    for (let i = h.valueStart; i < h.valueEnd; i++) {
      const b = bytes[i] as number;
      const fold = (b === CR && bytes[i + 1] === LF) || (b === LF && h.folds.some((at) => at <= i && i <= at + 1));
      if (((b < 0x20 && b !== 0x09) || b === 0x7f) && !fold) {
        cur.finding(x.invalid_header_value, { name: h.name, hex: hexPreview(bytes.subarray(i, i + 1)) }, i, 1);
        break;
      }
    }
  }
  for (const at of h.folds) cur.finding(x.obs_fold, at, bytes[at] === CR ? 2 : 1);
  for (const at of h.bareLf) bareLf(cur, at);
}

/** The empty line that ends a header block. */
export function addEndOfHeaders(cur: Cursor, bytes: Uint8Array, line: Line): void {
  addItem(cur, f.end_of_headers, line.end - line.start, terminatorName(bytes, line));
}
