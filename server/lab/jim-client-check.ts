// Scoring a student's own JIM client (issue 13 §5): "connect your client to the lab's jim port and press Go". The
// student presses Go, runs their client; the lab watches the session's timeline (the ring shows the traffic of the
// student's own programs, from the addresses their browser came from: DESIGN "Sessions") for connections to its
// jim service that open in the window, waits until they close (or the window ends), and judges what each sent.
//
// The judging reads the bytes as the timeline does: the client's reads are cut into objects by the JIM dissector's
// own stream session (server/dissect/jim.ts), whose findings (two objects in one read, string time, limits, ascii,
// unknown actions, not JSON) are the source of truth where they apply. What the dissector cannot say about one
// object (the order of a conversation: presence first, quit last, a reply read before the next send) is judged
// here from the events. Every case names the object it is about and the event that carried it.

import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { JimClientVerdict as ProtoVerdict } from "@/gen/lab/v1/jim_client_check_pb";
import type { LabService } from "@/gen/lab/v1/lab_pb";
import { RUN_ID, type Bus } from "../capture/bus";
import type { CapturedEvent, ConversationInfo } from "../capture/events";
import { formatEndpoint } from "../capture/events";
import { createStreamSession } from "../dissect/core/stream";
import type { Finding } from "../dissect/core/types";
import { jimDissector } from "../dissect/jim";
import type { Session } from "./sessions";

export type JimClientVerdict = "pass" | "warn" | "fail" | "note";

export interface JimClientCase {
  readonly id: JimClientCaseId;
  readonly verdict: JimClientVerdict;
  readonly reason: string;
  readonly args: Readonly<Record<string, string>>;
  readonly bytes: Uint8Array;
  /** The event that carried the object's last byte; 0 when none. */
  readonly seq: number;
}

export const JIM_CLIENT_CASES = ["connected", "first", "json", "one_per_send", "time", "limits", "encoding", "msg", "actions", "waits", "answers", "quit"] as const;
export type JimClientCaseId = (typeof JIM_CLIENT_CASES)[number];

export interface ScoredConnection {
  readonly conversationId: string;
  readonly client: string;
  readonly objects: number;
  readonly cases: readonly JimClientCase[];
}

export interface ClientWindow {
  readonly connections: readonly ScoredConnection[];
  /** "closed": every connection seen closed; "time": the window ran out. */
  readonly ended: "closed" | "time";
}

/** The window's bounds: the longest a scoring waits, the connections it follows, the events it reads of each. */
export const JIM_CLIENT_LIMITS = {
  defaultMs: 30_000,
  maxMs: 60_000,
  /** After the last connection closed, how long the window stays open for another (clients that open two). */
  graceMs: 400,
  connections: 4,
  eventsPerConnection: 2000,
} as const;

/** One object the client sent (or the server answered), cut by the JIM dissector. */
interface Obj {
  readonly bytes: Uint8Array;
  readonly seq: number;
  readonly findings: readonly Finding[];
  /** The parsed value when it is a JSON object. */
  readonly value: Record<string, unknown> | undefined;
}

const NO_BYTES = new Uint8Array(0);
const decoder = new TextDecoder();

