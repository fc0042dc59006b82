// A session's traffic as pcapng (GET /api/sessions/current/capture.pcapng): exactly what that
// session's timeline holds, its own conversations and the external ones attributed to it, and
// nobody else's. Conversations the wire capture saw are written as the real packets; the others
// get IPv4/IPv6 + TCP or UDP headers synthesised around the tapped bytes (a UDP datagram is one packet;
// one the session's impairment dropped never hit the wire and has none, in either case), and the
// section comment says so.
// The file is made in slices (pcapngParts), packet by packet: the host writes each slice to the
// response as it comes and lets other work run between them, so a large export does not stall the
// host, and neither the file nor its packets are ever held whole.
//
// Nor are the timeline's events (issue 8, the soak): copying every event of a 100,000-event timeline
// with its bytes before the first packet was written cost tens of MiB per export, garbage that lived
// long enough to be promoted, and the host's heap grew by a GiB under exports every few seconds. The
// export reads the timeline in three passes, none of which holds an event for longer than its packets
// take to write:
// 1. the seqs the timeline shows (ring.seqs(): 8 bytes an event), taken at once: the file's snapshot;
// 2. each event's header, without its bytes (ring.header), in slices: which conversation it belongs
//    to, whether it is a captured packet, its time; kept as numbers per conversation;
// 3. the packets, each conversation's made lazily from its events read back one at a time by seq
//    (ring.event), and merged into the file's order. A conversation starts only when its first packet
//    may be the file's next one, so only the conversations that overlap in time are open at once.

import { createPcapngWriter, LINKTYPE_RAW } from "../capture/pcapng";
import { synthesizeTcpPackets, synthesizeUdpPackets } from "../capture/synthesize";
import { formatEndpoint, type CapturedEvent, type ConversationInfo } from "../capture/events";
import type { Ring } from "../capture/ring";
import { framesOf } from "./to-proto";
import type { Dissector } from "../dissect/core/types";

interface Packet {
  readonly linkType: number;
  readonly timestampNs: bigint;
  readonly data: Uint8Array;
  readonly comment: string;
}

export interface ExportSummary {
  readonly real: number;
  readonly synthesized: number;
  /** Events of the snapshot the store dropped before the export read them (the file says so). */
  readonly missing: number;
}

const nsFromMs = (wallMs: number) => BigInt(Math.round(wallMs * 1e6));

/** Between two slices of work: a consumer may let other work run here. */
export const PAUSE = Symbol("pause");
/** Event headers read, or packets dissected, synthesised and written, per slice (unless the caller says). */
const SLICE = 1_000;

/**
 * The snapshot's events by conversation, as numbers: conversation c's events are the seqs
 * members[start[c]] to members[start[c + 1] - 1], in seq order (a real conversation's captured packets
 * only, since its other events are not written). Conversations are numbered in order of their first
 * event, which is how the file orders packets of equal time.
 */
interface Index {
  readonly conversations: readonly ConversationInfo[];
  readonly start: Uint32Array;
  readonly members: Float64Array;
  /** Whether conversation c was seen by the wire capture (its packets are real). */
  readonly real: Uint8Array;
  /** A whole millisecond before conversation c's earliest event: no packet of c comes before it. */
  readonly notBeforeMs: Float64Array;
  /** Link types of the packets in order of first use, then raw IP for synthesised conversations. */
  readonly linkTypes: ReadonlySet<number>;
  readonly captured: number;
  readonly synthesizedConversations: number;
  /** Events the timeline had dropped before the snapshot. */
  readonly dropped: number;
  /** Events of the snapshot that were gone from the store when their header was read. */
  readonly missing: number;
}

interface Tally {
  count: number;
  earliestMs: number;
}

function count(tally: Tally, wallMs: number) {
  tally.count++;
  tally.earliestMs = Math.min(tally.earliestMs, wallMs);
}

