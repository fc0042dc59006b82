// A lesson on a 390 px phone screen (issue 15 §1.9): the timeline comes up in a drawer beside the experiment
// whose traffic it shows, instead of 2,000 px below it, and an event's details are a full-height sheet that
// keeps the focus while open and gives it back on Escape. With a mouse and with the keyboard only; axe, light
// and dark.

import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectAccessible } from "./fixtures";

const SCREEN = { width: 390, height: 844 };
test.use({ viewport: SCREEN, locale: "en-US" });

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

function timeline(page: Page) {
  const drawer = page.getByRole("complementary", { name: "Socket calls and timeline" });
  return {
    toggle: drawer.getByRole("button", { name: "Socket calls and timeline" }),
    events: page.getByRole("listbox", { name: "Events" }),
    sheet: page.getByRole("dialog", { name: "Event details" }),
  };
}

/** Both on one screen at once: the page need not scroll to go from one to the other. */
async function expectOnOneScreen(a: Locator, b: Locator) {
  await expect(a).toBeInViewport();
  await expect(b).toBeInViewport();
  const [boxA, boxB] = [(await a.boundingBox())!, (await b.boundingBox())!];
  expect(Math.max(boxA.y + boxA.height, boxB.y + boxB.height) - Math.min(boxA.y, boxB.y)).toBeLessThanOrEqual(SCREEN.height);
}

test("the timeline opens beside the experiment, and an event's details are a sheet", async ({ page }) => {
  await page.goto("/lessons/tcp");
  const { toggle, events, sheet } = timeline(page);
  await expect(toggle).toHaveAttribute("aria-expanded", "false");

  const button = page.getByRole("button", { name: "Connect to the time server" });
  await button.scrollIntoViewIfNeeded();
  await button.click();
  const answer = events.getByRole("option", { name: ISO_TIME });
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expectOnOneScreen(button, answer);
  await expectAccessible(page);

  await answer.click();
  await expect(sheet).toBeVisible();
  expect(await sheet.evaluate((dialog) => dialog.matches(":modal"))).toBe(true);
  expect((await sheet.boundingBox())!.height).toBeGreaterThanOrEqual(SCREEN.height - 1);
  await expect(sheet.getByRole("tree", { name: "Fields of the event" })).toBeVisible();
  await expectAccessible(page);
  await sheet.getByRole("button", { name: "Close the details" }).click();
  await expect(sheet).toBeHidden();

  // The bar closes the drawer and opens it again.
  await toggle.click();
  await expect(events).toBeHidden();
  await toggle.click();
  await expect(answer).toBeInViewport();
});

test("keyboard only: the experiment, the events, the sheet and back", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/lessons/tcp");
  const { toggle, events, sheet } = timeline(page);
  const button = page.getByRole("button", { name: "Connect to the time server" });
  const focused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);

  // From the top of the page to the experiment's button, and Enter.
  for (let i = 0; i < 40 && !(await focused(button)); i++) await page.keyboard.press("Tab");
  await expect(button).toBeFocused();
  await page.keyboard.press("Enter");
  const answer = events.getByRole("option", { name: ISO_TIME });
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expectOnOneScreen(button, answer);

  // On to the events: the drawer's controls come after the experiments, as it stands in the lesson.
  for (let i = 0; i < 80 && !(await focused(events)); i++) await page.keyboard.press("Tab");
  await expect(events).toBeFocused();
  await page.keyboard.press("Home");
  for (let i = 0; i < 10 && !(await events.getByRole("option", { selected: true, name: ISO_TIME }).count()); i++) {
    await page.keyboard.press("ArrowDown");
  }
  await page.keyboard.press("Enter");
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole("heading", { level: 2 })).toBeFocused();
  // The rest of the page is inert while the sheet is open: the focus moves only inside it.
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("Tab");
    expect(await sheet.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
  }
  await expectAccessible(page);
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  // The focus is back on the events, and the event is still the selected one.
  await expect(events).toBeFocused();
  await expect(events.getByRole("option", { selected: true, name: ISO_TIME })).toBeVisible();
});

test("the UDP lesson's timeline is a drawer too", async ({ page }) => {
  await page.goto("/lessons/udp");
  const drawer = page.getByRole("complementary", { name: "Timeline" });
  const toggle = drawer.getByRole("button", { name: "Timeline" });
  await expect(toggle).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  // The table of contents still reaches it.
  await page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "Packet timeline" }).click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("region", { name: "Packet timeline" })).toBeInViewport();
});

test("at 390 px the greeting's table breaks no word across lines", async ({ page }) => {
  await page.goto("/lessons/tcp");
  // Long words in a narrow column: break-all used to cut them anywhere, "уважаем|ый".
  await page.getByRole("textbox", { name: "Message to send" }).fill("Здравствуйте, уважаемый сервер приветствий");
  await page.getByRole("button", { name: "Connect and send" }).click();
  const table = page.getByRole("table", { name: "What crossed the connection" });
  await expect(table.getByRole("cell", { name: "Привет, клиент" })).toBeVisible();
  // A word drawn on two lines has two boxes.
  const broken = await table.evaluate((element) => {
    const words: string[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of (node.textContent ?? "").matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (range.getClientRects().length > 1) words.push(match[0]);
      }
    }
    return words;
  });
  expect(broken).toEqual([]);
});
