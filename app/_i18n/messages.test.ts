// The UI dictionaries (app/_i18n/messages/) in both languages: every namespace has the same keys in English
// and Russian; every message is ICU MessageFormat that formats with the arguments it names, the same ones in
// both languages, with a form for each plural category of its language; and plural messages render as the
// lab has always said them.
import { readdirSync } from "node:fs";
import {
  isPluralElement,
  isSelectElement,
  isTagElement,
  parse,
  type MessageFormatElement,
  type PluralElement,
} from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it, vi } from "vitest";
import type { Dictionary } from "./define";
import { formatMessage, messageArguments, PARSE_OPTIONS, type Values } from "./format";
import { LOCALES, type Locale } from "./locales";
import { namespaces, type NamespaceName } from "./messages";

const NAMESPACES = Object.keys(namespaces) as NamespaceName[];

function message(namespace: NamespaceName, locale: Locale, key: string): string {
  const dictionary: Dictionary = namespaces[namespace][locale];
  const found = dictionary[key];
  if (found === undefined) throw new Error(`${namespace}.${key} has no ${locale} message`);
  return found;
}

/** [namespace, key] of every message. */
const ALL_KEYS = NAMESPACES.flatMap((namespace) => Object.keys(namespaces[namespace].en).map((key) => [namespace, key] as const));

function plurals(elements: readonly MessageFormatElement[]): PluralElement[] {
  return elements.flatMap((el) => {
    if (isTagElement(el)) return plurals(el.children);
    if (!isPluralElement(el) && !isSelectElement(el)) return [];
    const inner = Object.values(el.options).flatMap((option) => plurals(option.value));
    return isPluralElement(el) ? [el, ...inner] : inner;
  });
}

describe("UI dictionaries", () => {
  it("registers every dictionary file as a namespace", async () => {
    const names = readdirSync(new URL("./messages", import.meta.url))
      .filter((f) => f.endsWith(".ts") && f !== "index.ts")
      .map((f) => f.slice(0, -".ts".length));
    expect(names.length).toBe(NAMESPACES.length);
    const registered = new Set<unknown>(Object.values(namespaces));
    for (const name of names) {
      const loaded = (await import(`./messages/${name}.ts`)) as { default: unknown };
      expect(registered.has(loaded.default), `${name}.ts is not in messages/index.ts`).toBe(true);
    }
  });

  it.each(NAMESPACES)("%s has the same keys in every language", (namespace) => {
    const english = Object.keys(namespaces[namespace].en).sort();
    expect(english.length).toBeGreaterThan(0);
    for (const locale of LOCALES) {
      const keys = Object.keys(namespaces[namespace][locale]).sort();
      expect(
        { missing: english.filter((k) => !keys.includes(k)), extra: keys.filter((k) => !english.includes(k)) },
        `${namespace} in ${locale}`,
      ).toEqual({ missing: [], extra: [] });
    }
  });
});

describe("ICU messages", () => {
  // Counts that reach every plural category of both languages (0 is "many" in Russian, "other" in English).
  const COUNTS = [0, 1, 2, 5, 21, 1.5];

  it.each(ALL_KEYS)("%s.%s formats in both languages with the same arguments", (namespace, key) => {
    const parsed = LOCALES.map((locale) => {
      const text = message(namespace, locale, key);
      const ast = parse(text, PARSE_OPTIONS);
      const args = messageArguments(ast);
      const both = [...args.plain].filter((name) => args.typed.has(name));
      expect(both, `${locale}: inside a plural, write its count as #`).toEqual([]);
      for (const plural of plurals(ast)) {
        const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        expect(Object.keys(plural.options), `${locale}: {${plural.value}, plural} forms`).toEqual(expect.arrayContaining(categories));
      }
      for (const count of COUNTS) {
        const values: Record<string, string | number> = {};
        for (const name of args.plain) values[name] = `‹${name}›`;
        for (const name of args.typed) values[name] = count;
        // The library itself, so that a missing argument throws instead of being shown as "{name}".
        expect(() => new IntlMessageFormat(ast, locale).format(values), `${locale} with ${JSON.stringify(values)}`).not.toThrow();
        // No message writes a brace, so one in the text is a placeholder left unfilled.
        expect(formatMessage(locale, text, values)).not.toMatch(/[{}]/);
      }
      return { plain: [...args.plain].sort(), typed: [...args.typed].sort() };
    });
    expect(parsed[1], "the Russian message's arguments").toEqual(parsed[0]);
  });
});

