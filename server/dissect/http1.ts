// HTTP/1.x (RFC 9112 message syntax, RFC 9110 semantics) over a stream: each message is one PDU, cut where its
// framing says (RFC 9112 §6.3: no body, Content-Length, chunked, or to the close), with the request's method kept
// per conversation so that a response to HEAD, a 1xx, 204 or 304 has no body, and `101 Switching Protocols` hands
// the stream to the next protocol at the byte after it. Pipelined messages are cut one by one. A body longer than
// one frame holds (HTTP1_FRAME_LIMIT) goes on in continuation frames, cut where the bytes say, never where reads
// ended. Bodies are read by media type (http1/body.ts). Faults are findings, calibrated against Node's parser
// (llhttp): what it refuses is an error, what it tolerates a warning or a note.
// Modelled on Wireshark's packet-http.c (req_resp_hdrs_do_reassembly, chunked dechunking, http.upgrade) and
// llhttp's state machine (what counts as a bad message).
// ISOMORPHIC: no Node imports.

import { addItem, createCursor, quoted, type Cursor } from "./core/cursor";
import { escapeText, hexPreview, plural } from "./core/fields";
import type { CaptureResult, DissectContext, DissectedFrame, Direction, Dissector, PduContext, PduLength, PduScan } from "./core/types";
import { addBody, addJoinedEnvelopes, addRaw, isEnvelopeStream } from "./http1/body";
import { packPhase, SIZE, unpackPhase, walkChunks, type ChunkItem, type ChunkPhase, type ChunkWalk } from "./http1/chunked";
import {
  canStart,
  fieldIs,
  findHeadEnd,
  framingOf,
  framingScan,
  isBareLf,
  isEmpty,
  lineAt,
  lineOrRest,
  latin1,
  LLHTTP_METHODS,
  mediaType,
  parseHead,
  textOf,
  words,
  type Framing,
  type Head,
  type Line,
} from "./http1/head";
import { http1Fields, http1Findings } from "./http1/tables";
import { addEndOfHeaders, addEol, addHeaderField, bareLf, terminatorName } from "./http1/tree";
import { addWebSocketHandshake } from "./websocket/handshake";

export { http1Fields, http1Findings };
const f = http1Fields;
const x = http1Findings;

/** Body bytes one frame shows; a longer body goes on in continuation frames (below the stream session's maxPdu). */
export const HTTP1_FRAME_LIMIT = 1 << 18;
/** A head with no end within this many bytes is not read as one (Node refuses heads past 16 KiB). */
export const HTTP1_HEAD_LIMIT = 1 << 16;

/** What a frame that continues a body needs to know of the body. */
export type Continuation =
  | { readonly kind: "length"; readonly left: number; readonly total: number }
  | { readonly kind: "close" }
  | { readonly kind: "chunked"; readonly phase: ChunkPhase }
  | { readonly kind: "junk" };

/** What a response's framing needs of its request: the method (HEAD and CONNECT change it, RFC 9112 §6.3). */
export interface RequestInfo {
  readonly method: string;
}

/**
 * What an HTTP/1.x frame is, in parts (as a TCP frame carries its summary's): the ladder pairs each request with its
 * response from these, and the HAR export reads messages by them. A frame that continues a body is "body"; bytes
 * that are not HTTP have no parts.
 */
export interface Http1Parts {
  readonly kind: "request" | "response" | "body";
  /** A request's method and target, as sent (escaped as the summary shows them). */
  readonly method: string;
  readonly target: string;
  /** A response's status code (0 when its line has none) and reason phrase. */
  readonly status: number;
  readonly reason: string;
}

export interface Http1Frame extends DissectedFrame {
  readonly http1: Http1Parts;
}

export function isHttp1Frame(frame: DissectedFrame): frame is Http1Frame {
  return (frame as Partial<Http1Frame>).http1 !== undefined;
}

/** Per conversation, updated in stream order at capture time. */
export interface Http1State {
  /** Requests still waiting for their final response, oldest first. */
  readonly requests: RequestInfo[];
  /** Final responses that came before their request was whole (a 413 before the body): the next requests are theirs. */
  early: number;
  /** A request asked to upgrade: the client's next bytes wait for the answer (101: another protocol). */
  upgrading: boolean;
  /** That request's Sec-WebSocket-Key, for checking the 101's Accept. */
  websocketKey: string | undefined;
  readonly cont: { c2s: Continuation | undefined; s2c: Continuation | undefined };
  /** Whether the last message that way ended where its Content-Length said. */
  readonly afterLength: { c2s: boolean; s2c: boolean };
}

/** What one PDU's tree needs from the conversation, kept with it (compact: usually one request, or nothing). */
export interface Http1Memo {
  readonly cont?: Continuation;
  /** For a response: its request, when that was a HEAD or a CONNECT (any other method frames it as none does). */
  readonly request?: RequestInfo;
  readonly afterLength?: boolean;
  /** For the answer to a WebSocket upgrade: the request's Sec-WebSocket-Key. */
  readonly websocketKey?: string;
}

export function createHttp1State(): Http1State {
  return { requests: [], early: 0, upgrading: false, websocketKey: undefined, cont: { c2s: undefined, s2c: undefined }, afterLength: { c2s: false, s2c: false } };
}

