// Findings (expert info) in Russian, keyed by the codes (and forms) the dissectors declare in their findings
// tables (server/dissect/*.ts defineFindings; "*.<name>" for the shared ones of core/findings.ts). Each takes the
// finding's values (as the timeline receives them, strings) and gives the Russian sentence; findings.test.ts
// fails when a declared wording has none here, or when an entry here names no declared one.

import { FIELDS_RU } from "./fields-ru";
import { ruBytes, ruPlural } from "./ru-plural";

export type ReceivedArgs = Readonly<Record<string, string>>;
type Say = (a: ReceivedArgs) => string;
/** One sentence for a code, or one per form for a code declared with several. */
export type RuFinding = Say | Readonly<Record<string, Say>>;

const chars = (n: string | undefined): string => ruPlural(Number(n), "символ", "символа", "символов");
const words = (n: string | undefined): string => `${ruPlural(Number(n), "слово", "слова", "слов")} по 32 бита`;

/** An IP option after the word "параметр": its IANA name and type, or "неизвестного типа N" for one without a name. */
function ipOption(a: ReceivedArgs): string {
  return a.name ? `«${a.name}» (тип ${a.type})` : `неизвестного типа ${a.type}`;
}

/**
 * A TCP option after the word "параметр", with its kind: the tree's Russian label for the kinds the dissector
 * decodes (`«Метки времени» (тип 8)`), else the IANA name (`«TCP MD5 Signature» (тип 19)`), or "неизвестного
 * типа N".
 */
function tcpOption(a: ReceivedArgs): string {
  const label = a.field && a.field !== "tcp.option.unknown" ? FIELDS_RU[a.field]?.label : undefined;
  const name = label ?? a.name;
  return name ? `«${name}» (тип ${a.kind})` : `неизвестного типа ${a.kind}`;
}

/** The finding that stands for the ones past the first nine of a code (text.ts `report`). */
function moreLikeThis(a: ReceivedArgs): string {
  return `Ещё ${ruPlural(Number(a.count), "такое же замечание", "таких же замечания", "таких же замечаний")} между смещениями ${a.from} и ${a.to}.`;
}

/** A field by id in Russian, else the English label that came with it. */
function fieldName(id: string | undefined, english: string | undefined): string {
  return (id && FIELDS_RU[id]?.label) || english || "?";
}

