// The attacks of issue 8 as functions: each one does what a hostile student did, bounded in count and
// time, and reports what it did and what the host answered. None of them measures anything else: the
// suite (suite.ts) runs them against a host with an unrelated student watching, and the integration
// tests call them with small numbers.

import dgram from "node:dgram";
import net from "node:net";
import zlib from "node:zlib";
import { LabService } from "@/gen/lab/v1/lab_pb";
import { readPcapng } from "../capture/pcapng";
import { httpRequest, rawHttp, type HttpAnswer } from "./probes";

export interface Target {
  readonly webPort: number;
  readonly echoPort: number;
  /** The UDP echo's port (udp-echo), for the datagram flood. */
  readonly udpEchoPort?: number;
  /** The victim's session cookie (`lab_session=...`): a student using the lab meanwhile. */
  readonly cookie: string;
  /** What the host keeps, asked of the host process (the suite's child answers it). */
  readonly capture?: (cookies: readonly string[]) => Promise<CaptureStats>;
}

/** The host's event store and the timelines of some sessions, as the host reports them. */
export interface CaptureStats {
  readonly store: { readonly events: number; readonly bytes: number; readonly dropped: number; readonly maxBytes: number };
  /** One per cookie asked about, in order; undefined for a session that is gone. */
  readonly rings: readonly ({ readonly events: number; readonly bytes: number; readonly newestSeq: number } | undefined)[];
}

export interface AttackReport {
  readonly name: string;
  /** What the attack did, in one line. */
  readonly did: string;
  /** What the host answered, counted by kind ("429 resource_exhausted": 8). */
  readonly answers: Readonly<Record<string, number>>;
  /** Every answer was the refusal the attack should get (the protocol's error, or a closed connection). */
  readonly refused: boolean;
  /** What did not go as it should, one line each. */
  readonly problems: readonly string[];
}

const api = (method: string) => `/${LabService.typeName}/${method}`;

function count(answers: Record<string, number>, key: string) {
  answers[key] = (answers[key] ?? 0) + 1;
}

/** "429 resource_exhausted": the HTTP status and, for a Connect error body, its code. */
function kindOf(status: number, body: string | Buffer): string {
  try {
    const code = (JSON.parse(body.toString()) as { code?: unknown }).code;
    if (typeof code === "string") return `${status} ${code}`;
  } catch {
    // not a Connect error
  }
  return String(status);
}

function report(name: string, did: string, answers: Record<string, number>, expected: readonly string[], problems: string[] = []): AttackReport {
  for (const [kind, n] of Object.entries(answers)) {
    if (!expected.includes(kind)) problems.push(`${n} answer(s) "${kind}", expected ${expected.map((e) => `"${e}"`).join(" or ")}`);
  }
  return { name, did, answers, refused: problems.length === 0, problems };
}

const bombs = new Map<string, Buffer>();
/** A compressed body that inflates to `mib` MiB (made once per size and kind). */
export function bomb(kind: "br" | "gzip", mib: number): Buffer {
  const key = `${kind}/${mib}`;
  let made = bombs.get(key);
  if (!made) {
    // `{}` and spaces: valid JSON once inflated, so only a bound on inflating stops it.
    const plain = Buffer.alloc(mib * 1024 * 1024, 0x20);
    plain.write("{}");
    made =
      kind === "br"
        ? zlib.brotliCompressSync(plain, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })
        : zlib.gzipSync(plain, { level: 1 });
    bombs.set(key, made);
  }
  return made;
}