function memoOf(state: Http1State, direction: Direction): Http1Memo | undefined {
  const cont = state.cont[direction];
  if (cont) return { cont };
  const waiting = direction === "s2c" ? state.requests[0] : undefined;
  const request = waiting && (waiting.method === "HEAD" || waiting.method === "CONNECT") ? waiting : undefined;
  const afterLength = state.afterLength[direction];
  if (!request) return afterLength ? AFTER_LENGTH : undefined;
  return MEMOS[`${request.method}${afterLength ? "+" : ""}`];
}

// The memos a message can have, made once: frames keep a reference, not a copy.
const AFTER_LENGTH: Http1Memo = Object.freeze({ afterLength: true });
const MEMOS: Readonly<Record<string, Http1Memo>> = Object.freeze({
  HEAD: Object.freeze({ request: Object.freeze({ method: "HEAD" }) }),
  "HEAD+": Object.freeze({ request: Object.freeze({ method: "HEAD" }), afterLength: true }),
  CONNECT: Object.freeze({ request: Object.freeze({ method: "CONNECT" }) }),
  "CONNECT+": Object.freeze({ request: Object.freeze({ method: "CONNECT" }), afterLength: true }),
});

// ---------------------------------------------------------------------------------------------
// Framing

type BodyMode =
  | { readonly kind: "none"; readonly why: "request" | "head" | "status" | "upgrade" | "tunnel" | "invalid" }
  | { readonly kind: "length"; readonly n: number }
  | { readonly kind: "chunked" }
  | { readonly kind: "close" };

/** The status code of a response's start line, or undefined when it has none. */
function statusCode(bytes: Uint8Array, line: Line): number | undefined {
  const [, code] = words(bytes, line).words;
  if (!code || code[1] - code[0] !== 3) return undefined;
  const text = latin1(bytes, code[0], code[1]);
  return /^[0-9]{3}$/.test(text) ? Number(text) : undefined;
}

/** RFC 9112 §6.3, in its order. */
function bodyMode(request: boolean, framing: Framing, code: number | undefined, req: RequestInfo | undefined): BodyMode {
  if (request) {
    if (framing.transferEncoding !== undefined) return framing.chunked ? { kind: "chunked" } : { kind: "none", why: "invalid" };
    if (framing.contentLength !== undefined) return framing.contentLength > 0 ? { kind: "length", n: framing.contentLength } : { kind: "none", why: "request" };
    return { kind: "none", why: framing.contentLengths.length ? "invalid" : "request" };
  }
  if (code === 101) return { kind: "none", why: "upgrade" };
  if (code !== undefined && (code < 200 || code === 204 || code === 304)) return { kind: "none", why: "status" };
  if (req?.method === "HEAD") return { kind: "none", why: "head" };
  if (req?.method === "CONNECT" && code !== undefined && code < 300) return { kind: "none", why: "tunnel" };
  if (framing.transferEncoding !== undefined) return framing.chunked ? { kind: "chunked" } : { kind: "close" };
  if (framing.contentLength !== undefined) return framing.contentLength > 0 ? { kind: "length", n: framing.contentLength } : { kind: "none", why: "request" };
  return { kind: "close" };
}

// PduScan.state codes: where the search for the end stopped.
const SCAN_HEAD = 0;
const SCAN_HEAD_STARTED = 1;
const SCAN_KNOWN = 2;
const SCAN_CHUNKED = 8;

/** Bytes that are not HTTP run to the end of the stream, shown a frame's worth at a time. */
const toClose = (n: number): PduLength => (n > HTTP1_FRAME_LIMIT ? HTTP1_FRAME_LIMIT : "more");

function chunkedLength(walk: ChunkWalk, scan: PduScan): PduLength {
  switch (walk.kind) {
    case "end":
      return walk.end;
    case "cut":
      return walk.at;
    case "error":
      return walk.end > 0 ? walk.end : "more";
    case "more":
      scan.at = walk.resume;
      scan.state = packPhase(walk.phase, SCAN_CHUNKED);
      return "more";
  }
}

function continuationLength(bytes: Uint8Array, cont: Continuation, scan: PduScan): PduLength {
  switch (cont.kind) {
    case "length":
      return Math.min(cont.left, HTTP1_FRAME_LIMIT);
    case "close":
    case "junk":
      return toClose(bytes.length);
    case "chunked": {
      const resume = scan.state >= SCAN_CHUNKED;
      return chunkedLength(walkChunks(bytes, resume ? scan.at : 0, resume ? unpackPhase(scan.state, SCAN_CHUNKED) : cont.phase, HTTP1_FRAME_LIMIT), scan);
    }
  }
}

