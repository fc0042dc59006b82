// The WebSocket lesson (issue 12 §3, §4, §5) in English and Russian, driven as a student: connect the console to the
// echo, send {"message": "hello"}, see the upgrade as an HTTP pair and the masked frame on the timeline, select the
// frame and find its masking key and payload among its bytes (the highlighted wire bytes XOR the key are the text
// sent); two pages in one chat room see each other's messages; axe in light and dark.

import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./fixtures";

const TEXT = {
  en: {
    title: "WebSocket",
    events: "Events",
    fields: "Fields of the event",
    connected: "Connected to the lab",
    connect: "Connect",
    open: "Connected",
    endpoint: "Endpoint",
    chat: "Chat room",
    room: "Room name",
    send: "Send",
    ping: "Send ping",
    close: "Close",
    log: "Messages",
    received: "↓ received",
    maskingKey: "Masking key",
    payload: "Payload",
    closeCode: "Close code",
  },
  ru: {
    title: "WebSocket",
    events: "События",
    fields: "Поля события",
    connected: "Связь с лабораторией есть",
    connect: "Подключиться",
    open: "Подключено",
    endpoint: "Точка подключения",
    chat: "Комната чата",
    room: "Название комнаты",
    send: "Отправить",
    ping: "Отправить ping",
    close: "Закрыть",
    log: "Сообщения",
    received: "↓ получено",
    maskingKey: "Ключ маски",
    payload: "Полезная нагрузка",
    closeCode: "Код закрытия",
  },
} as const;

const hexBytes = (cells: string[]) => cells.map((c) => parseInt(c, 16));

async function connect(page: Page, text: (typeof TEXT)[keyof typeof TEXT], room?: string) {
  await page.goto("/lessons/websocket");
  await expect(page.getByRole("heading", { level: 1, name: text.title })).toBeVisible();
  await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
  if (room) {
    await page.getByLabel(text.endpoint, { exact: true }).selectOption("chat");
    await page.getByRole("textbox", { name: text.room }).fill(room);
  }
  await page.getByRole("button", { name: text.connect, exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "/api/ws/" })).toContainText(text.open);
}

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];
  test.describe(`WebSocket lesson (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("the console's echo: the upgrade pair, the masked frame, its key and unmasked payload", async ({ page }) => {
      await connect(page, text);
      // The message box holds the workshop's message as it stands.
      await expect(page.getByRole("textbox", { name: /^Message|^Сообщение/ })).toHaveValue('{"message": "hello"}');
      await page.getByRole("button", { name: text.send, exact: true }).click();
      const log = page.getByRole("list", { name: text.log });
      await expect(log.getByRole("listitem").last()).toHaveText(`${text.received} {"message":"hello"}`);
      await page.getByRole("button", { name: text.ping, exact: true }).click();
      await expect(log.getByRole("listitem").last()).toHaveText(`${text.received} pong "ping"`);

      const list = page.getByRole("listbox", { name: text.events });
      // The upgrade: the GET answered 101, and the 101 answering the GET.
      await expect(list.getByRole("option", { name: /GET \/api\/ws\/echo\/.*101 Switching Protocols/ })).toHaveCount(1);
      await expect(list.getByRole("option", { name: /101 Switching Protocols.*GET \/api\/ws\/echo\// })).toHaveCount(1);
      // Frames: the client's masked text, the server's unmasked echo, the ping and its pong.
      const sent = list.getByRole("option", { name: /Text \[FIN\] \[MASKED\] "\{\\"message\\": \\"hello\\"\}"/ });
      await expect(sent).toHaveCount(1);
      await expect(list.getByRole("option", { name: /Text \[FIN\] "\{\\"message\\":\\"hello\\"\}"/ })).toHaveCount(1);
      await expect(list.getByRole("option", { name: /Ping \[FIN\] \[MASKED\] "ping"/ })).toHaveCount(1);
      await expect(list.getByRole("option", { name: /Pong \[FIN\] "ping"/ })).toHaveCount(1);

      await sent.click();
      const tree = page.getByRole("tree", { name: text.fields });
      const hex = page.locator('[data-column="hex"][data-highlighted="true"]');
      // The masking key: 4 bytes after the 2-byte header.
      const key = tree.getByRole("treeitem", { name: new RegExp(`^${text.maskingKey}:`) });
      await key.click();
      await expect(key).toHaveAttribute("aria-selected", "true");
      await expect(hex).toHaveCount(4);
      const keyBytes = hexBytes(await hex.allTextContents());
      await expect(key).toContainText(keyBytes.map((b) => b.toString(16).padStart(2, "0")).join(" "));
      // The payload: 20 bytes on the wire, masked; XORed with the key they are the text sent, which the node shows.
      const payload = tree.getByRole("treeitem", { name: new RegExp(`^${text.payload}:`) });
      await payload.click();
      await expect(payload).toHaveAttribute("aria-selected", "true");
      await expect(hex).toHaveCount(20);
      const masked = hexBytes(await hex.allTextContents());
      const unmasked = masked.map((b, i) => b ^ keyBytes[i % 4]!);
      expect(new TextDecoder().decode(new Uint8Array(unmasked))).toBe('{"message": "hello"}');
      expect(masked).not.toEqual(unmasked);
      await expect(payload).toContainText("7b 22 6d 65 73 73 61 67 65 22");
      await expect(page).toHaveURL(/[?&]f=/);

      // A close with a chosen code: the log says what came back.
      await page.getByLabel(text.closeCode, { exact: true }).selectOption("4000");
      await page.getByRole("button", { name: text.close, exact: true }).click();
      await expect(log.getByRole("listitem").last()).toHaveText(`${text.received} close 4000`);
      await expect(list.getByRole("option", { name: /Close \[FIN\] \[MASKED\] 4000/ })).toHaveCount(1);
      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expectAccessible(page);
      }
    });

    test("two pages in one chat room see each other's messages", async ({ context }) => {
      const room = `lesson_${lang}_${Date.now()}`;
      const alice = await context.newPage();
      const bob = await context.newPage();
      await connect(alice, text, room);
      await connect(bob, text, room);
      await alice.getByRole("textbox", { name: /^Message|^Сообщение/ }).fill('{"message": "hi from alice"}');
      await alice.getByRole("button", { name: text.send, exact: true }).click();
      for (const page of [alice, bob]) {
        await expect(page.getByRole("list", { name: text.log }).getByRole("listitem").last()).toHaveText(`${text.received} {"message":"hi from alice"}`);
      }
      await bob.getByRole("textbox", { name: /^Message|^Сообщение/ }).fill('{"message": "hello alice"}');
      await bob.keyboard.press("Enter");
      await expect(alice.getByRole("list", { name: text.log }).getByRole("listitem").last()).toHaveText(`${text.received} {"message":"hello alice"}`);
      await expectAccessible(bob);
    });
  });
}