describe("formatMessage", () => {
  it("writes a number in a plain argument in the reader's locale, and a string as it is", () => {
    expect(formatMessage("en", "{a} and {b}", { a: 1234567.5, b: "1234567" })).toBe("1,234,567.5 and 1234567");
    expect(formatMessage("ru", "{a} и {b}", { a: 1234567.5, b: "1234567" })).toBe("1\u00a0234\u00a0567,5 и 1234567");
  });

  it("shows a plain argument the caller left out as its placeholder, and a message it cannot format as written", () => {
    expect(formatMessage("en", "port {port}")).toBe("port {port}");
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      expect(formatMessage("en", "{n, plural, one {# byte} other {# bytes}}")).toBe("{n, plural, one {# byte} other {# bytes}}");
      expect(formatMessage("en", "{broken")).toBe("{broken");
      expect(logged).toHaveBeenCalledTimes(2);
    } finally {
      logged.mockRestore();
    }
  });

  it("reads < and > as text", () => {
    expect(formatMessage("en", "<b>{x}</b> < {y}", { x: 1, y: 2 })).toBe("<b>1</b> < 2");
  });
});

// Expected text recorded from the hand-written formatter before the messages moved to ICU MessageFormat,
// so this proves the move changed no rendered word: Russian for each plural category and the numbers where
// the categories repeat (1 one, 2 few, 5 many, 11 many, 21 one, 22 few, 25 many), English for one and other.
// Other numbers are written in the reader's locale, with its digit grouping and decimal sign.
const RU_COUNTS = [1, 2, 5, 11, 21, 22, 25];
const EN_COUNTS = [1, 2];

interface Pinned {
  readonly namespace: NamespaceName;
  readonly key: string;
  readonly values: Values;
  readonly ru: readonly string[];
  readonly en: readonly string[];
}