export function http1PduLength(all: Uint8Array, offset: number, ctx: PduContext<Http1State>): PduLength {
  const bytes = offset ? all.subarray(offset) : all;
  const { direction, state, scan } = ctx;
  const cont = state?.cont[direction];
  if (cont) return continuationLength(bytes, cont, scan);
  if (direction === "c2s" && state?.upgrading) return "more";
  if (scan.state === SCAN_KNOWN) return scan.at;
  if (scan.state >= SCAN_CHUNKED) return chunkedLength(walkChunks(bytes, scan.at, unpackPhase(scan.state, SCAN_CHUNKED), HTTP1_FRAME_LIMIT), scan);
  const request = direction === "c2s";
  const found = findHeadEnd(bytes, 0, request, HTTP1_HEAD_LIMIT, scan.at, scan.state === SCAN_HEAD_STARTED);
  switch (found.kind) {
    case "junk":
      return toClose(bytes.length);
    case "too_long":
      return HTTP1_HEAD_LIMIT;
    case "more":
      scan.at = found.resume;
      scan.state = found.started ? SCAN_HEAD_STARTED : SCAN_HEAD;
      return "more";
  }
  const end = found.end;
  // The start line: after any empty lines before a request (findHeadEnd has seen it is there).
  let start = 0;
  for (let line = lineAt(bytes, 0); request && line && isEmpty(line); line = lineAt(bytes, start)) start = line.end;
  const startLine = lineAt(bytes, start) as Line;
  const framing = framingScan(bytes, start, end);
  const mode = bodyMode(request, framing, request ? undefined : statusCode(bytes, startLine), request ? undefined : state?.requests[0]);
  switch (mode.kind) {
    case "none":
      return end;
    case "length": {
      const total = end + mode.n <= HTTP1_FRAME_LIMIT ? end + mode.n : end;
      scan.at = total;
      scan.state = SCAN_KNOWN;
      return total;
    }
    case "close":
      return toClose(bytes.length);
    case "chunked":
      return chunkedLength(walkChunks(bytes, end, SIZE, HTTP1_FRAME_LIMIT), scan);
  }
}

// ---------------------------------------------------------------------------------------------
// Trees

/** What reading a PDU tells the conversation (the capture pass reads only this). */
interface Learnt {
  next: Continuation | undefined;
  /** A whole request: the method a response will need. */
  request?: RequestInfo;
  upgradeRequest?: boolean;
  /** A response's status code (undefined: not a response, or no code). */
  code?: number;
  lengthEnded: boolean;
  /** A whole start line and head were read: a request or a response that counts. */
  message: boolean;
  /** A request's Sec-WebSocket-Key. */
  websocketKey?: string;
}

/** What dissecting a PDU tells the conversation, and the frame. */
interface Outcome extends Learnt {
  frame: DissectedFrame;
  /** What the frame is: a message (its start line's parts) or a body's continuation; none for bytes that are not HTTP. */
  parts?: Http1Parts;
}

const SUMMARY_URI_MAX = 100;
const shown = (s: string, max = SUMMARY_URI_MAX): string => {
  const e = escapeText(s, max);
  return e.cut ? `${e.shown}…` : e.shown;
};

/** Covers bytes [cur.offset, to) with one leaf of `spec` (nothing when empty). */
function leafTo(cur: Cursor, spec: Parameters<typeof addItem>[1], to: number, value: Parameters<typeof addItem>[3]): void {
  if (to > cur.offset) addItem(cur, spec, to - cur.offset, value);
}

function addRequestLine(cur: Cursor, bytes: Uint8Array, line: Line): { method: string; uri: string; version: string; summary: string; parts: Http1Parts } {
  const { words: ws, gaps } = words(bytes, line);
  const w0 = ws[0];
  const method = w0 ? latin1(bytes, w0[0], w0[1]) : "";
  const hasVersion = ws.length >= 3;
  const last = ws[ws.length - 1];
  const versionSpan = hasVersion ? last : undefined;
  const uriSpan: [number, number] | undefined = ws.length >= 2 ? [(ws[1] as [number, number])[0], (hasVersion ? (ws[ws.length - 2] as [number, number]) : (ws[1] as [number, number]))[1]] : undefined;
  const uri = uriSpan ? textOf(bytes, uriSpan[0], uriSpan[1]) : "";
  const version = versionSpan ? latin1(bytes, versionSpan[0], versionSpan[1]) : "";

  const requestLine = textOf(bytes, line.start, line.contentEnd);
  if (ws.length < 2 || ws.length > 3 || !method) cur.finding(x.invalid_request_line, line.start, line.contentEnd - line.start);
  else {
    let badTarget = false;
    // A target is ASCII without controls or spaces (RFC 9112 §3.2); other characters travel percent-encoded.
    for (let i = (uriSpan as [number, number])[0]; i < (uriSpan as [number, number])[1]; i++) if ((bytes[i] as number) <= 0x20 || (bytes[i] as number) >= 0x7f) badTarget = true;
    // A space after the version, as llhttp reads it, is no request line either.
    if (badTarget || (last && last[1] < line.contentEnd)) cur.finding(x.invalid_request_line, line.start, line.contentEnd - line.start);
    if (!LLHTTP_METHODS.has(method)) cur.finding(x.unknown_method, { method: shown(method, 40) }, line.start, method.length);
    if (!hasVersion) cur.finding(x.http09, line.start, line.contentEnd - line.start);
    else if (version === "HTTP/2.0" || version === "HTTP/0.9") cur.finding(x.unusual_version, { version }, (versionSpan as [number, number])[0], version.length);
    else if (version !== "HTTP/1.1" && version !== "HTTP/1.0") cur.finding(x.invalid_version, { version: shown(version, 40) }, (versionSpan as [number, number])[0], version.length);
  }
  if (gaps.some(([a, b]) => b - a > 1 && b < line.contentEnd)) cur.finding(x.extra_space, line.start, line.contentEnd - line.start);
  if (isBareLf(bytes, line)) bareLf(cur, line.contentEnd);

  if (cur.tree) {
    cur.push(f.request_line);
    if (w0) leafTo(cur, f["request.method"], w0[1], method);
    const sp = (to: number) => leafTo(cur, f.sp, to, quoted(latin1(bytes, cur.offset, to)));
    if (uriSpan) {
      sp(uriSpan[0]);
      leafTo(cur, f["request.uri"], uriSpan[1], quoted(uri));
    }
    if (versionSpan) {
      sp(versionSpan[0]);
      leafTo(cur, f["request.version"], versionSpan[1], version);
    }
    sp(line.contentEnd);
    addEol(cur, bytes, line);
    cur.pop(quoted(requestLine));
  } else cur.skip(line.end - cur.offset);
  const shownMethod = shown(method, 40);
  const target = shown(uri);
  return {
    method,
    uri,
    version,
    summary: `${shownMethod} ${target}${version ? ` ${shown(version, 20)}` : ""}`,
    parts: { kind: "request", method: shownMethod, target, status: 0, reason: "" },
  };
}

