// The two HTTP lessons, driven as a student would, in English and in Russian. "HTTP messages": the course's GET / and
// its 302, then /posts and its 200, as panel lines and as timeline rows; status codes of every class the server can
// be made to answer (100 before 200, 304, 404, 500); three requests kept alive on one connection against three with
// Connection: close, the connections the panel counts being the ones the timeline opened; the 304 of a revalidation;
// the dripping chunked answer. "REST and RPC": the same question as REST, JSON-RPC and XML-RPC, three round trips
// against one batch, and a missing thing as 404 against 200 with an error in the body. Axe in light and dark.

import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectAccessible, PORTS } from "./fixtures";

const TEXT = {
  en: {
    httpTitle: "HTTP messages",
    rrTitle: "REST and RPC",
    aside: "Timeline",
    events: "Events",
    connected: "Connected to the lab",
    opened: "connection opened",
    displayFilter: "Display filter",
    msgPanel: "1. The course's example: GET / and a 302",
    sendRoot: "Send GET /",
    follow: "Follow Location: GET /posts",
    statusPanel: "3. Status codes, class by class",
    get: (code: number) => `Get ${code}`,
    then: "then",
    kaPanel: "5. Three requests: one connection or three",
    kaKeep: "3 requests, kept alive",
    kaClose: "3 requests with Connection: close",
    kaOne: "3 requests on 1 TCP connection",
    kaThree: "3 requests on 3 TCP connections",
    isNew: /\(new\)/,
    cachePanel: "7. Ask again: 304 Not Modified",
    cacheGet: "GET /api/users",
    revalidate: "GET again with If-None-Match",
    chPanel: "6. An answer that drips",
    drip: "Send GET /http/drip",
    lastChunk: "size 0: the last chunk, the end of the body",
    terminal: `The course's redirect (port ${PORTS.http})`,
    cmpPanel: "One request of each kind",
    cmpRun: "Send the three requests",
    batPanel: "Three things: three round trips or one",
    batRest: "Three REST requests",
    batBatch: "One JSON-RPC batch of three calls",
    trips: (n: number) => new RegExp(`^${n} round trips?:`),
    errPanel: "The same mistake, three ways",
    errRun: "Ask for what is not there",
  },
  ru: {
    httpTitle: "Сообщения HTTP",
    rrTitle: "REST и RPC",
    aside: "Шкала",
    events: "События",
    connected: "Связь с лабораторией есть",
    opened: "соединение открыто",
    displayFilter: "Фильтр отображения",
    msgPanel: "1. Пример из методички: GET / и 302",
    sendRoot: "Отправить GET /",
    follow: "Перейти по Location: GET /posts",
    statusPanel: "3. Коды состояния, класс за классом",
    get: (code: number) => `Получить ${code}`,
    then: "затем",
    kaPanel: "5. Три запроса: одно соединение или три",
    kaKeep: "3 запроса с keep-alive",
    kaClose: "3 запроса с Connection: close",
    kaOne: "3 запроса по 1 TCP-соединению",
    kaThree: "3 запроса по 3 TCP-соединениям",
    isNew: /\(новое\)/,
    cachePanel: "7. Спросить ещё раз: 304 Not Modified",
    cacheGet: "GET /api/users",
    revalidate: "GET снова с If-None-Match",
    chPanel: "6. Ответ, который капает",
    drip: "Отправить GET /http/drip",
    lastChunk: "размер 0: последний фрагмент, конец тела",
    terminal: `Перенаправление из методички (порт ${PORTS.http})`,
    cmpPanel: "По одному запросу каждого вида",
    cmpRun: "Отправить три запроса",
    batPanel: "Три вещи: три круга или один",
    batRest: "Три REST-запроса",
    batBatch: "Один пакет JSON-RPC из трёх вызовов",
    trips: (n: number) => new RegExp(`^${n} круга?:`),
    errPanel: "Одна и та же ошибка тремя способами",
    errRun: "Попросить то, чего нет",
  },
} as const;

type Lang = keyof typeof TEXT;

const events = (page: Page, lang: Lang) => page.getByRole("complementary", { name: TEXT[lang].aside }).getByRole("listbox", { name: TEXT[lang].events });
const panel = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
const status = (scope: Locator, code: number) => scope.locator(`[data-status="${code}"]`);

