import { describe, expect, it } from "vitest";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import { utf8 } from "../lesson-kit/bytes";
import { chunksOf, connectionsOf, headerValue, messageBytes, messageLines, preflightVerdict } from "./model";

// The lab's answer to seed 003's GET / (server/servers/http/redirects.ts), as the tap records it.
const REDIRECT_ANSWER =
  "HTTP/1.1 302 Found\r\nContent-Type: text/html\r\nLocation: /posts\r\nContent-Length: 5\r\nConnection: keep-alive\r\n\r\n<html";

let seq = 0n;
const ev = (direction: Direction, text: string, kind = EventKind.DATA) => ({ seq: ++seq, kind, direction, data: utf8(text) });

describe("messageLines", () => {
  it("cuts a response into its start line, headers, the empty line and the body, keeping each line's ending", () => {
    const lines = messageLines(utf8(REDIRECT_ANSWER));
    expect(lines.map((l) => l.part)).toEqual(["start", "header", "header", "header", "header", "blank", "body"]);
    expect(lines[0]).toEqual({ part: "start", text: "HTTP/1.1 302 Found", ending: "\r\n" });
    expect(lines[5]).toEqual({ part: "blank", text: "", ending: "\r\n" });
    expect(lines[6]).toEqual({ part: "body", text: "<html", ending: "" });
  });

  it("reads an interim 100 Continue and the final answer after it, and a bare LF as what it is", () => {
    const lines = messageLines(utf8("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\nContent-Length: 2\n\nok"));
    expect(lines.filter((l) => l.part === "start").map((l) => l.text)).toEqual(["HTTP/1.1 100 Continue", "HTTP/1.1 200 OK"]);
    expect(lines.find((l) => l.part === "header")?.ending).toBe("\n");
    expect(lines.at(-1)).toEqual({ part: "body", text: "ok", ending: "" });
  });

  it("leaves a head that has not ended as header lines, with no body", () => {
    expect(messageLines(utf8("GET / HTTP/1.1\r\nHost: x")).map((l) => l.part)).toEqual(["start", "header"]);
    expect(messageLines(new Uint8Array(0))).toEqual([]);
  });
});

describe("messageBytes", () => {
  it("joins one way's DATA events from the given seq until the other side speaks, skipping segments", () => {
    const request = ev(Direction.CLIENT_TO_SERVER, "GET / HTTP/1.1\r\n\r\n");
    const a = ev(Direction.SERVER_TO_CLIENT, "HTTP/1.1 100 Continue\r\n\r\n");
    const segment = ev(Direction.SERVER_TO_CLIENT, "ignored", EventKind.SEGMENT);
    const b = ev(Direction.SERVER_TO_CLIENT, "HTTP/1.1 200 OK\r\n\r\n");
    const next = ev(Direction.CLIENT_TO_SERVER, "GET /2 HTTP/1.1\r\n\r\n");
    const later = ev(Direction.SERVER_TO_CLIENT, "HTTP/1.1 404 Not Found\r\n\r\n");
    const events = [request, a, segment, b, next, later];
    expect(new TextDecoder().decode(messageBytes(events, a.seq, Direction.SERVER_TO_CLIENT))).toBe("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
    expect(new TextDecoder().decode(messageBytes(events, request.seq, Direction.CLIENT_TO_SERVER))).toBe("GET / HTTP/1.1\r\n\r\n");
    expect(messageBytes(events, later.seq + 1n, Direction.SERVER_TO_CLIENT)).toHaveLength(0);
  });
});

describe("chunksOf", () => {
  it("reads the size lines of /http/drip's chunked body, up to the last chunk", () => {
    const answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nd\r\nchunk 1 of 2\n\r\nd\r\nchunk 2 of 2\n\r\n0\r\n\r\n";
    expect(chunksOf(utf8(answer))).toEqual([
      { sizeLine: "d", size: 13, data: "chunk 1 of 2\n" },
      { sizeLine: "d", size: 13, data: "chunk 2 of 2\n" },
      { sizeLine: "0", size: 0, data: "" },
    ]);
  });

  it("leaves out a chunk cut short, and reads a size with an extension", () => {
    expect(chunksOf(utf8("HTTP/1.1 200 OK\r\n\r\n5;x=1\r\nhello\r\n9\r\nhal"))).toEqual([{ sizeLine: "5;x=1", size: 5, data: "hello" }]);
  });
});

describe("preflightVerdict", () => {
  // The users API's answer to OPTIONS (seed 000's do_OPTIONS).
  const answer = [
    { name: "Access-Control-Allow-Origin", value: "*" },
    { name: "Access-Control-Allow-Methods", value: "GET, POST, PUT, DELETE, OPTIONS" },
    { name: "Access-Control-Allow-Headers", value: "Content-Type" },
  ];

  it("allows a PUT with Content-Type from any origin, and refuses a PATCH the list does not name", () => {
    expect(preflightVerdict(answer, "http://127.0.0.1:3000", "PUT", ["content-type"], 200)).toEqual({ origin: true, method: true, headers: true, allowed: true });
    expect(preflightVerdict(answer, "http://127.0.0.1:3000", "PATCH", ["content-type"], 200)).toMatchObject({ method: false, allowed: false });
  });

  it("refuses a header not listed, another origin, and any answer that is not 2xx", () => {
    expect(preflightVerdict(answer, "http://a", "PUT", ["x-token"], 200)).toMatchObject({ headers: false, allowed: false });
    const other = [{ name: "access-control-allow-origin", value: "http://b" }, ...answer.slice(1)];
    expect(preflightVerdict(other, "http://a", "GET", [], 200)).toMatchObject({ origin: false, method: true, allowed: false });
    expect(preflightVerdict(answer, "http://a", "PUT", [], 404).allowed).toBe(false);
  });
});

describe("small readers", () => {
  it("find a header by any case, and the connections in first-use order", () => {
    expect(headerValue([{ name: "ETag", value: '"x"' }], "etag")).toBe('"x"');
    expect(headerValue([], "etag")).toBeUndefined();
    expect(connectionsOf([{ conversationId: "b" }, { conversationId: "a" }, { conversationId: "b" }, { conversationId: "" }])).toEqual(["b", "a"]);
  });
});
