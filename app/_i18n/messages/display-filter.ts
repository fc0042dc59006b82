import { defineMessages } from "../define";

// The timeline's display filter (app/_components/timeline/display-filter.tsx): its field, its completion and the
// words of each error code of server/dissect/filter/parse.ts (`err_<code>`).
export default defineMessages({
  en: {
    label: "Display filter",
    placeholder: "tcp.flags.syn == 1, text.line contains \"ECHO\"…",
    apply: "Apply filter",
    help: "Wireshark's display filter syntax over the fields the lab's dissectors declare. Enter applies it; an empty filter shows everything.",
    valid: "Valid filter: Enter applies it.",
    appliedMessages:
      "{shown, plural, one {# of} other {# of}} {n, plural, one {# message or socket event matches} other {# messages and socket events match}}",
    appliedSegments: "{shown, plural, one {# of} other {# of}} {n, plural, one {# captured segment matches} other {# captured segments match}}",
    scanning: "Filtering…",
    failed: "The lab could not apply this filter. Is it still running?",
    noMatch: "No event matches the display filter “{filter}”.",
    suggestions: "Fields and protocols",
    kindProtocol: "protocol",
    errorAt: "Column {column}: {message}",
    err_too_long: "The filter is longer than {max} characters.",
    err_too_many_terms: "A filter may hold at most {max} tests.",
    err_too_deep: "At most {max} parentheses or nots may sit inside one another.",
    err_unexpected_char: "“{token}” is not part of the filter language. Compare with ==, !=, <, <=, >, >=, contains or matches.",
    err_unterminated_string: "The text in quotes is not closed: end it with \".",
    err_bad_escape: "“{token}” is not an escape: use \\x and two hex digits, or \\n, \\t, \\\" or \\\\.",
    err_expected_field: "A field or a protocol is expected here, such as tcp, tcp.flags.syn or text.line.",
    err_unknown_field: "The lab's dissectors declare no field “{name}”. Did you mean {nearest}?",
    err_expected_value: "A value is expected here: a number, \"text in quotes\", bytes such as 0a:1b, or a word such as 127.0.0.1.",
    err_expected_close: "A “)” is expected here, to close the “(” at column {open}.",
    err_unexpected_token: "“{token}” cannot follow here: join tests with && (and) or || (or).",
    err_bad_regex: "This regular expression is not accepted: write it in quotes, without backreferences or lookarounds, with repeats up to 1000.",
    err_bad_number: "“{token}” is not a number the filter can compare.",
  },
  ru: {
    label: "Фильтр отображения",
    placeholder: "tcp.flags.syn == 1, text.line contains \"ECHO\"…",
    apply: "Применить фильтр",
    help: "Синтаксис фильтров отображения Wireshark по полям, которые объявляют разборщики лаборатории. Enter применяет фильтр; пустой фильтр показывает всё.",
    valid: "Фильтр верный: Enter применяет его.",
    appliedMessages:
      "{shown, plural, one {подходит #} few {подходят #} many {подходят #} other {подходят #}} из" +
      " {n, plural, one {# сообщения или события сокета} few {# сообщений и событий сокета} many {# сообщений и событий сокета} other {# сообщения и события сокета}}",
    appliedSegments:
      "{shown, plural, one {подходит #} few {подходят #} many {подходят #} other {подходят #}} из" +
      " {n, plural, one {# захваченного сегмента} few {# захваченных сегментов} many {# захваченных сегментов} other {# захваченного сегмента}}",
    scanning: "Фильтруем…",
    failed: "Лаборатория не смогла применить этот фильтр. Она ещё работает?",
    noMatch: "Ни одно событие не подходит под фильтр «{filter}».",
    suggestions: "Поля и протоколы",
    kindProtocol: "протокол",
    errorAt: "Позиция {column}: {message}",
    err_too_long: "Фильтр длиннее {max} символов.",
    err_too_many_terms: "В фильтре может быть не больше {max} проверок.",
    err_too_deep: "Скобки и отрицания могут быть вложены друг в друга не глубже {max} уровней.",
    err_unexpected_char: "«{token}» не входит в язык фильтров. Сравнивайте с помощью ==, !=, <, <=, >, >=, contains или matches.",
    err_unterminated_string: "Текст в кавычках не закрыт: допишите \".",
    err_bad_escape: "«{token}» не экранирование: пишите \\x и две шестнадцатеричные цифры или \\n, \\t, \\\" и \\\\.",
    err_expected_field: "Здесь ожидается поле или протокол, например tcp, tcp.flags.syn или text.line.",
    err_unknown_field: "Разборщики лаборатории не объявляют поле «{name}». Возможно, вы имели в виду {nearest}?",
    err_expected_value: "Здесь ожидается значение: число, \"текст в кавычках\", байты вида 0a:1b или слово вроде 127.0.0.1.",
    err_expected_close: "Здесь ожидается «)», закрывающая «(» на позиции {open}.",
    err_unexpected_token: "«{token}» не может стоять здесь: соединяйте проверки с помощью && (and) или || (or).",
    err_bad_regex: "Такое регулярное выражение не принимается: пишите его в кавычках, без обратных ссылок и просмотра вперёд или назад, с повторами не больше 1000.",
    err_bad_number: "«{token}» не число, которое фильтр может сравнить.",
  },
});
