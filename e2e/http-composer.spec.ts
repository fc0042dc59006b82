// The HTTP request composer as a student uses it (issue 11 §4): opens it from the header, runs seed 000's
// HTTPClientExample as a whole and sees 200, 200, 200, 201, 200, 200, 404, 400; sends seed 003's redirect and sees
// 302 then 200; follows a link to the request on the timeline; meets the JSON check; in English and Russian, light
// and dark, with axe checks.

import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, PORTS } from "./fixtures";

const HTTP_PORT = PORTS.web - 3000 + 8080;

const TEXT = {
  en: {
    link: "HTTP composer",
    title: "HTTP request composer",
    preset: "Start from",
    runAll: "Run all 8 steps",
    got: (got: number) => `got ${got}, expected ${got}`,
    send: "Send",
    showRequest: "Request on the timeline",
    events: "Events",
    json: "JSON",
    bodyText: "Body text",
    jsonError: /Not JSON: the reader stops at line 2, column 8/,
    path: "Path and query",
  },
  ru: {
    link: "Конструктор HTTP",
    title: "Конструктор HTTP-запросов",
    preset: "Начать с",
    runAll: "Выполнить все шаги (8)",
    got: (got: number) => `получено ${got}, ожидалось ${got}`,
    send: "Отправить",
    showRequest: "Запрос на шкале",
    events: "События",
    json: "JSON",
    bodyText: "Текст тела",
    jsonError: /Это не JSON: разбор останавливается на строке 2, в столбце 8/,
    path: "Путь и параметры запроса",
  },
} as const;

const SEED_000 = [
  ["GET /api/health", 200],
  ["GET /api/users", 200],
  ["GET /api/users/1", 200],
  ["POST /api/users", 201],
  ["PUT /api/users/1", 200],
  ["DELETE /api/users/2", 200],
  ["GET /api/users/999", 404],
  ["POST /api/users", 400],
] as const;

const events = (page: Page, lang: keyof typeof TEXT) => page.getByRole("listbox", { name: TEXT[lang].events });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];

  test.describe(`HTTP composer (${lang})`, () => {
    test.use({ locale: lang === "en" ? "en-US" : "ru-RU" });

    test("runs seed 000's HTTPClientExample and seed 003's redirect, each request on the timeline", async ({ page }) => {
      await page.goto("/");
      await page.getByRole("link", { name: text.link }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(text.title);

      // The commands use the port the running lab reports, not the course's 8080.
      await expect(page.getByRole("figure", { name: "curl" })).toContainText(`curl -i 'http://127.0.0.1:${HTTP_PORT}/api/users'`);

      await page.getByRole("combobox", { name: text.preset }).selectOption("seed000-health");
      await page.getByRole("button", { name: text.runAll }).click();
      const steps = page.getByTestId("sequence-step");
      await expect(steps).toHaveCount(8, { timeout: 20_000 });
      for (const [i, [line, status]] of SEED_000.entries()) {
        await expect(steps.nth(i)).toContainText(line);
        await expect(steps.nth(i)).toContainText(text.got(status));
      }
      // The last step's answer is shown: 400 for the body that is not JSON.
      await expect(page.getByTestId("status-line")).toHaveText("HTTP/1.1 400 Bad Request");

      // Every request is on the timeline, its row naming the request line and the status it was answered with.
      const list = events(page, lang);
      for (const [line, status] of SEED_000) {
        await expect(list.getByRole("option", { name: new RegExp(`, ${escape(line)}, .*${status} `) }).first()).toBeVisible();
      }

      // Seed 003: GET / is answered 302 Found with Location: /posts, and the client follows it.
      await page.getByRole("combobox", { name: text.preset }).selectOption("redirect-follow");
      await page.getByRole("button", { name: text.send, exact: true }).click();
      await expect(page.getByTestId("status-line")).toHaveText(["HTTP/1.1 302 Found", "HTTP/1.1 200 OK"]);
      await expect(list.getByRole("option", { name: /, GET \/posts, .*200 OK/ })).toBeVisible();

      // The link selects the first request on the timeline, in the URL as the timeline does.
      await page.getByRole("link", { name: text.showRequest }).nth(-2).click();
      await expect(page).toHaveURL(/[?&]e=\d+/);
      await expect(list.getByRole("option", { selected: true })).toHaveAccessibleName(/, GET \/, .*302 Found/);
      await expectAccessible(page);
    });

    test("checks a JSON body as it is typed, and passes axe in the dark", async ({ page }) => {
      await page.emulateMedia({ colorScheme: "dark" });
      await page.goto("/tools/http");
      // Once the page knows the lab's port it is hydrated: a choice made before would change nothing.
      await expect(page.getByRole("figure", { name: "curl" })).toContainText(`:${HTTP_PORT}/`);
      await page.getByRole("combobox", { name: text.preset }).selectOption("seed000-create");
      await expect(page.getByRole("radio", { name: text.json })).toBeChecked();
      const body = page.getByRole("textbox", { name: text.bodyText });
      await body.fill('{"name": "Zoë",\n"age": tru}');
      await expect(page.getByText(text.jsonError)).toBeVisible();
      await expect(page.getByRole("button", { name: text.send, exact: true })).toBeDisabled();
      await body.fill('{"name": "Zoë", "email": "zoe@example.com", "age": 20}');
      await expect(page.getByRole("button", { name: text.send, exact: true })).toBeEnabled();
      await page.getByRole("button", { name: text.send, exact: true }).click();
      await expect(page.getByTestId("status-line")).toHaveText("HTTP/1.1 201 Created");
      // The Python code sends the same bytes, non-ASCII included.
      await expect(page.getByRole("figure", { name: "Python (requests)" })).toContainText('data="{\\"name\\": \\"Zoë\\", \\"email\\"');
      await expectAccessible(page);
    });
  });
}
