// The tap for datagrams (issue 10 §2): a lab UDP server receives through sockets whose every datagram is
// recorded whole (bytes, both addresses, direction, time) before the protocol code sees it, and whose every
// send is recorded as it leaves. UDP has no connections, so a conversation here is a flow: the datagrams
// between one client address and port and one server port. It starts with its first datagram (or when a lab
// client connects its socket: clients/udp.ts opens the flow itself and the server finds it here), and ends
// when nothing passed for the idle timeout (a CLOSE with error code EIDLE: nothing is sent on the wire) or
// when the lab client closes.
//
// A datagram flood must not starve others or the host (issue 10 §6): each source (an address, or a session
// for the lab's own clients) has a token bucket of datagrams and bytes; over it, datagrams are dropped
// unrecorded and the flow gets one ERATELIMIT event per burst. Flows per source, flows in all and the
// sources remembered are bounded too: at a flow bound the flow quiet the longest (of that source, or of all)
// is forgotten early (a CLOSE with EEVICTED), so the server goes on answering everyone and only the lab's
// bookkeeping of old flows gives way.

import dgram from "node:dgram";
import type { Bus, ConversationTap } from "./bus";
import { translateSocketError } from "./errors";
import { normalizeIp, type Endpoint } from "./events";

/** One UDP flow, shared by the lab server's tap and, for a lab client, the client that opened it. */
export interface UdpFlow {
  readonly key: string;
  readonly tap: ConversationTap;
  /** performance.now() of the last datagram either way. */
  lastActive: number;
  /** When the flow table last moved it to its end (the table's order is by this, to within a second). */
  orderedAt: number;
  /** A lab client holds it open: it is not closed for idleness (the client closes it). */
  held: boolean;
  closed: boolean;
  /**
   * The lab server's answers to this flow pass here (the owner session's impairment): `send` sends and
   * records, `lost` records a drop. Absent: answers leave at once.
   */
  /**
   * For a lab client under impairment: one entry per datagram it sent, true for a duplicate's copy, in send
   * order (the loopback keeps it), so the server's tap marks the copy when it arrives. Empty otherwise.
   */
  readonly c2sCopies: boolean[];
  answer: ((bytes: Uint8Array, send: (bytes: Uint8Array, copy: boolean) => boolean, lost: (bytes: Uint8Array, code: string, message: string) => void) => void) | undefined;
}

/** The flows of one bus, by client address and port and server port (the server's address is left out: a
 *  socket bound to every address does not learn which one a datagram was sent to). */
export interface UdpFlows {
  get(client: Endpoint, serverPort: number): UdpFlow | undefined;
  add(client: Endpoint, serverPort: number, tap: ConversationTap): UdpFlow;
  close(flow: UdpFlow, code?: string, message?: string): void;
  readonly size: number;
  /** Open flows from one source key. */
  count(source: string): number;
  /** A datagram passed: the flow is the most recently active (of its source, and of all). */
  touch(flow: UdpFlow): void;
  /** The flow quiet the longest (to within a second) that no lab client holds: of one source key, or of all. */
  oldest(source?: string): UdpFlow | undefined;
  all(): Iterable<UdpFlow>;
}

const registries = new WeakMap<Bus, UdpFlows>();

const flowKey = (client: Endpoint, serverPort: number) => `${client.ip}|${client.port}|${serverPort}`;

