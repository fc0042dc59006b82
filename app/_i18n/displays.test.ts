// Field displays in Russian: every display the fixtures produce (and templates they do not reach) keeps its
// values and quoted text, and has no English prose left around them. Names kept as IANA and Wireshark write
// them (protocols, options, code points) are allowed.
import { describe, expect, it } from "vitest";
import type { FieldNode } from "@/server/dissect/core/types";
import { fixtureFrames } from "@/server/dissect/testdata/fixtures";
import { displayRu } from "./displays-ru";

const ENGLISH =
  /\b(bytes?|relative|number|set|unverified|correct|incorrect|should|characters?|truncated|offset|follow|multiply|calculated|scaling|window|ignored|never|scaled|unknown|captured|priority|blocks?|data|broadcast|multicast|empty|raw|fragment|last|none|missing|kind|reserved|true|false|type|deprecated|tunnel|the|of|to|us|by|sent|unicast|more|don't)\b/i;
const KEPT =
  /Window scale|Window Scale|Maximum segment size|Maximum Segment Size|SACK permitted|SACK Permitted|End of Option List|No-Operation|Router Alert|IPv6 (Hop-by-Hop Options|Routing|Fragment|Destination Options)|Segment Routing|RPL Source Route|Experimental \(RFC \d+\)|Mobile IPv6|Record Route|Timestamps?|No Next Header|Tunnel Encapsulation Limit|Jumbo Payload|Home Address/g;
const QUOTED = /"(?:[^"\\]|\\.)*"…?/g;

function displays(): [string, string][] {
  const seen = new Map<string, [string, string]>();
  const walk = (nodes: readonly FieldNode[]) => {
    for (const n of nodes) {
      seen.set(`${n.id} ${n.display}`, [n.id, n.display]);
      walk(n.children);
    }
  };
  for (const options of [{ checksumsMayBeOffloaded: true }, {}]) for (const frame of fixtureFrames(options)) walk(frame.fields);
  return [...seen.values()];
}

/** Templates the fixtures do not reach, as the dissectors write them. */
const MORE: [string, string][] = [
  ["ipv4.checksum", "0x0000 (unverified: 0 means the sender left it empty; it would be 0x1770)"],
  ["tcp.checksum", "0xfe2e (unverified: checksum offload, the card fills it in later; it would be 0x1770)"],
  ["tcp.checksum", "0xfe2e (unverified: no IP header to build the pseudo-header from)"],
  ["udp.checksum", "0x0000 (none: the sender did not compute one, which IPv4 allows)"],
  ["udp.checksum", "0x0000 (missing: IPv6 requires a UDP checksum)"],
  ["tcp.ack", "5 (ACK not set: ignored)"],
  ["eth.dst", "01:00:5e:00:00:01 (multicast)"],
  ["ipv4.flags", "0x7, Reserved, Don't fragment, More fragments"],
  ["ipv6.fraghdr", "offset 1448 bytes, the last"],
  ["tcp.flags", "0x000 (<None>)"],
  ["tcp.option.sack", "SACK: 4 blocks"],
  ["tcp.window_size_value", "512 (calculated window size 65536, scaling factor 128)"],
  ["data.data", "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f … (21 bytes) (truncated: 21 of 41 bytes)"],
  ["text.line.content", '"Привет (Hello) bytes"… (60 characters in 121 bytes)'],
  ["text.line.content", '"(truncated: 1 of 2 bytes)"'],
  ["tcp.seq", "0 (relative sequence number) (truncated: 2 of 4 bytes)"],
];

const values = (text: string) => [...text.replace(QUOTED, "").matchAll(/\b(?:0x[0-9a-f]+|\d+)\b/g)].map((m) => m[0]).sort();

describe("field displays in Russian", () => {
  const all = [...displays(), ...MORE];

  it("leave no English prose around the values", () => {
    expect(all.length).toBeGreaterThan(300);
    for (const [id, display] of all) {
      const ru = displayRu(id, display);
      const prose = ru.replace(QUOTED, '""').replace(KEPT, "").replace(/\b[A-Z]{2,}[a-z]*\b/g, "");
      expect(ENGLISH.test(prose), `${id}: «${display}» → «${ru}»`).toBe(false);
    }
  });

  it("keep every value and every quoted text as they are", () => {
    for (const [id, display] of all) {
      const ru = displayRu(id, display);
      for (const quoted of display.match(QUOTED) ?? []) expect(ru, `${id}: ${display}`).toContain(quoted);
      expect(values(ru), `${id}: «${display}» → «${ru}»`).toEqual(values(display));
    }
  });

  it("translate the common ones as a reader expects", () => {
    expect(displayRu("tcp.seq", "1 (relative sequence number)")).toBe("1 (относительный порядковый номер)");
    expect(displayRu("tcp.flags.syn", "Set")).toBe("Установлен");
    expect(displayRu("text.line.content", '"Привет" (6 characters in 12 bytes)')).toBe('"Привет" (6 символов в 12 байтах)');
    expect(displayRu("tcp.window_size_value", "64")).toBe("64");
  });
});