function addStatusLine(cur: Cursor, bytes: Uint8Array, line: Line): { code: number | undefined; summary: string; parts: Http1Parts } {
  const { words: ws } = words(bytes, line);
  const v = ws[0];
  const c = ws[1];
  const version = v ? latin1(bytes, v[0], v[1]) : "";
  const code = statusCode(bytes, line);
  // The reason phrase is everything after the space that follows the code, spaces included (RFC 9112 §4).
  const phraseStart = c && c[1] < line.contentEnd ? c[1] + 1 : line.contentEnd;
  const phrase = textOf(bytes, phraseStart, line.contentEnd);
  if (!/^HTTP\/[0-9]\.[0-9]$/.test(version) || code === undefined) cur.finding(x.invalid_status_line, line.start, line.contentEnd - line.start);
  else if (version !== "HTTP/1.1" && version !== "HTTP/1.0") cur.finding(x.invalid_version, { version: shown(version, 40) }, line.start, version.length);
  if (isBareLf(bytes, line)) bareLf(cur, line.contentEnd);
  if (cur.tree) {
    cur.push(f.status_line);
    if (v) leafTo(cur, f["response.version"], v[1], version);
    if (c) {
      leafTo(cur, f.sp, c[0], quoted(latin1(bytes, cur.offset, c[0])));
      leafTo(cur, f["response.code"], c[1], code !== undefined ? { format: "number", value: code } : quoted(latin1(bytes, c[0], c[1])));
      leafTo(cur, f.sp, phraseStart, quoted(latin1(bytes, cur.offset, phraseStart)));
    }
    leafTo(cur, f["response.phrase"], line.contentEnd, quoted(phrase));
    addEol(cur, bytes, line);
    cur.pop(quoted(textOf(bytes, line.start, line.contentEnd)));
  } else cur.skip(line.end - cur.offset);
  const reason = phrase ? shown(phrase, 60) : "";
  const text = `${shown(version, 20)} ${code ?? shown(latin1(bytes, c?.[0] ?? 0, c?.[1] ?? 0), 10)}${reason ? ` ${reason}` : ""}`;
  return { code, summary: text, parts: { kind: "response", method: "", target: "", status: code ?? 0, reason } };
}

/** The findings about framing headers (RFC 9112 §6, RFC 9110 §8.6): smuggling, duplicates, Host. */
function checkFraming(cur: Cursor, head: Head, framing: Framing, request: boolean, version: string): void {
  const fields = head.block.fields;
  const spanOf = (key: string) => {
    const h = fields.find((y) => fieldIs(y, key));
    return h ? ([h.start, h.end - h.start] as const) : ([head.startLine.start, 0] as const);
  };
  if (framing.transferEncoding !== undefined && framing.contentLengths.length > 0) cur.finding(x.cl_and_te, ...spanOf("content-length"));
  const values = framing.contentLengths.flatMap((v) => v.split(",").map((p) => p.trim()));
  if (values.length > 1) {
    const [at, len] = spanOf("content-length");
    if (values.every((v) => v === values[0])) cur.finding(x.duplicate_content_length.same, { count: values.length }, at, len);
    else cur.finding(x.duplicate_content_length.conflicting, { values: shown(values.join(", "), 60) }, at, len);
  } else if (values.length === 1 && !/^[0-9]{1,15}$/.test(values[0] as string)) {
    cur.finding(x.invalid_content_length, { value: shown(values[0] as string, 40) }, ...spanOf("content-length"));
  }
  if (request) {
    if (framing.transferEncoding !== undefined && !framing.chunked) {
      cur.finding(x.unsupported_transfer_encoding, { value: shown(framing.transferEncoding, 40) }, ...spanOf("transfer-encoding"));
    }
    if (version === "HTTP/1.1" && framing.hosts === 0 && head.complete) cur.finding(x.missing_host, head.startLine.start, head.startLine.end - head.startLine.start);
    if (framing.hosts > 1) cur.finding(x.duplicate_host, { count: framing.hosts }, ...spanOf("host"));
  }
}

/** The lowercase protocol id an Upgrade token names (RFC 9110 §7.8): websocket, h2c as http2, else the token. */
export function upgradeProtocol(token: string | undefined): string {
  const first = (token ?? "").split(",")[0]?.trim().toLowerCase().split("/")[0] ?? "";
  if (first === "h2c") return "http2";
  return /^[a-z][a-z0-9]*$/.test(first) ? first : "data";
}

