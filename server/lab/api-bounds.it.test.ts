// The control API bounds every body before it reads it and while it inflates it, and answers bad bodies
// as the client's error (issue 8, items 1 and 10): attacked here the way the issue found it, over real
// sockets, with an unrelated student's echo client watching that the host keeps serving others.

import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LabService } from "@/gen/lab/v1/lab_pb";
import type { LabHost } from "./host";
import { LIMITS } from "./service";
import { startTestHost } from "../testing/host";
import { httpRequest, rawHttp, startEchoProbe } from "../attack/probes";

const INFLATED = 64 * 1024 * 1024; // 32 times the limit
let host: LabHost;
let base: string;
let cookie: string;
const logged: string[] = [];
let brotliBomb: Buffer;
let gzipBomb: Buffer;

beforeAll(async () => {
  host = await startTestHost([], { log: (line) => logged.push(line) });
  base = `http://127.0.0.1:${host.port("web")}`;
  cookie = (await fetch(`${base}/`)).headers.get("set-cookie")!.split(";")[0]!;
  // `{}` and 64 MiB of spaces: valid JSON once inflated, so only a bound on inflating stops it.
  const json = Buffer.alloc(INFLATED, 0x20);
  json.write("{}");
  brotliBomb = zlib.brotliCompressSync(json, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } });
  gzipBomb = zlib.gzipSync(Buffer.alloc(INFLATED), { level: 1 });
});
afterAll(async () => {
  await host.stop();
});

const path = (method: string) => `/${LabService.typeName}/${method}`;

/** Peak RSS growth while `work` runs, sampled every 5 ms. */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
  global.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss()) - before;
}

/** Opens a lab client to the echo server and sends it the most one Send may carry, as JSON. */
async function sendLargest(cookie: string) {
  const lab = await fetch(`${base}${path("Open")}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ service: "tcp-echo" }),
  });
  const { conversation } = (await lab.json()) as { conversation: { id: string } };
  const parts = [Buffer.alloc(LIMITS.bytesPerSend, 0x61).toString("base64")];
  return fetch(`${base}${path("Send")}`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ conversationId: conversation.id, parts }),
  });
}

describe("the control API bounds what it reads", () => {
  it("refuses brotli and gzip bombs to ClearTimeline and Send with RESOURCE_EXHAUSTED; RSS stays bounded and echo keeps answering", async () => {
    expect(brotliBomb.length).toBeLessThan(INFLATED / 1000);
    const echo = startEchoProbe(host.port("tcp-echo"));
    const answers: { status: number; body: string }[] = [];
    const growth = await peakRssGrowth(async () => {
      const bombs = Array.from({ length: 4 }, () => [
        httpRequest(host.port("web"), {
          method: "POST",
          path: path("ClearTimeline"),
          headers: { cookie, "content-type": "application/json", "content-encoding": "br" },
          body: brotliBomb,
        }),
        httpRequest(host.port("web"), {
          method: "POST",
          path: path("Send"),
          headers: { cookie, "content-type": "application/proto", "content-encoding": "gzip" },
          body: gzipBomb,
        }),
      ]).flat();
      for (const answer of await Promise.all(bombs)) answers.push({ status: answer.status, body: answer.body.toString() });
    });
    const stats = await echo.stop();
    for (const answer of answers) {
      expect(answer.status).toBe(429);
      expect(JSON.parse(answer.body)).toMatchObject({ code: "resource_exhausted" });
    }
    // Eight bombs of 64 MiB each would take 512 MiB inflated; bounded, they take a few.
    expect(growth).toBeLessThan(64 * 1024 * 1024);
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBeGreaterThan(0);
    // The session was not touched: a ClearTimeline that inflated would have succeeded.
    expect(host.sessions.size).toBeGreaterThan(0);
  });

  it("refuses a Content-Length of 4294967295 before reading the body, and closes the connection soon after", async () => {
    let written = 0;
    const growth = await peakRssGrowth(async () => {
      const answer = await rawHttp(
        host.port("web"),
        `POST ${path("ClearTimeline")} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 4294967295\r\n\r\n`,
        {
          timeoutMs: 5_000,
          untilClosed: true,
          // The attacker keeps sending; the host must neither wait for it nor keep it.
          then: (socket) => {
            const chunk = Buffer.alloc(256 * 1024, 0x20);
            const timer = setInterval(() => {
              if (socket.destroyed || written > 64 * 1024 * 1024) return clearInterval(timer);
              socket.write(chunk);
              written += chunk.length;
            }, 5);
            socket.once("close", () => clearInterval(timer));
          },
        },
      );
      expect(answer.status).toBe(429);
      expect(JSON.parse(answer.body)).toMatchObject({ code: "resource_exhausted" });
      // Answered before the body, and the connection closed after a second of dropping the rest.
      expect(answer.closed).toBe(true);
      expect(answer.ms).toBeLessThan(2_500);
    });
    expect(growth).toBeLessThan(32 * 1024 * 1024);
  });

  it("fails a JSON Send over the limit once the limit is read, before the rest arrives or is parsed", async () => {
    // Chunked, so the size is not announced: the host has to count.
    const head = `POST ${path("Send")} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    let sent = 0;
    const total = 16 * 1024 * 1024;
    const answer = await rawHttp(host.port("web"), head, {
      timeoutMs: 10_000,
      then: (socket) => {
        const piece = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
        socket.write(piece(`{"conversationId":"x","parts":["`));
        const chunk = piece("A".repeat(64 * 1024));
        const timer = setInterval(() => {
          if (socket.destroyed || sent >= total) return clearInterval(timer);
          socket.write(chunk);
          sent += 64 * 1024;
        }, 2);
        socket.once("close", () => clearInterval(timer));
      },
    });
    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.body)).toMatchObject({ code: "resource_exhausted" });
    expect(sent).toBeLessThan(total);
    expect(sent).toBeGreaterThanOrEqual(LIMITS.bytesPerRequest - 64 * 1024);
  });

  it("still takes a Send of the largest size a call allows, in JSON", async () => {
    const res = await sendLargest(cookie);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytesWritten: String(LIMITS.bytesPerSend) });
  });
});

