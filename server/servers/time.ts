// The time server of seeds 002 and 003 (port 8000): on connect it sends the current local time in
// ISO 8601 (datetime.now().isoformat()) and a newline, then closes. No request is read.

import type net from "node:net";
import { pythonIsoformat, sendAndClose } from "./python-repr";

export function handleTime(socket: net.Socket): void {
  socket.on("error", () => socket.destroy());
  sendAndClose(socket, `${pythonIsoformat(performance.timeOrigin + performance.now())}\n`);
}
