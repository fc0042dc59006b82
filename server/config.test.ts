import { describe, expect, it } from "vitest";
import { ConfigError, helpText, parseConfig, SERVICES } from "./config";

const env = {};

describe("config", () => {
  it("has a flag for every service in the list, and lists each in --help", () => {
    const c = parseConfig([], env);
    expect(Object.keys(c.ports).sort()).toEqual(SERVICES.map((s) => s.name).sort());
    for (const s of SERVICES) expect(helpText()).toContain(`--${s.flag} <port>`);
  });

  it("uses the design's default ports on 127.0.0.1", () => {
    const c = parseConfig([], env);
    expect(c.host).toBe("127.0.0.1");
    expect(c.ports).toEqual({
      web: 3000,
      "tcp-echo": 8888,
      time: 8000,
      greeting: 8007,
      "closed-port": 8001,
      "udp-echo": 8889,
      "udp-broadcast": 8888,
      "udp-multicast": 9999,
      jim: 7777,
      http: 8080,
      grpc: 50051,
    });
    expect(c.capture).toBe("auto");
  });

  it("applies the port offset to every port, and flags beat the environment", () => {
    const c = parseConfig(["--port-offset", "100", "--echo-port=9000"], { LAB_PORT_OFFSET: "5", LAB_HOST: "0.0.0.0" });
    expect(c.host).toBe("0.0.0.0");
    // tcp 8888 and udp 8888 are different ports: each moves with the offset on its own transport.
    expect(c.ports).toEqual({
      web: 3100,
      "tcp-echo": 9100,
      time: 8100,
      greeting: 8107,
      "closed-port": 8101,
      "udp-echo": 8989,
      "udp-broadcast": 8988,
      "udp-multicast": 10099,
      jim: 7877,
      http: 8180,
      grpc: 50151,
    });
  });

  it("needs an explicit gRPC port when the offset would push 50051 past 65535 (the e2e labs' 20000)", () => {
    expect(() => parseConfig(["--port-offset=20000"], env)).toThrow(/--grpc-port 50051 with --port-offset 20000 gives port 70051/);
    expect(parseConfig(["--port-offset=20000", "--grpc-port=20051"], env).ports.grpc).toBe(40051);
    expect(parseConfig(["--port-offset=20000"], { LAB_GRPC_PORT: "20051" }).ports.grpc).toBe(40051);
    expect(parseConfig(["--port-offset=20000", "--grpc-port=0"], env).ports.grpc).toBe(0);
  });

  it("keeps the data in memory unless a data folder is named, which is made absolute", () => {
    expect(parseConfig([], env).dataDir).toBeUndefined();
    expect(parseConfig(["--data-dir", "/var/lib/lab"], env).dataDir).toBe("/var/lib/lab");
    expect(parseConfig([], { LAB_DATA_DIR: "rel/data" }).dataDir).toBe(`${process.cwd()}/rel/data`);
    expect(() => parseConfig(["--data-dir", " "], env)).toThrow(ConfigError);
  });

  it("reads every port from its environment variable", () => {
    const c = parseConfig([], { LAB_WEB_PORT: "4000", LAB_TIME_PORT: "0" });
    expect(c.ports.web).toBe(4000);
    expect(c.ports.time).toBe(0);
  });

  it("takes more host names for the web port from --allowed-host (repeated or comma-separated) or LAB_ALLOWED_HOSTS", () => {
    expect(parseConfig([], env).allowedHosts).toEqual([]);
    expect(parseConfig(["--allowed-host=Lab.School.example", "--allowed-host", "a.example,[fd00::5]"], env).allowedHosts).toEqual([
      "lab.school.example",
      "a.example",
      "fd00::5",
    ]);
    expect(parseConfig([], { LAB_ALLOWED_HOSTS: "x.example, 192.0.2.7" }).allowedHosts).toEqual(["x.example", "192.0.2.7"]);
    // The flag beats the environment.
    expect(parseConfig(["--allowed-host=y.example"], { LAB_ALLOWED_HOSTS: "x.example" }).allowedHosts).toEqual(["y.example"]);
    expect(helpText()).toContain("--allowed-host <name>");
    expect(() => parseConfig(["--allowed-host=http://x.example/"], env)).toThrow(ConfigError);
    expect(() => parseConfig(["--allowed-host=x.example:3000"], env)).toThrow(/without scheme or port/);
  });

  it("runs the jim service in guest mode unless --jim-accounts or LAB_JIM_ACCOUNTS asks for accounts mode", () => {
    expect(parseConfig([], env).jimAccounts).toBe(false);
    expect(parseConfig(["--jim-accounts"], env).jimAccounts).toBe(true);
    expect(parseConfig([], { LAB_JIM_ACCOUNTS: "1" }).jimAccounts).toBe(true);
    expect(parseConfig([], { LAB_JIM_ACCOUNTS: "true" }).jimAccounts).toBe(true);
    expect(parseConfig([], { LAB_JIM_ACCOUNTS: "0" }).jimAccounts).toBe(false);
    expect(parseConfig([], { LAB_JIM_ACCOUNTS: "" }).jimAccounts).toBe(false);
    expect(() => parseConfig([], { LAB_JIM_ACCOUNTS: "maybe" })).toThrow(/LAB_JIM_ACCOUNTS must be 1 or 0/);
    expect(() => parseConfig(["--jim-accounts=yes"], env)).toThrow(ConfigError);
    expect(helpText()).toContain("--jim-accounts");
  });

  it("rejects bad values with a one-line ConfigError", () => {
    expect(() => parseConfig(["--echo-port=http"], env)).toThrow(ConfigError);
    expect(() => parseConfig(["--echo-port=70000"], env)).toThrow(/between 0 and 65535/);
    expect(() => parseConfig(["--port-offset=60000"], env)).toThrow(/outside 0-65535/);
    expect(() => parseConfig(["--unknown"], env)).toThrow(ConfigError);
    expect(() => parseConfig(["--capture=sometimes"], env)).toThrow(/auto, pcap or off/);
    // A port the lab keeps closed must be a real port: 0 would ask the system for a free one.
    expect(() => parseConfig(["--closed-port=0"], env)).toThrow(/between 1 and 65535/);
  });
});
