// HTTP/1.x message heads: lines, the start line and header fields with the byte spans of every part (RFC 9112 §2-5,
// RFC 9110 §5), and what the headers say about the body (RFC 9112 §6). Shared by the framing (pduLength), the tree
// and multipart parts. Never throws; offsets are into the bytes given.
// ISOMORPHIC: no Node imports.

export const CR = 0x0d;
export const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;

/** One line: [start, contentEnd) is its content, [contentEnd, end) its terminator (CRLF, LF or none at the end). */
export interface Line {
  readonly start: number;
  readonly contentEnd: number;
  readonly end: number;
}

/** The line at `from`, or undefined when no LF comes before `limit`. */
export function lineAt(bytes: Uint8Array, from: number, limit = bytes.length): Line | undefined {
  const lf = bytes.indexOf(LF, from);
  if (lf < 0 || lf >= limit) return undefined;
  const contentEnd = lf > from && bytes[lf - 1] === CR ? lf - 1 : lf;
  return { start: from, contentEnd, end: lf + 1 };
}

/** The line at `from`, running to `end` without a terminator when no LF comes first. */
export function lineOrRest(bytes: Uint8Array, from: number, end: number): Line {
  return lineAt(bytes, from, end) ?? { start: from, contentEnd: end, end };
}

export const isBareLf = (bytes: Uint8Array, line: Line): boolean => line.end > line.contentEnd && line.end - line.contentEnd === 1;
export const isEmpty = (line: Line): boolean => line.contentEnd === line.start && line.end > line.start;

// RFC 9110 §5.6.2 tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;
export const isTchar = (b: number | undefined): boolean => b !== undefined && TCHAR[b] === 1;

/** The methods Node's parser (llhttp) accepts on an HTTP/1.x request: node:http's METHODS (the test holds them equal). */
export const LLHTTP_METHODS: ReadonlySet<string> = new Set(
  "ACL BIND CHECKOUT CONNECT COPY DELETE GET HEAD LINK LOCK M-SEARCH MERGE MKACTIVITY MKCALENDAR MKCOL MOVE NOTIFY OPTIONS PATCH POST PROPFIND PROPPATCH PURGE PUT QUERY REBIND REPORT SEARCH SOURCE SUBSCRIBE TRACE UNBIND UNLINK UNLOCK UNSUBSCRIBE".split(
    " ",
  ),
);

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
/** Decodes UTF-8 where the bytes are (obs-text is nearly always that), U+FFFD elsewhere. */
/** Bytes as Latin-1 text (each byte one character), a slice at a time (an argument list has a size limit). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 1024) return end > start ? String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]) : "";
  let out = "";
  for (let i = start; i < end; i += 1024) out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 1024)) as unknown as number[]);
  return out;
}

/** Header text as a reader shows it: ASCII as it is (nearly every header), else decoded as UTF-8. */
export function textOf(bytes: Uint8Array, start: number, end: number): string {
  if (end <= start) return "";
  for (let i = start; i < end; i++) if ((bytes[i] as number) >= 0x80) return utf8.decode(bytes.subarray(start, end));
  return latin1(bytes, start, end);
}

/** A header field: name, colon and optional whitespace, value (over obs-fold lines), trailing whitespace, line ends. */
export interface HeaderField {
  readonly start: number;
  readonly end: number;
  readonly nameEnd: number;
  /** -1 when the line has no colon. */
  readonly colon: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** End of the last line's content: [valueEnd, contentEnd) is trailing whitespace, [contentEnd, end) the terminator. */
  readonly contentEnd: number;
  readonly name: string;
  /** Lowercase, for lookups. */
  readonly key: string;
  /** The value with each obs-fold read as one space (RFC 9112 §5.2). */
  readonly value: string;
  /** Lines the value continues on (obs-fold), each as the offset of the line break before it. */
  readonly folds: readonly number[];
  /** Offsets of lines of this field that end in a bare LF. */
  readonly bareLf: readonly number[];
}

const NONE: readonly number[] = Object.freeze([]);

/**
 * A header field's spans, with its name and value made into strings only when asked for (performance: the capture
 * path reads most fields' bytes and never their text).
 */
