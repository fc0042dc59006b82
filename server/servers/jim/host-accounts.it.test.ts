// The lab host's own jim service in accounts mode (issue 13 §1, flag --jim-accounts): accounts are kept in
// the host's SQLite store, made there the way `npm run jim:server -- --accounts --data-dir --account` makes
// them, and the homework client (Debian's Python) must authenticate before msg. Without the flag the same
// host serves guests.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../store/store";
import type { LabHost } from "../../lab/host";
import { labServiceFor, startTestHost, visitForSession } from "../../testing/host";
import { createJimAccounts } from "./accounts";
import { homeworkClient, type HomeworkClient, type Received } from "./testing";

const clients: HomeworkClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function client(host: LabHost): Promise<HomeworkClient> {
  const c = await homeworkClient(host.port("jim"));
  clients.push(c);
  return c;
}

function code(r: Received): unknown {
  expect(r.error, r.raw.toString("latin1")).toBeNull();
  return r.obj!.response;
}

const presence = (name: string) => ({ action: "presence", type: "status", user: { account_name: name, status: "here" } });

describe("the lab host with --jim-accounts", () => {
  let dir: string;
  let host: LabHost;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "lab-jim-accounts-"));
    // The account goes into the data folder's store first, as the CLI's --account puts it there.
    const store = openStore({ dir });
    await createJimAccounts(store.jimAccounts).set("ann", "pw-ann");
    store.close();
    host = await startTestHost(["--jim-accounts", `--data-dir=${dir}`]);
  });
  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses presence and msg before authenticate (401), a wrong password (402), and lets a stored account in (200)", async () => {
    const ann = await client(host);
    await ann.send(presence("ann"));
    expect(code(await ann.recv())).toBe(401);
    await ann.send({ action: "msg", to: "#all", message: "hi" });
    const refused = await ann.recv();
    expect(code(refused)).toBe(401);
    expect(refused.obj!.error).toMatch(/authenticate first/);
    await ann.send({ action: "authenticate", user: { account_name: "ann", password: "wrong" } });
    expect(code(await ann.recv())).toBe(402);
    await ann.send({ action: "authenticate", user: { account_name: "nobody", password: "pw-ann" } });
    expect(code(await ann.recv())).toBe(402);
    await ann.send({ action: "authenticate", user: { account_name: "ann", password: "pw-ann" } });
    const ok = await ann.recv();
    expect(code(ok)).toBe(200);
    expect(ok.obj!.alert).toBe("authenticated as ann");
    await ann.send({ action: "msg", to: "#all", message: "hi" });
    expect(code(await ann.recv())).toBe(200);
  });

  it("says so in Status: the jim service's mode is accounts (the lesson warns of 401 before authenticate)", async () => {
    const { services } = await labServiceFor(host, await visitForSession(host)).status({});
    expect(services.find((s) => s.name === "jim")?.mode).toBe("accounts");
    expect(services.find((s) => s.name === "tcp-echo")?.mode).toBe("");
  });

  it("keeps accounts in the host's store: one set through it is checked at once", async () => {
    await createJimAccounts(host.store.jimAccounts).set("bob", "pw-bob");
    const bob = await client(host);
    await bob.send({ action: "authenticate", user: { account_name: "bob", password: "pw-ann" } });
    expect(code(await bob.recv())).toBe(402);
    await bob.send({ action: "authenticate", user: { account_name: "bob", password: "pw-bob" } });
    expect(code(await bob.recv())).toBe(200);
  });
});

describe("the lab host without the flag", () => {
  let host: LabHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(async () => {
    await host?.stop();
  });

  it("says guest mode in Status", async () => {
    const { services } = await labServiceFor(host, await visitForSession(host)).status({});
    expect(services.find((s) => s.name === "jim")?.mode).toBe("guest");
  });

  it("serves guests: presence with any name, then msg (200)", async () => {
    const guest = await client(host);
    await guest.send(presence("guest-1"));
    expect(code(await guest.recv())).toBe(200);
    await guest.send({ action: "msg", to: "#all", message: "hi" });
    expect(code(await guest.recv())).toBe(200);
  });
});
