// The JIM dissector's fields and findings, declared once. JIM (JSON instant messaging) is the course's messenger
// protocol (seed 002, "Протоколы обмена в курсовом проекте"): JSON objects over TCP, port 7777, every one with
// `action` and `time`; the server's replies carry `response` with an HTTP-like code and `alert` or `error`.
// The object's node is named by what it is (a presence, a 404 reply), its members by their JIM meaning.

import { defineFields } from "../core/fields";
import { defineFindings } from "../core/findings";

/** The actions seed 002 defines. */
export const JIM_ACTIONS = ["presence", "probe", "msg", "quit", "authenticate", "join", "leave"] as const;
export type JimAction = (typeof JIM_ACTIONS)[number];

/** Names later lessons of the course give some actions (`message` with sender/destination/mess_text, `exit`). */
export const JIM_ALIASES: Readonly<Record<string, JimAction>> = Object.freeze({ message: "msg", exit: "quit" });

/** Seed 002's response codes and their names (the names are HTTP's where the code is HTTP's). */
export const JIM_CODES: Readonly<Record<number, string>> = Object.freeze({
  100: "Notice",
  101: "Important notice",
  200: "OK",
  201: "Created",
  202: "Accepted",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Wrong login or password",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  410: "Gone",
  500: "Server Error",
});

/** Seed 002's limits, in characters. */
export const JIM_LIMITS = { action: 15, name: 25, message: 500, object: 640 } as const;

export const jimFields = defineFields("jim", {
  // The object, named by what it is.
  "object.presence": {
    label: "Presence",
    type: "none",
    blurb: "The client tells the server it is online, with its account name and an optional status; the server answers 200.",
  },
  "object.probe": {
    label: "Probe",
    type: "none",
    blurb: "The server asks whether the client is still there; only a server sends it, and the client answers with a presence.",
  },
  "object.msg": {
    label: "Message",
    type: "none",
    blurb: "A message from one user to another, or to a room when to starts with #; the server answers the sender and passes it on.",
  },
  "object.quit": { label: "Quit", type: "none", blurb: "The client says it is leaving; the server closes the connection." },
  "object.authenticate": {
    label: "Authenticate",
    type: "none",
    blurb: "The client logs in with an account name and a password: 200 when they match, 402 when they do not, 409 when the name is already connected.",
  },
  "object.join": { label: "Join a room", type: "none", blurb: "The client enters a room: from now on it gets the messages sent to that room." },
  "object.leave": { label: "Leave a room", type: "none", blurb: "The client leaves a room: it no longer gets the room's messages." },
  "object.alias": {
    label: "Action (another name)",
    type: "none",
    blurb: "An action under a name later lessons of the course use (message for msg, exit for quit), which the lab's server accepts too.",
  },
  "object.other_action": {
    label: "Unknown action",
    type: "none",
    blurb: "An object whose action is none of the seven the protocol defines; a server answers it with an error.",
  },
  "object.reply_100": { label: "100 Notice", type: "none", blurb: "A reply with a notice for the user, in alert." },
  "object.reply_101": { label: "101 Important notice", type: "none", blurb: "A reply with an important notice for the user, in alert." },
  "object.reply_200": { label: "200 OK", type: "none", blurb: "The request succeeded: the server did what the client asked." },
  "object.reply_201": { label: "201 Created", type: "none", blurb: "The request succeeded and created something, such as an account or a room." },
  "object.reply_202": { label: "202 Accepted", type: "none", blurb: "The server accepted the request and confirms it." },
  "object.reply_400": {
    label: "400 Bad Request",
    type: "none",
    blurb: "The client's object was wrong: not JSON, a field missing or too long; the error says which.",
  },
  "object.reply_401": { label: "401 Unauthorized", type: "none", blurb: "The action needs an account: the client must authenticate first." },
  "object.reply_402": { label: "402 Wrong login or password", type: "none", blurb: "No account has that name, or the password is not its password." },
  "object.reply_403": { label: "403 Forbidden", type: "none", blurb: "The user is blocked: the server refuses what it asked." },
  "object.reply_404": { label: "404 Not Found", type: "none", blurb: "No user or room of that name exists on the server." },
  "object.reply_409": { label: "409 Conflict", type: "none", blurb: "Someone is already connected with that account name." },
  "object.reply_410": { label: "410 Gone", type: "none", blurb: "The addressee exists but is offline, so the message was not delivered." },
  "object.reply_500": { label: "500 Server Error", type: "none", blurb: "Something failed inside the server; the connection stays open." },
  "object.reply_other": {
    label: "Reply",
    type: "none",
    blurb: "A server's reply with a code the protocol does not list: 1xx and 2xx are good news, 4xx the client's fault, 5xx the server's.",
  },
  "object.unnamed": { label: "Object", type: "none", blurb: "A JSON object with neither an action nor a response, which JIM does not define." },
  // Members.
  action: { label: "Action", type: "text", blurb: "What the message asks for or announces; at most 15 characters." },
  time: { label: "Time", type: "text", blurb: "When the message was sent, as a Unix time: seconds since 1 January 1970 UTC, a number." },
  type: { label: "Type", type: "text", blurb: "An optional kind of presence, such as status." },
  user: { label: "User", type: "none", blurb: "Who the client is: the account name, and a password or a status." },
  "user.account_name": { label: "Account name", type: "text", blurb: "The user's name on the server; at most 25 characters." },
  "user.password": { label: "Password", type: "text", blurb: "The account's password, sent as plain text: JIM has no encryption of its own." },
  "user.status": { label: "Status", type: "text", blurb: "A few words the user shows to others, such as Yep, I am here!" },
  to: { label: "To", type: "text", blurb: "The addressee: an account name, or a room when it starts with #; at most 25 characters." },
  from: { label: "From", type: "text", blurb: "The sender's account name; at most 25 characters." },
  encoding: { label: "Encoding", type: "text", blurb: "The encoding of the message's text; without it the text is ascii." },
  message: { label: "Text", type: "text", blurb: "The message's text; at most 500 characters." },
  room: { label: "Room", type: "text", blurb: "The room's name, starting with #; at most 25 characters." },
  sender: { label: "Sender", type: "text", blurb: "The sender's name, under the name later lessons give from." },
  destination: { label: "Destination", type: "text", blurb: "The addressee, under the name later lessons give to." },
  mess_text: { label: "Text", type: "text", blurb: "The message's text, under the name later lessons give message." },
  response: {
    label: "Response code",
    type: "text",
    blurb: "The server's answer as a 3-digit integer, HTTP's codes: 1xx a notice, 2xx done, 4xx the client's error, 5xx the server's.",
  },
  alert: { label: "Alert", type: "text", blurb: "Words for the user that come with a 1xx or 2xx code." },
  error: { label: "Error", type: "text", blurb: "What went wrong, in words, with a 4xx or 5xx code." },
  whitespace: { label: "Whitespace", type: "text", blurb: "Spaces or line breaks after the last object, with no object after them." },
  invalid: { label: "Not JSON", type: "bytes", blurb: "Bytes that are not a JSON text, so no JIM reader can take them as a message." },
});

