// Test helper (Node only, never imported by a dissector): the captured-packet fixtures, testdata/<proto>-<case>.hex,
// and fast-check inputs made from them for the property tests of every layer. A fixture's first lines say its
// pcap link type (`# link: 1 (Ethernet)`) and whether it comes from a capture with partial checksums
// (`# offload: ...`); packets of one capture are separated by `---` lines.
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { parseHex } from "../core/tree";
import type { DissectedFrame } from "../core/types";
import { dissectPacket, type PacketOptions } from "../packet";
import { createTcpAnalyzer } from "../tcp-analysis";
import { dissectText } from "../text";
import { loadConversations, replay } from "./http1/conversations";
import { LLHTTP_CORPUS, LLHTTP_RESPONSES } from "./http1/llhttp-corpus";

export interface PacketFixture {
  readonly name: string;
  readonly link: number;
  readonly offload: boolean;
  readonly packets: Uint8Array[];
}

const testdata = new URL("./", import.meta.url);
const jimTestdata = new URL("./jim/", import.meta.url);
const PROTOCOLS = ["eth", "sll", "null", "raw", "ipv4", "ipv6", "tcp", "udp"];

export function loadPacketFixtures(): PacketFixture[] {
  return readdirSync(testdata)
    .filter((name) => name.endsWith(".hex") && PROTOCOLS.some((p) => name.startsWith(`${p}-`)))
    .sort()
    .map((file) => {
      const text = readFileSync(new URL(file, testdata), "utf8");
      const link = /^# link: (\d+)/m.exec(text)?.[1];
      if (link === undefined) throw new Error(`${file}: no "# link:" line`);
      return {
        name: file.slice(0, -".hex".length),
        link: Number(link),
        offload: /^# offload:/m.test(text),
        packets: text.split(/^---$/m).map(parseHex),
      };
    });
}

/** The text-line fixtures, testdata/text-<case>.hex, as bytes. */
export function loadTextFixtures(): { readonly name: string; readonly bytes: Uint8Array }[] {
  return readdirSync(testdata)
    .filter((name) => name.startsWith("text-") && name.endsWith(".hex"))
    .sort()
    .map((file) => ({ name: file.slice(0, -".hex".length), bytes: parseHex(readFileSync(new URL(file, testdata), "utf8")) }));
}

/**
 * Every frame of every fixture: each packet fixture through one TCP analyzer (with `options` besides), then
 * each text fixture, then the HTTP/1.x conversations and requests. For tests that check something of all the fields or findings the dissectors make.
 */
export function fixtureFrames(options: Omit<PacketOptions, "analyzer"> = {}): DissectedFrame[] {
  const frames: DissectedFrame[] = [];
  for (const fx of loadPacketFixtures()) {
    const analyzer = createTcpAnalyzer();
    for (const bytes of fx.packets) frames.push(...dissectPacket(fx.link, bytes, { ...options, analyzer }).frames);
  }
  for (const { bytes } of loadTextFixtures()) frames.push(...dissectText(bytes));
  // HTTP/1.x: the recorded conversations, and the requests held to llhttp (most of the faults it names).
  for (const { turns } of loadConversations()) for (const pdu of replay(turns)) frames.push(...pdu.frames);
  const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  for (const { text } of LLHTTP_CORPUS) for (const pdu of replay([["c2s", bytes(text)]])) frames.push(...pdu.frames);
  for (const { text } of LLHTTP_RESPONSES) for (const pdu of replay([["c2s", bytes("GET / HTTP/1.1\r\nHost: lab\r\n\r\n")], ["s2c", bytes(text)]])) frames.push(...pdu.frames);
  // JIM: the conversations of testdata/jim, each turn one read.
  for (const { turns } of loadConversations(jimTestdata)) for (const pdu of replay(turns, { protocol: "jim" })) frames.push(...pdu.frames);
  return frames;
}

/** Where each layer of `proto` starts in the fixture packets: its bytes to the end of the packet. */
export function layerSeeds(proto: string): Uint8Array[] {
  const seeds: Uint8Array[] = [];
  for (const fx of loadPacketFixtures()) {
    for (const bytes of fx.packets) {
      const frame = dissectPacket(fx.link, bytes).frames.find((f) => f.protocol === proto);
      if (frame) seeds.push(bytes.subarray(frame.offset));
    }
  }
  return seeds;
}

const mutations = fc.array(fc.tuple(fc.constantFrom("set", "insert", "delete", "truncate"), fc.nat(), fc.integer({ min: 0, max: 255 })), {
  maxLength: 6,
});

/** Bytes from `seeds` with a few bytes set, inserted or deleted, or cut short; and plain random bytes. */
export function mutatedBytes(seeds: readonly Uint8Array[], maxRandom = 120): fc.Arbitrary<Uint8Array> {
  const mutated = fc.tuple(fc.constantFrom(...seeds), mutations).map(([seed, ops]) => {
    const a = Array.from(seed);
    for (const [op, at, value] of ops) {
      const i = a.length ? at % a.length : 0;
      if (op === "set" && a.length) a[i] = value;
      else if (op === "insert") a.splice(i, 0, value);
      else if (op === "delete") a.splice(i, 1);
      else a.length = i;
    }
    return Uint8Array.from(a);
  });
  return fc.oneof({ weight: 1, arbitrary: fc.uint8Array({ maxLength: maxRandom }) }, { weight: 4, arbitrary: mutated });
}
