// A host killed with SIGKILL and started again on the same ports (issue 8, item 9): nothing of the old
// run leaks into the new one. The old cookie names no session, a page's cursor from the old run is told
// to start over, and conversation ids of the two runs never collide.

import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../testing/host";
import { LabService, type WatchResponse } from "@/gen/lab/v1/lab_pb";

const root = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

/** A host in its own process (server/attack/host-child.ts), on these ports. */
async function startHost(ports: { web: number; echo: number; time: number; greeting: number }): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "server/attack/host-child.ts"),
      `--web-port=${ports.web}`,
      `--echo-port=${ports.echo}`,
      `--time-port=${ports.time}`,
      `--greeting-port=${ports.greeting}`,
      "--udp-echo-port=0",
      "--broadcast-port=0",
      "--multicast-port=0",
      "--http-port=0",
      "--grpc-port=0",
      "--capture=off",
    ],
    { cwd: root, stdio: ["pipe", "ignore", "pipe", "ipc"] },
  );
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on("message", (m: { type: string }) => m.type === "ready" && resolve());
    child.once("exit", (code) => reject(new Error(`host exited (${code}): ${stderr}`)));
  });
  return child;
}

/** A page visit: the session cookie the host set. */
function visit(web: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: web, path: "/lessons/tcp" }, (res) => {
        res.resume();
        const cookie = res.headers["set-cookie"]?.[0]?.split(";")[0];
        if (cookie) resolve(cookie);
        else reject(new Error(`no session cookie (${res.statusCode})`));
      })
      .on("error", reject);
  });
}

function lab(web: number, cookie: string): Client<typeof LabService> {
  return createClient(
    LabService,
    createConnectTransport({
      baseUrl: `http://127.0.0.1:${web}`,
      httpVersion: "1.1",
      interceptors: [(next) => (req) => (req.header.set("cookie", cookie), next(req))],
    }),
  );
}

/** Watch responses until caught up. */
async function replay(client: Client<typeof LabService>, afterSeq: bigint, runId: string): Promise<WatchResponse[]> {
  const abort = new AbortController();
  const responses: WatchResponse[] = [];
  for await (const res of client.watch({ afterSeq, runId }, { signal: abort.signal })) {
    responses.push(res);
    if (res.caughtUp) break;
  }
  abort.abort();
  return responses;
}

const lastSeq = (responses: WatchResponse[]) => {
  let seq = 0n;
  for (const { batch } of responses) {
    if (!batch) continue;
    seq = batch.firstSeq - 1n;
    for (const event of batch.events) seq += event.seqSkip + 1n;
  }
  return seq;
};
const conversationIds = (responses: WatchResponse[]) => responses.flatMap((r) => r.batch?.conversations.map((c) => c.id) ?? []);

describe("a host killed with SIGKILL and started again", () => {
  it("shares no session, cursor or conversation id with its previous run", { timeout: 60_000 }, async () => {
    const ports = { web: await freePort(), echo: await freePort(), time: await freePort(), greeting: await freePort() };
    const first = await startHost(ports);
    const oldCookie = await visit(ports.web);
    const before = lab(ports.web, oldCookie);
    const { conversation: oldConversation } = await before.open({ service: "tcp-echo" });
    await before.send({ conversationId: oldConversation!.id, parts: [new TextEncoder().encode("before the kill\n")] });
    let oldRun: WatchResponse[] = [];
    for (let i = 0; i < 50 && lastSeq(oldRun) < 3n; i++) oldRun = await replay(before, 0n, "");
    const oldRunId = oldRun[0]!.runId;
    const cursor = lastSeq(oldRun);
    expect(oldRunId).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(cursor).toBeGreaterThanOrEqual(3n);
    expect(conversationIds(oldRun)).toContain(oldConversation!.id);

    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    await startHost(ports);

    // The old cookie names nothing: the page is told (UNAUTHENTICATED), no session is made for it.
    await expect(before.clearTimeline({})).rejects.toMatchObject({ code: 16 });
    // A new page visit, with the old run's cursor: start over, and nothing of the old run comes back.
    const after = lab(ports.web, await visit(ports.web));
    const { conversation } = await after.open({ service: "tcp-echo" });
    await after.send({ conversationId: conversation!.id, parts: [new TextEncoder().encode("after the restart\n")] });
    const resumed = await replay(after, cursor, oldRunId);
    expect(resumed[0]).toMatchObject({ cleared: true });
    expect(resumed[0]!.runId).not.toBe(oldRunId);
    const ids = conversationIds(resumed);
    expect(ids).toContain(conversation!.id);
    expect(ids).not.toContain(oldConversation!.id);
    // Counters restart at zero, but the run in the id keeps the two apart.
    expect(conversation!.id.split(".")[1]).toBe(resumed[0]!.runId);
    expect(oldConversation!.id.split(".")[1]).toBe(oldRunId);
    expect(conversation!.id).not.toBe(oldConversation!.id);
  });
});
