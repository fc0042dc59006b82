// Field values in Russian: one template per format id of server/dissect/core/formats.ts, from the value's
// parts as the timeline receives them (strings). Values stay as they are (numbers, hex, quoted text, addresses,
// names from IANA's tables); the words around them are Russian. formats.test.ts fails when a format, a note or
// a checksum reason has no Russian here.

import { FLAG_SEPARATOR, hexText, NAME_SEPARATOR, shownPairs, type ChecksumReason, type FormatArgs, type FormatLanguage, type Note } from "@/server/dissect/core/formats";
import { ruBytes, ruPlural } from "./ru-plural";

/** After "из": `из 1 байта`, `из 4 байт`, `из 21 байта`. */
const ofBytes = (n: string | number | undefined): string => ruPlural(Number(n ?? 0), "байта", "байт", "байт");

export const NOTES_RU: Readonly<Record<Note, string>> = {
  relative_seq: "относительный порядковый номер",
  relative_ack: "относительный номер подтверждения",
  ack_ignored: "ACK не установлен: не учитывается",
  syn_window: "окно в SYN никогда не масштабируется",
  scaling_unknown: "масштаб неизвестен: рукопожатие не попало в захват",
  broadcast: "широковещательный",
  multicast: "групповой",
};

export const CHECKSUM_REASONS_RU: Readonly<Record<ChecksumReason, string>> = {
  not_captured: "в захвате не все байты, которые она охватывает",
  zero: "0 значит, что отправитель её не заполнил",
  offload: "checksum offload, её позже вписывает сетевая карта",
  bad_header_length: "длина заголовка неверна, поэтому неизвестно, где кончается заголовок",
  bad_length: "поле длины неверно",
  no_ip: "нет IP-заголовка, из которого строится псевдозаголовок",
  routing: "в заголовке маршрутизации ещё остались сегменты, так что конечный получатель — не тот, что указан в заголовке",
};

/**
 * Names in the dissectors' tables that are words rather than names, by field id and value: how a Linux
 * capture says which way a packet went (link.ts SLL_PACKET_TYPES), some interface kinds (ARPHRD_NAMES), a
 * deprecated routing type. The rest of the tables' names (IANA's, Wireshark's) stay as they are.
 */
export const NAMES_RU: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  "sll.pkttype": { 0: "Адресован нам", 1: "Широковещательный", 2: "Групповой", 3: "Адресован другому хосту", 4: "Отправлен нами" },
  "sll.hatype": { 768: "Туннель IPIP", 778: "Туннель GRE", 65534: "Нет" },
  "ipv6.routing.type": { 0: "Тип 0 (устаревший)" },
};

const withNote = (text: string | undefined, note: string | undefined): string =>
  note ? `${text ?? ""} (${NOTES_RU[note as Note] ?? note})` : (text ?? "");
const shownValue = (a: FormatArgs): string => (a.digits ? hexText(a.value ?? "", Number(a.digits)) : (a.value ?? ""));
const unknown = (a: FormatArgs): string => `Неизвестно (${shownValue(a)})`;

export const RUSSIAN_FORMATS: FormatLanguage = {
  templates: {
    number: (a) => withNote(a.value, a.note),
    hex: (a) => `${hexText(a.value ?? "", Number(a.digits))} (${a.value})`,
    named: (a, ctx) => {
      if (!a.name) return unknown(a);
      const name = NAMES_RU[ctx.id]?.[Number(a.value)] ?? a.name;
      return `${name} (${shownValue(a)})`;
    },
    flag: (a) => (a.value === "true" ? "Установлен" : "Не установлен"),
    flags: (a, ctx) => `${hexText(a.value ?? "", Number(a.digits))} (${a.set ? a.set.split(FLAG_SEPARATOR).map(ctx.label).join(", ") : "ни один не установлен"})`,
    bytes: (a) => (a.n === "0" ? "(пусто)" : shownPairs(a.hex ?? "") < Number(a.n) ? `${a.hex} … (${ruBytes(a.n)})` : (a.hex ?? "")),
    quoted: (a) => {
      const text = `"${a.text}"${a.cut === "true" ? "…" : ""}`;
      if (a.chars === undefined) return text;
      const chars = ruPlural(Number(a.chars), "символ", "символа", "символов");
      return `${text} (${chars} в ${ruPlural(Number(a.n), "байте", "байтах", "байтах")})`;
    },
    plain: (a) => withNote(a.text, a.note),
    byte_count: (a) => ruBytes(a.n),
    byte_length: (a) => `${ruBytes(a.n)} (${a.raw})`,
    checksum: (a) => {
      const stored = hexText(a.stored ?? "", 4);
      const expected = a.expected === undefined ? "" : hexText(a.expected, 4);
      switch (a.verdict) {
        case "good":
          return `${stored} (верна)`;
        case "bad":
          return `${stored} (неверна, должна быть ${expected})`;
        case "none":
          return `${stored} (нет: отправитель её не вычислял, IPv4 это допускает)`;
        case "missing":
          return `${stored} (отсутствует: IPv6 требует контрольную сумму UDP)`;
        default: {
          const why = CHECKSUM_REASONS_RU[(a.reason ?? "not_captured") as ChecksumReason] ?? a.reason;
          return `${stored} (не проверена: ${why}${expected ? `; верное значение — ${expected}` : ""})`;
        }
      }
    },
    window: (a) => `${a.value} (вычисленный размер окна ${a.scaled}, множитель ${a.factor})`,
    shift: (a) => `${a.value} (умножать на ${a.multiplier})`,
    relative: (a) => `${a.value} (относительный; сырой ${a.raw})`,
    options: (a) => {
      const names = (a.names ?? "") === "" ? [] : (a.names ?? "").split(NAME_SEPARATOR);
      return `${ruBytes(a.n)}: ${names.map((name) => (/^\d+$/.test(name) ? `неизвестный (${name})` : name)).join(", ")}`;
    },
    option: (a) => `${a.name || unknown(a)}: ${ruBytes(a.n)}`,
    vlan: (a) => `VLAN ${a.id}, приоритет ${a.priority}`,
    fragment: (a) => {
      const at = `смещение ${ruBytes(a.offset)}`;
      if (a.more === "true") return `${at}, дальше ещё фрагменты`;
      return a.offset === "0" ? `${at} (атомарный: не фрагментирован)` : `${at}, последний`;
    },
    blocks: (a) => ruPlural(Number(a.n ?? 0), "блок", "блока", "блоков"),
    truncated: (a, ctx) => `обрезано: ${ctx.length} из ${ofBytes(a.wanted)}`,
  },
  partial: (shown, have, wanted) => `${shown} (обрезано: ${have} из ${ofBytes(wanted)})`,
};