/** The timeline's rows of one kind that the ladder draws (it draws the rows near its view, not all of them). */
const rows = (page: Page, lang: Lang, name: RegExp) => events(page, lang).getByRole("option", { name });

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];

  test.describe(`HTTP lessons (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("the course's 302 and /posts, and status codes of every class, on the panels and the timeline", async ({ page }) => {
      test.setTimeout(120_000);
      // The home page's lesson map leads here.
      await page.goto("/");
      await page.getByRole("link", { name: text.httpTitle, exact: true }).click();
      await expect(page).toHaveURL(/\/lessons\/http$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(text.httpTitle);
      await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
      // The terminal commands name the port the running lab uses, not the course's 8080.
      await expect(page.getByRole("heading", { name: text.terminal })).toBeVisible();
      await expectAccessible(page);

      const message = panel(page, text.msgPanel);
      await message.getByRole("button", { name: text.sendRoot }).click();
      await expect(status(message, 302)).toHaveText("302 Found");
      await expect(message.locator('[data-part="header"]', { hasText: "Location: /posts" })).toBeVisible();
      await expect(message.locator('[data-part="start"]', { hasText: "GET / HTTP/1.1" })).toBeVisible();
      await message.getByRole("button", { name: text.follow }).click();
      await expect(status(message, 200)).toHaveText("200 OK");
      await expect(message.locator('[data-part="start"]', { hasText: "GET /posts HTTP/1.1" })).toBeVisible();
      // On the timeline, each request's row names its answer and each response's row its status: the 302, then the
      // request for /posts and its 200.
      await expect(rows(page, lang, /, GET \/, .*302 Found/)).toHaveCount(1);
      await expect(rows(page, lang, /, 302 Found, /)).toHaveCount(1);
      await expect(rows(page, lang, /, GET \/posts, .*200 OK/)).toHaveCount(1);
      await expect(rows(page, lang, /, 200 OK, /)).toHaveCount(1);

      const codes = panel(page, text.statusPanel);
      await codes.getByRole("button", { name: text.get(100), exact: true }).click();
      // The interim 100 Continue, read from the response's bytes on the timeline, then the final 200.
      const continued = codes.getByRole("listitem").filter({ has: page.getByRole("button", { name: text.get(100), exact: true }) });
      await expect(status(continued, 100)).toHaveText("100 Continue");
      await expect(status(continued, 200)).toHaveText("200 OK");
      await expect(continued.getByText(text.then, { exact: true })).toBeVisible();
      await expect(rows(page, lang, /100 Continue/).first()).toBeAttached();
      for (const [code, reason] of [
        [304, "304 Not Modified"],
        [404, "404 Not Found"],
        [413, "413 Payload Too Large"],
        [500, "500 Internal Server Error"],
      ] as const) {
        await codes.getByRole("button", { name: text.get(code), exact: true }).click();
        await expect(status(codes, code)).toHaveText(reason);
      }
      await expectAccessible(page);
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);
    });

    test("keep-alive against Connection: close, counted on the panel and on the timeline; a 304; a dripping answer", async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto("/lessons/http");
      await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
      const opened = rows(page, lang, new RegExp(text.opened));
      const keep = panel(page, text.kaPanel);

      await keep.getByRole("button", { name: text.kaKeep }).click();
      await expect(keep.getByText(text.kaOne, { exact: true })).toBeVisible();
      // A new session's timeline is empty: the one connection is the one it opened.
      await expect(opened).toHaveCount(1);

      await keep.getByRole("button", { name: text.kaClose }).click();
      await expect(keep.getByText(text.kaThree, { exact: true })).toBeVisible();
      // The first of them may go on the connection the kept-alive requests left open; every one the panel calls new
      // is a connection the timeline saw open.
      const fresh = await keep.getByRole("list", { name: lang === "en" ? "With Connection: close" : "С Connection: close" }).getByText(text.isNew).count();
      expect(fresh).toBeGreaterThanOrEqual(2);
      // The display filter keeps only the openings, so the ladder has all of them in view to count.
      const filter = page.getByRole("combobox", { name: text.displayFilter });
      await filter.fill("lab.kind == open");
      await filter.press("Enter");
      await expect(opened).toHaveCount(1 + fresh);
      await expect(events(page, lang).getByRole("option")).toHaveCount(1 + fresh);
      await filter.fill("");
      await filter.press("Enter");

      const cache = panel(page, text.cachePanel);
      await cache.getByRole("button", { name: text.cacheGet }).click();
      await expect(status(cache, 200)).toHaveText("200 OK");
      await cache.getByRole("button", { name: text.revalidate }).click();
      await expect(status(cache, 304)).toHaveText("304 Not Modified");
      await expect(rows(page, lang, /, 304 Not Modified, /)).toHaveCount(1);

      const drip = panel(page, text.chPanel);
      await drip.getByRole("button", { name: text.drip }).click();
      await expect(drip.getByText(text.lastChunk)).toBeVisible({ timeout: 15_000 });
      // Five lines dripped half a second apart: at least five reads of the answer.
      expect(await drip.getByRole("table").getByRole("row").count()).toBeGreaterThanOrEqual(1 + 5);
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);
    });

    test("REST and RPC side by side: bytes, round trips and errors", async ({ page }) => {
      test.setTimeout(120_000);
      await page.goto("/");
      await page.getByRole("link", { name: text.rrTitle, exact: true }).click();
      await expect(page).toHaveURL(/\/lessons\/rest-rpc$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(text.rrTitle);
      await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
      await expectAccessible(page);

      const compare = panel(page, text.cmpPanel);
      await compare.getByRole("button", { name: text.cmpRun }).click();
      const table = compare.getByRole("table");
      await expect(table.locator('tr[data-style="xmlrpc"]')).toContainText("POST /api/rpc/xml");
      await expect(table.locator('tr[data-style="rest"]')).toContainText("GET /api/rest/dummie/2");
      await expect(table.locator('tr[data-style="jsonrpc"]')).toContainText("upper");
      await expect(status(table, 200)).toHaveCount(3);
      await expect(rows(page, lang, /, POST \/api\/rpc\/xml, /)).toHaveCount(1);

      const batches = panel(page, text.batPanel);
      await batches.getByRole("button", { name: text.batRest }).click();
      await expect(batches.getByTestId("rr-trips-rest")).toHaveText(text.trips(3));
      await batches.getByRole("button", { name: text.batBatch }).click();
      await expect(batches.getByTestId("rr-trips-batch")).toHaveText(text.trips(1));

      const errors = panel(page, text.errPanel);
      await errors.getByRole("button", { name: text.errRun }).click();
      await expect(status(errors.locator('[data-style="rest"]'), 404)).toHaveText("404 Not Found");
      await expect(errors.locator('[data-style="rest"]')).toContainText('{"detail":"Not found."}');
      await expect(status(errors.locator('[data-style="jsonrpc"]'), 200)).toBeVisible();
      await expect(errors.locator('[data-style="jsonrpc"]')).toContainText("-32601");
      await expect(errors.locator('[data-style="xmlrpc"]')).toContainText("faultCode");
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);
    });
  });
}
