// The lesson's UDP services and the group the lab's multicast receiver joins. Their ports are the lab host's
// (service-port.ts): they move with --port-offset and the port flags, so nothing in the lesson names a port.

export type UdpService = "udp-echo" | "udp-broadcast" | "udp-multicast";

/** Seed 000's group, joined by the lab's multicast receiver. */
export const MULTICAST_GROUP = "224.0.0.100";