/** Item 1: compression bombs, brotli to ClearTimeline (JSON) and gzip to Send (binary), in parallel. */
export async function compressionBombs(target: Target, options: { inflatedMiB: number; parallel: number }): Promise<AttackReport> {
  const br = bomb("br", options.inflatedMiB);
  const gz = bomb("gzip", options.inflatedMiB);
  const answers: Record<string, number> = {};
  const calls: Promise<HttpAnswer>[] = [];
  for (let i = 0; i < options.parallel; i++) {
    calls.push(
      httpRequest(target.webPort, {
        method: "POST",
        path: api("ClearTimeline"),
        headers: { cookie: target.cookie, "content-type": "application/json", "content-encoding": "br" },
        body: br,
      }),
      httpRequest(target.webPort, {
        method: "POST",
        path: api("Send"),
        headers: { cookie: target.cookie, "content-type": "application/proto", "content-encoding": "gzip" },
        body: gz,
      }),
    );
  }
  for (const result of await Promise.allSettled(calls)) {
    count(answers, result.status === "fulfilled" ? kindOf(result.value.status, result.value.body) : `failed: ${String(result.reason)}`);
  }
  return report(
    "compression bombs",
    `${options.parallel} x brotli ${br.length} B -> ClearTimeline and ${options.parallel} x gzip ${gz.length} B -> Send, each inflating to ${options.inflatedMiB} MiB`,
    answers,
    ["429 resource_exhausted"],
  );
}

/** Item 1: bodies that announce 4 GiB and keep coming. */
export async function hugeContentLength(target: Target, options: { parallel: number; sendMiB: number }): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const problems: string[] = [];
  const head = `POST ${api("ClearTimeline")} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${target.cookie}\r\nContent-Type: application/json\r\nContent-Length: 4294967295\r\n\r\n`;
  const results = await Promise.all(
    Array.from({ length: options.parallel }, () =>
      rawHttp(target.webPort, head, {
        timeoutMs: 10_000,
        untilClosed: true,
        then: (socket) => keepWriting(socket, options.sendMiB * 1024 * 1024),
      }),
    ),
  );
  for (const r of results) {
    count(answers, r.status === 0 ? `no answer (${r.error ?? "timeout"})` : `${kindOf(r.status, r.body)}${r.closed ? ", then closed" : ", left open"}`);
    // The host reads on for a second at most (dropRestOfBody), then closes.
    if (r.ms > 3_000) problems.push(`a connection stayed open ${Math.round(r.ms)} ms`);
  }
  return report(
    "Content-Length: 4294967295",
    `${options.parallel} requests announcing 4 GiB to ClearTimeline, each sending up to ${options.sendMiB} MiB as fast as taken`,
    answers,
    ["429 resource_exhausted, then closed"],
    problems,
  );
}

/** Resolves when the socket can take more, or is gone. */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off("drain", done).off("close", done).off("error", done);
      resolve();
    };
    socket.on("drain", done).on("close", done).on("error", done);
  });
}

/** Writes `piece` as fast as the connection takes it, up to `limit` bytes or until it closes. */
function keepWriting(socket: net.Socket, limit: number, piece: Uint8Array = Buffer.alloc(256 * 1024, 0x20), onWrite?: (bytes: number) => void) {
  let written = 0;
  void (async () => {
    while (!socket.destroyed && written < limit) {
      written += piece.length;
      onWrite?.(written);
      if (!socket.write(piece)) await drained(socket);
    }
  })();
}

/** Item 1: a JSON Send far over the limit, chunked (the size is not announced), sent as fast as taken. */
export async function oversizedJsonSend(target: Target, options: { mib: number }): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const problems: string[] = [];
  const head = `POST ${api("Send")} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${target.cookie}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
  let sent = 0;
  const total = options.mib * 1024 * 1024;
  const piece = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
  const result = await rawHttp(target.webPort, head + piece(`{"conversationId":"x","parts":["`), {
    timeoutMs: 20_000,
    then: (socket) => keepWriting(socket, total, Buffer.from(piece("A".repeat(64 * 1024))), (bytes) => (sent = bytes)),
  });
  count(answers, result.status === 0 ? `no answer (${result.error ?? "timeout"})` : kindOf(result.status, result.body));
  if (sent >= total) problems.push(`the host let all ${options.mib} MiB be sent before answering`);
  return report("oversized JSON Send", `one ${options.mib} MiB JSON Send, chunked; the host answered after ${(sent / 1024 / 1024).toFixed(1)} MiB`, answers, ["429 resource_exhausted"], problems);
}

