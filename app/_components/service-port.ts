// Where the lab's services listen, as the pages name them: the port the lab host reports for a service (its
// Status RPC, through the page's LabStatusProvider), or the course's default while the host has not answered.
// The ports move with --port-offset and the port flags, so lesson text, panel titles and terminal commands
// take every port from here and write none themselves (app/lessons/lessons.test.ts checks the lessons).
// Defaults: the echo server 8888 and the UDP echo 8889 (seed 000), the greeting server 8007 and the broadcast
// receiver udp 8888 (seed 002), the time server 8000 (seeds 002, 003), the group's 9999 (seed 000), the HTTP server
// 8080 (seeds 000, 003, 004), the JIM server 7777 (seed 002).

import type { LabStatusResult } from "./lab-status";

export const DEFAULT_PORTS = {
  "tcp-echo": 8888,
  time: 8000,
  greeting: 8007,
  "udp-echo": 8889,
  "udp-broadcast": 8888,
  "udp-multicast": 9999,
  http: 8080,
  jim: 7777,
  grpc: 50051,
} as const;
export type LabServiceName = keyof typeof DEFAULT_PORTS;

/** The port `service` listens on: the host's word when it answered, else the course's default. */
export function servicePort(result: LabStatusResult, service: LabServiceName): number {
  if (result.kind !== "ok") return DEFAULT_PORTS[service];
  return result.status.services.find((s) => s.name === service)?.port ?? DEFAULT_PORTS[service];
}
