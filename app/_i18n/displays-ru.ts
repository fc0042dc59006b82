// Field displays in Russian: the dissectors write each value with English words around it (server/dissect);
// these rules, tried in order, say the same in Russian. Values (numbers, hex, quoted text, protocol and option
// names as IANA writes them) stay as they are; a display no rule matches is shown as it came.

import { ruBytes, ruPlural } from "./ru-plural";

/** After "из": `из 1 байта`, `из 4 байт`, `из 21 байта`. */
const ofBytes = (n: string | undefined): string => ruPlural(Number(n ?? 0), "байта", "байт", "байт");
/** After "в": `в 1 байте`, `в 12 байтах`, `в 21 байте`. */
const inBytes = (n: string | undefined): string => ruPlural(Number(n ?? 0), "байте", "байтах", "байтах");
const characters = (n: string | undefined): string => ruPlural(Number(n ?? 0), "символ", "символа", "символов");
const blocks = (n: string | undefined): string => ruPlural(Number(n ?? 0), "блок", "блока", "блоков");

/**
 * A name from a dissector's table, as the English gives it: kept, except the ones the dissectors make up for values
 * they have no name for (`Unknown (5)`, `Unknown (0x05)`, `Unknown (kind 77)`) and the `(kind N)` after a TCP
 * option's IANA name. `start` says whether the name begins the display (capitalised) or stands in a list.
 */
function nameRu(name: string, start = true, neuter = false): string {
  const unknown = /^Unknown \((kind )?(0x[0-9a-f]+|\d+)\)$/.exec(name);
  if (unknown) {
    const word = neuter ? "неизвестное" : "неизвестный";
    const shown = unknown[1] ? `тип ${unknown[2] ?? ""}` : (unknown[2] ?? "");
    return `${start ? word.charAt(0).toUpperCase() + word.slice(1) : word} (${shown})`;
  }
  return name.replace(/ \(kind (\d+)\)$/, " (тип $1)");
}

/** A list of option names (`NOP, Router Alert, Unknown (5), EOL`): the names kept, made-up ones and `(kind N)` in Russian. */
function namesRu(list: string): string {
  return list.replace(/Unknown \((?:kind )?(?:0x[0-9a-f]+|\d+)\)/g, (name) => nameRu(name, false)).replace(/ \(kind (\d+)\)/g, " (тип $1)");
}

/** Why a checksum could not be verified (core/inet.ts checkChecksum and its callers). */
const REASONS: readonly { readonly pattern: RegExp; readonly ru: (m: RegExpExecArray) => string }[] = [
  { pattern: /^not all of the bytes it covers were captured$/, ru: () => "в захвате не все байты, которые она охватывает" },
  {
    pattern: /^0 means the sender left it empty; it would be (0x[0-9a-f]+)$/,
    ru: (m) => `0 значит, что отправитель её не заполнил; верное значение — ${m[1] ?? ""}`,
  },
  {
    pattern: /^checksum offload, the card fills it in later; it would be (0x[0-9a-f]+)$/,
    ru: (m) => `checksum offload, её позже вписывает сетевая карта; верное значение — ${m[1] ?? ""}`,
  },
  {
    pattern: /^the header length is wrong, so the header's end is unknown$/,
    ru: () => "длина заголовка неверна, поэтому неизвестно, где кончается заголовок",
  },
  { pattern: /^the length field is wrong$/, ru: () => "поле длины неверно" },
  { pattern: /^no IP header to build the pseudo-header from$/, ru: () => "нет IP-заголовка, из которого строится псевдозаголовок" },
  {
    pattern: /^the routing header still has segments left, so the final destination is not the one in the header$/,
    ru: () => "в заголовке маршрутизации ещё остались сегменты, так что конечный получатель — не тот, что указан в заголовке",
  },
];

function reasonRu(reason: string): string | undefined {
  for (const r of REASONS) {
    const m = r.pattern.exec(reason);
    if (m) return r.ru(m);
  }
  return undefined;
}

