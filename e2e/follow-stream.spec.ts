// Follow stream (issue 15 §2), as a student uses it on the TCP lesson, in English and Russian: after talking to the
// echo server, the details of an arrow open the conversation's bytes in one dialog, both directions in order,
// as text, a hex dump and raw; a chunk selects its event on the timeline; axe checks the open dialog.

import { expect, test } from "@playwright/test";
import { expectAccessible } from "./fixtures";

const TEXT = {
  en: {
    connect: "Connect",
    message: "Message",
    send: "Send",
    events: "Events",
    follow: "Follow TCP stream",
    bytes: "The conversation's bytes",
    hex: "Hex dump",
    raw: "Raw",
    only: "Show",
    clientOnly: "Client to server only",
    close: "Close",
    totals: /The client sent 5 bytes in 1 write; the server \d+ bytes in 2 writes\./,
    chunk: (n: number) => new RegExp(`^Event ${n}: client to server, 5 bytes$`),
  },
  ru: {
    connect: "Подключиться",
    message: "Сообщение",
    send: "Отправить",
    events: "События",
    follow: "Поток TCP целиком",
    bytes: "Байты соединения",
    hex: "Шестнадцатеричный дамп",
    raw: "Сырые байты",
    only: "Показать",
    clientOnly: "Только от клиента к серверу",
    close: "Закрыть",
    totals: /Клиент отправил 5 байт за 1 запись; сервер — \d+ байт(а)? за 2 записи\./,
    chunk: (n: number) => new RegExp(`^Событие ${n}: от клиента к серверу, 5 байт$`),
  },
} as const;

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];

  test.describe(`Follow stream (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("shows the echo conversation both ways, as text, hex and raw, and a chunk selects its arrow", async ({ page }) => {
      await page.goto("/lessons/tcp");
      await page.getByRole("button", { name: text.connect, exact: true }).click();
      const list = page.getByRole("listbox", { name: text.events });
      await expect(list.getByRole("option", { name: /Welcome to TCP Server!/ })).toBeVisible();
      await page.getByRole("textbox", { name: text.message, exact: true }).fill("hello");
      await page.getByRole("button", { name: text.send, exact: true }).click();
      const answer = list.getByRole("option", { name: /ECHO: hello/ });
      await expect(answer).toBeVisible();
      await answer.click();

      await page.getByRole("button", { name: text.follow }).click();
      const dialog = page.getByRole("dialog", { name: text.follow });
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText(text.totals);
      const chunks = dialog.getByTestId("follow-chunk");
      await expect(chunks).toHaveCount(3);
      await expect(chunks.nth(0)).toHaveAttribute("data-direction", "server");
      await expect(chunks.nth(0).locator("pre")).toContainText("Welcome to TCP Server!");
      await expect(chunks.nth(1)).toHaveAttribute("data-direction", "client");
      await expect(chunks.nth(1).locator("pre")).toHaveText("hello");
      await expect(chunks.nth(2).locator("pre")).toHaveText("ECHO: hello");
      // The arrow the student had selected is marked.
      await expect(chunks.nth(2)).toHaveAttribute("data-selected", "true");
      await expectAccessible(page);

      // "hello" was the client's first byte: offset 0 of its direction.
      await dialog.getByRole("radio", { name: text.hex }).check();
      await expect(chunks.nth(1).locator("pre")).toHaveText(/^00000000 {2}68 65 6c 6c 6f +hello$/);
      await dialog.getByRole("radio", { name: text.raw }).check();
      await expect(chunks.nth(2).locator("pre")).toHaveText("4543484f3a2068656c6c6f");
      await dialog.getByRole("combobox", { name: text.only }).selectOption({ label: text.clientOnly });
      await expect(chunks).toHaveCount(1);

      // The chunk's button selects its event on the timeline and closes the dialog.
      const chunkButton = chunks.nth(0).getByRole("button");
      const name = (await chunkButton.textContent()) ?? "";
      const n = Number(/\d+/.exec(name)?.[0]);
      await expect(chunkButton).toHaveText(text.chunk(n));
      await chunkButton.click();
      await expect(dialog).toBeHidden();
      await expect(list.getByRole("option", { selected: true })).toHaveAccessibleName(/hello/);
      await expect(list.getByRole("option", { selected: true })).not.toHaveAccessibleName(/ECHO/);
    });
  });
}
