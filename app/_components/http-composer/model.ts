// The HTTP request composer's model (issue 11 §4): a request as the student edits it, the bytes of its body (raw,
// JSON checked by the timeline's own JSON reader, form-urlencoded per the URL Standard, multipart/form-data per
// RFC 7578), the headers the lab's client sends, the same request as a curl command and as Python requests code
// (quoted with the home page's helpers), and the presets: seed 000's HTTPClientExample, the workshop's curl lines
// (seed 004), seed 003's redirect, JSON-RPC and XML-RPC calls. Pure functions, no React.

import { invisibleEscape } from "@/server/dissect/core/fields";
import { isJsonError, parseJson } from "@/server/dissect/json";
import { py, shellQuote, type Endpoint } from "../home/commands";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export type BodyMode = "none" | "raw" | "json" | "form" | "multipart";
export const BODY_MODES: readonly BodyMode[] = ["none", "raw", "json", "form", "multipart"];

export interface Field {
  readonly name: string;
  readonly value: string;
}

export interface ComposerRequest {
  readonly method: string;
  /** Path and query, as typed ("/api/rest/dummies?id=1&id=2"). */
  readonly path: string;
  readonly headers: readonly Field[];
  readonly bodyMode: BodyMode;
  /** The text of a raw or JSON body. */
  readonly text: string;
  /** The fields of a form or multipart body. */
  readonly fields: readonly Field[];
  readonly followRedirects: boolean;
}

export const EMPTY_REQUEST: ComposerRequest = { method: "GET", path: "/api/users", headers: [], bodyMode: "none", text: "", fields: [], followRedirects: false };

export function baseUrl({ host, port }: Endpoint): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * The path as a request line carries it: spaces and non-ASCII percent-encoded as a browser would (the URL Standard's
 * path and query encode sets), the rest kept as typed. A path must start with one "/".
 */
export function normalizePath(path: string): string | undefined {
  const text = path.trim();
  if (!text.startsWith("/") || text.startsWith("//")) return undefined;
  try {
    const url = new URL(text, "http://lab.invalid");
    return `${url.pathname}${url.search}`;
  } catch {
    return undefined;
  }
}