/** The flow table of a bus (one per host). */
export function udpFlowsOf(bus: Bus): UdpFlows {
  const known = registries.get(bus);
  if (known) return known;
  // Both in activity order (a Map iterates in insertion order; a touch moves its flow to the end).
  const flows = new Map<string, UdpFlow>();
  const perSource = new Map<string, Map<string, UdpFlow>>();
  const sourceOf = (flow: UdpFlow) => flow.tap.info.owner !== undefined ? `session ${flow.tap.info.owner}` : flow.tap.info.client.ip;
  /** The quietest of the first unheld flows in table order: every flow past them was ordered later. */
  const quietest = (of: Iterable<UdpFlow>) => {
    let best: UdpFlow | undefined;
    let looked = 0;
    for (const flow of of) {
      if (flow.held) continue;
      if (!best || flow.lastActive < best.lastActive) best = flow;
      if (++looked === 64) break;
    }
    return best;
  };
  const registry: UdpFlows = {
    get: (client, serverPort) => flows.get(flowKey(client, serverPort)),
    add(client, serverPort, tap) {
      const key = flowKey(client, serverPort);
      const now = performance.now();
      const flow: UdpFlow = { key, tap, lastActive: now, orderedAt: now, held: false, closed: false, c2sCopies: [], answer: undefined };
      flows.set(key, flow);
      const source = sourceOf(flow);
      let mine = perSource.get(source);
      if (!mine) perSource.set(source, (mine = new Map()));
      mine.set(key, flow);
      return flow;
    },
    close(flow, code, message) {
      if (flow.closed) return;
      flow.closed = true;
      if (flows.get(flow.key) === flow) flows.delete(flow.key);
      const source = sourceOf(flow);
      const mine = perSource.get(source);
      if (mine?.get(flow.key) === flow) mine.delete(flow.key);
      if (mine?.size === 0) perSource.delete(source);
      flow.tap.close(code, message);
    },
    get size() {
      return flows.size;
    },
    count: (source) => perSource.get(source)?.size ?? 0,
    touch(flow) {
      // Moved to the end at most once a second, so a busy flow is not reordered on every datagram: the table
      // is in order of orderedAt, and oldest() looks a little way past the front for the quietest.
      const now = performance.now();
      flow.lastActive = now;
      if (now - flow.orderedAt < 1_000 || flow.closed || flows.get(flow.key) !== flow) return;
      flow.orderedAt = now;
      flows.delete(flow.key);
      flows.set(flow.key, flow);
      const mine = perSource.get(sourceOf(flow));
      if (mine) {
        mine.delete(flow.key);
        mine.set(flow.key, flow);
      }
    },
    oldest: (source) => quietest(source === undefined ? flows.values() : (perSource.get(source)?.values() ?? [])),
    all: () => flows.values(),
  };
  registries.set(bus, registry);
  return registry;
}

export interface UdpLimits {
  /** Datagrams per second one source may send (its bucket refills at this rate)... */
  readonly datagramsPerSecond: number;
  /** ...and how many it may send at once. */
  readonly datagramBurst: number;
  readonly bytesPerSecond: number;
  readonly byteBurst: number;
  /** Open flows one source address (or session) may have with all the lab's UDP servers. */
  readonly flowsPerSource: number;
  /** Open flows in all. */
  readonly maxFlows: number;
  /** Sources whose buckets are remembered; the oldest quiet ones are forgotten first. */
  readonly maxSources: number;
}

export const UDP_LIMITS: UdpLimits = {
  datagramsPerSecond: 500,
  datagramBurst: 1_000,
  bytesPerSecond: 4 * 1024 * 1024,
  byteBurst: 8 * 1024 * 1024,
  flowsPerSource: 256,
  maxFlows: 8_192,
  maxSources: 4_096,
};

/** Counts of what the bounds did, for tests and the attack suite. */
export interface UdpServerCounts {
  received: number;
  rateLimited: number;
  /** Flows forgotten early to make room for a new one (a flow bound reached). */
  evictedFlows: number;
  /** Datagrams served without a flow: a bound reached and every flow there held by a lab client. */
  untrackedDatagrams: number;
}

export interface UdpBind {
  readonly address: string;
  readonly type: "udp4" | "udp6";
  /** A bind that may fail quietly (the other family where the OS lacks it). */
  readonly optional?: boolean;
}

