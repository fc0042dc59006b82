// Step-by-step playback on the timeline (issue 15 §2), driven as a student would in English and in Russian: an echo
// exchange on the TCP lesson, stepped through with the buttons and the keys, the details and the selected arrow
// following each step, the step announced politely, the live feed held while stepping and resumed by "Back to live",
// the display filter deciding what is stepped through, and play running to the end by itself.

import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./fixtures";

const TEXT = {
  en: {
    connect: "Connect",
    message: "Message",
    send: "Send",
    events: "Events",
    playback: "Playback",
    drawer: "Socket calls and timeline",
    back: "Step back",
    forward: "Step forward",
    play: "Play",
    pause: "Pause",
    speed: "Speed",
    live: "Back to live",
    paused: "Paused",
    liveStatus: "Live",
    filter: "Display filter",
    event: (n: string) => `Event ${n}`,
    step: (place: number, total: number) => `Step ${place} of ${total}`,
    keys: /Keys: \[ back, \] forward, P play or pause/,
    end: "End of the events shown.",
    start: "This is the first event shown.",
    announce: /^Step (\d+) of (\d+): event (\d+), /,
    sent: /Client to server/,
    pending: /\d+ new events? waiting/,
  },
  ru: {
    connect: "Подключиться",
    message: "Сообщение",
    send: "Отправить",
    events: "События",
    playback: "Пошаговый просмотр",
    drawer: "Вызовы сокетов и временная шкала",
    back: "Шаг назад",
    forward: "Шаг вперёд",
    play: "Воспроизвести",
    pause: "Пауза",
    speed: "Скорость",
    live: "Вернуться к живой ленте",
    paused: "На паузе",
    liveStatus: "В реальном времени",
    filter: "Фильтр отображения",
    event: (n: string) => `Событие ${n}`,
    step: (place: number, total: number) => `Шаг ${place} из ${total}`,
    keys: /Клавиши: \[ \(Х\) назад, \] \(Ъ\) вперёд, P \(З\) воспроизведение или пауза/,
    end: "Показанные события закончились.",
    start: "Это первое показанное событие.",
    announce: /^Шаг (\d+) из (\d+): событие (\d+), /,
    sent: /От клиента к серверу/,
    pending: /жд(ёт|ут) \d+ нов/,
  },
} as const;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/shots-T2/${name}.png` });
}

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];

  test.describe(`timeline playback (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("steps through an echo exchange with the details following, by buttons and keys; play runs to the end", async ({ page }) => {
      await page.goto("/lessons/tcp");
      const list = page.getByRole("listbox", { name: text.events });
      await page.getByRole("button", { name: text.connect, exact: true }).click();
      await expect(list.getByRole("option", { name: /Welcome to TCP Server!/ })).toBeVisible();
      for (const message of ["hello", "again"]) {
        await page.getByRole("textbox", { name: text.message, exact: true }).fill(message);
        await page.getByRole("button", { name: text.send, exact: true }).click();
        await expect(list.getByRole("option", { name: new RegExp(`ECHO: ${message}`) })).toBeVisible();
      }
      const rows = await list.getByRole("option").count();
      // Opened, the greeting, two messages and their two echoes.
      expect(rows).toBe(6);

      // The playback row is folded away until its switch in the toolbar opens it.
      const bar = page.getByRole("group", { name: text.playback });
      const barSwitch = page.getByRole("button", { name: text.playback, exact: true });
      await expect(barSwitch).toHaveAttribute("aria-expanded", "false");
      await expect(bar).toBeHidden();
      await barSwitch.click();
      await expect(barSwitch).toHaveAttribute("aria-expanded", "true");
      await expect(bar).toHaveAccessibleDescription(text.keys);
      const back = bar.getByRole("button", { name: text.back });
      const forward = bar.getByRole("button", { name: text.forward });
      const details = page.getByRole("heading", { level: 2 });
      const selected = list.getByRole("option", { selected: true });

      // The first step selects the first event shown: the connection opened; the live feed holds still.
      await forward.click();
      await expect(bar.getByText(text.step(1, rows), { exact: true })).toBeVisible();
      await expect(selected).toHaveCount(1);
      const announced = bar.locator("p[aria-live=polite]");
      // The event's number as announced (the session's numbering, which counts captured segments too).
      const announcedNumber = async () => {
        await expect(announced).toHaveText(text.announce);
        const [, , , number] = text.announce.exec((await announced.textContent()) ?? "") ?? [];
        return number!;
      };
      await expect(announced).toHaveText(text.announce);
      const [, place, total] = text.announce.exec((await announced.textContent()) ?? "") ?? [];
      expect([place, total]).toEqual(["1", String(rows)]);
      await expect(details.filter({ hasText: text.event(await announcedNumber()) })).toBeVisible();
      await expect(page.getByText(new RegExp(`^${text.paused}`))).toBeVisible();

      // Keys: ] forward to the greeting, then the client's "hello" with its bytes in the details.
      await page.keyboard.press("BracketRight");
      await expect(selected).toHaveAccessibleName(/Welcome to TCP Server!/);
      await page.keyboard.press("BracketRight");
      await expect(selected).toHaveAccessibleName(/hello/);
      await expect(selected).toHaveAccessibleName(text.sent);
      await expect(bar.getByText(text.step(3, rows), { exact: true })).toBeVisible();
      await expect(announced).toHaveText(new RegExp(`^${text.step(3, rows)}: .*hello`));
      await expect(page.getByRole("region", { name: text.event(await announcedNumber()) })).toContainText("hello");
      await page.keyboard.press("BracketRight");
      await expect(selected).toHaveAccessibleName(/ECHO: hello/);
      // [ back again.
      await page.keyboard.press("BracketLeft");
      await expect(selected).toHaveAccessibleName(/hello/);
      await expect(selected).not.toHaveAccessibleName(/ECHO/);
      await forward.click();
      await forward.click();
      await forward.click();
      await expect(selected).toHaveAccessibleName(/ECHO: again/);
      await page.keyboard.press("BracketRight");
      await expect(announced).toHaveText(text.end);
      await expectAccessible(page);
      await shot(page, `stepped-wide-${lang}`);
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);
      await shot(page, `stepped-dark-${lang}`);
      await page.setViewportSize({ width: 390, height: 844 });
      // On a phone the timeline is a drawer beside the experiment: opened, the bar is in it, usable.
      const toggle = page.getByRole("complementary", { name: text.drawer }).getByRole("button", { name: text.drawer });
      if ((await toggle.getAttribute("aria-expanded")) === "false") await toggle.click();
      await expect(bar).toBeInViewport();
      await expectAccessible(page);
      await shot(page, `stepped-narrow-dark-${lang}`);
      await page.emulateMedia({ colorScheme: "light" });
      await shot(page, `stepped-narrow-${lang}`);
      await page.setViewportSize({ width: 1280, height: 800 });

      // While stepping, new traffic waits; back to live shows it and follows again.
      await page.getByRole("textbox", { name: text.message, exact: true }).fill("third");
      await page.getByRole("button", { name: text.send, exact: true }).click();
      await expect(page.getByText(text.pending)).toBeVisible();
      await expect(list.getByRole("option", { name: /ECHO: third/ })).toHaveCount(0);
      await bar.getByRole("button", { name: text.live }).click();
      await expect(list.getByRole("option", { name: /ECHO: third/ })).toBeVisible();
      await expect(page.getByText(text.liveStatus, { exact: true })).toBeVisible();
      await expect(bar.getByRole("button", { name: text.live })).toHaveCount(0);

      // The display filter decides what is stepped through: only the three echoes, played to the end by themselves.
      const filter = page.getByRole("combobox", { name: text.filter });
      await filter.fill('text.line contains "ECHO"');
      await filter.press("Enter");
      await expect(list.getByRole("option")).toHaveCount(3);
      await bar.getByRole("combobox", { name: text.speed }).selectOption("4");
      // The selection stayed on the second echo, now step 2 of the 3 shown.
      await expect(selected).toHaveAccessibleName(/ECHO: again/);
      await expect(bar.getByText(text.step(2, 3), { exact: true })).toBeVisible();
      await forward.click();
      await expect(selected).toHaveAccessibleName(/ECHO: third/);
      await expect(bar.getByText(text.step(3, 3), { exact: true })).toBeVisible();
      await page.keyboard.press("KeyP");
      // Play from the last event starts over at the first, then steps on by itself and stops at the end.
      await expect(bar.getByRole("button", { name: text.pause })).toHaveAttribute("aria-pressed", "true");
      await expect(announced).toHaveText(text.end);
      await expect(bar.getByRole("button", { name: text.play })).toHaveAttribute("aria-pressed", "false");
      await expect(selected).toHaveAccessibleName(/ECHO: third/);
      await back.click();
      await back.click();
      await expect(selected).toHaveAccessibleName(/ECHO: hello/);
      await page.keyboard.press("BracketLeft");
      await expect(announced).toHaveText(text.start);
      await shot(page, `filtered-${lang}`);
    });
  });
}
