// The WebSocket lesson's terminal commands (app/_components/websocket-lesson/commands.ts) run as a student runs them:
// the Python echo client through Debian's python3 with its websockets package, against a lab host's real endpoint.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pythonEcho, websocatChat, websocatEcho, wsUrl } from "@/app/_components/websocket-lesson/commands";
import type { LabHost } from "../lab/host";
import { startTestHost } from "../testing/host";

const run = promisify(execFile);

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

describe("the WebSocket lesson's commands", () => {
  it("the Python echo client gets its message back and a pong", async () => {
    const code = pythonEcho({ host: "127.0.0.1", port: host.port("http") });
    const { stdout } = await run("/usr/bin/python3", ["-c", code], { timeout: 20_000 });
    expect(stdout).toBe('{"message":"hello"}\npong received\n');
  });

  it("names the endpoints with the lab's host and port, IPv6 in brackets", () => {
    expect(websocatEcho({ host: "127.0.0.1", port: 28080 })).toBe("websocat ws://127.0.0.1:28080/api/ws/echo/");
    expect(websocatChat({ host: "10.0.0.5", port: 8080 })).toBe("websocat ws://10.0.0.5:8080/api/ws/chat/lobby/");
    expect(wsUrl({ host: "::1", port: 8080 }, "/api/ws/echo/")).toBe("ws://[::1]:8080/api/ws/echo/");
  });
});
