// The lab's own JIM client (seed 002's messenger protocol), opened for a browser session's messenger: a tapped TCP
// client to the lab's jim service (never another host), which writes the messages the page asks for as the course's
// homework client writes them (Python's json.dumps: ", " and ": " separators, non-ASCII as \u escapes, time as
// time.time()'s float) and cuts what the server sends into objects the way the JIM dissector does (jimPduLength),
// so the page gets whole objects however TCP cut or joined them.

import type { Bus } from "../capture/bus";
import type { ConversationInfo } from "../capture/events";
import { jimPduLength } from "../dissect/jim";
import { openTcpClient, type LabTcpClient, type ServiceTarget } from "./tcp";

/** Bytes the client holds waiting for an object's end: a JIM object is 640 characters, a reply at most 1,024 bytes. */
export const JIM_CLIENT_BUFFER = 64 * 1024;

export interface JimUser {
  readonly accountName: string;
  readonly password?: string;
  readonly status?: string;
}

export interface JimText {
  readonly to: string;
  readonly from: string;
  readonly message: string;
}

export type JimRequest =
  | { readonly action: "presence"; readonly user: JimUser }
  | { readonly action: "authenticate"; readonly user: JimUser }
  | { readonly action: "msg"; readonly text: JimText }
  | { readonly action: "join" | "leave"; readonly room: string }
  | { readonly action: "quit" };

export interface JimClientListener {
  /** One whole object the server sent (with the whitespace around it). */
  object(bytes: Uint8Array): void;
  /** The connection ended; `error` when the client gave up on it (bytes that never made an object). */
  close(error: string): void;
}

export interface LabJimClient {
  readonly conversation: ConversationInfo;
  /** Writes the messages in one write() call; returns the bytes written. */
  send(requests: readonly JimRequest[]): Uint8Array;
  close(): void;
  readonly closed: boolean;
}

/** A JSON string as Python's json.dumps writes it by default (ensure_ascii): every character past ASCII as \u escapes. */
function pyString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

type Json = string | number | { readonly [key: string]: Json };

/** json.dumps(value): members in order, ", " between them and ": " after names. */
export function pyDumps(value: Json): string {
  if (typeof value === "string") return pyString(value);
  if (typeof value === "number") return Number.isInteger(value) ? `${value}.0` : String(value);
  return `{${Object.entries(value)
    .map(([k, v]) => `${pyString(k)}: ${pyDumps(v)}`)
    .join(", ")}}`;
}

/** The object a request stands for, with `time` as time.time() gives it (seconds, a float). */
export function jimObject(request: JimRequest, nowMs: number = Date.now()): Json {
  const time = nowMs / 1000;
  switch (request.action) {
    case "presence": {
      const user: Record<string, Json> = { account_name: request.user.accountName };
      if (request.user.status) user.status = request.user.status;
      return { action: "presence", time, type: "status", user };
    }
    case "authenticate":
      return { action: "authenticate", time, user: { account_name: request.user.accountName, password: request.user.password ?? "" } };
    case "msg":
      return { action: "msg", time, to: request.text.to, from: request.text.from, encoding: "ascii", message: request.text.message };
    case "join":
    case "leave":
      return { action: request.action, time, room: request.room };
    case "quit":
      return { action: "quit" };
  }
}

const utf8 = new TextEncoder();

/** Cuts a stream into JIM objects as they complete (the dissector's framing), holding at most `limit` bytes. */
export function createJimSplitter(limit = JIM_CLIENT_BUFFER): { push(chunk: Uint8Array): Uint8Array[] | "too-long"; readonly pending: number } {
  let held = new Uint8Array(0);
  const scan = { at: 0, state: 0 };
  return {
    push(chunk) {
      const joined = new Uint8Array(held.length + chunk.length);
      joined.set(held);
      joined.set(chunk, held.length);
      held = joined;
      const out: Uint8Array[] = [];
      for (;;) {
        if (held.length === 0) break;
        const n = jimPduLength(held, 0, { direction: "s2c", scan });
        if (n === "more") break;
        out.push(held.slice(0, n));
        held = held.subarray(n);
        scan.at = 0;
        scan.state = 0;
      }
      if (held.length > limit) return "too-long";
      return out;
    },
    get pending() {
      return held.length;
    },
  };
}

export async function openJimClient(bus: Bus, target: ServiceTarget, sessionId: string, listener: JimClientListener): Promise<LabJimClient> {
  const splitter = createJimSplitter();
  let ended = false;
  // The data listener may need to close the socket it is reading from.
  const held: { client?: LabTcpClient } = {};
  const finish = (error: string) => {
    if (ended) return;
    ended = true;
    listener.close(error);
  };
  const opened = await openTcpClient(bus, target, sessionId, {
    data(chunk) {
      if (ended) return;
      const objects = splitter.push(chunk);
      if (objects === "too-long") {
        finish(`the server sent more than ${JIM_CLIENT_BUFFER} bytes without ending a JSON object`);
        held.client?.close();
        return;
      }
      for (const object of objects) listener.object(object);
    },
    close: () => finish(splitter.pending > 0 ? "the connection closed in the middle of a JSON object" : ""),
  });
  held.client = opened;
  return {
    conversation: opened.conversation,
    send(requests) {
      const bytes = utf8.encode(requests.map((r) => pyDumps(jimObject(r))).join(""));
      opened.send([bytes]);
      return bytes;
    },
    close: () => opened.close(),
    get closed() {
      return ended || opened.closed;
    },
  };
}
