// The host's start-up contract: a port already taken is a one-line error naming the port and the flag.

import dgram from "node:dgram";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config";
import { checkPorts, PortInUseError } from "./host";
import { startTestHost } from "../testing/host";

describe("lab host start-up", () => {
  it("names the taken port and the flag that moves it", async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", () => r()));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const error = await startTestHost([`--greeting-port=${port}`]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(PortInUseError);
      const message = (error as Error).message;
      expect(message).toContain(`Port ${port} (greeting, tcp)`);
      expect(message).toContain("--greeting-port=<port>");
      expect(message).not.toContain("\n");
      // main.ts checks before its slow steps, with the same message.
      const config = parseConfig([`--greeting-port=${port}`, "--web-port=0", "--echo-port=0", "--time-port=0"], {});
      await expect(checkPorts(config)).rejects.toThrow(message);
    } finally {
      squatter.close();
    }
  });

  it("checks each port on its own transport: tcp and udp share numbers, a taken udp port is named with its flag", async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", () => r()));
    const port = (squatter.address() as net.AddressInfo).port;
    const udp = dgram.createSocket("udp4");
    await new Promise<void>((r) => udp.bind(0, "127.0.0.1", () => r()));
    const udpPort = udp.address().port;
    try {
      const config = parseConfig(["--web-port=0", "--echo-port=0", "--time-port=0", "--greeting-port=0"], {});
      // A udp service on the number a tcp socket holds binds fine.
      const sameNumber = { name: "udp-probe", transport: "udp", defaultPort: port, flag: "udp-probe-port", env: "X", start: () => undefined } as const;
      await expect(checkPorts(config, [sameNumber as never])).resolves.toBeUndefined();
      const taken = { ...sameNumber, defaultPort: udpPort };
      const error = await checkPorts(config, [taken as never]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toContain(`Port ${udpPort} (udp-probe, udp)`);
      expect((error as Error).message).toContain("--udp-probe-port=<port>");
    } finally {
      squatter.close();
      udp.close();
    }
  });
});
