// The lab's own HTTP/1.1 client (issue 11 §4), for a browser session's request composer. It writes a request's
// exact bytes (RFC 9112 §3, §6) on a lab TCP client (./tcp.ts), so the http service's tap records them as it records
// every lab client, and reads the response with the lab's own HTTP/1.x framing (server/dissect/http1/): interim 1xx
// responses skipped, a body by Content-Length, chunked coding or the connection's close, none for HEAD, 204 and 304
// (RFC 9112 §6.3). It reaches only the lab's http service: a URL or a redirect naming another host or port is
// refused (the lab is not a relay). Redirects are followed as curl -L and Python's requests do (303, and 301/302
// after a POST, go on as GET); a connection the server keeps alive carries the next request.

import type { Bus } from "../capture/bus";
import type { ConversationInfo } from "../capture/events";
import type { Ring } from "../capture/ring";
import { findHeadEnd, framingOf, isTchar, latin1, parseHead, textOf, words } from "../dissect/http1/head";
import { SIZE, walkChunks } from "../dissect/http1/chunked";
import { ConnectFailed, openTcpClient, type LabTcpClient, type ServiceTarget } from "./tcp";

export interface HttpField {
  readonly name: string;
  readonly value: string;
}

export interface HttpRequestSpec {
  readonly method: string;
  /** A path with its query, or an absolute URL of the lab's http service. */
  readonly url: string;
  readonly headers: readonly HttpField[];
  readonly body: Uint8Array;
  readonly followRedirects: boolean;
  /** 0: HTTP_CLIENT_LIMITS.defaultRedirects. */
  readonly maxRedirects: number;
}

