// The time server of seeds 002 and 003 (port 8000): on connect it sends the current local time in
// ISO 8601 (datetime.now().isoformat()) and a newline, then closes. No request is read.

import type net from "node:net";
import { wallFromMono } from "../capture/clock";
import { pythonIsoformat, sendAndClose } from "./python-repr";
import { defineTcpService } from "./service";

export function handleTime(socket: net.Socket): void {
  socket.on("error", () => socket.destroy());
  sendAndClose(socket, `${pythonIsoformat(wallFromMono(performance.now()))}\n`);
}

export const timeService = defineTcpService({
  name: "time",
  defaultPort: 8000,
  flag: "time-port",
  env: "LAB_TIME_PORT",
  protocol: "text",
  seeds: ["002", "003"],
  handle: handleTime,
  idleTimeoutMs: 30_000,
});