/** IPv4's three flag bits by name (ipv4.ts FLAGS_DISPLAYS). */
const IPV4_FLAGS_RU: Readonly<Record<string, string>> = {
  Reserved: "Зарезервирован",
  "Don't fragment": "Не фрагментировать",
  "More fragments": "Есть ещё фрагменты",
};

/** Linux packet types (link.ts SLL_PACKET_TYPES): which way the packet went, not names. */
const SLL_PACKET_TYPES_RU: Readonly<Record<string, string>> = {
  "Unicast to us": "Адресован нам",
  Broadcast: "Широковещательный",
  Multicast: "Групповой",
  "Unicast to another host": "Адресован другому хосту",
  "Sent by us": "Отправлен нами",
};

/** The ARPHRD_* names of link.ts that are words rather than names. */
const ARPHRD_RU: Readonly<Record<string, string>> = {
  "IPIP tunnel": "Туннель IPIP",
  "GRE tunnel": "Туннель GRE",
  None: "Нет",
};

export interface DisplayRule {
  readonly pattern: RegExp;
  /** Only for these field ids; for any field when absent. */
  readonly ids?: readonly string[];
  /** The Russian; `id` is the field's, for rules that translate a part of the display again. */
  readonly ru: (m: RegExpExecArray, id: string) => string;
}

