// The messenger's RPCs (issue 13 §5) on a real lab host with its real JIM server, over Connect: OpenJim streams the
// objects the lab's JIM client reads and who is online, SendJim writes what the homework client writes; two sessions
// in one room hear each other through the server; a pair lands in one read, cut into two objects by the dissector; the
// per-session cap is RESOURCE_EXHAUSTED and a closed connection NOT_FOUND, while the host keeps serving.
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JimUpdate } from "@/gen/lab/v1/lab_pb";
import { eventPduFrames } from "../capture/events";
import { dissectorFor } from "../dissect/protocols";
import type { LabHost } from "./host";
import { labServiceFor, startTestHost, visitForSession } from "../testing/host";
import { JIM_CONSOLE_LIMIT } from "./jim-console";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost(["--jim-port=0"]);
});
afterAll(async () => {
  await host.stop();
});

type Lab = ReturnType<typeof labServiceFor>;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function open(lab: Lab) {
  const abort = new AbortController();
  const stream = lab.openJim({}, { signal: abort.signal })[Symbol.asyncIterator]();
  const first = (await stream.next()).value as JimUpdate;
  if (first.update.case !== "opened") throw new Error(`first update was ${first.update.case}`);
  return {
    id: first.update.value.conversationId,
    port: first.update.value.port,
    /** The next object the server sent (who-is-online updates are skipped, and kept). */
    async object(): Promise<Record<string, unknown>> {
      for (;;) {
        const r = await stream.next();
        if (r.done) throw new Error("the stream ended");
        const u = (r.value as JimUpdate).update;
        if (u.case === "online") this.online = u.value.names;
        else if (u.case === "received") return JSON.parse(text(u.value)) as Record<string, unknown>;
        else throw new Error(`got ${u.case}`);
      }
    },
    online: [] as string[],
    abort: () => abort.abort(),
  };
}

describe("OpenJim and SendJim", () => {
  it("logs two sessions in, joins them to a room, and delivers a message from one to the other", async () => {
    const ann = labServiceFor(host, await visitForSession(host));
    const bob = labServiceFor(host, await visitForSession(host));
    const a = await open(ann);
    const b = await open(bob);
    expect(a.port).toBe(host.port("jim"));
    const sent = await ann.sendJim({ conversationId: a.id, what: { case: "presence", value: { accountName: "ann", status: "hi" } } });
    expect(text(sent.sent)).toMatch(/^\{"action": "presence", "time": \d+\.\d+, "type": "status", "user": \{"account_name": "ann", "status": "hi"\}\}$/);
    expect(await a.object()).toMatchObject({ response: 200 });
    await bob.sendJim({ conversationId: b.id, what: { case: "presence", value: { accountName: "bob" } } });
    expect(await b.object()).toMatchObject({ response: 200 });
    for (const [lab, c] of [[ann, a], [bob, b]] as const) {
      await lab.sendJim({ conversationId: c.id, what: { case: "join", value: "#it" } });
      expect(await c.object()).toMatchObject({ response: 200 });
    }
    await ann.sendJim({ conversationId: a.id, what: { case: "msg", value: { to: "#it", from: "ann", message: "Привет" } } });
    expect(await a.object()).toMatchObject({ response: 200 });
    expect(await b.object()).toMatchObject({ action: "msg", to: "#it", from: "ann", message: "Привет" });
    expect(b.online).toEqual(expect.arrayContaining(["ann", "bob"]));
    a.abort();
    b.abort();
  });

  it("writes a pair in one write, which the server reads as one read of two objects", async () => {
    const cookie = await visitForSession(host);
    const lab = labServiceFor(host, cookie);
    const c = await open(lab);
    await lab.sendJim({ conversationId: c.id, what: { case: "presence", value: { accountName: "pairs" } } });
    await c.object();
    const msg = { to: "pairs", from: "pairs", message: "one" };
    const { sent } = await lab.sendJim({ conversationId: c.id, what: { case: "pair", value: { first: msg, second: { ...msg, message: "two" } } } });
    expect(text(sent).match(/"action": "msg"/g)).toHaveLength(2);
    const got = [await c.object(), await c.object(), await c.object(), await c.object()];
    expect(got.filter((o) => o.action === "msg").map((o) => o.message)).toEqual(["one", "two"]);
    const session = host.sessions.resolve(cookie, "127.0.0.1").session;
    const read = session.ring.after(0, 1000).find((e) => e.conversation.id === c.id && e.kind === "data" && e.direction === "c2s" && text(e.data as Uint8Array).includes('"one"'));
    expect(read!.pdus!.flatMap((p) => eventPduFrames(read!, p, dissectorFor).map((f) => [f.summary, f.findings.map((x) => x.code)]))).toEqual([
      ['msg pairs → pairs: "one"', []],
      ['msg pairs → pairs: "two"', ["jim.coalesced"]],
    ]);
    c.abort();
  });

  it(`holds at most ${JIM_CONSOLE_LIMIT} connections a session, and refuses a connection it does not hold`, async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    const held = [];
    for (let i = 0; i < JIM_CONSOLE_LIMIT; i++) held.push(await open(lab));
    const refused = await open(lab).catch((e: unknown) => ConnectError.from(e));
    expect((refused as ConnectError).code).toBe(Code.ResourceExhausted);
    const gone = await lab.sendJim({ conversationId: "nope", what: { case: "quit", value: true } }).catch((e: unknown) => ConnectError.from(e));
    expect((gone as ConnectError).code).toBe(Code.NotFound);
    const empty = await lab.sendJim({ conversationId: held[0]!.id, what: { case: undefined } }).catch((e: unknown) => ConnectError.from(e));
    expect((empty as ConnectError).code).toBe(Code.InvalidArgument);
    for (const c of held) c.abort();
  });
});
