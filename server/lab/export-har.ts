// A session's HTTP/1.x exchanges as HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/, W3C Web Performance
// draft "HTTP Archive (HAR) format"), which browsers' devtools and HAR viewers open. Read from the timeline's ring
// as the pcapng export reads it: the seqs taken at once, then one event at a time (its bytes and the PDUs it
// completed), with a pause every SLICE events so a long timeline never holds the host; only the exchanges still
// waiting for their answer are held, each with its own message's bytes. Messages are read from the dissector's
// trees rebuilt from the captured bytes (server/dissect/http1.ts); requests and responses pair as the ladder pairs
// them (server/dissect/http1/pairing.ts). Bodies: text when their media type is text and their bytes UTF-8, else
// base64 (HAR's content.encoding); a compressed body is kept as sent.
//
// Timings (HAR's `timings`): send = from the request's first byte to its last, wait = from its last byte to the
// response's first (the time to first byte), receive = from the response's first byte to its last; blocked, dns,
// connect and ssl are -1 (not measured: a tapped socket sees reads and writes, not the resolver or the handshake).

import type { Ring } from "../capture/ring";
import { pduBytes, type CapturedEvent, type EventPdu } from "../capture/events";
import { rebuildPdu } from "../dissect/core/stream";
import type { DissectedFrame, Dissector, FieldNode } from "../dissect/core/types";
import { isHttp1Frame } from "../dissect/http1";
import { textOf } from "../dissect/http1/head";
import { createHttp1Pairer, type Http1Exchange, type Http1Pairer } from "../dissect/http1/pairing";
import { PAUSE } from "./export-pcapng";

const SLICE = 500;
/** Body bytes a HAR entry keeps of one message; past it the text is cut and `comment` says so. */
export const HAR_BODY_LIMIT = 1 << 20;

export interface HarNameValue {
  readonly name: string;
  readonly value: string;
}

export interface HarContent {
  readonly size: number;
  readonly mimeType: string;
  readonly text?: string;
  readonly encoding?: "base64";
  readonly comment?: string;
}

export interface HarEntry {
  readonly startedDateTime: string;
  readonly time: number;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly httpVersion: string;
    readonly cookies: readonly HarNameValue[];
    readonly headers: readonly HarNameValue[];
    readonly queryString: readonly HarNameValue[];
    readonly postData?: { readonly mimeType: string; readonly text: string; readonly params?: readonly HarNameValue[]; readonly comment?: string };
    readonly headersSize: number;
    readonly bodySize: number;
  };
  readonly response: {
    readonly status: number;
    readonly statusText: string;
    readonly httpVersion: string;
    readonly cookies: readonly HarNameValue[];
    readonly headers: readonly HarNameValue[];
    readonly content: HarContent;
    readonly redirectURL: string;
    readonly headersSize: number;
    readonly bodySize: number;
    readonly _error?: string;
  };
  readonly cache: Record<string, never>;
  readonly timings: { blocked: number; dns: number; connect: number; ssl: number; send: number; wait: number; receive: number };
  readonly serverIPAddress: string;
  readonly connection: string;
  readonly comment?: string;
}

/** One message as read from its frames: start line parts, headers, head size and body bytes (continuations appended). */
export interface HarMessage {
  readonly request: boolean;
  readonly method: string;
  readonly target: string;
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: HarNameValue[];
  readonly headersSize: number;
  body: Uint8Array[];
  bodyBytes: number;
  /** Bytes of the body on the wire (chunk framing included). */
  wireBodyBytes: number;
  /** Host clock, milliseconds: first byte (first read that way since the message before) and last. */
  readonly firstMs: number;
  endMs: number;
  readonly firstWallMs: number;
}

const HEADER_PARTS = new Set(["http1.header.name", "http1.header.separator", "http1.header.ows", "http1.eol"]);

function leaf(fields: readonly FieldNode[], id: string): FieldNode | undefined {
  return fields.find((f) => f.id === id);
}

