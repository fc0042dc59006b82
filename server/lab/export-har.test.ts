// HAR entries from real HTTP/1.x bytes, read by the lab's dissector with trees (as the export rebuilds them): every
// entry is valid HAR 1.2 (har-schema.ts), and says what the bytes say.

import { describe, expect, it } from "vitest";
import { dissectHttp1 } from "../dissect/http1";
import { harContent, harEntry, harMessageOf, type HarMessage } from "./export-har";
import { harProblems } from "./har-schema";

const bytes = (s: string | Uint8Array) => (typeof s === "string" ? Uint8Array.from(Buffer.from(s, "latin1")) : s);

/** One message read from its bytes; times in ms on the host clock, the wall clock at 2026-12-05T10:00:00Z + first. */
function message(direction: "c2s" | "s2c", raw: string | Uint8Array, firstMs: number, endMs: number, method?: string): HarMessage {
  const data = bytes(raw);
  const memo = method ? { request: { method } } : undefined;
  const [frame] = dissectHttp1(data, { direction, memo });
  const m = harMessageOf(frame!, data, firstMs, endMs, Date.UTC(2026, 11, 5, 10) + firstMs);
  if (!m) throw new Error("not a message");
  return m;
}

const CONNECTION = { id: "c1", server: { ip: "127.0.0.1", port: 8080 } };
const doc = (...entries: unknown[]) => ({ log: { version: "1.2", creator: { name: "Protocol Lab", version: "0.1.0" }, entries } });

describe("HAR entries", () => {
  it("a JSON POST and its 201: headers, postData, content and timings", () => {
    const body = '{"name":"Dana","email":"dana@example.com","age":28}';
    const request = message("c2s", `POST /api/users?dry=0&tag=a&tag=b HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 10, 12);
    const answer = '{"success":true,"data":{"id":4,"name":"Dana"}}';
    const response = message("s2c", `HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: ${answer.length}\r\nLocation: /api/users/4\r\n\r\n${answer}`, 15.5, 16.25);
    const entry = harEntry(request, response, CONNECTION);
    expect(harProblems(doc(entry))).toEqual([]);
    expect(entry.startedDateTime).toBe("2026-12-05T10:00:00.010Z");
    expect(entry.timings).toEqual({ blocked: -1, dns: -1, connect: -1, ssl: -1, send: 2, wait: 3.5, receive: 0.75 });
    expect(entry.time).toBe(6.25);
    expect(entry.request.url).toBe("http://127.0.0.1:8080/api/users?dry=0&tag=a&tag=b");
    expect(entry.request.queryString).toEqual([
      { name: "dry", value: "0" },
      { name: "tag", value: "a" },
      { name: "tag", value: "b" },
    ]);
    expect(entry.request.headers).toEqual([
      { name: "Host", value: "127.0.0.1:8080" },
      { name: "Content-Type", value: "application/json" },
      { name: "Content-Length", value: String(body.length) },
    ]);
    expect(entry.request.postData).toEqual({ mimeType: "application/json", text: body });
    expect(entry.request.bodySize).toBe(body.length);
    expect(entry.response.status).toBe(201);
    expect(entry.response.statusText).toBe("Created");
    expect(entry.response.redirectURL).toBe("/api/users/4");
    expect(entry.response.content).toEqual({ size: answer.length, mimeType: "application/json", text: answer });
    expect(entry.response.headersSize + entry.response.bodySize).toBe(response.headersSize + answer.length);
  });

  it("a chunked body is joined without its chunk framing; a form's fields become params", () => {
    const request = message("c2s", "POST /api/rest/dummie HTTP/1.1\r\nHost: lab\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 17\r\n\r\nday=5&month=March", 0, 1);
    const response = message("s2c", "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n", 2, 3);
    const entry = harEntry(request, response, CONNECTION);
    expect(harProblems(doc(entry))).toEqual([]);
    expect(entry.request.postData?.params).toEqual([
      { name: "day", value: "5" },
      { name: "month", value: "March" },
    ]);
    expect(entry.response.content).toEqual({ size: 12, mimeType: "text/plain; charset=utf-8", text: "hello, world" });
    // On the wire the body had its sizes and CRLFs too.
    expect(entry.response.bodySize).toBe("5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n".length);
  });

  it("a binary or compressed body is base64; HEAD's answer has no body", () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: ${png.length}\r\n\r\n`, "latin1");
    const image = message("s2c", Uint8Array.from([...head, ...png]), 0, 1);
    expect(harContent(image)).toEqual({ size: 10, mimeType: "image/png", text: Buffer.from(png).toString("base64"), encoding: "base64" });
    const gz = message("s2c", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc", 0, 1);
    expect(harContent(gz).encoding).toBe("base64");
    const request = message("c2s", "HEAD /api/users HTTP/1.1\r\nHost: lab\r\n\r\n", 0, 0);
    const answer = message("s2c", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 120\r\n\r\n", 1, 1, "HEAD");
    const entry = harEntry(request, answer, CONNECTION);
    expect(harProblems(doc(entry))).toEqual([]);
    expect(entry.response.content).toEqual({ size: 0, mimeType: "application/json" });
    expect(entry.response.bodySize).toBe(0);
  });

  it("a request never answered is an entry with status 0 that still validates", () => {
    const request = message("c2s", "GET /slow HTTP/1.1\r\nHost: lab\r\n\r\n", 0, 0);
    const entry = harEntry(request, undefined, CONNECTION);
    expect(harProblems(doc(entry))).toEqual([]);
    expect(entry.response.status).toBe(0);
    expect(entry.response._error).toBeTruthy();
  });

  it("the checker finds what is wrong", () => {
    const request = message("c2s", "GET / HTTP/1.1\r\nHost: lab\r\n\r\n", 0, 0);
    const entry = { ...harEntry(request, undefined, CONNECTION), time: -1, cache: undefined };
    expect(harProblems(doc(entry))).toEqual([
      "log.entries[0].time: negative",
      "log.entries[0].cache: expected object, got undefined",
      "log.entries[0].time: -1 is not the sum of its timings (0)",
    ]);
    expect(harProblems({ log: { version: "1.1", entries: {} } })).toEqual([
      'log.version: expected "1.2", got "1.1"',
      "log.creator: expected object, got undefined",
      "log.entries: expected array, got {}",
    ]);
  });
});
