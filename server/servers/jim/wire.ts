// What the JIM server writes (seed 002, "Коды ответов сервера"): replies {"response", "time", "alert"} for
// 1xx/2xx and {"response", "time", "error"} for 4xx/5xx, and unsolicited frames that carry "action"
// (a forwarded msg, probe). Every frame is pure ASCII (non-ASCII as \u escapes, as Python's json.dumps
// writes by default), one JSON object in at most MAX_FRAME_BYTES, because the course's clients read a reply
// with one recv(1024) and json.loads. Error replies carry "alert" too, so a naive client that prints
// reply["alert"] still shows something.

/** The most one frame may take: the homework client's recv(1024). */
export const MAX_FRAME_BYTES = 1024;

/** Seed 002's codes, with the word each reply's text starts from. */
export const JIM_CODES = {
  100: "notice",
  101: "important notice",
  200: "OK",
  201: "created",
  202: "accepted",
  400: "bad request",
  401: "not authorized",
  402: "wrong login or password",
  403: "forbidden",
  404: "not found",
  409: "conflict",
  410: "gone",
  500: "server error",
} as const;

export type JimCode = keyof typeof JIM_CODES;

export type JimValue = string | number | boolean | null | readonly JimValue[] | { readonly [key: string]: JimValue };

/** Unix time in seconds with milliseconds, as time.time() gives it (always a JSON number). */
export function unixTime(nowMs: number = Date.now()): number {
  return nowMs / 1000;
}

/** JSON with every character past 0x7e written as a \u escape (json.dumps' ensure_ascii, plus DEL). */
export function asciiJson(value: JimValue): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A reply to a client's object: alert for 1xx/2xx, error (and alert) for 4xx/5xx. */
export function replyObject(code: JimCode, text: string, nowMs?: number): Record<string, JimValue> {
  const time = unixTime(nowMs);
  return code < 400 ? { response: code, time, alert: text } : { response: code, time, error: text, alert: text };
}

export function encodeFrame(value: JimValue): Buffer {
  return Buffer.from(asciiJson(value), "ascii");
}

export function encodeReply(code: JimCode, text: string, nowMs?: number): Buffer {
  const frame = encodeFrame(replyObject(code, text, nowMs));
  if (frame.length <= MAX_FRAME_BYTES) return frame;
  // Only a reply text quoting a client's long value could get here: keep the code, shorten the words.
  return encodeFrame(replyObject(code, JIM_CODES[code], nowMs));
}