export const jimFindings = defineFindings("jim", {
  coalesced: {
    severity: "warn",
    message:
      'This object came in the same read as the end of the one before it. A program that calls recv() once and json.loads() on what it got reads both and fails with "Extra data": read with an incremental decoder, or frame each object.',
  },
  split: {
    severity: "note",
    message:
      "This object came in {reads} reads. A program that calls json.loads() on each recv() alone gets half an object and fails: keep the bytes until the object is whole.",
  },
  bad_json: {
    severity: "error",
    forms: {
      syntax: "Not JSON: the text stops making sense at offset {at}. A JIM server answers 400.",
      depth: "The JSON nests deeper than the lab reads, at offset {at}. A JIM server answers 400.",
      encoding: "A string at offset {at} is not valid UTF-8, so this is not JSON. A JIM server answers 400.",
    },
  },
  not_object: { severity: "error", message: "This is a JSON {kind}, not an object: every JIM message is an object. A JIM server answers 400." },
  no_action: {
    severity: "error",
    forms: {
      missing: "The object has no action: every JIM message from a client names one. A JIM server answers 400.",
      not_string: "action is not a string. A JIM server answers 400.",
    },
  },
  unknown_action: {
    severity: "warn",
    forms: {
      unknown: 'The action "{action}" is none of the seven JIM defines (presence, probe, msg, quit, authenticate, join, leave).',
      alias: 'The action "{action}" is a later lesson\'s name for "{standard}"; seed 002 calls it "{standard}".',
    },
  },
  missing_time: { severity: "warn", message: "There is no time: every JIM message carries the Unix time it was sent." },
  string_time: {
    severity: "note",
    forms: {
      string: "time is a string, not a number: JIM's time is a Unix time in seconds, such as 1700000000.5. The lab's server takes it anyway.",
      other: "time is a JSON {kind}, not a number: JIM's time is a Unix time in seconds.",
    },
  },
  response_not_integer: {
    severity: "error",
    forms: {
      string: "response is a string: a client that compares it with the integer 200 finds them different.",
      fraction: "response {value} is not an integer: a client that compares it with the integer 200 may find them different.",
      other: "response is a JSON {kind}, not an integer code.",
    },
  },
  unknown_code: { severity: "note", message: "Code {code} is not one of those seed 002 lists; its first digit still tells what kind of answer it is." },
  error_without_error: {
    severity: "warn",
    message: "A {code} reply without error: a client that prints the error of a failed request finds nothing to print.",
  },
  limit: {
    severity: "warn",
    forms: {
      action: "action is {length:characters}, more than the 15 JIM allows. A JIM server answers 400.",
      name: "{field} is {length:characters}, more than the 25 JIM allows for a name. A JIM server answers 400.",
      message: "The message is {length:characters}, more than the 500 JIM allows. A JIM server answers 400.",
      object: "The object is {length:characters}, more than the 640 JIM allows for a whole object. A JIM server answers 400.",
    },
  },
  non_ascii: {
    severity: "warn",
    message:
      "{count:bytes} beyond ASCII (the first at offset {at}) while the encoding is ascii (said or left to its default). Send encoding utf-8, or escape them as \\u sequences (json.dumps does by default).",
  },
});
