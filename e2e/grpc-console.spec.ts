// The gRPC call console (issue 14 §4, §6) in English and Russian, driven as a student: GetUser from the browser over
// Connect and over gRPC-web (Alice, 0 OK, the POSTs to the gRPC port on the timeline); GetUser twice through the lab's
// h2c client, the second call's HEADERS[3] with request-id decoded from the HPACK dynamic table (index 62), its DATA's
// protobuf field user_id highlighted as 08 01; a bidi Chat of three messages, each echoed, half-closed to 0 OK; axe in
// light and dark.

import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./fixtures";

const TEXT = {
  en: {
    title: "gRPC call console",
    events: "Events",
    fields: "Fields of the event",
    connected: "Connected to the lab",
    method: "Method",
    request: "Request (JSON)",
    connect: "Connect (browser, connect-web)",
    grpcWeb: "gRPC-web (browser, connect-web)",
    h2c: "gRPC over HTTP/2 (the lab's client)",
    call: "Call",
    open: "Open the call",
    send: "Send message",
    halfClose: "Half-close",
    status: "Status:",
    header: "Header",
    index: "Index",
    field: "Field",
  },
  ru: {
    title: "Консоль вызовов gRPC",
    events: "События",
    fields: "Поля события",
    connected: "Связь с лабораторией есть",
    method: "Метод",
    request: "Запрос (JSON)",
    connect: "Connect (браузер, connect-web)",
    grpcWeb: "gRPC-web (браузер, connect-web)",
    h2c: "gRPC по HTTP/2 (клиент лаборатории)",
    call: "Вызвать",
    open: "Открыть вызов",
    send: "Отправить сообщение",
    halfClose: "Полузакрыть",
    status: "Статус:",
    header: "Заголовок",
    index: "Индекс",
    field: "Поле",
  },
} as const;

type Text = (typeof TEXT)[keyof typeof TEXT];

async function openConsole(page: Page, text: Text) {
  await page.goto("/tools/grpc");
  await expect(page.getByRole("heading", { level: 1, name: text.title })).toBeVisible();
  await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
}