export interface HttpExchangeResult {
  readonly method: string;
  readonly target: string;
  readonly conversation: ConversationInfo;
  readonly reused: boolean;
  /** Timeline events with the request's and the response's first bytes (0: none seen). */
  readonly requestSeq: number;
  readonly responseSeq: number;
  /** 0 when no final response came. */
  readonly status: number;
  readonly reason: string;
  readonly version: string;
  readonly headers: readonly HttpField[];
  readonly body: Uint8Array;
  readonly bodyLength: number;
  readonly bodyTruncated: boolean;
  readonly ttfbMs: number;
  readonly totalMs: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

/** Why a send ended without a final response, or stopped following redirects. */
export type HttpClientErrorCode = "timeout" | "closed" | "bad-response" | "too-many-redirects" | "foreign-redirect" | "connect-failed";

export interface HttpResult {
  readonly exchanges: readonly HttpExchangeResult[];
  readonly error?: { readonly code: HttpClientErrorCode; readonly message: string };
}

/** A request the client will not send: codes for the RPC's INVALID_ARGUMENT and PERMISSION_DENIED. */
export class HttpRequestRefused extends Error {
  override name = "HttpRequestRefused";
  constructor(
    readonly code: "foreign-url" | "invalid-method" | "invalid-url" | "invalid-header" | "too-many-redirects",
    message: string,
  ) {
    super(message);
  }
}

export interface HttpClientLimits {
  /** From the request's last byte to the response's last: then a TIMEOUT event, and the connection closes. */
  readonly responseTimeoutMs: number;
  /** Body bytes the result carries; the rest is counted, not kept. */
  readonly bodyLimit: number;
  /** A response longer than this is given up (the connection closes): the lab's answers are far smaller. */
  readonly maxResponseBytes: number;
  readonly defaultRedirects: number;
  readonly maxRedirects: number;
  /** Idle keep-alive connections kept per session. */
  readonly idleConnections: number;
}

export const HTTP_CLIENT_LIMITS: HttpClientLimits = {
  responseTimeoutMs: 10_000,
  bodyLimit: 256 * 1024,
  maxResponseBytes: 8 * 1024 * 1024,
  defaultRedirects: 10,
  maxRedirects: 20,
  idleConnections: 2,
};

export interface LabHttpClient {
  send(spec: HttpRequestSpec): Promise<HttpResult>;
  /** Connections open now: sending, or idle and kept for the next request. */
  readonly connections: number;
  close(): void;
}

export interface HttpClientOptions {
  /** Whether a URL's host name (lowercase, no brackets) is one of the lab's own names. */
  readonly isOwnHost: (name: string) => boolean;
  /** The session's timeline: where the request's and the response's event numbers are looked up. */
  readonly ring: Ring;
  readonly limits?: Partial<HttpClientLimits>;
}

const HEAD_LIMIT = 64 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const utf8 = new TextEncoder();

/** A connection and what it has read since its current request was sent. */
interface Connection {
  readonly client: LabTcpClient;
  chunks: Uint8Array[];
  length: number;
  /** When its first byte for the current request came. */
  firstByteAt: number;
  ended: boolean;
  closed: boolean;
  wake: (() => void) | undefined;
}

function hostPort(target: ServiceTarget): string {
  return target.host.includes(":") ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/** The request target for a path or an absolute URL of the lab's http service; refuses anything else. */
export function requestTarget(url: string, target: ServiceTarget, isOwnHost: (name: string) => boolean): string {
  const text = url.trim();
  if (text === "*") return text;
  if (text.startsWith("/") && !text.startsWith("//")) {
    if (!/^[\x21-\x7e]+$/.test(text)) throw new HttpRequestRefused("invalid-url", "The path holds spaces or other characters a request line cannot carry: percent-encode them.");
    return text;
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new HttpRequestRefused("invalid-url", `Not a path or a URL: ${JSON.stringify(text.slice(0, 100))}.`);
  }
  if (!sameService(parsed, target, isOwnHost)) {
    throw new HttpRequestRefused("foreign-url", `The lab's HTTP client reaches only the lab's own http service (${hostPort(target)}), not ${parsed.host || parsed.protocol}.`);
  }
  return `${parsed.pathname}${parsed.search}`;
}

function sameService(url: URL, target: ServiceTarget, isOwnHost: (name: string) => boolean): boolean {
  const name = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? 80 : Number(url.port);
  return url.protocol === "http:" && url.username === "" && url.password === "" && port === target.port && (name === target.host || isOwnHost(name));
}

function checkRequest(spec: { method: string; headers: readonly HttpField[] }): void {
  if (spec.method.length === 0 || spec.method.length > 32 || ![...spec.method].every((c) => isTchar(c.charCodeAt(0)))) {
    throw new HttpRequestRefused("invalid-method", "A method is a token: letters, digits and !#$%&'*+-.^_`|~ only.");
  }
  for (const h of spec.headers) {
    if (h.name.length === 0 || ![...h.name].every((c) => isTchar(c.charCodeAt(0)))) {
      throw new HttpRequestRefused("invalid-header", `A header name is a token: ${JSON.stringify(h.name.slice(0, 60))} is not.`);
    }
    // CR or LF would end the field and start another (header injection); NUL is never allowed (RFC 9110 §5.5).
    if (/[\r\n\0]/.test(h.value)) throw new HttpRequestRefused("invalid-header", `The value of ${h.name} holds a line break or NUL.`);
  }
}

/** The request's bytes: request line, Host unless given, the headers in order, Content-Length for a body unless given. */
export function requestBytes(method: string, target: string, host: string, headers: readonly HttpField[], body: Uint8Array): Uint8Array {
  const has = (name: string) => headers.some((h) => h.name.toLowerCase() === name);
  const lines = [`${method} ${target} HTTP/1.1`];
  if (!has("host")) lines.push(`Host: ${host}`);
  for (const h of headers) lines.push(`${h.name}: ${h.value}`);
  const bodyMethod = method === "POST" || method === "PUT" || method === "PATCH";
  if (!has("content-length") && !has("transfer-encoding") && (body.length > 0 || bodyMethod)) lines.push(`Content-Length: ${body.length}`);
  const head = utf8.encode(`${lines.join("\r\n")}\r\n\r\n`);
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head);
  bytes.set(body, head.length);
  return bytes;
}

/** A response read from the start of a connection's bytes. */
interface ParsedResponse {
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: HttpField[];
  readonly body: Uint8Array;
  readonly bodyLength: number;
  readonly bodyTruncated: boolean;
  /** Bytes it took. */
  readonly end: number;
  readonly keepAlive: boolean;
}

type ParseOutcome = ParsedResponse | "more" | "bad";

/** Reads a final response (skipping 1xx ones) from `bytes`; `ended`: no more bytes will come. */
export function parseResponse(bytes: Uint8Array, method: string, ended: boolean, bodyLimit: number): ParseOutcome {
  let at = 0;
  for (;;) {
    const found = findHeadEnd(bytes, at, false, HEAD_LIMIT);
    if (found.kind === "junk" || found.kind === "too_long") return "bad";
    if (found.kind === "more") return ended ? "bad" : "more";
    const head = parseHead(bytes, at, found.end, false);
    const line = head.startLine;
    const ws = words(bytes, line).words;
    const version = ws[0] ? latin1(bytes, ws[0][0], ws[0][1]) : "";
    const codeText = ws[1] ? latin1(bytes, ws[1][0], ws[1][1]) : "";
    if (!/^HTTP\/1\.[01]$/.test(version) || !/^[0-9]{3}$/.test(codeText)) return "bad";
    const status = Number(codeText);
    const reasonStart = ws[1] && ws[1][1] < line.contentEnd ? ws[1][1] + 1 : line.contentEnd;
    const reason = textOf(bytes, reasonStart, line.contentEnd);
    const fields = head.block.fields;
    const headers = fields.filter((h) => h.colon >= 0).map((h) => ({ name: h.name, value: h.value }));
    const framing = framingOf(fields);
    if (status >= 100 && status < 200 && status !== 101) {
      at = found.end;
      continue;
    }
    const persistent = version === "HTTP/1.1" ? !framing.connection.includes("close") : framing.connection.includes("keep-alive");
    const start = found.end;
    const done = (end: number, body: Uint8Array, bodyLength: number, keepAlive: boolean): ParsedResponse => ({
      version,
      status,
      reason,
      headers,
      body: body.length > bodyLimit ? body.slice(0, bodyLimit) : body,
      bodyLength,
      bodyTruncated: body.length > bodyLimit,
      end,
      keepAlive: keepAlive && persistent && status !== 101,
    });
    if (status === 101 || status === 204 || status === 304 || method === "HEAD") return done(start, new Uint8Array(0), 0, true);
    if (framing.transferEncoding !== undefined && framing.chunked) {
      const parts: [number, number][] = [];
      const walk = walkChunks(bytes, start, SIZE, Number.POSITIVE_INFINITY, (item) => {
        if (item.kind === "data") parts.push([item.start, item.end]);
      });
      if (walk.kind === "more") return ended ? "bad" : "more";
      if (walk.kind !== "end") return "bad";
      const total = parts.reduce((n, [a, b]) => n + b - a, 0);
      const body = new Uint8Array(Math.min(total, bodyLimit + 1));
      let k = 0;
      for (const [a, b] of parts) {
        if (k >= body.length) break;
        const piece = bytes.subarray(a, Math.min(b, a + body.length - k));
        body.set(piece, k);
        k += piece.length;
      }
      return { ...done(walk.end, body, total, true), bodyTruncated: total > bodyLimit };
    }
    if (framing.transferEncoding === undefined && framing.contentLength !== undefined) {
      const end = start + framing.contentLength;
      if (bytes.length < end) return ended ? "bad" : "more";
      return { ...done(end, bytes.subarray(start, Math.min(end, start + bodyLimit)), framing.contentLength, true), bodyTruncated: framing.contentLength > bodyLimit };
    }
    if (framing.contentLengths.length > 0 && framing.transferEncoding === undefined) return "bad";
    // Neither: the body runs to the close (RFC 9112 §6.3, item 8).
    if (!ended) return "more";
    return { ...done(bytes.length, bytes.subarray(start, Math.min(bytes.length, start + bodyLimit)), bytes.length - start, false), bodyTruncated: bytes.length - start > bodyLimit };
  }
}

/** A connection's reads as one buffer (without copying when there is one). */
function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
}

