// The JIM conformance check (issue 13 §5) on a real lab host over Connect, against real Python servers on loopback:
// a server that reads with an incremental decoder passes every case; one written as a hurried homework (one recv +
// json.loads, response as a string, quit ignored) fails with the reasons the page words; hosts other than this
// machine's loopback are refused; every case's connection is on the session's timeline, read by the JIM dissector.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JimCheckVerdict } from "@/gen/lab/v1/lab_pb";
import type { LabHost } from "./host";
import { freePort, labServiceFor, startTestHost, visitForSession } from "../testing/host";
import { checkTarget, judgeReply } from "./jim-check";

const PYTHON = "/usr/bin/python3";
let host: LabHost;
const servers: ChildProcess[] = [];

async function startPython(script: string): Promise<number> {
  const port = await freePort();
  const child = spawn(PYTHON, [fileURLToPath(new URL(`./testdata/${script}`, import.meta.url)), "-p", String(port), "-a", "127.0.0.1"], { stdio: ["ignore", "pipe", "inherit"] });
  servers.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return port;
}

beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  for (const child of servers) child.kill();
  await host.stop();
});

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("the JIM conformance check", () => {
  it("passes a server that decodes incrementally, case by case, with the bytes both ways", async () => {
    const port = await startPython("jim-decoder-server.py");
    const cookie = await visitForSession(host);
    const lab = labServiceFor(host, cookie);
    const { cases, runId } = await lab.checkJimServer({ host: "127.0.0.1", port });
    expect(cases.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ["presence", JimCheckVerdict.PASS, "ok"],
      ["presence_split", JimCheckVerdict.PASS, "ok"],
      ["two_in_one", JimCheckVerdict.PASS, "ok"],
      ["bad_json", JimCheckVerdict.PASS, "ok"],
      ["unknown_user", JimCheckVerdict.PASS, "ok"],
      ["quit", JimCheckVerdict.PASS, "ok"],
    ]);
    const split = cases[1]!;
    expect(split.sent).toHaveLength(2);
    expect(JSON.parse(text(Uint8Array.from([...split.sent[0]!, ...split.sent[1]!])))).toMatchObject({ action: "presence" });
    expect(JSON.parse(text(split.received[0]!))).toMatchObject({ response: 200, alert: "OK" });
    expect(JSON.parse(text(cases[4]!.received[1]!))).toMatchObject({ response: 404 });

    // On the timeline: each case's conversation, read by the JIM dissector; the two objects of one write cut apart.
    const session = host.sessions.resolve(cookie, "127.0.0.1").session;
    const two = session.ring.after(0, 1000).filter((e) => e.conversation.id === cases[2]!.conversationId && e.kind === "data" && e.direction === "c2s");
    expect(two[0]!.conversation).toMatchObject({ service: "jim-check", protocol: "jim", origin: "lab-client" });
    const got = await lab.getEvent({ seq: BigInt(two[0]!.seq), runId });
    expect(got.event?.frames.map((f) => f.summary)).toEqual([expect.stringMatching(/^presence check\d+$/), "join #check"]);
  }, 30_000);

  it("fails a hurried homework server, and says why", async () => {
    const port = await startPython("jim-broken-server.py");
    const lab = labServiceFor(host, await visitForSession(host));
    const { cases } = await lab.checkJimServer({ host: "localhost", port });
    expect(cases.map((c) => [c.id, c.verdict, c.reason, c.args])).toEqual([
      ["presence", JimCheckVerdict.FAIL, "not_integer", { got: '"200"' }],
      // Each half is one recv() and one failed json.loads: nothing comes back.
      ["presence_split", JimCheckVerdict.FAIL, "no_reply", {}],
      ["two_in_one", JimCheckVerdict.FAIL, "no_reply", {}],
      ["bad_json", JimCheckVerdict.FAIL, "no_reply", {}],
      ["unknown_user", JimCheckVerdict.FAIL, "not_integer", { got: '"404"' }],
      ["quit", JimCheckVerdict.FAIL, "not_closed", {}],
    ]);
    expect(text(cases[0]!.received[0]!)).toBe('{"response": "200", "alert": "OK"}');
  }, 30_000);

  it("reaches only this machine and the instructor's addresses, and says when nothing listens", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    for (const target of ["8.8.8.8", "example.com", "10.0.0.5", "169.254.169.254"]) {
      const err = await lab.checkJimServer({ host: target, port: 7777 }).catch((e: unknown) => ConnectError.from(e));
      expect((err as ConnectError).code, target).toBe(Code.PermissionDenied);
    }
    expect(checkTarget("10.0.0.5", ["10.0.0.5"])).toBe("10.0.0.5");
    expect(checkTarget("[::1]", [])).toBe("::1");
    const closed = await freePort();
    const { cases } = await lab.checkJimServer({ host: "127.0.0.1", port: closed });
    expect(cases.map((c) => [c.id, c.reason, c.args])).toEqual([["presence", "connect_failed", { code: "ECONNREFUSED" }]]);
  });

  it("judges a reply as seed 002 asks", () => {
    const b = (s: string) => new TextEncoder().encode(s);
    const is200 = (c: number) => c === 200;
    expect(judgeReply(b('{"response": 200, "time": 1.5, "alert": "OK"}'), is200, "200")).toEqual({ verdict: "pass", reason: "ok" });
    expect(judgeReply(b('{"response": 200, "alert": "OK"}'), is200, "200")).toMatchObject({ verdict: "warn", reason: "no_time" });
    expect(judgeReply(b('{"response": 404, "time": 1}'), (c) => c === 404, "404")).toMatchObject({ verdict: "warn", reason: "no_error" });
    expect(judgeReply(b('{"response": 200.5, "time": 1}'), is200, "200")).toMatchObject({ verdict: "fail", reason: "not_integer" });
    expect(judgeReply(b('{"response": 201, "time": 1}'), is200, "200")).toMatchObject({ verdict: "fail", reason: "wrong_code", args: { want: "200", got: "201" } });
    expect(judgeReply(b("[1]"), is200, "200")).toMatchObject({ reason: "not_object" });
    expect(judgeReply(b("{"), is200, "200")).toMatchObject({ reason: "not_json" });
    expect(judgeReply(undefined, is200, "200")).toMatchObject({ reason: "no_reply" });
  });
});
