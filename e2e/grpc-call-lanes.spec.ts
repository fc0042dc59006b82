// Each gRPC call on its own pair of lanes (issue 14 §4), in English and Russian, driven as a student from the call
// console: GetUser twice through the lab's h2c client makes streams 1 and 3 of one HTTP/2 connection; the timeline
// then has a lane pair for each call, named by its method and stream, each call's HEADERS, DATA and trailers named
// with their call, the connection's SETTINGS on the connection's lanes; the console's button marks its call's lanes;
// axe in light and dark; screenshots wide, narrow, dark and Russian.

import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./fixtures";

const TEXT = {
  en: {
    title: "gRPC call console",
    connected: "Connected to the lab",
    events: "Events",
    lanes: "Endpoints",
    h2c: "gRPC over HTTP/2 (the lab's client)",
    call: "Call",
    status: "Status:",
    clientLane: (stream: number) => `client end of the call /user_service.UserService/GetUser, stream ${stream} of the HTTP/2 connection `,
    serverLane: (stream: number) => `server end of the call /user_service.UserService/GetUser, stream ${stream} of the HTTP/2 connection 127.0.0.1:`,
    rowCall: (stream: number) => `call UserService/GetUser, stream ${stream}`,
    show: (stream: number) => `Show stream ${stream}'s lanes on the timeline`,
    chosen: "the call the console points at",
  },
  ru: {
    title: "Консоль вызовов gRPC",
    connected: "Связь с лабораторией есть",
    events: "События",
    lanes: "Участники обмена",
    h2c: "gRPC по HTTP/2 (клиент лаборатории)",
    call: "Вызвать",
    status: "Статус:",
    clientLane: (stream: number) => `сторона клиента вызова /user_service.UserService/GetUser, поток ${stream} HTTP/2-соединения `,
    serverLane: (stream: number) => `сторона сервера вызова /user_service.UserService/GetUser, поток ${stream} HTTP/2-соединения 127.0.0.1:`,
    rowCall: (stream: number) => `вызов UserService/GetUser, поток ${stream}`,
    show: (stream: number) => `Показать дорожки потока ${stream} на временной шкале`,
    chosen: "вызов, выбранный в консоли",
  },
} as const;

type Text = (typeof TEXT)[keyof typeof TEXT];

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/shots-G/${name}.png` });
}

async function callTwice(page: Page, text: Text) {
  await page.goto("/tools/grpc");
  await expect(page.getByRole("heading", { level: 1, name: text.title })).toBeVisible();
  await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
  await page.getByRole("radio", { name: text.h2c }).check();
  const status = page.getByRole("status").filter({ hasText: text.status });
  for (let i = 0; i < 2; i++) {
    await page.getByRole("button", { name: text.call, exact: true }).click();
    await expect(status).toContainText(`${text.status} 0 OK`);
  }
}

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];
  test.describe(`gRPC calls on their own lanes (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("two h2c calls on one connection: a lane pair each, their frames named with their call, the console marks its call", async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await callTwice(page, text);
      const lanes = page.getByRole("list", { name: text.lanes });
      const calls = lanes.locator("li[data-call]");
      // Two calls, each a client lane and a server lane, named by their method and stream.
      await expect(calls).toHaveCount(4);
      for (const stream of [1, 3]) {
        await expect(lanes.getByRole("listitem").filter({ hasText: text.clientLane(stream) })).toHaveCount(1);
        await expect(lanes.getByRole("listitem").filter({ hasText: text.serverLane(stream) })).toHaveCount(1);
        await expect(lanes.locator(`li[data-call="${stream}"]`).first()).toContainText("UserService/GetUser");
      }
      const list = page.getByRole("listbox", { name: text.events });
      // Each call's response HEADERS and trailers are drawn on its lanes, and their rows say which call.
      for (const stream of [1, 3]) {
        const call = text.rowCall(stream).replace(/[/]/g, "\\/");
        await expect(list.getByRole("option", { name: new RegExp(`HEADERS\\[${stream}\\]: 200.*${call}`) })).toHaveCount(1);
        await expect(list.getByRole("option", { name: new RegExp(`HEADERS\\[${stream}\\]: grpc-status 0 OK.*${call}`) })).toHaveCount(1);
      }
      // The client's first write (the preface, SETTINGS and stream 1's request) is drawn on the connection's lanes and
      // stream 1's; the server's SETTINGS alone on the connection's, with no call in its name.
      await expect(list.getByRole("option", { name: new RegExp(`Magic.*${text.rowCall(1).replace(/[/]/g, "\\/")}`) })).toHaveCount(1);
      const settings = list.getByRole("option", { name: /^[^,]+, SETTINGS\[0\]/ });
      await expect(settings.first()).toBeVisible();
      await expect(settings.first()).not.toHaveAccessibleName(/UserService/);
      await shot(page, `call-lanes-wide-${lang}`);

      // The console's button marks its call's two lanes (the second call: stream 3).
      await page.getByRole("button", { name: text.show(3) }).click();
      await expect(page).toHaveURL(/[?&]call=3\b/);
      const chosen = lanes.locator('li[aria-current="true"]');
      await expect(chosen).toHaveCount(2);
      await expect(chosen.first()).toHaveAttribute("data-call", "3");
      await expect(chosen.first()).toContainText(text.chosen);
      await shot(page, `call-lanes-chosen-${lang}`);

      for (const scheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expectAccessible(page);
      }
      await shot(page, `call-lanes-dark-${lang}`);
      await page.emulateMedia({ colorScheme: "light" });

      // Narrow: the calls' lanes scroll with the client lanes; their heads and rows still name them.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect(calls).toHaveCount(4);
      await list.scrollIntoViewIfNeeded();
      await shot(page, `call-lanes-narrow-${lang}`);
      await expectAccessible(page);
    });
  });
}
