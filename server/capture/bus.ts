// The capture bus: taps report what sockets do, the bus turns it into timeline events and puts each
// one, once, into the host's event store (store.ts), in the lane of its audience, where the rings of
// the sessions allowed to see it read it. It is on every server's hot path, so it allocates one object
// per event and does nothing a reader can do later (dissection included: a stream session only cuts PDUs and
// learns the conversation's state, and a PDU's summary and findings are made when a page reads them).
//
// Who sees what (issue 2 §4): a conversation the lab opened for a session goes to that session only
// (the ring's own lane); any other conversation goes to the sessions whose browser has the client's
// source address (that address's lane, which each of those rings follows). However many sessions see
// an event, it is stored and indexed once (issue 8, item 5).
//
// A lab client and the lab server it connects to live in this one process, so the server's accept can
// run before the client's connect callback has told us whose conversation it is. While a lab client
// is connecting to a port, a new conversation from a local address on that port waits ("pending") for
// the client's claim; when no lab client is connecting any more, it is external. Events of a pending
// conversation are held and delivered in order once it is settled.

import { randomBytes } from "node:crypto";
import { createStreamSession, needsStreamSession, type StreamPdu, type StreamSession } from "../dissect/core/stream";
import type { Dissector } from "../dissect/core/types";
import type { TcpAnalysis } from "../dissect/tcp-analysis";
import type { ClientClock } from "./client-clock";
import { monoFromWall, wallFromMono } from "./clock";
import type { Ring } from "./ring";
import { DIGEST_BYTES, payloadDigest } from "./segments";
import { createEventStore, STORE_DEFAULTS, type EventStore } from "./store";
import {
  NO_BYTES,
  type ConversationInfo,
  type Direction,
  type Endpoint,
  type EventKind,
  type EventPdu,
  type Payload,
  type RecordedEvent,
  type Transport,
} from "./events";

export interface SessionSink {
  readonly id: string;
  readonly ring: Ring;
}

export interface SessionDirectory {
  get(id: string): SessionSink | undefined;
  /** Sessions whose browser used this source address. */
  byAddress(ip: string): Iterable<SessionSink>;
  /** Changes whenever the answer of get/byAddress may change, so the bus can cache it. */
  readonly version: number;
}

export interface OpenOptions {
  readonly service: string;
  /** "tcp" unless said otherwise. */
  readonly transport?: Transport;
  readonly protocol: string;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** Known up front when the lab's own client is the only observer (for example a refused connect). */
  readonly owner?: string;
  /**
   * A lab client's connect() that failed (ECONNREFUSED...): no connection existed, so the conversation's one socket
   * event is a "connect-failed" with this code and message instead of an open, and close() records nothing.
   */
  readonly connectFailed?: { readonly code: string; readonly message: string };
}

export interface ConversationTap {
  readonly info: ConversationInfo;
  /**
   * Calls `listener` once the bus knows whose conversation this is (info.origin is then final): at
   * once when it knows already, else when a lab client claims it or it turns out external (a lab
   * client and the server it connects to share this process, so the server may accept first).
   */
  onSettled(listener: (info: ConversationInfo) => void): void;
  data(direction: Direction, bytes: Payload): void;
  halfClose(direction: Direction): void;
  /** Ends the conversation; a UDP flow says why ("EIDLE" when it timed out). */
  close(errorCode?: string, errorMessage?: string): void;
  error(code: string, message: string): void;
  /** Any other event (UDP: a lost datagram, a receive timeout, a duplicate's copy), with its code and message. */
  record(kind: EventKind, direction: Direction, bytes: Payload, errorCode?: string, errorMessage?: string): void;
}

