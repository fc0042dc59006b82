// A session's traffic as pcapng (GET /api/sessions/current/capture.pcapng): exactly what that
// session's timeline holds, its own conversations and the external ones attributed to it, and
// nobody else's. Conversations the wire capture saw are written as the real packets; the others
// get IPv4/IPv6 + TCP headers synthesised around the tapped bytes, and the section comment says so.
// The file is made in slices (pcapngParts), packet by packet: the host writes each slice to the
// response as it comes and lets other work run between them, so a large export does not stall the
// host, and neither the file nor its packets are ever held whole.

import { createPcapngWriter, LINKTYPE_RAW } from "../capture/pcapng";
import { synthesizeTcpPackets } from "../capture/synthesize";
import { formatEndpoint, type CapturedEvent } from "../capture/events";
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
}

/** Everything in the ring, oldest first. */
function allEvents(ring: Ring): CapturedEvent[] {
  const out: CapturedEvent[] = [];
  let cursor = 0;
  for (;;) {
    const batch = ring.after(cursor, 10_000);
    if (batch.length === 0) return out;
    out.push(...batch);
    cursor = batch[batch.length - 1]!.seq;
  }
}

const nsFromMs = (wallMs: number) => BigInt(Math.round(wallMs * 1e6));

/** Between two slices of work: a consumer may let other work run here. */
export const PAUSE = Symbol("pause");
/** Packets dissected, synthesised and written per slice. */
const SLICE = 1_000;

/** A conversation's packets in time order, one at a time. */
function* packetsOf(list: readonly CapturedEvent[], dissectorFor: (protocol: string) => Dissector): Generator<Packet, void, undefined> {
  const segments = list.filter((e) => e.kind === "segment" && e.segment);
  if (segments.length > 0) {
    for (const e of segments) {
      const frames = framesOf(e, dissectorFor);
      const summary = (frames.find((f) => f.protocol === "tcp") ?? frames.at(-1))?.summary ?? "";
      yield { linkType: e.segment!.linkType, timestampNs: nsFromMs(e.wallMs), data: e.data, comment: `captured: ${summary}` };
    }
    return;
  }
  for (const p of synthesizeTcpPackets(list[0]!.conversation, list)) {
    yield { linkType: LINKTYPE_RAW, timestampNs: p.timestampNs, data: p.data, comment: p.comment };
  }
}

/**
 * The session's pcapng file in order, piece by piece, with PAUSE between slices of work; returns what
 * it wrote. The ring's events are taken when it starts, so a timeline that moves on meanwhile does not
 * change the file. Packets are made as they are written: each conversation's come in time order, and a
 * merge of the conversations (earlier conversation first at equal times, as a stable sort would) puts
 * them in the file's order, so one packet per conversation is held, not the file.
 */
export function* pcapngParts(
  ring: Ring,
  dissectorFor: (protocol: string) => Dissector,
  sessionLabel: string,
): Generator<Uint8Array | typeof PAUSE, ExportSummary, undefined> {
  const events = allEvents(ring);
  const dropped = ring.dropped;
  const byConversation = new Map<string, CapturedEvent[]>();
  const linkTypes = new Set<number>();
  let captured = 0;
  for (const event of events) {
    const list = byConversation.get(event.conversation.id);
    if (list) list.push(event);
    else byConversation.set(event.conversation.id, [event]);
    if (event.kind === "segment" && event.segment) {
      linkTypes.add(event.segment.linkType);
      captured++;
    }
  }
  const lists = [...byConversation.values()];
  const synthesizedConversations = lists.filter((l) => !l.some((e) => e.kind === "segment" && e.segment)).length;
  if (synthesizedConversations > 0) linkTypes.add(LINKTYPE_RAW);
  yield PAUSE;

  const writer = createPcapngWriter();
  const conversations = lists.map((l) => l[0]!.conversation);
  const comment = [
    `Protocol Lab: the timeline of session ${sessionLabel}.`,
    `${conversations.length} conversation(s): ${conversations
      .slice(0, 20)
      .map((c) => `${c.service} ${formatEndpoint(c.client)} -> ${formatEndpoint(c.server)}`)
      .join("; ")}${conversations.length > 20 ? "; ..." : ""}.`,
    captured > 0 ? `${captured} packet(s) captured on the wire.` : "",
    synthesizedConversations > 0
      ? `The packets of ${synthesizedConversations} conversation(s) are SYNTHESISED: wire capture did not see these conversations, so their IP and TCP headers were built around the bytes the sockets read and wrote (handshake, ACKs and sequence numbers are assumed, not observed).`
      : "",
    dropped > 0 ? `${dropped} earlier event(s) had been dropped from the timeline and are missing.` : "",
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

  // A min-heap of each conversation's next packet, by time, then by conversation order.
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
  let work = 0;
  for (const [order, list] of lists.entries()) {
    const rest = packetsOf(list, dissectorFor);
    const first = rest.next();
    if (!first.done) push({ packet: first.value, order, rest });
    if (++work % SLICE === 0) yield PAUSE;
  }

  let real = 0;
  let synthesized = 0;
  while (heap.length > 0) {
    const head = pop();
    const p = head.packet;
    writer.enhancedPacket({ interfaceId: interfaces.get(p.linkType)!, timestampNs: p.timestampNs, data: p.data, comment: p.comment });
    if (p.linkType === LINKTYPE_RAW) synthesized++;
    else real++;
    const next = head.rest.next();
    if (!next.done) {
      head.packet = next.value;
      push(head);
    }
    if (++work % SLICE === 0) yield writer.toBytes();
  }
  yield writer.toBytes();
  return { real, synthesized };
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
