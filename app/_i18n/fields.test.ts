// Every field the dissectors declare has its Russian words, and they keep the English facts.
import { describe, expect, it } from "vitest";
import { cataloguedFields } from "@/server/dissect/catalogue";
import { fieldWords } from "./fields";
import { FIELDS_RU } from "./fields-ru";

/** Numbers (RFC 9293, 0x0a, 1 to 4094) that a translation must keep; acronyms may be spelt out (LAN, OS). */
function facts(text: string): string[] {
  return [...text.matchAll(/\b(?:0x[0-9a-f]+|\d+)\b/g)].map((m) => m[0]).sort();
}

describe("Russian field words", () => {
  const fields = cataloguedFields();

  it("cover exactly the catalogued fields", () => {
    expect(Object.keys(FIELDS_RU).sort()).toEqual(fields.map((f) => f.id).sort());
  });

  it("are Russian, and keep every number of the English", () => {
    for (const spec of fields) {
      const ru = FIELDS_RU[spec.id]!;
      expect(ru.label.trim(), spec.id).not.toBe("");
      expect(ru.blurb, spec.id).toMatch(/[а-яё]/i);
      expect(facts(ru.blurb), `${spec.id}: ${ru.blurb}`).toEqual(expect.arrayContaining(facts(spec.blurb)));
    }
  });

  it("are looked up by locale, with English for English and nothing for an unknown id", () => {
    expect(fieldWords("en", "tcp.srcport")).toMatchObject({ label: "Source port" });
    expect(fieldWords("ru", "tcp.srcport")).toEqual(FIELDS_RU["tcp.srcport"]);
    expect(fieldWords("ru", "tcp.srcport")?.label).not.toBe("Source port");
    expect(fieldWords("ru", "nope.field")).toBeUndefined();
  });
});
