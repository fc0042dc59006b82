// The host's start-up contract: a port already taken is a one-line error naming the port and the flag.

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
      expect(message).toContain(`Port ${port} (greeting)`);
      expect(message).toContain("--greeting-port=<port>");
      expect(message).not.toContain("\n");
      // main.ts checks before its slow steps, with the same message.
      const config = parseConfig([`--greeting-port=${port}`, "--web-port=0", "--echo-port=0", "--time-port=0"], {});
      await expect(checkPorts(config)).rejects.toThrow(message);
    } finally {
      squatter.close();
    }
  });
});
