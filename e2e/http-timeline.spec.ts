// HTTP on the timeline (issue 11 §4): curl, a real child process and an outside client from the browser's own
// address, runs seed 000's GET /api/users and a POST that creates a user; the ladder shows each request and its
// response as a pair with the status, the details show the message (start line, headers, body) and light up a
// header's bytes, the paired message is one click away, the HAR download holds both exchanges, and the home page's
// reset button brings back a user curl deleted.

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { E2E_PORT_OFFSET } from "../playwright.config";
import { harProblems } from "../server/lab/har-schema";
import { expectAccessible } from "./fixtures";

const run = promisify(execFile);
const API = `http://127.0.0.1:${8080 + E2E_PORT_OFFSET}`;

async function curl(...args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run("curl", ["-sS", "--http1.1", "-w", "\n%{http_code}", ...args]);
  const cut = stdout.lastIndexOf("\n");
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

async function openTimeline(page: Page) {
  await page.goto("/lessons/tcp");
  await expect(page.getByText("Connected to the lab", { exact: true })).toBeVisible();
  return page.getByRole("listbox", { name: "Events" });
}

test.use({ locale: "en-US" });

test("curl's requests and responses show as pairs, the message view lights up a header's bytes, and the HAR holds them", async ({ page }) => {
  const list = await openTimeline(page);
  // Seed 000's list, and a new user (the data set is this browser's: curl runs from its address).
  const listed = await curl(`${API}/api/users`);
  expect(listed.status).toBe(200);
  const created = await curl("-X", "POST", "-H", "Content-Type: application/json", "--data-raw", '{"name":"Dana","email":"dana@example.com","age":28}', `${API}/api/users`);
  expect(created.status).toBe(201);

  const getRequest = list.getByRole("option", { name: /HTTP request, GET \/api\/users, answered 200 OK \(success\)/ });
  const getResponse = list.getByRole("option", { name: /HTTP response, 200 OK, success, TTFB [\d.]+ ms, \d+ bytes, answers GET \/api\/users/ });
  const postRequest = list.getByRole("option", { name: /HTTP request, POST \/api\/users, answered 201 Created \(success\)/ });
  const postResponse = list.getByRole("option", { name: /HTTP response, 201 Created, success, TTFB [\d.]+ ms, \d+ bytes, answers POST \/api\/users/ });
  for (const row of [getRequest, getResponse, postRequest, postResponse]) await expect(row).toHaveCount(1);
  // The status is written on the arrow (its colour is never all it says).
  await expect(getRequest).toContainText("→ 200");
  await expect(postResponse).toContainText("201 Created");

  // The response's message: start line, headers, body; a header selects its bytes.
  await getResponse.click();
  const message = page.getByRole("region", { name: "HTTP response" });
  await expect(message.getByRole("button", { name: "HTTP/1.1 200 OK" })).toBeVisible();
  const contentType = message.getByRole("button", { name: /^Content-Type: application\/json/ });
  await contentType.click();
  await expect(contentType).toHaveAttribute("aria-pressed", "true");
  const lit = page.locator('[data-column="text"][data-highlighted="true"]');
  await expect(lit.first()).toBeVisible();
  expect((await lit.allTextContents()).join("")).toContain("Content-Type: application/json");
  await expect(page).toHaveURL(/[?&]f=/);
  await expect(message.getByRole("button", { name: /"success": ?true/ })).toBeVisible();

  // The paired request, one click away.
  await message.getByRole("button", { name: "Its request: GET /api/users" }).click();
  const request = page.getByRole("region", { name: "HTTP request" });
  await expect(request.getByRole("button", { name: /^GET \/api\/users HTTP\/1\.1$/ })).toBeVisible();
  await expect(request.getByRole("button", { name: /^User-Agent: curl\// })).toBeVisible();
  await expect(getRequest).toHaveAttribute("aria-selected", "true");
  await expect(getResponse).toHaveAttribute("data-related", "true");
  await expectAccessible(page);

  // The HAR of the session's exchanges.
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download HAR" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^protocol-lab-.*\.har$/);
  const har = JSON.parse(readFileSync((await download.path())!, "utf8")) as {
    log: { entries: { request: { method: string; url: string }; response: { status: number; content: { text?: string } } }[] };
  };
  expect(harProblems(har)).toEqual([]);
  const seen = har.log.entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response.status}`);
  expect(seen).toContain("GET /api/users 200");
  expect(seen).toContain("POST /api/users 201");
  const get = har.log.entries.find((e) => e.request.method === "GET" && e.request.url.endsWith("/api/users"));
  expect(get?.response.content.text).toBe(listed.body);
});

test("the home page's reset button restores the users curl deleted, after asking", async ({ page }) => {
  await page.goto("/");
  // This browser's data set: curl deletes Alice from it.
  expect((await curl("-X", "DELETE", `${API}/api/users/1`)).status).toBe(200);
  expect(JSON.parse((await curl(`${API}/api/users`)).body).data.map((u: { name: string }) => u.name)).not.toContain("Alice");

  const card = page.getByRole("region", { name: /^HTTP server on port \d+$/ });
  await card.getByRole("button", { name: "Reset data" }).click();
  const question = card.getByRole("group");
  await expect(question).toContainText("Alice, Bob and Charlie");
  await expect(card.getByRole("button", { name: "Yes, reset the data" })).toBeFocused();
  await expectAccessible(page);
  await card.getByRole("button", { name: "Yes, reset the data" }).click();
  await expect(card.getByText(/^Done: the data set is back to the seed data, 3 users and \d+ dumm(y|ies)\.$/)).toBeVisible();
  await expect(card.getByRole("button", { name: "Reset data" })).toBeVisible();

  const after = JSON.parse((await curl(`${API}/api/users`)).body) as { count: number; data: { name: string; age: number }[] };
  expect(after.count).toBe(3);
  expect(after.data.map((u) => `${u.name} ${u.age}`)).toEqual(["Alice 30", "Bob 25", "Charlie 35"]);
});

test.describe("in Russian", () => {
  test.use({ locale: "ru-RU" });

  test("the pair and the reset speak Russian", async ({ page }) => {
    await page.goto("/lessons/tcp");
    await expect(page.getByText("Связь с лабораторией есть", { exact: true })).toBeVisible();
    expect((await curl(`${API}/api/health`)).status).toBe(200);
    const list = page.getByRole("listbox", { name: /./ }).first();
    const response = list.getByRole("option", { name: /ответ HTTP, 200 OK, успех, TTFB [\d,]+ мс, \d+ байт[а-я]*, ответ на GET \/api\/health/ });
    await expect(response).toHaveCount(1);
    await response.click();
    await expect(page.getByRole("region", { name: "Ответ HTTP" }).getByRole("button", { name: "Его запрос: GET /api/health" })).toBeVisible();
    await expectAccessible(page);

    await page.goto("/");
    const card = page.getByRole("region", { name: /^HTTP-сервер на порту \d+$/ });
    await card.getByRole("button", { name: "Сбросить данные" }).click();
    await card.getByRole("button", { name: "Да, сбросить данные" }).click();
    await expect(card.getByText(/^Готово: данные возвращены к исходным, 3 пользователя и \d+ запис/)).toBeVisible();
  });
});
