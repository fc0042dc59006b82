// The TCP lesson's closed-port experiment as a student sees it (issue 15 §1.3, §1.11): a refused connect is one
// event worded as ECONNREFUSED, on a lane that says nothing listens, with connect() failed in the socket calls, and
// the session's events numbered from 1, in English and in Russian.

import { expect, test } from "@playwright/test";
import { expectAccessible } from "./fixtures";

const TEXT = {
  en: {
    region: "6. A closed port: the reset",
    button: /^Connect to a closed port/,
    panel: "`connect()` failed with `ECONNREFUSED`",
    row: /connect\(\) refused: ECONNREFUSED/,
    lane: "nothing listens here (closed port)",
    failed: "failed: ECONNREFUSED",
    events: "Events",
    heading: /^Event \d$/,
    explain: "no connection was ever opened",
  },
  ru: {
    region: "6. Закрытый порт: сброс",
    button: /^Подключиться к закрытому порту/,
    panel: "`connect()` не удался с ошибкой `ECONNREFUSED`",
    row: /connect\(\) отвергнут: ECONNREFUSED/,
    lane: "здесь никто не слушает (закрытый порт)",
    failed: "не удался: ECONNREFUSED",
    events: "События",
    heading: /^Событие \d$/,
    explain: "соединение так и не открылось",
  },
} as const;

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];
  test.describe(`refused connect (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("a connect to the closed port is one refused event, explained the same everywhere", async ({ page }) => {
      await page.goto("/lessons/tcp");
      const panel = page.getByRole("region", { name: text.region });
      await panel.getByRole("button", { name: text.button }).click();
      // The panel words the errno, not the RPC's code.
      await expect(panel.getByText(text.panel.replace(/`/g, ""), { exact: false })).toBeVisible();
      await expect(panel).not.toContainText("unavailable");

      const list = page.getByRole("listbox", { name: text.events });
      const row = list.getByRole("option", { name: text.row });
      await expect(row).toHaveCount(1);
      // No "connection opened" or "closed" for a connection that never existed.
      await expect(list.getByRole("option")).toHaveCount(1);
      await expect(page.getByText(text.lane, { exact: true })).toBeVisible();

      // The socket calls: connect() failed, not done; the server's accept() never happened.
      const failedChip = page.locator("li", { hasText: "connect()" }).filter({ hasText: text.failed });
      await expect(failedChip).toHaveCount(1);
      await expect(failedChip).toHaveAttribute("title", new RegExp(text.failed.replace(/[()]/g, "\\$&")));

      // Selected, the details number it in the session's own count (a fresh session: a one-digit number).
      await row.click();
      const heading = page.getByRole("heading", { level: 2, name: text.heading });
      await expect(heading).toBeVisible();
      await expect(page.getByText(text.explain, { exact: false }).first()).toBeVisible();
      await expectAccessible(page);
    });
  });
}
