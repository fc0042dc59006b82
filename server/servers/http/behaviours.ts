// HTTP itself, for the lessons on 8080 (the rest, keep-alive, HTTP/1.0, HEAD, 100-continue, 413, 431 and
// the request timeout, are the server's own behaviour: app.ts):
//   /http/echo            the request as the server read it: method, target, version, headers in order
//                         and the body (any method; where 307 and 308 lead)
//   GET /http/drip        a chunked answer that drips: ?chunks=N (1-50, default 5) pieces, one every
//                         ?interval=ms (10-2000, default 500), so each chunk shows on the timeline
//   /http/status/{code}   an answer with that status (200-599), to trigger every class on a real server

import { STATUS_CODES } from "node:http";
import { decodeUtf8, readBody } from "./body";
import { send, type Area, type Exchange } from "./routing";

const JSON_TYPE = { "Content-Type": "application/json" };

async function echo(x: Exchange) {
  const body = await readBody(x);
  const text = decodeUtf8(body);
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < x.req.rawHeaders.length; i += 2) headers.push([x.req.rawHeaders[i]!, x.req.rawHeaders[i + 1]!]);
  const answer = {
    method: x.req.method,
    target: x.req.url,
    version: `HTTP/${x.req.httpVersion}`,
    headers,
    body: text ?? Buffer.from(body).toString("base64"),
    bodyEncoding: text === undefined ? "base64" : "utf-8",
    bodyLength: body.length,
  };
  send(x, 200, `${JSON.stringify(answer, null, 2)}\n`, JSON_TYPE);
}

export const DRIP = { defaultChunks: 5, maxChunks: 50, defaultIntervalMs: 500, minIntervalMs: 10, maxIntervalMs: 2_000 } as const;

function clamp(raw: string | null, fallback: number, min: number, max: number): number {
  const n = raw === null ? fallback : Number(raw);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function drip(x: Exchange) {
  const chunks = clamp(x.url.searchParams.get("chunks"), DRIP.defaultChunks, 1, DRIP.maxChunks);
  const interval = clamp(x.url.searchParams.get("interval"), DRIP.defaultIntervalMs, DRIP.minIntervalMs, DRIP.maxIntervalMs);
  const { res } = x;
  // No Content-Length: HTTP/1.1 sends the body chunked; each write() below is one chunk on the wire.
  res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  if (x.req.method === "HEAD") return void res.end();
  let sent = 0;
  const next = () => {
    if (res.destroyed) return;
    sent++;
    res.write(`chunk ${sent} of ${chunks}\n`);
    if (sent === chunks) res.end();
    else timer = setTimeout(next, interval);
  };
  let timer = setTimeout(next, 0);
  res.once("close", () => clearTimeout(timer));
}

function status(x: Exchange) {
  const code = Number(x.params[0]);
  if (!(code >= 200 && code <= 599)) return httpArea.problem(x, 404, "Statuses from 200 to 599 can be asked for.");
  const reason = STATUS_CODES[code] ?? "";
  send(x, code, JSON.stringify({ status: code, reason }), JSON_TYPE);
}

const ANY = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const any = (handler: (x: Exchange) => void | Promise<void>) => Object.fromEntries(ANY.map((m) => [m, handler]));

export const httpArea: Area = {
  prefix: "/http/",
  cors: { "Access-Control-Allow-Origin": "*" },
  routes: [
    { path: /^\/http\/echo$/, methods: any(echo) },
    { path: /^\/http\/drip$/, methods: { GET: drip } },
    { path: /^\/http\/status\/(\d{3})$/, methods: any(status) },
  ],
  problem(x, code, message, headers) {
    send(x, code, JSON.stringify({ error: message }), { ...JSON_TYPE, ...headers });
  },
};
