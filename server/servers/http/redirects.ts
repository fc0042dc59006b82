// Seed 003's redirect, and the redirect lesson's other codes (RFC 9110 §15.4):
//   GET /                 302 Found, Location: /posts (a small HTML page saying so, text/html)
//   GET /posts            200 an HTML page of posts (text/html; charset=utf-8)
//   /redirect/301         301 Moved Permanently  -> /posts   (clients may turn a POST into a GET)
//   /redirect/302         302 Found              -> /posts
//   /redirect/303         303 See Other          -> /posts   (the next request is a GET)
//   /redirect/307         307 Temporary Redirect -> /http/echo (method and body kept)
//   /redirect/308         308 Permanent Redirect -> /http/echo (method and body kept)
//   /redirect/loop        302 -> /redirect/loop, for ever: curl -L stops at its --max-redirs
// Pages are the lab's own; none of them takes a query or a body.

import { STATUS_CODES } from "node:http";
import { send, sendCacheable, type Area, type Exchange } from "./routing";

const HTML = { "Content-Type": "text/html; charset=utf-8" };

/** The body of a redirect: what a browser shows in the instant before it follows (and what curl prints without -L). */
function redirectPage(status: number, location: string): string {
  const title = `${status} ${STATUS_CODES[status]}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<p>See <a href="${location}">${location}</a>.</p>\r\n</body>\r\n</html>\r\n`;
}

function redirect(status: number, location: string) {
  return (x: Exchange) => send(x, status, redirectPage(status, location), { "Content-Type": "text/html", Location: location });
}

export const POSTS = [
  { title: "What a request looks like", text: "A request line, headers, an empty line, and perhaps a body." },
  { title: "Status codes by class", text: "1xx informs, 2xx succeeds, 3xx redirects, 4xx blames the client, 5xx the server." },
  { title: "Why the server said 302", text: "The page you asked for lives at /posts; your client followed the Location header here." },
] as const;

const postsPage = [
  "<!doctype html>",
  '<html lang="en">',
  "<head>",
  '<meta charset="utf-8">',
  "<title>Posts</title>",
  "</head>",
  "<body>",
  "<h1>Posts</h1>",
  ...POSTS.map((p, i) => `<article id="post-${i + 1}">\n<h2>${p.title}</h2>\n<p>${p.text}</p>\n</article>`),
  "</body>",
  "</html>",
  "",
].join("\n");

const posts = (x: Exchange) => sendCacheable(x, postsPage, HTML);

const CODES = [301, 302, 303, 307, 308] as const;
/** 307 and 308 keep the method and body, so they lead to the echo that shows both arriving again. */
const targetOf = (status: number) => (status === 307 || status === 308 ? "/http/echo" : "/posts");
const ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export const redirectsArea: Area = {
  prefix: "/",
  cors: {},
  routes: [
    { path: /^\/$/, methods: { GET: redirect(302, "/posts") } },
    { path: /^\/posts\/?$/, methods: { GET: posts } },
    ...CODES.map((status) => ({
      path: new RegExp(`^/redirect/${status}$`),
      methods: Object.fromEntries(ALL_METHODS.map((m) => [m, redirect(status, targetOf(status))])),
    })),
    { path: /^\/redirect\/loop$/, methods: { GET: redirect(302, "/redirect/loop") } },
  ],
  problem(x, status, message, headers) {
    send(x, status, `${status} ${STATUS_CODES[status] ?? ""}: ${message}\n`, { "Content-Type": "text/plain; charset=utf-8", ...headers });
  },
};
