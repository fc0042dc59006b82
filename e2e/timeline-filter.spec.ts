// The timeline's display filter (issue 15 §2), driven as a student would in English and in Russian: echo traffic on
// the TCP lesson, a text filter that hides what does not match and says how many events match, an error with its
// column and caret for a bad filter, completion of a field name by keyboard, and the download that saves what is shown.

import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./fixtures";

const TEXT = {
  en: {
    connect: "Connect",
    message: "Message",
    send: "Send",
    events: "Events",
    filter: "Display filter",
    suggestions: "Fields and protocols",
    apply: "Apply filter",
    matches: /^2 of \d+ messages and socket events match /,
    badColumn: /^Column 15: “=” is not part of the filter language/,
    unknown: /^Column 1: The lab's dissectors declare no field “tcp\.flags\.sin”\. Did you mean .*tcp\.flags\.syn/,
    valid: "Valid filter: Enter applies it.",
    downloadShown: "Download pcapng (shown)",
    exportSwitch: "Export",
    noMatch: "No event matches the display filter “text.line contains \"nothing like this\"”.",
    segments: "Segments",
    synMatches: /^2 of \d+ captured segments match /,
    segmentCounter: /^(\d+) segments · /,
  },
  ru: {
    connect: "Подключиться",
    message: "Сообщение",
    send: "Отправить",
    events: "События",
    filter: "Фильтр отображения",
    suggestions: "Поля и протоколы",
    apply: "Применить фильтр",
    matches: /^подходят 2 из \d+ сообщени(я или события|й и событий|я и события) сокета /,
    badColumn: /^Позиция 15: «=» не входит в язык фильтров/,
    unknown: /^Позиция 1: Разборщики лаборатории не объявляют поле «tcp\.flags\.sin»\. Возможно, вы имели в виду .*tcp\.flags\.syn/,
    valid: "Фильтр верный: Enter применяет его.",
    downloadShown: "Скачать pcapng (показанное)",
    exportSwitch: "Экспорт",
    noMatch: "Ни одно событие не подходит под фильтр «text.line contains \"nothing like this\"».",
    segments: "Сегменты",
    synMatches: /^подходят 2 из \d+ захваченн(ого сегмента|ых сегментов) /,
    segmentCounter: /^(\d+) сегмент(а|ов)? · /,
  },
} as const;

/** What the page looks like around the filter field, for a person to look at (issue 15 §3). */
async function shot(page: Page, name: string) {
  await page.getByRole("combobox").first().scrollIntoViewIfNeeded({ timeout: 2000 }).catch(() => undefined);
  await page.screenshot({ path: `/tmp/shots-T/${name}.png` });
}