function parse(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(decoder.decode(bytes));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Cuts a conversation's data events into objects per direction, as the timeline's dissector does. */
export function objectsOf(events: readonly CapturedEvent[]): { sent: Obj[]; got: Obj[] } {
  const session = createStreamSession("jim", { dissectorFor: (p) => (p === "jim" ? jimDissector : undefined) });
  const sent: Obj[] = [];
  const got: Obj[] = [];
  const take = (seq: number, pdus: ReturnType<typeof session.push>) => {
    for (const pdu of pdus) {
      const findings = pdu.frames.flatMap((f) => f.findings);
      if (pdu.sessionFinding) findings.push(pdu.sessionFinding);
      const obj = { bytes: pdu.bytes, seq, findings, value: parse(pdu.bytes) };
      (pdu.direction === "c2s" ? sent : got).push(obj);
    }
  };
  let last = 0;
  for (const e of events) {
    last = e.seq;
    if (e.kind === "data" && e.data.length > 0) take(e.seq, session.push(e.direction, e.data));
  }
  take(last, session.end("c2s"));
  take(last, session.end("s2c"));
  return { sent, got };
}

const has = (o: Obj, code: string) => o.findings.find((f) => f.code === code);
const str = (v: unknown): v is string => typeof v === "string";

interface Judged {
  readonly verdict: JimClientVerdict;
  readonly reason: string;
  readonly args?: Record<string, string>;
  readonly obj?: Obj;
}

/** The first object a finding with one of these codes names, judged `verdict` with the finding's form as reason. */
function byFinding(objs: readonly Obj[], code: string, verdict: JimClientVerdict, reason: (f: Finding) => string, args: (f: Finding) => Record<string, string> = () => ({})): Judged | undefined {
  for (const o of objs) {
    const f = has(o, code);
    if (f) return { verdict, reason: reason(f), args: { ...args(f), count: String(objs.filter((x) => has(x, code)).length) }, obj: o };
  }
  return undefined;
}

const action = (o: Obj) => (str(o.value?.action) ? o.value.action : undefined);

/** Judges one connection of the student's client from its events (open, data both ways, close). */
export function scoreConnection(info: ConversationInfo, events: readonly CapturedEvent[], truncated = false): ScoredConnection {
  const { sent, got } = objectsOf(events);
  const cases: JimClientCase[] = [];
  const add = (id: JimClientCaseId, j: Judged) => cases.push({ id, verdict: j.verdict, reason: j.reason, args: j.args ?? {}, bytes: j.obj?.bytes ?? NO_BYTES, seq: j.obj?.seq ?? 0 });
  const opened = events.find((e) => e.kind === "open");
  const closeEvent = events.find((e) => e.kind === "close");
  cases.push({ id: "connected", verdict: "pass", reason: "ok", args: { client: formatEndpoint(info.client) }, bytes: NO_BYTES, seq: opened?.seq ?? 0 });
  // Whitespace after the last object is no message.
  const objs = sent.filter((o) => o.bytes.some((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09));
  if (objs.length === 0) {
    add("first", { verdict: "fail", reason: "nothing_sent" });
    return { conversationId: info.id, client: formatEndpoint(info.client), objects: 0, cases };
  }

  // first: presence (or authenticate) with an action and a numeric time.
  const first = objs[0]!;
  const firstAction = action(first);
  if (!first.value) add("first", { verdict: "fail", reason: "first_not_object", obj: first });
  else if (firstAction !== "presence" && firstAction !== "authenticate") add("first", { verdict: "fail", reason: "first_not_presence", args: { got: firstAction ?? "" }, obj: first });
  else if (typeof first.value.time !== "number") add("first", { verdict: "fail", reason: "first_no_time", args: { action: firstAction }, obj: first });
  else add("first", { verdict: "pass", reason: "ok", args: { action: firstAction }, obj: first });

  // json: every object is a JSON object with an action (the dissector's bad_json, not_object, no_action).
  add(
    "json",
    byFinding(objs, "jim.bad_json", "fail", () => "bad_json") ??
      byFinding(objs, "jim.not_object", "fail", () => "not_object", (f) => ({ kind: String(f.args?.kind ?? "") })) ??
      byFinding(objs, "jim.no_action", "fail", () => "no_action") ?? { verdict: "pass", reason: "ok", args: { count: String(objs.length) } },
  );

  // one_per_send: an object that came in the read that ended the one before it (jim.coalesced).
  add("one_per_send", byFinding(objs, "jim.coalesced", "fail", () => "coalesced") ?? { verdict: "pass", reason: "ok", args: { count: String(objs.length) } });

  // time: a number on every object but quit (jim.missing_time, jim.string_time).
  add(
    "time",
    byFinding(objs, "jim.string_time", "fail", (f) => (f.form === "string" ? "string_time" : "time_not_number"), (f) => ({ kind: String(f.args?.kind ?? "string") })) ??
      byFinding(objs, "jim.missing_time", "fail", () => "missing_time") ?? { verdict: "pass", reason: "ok" },
  );

  // limits: 15, 25, 500 and 640 characters (jim.limit).
  add(
    "limits",
    byFinding(objs, "jim.limit", "fail", (f) => `limit_${f.form ?? "object"}`, (f) => ({ field: String(f.args?.field ?? f.form ?? ""), length: String(f.args?.length ?? "") })) ?? {
      verdict: "pass",
      reason: "ok",
    },
  );

  // encoding: bytes beyond ASCII while the encoding is ascii (jim.non_ascii).
  add("encoding", byFinding(objs, "jim.non_ascii", "warn", () => "non_ascii", (f) => ({ bytes: String(f.args?.count ?? "") })) ?? { verdict: "pass", reason: "ok" });

  // msg: to, from and message, all strings (the later lessons' destination, sender, mess_text count too).
  const msgs = objs.filter((o) => action(o) === "msg" || action(o) === "message");
  const badMsg = msgs.find((o) => {
    const v = o.value!;
    return !(str(v.to) || str(v.destination)) || !(str(v.from) || str(v.sender)) || !(str(v.message) || str(v.mess_text));
  });
  if (msgs.length === 0) add("msg", { verdict: "note", reason: "no_msg" });
  else if (badMsg) {
    const v = badMsg.value!;
    const missing = [
      ...(str(v.to) || str(v.destination) ? [] : ["to"]),
      ...(str(v.from) || str(v.sender) ? [] : ["from"]),
      ...(str(v.message) || str(v.mess_text) ? [] : ["message"]),
    ];
    add("msg", { verdict: "fail", reason: "msg_shape", args: { missing: missing.join(", ") }, obj: badMsg });
  } else add("msg", { verdict: "pass", reason: "ok", args: { count: String(msgs.length) } });

  // actions: the seven of seed 002 (jim.unknown_action; a later lesson's alias is a note).
  add(
    "actions",
    byFinding(objs, "jim.unknown_action", "warn", (f) => (f.form === "alias" ? "alias" : "unknown_action"), (f) => ({
      action: String(f.args?.action ?? ""),
      standard: String(f.args?.standard ?? ""),
    })) ?? { verdict: "pass", reason: "ok" },
  );

  // waits: did it read each reply before sending more, and before closing? An object that came with the one before
  // it was sent before any reply could arrive; a close that reset the connection left a reply unread (the kernel
  // answers the close of a socket with unread bytes with RST, not FIN).
  const quitAt = objs.findIndex((o) => action(o) === "quit" || action(o) === "exit");
  const isQuit = (o: Obj) => action(o) === "quit" || action(o) === "exit";
  const replies = got.filter((g) => g.value !== undefined && "response" in g.value);
  const early = objs.find((o, i) => {
    if (i === 0) return false;
    if (has(o, "jim.coalesced")) return true;
    const owed = objs.slice(0, i).filter((p) => !isQuit(p)).length;
    return replies.filter((r) => r.seq < o.seq).length < owed;
  });
  if (closeEvent?.errorCode === "ECONNRESET") add("waits", { verdict: "fail", reason: "reset", obj: objs[objs.length - 1] });
  else if (early) add("waits", { verdict: "fail", reason: "sent_before_reply", obj: early });
  else add("waits", { verdict: "pass", reason: "ok" });

  // answers: what the server said; an error reply is worth a look (401 in accounts mode, 400 naming a limit).
  const errorReply = got.find((g) => typeof g.value?.response === "number" && g.value.response >= 400);
  if (errorReply) {
    const v = errorReply.value!;
    add("answers", { verdict: "warn", reason: "error_reply", args: { code: String(v.response), error: str(v.error) ? v.error : "" }, obj: errorReply });
  } else if (got.length === 0) add("answers", { verdict: "note", reason: "no_answer" });
  else add("answers", { verdict: "pass", reason: "ok", args: { count: String(got.length) } });

  // quit: the last message; a client that just closes harms nothing (the server frees its name): a note.
  if (truncated) add("quit", { verdict: "note", reason: "truncated", args: { events: String(JIM_CLIENT_LIMITS.eventsPerConnection) } });
  else if (quitAt >= 0 && quitAt === objs.length - 1) add("quit", { verdict: "pass", reason: "ok", obj: objs[quitAt] });
  else if (quitAt >= 0) add("quit", { verdict: "warn", reason: "quit_not_last", obj: objs[quitAt] });
  else if (closeEvent) add("quit", { verdict: "note", reason: "just_closed" });
  else add("quit", { verdict: "warn", reason: "still_open" });

  return { conversationId: info.id, client: formatEndpoint(info.client), objects: objs.length, cases };
}

export interface WatchOptions {
  /** The jim service's port: connections to it are the client's. */
  readonly port: number;
  readonly windowMs?: number;
  readonly graceMs?: number;
  readonly signal?: AbortSignal;
  /** Where to start reading (the bus's last seq when Go was pressed). */
  readonly afterSeq: number;
}

interface Followed {
  readonly info: ConversationInfo;
  readonly events: CapturedEvent[];
  closed: boolean;
  /** Events past JIM_CLIENT_LIMITS.eventsPerConnection were left out. */
  truncated: boolean;
}

/**
 * Watches the session's timeline from `afterSeq` for external connections to the jim port that open in the window,
 * until every one of them closed (and a short grace passed with no new one) or the window ran out; scores each.
 */
export async function watchJimClient(session: Session, options: WatchOptions): Promise<ClientWindow> {
  const windowMs = Math.min(options.windowMs ?? JIM_CLIENT_LIMITS.defaultMs, JIM_CLIENT_LIMITS.maxMs);
  const graceMs = options.graceMs ?? JIM_CLIENT_LIMITS.graceMs;
  const deadline = Date.now() + windowMs;
  const followed = new Map<string, Followed>();
  let cursor = options.afterSeq;
  let quietSince = 0;
  let ended: ClientWindow["ended"] = "time";
  const read = () => {
    for (;;) {
      const batch = session.ring.after(cursor, 512);
      if (batch.length === 0) return;
      for (const e of batch) {
        cursor = e.seq;
        const c = e.conversation;
        if (c.origin !== "external" || c.transport !== "tcp" || c.server.port !== options.port || c.protocol !== "jim") continue;
        let f = followed.get(c.id);
        if (!f) {
          // Only connections that open in the window; a few of them.
          if (e.kind !== "open" || followed.size >= JIM_CLIENT_LIMITS.connections) continue;
          f = { info: c, events: [], closed: false, truncated: false };
          followed.set(c.id, f);
        }
        // Past the bound only the close is kept (the scoring says the rest went unread).
        if (f.events.length < JIM_CLIENT_LIMITS.eventsPerConnection) f.events.push(e);
        else if (e.kind === "close") f.events.push(e);
        else f.truncated = true;
        if (e.kind === "close") f.closed = true;
      }
    }
  };
  while (!options.signal?.aborted) {
    read();
    const now = Date.now();
    const allClosed = followed.size > 0 && [...followed.values()].every((f) => f.closed);
    if (allClosed) {
      if (quietSince === 0) quietSince = now;
      if (now - quietSince >= graceMs) {
        ended = "closed";
        break;
      }
    } else quietSince = 0;
    const wait = Math.min(deadline, allClosed ? quietSince + graceMs : deadline) - now;
    if (wait <= 0) break;
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), wait);
    const onAbort = () => stop.abort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await session.ring.changed(stop.signal);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }
  read();
  if (options.signal?.aborted) throw new ConnectError("the page went away", Code.Canceled);
  return { connections: [...followed.values()].map((f) => scoreConnection(f.info, f.events, f.truncated)), ended };
}

