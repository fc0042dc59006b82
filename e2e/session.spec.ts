// Lab sessions in a real browser (issue 8, items 3 and 8): a cookie planted by a page on another port of
// the same host cannot capture a student's calls, and a page whose session the lab no longer knows says
// so and recovers with a reload.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { expectAccessible, PORTS } from "./fixtures";

const lesson = `http://127.0.0.1:${PORTS.web}/lessons/tcp`;

async function sessionCookie(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === "lab_session");
  expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return cookie!.value;
}

async function connect(page: Page) {
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.getByRole("listbox", { name: "Events" }).getByRole("option", { name: /Welcome to TCP Server!/ }).last()).toBeVisible();
}

async function send(page: Page, message: string) {
  await page.getByRole("textbox", { name: "Message", exact: true }).fill(message);
  await page.getByRole("button", { name: "Send", exact: true }).click();
}

test.use({ locale: "en-US" });

test("a cookie a page on another port planted does not take a student's page", async ({ browser }) => {
  test.setTimeout(120_000);
  const attacker = await browser.newContext({ locale: "en-US" });
  const attackerPage = await attacker.newPage();
  await attackerPage.goto(lesson);
  const planted = await sessionCookie(attacker);

  const victim = await browser.newContext({ locale: "en-US" });
  const victimPage = await victim.newPage();
  await victimPage.goto(lesson);
  await expect(victimPage.getByText("Connected to the lab")).toBeVisible();
  const victimEvents = victimPage.getByRole("listbox", { name: "Events" });
  await connect(victimPage);
  await send(victimPage, "before-the-plant");
  await expect(victimEvents.getByRole("option", { name: /ECHO: before-the-plant/ })).toBeVisible();

  // A page on another port of the same host: cookies are not scoped by port, so its answer can set a
  // cookie over the lab's own session cookie (same name, host and path).
  const evil = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html", "set-cookie": `lab_session=${planted}; Path=/; HttpOnly; SameSite=Lax` });
    res.end("<!doctype html><title>another port</title>");
  });
  await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  const evilPage = await victim.newPage();
  await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
  expect((await victim.cookies()).filter((c) => c.name === "lab_session").map((c) => c.value)).toEqual([planted]);
  await evilPage.close();
  evil.close();

  // The open page carries on in its own session, and so does the page after a reload (which the planted
  // cookie wins on the server, but not in the page).
  await send(victimPage, "secret-of-the-victim");
  await expect(victimEvents.getByRole("option", { name: /ECHO: secret-of-the-victim/ })).toBeVisible();
  // The echo server says goodbye to "exit" and closes, so the reloaded page may connect again.
  await send(victimPage, "exit");
  await expect(victimEvents.getByRole("option", { name: /Goodbye!/ })).toBeVisible();
  await victimPage.reload();
  await expect(victimEvents.getByRole("option", { name: /ECHO: before-the-plant/ })).toBeVisible();
  await connect(victimPage);
  await send(victimPage, "after-the-reload");
  await expect(victimEvents.getByRole("option", { name: /ECHO: after-the-reload/ })).toBeVisible();
  // The attacker's own page, watching its session, sees none of it.
  await attackerPage.reload();
  await expect(attackerPage.getByText("Connected to the lab")).toBeVisible();
  const attackerEvents = attackerPage.getByRole("listbox", { name: "Events" });
  await expect(attackerEvents.getByRole("option", { name: /before-the-plant|secret-of-the-victim|after-the-reload/ })).toHaveCount(0);
  await attacker.close();
  await victim.close();
});

test("a page whose session is gone says so, and a reload carries on", async ({ page, context }) => {
  await page.goto(lesson);
  await expect(page.getByText("Connected to the lab")).toBeVisible();
  // What a restart of the host leaves an open page with: a cookie and tokens that name no session.
  await context.clearCookies();
  await page.evaluate(() => {
    const stale = "A".repeat(43);
    window.localStorage.setItem("lab-page-token", stale);
    document.querySelector('meta[name="lab-page"]')!.setAttribute("content", stale);
  });
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  const notice = page.getByRole("alert").filter({ hasText: "The lab no longer knows this page" });
  await expect(notice).toBeVisible();
  await expectAccessible(page);
  await notice.getByRole("button", { name: "Reload the page" }).click();
  await expect(notice).toHaveCount(0);
  await sessionCookie(context);
  await connect(page);
  await send(page, "after the reload");
  await expect(page.getByRole("listbox", { name: "Events" }).getByRole("option", { name: /ECHO: after the reload/ })).toBeVisible();
  // The page kept the token that worked, in place of the stale one.
  expect(await page.evaluate(() => window.localStorage.getItem("lab-page-token"))).toBe(
    await page.locator('meta[name="lab-page"]').getAttribute("content"),
  );
});
