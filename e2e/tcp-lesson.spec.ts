// The Sockets and TCP lesson, driven as a student would, in English and in Russian: every answer is
// checked where the student sees it, on the packet timeline.

import net from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, PORTS } from "./fixtures";

const TEXT = {
  en: {
    title: "Sockets and TCP",
    connect: "Connect",
    message: "Message",
    send: "Send",
    events: "Events",
    fields: "Fields of the event",
    lineContent: "Content",
    noTerminator: "The last line has no CR or LF.",
    closed: "connection closed",
    timeConnect: "Connect to the time server",
    echoHeading: `3. The echo server, port ${PORTS.echo}`,
    greetingSend: "Connect and send",
    clear: "Clear",
    connected: "Connected to the lab",
  },
  ru: {
    title: "Сокеты и TCP",
    connect: "Подключиться",
    message: "Сообщение",
    send: "Отправить",
    events: "События",
    fields: "Поля события",
    lineContent: "Содержимое",
    noTerminator: "В последней строке нет ни CR, ни LF.",
    closed: "соединение закрыто",
    timeConnect: "Подключиться к серверу времени",
    echoHeading: `3. Эхо-сервер, порт ${PORTS.echo}`,
    greetingSend: "Подключиться и отправить",
    clear: "Очистить",
    connected: "Связь с лабораторией есть",
  },
} as const;

