// The workshop's WebSocket pages on 8080 (seed 004), in the lab's own markup: each opens a socket to the
// path it was served from, sends what is typed as {"message": ...} and lists what arrives, so the
// workshop's browser instructions work here. No script or style from elsewhere; what arrives is shown as
// text, never as HTML. English, or Russian for a browser that asks for it first (Accept-Language).
//   GET /api/ws/echo/                 the echo page
//   GET /api/ws/chat/                 a room name to enter (also /api/ws/async_chat/)
//   GET /api/ws/chat/<room>/          the room's page (also /api/ws/async_chat/<room>/)
// The same paths with Upgrade: websocket are the sockets themselves (ws-app.ts).

import { STATUS_CODES } from "node:http";
import { send, sendCacheable, type Area, type Exchange } from "../http/routing";
import { endpointOf } from "./ws-app";

const HTML = { "Content-Type": "text/html; charset=utf-8" };

const WORDS = {
  en: {
    echoTitle: "WebSocket echo",
    echoIntro: 'Each message goes to the server as {"message": ...} and comes back on the same socket.',
    chatTitle: "WebSocket chat",
    chatIntro: "Pick a room: everyone in it sees every message, yours included.",
    room: "Room name",
    enter: "Enter",
    roomTitle: "Chat room",
    roomIntro: "Everyone in this room sees every message, yours included. Open this page in another tab to chat with yourself.",
    message: "Message",
    sendButton: "Send",
    log: "Messages",
    connecting: "Connecting…",
    open: "Connected.",
    closed: "Closed",
    badRoom: "A room name is letters, digits or _.",
  },
  ru: {
    echoTitle: "Эхо по WebSocket",
    echoIntro: 'Каждое сообщение уходит на сервер как {"message": ...} и возвращается по тому же сокету.',
    chatTitle: "Чат по WebSocket",
    chatIntro: "Выберите комнату: все в ней видят каждое сообщение, и ваше тоже.",
    room: "Название комнаты",
    enter: "Войти",
    roomTitle: "Комната чата",
    roomIntro: "Все в этой комнате видят каждое сообщение, и ваше тоже. Откройте эту страницу в другой вкладке, чтобы поговорить с собой.",
    message: "Сообщение",
    sendButton: "Отправить",
    log: "Сообщения",
    connecting: "Подключение…",
    open: "Подключено.",
    closed: "Закрыто",
    badRoom: "Название комнаты: буквы, цифры или _.",
  },
} as const;

type Words = (typeof WORDS)[keyof typeof WORDS];