/**
 * Item 6: slowloris. `count` connections spread over `addresses` (local addresses such as 127.0.0.2:
 * every one of 127/8 reaches a loopback server), each sending a request's headers one line every
 * `lineEveryMs` and never finishing them. Waits until the host has closed all of them, at most `waitMs`.
 */
export async function slowHeaders(
  target: Target,
  options: { count: number; addresses: readonly string[]; lineEveryMs: number; waitMs: number },
): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const problems: string[] = [];
  const sockets: Promise<void>[] = [];
  const timers = new Set<NodeJS.Timeout>();
  for (let i = 0; i < options.count; i++) {
    const localAddress = options.addresses[i % options.addresses.length];
    sockets.push(
      new Promise<void>((resolve) => {
        const socket = net.connect({ host: "127.0.0.1", port: target.webPort, localAddress });
        let text = "";
        let connected = false;
        let line = 0;
        socket.on("connect", () => {
          connected = true;
          socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
          const timer = setInterval(() => socket.write(`X-Slow-${line++}: ${"a".repeat(20)}\r\n`), options.lineEveryMs);
          timers.add(timer);
          socket.once("close", () => {
            clearInterval(timer);
            timers.delete(timer);
          });
        });
        socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
        socket.on("error", () => undefined);
        socket.on("close", () => {
          const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
          count(answers, !connected ? "not accepted" : status ? `${status} then closed` : "closed without an answer");
          resolve();
        });
      }),
    );
  }
  const all = Promise.all(sockets);
  const gaveUp = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), options.waitMs))]);
  if (gaveUp) {
    const open = options.count - Object.values(answers).reduce((a, b) => a + b, 0);
    problems.push(`${open} connection(s) still open after ${options.waitMs} ms`);
    for (const t of timers) clearInterval(t);
  }
  return report(
    "slow headers",
    `${options.count} connections from ${options.addresses.join(", ")}, a header line every ${options.lineEveryMs} ms, never finished`,
    answers,
    // Each one is closed by the host: with 408 when its time is up, at once (the port or its address
    // was full), or when a newcomer pushed it out.
    ["408 then closed", "closed without an answer", "not accepted"],
    problems,
  );
}

/**
 * Item 6: connections that ask to be upgraded (WebSocket) and then say nothing: an upgraded socket is
 * out of the HTTP server's timeouts, so the host must not keep one it has no use for.
 */
export async function upgradeRequests(target: Target, options: { count: number }): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const results = await Promise.all(
    Array.from({ length: options.count }, () =>
      rawHttp(target.webPort, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", {
        timeoutMs: 5_000,
        untilClosed: true,
      }),
    ),
  );
  for (const r of results) count(answers, r.closed ? (r.status ? `${r.status} then closed` : "closed without an answer") : "left open");
  return report("upgrade requests", `${options.count} WebSocket upgrade requests to the web port, then silence`, answers, ["closed without an answer"]);
}

/** Item 7: DNS rebinding: every route with a Host that is not the lab's. */
export async function dnsRebinding(target: Target): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const evil = { host: "evil.example", cookie: target.cookie };
  const calls = [
    httpRequest(target.webPort, { path: "/", headers: evil }),
    httpRequest(target.webPort, { path: "/lessons/tcp", headers: evil }),
    httpRequest(target.webPort, { path: "/api/status", headers: evil }),
    httpRequest(target.webPort, { path: "/api/sessions/current/capture.pcapng", headers: evil }),
    httpRequest(target.webPort, { method: "POST", path: api("Status"), headers: { ...evil, "content-type": "application/json" }, body: "{}" }),
    httpRequest(target.webPort, { method: "POST", path: api("ClearTimeline"), headers: { ...evil, "content-type": "application/json" }, body: "{}" }),
  ];
  for (const r of await Promise.allSettled(calls)) count(answers, r.status === "fulfilled" ? kindOf(r.value.status, r.value.body) : "failed");
  return report("DNS rebinding", "6 requests (pages, status, pcapng export, two API calls) with Host: evil.example", answers, ["421", "421 permission_denied"]);
}