const RU: Readonly<Record<string, RuFinding>> = {
  // Every layer (core/findings.ts SHARED_FINDINGS)
  "*.truncated": {
    data: (a) => `Полю «${fieldName(a.field, a.label)}» нужно ${ruBytes(a.wanted)} по смещению ${a.offset}, а данных осталось только ${ruBytes(a.have)}.`,
    within: (a) =>
      `Полю «${fieldName(a.field, a.label)}» нужно ${ruBytes(a.wanted)} по смещению ${a.offset}, а в объемлющем поле «${fieldName(a.within, a.withinLabel)}» осталось только ${ruBytes(a.have)}.`,
    skip: (a) => `Пропуск ${ruPlural(Number(a.wanted), "байта", "байт", "байт")} по смещению ${a.offset} выходит за конец данных: их осталось только ${ruBytes(a.have)}.`,
    skip_within: (a) =>
      `Пропуск ${ruPlural(Number(a.wanted), "байта", "байт", "байт")} по смещению ${a.offset} выходит за конец объемлющего поля «${fieldName(a.within, a.withinLabel)}»: в нём осталось только ${ruBytes(a.have)}.`,
  },
  "*.too_long": {
    declared: (a) =>
      `Это сообщение заявляет длину ${ruBytes(a.declared)} — больше ${ruPlural(Number(a.limit), "байта", "байт", "байт")}, которые лаборатория может придержать; оно показано по мере поступления.`,
    unended: (a) =>
      `Конец сообщения не нашёлся в пределах ${ruPlural(Number(a.limit), "байта", "байт", "байт")}, которые лаборатория может придержать; эти байты показаны одним кадром.`,
    rest: (a) =>
      `Продолжение сообщения, заявившего длину ${ruBytes(a.declared)} — больше ${ruPlural(Number(a.limit), "байта", "байт", "байт")}, которые лаборатория может придержать; показано по мере поступления.`,
  },
  "*.dissector_error": (a) => `Диссектор ${a.dissector} не смог разобрать эти байты (${a.error}); они показаны как есть.`,

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
  "ipv4.fragment": {
    more: (a) =>
      `Фрагмент (смещение ${ruBytes(a.offset)}, за ним идут ещё фрагменты): лаборатория не собирает IP-фрагменты, поэтому его полезная нагрузка показана как данные.`,
    last: (a) =>
      `Фрагмент (смещение ${ruBytes(a.offset)}, последний): лаборатория не собирает IP-фрагменты, поэтому его полезная нагрузка показана как данные.`,
  },
  "ipv4.option.bad_length": {
    no_length_byte: (a) => `У параметра ${ipOption(a)} нет места для байта длины: заголовок кончается раньше.`,
    too_short: (a) => `Параметр ${ipOption(a)} указывает длину ${a.length}, а она не может быть меньше 2 (байт типа и байт длины).`,
    past_end: (a) => `Параметр ${ipOption(a)} заявляет длину ${ruBytes(a.length)} — больше, чем есть до конца заголовка (${ruBytes(a.left)}).`,
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
  "ipv6.opt.bad_length": {
    no_length_byte: (a) => `У параметра ${ipOption(a)} нет места для байта длины: заголовок кончается раньше.`,
    past_end: (a) => `Параметр ${ipOption(a)} заявляет ${ruBytes(a.length)} данных — больше, чем есть до конца заголовка (${ruBytes(a.left)}).`,
  },

  // TCP (tcp.ts)
  "tcp.bad_header_length": {
    too_short: (a) =>
      `Смещение данных — ${words(a.words)} (${ruBytes(a.bytes)}), меньше 20 байт фиксированного заголовка; где начинаются данные, неизвестно.`,
    beyond_segment: (a) =>
      `Смещение данных говорит, что заголовок занимает ${ruBytes(a.bytes)}, а по данным IP-уровня весь сегмент занимает только ${ruBytes(a.segmentLength)}.`,
  },
  "tcp.ack_nonzero": () => "Номер подтверждения не равен 0, хотя флаг ACK не установлен; он не учитывается.",
  "tcp.urgent_pointer_nonzero": () => "Указатель срочности не равен 0, хотя флаг URG не установлен; он не учитывается.",
  "tcp.bad_checksum": (a) =>
    `Контрольная сумма — ${a.stored}, а подсчёт по сегменту даёт ${a.expected}: сегмент повреждён, или захват увидел его раньше, чем сетевая карта вписала контрольную сумму.`,
  "tcp.option.bad_length": {
    no_length_byte: (a) => `У параметра ${tcpOption(a)} нет места для байта длины: заголовок кончается раньше.`,
    too_short: (a) =>
      `Параметр ${tcpOption(a)} указывает длину ${a.length}, а она не может быть меньше 2 (байт типа и байт длины), поэтому дальше параметры прочитать нельзя.`,
    past_end: (a) => `Параметр ${tcpOption(a)} заявляет длину ${ruBytes(a.length)} — больше, чем есть до конца заголовка (${ruBytes(a.left)}).`,
    wrong_length: (a) => `Параметр ${tcpOption(a)} не может иметь длину ${ruBytes(a.length)}.`,
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
  "udp.bad_length": {
    too_short: (a) => `Поле длины содержит ${a.length} — меньше, чем сам 8-байтовый заголовок.`,
    too_long: (a) => `Поле длины содержит ${a.length}, а IP-заголовок оставляет для UDP только ${ruBytes(a.ipLength)}.`,
  },
  "udp.surplus": (a) =>
    `Полезная нагрузка IP на ${ruBytes(a.extra)} длиннее, чем длина UDP: эти байты не входят в датаграмму (там могут быть параметры UDP, UDP options).`,

  // Text lines (text.ts)
  "text.empty": () => "Это чтение не принесло ни одного байта, так что показывать нечего.",
  "text.invalid_utf8": {
    range: (a) => {
      const one = Number(a.length) === 1;
      return `${ruBytes(a.length)} (${a.hex}) — недопустимая последовательность UTF-8; ${one ? "он показан" : "они показаны"} как U+FFFD (\uFFFD). Так выглядит текст, сохранённый в другой кодировке: Latin-1 записывает «é» одним байтом e9.`;
    },
    more: moreLikeThis,
  },
  "text.control_chars": {
    range: (a) => {
      const one = Number(a.length) === 1;
      return `${one ? "Управляющий байт" : "Управляющие байты"} ${a.hex} (${ruBytes(a.length)}): ${one ? "он не печатается и показан как escape-последовательность" : "они не печатаются и показаны как escape-последовательности"} \\x. В набранном тексте такие байты редки, а в двоичных данных встречаются часто.`;
    },
    more: moreLikeThis,
  },
  "text.split_character": (a) =>
    `Чтение кончается посреди символа UTF-8: пришло только начало символа — ${ruBytes(a.length)} (${a.hex}), остальное придёт со следующим чтением. TCP сохраняет порядок байтов, но не целостность символов; читающая сторона накапливает байты и только потом декодирует.`,
  "text.no_terminator": () =>
    "В последней строке нет ни CR, ни LF. Текстовые серверы лаборатории и клиенты из методички отправляют сообщения без него, а лаборатория считает одно чтение одним сообщением. В настоящем потоке протоколу нужен признак конца или длина, чтобы знать, где кончается сообщение.",
  "text.replacement_char": (a) =>
    `Байты ef bf bd по смещению ${a.offset} — это U+FFFD (\uFFFD), символ, который декодер ставит на место байтов, не являющихся UTF-8. Эхо-сервер лаборатории так и декодирует прочитанное, поэтому на сообщение с байтом не из UTF-8 (68 69 ff) он отвечает ECHO: hi + ef bf bd. Сервер на Python из методички декодирует строго (data.decode('utf-8')): на таких байтах он выбрасывает UnicodeDecodeError, и соединение закрывается.`,
  "text.encoding": {
    invalid: (a) => `Недопустимый UTF-8: ${counts(a)}, каждая замена U+FFFD считается одним символом.`,
    split: (a) => `UTF-8: ${counts(a)}, последний обрезан концом чтения.`,
    ascii: (a) => `ASCII: ${counts(a)}, по одному байту на символ.`,
    utf8: (a) => `UTF-8: ${counts(a)}; символы за пределами ASCII занимают от 2 до 4 байт каждый.`,
  },

  // The UDP echo of seed 000 (udp-echo.ts)
  "udpecho.empty": () => "Пустая датаграмма: UDP может нести 0 байт, и сервер всё равно отвечает на неё — строкой «UDP-ECHO: », после которой ничего нет.",
  "udpecho.dropped": (a) =>
    `Недопустимый UTF-8 по смещению ${a.offset} (${a.hex}): сервер из методички не может декодировать эту датаграмму, записывает ошибку в журнал и не отвечает. Соединения нет, поэтому клиент ничего не узнаёт: он ждёт до истечения своего тайм-аута.`,
  "udpecho.binary_follows": () =>
    "Сообщение начинается с BINARY, поэтому за текстовым эхом придёт вторая датаграмма: 8 байт struct.pack('If', 42, 3.14).",
  "udpecho.cut_by_server": (a) =>
    `Сервер из методички читает вызовом recvfrom(${a.recv}): из этой датаграммы длиной ${ruBytes(a.length)} он получает первые ${a.recv}, остальное ядро отбрасывает.`,
  "udpecho.native_layout": () =>
    "В формате 'If' нет символа порядка байтов, значит, это нативный режим '@': I — беззнаковое int из 4 байт по смещению 0, f — float из 4 байт по смещению 4, оба little endian на x86-64. С '<If' или '!If' обе стороны поняли бы друг друга при любых процессорах.",
  "udpecho.float32": (a) =>
    `В float помещается 24 значащих бита, поэтому сервер упаковывает ближайшее к ${a.shortest} число float: ровно ${a.exact}. Python распаковывает его в double и печатает ${a.repr}.`,
  "udpecho.unexpected": (a) => `Эта датаграмма — ни эхо, ни 8-байтовый двоичный ответ (${ruBytes(a.length)}).`,

  // HTTP/1.x (http1.ts)
  "http1.bare_lf": () =>
    "Строка кончается одиночным LF (0x0a) без CR (0x0d) перед ним. Строки HTTP/1.1 кончаются на CRLF; RFC 9112 §2.2 разрешает читателю принять одиночный LF, но парсер Node (llhttp) отклоняет такое сообщение ответом 400 Bad Request.",
  "http1.obs_fold": () =>
    "Значение продолжается на строке, которая начинается с пробела (obs-fold). RFC 9112 §5.2 объявил это устаревшим: сервер должен отклонить такое сообщение или прочитать перенос как пробел, и Node отклоняет его ответом 400.",
  "http1.missing_host": () =>
    "Запрос HTTP/1.1 без заголовка Host. RFC 9112 §3.2 требует его, и сервер обязан ответить на такой запрос 400 Bad Request.",
  "http1.duplicate_host": (a) =>
    `Заголовков Host — ${a.count}. По RFC 9112 §3.2 на несколько заголовков Host сервер должен ответить 400; Node берёт первый.`,
  "http1.cl_and_te": () =>
    "Content-Length вместе с Transfer-Encoding. Где кончается тело, решает кодирование chunked (RFC 9112 §6.3), но прокси, поверивший Content-Length, разрезал бы поток в другом месте и прочитал остаток как ещё один запрос. Это расхождение и есть контрабанда запросов (request smuggling), поэтому сервер обязан отклонить такое сообщение.",
  "http1.duplicate_content_length": {
    same: (a) =>
      `Content-Length встречается ${ruPlural(Number(a.count), "раз", "раза", "раз")} с одним и тем же значением. RFC 9110 §8.6 разрешает читателю принять это, но Node отклоняет: за повтором может скрываться противоречие.`,
    conflicting: (a) =>
      `Значения Content-Length противоречат друг другу (${a.values}): неизвестно, где кончается тело, и по RFC 9112 §6.3 такое сообщение считается недопустимым.`,
  },
  "http1.invalid_content_length": (a) =>
    `Content-Length должен состоять только из десятичных цифр, а «${a.value}» — нет, поэтому неизвестно, где кончается тело.`,
  "http1.invalid_header_name": (a) =>
    `В имени заголовка «${a.name}» есть недопустимый для имени символ (${a.hex}): RFC 9110 §5.1 разрешает буквы, цифры и !#$%&'*+-.^_\`|~, так что пробелов быть не может — даже перед двоеточием.`,
  "http1.invalid_header_value": (a) =>
    `В значении ${a.name} есть управляющий символ (${a.hex}): допустимы только видимые символы, пробелы и табуляции (RFC 9110 §5.5).`,
  "http1.missing_colon": () => "Строка заголовков без двоеточия: это ни заголовок, ни пустая строка, которой заголовки кончаются.",
  "http1.invalid_request_line": () =>
    "Строка запроса — это метод, пробел, цель запроса, пробел и версия (RFC 9112 §3); эта строка устроена иначе.",
  "http1.invalid_status_line": () =>
    "Строка статуса — это версия, пробел, три цифры и поясняющая фраза (RFC 9112 §4); эта строка устроена иначе.",
  "http1.unknown_method": (a) =>
    `${a.method} — метод, которого не знает парсер Node (llhttp), поэтому Node отвечает 400 Bad Request. Регистр в имени метода важен (RFC 9110 §9.1): get — это не GET.`,
  "http1.invalid_version": (a) => `${a.version} — не та версия, которую читает этот сервер: он читает HTTP/1.1 и HTTP/1.0.`,
  "http1.unusual_version": (a) =>
    `${a.version} в стартовой строке HTTP/1.x: парсер Node это принимает, но этот сервер говорит на HTTP/1.1 и HTTP/1.0, а в HTTP/2 текстовых стартовых строк нет вовсе.`,
  "http1.http09": () =>
    "Строка запроса без версии: это запрос HTTP/0.9, у которого нет заголовков. Современный сервер отвечает на него по HTTP/1.x или отклоняет его.",
  "http1.extra_space": () =>
    "Между частями строки запроса больше одного пробела; RFC 9112 требует ровно один, хотя Node принимает и больше.",
  "http1.unsupported_transfer_encoding": (a) =>
    `Transfer-Encoding ${a.value} не кончается на chunked, поэтому длину тела запроса узнать нельзя; сервер обязан ответить 400 (RFC 9112 §6.3).`,
  "http1.invalid_chunk_size": (a) =>
    `Строка размера части — это шестнадцатеричные цифры, за которыми могут идти ;расширения, а «${a.line}» — нет. После неё ничего в потоке уже нельзя разбить на сообщения.`,
  "http1.chunk_data_unterminated": (a) =>
    `Данные части должны кончаться на CRLF, но после её ${ruBytes(a.size)} идут ${a.hex}. После этого ничего в потоке уже нельзя разбить на сообщения.`,
  "http1.body_short": {
    length: (a) =>
      `В теле ${ruBytes(a.have)} из ${ruPlural(Number(a.declared), "байта", "байт", "байт")}, заявленных в Content-Length: поток кончился раньше, чем пришёл остаток.`,
    chunked: () => "У тела по частям нет последней части: поток кончился посреди него.",
  },
  "http1.after_message": {
    length: (a) =>
      `${ruBytes(a.length)} после сообщения, чей Content-Length указал, где оно кончается, и новое сообщение с них не начинается: тело оказалось длиннее заявленного.`,
    not_http: (a) => `${ruBytes(a.length)}, с которых не начинается сообщение HTTP.`,
  },
  "http1.headers_unterminated": () => "Поток кончился посреди заголовков: пустая строка, которой они кончаются, так и не пришла.",
  "http1.headers_too_long": (a) =>
    `Заголовки не кончились в пределах ${ruPlural(Number(a.limit), "байта", "байт", "байт")}. Серверы отклоняют гораздо меньшие: Node отвечает 431 уже после 16 KiB.`,
  "http1.read_to_close": () =>
    "Нет ни Content-Length, ни кодирования chunked: тело — это всё, что придёт до закрытия соединения сервером (RFC 9112 §6.3), поэтому следующий запрос по этому соединению уже не отправить.",
  "http1.no_body": {
    head: () => "У ответа на HEAD нет тела, что бы ни говорил Content-Length: это размер, который получил бы GET.",
    status: (a) => `У ответа ${a.code} тела не бывает никогда (RFC 9112 §6.3).`,
  },
  "http1.body_follows": (a) =>
    `Тело продолжается дальше ${ruPlural(Number(a.limit), "байта", "байт", "байт")}, которые лаборатория показывает в одном кадре; остаток — в следующих кадрах.`,
  // WebSocket (websocket/tables.ts)
  "websocket.unmasked_client": () =>
    "Клиент отправил этот кадр без маски. RFC 6455 §5.1: каждый кадр клиента маскируется, и сервер обязан закрыть соединение (ws закрывает с кодом 1002).",
  "websocket.masked_server": () => "Сервер отправил этот кадр с маской. RFC 6455 §5.1: кадры сервера не маскируются, и клиент обязан закрыть соединение.",
  "websocket.reserved_opcode": (a) =>
    `Код операции ${a.opcode} зарезервирован (RFC 6455 §5.2): его никто не вправе отправлять, и получатель разрывает соединение (1002).`,
  "websocket.rsv_set": (a) => `Стоят зарезервированные биты ${a.bits}, которые не определяет ни одно согласованное расширение: получатель разрывает соединение (1002).`,
  "websocket.rsv1_misplaced": (a) =>
    `RSV1 стоит у кадра ${a.kind}: permessage-deflate помечает сжатым только первый кадр сообщения с данными (RFC 7692 §6).`,
  "websocket.control_too_long": (a) => `Управляющий кадр несёт ${ruBytes(a.length)}; RFC 6455 §5.5 разрешает не больше 125.`,
  "websocket.control_fragmented": () => "Управляющий кадр без FIN: управляющие кадры нельзя делить на части (RFC 6455 §5.5).",
  "websocket.length_not_minimal": (a) =>
    `Длина ${a.length} записана в ${a.width} битах, хотя хватило бы меньшего; RFC 6455 §5.2 требует самой короткой записи.`,
  "websocket.length_top_bit": () => "У 64-битной длины стоит старший бит, что RFC 6455 §5.2 запрещает.",
  "websocket.continuation_unexpected": () =>
    "Кадр продолжения, которому нечего продолжать: в этом направлении перед ним не было первого кадра без FIN.",
  "websocket.message_interrupted": (a) =>
    `Новое сообщение ${a.kind} начинается, пока предыдущее ждёт последнего кадра: RFC 6455 §5.4 разрешает между частями только управляющие кадры.`,
  "websocket.invalid_utf8": (a) => `Текст — не допустимый UTF-8 на байте ${a.offset} сообщения: получатель разрывает соединение с кодом 1007.`,
  "websocket.bad_close_code": (a) =>
    `Код закрытия ${a.code} нельзя отправлять (RFC 6455 §7.4): 1005, 1006 и 1015 — только для отчётов, остальные ниже 3000 не назначены.`,
  "websocket.close_one_byte": () => "Данные закрытия длиной 1 байт: они либо пустые, либо 2-байтовый код и необязательная причина.",
  "websocket.close_reason_utf8": () => "Причина закрытия — не допустимый UTF-8.",
  "websocket.inflate_failed": {
    invalid: () => "Сжатые данные — не допустимый DEFLATE: распаковать их нельзя.",
    distance: () => "Сжатые данные ссылаются на байты раньше начала окна этого направления.",
    context: () =>
      "Это сообщение не удалось распаковать: прежнее сжатое сообщение в этом направлении не распаковалось, а это может ссылаться на его байты.",
  },
  "websocket.inflate_too_big": (a) =>
    `После распаковки это сообщение было бы длиннее ${ruBytes(a.limit)}: лаборатория остановилась на этом (deflate-бомба; ws закрывает с кодом 1009 на своём пределе).`,
  "websocket.message_too_big": (a) => `Сообщение длиннее ${ruBytes(a.limit)}, которые лаборатория собирает; показаны его первые байты.`,
  "websocket.compressed_no_deflate": () =>
    "RSV1 помечает это сообщение сжатым: значит, при рукопожатии должно было быть согласовано расширение permessage-deflate.",
  "websocket.key_invalid": (a) =>
    `Sec-WebSocket-Key должен быть 16 байтами в base64 (24 символа); этот раскодируется в ${ruBytes(a.length)}.`,
  "websocket.accept_mismatch": () => "Sec-WebSocket-Accept — не то значение, которое получается из ключа клиента: клиент обязан разорвать соединение.",
  "websocket.accept_unchecked": () => "Sec-WebSocket-Key запроса здесь неизвестен, поэтому значение Accept проверить нельзя.",
  "http1.upgrade": (a) =>
    `После этого ответа соединение переходит на ${a.protocol}: следующие байты в обе стороны — уже не HTTP.`,
  "http1.tunnel": () => "CONNECT удался: соединение стало туннелем, и следующие байты в обе стороны — уже не HTTP.",
  "http1.content_encoded": (a) =>
    `Тело сжато (${a.coding}) и показано так, как было отправлено: клиент распаковывает его и только потом читает так, как говорит Content-Type.`,
  "http1.json_invalid": {
    syntax: (a) => `Тело объявлено как JSON, но это не JSON: читатель останавливается на смещении ${a.offset}.`,
    depth: (a) => `Вложенность JSON глубже ${ruPlural(Number(a.depth), "уровня", "уровней", "уровней")}, которые лаборатория показывает деревом.`,
    encoding: (a) => `В JSON есть строка, которая не является допустимым UTF-8 или содержит недопустимое экранирование, на смещении ${a.offset}.`,
  },
  "http1.multipart_no_boundary": () => "Тело multipart без параметра boundary в Content-Type: части найти нельзя.",
  "http1.multipart_unterminated": (a) => `Закрывающая граница --${a.boundary}-- так и не пришла: последняя часть обрезана.`,

  // A whole packet (packet.ts)
  "data.unsupported_link_type": (a) =>
    `Тип канального уровня ${a.linkType} лаборатория не читает (она понимает Ethernet, Linux cooked, raw IP и BSD loopback).`,
  // JIM (jim.ts)
  "jim.coalesced": () =>
    "Этот объект пришёл в том же чтении, что и конец предыдущего. Программа, которая вызывает recv() один раз и json.loads() на полученном, читает оба и падает с «Extra data»: читайте инкрементальным декодером или разделяйте объекты.",
  "jim.split": (a) =>
    `Этот объект пришёл за ${ruPlural(Number(a.reads), "чтение", "чтения", "чтений")}. Программа, которая вызывает json.loads() на каждом recv() отдельно, получает половину объекта и падает: копите байты, пока объект не придёт целиком.`,
  "jim.bad_json": {
    syntax: (a) => `Не JSON: текст теряет смысл на смещении ${a.at}. Сервер JIM отвечает 400.`,
    depth: (a) => `JSON вложен глубже, чем читает лаборатория, на смещении ${a.at}. Сервер JIM отвечает 400.`,
    encoding: (a) => `Строка на смещении ${a.at} — не корректный UTF-8, так что это не JSON. Сервер JIM отвечает 400.`,
  },
  "jim.not_object": (a) => `Это JSON-значение типа ${a.kind}, а не объект: каждое сообщение JIM — объект. Сервер JIM отвечает 400.`,
  "jim.no_action": {
    missing: () => "У объекта нет action: каждое сообщение клиента JIM его называет. Сервер JIM отвечает 400.",
    not_string: () => "action — не строка. Сервер JIM отвечает 400.",
  },
  "jim.unknown_action": {
    unknown: (a) => `Действие «${a.action}» — ни одно из семи, что определяет JIM (presence, probe, msg, quit, authenticate, join, leave).`,
    alias: (a) => `Действие «${a.action}» — имя из следующих уроков для «${a.standard}»; в seed 002 оно называется «${a.standard}».`,
  },
  "jim.missing_time": () => "Нет time: каждое сообщение JIM несёт Unix-время своей отправки.",
  "jim.string_time": {
    string: () => "time — строка, а не число: time в JIM — Unix-время в секундах, например 1700000000.5. Сервер лаборатории всё равно его принимает.",
    other: (a) => `time — JSON-значение типа ${a.kind}, а не число: time в JIM — Unix-время в секундах.`,
  },
  "jim.response_not_integer": {
    string: () => "response — строка: клиент, который сравнивает её с целым 200, находит их разными.",
    fraction: (a) => `response ${a.value} — не целое: клиент, который сравнивает его с целым 200, может найти их разными.`,
    other: (a) => `response — JSON-значение типа ${a.kind}, а не целый код.`,
  },
  "jim.unknown_code": (a) => `Кода ${a.code} нет среди тех, что перечисляет seed 002; его первая цифра всё же говорит, что это за ответ.`,
  "jim.error_without_error": (a) => `Ответ ${a.code} без error: клиенту, который печатает ошибку неудавшегося запроса, нечего напечатать.`,
  "jim.limit": {
    action: (a) => `action — ${chars(a.length)}, больше 15, что разрешает JIM. Сервер JIM отвечает 400.`,
    name: (a) => `${a.field} — ${chars(a.length)}, больше 25, что JIM разрешает для имени. Сервер JIM отвечает 400.`,
    message: (a) => `Сообщение — ${chars(a.length)}, больше 500, что разрешает JIM. Сервер JIM отвечает 400.`,
    object: (a) => `Объект — ${chars(a.length)}, больше 640, что JIM разрешает для всего объекта. Сервер JIM отвечает 400.`,
  },
  "jim.non_ascii": (a) =>
    `${ruBytes(a.count)} вне ASCII (первый на смещении ${a.at}), а кодировка — ascii (указана или по умолчанию). Отправьте encoding utf-8 или экранируйте их последовательностями \\u (json.dumps так и делает по умолчанию).`,
  // HTTP/2, HPACK, gRPC, protobuf (http2/frame.ts, http2/hpack.ts, grpc.ts, protobuf.ts)
  "http2.bad_preface": () => "Первые байты клиента — не преамбула соединения HTTP/2: сервер отвечает GOAWAY PROTOCOL_ERROR.",
  "http2.frame_size": {
    fixed: (a) => `Кадр ${a.type} должен нести ${ruBytes(a.expected)} данных, а не ${a.length}: FRAME_SIZE_ERROR.`,
    multiple: (a) => `Данные SETTINGS занимают число байтов, кратное 6 (по параметру на каждые 6), а не ${a.length}: FRAME_SIZE_ERROR.`,
  },
  "http2.too_long": (a) => `Данные кадра занимают ${ruBytes(a.length)}, больше наибольших по умолчанию 16384, если SETTINGS_MAX_FRAME_SIZE их не поднял.`,
  "http2.padding_too_long": (a) => `Длина заполнения ${a.pad} не меньше, чем вмещают данные кадра: PROTOCOL_ERROR.`,
  "http2.stream_required": (a) => `Кадр ${a.type} в потоке 0: он относится к потоку, так что это ошибка соединения (PROTOCOL_ERROR).`,
  "http2.stream_forbidden": (a) => `Кадр ${a.type} в потоке ${a.stream}: он относится к соединению (поток 0), так что это PROTOCOL_ERROR.`,
  "http2.settings_ack_payload": () => "SETTINGS с ACK и данными: FRAME_SIZE_ERROR.",
  "http2.zero_increment": () => "WINDOW_UPDATE с приростом 0: PROTOCOL_ERROR.",
  "http2.continuation_unexpected": () => "Кадр CONTINUATION без блока заголовков, который он мог бы продолжить, или в другом потоке: PROTOCOL_ERROR.",
  "http2.continuation_expected": (a) => `Блок заголовков в потоке ${a.stream} ждёт CONTINUATION, а пришёл кадр ${a.type}: PROTOCOL_ERROR.`,
  "http2.unknown_type": (a) => `Тип кадра ${a.type} не определён в RFC 9113; получатели такие кадры пропускают.`,
  "http2.reset": (a) => `Поток сброшен: ${a.name}.`,
  "http2.goaway": (a) => `Соединение закрывается: ${a.name}, последний поток ${a.last}.`,
  "http2.hpack_context": () => "Этот блок заголовков продолжает прошлые кадры: заголовки раскодированы из блока целиком.",
  "hpack.index_invalid": (a) => `Индекс ${a.index} не указывает ни на какую запись: в статической таблице 61, в динамической ${a.entries} (RFC 7541 §2.3.3).`,
  "hpack.string_past_end": () => "Длина строкового литерала выходит за конец блока заголовков.",
  "hpack.integer_overflow": () => "Это целое не кончается в пределах 5 байтов продолжения: лаборатория прекращает чтение блока здесь.",
  "hpack.huffman_invalid": {
    eos: () => "Строка в коде Хаффмана содержит символ EOS, что запрещает RFC 7541 §5.2.",
    padding: () => "Строка в коде Хаффмана кончается заполнением длиннее 7 битов или не из одних единиц (RFC 7541 §5.2).",
  },
  "hpack.size_update_too_big": (a) => `Новый размер таблицы ${a.size} больше ${a.limit}, разрешённых декодеру (RFC 7541 §6.3).`,
  "hpack.size_update_misplaced": () => "Изменение размера динамической таблицы после заголовка: оно должно стоять в начале блока (RFC 7541 §4.2).",
  "hpack.unknown_context": () =>
    "Прошлый блок заголовков этого направления не удалось раскодировать, так что динамическая таблица неизвестна и индексы больше 61 не разрешить.",
  "grpc.reserved_flags": (a) => `Установлены зарезервированные биты флагов (${a.flags}): их не определяет ни один протокол.`,
  "grpc.inflate_failed": (a) => `Сжатое сообщение не распаковывается как gzip (${a.reason}).`,
  "grpc.too_big": (a) => `Сообщение объявляет ${ruBytes(a.length)}, больше ${a.limit}, которые читает лаборатория; показаны первые байты.`,
  "grpc.not_protobuf": () => "Сообщение не читается как protobuf до конца.",
  "grpc.status_error": (a) => `Вызов кончился статусом ${a.code} ${a.name}${a.message ? `: ${a.message}` : ""}.`,
  "protobuf.bad_wire_type": (a) => `Типа передачи ${a.type} не существует: декодер останавливается здесь (INVALID_ARGUMENT в gRPC).`,
  "protobuf.group": (a) => `Тип передачи ${a.type} — группа, устаревшая со времён proto2; лаборатория в группы не заглядывает.`,
  "protobuf.field_zero": () => "Номер поля 0 запрещён: номера начинаются с 1.",
  "protobuf.varint_too_long": () => "Varint длиннее 10 байтов или оборван: декодер останавливается здесь.",
  "protobuf.length_past_end": (a) => `Длина ${a.length} выходит за конец сообщения (осталось ${ruBytes(a.left)}).`,
  "protobuf.wire_type_mismatch": (a) => `Поле ${a.field} объявлено как ${a.declared}, а отправлено с типом передачи ${a.type}: декодер его отвергнет.`,
  "protobuf.unknown_field": (a) => `Поля с номером ${a.number} нет в известном лаборатории .proto: сохранено как неизвестное поле.`,
  "protobuf.too_deep": (a) => `Сообщения глубже ${a.depth} уровней вложенности показаны как байты.`,
};

function counts(a: ReceivedArgs): string {
  return `${ruBytes(a.bytes)}, ${ruPlural(Number(a.chars), "символ", "символа", "символов")}`;
}

/** Args read through this give "?" for a value that did not come, so that no sentence says "undefined". */
function filled(a: ReceivedArgs): ReceivedArgs {
  return new Proxy(a, { get: (target, key) => (typeof key === "string" && Object.hasOwn(target, key) ? target[key] : "?") });
}

/** The Russian entries, by declared code (and form): what findings.ts and the test read. */
export const FINDINGS_RU: Readonly<Record<string, RuFinding>> = RU;

/** The Russian sentence for a declared code and form, or undefined when there is none. */
export function findingRu(code: string, form: string | undefined, args: ReceivedArgs): string | undefined {
  const entry = RU[code];
  const say = typeof entry === "function" ? entry : form ? entry?.[form] : undefined;
  return say?.(filled(args));
}