function events(page: Page, lang: keyof typeof TEXT) {
  return page.getByRole("listbox", { name: TEXT[lang].events });
}

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];

  test.describe(`timeline display filter (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("a text filter hides what does not match; a bad one says where; names complete by keyboard", async ({ page }) => {
      await page.goto("/lessons/tcp");
      const list = events(page, lang);
      await page.getByRole("button", { name: text.connect, exact: true }).click();
      await expect(list.getByRole("option", { name: /Welcome to TCP Server!/ })).toBeVisible();
      for (const message of ["hello", "again"]) {
        await page.getByRole("textbox", { name: text.message, exact: true }).fill(message);
        await page.getByRole("button", { name: text.send, exact: true }).click();
        await expect(list.getByRole("option", { name: new RegExp(`ECHO: ${message}`) })).toBeVisible();
      }

      const filter = page.getByRole("combobox", { name: text.filter });
      // A bad filter: red, aria-invalid, the error in words with its column, and the caret under it.
      await filter.fill("tcp.flags.syn = 1");
      await expect(filter).toHaveAttribute("aria-invalid", "true");
      await expect(filter).toHaveAccessibleDescription(text.badColumn);
      const caret = page.locator("pre", { hasText: "tcp.flags.syn = 1" });
      expect(await caret.textContent()).toBe(`tcp.flags.syn = 1\n${" ".repeat(14)}^`);
      await expect(page.getByRole("button", { name: text.apply })).toBeDisabled();
      await shot(page, `error-${lang}`);
      await filter.fill("tcp.flags.sin");
      await expect(filter).toHaveAccessibleDescription(text.unknown);

      // Completion: type the start of a name, Down to the first suggestion, Enter takes it.
      await filter.fill("");
      await filter.pressSequentially("text.l");
      await expect(filter).toHaveAttribute("aria-expanded", "true");
      const suggestions = page.getByRole("listbox", { name: text.suggestions });
      await expect(suggestions.getByRole("option").first()).toHaveText(/^text\.line/);
      await filter.press("ArrowDown");
      await expect(suggestions.getByRole("option", { selected: true })).toHaveText(/^text\.line/);
      await expect(filter).toHaveAttribute("aria-activedescendant", /option-0$/);
      await expectAccessible(page);
      await shot(page, `completion-${lang}`);
      await filter.press("Enter");
      await expect(filter).toHaveValue("text.line");
      await expect(filter).toHaveAttribute("aria-expanded", "false");
      await filter.pressSequentially(' contains "ECHO"');
      await expect(filter).not.toHaveAttribute("aria-invalid");
      await expect(filter).toHaveAccessibleDescription(new RegExp(`^${text.valid.replace(/[.:]/g, "\\$&")}`));

      // Applied: only the two answers are rows; the count says so; the download saves what is shown.
      await filter.press("Enter");
      await expect(filter).toHaveAccessibleDescription(text.matches);
      await expect(list.getByRole("option")).toHaveCount(2);
      await expect(list.getByRole("option", { name: /ECHO: hello/ })).toBeVisible();
      await expect(list.getByRole("option", { name: /ECHO: again/ })).toBeVisible();
      await expect(list.getByRole("option", { name: /Welcome to TCP Server!/ })).toHaveCount(0);
      await page.getByRole("button", { name: text.exportSwitch, exact: true }).click();
      const download = page.getByRole("link", { name: text.downloadShown });
      await expect(download).toHaveAttribute("href", `/api/sessions/current/capture.pcapng?filter=${encodeURIComponent('text.line contains "ECHO"').replace(/%20/g, "+")}`);
      const file = await page.request.get((await download.getAttribute("href"))!);
      expect(file.status()).toBe(200);
      const body = new TextDecoder("latin1").decode(await file.body());
      expect(body).toContain("ECHO: hello");
      expect(body).toContain("ECHO: again");
      expect(body).not.toContain("Welcome to TCP Server");
      await expectAccessible(page);
      await shot(page, `applied-wide-${lang}`);
      await page.emulateMedia({ colorScheme: "dark" });
      await shot(page, `applied-dark-${lang}`);
      await expectAccessible(page);
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, `applied-narrow-dark-${lang}`);
      await page.emulateMedia({ colorScheme: "light" });
      await shot(page, `applied-narrow-${lang}`);
      await page.setViewportSize({ width: 1280, height: 800 });

      // New traffic is filtered as it arrives.
      await page.getByRole("textbox", { name: text.message, exact: true }).fill("third");
      await page.getByRole("button", { name: text.send, exact: true }).click();
      await expect(list.getByRole("option", { name: /ECHO: third/ })).toBeVisible();
      await expect(list.getByRole("option")).toHaveCount(3);

      // A filter nothing matches says so; an empty one shows everything again.
      await filter.fill('text.line contains "nothing like this"');
      await filter.press("Enter");
      await expect(page.getByText(text.noMatch)).toBeVisible();
      await filter.fill("");
      await filter.press("Enter");
      await expect(list.getByRole("option", { name: /Welcome to TCP Server!/ })).toBeVisible();
    });

    test("a capture-based filter on the segments: tcp.flags.syn == 1 keeps the SYN and the SYN-ACK, counted among segments", async ({ page }) => {
      await page.goto("/lessons/tcp");
      const list = events(page, lang);
      await page.getByRole("button", { name: text.connect, exact: true }).click();
      await expect(list.getByRole("option", { name: /Welcome to TCP Server!/ })).toBeVisible();
      await page.getByRole("textbox", { name: text.message, exact: true }).fill("hello");
      await page.getByRole("button", { name: text.send, exact: true }).click();
      await expect(list.getByRole("option", { name: /ECHO: hello/ })).toBeVisible();
      await page.getByRole("button", { name: text.segments, exact: true }).click();
      await expect(list.getByRole("option", { name: /\[SYN\] Seq=0/ })).toBeVisible();
      // The handshake, the greeting, the message and its echo, their ACKs: more segments than the filter keeps.
      await expect.poll(() => list.getByRole("option").count()).toBeGreaterThan(4);

      const filter = page.getByRole("combobox", { name: text.filter });
      await filter.fill("tcp.flags.syn == 1");
      await filter.press("Enter");
      await expect(list.getByRole("option")).toHaveCount(2);
      await expect(list.getByRole("option").nth(0)).toHaveAccessibleName(/\[SYN\] Seq=0 /);
      await expect(list.getByRole("option").nth(1)).toHaveAccessibleName(/\[SYN, ACK\] Seq=0 Ack=1 /);
      // The count is of captured segments, the zoom's own events, not of messages and segments together.
      await expect(filter).toHaveAccessibleDescription(text.synMatches);
      // Its M is the toolbar's count of segments ("12 segments · 1,234 bytes on the wire"), not messages and segments.
      // A late ACK may still arrive between the two reads: read them again until they agree.
      const counter = page.getByText(text.segmentCounter);
      await expect
        .poll(async () => {
          const segmentCount = Number((text.segmentCounter.exec((await counter.textContent()) ?? "") ?? [])[1]);
          const described = await filter.evaluate((input) => input.getAttribute("aria-describedby")!.split(" ").map((id) => document.getElementById(id)?.textContent ?? "").join(" "));
          return Number(/\d+\D+(\d+)/.exec(described)?.[1]) - segmentCount;
        }, { message: "the filter's M is the toolbar's count of segments" })
        .toBe(0);
      await expectAccessible(page);
      await shot(page, `syn-${lang}`);
    });
  });
}
