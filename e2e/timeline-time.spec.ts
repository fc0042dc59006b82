// Time on the vertical axis (issue 15 §2), driven on the TCP lesson in English and Russian: sloped arrows (each
// message's ends apart by its real delay, at the ladder's scale: the lab's own client's write or read to the server's
// read or write, end to end, with the carrying segment's wire time between them, and the details saying so), and the
// time-sequence graph of experiment B's one write of 100 KB, opened on the neighbourhood of the event it was opened
// from (marked), zoomed out to the whole connection and back by mouse and keyboard (the segments that carried it, the
// ACK and window lines, keyboard to a point and back to the timeline). On the lab without capture the lab client's
// arrows still slope end to end, an outside program's are flat and say why, and the graph is empty and says why.
// axe in light and dark.

import net from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { E2E_NO_CAPTURE_OFFSET } from "../playwright.config";
import { expectAccessible } from "./fixtures";

const TEXT = {
  en: {
    connected: "Connected to the lab",
    events: "Events",
    sloped: "Sloped by delay",
    bulk: "B: one write of 100 KB",
    pingPong: "A: two writes, ping and pong",
    done: /Done: the server read the data in \d+ recv\(\) calls/,
    open: "Time-sequence graph",
    title: "Time-sequence graph",
    clientToServer: "Client to server",
    serverToClient: "Server to client",
    plot: /Sequence numbers of client to server over time/,
    table: "The points as a table",
    point: /^Segment (\d+) of (\d+): event (\d+),/,
    segmentHeading: (n: string) => `Event ${n}: TCP segment`,
    us: "µs",
    ms: "ms",
    slope: /Slope, end to end: the lab's client wrote the first byte at ([\d.,\s]+) ms, the server read it at ([\d.,\s]+) ms: (.+) later\./,
    slopeWrite: /Slope, end to end: the server wrote at ([\d.,\s]+) ms, the lab's client had read the last byte at ([\d.,\s]+) ms: (.+) later\./,
    wire: /On the way, the segment that carried it was on the wire at ([\d.,\s]+) ms\./,
    flatNoCapture: "Drawn flat: the lab knows one time of this arrow (wire capture is off",
    outside: "The lab does not know when your program itself wrote or read",
    around: /^Showing the time around event (\d+) \(/,
    aroundButton: (n: string) => `Around event ${n}`,
    whole: "Whole connection",
    peerWrote: "the client wrote",
    peerRead: "the client had read",
    emptyNoCapture: "Empty: wire capture is off on this lab, and socket events have no sequence numbers.",
  },
  ru: {
    connected: "Связь с лабораторией есть",
    events: "События",
    sloped: "Наклон по задержке",
    bulk: "B: одна запись на 100 КБ",
    pingPong: "A: две записи, ping и pong",
    done: /Готово: сервер прочитал данные за \d+ вызов/,
    open: "График «время — номер»",
    title: "График «время — номер последовательности»",
    clientToServer: "От клиента к серверу",
    serverToClient: "От сервера к клиенту",
    plot: /Номера последовательности \(от клиента к серверу\) во времени/,
    table: "Точки графика таблицей",
    point: /^Сегмент (\d+) из (\d+): событие (\d+),/,
    segmentHeading: (n: string) => `Событие ${n}: сегмент TCP`,
    us: "мкс",
    ms: "мс",
    slope: /Наклон из конца в конец: клиент лаборатории записал первый байт в ([\d.,\s]+) мс, сервер прочитал его в ([\d.,\s]+) мс — на (.+) позже\./,
    slopeWrite: /Наклон из конца в конец: сервер записал в ([\d.,\s]+) мс, клиент лаборатории дочитал последний байт в ([\d.,\s]+) мс — на (.+) позже\./,
    wire: /По пути сегмент, который его нёс, был в сети в ([\d.,\s]+) мс\./,
    flatNoCapture: "Нарисовано горизонтально: лаборатория знает только одно время этой стрелки (захват трафика выключен",
    outside: "Когда ваша программа сама писала и читала, лаборатория не знает",
    around: /^Показано время вокруг события (\d+) \(/,
    aroundButton: (n: string) => `Вокруг события ${n}`,
    whole: "Всё соединение",
    peerWrote: "клиент записал",
    peerRead: "клиент дочитал",
    emptyNoCapture: "Пусто: захват трафика в этой лаборатории выключен, а у событий сокетов нет номеров последовательности.",
  },
} as const;

/** The ladder's line in a row (event-row.tsx LINE_Y) and the scale and cut of time-scale.ts. */
const LINE_Y = 31;
const PX_PER_US = 1;
const MAX_DROP_PX = 80;

/**
 * The first message drawn sloped by a delay above zero: a read's arrow comes down to the row's line from above, a
 * write's goes down from it. (A read whose segment the capture timed after it is drawn flat, so either may be first.)
 */
async function firstSloped(page: Page, lang: keyof typeof TEXT) {
  const list = page.getByRole("listbox", { name: TEXT[lang].events });
  await list.focus();
  await page.keyboard.press("Home");
  const option = list.getByRole("option").filter({ has: page.locator('[data-testid="sloped-arrow"]:not([data-delay-ns="0"])') }).first();
  await expect(option).toBeVisible();
  return option;
}

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];
  test.describe(`time on the vertical axis (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("sloped arrows and experiment B's time-sequence graph", async ({ page }) => {
      await page.goto("/lessons/tcp");
      await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
      await page.getByRole("button", { name: text.bulk }).click();
      await expect(page.getByText(text.done)).toBeVisible({ timeout: 20_000 });

      // Sloped: off by default, on in the URL once pressed.
      const toggle = page.getByRole("button", { name: text.sloped });
      await expect(toggle).toHaveAttribute("aria-pressed", "false");
      await expect(page.getByTestId("sloped-arrow")).toHaveCount(0);
      await toggle.click();
      await expect(toggle).toHaveAttribute("aria-pressed", "true");
      await expect(page).toHaveURL(/[?&]slope=delay/);

      // A message of this connection: from the time its bytes left to the time they arrived.
      const option = await firstSloped(page, lang);
      const arrow = option.getByTestId("sloped-arrow");
      const delayNs = Number(await arrow.getAttribute("data-delay-ns"));
      expect(delayNs).toBeGreaterThan(0);
      const y1 = Number(await arrow.getAttribute("data-y1"));
      const y2 = Number(await arrow.getAttribute("data-y2"));
      const drawn = Math.min((delayNs / 1000) * PX_PER_US, MAX_DROP_PX);
      expect(y2 - y1).toBeCloseTo(drawn, 6);
      // A read ends on its row's line (the server's read), a write starts there (the server's write).
      const read = y2 === LINE_Y;
      expect(read ? y2 : y1).toBe(LINE_Y);
      expect(await arrow.getAttribute("data-broken")).toBe(delayNs / 1000 > MAX_DROP_PX ? "true" : null);
      // Rows are still rows: the option keeps its name, and selecting it tells what the slope is based on.
      await option.click();
      const note = page.getByTestId("slope-note");
      const slopeWords = read ? text.slope : text.slopeWrite;
      await expect(note).toHaveText(slopeWords);
      const [, from, to, delay] = slopeWords.exec((await note.textContent()) ?? "") ?? [];
      // The time column's format: "2,345.678" in English, "2 345,678" in Russian.
      const ms = (s: string | undefined) => Number(lang === "en" ? (s ?? "").replace(/,/g, "") : (s ?? "").replace(/\s/g, "").replace(",", "."));
      // The two times are the ends of the delay the arrow is drawn by (each rounded to a microsecond).
      expect(Math.abs((ms(to) - ms(from)) * 1e6 - delayNs)).toBeLessThanOrEqual(1000);
      // Wire capture runs: the segment that carried it is said too, with its capture time (on the wall clock mapped to
      // the host's, so it may sit a few microseconds off the span; the ends themselves are on one clock).
      await expect(note).toHaveText(text.wire);
      const us = delayNs / 1000;
      const words =
        us < 1000
          ? `${new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(Math.round(us * 10) / 10)} ${text.us}`
          : `${new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(Math.round(us / 10) / 100)} ${text.ms}`;
      expect(delay).toBe(words);

      // The graph of this connection, opened on the event's direction and its neighbourhood, the event marked.
      const selected = /\d+/.exec((await page.getByRole("heading", { level: 2, name: /^(Event|Событие) \d+/ }).first().textContent()) ?? "")?.[0] ?? "";
      await page.getByRole("button", { name: text.open }).click();
      const dialog = page.getByRole("dialog", { name: text.title });
      await expect(dialog).toBeVisible();
      await expect(dialog.getByRole("radio", { name: read ? text.clientToServer : text.serverToClient })).toBeChecked();
      const around = dialog.getByTestId("seq-graph-around");
      await expect(around).toHaveText(text.around);
      expect(text.around.exec((await around.textContent()) ?? "")?.[1]).toBe(selected);
      await expect(dialog.getByTestId("seq-graph-event-mark")).toBeVisible();
      // The lab client's end of the same message is marked too: its segments lie between the two.
      await expect(dialog.getByTestId("seq-graph-peer-mark")).toHaveText(read ? text.peerWrote : text.peerRead);
      // The client's direction: the one write of 102,400 bytes cut into segments, every byte once, acknowledged by
      // the server's segments. Zoomed out to the whole connection with the mouse, back around the event, then out by key.
      await dialog.getByRole("radio", { name: text.clientToServer }).check();
      const plot = dialog.getByRole("group", { name: text.plot });
      await expect(plot).toBeVisible();
      const marks = dialog.getByTestId("seq-graph-point-mark");
      await dialog.getByRole("button", { name: text.whole }).click();
      await expect(around).toBeHidden();
      const wholeCount = await marks.count();
      await dialog.getByRole("button", { name: text.aroundButton(selected) }).click();
      await expect(around).toHaveText(text.around);
      await plot.focus();
      await page.keyboard.press("0");
      await expect(around).toBeHidden();
      expect(await marks.count()).toBe(wholeCount);
      // SYN, at least two segments of data (one write larger than the loopback MSS of 65,483 bytes), FIN.
      expect(await marks.count()).toBeGreaterThanOrEqual(4);
      await dialog.getByText(text.table).click();
      const rows = dialog.getByRole("table").getByRole("row");
      // Segments sent again (a loopback retransmission on a busy machine, drawn in red) carry bytes a second time.
      const lengths = (
        await rows.evaluateAll((trs) => trs.slice(1).map((tr) => (tr.className.includes("text-red") ? "0" : (tr.children[4]?.textContent ?? ""))))
      ).map((s) => Number(s.replace(/\D/g, "")));
      const ends = (await rows.evaluateAll((trs) => trs.slice(1).map((tr) => tr.children[3]?.textContent ?? ""))).map((s) => Number(s.replace(/\D/g, "")));
      expect(lengths.reduce((a, b) => a + b, 0)).toBe(102_400);
      expect(lengths.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
      // The data ends at 102,401 (the SYN took 0); the FIN takes one more number.
      expect(ends).toContain(102_401);
      const ack = dialog.getByTestId("seq-graph-ack");
      expect(Number(await ack.getAttribute("data-acks"))).toBeGreaterThanOrEqual(2);
      expect(await ack.getAttribute("d")).toMatch(/^M[\d.-]+,[\d.-]+ L/);
      expect(await dialog.getByTestId("seq-graph-window").getAttribute("d")).toMatch(/^M/);

      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);
      await page.emulateMedia({ colorScheme: "light" });
      await expectAccessible(page);

      // Keyboard: to the last segment, zoom in on it, then Enter selects it on the timeline.
      await plot.focus();
      await page.keyboard.press("End");
      const point = dialog.getByTestId("seq-graph-point");
      await expect(point).toHaveText(text.point);
      const [, index, count, eventNumber] = text.point.exec((await point.textContent()) ?? "") ?? [];
      expect(index).toBe(count);
      await page.keyboard.press("+");
      await page.keyboard.press("Enter");
      await expect(dialog).toBeHidden();
      await expect(page.getByRole("heading", { name: text.segmentHeading(eventNumber ?? "") })).toBeVisible();
    });

    test("without capture: the lab client's arrows end to end, an outside program's flat, the graph empty, each saying why", async ({ page }) => {
      await page.goto(`http://127.0.0.1:${3000 + E2E_NO_CAPTURE_OFFSET}/lessons/tcp?slope=delay`);
      await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
      await page.getByRole("button", { name: text.pingPong }).click();
      const events = page.getByRole("listbox", { name: text.events });
      const ping = events.getByRole("option", { name: /ping/ }).first();
      await expect(ping).toBeVisible({ timeout: 20_000 });
      // The lab's own client timed its write of "ping": sloped without any capture, from its write to the server's read.
      await expect(ping.getByTestId("sloped-arrow")).toBeVisible();
      await ping.click();
      const note = page.getByTestId("slope-note");
      await expect(note).toHaveText(text.slope);
      await expect(note).not.toContainText(text.outside);

      // An outside program (a plain socket from this machine): its own times are unknown, and it is said.
      const socket = net.connect({ host: "127.0.0.1", port: 8888 + E2E_NO_CAPTURE_OFFSET });
      await new Promise<void>((resolve) => socket.once("data", () => resolve()));
      socket.write("outside");
      const outside = events.getByRole("option", { name: /"outside"/ }).first();
      await expect(outside).toBeVisible({ timeout: 10_000 });
      await expect(outside.getByTestId("sloped-arrow")).toHaveCount(0);
      await outside.click();
      await expect(note).toContainText(text.flatNoCapture);
      await expect(note).toContainText(text.outside);
      socket.destroy();

      await ping.click();
      await page.getByRole("button", { name: text.open }).click();
      await expect(page.getByRole("dialog", { name: text.title }).getByTestId("seq-graph-empty")).toContainText(text.emptyNoCapture);
      await expectAccessible(page);
    });
  });
}
