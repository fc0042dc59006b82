// The capture bus: taps report what sockets do, the bus turns it into timeline events, dissects their
// bytes once, and delivers each event to the rings of the sessions allowed to see it.
//
// Who sees what (issue 2 §4): a conversation the lab opened for a session goes to that session only;
// any other conversation goes to the sessions whose browser has the client's source address.
//
// A lab client and the lab server it connects to live in this one process, so the server's accept can
// run before the client's connect callback has told us whose conversation it is. While a lab client
// is connecting to a port, a new conversation from a local address on that port waits ("pending") for
// the client's claim; when no lab client is connecting any more, it is external. Events of a pending
// conversation are held and delivered in order once it is settled.

import type { DissectedFrame, Dissector } from "../dissect/core/types";
import { createReassembler, type Reassembler } from "./reassemble";
import type { Ring } from "./ring";
import {
  NO_BYTES,
  type CapturedEvent,
  type ConversationInfo,
  type Direction,
  type Endpoint,
  type EventKind,
} from "./events";

export interface SessionSink {
  readonly id: string;
  readonly ring: Ring;
}

export interface SessionDirectory {
  get(id: string): SessionSink | undefined;
  /** Sessions whose browser used this source address. */
  byAddress(ip: string): Iterable<SessionSink>;
}

export interface OpenOptions {
  readonly service: string;
  readonly protocol: string;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Known up front when the lab's own client is the only observer (for example a refused connect). */
  readonly owner?: string;
}

export interface ConversationTap {
  readonly info: ConversationInfo;
  data(direction: Direction, bytes: Uint8Array): void;
  halfClose(direction: Direction): void;
  close(): void;
  error(code: string, message: string): void;
}

export interface Bus {
  open(options: OpenOptions): ConversationTap;
  /** A lab client is about to connect to this server port; call the returned function when it knows the outcome. */
  expectClient(serverPort: number): () => void;
  /**
   * The lab client connected from `client` to `server` for `sessionId`. Resolves with the conversation
   * once the server side has seen it (at once when it already has).
   */
  claim(client: Endpoint, server: Endpoint, sessionId: string): Promise<ConversationInfo>;
  /** Drops a claim the server side never answered (the client gave up). */
  forgetClaim(client: Endpoint, server: Endpoint): void;
  /** The highest seq given to any event so far (0 before the first). */
  readonly lastSeq: bigint;
  /** Conversations that have not closed yet. */
  readonly live: ReadonlyMap<string, ConversationInfo>;
}

export interface BusOptions {
  readonly sessions: SessionDirectory;
  readonly dissectorFor: (protocol: string) => Dissector;
  /** Bound on events held for one pending conversation. */
  readonly maxPendingEvents?: number;
}

interface Raw {
  readonly kind: EventKind;
  readonly direction: Direction;
  readonly monoNs: bigint;
  readonly wallMs: number;
  readonly data: Uint8Array;
  readonly errorCode: string;
  readonly errorMessage: string;
}

const key = (client: Endpoint, server: Endpoint) => `${client.ip}|${client.port}|${server.ip}|${server.port}`;

const LOCAL = /^(127\.|::1$|::ffff:127\.)/;

let seq = 0n;
let conversationCounter = 0;

