// The gRPC lesson (issue 14 §4, §5) in English and Russian, driven as a student: GetUser four ways (gRPC over h2c,
// gRPC-web, Connect, REST) with real sizes and bytes (the HTTP/2 preface, the protobuf message marked in each binary
// way, gRPC-web's trailers in the body), the calls on the timeline; two status codes produced by real calls with the
// trailers that carried them; a protobuf round trip and a hex error; axe in light and dark; screenshots.

import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./fixtures";

const TEXT = {
  en: {
    connected: "Connected to the lab",
    run: "Send GetUser four ways",
    caption: "One call, four ways",
    grpc: "gRPC (h2c)",
    rest: "REST",
    bytes: (way: string) => `${way}: the bytes`,
    request: /^Client to server, (\d+) bytes$/,
    events: "Events",
    connections: /^lab client 127\.0\.0\.1 · 4 connections$/,
    produce: (code: string) => `Produce ${code}`,
    trailers: "Trailers",
    toBytes: "JSON to bytes",
    toFields: "Bytes to fields",
    hex: "Bytes in hex",
    odd: "An odd number of hex digits: the digit at character 4 has no pair.",
    back: "Back to JSON",
  },
  ru: {
    connected: "Связь с лабораторией есть",
    run: "Отправить GetUser четырьмя способами",
    caption: "Один вызов, четыре способа",
    grpc: "gRPC (h2c)",
    rest: "REST",
    bytes: (way: string) => `${way}: байты`,
    request: /^От клиента к серверу, (\d+) байт(а)?$/,
    events: "События",
    connections: /^клиент лаборатории 127\.0\.0\.1 · 4 /,
    produce: (code: string) => `Получить ${code}`,
    trailers: "Трейлеры",
    toBytes: "JSON в байты",
    toFields: "Байты в поля",
    hex: "Байты в hex",
    odd: "Нечётное число шестнадцатеричных цифр: у цифры на позиции 4 нет пары.",
    back: "Обратно в JSON",
  },
} as const;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/shots-GL/${name}.png`, fullPage: false });
}

/** The hex cells of a dump, as numbers (the offsets and the ASCII column left out). */
async function dumpBytes(page: Page, label: RegExp | string): Promise<number[]> {
  const text = await page.getByLabel(label).innerText();
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((line) => line.slice(6, 6 + 16 * 3 + 2).trim().split(/\s+/).filter((c) => /^[0-9a-f]{2}$/.test(c)).map((c) => parseInt(c, 16)));
}

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];
  test.describe(`the gRPC lesson (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("GetUser four ways, two status codes, a protobuf round trip, all on the timeline", async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto("/lessons/grpc");
      await expect(page.getByRole("heading", { level: 1, name: "gRPC" })).toBeVisible();
      await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
      await shot(page, `${lang}-top-wide`);

      // Four ways.
      await page.getByRole("button", { name: text.run }).click();
      const table = page.getByRole("table", { name: text.caption });
      await expect(table.getByRole("row")).toHaveCount(5);
      const grpcRow = table.locator('tr[data-way="GRPC"]');
      await expect(grpcRow.locator('[data-cell="status"]')).toHaveText("0");
      await expect(table.locator('tr[data-way="GRPC_WEB"] [data-cell="status"]')).toHaveText("0");
      await expect(table.locator('tr[data-way="CONNECT"] [data-cell="status"]')).toHaveText("0");
      await expect(table.locator('tr[data-way="REST"] [data-cell="status"]')).toHaveText("HTTP 200");
      const grpcSent = Number(await grpcRow.locator('[data-cell="sent"]').innerText());
      expect(grpcSent).toBeGreaterThan(24 + 9 + 5 + 2);

      // The gRPC connection's bytes: the HTTP/2 preface first, as many bytes as the table says.
      await page.getByText(text.bytes(text.grpc), { exact: true }).click();
      const grpcDetails = page.locator('details[data-way="GRPC"]');
      const caption = await grpcDetails.locator("figcaption").first().innerText();
      expect(Number(caption.match(text.request)![1])).toBe(grpcSent);
      const request = await dumpBytes(page, caption);
      expect(request).toHaveLength(grpcSent);
      expect(String.fromCharCode(...request.slice(0, 24))).toBe("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
      // The marked bytes of the request are GetUserRequest{user_id: 1}: 08 01.
      await expect(grpcDetails.locator("pre").first().locator("mark").first()).toHaveText(/^08 ?$/);
      // Connect's request ends with the same two bytes, its body.
      await page.getByText(text.bytes("Connect"), { exact: true }).click();
      const connectCaption = await page.locator('details[data-way="CONNECT"] figcaption').first().innerText();
      expect((await dumpBytes(page, connectCaption)).slice(-2)).toEqual([0x08, 0x01]);
      await shot(page, `${lang}-four-ways-wide`);

      // The timeline holds the calls: the h2c call's preface and trailers, gRPC-web's and Connect's POSTs, REST's GET.
      const events = page.getByRole("listbox", { name: text.events });
      await expect(page.getByRole("listitem", { name: text.connections })).toBeVisible();
      await expect(events.getByText(/GET \/api\/users\/1/).first()).toBeVisible();
      await expect(events.getByText(/POST \/user_service\.UserService\/GetUser/).first()).toBeVisible();
      // The h2c call is the first: Home goes to the first event.
      await events.focus();
      await page.keyboard.press("Home");
      // The preface ("Magic") and the client's frames in one write, then the server's trailers with grpc-status 0.
      await expect(events.getByText(/Magic/).first()).toBeVisible();
      await expect(events.getByText(/HEADERS\[1\]: grpc-status 0/).first()).toBeVisible();

      // Two status codes from real calls.
      await page.getByRole("button", { name: text.produce("NOT_FOUND") }).click();
      const result = page.locator("section[data-status]");
      await expect(result).toHaveAttribute("data-status", "5");
      await expect(result.getByRole("heading", { name: "NOT_FOUND (5)" })).toBeVisible();
      await expect(result).toContainText("grpc-message: User 999 not found");
      await page.getByRole("button", { name: text.produce("DEADLINE_EXCEEDED") }).click();
      await expect(result).toHaveAttribute("data-status", "4");
      await expect(result.getByRole("heading", { name: "DEADLINE_EXCEEDED (4)" })).toBeVisible();
      await expect(result.locator("dl").last()).toContainText("grpc-status");
      await expect(result.locator("dl").last()).toContainText("4");
      await result.scrollIntoViewIfNeeded();
      await shot(page, `${lang}-status-wide`);

      // The protobuf explorer: Alice's UserResponse to bytes, and back.
      await page.getByRole("button", { name: text.toBytes }).click();
      const hex = page.getByRole("textbox", { name: text.hex });
      await expect(hex).toHaveValue(/^08 01 12 05 41 6c 69 63 65 1a 11 /);
      await page.getByRole("button", { name: text.toFields }).click();
      await expect(page.getByTestId("pb-json-back")).toContainText('"name": "Alice"');
      await expect(page.getByRole("heading", { name: text.back })).toBeVisible();
      await hex.fill("08 9");
      await page.getByRole("button", { name: text.toFields }).click();
      await expect(page.getByRole("alert").filter({ hasText: text.odd })).toBeVisible();
      await expect(hex).toHaveAttribute("aria-invalid", "true");
      await hex.scrollIntoViewIfNeeded();
      await shot(page, `${lang}-protobuf-wide`);

      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expectAccessible(page);
      }
      await page.getByRole("table", { name: text.caption }).scrollIntoViewIfNeeded();
      await shot(page, `${lang}-four-ways-dark`);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole("table", { name: text.caption }).scrollIntoViewIfNeeded();
      await shot(page, `${lang}-four-ways-narrow-dark`);
      await page.emulateMedia({ colorScheme: "light" });
      await page.getByRole("heading", { level: 1, name: "gRPC" }).scrollIntoViewIfNeeded();
      await shot(page, `${lang}-top-narrow`);
    });
  });
}
