// Findings (expert info) in Russian, by code: each takes the finding's args (as the timeline receives them,
// strings) and gives the Russian sentence. The English comes from the dissectors (server/dissect/*.ts).
// `<proto>.truncated` is not here: findings.ts words it for every layer.

import { FIELDS_RU } from "./fields-ru";
import { ruBytes, ruPlural } from "./ru-plural";

export type ReceivedArgs = Readonly<Record<string, string>>;

const words = (n: string | undefined): string => `${ruPlural(Number(n), "слово", "слова", "слов")} по 32 бита`;

/** Bytes as the English shows them (`e2 82`, or `48 65 … (300 bytes)` when long), with the English part in Russian. */
function hexRu(shown: string | undefined): string {
  if (shown === undefined) return "?";
  if (shown === "(empty)") return "(пусто)";
  return shown.replace(/ … \((\d+) bytes?\)$/, (_, n: string) => ` … (${ruBytes(n)})`);
}

/**
 * An IP option after the word "параметр": its IANA name as the English gives it, or "неизвестного типа N" for
 * one the dissector has no name for (IPv4 shows the type in decimal, IPv6 in hex, as the English does).
 */
function ipOption(a: ReceivedArgs, hexType: boolean): string {
  const name = a.option ?? "?";
  if (!name.startsWith("Unknown")) return name;
  const type = Number(a.type);
  const shown = !Number.isInteger(type) ? (a.type ?? "?") : hexType ? `0x${type.toString(16).padStart(2, "0")}` : String(type);
  return `неизвестного типа ${shown}`;
}

/**
 * A TCP option after the word "параметр": the tree's Russian label for the kinds the dissector decodes, else the
 * IANA name with its kind (`«TCP MD5 Signature» (тип 19)`), or "неизвестного типа N".
 */
function tcpOption(a: ReceivedArgs): string {
  const label = a.field && a.field !== "tcp.option.unknown" ? FIELDS_RU[a.field]?.label : undefined;
  if (label) return `«${label}»`;
  const name = (a.option ?? "?").replace(/ \(kind \d+\)$/, "");
  return name === "Unknown" ? `неизвестного типа ${a.kind}` : `«${name}» (тип ${a.kind})`;
}

/** The finding that stands for the ones past the first nine of a code (text.ts `report`). */
function moreLikeThis(a: ReceivedArgs): string {
  return `Ещё ${ruPlural(Number(a.count), "такое же замечание", "таких же замечания", "таких же замечаний")} между смещениями ${a.from} и ${a.to}.`;
}