class Field implements HeaderField {
  private nameText: string | undefined = undefined;
  private valueText: string | undefined = undefined;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly limit: number,
    readonly start: number,
    readonly end: number,
    readonly nameEnd: number,
    readonly colon: number,
    readonly valueStart: number,
    readonly valueEnd: number,
    readonly contentEnd: number,
    readonly folds: readonly number[],
    readonly bareLf: readonly number[],
  ) {}

  get name(): string {
    return (this.nameText ??= latin1(this.bytes, this.start, this.nameEnd));
  }

  get key(): string {
    return this.name.toLowerCase();
  }

  get value(): string {
    if (this.valueText !== undefined) return this.valueText;
    const { bytes, valueStart, valueEnd } = this;
    if (this.folds.length === 0) return (this.valueText = textOf(bytes, valueStart, valueEnd));
    // With folds, the value's text joins each line's content with one space.
    const pieces: string[] = [];
    let line = lineOrRest(bytes, this.start, this.limit);
    let at = valueStart;
    for (let k = 0; ; k++) {
      pieces.push(textOf(bytes, at, Math.min(line.contentEnd, valueEnd)).trim());
      if (k >= this.folds.length) break;
      line = lineOrRest(bytes, line.end, this.limit);
      at = line.start;
    }
    return (this.valueText = pieces.filter((p) => p !== "").join(" "));
  }

  /** Whether the name is `lower` (lowercase ASCII), in any case, without making a string. */
  is(lower: string): boolean {
    return nameIs(this.bytes, this.start, this.colon < 0 ? -1 : this.nameEnd, lower);
  }
}

/** Reads one header field starting at a line start; `end` bounds the head. */
export function headerAt(bytes: Uint8Array, from: number, end: number): HeaderField {
  const first = lineOrRest(bytes, from, end);
  let bareLf: number[] | undefined;
  if (isBareLf(bytes, first)) (bareLf ??= []).push(first.contentEnd);
  let last = first;
  let folds: number[] | undefined;
  // obs-fold: the next line starts with SP or HTAB (and is not the empty line that ends the head).
  for (;;) {
    const b = bytes[last.end];
    if (last.end >= end || last.end === last.contentEnd || (b !== SP && b !== HTAB)) break;
    const next = lineOrRest(bytes, last.end, end);
    (folds ??= []).push(last.contentEnd);
    if (isBareLf(bytes, next)) (bareLf ??= []).push(next.contentEnd);
    last = next;
  }
  let colon = bytes.indexOf(0x3a, from);
  if (colon >= first.contentEnd) colon = -1;
  const nameEnd = colon < 0 ? first.contentEnd : colon;
  let valueStart = colon < 0 ? first.contentEnd : colon + 1;
  while (valueStart < first.contentEnd && (bytes[valueStart] === SP || bytes[valueStart] === HTAB)) valueStart++;
  let valueEnd = last.contentEnd;
  while (valueEnd > valueStart && (bytes[valueEnd - 1] === SP || bytes[valueEnd - 1] === HTAB)) valueEnd--;
  if (colon < 0) valueEnd = valueStart = first.contentEnd;
  return new Field(bytes, end, from, last.end, nameEnd, colon, valueStart, valueEnd, last.contentEnd, folds ?? NONE, bareLf ?? NONE);
}

/** Whether a field's name is `lower` (lowercase ASCII), in any case, without making a string. */
export function fieldIs(h: HeaderField, lower: string): boolean {
  return h instanceof Field ? h.is(lower) : h.colon >= 0 && h.key === lower;
}

export interface HeaderBlock {
  readonly fields: readonly HeaderField[];
  /** The empty line that ends the block; undefined when the bytes ended first. */
  readonly endLine: Line | undefined;
  /** Where the block ends: after its empty line, or at `end`. */
  readonly end: number;
}

/** Header fields from `from` up to the empty line or `end` (a head, a chunked trailer, a multipart part's headers). */
export function headerBlock(bytes: Uint8Array, from: number, end: number): HeaderBlock {
  const fields: HeaderField[] = [];
  let at = from;
  while (at < end) {
    const line = lineOrRest(bytes, at, end);
    if (isEmpty(line)) return { fields, endLine: line, end: line.end };
    const field = headerAt(bytes, at, end);
    fields.push(field);
    at = field.end;
  }
  return { fields, endLine: undefined, end };
}