/** The first data events of the conversation after `afterSeq`, each way, in the session's timeline. */
function eventSeqs(ring: Ring, conversationId: string, afterSeq: number): { request: number; response: number } {
  let request = 0;
  let response = 0;
  let from = afterSeq;
  for (let pages = 0; pages < 64 && (request === 0 || response === 0); pages++) {
    const events = ring.after(from, 256);
    if (events.length === 0) break;
    for (const e of events) {
      if (e.conversation.id !== conversationId || e.kind !== "data") continue;
      if (e.direction === "c2s" && request === 0) request = e.seq;
      if (e.direction === "s2c" && response === 0) response = e.seq;
    }
    from = events[events.length - 1]!.seq;
  }
  return { request, response };
}

export function createLabHttpClient(bus: Bus, target: ServiceTarget, sessionId: string, options: HttpClientOptions): LabHttpClient {
  const limits: HttpClientLimits = { ...HTTP_CLIENT_LIMITS, ...options.limits };
  const idle: Connection[] = [];
  let busy = 0;
  let closedAll = false;

  async function connect(): Promise<Connection> {
    // The socket's listeners are set before the connection object exists (bytes cannot come before the request).
    const state: { conn?: Connection } = {};
    const wake = () => {
      const w = state.conn?.wake;
      if (state.conn) state.conn.wake = undefined;
      w?.();
    };
    const client = await openTcpClient(bus, target, sessionId, {
      data(chunk) {
        const conn = state.conn;
        if (!conn) return;
        if (conn.length === 0) conn.firstByteAt = performance.now();
        // Past the bound the bytes are not kept: the response is given up below.
        if (conn.length <= limits.maxResponseBytes) conn.chunks.push(chunk);
        conn.length += chunk.length;
        wake();
      },
      end() {
        if (state.conn) state.conn.ended = true;
        wake();
      },
      close() {
        if (state.conn) {
          state.conn.ended = true;
          state.conn.closed = true;
        }
        wake();
      },
    });
    state.conn = { client, chunks: [], length: 0, firstByteAt: 0, ended: false, closed: false, wake: undefined };
    return state.conn;
  }

  function release(conn: Connection, keep: boolean) {
    busy--;
    if (keep && !closedAll && !conn.ended && idle.length < limits.idleConnections) idle.push(conn);
    else conn.client.close();
  }

  /** What one request on one connection came to. `stale`: a kept connection the server had closed while idle. */
  interface Step {
    readonly result: HttpExchangeResult;
    readonly error?: HttpResult["error"];
    readonly stale: boolean;
  }

  /** Waits for the connection's next bytes (or its end); false when `deadline` passed first. */
  function more(conn: Connection, deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        conn.wake = undefined;
        resolve(false);
      }, Math.max(0, deadline - performance.now()));
      conn.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /** One request on one connection, to its response (or its failure). */
  async function exchange(method: string, path: string, headers: readonly HttpField[], body: Uint8Array): Promise<Step> {
    let conn = idle.pop();
    while (conn && (conn.ended || conn.client.closed)) {
      conn.client.close();
      conn = idle.pop();
    }
    const reused = conn !== undefined;
    busy++;
    try {
      conn ??= await connect();
    } catch (err) {
      busy--;
      throw err;
    }
    const bytes = requestBytes(method, path, hostPort(target), headers, body);
    conn.chunks = [];
    conn.length = 0;
    conn.firstByteAt = 0;
    const before = bus.lastSeq;
    conn.client.send([bytes]);
    const sentAt = performance.now();
    const deadline = sentAt + limits.responseTimeoutMs;
    let parsed: ParseOutcome = "more";
    let error: HttpResult["error"];
    for (;;) {
      if (conn.length > limits.maxResponseBytes) {
        error = { code: "bad-response", message: `The response is longer than the client reads (${limits.maxResponseBytes} bytes): the connection was closed.` };
        break;
      }
      parsed = parseResponse(concat(conn.chunks, conn.length), method, conn.ended, limits.bodyLimit);
      if (parsed !== "more") break;
      if (!(await more(conn, deadline))) {
        const seconds = limits.responseTimeoutMs / 1000;
        bus.note(conn.client.conversation, "timeout", "s2c", "ETIMEDOUT", `No whole HTTP response within ${seconds} s: the client gave up and closed the connection.`);
        error = { code: "timeout", message: `No whole response within ${seconds} s: the client closed the connection.` };
        break;
      }
    }
    const done = performance.now();
    if (parsed === "bad") {
      const junk = conn.length > 0 && findHeadEnd(concat(conn.chunks, conn.length), 0, false, HEAD_LIMIT).kind === "junk";
      error =
        conn.ended && !junk
          ? { code: "closed", message: conn.length === 0 ? "The server closed the connection without a response." : "The server closed the connection before the response was whole." }
          : { code: "bad-response", message: "The bytes that came back are not an HTTP/1.x response." };
    }
    const response = typeof parsed === "object" ? parsed : undefined;
    const seqs = eventSeqs(options.ring, conn.client.conversation.id, before);
    const result: HttpExchangeResult = {
      method,
      target: path,
      conversation: conn.client.conversation,
      reused,
      requestSeq: seqs.request,
      responseSeq: seqs.response,
      status: response?.status ?? 0,
      reason: response?.reason ?? "",
      version: response?.version ?? "",
      headers: response?.headers ?? [],
      body: response ? response.body.slice() : new Uint8Array(0),
      bodyLength: response?.bodyLength ?? 0,
      bodyTruncated: response?.bodyTruncated ?? false,
      ttfbMs: conn.firstByteAt > 0 ? Math.max(0, conn.firstByteAt - sentAt) : 0,
      totalMs: done - sentAt,
      requestBytes: bytes.length,
      responseBytes: response ? response.end : conn.length,
    };
    const askedClose = headers.some((h) => h.name.toLowerCase() === "connection" && /(^|,)\s*close\s*(,|$)/i.test(h.value));
    release(conn, response !== undefined && response.keepAlive && response.end === conn.length && !askedClose);
    return { result, error, stale: reused && conn.length === 0 && conn.ended };
  }

  return {
    get connections() {
      // A kept connection the server has closed since (its keep-alive timeout) holds nothing any more.
      for (let i = idle.length - 1; i >= 0; i--) {
        const conn = idle[i]!;
        if (conn.ended || conn.client.closed) {
          idle.splice(i, 1);
          conn.client.close();
        }
      }
      return idle.length + busy;
    },
    close() {
      closedAll = true;
      for (const conn of idle.splice(0)) conn.client.close();
    },
    async send(spec) {
      checkRequest(spec);
      const wanted = spec.maxRedirects === 0 ? limits.defaultRedirects : spec.maxRedirects;
      if (wanted > limits.maxRedirects) throw new HttpRequestRefused("too-many-redirects", `At most ${limits.maxRedirects} redirects.`);
      let method = spec.method;
      let path = requestTarget(spec.url, target, options.isOwnHost);
      let headers = spec.headers;
      let body = spec.body;
      const exchanges: HttpExchangeResult[] = [];
      for (;;) {
        let step: Step;
        try {
          step = await exchange(method, path, headers, body);
          // The server closed a kept connection while it was idle: the same request on a new one.
          if (step.stale) step = await exchange(method, path, headers, body);
        } catch (err) {
          if (!(err instanceof ConnectFailed)) throw err;
          return { exchanges, error: { code: "connect-failed", message: err.message } };
        }
        exchanges.push(step.result);
        if (step.error) return { exchanges, error: step.error };
        const { status } = step.result;
        const location = step.result.headers.find((h) => h.name.toLowerCase() === "location")?.value;
        if (!spec.followRedirects || !REDIRECTS.has(status) || location === undefined) return { exchanges };
        if (exchanges.length > wanted) {
          return { exchanges, error: { code: "too-many-redirects", message: `More than ${wanted} redirects: the last one was not followed.` } };
        }
        let next: URL;
        try {
          next = new URL(location, `http://${hostPort(target)}${path.startsWith("/") ? path : "/"}`);
        } catch {
          return { exchanges, error: { code: "foreign-redirect", message: `The Location ${JSON.stringify(location.slice(0, 100))} is not a URL.` } };
        }
        if (!sameService(next, target, options.isOwnHost)) {
          return { exchanges, error: { code: "foreign-redirect", message: `The redirect leads away from the lab (${next.host}): not followed.` } };
        }
        path = `${next.pathname}${next.search}`;
        // RFC 9110 §15.4: 303 asks for a GET; after a POST, 301 and 302 become one too in every client the course uses.
        if ((status === 303 && method !== "HEAD") || ((status === 301 || status === 302) && method === "POST")) {
          method = "GET";
          body = new Uint8Array(0);
          headers = headers.filter((h) => !["content-type", "content-length", "transfer-encoding"].includes(h.name.toLowerCase()));
        }
      }
    },
  };
}