export interface TappedUdpServerOptions {
  readonly bus: Bus;
  readonly service: string;
  readonly protocol: string;
  /** The sockets: the first one's port (0: the system's choice) is the port of the rest. */
  readonly binds: readonly UdpBind[];
  readonly port: number;
  /** The server address the timeline shows (the multicast group); the bound address otherwise. */
  readonly shownAddress?: string;
  /** SO_REUSEADDR (seed 002's broadcast receiver and the multicast receiver set it). */
  readonly reuseAddr?: boolean;
  /** SO_BROADCAST. */
  readonly broadcast?: boolean;
  readonly idleTimeoutMs: number;
  readonly limits?: Partial<UdpLimits>;
  /** After the sockets are bound (the multicast receiver joins its group here). */
  readonly onBound?: (sockets: readonly dgram.Socket[]) => void;
  /** The protocol code for one datagram, after the tap; `reply` sends one datagram back to its sender. */
  readonly handle: (datagram: Buffer, reply: (bytes: Uint8Array | string) => void, flow: UdpFlow) => void;
  /** Always true in the lab; false only to measure what the tap costs. */
  readonly tapped?: boolean;
}

export interface TappedUdpServer {
  readonly port: number;
  readonly sockets: readonly dgram.Socket[];
  readonly counts: UdpServerCounts;
  close(): Promise<void>;
}

interface Bucket {
  datagrams: number;
  bytes: number;
  at: number;
  /** In a burst over the limit: its event was recorded already. */
  limited: boolean;
}

const utf8 = new TextEncoder();

/** The largest UDP payload over IPv4 (65,535 less the IPv4 and UDP headers); IPv6 allows 20 bytes more. */
const MAX_UDP_PAYLOAD = 65_507;

const DUPLICATE_MESSAGE = "A second copy of the datagram before, made by this session's impairment.";
/** Bound of UdpFlow.c2sCopies: datagrams the kernel dropped on the way would otherwise leave entries behind. */
const MAX_COPY_MARKS = 4_096;
export { MAX_COPY_MARKS };

/** The address a bound socket reports, as the timeline shows it ("0.0.0.0" when bound to every address). */
function shownServerIp(socket: dgram.Socket): string {
  return normalizeIp(socket.address().address);
}

const bind = (socket: dgram.Socket, address: string, port: number, exclusive: boolean) =>
  new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind({ address, port, exclusive }, () => {
      socket.off("error", reject);
      resolve();
    });
  });

