import { describe, expect, it } from "vitest";
import { endpointOf, ncCommand, ncGreetingCommand, ncListenCommand, pythonEcho } from "./commands";
import type { LabStatusResult } from "../lab-status";

function ok(host: string, port = 8888): LabStatusResult {
  return {
    kind: "ok",
    checkedAt: 0,
    status: {
      host,
      clientAddress: "127.0.0.1",
      services: [{ name: "tcp-echo", transport: "tcp", host, port, state: "listening", protocol: "text" }],
      capture: undefined,
      closedPort: undefined,
      runId: "run",
    },
  };
}

describe("endpointOf", () => {
  it("uses the host and port the lab reports", () => {
    expect(endpointOf(ok("192.168.1.20", 18888), "localhost", "tcp-echo")).toEqual({ host: "192.168.1.20", port: 18888 });
  });

  it("replaces a wildcard address with the page's host name", () => {
    expect(endpointOf(ok("0.0.0.0"), "lab.local", "tcp-echo").host).toBe("lab.local");
    expect(endpointOf(ok("::"), "[fe80::1]", "tcp-echo").host).toBe("fe80::1");
  });

  it("falls back to the default port while the host does not answer", () => {
    expect(endpointOf({ kind: "unreachable", checkedAt: 0 }, "", "time")).toEqual({ host: "127.0.0.1", port: 8000 });
  });

  it("never puts shell syntax into a command", () => {
    expect(endpointOf(ok("$(rm -rf ~)"), "x", "tcp-echo").host).toBe("127.0.0.1");
  });
});

describe("commands", () => {
  it("builds nc and Python for the endpoint", () => {
    expect(ncCommand({ host: "127.0.0.1", port: 8888 })).toBe("nc 127.0.0.1 8888");
    expect(ncListenCommand({ host: "127.0.0.1", port: 8000 })).toBe("nc -d 127.0.0.1 8000");
    expect(ncGreetingCommand({ host: "127.0.0.1", port: 8007 }, "it's")).toBe(`printf '%s' 'it'\\''s' | nc 127.0.0.1 8007`);
    expect(pythonEcho({ host: "::1", port: 8888 })).toContain("socket.AF_INET6");
    expect(pythonEcho({ host: "127.0.0.1", port: 8888 })).toContain('sock.connect(("127.0.0.1", 8888))');
  });
});
