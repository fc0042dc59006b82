// Jumping across a long ladder (issue 9 §3). After a jump the ladder reuses the elements of the rows it showed before
// for the rows it shows now (ladder.tsx: the new rows take the old rows' React keys, in order). After jumps to the top,
// the middle and the bottom of 300 events, every row on screen still shows, names and selects its own event, in
// reading order; the mouse and the keyboard select the row they point at; axe finds nothing.

import net from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { E2E_NO_CAPTURE_OFFSET } from "../playwright.config";
import { expectAccessible } from "./fixtures";

const WEB = `http://127.0.0.1:${3000 + E2E_NO_CAPTURE_OFFSET}`;
const ECHO = 8888 + E2E_NO_CAPTURE_OFFSET;
/** Each one a read and a write on the ladder: several screens of rows, more than the virtualiser keeps. */
const MESSAGES = 150;

/** An echo connection that sends one message at a time and waits for its echo, so each is a read of its own. */
async function echoClient() {
  const socket = net.connect({ host: "127.0.0.1", port: ECHO });
  let received = "";
  let waiting: { want: string; done: () => void } | null = null;
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString("utf8");
    if (waiting && received.includes(waiting.want)) {
      received = "";
      waiting.done();
      waiting = null;
    }
  });
  await new Promise<void>((resolve) => socket.once("data", () => resolve()));
  return {
    send: (text: string) =>
      new Promise<void>((resolve) => {
        waiting = { want: `ECHO: ${text}`, done: resolve };
        socket.write(text);
      }),
    close: () => socket.destroy(),
  };
}

interface ShownRow {
  readonly id: string;
  readonly name: string;
  readonly text: string;
  readonly y: number;
}

/** Scrolls the ladder to `fraction` of its height (0 top, 1 bottom) and waits for the rows to follow. */
async function jumpTo(page: Page, fraction: number): Promise<ShownRow[]> {
  return page.getByRole("listbox", { name: "Events" }).evaluate(async (list, fraction) => {
    const scroller = list.closest(".overflow-auto") as HTMLElement;
    scroller.scrollTop = Math.round((scroller.scrollHeight - scroller.clientHeight) * fraction);
    for (let i = 0; i < 3; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    return [...list.querySelectorAll<HTMLElement>('[role="option"]')].map((row) => ({
      id: row.id,
      name: row.getAttribute("aria-label") ?? "",
      text: row.textContent ?? "",
      y: new DOMMatrix(getComputedStyle(row).transform).m42,
    }));
  }, fraction);
}

test("rows reused across jumps show, name and select their own events", async ({ page }) => {
  await page.goto(`${WEB}/lessons/tcp`);
  await expect(page.getByText("Connected to the lab", { exact: true })).toBeVisible({ timeout: 30_000 });
  const marker = `jump${Date.now() % 1_000_000}-`;
  const client = await echoClient();
  for (let i = 0; i < MESSAGES; i++) await client.send(`${marker}${i}`);
  const events = page.getByRole("listbox", { name: "Events" });
  // The ladder follows the newest events: the last echo is on screen.
  await expect(events.getByRole("option", { name: new RegExp(`${marker}${MESSAGES - 1}(?!\\d)`) }).last()).toBeVisible({ timeout: 15_000 });

  const numberIn = (words: string) => Number(new RegExp(`${marker}(\\d+)`).exec(words)?.[1] ?? NaN);
  const seen = new Set<number>();
  for (const fraction of [0, 0.5, 1, 0.25, 0.75, 0.5]) {
    const rows = await jumpTo(page, fraction);
    expect(rows.length).toBeGreaterThan(10);
    // One element per row, in reading order from the top.
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    expect(rows.map((row) => row.y)).toEqual(rows.map((row) => row.y).toSorted((a, b) => a - b));
    const ours = rows.filter((row) => row.name.includes(marker));
    expect(ours.length, `rows of this test's messages at ${fraction}`).toBeGreaterThan(5);
    let last = -1;
    for (const row of ours) {
      // What the row shows is what its name says: a reused row has no text left from the event it showed before.
      const n = numberIn(row.name);
      expect(numberIn(row.text), `${row.name} shows ${row.text}`).toBe(n);
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
      seen.add(n);
    }
  }
  expect(seen.has(0) && seen.has(MESSAGES - 1)).toBe(true);

  // The mouse selects the row it is on, in the middle of a jump's screen.
  const middle = (await jumpTo(page, 0.5)).filter((row) => row.name.includes(marker));
  const target = middle[Math.floor(middle.length / 2)]!;
  const row = events.getByRole("option", { name: target.name, exact: true });
  await row.click();
  await expect(row).toHaveAttribute("aria-selected", "true");
  await expect(events).toHaveAttribute("aria-activedescendant", target.id);
  await expect(events.locator('[aria-selected="true"]')).toHaveCount(1);

  // The keyboard steps from it to the next row, and Home and End reach both ends of the ladder.
  await events.focus();
  await page.keyboard.press("ArrowDown");
  const next = events.locator('[aria-selected="true"]');
  await expect(next).toHaveCount(1);
  const nextId = await next.getAttribute("id");
  expect(nextId).not.toBe(target.id);
  await expect(events).toHaveAttribute("aria-activedescendant", nextId!);
  // The selected row is the lowest on screen after End and the highest after Home, with the ladder at that end.
  const selectedAt = () =>
    events.evaluate((list) => {
      const scroller = list.closest(".overflow-auto") as HTMLElement;
      const ys = [...list.querySelectorAll<HTMLElement>('[role="option"]')].map((row) => new DOMMatrix(getComputedStyle(row).transform).m42);
      const selected = list.querySelector<HTMLElement>('[aria-selected="true"]');
      return {
        selected: selected ? new DOMMatrix(getComputedStyle(selected).transform).m42 : NaN,
        lowest: Math.max(...ys),
        highest: Math.min(...ys),
        fromTop: scroller.scrollTop,
        fromBottom: scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop,
      };
    });
  await page.keyboard.press("End");
  await expect.poll(async () => { const at = await selectedAt(); return at.selected === at.lowest && at.fromBottom < 2; }).toBe(true);
  await page.keyboard.press("Home");
  await expect.poll(async () => { const at = await selectedAt(); return at.selected === at.highest && at.fromTop < 2; }).toBe(true);
  client.close();
  await expectAccessible(page);
});
