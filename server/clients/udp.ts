// The lab's own UDP client, opened for a browser session (issue 10 §4): a connected datagram socket to one of
// the lab's UDP services (its address, the serving interface's broadcast address, or the multicast group with
// TTL 1), never an arbitrary host. It opens the flow on the bus itself, owned by the session, so the server's
// tap records its datagrams on the same conversation. Each Send part is one datagram. What only this side
// sees is recorded here: a datagram the session's impairment dropped (LOST), no answer within the seed's 5 s
// (TIMEOUT), and an ICMP port unreachable, which a connected UDP socket reports as ECONNREFUSED (ERROR).

import dgram from "node:dgram";
import type { Bus } from "../capture/bus";
import { translateSocketError } from "../capture/errors";
import { normalizeIp, type ConversationInfo } from "../capture/events";
import { MAX_COPY_MARKS, udpFlowsOf, type UdpFlow } from "../capture/udp-tap";
import type { ServiceTarget } from "./tcp";
import { ConnectFailed } from "./tcp";
import type { SessionImpairment } from "./udp-impairment";

/** A UDP service a session's client may reach. */
export interface UdpServiceTarget extends ServiceTarget {
  readonly transport: "udp";
  /** Where the datagrams go (the server, a broadcast address, the group). */
  readonly destination: string;
  readonly destinationKind: "unicast" | "broadcast" | "broadcast-loopback" | "multicast";
  /** IP TTL set on the socket (multicast); 0: the system's default. */
  readonly ttl: number;
  /** The interface (by address) multicast leaves by; undefined: the system's choice. */
  readonly multicastInterface?: string;
  /** The server answers; a datagram without an answer within the timeout is a TIMEOUT event. */
  readonly answers: boolean;
}

/** As translateSocketError, in UDP's words where TCP's would be wrong (no SYN, no RST). */
export function translateUdpError(err: unknown): { code: string; message: string } {
  const translated = translateSocketError(err);
  if (translated.code === "ECONNREFUSED") {
    return {
      code: "ECONNREFUSED",
      message: "Nothing listens on that UDP port: its system answered a datagram with ICMP port unreachable, which a connected UDP socket reports as ECONNREFUSED.",
    };
  }
  return translated;
}

/** The seed's client: self.timeout = 5 (seconds), settimeout() before recvfrom(). */
export const UDP_RECEIVE_TIMEOUT_MS = 5_000;

export interface LabUdpClient {
  readonly conversation: ConversationInfo;
  /** Each part is one datagram, in order. Returns the bytes handed over (lost ones included). */
  send(parts: readonly Uint8Array[]): number;
  close(): void;
  readonly closed: boolean;
}

export interface UdpClientOptions {
  /** The session's impairment as it is when each datagram leaves (SetImpairment may change it). */
  readonly impairment: () => SessionImpairment | undefined;
  readonly receiveTimeoutMs?: number;
}

/** Opens a connected UDP socket to `target` for `sessionId`. Rejects with ConnectFailed when it cannot. */
export async function openUdpClient(bus: Bus, target: UdpServiceTarget, sessionId: string, options: UdpClientOptions): Promise<LabUdpClient> {
  const family = target.destination.includes(":") ? "udp6" : "udp4";
  const socket = dgram.createSocket({ type: family });
  const timeoutMs = options.receiveTimeoutMs ?? UDP_RECEIVE_TIMEOUT_MS;
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      // A multicast sender binds the interface's address so its datagrams leave by it (and come from it).
      const local = target.destinationKind === "multicast" ? target.multicastInterface : undefined;
      socket.bind({ port: 0, address: local }, () => {
        if (target.destinationKind === "broadcast" || target.destinationKind === "broadcast-loopback") socket.setBroadcast(true);
        if (target.ttl > 0) {
          if (target.destinationKind === "multicast") socket.setMulticastTTL(target.ttl);
          else socket.setTTL(target.ttl);
        }
        if (target.destinationKind === "multicast" && target.multicastInterface) socket.setMulticastInterface(target.multicastInterface);
        socket.connect(target.port, target.destination, () => {
          socket.off("error", reject);
          resolve();
        });
      });
    });
  } catch (err) {
    socket.close();
    throw new ConnectFailed(translateSocketError(err));
  }

  const local = socket.address();
  const client = { ip: normalizeIp(local.address), port: local.port };
  const flows = udpFlowsOf(bus);
  const tap = bus.open({
    service: target.service,
    transport: "udp",
    protocol: target.protocol,
    client,
    server: { ip: target.destination, port: target.port },
    owner: sessionId,
  });
  const flow: UdpFlow = flows.add(client, target.port, tap);
  flow.held = true;
  // The lab server's answers to this client meet the session's impairment too (never anyone else's).
  flow.answer = (bytes, send, lost) => {
    const impairment = options.impairment();
    if (!impairment || impairment.off) {
      send(bytes, false);
      return;
    }
    impairment.pass("s2c", bytes, { send, lost });
  };

  let closed = false;
  /** One deadline per datagram sent to a server that answers; an answer settles the oldest (the seed reads one datagram per send). */
  const waiting: NodeJS.Timeout[] = [];

  socket.on("message", () => {
    const oldest = waiting.shift();
    if (oldest) clearTimeout(oldest);
  });
  socket.on("error", (err) => {
    if (closed) return;
    const { code, message } = translateUdpError(err);
    tap.error(code, message);
  });

  function expectAnswer() {
    if (!target.answers) return;
    const timer = setTimeout(() => {
      const at = waiting.indexOf(timer);
      if (at >= 0) waiting.splice(at, 1);
      if (!closed) tap.record("timeout", "s2c", new Uint8Array(0), "ETIMEDOUT", `No answer within ${timeoutMs / 1000} s.`);
    }, timeoutMs);
    timer.unref();
    waiting.push(timer);
  }

  const sink = {
    send(bytes: Uint8Array, copy: boolean): boolean {
      if (closed) return false;
      flows.touch(flow);
      // The server's tap records the datagram when it arrives and marks the copy from this queue.
      if (flow.c2sCopies.length >= MAX_COPY_MARKS) flow.c2sCopies.length = 0;
      flow.c2sCopies.push(copy);
      socket.send(bytes, (err) => {
        if (err && !closed) {
          const { code, message } = translateUdpError(err);
          tap.error(code, message);
        }
      });
      return true;
    },
    lost(bytes: Uint8Array, code: string, message: string) {
      if (!closed) tap.record("lost", "c2s", bytes, code, message);
    },
  };

  return {
    conversation: tap.info,
    send(parts) {
      let handed = 0;
      for (const part of parts) {
        handed += part.byteLength;
        expectAnswer();
        const impairment = options.impairment();
        if (!impairment || impairment.off) {
          if (!closed) socket.send(part);
        } else {
          impairment.pass("c2s", part, sink);
        }
      }
      return handed;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const timer of waiting) clearTimeout(timer);
      waiting.length = 0;
      socket.close();
      flows.close(flow);
    },
    get closed() {
      return closed;
    },
  };
}
