// The home page as a student first sees it, in both languages, light and dark.

import { expect, test } from "@playwright/test";
import { expectAccessible, PORTS } from "./fixtures";

test.describe("home in English", () => {
  test.use({ locale: "en-US" });

  test("shows the lesson map, live service status and commands for your own client", async ({ page, context }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "lab_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Learn network protocols by doing");
    const lesson = page.getByRole("link", { name: /Sockets and TCP/ }).first();
    await expect(lesson).toHaveAttribute("href", "/lessons/tcp");
    // Every topic of the course has its lesson now, gRPC last.
    await expect(page.getByRole("link", { name: "gRPC", exact: true })).toHaveAttribute("href", "/lessons/grpc");

    const echoRow = page.getByRole("row").filter({ hasText: "tcp-echo" });
    await expect(echoRow).toContainText(String(PORTS.echo));
    await expect(echoRow).toContainText("Listening");
    // The port the lab keeps closed for the reset experiment is listed as such, not as an unknown state.
    await expect(page.getByRole("row").filter({ hasText: "closed-port" })).toContainText("Kept closed");
    await expect(page.getByText("Listening: 10 of 10 services.", { exact: true })).toBeVisible();
    await expect(page.getByText(`nc 127.0.0.1 ${PORTS.echo}`, { exact: true })).toBeVisible();
    await expectAccessible(page);
  });

  test("passes axe in dark mode", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto("/");
    await expect(page.getByRole("row").filter({ hasText: "tcp-echo" })).toContainText("Listening");
    await expectAccessible(page);
  });
});

test.describe("home in Russian", () => {
  test.use({ locale: "ru-RU" });

  test("follows Accept-Language, and the switcher changes the language", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "ru");
    await expect(page.getByRole("link", { name: /Сокеты и TCP/ }).first()).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("group", { name: "Язык" }).getByRole("button", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Learn network protocols by doing");
  });
});

test("at 390 px each Copy button stays beside its caption, and no card announces a lesson that is already taught", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const blocks = page.getByRole("figure");
  await expect(blocks.first().getByRole("button", { name: /^Copy/ })).toBeVisible();
  for (const block of await blocks.all()) {
    // Both boxes in one frame: the live status above these blocks fills in after load and moves them, so
    // two separate boundingBox() calls can straddle that shift.
    const { caption, button } = await block.evaluate((figure) => {
      const box = (element: Element | null) => {
        const rect = element!.getBoundingClientRect();
        return { x: rect.x, y: rect.y, width: rect.width };
      };
      return { caption: box(figure.querySelector("figcaption")), button: box(figure.querySelector("button")) };
    });
    // On the caption's first line, at its right: not wrapped below it.
    expect(button.y).toBeLessThan(caption.y + 12);
    expect(button.x).toBeGreaterThanOrEqual(caption.x + caption.width);
  }
  // The TCP lesson covers segments (SYN, FIN, RST, the header): no "coming soon" card for them.
  await expect(page.getByRole("heading", { name: "TCP segments" })).toHaveCount(0);
  await expect(page.getByRole("listitem").filter({ hasText: "Sockets and TCP" }).getByText("SYN, FIN and RST")).toBeVisible();
});

test("an unknown page is a 404 with a way back", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("link", { name: /lessons/i }).last()).toBeVisible();
  await expectAccessible(page);
});

test("the pages and their scripts carry the security headers, and run under the content security policy", async ({ page }) => {
  const refused: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  const response = await page.goto("/lessons/tcp");
  expect(response?.status()).toBe(200);
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  const script = await page.locator("script[src]").first().getAttribute("src");
  const asset = await page.request.get(script!);
  expect(asset.status()).toBe(200);
  expect(asset.headers()["x-content-type-options"]).toBe("nosniff");
  // The page's own scripts ran: it reached the lab (Status) and its timeline (Watch).
  await expect(page.getByText("Connected to the lab", { exact: true })).toBeVisible();
  expect(refused).toEqual([]);
});