function addChunks(cur: Cursor, bytes: Uint8Array, items: readonly ChunkItem[], contentType: string | undefined, whole: boolean): string {
  let suffix = "";
  const dataItems = items.filter((it) => it.kind === "data").length;
  let open = false;
  let size = 0;
  const close = () => {
    if (open) cur.pop({ format: "byte_count", n: size });
    open = false;
  };
  const ensure = (spec: typeof f.chunk) => {
    if (!open) {
      cur.push(spec);
      open = true;
      size = 0;
    }
  };
  for (const it of items) {
    switch (it.kind) {
      case "size": {
        close();
        ensure(it.size === 0 ? f.last_chunk : f.chunk);
        size = it.size;
        if (isBareLf(bytes, it.line)) bareLf(cur, it.line.contentEnd);
        addItem(cur, f["chunk.size"], it.digitsEnd - it.line.start, { format: "number", value: it.size });
        leafTo(cur, f["chunk.extension"], it.line.contentEnd, quoted(latin1(bytes, it.digitsEnd, it.line.contentEnd)));
        addEol(cur, bytes, it.line);
        break;
      }
      case "data":
        ensure(f.chunk);
        if (whole && dataItems === 1) suffix = addBody(cur, bytes, it.start, it.end, contentType, f["chunk.data"]);
        else addRaw(cur, bytes, it.start, it.end, f["chunk.data"]);
        break;
      case "data_end":
        ensure(f.chunk);
        if (it.end - it.start === 1) bareLf(cur, it.start);
        addItem(cur, f.eol, it.end - it.start, it.end - it.start === 2 ? "CRLF" : "LF");
        close();
        break;
      case "trailer":
        ensure(f.last_chunk);
        addHeaderField(cur, bytes, it.field, true);
        break;
      case "end":
        ensure(f.last_chunk);
        if (isBareLf(bytes, it.line)) bareLf(cur, it.line.contentEnd);
        addEndOfHeaders(cur, bytes, it.line);
        close();
        break;
    }
  }
  close();
  if (whole && dataItems > 1 && isEnvelopeStream(contentType)) {
    const parts = items.flatMap((it) => (it.kind === "data" ? [bytes.subarray(it.start, it.end)] : []));
    suffix = addJoinedEnvelopes(cur, parts, contentType, f.envelopes);
  }
  return suffix;
}

/**
 * A chunked body (or its continuation) from `from` in `phase`: the chunk nodes, the findings, and where the next
 * frame starts. Returns the summary's suffix (JSON-RPC names of a body in one chunk).
 */
function addChunked(cur: Cursor, bytes: Uint8Array, from: number, phase: ChunkPhase, contentType: string | undefined, whole: boolean): { next: Continuation | undefined; suffix: string } {
  const items: ChunkItem[] = [];
  const walk = walkChunks(bytes, from, phase, HTTP1_FRAME_LIMIT, (it) => items.push(it));
  if (cur.tree) cur.push(f.chunked);
  const suffix = addChunks(cur, bytes, items, contentType, whole && walk.kind === "end");
  // The stream ended inside a chunk's data or a line: what came of it.
  if (walk.kind === "more" && cur.offset < bytes.length) {
    if (walk.phase.at === "data") addRaw(cur, bytes, cur.offset, bytes.length, f["chunk.data"]);
    else if (cur.tree) cur.bytes(f.incomplete, bytes.length - cur.offset);
    else cur.skip(bytes.length - cur.offset);
  }
  if (cur.tree) cur.pop();
  let next: Continuation | undefined;
  switch (walk.kind) {
    case "cut":
      cur.finding(x.body_follows, { limit: HTTP1_FRAME_LIMIT }, walk.at, 0);
      next = { kind: "chunked", phase: walk.phase };
      break;
    case "more":
      cur.finding(x.body_short.chunked, bytes.length, 0);
      break;
    case "error": {
      if (walk.error === "size") {
        const line = shown(textOf(bytes, walk.at, Math.min(walk.end, walk.at + 40)).replace(/\r?\n$/, ""), 40);
        cur.finding(x.invalid_chunk_size, { line }, walk.at, walk.end - walk.at);
      } else {
        const last = items.filter((it) => it.kind === "data").pop();
        const got = last && last.kind === "data" ? last.end - last.start : 0;
        cur.finding(x.chunk_data_unterminated, { size: got, hex: hexPreview(bytes.subarray(walk.at, walk.end)) }, walk.at, walk.end - walk.at);
      }
      next = { kind: "junk" };
      break;
    }
  }
  // Bytes after an error: the rest of this frame is not HTTP.
  if (walk.kind === "error" && cur.offset < bytes.length) {
    if (cur.tree) cur.bytes(f.not_http, bytes.length - cur.offset);
    else cur.skip(bytes.length - cur.offset);
  }
  return { next, suffix };
}

function junkSummary(bytes: Uint8Array, from: number): string {
  return `Not HTTP: "${shown(textOf(bytes, from, Math.min(bytes.length, from + 200)), 40)}"`;
}

