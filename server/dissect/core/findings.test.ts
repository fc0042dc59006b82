import { describe, expect, it } from "vitest";
import { defineFindings, findingSpecs, makeFinding, renderFinding, SHARED_FINDINGS } from "./findings";

describe("defineFindings", () => {
  const x = defineFindings("demo", {
    plain: { severity: "note", message: "Nothing to fill in." },
    counted: { severity: "warn", message: "{n:bytes} of {chars:characters} in {w:words}." },
    optional: { severity: "error", message: "Kind {kind}[ ({name})] is wrong." },
    "nested.key": { severity: "chat", forms: { one: "One {a}.", other: "Other {b}." } },
  });

  it("gives each entry its code, severity and template, and each form its own spec under the same code", () => {
    expect(x.plain).toMatchObject({ code: "demo.plain", severity: "note", form: undefined, message: "Nothing to fill in." });
    expect(x["nested.key"].one).toMatchObject({ code: "demo.nested.key", form: "one", severity: "chat" });
    expect(x["nested.key"].other).toMatchObject({ code: "demo.nested.key", form: "other", message: "Other {b}." });
    expect(findingSpecs(x).map((s) => [s.code, s.form])).toEqual([
      ["demo.plain", undefined],
      ["demo.counted", undefined],
      ["demo.optional", undefined],
      ["demo.nested.key", "one"],
      ["demo.nested.key", "other"],
    ]);
  });

  it("renders values, counts with their nouns, and optional parts only when their values are there", () => {
    expect(renderFinding(x.counted, { n: 1, chars: 2, w: 1 })).toBe("1 byte of 2 characters in 1 word.");
    expect(renderFinding(x.counted, { n: "4", chars: "1", w: "5" })).toBe("4 bytes of 1 character in 5 words.");
    expect(renderFinding(x.optional, { kind: 2, name: "Maximum Segment Size" })).toBe("Kind 2 (Maximum Segment Size) is wrong.");
    expect(renderFinding(x.optional, { kind: 77, name: "" })).toBe("Kind 77 is wrong.");
    expect(renderFinding(x.optional, { kind: 77 })).toBe("Kind 77 is wrong.");
    // A value a newer host left out is never "undefined".
    expect(renderFinding(x.counted, {})).toBe("? of ? in ?.");
  });

  it("makes findings with the rendered English, the values and the form", () => {
    expect(makeFinding(x.plain, undefined, 3, 1)).toEqual({ code: "demo.plain", severity: "note", message: "Nothing to fill in.", offset: 3, length: 1 });
    expect(makeFinding(x["nested.key"].one, { a: 5 }, 0, 2)).toEqual({
      code: "demo.nested.key",
      severity: "chat",
      message: "One 5.",
      offset: 0,
      length: 2,
      args: { a: 5 },
      form: "one",
    });
  });

  it("names a shared finding after the protocol that reports it", () => {
    const f = makeFinding(SHARED_FINDINGS.too_long.unended, { limit: 1024 }, 0, 0, "jim");
    expect(f).toMatchObject({ code: "jim.too_long", form: "unended", message: "No end of message within the 1024 bytes the lab holds back; these bytes are shown as one frame." });
    expect(SHARED_FINDINGS.truncated.data.code).toBe("*.truncated");
  });

  it("refuses malformed ids, keys, forms and templates when the module loads", () => {
    expect(() => defineFindings("Demo", {})).toThrow(/protocol id/);
    expect(() => defineFindings("demo", { "Bad-Key": { severity: "note", message: "x" } })).toThrow(/dotted snake case/);
    expect(() => defineFindings("demo", { k: { severity: "note", forms: { "two words": "x" } } })).toThrow(/snake case/);
    expect(() => defineFindings("demo", { k: { severity: "note", message: "{not closed" } })).toThrow(/malformed placeholder/);
    expect(() => defineFindings("demo", { k: { severity: "note", message: "{n:furlongs}" } })).toThrow(/unknown unit/);
    expect(() => defineFindings("demo", { k: { severity: "note", message: "[a [b]]" } })).toThrow(/nested/);
    expect(() => defineFindings("demo", { k: { severity: "note", message: "[open" } })).toThrow(/unclosed/);
    expect(() => defineFindings("demo", { k: { severity: "note", message: "close]" } })).toThrow(/without/);
  });
});
