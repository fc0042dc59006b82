// A session's timeline for the pcapng export's tests and its benchmark: many conversations interleaved
// in time, of every shape the export handles (echo exchanges, refused connects, resets, errors told as
// notes, writes larger than a segment, IPv6, an unusable address, conversations wire capture saw with
// their captured packets out of time order, equal times across conversations), some in the session's
// own lane and some in its address's. Deterministic: the same arguments give the same events.

import type { ConversationInfo, RecordedEvent } from "../capture/events";
import { LINKTYPE_ETHERNET } from "../capture/pcapng";
import { createRing, type Ring } from "../capture/ring";
import { createEventStore, type EventStore } from "../capture/store";
import { synthesizeTcp } from "../capture/synthesize";
import { dissectPacket } from "../dissect/packet";
import { createTcpAnalyzer, type TcpAnalysis, type TcpSegment } from "../dissect/tcp-analysis";

export const FIXTURE_ADDRESS = "address 127.0.0.1";
const T0 = 1_700_000_000_000.125;

/** xorshift32: a small deterministic generator, so a fixture can be large without being stored. */
function random(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

type Step = Omit<RecordedEvent, "seq" | "conversation" | "monoMs" | "wallMs"> & { readonly back?: number };

const step = (kind: RecordedEvent["kind"], direction: RecordedEvent["direction"], data: Uint8Array = new Uint8Array(0), errorCode = ""): Step => ({
  kind,
  direction,
  data,
  pdus: undefined,
  errorCode,
  errorMessage: errorCode ? `message for ${errorCode}` : "",
  streamOffset: -1,
  segment: undefined,
});

export interface FixtureOptions {
  readonly conversations: number;
  readonly seed?: number;
  /** Conversations open at once (their events interleave). */
  readonly concurrent?: number;
  /** The largest write; one in 50 conversations writes 150,000 bytes whatever this is. */
  readonly maxWrite?: number;
  readonly ringEvents?: number;
  readonly storeEvents?: number;
  readonly storeBytes?: number;
}

export interface Fixture {
  readonly store: EventStore;
  readonly ring: Ring;
  readonly events: number;
  /** Adds `count` more events (one more conversation each, one event a conversation), after the others. */
  more(count: number): void;
}

export function buildTimeline(options: FixtureOptions): Fixture {
  const rnd = random(options.seed ?? 7);
  const int = (n: number) => Math.floor(rnd() * n);
  const bytes = (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (i * 31 + n) & 0xff;
    return out;
  };
  const store = createEventStore({ maxEvents: options.storeEvents ?? 10_000_000, maxBytes: options.storeBytes ?? 2 ** 40 });
  const ring = createRing(options.ringEvents ?? 10_000_000, 2 ** 40);
  ring.attach(store);
  ring.follow(FIXTURE_ADDRESS);

  const maxWrite = options.maxWrite ?? 3000;
  let seq = 0;
  let wallMs = T0;
  let monoMs = 1000.5;

  function script(c: number): { conversation: ConversationInfo; steps: Step[]; external: boolean } {
    const shape = int(20);
    const v6 = shape === 3;
    const conversation: ConversationInfo = {
      id: `conv-${options.seed ?? 7}-${c}`,
      transport: "tcp",
      client: { ip: shape === 4 && c % 7 === 0 ? "" : v6 ? "::1" : "127.0.0.1", port: 30000 + (c % 30000) },
      server: { ip: v6 ? "::1" : "127.0.0.1", port: 8888 },
      service: "tcp-echo",
      protocol: "text",
      origin: "lab-client",
      owner: undefined,
    };
    const external = int(4) === 0;
    const exchange = () => [step("data", "c2s", bytes(1 + int(maxWrite))), step("data", "s2c", bytes(1 + int(maxWrite)))];
    let steps: Step[];
    if (shape === 0) steps = [step("connect-failed", "c2s", undefined, "ECONNREFUSED")];
    else if (shape === 1) steps = [step("open", "c2s"), ...exchange(), step("error", "c2s", undefined, "ECONNRESET"), step("close", "c2s")];
    else if (shape === 2) steps = [step("open", "c2s"), step("error", "s2c", undefined, "EIDLE"), ...exchange(), step("close", "c2s"), step("error", "c2s", undefined, "ETIMEDOUT")];
    else if (shape === 5 && c % 50 === 0) steps = [step("open", "c2s"), step("data", "s2c", bytes(150_000)), step("close", "c2s")];
    else if (shape === 6 || shape === 7) {
      // Seen by wire capture: its packets, here made by synthesizeTcp, and the tap's events beside them.
      const tap = [step("open", "c2s"), ...exchange(), step("half-close", "c2s"), step("close", "c2s")];
      const packets = synthesizeTcp(conversation, tap.map((s, i) => ({ ...s, seq: i, conversation, monoMs: i, wallMs: T0 + i, data: s.data as Uint8Array })));
      steps = [];
      // As the wire capture keeps them: each packet's TCP analysis, made in capture order (segments.ts).
      const analyzer = createTcpAnalyzer();
      let analysis: TcpAnalysis | undefined;
      const recording = { analyze: (segment: TcpSegment) => (analysis = analyzer.analyze(segment)), size: 0 };
      packets.forEach((p, i) => {
        // As tcpdump reads loopback: an Ethernet header with zero addresses, then the IP packet.
        const frame = new Uint8Array(14 + p.data.length);
        frame[12] = v6 ? 0x86 : 0x08;
        frame[13] = v6 ? 0xdd : 0x00;
        frame.set(p.data, 14);
        const { tcp } = dissectPacket(LINKTYPE_ETHERNET, frame, { analyzer: recording, checksumsMayBeOffloaded: true, tree: false });
        const segment: Step = {
          ...step("segment", "c2s", frame),
          segment: { linkType: LINKTYPE_ETHERNET, payloadLength: tcp?.payloadLength ?? 0, analysis, checksumsMayBeOffloaded: true },
          // Captured packets reach the host late and not always in time order.
          back: i % 5 === 4 ? 0.75 : undefined,
        };
        steps.push(segment);
        if (i < tap.length) steps.push(tap[i]!);
      });
    } else {
      steps = [step("open", "c2s")];
      for (let k = int(4); k >= 0; k--) steps.push(...exchange());
      if (int(2) === 0) steps.push(step("half-close", "c2s"), step("half-close", "s2c"));
      steps.push(step("close", "c2s"));
    }
    return { conversation, steps, external };
  }

  const push = (conversation: ConversationInfo, s: Step, external: boolean) => {
    const tick = int(4);
    // Equal times across conversations (0), sub-millisecond and longer gaps.
    wallMs += tick === 0 ? 0 : tick === 1 ? 0.000_25 : tick === 2 ? 0.375 : 2.5;
    monoMs += 0.5;
    const { back, ...rest } = s;
    const event: RecordedEvent = { ...rest, seq: ++seq, conversation, monoMs, wallMs: wallMs - (back ?? 0) };
    if (external) store.push(FIXTURE_ADDRESS, event);
    else ring.push(event);
  };

  const active: { conversation: ConversationInfo; steps: Step[]; at: number; external: boolean }[] = [];
  const concurrent = options.concurrent ?? 16;
  let made = 0;
  while (made < options.conversations || active.length > 0) {
    while (made < options.conversations && active.length < concurrent) active.push({ ...script(made++), at: 0 });
    const i = int(active.length);
    const a = active[i]!;
    push(a.conversation, a.steps[a.at++]!, a.external);
    if (a.at >= a.steps.length) active.splice(i, 1);
  }

  return {
    store,
    ring,
    get events() {
      return seq;
    },
    more(count) {
      for (let k = 0; k < count; k++) {
        const { conversation, external } = script(made++);
        push(conversation, step("open", "c2s"), external);
      }
    },
  };
}
