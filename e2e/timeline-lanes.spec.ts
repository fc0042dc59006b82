// Lanes per host on the packet timeline (issue 15 §1.2 and §1.6): the connections of one host share a lane, so at
// 1280 px with the details open the server lane and the newest arrow stay in view after five connections; the
// host's lane splits into one lane per endpoint and joins again from the keyboard; a student's own program is
// told apart from the lab's client.

import net from "node:net";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectAccessible, PORTS } from "./fixtures";

test.use({ viewport: { width: 1280, height: 800 }, locale: "en-US" });

/** A connection of "your program" to the echo server that has sent `text`. */
async function program(text: string): Promise<net.Socket> {
  const socket = net.connect({ host: "127.0.0.1", port: PORTS.echo });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  socket.write(text);
  return socket;
}

/** The ladder's scrolling box: the element whose visible part is what the reader sees of the lanes. */
function ladderBox(list: Locator): Promise<{ left: number; right: number; top: number; bottom: number }> {
  return list.evaluate((element) => {
    let box: HTMLElement | null = element.parentElement;
    while (box && getComputedStyle(box).overflowX !== "auto") box = box.parentElement;
    if (!box) throw new Error("the ladder has no scrolling box");
    const rect = box.getBoundingClientRect();
    return { left: rect.left, right: rect.left + box.clientWidth, top: rect.top, bottom: rect.top + box.clientHeight };
  });
}

async function expectWithin(page: Page, item: Locator, list: Locator): Promise<void> {
  const box = await ladderBox(list);
  const rect = await item.boundingBox();
  expect(rect, "the item is laid out").not.toBeNull();
  expect(rect!.x).toBeGreaterThanOrEqual(box.left);
  expect(rect!.x + rect!.width).toBeLessThanOrEqual(box.right + 0.5);
  expect(rect!.y).toBeGreaterThanOrEqual(box.top - 0.5);
  expect(rect!.y + rect!.height).toBeLessThanOrEqual(box.bottom + 0.5);
  await expect(item).toBeInViewport({ ratio: 1 });
}

test("five connections from one host share a lane: the server lane and the newest arrow stay in view", async ({ page }) => {
  await page.goto("/lessons/tcp");
  await expect(page.getByText("Connected to the lab", { exact: true })).toBeVisible();
  const list = page.getByRole("listbox", { name: "Events" });
  const lanes = page.getByRole("list", { name: "Endpoints" });

  // The lab's own client, from the lesson's button; its greeting selected, so the details are open beside the ladder.
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  const welcome = list.getByRole("option", { name: /Welcome to TCP Server!/ }).first();
  await expect(welcome).toBeVisible();
  await welcome.click();
  await expect(page.getByRole("tree", { name: "Fields of the event" })).toBeVisible();

  // Five connections of the student's program.
  const sockets: net.Socket[] = [];
  try {
    for (let i = 1; i <= 5; i++) {
      sockets.push(await program(`program ${i}`));
      await expect(list.getByRole("option", { name: new RegExp(`ECHO: program ${i}\\b`) })).toBeVisible();
    }
    const ports = sockets.map((socket) => socket.localPort!);

    // One lane for the program's connections (at least these five: the session may see more of this host's), one for
    // the lab's client, and the echo server's lane, all within the ladder's visible box.
    const yours = lanes.getByRole("listitem").filter({ hasText: "your program" });
    await expect(yours).toHaveCount(1);
    // The lab names the program when the host lets it see the process (here: this test's own node).
    const toggle = yours.getByRole("button", { name: /^\d+ connections of your program: node 127\.0\.0\.1, a lane for each socket$/ });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(Number(/^(\d+)/.exec((await toggle.textContent())?.replace(/^\W+/, "") ?? "")?.[1])).toBeGreaterThanOrEqual(5);
    await expect(lanes.getByRole("listitem").filter({ hasText: "lab client" })).toHaveCount(1);
    const server = lanes.getByRole("listitem").filter({ hasText: "lab server: tcp-echo" });
    await expectWithin(page, server, list);
    await expectWithin(page, yours, list);

    // The newest arrow is in view (the ladder followed it) and its name says which connection it belongs to.
    const newest = list.getByRole("option", { name: /ECHO: program 5\b/ });
    await expect(newest).toHaveAttribute("aria-label", new RegExp(`127\\.0\\.0\\.1:${ports[4]}`));
    await expectWithin(page, newest, list);
    await expectAccessible(page);

    // Split: a lane per endpoint, each named by it; the server lane still in view.
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    for (const port of ports) {
      await expect(lanes.getByRole("listitem").filter({ hasText: `127.0.0.1:${port}` })).toHaveCount(1);
    }
    await expectWithin(page, server, list);
    await expectAccessible(page);

    // Joined again from the keyboard.
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(lanes.getByRole("listitem").filter({ hasText: `127.0.0.1:${ports[0]}` })).toHaveCount(0);

    // A message after a scroll away and back to the bottom still arrives in view: the ladder follows again. Each
    // scroll is left two frames, so that its scroll event has been handled.
    const scrollTo = (where: "top" | "bottom") =>
      list.evaluate(async (element, to) => {
        const box = element.parentElement!.parentElement!;
        box.scrollTop = to === "top" ? 0 : box.scrollHeight;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return box.scrollTop;
      }, where);
    expect(await scrollTo("top")).toBe(0);
    await scrollTo("bottom");
    await expect(newest).toBeInViewport();
    sockets[2]!.write("program again");
    await expectWithin(page, list.getByRole("option", { name: /ECHO: program again/ }), list);

    await page.emulateMedia({ colorScheme: "dark" });
    await expectAccessible(page);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
});
