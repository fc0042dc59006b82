// Golden files: testdata/text-<case>.hex -> text-<case>.tree.txt. `UPDATE_GOLDEN=1 npx vitest run
// server/dissect/text.test.ts` rewrites the trees; read every changed one before keeping it.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { escapeChar, quoteText } from "./core/fields";
import { coverageProblems, formatTree, parseHex } from "./core/tree";
import { decodeUtf8, dissectText, textDissector } from "./text";
import { englishDisplay } from "./core/formats";

const testdata = new URL("./testdata/", import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** Finding codes each case must produce, in order. */
const EXPECTED: Record<string, string[]> = {
  "hello-lf": ["text.encoding"],
  crlf: ["text.encoding"],
  "echo-answer": ["text.no_terminator", "text.encoding"],
  cyrillic: ["text.encoding"],
  emoji: ["text.encoding"],
  "invalid-utf8": ["text.invalid_utf8", "text.encoding"],
  "control-chars": ["text.control_chars", "text.control_chars", "text.encoding"],
  empty: ["text.empty"],
  "two-lines": ["text.encoding"],
  "mixed-terminators": ["text.encoding"],
  "split-character": ["text.split_character", "text.no_terminator", "text.encoding"],
};

const fixtures = readdirSync(testdata)
  .filter((name) => name.startsWith("text-") && name.endsWith(".hex"))
  .map((name) => ({ name: name.slice("text-".length, -".hex".length), bytes: parseHex(readFileSync(new URL(name, testdata), "utf8")) }));

describe("text golden files", () => {
  it("has a fixture for every expected case and no unexpected ones", () => {
    expect(fixtures.map((x) => x.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const { name, bytes } of fixtures) {
    it(`${name}: matches its tree, covers every byte once, reports the expected findings`, () => {
      const frames = dissectText(bytes, { direction: "s2c" });
      const tree = formatTree(frames);
      const golden = new URL(`text-${name}.tree.txt`, testdata);
      if (UPDATE) writeFileSync(golden, tree);
      expect(existsSync(golden), `missing ${golden.pathname}; run with UPDATE_GOLDEN=1`).toBe(true);
      expect(tree).toBe(readFileSync(golden, "utf8"));
      expect(frames).toHaveLength(1);
      for (const frame of frames) expect(coverageProblems(frame)).toEqual([]);
      expect(frames.flatMap((f) => f.findings.map((x) => x.code))).toEqual(EXPECTED[name]);
    });
  }
});

const one = (s: string | Uint8Array) => {
  const [frame, ...rest] = dissectText(typeof s === "string" ? new TextEncoder().encode(s) : s);
  expect(rest).toEqual([]);
  if (!frame) throw new Error("no frame");
  return frame;
};

describe("text dissector", () => {
  it("is registered under the protocol id text, per read", () => {
    expect(textDissector.id).toBe("text");
    expect(textDissector.pduLength).toBeUndefined();
  });

  it("counts bytes and characters for the learner", () => {
    const frame = one("Привет\n");
    const content = frame.fields[0]?.children[0];
    expect(content).toMatchObject({
      id: "text.line.content",
      offset: 0,
      length: 12,
      value: { format: "quoted", text: "Привет", cut: false, chars: 6, n: 12 },
    });
    expect(content && englishDisplay(content)).toBe('"Привет" (6 characters in 12 bytes)');
    expect(frame.findings.find((x) => x.code === "text.encoding")?.message).toMatch(/13 bytes, 7 characters/);
  });

  it("points at the exact invalid bytes", () => {
    const frame = one(new Uint8Array([0x61, 0xff, 0xfe, 0x62, 0xe2, 0x82, 0x0a, 0xc3, 0x28]));
    expect(frame.findings.filter((x) => x.code === "text.invalid_utf8").map((x) => [x.offset, x.length])).toEqual([
      [1, 2],
      [4, 2],
      [7, 1],
    ]);
    expect(frame.summary).toBe('"a\uFFFD\uFFFDb\uFFFD\\n\uFFFD("');
  });

  it("treats a character cut at the end of the read as split, and at a line end as invalid", () => {
    const cut = one(new Uint8Array([0x61, 0xe2, 0x82]));
    expect(cut.findings.filter((x) => x.code.startsWith("text.split") || x.code.startsWith("text.invalid"))).toEqual([
      expect.objectContaining({ code: "text.split_character", offset: 1, length: 2 }),
    ]);
    const broken = one(new Uint8Array([0x61, 0xe2, 0x82, 0x0a]));
    expect(broken.findings.map((x) => x.code)).toEqual(["text.invalid_utf8", "text.encoding"]);
  });

  // Issue 15 §1.7: the echo server answers 68 69 ff with ECHO: hi + ef bf bd; the answer's arrow says why, with the bytes.
  it("explains a U+FFFD in the bytes (the echo server's answer to bytes that are not UTF-8), and calls a missing line end chat", () => {
    const [answer] = dissectText(Uint8Array.from([...new TextEncoder().encode("ECHO: hi"), 0xef, 0xbf, 0xbd]), { direction: "s2c" });
    const replaced = answer!.findings.find((x) => x.code === "text.replacement_char")!;
    expect([replaced.severity, replaced.offset, replaced.length]).toEqual(["note", 8, 3]);
    expect(replaced.message).toContain("ef bf bd at offset 8");
    expect(replaced.message).toContain("UnicodeDecodeError");
    expect(answer!.findings.find((x) => x.code === "text.no_terminator")!.severity).toBe("chat");
    expect(answer!.findings.find((x) => x.code === "text.no_terminator")!.message).not.toMatch(/exactly the bytes/);
    const [sent] = dissectText(Uint8Array.from([0x68, 0x69, 0xff]), { direction: "c2s" });
    expect(sent!.findings.map((x) => x.code)).toEqual(["text.invalid_utf8", "text.no_terminator", "text.encoding"]);
  });

  it("folds long runs of findings into one", () => {
    const frame = one(new Uint8Array(Array.from({ length: 40 }, (_, i) => (i % 2 ? 0x61 : 0x01))));
    const control = frame.findings.filter((x) => x.code === "text.control_chars");
    expect(control).toHaveLength(10);
    expect(control[9]).toMatchObject({ offset: 18, length: 21 });
    expect(control[9]?.message).toMatch(/^11 more/);
  });

  it("keeps summaries to about 60 characters", () => {
    expect(one("x".repeat(100)).summary).toBe(`"${"x".repeat(60)}"…`);
    expect(one("").summary).toBe("(empty)");
  });
});

describe("UTF-8 decoding", () => {
  it("gives the same text as TextDecoder", () => {
    const td = new TextDecoder();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), fc.boolean(), (bytes, atEnd) => {
        expect(decodeUtf8(bytes, 0, bytes.length, atEnd).text).toBe(td.decode(bytes));
      }),
      { numRuns: 20_000 },
    );
  });
});

/** Bytes that exercise the interesting paths far more often than uniform noise does. */
const INTERESTING = [0x0a, 0x0d, 0x00, 0x09, 0x7f, 0x61, 0x80, 0xbf, 0xc2, 0xd0, 0x9f, 0xe0, 0xed, 0xf0, 0xf4, 0xff];
const mutations = fc.array(fc.tuple(fc.constantFrom("set", "insert", "delete"), fc.nat(), fc.integer({ min: 0, max: 255 })), {
  maxLength: 4,
});
const inputs = fc.oneof(
  fc.uint8Array({ maxLength: 48 }),
  fc.array(fc.constantFrom(...INTERESTING), { maxLength: 48 }).map((a) => Uint8Array.from(a)),
  fc.string({ unit: "grapheme", maxLength: 16 }).map((s) => new TextEncoder().encode(s)),
  fc.tuple(fc.constantFrom(...fixtures.map((x) => x.bytes)), mutations).map(([base, ops]) => {
    const a = Array.from(base);
    for (const [op, at, value] of ops) {
      const i = a.length ? at % a.length : 0;
      if (op === "set" && a.length) a[i] = value;
      else if (op === "insert") a.splice(i, 0, value);
      else a.splice(i, 1);
    }
    return Uint8Array.from(a);
  }),
);

describe("text dissector on any input", () => {
  it("never throws, covers every byte once and keeps findings inside the frame (100,000 inputs)", () => {
    const codes = new Set(["text.encoding", "text.empty", "text.invalid_utf8", "text.control_chars", "text.no_terminator", "text.split_character", "text.replacement_char"]);
    fc.assert(
      fc.property(inputs, (bytes) => {
        // Plain checks: expect() in a 100,000-run loop costs more than the dissector.
        const frames = dissectText(bytes, { direction: "c2s" });
        const frame = frames[0];
        if (frames.length !== 1 || !frame || frame.length !== bytes.length) return false;
        const problems = coverageProblems(frame);
        if (problems.length) throw new Error(problems.join("; "));
        return frame.findings.every((x) => codes.has(x.code));
      }),
      { numRuns: 100_000 },
    );
  });
});

/** Lines as a reader splits the decoded text: content, then CRLF, LF or a lone CR. */
function referenceLines(text: string): { content: string; terminator: string }[] {
  const lines: { content: string; terminator: string }[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r)?/y;
  for (let at = 0; at < text.length; ) {
    re.lastIndex = at;
    const m = re.exec(text) as RegExpExecArray;
    lines.push({ content: m[1] ?? "", terminator: m[2] ?? "" });
    at = re.lastIndex;
  }
  return lines;
}

/** Long lines (past the 60-character display) of printable ASCII, quotes and backslashes, with some noise. */
const longLines = fc
  .array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(0x61, 0x20, 0x7e) }, fc.constantFrom(0x22, 0x5c, 0x0a, 0x0d, 0x09, 0xd0, 0x9f, 0xff)), {
    maxLength: 200,
  })
  .map((a) => Uint8Array.from(a));