/** Russian for a browser whose first language is Russian, else English. */
export function languageOf(acceptLanguage: string | undefined): keyof typeof WORDS {
  const first = (acceptLanguage ?? "").split(",")[0]?.trim().toLowerCase() ?? "";
  return first === "ru" || first.startsWith("ru-") ? "ru" : "en";
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}
@media (prefers-color-scheme:dark){body{color:#eee;background:#111}input,button{color:#eee;background:#222;border-color:#666}}
form{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end}label{display:flex;flex-direction:column;flex:1}
input,button{font:inherit;padding:.4rem .6rem;border:1px solid #888;border-radius:4px}
ol{font-family:ui-monospace,monospace;white-space:pre-wrap;word-break:break-all;padding-left:1.5rem}`;

function page(lang: string, title: string, main: string, script: string): string {
  return [
    "<!doctype html>",
    `<html lang="${lang}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    main,
    "</main>",
    script ? `<script>${script}</script>` : "",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** The socket page: status line, a form that sends {"message": ...}, and the list of what arrived. */
function socketPage(lang: string, w: Words, title: string, intro: string): string {
  const main = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<p id="status" role="status">${escapeHtml(w.connecting)}</p>`,
    '<form id="send">',
    `<label>${escapeHtml(w.message)}<input id="message" name="message" autocomplete="off" required></label>`,
    `<button type="submit">${escapeHtml(w.sendButton)}</button>`,
    "</form>",
    `<h2>${escapeHtml(w.log)}</h2>`,
    `<ol id="log" aria-live="polite" aria-label="${escapeHtml(w.log)}"></ol>`,
  ].join("\n");
  // The socket's URL is this page's own path, ws: or wss: as the page came.
  const script = `(() => {
const words = ${JSON.stringify({ open: w.open, closed: w.closed })};
const status = document.getElementById("status");
const log = document.getElementById("log");
const input = document.getElementById("message");
const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + location.pathname);
const show = (text) => { const li = document.createElement("li"); li.textContent = text; log.append(li); };
socket.addEventListener("open", () => { status.textContent = words.open; });
socket.addEventListener("message", (e) => {
  let text = String(e.data);
  try { const data = JSON.parse(text); text = typeof data.message === "string" ? data.message : text; } catch {}
  show(text);
});
socket.addEventListener("close", (e) => { status.textContent = words.closed + " (" + e.code + (e.reason ? ": " + e.reason : "") + ")"; });
document.getElementById("send").addEventListener("submit", (e) => {
  e.preventDefault();
  if (socket.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ message: input.value }));
  input.value = "";
  input.focus();
});
})();`;
  return page(lang, title, main, script);
}

/** The room picker: a name, then the room's page (as the Channels tutorial's index does). */
function chatIndex(lang: string, w: Words, base: string): string {
  const main = [
    `<h1>${escapeHtml(w.chatTitle)}</h1>`,
    `<p>${escapeHtml(w.chatIntro)}</p>`,
    '<form id="room">',
    `<label>${escapeHtml(w.room)}<input id="room-name" name="room" autocomplete="off" required pattern="[\\p{L}\\p{N}_]{1,64}" title="${escapeHtml(w.badRoom)}"></label>`,
    `<button type="submit">${escapeHtml(w.enter)}</button>`,
    "</form>",
  ].join("\n");
  const script = `(() => {
document.getElementById("room").addEventListener("submit", (e) => {
  e.preventDefault();
  const name = document.getElementById("room-name").value;
  location.pathname = ${JSON.stringify(base)} + encodeURIComponent(name) + "/";
});
})();`;
  return page(lang, w.chatTitle, main, script);
}

function wordsFor(x: Exchange): [string, Words] {
  const lang = languageOf(x.req.headers["accept-language"]);
  return [lang, WORDS[lang]];
}

const html = (x: Exchange, body: string) => sendCacheable(x, body, { ...HTML, "Content-Language": wordsFor(x)[0], Vary: "Accept-Language" });

function echoPage(x: Exchange) {
  const [lang, w] = wordsFor(x);
  html(x, socketPage(lang, w, w.echoTitle, w.echoIntro));
}

function indexPage(x: Exchange) {
  const [lang, w] = wordsFor(x);
  const base = x.url.pathname.startsWith("/api/ws/async_chat") ? "/api/ws/async_chat/" : "/api/ws/chat/";
  html(x, chatIndex(lang, w, base));
}

function roomPage(x: Exchange) {
  const [lang, w] = wordsFor(x);
  const endpoint = endpointOf(x.url.pathname);
  if (endpoint?.kind !== "chat") return websocketArea.problem(x, 404, w.badRoom);
  html(x, socketPage(lang, w, `${w.roomTitle}: ${endpoint.room}`, w.roomIntro));
}

export const websocketArea: Area = {
  prefix: "/api/ws/",
  cors: {},
  routes: [
    { path: /^\/api\/ws\/echo\/?$/, methods: { GET: echoPage } },
    { path: /^\/api\/ws\/(?:async_)?chat\/?$/, methods: { GET: indexPage } },
    { path: /^\/api\/ws\/(?:async_)?chat\/[^/]+\/?$/, methods: { GET: roomPage } },
  ],
  problem(x, status, message, headers) {
    send(x, status, `${status} ${STATUS_CODES[status] ?? ""}: ${message}\n`, { "Content-Type": "text/plain; charset=utf-8", ...headers });
  },
};