export interface Bus {
  open(options: OpenOptions): ConversationTap;
  /** A lab client is about to connect to this server port; call the returned function when it knows the outcome. */
  expectClient(serverPort: number): () => void;
  /**
   * The lab client connected from `client` to `server` for `sessionId`. Resolves with the conversation
   * once the server side has seen it (at once when it already has). Conversations are told apart by
   * transport too (TCP 8888 and UDP 8888 are two services): a UDP client passes "udp". A TCP client that times its
   * own socket passes its clock (client-clock.ts): the conversation's messages then carry the client's end's times.
   */
  claim(client: Endpoint, server: Endpoint, sessionId: string, transport?: Transport, clock?: ClientClock): Promise<ConversationInfo>;
  /** Drops a claim the server side never answered (the client gave up). */
  forgetClaim(client: Endpoint, server: Endpoint, transport?: Transport): void;
  /**
   * An event only the lab's own client saw, on a conversation the server's tap records (its HTTP client's response
   * timeout): in the conversation's order, for its owner. Nothing when the conversation has closed.
   */
  note(conversation: ConversationInfo, kind: EventKind, direction: Direction, errorCode: string, errorMessage: string): void;
  /**
   * Joins a captured segment (or UDP datagram) to its conversation by transport and 4-tuple (also
   * shortly after the conversation closed, since the capture pipe lags). A datagram to a broadcast or
   * multicast address, or to a server bound to every address, joins the UDP conversation of its client
   * and server port when no conversation has its exact addresses. Returns false when none matches.
   */
  segment(record: SegmentRecord): boolean;
  /** While wire capture runs, data events carry their stream offsets so segments can be matched. */
  trackStreamOffsets: boolean;
  /** The highest seq given to any event so far (0 before the first). */
  readonly lastSeq: number;
  /** Conversations that have not closed yet. */
  readonly live: ReadonlyMap<string, ConversationInfo>;
  /** Where every event the sessions may see is kept, once. */
  readonly store: EventStore;
}

export interface BusOptions {
  readonly sessions: SessionDirectory;
  readonly dissectorFor: (protocol: string) => Dissector;
  /** Longest PDU a stream session holds back waiting for its end (DEFAULT_MAX_PDU when absent). */
  readonly maxPdu?: number;
  /** Bound on events held for one pending conversation. */
  readonly maxPendingEvents?: number;
  /** The store's bounds, all sessions together (STORE_DEFAULTS when absent). */
  readonly maxEvents?: number;
  readonly maxBytes?: number;
  /** How long a server's write to a timed lab client waits for the client's read (CLIENT_READ_WAIT_MS when absent). */
  readonly clientReadWaitMs?: number;
}

interface Pending {
  /** A captured segment held with the socket events, in arrival order. */
  readonly segment?: SegmentRecord;
  readonly kind: EventKind;
  readonly direction: Direction;
  readonly monoMs: number;
  readonly data: Payload;
  readonly errorCode: string;
  readonly errorMessage: string;
  /** A timed lab client's message: the client's end's time (CapturedEvent.peerMs), once known. */
  peerMs?: number;
  /** A server's write to a timed lab client: where it ends in its stream, so the client's read of it can be found. */
  end?: number;
}

/** A packet the wire capture saw, already dissected, on its way to its conversation. */
export interface SegmentRecord {
  readonly transport: Transport;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly direction: Direction;
  /** Wall clock of the capture, milliseconds. */
  readonly wallMs: number;
  readonly packet: Uint8Array;
  readonly linkType: number;
  readonly analysis: TcpAnalysis | undefined;
  readonly checksumsMayBeOffloaded: boolean;
  readonly payloadLength: number;
  /** TCP: relative seq - 1 of the payload, -1 when unknown. UDP: -1 (the bus places the datagram). */
  readonly streamOffset: number;
  /**
   * UDP: payloadDigest (segments.ts) of the datagram's payload, by which the bus finds the datagram event
   * it stands for and takes that event's stream offset; -1 when the capture cut the payload short, and for TCP.
   */
  readonly payloadDigest: number;
}

const utf8 = new TextEncoder();

const key = (transport: Transport, client: Endpoint, server: Endpoint) => `${transport}|${client.ip}|${client.port}|${server.ip}|${server.port}`;
/** A UDP conversation by its client and its server's port: where a datagram sent to a broadcast or multicast address joins. */
const looseKey = (client: Endpoint, serverPort: number) => `${client.ip}|${client.port}|${serverPort}`;

const LOCAL = /^(127\.|::1$|::ffff:127\.)/;

/** The lane of the external traffic of one source address. */
const addressLane = (ip: string) => `address ${ip}`;