function dissectContinuation(cur: Cursor, bytes: Uint8Array, cont: Continuation): Outcome {
  const n = bytes.length;
  switch (cont.kind) {
    case "length": {
      const expected = Math.min(cont.left, HTTP1_FRAME_LIMIT);
      addRaw(cur, bytes, 0, n, f.continuation);
      if (n < expected) {
        cur.finding(x.body_short.length, { have: cont.total - cont.left + n, declared: cont.total }, n, 0);
        return { frame: cur.frame(`Continuation, ${plural(n, "byte")}`), next: undefined, lengthEnded: false, message: false };
      }
      const left = cont.left - n;
      if (left > 0) cur.finding(x.body_follows, { limit: HTTP1_FRAME_LIMIT }, n, 0);
      return { frame: cur.frame(`Continuation, ${plural(n, "byte")}`), next: left > 0 ? { ...cont, left } : undefined, lengthEnded: left === 0, message: false };
    }
    case "close": {
      addRaw(cur, bytes, 0, n, f.continuation);
      const more = n >= HTTP1_FRAME_LIMIT;
      if (more) cur.finding(x.body_follows, { limit: HTTP1_FRAME_LIMIT }, n, 0);
      return { frame: cur.frame(`Continuation, ${plural(n, "byte")}`), next: more ? cont : undefined, lengthEnded: false, message: false };
    }
    case "junk":
      if (cur.tree) cur.bytes(f.not_http, n);
      return { frame: cur.frame(junkSummary(bytes, 0)), next: cont, lengthEnded: false, message: false };
    case "chunked": {
      const { next } = addChunked(cur, bytes, 0, cont.phase, undefined, false);
      return { frame: cur.frame(`Continuation, ${plural(n, "byte")}`), next, lengthEnded: false, message: false };
    }
  }
}

function dissectMessage(bytes: Uint8Array, direction: Direction, memo: Http1Memo | undefined, tree: boolean): Outcome {
  const cur = createCursor(bytes, "http1", tree);
  if (memo?.cont) return dissectContinuation(cur, bytes, memo.cont);
  const request = direction === "c2s";
  let found = findHeadEnd(bytes, 0, request, HTTP1_HEAD_LIMIT);
  // The stream ended inside the first line: it is a message only if it could have started one.
  if (found.kind === "more" && !found.started && !canStart(bytes, 0, bytes.length, true, request)) found = { kind: "junk" };
  if (found.kind === "junk") {
    cur.finding(memo?.afterLength ? x.after_message.length : x.after_message.not_http, { length: bytes.length }, 0, bytes.length);
    if (tree) cur.bytes(f.not_http, bytes.length);
    return { frame: cur.frame(junkSummary(bytes, 0)), next: { kind: "junk" }, lengthEnded: false, message: false };
  }
  const headEnd = found.kind === "end" ? found.end : bytes.length;
  const head = parseHead(bytes, 0, headEnd, request);
  for (const line of head.leading) {
    if (isBareLf(bytes, line)) bareLf(cur, line.contentEnd);
    addItem(cur, f.empty_line, line.end - line.start, terminatorName(bytes, line));
  }
  const start = request ? addRequestLine(cur, bytes, head.startLine) : addStatusLine(cur, bytes, head.startLine);
  for (const h of head.block.fields) addHeaderField(cur, bytes, h, true);
  const endLine = head.block.endLine;
  if (endLine) {
    if (isBareLf(bytes, endLine)) bareLf(cur, endLine.contentEnd);
    addEndOfHeaders(cur, bytes, endLine);
  }
  const framing = framingOf(head.block.fields);
  const version = "version" in start ? start.version : "";
  checkFraming(cur, head, framing, request, version);
  const code = "code" in start ? start.code : undefined;
  const requestInfo = "method" in start ? (start.method === "HEAD" || start.method === "CONNECT" ? { method: start.method } : OTHER_REQUEST) : undefined;
  const upgradeRequest = request && framing.upgrade !== undefined && framing.connection.includes("upgrade");

  const websocket = upgradeProtocol(framing.upgrade) === "websocket" && found.kind === "end" && (request ? upgradeRequest : code === 101);
  const websocketKey = websocket && request ? head.block.fields.find((h) => fieldIs(h, "sec-websocket-key"))?.value.trim() : undefined;
  if (websocket) addWebSocketHandshake(cur, head.block.fields, request, memo?.websocketKey);

  if (found.kind !== "end") {
    if (found.kind === "too_long") cur.finding(x.headers_too_long, { limit: HTTP1_HEAD_LIMIT }, 0, bytes.length);
    else cur.finding(x.headers_unterminated, bytes.length, 0);
    // A head cut short has no body and no trustworthy framing: what follows is not HTTP.
    return { frame: cur.frame(start.summary), next: { kind: "junk" }, lengthEnded: false, message: false };
  }

  const mode = bodyMode(request, framing, code, request ? undefined : memo?.request);
  const media = mediaType(framing.contentType)?.type;
  // A compressed body (RFC 9110 §8.4) is shown as sent: its media type describes it once inflated.
  const coding = head.block.fields.find((h) => fieldIs(h, "content-encoding"));
  const encoded = coding !== undefined && coding.value.trim().toLowerCase() !== "identity" && coding.value.trim() !== "";
  const contentType = encoded ? undefined : framing.contentType;
  let suffix = "";
  let next: Continuation | undefined;
  let lengthEnded = false;
  let hasBody = false;
  let handoff: DissectedFrame["handoff"];
  switch (mode.kind) {
    case "none":
      if (mode.why === "head") cur.finding(x.no_body.head, headEnd, 0);
      else if (mode.why === "status" && code !== undefined && code >= 200) cur.finding(x.no_body.status, { code }, headEnd, 0);
      else if (mode.why === "upgrade") {
        const protocol = upgradeProtocol(framing.upgrade);
        cur.finding(x.upgrade, { protocol }, headEnd, 0);
        handoff = { protocol };
      } else if (mode.why === "tunnel") {
        cur.finding(x.tunnel, headEnd, 0);
        handoff = { protocol: "data" };
      }
      lengthEnded = framing.contentLength === 0;
      break;
    case "length": {
      const declaredEnd = headEnd + mode.n;
      hasBody = true;
      if (declaredEnd > HTTP1_FRAME_LIMIT) {
        cur.finding(x.body_follows, { limit: HTTP1_FRAME_LIMIT }, headEnd, 0);
        next = { kind: "length", left: mode.n, total: mode.n };
        break;
      }
      const end = Math.min(bytes.length, declaredEnd);
      if (end < declaredEnd) {
        addRaw(cur, bytes, headEnd, end, f.body);
        cur.finding(x.body_short.length, { have: end - headEnd, declared: mode.n }, end, 0);
      } else {
        suffix = addBody(cur, bytes, headEnd, end, contentType, f.body);
        lengthEnded = true;
      }
      break;
    }
    case "close": {
      cur.finding(x.read_to_close, headEnd, 0);
      const more = bytes.length >= HTTP1_FRAME_LIMIT;
      if (bytes.length > headEnd) {
        hasBody = true;
        if (more) addRaw(cur, bytes, headEnd, bytes.length, f.body);
        else suffix = addBody(cur, bytes, headEnd, bytes.length, contentType, f.body);
      }
      if (more) {
        cur.finding(x.body_follows, { limit: HTTP1_FRAME_LIMIT }, bytes.length, 0);
        next = { kind: "close" };
      }
      break;
    }
    case "chunked": {
      hasBody = true;
      const chunked = addChunked(cur, bytes, headEnd, SIZE, contentType, true);
      next = chunked.next;
      suffix = chunked.suffix;
      break;
    }
  }
  if (encoded && hasBody && coding) cur.finding(x.content_encoded, { coding: shown(coding.value, 40) }, coding.start, coding.end - coding.start);
  // Anything past the message's end (never, when the frame was cut by pduLength with the same state).
  if (cur.offset < bytes.length && mode.kind === "none") {
    cur.finding(memo?.afterLength || lengthEnded ? x.after_message.length : x.after_message.not_http, { length: bytes.length - headEnd }, headEnd, bytes.length - headEnd);
    if (tree) cur.bytes(f.not_http, bytes.length - cur.offset);
  }
  const summary = `${start.summary}${hasBody && media ? ` (${shown(media, 60)})` : ""}${suffix}`;
  const frame = cur.frame(summary);
  return {
    frame: handoff ? { ...frame, handoff } : frame,
    next,
    request: requestInfo,
    upgradeRequest,
    code,
    lengthEnded,
    message: true,
    websocketKey,
    parts: start.parts,
  };
}

