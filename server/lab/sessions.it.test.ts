// Sessions over real HTTP (issue 8, items 3 and 8): only page visits make them, an address cannot make
// enough to evict a class, a session in use is never evicted, and a cookie planted by a page on another
// port cannot take over a page's API calls.

import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LabService } from "@/gen/lab/v1/lab_pb";
import type { LabHost } from "./host";
import { PAGE_TOKEN_HEADER } from "./sessions";
import { startTestHost } from "../testing/host";

let host: LabHost;
/** The headers the page renderer was handed, per visited path. */
const rendered: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  host = await startTestHost([], {
    sessions: { maxSessions: 20, creationBurst: 30, creationsPerMinute: 1 },
    pages: (req, res) => {
      rendered.push({ ...req.headers });
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><title>page</title>");
    },
  });
});
afterAll(async () => {
  await host.stop();
});

const base = () => `http://127.0.0.1:${host.port("web")}`;
const idOf = (cookie: string) => cookie.split(";")[0]!.split("=")[1]!;

/** A GET with exactly these headers (fetch would put its own Sec-Fetch-Mode on it). */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; setCookie: string | undefined; retryAfter: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: host.port("web"), path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({
          status: res.statusCode!,
          setCookie: res.headers["set-cookie"]?.[0],
          retryAfter: res.headers["retry-after"],
          body: Buffer.concat(chunks).toString(),
        }));
    });
    req.on("error", reject);
  });
}

/** A browser's page visit: the session cookie it got, and the token its page was rendered with. */
async function visit(path = "/lessons/tcp", headers: Record<string, string> = {}) {
  const res = await get(path, { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", "sec-fetch-site": "none", ...headers });
  expect(res.status).toBe(200);
  const cookie = res.setCookie ? res.setCookie.split(";")[0]! : headers.cookie!;
  return { cookie, id: idOf(cookie), token: String(rendered.at(-1)![PAGE_TOKEN_HEADER]) };
}

async function call(method: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base()}/${LabService.typeName}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, setCookie: res.headers.get("set-cookie"), body: (await res.json()) as Record<string, unknown> };
}