/** Passes 1 and 2: the snapshot, then every event's header, SLICE at a time. Its per-event arrays go when it returns. */
function* indexOf(ring: Ring, slice: number, only: ReadonlySet<string> | undefined, keep: ((seq: number) => boolean) | undefined): Generator<typeof PAUSE, Index, undefined> {
  // At once, so that nothing moves under it.
  const seqs = ring.seqs();
  const dropped = ring.dropped;
  yield PAUSE;
  const n = seqs.length;
  const conversationOf = new Int32Array(n).fill(-1);
  const isCaptured = new Uint8Array(n);
  const ids = new Map<string, number>();
  const conversations: ConversationInfo[] = [];
  // Per conversation: its events, and its captured packets (what a real conversation writes).
  const all: Tally[] = [];
  const captures: Tally[] = [];
  const linkTypes = new Set<number>();
  let captured = 0;
  let missing = 0;
  // A display filter rebuilds each event's tree (filter-events.ts), some 25 times a header's cost: smaller parts.
  const part = keep ? Math.max(1, Math.floor(slice / 25)) : slice;
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % part === 0) yield PAUSE;
    const header = ring.header(seqs[i]!);
    if (!header) {
      missing++;
      continue;
    }
    if (keep && !keep(seqs[i]!)) continue;
    let c = ids.get(header.conversation.id);
    if (c === undefined) {
      // A conversation the page's filter hides is not what the reader is looking at.
      if (only && !only.has(header.conversation.id)) continue;
      c = conversations.length;
      ids.set(header.conversation.id, c);
      conversations.push(header.conversation);
      all.push({ count: 0, earliestMs: Infinity });
      captures.push({ count: 0, earliestMs: Infinity });
    }
    conversationOf[i] = c;
    count(all[c]!, header.wallMs);
    if (header.kind === "segment" && header.segment) {
      isCaptured[i] = 1;
      linkTypes.add(header.segment.linkType);
      captured++;
      count(captures[c]!, header.wallMs);
    }
  }

  const total = conversations.length;
  const real = new Uint8Array(total);
  const start = new Uint32Array(total + 1);
  const notBeforeMs = new Float64Array(total);
  let synthesizedConversations = 0;
  for (let c = 0; c < total; c++) {
    real[c] = captures[c]!.count > 0 ? 1 : 0;
    if (!real[c]) synthesizedConversations++;
    const kept = real[c] ? captures[c]! : all[c]!;
    start[c + 1] = start[c]! + kept.count;
    // Packet times are the events' wall-clock times in ns, rounded (or, synthesised, 1 ns apart after
    // them): a whole millisecond below the earliest is below every one, whatever the rounding.
    notBeforeMs[c] = Math.floor(kept.earliestMs) - 1;
  }
  if (synthesizedConversations > 0) linkTypes.add(LINKTYPE_RAW);
  const members = new Float64Array(start[total]!);
  const next = start.slice(0, total);
  for (let i = 0; i < n; i++) {
    const c = conversationOf[i]!;
    if (c < 0 || (real[c] && !isCaptured[i])) continue;
    members[next[c]!++] = seqs[i]!;
  }
  return { conversations, start, members, real, notBeforeMs, linkTypes, captured, synthesizedConversations, dropped, missing };
}

/**
 * The session's pcapng file in order, piece by piece, with PAUSE between slices of work; returns what
 * it wrote. The file is the timeline as it is when it starts: events added later are not in it, a clear
 * meanwhile does not empty it, and events the store drops meanwhile are missing, which the file says.
 * Packets are made as they are written: each conversation's come in time order, and a merge of the
 * conversations (earlier conversation first at equal times, as a stable sort would) puts them in the
 * file's order, so one packet per open conversation is held, not the file.
 */
