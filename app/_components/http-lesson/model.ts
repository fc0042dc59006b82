// What the HTTP lesson's panels read out of the lab's HTTP client's answers (lab.v1.SendHttp) and out of the
// timeline: a header by name, the connections a run of requests used, a message's bytes as its events carried
// them, its lines as HTTP/1.1 frames them (RFC 9112 §2.1: start line, fields, an empty line, the body), a chunked
// body's size lines (§7.1), and what a browser makes of a CORS preflight's answer (Fetch standard, "CORS-preflight
// fetch"). Pure functions, no React.

import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "@/app/_components/timeline/batch";
import { concatBytes } from "@/server/dissect/core/fields";

export interface Field {
  readonly name: string;
  readonly value: string;
}

/** The first value of a header, by its case-insensitive name; undefined when absent. */
export function headerValue(fields: readonly Field[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === wanted)?.value;
}

/** The connections a run of exchanges used, in the order they were first used. */
export function connectionsOf(exchanges: readonly { readonly conversationId: string }[]): string[] {
  const seen: string[] = [];
  for (const { conversationId } of exchanges) if (conversationId && !seen.includes(conversationId)) seen.push(conversationId);
  return seen;
}

type MessageEvent = Pick<TimelineEvent, "seq" | "kind" | "direction" | "data">;

/**
 * A message's bytes as the timeline holds them: the DATA events one way, from the one with `fromSeq` up to the
 * first DATA event the other way (segments between them are the wire's view of the same bytes, and are skipped).
 * The lab's client reads one answer before it writes the next request, so nothing else is interleaved.
 */
export function messageBytes(events: readonly MessageEvent[], fromSeq: bigint, direction: Direction): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const event of events) {
    if (event.seq < fromSeq || event.kind !== EventKind.DATA) continue;
    if (event.direction !== direction) {
      if (parts.length > 0) break;
      continue;
    }
    parts.push(event.data);
  }
  return concatBytes(parts);
}

export type LinePart = "start" | "header" | "blank" | "body";

export interface MessageLine {
  readonly part: LinePart;
  /** The line's text without its line ending (the body: its whole text). */
  readonly text: string;
  /** What ended the line: "\r\n", "\n", or "" (the body, or a line cut short). */
  readonly ending: string;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/**
 * The lines of one HTTP/1.x message or more (an interim response and the final one come back to back): each
 * head's start line, its header lines, the empty line that ends it, then the body as one part. A head that has
 * not ended yet is all header lines after the start line.
 */
export function messageLines(bytes: Uint8Array): MessageLine[] {
  const text = decoder.decode(bytes);
  const lines: MessageLine[] = [];
  let at = 0;
  while (at < text.length) {
    let first = true;
    let ended = false;
    while (at < text.length) {
      const lf = text.indexOf("\n", at);
      const end = lf === -1 ? text.length : lf;
      const cr = end > at && text[end - 1] === "\r";
      const line = text.slice(at, cr ? end - 1 : end);
      const ending = lf === -1 ? "" : cr ? "\r\n" : "\n";
      at = lf === -1 ? text.length : lf + 1;
      if (line === "" && ending !== "" && !first) {
        lines.push({ part: "blank", text: "", ending });
        ended = true;
        break;
      }
      lines.push({ part: first ? "start" : "header", text: line, ending });
      first = false;
    }
    if (!ended) break;
    // An interim response (1xx) has no body; the final one's body is the rest.
    const startLine = lines.filter((l) => l.part === "start").at(-1)?.text ?? "";
    if (/^HTTP\/\d(\.\d)? 1\d\d\b/.test(startLine)) continue;
    const body = text.slice(at);
    if (body !== "") lines.push({ part: "body", text: body, ending: "" });
    break;
  }
  return lines;
}

export interface ChunkLine {
  /** The chunk-size line as sent ("1a"), and the data's length it declares. */
  readonly sizeLine: string;
  readonly size: number;
  /** The chunk's data as text (empty for the last chunk). */
  readonly data: string;
}

/**
 * The chunks of a chunked body in the bytes of a response (RFC 9112 §7.1): after the head, each size line in hex,
 * its data and CRLF, up to the zero-size chunk. Chunks cut short at the end are left out.
 */
export function chunksOf(response: Uint8Array): ChunkLine[] {
  const text = decoder.decode(response);
  const headEnd = text.indexOf("\r\n\r\n");
  if (headEnd === -1) return [];
  const out: ChunkLine[] = [];
  let at = headEnd + 4;
  for (;;) {
    const eol = text.indexOf("\r\n", at);
    if (eol === -1) break;
    const sizeLine = text.slice(at, eol);
    const size = Number.parseInt(sizeLine.split(";")[0] ?? "", 16);
    if (!Number.isFinite(size)) break;
    const data = text.slice(eol + 2, eol + 2 + size);
    if (data.length < size) break;
    out.push({ sizeLine, size, data });
    if (size === 0) break;
    at = eol + 2 + size + 2;
  }
  return out;
}

export interface PreflightVerdict {
  /** Access-Control-Allow-Origin is "*" or the page's origin. */
  readonly origin: boolean;
  /** The method is a simple one (GET, HEAD, POST) or in Access-Control-Allow-Methods. */
  readonly method: boolean;
  /** Every requested header is in Access-Control-Allow-Headers (case-insensitive), or the list is "*". */
  readonly headers: boolean;
  readonly allowed: boolean;
}

const SIMPLE_METHODS = new Set(["GET", "HEAD", "POST"]);

const listOf = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");

/** What a browser decides from a preflight's answer, for a request without credentials. */
export function preflightVerdict(answer: readonly Field[], origin: string, method: string, requestHeaders: readonly string[], status: number): PreflightVerdict {
  const allowOrigin = headerValue(answer, "access-control-allow-origin")?.trim();
  const ok = status >= 200 && status <= 299;
  const originOk = ok && (allowOrigin === "*" || allowOrigin === origin);
  const methods = listOf(headerValue(answer, "access-control-allow-methods"));
  const methodOk = ok && (SIMPLE_METHODS.has(method) || methods.includes(method) || methods.includes("*"));
  const allowedHeaders = listOf(headerValue(answer, "access-control-allow-headers")).map((h) => h.toLowerCase());
  const headersOk = ok && (allowedHeaders.includes("*") || requestHeaders.every((h) => allowedHeaders.includes(h.toLowerCase())));
  return { origin: originOk, method: methodOk, headers: headersOk, allowed: originOk && methodOk && headersOk };
}
