// LabService.ResetData (issue 11 §1, §4): the caller's session's data set back to the seed data, the one an outside
// client at the browser's address uses too; another session's data set is left as it was.

import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LabService } from "@/gen/lab/v1/lab_pb";
import type { LabHost } from "./host";
import { startTestHost } from "../testing/host";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host?.stop();
});

function labFor(cookie: string) {
  return createClient(
    LabService,
    createConnectTransport({
      baseUrl: `http://127.0.0.1:${host.port("web")}`,
      httpVersion: "1.1",
      interceptors: [(next) => (req) => (req.header.set("cookie", cookie), next(req))],
    }),
  );
}

const names = async (api: string) =>
  ((await (await fetch(`${api}/api/users`)).json()) as { data: { name: string }[] }).data.map((u) => u.name);

it("puts the session's users and dummies back to the seed data, and says how many there are", async () => {
  const api = `http://127.0.0.1:${host.port("http")}`;
  const visit = async () => (await fetch(`http://127.0.0.1:${host.port("web")}/`)).headers.get("set-cookie")!.split(";")[0]!;
  const other = await visit();
  // The latest page visit from this address owns what a program here does.
  const cookie = await visit();
  expect((await fetch(`${api}/api/users/1`, { method: "DELETE" })).status).toBe(200);
  expect((await fetch(`${api}/api/rest/dummie/1`, { method: "DELETE" })).status).toBe(204);
  expect(await names(api)).toEqual(["Bob", "Charlie"]);

  const { users, dummies } = await labFor(cookie).resetData({});
  expect(users).toBe(3);
  expect(await names(api)).toEqual(["Alice", "Bob", "Charlie"]);
  const seedDummies = ((await (await fetch(`${api}/api/rest/dummies`)).json()) as unknown[]).length;
  expect(dummies).toBe(seedDummies);
  expect(dummies).toBeGreaterThan(0);

  // Another session resets its own data set, which it never changed.
  expect((await labFor(other).resetData({})).users).toBe(3);
});