/** Where a head ends, for framing: after its empty line, with what a later call resumes from. */
export type HeadEnd =
  | { readonly kind: "end"; readonly end: number }
  | { readonly kind: "more"; readonly resume: number; readonly started: boolean }
  /** The first bytes cannot begin a message of this direction. */
  | { readonly kind: "junk" }
  | { readonly kind: "too_long" };

const HTTP_SLASH = [0x48, 0x54, 0x54, 0x50, 0x2f];

/**
 * Whether the bytes of a first line (complete or not) can start a message: a request starts with a method token and
 * a space (an empty line before it is skipped), a response with `HTTP/` and a digit. Loose on purpose: what passes
 * is read as a message and its faults named; what fails is not HTTP at all.
 */
export function canStart(bytes: Uint8Array, from: number, lineEnd: number, complete: boolean, request: boolean): boolean {
  if (request) {
    if (!complete && bytes[from] === CR && lineEnd - from === 1) return true; // the start of an empty line
    let i = from;
    while (i < lineEnd && isTchar(bytes[i])) i++;
    if (i < lineEnd) return i > from && bytes[i] === SP;
    return !complete;
  }
  for (let k = 0; k < HTTP_SLASH.length + 1; k++) {
    const b = bytes[from + k];
    if (from + k >= lineEnd) return !complete;
    if (k < HTTP_SLASH.length ? b !== HTTP_SLASH[k] : !(b !== undefined && b >= 0x30 && b <= 0x39)) return false;
  }
  return true;
}

/**
 * Finds the end of the head that starts at `from`, from `resume` (a line start a previous call reached; `started`: the
 * start line was behind it). Empty lines before a request's start line are skipped (RFC 9112 §2.2).
 */
export function findHeadEnd(bytes: Uint8Array, from: number, request: boolean, maxHead: number, resume = from, started = false): HeadEnd {
  let at = Math.max(resume, from);
  let seen = started;
  for (;;) {
    const line = lineAt(bytes, at);
    if (!line) {
      if (!seen && !canStart(bytes, at, bytes.length, false, request)) return { kind: "junk" };
      if (bytes.length - from > maxHead) return { kind: "too_long" };
      return { kind: "more", resume: at, started: seen };
    }
    if (line.end - from > maxHead) return { kind: "too_long" };
    if (!seen) {
      if (request && isEmpty(line)) {
        at = line.end;
        continue;
      }
      if (!canStart(bytes, at, line.contentEnd, true, request)) return { kind: "junk" };
      seen = true;
    } else if (isEmpty(line)) return { kind: "end", end: line.end };
    at = line.end;
  }
}

/** A head's start line and fields, read from bytes[from, end) (all of it, or what came before the stream ended). */
export interface Head {
  /** Empty lines before a request's start line. */
  readonly leading: readonly Line[];
  readonly startLine: Line;
  readonly block: HeaderBlock;
  readonly complete: boolean;
}

export function parseHead(bytes: Uint8Array, from: number, end: number, request: boolean): Head {
  const leading: Line[] = [];
  let at = from;
  for (;;) {
    const line = lineOrRest(bytes, at, end);
    if (request && isEmpty(line) && line.end < end) {
      leading.push(line);
      at = line.end;
      continue;
    }
    const block = line.end < end || line.end > line.contentEnd ? headerBlock(bytes, line.end, end) : { fields: [], endLine: undefined, end };
    return { leading, startLine: line, block, complete: block.endLine !== undefined };
  }
}

/** The parts of a start line split at runs of spaces: [start, end) of each word, and the runs between them. */
export function words(bytes: Uint8Array, line: Line): { words: [number, number][]; gaps: [number, number][] } {
  const ws: [number, number][] = [];
  const gaps: [number, number][] = [];
  let i = line.start;
  while (i < line.contentEnd) {
    const s = i;
    while (i < line.contentEnd && bytes[i] !== SP) i++;
    ws.push([s, i]);
    const g = i;
    while (i < line.contentEnd && bytes[i] === SP) i++;
    if (i > g) gaps.push([g, i]);
  }
  return { words: ws, gaps };
}