/**
 * Item 10: binary bodies that are not the method's message, `parallel` at a time (a flood of
 * connections from one address is the slow-headers attack's business, not this one's).
 */
export async function badBodies(target: Target, options: { count: number; parallel?: number }): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const methods = ["ClearTimeline", "Send", "Open", "Close", "Status"];
  const parallel = options.parallel ?? 10;
  for (let start = 0; start < options.count; start += parallel) {
    const calls = Array.from({ length: Math.min(parallel, options.count - start) }, (_, k) =>
      httpRequest(target.webPort, {
        method: "POST",
        path: api(methods[(start + k) % methods.length]!),
        headers: { cookie: target.cookie, "content-type": "application/proto" },
        body: Uint8Array.of(0xff, 0xff, 0xff, (start + k) & 0xff),
      }),
    );
    for (const r of await Promise.allSettled(calls)) count(answers, r.status === "fulfilled" ? kindOf(r.value.status, r.value.body) : "failed");
  }
  return report("bad binary bodies", `${options.count} calls whose protobuf body does not parse, ${parallel} at a time`, answers, ["400 invalid_argument"]);
}

/**
 * Item 10: Watch streams whose browser goes away while the host writes to them, from a session of
 * their own (replaying a long timeline is another attack, item 2's).
 */
export async function abortedWatches(target: Target, options: { count: number }): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const [cookie] = await newSessions(target, 1);
  const body = Buffer.concat([Buffer.from([0, 0, 0, 0, 2]), Buffer.from("{}")]);
  const head = `POST ${api("Watch")} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nContent-Type: application/connect+json\r\nContent-Length: ${body.length}\r\n\r\n`;
  const results = await Promise.all(
    Array.from({ length: options.count }, () =>
      rawHttp(target.webPort, Buffer.concat([Buffer.from(head), body]), {
        timeoutMs: 10_000,
        then: (socket) => socket.once("data", () => socket.destroy()),
      }),
    ),
  );
  for (const r of results) count(answers, r.status === 200 ? "200, then the browser left" : `${r.status || (r.error ?? "no answer")}`);
  return report("aborted Watch streams", `${options.count} Watch streams closed by the browser after their first bytes`, answers, ["200, then the browser left"]);
}

/**
 * Item 10: pcapng downloads at once, one per session (`cookies`, from newSessions; fillTimeline gives
 * their timelines something to hold).
 */
