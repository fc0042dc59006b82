// Durability: a lab host in its own process, on a data folder, takes a burst of POST /api/users on eight
// kept-alive connections and is killed with SIGKILL in the middle of it. Reopened, the database holds
// every user whose 201 a client received (a 201 is sent after its transaction committed), each as created.

import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../testing/host";
import { openStore, PUBLIC_DATASET } from "./store";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function startHost(dir: string, httpPort: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "server/attack/host-child.ts"),
      "--web-port=0",
      "--echo-port=0",
      "--time-port=0",
      "--greeting-port=0",
      "--udp-echo-port=0",
      "--broadcast-port=0",
      "--multicast-port=0",
      `--http-port=${httpPort}`,
      "--grpc-port=0",
      `--data-dir=${dir}`,
      "--capture=off",
    ],
    { cwd: root, stdio: ["pipe", "ignore", "pipe", "ipc"] },
  );
  cleanups.push(() => child.kill("SIGKILL"));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on("message", (m: { type: string }) => m.type === "ready" && resolve());
    child.once("exit", (code) => reject(new Error(`host exited (${code}): ${stderr}`)));
  });
  return child;
}

interface Created {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly age: number;
}

describe("the store under kill -9", () => {
  it("loses no user whose 201 was sent when the host is killed in a burst of writes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lab-crash-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const port = await freePort();
    const child = await startHost(dir, port);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    cleanups.push(() => agent.destroy());
    const acknowledged: Created[] = [];
    let killed = false;
    // Posts answered (201 or not) or failed: a request started and not yet done is on its way.
    let done = 0;
    const post = (n: number) =>
      new Promise<void>((resolve) => {
        const body = JSON.stringify({ name: `burst-${n}`, email: `burst-${n}@example.com`, age: n % 120 });
        const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/api/users", agent, headers: { "Content-Type": "application/json" } }, (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => {
            if (res.statusCode === 201) acknowledged.push((JSON.parse(text) as { data: Created }).data);
            resolve();
          });
          res.on("error", () => resolve());
        });
        req.on("error", () => resolve());
        req.end(body);
      }).finally(() => done++);
    // Eight writers, each posting one user after another until the host is gone.
    let next = 0;
    const writers = Array.from({ length: 8 }, async () => {
      while (!killed) await post(next++);
    });
    while (acknowledged.length < 400) await new Promise((r) => setTimeout(r, 5));
    // A writer starts its next post in the microtask after its last one ended, so at this timer every writer has one
    // on its way (not necessarily unanswered: a 201 may already be in the socket's buffer, read after the kill).
    const onTheirWay = next - done;
    child.kill("SIGKILL");
    killed = true;
    await exited;
    await Promise.all(writers);
    expect(child.signalCode).toBe("SIGKILL");
    // The kill came in the middle of the burst: each of the eight writers had a request on its way.
    expect(onTheirWay).toBe(8);

    const store = openStore({ dir });
    cleanups.push(() => store.close());
    // As the API wrote them (the rows also keep when each was made, which the API does not show).
    const rows = new Map(store.users.list(PUBLIC_DATASET).map(({ id, name, email, age }) => [id, { id, name, email, age }]));
    const lost = acknowledged.filter((u) => JSON.stringify(rows.get(u.id)) !== JSON.stringify(u));
    expect(lost).toEqual([]);
    expect(rows.size).toBeGreaterThanOrEqual(3 + acknowledged.length);
  });
});
