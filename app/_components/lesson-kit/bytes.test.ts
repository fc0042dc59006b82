import { describe, expect, it } from "vitest";
import { characterBytes, countCharacters, parseHex, toHex, utf8, visibleText } from "./bytes";

describe("bytes and characters", () => {
  it("counts the seed's greeting as 14 characters and 26 UTF-8 bytes", () => {
    expect(countCharacters("Привет, клиент")).toBe(14);
    expect(utf8("Привет, клиент").length).toBe(26);
    expect(characterBytes("Пр,").map((c) => toHex(c.bytes))).toEqual(["d0 9f", "d1 80", "2c"]);
  });

  it("counts an emoji as one character", () => {
    expect(countCharacters("a😀")).toBe(2);
  });
});

describe("parseHex", () => {
  it("reads pairs of hex digits with any separators", () => {
    for (const input of ["68 69 0a", "68690A", "0x68, 0x69, 0x0a", "68:69:0a"]) {
      const parsed = parseHex(input);
      expect(parsed.ok && toHex(parsed.bytes)).toBe("68 69 0a");
    }
  });

  it("says what is wrong", () => {
    expect(parseHex("6g")).toEqual({ ok: false, reason: "badChar" });
    expect(parseHex("686")).toEqual({ ok: false, reason: "oddLength" });
    expect(parseHex("")).toEqual({ ok: true, bytes: new Uint8Array(0) });
  });
});

describe("visibleText", () => {
  it("spells out control characters like Python's repr", () => {
    expect(visibleText("2026-11-21T15:58:03.123456\n")).toBe("2026-11-21T15:58:03.123456\\n");
    expect(visibleText("a\r\t\u0000")).toBe("a\\r\\t\\x00");
  });
});