/** Where a JSON body stops being JSON: the line and column (1-based, in characters) of the first wrong character. */
export interface JsonProblem {
  readonly line: number;
  readonly column: number;
  readonly kind: "syntax" | "depth" | "empty";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Checks a JSON body with the reader the timeline's dissector uses (RFC 8259); undefined when it is JSON. */
export function jsonProblem(text: string): JsonProblem | undefined {
  if (text.trim() === "") return { line: 1, column: 1, kind: "empty" };
  const bytes = encoder.encode(text);
  const parsed = parseJson(bytes, 0, bytes.length, false);
  if (!isJsonError(parsed)) return undefined;
  const before = decoder.decode(bytes.subarray(0, parsed.at));
  const lines = before.split("\n");
  return { line: lines.length, column: [...(lines[lines.length - 1] ?? "")].length + 1, kind: parsed.error === "depth" ? "depth" : "syntax" };
}

/** application/x-www-form-urlencoded, as the URL Standard serializes it (spaces as +). */
export function formBody(fields: readonly Field[]): string {
  return new URLSearchParams(fields.filter((f) => f.name !== "").map((f) => [f.name, f.value])).toString();
}

/** multipart/form-data (RFC 7578): one part per field, text values, CRLF line ends. */
export function multipartBody(fields: readonly Field[], boundary: string): string {
  const parts = fields
    .filter((f) => f.name !== "")
    .map((f) => `--${boundary}\r\nContent-Disposition: form-data; name="${f.name.replace(/["\r\n]/g, (c) => encodeURIComponent(c))}"\r\n\r\n${f.value}\r\n`);
  return `${parts.join("")}--${boundary}--\r\n`;
}

const CONTENT_TYPES: Readonly<Record<Exclude<BodyMode, "none" | "multipart">, string>> = {
  raw: "text/plain; charset=utf-8",
  json: "application/json",
  form: "application/x-www-form-urlencoded",
};

/** The body as text (what goes on the wire as UTF-8), and the Content-Type it needs. */
export function bodyOf(req: ComposerRequest, boundary: string): { text: string; contentType: string | undefined } {
  switch (req.bodyMode) {
    case "none":
      return { text: "", contentType: undefined };
    case "raw":
    case "json":
      return { text: req.text, contentType: CONTENT_TYPES[req.bodyMode] };
    case "form":
      return { text: formBody(req.fields), contentType: CONTENT_TYPES.form };
    case "multipart":
      return { text: multipartBody(req.fields, boundary), contentType: `multipart/form-data; boundary=${boundary}` };
  }
}

const hasHeader = (headers: readonly Field[], name: string) => headers.some((h) => h.name.trim().toLowerCase() === name);

/** The headers the lab's client sends (Host and Content-Length it adds itself): the student's, and a Content-Type for the body unless given. */
export function headersOf(req: ComposerRequest, boundary: string): Field[] {
  const own = req.headers.filter((h) => h.name.trim() !== "").map((h) => ({ name: h.name.trim(), value: h.value }));
  const { contentType } = bodyOf(req, boundary);
  if (contentType && !hasHeader(own, "content-type")) own.push({ name: "Content-Type", value: contentType });
  return own;
}

/** What the composer hands LabService.SendHttp. */
export function sendHttpRequest(req: ComposerRequest, boundary: string) {
  const { text } = bodyOf(req, boundary);
  return {
    method: req.method,
    url: normalizePath(req.path) ?? req.path,
    headers: headersOf(req, boundary),
    body: encoder.encode(text),
    followRedirects: req.followRedirects,
  };
}

/** A fresh multipart boundary, as browsers make them. */
export function newBoundary(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `----LabFormBoundary${[...bytes].map((b) => b.toString(36).padStart(2, "0")).join("").slice(0, 16)}`;
}

// ------------------------------------------------------------------------------------------------
// The same request from a terminal and from Python

/**
 * curl as the workshop's README writes it: -X only where curl would pick another method, -I for HEAD, -i so the
 * answer's head is shown as the composer shows it, -L to follow. A multipart body is curl's own --form-string
 * (curl picks its boundary); every other body goes as the exact bytes with --data-binary.
 */
export function curlCommand(req: ComposerRequest, endpoint: Endpoint): string {
  const path = normalizePath(req.path) ?? "/";
  const url = `${baseUrl(endpoint)}${path}`;
  const multipart = req.bodyMode === "multipart";
  // No boundary in a command: curl writes its own, and the Content-Type with it.
  const headers = headersOf(req, "").filter((h) => !(multipart && h.name.toLowerCase() === "content-type" && h.value.startsWith("multipart/form-data; boundary=")));
  const body = multipart ? "" : bodyOf(req, "").text;
  const hasBody = multipart ? req.fields.some((f) => f.name !== "") : req.bodyMode !== "none";
  const args = ["curl"];
  if (req.method === "HEAD") args.push("-I");
  else {
    args.push("-i");
    const implied = hasBody ? "POST" : "GET";
    if (req.method !== implied) args.push("-X", req.method);
  }
  if (req.followRedirects) args.push("-L");
  // [ and ] are curl's URL globbing, and an IPv6 host is written in brackets.
  if (/[[\]{}]/.test(url)) args.push("-g");
  const lines = [`${args.join(" ")} ${shellQuote(url)}`];
  // An empty value is written with ";": "Name:" would tell curl to leave the header out.
  for (const h of headers) lines.push(`-H ${shellQuote(h.value === "" ? `${h.name};` : `${h.name}: ${h.value}`)}`);
  if (multipart) for (const f of req.fields.filter((x) => x.name !== "")) lines.push(`--form-string ${shellQuote(`${f.name}=${f.value}`)}`);
  else if (hasBody) lines.push(`--data-binary ${shellQuote(body)}`);
  return lines.join(" \\\n  ");
}

/** Python's requests, sending the same bytes: the body encoded as UTF-8, multipart as requests' files. */
export function pythonRequests(req: ComposerRequest, endpoint: Endpoint): string {
  const path = normalizePath(req.path) ?? "/";
  const multipart = req.bodyMode === "multipart";
  const headers = headersOf(req, "").filter((h) => !(multipart && h.name.toLowerCase() === "content-type" && h.value.startsWith("multipart/form-data; boundary=")));
  const lines = ["import requests", "", "response = requests.request(", `    ${py(req.method)},`, `    ${py(`${baseUrl(endpoint)}${path}`)},`];
  if (headers.length > 0) lines.push(`    headers={${headers.map((h) => `${py(h.name)}: ${py(h.value)}`).join(", ")}},`);
  if (multipart) {
    const fields = req.fields.filter((f) => f.name !== "");
    if (fields.length > 0) lines.push(`    files=[${fields.map((f) => `(${py(f.name)}, (None, ${py(f.value)}))`).join(", ")}],`);
  } else if (req.bodyMode !== "none") {
    lines.push(`    data=${py(bodyOf(req, "").text)}.encode("utf-8"),`);
  }
  lines.push(`    allow_redirects=${req.followRedirects ? "True" : "False"},`, ")");
  lines.push(
    "print(response.status_code, response.reason)",
    "for name, value in response.headers.items():",
    '    print(f"{name}: {value}")',
    "print()",
    "print(response.text)",
  );
  return lines.join("\n");
}

// ------------------------------------------------------------------------------------------------
// Presets

export interface Preset {
  /** Stable id: tests and the lessons name presets by it. */
  readonly id: string;
  readonly request: ComposerRequest;
  /** What the course's document says the lab answers. */
  readonly expect: number;
  /** An i18n key (httpComposer namespace) that says what the preset shows, when the request line alone does not. */
  readonly note?: PresetNote;
}

export type PresetNote = "noteInvalidJson" | "noteForm" | "noteJson" | "noteFollow" | "noteNoFollow" | "noteHead";

export interface PresetGroup {
  readonly id: "seed000" | "workshop" | "redirect" | "rpc" | "echo";
  /** A sequence runs as a whole, in order (seed 000's HTTPClientExample). */
  readonly sequence: boolean;
  readonly presets: readonly Preset[];
}

const JSON_HEADERS: readonly Field[] = [];
const req = (method: string, path: string, rest: Partial<ComposerRequest> = {}): ComposerRequest => ({ ...EMPTY_REQUEST, method, path, headers: JSON_HEADERS, ...rest });
const json = (text: string): Partial<ComposerRequest> => ({ bodyMode: "json", text });
const form = (fields: Record<string, string>): Partial<ComposerRequest> => ({ bodyMode: "multipart", fields: Object.entries(fields).map(([name, value]) => ({ name, value })) });

/** Seed 000's HTTPClientExample.test_all_endpoints, step by step, with the JSON Python's requests writes for json=. */
const SEED_000: readonly Preset[] = [
  { id: "seed000-health", request: req("GET", "/api/health"), expect: 200 },
  { id: "seed000-users", request: req("GET", "/api/users"), expect: 200 },
  { id: "seed000-user-1", request: req("GET", "/api/users/1"), expect: 200 },
  { id: "seed000-create", request: req("POST", "/api/users", json('{"name": "David", "email": "david@example.com", "age": 28}')), expect: 201, note: "noteJson" },
  { id: "seed000-update", request: req("PUT", "/api/users/1", json('{"name": "Alice Updated", "age": 31}')), expect: 200, note: "noteJson" },
  { id: "seed000-delete", request: req("DELETE", "/api/users/2"), expect: 200 },
  { id: "seed000-missing", request: req("GET", "/api/users/999"), expect: 404 },
  {
    id: "seed000-invalid-json",
    // requests' data="invalid json" with the seed's own Content-Type header: the raw text, declared as JSON.
    request: req("POST", "/api/users", { bodyMode: "raw", text: "invalid json", headers: [{ name: "Content-Type", value: "application/json" }] }),
    expect: 400,
    note: "noteInvalidJson",
  },
];

/** The workshop README's curl lines (seed 004), in its order. */
const WORKSHOP: readonly Preset[] = [
  { id: "workshop-list", request: req("GET", "/api/rest/dummies"), expect: 200 },
  { id: "workshop-filter", request: req("GET", "/api/rest/dummies?id=1&id=2&id=3"), expect: 200 },
  { id: "workshop-get", request: req("GET", "/api/rest/dummie/2"), expect: 200 },
  { id: "workshop-create-form", request: req("POST", "/api/rest/dummie", form({ day: "1", weekday: "Monday", month: "January", year: "1984" })), expect: 201, note: "noteForm" },
  { id: "workshop-create-json", request: req("POST", "/api/rest/dummie", json('{"day":2,"weekday":"Tuesday","month":"February","year":"1985"}')), expect: 201, note: "noteJson" },
  { id: "workshop-put", request: req("PUT", "/api/rest/dummie/11", form({ day: "2", weekday: "Tuesday", month: "February", year: "1985" })), expect: 200, note: "noteForm" },
  { id: "workshop-patch-form", request: req("PATCH", "/api/rest/dummie/11", form({ year: "1984" })), expect: 200, note: "noteForm" },
  { id: "workshop-patch-json", request: req("PATCH", "/api/rest/dummie/11", json('{"year":"1985"}')), expect: 200, note: "noteJson" },
  { id: "workshop-delete", request: req("DELETE", "/api/rest/dummie/11"), expect: 204 },
];

/** Seed 003's example: GET / answered 302 with Location: /posts, then GET /posts answered 200. */
const REDIRECT: readonly Preset[] = [
  { id: "redirect-follow", request: req("GET", "/", { followRedirects: true }), expect: 200, note: "noteFollow" },
  { id: "redirect-no-follow", request: req("GET", "/", { followRedirects: false }), expect: 302, note: "noteNoFollow" },
];

/** The workshop's RPC over HTTP (seed 004): the same procedures as JSON-RPC 2.0 and as XML-RPC. */
const RPC: readonly Preset[] = [
  { id: "rpc-json-add", request: req("POST", "/api/rpc/json", json('{"jsonrpc": "2.0", "method": "add", "params": [2, 3], "id": 1}')), expect: 200 },
  { id: "rpc-json-upper", request: req("POST", "/api/rpc/json", json('{"jsonrpc": "2.0", "method": "upper", "params": {"s": "привет, rpc"}, "id": 2}')), expect: 200 },
  {
    id: "rpc-xml-add",
    request: req("POST", "/api/rpc/xml", {
      bodyMode: "raw",
      headers: [{ name: "Content-Type", value: "text/xml" }],
      text: "<?xml version='1.0'?>\n<methodCall>\n<methodName>add</methodName>\n<params>\n<param>\n<value><int>2</int></value>\n</param>\n<param>\n<value><int>3</int></value>\n</param>\n</params>\n</methodCall>\n",
    }),
    expect: 200,
  },
];

/**
 * The echo address (server/servers/http/behaviours.ts answers with the request as it read it), for the HTTP lesson's
 * headers: not among the composer page's own groups.
 */
export const ECHO_GROUP: PresetGroup = {
  id: "echo",
  sequence: false,
  presets: [
    { id: "echo-get", request: req("GET", "/http/echo", { headers: [{ name: "Accept", value: "application/json" }, { name: "X-Lesson", value: "headers" }] }), expect: 200 },
    { id: "echo-post", request: req("POST", "/http/echo", json('{"greeting": "Привет"}')), expect: 200, note: "noteJson" },
    { id: "echo-head", request: req("HEAD", "/posts"), expect: 200, note: "noteHead" },
  ],
};

export const PRESET_GROUPS: readonly PresetGroup[] = [
  { id: "seed000", sequence: true, presets: SEED_000 },
  { id: "workshop", sequence: false, presets: WORKSHOP },
  { id: "redirect", sequence: false, presets: REDIRECT },
  { id: "rpc", sequence: false, presets: RPC },
];

export function findPreset(groups: readonly PresetGroup[], id: string): Preset | undefined {
  for (const g of groups) for (const p of g.presets) if (p.id === id) return p;
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// The answer

/** A status code's class (1 to 5), for its colour; 0 when there is none. */
export function statusClass(status: number): number {
  return status >= 100 && status < 600 ? Math.floor(status / 100) : 0;
}

/** Bidi controls and zero-width characters as \uXXXX (as the timeline shows them): they could reorder or hide text. */
function showInvisible(text: string): string {
  return text.replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, (c) => invisibleEscape(c.charCodeAt(0)) ?? c);
}

/** The body as the composer shows it: JSON indented by two spaces, any other text as it came; invisible characters escaped. */
export function prettyBody(body: Uint8Array, contentType: string | undefined): { text: string; json: boolean } {
  const text = decoder.decode(body);
  if (/\bjson\b/i.test(contentType ?? "")) {
    try {
      return { text: showInvisible(JSON.stringify(JSON.parse(text), null, 2)), json: true };
    } catch {
      // A body that says it is JSON and is not: shown as it came.
    }
  }
  return { text: showInvisible(text), json: false };
}