/** Binds every socket and serves datagrams through the tap. Rejects with the errno error of a failed bind. */
export async function createTappedUdpServer(options: TappedUdpServerOptions): Promise<TappedUdpServer> {
  const { bus } = options;
  const limits: UdpLimits = { ...UDP_LIMITS, ...options.limits };
  const flows = udpFlowsOf(bus);
  const counts: UdpServerCounts = { received: 0, rateLimited: 0, evictedFlows: 0, untrackedDatagrams: 0 };
  const buckets = new Map<string, Bucket>();
  const sockets: dgram.Socket[] = [];
  let port = options.port;
  /** Set once every socket is bound: a bind that fails closes the others before there is one (so not a const below). */
  // eslint-disable-next-line prefer-const
  let sweep: ReturnType<typeof setInterval> | undefined;

  const close = async () => {
    clearInterval(sweep);
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => {
      try {
        s.close(() => resolve());
      } catch {
        resolve();
      }
    })));
  };

  try {
    for (const [i, b] of options.binds.entries()) {
      const socket = dgram.createSocket({ type: b.type, reuseAddr: options.reuseAddr === true, ipv6Only: b.type === "udp6" });
      try {
        await bind(socket, b.address, port, options.reuseAddr !== true);
      } catch (err) {
        socket.close();
        const code = (err as NodeJS.ErrnoException).code;
        if (i > 0 && b.optional && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT" || code === "EINVAL" || code === "EADDRINUSE")) continue;
        throw err;
      }
      if (i === 0) port = socket.address().port;
      if (options.broadcast) socket.setBroadcast(true);
      sockets.push(socket);
    }
    options.onBound?.(sockets);
  } catch (err) {
    await close();
    throw err;
  }

  /** A bucket per source; false when this datagram is over the source's rate. */
  function admit(source: string, size: number): Bucket | false {
    const now = performance.now();
    let bucket = buckets.get(source);
    if (!bucket) {
      if (buckets.size >= limits.maxSources) {
        // Forget the quietest (Map order: oldest first, refreshed on use).
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      bucket = { datagrams: limits.datagramBurst, bytes: limits.byteBurst, at: now, limited: false };
    } else {
      buckets.delete(source);
      const elapsed = (now - bucket.at) / 1000;
      bucket.datagrams = Math.min(limits.datagramBurst, bucket.datagrams + elapsed * limits.datagramsPerSecond);
      bucket.bytes = Math.min(limits.byteBurst, bucket.bytes + elapsed * limits.bytesPerSecond);
      bucket.at = now;
    }
    buckets.set(source, bucket);
    if (bucket.datagrams < 1 || bucket.bytes < size) return false;
    bucket.datagrams -= 1;
    bucket.bytes -= size;
    return bucket;
  }

  const shownAddress = (socket: dgram.Socket) => options.shownAddress ?? shownServerIp(socket);

  function flowFor(socket: dgram.Socket, client: Endpoint, source: string): UdpFlow | undefined {
    const known = flows.get(client, port);
    if (known) return known;
    // At a bound the flow quiet the longest gives way: its source's own first, then anyone's.
    const room = (full: boolean, of: string | undefined, bound: string) => {
      if (!full) return true;
      const old = flows.oldest(of);
      if (!old) return false;
      counts.evictedFlows++;
      flows.close(old, "EEVICTED", `The lab keeps at most ${bound}: this flow, quiet the longest, is forgotten early to make room (nothing is sent).`);
      return true;
    };
    if (!room(flows.count(source) >= limits.flowsPerSource, source, `${limits.flowsPerSource} flows from one address`)) return undefined;
    if (!room(flows.size >= limits.maxFlows, undefined, `${limits.maxFlows} UDP flows`)) return undefined;
    const tap = bus.open({ service: options.service, transport: "udp", protocol: options.protocol, client, server: { ip: shownAddress(socket), port } });
    return flows.add(client, port, tap);
  }

  /**
   * How the server answers a flow: made once per flow, not per datagram (a closure made per datagram costs its
   * allocation and, under tsx, a defineProperty for its name: a few percent of the whole echo).
   */
  interface Answerer {
    readonly socket: dgram.Socket;
    readonly answer: (bytes: Uint8Array | string) => void;
  }
  const answerers = new WeakMap<UdpFlow, Answerer>();

  function answererFor(flow: UdpFlow, socket: dgram.Socket, port: number, address: string): Answerer {
    const failed = (err: Error | null) => {
      if (err && !flow.closed) {
        const { code, message } = translateSocketError(err);
        flow.tap.error(code, message);
      }
    };
    const send = (out: Uint8Array, copy: boolean) => {
      if (flow.closed) return false;
      flow.lastActive = performance.now();
      if (copy) flow.tap.record("data", "s2c", out, "EDUPLICATE", DUPLICATE_MESSAGE);
      else flow.tap.data("s2c", out);
      // No callback: libuv then tries the send at once instead of queueing a request per datagram (half the
      // tap's cost). Node drops the error of such a send unseen; an answer to the address that just sent us a
      // datagram fails in practice only when it is too big, which goes the other way.
      if (out.length <= MAX_UDP_PAYLOAD) socket.send(out, port, address);
      else socket.send(out, port, address, failed);
      return true;
    };
    const lost = (out: Uint8Array, code: string, message: string) => void (flow.closed || flow.tap.record("lost", "s2c", out, code, message));
    const answer = (bytes: Uint8Array | string) => {
      const data = typeof bytes === "string" ? utf8.encode(bytes) : bytes;
      if (flow.answer) flow.answer(data, send, lost);
      else send(data, false);
    };
    return { socket, answer };
  }

  for (const socket of sockets) {
    socket.on("error", () => {
      // A send that failed is recorded on its flow; the socket itself goes on serving.
    });
    socket.on("message", (datagram, rinfo) => {
      counts.received++;
      const client = { ip: normalizeIp(rinfo.address), port: rinfo.port };
      const known = flows.get(client, port);
      const source = known?.tap.info.owner !== undefined ? `session ${known.tap.info.owner}` : client.ip;
      const bucket = admit(source, datagram.length);
      if (bucket === false) {
        counts.rateLimited++;
        const b = buckets.get(source);
        if (b && !b.limited) {
          b.limited = true;
          const flow = options.tapped === false ? undefined : flowFor(socket, client, source);
          flow?.tap.error(
            "ERATELIMIT",
            `More than ${limits.datagramBurst} datagrams at once (or ${limits.datagramsPerSecond} a second) from ${source.startsWith("session ") ? "this session's lab clients" : client.ip}: the server drops the rest of this burst unread.`,
          );
        }
        return;
      }
      bucket.limited = false;
      const flow = options.tapped === false ? undefined : flowFor(socket, client, source);
      if (!flow) {
        // Untapped, or nothing to forget (every flow at the bound is a lab client's): answered, not recorded.
        if (options.tapped !== false) counts.untrackedDatagrams++;
        options.handle(datagram, (bytes) => socket.send(typeof bytes === "string" ? utf8.encode(bytes) : bytes, rinfo.port, rinfo.address), UNTAPPED_FLOW);
        return;
      }
      flows.touch(flow);
      if (flow.c2sCopies.shift() === true) flow.tap.record("data", "c2s", datagram, "EDUPLICATE", DUPLICATE_MESSAGE);
      else flow.tap.data("c2s", datagram);
      // A flow's client is one address and port; only the socket it reached may differ (an IPv4 client of a
      // dual-stack host arrives IPv4-mapped on the IPv6 socket, plain on the IPv4 one).
      let answerer = answerers.get(flow);
      if (answerer?.socket !== socket) {
        answerer = answererFor(flow, socket, rinfo.port, rinfo.address);
        answerers.set(flow, answerer);
      }
      options.handle(datagram, answerer.answer, flow);
    });
  }

  // Idle flows end; a lab client's flow ends with its client.
  sweep = setInterval(() => {
    const now = performance.now();
    for (const flow of [...flows.all()]) {
      if (flow.held || flow.closed || flow.tap.info.server.port !== port || flow.tap.info.service !== options.service) continue;
      if (now - flow.lastActive >= options.idleTimeoutMs) {
        flows.close(flow, "EIDLE", `No datagram for ${Math.round(options.idleTimeoutMs / 1000)} s: the lab forgets this flow (nothing is sent).`);
      }
    }
    for (const [source, bucket] of buckets) {
      if (now - bucket.at > 60_000) buckets.delete(source);
    }
  }, Math.min(5_000, Math.max(50, options.idleTimeoutMs / 4)));
  sweep.unref();

  return {
    get port() {
      return port;
    },
    sockets,
    counts,
    async close() {
      for (const flow of [...flows.all()]) {
        if (flow.tap.info.server.port === port && flow.tap.info.service === options.service && !flow.held) flows.close(flow);
      }
      await close();
    },
  };
}

const UNTAPPED_FLOW: UdpFlow = {
  key: "",
  tap: {
    info: { id: "untapped", transport: "udp", client: { ip: "", port: 0 }, server: { ip: "", port: 0 }, service: "", protocol: "data", origin: "external", owner: undefined },
    onSettled(listener) {
      listener(this.info);
    },
    data() {},
    halfClose() {},
    close() {},
    error() {},
    record() {},
  },
  lastActive: 0,
  orderedAt: 0,
  held: false,
  closed: false,
  c2sCopies: [],
  answer: undefined,
};
