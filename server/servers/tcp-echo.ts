// The TCP echo server of seed 000 (port 8888), answer for answer:
//   on connect   "Welcome to TCP Server! Your address: ('<ip>', <port>)"
//   each message "ECHO: <message>"      (message = one recv(1024), decoded, stripped)
//   "time"       also "Server time: YYYY-MM-DD HH:MM:SS"
//   "exit"       also "Goodbye!", then the server closes
// The seed's server treats every recv(1024) as one message, with no terminator on its answers;
// so does this one, which is what makes the "stream, not messages" lesson visible.
// Unlike the seed (whose strict decode raises and drops the client), bytes that are not UTF-8 are
// decoded with U+FFFD so the learner sees an answer; the dissector flags the invalid bytes.

import type net from "node:net";
import { normalizeIp } from "../capture/events";
import { pythonAddressRepr, pythonStrftime, pythonStrip, sendAndClose } from "./python-repr";
import { defineTcpService } from "./service";

/** The seed's client_socket.recv(1024). */
export const RECV_SIZE = 1024;

export function handleEcho(socket: net.Socket): void {
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let finished = false;

  socket.write(`Welcome to TCP Server! Your address: ${pythonAddressRepr(normalizeIp(socket.remoteAddress), socket.remotePort ?? 0)}`);

  function answer(piece: Uint8Array): boolean {
    const message = pythonStrip(decoder.decode(piece, { stream: true }));
    let writable = socket.write(`ECHO: ${message}`);
    const command = message.toLowerCase();
    if (command === "time") {
      writable = socket.write(`Server time: ${pythonStrftime(new Date())}`);
    } else if (command === "exit") {
      sendAndClose(socket, "Goodbye!");
      finished = true;
    }
    return writable;
  }

  socket.on("data", (chunk: Buffer) => {
    let writable = true;
    for (let at = 0; at < chunk.length && !finished; at += RECV_SIZE) {
      writable = answer(chunk.subarray(at, at + RECV_SIZE)) && writable;
    }
    // A client that sends but never reads must not make us buffer its answers without bound:
    // stop reading until the kernel has taken what we wrote (TCP flow control does the rest).
    if (!writable && !finished) {
      socket.pause();
      socket.once("drain", () => socket.resume());
    }
  });
  // recv() returned b"": the client finished sending, so the seed's loop ends and closes.
  socket.on("end", () => {
    if (!finished) sendAndClose(socket);
    finished = true;
  });
  socket.on("error", () => socket.destroy());
}

export const tcpEchoService = defineTcpService({
  name: "tcp-echo",
  defaultPort: 8888,
  flag: "echo-port",
  env: "LAB_ECHO_PORT",
  protocol: "text",
  seeds: ["000"],
  handle: handleEcho,
  // The seed's client stays connected between messages typed by hand.
  idleTimeoutMs: 10 * 60_000,
});