/** What the headers say about the body and the connection (RFC 9112 §6, RFC 9110 §7.8). */
export interface Framing {
  /** The declared length when every Content-Length agrees and is digits. */
  readonly contentLength: number | undefined;
  readonly contentLengths: readonly string[];
  readonly transferEncoding: string | undefined;
  /** Transfer-Encoding's last coding is chunked. */
  readonly chunked: boolean;
  readonly contentType: string | undefined;
  readonly upgrade: string | undefined;
  readonly connection: readonly string[];
  readonly hosts: number;
}

export function framingOf(fields: readonly HeaderField[]): Framing {
  const lengths: string[] = [];
  const te: string[] = [];
  let contentType: string | undefined;
  let upgrade: string | undefined;
  const connection: string[] = [];
  let hosts = 0;
  for (const h of fields) {
    if (h.colon < 0) continue;
    // One comparison per field: by the name's length first (most fields are none of these).
    switch (h.nameEnd - h.start) {
      case 14:
        if (fieldIs(h, "content-length")) lengths.push(h.value);
        break;
      case 17:
        if (fieldIs(h, "transfer-encoding")) te.push(h.value);
        break;
      case 12:
        if (fieldIs(h, "content-type")) contentType ??= h.value;
        break;
      case 7:
        if (fieldIs(h, "upgrade")) upgrade ??= h.value;
        break;
      case 10:
        if (fieldIs(h, "connection")) for (const t of h.value.split(",")) if (t.trim()) connection.push(t.trim().toLowerCase());
        break;
      case 4:
        if (fieldIs(h, "host")) hosts++;
        break;
    }
  }
  const transferEncoding = te.length ? te.join(", ") : undefined;
  let chunked = false;
  if (transferEncoding !== undefined) {
    const codings = transferEncoding.split(",").map((c) => c.trim().toLowerCase()).filter((c) => c !== "");
    chunked = codings[codings.length - 1] === "chunked";
  }
  const values = lengths.length === 1 && !(lengths[0] as string).includes(",") ? lengths : lengths.flatMap((v) => v.split(",").map((p) => p.trim()));
  const first = values[0];
  const contentLength =
    first !== undefined && values.every((v) => v === first) && /^[0-9]{1,15}$/.test(first) ? Number(first) : undefined;
  return {
    contentLength,
    contentLengths: lengths,
    transferEncoding,
    chunked,
    contentType,
    upgrade,
    connection,
    hosts,
  };
}

const FRAMING_NAMES = ["content-length", "transfer-encoding", "content-type", "upgrade", "connection", "host"];

/** Whether bytes[start, end) spell `name` (lowercase ASCII) in any case. */
function nameIs(bytes: Uint8Array, start: number, end: number, name: string): boolean {
  if (end < 0 || end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (((bytes[start + k] as number) | 0x20) !== name.charCodeAt(k)) return false;
  return true;
}

/**
 * framingOf for a head known to end at `end`, reading only the fields framing needs (what pduLength asks for every
 * message, so it builds no field objects); a head with folded lines is read whole.
 */
export function framingScan(bytes: Uint8Array, from: number, end: number): Framing {
  const wanted: HeaderField[] = [];
  let at = from;
  let first = true;
  while (at < end) {
    const line = lineOrRest(bytes, at, end);
    if (!first) {
      if (isEmpty(line)) break;
      const b = bytes[line.start];
      if (b === SP || b === HTAB) return framingOf(headerBlock(bytes, lineOrRest(bytes, from, end).end, end).fields);
      const colon = bytes.indexOf(0x3a, line.start);
      if (colon >= 0 && colon < line.contentEnd && FRAMING_NAMES.some((n) => nameIs(bytes, line.start, colon, n))) wanted.push(headerAt(bytes, line.start, end));
    }
    first = false;
    at = line.end;
  }
  return framingOf(wanted);
}

/** A media type's essence (lowercase type/subtype) and its parameters, lowercase names, unquoted values. */
export function mediaType(value: string | undefined): { type: string; params: Record<string, string> } | undefined {
  if (value === undefined) return undefined;
  const [essence = "", ...rest] = value.split(";");
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf("=");
    if (eq < 0) continue;
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, "$1");
    params[p.slice(0, eq).trim().toLowerCase()] = v;
  }
  return { type: essence.trim().toLowerCase(), params };
}
