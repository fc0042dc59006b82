// Routing on 8080: a table of areas (seed 000's users API, the workshop's REST and RPC, the redirect
// lesson, the HTTP behaviours), each with its routes and its own way of saying an error (seed 000 answers
// {"success": false, "error": ...}, Django REST framework {"detail": ...}, RPC in its envelope, the
// pages in text). One router answers what every area shares: HEAD as GET without the body, the CORS
// preflight, 405 with Allow, 404, and ETag revalidation (If-None-Match -> 304, RFC 9110 §13.1.2).

import { createHash } from "node:crypto";
import type http from "node:http";
import type { LabStore } from "../../store/store";

export interface HttpLimits {
  /** The largest request body read (a larger one is 413, refused before it is read). */
  readonly maxBodyBytes: number;
  /** Time to send a request's headers (a slow-header client gets 408). */
  readonly headersTimeoutMs: number;
  /** Time to send a whole request. */
  readonly requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** How often Node checks the two request timeouts: they are late by up to this much. */
  readonly timeoutCheckMs: number;
  /** The request line and headers together (llhttp's limit; larger is 431). */
  readonly maxHeaderBytes: number;
  /** Open connections from one address (external clients; more are reset). */
  readonly maxConnectionsPerAddress: number;
  /** A connection with no bytes either way for this long is closed. */
  readonly idleTimeoutMs: number;
}

export const HTTP_LIMITS: HttpLimits = {
  maxBodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  timeoutCheckMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxConnectionsPerAddress: 64,
  idleTimeoutMs: 60_000,
};

/** One request and what its handler may use. */
export interface Exchange {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly url: URL;
  /** The route pattern's captured groups. */
  readonly params: readonly string[];
  readonly store: LabStore;
  readonly limits: HttpLimits;
  /** The data set this request reads and writes: its lab session's, or the public one. */
  dataset(): Promise<string>;
  /** The area's error shape, for the body helpers. */
  readonly area: Area;
}

export type Handler = (x: Exchange) => void | Promise<void>;

export interface Route {
  /** Matched against the whole path (no query). */
  readonly path: RegExp;
  readonly methods: Readonly<Record<string, Handler>>;
}

export interface Area {
  /** Paths that start with this belong to the area (the longest prefix wins). */
  readonly prefix: string;
  readonly routes: readonly Route[];
  /** An error in the area's own shape. */
  problem(x: Exchange, status: number, message: string, headers?: Headers): void;
  /** The area's CORS headers, sent with every answer and the preflight. */
  readonly cors: Headers;
}

export type Headers = Readonly<Record<string, string | readonly string[]>>;

/**
 * Writes a whole response with its Content-Length (HEAD: the same headers, no body; Node drops it).
 * A body given as text leaves in one write with the header block (node:http joins them when both are
 * strings), so the timeline shows one event per answer and the tap records it once.
 */
export function send(x: Exchange, status: number, body: string | Uint8Array, headers: Headers = {}): void {
  const { res } = x;
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(x.area.cors)) res.setHeader(name, value);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // 204 and 304 have no body (RFC 9110 §15.3.5, §15.4.5), so no Content-Length either.
  if (status === 204 || status === 304) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.setHeader("Content-Length", typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.byteLength);
  res.writeHead(status);
  if (typeof body === "string") res.end(body, "utf8");
  else res.end(body);
}

/** A strong validator of a representation: a digest of its bytes. */
export function etagOf(body: string | Uint8Array): string {
  return `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
}

/** If-None-Match (RFC 9110 §13.1.2): "*" or a list; weak comparison, so W/ is ignored. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === opaque);
}

/**
 * A 200 to a GET or HEAD that carries its ETag and asks caches to revalidate (Cache-Control: no-cache);
 * a request whose If-None-Match names that ETag gets 304 Not Modified with no body.
 */
export function sendCacheable(x: Exchange, body: string | Uint8Array, headers: Headers): void {
  const etag = etagOf(body);
  const validators = { ETag: etag, "Cache-Control": "no-cache" };
  if (matchesIfNoneMatch(x.req.headers["if-none-match"], etag)) {
    send(x, 304, "", validators);
    return;
  }
  send(x, 200, body, { ...headers, ...validators });
}

export interface Router {
  handle(req: http.IncomingMessage, res: http.ServerResponse, context: Pick<Exchange, "store" | "limits" | "dataset">): Promise<void>;
}

/** The methods a route allows, as Allow lists them: HEAD beside GET, and OPTIONS always. */
export function allowOf(route: Route): string {
  const methods = Object.keys(route.methods);
  if (methods.includes("GET") && !methods.includes("HEAD")) methods.splice(methods.indexOf("GET") + 1, 0, "HEAD");
  if (!methods.includes("OPTIONS")) methods.push("OPTIONS");
  return methods.join(", ");
}

export function createRouter(areas: readonly Area[], fallback: Area): Router {
  const byLength = [...areas].sort((a, b) => b.prefix.length - a.prefix.length);
  return {
    async handle(req, res, context) {
      let url: URL;
      try {
        // The request target is origin-form (RFC 9112 §3.2.1); anything else is read relative to /.
        url = new URL(req.url ?? "/", "http://lab.invalid");
      } catch {
        url = new URL("http://lab.invalid/");
      }
      const area = byLength.find((a) => url.pathname.startsWith(a.prefix)) ?? fallback;
      let params: string[] = [];
      const route = area.routes.find((r) => {
        const match = r.path.exec(url.pathname);
        if (match) params = match.slice(1).map((p) => p ?? "");
        return match !== null;
      });
      const x: Exchange = { req, res, url, params, area, ...context };
      try {
        const method = req.method ?? "GET";
        if (!route) {
          // The preflight is answered on any path, as seed 000's do_OPTIONS does.
          if (method === "OPTIONS") return send(x, 200, "", { "Content-Type": "application/json" });
          return area.problem(x, 404, "Not found");
        }
        const handler = route.methods[method] ?? (method === "HEAD" ? route.methods.GET : undefined);
        if (handler) return await handler(x);
        const allow = allowOf(route);
        if (method === "OPTIONS") return send(x, 200, "", { Allow: allow, "Content-Type": "application/json" });
        return area.problem(x, 405, `Method "${method}" not allowed.`, { Allow: allow });
      } catch (err) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const { status, message, headers } = failureOf(err);
        area.problem(x, status, message, headers);
      }
    },
  };
}

/** An error a handler threw, as a status and a message the client may see. */
export class HttpProblem extends Error {
  override name = "HttpProblem";
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Headers = {},
  ) {
    super(message);
  }
}

function failureOf(err: unknown): { status: number; message: string; headers?: Headers } {
  if (err instanceof HttpProblem) return { status: err.status, message: err.message, headers: err.headers };
  if (err instanceof Error && err.name === "StoreError" && (err as Error & { code?: string }).code === "full") {
    return { status: 507, message: err.message };
  }
  console.error("http: a handler failed:", err);
  return { status: 500, message: "The lab's HTTP server failed on this request; the host keeps running." };
}
