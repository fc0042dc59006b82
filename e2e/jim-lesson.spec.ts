// The JIM lesson, driven as students would, in English and in Russian: two browsers log in to the lab's JIM server,
// join one room and chat; the message reaches the other page as the object the server forwarded, and the sender's
// timeline shows its bytes read by the JIM dissector (the object named, the text member lit); the framing experiment's
// two objects in one read and Python's "Extra data" for them; the conformance check against the lab's own server
// (every case passes) and against a hurried homework server run from a fixture script (every case fails, with its
// reasons); axe in light and dark.

import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { E2E_PORT_OFFSET } from "../playwright.config";
import { expectAccessible } from "./fixtures";

const JIM_PORT = 7777 + E2E_PORT_OFFSET;

const TEXT = {
  en: {
    title: "JIM: a messenger over TCP",
    messenger: `The messenger, on the lab's JIM server (port ${JIM_PORT})`,
    name: "Account name (at most 25 characters)",
    login: "Log in as a guest",
    connected: (name: string) => `connected as ${name}`,
    join: "Join",
    room: "Room",
    to: "To (a user, or a #room)",
    text: "Message",
    send: "Send",
    items: "Messages on this connection, both ways",
    aside: "Timeline",
    events: "Events",
    fields: "Fields of the event",
    objectMsg: /^Message/,
    twoAtOnce: "Send two messages at once",
    toServer: "Client to server",
    port: "Port",
    run: "Run the check",
    allPassed: "6 of 6 cases passed.",
    nonePassed: "0 of 6 cases passed.",
    notInteger: '`response` is "200", not an integer',
    clientPanel: "Score your own JIM client",
    go: "Go",
    waiting: /^Waiting for your client/,
    guest: /runs in guest mode/,
    goodConnection: /^Connection from 127\.0\.0\.1:\d+: 4 objects sent$/,
    sloppyConnection: /^Connection from 127\.0\.0\.1:\d+: 2 objects sent$/,
    allClientPassed: "12 of 12 cases passed.",
    cases: /^Cases of the connection from/,
    showOnTimeline: "Show on the timeline (the first message is presence or authenticate, with a numeric time)",
    firstNotPresence: "The first message is msg; the server expects presence (or authenticate) first",
    coalesced: "This object reached the server in the same read as the one before it",
    stringTime: "time is a string (2 messages)",
    justClosed: "The client closed without quit.",
  },
  ru: {
    title: "JIM: мессенджер поверх TCP",
    messenger: `Мессенджер на JIM-сервере лаборатории (порт ${JIM_PORT})`,
    name: "Имя учётной записи (не больше 25 символов)",
    login: "Войти гостем",
    connected: (name: string) => `вы вошли как ${name}`,
    join: "Войти в чат",
    room: "Чат",
    to: "Кому (пользователь или #чат)",
    text: "Сообщение",
    send: "Отправить",
    items: "Сообщения этого соединения в обе стороны",
    aside: "Шкала",
    events: "События",
    fields: "Поля события",
    objectMsg: /^Сообщение/,
    twoAtOnce: "Отправить два сообщения сразу",
    toServer: "От клиента к серверу",
    port: "Порт",
    run: "Запустить проверку",
    allPassed: "Пройдено случаев: 6 из 6.",
    nonePassed: "Пройдено случаев: 0 из 6.",
    notInteger: '`response` — "200", а не целое',
    clientPanel: "Оцените свой JIM-клиент",
    go: "Старт",
    waiting: /^Ждём ваш клиент/,
    guest: /работает в гостевом режиме/,
    goodConnection: /^Соединение с 127\.0\.0\.1:\d+: отправлено 4 объекта$/,
    sloppyConnection: /^Соединение с 127\.0\.0\.1:\d+: отправлено 2 объекта$/,
    allClientPassed: "Пройдено случаев: 12 из 12.",
    cases: /^Случаи соединения с/,
    showOnTimeline: "Показать на шкале (первое сообщение — presence или authenticate с числовым time)",
    firstNotPresence: "Первое сообщение — msg; сервер ждёт сначала presence (или authenticate)",
    coalesced: "Этот объект пришёл на сервер в одном чтении с предыдущим",
    stringTime: "time — строка (2 сообщения)",
    justClosed: "Клиент закрыл соединение без quit.",
  },
} as const;