export async function parallelExports(target: Target, options: { cookies: readonly string[] }): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const problems: string[] = [];
  const calls = options.cookies.map((cookie) =>
    httpRequest(target.webPort, { path: "/api/sessions/current/capture.pcapng", headers: { cookie } }),
  );
  let packets = 0;
  let bytes = 0;
  for (const r of await Promise.allSettled(calls)) {
    if (r.status !== "fulfilled") {
      count(answers, "failed");
      continue;
    }
    count(answers, String(r.value.status));
    if (r.value.status !== 200) continue;
    // Each is a pcapng file (its section header block); one is read whole, which is work on this side
    // of the wire that the probes running meanwhile should not be charged with eight times.
    if (r.value.body.readUInt32LE(0) !== 0x0a0d0d0a) problems.push("a download is not a pcapng file");
    else if (packets === 0) {
      try {
        packets = readPcapng(r.value.body).packets.length;
      } catch (err) {
        problems.push(`a download is not a pcapng file: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    bytes = Math.max(bytes, r.value.body.length);
  }
  return report(
    "parallel pcapng exports",
    `${options.cookies.length} sessions download their capture at once (${packets} packets, ${(bytes / 1024 / 1024).toFixed(1)} MiB each)`,
    answers,
    ["200"],
    problems,
  );
}

/**
 * Item 3: sessions made to evict a class. 2,000 cookieless text/plain POSTs (what a cross-site form
 * sends) once made 2,000 sessions and wiped the victim's timeline; now only a page visit makes one.
 * Then page visits from one address until it is refused: it may start `burst` at once, no more.
 */
export async function sessionFlood(target: Target, options: { posts: number; visits: number; burst: number; fromAddress: string }): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const problems: string[] = [];
  let made = 0;
  for (let start = 0; start < options.posts; start += 50) {
    const calls = Array.from({ length: Math.min(50, options.posts - start) }, (_, k) =>
      httpRequest(target.webPort, {
        method: "POST",
        path: (start + k) % 2 === 0 ? "/" : api("ClearTimeline"),
        headers: { host: "127.0.0.1", "content-type": "text/plain" },
        body: "session=please",
        localAddress: options.fromAddress,
      }),
    );
    for (const r of await Promise.allSettled(calls)) {
      if (r.status !== "fulfilled") {
        count(answers, "POST failed");
        continue;
      }
      if (r.value.headers["set-cookie"]) made++;
      count(answers, `POST ${kindOf(r.value.status, r.value.body)}`);
    }
  }
  if (made > 0) problems.push(`${made} cookieless POSTs were given a session`);
  let visitsMade = 0;
  for (let i = 0; i < options.visits; i++) {
    const visit = await httpRequest(target.webPort, { path: "/lessons/tcp", headers: { host: "127.0.0.1" }, localAddress: options.fromAddress });
    if (visit.headers["set-cookie"]) visitsMade++;
    count(answers, `visit ${visit.status}`);
  }
  if (visitsMade > options.burst) problems.push(`one address started ${visitsMade} sessions at once (allowed ${options.burst})`);
  if (visitsMade === 0) problems.push("no page visit made a session");
  // A page answers 404 here (the host serves no web app in the suite), with a session; past the allowance, 429.
  return report(
    "session flood",
    `${options.posts} cookieless text/plain POSTs to a page and the API, then ${options.visits} page visits from ${options.fromAddress} (${visitsMade} made a session)`,
    answers,
    ["POST 404", "POST 415", "visit 404", "visit 429"],
    problems,
  );
}

/**
 * Visits a page `count` times without a cookie, as that many browsers would (from `localAddress`, by
 * default 127.0.0.1): their session cookies.
 */
export async function newSessions(target: Target, count: number, localAddress?: string): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const visit = await httpRequest(target.webPort, { path: "/lessons/tcp", headers: { host: "127.0.0.1" }, localAddress });
    const cookie = String(visit.headers["set-cookie"] ?? "").split(";")[0]!;
    if (!cookie.startsWith("lab_session=")) throw new Error(`the host gave a new browser no session (HTTP ${visit.status})`);
    cookies.push(cookie);
  }
  return cookies;
}

/** One control API call in JSON, as a page makes it: the HTTP status with its Connect code, and the body. */
async function callApi(target: Target, method: string, cookie: string, body: object, localAddress?: string): Promise<{ kind: string; json: unknown }> {
  const answer = await httpRequest(target.webPort, {
    method: "POST",
    path: api(method),
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify(body),
    localAddress,
  });
  let json: unknown;
  try {
    json = JSON.parse(answer.body.toString());
  } catch {
    json = undefined;
  }
  return { kind: answer.status === 200 ? "200" : kindOf(answer.status, answer.body), json };
}

/** Connects to the echo server from `localAddress` and says what became of it: "served" (the welcome came) or how it ended. */
function echoClient(port: number, localAddress?: string, timeoutMs = 10_000): Promise<{ outcome: string; socket: net.Socket }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress });
    let text = "";
    const timer = setTimeout(() => resolve({ outcome: "no welcome", socket }), timeoutMs);
    const done = (outcome: string) => {
      clearTimeout(timer);
      resolve({ outcome, socket });
    };
    socket.on("data", (d: Buffer) => {
      text += d.toString("latin1");
      if (text.endsWith(")")) done("served");
    });
    socket.on("error", (err: NodeJS.ErrnoException) => done(err.code === "ECONNRESET" ? "reset" : (err.code ?? "error")));
    socket.on("close", () => done("closed"));
  });
}

/**
 * Item 4: the lab's own clients of many sessions. Every lab client connects from the host's 127.0.0.1,
 * which was also the address of the per-address connection cap: 16 sessions x 32 Open calls locked every
 * other student out of echo, their own nc included. Each of `sessions` sessions (made from
 * `fromAddress`) opens its maximum of lab clients, and one more (refused: the per-session cap); then
 * another session's Open must succeed, an external client from 127.0.0.1 must be served, and
 * `perAddress` external clients from one address must be served with the ones past them refused. The
 * lab clients are closed at the end.
 */
export async function labClientFlood(
  target: Target,
  options: { sessions: number; clientsPerSession: number; fromAddress: string; perAddress: number; externalAddress: string },
): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const problems: string[] = [];
  const cookies = await newSessions(target, options.sessions, options.fromAddress);
  const opened: { cookie: string; id: string }[] = [];
  await Promise.all(
    cookies.map(async (cookie) => {
      for (let i = 0; i <= options.clientsPerSession; i++) {
        const { kind, json } = await callApi(target, "Open", cookie, { service: "tcp-echo" }, options.fromAddress);
        const beyond = i === options.clientsPerSession;
        count(answers, `${beyond ? "Open past the session's limit" : "Open"}: ${kind}`);
        const id = (json as { conversation?: { id?: string } } | undefined)?.conversation?.id;
        if (kind === "200" && id) opened.push({ cookie, id });
      }
    }),
  );
  // Another student, now: the lab opens their client, and their own program gets in.
  const victim = await callApi(target, "Open", target.cookie, { service: "tcp-echo" });
  count(answers, `another session's Open: ${victim.kind}`);
  const victimId = (victim.json as { conversation?: { id?: string } } | undefined)?.conversation?.id;
  const own = await echoClient(target.echoPort);
  count(answers, `an external client from 127.0.0.1: ${own.outcome}`);
  own.socket.destroy();
  // The per-address cap still holds for external clients.
  const flood = await Promise.all(Array.from({ length: options.perAddress + 8 }, () => echoClient(target.echoPort, options.externalAddress)));
  const outcomes: Record<string, number> = {};
  for (const c of flood) count(outcomes, c.outcome);
  if (outcomes.served !== options.perAddress) problems.push(`${outcomes.served ?? 0} external clients from ${options.externalAddress} served, expected ${options.perAddress}`);
  if (outcomes.reset !== 8) problems.push(`${outcomes.reset ?? 0} external clients from ${options.externalAddress} reset past the cap, expected 8`);
  for (const [outcome, n] of Object.entries(outcomes)) answers[`external clients from one address: ${outcome}`] = n;
  for (const c of flood) c.socket.destroy();
  for (const { cookie, id } of opened) await callApi(target, "Close", cookie, { conversationId: id }, options.fromAddress);
  if (victimId) await callApi(target, "Close", target.cookie, { conversationId: victimId });
  const labClients = options.sessions * options.clientsPerSession;
  if (opened.length !== labClients) problems.push(`${opened.length} lab clients opened, expected ${labClients}`);
  return report(
    "lab clients of many sessions",
    `${options.sessions} sessions from ${options.fromAddress} open ${options.clientsPerSession} lab clients each to echo (${labClients} from 127.0.0.1) and one more; then another session opens one, nc connects from 127.0.0.1, and ${options.perAddress + 8} external clients connect from ${options.externalAddress}`,
    answers,
    [
      "Open: 200",
      "Open past the session's limit: 429 resource_exhausted",
      "another session's Open: 200",
      "an external client from 127.0.0.1: served",
      "external clients from one address: served",
      "external clients from one address: reset",
    ],
    problems,
  );
}

/**
 * Item 5: fan-out. Each external event used to be copied into the timeline of every session at its
 * address (64 MiB each): `sessions` sessions at 127.0.0.1, then `mib` MiB through echo from there. The
 * host must keep each event once: its store grows by what went through echo (both ways), not by that
 * times the sessions, stays within its bound, and every session's timeline shows the transfer's newest
 * events.
 */
export async function fanOut(target: Target, options: { sessions: number; mib: number }): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const problems: string[] = [];
  if (!target.capture) throw new Error("fanOut needs the host's capture stats");
  const cookies = await newSessions(target, options.sessions);
  const before = await target.capture([]);
  const total = options.mib * 1024 * 1024;
  const result = await new Promise<{ received: number; error?: string }>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port: target.echoPort });
    let received = 0;
    socket.on("data", (d: Buffer) => (received += d.length));
    socket.on("error", (err) => resolve({ received, error: err.message }));
    // The server closes once it has answered everything (after our FIN): every echo has come back.
    socket.on("close", () => resolve({ received }));
    socket.on("connect", () => {
      void (async () => {
        const piece = Buffer.alloc(64 * 1024, 0x78);
        for (let sent = 0; sent < total && !socket.destroyed; sent += piece.length) {
          if (!socket.write(piece)) await drained(socket);
        }
        socket.end();
      })();
    });
  });
  count(answers, result.error ? `transfer failed: ${result.error}` : "transfer echoed");
  if (result.received < total) problems.push(`${result.received} bytes came back of ${total}`);
  const after = await target.capture(cookies);
  const grew = after.store.bytes - before.store.bytes;
  // Both ways once, plus each event's fixed cost: well under twice the transfer (it was sessions times that).
  const once = 2 * total;
  if (after.store.bytes > after.store.maxBytes) problems.push(`the store holds ${after.store.bytes} bytes, past its bound ${after.store.maxBytes}`);
  else if (after.store.dropped === before.store.dropped && grew > 1.25 * once) {
    problems.push(`the store grew by ${grew} bytes for ${once} bytes through echo: not counted once`);
  }
  const newest = after.rings.map((r) => r?.newestSeq ?? -1);
  for (const [i, ring] of after.rings.entries()) {
    if (!ring) problems.push(`session ${i} is gone`);
    else count(answers, ring.events > 0 && ring.newestSeq === Math.max(...newest) ? "a session sees the transfer" : "a session does not see the transfer");
  }
  const ringBytes = after.rings.reduce((sum, r) => sum + (r?.bytes ?? 0), 0);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return report(
    "fan-out to many sessions",
    `${options.sessions} sessions at 127.0.0.1, then ${options.mib} MiB through echo from there: the store went ${mb(before.store.bytes)} -> ${mb(after.store.bytes)} MiB (bound ${mb(after.store.maxBytes)}, ${after.store.events} events, ${after.store.dropped - before.store.dropped} dropped); the sessions' timelines show ${mb(ringBytes)} MiB together`,
    answers,
    ["transfer echoed", "a session sees the transfer"],
    problems,
  );
}

