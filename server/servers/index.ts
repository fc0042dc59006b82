// The lab's services, in the order the start-up listing and the pages show them. Adding a service is one
// file in this folder (see ./service.ts) and one line here.

import type { LabServiceDefinition } from "./service";
import { tcpEchoService } from "./tcp-echo";
import { timeService } from "./time";
import { greetingService } from "./greeting";
import { udpEchoService } from "./udp-echo";
import { udpBroadcastService } from "./udp-broadcast";
import { udpMulticastService } from "./udp-multicast";
import { httpService } from "./http/http-service";
import { grpcService } from "./grpc/grpc-service";
import { jimService } from "./jim/jim-service";

/** The port the lab keeps closed, so a connect is refused with RST (the TCP lesson's reset experiment). */
export const closedPortService: LabServiceDefinition<"closed-port"> = {
  name: "closed-port",
  transport: "tcp",
  defaultPort: 8001,
  flag: "closed-port",
  env: "LAB_CLOSED_PORT",
  protocol: "data",
  seeds: [],
};

export const LAB_SERVICES = [
  tcpEchoService,
  timeService,
  greetingService,
  closedPortService,
  udpEchoService,
  udpBroadcastService,
  udpMulticastService,
  jimService,
  httpService,
  grpcService,
] as const;

export type LabServiceName = (typeof LAB_SERVICES)[number]["name"];
