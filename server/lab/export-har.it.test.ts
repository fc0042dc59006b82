// The HAR export of real curl traffic (issue 11 §4): curl, a real child process from the browser's address, runs
// seed 000's calls against the lab's HTTP server (one request per run, and two on one kept-alive connection); the
// session's HAR (GET /api/sessions/current/exchanges.har) must be valid HAR 1.2 and hold what curl got: the statuses,
// the headers and the bodies, in order.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HarEntry } from "./export-har";
import { harProblems } from "./har-schema";
import type { LabHost } from "./host";
import { sleep, startTestHost } from "../testing/host";

const run = promisify(execFile);

interface CurlAnswer {
  readonly status: number;
  readonly headers: { name: string; value: string }[];
  readonly body: string;
}

/** The header blocks curl wrote with -D (one per response, 1xx included), final ones only. */
function headerBlocks(text: string): { status: number; headers: { name: string; value: string }[] }[] {
  return text
    .split(/\r\n\r\n/)
    .filter((block) => block.startsWith("HTTP/"))
    .map((block) => {
      const [line, ...rest] = block.split("\r\n");
      return {
        status: Number(line!.split(" ")[1]),
        headers: rest.map((h) => ({ name: h.slice(0, h.indexOf(":")), value: h.slice(h.indexOf(":") + 1).trim() })),
      };
    })
    .filter((b) => b.status >= 200);
}

let host: LabHost;
let base: string;
let api: string;
let cookie: string;
const dir = mkdtempSync(path.join(tmpdir(), "lab-har-"));

beforeAll(async () => {
  host = await startTestHost();
  base = `http://127.0.0.1:${host.port("web")}`;
  api = `http://127.0.0.1:${host.port("http")}`;
  // A page visit from 127.0.0.1: curl's traffic from this address is this session's.
  cookie = (await fetch(`${base}/`)).headers.get("set-cookie")!.split(";")[0]!;
});
afterAll(async () => {
  await host?.stop();
});

/** One curl run: its requests' answers as curl saw them (-D and one -o per URL). */
async function curl(name: string, args: readonly string[], urls: readonly string[]): Promise<CurlAnswer[]> {
  const outputs = urls.map((_, i) => path.join(dir, `${name}-${i}.body`));
  const headerFile = path.join(dir, `${name}.headers`);
  await run("curl", ["-sS", "--http1.1", "-D", headerFile, ...args, ...urls.flatMap((url, i) => [url, "-o", outputs[i]!])]);
  const blocks = headerBlocks(readFileSync(headerFile, "latin1"));
  return blocks.map((b, i) => ({ ...b, body: readFileSync(outputs[i]!, "utf8") }));
}

describe("HAR export of curl traffic", () => {
  let got: CurlAnswer[] = [];
  let entries: HarEntry[] = [];

  beforeAll(async () => {
    const list = await curl("list", [], [`${api}/api/users`]);
    const created = await curl(
      "create",
      ["-X", "POST", "-H", "Content-Type: application/json", "--data-raw", '{"name":"Dana","email":"dana@example.com","age":28}'],
      [`${api}/api/users`],
    );
    // Two requests on one kept-alive connection.
    const pair = await curl("pair", [], [`${api}/api/health`, `${api}/api/users/999?verbose=1`]);
    got = [...list, ...created, ...pair];
    await sleep(300);
    const res = await fetch(`${base}/api/sessions/current/exchanges.har`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="protocol-lab-.*\.har"$/);
    const har = (await res.json()) as { log: { entries: HarEntry[]; creator: { name: string } } };
    expect(harProblems(har)).toEqual([]);
    expect(har.log.creator.name).toBe("Protocol Lab");
    entries = har.log.entries;
  });

  it("holds one entry per request, in order, with the statuses curl got", () => {
    expect(got.map((a) => a.status)).toEqual([200, 201, 200, 404]);
    expect(entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response.status}`)).toEqual([
      "GET /api/users 200",
      "POST /api/users 201",
      "GET /api/health 200",
      "GET /api/users/999 404",
    ]);
    expect(entries.map((e) => e.response.status)).toEqual(got.map((a) => a.status));
  });

  it("has the headers and bodies curl got, and what curl sent", () => {
    entries.forEach((entry, i) => {
      const answer = got[i]!;
      expect(entry.response.headers).toEqual(answer.headers);
      expect(entry.response.content.text).toBe(answer.body);
      expect(entry.response.content.size).toBe(Buffer.byteLength(answer.body));
    });
    expect(JSON.parse(got[0]!.body)).toMatchObject({ success: true, count: 3 });
    const post = entries[1]!.request;
    expect(post.postData).toEqual({ mimeType: "application/json", text: '{"name":"Dana","email":"dana@example.com","age":28}' });
    expect(post.headers.find((h) => h.name === "User-Agent")?.value).toMatch(/^curl\//);
    expect(entries[3]!.request.queryString).toEqual([{ name: "verbose", value: "1" }]);
  });

  it("says the kept-alive pair shared a connection, and times every exchange", () => {
    expect(entries[2]!.connection).toBe(entries[3]!.connection);
    expect(entries[1]!.connection).not.toBe(entries[2]!.connection);
    for (const entry of entries) {
      expect(entry.timings.wait).toBeGreaterThan(0);
      expect(entry.time).toBeGreaterThanOrEqual(entry.timings.wait);
    }
  });
});