/**
 * Fills the timelines of the sessions at the victim's address: an external client there, `messages`
 * round trips of `size` bytes through echo (at most 1000: the echo server answers each read of 1024
 * bytes on its own, so a longer message would not come back in one piece).
 */
export async function fillTimeline(target: Target, messages: number, size = 200): Promise<void> {
  if (size > 1000) throw new RangeError("fillTimeline: at most 1000 bytes per message");
  const socket = net.connect({ host: "127.0.0.1", port: target.echoPort });
  socket.setNoDelay(true);
  let text = "";
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  socket.on("data", (c: Buffer) => {
    text += c.toString("latin1");
    wake?.();
  });
  socket.on("error", (err) => {
    failure = err;
    wake?.();
  });
  const until = (done: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (failure ? reject(failure) : done() ? resolve() : (wake = check));
      check();
    });
  await until(() => text.endsWith(")"));
  const line = "x".repeat(size);
  for (let i = 0; i < messages; i++) {
    text = "";
    socket.write(`${i} ${line}`);
    await until(() => text.endsWith(`ECHO: ${i} ${line}`));
  }
  socket.destroy();
}

/**
 * A datagram flood (issue 10 §6): one source sends `datagrams` to the UDP echo as fast as the kernel takes
 * them; meanwhile and after, another source's datagrams must each be answered. The flooder's answers stop
 * at its rate limit (the rest are dropped unread, and its timeline says so once per burst).
 */
