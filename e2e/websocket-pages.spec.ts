// The workshop's WebSocket pages on the lab's 8080 (seed 004, issue 12 §1), in Chromium as a student uses them:
// pick a room, open it in two tabs, send from one and see the message arrive in both; the echo page sends back
// what it is sent, shown as text (never as HTML); English and Russian by the browser's language; keyboard only;
// axe in light and dark.
import { expect, test } from "@playwright/test";
import { expectAccessible, PORTS } from "./fixtures";

const base = `http://127.0.0.1:${PORTS.http}`;

for (const [locale, words] of [
  ["en-US", { room: "Room name", connected: "Connected.", send: "Send", message: "Message", messages: "Messages" }],
  ["ru-RU", { room: "Название комнаты", connected: "Подключено.", send: "Отправить", message: "Сообщение", messages: "Сообщения" }],
] as const) {
  test.describe(`workshop pages (${locale})`, () => {
    test.use({ locale, extraHTTPHeaders: { "Accept-Language": locale } });

    test("two tabs in one chat room see each other's messages", async ({ context }) => {
      const alice = await context.newPage();
      await alice.goto(`${base}/api/ws/chat/`);
      await alice.getByLabel(words.room).fill(`e2e_${locale.slice(0, 2)}`);
      await alice.keyboard.press("Enter");
      await expect(alice).toHaveURL(new RegExp(`/api/ws/chat/e2e_${locale.slice(0, 2)}/$`));
      const bob = await context.newPage();
      await bob.goto(alice.url().replace(/\/$/, ""));
      for (const page of [alice, bob]) await expect(page.getByRole("status")).toHaveText(words.connected);
      await alice.getByRole("textbox", { name: words.message }).fill("hello from alice");
      await alice.keyboard.press("Enter");
      for (const page of [alice, bob]) await expect(page.getByRole("list", { name: words.messages }).getByRole("listitem")).toHaveText(["hello from alice"]);
      await bob.getByRole("textbox", { name: words.message }).fill("and from bob");
      await bob.getByRole("button", { name: words.send }).click();
      await expect(alice.getByRole("listitem")).toHaveText(["hello from alice", "and from bob"]);
      for (const scheme of ["light", "dark"] as const) {
        await bob.emulateMedia({ colorScheme: scheme });
        await expectAccessible(bob);
      }
    });

    test("the echo page sends back what it is sent, as text", async ({ page }) => {
      await page.goto(`${base}/api/ws/echo`);
      await expect(page.getByRole("status")).toHaveText(words.connected);
      await page.getByRole("textbox", { name: words.message }).fill("<b>not bold</b>");
      await page.keyboard.press("Enter");
      await expect(page.getByRole("listitem")).toHaveText(["<b>not bold</b>"]);
      await expect(page.locator("b")).toHaveCount(0);
      await expectAccessible(page);
    });
  });
}
