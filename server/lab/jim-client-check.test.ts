// The client check's judging (server/lab/jim-client-check.ts) on conversations written here event by event: the cases
// the integration test's two Python clients do not reach (limits, bytes beyond ASCII, an unknown action and an
// alias, a msg without to, not JSON, authenticate first, a close that reset the connection, a connection still open,
// quit followed by more), each with the object it names and the event that carried it.
import { describe, expect, it } from "vitest";
import type { CapturedEvent, ConversationInfo, Direction, EventKind } from "../capture/events";
import { scoreConnection, type JimClientCase } from "./jim-client-check";

const info: ConversationInfo = {
  id: "c1",
  transport: "tcp",
  client: { ip: "127.0.0.1", port: 50000 },
  server: { ip: "127.0.0.1", port: 7777 },
  service: "jim",
  protocol: "jim",
  origin: "external",
  owner: undefined,
};

const utf8 = new TextEncoder();
let seq = 0;
function ev(kind: EventKind, direction: Direction, text = "", errorCode = ""): CapturedEvent {
  seq++;
  return { seq, conversation: info, kind, direction, monoMs: seq, wallMs: seq, data: utf8.encode(text), pdus: undefined, errorCode, errorMessage: "", streamOffset: -1, segment: undefined };
}
const c2s = (o: unknown) => ev("data", "c2s", JSON.stringify(o));
const ok = () => ev("data", "s2c", '{"response": 200, "time": 1.5, "alert": "OK"}');
const T = 1700000000.5;
const presence = { action: "presence", time: T, user: { account_name: "ann" } };

function cases(events: CapturedEvent[]): Record<string, JimClientCase> {
  return Object.fromEntries(scoreConnection(info, events).cases.map((c) => [c.id, c]));
}
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("scoreConnection", () => {
  it("fails a name over 25 characters and a message over 500, naming the field and length", () => {
    const name = "n".repeat(30);
    const k = cases([ev("open", "c2s"), c2s({ ...presence, user: { account_name: name } }), ok(), ev("close", "c2s")]);
    expect([k.limits!.verdict, k.limits!.reason, k.limits!.args]).toEqual(["fail", "limit_name", { field: "user.account_name", length: "30", count: "1" }]);
    const long = cases([ev("open", "c2s"), c2s(presence), ok(), c2s({ action: "msg", time: T, to: "#all", from: "ann", message: "x".repeat(501) }), ok(), ev("close", "c2s")]);
    expect([long.limits!.reason, long.limits!.args.length]).toEqual(["limit_message", "501"]);
  });

  it("warns of bytes beyond ASCII under the default encoding, not under utf-8", () => {
    const raw = (s: string) => ev("data", "c2s", s);
    const k = cases([ev("open", "c2s"), raw(`{"action": "presence", "time": ${T}, "user": {"account_name": "Пётр"}}`), ok(), ev("close", "c2s")]);
    expect([k.encoding!.verdict, k.encoding!.reason, k.encoding!.args.bytes]).toEqual(["warn", "non_ascii", "8"]);
    const utf = cases([ev("open", "c2s"), raw(`{"action": "presence", "time": ${T}, "encoding": "utf-8", "user": {"account_name": "Пётр"}}`), ok(), ev("close", "c2s")]);
    expect(utf.encoding!.verdict).toBe("pass");
  });

  it("names an unknown action, and a later lesson's alias as such; a msg without to", () => {
    const k = cases([ev("open", "c2s"), c2s(presence), ok(), c2s({ action: "shout", time: T }), ok(), ev("close", "c2s")]);
    expect([k.actions!.verdict, k.actions!.reason, k.actions!.args.action]).toEqual(["warn", "unknown_action", "shout"]);
    const alias = cases([ev("open", "c2s"), c2s(presence), ok(), c2s({ action: "message", time: T, sender: "ann", destination: "#all", mess_text: "hi" }), ok(), ev("close", "c2s")]);
    expect([alias.actions!.reason, alias.actions!.args.standard, alias.msg!.verdict]).toEqual(["alias", "msg", "pass"]);
    const noTo = cases([ev("open", "c2s"), c2s(presence), ok(), c2s({ action: "msg", time: T, from: "ann", message: "hi" }), ok(), ev("close", "c2s")]);
    expect([noTo.msg!.verdict, noTo.msg!.reason, noTo.msg!.args.missing]).toEqual(["fail", "msg_shape", "to"]);
    expect(JSON.parse(text(noTo.msg!.bytes))).toMatchObject({ from: "ann", message: "hi" });
  });

  it("fails bytes that are not JSON, and takes authenticate as the first message", () => {
    const k = cases([ev("open", "c2s"), c2s({ action: "authenticate", time: T, user: { account_name: "ann", password: "pw" } }), ok(), ev("data", "c2s", '{"action": "msg", "time": }'), ev("close", "c2s")]);
    expect([k.first!.verdict, k.first!.args.action]).toEqual(["pass", "authenticate"]);
    expect([k.json!.verdict, k.json!.reason]).toEqual(["fail", "bad_json"]);
    expect(text(k.json!.bytes)).toBe('{"action": "msg", "time": }');
  });

  it("a close that reset the connection left a reply unread; a connection still open at the end; quit then more", () => {
    const reset = cases([ev("open", "c2s"), c2s(presence), ok(), ev("close", "c2s", "", "ECONNRESET")]);
    expect([reset.waits!.verdict, reset.waits!.reason]).toEqual(["fail", "reset"]);
    const open = cases([ev("open", "c2s"), c2s(presence), ok()]);
    expect([open.quit!.verdict, open.quit!.reason]).toEqual(["warn", "still_open"]);
    const more = cases([ev("open", "c2s"), c2s(presence), ok(), c2s({ action: "quit" }), c2s({ action: "presence", time: T }), ok(), ev("close", "c2s")]);
    expect([more.quit!.verdict, more.quit!.reason]).toEqual(["warn", "quit_not_last"]);
    // A message sent before the reply to the one before it came (no reply event between them).
    const early = cases([ev("open", "c2s"), c2s(presence), c2s({ action: "join", time: T, room: "#a" }), ok(), ok(), ev("close", "c2s")]);
    expect([early.waits!.verdict, early.waits!.reason]).toEqual(["fail", "sent_before_reply"]);
    expect(early.waits!.seq).toBeGreaterThan(0);
  });

  it("a connection that sent nothing", () => {
    const k = scoreConnection(info, [ev("open", "c2s"), ev("close", "c2s")]);
    expect(k.objects).toBe(0);
    expect(k.cases.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ["connected", "pass", "ok"],
      ["first", "fail", "nothing_sent"],
    ]);
  });
});
