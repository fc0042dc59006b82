import { describe, expect, it } from "vitest";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import { copiedText, hexDumpLines, rawHex, shownSide, streamOffsets, textLines } from "./follow-stream-model";

const bytes = (s: string) => new TextEncoder().encode(s);
const C = Direction.CLIENT_TO_SERVER;
const S = Direction.SERVER_TO_CLIENT;

describe("follow stream views", () => {
  it("splits text at LF, takes a CR before it along, and keeps an open last line", () => {
    expect(textLines(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))).toEqual(["GET / HTTP/1.1", "Host: x", ""]);
    expect(textLines(bytes("ECHO: hello"))).toEqual(["ECHO: hello"]);
    expect(textLines(bytes("a\nb"))).toEqual(["a", "b"]);
  });

  it("shows a UTF-8 character as itself and a byte that prints nothing as a dot", () => {
    expect(textLines(bytes("Привет\tмир"))).toEqual(["Привет.мир"]);
    expect(textLines(new Uint8Array([0x00, 0x41, 0xff, 0x0d, 0x42]))).toEqual([".A..B"]);
  });

  it("dumps hex as xxd does, offsets counted from where the chunk starts in its direction", () => {
    const lines = hexDumpLines(bytes("0123456789abcdefXY"), 0x20);
    expect(lines[0]).toBe("00000020  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  0123456789abcdef");
    expect(lines[1]).toMatch(/^00000030 {2}58 59 +XY$/);
    // A short last row keeps the text column where the full rows have it.
    expect(lines[1]!.indexOf("XY")).toBe(lines[0]!.indexOf("0123"));
    expect(lines).toHaveLength(2);
    expect(rawHex(new Uint8Array([0, 0xab, 0x10]))).toBe("00ab10");
  });

  it("counts each direction's offsets on its own and filters by side", () => {
    const chunks = [
      { seq: 1n, direction: S, data: bytes("Welcome\n") },
      { seq: 2n, direction: C, data: bytes("hi") },
      { seq: 3n, direction: S, data: bytes("ECHO: hi") },
      { seq: 4n, direction: C, data: bytes("bye") },
    ];
    expect(streamOffsets(chunks)).toEqual([0, 0, 8, 2]);
    expect(shownSide(C, "client")).toBe(true);
    expect(shownSide(S, "client")).toBe(false);
    // As text, the bytes as they were sent, one chunk after another.
    expect(copiedText(chunks, "text", "both")).toBe("Welcome\nhiECHO: hibye");
    expect(copiedText(chunks, "text", "server")).toBe("Welcome\nECHO: hi");
    expect(copiedText(chunks, "raw", "client")).toBe("6869\n627965");
  });
});
