// Request bodies on 8080: read only up to the limit (a declared Content-Length over it is refused before
// a byte of the body is read; a chunked body is cut where it passes it), decoded strictly as UTF-8, and
// parsed by maintained parsers: JSON.parse, and busboy for multipart/form-data and urlencoded forms.

import type http from "node:http";
import busboy from "busboy";
import { dropRestOfBody } from "../../lab/web-guard";
import { HttpProblem, type Exchange } from "./routing";

/** The media type of a Content-Type header, lower case, without parameters ("" when absent). */
export function mediaType(req: http.IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

/**
 * 413 before reading: the body's declared length is over the limit. After the answer the rest of the
 * body is read on for a moment and dropped (dropRestOfBody), so the client gets the answer before the
 * connection closes.
 */
function tooLarge(x: Exchange): HttpProblem {
  dropRestOfBody(x.req, x.res);
  return new HttpProblem(413, `Request body too large: this server reads at most ${x.limits.maxBodyBytes} bytes.`);
}

/** Whether the request announces a body over the limit (Expect: 100-continue is refused on this). */
export function declaresTooMuch(req: http.IncomingMessage, limit: number): boolean {
  const declared = req.headers["content-length"];
  return declared !== undefined && Number(declared) > limit;
}

/** The whole body, at most limits.maxBodyBytes; HttpProblem 413 beyond. */
export function readBody(x: Exchange): Promise<Buffer> {
  const { req, limits } = x;
  if (declaresTooMuch(req, limits.maxBodyBytes)) return Promise.reject(tooLarge(x));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBodyBytes) {
        cleanup();
        reject(tooLarge(x));
        return;
      }
      parts.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(parts, size));
    };
    const onAborted = () => {
      cleanup();
      reject(new HttpProblem(400, "The client closed the connection before the body ended."));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("aborted", onAborted);
      req.off("error", onAborted);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("aborted", onAborted);
    req.on("error", onAborted);
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The body as text; undefined when it is not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; reason: "utf8" | "syntax"; message: string };

export function parseJson(bytes: Uint8Array): JsonBody {
  const text = decodeUtf8(bytes);
  if (text === undefined) return { ok: false, reason: "utf8", message: "The body is not valid UTF-8." };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, reason: "syntax", message: err instanceof Error ? err.message : String(err) };
  }
}

/** Form fields, the first value of each name; files are read past and dropped. */
export type FormFields = ReadonlyMap<string, string>;

const FORM_LIMITS = { fields: 64, fieldSize: 64 * 1024, files: 16, parts: 128, fieldNameSize: 200 } as const;

/**
 * multipart/form-data or application/x-www-form-urlencoded, through busboy, from a body already read
 * (so the size limit and the 413 are readBody's). Malformed forms are HttpProblem 400.
 */
export function parseForm(req: http.IncomingMessage, body: Buffer): Promise<FormFields> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: FORM_LIMITS, defParamCharset: "utf8" });
    } catch (err) {
      reject(new HttpProblem(400, `Malformed form: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    parser.on("field", (name, value) => {
      if (!fields.has(name)) fields.set(name, value);
    });
    parser.on("file", (_name, stream) => stream.resume());
    parser.on("error", (err: unknown) => reject(new HttpProblem(400, `Malformed form: ${err instanceof Error ? err.message : String(err)}`)));
    parser.on("close", () => resolve(fields));
    parser.end(body);
  });
}
