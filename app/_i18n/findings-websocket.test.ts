// The WebSocket dissector's findings in Russian, made from real frames (the fixtures findings.test.ts samples
// carry no WebSocket): each sentence is filled from the finding's values, with the English message's numbers.
import { describe, expect, it } from "vitest";
import { createStreamSession } from "@/server/dissect/core/stream";
import { parseHex } from "@/server/dissect/core/tree";
import type { Finding } from "@/server/dissect/core/types";
import { dissectorFor } from "@/server/dissect/protocols";
import { findingText } from "./findings";

const numbers = (text: string) => [...text.matchAll(/\b(?:0x[0-9a-f]+|\d+)\b/g)].map((m) => m[0]);

/** Frames that each make one or more findings, read in order in one direction (so sequence findings appear too). */
const FRAMES = [
  "81 05 48 65 6c 6c 6f",
  "83 00",
  "a1 01 41",
  "c9 00",
  `89 7e 00 7e ${"00 ".repeat(126)}`,
  "82 7e 00 05 01 02 03 04 05",
  "09 00",
  "81 02 c3 28",
  "88 02 03 ed",
  "88 01 03",
  "88 04 03 e8 c3 28",
  "80 01 41",
  "01 01 41",
  "81 01 42",
  "c1 02 ff ff",
  "c1 07 f2 48 cd c9 c9 07 00",
  "82 7f 80 00 00 00 00 00 00 00",
];

describe("WebSocket findings in Russian", () => {
  it("fills every sentence from the finding's values, with the English message's numbers", () => {
    const session = createStreamSession("websocket", { dissectorFor });
    const findings: Finding[] = FRAMES.flatMap((hex) => session.push("c2s", parseHex(hex)).flatMap((p) => p.frames.flatMap((f) => f.findings)));
    findings.push(...session.end("c2s").flatMap((p) => p.frames.flatMap((f) => f.findings)));
    expect(new Set(findings.map((f) => f.code)).size).toBeGreaterThanOrEqual(15);
    for (const finding of findings) {
      const shown = { code: finding.code, form: finding.form ?? "", message: "", args: finding.args && Object.fromEntries(Object.entries(finding.args).map(([k, v]) => [k, String(v)])) };
      const ru = findingText("ru", shown);
      expect(ru, finding.code).toMatch(/[а-яё]/i);
      expect(ru, finding.code).not.toMatch(/undefined|NaN|\$\{|\[object/);
      for (const n of numbers(finding.message)) expect(numbers(ru), `${finding.code}: ${n} in «${ru}»`).toContain(n);
      expect(findingText("en", shown)).toBe(finding.message);
    }
  });
});
