// HAR 1.2's required fields and their types (http://www.softwareishard.com/blog/har-12-spec/), as a checker that
// lists what a document gets wrong: the export's unit and integration tests and the e2e spec hold every file the lab
// writes to it. Optional fields are checked when present.

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The problems of a HAR document, as "path: what" lines; empty when it is valid HAR 1.2. */
export function harProblems(doc: Json): string[] {
  const out: string[] = [];
  const need = (v: Json, path: string, type: "string" | "number" | "object" | "array" | "integer"): boolean => {
    const ok =
      type === "array"
        ? Array.isArray(v)
        : type === "object"
          ? isObject(v)
          : type === "integer"
            ? Number.isInteger(v)
            : typeof v === type && (type !== "number" || Number.isFinite(v));
    if (!ok) out.push(`${path}: expected ${type}, got ${JSON.stringify(v)?.slice(0, 60)}`);
    return ok;
  };
  const nameValues = (v: Json, path: string) => {
    if (!need(v, path, "array")) return;
    (v as Json[]).forEach((item, i) => {
      if (!need(item, `${path}[${i}]`, "object")) return;
      need((item as Record<string, Json>).name, `${path}[${i}].name`, "string");
      need((item as Record<string, Json>).value, `${path}[${i}].value`, "string");
    });
  };
  if (!need(doc, "$", "object")) return out;
  const log = (doc as Record<string, Json>).log;
  if (!need(log, "log", "object")) return out;
  const l = log as Record<string, Json>;
  if (l.version !== "1.2") out.push(`log.version: expected "1.2", got ${JSON.stringify(l.version)}`);
  if (need(l.creator, "log.creator", "object")) {
    need((l.creator as Record<string, Json>).name, "log.creator.name", "string");
    need((l.creator as Record<string, Json>).version, "log.creator.version", "string");
  }
  if (!need(l.entries, "log.entries", "array")) return out;
  (l.entries as Json[]).forEach((entry, i) => {
    const p = `log.entries[${i}]`;
    if (!need(entry, p, "object")) return;
    const e = entry as Record<string, Json>;
    if (need(e.startedDateTime, `${p}.startedDateTime`, "string") && Number.isNaN(Date.parse(e.startedDateTime as string))) {
      out.push(`${p}.startedDateTime: not an ISO 8601 date`);
    }
    if (need(e.time, `${p}.time`, "number") && (e.time as number) < 0) out.push(`${p}.time: negative`);
    if (need(e.request, `${p}.request`, "object")) {
      const r = e.request as Record<string, Json>;
      need(r.method, `${p}.request.method`, "string");
      if (need(r.url, `${p}.request.url`, "string") && !URL.canParse(r.url as string)) out.push(`${p}.request.url: not an absolute URL`);
      need(r.httpVersion, `${p}.request.httpVersion`, "string");
      nameValues(r.cookies, `${p}.request.cookies`);
      nameValues(r.headers, `${p}.request.headers`);
      nameValues(r.queryString, `${p}.request.queryString`);
      need(r.headersSize, `${p}.request.headersSize`, "integer");
      need(r.bodySize, `${p}.request.bodySize`, "integer");
      if (r.postData !== undefined && need(r.postData, `${p}.request.postData`, "object")) {
        const d = r.postData as Record<string, Json>;
        need(d.mimeType, `${p}.request.postData.mimeType`, "string");
        if (d.params !== undefined) nameValues(d.params, `${p}.request.postData.params`);
        else need(d.text, `${p}.request.postData.text`, "string");
      }
    }
    if (need(e.response, `${p}.response`, "object")) {
      const r = e.response as Record<string, Json>;
      need(r.status, `${p}.response.status`, "integer");
      need(r.statusText, `${p}.response.statusText`, "string");
      need(r.httpVersion, `${p}.response.httpVersion`, "string");
      nameValues(r.cookies, `${p}.response.cookies`);
      nameValues(r.headers, `${p}.response.headers`);
      need(r.redirectURL, `${p}.response.redirectURL`, "string");
      need(r.headersSize, `${p}.response.headersSize`, "integer");
      need(r.bodySize, `${p}.response.bodySize`, "integer");
      if (need(r.content, `${p}.response.content`, "object")) {
        const c = r.content as Record<string, Json>;
        need(c.size, `${p}.response.content.size`, "integer");
        need(c.mimeType, `${p}.response.content.mimeType`, "string");
        if (c.text !== undefined) need(c.text, `${p}.response.content.text`, "string");
        if (c.encoding !== undefined && c.encoding !== "base64") out.push(`${p}.response.content.encoding: ${JSON.stringify(c.encoding)}`);
      }
    }
    need(e.cache, `${p}.cache`, "object");
    if (need(e.timings, `${p}.timings`, "object")) {
      const t = e.timings as Record<string, Json>;
      for (const key of ["send", "wait", "receive"]) {
        if (need(t[key], `${p}.timings.${key}`, "number") && (t[key] as number) < 0) out.push(`${p}.timings.${key}: negative`);
      }
      for (const key of ["blocked", "dns", "connect", "ssl"]) {
        if (t[key] !== undefined && need(t[key], `${p}.timings.${key}`, "number") && (t[key] as number) < -1) out.push(`${p}.timings.${key}: below -1`);
      }
      const sum = ["blocked", "dns", "connect", "ssl", "send", "wait", "receive"].reduce((n, k) => n + (typeof t[k] === "number" && (t[k] as number) > 0 ? (t[k] as number) : 0), 0);
      if (typeof e.time === "number" && Math.abs(sum - e.time) > 0.01) out.push(`${p}.time: ${e.time} is not the sum of its timings (${sum})`);
    }
  });
  return out;
}
