// UI text of the REST and RPC lesson: what its panels and the terminal commands say. The lesson's prose is MDX
// (app/lessons/rest-rpc/content.<locale>.mdx). `backticks` mark code (see app/_components/lesson-kit/prose.tsx).
// Facts come from the course's documents 000 and 004 and from the JSON-RPC 2.0 and XML-RPC specifications; the
// wording is the lab's own. Ports are passed in, never written here.

import { defineMessages } from "../define";

export default defineMessages({
  en: {
    errorText: "The lesson failed to show. The lab's servers keep running: try again, or go back to the lessons.",
    showOnTimeline: "Show on the timeline",
    showShort: "Show",

    composerUsers: "The users API: the course's client, step by step",
    composerDummies: "The workshop's dummies",
    composerRpc: "JSON-RPC and XML-RPC calls",

    styleRest: "REST",
    styleJsonRpc: "JSON-RPC",
    styleXmlRpc: "XML-RPC",

    cmpTitle: "One request of each kind",
    cmpP1:
      "One button sends three requests: a REST read of dummy 2, then the procedure `upper(\"hello\")` as a JSON-RPC call and as an XML-RPC call. The table compares what their first lines say and what they cost.",
    cmpRun: "Send the three requests",
    cmpCaption: "Three requests, side by side",
    colStyle: "Style",
    colLine: "Request line",
    colProcedure: "Procedure named in the body",
    colStatus: "Status",
    colSent: "Bytes sent (body)",
    colGot: "Bytes back (body)",
    cmpInUrl: "none: the URL names the resource",
    cmpBytes: "{all} ({body})",

    batTitle: "Three things: three round trips or one",
    batP1:
      "Each button gets three things from the server. Three REST reads of dummies 1, 2 and 3; one REST read of the collection filtered by `?id=1&id=2&id=3`; and one JSON-RPC batch of three calls, `add`, `upper` and `reverse`. Each request waits for its answer, so every request is a round trip.",
    batRest: "Three REST requests",
    batFilter: "One REST request with ?id= three times",
    batBatch: "One JSON-RPC batch of three calls",
    batSummary:
      "{trips, plural, one {# round trip} other {# round trips}}: {sent, plural, one {# byte} other {# bytes}} sent, {got, plural, one {# byte} other {# bytes}} back, {ms} ms in all",

    errTitle: "The same mistake, three ways",
    errP1: "One button asks for something that is not there, three times: dummy 999 over REST, and a procedure `divide` that the server does not have, over JSON-RPC and over XML-RPC.",
    errRun: "Ask for what is not there",
    errList: "The three answers",
    errCalls: "calls {procedure}",

    termRest: "REST with curl (port {port})",
    termUsers: "The users API",
    termDummies: "The workshop's dummies",
    termRestNote: "The second group is written as the workshop's README writes it: `?id=` repeated, and a new dummy sent as a form with `--form`.",
    termRpc: "RPC with curl and Python (port {port})",
    termBatch: "A JSON-RPC batch with curl",
    termXmlRpc: "XML-RPC with Python's xmlrpc.client",
    termJsonRpc: "JSON-RPC with requests",
    termRpcNote: "`ServerProxy` turns each method call into a `POST` to the XML-RPC endpoint; a fault comes back as a Python exception, `xmlrpc.client.Fault`.",
  },
  ru: {
    errorText: "Урок не удалось показать. Серверы лаборатории продолжают работать: попробуйте ещё раз или вернитесь к урокам.",
    showOnTimeline: "Показать на шкале",
    showShort: "Показать",

    composerUsers: "API пользователей: клиент из методички по шагам",
    composerDummies: "Dummies из воркшопа",
    composerRpc: "Вызовы JSON-RPC и XML-RPC",

    styleRest: "REST",
    styleJsonRpc: "JSON-RPC",
    styleXmlRpc: "XML-RPC",

    cmpTitle: "По одному запросу каждого вида",
    cmpP1:
      "Одна кнопка отправляет три запроса: чтение dummy 2 в стиле REST, затем процедуру `upper(\"hello\")` вызовом JSON-RPC и вызовом XML-RPC. Таблица сравнивает, что говорят их первые строки и сколько они стоят.",
    cmpRun: "Отправить три запроса",
    cmpCaption: "Три запроса рядом",
    colStyle: "Стиль",
    colLine: "Строка запроса",
    colProcedure: "Процедура в теле",
    colStatus: "Код",
    colSent: "Байт отправлено (тело)",
    colGot: "Байт получено (тело)",
    cmpInUrl: "нет: URL называет ресурс",
    cmpBytes: "{all} ({body})",

    batTitle: "Три вещи: три круга или один",
    batP1:
      "Каждая кнопка получает с сервера три вещи. Три REST-чтения dummies 1, 2 и 3; одно REST-чтение коллекции с фильтром `?id=1&id=2&id=3`; и один пакет (batch) JSON-RPC из трёх вызовов: `add`, `upper` и `reverse`. Каждый запрос ждёт своего ответа, так что каждый запрос — это один круг туда и обратно.",
    batRest: "Три REST-запроса",
    batFilter: "Один REST-запрос с ?id= трижды",
    batBatch: "Один пакет JSON-RPC из трёх вызовов",
    batSummary:
      "{trips, plural, one {# круг} few {# круга} many {# кругов} other {# круга}}: отправлено {sent, plural, one {# байт} few {# байта} many {# байт} other {# байта}}, получено {got, plural, one {# байт} few {# байта} many {# байт} other {# байта}}, всего {ms} мс",

    errTitle: "Одна и та же ошибка тремя способами",
    errP1: "Одна кнопка трижды просит то, чего нет: dummy 999 через REST и процедуру `divide`, которой у сервера нет, через JSON-RPC и через XML-RPC.",
    errRun: "Попросить то, чего нет",
    errList: "Три ответа",
    errCalls: "вызывает {procedure}",

    termRest: "REST с curl (порт {port})",
    termUsers: "API пользователей",
    termDummies: "Dummies из воркшопа",
    termRestNote: "Вторая группа записана так, как в README воркшопа: `?id=` повторяется, а новый dummy отправляется формой через `--form`.",
    termRpc: "RPC с curl и Python (порт {port})",
    termBatch: "Пакет JSON-RPC с curl",
    termXmlRpc: "XML-RPC с xmlrpc.client из Python",
    termJsonRpc: "JSON-RPC с requests",
    termRpcNote: "`ServerProxy` превращает каждый вызов метода в `POST` к точке XML-RPC; ошибка (fault) возвращается исключением Python, `xmlrpc.client.Fault`.",
  },
});
