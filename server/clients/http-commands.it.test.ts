// The HTTP composer's curl command and Python code (app/_components/http-composer/model.ts), run for real against a lab host, answer what the composer's own
// request (LabService.SendHttp) got: the same final status and the same body, with quotes, newlines and non-ASCII
// text in the body.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curlCommand, EMPTY_REQUEST, findPreset, PRESET_GROUPS, pythonRequests, sendHttpRequest, type ComposerRequest } from "@/app/_components/http-composer/model";
import type { LabHost } from "../lab/host";
import { labServiceFor, startTestHost, visitForSession } from "../testing/host";

const run = promisify(execFile);

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

async function composerAnswer(req: ComposerRequest): Promise<{ status: number; body: string }> {
  const lab = labServiceFor(host, await visitForSession(host, "/tools/http"));
  const answer = await lab.sendHttp(sendHttpRequest(req, "----LabFormBoundaryTest"));
  const last = answer.exchanges.at(-1)!;
  return { status: last.status, body: new TextDecoder().decode(last.body) };
}

/** curl -i's output: the last response's status (after any redirects' heads) and its body. */
function readCurl(output: Buffer): { status: number; body: string } {
  let rest = output.toString("latin1");
  let status = 0;
  while (rest.startsWith("HTTP/")) {
    const end = rest.indexOf("\r\n\r\n");
    status = Number(rest.slice(0, end).split(" ")[1]);
    rest = rest.slice(end + 4);
  }
  return { status, body: Buffer.from(rest, "latin1").toString("utf8") };
}

/** The echo's JSON holds the body as a JSON string. */
const ECHOED = JSON.stringify("line 1\nline 'two'");

const endpoint = () => ({ host: "127.0.0.1", port: host.port("http") });

const cases: [string, ComposerRequest][] = [
  [
    "JSON-RPC upper with quotes, a newline and Cyrillic",
    { ...EMPTY_REQUEST, method: "POST", path: "/api/rpc/json", bodyMode: "json", text: `{"jsonrpc": "2.0", "method": "upper", "params": ["it's \\"q\\"\\nМосква 🙂"], "id": 7}` },
  ],
  ["seed 003's redirect, followed", findPreset(PRESET_GROUPS, "redirect-follow")!.request],
  ["seed 003's redirect, not followed", findPreset(PRESET_GROUPS, "redirect-no-follow")!.request],
  ["XML-RPC add", findPreset(PRESET_GROUPS, "rpc-xml-add")!.request],
  ["the workshop's filter by repeated id", findPreset(PRESET_GROUPS, "workshop-filter")!.request],
  ["a PUT with a header holding a quote", { ...EMPTY_REQUEST, method: "PUT", path: "/http/echo", headers: [{ name: "X-Note", value: "it's" }], bodyMode: "raw", text: "line 1\nline 'two'" }],
];

describe("the composer's commands, run", () => {
  it.each(cases)("curl: %s", async (_, req) => {
    const mine = await composerAnswer(req);
    const { stdout } = await run("sh", ["-c", `${curlCommand(req, endpoint())} -s`], { encoding: "buffer" });
    const curl = readCurl(stdout);
    expect(curl.status).toBe(mine.status);
    // The echo endpoint repeats the request's head, which curl and the lab's client write differently.
    if (req.path === "/http/echo") expect([curl.body, mine.body].every((b) => b.includes(ECHOED))).toBe(true);
    else expect(curl.body).toBe(mine.body);
  });

  it.each(cases)("Python requests: %s", async (_, req) => {
    const mine = await composerAnswer(req);
    const code = pythonRequests(req, endpoint());
    const { stdout } = await run("/usr/bin/python3", ["-c", code], { encoding: "buffer" });
    const lines = stdout.toString("utf8").split("\n");
    expect(Number(lines[0]!.split(" ")[0])).toBe(mine.status);
    const body = lines.slice(lines.indexOf("") + 1).join("\n").replace(/\n$/, "");
    if (req.path === "/http/echo") expect([body, mine.body].every((b) => b.includes(ECHOED))).toBe(true);
    else expect(body).toBe(mine.body);
  });
});