describe("text displays", () => {
  it("show each line, its content and the summary as quoteText shows the decoded text (20,000 inputs)", () => {
    const td = new TextDecoder("utf-8", { ignoreBOM: true });
    fc.assert(
      fc.property(fc.oneof(inputs, longLines), (bytes) => {
        if (bytes.length === 0) return;
        const text = td.decode(bytes);
        const [frame] = dissectText(bytes, { direction: "c2s" });
        const lines = referenceLines(text);
        expect(frame?.summary).toBe(quoteText(text));
        expect(frame?.fields.map((node) => englishDisplay(node))).toEqual(lines.map((l) => quoteText(l.content + l.terminator)));
        frame?.fields.forEach((node, k) => {
          const content = lines[k]?.content ?? "";
          const child = node.children.find((c) => c.id === "text.line.content");
          const shown = child && englishDisplay(child);
          if (content) expect(shown?.startsWith(quoteText(content))).toBe(true);
          else expect(shown).toBeUndefined();
        });
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("text without trees", () => {
  it("gives the same summary and findings, with no fields (20,000 inputs)", () => {
    fc.assert(
      fc.property(fc.oneof(inputs, longLines), (bytes) => {
        const [full] = dissectText(bytes, { direction: "c2s" });
        const [bare] = dissectText(bytes, { direction: "c2s", tree: false });
        expect(bare).toEqual(full && { ...full, fields: [] });
      }),
      { numRuns: 20_000 },
    );
  });
});

describe("characters that hide or reorder text", () => {
  // A label must not lie about its bytes: U+202E would show "txt.exe" as "exe.txt", U+200B shows nothing.
  const hidden = ["\u061c", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2060", "\u2066", "\u2069", "\ufeff"];

  it("are escaped in the summary and the line's display, wherever the line has them", () => {
    for (const ch of hidden) {
      const escape = `\\u${ch.codePointAt(0)!.toString(16).padStart(4, "0")}`;
      const [frame] = dissectText(new TextEncoder().encode(`exe.${ch}txt\n`), { direction: "c2s" });
      expect(frame?.summary).toContain(`exe.${escape}txt`);
      expect(frame?.summary).not.toContain(ch);
      const [untreed] = dissectText(new TextEncoder().encode(`${ch}x`), { direction: "c2s", tree: false });
      expect(untreed?.summary).toBe(`"${escape}x"`);
    }
  });

  it("leave other characters beyond ASCII as they are", () => {
    const [frame] = dissectText(new TextEncoder().encode("Привет, клиент — ok ✓"), { direction: "s2c" });
    expect(frame?.summary).toBe('"Привет, клиент — ok ✓"');
    expect(escapeChar("\u202e")).toBe("\\u202e");
    expect(escapeChar("é")).toBe("é");
  });
});
