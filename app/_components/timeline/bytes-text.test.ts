import { describe, expect, it } from "vitest";
import { textCells } from "./bytes-text";

const hex = (text: string) => Uint8Array.from(text.split(/\s+/).filter(Boolean).map((b) => parseInt(b, 16)));
const shown = (data: Uint8Array, start = 0, end = data.length) => textCells(data, start, end).map((c) => `${c.offset}+${c.length}:${c.text}`);

describe("textCells", () => {
  it("lays each Cyrillic letter over its two bytes, and ASCII a byte each", () => {
    // "Привет, клиент" as the greeting server sends it: 26 bytes.
    const data = new TextEncoder().encode("Привет, клиент");
    const cells = textCells(data, 0, data.length);
    expect(cells.map((c) => c.text).join("")).toBe("Привет, клиент");
    expect(cells.reduce((n, c) => n + c.length, 0)).toBe(26);
    expect(cells.slice(0, 2)).toEqual([
      { offset: 0, length: 2, text: "П" },
      { offset: 2, length: 2, text: "р" },
    ]);
    expect(cells[6]).toEqual({ offset: 12, length: 1, text: "," });
  });

  it("shows three- and four-byte characters over their bytes", () => {
    expect(shown(hex("e2 82 ac 41 f0 9f 98 80"))).toEqual(["0+3:€", "3+1:A", "4+4:😀"]);
  });

  it("splits a character at the end of a row and leaves its tail blank on the next", () => {
    const data = hex("41 d0 9f 42");
    expect(shown(data, 0, 2)).toEqual(["0+1:A", "1+1:П"]);
    expect(shown(data, 2, 4)).toEqual(["2+1:", "3+1:B"]);
  });

  it("shows a dot for each byte that is not a visible character", () => {
    // invalid lead, a lone continuation, an overlong "/", a surrogate, a cut sequence, controls, NBSP, a zero-width space, U+202E
    expect(shown(hex("ff 80 c0 af ed a0 80 0a 00"))).toEqual(["0+1:.", "1+1:.", "2+1:.", "3+1:.", "4+1:.", "5+1:.", "6+1:.", "7+1:.", "8+1:."]);
    expect(shown(hex("c2 a0 e2 80 8b e2 80 ae d0"))).toEqual(["0+1:.", "1+1:.", "2+1:.", "3+1:.", "4+1:.", "5+1:.", "6+1:.", "7+1:.", "8+1:."]);
    // A combining acute accent alone would sit on its neighbour's cell.
    expect(shown(hex("cc 81"))).toEqual(["0+1:.", "1+1:."]);
  });

  it("starts a row inside invalid bytes without borrowing from the row above", () => {
    const data = hex("ff 80 80 41");
    expect(shown(data, 1, 4)).toEqual(["1+1:.", "2+1:.", "3+1:A"]);
  });
});
