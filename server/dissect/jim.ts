// JIM, JSON instant messaging (seed 002): JSON objects over TCP with no delimiter and no length prefix, one
// object per send() on the sender's side, coalesced or split by TCP on the way. Each object is one PDU, found by
// matching its braces outside strings (whitespace after it is kept with it, as a newline some clients send);
// its tree is the JSON tree (json.ts) with the object named by its action or response code and the members by
// their JIM meaning. Findings teach what a client that does one recv() and one json.loads() runs into: two
// objects in one read, an object across reads; and what seed 002 asks that a message missed: time, an integer
// response, the length limits, ascii, a known action, error text on an error.
// ISOMORPHIC: no Node imports.

import { addItem, createCursor, quoted, type Cursor } from "./core/cursor";
import { plural, quoteText } from "./core/fields";
import type { CaptureResult, DissectContext, DissectedFrame, Dissector, FieldSpec, PduContext, PduLength, ReadFacts } from "./core/types";
import { addJsonTree, ascii, isJsonError, member, parseJson, type JsonDocument, type JsonMember, type JsonNaming, type JsonValue, type Span } from "./json";
import { JIM_ACTIONS, JIM_ALIASES, JIM_CODES, JIM_LIMITS, jimFields, jimFindings, type JimAction } from "./jim/tables";

export { JIM_ACTIONS, JIM_CODES, JIM_LIMITS, jimFields, jimFindings };
const f = jimFields;
const x = jimFindings;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isWs = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

// The scan's state, packed in PduScan.state: the nesting depth, then two bits (in a string, after a backslash).
const IN_STRING = 2;
const ESCAPED = 1;

/**
 * Where the JSON value starting at `offset` ends, with the whitespace after it that has arrived: the object's
 * closing brace found outside strings. Bytes that do not start an object or an array are one PDU up to the next
 * `{` or the end of what has arrived, so garbage shows as it comes instead of waiting for a brace.
 */
export function jimPduLength(bytes: Uint8Array, offset: number, ctx?: PduContext): PduLength {
  const end = bytes.length;
  const scan = ctx?.scan ?? { at: 0, state: 0 };
  let i = offset + scan.at;
  let depth = Math.floor(scan.state / 4);
  let inString = (scan.state & IN_STRING) !== 0;
  let escaped = (scan.state & ESCAPED) !== 0;
  if (depth === 0) {
    while (i < end && isWs(bytes[i])) i++;
    if (i === end) {
      scan.at = i - offset;
      return "more";
    }
    const b = bytes[i]!;
    if (b !== OPEN_BRACE && b !== OPEN_BRACKET) {
      let j = i + 1;
      while (j < end && bytes[j] !== OPEN_BRACE) j++;
      return j - offset;
    }
    depth = 1;
    i++;
  }
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (b === BACKSLASH) escaped = true;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      if (--depth === 0) {
        i++;
        while (i < end && isWs(bytes[i])) i++;
        return i - offset;
      }
    }
  }
  scan.at = i - offset;
  scan.state = depth * 4 + (inString ? IN_STRING : 0) + (escaped ? ESCAPED : 0);
  return "more";
}

/** What a rebuilt tree needs of how the reads carried the object (ReadFacts, kept only when they teach). */
export interface JimMemo {
  /** The object's first byte came in a read that also carried an earlier object's end. */
  readonly coalesced?: true;
  /** The reads its value (not the whitespace before it) came in, when more than one. */
  readonly reads?: number;
}

