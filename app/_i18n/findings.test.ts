// Every finding the dissectors declare reads in Russian, and nothing in Russian names a finding no dissector
// declares. From the packet and text fixtures, and from many mutated and random packets and reads, each
// finding's Russian sentence is made from its values with the same numbers as the English, nothing left
// unfilled, and its English rendered by the page from the declared template is the dissector's own.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "@/server/dissect/core/types";
import { cataloguedFindings } from "@/server/dissect/catalogue";
import { LINKTYPE } from "@/server/dissect/link";
import { dissectPacket } from "@/server/dissect/packet";
import { createTcpAnalyzer } from "@/server/dissect/tcp-analysis";
import { dissectText } from "@/server/dissect/text";
import { fixtureFrames, loadPacketFixtures, mutatedBytes } from "@/server/dissect/testdata/fixtures";
import { makeFinding, SHARED_FINDINGS } from "@/server/dissect/core/findings";
import { findingText } from "./findings";
import { FINDINGS_RU } from "./findings-ru";

/** Findings as the page receives them: args as strings, and no English for a declared code. */
function received(f: Finding) {
  return { code: f.code, form: f.form ?? "", message: "", args: f.args && Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, String(v)])) };
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

  it("has a sentence for every declared code and form, and none for a finding no dissector declares", () => {
    const declared = cataloguedFindings();
    expect(declared.length).toBeGreaterThan(50);
    for (const spec of declared) {
      const entry = FINDINGS_RU[spec.code];
      const say = typeof entry === "function" ? (spec.form === undefined ? entry : undefined) : spec.form === undefined ? undefined : entry?.[spec.form];
      expect(say, `${spec.code} ${spec.form ?? ""}`).toBeTypeOf("function");
    }
    const keys = new Set(declared.map((spec) => `${spec.code} ${spec.form ?? ""}`));
    for (const [code, entry] of Object.entries(FINDINGS_RU)) {
      const forms = typeof entry === "function" ? [""] : Object.keys(entry);
      for (const form of forms) expect(keys.has(`${code} ${form}`), `Russian for an undeclared finding: ${code} ${form}`).toBe(true);
    }
    // The fixtures and samples reach most of them.
    expect(new Set(findings.map((f) => f.code)).size).toBeGreaterThan(25);
  });

  it("fills every sentence from the finding's values, with the English message's numbers", () => {
    const seen = new Set<string>();
    for (const finding of findings) {
      const shown = received(finding);
      const key = `${finding.code} ${shown.form} ${JSON.stringify(shown.args)}`;
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

  it("says the findings a stream session adds, which no fixture reaches", () => {
    const stream = [
      makeFinding(SHARED_FINDINGS.too_long.declared, { declared: 2_000_000, limit: 1_048_576 }, 0, 0, "jim"),
      makeFinding(SHARED_FINDINGS.too_long.unended, { limit: 1_048_576 }, 0, 0, "jim"),
      makeFinding(SHARED_FINDINGS.too_long.rest, { declared: 2_000_000, limit: 1_048_576 }, 0, 0, "jim"),
      makeFinding(SHARED_FINDINGS.dissector_error, { dissector: "JIM", error: "TypeError: x is undefined" }, 0, 4, "jim"),
    ];
    expect(stream.map((f) => findingText("en", received(f)))).toEqual(stream.map((f) => f.message));
    expect(findingText("ru", received(stream[0]!))).toBe(
      "Это сообщение заявляет длину 2000000 байт — больше 1048576 байт, которые лаборатория может придержать; оно показано по мере поступления.",
    );
    expect(findingText("ru", received(stream[3]!))).toBe("Диссектор JIM не смог разобрать эти байты (TypeError: x is undefined); они показаны как есть.");
  });

  it("keeps the message of a finding no table declares", () => {
    expect(findingText("ru", { code: "future.thing", message: "Something new." })).toBe("Something new.");
  });
});
