"use client";
// The lesson's UDP services as the lab host reports them (the Status RPC, through the page's LabStatusProvider):
// the ports they really listen on (they move with --port-offset and the port flags), the seeds' defaults while
// the host has not answered; the multicast receiver's group and whether it joined; and the endpoints the
// terminal commands use. Nothing here hard-codes a port the host did not say, except as the seeds' defaults.

import { useCallback, useEffect, useState } from "react";
import { labClient } from "../lab-client";
import { useServicePort } from "../lesson-kit/service-port";
import { MULTICAST_GROUP, type UdpService } from "./ports";

/** The port a UDP service listens on, as the host said (or the seed's default until it says). */
export function useUdpPort(service: UdpService): number {
  return useServicePort(service);
}

export interface MulticastState {
  readonly kind: "checking" | "joined" | "not-joined" | "unknown";
  readonly group: string;
  /** The system's words when the join failed. */
  readonly problem: string;
}

/**
 * Whether the multicast receiver joined its group, asked of the host once and again on `recheck()` (the page's
 * shared status leaves the group out, so this asks the Status RPC itself).
 */
export function useMulticastState(): { state: MulticastState; recheck: () => void } {
  const [state, setState] = useState<MulticastState>({ kind: "checking", group: MULTICAST_GROUP, problem: "" });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let stopped = false;
    labClient()
      .status({}, { timeoutMs: 4_000 })
      .then((status) => {
        if (stopped) return;
        const service = status.services.find((s) => s.name === "udp-multicast");
        if (!service) setState({ kind: "unknown", group: MULTICAST_GROUP, problem: "" });
        else
          setState({
            kind: service.multicastJoined ? "joined" : "not-joined",
            group: service.multicastGroup || MULTICAST_GROUP,
            problem: service.multicastProblem,
          });
      })
      .catch(() => {
        if (!stopped) setState({ kind: "unknown", group: MULTICAST_GROUP, problem: "" });
      });
    return () => {
      stopped = true;
    };
  }, [round]);
  const recheck = useCallback(() => setRound((r) => r + 1), []);
  return { state, recheck };
}
