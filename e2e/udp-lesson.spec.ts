// The UDP lesson, driven as a student would, in English and in Russian: the seed's two messages and their three
// answers on the timeline, the binary reply's 42 and 3.14 in its field tree with their bytes lit, two bytes that are
// not UTF-8 left unanswered (the dissector's reason, then the 5 s timeout); 50% loss from a
// fixed seed, whose lost datagrams (worked out here from the same generator) and timeouts the timeline draws; a
// datagram from a program outside the browser; axe in light and dark.

import dgram from "node:dgram";
import { expect, test, type Page } from "@playwright/test";
import { createFates, type ImpairmentSettings } from "../server/clients/udp-impairment";
import { expectAccessible, PORTS } from "./fixtures";

const TEXT = {
  en: {
    title: "UDP: datagrams",
    send: "Send",
    events: "Events",
    aside: "Timeline",
    fields: "Fields of the event",
    toClient: "Server to client",
    toServer: "Client to server",
    lost: "lost datagram",
    noAnswer: "no answer",
    duplicate: "duplicate",
    echoTitle: `1. The UDP echo server, port ${PORTS.udpEcho}`,
    drop: "Drop (%)",
    seed: "Seed",
    apply: "Apply",
    burst: "Send 10 datagrams",
    off: "Turn impairment off",
    now: "Now: drop 50%, duplicate 0%, reorder window 0, delay 0 ms + jitter up to 0 ms, seed 7.",
    seedButton: "Send BINARY_TEST and read one datagram",
    connected: "Connected to the lab",
    notUtf8: "(not UTF-8)",
    dropped: /^Not valid UTF-8 at offset 0 \(ff fe\): the course's server fails to decode this datagram/,
  },
  ru: {
    title: "UDP: датаграммы",
    send: "Отправить",
    events: "События",
    aside: "Шкала",
    fields: "Поля события",
    toClient: "От сервера к клиенту",
    toServer: "От клиента к серверу",
    lost: "потерянная датаграмма",
    noAnswer: "нет ответа",
    duplicate: "дубликат",
    echoTitle: `1. UDP-эхо-сервер, порт ${PORTS.udpEcho}`,
    drop: "Потери (%)",
    seed: "Зерно",
    apply: "Применить",
    burst: "Отправить 10 датаграмм",
    off: "Выключить помехи",
    now: "Сейчас: потери 50%, дубликаты 0%, окно перестановки 0, задержка 0 мс + разброс до 0 мс, зерно 7.",
    seedButton: "Отправить BINARY_TEST и прочитать одну датаграмму",
    connected: "Связь с лабораторией есть",
    notUtf8: "(не UTF-8)",
    dropped: /^Недопустимый UTF-8 по смещению 0 \(ff fe\)/,
  },
} as const;

const LOSSY: ImpairmentSettings = { dropPercent: 50, duplicatePercent: 0, reorderWindow: 0, delayMs: 0, jitterMs: 0, seed: 7 };
const BURST = Array.from({ length: 10 }, (_, i) => `datagram ${i + 1}`);

/** Which of the burst the session's impairment loses each way: the host's own generator, from the same seed. */
function expectedLosses(): { lostThere: string[]; lostBack: string[] } {
  const there = createFates(LOSSY, LOSSY.seed);
  const back = createFates(LOSSY, (LOSSY.seed ^ 0x9e37_79b9) >>> 0);
  const lostThere: string[] = [];
  const lostBack: string[] = [];
  for (const message of BURST) {
    if (there().lost) lostThere.push(message);
    // Each datagram that arrives gets one answer, which meets the way back's sequence in arrival order.
    else if (back().lost) lostBack.push(message);
  }
  return { lostThere, lostBack };
}

function events(page: Page, lang: keyof typeof TEXT) {
  return page.getByRole("complementary", { name: TEXT[lang].aside }).getByRole("listbox", { name: TEXT[lang].events });
}