export function* pcapngParts(
  ring: Ring,
  dissectorFor: (protocol: string) => Dissector,
  sessionLabel: string,
  slice: number = SLICE,
  /** The conversations the page shows (its filter applied); every conversation when absent. */
  only?: ReadonlySet<string>,
  /** The events a display filter keeps (filter-events.ts), by seq; every event when absent. */
  keep?: (seq: number) => boolean,
): Generator<Uint8Array | typeof PAUSE, ExportSummary, undefined> {
  const index = yield* indexOf(ring, slice, only, keep);
  const { conversations, start, members, real: isReal, notBeforeMs, linkTypes, captured, synthesizedConversations, dropped } = index;
  yield PAUSE;
  let synthesizedTcp = 0;
  for (let c = 0; c < conversations.length; c++) if (!isReal[c] && conversations[c]!.transport === "tcp") synthesizedTcp++;
  const synthesizedUdp = synthesizedConversations - synthesizedTcp;

  const writer = createPcapngWriter();
  const comment = [
    keep
      ? `Protocol Lab: the events the timeline of session ${sessionLabel} showed under its display filter.`
      : only
        ? `Protocol Lab: the conversations the timeline of session ${sessionLabel} showed under its filter.`
        : `Protocol Lab: the timeline of session ${sessionLabel}.`,
    `${conversations.length} conversation(s): ${conversations
      .slice(0, 20)
      .map((c) => `${c.service} ${formatEndpoint(c.client)} -> ${formatEndpoint(c.server)}`)
      .join("; ")}${conversations.length > 20 ? "; ..." : ""}.`,
    captured > 0 ? `${captured} packet(s) captured on the wire.` : "",
    synthesizedTcp > 0
      ? `The packets of ${synthesizedTcp} conversation(s) are SYNTHESISED: wire capture did not see these conversations, so their IP and TCP headers were built around the bytes the sockets read and wrote (handshake, ACKs and sequence numbers are assumed, not observed).`
      : "",
    synthesizedUdp > 0
      ? `The packets of ${synthesizedUdp} UDP flow(s) are SYNTHESISED: wire capture did not see these flows, so their IP and UDP headers were built around the datagrams the sockets received and sent, one packet each (addresses, ports, lengths and checksums are the datagrams' own; IP ids and TTLs are Linux's defaults, not observed).`
      : "",
    dropped > 0 ? `${dropped} earlier event(s) had been dropped from the timeline and are missing.` : "",
    index.missing > 0 ? `${index.missing} event(s) were dropped from the event store after this file was begun, before it read them, and are missing.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  writer.sectionHeader({ comment, userAppl: "Protocol Lab" });
  const interfaces = new Map<number, number>();
  for (const linkType of linkTypes) {
    interfaces.set(
      linkType,
      writer.interfaceDescription({
        linkType,
        snapLen: 262144,
        name: linkType === LINKTYPE_RAW ? "synthesised" : "lo",
        description: linkType === LINKTYPE_RAW ? "packets synthesised from socket events" : "wire capture",
        tsresol: 9,
      }),
    );
  }
  yield writer.toBytes();

  // Pass 3. Events the store dropped since pass 2 are counted as they are found missing.
  let missingLater = 0;
  function* eventsOf(c: number): Generator<CapturedEvent, void, undefined> {
    for (let k = start[c]!; k < start[c + 1]!; k++) {
      const event = ring.event(members[k]!);
      if (event) yield event;
      else missingLater++;
    }
  }
  /** A conversation's packets in time order, one at a time. */
  function* packetsOf(c: number): Generator<Packet, void, undefined> {
    if (isReal[c]) {
      for (const e of eventsOf(c)) {
        // The comment needs the summary only: without field trees (the same summaries) at a fraction of the cost.
        const frames = framesOf(e, dissectorFor, { tree: false });
        const summary = (frames.find((f) => f.protocol === "tcp" || f.protocol === "udp") ?? frames.at(-1))?.summary ?? "";
        yield { linkType: e.segment!.linkType, timestampNs: nsFromMs(e.wallMs), data: e.data, comment: `captured: ${summary}` };
      }
      return;
    }
    const conversation = conversations[c]!;
    const synthesize = conversation.transport === "udp" ? synthesizeUdpPackets : synthesizeTcpPackets;
    for (const p of synthesize(conversation, eventsOf(c))) {
      yield { linkType: LINKTYPE_RAW, timestampNs: p.timestampNs, data: p.data, comment: p.comment };
    }
  }

  // A min-heap of the open conversations' next packets, by time, then by conversation order.
  interface Head {
    packet: Packet;
    readonly order: number;
    readonly rest: Generator<Packet, void, undefined>;
  }
  const before = (a: Head, b: Head) =>
    a.packet.timestampNs < b.packet.timestampNs || (a.packet.timestampNs === b.packet.timestampNs && a.order < b.order);
  const heap: Head[] = [];
  const push = (head: Head) => {
    heap.push(head);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = (): Head => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < heap.length && before(heap[l]!, heap[min]!)) min = l;
        if (r < heap.length && before(heap[r]!, heap[min]!)) min = r;
        if (min === i) break;
        [heap[i], heap[min]] = [heap[min]!, heap[i]!];
        i = min;
      }
    }
    return top;
  };

  // Conversations not yet open, by the time before which none of their packets comes, then by order. The
  // next packet written is the heap's top once the first of these cannot come before it: so the file is
  // the merge of every conversation's packets, as if all were open, with only the overlapping ones open.
  const waiting = Uint32Array.from(conversations.keys()).sort((a, b) => notBeforeMs[a]! - notBeforeMs[b]! || a - b);
  let nextWaiting = 0;
  const opensBefore = (c: number, head: Head) => {
    const ns = BigInt(notBeforeMs[c]!) * 1_000_000n;
    return ns < head.packet.timestampNs || (ns === head.packet.timestampNs && c < head.order);
  };

  let real = 0;
  let synthesized = 0;
  // The last packet is written when the next one is known, so that events found missing meanwhile
  // are told in a comment even when no packet follows them.
  let held: Packet | undefined;
  let told = 0;
  const write = (p: Packet) => {
    const untold = missingLater - told;
    told = missingLater;
    const note = untold > 0 ? `; the event store dropped ${untold} event(s) of this timeline while this file was being made: their packets are missing` : "";
    writer.enhancedPacket({ interfaceId: interfaces.get(p.linkType)!, timestampNs: p.timestampNs, data: p.data, comment: p.comment + note });
    if (p.linkType === LINKTYPE_RAW) synthesized++;
    else real++;
  };
  let work = 0;
  let written = 0;
  while (heap.length > 0 || nextWaiting < waiting.length) {
    if (nextWaiting < waiting.length && (heap.length === 0 || opensBefore(waiting[nextWaiting]!, heap[0]!))) {
      const order = waiting[nextWaiting++]!;
      const rest = packetsOf(order);
      const first = rest.next();
      if (!first.done) push({ packet: first.value, order, rest });
    } else {
      const head = pop();
      if (held) {
        write(held);
        written++;
      }
      held = head.packet;
      const next = head.rest.next();
      if (!next.done) {
        head.packet = next.value;
        push(head);
      }
    }
    if (++work % slice === 0) {
      yield written > 0 ? writer.toBytes() : PAUSE;
      written = 0;
    }
  }
  if (held) write(held);
  yield writer.toBytes();
  return { real, synthesized, missing: index.missing + missingLater };
}

/** The whole file at once (tests and scripts; the host streams pcapngParts). */
export function exportPcapng(ring: Ring, dissectorFor: (protocol: string) => Dissector, sessionLabel: string) {
  const parts = pcapngParts(ring, dissectorFor, sessionLabel);
  const chunks: Uint8Array[] = [];
  for (;;) {
    const next = parts.next();
    if (next.done) {
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      return { bytes, summary: next.value };
    }
    if (next.value !== PAUSE) chunks.push(next.value);
  }
}