/** Sends one echo message in a session's own lab client, and waits for its answer in the session's ring. */
async function echoIn(headers: Record<string, string>, sessionId: string) {
  const opened = await call("Open", { service: "tcp-echo" }, headers);
  expect(opened.status).toBe(200);
  const id = (opened.body.conversation as { id: string }).id;
  const sent = await call("Send", { conversationId: id, parts: [Buffer.from("hello\n").toString("base64")] }, headers);
  expect(sent.status).toBe(200);
  const ring = host.sessions.get(sessionId)!.ring;
  for (let i = 0; i < 100 && !ring.after(0, 1000).some((e) => e.direction === "s2c" && e.kind === "data"); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return id;
}

describe("lab sessions", () => {
  it("are made by a page visit, whose renderer gets the session's page token (never one the request brought)", async () => {
    const { id, token } = await visit("/lessons/tcp", { [PAGE_TOKEN_HEADER]: "forged" });
    const session = host.sessions.get(id)!;
    expect(session).toBeDefined();
    expect(token).toBe(host.sessions.pageToken(session));
    expect(rendered.at(-1)!.cookie).toBe(`lab_session=${id}`);
    // A later visit with the cookie keeps the session and its token.
    const again = await visit("/", { cookie: `lab_session=${id}` });
    expect(again.id).toBe(id);
    expect(again.token).toBe(token);
  });

  it("are never made by API calls, forms posted from other sites, or another site's subresources", async () => {
    const before = host.sessions.size;
    const api = await call("ClearTimeline", {});
    expect(api.status).toBe(401);
    expect(api.body.code).toBe("unauthenticated");
    expect(api.setCookie).toBeNull();
    // 2,000 cookieless text/plain POSTs, as a cross-site form sends them, to a page and to the API.
    for (let i = 0; i < 20; i++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          fetch(`${base()}${j % 2 ? "/" : `/${LabService.typeName}/ClearTimeline`}`, {
            method: "POST",
            headers: { "content-type": "text/plain" },
            body: "x=1",
          }).then((res) => res.arrayBuffer()),
        ),
      );
    }
    const image = await get("/", { "sec-fetch-mode": "no-cors", "sec-fetch-dest": "image", "sec-fetch-site": "cross-site" });
    expect(image.setCookie).toBeUndefined();
    const frame = await get("/", { "sec-fetch-mode": "navigate", "sec-fetch-dest": "iframe", "sec-fetch-site": "cross-site" });
    expect(frame.setCookie).toBeUndefined();
    const script = await get("/", { "sec-fetch-mode": "cors", "sec-fetch-dest": "empty", "sec-fetch-site": "cross-site" });
    expect(script.setCookie).toBeUndefined();
    expect(host.sessions.size).toBe(before);
    // A same-origin fetch of a page (Next.js's router) is a visit, and so is a link from another site.
    const router = await get("/lessons/tcp", { "sec-fetch-mode": "cors", "sec-fetch-dest": "empty", "sec-fetch-site": "same-origin" });
    expect(router.setCookie).toMatch(/^lab_session=/);
    const link = await get("/lessons/tcp", { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", "sec-fetch-site": "cross-site" });
    expect(link.setCookie).toMatch(/^lab_session=/);
  });

  it("take an API call for the session the page's token names, not a cookie another port planted", async () => {
    const attacker = await visit();
    const victim = await visit();
    // The planted cookie has the longer path, so the browser sends it first.
    const cookie = `${attacker.cookie}; ${victim.cookie}`;
    await echoIn({ cookie, [PAGE_TOKEN_HEADER]: victim.token }, victim.id);
    const victimRing = host.sessions.get(victim.id)!.ring;
    expect(victimRing.after(0, 100).some((e) => e.kind === "data" && Buffer.from(e.data).toString() === "hello\n")).toBe(true);
    expect(host.sessions.get(attacker.id)!.ring.size).toBe(0);
    // The planted cookie replaced the lab's own: the page's token still finds its session, and the
    // answer names the token that did, for the page to keep.
    const replaced = await fetch(`${base()}/${LabService.typeName}/Status`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: attacker.cookie, [PAGE_TOKEN_HEADER]: `${victim.token}, ${attacker.token}` },
      body: "{}",
    });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get(PAGE_TOKEN_HEADER)).toBe(victim.token);
    // A token that names no session is refused, whatever the cookie.
    const stray = await call("ClearTimeline", {}, { cookie: victim.cookie, [PAGE_TOKEN_HEADER]: "x".repeat(43) });
    expect(stray.status).toBe(401);
    expect(victimRing.size).toBeGreaterThan(0);
    // A caller without a page (a script) gets the cookie sent last, the one with the shortest path.
    await echoIn({ cookie }, victim.id);
    expect(host.sessions.get(attacker.id)!.ring.size).toBe(0);
    // And a pcapng download names the page's session in its link.
    const download = await fetch(`${base()}/api/sessions/current/capture.pcapng?page=${attacker.token}`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).includes(Buffer.from("hello\n"))).toBe(false);
  });

  it("an address that makes too many is refused with 429, and the sessions in use lose nothing", async () => {
    const victim = await visit();
    const headers = { cookie: victim.cookie, [PAGE_TOKEN_HEADER]: victim.token };
    await echoIn(headers, victim.id);
    const watch = new AbortController();
    const streaming = fetch(`${base()}/${LabService.typeName}/Watch`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/connect+json" },
      body: Buffer.concat([Buffer.from([0, 0, 0, 0, 2]), Buffer.from("{}")]),
      signal: watch.signal,
    });
    const stream = await streaming;
    expect(stream.status).toBe(200);
    const held = host.sessions.get(victim.id)!.ring.size;
    // Visits until refused: a full store evicts idle sessions, never the victim's (a Watch stream and a client).
    let refused: Awaited<ReturnType<typeof get>> | undefined;
    let made = 0;
    const before = host.sessions.size;
    for (let i = 0; i < 100 && !refused; i++) {
      const res = await get("/", {});
      if (res.status === 429) refused = res;
      else made++;
    }
    // The store filled up (20), and idle sessions made room until the address ran out of allowance: more
    // of them than there were sessions before, so the eviction passed the victim's (older) session by.
    const evicted = made - (20 - before);
    expect(evicted).toBeGreaterThanOrEqual(before);
    expect(host.sessions.size).toBe(20);
    expect(refused).toBeDefined();
    expect(refused!.setCookie).toBeUndefined();
    expect(refused!.retryAfter).toBe("60");
    expect(refused!.body).toMatch(/Too many new lab sessions.*\n\nС этого адреса/s);
    expect(host.sessions.get(victim.id)?.ring.size).toBe(held);
    // Its client still works, and so does a page that already has a session.
    await echoIn(headers, victim.id);
    expect(host.sessions.get(victim.id)!.ring.size).toBeGreaterThan(held);
    expect((await visit("/", { cookie: victim.cookie })).id).toBe(victim.id);
    watch.abort();
    await stream.body?.cancel().catch(() => {});
  });
});