function* descendants(fields: readonly FieldNode[], id: string): Generator<FieldNode> {
  for (const f of fields) {
    if (f.id === id) yield f;
    else yield* descendants(f.children, id);
  }
}

/** The body bytes a frame holds: a body's, its chunks' data, or a continuation's. */
function bodyParts(frame: DissectedFrame, bytes: Uint8Array): { parts: Uint8Array[]; wire: number } {
  const at = (f: FieldNode) => bytes.subarray(frame.offset + f.offset, frame.offset + f.offset + f.length);
  const parts: Uint8Array[] = [];
  let wire = 0;
  for (const f of frame.fields) {
    if (f.id === "http1.body" || f.id === "http1.continuation") {
      parts.push(at(f));
      wire += f.length;
    } else if (f.id === "http1.chunked") {
      for (const data of descendants(f.children, "http1.chunk.data")) parts.push(at(data));
      wire += f.length;
    }
  }
  return { parts, wire };
}

/** A message's parts from its frame (with its tree) and the PDU's bytes. */
export function harMessageOf(frame: DissectedFrame, bytes: Uint8Array, firstMs: number, endMs: number, firstWallMs: number): HarMessage | undefined {
  if (!isHttp1Frame(frame) || frame.http1.kind === "body") return undefined;
  const text = (f: FieldNode | undefined) => (f ? textOf(bytes, frame.offset + f.offset, frame.offset + f.offset + f.length) : "");
  const request = frame.http1.kind === "request";
  const line = leaf(frame.fields, request ? "http1.request_line" : "http1.status_line");
  const kids = line?.children ?? [];
  const headers: HarNameValue[] = [];
  let headersSize = frame.length;
  for (const f of frame.fields) {
    if (f.id === "http1.header") {
      const name = text(leaf(f.children, "http1.header.name"));
      const value = text(f.children.find((c) => !HEADER_PARTS.has(c.id)));
      headers.push({ name, value });
    } else if (f.id === "http1.body" || f.id === "http1.chunked") headersSize = f.offset;
  }
  const { parts, wire } = bodyParts(frame, bytes);
  return {
    request,
    method: request ? text(leaf(kids, "http1.request.method")) : "",
    target: request ? text(leaf(kids, "http1.request.uri")) : "",
    version: text(leaf(kids, request ? "http1.request.version" : "http1.response.version")) || "HTTP/1.1",
    status: frame.http1.status,
    reason: request ? "" : text(leaf(kids, "http1.response.phrase")),
    headers,
    headersSize,
    body: parts,
    bodyBytes: parts.reduce((n, p) => n + p.length, 0),
    wireBodyBytes: wire,
    firstMs,
    endMs,
    firstWallMs,
  };
}

const header = (m: HarMessage, name: string) => m.headers.find((h) => h.name.toLowerCase() === name)?.value;

