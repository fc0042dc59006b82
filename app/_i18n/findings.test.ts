// Every finding the dissectors make reads in Russian: from the packet and text fixtures, and from many
// mutated and random packets and reads, each code has its Russian sentence, made from the finding's
// values with the same numbers as the English, and nothing left unfilled.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "@/server/dissect/core/types";
import { LINKTYPE } from "@/server/dissect/link";
import { dissectPacket } from "@/server/dissect/packet";
import { createTcpAnalyzer, TCP_ANALYSIS_LABELS } from "@/server/dissect/tcp-analysis";
import { dissectText } from "@/server/dissect/text";
import { fixtureFrames, loadPacketFixtures, mutatedBytes } from "@/server/dissect/testdata/fixtures";
import { findingText } from "./findings";
import { FINDINGS_RU } from "./findings-ru";

/** Findings as the page receives them: args as strings. */
function received(f: Finding) {
  return { code: f.code, message: f.message, args: f.args && Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, String(v)])) };
}

function collect(): Finding[] {
  const found: Finding[] = fixtureFrames().flatMap((frame) => frame.findings);
  const fixtures = loadPacketFixtures();
  const links = Object.values(LINKTYPE);
  const packets = fc.oneof(fc.tuple(fc.constantFrom(...links), fc.uint8Array({ maxLength: 120 })), ...fixtures.map((fx) => fc.tuple(fc.constant(fx.link), mutatedBytes(fx.packets))));
  const analyzer = createTcpAnalyzer({ maxConnections: 64 });
  for (const [link, bytes] of fc.sample(packets, { numRuns: 20_000, seed: 7 })) {
    for (const frame of dissectPacket(link, bytes, { analyzer }).frames) found.push(...frame.findings);
  }
  const reads = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.array(fc.constantFrom(0x0a, 0x0d, 0x00, 0x7f, 0x61, 0x80, 0xc2, 0xd0, 0xe0, 0xf0, 0xff), { maxLength: 64 }).map((a) => Uint8Array.from(a)));
  for (const bytes of fc.sample(reads, { numRuns: 5_000, seed: 7 })) for (const frame of dissectText(bytes)) found.push(...frame.findings);
  return found;
}

const numbers = (text: string) => [...text.matchAll(/\b(?:0x[0-9a-f]+|\d+)\b/g)].map((m) => m[0]);

describe("findings in Russian", () => {
  const findings = collect();

  it("has a sentence for every code the dissectors make, and every analysis rule", () => {
    const codes = new Set(findings.map((f) => f.code).filter((code) => !code.endsWith(".truncated")));
    expect(codes.size).toBeGreaterThan(25);
    for (const code of [...codes, ...Object.keys(TCP_ANALYSIS_LABELS), "tcp.analysis.rst"]) expect(FINDINGS_RU[code], code).toBeTypeOf("function");
  });

  it("fills every sentence from the finding's values, with the English message's numbers", () => {
    const seen = new Set<string>();
    for (const finding of findings) {
      const shown = received(finding);
      const key = `${finding.code} ${JSON.stringify(shown.args)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ru = findingText("ru", shown);
      expect(ru, key).toMatch(/[а-яё]/i);
      expect(ru, key).not.toMatch(/undefined|NaN|\$\{|\[object/);
      // Numbers may be grouped differently ("1 024"), so compare them without separators.
      const ruNumbers = new Set(numbers(ru.replace(/(\d)\s(?=\d{3}\b)/g, "$1")));
      for (const n of numbers(finding.message)) expect(ruNumbers.has(n), `${key}: ${n} missing from «${ru}» (English: ${finding.message})`).toBe(true);
      expect(findingText("en", shown)).toBe(finding.message);
    }
  });
});
