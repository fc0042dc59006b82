// The greeting server of seed 002 (port 8007): reads one message (one recv), answers
// "Привет, клиент" in UTF-8 (14 characters, 26 bytes) and closes. A client that half-closes without
// sending gets the answer too, as the seed's recv() would return b"" and carry on.

import type net from "node:net";
import { sendAndClose } from "./python-repr";
import { defineTcpService } from "./service";

export const GREETING = "Привет, клиент";

export function handleGreeting(socket: net.Socket): void {
  let answered = false;
  const reply = () => {
    if (answered) return;
    answered = true;
    sendAndClose(socket, Buffer.from(GREETING, "utf-8"));
  };
  socket.once("data", reply);
  socket.once("end", reply);
  socket.on("error", () => socket.destroy());
}

export const greetingService = defineTcpService({
  name: "greeting",
  defaultPort: 8007,
  flag: "greeting-port",
  env: "LAB_GREETING_PORT",
  protocol: "text",
  seeds: ["002"],
  handle: handleGreeting,
  idleTimeoutMs: 60_000,
});
