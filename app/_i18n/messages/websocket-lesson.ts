// UI text of the WebSocket lesson: its console and its terminal commands. The lesson's prose is MDX
// (app/lessons/websocket/content.<locale>.mdx). `backticks` mark code (see app/_components/lesson-kit/prose.tsx).
// Facts come from seed 004's workshop and RFC 6455; the wording is the lab's own.

import { defineMessages } from "../define";

export default defineMessages({
  en: {
    errorText: "The lesson failed to show. The lab's servers keep running: try again, or go back to the lessons.",

    consoleTitle: "WebSocket console",
    consoleP1:
      "The lab's own WebSocket client connects to the lab's server for you, so the upgrade and every frame land on your timeline. Open a second tab with this lesson and join the same chat room to talk to yourself, or ask a classmate for the room's name.",
    consoleConnectForm: "Connection",
    consoleEndpoint: "Endpoint",
    consoleEcho: "Echo",
    consoleChat: "Chat room",
    consoleRoom: "Room name",
    consoleBadRoom: "A room name is letters, digits and underscores, up to 64 of them.",
    consoleConnect: "Connect",
    consoleDisconnect: "Disconnect",
    consoleIdle: "Not connected",
    consoleConnecting: "Connecting…",
    consoleOpen: "Connected",
    consoleClosed: "Closed",
    consoleSendForm: "Send a message",
    consoleMessage: "Message (text; the server expects JSON)",
    consoleSend: "Send",
    consolePing: "Send ping",
    consoleCloseForm: "Close the connection",
    consoleCloseCode: "Close code",
    consoleCode1000: "1000 normal closure",
    consoleCode1001: "1001 going away",
    consoleCode1003: "1003 cannot accept the data",
    consoleCode1008: "1008 policy violation",
    consoleCode4000: "4000 the application's own",
    consoleCloseReason: "Reason (optional)",
    consoleClose: "Close",
    consoleLog: "Messages",
    consoleLogEmpty: "Nothing sent or received yet.",
    consoleSent: "↑ sent",
    consoleReceived: "↓ received",
    consoleBinary: "{n, plural, one {# byte of binary} other {# bytes of binary}}",
    consoleClosedWith: "close {code}",
    consoleFailed: "The lab could not do that: {why}",

    termWebsocat: "websocat",
    termPython: "Python, websockets",
    termEcho: "The echo, ws on port {port}",
    termEchoNote:
      "websocat reads lines from your keyboard and sends each as a text message: type a JSON object with a `message` member, as the console does. The Python client is the `websockets` package (Debian: `python3-websockets`); it masks its frames and answers pings by itself.",
    termChat: "A chat room, ws on port {port}",
    termChatNote:
      "Run it twice, or once beside the console in the room `lobby`: every message goes to every socket in the room, the sender's own included.",
  },
  ru: {
    errorText: "Урок не удалось показать. Серверы лаборатории работают: попробуйте ещё раз или вернитесь к списку уроков.",

    consoleTitle: "Консоль WebSocket",
    consoleP1:
      "Собственный клиент WebSocket лаборатории подключается к её серверу за вас, поэтому рукопожатие и каждый кадр попадают на вашу ленту. Откройте этот урок во второй вкладке и войдите в ту же комнату чата, чтобы поговорить с собой, или спросите у соседа название его комнаты.",
    consoleConnectForm: "Подключение",
    consoleEndpoint: "Точка подключения",
    consoleEcho: "Эхо",
    consoleChat: "Комната чата",
    consoleRoom: "Название комнаты",
    consoleBadRoom: "Название комнаты — буквы, цифры и подчёркивания, не больше 64.",
    consoleConnect: "Подключиться",
    consoleDisconnect: "Отключиться",
    consoleIdle: "Не подключено",
    consoleConnecting: "Подключаемся…",
    consoleOpen: "Подключено",
    consoleClosed: "Закрыто",
    consoleSendForm: "Отправить сообщение",
    consoleMessage: "Сообщение (текст; сервер ждёт JSON)",
    consoleSend: "Отправить",
    consolePing: "Отправить ping",
    consoleCloseForm: "Закрыть соединение",
    consoleCloseCode: "Код закрытия",
    consoleCode1000: "1000 обычное закрытие",
    consoleCode1001: "1001 уходим",
    consoleCode1003: "1003 такие данные не принимаем",
    consoleCode1008: "1008 нарушение правил",
    consoleCode4000: "4000 код самого приложения",
    consoleCloseReason: "Причина (необязательно)",
    consoleClose: "Закрыть",
    consoleLog: "Сообщения",
    consoleLogEmpty: "Пока ничего не отправлено и не получено.",
    consoleSent: "↑ отправлено",
    consoleReceived: "↓ получено",
    consoleBinary: "{n, plural, one {# байт двоичных данных} few {# байта двоичных данных} many {# байт двоичных данных} other {# байта двоичных данных}}",
    consoleClosedWith: "close {code}",
    consoleFailed: "Лаборатория не смогла это сделать: {why}",

    termWebsocat: "websocat",
    termPython: "Python, websockets",
    termEcho: "Эхо, ws на порту {port}",
    termEchoNote:
      "websocat читает строки с клавиатуры и отправляет каждую текстовым сообщением: наберите JSON-объект с полем `message`, как в консоли. Клиент на Python — пакет `websockets` (в Debian: `python3-websockets`); он сам маскирует кадры и отвечает на ping.",
    termChat: "Комната чата, ws на порту {port}",
    termChatNote:
      "Запустите его дважды или рядом с консолью в комнате `lobby`: каждое сообщение уходит всем сокетам комнаты, включая сокет отправителя.",
  },
});