const RU: Readonly<Record<string, (a: ReceivedArgs) => string>> = {
  // IPv4 (ipv4.ts)
  "ipv4.bad_version": (a) => `Поле версии содержит ${a.version}, а не 4: эти байты — не заголовок IPv4.`,
  "ipv4.bad_header_length": (a) =>
    `Длина заголовка — ${words(a.words)} (${ruBytes(a.bytes)}), меньше 20 байт, которые есть в любом заголовке IPv4; где начинаются данные, неизвестно.`,
  "ipv4.bad_checksum": (a) =>
    `Контрольная сумма заголовка — ${a.stored}, а подсчёт по заголовку даёт ${a.expected}: заголовок повреждён, или захват увидел его раньше, чем сетевая карта заполнила это поле.`,
  "ipv4.reserved_bit_set": () => "Установлен зарезервированный бит флагов; RFC 791 требует, чтобы он был равен нулю.",
  "ipv4.zero_total_length": () =>
    "Общая длина равна 0: этот большой сегмент разбивает на части сетевая карта и сама проставляет длину в каждой части (segmentation offload). Используется захваченная длина.",
  "ipv4.bad_total_length": (a) =>
    `Общая длина (${a.totalLength}) меньше длины заголовка (${a.headerLength}): датаграмма не вмещает даже собственный заголовок.`,
  "ipv4.length_beyond_capture": (a) =>
    `Общая длина — ${ruBytes(a.totalLength)}, а в захвате только ${ruBytes(a.captured)}: захват обрезал пакет (по своей длине среза, snapshot length), или длина указана неверно.`,
  "ipv4.fragment": (a) =>
    `Фрагмент (смещение ${ruBytes(a.offset)}, ${a.form === "last" ? "последний" : "за ним идут ещё фрагменты"}): лаборатория не собирает IP-фрагменты, поэтому его полезная нагрузка показана как данные.`,
  "ipv4.option.bad_length": (a) => {
    const option = ipOption(a, false);
    switch (a.form) {
      case "too-short":
        return `Параметр ${option} указывает длину ${a.length}, а она не может быть меньше 2 (байт типа и байт длины).`;
      case "past-end":
        return `Параметр ${option} заявляет длину ${ruBytes(a.length)} — больше, чем есть до конца заголовка (${ruBytes(a.left)}).`;
      default:
        return `У параметра ${option} нет места для байта длины: заголовок кончается раньше.`;
    }
  },

  // IPv6 (ipv6.ts)
  "ipv6.bad_version": (a) => `Поле версии содержит ${a.version}, а не 6: эти байты — не заголовок IPv6.`,
  "ipv6.zero_payload_length": () =>
    "Длина полезной нагрузки равна 0, но за заголовком есть байты: этот большой сегмент разбивает на части сетевая карта и сама проставляет длину в каждой части (segmentation offload), или это джамбограмма (jumbogram). Используется захваченная длина.",
  "ipv6.length_beyond_capture": (a) =>
    `Длина полезной нагрузки — ${ruBytes(a.payloadLength)}, а в захвате после заголовка только ${ruBytes(a.captured)}: захват обрезал пакет (по своей длине среза, snapshot length), или длина указана неверно.`,
  "ipv6.too_many_extension_headers": (a) => `Заголовков расширения больше ${a.max}; остальные не читаются.`,
  "ipv6.hopopts_not_first": () =>
    "Заголовок параметров для каждого перехода (Hop-by-Hop Options) должен идти сразу после фиксированного заголовка (RFC 8200 §4.1).",
  "ipv6.fragment": () => "Фрагмент: лаборатория не собирает фрагменты IPv6, поэтому его полезная нагрузка показана как данные.",
  "ipv6.opt.bad_length": (a) => {
    const option = ipOption(a, true);
    if (a.form === "past-end") {
      return `Параметр ${option} заявляет ${ruBytes(a.length)} данных — больше, чем есть до конца заголовка (${ruBytes(a.left)}).`;
    }
    return `У параметра ${option} нет места для байта длины: заголовок кончается раньше.`;
  },

  // TCP (tcp.ts)
  "tcp.bad_header_length": (a) =>
    a.form === "beyond-segment"
      ? `Смещение данных говорит, что заголовок занимает ${ruBytes(a.bytes)}, а по данным IP-уровня весь сегмент занимает только ${ruBytes(a.segmentLength)}.`
      : `Смещение данных — ${words(a.words)} (${ruBytes(a.bytes)}), меньше 20 байт фиксированного заголовка; где начинаются данные, неизвестно.`,
  "tcp.ack_nonzero": () => "Номер подтверждения не равен 0, хотя флаг ACK не установлен; он не учитывается.",
  "tcp.urgent_pointer_nonzero": () => "Указатель срочности не равен 0, хотя флаг URG не установлен; он не учитывается.",
  "tcp.bad_checksum": (a) =>
    `Контрольная сумма — ${a.stored}, а подсчёт по сегменту даёт ${a.expected}: сегмент повреждён, или захват увидел его раньше, чем сетевая карта вписала контрольную сумму.`,
  "tcp.option.bad_length": (a) => {
    const option = tcpOption(a);
    switch (a.form) {
      case "too-short":
        return `Параметр ${option} указывает длину ${a.length}, а она не может быть меньше 2 (байт типа и байт длины), поэтому дальше параметры прочитать нельзя.`;
      case "past-end":
        return `Параметр ${option} заявляет длину ${ruBytes(a.length)} — больше, чем есть до конца заголовка (${ruBytes(a.left)}).`;
      case "wrong-length":
        return `Параметр ${option} не может иметь длину ${ruBytes(a.length)}.`;
      default:
        return `У параметра ${option} нет места для байта длины: заголовок кончается раньше.`;
    }
  },
  "tcp.option.wscale_too_large": (a) =>
    `Величина сдвига — ${a.shift}; RFC 7323 §2.3 допускает не больше 14, а большее значение считается равным 14.`,

  // TCP sequence analysis (tcp-analysis.ts)
  "tcp.analysis.zero_window_probe_ack": () => "Ответ на зондирование нулевого окна: окно всё ещё равно 0.",
  "tcp.analysis.zero_window": () =>
    "Окно равно 0: буфер получателя заполнен, и отправитель должен остановиться, пока окно снова не откроется.",
  "tcp.analysis.zero_window_probe": () =>
    "Один байт, отправленный в нулевое окно, чтобы узнать, когда у получателя снова появится место.",
  "tcp.analysis.duplicate_ack": (a) =>
    `Дубликат ACK № ${a.count}. Снова те же номер подтверждения, окно и порядковый номер, и без данных: получатель всё ещё ждёт тот же байт — часто потому, что какой-то сегмент потерялся.`,
  "tcp.analysis.keep_alive_ack": () => "Ответ на keep-alive: снова тот же ACK — соединение всё ещё живо.",
  "tcp.analysis.keep_alive": () =>
    "Keep-alive: 0 или 1 байт с номером на единицу меньше следующего порядкового номера; его отправляют по простаивающему соединению, чтобы получить в ответ ACK.",
  "tcp.analysis.window_full": () =>
    "Этот сегмент заполняет окно, объявленное получателем: отправитель должен дождаться ACK, прежде чем отправлять дальше.",
  "tcp.analysis.window_update": () => "Изменилось только окно: получатель сообщает отправителю, сколько места у него теперь.",
  "tcp.analysis.ack_lost_segment": () =>
    "Этот сегмент подтверждает данные, которых захват не видел в обратном направлении: захват их пропустил.",
  "tcp.analysis.lost_segment": () =>
    "Сегмент начинается дальше следующего ожидаемого порядкового номера: предыдущий сегмент потерялся, или захват его пропустил.",
  "tcp.analysis.out_of_order": () =>
    "Порядковые номера меньше уже встречавшихся, но сегмент пришёл слишком скоро после них, чтобы быть повторной передачей: сеть переставила сегменты.",
  "tcp.analysis.spurious_retransmission": () =>
    "Повторно отправлены данные, которые получатель уже подтвердил: в этой повторной передаче не было нужды.",
  "tcp.analysis.fast_retransmission": () =>
    "Сегмент отправлен повторно сразу после двух или более дубликатов ACK, запросивших именно этот порядковый номер (быстрая повторная передача, RFC 5681 §3.2).",
  "tcp.analysis.retransmission": () =>
    "Этот сегмент повторяет уже отправленные порядковые номера: отправитель не дождался ACK вовремя и отправил их снова.",
  "tcp.analysis.reused_ports": () =>
    "Новый SYN с другим начальным порядковым номером на уже встречавшемся 4-кортеже (адреса и порты обеих сторон): новое соединение использует те же порты.",
  "tcp.analysis.rst": () =>
    "Сброс соединения (RST): эта сторона немедленно обрывает соединение; ещё не доставленные данные пропадают.",

  // UDP (udp.ts)
  "udp.missing_checksum": () =>
    "Контрольная сумма равна 0, а поверх IPv6 это значит, что её не вычисляли; RFC 8200 §8.1 требует её вычислять, и получатели отбрасывают такие датаграммы.",
  "udp.bad_checksum": (a) =>
    `Контрольная сумма — ${a.stored}, а подсчёт по датаграмме даёт ${a.expected}: датаграмма повреждена, или захват увидел её раньше, чем сетевая карта вписала контрольную сумму.`,
  "udp.bad_length": (a) =>
    a.form === "too-long"
      ? `Поле длины содержит ${a.length}, а IP-заголовок оставляет для UDP только ${ruBytes(a.ipLength)}.`
      : `Поле длины содержит ${a.length} — меньше, чем сам 8-байтовый заголовок.`,
  "udp.surplus": (a) =>
    `Полезная нагрузка IP на ${ruBytes(a.extra)} длиннее, чем длина UDP: эти байты не входят в датаграмму (там могут быть параметры UDP, UDP options).`,

  // Text lines (text.ts)
  "text.empty": () => "Это чтение не принесло ни одного байта, так что показывать нечего.",
  "text.invalid_utf8": (a) => {
    if (a.form === "more") return moreLikeThis(a);
    const one = Number(a.length) === 1;
    return `${ruBytes(a.length)} (${hexRu(a.hex)}) — недопустимая последовательность UTF-8; ${one ? "он показан" : "они показаны"} как U+FFFD (\uFFFD). Так выглядит текст, сохранённый в другой кодировке: Latin-1 записывает «é» одним байтом e9.`;
  },
  "text.control_chars": (a) => {
    if (a.form === "more") return moreLikeThis(a);
    const one = Number(a.length) === 1;
    return `${one ? "Управляющий байт" : "Управляющие байты"} ${hexRu(a.hex)}: ${one ? "он не печатается и показан как escape-последовательность" : "они не печатаются и показаны как escape-последовательности"} \\x. В набранном тексте такие байты редки, а в двоичных данных встречаются часто.`;
  },
  "text.split_character": (a) =>
    `Чтение кончается посреди символа UTF-8: пришло только начало символа — ${ruBytes(a.length)} (${hexRu(a.hex)}), остальное придёт со следующим чтением. TCP сохраняет порядок байтов, но не целостность символов; читающая сторона накапливает байты и только потом декодирует.`,
  "text.no_terminator": () =>
    "В последней строке нет ни CR, ни LF. Здесь это нормально: эхо-сервер возвращает ровно те байты, что получил, а лаборатория считает одно чтение одним сообщением. В настоящем потоке протоколу нужен признак конца или длина, чтобы знать, где кончается сообщение.",
  "text.encoding": (a) => {
    const counts = `${ruBytes(a.bytes)}, ${ruPlural(Number(a.chars), "символ", "символа", "символов")}`;
    switch (a.form) {
      case "invalid":
        return `Недопустимый UTF-8: ${counts}, каждая замена U+FFFD считается одним символом.`;
      case "split":
        return `UTF-8: ${counts}, последний обрезан концом чтения.`;
      case "ascii":
        return `ASCII: ${counts}, по одному байту на символ.`;
      default:
        return `UTF-8: ${counts}; символы за пределами ASCII занимают от 2 до 4 байт каждый.`;
    }
  },

  // A whole packet (packet.ts)
  "data.unsupported_link_type": (a) =>
    `Тип канального уровня ${a.linkType} лаборатория не читает (она понимает Ethernet, Linux cooked, raw IP и BSD loopback).`,
};

/** Args read through this give "?" for a value that did not come, so that no sentence says "undefined". */
function filled(a: ReceivedArgs): ReceivedArgs {
  return new Proxy(a, { get: (target, key) => (typeof key === "string" && Object.hasOwn(target, key) ? target[key] : "?") });
}

export const FINDINGS_RU: Readonly<Record<string, (a: ReceivedArgs) => string>> = Object.fromEntries(
  Object.entries(RU).map(([code, say]) => [code, (a: ReceivedArgs) => say(filled(a))]),
);