export async function udpFlood(target: Target, options: { datagrams: number; fromAddress: string; otherAddress: string; probes: number }): Promise<AttackReport> {
  const answers: Record<string, number> = {};
  const problems: string[] = [];
  const port = target.udpEchoPort;
  if (port === undefined) return report("UDP datagram flood", "no UDP echo port given", answers, [], ["the host did not say where udp-echo listens"]);
  const open = async (address: string) => {
    const socket = dgram.createSocket("udp4");
    socket.on("error", () => undefined);
    await new Promise<void>((r) => socket.bind(0, address, () => r()));
    return socket;
  };
  const flooder = await open(options.fromAddress);
  const other = await open(options.otherAddress);
  let flooderAnswers = 0;
  flooder.on("message", () => flooderAnswers++);
  try {
    const payload = Buffer.from("flood");
    let inFlight = 0;
    for (let i = 0; i < options.datagrams; i++) {
      // A bounded number in flight: the flood is the kernel's pace, not a queue in this process.
      while (inFlight >= 256) await new Promise((r) => setImmediate(r));
      inFlight++;
      flooder.send(payload, port, "127.0.0.1", () => inFlight--);
    }
    // Each probe is sent as a real client would send it: a datagram the kernel dropped while the flood
    // still filled the server's receive queue is sent again (UDP promises no delivery), at most 5 times
    // 400 ms apart. What must hold is that the service answers another source at all, and soon.
    const awaited = new Map<string, () => void>();
    other.on("message", (m) => awaited.get(m.toString())?.());
    for (let i = 0; i < options.probes; i++) {
      const expected = `UDP-ECHO: probe ${i}`;
      let answered = false;
      for (let attempt = 0; attempt < 5 && !answered; attempt++) {
        if (attempt > 0) count(answers, "probe sent again");
        answered = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 400);
          awaited.set(expected, () => {
            clearTimeout(timer);
            resolve(true);
          });
          other.send(`probe ${i}`, port, "127.0.0.1");
        });
      }
      awaited.delete(expected);
      if (answered) count(answers, "other source answered");
      else {
        count(answers, "other source not answered");
        problems.push(`probe ${i} from ${options.otherAddress} got no answer to 5 tries in 2 s`);
      }
    }
  } finally {
    flooder.close();
    other.close();
  }
  if (flooderAnswers > 0) answers["flooder answered"] = flooderAnswers;
  if (flooderAnswers >= options.datagrams) problems.push(`the flooder got all ${flooderAnswers} answers: no rate limit`);
  return report(
    "UDP datagram flood",
    `${options.datagrams} datagrams from ${options.fromAddress} to udp-echo, then ${options.probes} from ${options.otherAddress}`,
    answers,
    ["other source answered", "probe sent again", "flooder answered"],
    problems,
  );
}
