// The pcapng export reads a timeline without holding it: the same file as a whole-timeline read would
// make, each event read once and only as its packets are written, in slices, from a snapshot that a
// timeline moving on does not change. (export-pcapng.it.test.ts checks the files against tshark.)

import { describe, expect, it } from "vitest";
import type { CapturedEvent } from "../capture/events";
import { LINKTYPE_ETHERNET, LINKTYPE_RAW, readPcapng } from "../capture/pcapng";
import type { Ring } from "../capture/ring";
import { synthesizeTcp } from "../capture/synthesize";
import { dissectorFor } from "../dissect/protocols";
import { exportPcapng, PAUSE, pcapngParts } from "./export-pcapng";
import { buildTimeline } from "./export-pcapng.fixture";
import { framesOf } from "./to-proto";

/** The timeline's events read whole, by conversation, in order of their first event. */
function byConversation(ring: Ring): CapturedEvent[][] {
  const lists = new Map<string, CapturedEvent[]>();
  for (const e of ring.after(0, Infinity)) {
    const list = lists.get(e.conversation.id);
    if (list) list.push(e);
    else lists.set(e.conversation.id, [e]);
  }
  return [...lists.values()];
}

/**
 * The packets as the export wrote them when it read the whole timeline first: each conversation's
 * packets made at once, then merged by definition, O(packets x conversations): the next packet is the
 * earliest of every conversation's next one, the earlier conversation's at equal times.
 */
function referencePackets(ring: Ring) {
  const lists = byConversation(ring).map((list) => {
    const captured = list.filter((e) => e.kind === "segment" && e.segment);
    if (captured.length > 0) {
      return captured.map((e) => {
        const frames = framesOf(e, dissectorFor);
        const summary = (frames.find((f) => f.protocol === "tcp") ?? frames.at(-1))?.summary ?? "";
        return { linkType: e.segment!.linkType, timestampNs: BigInt(Math.round(e.wallMs * 1e6)), data: e.data, comments: [`captured: ${summary}`] };
      });
    }
    return synthesizeTcp(list[0]!.conversation, list).map((p) => ({ linkType: LINKTYPE_RAW, timestampNs: p.timestampNs, data: p.data, comments: [p.comment] }));
  });
  const next = lists.map(() => 0);
  const out: (typeof lists)[number] = [];
  for (;;) {
    let best = -1;
    for (let c = 0; c < lists.length; c++) {
      const p = lists[c]![next[c]!];
      if (p && (best < 0 || p.timestampNs < lists[best]![next[best]!]!.timestampNs)) best = c;
    }
    if (best < 0) return { packets: out, conversations: lists.length };
    out.push(lists[best]![next[best]!++]!);
  }
}

/**
 * The events a file needs: a captured conversation's packets; a synthesised conversation's events up to
 * the one that ends it (a close, a reset, a failed connect), none when it has no IP address.
 */
function neededEvents(ring: Ring): number {
  let n = 0;
  for (const list of byConversation(ring)) {
    const captured = list.filter((e) => e.kind === "segment" && e.segment).length;
    const end = list.findIndex((e) => e.kind === "close" || e.kind === "connect-failed" || e.errorCode === "ECONNRESET");
    if (captured > 0) n += captured;
    else if (list[0]!.conversation.client.ip !== "") n += end < 0 ? list.length : end + 1; // no address, no packets
  }
  return n;
}

