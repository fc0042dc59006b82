// UI text of the lesson kit (app/_components/lesson-kit/): what every lesson's panels say about their
// connection, the lab host, the timeline, packet capture and the terminal commands. A lesson's own words
// are in its namespace (tcpLesson, ...) and its prose in app/lessons/<id>/content.<locale>.mdx.

import { defineMessages } from "../define";

export default defineMessages({
  en: {
    tocLabel: "On this page",

    connectionLabel: "Connection:",
    clientPortIs: "client port {port}",
    stateIdle: "not connected",
    stateConnecting: "connecting…",
    stateOpen: "open",
    stateClientHalfClosed: "half-closed by you: the client can still read",
    stateServerHalfClosed: "the server has finished sending",
    stateBothHalfClosed: "both sides have finished sending",
    stateClosed: "closed",
    stateError: "failed",
    labUnreachable: "The lab host did not answer. Is npm start still running in its terminal?",
    labRefused: "The lab host refused: {message}",
    timelineDisconnected:
      "This page is not receiving the timeline's events right now, so the server's answers cannot be shown here. It reconnects by itself.",
    timelinePaused: "The timeline is paused: the server's answers will appear here when you resume it.",

    termHost: "The lab host's address: {host}.",
    termHostUnknown: "The lab host did not answer, so the commands show the default ports at this page's address.",
    termHostChecking: "Asking the lab host for its address and ports…",

    captureChecking: "Asking the lab host whether it captures packets…",
    captureUnreachable: "The lab host did not answer, so it is not known whether it captures packets.",
    captureUnknown: "The lab host does not say whether it captures packets: it may be older than this page. No segments can be shown.",
    captureOffTitle: "Real segments are not available: the lab is not capturing packets.",
    captureOffP1:
      "The lab host sees connections only through the socket API right now, so this panel has no segments to show and draws none.",
    captureOffReason: "The reason, as the lab host gives it:",
    captureOffCommand: "Command to allow capture",
    captureOffAfter: "After running it, restart the lab (npm start) and reload this page. Running the lab as root works too.",
    captureOffRestart: "Once the reason above is dealt with, restart the lab (npm start) and reload this page.",
    captureRecheck: "Ask the lab host again",
  },
  ru: {
    tocLabel: "На этой странице",

    connectionLabel: "Соединение:",
    clientPortIs: "порт клиента {port}",
    stateIdle: "не подключено",
    stateConnecting: "подключение…",
    stateOpen: "открыто",
    stateClientHalfClosed: "вы закрыли свою половину: клиент ещё может читать",
    stateServerHalfClosed: "сервер закончил отправку",
    stateBothHalfClosed: "обе стороны закончили отправку",
    stateClosed: "закрыто",
    stateError: "ошибка",
    labUnreachable: "Сервер лаборатории не ответил. Работает ли ещё npm start в своём терминале?",
    labRefused: "Сервер лаборатории отказал: {message}",
    timelineDisconnected:
      "Сейчас страница не получает события временной шкалы, поэтому ответы сервера здесь показать нельзя. Подключение восстановится само.",
    timelinePaused: "Временная шкала на паузе: ответы сервера появятся здесь, когда вы её продолжите.",

    termHost: "Адрес сервера лаборатории: {host}.",
    termHostUnknown: "Сервер лаборатории не ответил, поэтому в командах стоят порты по умолчанию и адрес этой страницы.",
    termHostChecking: "Спрашиваем у сервера лаборатории адрес и порты…",

    captureChecking: "Спрашиваем у сервера лаборатории, захватывает ли он пакеты…",
    captureUnreachable: "Сервер лаборатории не ответил, поэтому неизвестно, захватывает ли он пакеты.",
    captureUnknown: "Сервер лаборатории не сообщает, захватывает ли он пакеты, — возможно, он старше этой страницы. Показать сегменты нельзя.",
    captureOffTitle: "Настоящие сегменты недоступны: лаборатория не захватывает пакеты.",
    captureOffP1:
      "Сейчас сервер лаборатории видит соединения только через API сокетов, поэтому в этой панели нет сегментов, и она их не рисует.",
    captureOffReason: "Причина — словами сервера лаборатории:",
    captureOffCommand: "Команда, которая разрешает захват",
    captureOffAfter: "Выполнив её, перезапустите лабораторию (npm start) и обновите страницу. Можно и просто запустить лабораторию от root.",
    captureOffRestart: "Когда причина выше устранена, перезапустите лабораторию (npm start) и обновите страницу.",
    captureRecheck: "Спросить сервер лаборатории снова",
  },
});