/** Wall-clock milliseconds with sub-millisecond precision. */
function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export function createBus(options: BusOptions): Bus {
  const { sessions, dissectorFor } = options;
  const maxPending = options.maxPendingEvents ?? 10_000;
  const live = new Map<string, ConversationInfo>();
  const byKey = new Map<string, Settler>();
  const connecting = new Map<number, number>();
  /** Claims that arrived before the server side saw the connection. */
  const earlyClaims = new Map<string, { sessionId: string; resolve: (info: ConversationInfo) => void }>();

  class Settler {
    pending: Raw[] | undefined;
    readonly reassemblers = new Map<Direction, Reassembler>();
    constructor(readonly info: ConversationInfo) {}

    settle() {
      const held = this.pending;
      this.pending = undefined;
      for (const raw of held ?? []) this.deliver(raw);
    }

    record(raw: Raw) {
      if (this.pending) {
        this.pending.push(raw);
        if (this.pending.length > maxPending) this.settle();
        return;
      }
      this.deliver(raw);
    }

    private targets(): SessionSink[] {
      if (this.info.origin === "lab-client") {
        const owner = this.info.owner === undefined ? undefined : sessions.get(this.info.owner);
        return owner ? [owner] : [];
      }
      return [...sessions.byAddress(this.info.client.ip)];
    }

    private frames(raw: Raw): readonly DissectedFrame[] {
      if (raw.kind !== "data") return [];
      let reassembler = this.reassemblers.get(raw.direction);
      if (!reassembler) {
        reassembler = createReassembler(dissectorFor(this.info.protocol), { direction: raw.direction });
        this.reassemblers.set(raw.direction, reassembler);
      }
      return reassembler.push(raw.data);
    }

    private deliver(raw: Raw) {
      const targets = this.targets();
      // Frames are computed even when nobody watches: reassembly state must follow the whole stream.
      const frames = this.frames(raw);
      if (targets.length === 0) return;
      seq += 1n;
      const event: CapturedEvent = { seq, conversation: this.info, frames, ...raw };
      for (const sink of targets) sink.ring.push(event);
    }
  }

  function settleWaiting(serverPort: number) {
    for (const settler of byKey.values()) {
      if (settler.pending && settler.info.server.port === serverPort) {
        settler.info.origin = "external";
        settler.settle();
      }
    }
  }

  function makeTap(settler: Settler, k: string): ConversationTap {
    let closed = false;
    const record = (kind: EventKind, direction: Direction, data: Uint8Array = NO_BYTES, errorCode = "", errorMessage = "") => {
      if (closed) return;
      settler.record({ kind, direction, monoNs: process.hrtime.bigint(), wallMs: wallNow(), data, errorCode, errorMessage });
    };
    return {
      info: settler.info,
      data: (direction, bytes) => record("data", direction, bytes),
      halfClose: (direction) => record("half-close", direction),
      error: (code, message) => record("error", "c2s", NO_BYTES, code, message),
      close() {
        record("close", "c2s");
        closed = true;
        live.delete(settler.info.id);
        byKey.delete(k);
        // A conversation that closed while still pending was nobody's lab client.
        if (settler.pending) {
          settler.info.origin = "external";
          settler.settle();
        }
      },
    };
  }

  return {
    live,
    get lastSeq() {
      return seq;
    },
    open(opts) {
      const k = key(opts.client, opts.server);
      const early = earlyClaims.get(k);
      earlyClaims.delete(k);
      const claimedBy = opts.owner ?? early?.sessionId;
      const info: ConversationInfo = {
        id: `c${++conversationCounter}`,
        transport: "tcp",
        client: opts.client,
        server: opts.server,
        service: opts.service,
        protocol: opts.protocol,
        origin: claimedBy === undefined ? "external" : "lab-client",
        owner: claimedBy,
      };
      const settler = new Settler(info);
      const mayBeLabClient =
        claimedBy === undefined && (connecting.get(opts.server.port) ?? 0) > 0 && LOCAL.test(opts.client.ip);
      if (mayBeLabClient) settler.pending = [];
      live.set(info.id, info);
      byKey.set(k, settler);
      const tap = makeTap(settler, k);
      early?.resolve(info);
      settler.record({
        kind: "open",
        direction: "c2s",
        monoNs: process.hrtime.bigint(),
        wallMs: wallNow(),
        data: NO_BYTES,
        errorCode: "",
        errorMessage: "",
      });
      return tap;
    },
    expectClient(serverPort) {
      connecting.set(serverPort, (connecting.get(serverPort) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (connecting.get(serverPort) ?? 1) - 1;
        if (left > 0) {
          connecting.set(serverPort, left);
          return;
        }
        connecting.delete(serverPort);
        settleWaiting(serverPort);
      };
    },
    forgetClaim(client, server) {
      earlyClaims.delete(key(client, server));
    },
    claim(client, server, sessionId) {
      const k = key(client, server);
      const settler = byKey.get(k);
      if (!settler) return new Promise((resolve) => earlyClaims.set(k, { sessionId, resolve }));
      settler.info.origin = "lab-client";
      settler.info.owner = sessionId;
      settler.settle();
      return Promise.resolve(settler.info);
    },
  };
}