function events(page: Page, lang: keyof typeof TEXT) {
  return page.getByRole("listbox", { name: TEXT[lang].events });
}

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];

  test.describe(`TCP lesson (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("a student talks to the echo server and reads the answer's bytes", async ({ page }) => {
      await page.goto("/lessons/tcp");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(text.title);
      await expectAccessible(page);

      await page.getByRole("button", { name: text.connect, exact: true }).click();
      const list = events(page, lang);
      await expect(list.getByRole("option", { name: /Welcome to TCP Server!/ })).toBeVisible();

      await page.getByRole("textbox", { name: text.message, exact: true }).fill("hello");
      await page.getByRole("button", { name: text.send, exact: true }).click();
      const answer = list.getByRole("option", { name: /ECHO: hello/ });
      await expect(answer).toBeVisible();

      // The selected arrow's bytes and fields.
      await answer.click();
      await expect(page).toHaveURL(/[?&]e=\d+/);
      const tree = page.getByRole("tree", { name: text.fields });
      await expect(tree).toBeVisible();
      const content = tree.getByRole("treeitem", { name: /ECHO: hello/ }).last();
      await content.click();
      // Field names in the reader's language, looked up by the field's id.
      await expect(tree.getByRole("treeitem", { name: new RegExp(`^${text.lineContent}: "ECHO: hello"`) })).toBeVisible();
      // The dissector's findings too: the echo's answer has no line terminator.
      await expect(page.getByText(text.noTerminator, { exact: false }).first()).toBeVisible();
      await expect(page).toHaveURL(/[?&]f=/);
      // "ECHO: hello" is 11 bytes: each is highlighted in the hex column and in the text column.
      const hex = page.locator('[data-column="hex"][data-highlighted="true"]');
      const chars = page.locator('[data-column="text"][data-highlighted="true"]');
      await expect(hex).toHaveCount(11);
      await expect(chars).toHaveCount(11);
      expect((await hex.allTextContents()).join(" ")).toBe("45 43 48 4f 3a 20 68 65 6c 6c 6f");
      expect((await chars.allTextContents()).join("")).toBe("ECHO: hello");
      // Selecting a byte selects the field that holds it.
      await page.locator('[data-offset="0"]').first().click();
      await expect(tree.getByRole("treeitem", { selected: true })).toBeVisible();
      await expectAccessible(page);

      // exit: the server says goodbye and closes; the close mark appears.
      await page.getByRole("textbox", { name: text.message, exact: true }).fill("exit");
      await page.getByRole("button", { name: text.send, exact: true }).click();
      await expect(list.getByRole("option", { name: /Goodbye!/ })).toBeVisible();
      await expect(list.getByRole("option", { name: new RegExp(text.closed) }).last()).toBeVisible();
    });

    test("a socket opened outside the browser appears on the timeline", async ({ page }) => {
      await page.goto("/lessons/tcp");
      const list = events(page, lang);
      await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
      const socket = net.connect({ host: "127.0.0.1", port: PORTS.echo });
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      const port = socket.localPort!;
      socket.write(`from the terminal ${lang}`);
      await expect(list.getByRole("option", { name: new RegExp(`ECHO: from the terminal ${lang}`) })).toBeVisible();
      await expect(page.getByText(`127.0.0.1:${port}`).first()).toBeVisible();
      socket.end();
      await expect(list.getByRole("option", { name: new RegExp(text.closed) }).last()).toBeVisible();
    });

    test("the lesson names the running lab's ports, never the course's defaults", async ({ page }) => {
      await page.goto("/lessons/tcp");
      // The headings take their ports from the host's Status, as the prose and the commands do.
      await expect(page.getByRole("heading", { name: text.echoHeading })).toBeVisible();
      // The lesson's own text: everything but the aside, whose timeline may hold other tests' traffic.
      const words = (await page.locator('[data-page-width="wide"] > :not(aside)').allInnerTexts()).join("\n");
      for (const port of [PORTS.echo, PORTS.time, PORTS.greeting]) expect(words).toContain(String(port));
      expect(words.match(/(?<![\d.,])(8888|8000|8007)(?!\d)/g)).toBeNull();
    });

    test("the time and greeting servers answer as in the course", async ({ page }) => {
      await page.goto("/lessons/tcp");
      const list = events(page, lang);
      await page.getByRole("button", { name: text.timeConnect }).click();
      await expect(list.getByRole("option", { name: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/ })).toBeVisible();
      await page.getByRole("button", { name: text.greetingSend }).click();
      const greeting = list.getByRole("option", { name: /Привет, клиент/ });
      await expect(greeting).toBeVisible();
      // The bytes view's text column shows each Cyrillic letter over its two bytes, not two dots.
      await greeting.click();
      const textColumn = page.locator('[data-column="text"]');
      await expect.poll(async () => (await textColumn.allTextContents()).join("")).toBe("Привет, клиент");
    });
  });
}

test("the timeline stays virtualised with thousands of events", async ({ page }) => {
  await page.goto("/lessons/tcp");
  const list = page.getByRole("listbox", { name: "Events" });
  await expect(page.getByText("Connected to the lab", { exact: true })).toBeVisible();
  // 2,000 messages, each answered: about 4,000 events from one external client.
  const socket = net.connect({ host: "127.0.0.1", port: PORTS.echo });
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  let answers = 0;
  socket.on("data", (chunk: Buffer) => {
    answers += chunk.toString("latin1").split("ECHO: ").length - 1;
  });
  for (let i = 0; i < 2000; i++) {
    socket.write(`m${i}`);
    await new Promise<void>((resolve) => {
      const wait = () => (answers > i ? resolve() : setTimeout(wait, 1));
      wait();
    });
  }
  await expect(list.getByRole("option", { name: /ECHO: m1999/ })).toBeVisible();
  await expect(page.getByText(/\b[4-9],\d{3} events ·/)).toBeVisible();
  // Only the rows in view are in the DOM.
  expect(await list.getByRole("option").count()).toBeLessThan(200);
  socket.destroy();
});

test("the stream experiment shows how writes and reads really lined up", async ({ page }) => {
  await page.goto("/lessons/tcp");
  await expect(page.getByText("Connected to the lab", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "B: one write of 100 KB" }).click();
  const bulk = page.getByText(/One send\(\) became \d+ reads/);
  await expect(bulk).toBeVisible({ timeout: 20_000 });
  // 102,400 bytes cut by recv(1024): at least 100 reads, more when a read ends mid-kilobyte.
  const reads = Number(/became (\d+) reads/.exec((await bulk.textContent()) ?? "")?.[1]);
  expect(reads).toBeGreaterThanOrEqual(100);
  // The socket-calls diagram draws what the panel counted: one send() by the client, the server's reads and
  // the recv() that returns 0 bytes once the panel has closed the connection (issue 15 §1.5).
  const diagram = page.getByRole("region", { name: "Socket calls, live" });
  // A screen as short as this one (720 px) starts the diagram folded, so that the timeline's details fit.
  const unfold = diagram.getByRole("button", { name: "Socket calls, live" });
  if ((await unfold.getAttribute("aria-expanded")) === "false") await unfold.click();
  const clientSend = diagram.getByRole("list", { name: "Client (the lab's)" }).getByRole("listitem").filter({ hasText: "send()" });
  await expect(clientSend).toContainText("once");
  const serverRecv = diagram.getByRole("list", { name: "Server" }).getByRole("listitem").filter({ hasText: "recv()" });
  await expect(serverRecv).toContainText(`${reads + 1} times`);
  await diagram.getByText(/Steps of this connection/).click();
  await expect(diagram.getByText(/client: send\(\) \(102,400 bytes\); server: recv\(\) ×\d+, 1,024 bytes each/)).toBeVisible();
  await expect(diagram.getByText(/… and \d+ more steps like these \(\d+ in all\)/).first()).toBeVisible();

  await page.getByRole("button", { name: "A: two writes, ping and pong" }).click();
  // Whichever way the bytes lined up this time, the lesson says which, from the real events.
  await expect(
    page.getByText(/one recv\(\) returned pingpong|in two separate recv\(\) calls|cut into pieces that do not match/),
  ).toBeVisible({ timeout: 20_000 });
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page);
});
