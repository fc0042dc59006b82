// The UDP echo server of seed 000 (udp 8889), datagram for datagram:
//   each datagram        "UDP-ECHO: <message>" to its sender (message = the datagram decoded as UTF-8, unstripped)
//   message "BINARY..."  also struct.pack('If', 42, 3.14): 8 bytes, little-endian u32 42 and f32 3.14
// As the seed's server: it reads each datagram with recvfrom(1024), so only a datagram's first 1,024 bytes
// are its message (the kernel discards the rest); bytes that are not strict UTF-8 make decode() raise and
// the seed logs and answers nothing, as this server does (the timeline's dissector says why there was no
// answer). Python's UTF-8 codec keeps a leading BOM as U+FEFF, so the decoder here keeps it too.

import { defineUdpService, otherFamily } from "./service";

/** The seed's server_socket.recvfrom(1024). */
export const UDP_RECV_SIZE = 1024;

/** struct.pack('If', 42, 3.14) on a little-endian machine: native '@' order and alignment, no padding. */
export function binaryAnswer(): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 42, true);
  view.setFloat32(4, 3.14, true);
  return bytes;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The seed's handle_client: the answers to one datagram (none when it is not UTF-8). */
export function udpEchoAnswers(datagram: Uint8Array): (string | Uint8Array)[] {
  let message: string;
  try {
    message = strictUtf8.decode(datagram.subarray(0, UDP_RECV_SIZE));
  } catch {
    return [];
  }
  const answers: (string | Uint8Array)[] = [`UDP-ECHO: ${message}`];
  if (message.startsWith("BINARY")) answers.push(binaryAnswer());
  return answers;
}

export const udpEchoService = defineUdpService({
  name: "udp-echo",
  defaultPort: 8889,
  flag: "udp-echo-port",
  env: "LAB_UDP_ECHO_PORT",
  protocol: "udpecho",
  seeds: ["000"],
  binds: (host) => [{ address: host, type: host.includes(":") ? "udp6" : "udp4" }, ...[otherFamily(host) ?? []].flat()],
  handle(datagram, reply) {
    for (const answer of udpEchoAnswers(datagram)) reply(answer);
  },
  idleTimeoutMs: 60_000,
  udpClient: { destination: (_host, serverHost) => ({ address: serverHost, kind: "unicast" }), ttl: 0, answers: true },
});