/** The ring, with a count of each read the export makes and of how often it read each event. */
function counted(ring: Ring) {
  const calls = { after: 0, before: 0, seqs: 0, header: 0, event: 0 };
  const reads = new Map<number, number>();
  const proxy = new Proxy(ring, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || !(prop in calls)) return value;
      return (...args: unknown[]) => {
        calls[prop as keyof typeof calls]++;
        if (prop === "event") reads.set(args[0] as number, (reads.get(args[0] as number) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { ring: proxy, calls, reads };
}

/** Enhanced packet blocks in a piece of the file (pcapng §3.1: type, total length, ..., the length again). */
function packetBlocks(part: Uint8Array): number {
  const view = new DataView(part.buffer, part.byteOffset, part.byteLength);
  let n = 0;
  for (let at = 0; at < part.length; at += view.getUint32(at + 4, true)) if (view.getUint32(at, true) === 6) n++;
  return n;
}

const comparable = (packets: readonly { linkType: number; timestampNs: bigint; data: Uint8Array; comments: readonly string[] }[]) =>
  packets.map((p) => `${p.linkType} ${p.timestampNs} ${Buffer.from(p.data).toString("hex")} ${p.comments.join("|")}`);

describe("pcapng export of a long timeline", () => {
  it("writes the packets a whole-timeline read merges, in its order, and says what it holds", () => {
    // Packets of equal times across conversations, captured packets out of time order, a ring that dropped its oldest.
    for (const options of [{ conversations: 400, concurrent: 24, seed: 11 }, { conversations: 400, concurrent: 80, seed: 12, ringEvents: 1200 }]) {
      const { ring } = buildTimeline(options);
      const expected = referencePackets(ring);
      const { bytes, summary } = exportPcapng(ring, dissectorFor, "abcdef12");
      const file = readPcapng(bytes);
      expect(comparable(file.packets)).toEqual(comparable(expected.packets));
      const captured = expected.packets.filter((p) => p.linkType !== LINKTYPE_RAW).length;
      expect(captured).toBeGreaterThan(100);
      expect(summary).toEqual({ real: captured, synthesized: expected.packets.length - captured, missing: 0 });
      expect(file.interfaces.map((i) => [i.linkType, i.name])).toEqual([
        [LINKTYPE_ETHERNET, "lo"],
        [LINKTYPE_RAW, "synthesised"],
      ]);
      const comment = file.sections[0]!.comments.join(" ");
      expect(comment).toContain(`${expected.conversations} conversation(s): tcp-echo 127.0.0.1:`);
      expect(comment).toContain(`${captured} packet(s) captured on the wire.`);
      expect(comment).toMatch(/The packets of \d+ conversation\(s\) are SYNTHESISED/);
      if (ring.dropped > 0) expect(comment).toContain(`${ring.dropped} earlier event(s) had been dropped from the timeline and are missing.`);
      else expect(comment).not.toContain("dropped");
    }
  });

  // Issue 15 §1.12: the file holds what the timeline shows, its filter applied, still made slice by slice.
  it("writes only the conversations the page's filter shows, when it names them", () => {
    const { ring } = buildTimeline({ conversations: 60, concurrent: 8, seed: 21 });
    const conversations = [...new Map(ring.after(0, 1_000_000).map((e) => [e.conversation.id, e.conversation])).values()];
    const chosen = conversations.filter((_, i) => i % 7 === 3);
    const parts = pcapngParts(ring, dissectorFor, "abcdef12", 50, new Set(chosen.map((c) => c.id)));
    const chunks: Uint8Array[] = [];
    let pauses = 0;
    for (let step = parts.next(); !step.done; step = parts.next()) {
      if (step.value === PAUSE) pauses++;
      else chunks.push(step.value);
    }
    expect(pauses).toBeGreaterThan(1);
    const file = readPcapng(Buffer.concat(chunks));
    const comment = file.sections[0]!.comments.join(" ");
    expect(comment).toContain("the conversations the timeline of session abcdef12 showed under its filter");
    expect(comment).toContain(`${chosen.length} conversation(s): `);
    const whole = readPcapng(exportPcapng(ring, dissectorFor, "abcdef12").bytes);
    expect(file.packets.length).toBeGreaterThan(0);
    expect(file.packets.length).toBeLessThan(whole.packets.length);
    // The chosen and the rest split the whole file between them.
    const rest = new Set(conversations.filter((c) => !chosen.includes(c)).map((c) => c.id));
    const other = [...pcapngParts(ring, dissectorFor, "abcdef12", 50, rest)].filter((x): x is Uint8Array => x !== PAUSE);
    expect(file.packets.length + readPcapng(Buffer.concat(other)).packets.length).toBe(whole.packets.length);
  });

  it("reads each event once, its header first, and only as its packets are written", () => {
    const fixture = buildTimeline({ conversations: 6000, concurrent: 8, seed: 13, maxWrite: 100 });
    const { ring, calls, reads } = counted(fixture.ring);
    const parts = pcapngParts(ring, dissectorFor, "abcdef12");
    let step = parts.next();
    expect([step.value, calls.seqs, calls.header, calls.event]).toEqual([PAUSE, 1, 0, 0]);
    // Headers in slices of 1000, no event's bytes until the file's first block.
    let pauses = 0;
    let headers = 0;
    for (step = parts.next(); step.value === PAUSE; step = parts.next()) {
      expect(calls.header - headers).toBeLessThanOrEqual(1000);
      headers = calls.header;
      pauses++;
    }
    expect([calls.header, calls.event, pauses]).toEqual([fixture.events, 0, Math.ceil(fixture.events / 1000)]);
    expect(readPcapng(step.value as Uint8Array).packets).toEqual([]);
    // Packets in slices of 1000 at most, each slice reading only the events its packets need.
    let packets = 0;
    for (step = parts.next(); !step.done; step = parts.next()) {
      if (step.value === PAUSE) continue;
      const written = packetBlocks(step.value);
      expect(written).toBeLessThanOrEqual(1000);
      packets += written;
      expect(calls.event).toBeLessThan(packets + 200);
    }
    expect(packets).toBe(step.value.real + step.value.synthesized);
    expect(packets).toBeGreaterThan(fixture.events);
    expect([calls.after, calls.before, reads.size]).toEqual([0, 0, neededEvents(fixture.ring)]);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
  });

  it("is the timeline as it was when it began: later events, a clear and the window moving on change nothing", () => {
    const options = { conversations: 300, concurrent: 12, seed: 14, ringEvents: 5000 };
    const still = buildTimeline(options);
    const expected = exportPcapng(still.ring, dissectorFor, "abcdef12").bytes;
    const moving = buildTimeline(options);
    const parts = pcapngParts(moving.ring, dissectorFor, "abcdef12");
    const chunks: Uint8Array[] = [];
    let step = parts.next();
    // Past its window of 5000 events an own lane's oldest leave the timeline; the store keeps them.
    moving.more(6000);
    for (let i = 0; !step.done; step = parts.next(), i++) {
      if (step.value !== PAUSE) chunks.push(step.value);
      if (i === 3) moving.ring.clear();
      if (i === 20) moving.more(100);
    }
    expect(moving.ring.dropped).toBe(0);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    expect(step.value.missing).toBe(0);
  });

  it("counts the events the store drops while it reads headers, and says so in the section comment", () => {
    const fixture = buildTimeline({ conversations: 300, concurrent: 12, seed: 15 });
    const full = buildTimeline({ conversations: 300, concurrent: 12, seed: 15, storeEvents: fixture.events });
    const parts = pcapngParts(full.ring, dissectorFor, "abcdef12");
    parts.next();
    // The store is full: 500 newer events push out the 500 oldest, which the file promised.
    full.more(500);
    const chunks: Uint8Array[] = [];
    let step = parts.next();
    for (; !step.done; step = parts.next()) if (step.value !== PAUSE) chunks.push(step.value);
    const file = readPcapng(Buffer.concat(chunks));
    expect(step.value.missing).toBe(500);
    expect(file.sections[0]!.comments.join(" ")).toContain("500 event(s) were dropped from the event store after this file was begun, before it read them, and are missing.");
    // What remains is the timeline's events from the 501st, none of the newer ones.
    const kept = full.ring.after(0, Infinity).filter((e) => e.seq <= fixture.events);
    expect(kept[0]!.seq).toBe(501);
    expect(file.packets.every((p) => !p.comments.some((c) => c.includes("dropped")))).toBe(true);
  });

  it("counts the events the store drops while it writes packets, and says so in the next packet's comment", () => {
    const fixture = buildTimeline({ conversations: 300, concurrent: 12, seed: 16 });
    const reference = readPcapng(exportPcapng(fixture.ring, dissectorFor, "abcdef12").bytes);
    const full = buildTimeline({ conversations: 300, concurrent: 12, seed: 16, storeEvents: fixture.events });
    const { ring, reads } = counted(full.ring);
    const parts = pcapngParts(ring, dissectorFor, "abcdef12");
    const chunks: Uint8Array[] = [];
    let step = parts.next();
    for (; step.value === PAUSE; step = parts.next());
    chunks.push(step.value as Uint8Array); // the section header and interfaces: every header was read
    full.more(700);
    for (step = parts.next(); !step.done; step = parts.next()) if (step.value !== PAUSE) chunks.push(step.value);
    const file = readPcapng(Buffer.concat(chunks));
    // The 700 oldest are gone; those of them the file needed were asked for, once, and found missing.
    const needed = [...reads.keys()].filter((seq) => seq <= 700).length;
    expect(needed).toBeGreaterThan(400);
    expect(step.value.missing).toBe(needed);
    expect(file.sections[0]!.comments.join(" ")).not.toContain("dropped from the event store");
    const told = file.packets.flatMap((p) => p.comments.map((c) => /the event store dropped (\d+) event\(s\) of this timeline while this file was being made/.exec(c)?.[1]));
    expect(told.filter(Boolean).reduce((n, x) => n + Number(x), 0)).toBe(needed);
    expect(file.packets.length).toBeLessThan(reference.packets.length);
  });
});