/** How long segments are still joined to a closed conversation, and held for one not yet opened. */
const LATE_SEGMENT_MS = 5_000;
const EARLY_SEGMENT_MS = 2_000;
const MAX_EARLY_SEGMENTS = 1_000;
/**
 * Datagrams of one direction recorded while capture runs and not yet matched to a captured packet, at most:
 * the capture lags the tap by up to a second (tcpdump hands packets over a block at a time), and older ones
 * were not captured (dropped on the way) and are given up.
 */
const MAX_UNMATCHED_DATAGRAMS = 64;
/**
 * How long a server's write to a timed lab client waits for the client to read it (a few microseconds on loopback):
 * the conversation's next events wait behind it, in order. Past this (a client that stopped reading) it goes
 * without the client's time.
 */
export const CLIENT_READ_WAIT_MS = 500;

/**
 * This run of the host (this process): sent on every Watch stream, so a page can tell a restart from a
 * cursor, and part of every conversation id, so ids from two runs never collide.
 */
export const RUN_ID = randomBytes(6).toString("base64url");

let seq = 0;
let conversationCounter = 0;

export function createBus(options: BusOptions): Bus {
  const { sessions, dissectorFor } = options;
  const maxPending = options.maxPendingEvents ?? 10_000;
  const store = createEventStore({ maxEvents: options.maxEvents ?? STORE_DEFAULTS.maxEvents, maxBytes: options.maxBytes ?? STORE_DEFAULTS.maxBytes });
  const live = new Map<string, ConversationInfo>();
  const byKey = new Map<string, Settler>();
  /** UDP conversations by client and server port (looseKey), the latest opened: see Bus.segment. */
  const byPort = new Map<string, Settler>();
  const connecting = new Map<number, number>();
  /** Conversations closed in the last few seconds, for segments the capture delivers late. */
  const recentlyClosed = new Map<string, { settler: Settler; closedAt: number }>();
  /** Segments that came before their conversation (a SYN read before the accept), briefly held. */
  let early: { record: SegmentRecord; at: number }[] = [];
  /** Claims that arrived before the server side saw the connection. */
  const earlyClaims = new Map<string, { sessionId: string; resolve: (info: ConversationInfo) => void; clock: ClientClock | undefined }>();
  const clientReadWaitMs = options.clientReadWaitMs ?? CLIENT_READ_WAIT_MS;
  /** Conversations whose events wait for their lab client's read, and the one timer that gives up on them. */
  const waiting = new Set<Settler>();
  let waitTimer: ReturnType<typeof setTimeout> | undefined;
  function sweepWaiting() {
    waitTimer = undefined;
    const now = performance.now();
    for (const settler of waiting) if (now - settler.waitingSince >= clientReadWaitMs) settler.release(true);
    armWaiting();
  }
  function armWaiting() {
    if (waitTimer || waiting.size === 0) return;
    let oldest = Infinity;
    for (const settler of waiting) oldest = Math.min(oldest, settler.waitingSince);
    waitTimer = setTimeout(sweepWaiting, Math.max(0, oldest + clientReadWaitMs - performance.now()));
    waitTimer.unref?.();
  }

  class Settler {
    pending: Pending[] | undefined;
    closed = false;
    /** Bytes sent so far in each direction, while stream offsets are tracked. */
    sentC2s = 0;
    sentS2c = 0;
    /** A lab client's own times (bind), and the bytes of each direction the server's tap has recorded for it. */
    private clock: ClientClock | undefined;
    private clockC2s = 0;
    private clockS2c = 0;
    /** Events waiting, in order, behind a server's write the timed client has not read yet (its first). */
    private waitingEvents: Pending[] | undefined;
    waitingSince = 0;
    /**
     * UDP, while stream offsets are tracked: per direction, the datagrams not yet matched to a captured
     * packet, as flat triples (stream offset, length, payload digest), oldest first.
     */
    private unmatched: [number[], number[]] | undefined;
    /** When it closed (performance.now()), for the late datagrams a broadcast or multicast address brings. */
    closedAt = 0;
    private targets: SessionSink[] = [];
    /** For external conversations: the stores of the targets' rings (the bus's own, unless a ring was bound elsewhere). */
    private stores: EventStore[] = [];
    private targetsVersion = -1;
    private settledListeners: ((info: ConversationInfo) => void)[] | undefined;
    /**
     * Only for protocols that frame, keep state or sniff (the session must follow the whole stream in
     * order, watched or not); the rest are dissected when read.
     */
    private readonly stream: StreamSession | undefined;

    constructor(readonly info: ConversationInfo) {
      this.stream = needsStreamSession(dissectorFor(info.protocol))
        ? createStreamSession(info.protocol, { dissectorFor, maxPdu: options.maxPdu, defer: true })
        : undefined;
    }

    settle() {
      const held = this.pending;
      this.pending = undefined;
      if (!held) return;
      for (const p of held) {
        if (p.segment) this.deliverSegment(p.segment);
        else this.admit(p);
      }
      const listeners = this.settledListeners;
      this.settledListeners = undefined;
      for (const listener of listeners ?? []) listener(this.info);
    }

    onSettled(listener: (info: ConversationInfo) => void) {
      if (!this.pending) listener(this.info);
      else (this.settledListeners ??= []).push(listener);
    }

    record(kind: EventKind, direction: Direction, data: Payload, errorCode: string, errorMessage: string) {
      if (this.closed) return;
      const monoMs = performance.now();
      if (this.pending) {
        this.pending.push({ kind, direction, monoMs, data, errorCode, errorMessage });
        if (this.pending.length > maxPending) {
          this.info.origin = "external";
          this.settle();
        }
        return;
      }
      // Only a timed lab client's conversation pays for admit's bookkeeping (issue 9: the tap's hot path).
      if (this.clock === undefined) this.deliver(kind, direction, monoMs, data, errorCode, errorMessage);
      else this.admit({ kind, direction, monoMs, data, errorCode, errorMessage });
    }

    /** The lab client that opened this conversation times its socket: its reads let waiting events go. */
    bind(clock: ClientClock) {
      this.clock = clock;
      clock.onProgress = () => this.release(false);
    }

    /**
     * A socket event on its way to the store. A timed lab client's message gets the client's time: for a read by the
     * server, the client's write of its first byte (always earlier); for a server's write, the client's read of its
     * last byte, which is still to come, so the write and the conversation's events after it wait (release).
     */
    private admit(p: Pending) {
      const clock = this.clock;
      if (clock && p.kind === "data") {
        const length = typeof p.data === "string" ? Buffer.byteLength(p.data, "utf8") : p.data.length;
        if (p.direction === "c2s") {
          p.peerMs = clock.writeTimeOf(this.clockC2s);
          this.clockC2s += length;
        } else {
          this.clockS2c += length;
          p.end = this.clockS2c;
        }
      }
      if (this.waitingEvents) {
        this.waitingEvents.push(p);
        if (this.waitingEvents.length > maxPending) this.release(true);
        return;
      }
      if (p.end !== undefined && clock) {
        p.peerMs = clock.readTimeOf(p.end);
        if (p.peerMs === undefined && !clock.closed) {
          this.waitingEvents = [p];
          this.waitingSince = performance.now();
          waiting.add(this);
          armWaiting();
          return;
        }
      }
      this.deliver(p.kind, p.direction, p.monoMs, p.data, p.errorCode, p.errorMessage, p.peerMs);
    }

    /** Delivers the waiting events the client has read up to (all of them when `giveUp`, or once it closed). */
    release(giveUp: boolean) {
      const events = this.waitingEvents;
      if (!events) return;
      const clock = this.clock;
      let i = 0;
      for (; i < events.length; i++) {
        const p = events[i]!;
        if (p.end !== undefined && p.peerMs === undefined) {
          p.peerMs = clock?.readTimeOf(p.end);
          if (p.peerMs === undefined && !giveUp && clock && !clock.closed) break;
        }
        this.deliver(p.kind, p.direction, p.monoMs, p.data, p.errorCode, p.errorMessage, p.peerMs);
      }
      if (i === events.length) {
        this.waitingEvents = undefined;
        waiting.delete(this);
      } else if (i > 0) {
        events.splice(0, i);
        this.waitingSince = performance.now();
      }
    }

    /**
     * Who may see this conversation's events now. Worked out again only when sessions change; a ring
     * new to an address follows its lane from the next event, as it would have been sent it.
     */
    private sinks(): SessionSink[] {
      if (this.targetsVersion === sessions.version) return this.targets;
      this.targetsVersion = sessions.version;
      if (this.info.origin === "lab-client") {
        const owner = this.info.owner === undefined ? undefined : sessions.get(this.info.owner);
        this.targets = owner ? [owner] : [];
        for (const target of this.targets) target.ring.attach(store);
      } else {
        this.targets = [...sessions.byAddress(this.info.client.ip)];
        const lane = addressLane(this.info.client.ip);
        const stores = new Set<EventStore>();
        for (const target of this.targets) {
          stores.add(target.ring.attach(store));
          target.ring.follow(lane);
        }
        this.stores = [...stores];
      }
      return this.targets;
    }

    /** Stores the event once: in the owner's ring, or in the address's lane that its sessions follow. */
    private put(targets: readonly SessionSink[], event: RecordedEvent) {
      if (this.info.origin === "lab-client") {
        for (let i = 0; i < targets.length; i++) targets[i]!.ring.push(event);
        return;
      }
      const lane = addressLane(this.info.client.ip);
      for (let i = 0; i < this.stores.length; i++) this.stores[i]!.push(lane, event);
    }

    /** What the stream session makes of this event: the PDUs it completes, placed in the event's data. */
    private dissect(kind: EventKind, direction: Direction, data: Payload): EventPdu[] | undefined {
      const stream = this.stream;
      if (!stream) return undefined;
      let pdus: StreamPdu[];
      let start = 0;
      if (kind === "data") {
        const bytes = typeof data === "string" ? utf8.encode(data) : data;
        start = stream.streamLength(direction);
        pdus = stream.push(direction, bytes);
      } else if (kind === "half-close") {
        pdus = stream.end(direction);
      } else if (kind === "close" || kind === "error") {
        pdus = [...stream.end("c2s"), ...stream.end("s2c")];
      } else {
        return undefined;
      }
      if (pdus.length === 0) return undefined;
      return pdus.map((pdu) => {
        // In this event's data only when this read carried all of it (a switch of protocol may cut the other
        // direction's waiting bytes here too).
        const inEvent = kind === "data" && !pdu.reassembled && pdu.direction === direction;
        return {
          protocol: pdu.protocol,
          direction: pdu.direction,
          streamOffset: pdu.streamOffset,
          length: pdu.bytes.length,
          offsetInEvent: inEvent ? pdu.streamOffset - start : -1,
          reassembled: inEvent ? undefined : pdu.bytes,
          // Deferred: the summary and findings are made when a reader asks (the session's getter is not touched here).
          frames: pdu.deferred ? undefined : pdu.frames,
          memo: pdu.memo,
          sessionFinding: pdu.sessionFinding,
        };
      });
    }

    private deliver(kind: EventKind, direction: Direction, monoMs: number, data: Payload, errorCode: string, errorMessage: string, peerMs?: number) {
      // The stream session must follow the whole stream, watched or not.
      const pdus = this.dissect(kind, direction, data);
      let streamOffset = -1;
      if (kind === "data" && bus.trackStreamOffsets) {
        const length = typeof data === "string" ? Buffer.byteLength(data, "utf8") : data.length;
        if (direction === "c2s") {
          streamOffset = this.sentC2s;
          this.sentC2s += length;
        } else {
          streamOffset = this.sentS2c;
          this.sentS2c += length;
        }
        if (this.info.transport === "udp") this.expectDatagram(direction, streamOffset, length, data);
      }
      const targets = this.sinks();
      if (targets.length === 0) return;
      const event: RecordedEvent = {
        seq: ++seq,
        conversation: this.info,
        kind,
        direction,
        monoMs,
        wallMs: wallFromMono(monoMs),
        data,
        pdus,
        errorCode,
        errorMessage,
        streamOffset,
        segment: undefined,
        peerMs,
      };
      this.put(targets, event);
    }

    /** Segments wait with the rest while the conversation's owner is unknown (whose is it?). */
    segment(record: SegmentRecord) {
      if (this.pending) {
        this.pending.push({ segment: record, kind: "segment", direction: record.direction, monoMs: 0, data: NO_BYTES, errorCode: "", errorMessage: "" });
        return;
      }
      this.deliverSegment(record);
    }

    /** A datagram the tap recorded, which a captured packet will stand for (wire capture runs). */
    private expectDatagram(direction: Direction, streamOffset: number, length: number, data: Payload) {
      const lists = (this.unmatched ??= [[], []]);
      const list = lists[direction === "c2s" ? 0 : 1];
      // Each character is at least one UTF-8 byte, and a surrogate pair cut at the end encodes past the digest's bytes.
      const head = typeof data === "string" ? utf8.encode(data.length > DIGEST_BYTES ? data.slice(0, DIGEST_BYTES + 1) : data) : data;
      list.push(streamOffset, length, payloadDigest(head, length));
      if (list.length > 3 * MAX_UNMATCHED_DATAGRAMS) list.splice(0, 3);
    }

    /**
     * The stream offset of the datagram event a captured UDP packet stands for: the oldest unmatched one
     * with its length and digest (older unmatched ones were not captured, and are given up); -1 when none.
     */
    private placeDatagram(record: SegmentRecord): number {
      const list = this.unmatched?.[record.direction === "c2s" ? 0 : 1];
      if (!list || record.payloadDigest < 0) return -1;
      for (let i = 0; i < list.length; i += 3) {
        if (list[i + 1] === record.payloadLength && list[i + 2] === record.payloadDigest) {
          const offset = list[i]!;
          list.splice(0, i + 3);
          return offset;
        }
      }
      return -1;
    }

    private deliverSegment(record: SegmentRecord) {
      // Placed before anyone may see it: the datagrams are matched in order, watched or not.
      const streamOffset = record.transport === "udp" ? this.placeDatagram(record) : record.streamOffset;
      const targets = this.sinks();
      if (targets.length === 0) return;
      const event: RecordedEvent = {
        seq: ++seq,
        conversation: this.info,
        kind: "segment",
        direction: record.direction,
        // The capture stamps packets with the wall clock: placed on the monotonic one the socket events use.
        monoMs: monoFromWall(record.wallMs),
        wallMs: record.wallMs,
        data: record.packet,
        pdus: undefined,
        errorCode: "",
        errorMessage: "",
        streamOffset,
        segment: {
          linkType: record.linkType,
          payloadLength: record.payloadLength,
          analysis: record.analysis,
          checksumsMayBeOffloaded: record.checksumsMayBeOffloaded,
        },
      };
      this.put(targets, event);
    }

    /** After a claim or a settle the targets are someone else's. */
    retarget() {
      this.targetsVersion = -1;
    }
  }

  function settleWaiting(serverPort: number) {
    for (const settler of byKey.values()) {
      if (settler.pending && settler.info.server.port === serverPort) {
        settler.info.origin = "external";
        settler.retarget();
        settler.settle();
      }
    }
  }

  function makeTap(settler: Settler, k: string, opened: boolean): ConversationTap {
    return {
      info: settler.info,
      onSettled: (listener) => settler.onSettled(listener),
      data: (direction, bytes) => settler.record("data", direction, bytes, "", ""),
      halfClose: (direction) => settler.record("half-close", direction, NO_BYTES, "", ""),
      error: (code, message) => settler.record("error", "c2s", NO_BYTES, code, message),
      record: (kind, direction, bytes, code = "", message = "") => settler.record(kind, direction, bytes, code, message),
      close(code = "", message = "") {
        // A connection that never opened has nothing to close.
        if (opened) settler.record("close", "c2s", NO_BYTES, code, message);
        settler.closed = true;
        live.delete(settler.info.id);
        byKey.delete(k);
        const now = performance.now();
        settler.closedAt = now;
        // Kept in the order they closed, so the sweep below can stop at the first recent one: a 4-tuple used
        // again (a port the system handed out once more) goes to the end rather than keeping its old place,
        // where its new time would hold back the sweep of every older entry behind it.
        recentlyClosed.delete(k);
        recentlyClosed.set(k, { settler, closedAt: now });
        for (const [key2, entry] of recentlyClosed) {
          if (now - entry.closedAt < LATE_SEGMENT_MS) break;
          recentlyClosed.delete(key2);
          const loose = looseKey(entry.settler.info.client, entry.settler.info.server.port);
          if (byPort.get(loose) === entry.settler) byPort.delete(loose);
        }
        // A conversation that closed while still pending was nobody's lab client.
        if (settler.pending) {
          settler.info.origin = "external";
          settler.retarget();
          settler.settle();
        }
      },
    };
  }

  function settlerFor(record: SegmentRecord): Settler | undefined {
    const k = key(record.transport, record.client, record.server);
    const exact = byKey.get(k) ?? recentlyClosed.get(k)?.settler;
    if (exact || record.transport !== "udp") return exact;
    const loose = byPort.get(looseKey(record.client, record.server.port));
    return loose && (!loose.closed || performance.now() - loose.closedAt < LATE_SEGMENT_MS) ? loose : undefined;
  }

  const bus: Bus = {
    live,
    store,
    trackStreamOffsets: false,
    segment(record) {
      const settler = settlerFor(record);
      if (settler) {
        settler.segment(record);
        return true;
      }
      const now = performance.now();
      early = early.filter((e) => now - e.at < EARLY_SEGMENT_MS);
      if (early.length < MAX_EARLY_SEGMENTS) early.push({ record, at: now });
      return false;
    },
    get lastSeq() {
      return seq;
    },
    open(opts) {
      const transport = opts.transport ?? "tcp";
      const k = key(transport, opts.client, opts.server);
      const earlyClaim = earlyClaims.get(k);
      earlyClaims.delete(k);
      const claimedBy = opts.owner ?? earlyClaim?.sessionId;
      const info: ConversationInfo = {
        id: `c${++conversationCounter}.${RUN_ID}`,
        transport,
        client: opts.client,
        server: opts.server,
        service: opts.service,
        protocol: opts.protocol,
        origin: claimedBy === undefined ? "external" : "lab-client",
        owner: claimedBy,
      };
      const settler = new Settler(info);
      if (earlyClaim?.clock) settler.bind(earlyClaim.clock);
      const mayBeLabClient =
        claimedBy === undefined && (connecting.get(opts.server.port) ?? 0) > 0 && LOCAL.test(opts.client.ip);
      if (mayBeLabClient) settler.pending = [];
      live.set(info.id, info);
      byKey.set(k, settler);
      if (transport === "udp") byPort.set(looseKey(opts.client, opts.server.port), settler);
      earlyClaim?.resolve(info);
      const failed = opts.connectFailed;
      if (failed) settler.record("connect-failed", "c2s", NO_BYTES, failed.code, failed.message);
      else settler.record("open", "c2s", NO_BYTES, "", "");
      if (early.length > 0) {
        const mine = early.filter((e) => key(e.record.transport, e.record.client, e.record.server) === k);
        if (mine.length > 0) {
          early = early.filter((e) => !mine.includes(e));
          for (const e of mine) settler.segment(e.record);
        }
      }
      return makeTap(settler, k, !failed);
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
    forgetClaim(client, server, transport = "tcp") {
      earlyClaims.delete(key(transport, client, server));
    },
    note(conversation, kind, direction, errorCode, errorMessage) {
      const settler = byKey.get(key(conversation.transport, conversation.client, conversation.server));
      if (settler?.info === conversation) settler.record(kind, direction, NO_BYTES, errorCode, errorMessage);
    },
    claim(client, server, sessionId, transport = "tcp", clock) {
      const k = key(transport, client, server);
      const settler = byKey.get(k);
      if (!settler) return new Promise((resolve) => earlyClaims.set(k, { sessionId, resolve, clock }));
      // Only while none of its events has gone yet, so the client's stream and the tap's count the same bytes.
      if (clock && settler.pending) settler.bind(clock);
      settler.info.origin = "lab-client";
      settler.info.owner = sessionId;
      settler.retarget();
      settler.settle();
      return Promise.resolve(settler.info);
    },
  };
  return bus;
}