function memoOf(reads: ReadFacts | undefined, valueStart: number, valueEnd: number): JimMemo | undefined {
  if (!reads) return undefined;
  // Reads that start inside the value split it; one that starts in the whitespace before it does not.
  const inside = reads.starts.filter((s) => s > valueStart && s < valueEnd).length + (reads.count - 1 - reads.starts.length);
  const startsInValue = reads.starts.some((s) => s <= valueStart);
  const coalesced = reads.before && !startsInValue;
  if (!coalesced && inside === 0) return undefined;
  return { ...(coalesced ? { coalesced: true as const } : {}), ...(inside > 0 ? { reads: inside + 1 } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Naming the tree

const CODE_FIELDS: Readonly<Record<number, FieldSpec>> = Object.freeze({
  100: f["object.reply_100"],
  101: f["object.reply_101"],
  200: f["object.reply_200"],
  201: f["object.reply_201"],
  202: f["object.reply_202"],
  400: f["object.reply_400"],
  401: f["object.reply_401"],
  402: f["object.reply_402"],
  403: f["object.reply_403"],
  404: f["object.reply_404"],
  409: f["object.reply_409"],
  410: f["object.reply_410"],
  500: f["object.reply_500"],
});

const ACTION_FIELDS: Readonly<Record<JimAction, FieldSpec>> = Object.freeze({
  presence: f["object.presence"],
  probe: f["object.probe"],
  msg: f["object.msg"],
  quit: f["object.quit"],
  authenticate: f["object.authenticate"],
  join: f["object.join"],
  leave: f["object.leave"],
});

const MEMBER_FIELDS: Readonly<Record<string, FieldSpec>> = Object.freeze({
  action: f.action,
  time: f.time,
  type: f.type,
  user: f.user,
  to: f.to,
  from: f.from,
  encoding: f.encoding,
  message: f.message,
  room: f.room,
  sender: f.sender,
  destination: f.destination,
  mess_text: f.mess_text,
  response: f.response,
  alert: f.alert,
  error: f.error,
});

const USER_FIELDS: Readonly<Record<string, FieldSpec>> = Object.freeze({
  account_name: f["user.account_name"],
  password: f["user.password"],
  status: f["user.status"],
});

const isAction = (a: string): a is JimAction => (JIM_ACTIONS as readonly string[]).includes(a);

/** The string value of a top-level member, if it is a string. */
function text(obj: JsonValue, key: string): string | undefined {
  const v = member(obj, key);
  return v?.kind === "string" ? v.value : undefined;
}

/** The response code as a number when it is a JSON number (integer or not). */
function codeOf(obj: JsonValue): number | undefined {
  const v = member(obj, "response");
  return v?.kind === "number" ? Number(v.value) : undefined;
}

function objectField(obj: JsonValue): FieldSpec {
  const action = member(obj, "action");
  if (action) {
    if (action.kind !== "string") return f["object.other_action"];
    if (isAction(action.value)) return ACTION_FIELDS[action.value];
    return JIM_ALIASES[action.value] ? f["object.alias"] : f["object.other_action"];
  }
  if (member(obj, "response")) return CODE_FIELDS[codeOf(obj) ?? -1] ?? f["object.reply_other"];
  return f["object.unnamed"];
}

const naming: JsonNaming = {
  container: (path, v) => (path.length === 0 && v.kind === "object" ? objectField(v) : undefined),
  member: (path: readonly (string | number)[], m: JsonMember) => {
    if (path.length === 1) return MEMBER_FIELDS[m.key];
    if (path.length === 2 && path[0] === "user") return USER_FIELDS[m.key];
    return undefined;
  },
};

// ---------------------------------------------------------------------------------------------
// Findings

/** Characters, not UTF-16 units: seed 002 counts characters. */
const chars = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

function checkLimits(cur: Cursor, obj: JsonValue & { kind: "object" }): void {
  const limit = (v: JsonValue | undefined, max: number, report: (length: number, v: JsonValue) => void) => {
    if (v?.kind !== "string") return;
    const n = chars(v.value);
    if (n > max) report(n, v);
  };
  limit(member(obj, "action"), JIM_LIMITS.action, (length, v) => cur.finding(x.limit.action, { length }, v.start, v.end - v.start));
  const user = member(obj, "user");
  const names: [string, JsonValue | undefined][] = [
    ["user.account_name", member(user, "account_name")],
    ["from", member(obj, "from")],
    ["to", member(obj, "to")],
    ["room", member(obj, "room")],
    ["sender", member(obj, "sender")],
    ["destination", member(obj, "destination")],
  ];
  for (const [field, v] of names) limit(v, JIM_LIMITS.name, (length, at) => cur.finding(x.limit.name, { field, length }, at.start, at.end - at.start));
  for (const key of ["message", "mess_text"]) {
    limit(member(obj, key), JIM_LIMITS.message, (length, v) => cur.finding(x.limit.message, { length }, v.start, v.end - v.start));
  }
}

function checkAscii(cur: Cursor, bytes: Uint8Array, obj: JsonValue & { kind: "object" }, span: Span): void {
  const encoding = text(obj, "encoding");
  if (encoding !== undefined && encoding.toLowerCase() !== "ascii") return;
  let count = 0;
  let at = -1;
  for (let i = span.start; i < span.end; i++) {
    if (bytes[i]! >= 0x80) {
      count++;
      if (at < 0) at = i;
    }
  }
  if (count > 0) cur.finding(x.non_ascii, { count, at }, at, 1);
}

function checkObject(cur: Cursor, bytes: Uint8Array, obj: JsonValue & { kind: "object" }, span: Span): void {
  const action = member(obj, "action");
  const response = member(obj, "response");
  if (!action && !response) cur.finding(x.no_action.missing, span.start, 1);
  if (action && action.kind !== "string") cur.finding(x.no_action.not_string, action.start, action.end - action.start);
  if (action?.kind === "string" && !isAction(action.value)) {
    const standard = JIM_ALIASES[action.value];
    if (standard) cur.finding(x.unknown_action.alias, { action: action.value, standard }, action.start, action.end - action.start);
    else cur.finding(x.unknown_action.unknown, { action: action.value }, action.start, action.end - action.start);
  }
  const quit = action?.kind === "string" && (action.value === "quit" || action.value === "exit");
  const time = member(obj, "time");
  if (!time && !quit && (action || response)) cur.finding(x.missing_time, span.start, 1);
  if (time && time.kind !== "number") {
    if (time.kind === "string") cur.finding(x.string_time.string, time.start, time.end - time.start);
    else cur.finding(x.string_time.other, { kind: time.kind }, time.start, time.end - time.start);
  }
  if (response) {
    const where = [response.start, response.end - response.start] as const;
    if (response.kind === "string") cur.finding(x.response_not_integer.string, ...where);
    else if (response.kind !== "number") cur.finding(x.response_not_integer.other, { kind: response.kind }, ...where);
    else if (!/^-?\d+$/.test(response.value)) cur.finding(x.response_not_integer.fraction, { value: response.value }, ...where);
    else {
      const code = Number(response.value);
      if (JIM_CODES[code] === undefined) cur.finding(x.unknown_code, { code }, ...where);
      if (code >= 400 && code < 600 && !member(obj, "error")) cur.finding(x.error_without_error, { code }, span.start, 1);
    }
  }
  checkLimits(cur, obj);
  const length = chars(new TextDecoder().decode(bytes.subarray(span.start, span.end)));
  if (length > JIM_LIMITS.object) cur.finding(x.limit.object, { length }, span.start, span.end - span.start);
  checkAscii(cur, bytes, obj, span);
}

// ---------------------------------------------------------------------------------------------
// Summaries

const q = (s: string | undefined) => (s === undefined ? "?" : quoteText(s, 40));

function summaryOf(obj: JsonValue & { kind: "object" }): string {
  const action = member(obj, "action");
  if (action?.kind === "string") {
    const a = action.value;
    const user = member(obj, "user");
    const name = member(user, "account_name");
    const who = name?.kind === "string" ? ` ${name.value}` : "";
    switch (JIM_ALIASES[a] ?? a) {
      case "presence":
      case "authenticate":
        return `${a}${who}`;
      case "msg": {
        const from = text(obj, "from") ?? text(obj, "sender");
        const to = text(obj, "to") ?? text(obj, "destination");
        const body = text(obj, "message") ?? text(obj, "mess_text");
        return `${a} ${from ?? "?"} → ${to ?? "?"}: ${q(body)}`;
      }
      case "join":
      case "leave":
        return `${a} ${text(obj, "room") ?? "?"}`;
      default:
        return a.length > 20 ? `${quoteText(a, 20)}` : a;
    }
  }
  const response = member(obj, "response");
  if (response) {
    const code = response.kind === "number" ? response.value : response.kind === "string" ? quoteText(response.value, 10) : response.kind;
    const name = response.kind === "number" ? JIM_CODES[Number(code)] : undefined;
    const words = text(obj, "error") ?? text(obj, "alert");
    return `${code}${name ? ` ${name}` : ""}${words !== undefined ? `: ${q(words)}` : ""}`;
  }
  return `{${plural(obj.members.length, "member")}}`;
}

// ---------------------------------------------------------------------------------------------

/** Reads one PDU: one JSON object (or what stands where one should) with the whitespace around it. */
export function dissectJim(bytes: Uint8Array, ctx?: DissectContext): DissectedFrame[] {
  const cur = createCursor(bytes, "jim", ctx?.tree ?? true);
  const span = valueSpan(bytes);
  const memo: JimMemo | undefined = ctx?.memo !== undefined ? (ctx.memo as JimMemo) : memoOf(ctx?.reads, span.start, span.end);
  let summary: string;
  if (span.start === span.end && bytes.length > 0) {
    // Whitespace the stream's end left with no object after it.
    addItem(cur, f.whitespace, bytes.length, quoted(ascii(bytes, 0, bytes.length)));
    summary = "Whitespace";
  } else {
    const doc = parseJson(bytes, 0, bytes.length, true);
    if (isJsonError(doc)) {
      if (bytes.length > 0) cur.bytes(f.invalid, bytes.length);
      cur.finding(x.bad_json[doc.error], { at: doc.at }, doc.at, 0);
      summary = `Not JSON: ${quoteText(new TextDecoder().decode(bytes.subarray(span.start, Math.min(span.end, span.start + 120))), 40)}`;
    } else {
      summary = dissectValue(cur, bytes, doc, span);
    }
  }
  if (memo?.coalesced) cur.finding(x.coalesced, 0, 0);
  if (memo?.reads) cur.finding(x.split, { reads: memo.reads }, 0, 0);
  const frame = cur.frame(summary);
  return [memo ? { ...frame, memo } : frame];
}

/** The value without the whitespace around it (json.ts gives that whitespace to the value's first and last tokens). */
function valueSpan(bytes: Uint8Array): Span {
  const span = { start: 0, end: bytes.length };
  while (span.start < span.end && isWs(bytes[span.start])) span.start++;
  while (span.end > span.start && isWs(bytes[span.end - 1])) span.end--;
  return span;
}

/** Capture time: JIM keeps no state, so all a reader needs later is how the reads carried the object (the memo). */
export function captureJim(bytes: Uint8Array, ctx: DissectContext): CaptureResult {
  if (ctx.memo !== undefined) return { memo: ctx.memo };
  const span = valueSpan(bytes);
  return { memo: memoOf(ctx.reads, span.start, span.end) };
}

function dissectValue(cur: Cursor, bytes: Uint8Array, doc: JsonDocument, span: Span): string {
  const v = doc.value;
  if (cur.tree) addJsonTree(cur, bytes, doc, naming);
  if (v.kind === "object") {
    checkObject(cur, bytes, v, span);
    return summaryOf(v);
  }
  cur.finding(x.not_object, { kind: v.kind }, span.start, span.end - span.start);
  return `JSON ${v.kind}: ${quoteText(ascii(bytes, span.start, Math.min(span.end, span.start + 60)), 40)}`;
}

export const jimDissector: Dissector = {
  id: "jim",
  name: "JIM",
  pduLength: jimPduLength,
  dissect: dissectJim,
  capture: captureJim,
};