/** Calls and waits for the status line to say `code name`. */
async function call(page: Page, text: Text, expected = "0 OK") {
  const status = page.getByRole("status").filter({ hasText: text.status });
  await page.getByRole("button", { name: text.call, exact: true }).click();
  await expect(status).toContainText(`${text.status} ${expected}`);
}

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];
  test.describe(`gRPC call console (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("GetUser over Connect and gRPC-web from the browser, then twice over h2c: HPACK's dynamic table, the protobuf field", async ({ page }) => {
      await openConsole(page, text);
      await expect(page.getByLabel(text.method, { exact: true })).toHaveValue("/user_service.UserService/GetUser");
      await expect(page.getByRole("textbox", { name: text.request })).toHaveValue('{\n  "userId": 1\n}');
      const list = page.getByRole("listbox", { name: text.events });
      const browserPosts = list.getByRole("option", { name: /POST \/user_service\.UserService\/GetUser.*200/ });

      await page.getByRole("radio", { name: text.connect }).check();
      await call(page, text);
      await expect(page.getByText('"name": "Alice"')).toBeVisible();
      await expect(browserPosts).toHaveCount(1);

      await page.getByRole("radio", { name: text.grpcWeb }).check();
      await call(page, text);
      await expect(page.getByText('"name": "Alice"')).toBeVisible();
      await expect(browserPosts).toHaveCount(2);

      // Through the lab's client: streams 1 and 3 of one HTTP/2 connection, HEADERS, DATA and the trailers.
      await page.getByRole("radio", { name: text.h2c }).check();
      await call(page, text);
      await call(page, text);
      await expect(page.getByText(/(HTTP\/2 stream|поток HTTP\/2) 3/)).toBeVisible();
      // Stream 1's request HEADERS went out in the client's first write, behind the preface (Magic and 2 more frames).
      await expect(list.getByRole("option", { name: /Magic/ })).toHaveCount(1);
      await expect(list.getByRole("option", { name: /HEADERS\[3\]: POST \/user_service\.UserService\/GetUser/ })).toHaveCount(1);
      for (const stream of [1, 3]) {
        await expect(list.getByRole("option", { name: new RegExp(`HEADERS\\[${stream}\\]: 200`) })).toHaveCount(1);
        await expect(list.getByRole("option", { name: new RegExp(`HEADERS\\[${stream}\\]: grpc-status 0 OK \\[END_STREAM`) })).toHaveCount(1);
      }

      // The second call's header block: request-id is the dynamic table's newest entry, index 62.
      await list.getByRole("option", { name: /HEADERS\[3\]: POST/ }).click();
      const tree = page.getByRole("tree", { name: text.fields });
      const header = tree.getByRole("treeitem", { name: new RegExp(`^${text.header}: "request-id: console-1"`) });
      await header.click();
      await page.keyboard.press("ArrowRight");
      await expect(tree.getByRole("treeitem", { name: new RegExp(`^${text.index}: 62`) })).toBeVisible();
      const hex = page.locator('[data-column="hex"][data-highlighted="true"]');
      // An indexed header is one byte: 0x80 | 62.
      await expect(hex).toHaveText(["be"]);

      // The DATA of that write: GetUserRequest {user_id: 1}, its field 08 01.
      const field = tree.getByRole("treeitem", { name: new RegExp(`^${text.field}: user_id = 1`) });
      // Open the DATA frame's gRPC message and its protobuf message, whichever of them are closed.
      for (let i = 0; i < 4 && (await field.count()) === 0; i++) {
        await tree.locator('[role="treeitem"][aria-expanded="false"]').filter({ hasText: "GetUserRequest" }).first().click();
        await page.keyboard.press("ArrowRight");
      }
      await field.click();
      await expect(hex).toHaveText(["08", "01"]);

      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expectAccessible(page);
      }
    });

    test("a bidi Chat of three messages through the lab's client, each echoed, then half-closed", async ({ page }) => {
      await openConsole(page, text);
      await page.getByLabel(text.method, { exact: true }).selectOption("/user_service.UserService/Chat");
      // A browser cannot stream requests: the lab's client is chosen, the others disabled.
      await expect(page.getByRole("radio", { name: text.h2c })).toBeChecked();
      await expect(page.getByRole("radio", { name: text.connect })).toBeDisabled();
      await page.getByRole("button", { name: text.open, exact: true }).click();
      const box = page.getByRole("textbox", { name: text.request });
      for (const word of ["one", "two", "three"]) {
        await box.fill(JSON.stringify({ userId: "student", message: word }));
        await page.getByRole("button", { name: text.send, exact: true }).click();
        await expect(page.getByText(`"message": "Echo: ${word}"`)).toBeVisible();
      }
      await page.getByRole("button", { name: text.halfClose, exact: true }).click();
      await expect(page.getByRole("status").filter({ hasText: text.status })).toContainText(`${text.status} 0 OK`);
      const list = page.getByRole("listbox", { name: text.events });
      // Three messages each way on stream 1; the call's HEADERS rode in the first write, behind the preface.
      await expect(list.getByRole("option", { name: /DATA\[1\] ChatMessage \{user_id: "student", message: "(one|two|three)"\}/ })).toHaveCount(3);
      await list.getByRole("option", { name: /Magic/ }).click();
      await expect(page.getByRole("tree", { name: text.fields }).getByRole("treeitem", { name: /^http2: HEADERS\[1\]: POST \/user_service\.UserService\/Chat/ })).toBeVisible();
      await expect(list.getByRole("option", { name: /HEADERS\[1\]: grpc-status 0 OK/ })).toHaveCount(1);
      await expectAccessible(page);
    });
  });
}