const TEXTUAL = /^(text\/|application\/(json|[a-z0-9.+-]*\+json|xml|[a-z0-9.+-]*\+xml|x-www-form-urlencoded|javascript|ecmascript)\b)/i;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function joined(parts: readonly Uint8Array[], limit: number): { bytes: Uint8Array; cut: boolean } {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(Math.min(total, limit));
  let at = 0;
  for (const p of parts) {
    if (at >= out.length) break;
    const take = p.subarray(0, out.length - at);
    out.set(take, at);
    at += take.length;
  }
  return { bytes: out, cut: total > limit };
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** A body as HAR's content: text when it is text, else base64. */
export function harContent(m: HarMessage): HarContent {
  const mimeType = header(m, "content-type") ?? "";
  const coded = (header(m, "content-encoding") ?? "identity").trim().toLowerCase();
  const { bytes, cut } = joined(m.body, HAR_BODY_LIMIT);
  const comment = cut ? `Only the first ${HAR_BODY_LIMIT} of ${m.bodyBytes} bytes are kept.` : undefined;
  if (bytes.length === 0) return { size: 0, mimeType };
  let text: string | undefined;
  if ((coded === "identity" || coded === "") && (TEXTUAL.test(mimeType) || mimeType === "")) {
    try {
      text = utf8.decode(bytes);
    } catch {
      text = undefined;
    }
  }
  const base = { size: m.bodyBytes, mimeType, ...(comment ? { comment } : {}) };
  return text !== undefined ? { ...base, text } : { ...base, text: base64(bytes), encoding: "base64" };
}

function queryOf(target: string): HarNameValue[] {
  const q = target.indexOf("?");
  if (q < 0) return [];
  return [...new URLSearchParams(target.slice(q + 1).split("#")[0])].map(([name, value]) => ({ name, value }));
}

function urlOf(request: HarMessage, server: { ip: string; port: number }): string {
  if (/^https?:\/\//i.test(request.target)) return request.target;
  const host = header(request, "host") ?? (server.ip.includes(":") ? `[${server.ip}]:${server.port}` : `${server.ip}:${server.port}`);
  return `http://${host}${request.target.startsWith("/") ? request.target : `/${request.target}`}`;
}

const round = (ms: number) => Math.max(0, Math.round(ms * 1000) / 1000);

/** One HAR entry from a request and its response (or none: never answered, status 0 and `_error`). */
export function harEntry(
  request: HarMessage,
  response: HarMessage | undefined,
  connection: { readonly id: string; readonly server: { ip: string; port: number } },
): HarEntry {
  const send = round(request.endMs - request.firstMs);
  const wait = response ? round(response.firstMs - request.endMs) : 0;
  const receive = response ? round(response.endMs - response.firstMs) : 0;
  const post = request.bodyBytes > 0 ? harContent(request) : undefined;
  const mime = header(request, "content-type") ?? "";
  const params = post && post.encoding === undefined && /^application\/x-www-form-urlencoded\b/i.test(mime)
    ? [...new URLSearchParams(post.text ?? "")].map(([name, value]) => ({ name, value }))
    : undefined;
  return {
    startedDateTime: new Date(request.firstWallMs).toISOString(),
    time: round(send + wait + receive),
    request: {
      method: request.method,
      url: urlOf(request, connection.server),
      httpVersion: request.version,
      cookies: [],
      headers: request.headers,
      queryString: queryOf(request.target),
      ...(post
        ? { postData: { mimeType: mime, text: post.text ?? "", ...(params ? { params } : {}), ...(post.encoding ? { comment: "text is base64" } : {}) } }
        : {}),
      headersSize: request.headersSize,
      bodySize: request.wireBodyBytes,
    },
    response: response
      ? {
          status: response.status,
          statusText: response.reason,
          httpVersion: response.version,
          cookies: [],
          headers: response.headers,
          content: harContent(response),
          redirectURL: header(response, "location") ?? "",
          headersSize: response.headersSize,
          bodySize: response.wireBodyBytes,
        }
      : {
          status: 0,
          statusText: "",
          httpVersion: "",
          cookies: [],
          headers: [],
          content: { size: 0, mimeType: "" },
          redirectURL: "",
          headersSize: -1,
          bodySize: -1,
          _error: "No response was seen on this connection.",
        },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send, wait, receive },
    serverIPAddress: connection.server.ip,
    connection: connection.id,
  };
}

interface Connection {
  readonly pairer: Http1Pairer<HarMessage, object>;
  readonly id: string;
  readonly server: { ip: string; port: number };
  /** The first read each way since that way's last whole message (host clock and wall clock, ms). */
  first: { c2s: [number, number] | undefined; s2c: [number, number] | undefined };
  last: { c2s: HarMessage | undefined; s2c: HarMessage | undefined };
  /** Answered exchanges, written once the next message begins (a long body's continuations come first). */
  readonly ready: Http1Exchange<HarMessage>[];
}

export interface HarSummary {
  readonly entries: number;
}

const encoder = new TextEncoder();

/**
 * The HAR file in parts: its opening, each entry as its exchange completes (or, never answered, when its connection
 * ends or the file does), and its end. PAUSE marks where a writer may let other work run.
 */
export function* harParts(
  ring: Ring,
  dissectorFor: (protocol: string) => Dissector,
  creator: { readonly name: string; readonly version: string },
): Generator<Uint8Array | typeof PAUSE, HarSummary, undefined> {
  const seqs = ring.seqs();
  yield PAUSE;
  yield encoder.encode(`{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"entries":[`);
  let entries = 0;
  const out: string[] = [];
  const emit = (exchange: Http1Exchange<HarMessage>, c: Connection) => {
    if (!exchange.request) return;
    out.push(`${entries++ > 0 ? "," : ""}\n${JSON.stringify(harEntry(exchange.request, exchange.response, c))}`);
  };
  const connections = new Map<string, Connection>();
  const dissector = dissectorFor("http1");
  for (let i = 0; i < seqs.length; i++) {
    if (i > 0 && i % SLICE === 0) {
      if (out.length > 0) yield encoder.encode(out.splice(0).join(""));
      yield PAUSE;
    }
    const head = ring.header(seqs[i]!);
    if (!head || head.conversation.protocol !== "http1") continue;
    const event = ring.event(seqs[i]!);
    if (!event) continue;
    const id = event.conversation.id;
    let c = connections.get(id);
    if (!c) {
      c = {
        pairer: createHttp1Pairer<HarMessage, object>({}),
        id,
        server: event.conversation.server,
        first: { c2s: undefined, s2c: undefined },
        last: { c2s: undefined, s2c: undefined },
        ready: [],
      };
      connections.set(id, c);
    }
    if (event.kind === "close" || event.kind === "error") {
      for (const done of c.ready.splice(0)) emit(done, c);
      for (const left of c.pairer.close()) emit(left, c);
      connections.delete(id);
      continue;
    }
    if (event.kind !== "data") continue;
    c.first[event.direction] ??= [event.monoMs, event.wallMs];
    for (const pdu of event.pdus ?? []) readPdu(pdu, event, c, dissector, emit);
  }
  // Requests still waiting when the file was made.
  for (const c of connections.values()) {
    for (const done of c.ready.splice(0)) emit(done, c);
    for (const left of c.pairer.close()) emit(left, c);
  }
  if (out.length > 0) yield encoder.encode(out.join(""));
  yield encoder.encode("\n]}}\n");
  return { entries };
}

function readPdu(
  pdu: EventPdu,
  event: CapturedEvent,
  c: Connection,
  dissector: Dissector,
  emit: (exchange: Http1Exchange<HarMessage>, c: Connection) => void,
): void {
  // Deferred frames (none kept) are read from the rebuilt ones below.
  if (pdu.protocol !== "http1" || (pdu.frames && !pdu.frames.some(isHttp1Frame))) return;
  const bytes = pduBytes(event, pdu);
  const direction = pdu.direction;
  for (const frame of rebuildPdu(dissector, { direction, bytes, memo: pdu.memo })) {
    if (!isHttp1Frame(frame)) continue;
    if (frame.http1.kind === "body") {
      const last = c.last[direction];
      if (last) {
        const { parts, wire } = bodyParts(frame, bytes);
        last.body.push(...parts);
        last.bodyBytes += parts.reduce((n, p) => n + p.length, 0);
        last.wireBodyBytes += wire;
        last.endMs = event.monoMs;
      }
      continue;
    }
    const [firstMs, firstWall] = c.first[direction] ?? [event.monoMs, event.wallMs];
    c.first[direction] = undefined;
    const message = harMessageOf(frame, bytes, firstMs, event.monoMs, firstWall);
    if (!message) continue;
    for (const done of c.ready.splice(0)) emit(done, c);
    c.last[direction] = message;
    const { exchange } = message.request ? c.pairer.request(message) : c.pairer.response(message, message.status);
    // Answered: the response is whole, or its request came after it (an early answer).
    if (exchange.request && exchange.response && (exchange.response === message || exchange.request === message)) c.ready.push(exchange);
  }
}
