// The web port's Host check and security headers, as functions (the attacks are in *.it.test.ts).

import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import { createHostCheck, hostName, securityHeaders } from "./web-guard";

describe("hostName", () => {
  it("takes the name out of a Host header: no port, no brackets, lower case", () => {
    expect(hostName("127.0.0.1:3000")).toBe("127.0.0.1");
    expect(hostName("LocalHost")).toBe("localhost");
    expect(hostName("[::1]:3000")).toBe("::1");
    expect(hostName("[::1]")).toBe("::1");
    expect(hostName("lab.school.example:80")).toBe("lab.school.example");
  });

  it("gives nothing for a missing or malformed header", () => {
    for (const bad of [undefined, "", "::1", "a b", "evil.example:3000:1", "[::1]x", "host/path", "user@host"]) {
      expect(hostName(bad), String(bad)).toBeUndefined();
    }
  });
});

describe("createHostCheck", () => {
  it("answers to localhost, the loopback addresses and the bound address, whatever the port", () => {
    const allowed = createHostCheck({ host: "192.0.2.7", allowedHosts: [] });
    for (const ok of ["localhost:3000", "127.0.0.1:3000", "[::1]:3000", "192.0.2.7:3000", "192.0.2.7"]) expect(allowed(ok), ok).toBe(true);
    for (const no of ["evil.example", "evil.example:3000", "localhost.evil.example", "127.0.0.1.nip.io", "192.0.2.8", undefined]) {
      expect(allowed(no), String(no)).toBe(false);
    }
  });

  it("adds the names given with --allowed-host", () => {
    const allowed = createHostCheck({ host: "127.0.0.1", allowedHosts: ["lab.school.example", "fd00::5"] });
    expect(allowed("lab.school.example:3000")).toBe(true);
    expect(allowed("LAB.school.example")).toBe(true);
    expect(allowed("[fd00::5]:3000")).toBe(true);
    expect(allowed("other.school.example")).toBe(false);
  });

  it("bound to every interface, answers to each of the machine's addresses", () => {
    const allowed = createHostCheck({ host: "0.0.0.0", allowedHosts: [] });
    const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) {
      const bare = address.split("%")[0]!;
      expect(allowed(bare.includes(":") ? `[${bare}]:3000` : `${bare}:3000`), address).toBe(true);
    }
    expect(allowed("0.0.0.0")).toBe(false);
    expect(allowed("evil.example")).toBe(false);
  });
});

describe("securityHeaders", () => {
  it("forbids framing, sniffing, referrers and other origins; allows eval only in development", () => {
    const prod = securityHeaders(false);
    expect(prod["x-content-type-options"]).toBe("nosniff");
    expect(prod["referrer-policy"]).toBe("no-referrer");
    expect(prod["x-frame-options"]).toBe("DENY");
    const csp = prod["content-security-policy"]!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(securityHeaders(true)["content-security-policy"]).toContain("'unsafe-eval'");
    expect(csp).toContain("connect-src 'self';");
  });

  it("lets the page's own scripts reach the lab's gRPC port and no other", () => {
    expect(securityHeaders(false, 50051)["content-security-policy"]).toContain("connect-src 'self' http://*:50051;");
  });
});