const VERDICTS: Record<JimClientVerdict, ProtoVerdict> = {
  pass: ProtoVerdict.PASS,
  warn: ProtoVerdict.WARN,
  fail: ProtoVerdict.FAIL,
  note: ProtoVerdict.NOTE,
};

export interface JimClientCheckDeps {
  readonly bus: Bus;
  /** The lab's jim service; undefined when it does not run. */
  readonly target: () => { readonly host: string; readonly port: number } | undefined;
  readonly session: (ctx: HandlerContext) => Session;
}

/** LabService.CheckJimClient: one scoring at a time per session, at most JIM_CLIENT_LIMITS.maxMs long. */
export function createJimClientCheck(deps: JimClientCheckDeps): Pick<ServiceImpl<typeof LabService>, "checkJimClient"> {
  const scoring = new WeakSet<Session>();
  return {
    async checkJimClient(req, ctx) {
      const session = deps.session(ctx);
      const target = deps.target();
      if (!target) throw new ConnectError("the lab runs no jim service", Code.FailedPrecondition);
      if (req.seconds > JIM_CLIENT_LIMITS.maxMs / 1000) throw new ConnectError(`seconds: at most ${JIM_CLIENT_LIMITS.maxMs / 1000}`, Code.InvalidArgument);
      if (scoring.has(session)) throw new ConnectError("a client check is already waiting for this page: wait for it", Code.ResourceExhausted);
      scoring.add(session);
      try {
        const window = await watchJimClient(session, {
          port: target.port,
          windowMs: req.seconds === 0 ? JIM_CLIENT_LIMITS.defaultMs : req.seconds * 1000,
          afterSeq: deps.bus.lastSeq,
          signal: ctx.signal,
        });
        return {
          runId: RUN_ID,
          host: target.host,
          port: target.port,
          ended: window.ended,
          connections: window.connections.map((c) => ({
            conversationId: c.conversationId,
            client: c.client,
            objects: c.objects,
            cases: c.cases.map((k) => ({ id: k.id, verdict: VERDICTS[k.verdict], reason: k.reason, args: k.args, bytes: k.bytes, seq: BigInt(k.seq) })),
          })),
        };
      } finally {
        scoring.delete(session);
      }
    },
  };
}
