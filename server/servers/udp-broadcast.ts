// The UDP broadcast receiver of seed 002 (udp 8888, SO_REUSEADDR and SO_BROADCAST): it records what arrives
// and answers nothing. A socket bound to one unicast address does not receive broadcasts, so beside the
// lab's own address the receiver also binds the broadcast address of the interface it serves (the seed binds
// every address, which a lab bound to 127.0.0.1 must not do). On a loopback-only lab that address is
// 127.255.255.255, which reaches this machine alone: broadcast has nowhere else to go, and the page says so.

import os from "node:os";
import type { UdpBind } from "../capture/udp-tap";
import { defineUdpService } from "./service";

/** The directed broadcast address of an IPv4 address with its netmask. */
export function broadcastOf(address: string, netmask: string): string {
  const a = address.split(".").map(Number);
  const m = netmask.split(".").map(Number);
  return a.map((octet, i) => (octet | (~(m[i] ?? 0) & 255)) & 255).join(".");
}

/**
 * The broadcast address for a lab bound to `host`: its interface's; for 0.0.0.0 the first outside IPv4
 * interface's, else the loopback's. `loopback` says that only this machine can hear it.
 */
export function broadcastFor(host: string): { address: string; loopback: boolean } {
  if (host.startsWith("127.") || host === "localhost" || host === "::1") return { address: "127.255.255.255", loopback: true };
  const v4 = Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfoIPv4 => i !== undefined && i.family === "IPv4");
  const chosen = host === "0.0.0.0" ? v4.find((i) => !i.internal) : v4.find((i) => i.address === host);
  if (!chosen) return { address: "127.255.255.255", loopback: true };
  return { address: broadcastOf(chosen.address, chosen.netmask), loopback: chosen.internal };
}

function binds(host: string): UdpBind[] {
  if (host === "0.0.0.0") return [{ address: host, type: "udp4" }];
  if (host.includes(":")) return [{ address: host, type: "udp6" }];
  return [
    { address: host, type: "udp4" },
    { address: broadcastFor(host).address, type: "udp4", optional: true },
  ];
}

export const udpBroadcastService = defineUdpService({
  name: "udp-broadcast",
  defaultPort: 8888,
  flag: "broadcast-port",
  env: "LAB_BROADCAST_PORT",
  protocol: "text",
  seeds: ["002"],
  binds,
  reuseAddr: true,
  broadcast: true,
  handle() {
    // The seed's receiver prints what it gets and never answers.
  },
  idleTimeoutMs: 60_000,
  udpClient: {
    destination(host) {
      const { address, loopback } = broadcastFor(host);
      return { address, kind: loopback ? "broadcast-loopback" : "broadcast" };
    },
    ttl: 0,
    answers: false,
  },
});
