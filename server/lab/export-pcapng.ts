// A session's traffic as pcapng (GET /api/sessions/current/capture.pcapng): exactly what that
// session's timeline holds, its own conversations and the external ones attributed to it, and
// nobody else's. Conversations the wire capture saw are written as the real packets; the others
// get IPv4/IPv6 + TCP headers synthesised around the tapped bytes, and the section comment says so.
// The file is made in slices (pcapngParts): the host writes each slice to the response as it comes
// and lets other work run between them, so a large export does not stall the host, and the file is
// never put together in memory.

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
/** Packets dissected, synthesised or written per slice. */
const SLICE = 1_000;

/**
 * The session's pcapng file in order, piece by piece, with PAUSE between slices of work; returns what
 * it wrote. The ring's events are taken when it starts, so a timeline that moves on meanwhile does not
 * change the file.
 */
export function* pcapngParts(
  ring: Ring,
  dissectorFor: (protocol: string) => Dissector,
  sessionLabel: string,
): Generator<Uint8Array | typeof PAUSE, ExportSummary, undefined> {
  const events = allEvents(ring);
  const dropped = ring.dropped;
  const byConversation = new Map<string, CapturedEvent[]>();
  for (const event of events) {
    const list = byConversation.get(event.conversation.id);
    if (list) list.push(event);
    else byConversation.set(event.conversation.id, [event]);
  }

  const packets: Packet[] = [];
  let real = 0;
  let synthesized = 0;
  let work = 0;
  for (const list of byConversation.values()) {
    const segments = list.filter((e) => e.kind === "segment" && e.segment);
    if (segments.length > 0) {
      for (const e of segments) {
        const frames = framesOf(e, dissectorFor);
        const summary = (frames.find((f) => f.protocol === "tcp") ?? frames.at(-1))?.summary ?? "";
        packets.push({ linkType: e.segment!.linkType, timestampNs: nsFromMs(e.wallMs), data: e.data, comment: `captured: ${summary}` });
        real++;
        if (++work % SLICE === 0) yield PAUSE;
      }
      continue;
    }
    const conversation = list[0]!.conversation;
    for (const p of synthesizeTcpPackets(conversation, list)) {
      packets.push({ linkType: LINKTYPE_RAW, timestampNs: p.timestampNs, data: p.data, comment: p.comment });
      synthesized++;
      if (++work % SLICE === 0) yield PAUSE;
    }
  }
  packets.sort((a, b) => (a.timestampNs < b.timestampNs ? -1 : a.timestampNs > b.timestampNs ? 1 : 0));
  yield PAUSE;

  const writer = createPcapngWriter();
  const conversations = [...byConversation.values()].map((l) => l[0]!.conversation);
  const comment = [
    `Protocol Lab: the timeline of session ${sessionLabel}.`,
    `${conversations.length} conversation(s): ${conversations
      .slice(0, 20)
      .map((c) => `${c.service} ${formatEndpoint(c.client)} -> ${formatEndpoint(c.server)}`)
      .join("; ")}${conversations.length > 20 ? "; ..." : ""}.`,
    real > 0 ? `${real} packet(s) captured on the wire.` : "",
    synthesized > 0
      ? `${synthesized} packet(s) SYNTHESISED: wire capture did not see these conversations, so their IP and TCP headers were built around the bytes the sockets read and wrote (handshake, ACKs and sequence numbers are assumed, not observed).`
      : "",
    dropped > 0 ? `${dropped} earlier event(s) had been dropped from the timeline and are missing.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  writer.sectionHeader({ comment, userAppl: "Protocol Lab" });
  const interfaces = new Map<number, number>();
  for (const p of packets) {
    if (!interfaces.has(p.linkType)) {
      interfaces.set(
        p.linkType,
        writer.interfaceDescription({
          linkType: p.linkType,
          snapLen: 262144,
          name: p.linkType === LINKTYPE_RAW ? "synthesised" : "lo",
          description: p.linkType === LINKTYPE_RAW ? "packets synthesised from socket events" : "wire capture",
          tsresol: 9,
        }),
      );
    }
  }
  yield writer.toBytes();
  for (let i = 0; i < packets.length; i += SLICE) {
    for (const p of packets.slice(i, i + SLICE)) {
      writer.enhancedPacket({ interfaceId: interfaces.get(p.linkType)!, timestampNs: p.timestampNs, data: p.data, comment: p.comment });
    }
    yield writer.toBytes();
  }
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
