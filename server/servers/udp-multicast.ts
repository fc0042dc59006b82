// The multicast receiver of seed 000: group 224.0.0.100, port 9999, senders use TTL 1. The lab joins the group
// on the interface it serves and records what arrives; it answers nothing. It binds the group address
// itself (the seed binds every address, which a lab bound to 127.0.0.1 must not do): the socket then
// receives the group's datagrams only. Where the join fails (no multicast on the interface), the service
// says so at start-up and in Status, and keeps its socket: whatever reaches it is still recorded.

import type dgram from "node:dgram";
import { defineUdpService, type MulticastState } from "./service";

export const MULTICAST_GROUP = "224.0.0.100";
/** The seed's UDPMulticastSender ttl=1: the datagrams never leave the local network. */
export const MULTICAST_TTL = 1;

/** The interface (by its address) a lab bound to `host` joins and sends on; undefined: the system's choice. */
export function multicastInterface(host: string): string | undefined {
  return host === "0.0.0.0" || host === "" ? undefined : host;
}

function join(sockets: readonly dgram.Socket[], host: string): MulticastState {
  const socket = sockets[0];
  try {
    socket?.addMembership(MULTICAST_GROUP, multicastInterface(host));
    return { group: MULTICAST_GROUP, joined: true, problem: "" };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { group: MULTICAST_GROUP, joined: false, problem: `${e.code ?? "error"}: ${e.message}` };
  }
}

export const udpMulticastService = defineUdpService({
  name: "udp-multicast",
  defaultPort: 9999,
  flag: "multicast-port",
  env: "LAB_MULTICAST_PORT",
  protocol: "text",
  seeds: ["000"],
  binds: () => [{ address: MULTICAST_GROUP, type: "udp4" }],
  shownAddress: MULTICAST_GROUP,
  reuseAddr: true,
  onBound: join,
  handle() {
    // The seed's receiver prints what it gets and never answers.
  },
  idleTimeoutMs: 60_000,
  udpClient: { destination: () => ({ address: MULTICAST_GROUP, kind: "multicast" }), ttl: MULTICAST_TTL, answers: false },
});
