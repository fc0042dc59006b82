// A session's traffic as pcapng (GET /api/sessions/current/capture.pcapng): exactly what that
// session's timeline holds, its own conversations and the external ones attributed to it, and
// nobody else's. Conversations the wire capture saw are written as the real packets; the others
// get IPv4/IPv6 + TCP headers synthesised around the tapped bytes, and the section comment says so.

import { createPcapngWriter, LINKTYPE_RAW } from "../capture/pcapng";
import { synthesizeTcp } from "../capture/synthesize";
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

export function exportPcapng(ring: Ring, dissectorFor: (protocol: string) => Dissector, sessionLabel: string) {
  const events = allEvents(ring);
  const byConversation = new Map<string, CapturedEvent[]>();
  for (const event of events) {
    const list = byConversation.get(event.conversation.id);
    if (list) list.push(event);
    else byConversation.set(event.conversation.id, [event]);
  }

  const packets: Packet[] = [];
  let real = 0;
  let synthesized = 0;
  for (const list of byConversation.values()) {
    const segments = list.filter((e) => e.kind === "segment" && e.segment);
    if (segments.length > 0) {
      for (const e of segments) {
        const frames = framesOf(e, dissectorFor);
        const summary = (frames.find((f) => f.protocol === "tcp") ?? frames.at(-1))?.summary ?? "";
        packets.push({ linkType: e.segment!.linkType, timestampNs: nsFromMs(e.wallMs), data: e.data, comment: `captured: ${summary}` });
        real++;
      }
      continue;
    }
    const conversation = list[0]!.conversation;
    for (const p of synthesizeTcp(conversation, list)) {
      packets.push({ linkType: LINKTYPE_RAW, timestampNs: p.timestampNs, data: p.data, comment: p.comment });
      synthesized++;
    }
  }
  packets.sort((a, b) => (a.timestampNs < b.timestampNs ? -1 : a.timestampNs > b.timestampNs ? 1 : 0));

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
    ring.dropped > 0 ? `${ring.dropped} earlier event(s) had been dropped from the timeline and are missing.` : "",
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
  for (const p of packets) {
    writer.enhancedPacket({ interfaceId: interfaces.get(p.linkType)!, timestampNs: p.timestampNs, data: p.data, comment: p.comment });
  }
  return { bytes: writer.toBytes(), summary: { real, synthesized } satisfies ExportSummary };
}
