// Scoring a student's own JIM client (issue 13 §5) on a real lab host over Connect: the page presses Go
// (CheckJimClient), a real homework-style Python client (Debian's /usr/bin/python3) connects to the lab's jim port
// from this machine (the session's browser address, so its traffic is the session's), and the lab scores what it
// sent: a client as the homework asks passes; a hurried one (no presence, a string time, two objects in one send,
// no quit) fails with those reasons; a window nobody connects in says so; one scoring at a time per page.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JimClientVerdict, type JimClientCase } from "@/gen/lab/v1/jim_client_check_pb";
import type { LabHost } from "./host";
import { labServiceFor, startTestHost, visitForSession } from "../testing/host";

const PYTHON = "/usr/bin/python3";
let host: LabHost;

beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

/** Runs a client script against the lab's jim port; resolves with its output once it exits. */
function runClient(script: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(PYTHON, [fileURLToPath(new URL(`./testdata/${script}`, import.meta.url)), "127.0.0.1", String(host.port("jim")), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, out })));
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const byId = (cases: readonly JimClientCase[]) => Object.fromEntries(cases.map((c) => [c.id, c]));

describe("CheckJimClient", () => {
  it("passes a client written as the homework asks, case by case, with its bytes and events", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    const scoring = lab.checkJimClient({ seconds: 20 });
    // The window opens with the call; the client starts after it (as the student runs it after Go).
    await new Promise((r) => setTimeout(r, 200));
    const run = await runClient("jim-good-client.py");
    expect(run.code).toBe(0);
    const res = await scoring;
    expect(res.ended).toBe("closed");
    expect(res.port).toBe(host.port("jim"));
    expect(res.connections).toHaveLength(1);
    const conn = res.connections[0]!;
    expect(conn.client).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(conn.objects).toBe(4);
    expect(conn.cases.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ["connected", JimClientVerdict.PASS, "ok"],
      ["first", JimClientVerdict.PASS, "ok"],
      ["json", JimClientVerdict.PASS, "ok"],
      ["one_per_send", JimClientVerdict.PASS, "ok"],
      ["time", JimClientVerdict.PASS, "ok"],
      ["limits", JimClientVerdict.PASS, "ok"],
      ["encoding", JimClientVerdict.PASS, "ok"],
      ["msg", JimClientVerdict.PASS, "ok"],
      ["actions", JimClientVerdict.PASS, "ok"],
      ["waits", JimClientVerdict.PASS, "ok"],
      ["answers", JimClientVerdict.PASS, "ok"],
      ["quit", JimClientVerdict.PASS, "ok"],
    ]);
    const cases = byId(conn.cases);
    expect(JSON.parse(text(cases.first!.bytes))).toMatchObject({ action: "presence", user: { account_name: "goodclient" } });
    expect(text(cases.quit!.bytes)).toBe('{"action": "quit"}');
    expect(cases.answers!.args).toEqual({ count: "3" });
    // The event a case links to is the client's, on the session's timeline.
    const events = await lab.getEvent({ seq: cases.first!.seq, runId: res.runId });
    expect(events.event?.frames.map((f) => f.summary)).toEqual(["presence goodclient"]);
  }, 30_000);

  it("fails a hurried client: no presence, a string time, two objects in one send, no quit", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    const scoring = lab.checkJimClient({ seconds: 20 });
    await new Promise((r) => setTimeout(r, 200));
    await runClient("jim-sloppy-client.py");
    const res = await scoring;
    expect(res.connections).toHaveLength(1);
    const conn = res.connections[0]!;
    expect(conn.objects).toBe(2);
    const cases = byId(conn.cases);
    expect([cases.first!.verdict, cases.first!.reason, cases.first!.args]).toEqual([JimClientVerdict.FAIL, "first_not_presence", { got: "msg" }]);
    expect(JSON.parse(text(cases.first!.bytes))).toMatchObject({ action: "msg", from: "sloppy" });
    expect([cases.one_per_send!.verdict, cases.one_per_send!.reason]).toEqual([JimClientVerdict.FAIL, "coalesced"]);
    expect(JSON.parse(text(cases.one_per_send!.bytes))).toMatchObject({ action: "join", room: "#homework" });
    expect([cases.time!.verdict, cases.time!.reason, cases.time!.args.count]).toEqual([JimClientVerdict.FAIL, "string_time", "2"]);
    expect(cases.waits!.verdict).toBe(JimClientVerdict.FAIL);
    expect(["sent_before_reply", "reset"]).toContain(cases.waits!.reason);
    expect([cases.quit!.verdict, cases.quit!.reason]).toEqual([JimClientVerdict.NOTE, "just_closed"]);
    expect([cases.json!.verdict, cases.msg!.verdict, cases.limits!.verdict]).toEqual([JimClientVerdict.PASS, JimClientVerdict.PASS, JimClientVerdict.PASS]);
  }, 30_000);

  it("reports nothing connected when no client came in the window, and runs one scoring at a time per page", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    const scoring = lab.checkJimClient({ seconds: 1 });
    await new Promise((r) => setTimeout(r, 100));
    const second = await lab.checkJimClient({ seconds: 1 }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ConnectError);
    expect((second as ConnectError).code).toBe(Code.ResourceExhausted);
    const res = await scoring;
    expect(res.connections).toEqual([]);
    expect(res.ended).toBe("time");
    const tooLong = await lab.checkJimClient({ seconds: 61 }).catch((e: unknown) => e);
    expect((tooLong as ConnectError).code).toBe(Code.InvalidArgument);
  }, 30_000);

  it("follows at most four connections of one window, and scores each", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    const scoring = lab.checkJimClient({ seconds: 20 });
    await new Promise((r) => setTimeout(r, 200));
    const runs = await Promise.all(Array.from({ length: 6 }, () => runClient("jim-good-client.py")));
    expect(runs.filter((r) => r.code === 0).length).toBeGreaterThanOrEqual(1);
    const res = await scoring;
    expect(res.connections).toHaveLength(4);
    for (const c of res.connections) expect(c.cases[0]!.id).toBe("connected");
  }, 30_000);

  it("reads at most its bound of events of one connection: a client that talks long is scored on its beginning", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    const scoring = lab.checkJimClient({ seconds: 30 });
    await new Promise((r) => setTimeout(r, 200));
    expect((await runClient("jim-chatty-client.py", "1500")).code).toBe(0);
    const res = await scoring;
    expect(res.ended).toBe("closed");
    const conn = res.connections[0]!;
    // 1,502 objects and as many replies are over 3,000 data events, plus open and close: the bound keeps 2,000.
    expect(conn.objects).toBeGreaterThan(900);
    expect(conn.objects).toBeLessThan(1100);
    const cases = byId(conn.cases);
    expect([cases.first!.verdict, cases.waits!.verdict, cases.msg!.verdict]).toEqual([JimClientVerdict.PASS, JimClientVerdict.PASS, JimClientVerdict.PASS]);
    // The quit was past the bound: the case says what was left unread instead of judging it.
    expect([cases.quit!.verdict, cases.quit!.reason, cases.quit!.args]).toEqual([JimClientVerdict.NOTE, "truncated", { events: "2000" }]);
  }, 60_000);
});