export const DISPLAY_RULES: readonly DisplayRule[] = [
  // Any display cut short (core/cursor.ts raw, itemOnly): `<display> (truncated: 2 of 4 bytes)`.
  {
    pattern: /^([\s\S]+) \(truncated: (\d+) of (\d+) bytes?\)$/,
    ru: (m, id) => `${displayRu(id, m[1] ?? "")} (обрезано: ${m[2] ?? ""} из ${ofBytes(m[3])})`,
  },
  // A number cut short (core/cursor.ts partial).
  { pattern: /^truncated: (\d+) of (\d+) bytes?$/, ru: (m) => `обрезано: ${m[1] ?? ""} из ${ofBytes(m[2])}` },

  // Bits and booleans (core/cursor.ts bitDisplay, uint).
  { pattern: /^Set$/, ru: () => "Установлен" },
  { pattern: /^Not set$/, ru: () => "Не установлен" },
  { pattern: /^True$/, ru: () => "Да" },
  { pattern: /^False$/, ru: () => "Нет" },
  // A flags word with none of its flags set (core/cursor.ts flags).
  { pattern: /^(0x[0-9a-f]+) \(none set\)$/, ru: (m) => `${m[1] ?? ""} (ни один не установлен)` },

  // Bytes (core/fields.ts formatBytes).
  { pattern: /^\(empty\)$/, ru: () => "(пусто)" },
  { pattern: /^((?:[0-9a-f]{2} )+)… \((\d+) bytes?\)$/, ru: (m) => `${m[1] ?? ""}… (${ruBytes(m[2])})` },
  // Lengths: a header or option (subtree, pop), words of 32 bits (WORDS32_NAMES), IPv6's 8-byte units.
  { pattern: /^(\d+) bytes?$/, ru: (m) => ruBytes(m[1]) },
  { pattern: /^(\d+) bytes? \((\d+)\)$/, ru: (m) => `${ruBytes(m[1])} (${m[2] ?? ""})` },

  // Checksums (core/inet.ts checkChecksum, udp.ts).
  { pattern: /^(0x[0-9a-f]+) \(correct\)$/, ru: (m) => `${m[1] ?? ""} (верна)` },
  { pattern: /^(0x[0-9a-f]+) \(incorrect, should be (0x[0-9a-f]+)\)$/, ru: (m) => `${m[1] ?? ""} (неверна, должна быть ${m[2] ?? ""})` },
  {
    pattern: /^(0x[0-9a-f]+) \(unverified: ([\s\S]+)\)$/,
    ru: (m) => {
      const reason = reasonRu(m[2] ?? "");
      return reason === undefined ? m.input : `${m[1] ?? ""} (не проверена: ${reason})`;
    },
  },
  {
    pattern: /^(0x[0-9a-f]+) \(none: the sender did not compute one, which IPv4 allows\)$/,
    ru: (m) => `${m[1] ?? ""} (нет: отправитель её не вычислял, IPv4 это допускает)`,
  },
  {
    pattern: /^(0x[0-9a-f]+) \(missing: IPv6 requires a UDP checksum\)$/,
    ru: (m) => `${m[1] ?? ""} (отсутствует: IPv6 требует контрольную сумму UDP)`,
  },

  // Link layer (link.ts).
  {
    pattern: /^([0-9a-f]{2}(?::[0-9a-f]{2})*) \((broadcast|multicast)\)$/,
    ru: (m) => `${m[1] ?? ""} (${m[2] === "broadcast" ? "широковещательный" : "групповой"})`,
  },
  { pattern: /^VLAN (\d+), priority (\d+)$/, ru: (m) => `VLAN ${m[1] ?? ""}, приоритет ${m[2] ?? ""}` },
  {
    pattern: /^(Unicast to us|Broadcast|Multicast|Unicast to another host|Sent by us) \((\d+)\)$/,
    ids: ["sll.pkttype"],
    ru: (m) => `${SLL_PACKET_TYPES_RU[m[1] ?? ""] ?? m[1] ?? ""} (${m[2] ?? ""})`,
  },
  {
    pattern: /^(IPIP tunnel|GRE tunnel|None) \((\d+)\)$/,
    ids: ["sll.hatype"],
    ru: (m) => `${ARPHRD_RU[m[1] ?? ""] ?? m[1] ?? ""} (${m[2] ?? ""})`,
  },

  // IPv4 (ipv4.ts): the flag bits by name, options.
  {
    pattern: /^(0x[0-7])((?:, (?:Reserved|Don't fragment|More fragments))+)$/,
    ids: ["ipv4.flags"],
    ru: (m) =>
      (m[1] ?? "") +
      (m[2] ?? "")
        .split(", ")
        .slice(1)
        .map((flag) => `, ${IPV4_FLAGS_RU[flag] ?? flag}`)
        .join(""),
  },
  // Option lists (ipv4.ts and tcp.ts walkOptions): `8 bytes: NOP, Router Alert, EOL`.
  { pattern: /^(\d+) bytes?: ([\s\S]*)$/, ids: ["ipv4.options", "tcp.options"], ru: (m) => `${ruBytes(m[1])}: ${namesRu(m[2] ?? "")}` },
  // One option (ipv4.ts `Router Alert: 4 bytes`, tcp.ts `Maximum segment size: 1460 bytes`).
  { pattern: /^([\s\S]+): (\d+) bytes?$/, ids: ["ipv4.option", "tcp.option.mss"], ru: (m) => `${nameRu(m[1] ?? "")}: ${ruBytes(m[2])}` },

  // IPv6 (ipv6.ts): options, the Fragment header, routing types.
  { pattern: /^([\s\S]+): (\d+) bytes? of data$/, ids: ["ipv6.opt"], ru: (m) => `${nameRu(m[1] ?? "")}: ${ruBytes(m[2])} данных` },
  { pattern: /^offset (\d+) bytes?, more follow$/, ru: (m) => `смещение ${ruBytes(m[1])}, дальше ещё фрагменты` },
  { pattern: /^offset (\d+) bytes?, the last$/, ru: (m) => `смещение ${ruBytes(m[1])}, последний` },
  { pattern: /^offset (\d+) bytes? \(atomic: not fragmented\)$/, ru: (m) => `смещение ${ruBytes(m[1])} (атомарный: не фрагментирован)` },
  {
    pattern: /^Type (\d+) \(([^()]+)\) \((\d+)\)$/,
    ids: ["ipv6.routing.type"],
    ru: (m) => `Тип ${m[1] ?? ""} (${m[2] === "deprecated" ? "устаревший" : (m[2] ?? "")}) (${m[3] ?? ""})`,
  },

  // TCP (tcp.ts): relative numbers, flags, window, options.
  { pattern: /^(\d+) \(relative sequence number\)$/, ru: (m) => `${m[1] ?? ""} (относительный порядковый номер)` },
  { pattern: /^(\d+) \(relative ack number\)$/, ru: (m) => `${m[1] ?? ""} (относительный номер подтверждения)` },
  { pattern: /^(\d+) \(ACK not set: ignored\)$/, ru: (m) => `${m[1] ?? ""} (ACK не установлен: не учитывается)` },
  {
    pattern: /^(0x[0-9a-f]+) \(([^()]*)\)$/,
    ids: ["tcp.flags"],
    ru: (m) =>
      `${m[1] ?? ""} (${(m[2] ?? "")
        .split(", ")
        .map((flag) => (flag === "<None>" ? "<нет>" : flag === "Reserved" ? "Зарезервировано" : flag))
        .join(", ")})`,
  },
  { pattern: /^(\d+) \(a SYN's window is never scaled\)$/, ru: (m) => `${m[1] ?? ""} (окно в SYN никогда не масштабируется)` },
  {
    pattern: /^(\d+) \(scaling unknown: the handshake was not captured\)$/,
    ru: (m) => `${m[1] ?? ""} (масштаб неизвестен: рукопожатие не попало в захват)`,
  },
  {
    pattern: /^(\d+) \(calculated window size (\d+), scaling factor (\d+)\)$/,
    ru: (m) => `${m[1] ?? ""} (вычисленный размер окна ${m[2] ?? ""}, множитель ${m[3] ?? ""})`,
  },
  { pattern: /^(\d+) \(multiply by (\d+)\)$/, ru: (m) => `${m[1] ?? ""} (умножать на ${m[2] ?? ""})` },
  { pattern: /^([\s\S]+): (\d+) \(multiply by (\d+)\)$/, ids: ["tcp.option.wscale"], ru: (m) => `${m[1] ?? ""}: ${m[2] ?? ""} (умножать на ${m[3] ?? ""})` },
  { pattern: /^([\s\S]+): (\d+) blocks?$/, ids: ["tcp.option.sack"], ru: (m) => `${m[1] ?? ""}: ${blocks(m[2])}` },
  { pattern: /^(\d+) \(relative; raw (\d+)\)$/, ru: (m) => `${m[1] ?? ""} (относительный; сырой ${m[2] ?? ""})` },
  // An option the dissector does not decode (`TCP MD5 Signature (kind 19)`, `Unknown (kind 77)`).
  { pattern: /^([\s\S]+) \(kind (\d+)\)$/, ids: ["tcp.option.unknown"], ru: (m) => nameRu(m.input) },

  // A value with no name in its table (core/fields.ts valueName, link.ts etherTypeDisplay, walkOptions):
  // `Unknown (5)`, `Unknown (0x1234)`. The family of a BSD loopback header is "семейство", the rest masculine.
  { pattern: /^Unknown \((?:0x[0-9a-f]+|\d+)\)$/, ids: ["null.family"], ru: (m) => nameRu(m.input, true, true) },
  { pattern: /^Unknown \((?:0x[0-9a-f]+|\d+)\)$/, ru: (m) => nameRu(m.input) },

  // Text (text.ts): a line's content when it has characters of more than one byte.
  {
    pattern: /^("[\s\S]*"…?) \((\d+) characters? in (\d+) bytes?\)$/,
    ru: (m) => `${m[1] ?? ""} (${characters(m[2])} в ${inBytes(m[3])})`,
  },
];

/** The display in Russian, or the same string when no rule applies. `id` is the field's id (e.g. "tcp.seq"). */
export function displayRu(id: string, display: string): string {
  for (const rule of DISPLAY_RULES) {
    if (rule.ids && !rule.ids.includes(id)) continue;
    const m = rule.pattern.exec(display);
    if (m) return rule.ru(m, id);
  }
  return display;
}
