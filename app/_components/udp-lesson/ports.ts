// The lesson's UDP services and their ports as the lab host reports them (Status), with the seeds' defaults
// while it has not answered: udp-echo 8889 (seed 000), the broadcast receiver 8888 (seed 002), the group's 9999
// (seed 000). They move with --port-offset and the port flags, so nothing else in the lesson names a port.

import type { LabStatusResult } from "../lab-status";

export type UdpService = "udp-echo" | "udp-broadcast" | "udp-multicast";

export const UDP_DEFAULT_PORTS: Readonly<Record<UdpService, number>> = { "udp-echo": 8889, "udp-broadcast": 8888, "udp-multicast": 9999 };
/** Seed 000's group, joined by the lab's multicast receiver. */
export const MULTICAST_GROUP = "224.0.0.100";

export function portOf(result: LabStatusResult, service: UdpService): number {
  if (result.kind !== "ok") return UDP_DEFAULT_PORTS[service];
  return result.status.services.find((s) => s.name === service && s.transport === "udp")?.port ?? UDP_DEFAULT_PORTS[service];
}