const BODY_PARTS: Http1Parts = Object.freeze({ kind: "body", method: "", target: "", status: 0, reason: "" });

/** A request whose response is framed as any other: one object stands for all of them in the queue. */
const OTHER_REQUEST: RequestInfo = Object.freeze({ method: "" });

/** Keeps what the conversation learnt from a PDU at capture time. */
function learn(state: Http1State, direction: Direction, outcome: Learnt): void {
  state.cont[direction] = outcome.next;
  state.afterLength[direction] = outcome.lengthEnded;
  if (direction === "c2s") {
    if (outcome.request) {
      if (state.early > 0) state.early--;
      else if (state.requests.length < 1024) state.requests.push(outcome.request);
      if (outcome.upgradeRequest) state.upgrading = true;
      if (outcome.upgradeRequest) state.websocketKey = outcome.websocketKey;
    }
    return;
  }
  const code = outcome.code;
  if (!outcome.message) return;
  // 1xx (other than 101) are interim: the final response to the same request follows (RFC 9110 §15.2).
  if (code !== undefined && code >= 100 && code < 200 && code !== 101) return;
  if (state.requests.length > 0) state.requests.shift();
  else state.early++;
  state.upgrading = false;
  state.websocketKey = undefined;
}

/** The h2c connection preface (RFC 9113 §3.4): a client that speaks HTTP/2 on a port that also serves HTTP/1.1. */
const PREFACE = Uint8Array.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", (c) => c.charCodeAt(0));

export function detectHttp2(bytes: Uint8Array, direction: Direction): string | "more" | undefined {
  if (direction !== "c2s") return undefined;
  const n = Math.min(bytes.length, PREFACE.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== PREFACE[i]) return undefined;
  return n < PREFACE.length ? "more" : "http2";
}

/** The answer to a WebSocket upgrade keeps the request's key, to check its Accept when the tree is rebuilt. */
function withWebSocketKey(memo: Http1Memo | undefined, state: Http1State, direction: Direction): Http1Memo | undefined {
  return direction === "s2c" && state.websocketKey !== undefined ? { ...memo, websocketKey: state.websocketKey } : memo;
}

export function dissectHttp1(bytes: Uint8Array, ctx: DissectContext<Http1State>): DissectedFrame[] {
  const tree = ctx.tree ?? true;
  const state = ctx.state;
  const memo = state ? withWebSocketKey(memoOf(state, ctx.direction), state, ctx.direction) : (ctx.memo as Http1Memo | undefined);
  const outcome = dissectMessage(bytes, ctx.direction, memo, tree);
  if (state) learn(state, ctx.direction, outcome);
  const parts = outcome.parts ?? (memo?.cont && memo.cont.kind !== "junk" ? BODY_PARTS : undefined);
  const frame: DissectedFrame | Http1Frame = parts ? { ...outcome.frame, http1: parts } : outcome.frame;
  return [memo ? { ...frame, memo } : frame];
}

