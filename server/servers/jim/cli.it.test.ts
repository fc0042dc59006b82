// The homework's two commands (issue 13 §3): `npm run jim:server -- -p <port> -a <addr>` and
// `npm run jim:client -- <addr> [<port>]`, as real processes: the CLI server on a port the system picks,
// seed 002's Python client and two CLI clients chatting in a room and directly, quit, and accounts mode.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { homeworkClient } from "./testing";

const SERVER = fileURLToPath(new URL("./cli-server.ts", import.meta.url));
const CLIENT = fileURLToPath(new URL("./cli-client.ts", import.meta.url));

interface Proc {
  readonly proc: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves with the output once it matches. */
  until(pattern: RegExp): Promise<string>;
  readonly exited: Promise<number | null>;
  type(line: string): void;
}

const started: Proc[] = [];
afterEach(() => {
  for (const p of started.splice(0)) if (p.proc.exitCode === null) p.proc.kill("SIGTERM");
});

function run(script: string, args: string[]): Proc {
  // Node itself with tsx's loader, as `npm run jim:server` runs the script but without the tsx CLI between: that
  // wrapper relays a signal to its child only if the child acknowledges it within 30 ms, and under a loaded CI
  // it gave up and exited 143 although the server's own SIGTERM handler would have exited 0.
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args]);
  let out = "";
  let waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    const w = waiters;
    waiters = [];
    for (const fn of w) fn();
  };
  proc.stdout.on("data", onData);
  proc.stderr.on("data", onData);
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const p: Proc = {
    proc,
    output: () => out,
    exited,
    type: (line) => proc.stdin.write(`${line}\n`),
    until(pattern) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${out}`)), 15_000);
        const check = () => {
          if (pattern.test(out)) {
            clearTimeout(timer);
            resolve(out);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
  started.push(p);
  return p;
}

async function startServer(args: string[] = []): Promise<{ server: Proc; port: number }> {
  const server = run(SERVER, ["-p", "0", "-a", "127.0.0.1", ...args]);
  const out = await server.until(/JIM server listening on 127\.0\.0\.1:(\d+)/);
  return { server, port: Number(/listening on 127\.0\.0\.1:(\d+)/.exec(out)![1]) };
}

describe("npm run jim:server and jim:client", () => {
  it("the server answers the homework's Python client; two CLI clients chat in a room and directly; quit ends a client", async () => {
    const { server, port } = await startServer(["--log"]);
    expect(server.output()).toContain("(guest mode)");

    const py = await homeworkClient(port);
    await py.send({ action: "presence", type: "status", user: { account_name: "py-ann", status: "here" } });
    const reply = await py.recv();
    expect(reply.obj).toMatchObject({ response: 200, alert: "welcome, py-ann" });
    await py.close();

    const ann = run(CLIENT, ["127.0.0.1", String(port), "--name", "cli-ann"]);
    const bob = run(CLIENT, ["127.0.0.1", String(port), "--name", "cli-bob"]);
    await ann.until(/200 welcome, cli-ann/);
    await bob.until(/200 welcome, cli-bob/);
    bob.type("/join #cli");
    await bob.until(/200 joined #cli/);
    ann.type("/join #cli");
    await ann.until(/200 joined #cli \(2 online in it\)/);
    ann.type("hello room");
    await ann.until(/200 delivered to 1 in #cli/);
    await bob.until(/\[#cli\] cli-ann: hello room/);
    ann.type("/msg cli-bob just for you");
    await bob.until(/\[cli-bob\] cli-ann: just for you/);
    expect(bob.output()).toMatch(/< \{"action":"msg","time":[0-9.]+,"to":"cli-bob","from":"cli-ann","encoding":"ascii","message":"just for you"\}/);
    ann.type("/msg nobody x");
    await ann.until(/404 no user nobody/);
    ann.type("/quit");
    await ann.until(/connection closed/);
    expect(await ann.exited).toBe(0);
    bob.type("/msg cli-ann are you there");
    await bob.until(/410 cli-ann is offline/);
    // --log shows what the server read and wrote.
    await server.until(/-> \{"action":"msg",.*"message":"hello room"\}/);
    expect(server.output()).toMatch(/<- \{"response":200,"time":[0-9.]+,"alert":"welcome, py-ann"\}/);
    server.proc.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("--accounts checks passwords given with --account", async () => {
    const { server, port } = await startServer(["--accounts", "--account", "ann:secret pass"]);
    expect(server.output()).toContain("(accounts mode)");
    const ann = run(CLIENT, ["127.0.0.1", String(port), "--name", "ann"]);
    await ann.until(/401 authenticate as ann first/);
    ann.type("/auth ann wrong");
    await ann.until(/402 wrong password or no account named ann/);
    ann.type("/auth ann secret pass");
    await ann.until(/200 authenticated as ann/);
    ann.type("/join #acc");
    await ann.until(/200 joined #acc/);
  });

  it("--accounts --data-dir keeps the accounts in the lab's SQLite store between runs", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jim-accounts-"));
    try {
      const first = await startServer(["--accounts", "--data-dir", dir, "--account", "kim:pw1"]);
      first.server.proc.kill("SIGTERM");
      await first.server.exited;
      const { port } = await startServer(["--accounts", "--data-dir", dir]);
      const kim = run(CLIENT, ["127.0.0.1", String(port), "--name", "kim"]);
      kim.type("/auth kim pw1");
      await kim.until(/200 authenticated as kim/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the client says when nothing listens, and the server refuses a bad port", async () => {
    const { server, port } = await startServer();
    server.proc.kill("SIGTERM");
    await server.exited;
    const client = run(CLIENT, ["127.0.0.1", String(port)]);
    await client.until(/nothing listens on 127\.0\.0\.1:\d+ \(is the server running\?\)/);
    const bad = run(SERVER, ["-p", "70000"]);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('-p takes a TCP port (0-65535), got "70000"');
  });
});