const PINNED: readonly Pinned[] = [
  {
    namespace: "timeline",
    key: "eventCount",
    values: {},
    ru: [
      "1 событие",
      "2 события",
      "5 событий",
      "11 событий",
      "21 событие",
      "22 события",
      "25 событий",
    ],
    en: ["1 event", "2 events"],
  },
  {
    namespace: "timeline",
    key: "pendingEvents",
    values: {},
    ru: [
      "ждёт 1 новое событие",
      "ждут 2 новых события",
      "ждут 5 новых событий",
      "ждут 11 новых событий",
      "ждёт 21 новое событие",
      "ждут 22 новых события",
      "ждут 25 новых событий",
    ],
    en: ["1 new event waiting", "2 new events waiting"],
  },
  {
    namespace: "timeline",
    key: "conversationsShown",
    values: { shown: 1 },
    ru: [
      "показано 1 из 1 соединения",
      "показано 1 из 2 соединений",
      "показано 1 из 5 соединений",
      "показано 1 из 11 соединений",
      "показано 1 из 21 соединения",
      "показано 1 из 22 соединений",
      "показано 1 из 25 соединений",
    ],
    en: ["1 of 1 conversation shown", "1 of 2 conversations shown"],
  },
  {
    namespace: "timeline",
    key: "payloadRange",
    values: { start: 100, end: 1124 },
    ru: [
      "1 байт, смещение в потоке 100",
      "2 байта, смещения в потоке 100–1\u00a0124",
      "5 байт, смещения в потоке 100–1\u00a0124",
      "11 байт, смещения в потоке 100–1\u00a0124",
      "21 байт, смещение в потоке 100",
      "22 байта, смещения в потоке 100–1\u00a0124",
      "25 байт, смещения в потоке 100–1\u00a0124",
    ],
    en: ["1 byte at stream offset 100", "2 bytes at stream offsets 100–1,124"],
  },
  {
    namespace: "timeline",
    key: "fieldRange",
    values: { start: 20, end: 23 },
    ru: [
      "Байты 20–23 (1 байт)",
      "Байты 20–23 (2 байта)",
      "Байты 20–23 (5 байт)",
      "Байты 20–23 (11 байт)",
      "Байты 20–23 (21 байт)",
      "Байты 20–23 (22 байта)",
      "Байты 20–23 (25 байт)",
    ],
    en: ["Bytes 20–23 (1 byte)", "Bytes 20–23 (2 bytes)"],
  },
  {
    namespace: "timeline",
    key: "joinedMore",
    values: {},
    ru: [
      "и ещё 1",
      "и ещё 2",
      "и ещё 5",
      "и ещё 11",
      "и ещё 21",
      "и ещё 22",
      "и ещё 25",
    ],
    en: ["and 1 more", "and 2 more"],
  },
  {
    namespace: "tcpLesson",
    key: "timeReceived",
    values: {},
    ru: [
      "Получен 1 байт:",
      "Получено 2 байта:",
      "Получено 5 байт:",
      "Получено 11 байт:",
      "Получен 21 байт:",
      "Получено 22 байта:",
      "Получено 25 байт:",
    ],
    en: ["Received 1 byte:", "Received 2 bytes:"],
  },
  {
    namespace: "tcpLesson",
    key: "callCount",
    values: {},
    ru: [
      "1 раз",
      "2 раза",
      "5 раз",
      "11 раз",
      "21 раз",
      "22 раза",
      "25 раз",
    ],
    en: ["once", "2 times"],
  },
  {
    namespace: "tcpLesson",
    key: "hsCount",
    values: {},
    ru: [
      "На шкалу пришёл 1 сегмент этого соединения.",
      "На шкалу пришли 2 сегмента этого соединения.",
      "На шкалу пришли 5 сегментов этого соединения.",
      "На шкалу пришли 11 сегментов этого соединения.",
      "На шкалу пришёл 21 сегмент этого соединения.",
      "На шкалу пришли 22 сегмента этого соединения.",
      "На шкалу пришли 25 сегментов этого соединения.",
    ],
    en: [
      "1 segment of this connection has reached the timeline.",
      "2 segments of this connection have reached the timeline.",
    ],
  },
  {
    namespace: "tcpLesson",
    key: "optOther",
    values: { kind: 30 },
    ru: [
      "параметр 30 (1 байт)",
      "параметр 30 (2 байта)",
      "параметр 30 (5 байт)",
      "параметр 30 (11 байт)",
      "параметр 30 (21 байт)",
      "параметр 30 (22 байта)",
      "параметр 30 (25 байт)",
    ],
    en: ["option 30 (1 byte)", "option 30 (2 bytes)"],
  },
  {
    namespace: "tcpLesson",
    key: "segWindowScaled",
    values: { window: 512, factor: 128 },
    ru: [
      "окно 512 × 128 = 1 байт",
      "окно 512 × 128 = 2 байта",
      "окно 512 × 128 = 5 байт",
      "окно 512 × 128 = 11 байт",
      "окно 512 × 128 = 21 байт",
      "окно 512 × 128 = 22 байта",
      "окно 512 × 128 = 25 байт",
    ],
    en: ["window 512 × 128 = 1 byte", "window 512 × 128 = 2 bytes"],
  },
  {
    namespace: "tcpLesson",
    key: "segNoteAckedDataAfter",
    values: { ack: 1234, ms: 0.021 },
    ru: [
      "Подтверждает ещё 1 байт (всё до 1\u00a0234 пришло) через 0,021 мс после отправки.",
      "Подтверждает ещё 2 байта (всё до 1\u00a0234 пришло) через 0,021 мс после отправки.",
      "Подтверждает ещё 5 байт (всё до 1\u00a0234 пришло) через 0,021 мс после отправки.",
      "Подтверждает ещё 11 байт (всё до 1\u00a0234 пришло) через 0,021 мс после отправки.",
      "Подтверждает ещё 21 байт (всё до 1\u00a0234 пришло) через 0,021 мс после отправки.",
      "Подтверждает ещё 22 байта (всё до 1\u00a0234 пришло) через 0,021 мс после отправки.",
      "Подтверждает ещё 25 байт (всё до 1\u00a0234 пришло) через 0,021 мс после отправки.",
    ],
    en: [
      "Confirms 1 more byte (everything before 1,234 has arrived), 0.021 ms after it was sent.",
      "Confirms 2 more bytes (everything before 1,234 has arrived), 0.021 ms after they were sent.",
    ],
  },
];

describe("plural messages", () => {
  it.each(PINNED)("$key ($namespace) renders as before", ({ namespace, key, values, ru, en }) => {
    const render = (locale: Locale, n: number) => formatMessage(locale, message(namespace, locale, key), { ...values, n });
    expect(RU_COUNTS.map((n) => render("ru", n))).toEqual(ru);
    expect(EN_COUNTS.map((n) => render("en", n))).toEqual(en);
  });
});