describe("the control API answers bad bodies as the client's error", () => {
  it("gives a binary body that is not the method's message 400 INVALID_ARGUMENT, not 500", async () => {
    for (const method of ["ClearTimeline", "Send", "Open", "Status"]) {
      const answer = await httpRequest(host.port("web"), {
        method: "POST",
        path: path(method),
        headers: { cookie, "content-type": "application/proto" },
        body: Uint8Array.of(0xff, 0xff, 0xff),
      });
      expect(answer.status, method).toBe(400);
      expect(JSON.parse(answer.body.toString()), method).toMatchObject({ code: "invalid_argument" });
    }
    // So is gzip that does not inflate.
    const answer = await httpRequest(host.port("web"), {
      method: "POST",
      path: path("ClearTimeline"),
      headers: { cookie, "content-type": "application/proto", "content-encoding": "gzip" },
      body: Uint8Array.of(0x1f, 0x8b, 1, 2, 3),
    });
    expect(answer.status).toBe(400);
    expect(logged).toEqual([]);
  });

  it("ends a Watch whose request message does not decode with INVALID_ARGUMENT", async () => {
    const envelope = Uint8Array.of(0, 0, 0, 0, 3, 0xff, 0xff, 0xff);
    const answer = await httpRequest(host.port("web"), {
      method: "POST",
      path: path("Watch"),
      headers: { cookie, "content-type": "application/connect+proto" },
      body: envelope,
    });
    expect(answer.status).toBe(200);
    // The end-of-stream message (flag 0x02) carries the error as JSON.
    expect(answer.body[0]).toBe(0x02);
    expect(JSON.parse(answer.body.subarray(5).toString())).toMatchObject({ error: { code: "invalid_argument" } });
  });
});