type Lang = keyof typeof TEXT;

function events(page: Page, lang: Lang) {
  return page.getByRole("complementary", { name: TEXT[lang].aside }).getByRole("listbox", { name: TEXT[lang].events });
}

async function logIn(page: Page, lang: Lang, name: string) {
  const text = TEXT[lang];
  await page.goto("/lessons/jim");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(text.title);
  const messenger = page.getByRole("region", { name: text.messenger });
  await messenger.getByLabel(text.name).fill(name);
  await messenger.getByRole("button", { name: text.login }).click();
  await expect(messenger.getByText(text.connected(name))).toBeVisible();
  return messenger;
}

/** Runs one of the client fixtures (a homework-style client.py) against the e2e lab's jim port, to its end. */
function runClient(script: string): Promise<number | null> {
  const child = spawn("/usr/bin/python3", [`server/lab/testdata/${script}`, "127.0.0.1", String(JIM_PORT)], { stdio: ["ignore", "ignore", "inherit"] });
  return new Promise((resolve) => child.once("exit", resolve));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];
  const locale = lang === "ru" ? "ru-RU" : "en-US";

  test.describe(`JIM lesson (${lang})`, () => {
    test.use({ locale });

    test("two students chat in a room; the message's bytes are on the timeline with the dissector's fields", async ({ browser }) => {
      test.setTimeout(120_000);
      const ann = `ann_${lang}${Date.now() % 10000}`;
      const bob = `bob_${lang}${Date.now() % 10000}`;
      const room = `#e2e_${lang}${Date.now() % 10000}`;
      const a = await (await browser.newContext({ locale })).newPage();
      const b = await (await browser.newContext({ locale })).newPage();
      const annPanel = await logIn(a, lang, ann);
      const bobPanel = await logIn(b, lang, bob);
      for (const panel of [annPanel, bobPanel]) {
        await panel.getByLabel(text.room, { exact: true }).fill(room);
        await panel.getByRole("button", { name: text.join, exact: true }).click();
      }
      await expect(bobPanel.getByRole("list", { name: text.items }).getByText(/"response": ?200/)).toHaveCount(2);
      await annPanel.getByLabel(text.to, { exact: true }).fill(room);
      await annPanel.getByLabel(text.text, { exact: true }).fill("hello from ann");
      await annPanel.getByRole("button", { name: text.send, exact: true }).click();

      // Bob's page gets the object the server forwarded: a bubble, and the JSON beside it.
      const bobItems = bobPanel.getByRole("list", { name: text.items });
      await expect(bobItems.getByText("hello from ann", { exact: true })).toBeVisible();
      await expect(bobItems.getByText(new RegExp(`"from": ?"${ann}"`))).toBeVisible();

      // Ann's timeline: her msg, read by the JIM dissector; its tree names the object and lights the text's bytes.
      const msg = events(a, lang).getByRole("option", { name: new RegExp(`msg ${ann} → ${room}: "hello from ann"`) });
      await expect(msg).toBeVisible();
      await msg.click();
      const tree = a.getByRole("complementary", { name: text.aside }).getByRole("tree", { name: text.fields });
      await expect(tree.getByRole("treeitem", { name: text.objectMsg }).first()).toBeVisible();
      const member = tree.getByRole("treeitem", { name: /"message": "hello from ann"/ });
      await member.click();
      await expect(member).toHaveAttribute("aria-selected", "true");
      await expect(a.locator('[data-column="hex"][data-highlighted="true"]').first()).toBeVisible();
      await expectAccessible(a);
      await a.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(a);
    });

    test("two objects in one write: one read on the timeline, and json.loads's Extra data", async ({ page }) => {
      test.setTimeout(90_000);
      await page.goto("/lessons/jim");
      await page.getByRole("button", { name: text.twoAtOnce }).click();
      await expect(page.getByText(/^json\.decoder\.JSONDecodeError: Extra data: line 1 column \d+ \(char \d+\)$/)).toBeVisible();
      // The server's read of the pair: one event whose label is the first object and counts the second.
      await expect(events(page, lang).getByRole("option", { name: new RegExp(`^${text.toServer}, msg framing\\d+ → framing\\d+: "(first|первое)"`) })).toBeVisible();
      await expectAccessible(page);
    });

    test("the conformance check passes the lab's own server and fails a hurried homework one", async ({ page }) => {
      test.setTimeout(120_000);
      const port = await freePort();
      const broken: ChildProcess = spawn("/usr/bin/python3", ["server/lab/testdata/jim-broken-server.py", "-p", String(port), "-a", "127.0.0.1"], { stdio: ["ignore", "pipe", "inherit"] });
      try {
        await new Promise<void>((resolve) => broken.stdout!.once("data", () => resolve()));
        await page.goto("/lessons/jim");
        const check = page.getByRole("form", { name: lang === "en" ? "Conformance check" : "Проверка на соответствие" });
        await check.getByLabel(text.port).fill(String(JIM_PORT));
        await check.getByRole("button", { name: text.run }).click();
        await expect(page.getByText(text.allPassed)).toBeVisible({ timeout: 30_000 });
        await check.getByLabel(text.port).fill(String(port));
        await check.getByRole("button", { name: text.run }).click();
        await expect(page.getByText(text.nonePassed)).toBeVisible({ timeout: 30_000 });
        await expect(page.getByText(text.notInteger.replace(/`/g, "")).first()).toBeVisible();
        await expectAccessible(page);
      } finally {
        broken.kill();
      }
    });

    test("scores the student's own client: Go, a homework client passes, a hurried one fails with its reasons", async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto("/lessons/jim");
      const panel = page.getByRole("region", { name: text.clientPanel });
      await expect(panel.getByText(text.guest)).toBeVisible();
      await expect(panel.locator("[data-jim-target]")).toHaveText(`127.0.0.1:${JIM_PORT}`);

      await panel.getByRole("button", { name: text.go, exact: true }).click();
      await expect(panel.getByText(text.waiting)).toBeVisible();
      // The window opened with the call; the student runs the client after pressing Go.
      await page.waitForTimeout(500);
      expect(await runClient("jim-good-client.py")).toBe(0);
      await expect(panel.getByRole("heading", { name: text.goodConnection })).toBeVisible({ timeout: 30_000 });
      await expect(panel.getByText(text.allClientPassed)).toBeVisible();
      await expect(panel.getByRole("list", { name: text.cases }).getByRole("listitem")).toHaveCount(12);
      await expectAccessible(page);

      await panel.getByRole("button", { name: text.go, exact: true }).click();
      await expect(panel.getByText(text.waiting)).toBeVisible();
      await page.waitForTimeout(500);
      await runClient("jim-sloppy-client.py");
      await expect(panel.getByRole("heading", { name: text.sloppyConnection })).toBeVisible({ timeout: 30_000 });
      await expect(panel.locator('[data-case="first"]')).toContainText(text.firstNotPresence);
      // The failed case shows the client's object; its button selects the event that carried it on the timeline.
      await expect(panel.locator('[data-case="first"] pre')).toContainText('"action": "msg"');
      await panel.getByRole("button", { name: text.showOnTimeline }).click();
      await expect(events(page, lang).getByRole("option", { selected: true })).toHaveAccessibleName(new RegExp(`^${text.toServer}, msg sloppy → #all`));
      await expect(panel.locator('[data-case="one_per_send"]')).toContainText(text.coalesced);
      await expect(panel.locator('[data-case="time"]')).toContainText(text.stringTime);
      await expect(panel.locator('[data-case="quit"]')).toContainText(text.justClosed);
      await expectAccessible(page);
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);
    });
  });
}