/** A regular expression that matches `text` literally. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];

  test.describe(`UDP lesson (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });

    test("a student sends the seed's two messages and reads the binary reply's fields", async ({ page }) => {
      // Three axe runs over a long lesson take a while on a busy classroom machine.
      test.setTimeout(120_000);
      await page.goto("/lessons/udp");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(text.title);
      // The panel names the port the host really runs the echo on (the e2e lab's, not the seed's 8889).
      await expect(page.getByRole("heading", { name: text.echoTitle })).toBeVisible();
      await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
      await expectAccessible(page);

      await page.getByRole("button", { name: `${text.send} Hello UDP!`, exact: true }).click();
      const list = events(page, lang);
      await expect(list.getByRole("option", { name: /"UDP-ECHO: Hello UDP!"/ })).toBeVisible();
      await page.getByRole("button", { name: `${text.send} BINARY_TEST`, exact: true }).click();
      const binary = list.getByRole("option", { name: new RegExp(`^${text.toClient}, ${literal("struct.unpack('If') = (42, 3.140000104904175)")}, 8 `) });
      await expect(binary).toBeVisible();
      // Three datagrams answered: one text echo for Hello, the text echo and the 8 bytes for BINARY_TEST.
      const answers = list.getByRole("option", { name: new RegExp(`^${text.toClient}, `) });
      await expect(answers).toHaveCount(3);
      await expect(answers.nth(0)).toHaveAccessibleName(/"UDP-ECHO: Hello UDP!", 20 /);
      await expect(answers.nth(1)).toHaveAccessibleName(/"UDP-ECHO: BINARY_TEST", 21 /);
      await expect(list.getByRole("option", { name: new RegExp(`^${text.toServer}, "BINARY_TEST"`) })).toBeVisible();

      // The binary reply's field tree: 42 lights up bytes 0-3, the float 4-7.
      await binary.click();
      await expect(page).toHaveURL(/[?&]e=\d+/);
      const aside = page.getByRole("complementary", { name: text.aside });
      const tree = aside.getByRole("tree", { name: text.fields });
      const int = tree.getByRole("treeitem", { name: /: 42$/ });
      const float = tree.getByRole("treeitem", { name: /: 3\.140000104904175$/ });
      await expect(int).toBeVisible();
      await expect(float).toBeVisible();
      const lit = aside.locator('[data-column="hex"][data-highlighted="true"]');
      await int.click();
      await expect(int).toHaveAttribute("aria-selected", "true");
      await expect(lit).toHaveText(["2a", "00", "00", "00"]);
      await float.click();
      await expect(float).toHaveAttribute("aria-selected", "true");
      await expect(lit).toHaveText(["c3", "f5", "48", "40"]);
      await expectAccessible(page);

      // Bytes that are not UTF-8: the server answers nothing, the dissector says why, the client times out.
      await page.getByRole("button", { name: `${text.send} ff fe ${text.notUtf8}`, exact: true }).click();
      await expect(page.getByText(text.dropped).first()).toBeVisible();
      await expect(list.getByRole("option", { name: new RegExp(`^${text.toClient}, ${text.noAnswer}`) })).toHaveCount(1, { timeout: 15_000 });

      // What the seed's own client meets: its one read gets the text echo, and struct.unpack fails.
      await page.getByRole("button", { name: text.seedButton }).click();
      await expect(page.getByTestId("seed-error")).toHaveText("struct.error: unpack requires a buffer of 8 bytes");
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);
    });

    test("50% loss from seed 7 loses the same datagrams as the host's generator, drawn as lost, then timeouts", async ({ page }) => {
      test.setTimeout(120_000);
      const { lostThere, lostBack } = expectedLosses();
      // The seed loses some and keeps some each way, or this would prove little.
      expect(lostThere.length).toBeGreaterThan(0);
      expect(lostThere.length).toBeLessThan(BURST.length);

      await page.goto("/lessons/udp");
      await expect(page.getByText(text.connected, { exact: true })).toBeVisible();
      await page.getByRole("spinbutton", { name: text.drop }).fill("50");
      await page.getByRole("spinbutton", { name: text.seed, exact: true }).fill("7");
      await page.getByRole("button", { name: text.apply, exact: true }).click();
      await expect(page.getByText(text.now, { exact: true })).toBeVisible();

      await page.getByRole("button", { name: text.burst, exact: true }).click();
      const list = events(page, lang);
      const lostRows = list.getByRole("option", { name: new RegExp(`^${text.toServer}, ${text.lost}, `) });
      await expect(lostRows).toHaveCount(lostThere.length);
      for (const [i, message] of lostThere.entries()) await expect(lostRows.nth(i)).toHaveAccessibleName(new RegExp(`"${message}"`));
      const lostAnswers = list.getByRole("option", { name: new RegExp(`^${text.toClient}, ${text.lost}, `) });
      await expect(lostAnswers).toHaveCount(lostBack.length);
      for (const [i, message] of lostBack.entries()) await expect(lostAnswers.nth(i)).toHaveAccessibleName(new RegExp(`"UDP-ECHO: ${message}"`));
      // Every datagram that got no answer has its "no answer within 5 s" row.
      const timeouts = list.getByRole("option", { name: new RegExp(text.noAnswer) });
      await expect(timeouts).toHaveCount(lostThere.length + lostBack.length, { timeout: 20_000 });
      if (lang === "en") {
        const arrived = BURST.length - lostThere.length;
        await expect(page.getByTestId("udp-tally")).toHaveText(
          `Sent 10: ${arrived} reached the server, ${lostThere.length} lost on the way there; ${arrived - lostBack.length} answers arrived, ` +
            `${lostBack.length} lost on the way back; 0 duplicate copies; ${lostThere.length + lostBack.length} without an answer within 5 s.`,
        );
      }
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);

      // Duplicates are marked as such; turning impairment off brings every answer back.
      await page.getByRole("spinbutton", { name: text.drop }).fill("0");
      await page.getByRole("spinbutton", { name: /^(Duplicate|Дубликаты)/ }).fill("100");
      await page.getByRole("button", { name: text.apply, exact: true }).click();
      await page.getByRole("button", { name: `${text.send} Hello UDP!`, exact: true }).click();
      await expect(list.getByRole("option", { name: new RegExp(`"Hello UDP!".*${text.duplicate}`) })).toBeVisible();
      await page.getByRole("button", { name: text.off }).click();
      await expect(page.getByText(lang === "en" ? /^Now: no impairment/ : /^Сейчас помех нет/)).toBeVisible();
    });
  });
}

test("the broadcast receiver and the multicast group record a student's datagrams, with TTL 1 to the group", async ({ page }) => {
  await page.goto("/lessons/udp");
  await expect(page.getByText(TEXT.en.connected, { exact: true })).toBeVisible();
  const panel = page.getByRole("region", { name: "7. Broadcast and multicast" });
  await panel.getByRole("button", { name: "Send a broadcast" }).click();
  // A loopback lab's broadcast address reaches this machine alone, and the page says so.
  await expect(panel.getByText(/sends to 127\.255\.255\.255:\d+\./)).toBeVisible();
  await expect(panel.getByText(/127\.255\.255\.255 reaches this machine alone/)).toBeVisible();
  await expect(panel.getByText("The receiver recorded 1 datagram from your socket.", { exact: false })).toBeVisible();

  await panel.getByRole("button", { name: "Send to the group" }).click();
  await expect(panel.getByText(/sends to 224\.0\.0\.100:\d+\. IP TTL 1\./)).toBeVisible();
  // Whether the group was joined is the host's to say; the page follows it either way.
  const joined = panel.getByText("The lab's receiver has joined 224.0.0.100.");
  const notJoined = panel.getByText("The lab's receiver could not join 224.0.0.100. The system said:");
  await expect(joined.or(notJoined)).toBeVisible();
  if (await joined.isVisible()) {
    await expect(panel.getByText(/The receiver recorded 1 datagram from your socket\./).nth(1)).toBeVisible();
    await panel.getByRole("button", { name: "Show on the timeline (to the server)", exact: true }).click();
    await expect(page).toHaveURL(/[?&]e=\d+/);
  } else {
    await expect(panel.getByText(/no multicast route/)).toBeVisible();
  }
});

test("a datagram from a program outside the browser appears on the timeline, never impaired", async ({ page }) => {
  await page.goto("/lessons/udp");
  await expect(page.getByText(TEXT.en.connected, { exact: true })).toBeVisible();
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const answer = new Promise<string>((resolve) => socket.once("message", (m) => resolve(m.toString("utf8"))));
  socket.send("from the terminal", PORTS.udpEcho, "127.0.0.1");
  expect(await answer).toBe("UDP-ECHO: from the terminal");
  const list = events(page, "en");
  await expect(list.getByRole("option", { name: /"UDP-ECHO: from the terminal"/ })).toBeVisible();
  await expect(page.getByText(`127.0.0.1:${socket.address().port}`).first()).toBeVisible();
  // The terminal commands use the port the host runs the echo on.
  await expect(page.getByText(`nc -u -w1 127.0.0.1 ${PORTS.udpEcho}`)).toBeVisible();
  socket.close();
});
