// Commands a student can paste into a terminal to reach the lab's UDP services with their own programs: nc -u and
// short Python programs with the socket module, at the host and ports the lab really uses (the TCP lesson's
// commands do the same for its servers, app/_components/home/commands.ts). Behaviour: seed 000 (the echo on 8889,
// BINARY's second datagram, the group 224.0.0.100:9999 with TTL 1), seed 002 (the broadcast receiver on 8888).

import { endpointOf, family, py, type Endpoint } from "../home/commands";
import type { LabStatusResult } from "../lab-status";
import { MULTICAST_GROUP, type UdpService } from "./ports";

export type UdpEndpoint = Endpoint;

/** Where a UDP service listens: from the host's Status when it answered, else the seed's port at the page's host. */
export function udpEndpointOf(result: LabStatusResult, pageHost: string, service: UdpService): UdpEndpoint {
  return endpointOf(result, pageHost, service);
}

const isLoopback = (host: string) => host.startsWith("127.") || host === "localhost" || host === "::1";

/** Where a broadcast to the lab goes: the loopback's broadcast address for a loopback lab, else everyone on the LAN. */
export function broadcastAddress(host: string): string {
  return isLoopback(host) ? "127.255.255.255" : "<broadcast>";
}



/** nc: one datagram, then wait a second for answers (-w1), as the README shows. */
export function ncUdpEcho({ host, port }: UdpEndpoint): string {
  return `echo -n 'Hello UDP!' | nc -u -w1 ${host} ${port}`;
}

/** An interactive nc: every line typed is one datagram (with its newline). */
export function ncUdpInteractive({ host, port }: UdpEndpoint): string {
  return `nc -u ${host} ${port}`;
}

/** The seed's exchange done right: BINARY_TEST, then two reads, the second unpacked. */
export function pythonUdpEcho({ host, port }: UdpEndpoint): string {
  return [
    "import socket, struct",
    "",
    `with socket.socket(${family(host)}, socket.SOCK_DGRAM) as sock:`,
    "    sock.settimeout(5)",
    `    sock.sendto(b"BINARY_TEST", (${py(host)}, ${port}))`,
    "    text, server = sock.recvfrom(1024)",
    "    print(server, text)",
    "    binary, _ = sock.recvfrom(1024)",
    '    print(struct.unpack("<If", binary))',
  ].join("\n");
}

export function pythonBroadcast({ host, port }: UdpEndpoint): string {
  return [
    "import socket",
    "",
    "with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:",
    "    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)",
    `    sock.sendto("Запрос на соединение!".encode("utf-8"), (${py(broadcastAddress(host))}, ${port}))`,
  ].join("\n");
}

export function pythonMulticast({ host, port }: UdpEndpoint): string {
  const lines = [
    "import socket, struct",
    "",
    "with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:",
    '    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, struct.pack("b", 1))',
  ];
  // Out of the interface the lab listens on (on a loopback lab, the loopback): the group is joined there.
  if (!host.includes(":") && /^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    lines.push(`    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(${py(host)}))`);
  }
  lines.push(`    sock.sendto(b"Multicast message 0", (${py(MULTICAST_GROUP)}, ${port}))`);
  return lines.join("\n");
}