// ---------------------------------------------------------------------------------------------
// The capture pass: what dissectMessage tells the conversation, without a frame (no summary, no findings, no body
// read). It must decide exactly as dissectMessage does; http1-capture.test.ts holds the two side by side.

function chunkedNext(walk: ChunkWalk): Continuation | undefined {
  if (walk.kind === "cut") return { kind: "chunked", phase: walk.phase };
  return walk.kind === "error" ? { kind: "junk" } : undefined;
}

function learnContinuation(bytes: Uint8Array, cont: Continuation): Learnt {
  const n = bytes.length;
  switch (cont.kind) {
    case "length": {
      if (n < Math.min(cont.left, HTTP1_FRAME_LIMIT)) return { next: undefined, lengthEnded: false, message: false };
      const left = cont.left - n;
      return { next: left > 0 ? { ...cont, left } : undefined, lengthEnded: left === 0, message: false };
    }
    case "close":
      return { next: n >= HTTP1_FRAME_LIMIT ? cont : undefined, lengthEnded: false, message: false };
    case "junk":
      return { next: cont, lengthEnded: false, message: false };
    case "chunked":
      return { next: chunkedNext(walkChunks(bytes, 0, cont.phase, HTTP1_FRAME_LIMIT)), lengthEnded: false, message: false };
  }
}

const JUNK: Learnt = Object.freeze({ next: Object.freeze({ kind: "junk" }) as Continuation, lengthEnded: false, message: false });

function learnMessage(bytes: Uint8Array, direction: Direction, memo: Http1Memo | undefined): Learnt & { handoff?: DissectedFrame["handoff"] } {
  if (memo?.cont) return learnContinuation(bytes, memo.cont);
  const request = direction === "c2s";
  const found = findHeadEnd(bytes, 0, request, HTTP1_HEAD_LIMIT);
  // Junk, a head cut short or too long: what follows is not HTTP, and nothing counts as a message.
  if (found.kind !== "end") return JUNK;
  const headEnd = found.end;
  // The start line, after any empty lines before a request (as parseHead finds it).
  let startLine = lineOrRest(bytes, 0, headEnd);
  while (request && isEmpty(startLine) && startLine.end < headEnd) startLine = lineOrRest(bytes, startLine.end, headEnd);
  const framing = framingScan(bytes, startLine.start, headEnd);
  let requestInfo: RequestInfo | undefined;
  let code: number | undefined;
  if (request) {
    const w0 = words(bytes, startLine).words[0];
    const method = w0 ? latin1(bytes, w0[0], w0[1]) : "";
    requestInfo = method === "HEAD" || method === "CONNECT" ? { method } : OTHER_REQUEST;
  } else code = statusCode(bytes, startLine);
  const upgradeRequest = request && framing.upgrade !== undefined && framing.connection.includes("upgrade");
  const websocket = framing.upgrade !== undefined && upgradeProtocol(framing.upgrade) === "websocket" && (request ? upgradeRequest : code === 101);
  const websocketKey =
    websocket && request ? parseHead(bytes, 0, headEnd, request).block.fields.find((h) => fieldIs(h, "sec-websocket-key"))?.value.trim() : undefined;
  const learnt = { request: requestInfo, upgradeRequest, code, message: true, websocketKey };
  const mode = bodyMode(request, framing, code, request ? undefined : memo?.request);
  switch (mode.kind) {
    case "none": {
      const handoff =
        mode.why === "upgrade" ? { protocol: upgradeProtocol(framing.upgrade) } : mode.why === "tunnel" ? { protocol: "data" } : undefined;
      return { ...learnt, next: undefined, lengthEnded: framing.contentLength === 0, handoff };
    }
    case "length": {
      const declaredEnd = headEnd + mode.n;
      if (declaredEnd > HTTP1_FRAME_LIMIT) return { ...learnt, next: { kind: "length", left: mode.n, total: mode.n }, lengthEnded: false };
      return { ...learnt, next: undefined, lengthEnded: bytes.length >= declaredEnd };
    }
    case "close":
      return { ...learnt, next: bytes.length >= HTTP1_FRAME_LIMIT ? { kind: "close" } : undefined, lengthEnded: false };
    case "chunked":
      return { ...learnt, next: chunkedNext(walkChunks(bytes, headEnd, SIZE, HTTP1_FRAME_LIMIT)), lengthEnded: false };
  }
}

/** The capture pass (Dissector.capture): the state learnt and the memo kept as dissectHttp1 would, no frame made. */
export function captureHttp1(bytes: Uint8Array, ctx: DissectContext<Http1State>): CaptureResult {
  const state = ctx.state;
  if (!state) return { memo: ctx.memo };
  const memo = withWebSocketKey(memoOf(state, ctx.direction), state, ctx.direction);
  const learnt = learnMessage(bytes, ctx.direction, memo);
  learn(state, ctx.direction, learnt);
  return { memo, handoff: learnt.handoff };
}

export const http1Dissector: Dissector<Http1State> = {
  id: "http1",
  name: "HTTP/1.x",
  pduLength: http1PduLength,
  createState: createHttp1State,
  detect: detectHttp2,
  dissect: dissectHttp1,
  capture: captureHttp1,
};
