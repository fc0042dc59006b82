import { describe, it, expect } from "vitest";
import { createCursor } from "./cursor";
import { defineFields, namesOf } from "./fields";
import { defineFindings } from "./findings";
import { englishDisplay } from "./formats";
import type { FieldNode } from "./types";

const display = (node: FieldNode | undefined) => node && englishDisplay(node);
import { coverageProblems } from "./tree";

const f = defineFields("demo", {
  byte: { label: "Byte", type: "u8", blurb: "One byte." },
  word: { label: "Word", type: "u16", blurb: "Two bytes." },
  long: { label: "Long", type: "u32", blurb: "Four bytes." },
  huge: { label: "Huge", type: "u64", blurb: "Eight bytes." },
  kind: { label: "Kind", type: "u8", names: namesOf({ Hello: 1, Bye: 2 }), blurb: "What it is." },
  payload: { label: "Payload", type: "bytes", blurb: "The rest." },
  name: { label: "Name", type: "text", blurb: "A name." },
  header: { label: "Header", type: "none", blurb: "A group." },
  fin: { label: "FIN", type: "bool", bitmask: 0x80, blurb: "Last fragment." },
  rsv: { label: "RSV", type: "u8", bitmask: 0x70, blurb: "Reserved." },
  opcode: { label: "Opcode", type: "u8", bitmask: 0x0f, names: namesOf({ Text: 1 }), blurb: "Frame type." },
  flags: { label: "Flags", type: "u16", blurb: "TCP flags." },
  "flags.ack": { label: "ACK", type: "bool", bitmask: 0x0010, blurb: "Acknowledgment." },
  "flags.syn": { label: "SYN", type: "bool", bitmask: 0x0002, blurb: "Synchronize." },
  "flags.fin": { label: "FIN", type: "bool", bitmask: 0x0001, blurb: "Finish." },
});

const bytes = (...b: number[]) => new Uint8Array(b);

describe("cursor numbers", () => {
  it("reads big-endian by default and little-endian on request", () => {
    const cur = createCursor(bytes(0x0a, 0x1f, 0x90, 0x90, 0x1f, 0, 0, 0, 1, 1, 0, 0, 0), "demo");
    expect(cur.u8(f.byte)).toBe(10);
    expect(cur.u16(f.word)).toBe(8080);
    expect(cur.u16(f.word, { littleEndian: true })).toBe(8080);
    expect(cur.u32(f.long)).toBe(1);
    expect(cur.u32(f.long, { littleEndian: true })).toBe(1);
    expect(cur.remaining).toBe(0);
    const frame = cur.frame("ok");
    expect(frame.fields.map((n) => [n.id, n.offset, n.length, englishDisplay(n)])).toEqual([
      ["demo.byte", 0, 1, "0x0a (10)"],
      ["demo.word", 1, 2, "0x1f90 (8080)"],
      ["demo.word", 3, 2, "0x1f90 (8080)"],
      ["demo.long", 5, 4, "0x00000001 (1)"],
      ["demo.long", 9, 4, "0x00000001 (1)"],
    ]);
    expect(frame.fields[0]).toMatchObject({ label: "Byte", blurb: "One byte.", bitmask: 0, children: [] });
    expect(frame.findings).toEqual([]);
    expect(coverageProblems(frame)).toEqual([]);
  });

  it("reads u64 as a bigint and unsigned u32 above 2^31", () => {
    const cur = createCursor(bytes(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 1, 0), "demo");
    expect(cur.u32(f.long)).toBe(0xffffffff);
    expect(cur.u64(f.huge)).toBe(256n);
  });

  it("names values from the spec", () => {
    const cur = createCursor(bytes(2, 7), "demo");
    expect(cur.u8(f.kind)).toBe(2);
    cur.u8(f.kind);
    expect(cur.frame("").fields.map((n) => englishDisplay(n))).toEqual(["Bye (2)", "Unknown (7)"]);
  });
});

describe("cursor bit fields", () => {
  it("reads several fields from one byte, each with its mask", () => {
    const cur = createCursor(bytes(0x81), "demo");
    const [fin, rsv, opcode] = cur.bits(1, [f.fin, f.rsv, f.opcode]);
    expect([fin, rsv, opcode]).toEqual([1, 0, 1]);
    expect(cur.offset).toBe(1);
    const frame = cur.frame("");
    expect(frame.fields.map((n) => [n.id, n.offset, n.length, n.bitmask, englishDisplay(n)])).toEqual([
      ["demo.fin", 0, 1, 0x80, "Set"],
      ["demo.rsv", 0, 1, 0x70, "0"],
      ["demo.opcode", 0, 1, 0x0f, "Text (1)"],
    ]);
    expect(coverageProblems(frame)).toEqual([]);
  });

  it("reads a flags word with one child per flag", () => {
    const cur = createCursor(bytes(0x00, 0x12), "demo");
    expect(cur.flags(f.flags, 2, [f["flags.ack"], f["flags.syn"], f["flags.fin"]])).toBe(0x12);
    const [word] = cur.frame("").fields;
    expect(word).toMatchObject({ id: "demo.flags", offset: 0, length: 2, bitmask: 0, value: { format: "flags", value: 0x12, digits: 4, set: "demo.flags.ack demo.flags.syn" } });
    expect(display(word)).toBe("0x0012 (ACK, SYN)");
    expect(word?.children.map((n) => [n.id, n.bitmask, englishDisplay(n)])).toEqual([
      ["demo.flags.ack", 0x10, "Set"],
      ["demo.flags.syn", 0x02, "Set"],
      ["demo.flags.fin", 0x01, "Not set"],
    ]);
    expect(createCursor(bytes(0, 0), "demo").flags(f.flags, 2, [f["flags.fin"]])).toBe(0);
  });

  it("shares the nodes of a word at an offset between frames, and keeps offsets and displays right", () => {
    const specs = [f.fin, f.rsv, f.opcode] as const;
    const read = (at: number, ...data: number[]) => {
      const cur = createCursor(bytes(...data), "demo");
      cur.skip(at);
      cur.bits(1, specs);
      return cur.frame("").fields;
    };
    const first = read(0, 0x81);
    expect(read(0, 0x81)).toEqual(first);
    expect(read(0, 0x81)[0]).toBe(first[0]);
    expect(read(1, 0, 0x81).map((n) => [n.offset, englishDisplay(n)])).toEqual([
      [1, "Set"],
      [1, "0"],
      [1, "Text (1)"],
    ]);
    expect(read(0, 0x02).map((n) => englishDisplay(n))).toEqual(["Not set", "0", "Unknown (2)"]);
    // More words than the cache holds (a 20-bit flow label in every packet): each still reads right.
    const label = defineFields("demo", { flow: { label: "Flow", type: "u32", bitmask: 0x000fffff, blurb: "Flow label." } });
    for (let w = 0; w < 20_000; w += 7) {
      const cur = createCursor(bytes(0, (w >>> 16) & 0x0f, (w >>> 8) & 0xff, w & 0xff), "demo");
      expect(cur.bits(4, [label.flow])).toEqual([w]);
      expect(display(cur.frame("").fields[0])).toBe(String(w));
    }
  });

  it("reads bits little-endian", () => {
    const low = defineFields("demo", { low: { label: "Low", type: "u16", bitmask: 0x00ff, blurb: "Low byte." } });
    expect(createCursor(bytes(0x34, 0x12), "demo").bits(2, [low.low], { littleEndian: true })).toEqual([0x34]);
  });
});

describe("cursor bounds", () => {
  it("records one truncation finding, keeps the partial tree and returns 0", () => {
    const cur = createCursor(bytes(1, 2, 3), "demo");
    expect(cur.u16(f.word)).toBe(0x0102);
    expect(cur.u32(f.long)).toBe(0);
    expect(cur.truncated).toBe(true);
    expect(cur.u8(f.byte)).toBe(0);
    expect(cur.u64(f.huge)).toBe(0n);
    expect(cur.bits(1, [f.fin])).toEqual([0]);
    expect(cur.flags(f.flags, 2, [])).toBe(0);
    const frame = cur.frame("partial");
    expect(frame.findings).toEqual([expect.objectContaining({ code: "demo.truncated", severity: "error", offset: 2, length: 1 })]);
    expect(frame.fields.map((n) => [n.id, n.offset, n.length, englishDisplay(n)])).toEqual([
      ["demo.word", 0, 2, "0x0102 (258)"],
      ["demo.long", 2, 1, "truncated: 1 of 4 bytes"],
    ]);
    expect(coverageProblems(frame)).toEqual([]);
  });

  it("returns the bytes and text that are there", () => {
    const cur = createCursor(new TextEncoder().encode("hey"), "demo");
    expect(cur.text(f.name, 2)).toBe("he");
    expect(Array.from(cur.bytes(f.payload, 10))).toEqual([0x79]);
    const frame = cur.frame("");
    expect(frame.fields.map((n) => englishDisplay(n))).toEqual(['"he"', "79 (truncated: 1 of 10 bytes)"]);
    expect(frame.findings.map((x) => x.code)).toEqual(["demo.truncated"]);
  });

  it("reads lengths from the wire without throwing on nonsense", () => {
    const cur = createCursor(bytes(1, 2), "demo");
    expect(cur.bytes(f.payload, -5).length).toBe(0);
    expect(cur.bytes(f.payload, Number.NaN).length).toBe(0);
    expect(cur.bytes(f.payload, 1.7).length).toBe(1);
    cur.skip(-1);
    expect(cur.offset).toBe(1);
    expect(cur.bytes(f.payload, Infinity).length).toBe(1);
    expect(cur.truncated).toBe(true);
    cur.skip(3);
    expect(cur.remaining).toBe(0);
  });

  it("decodes text in other encodings", () => {
    const cur = createCursor(bytes(0x68, 0x00, 0x69, 0x00, 0xe9), "demo");
    expect(cur.text(f.name, 4, "utf-16le")).toBe("hi");
    expect(cur.text(f.name, 1, "latin1")).toBe("é");
  });
});

describe("cursor subtrees", () => {
  it("nests children and moves to the subtree's end", () => {
    const cur = createCursor(bytes(5, 0, 1, 9, 9, 7), "demo");
    cur.subtree(f.header, 5, (c) => {
      c.u8(f.byte);
      c.u16(f.word);
      return "a header";
    });
    expect(cur.offset).toBe(5);
    cur.u8(f.byte);
    const frame = cur.frame("");
    expect(frame.fields.map((n) => [n.id, n.offset, n.length, englishDisplay(n), n.children.length])).toEqual([
      ["demo.header", 0, 5, "a header", 2],
      ["demo.byte", 5, 1, "0x07 (7)", 0],
    ]);
    expect(coverageProblems(frame)).toEqual(["bytes 3..4 covered 0 times"]);
  });

  it("stops reads at the subtree's end even when bytes follow", () => {
    const cur = createCursor(bytes(1, 2, 3, 4), "demo");
    cur.subtree(f.header, 1, (c) => {
      expect(c.remaining).toBe(1);
      expect(c.u16(f.word)).toBe(0);
    });
    expect(cur.u16(f.word)).toBe(0x0203);
    const frame = cur.frame("");
    expect(frame.findings).toEqual([expect.objectContaining({ code: "demo.truncated", offset: 0, length: 1 })]);
    expect(frame.findings[0]?.message).toContain("Header");
  });

  it("clamps a subtree longer than the bytes and reports it", () => {
    const cur = createCursor(bytes(1, 2), "demo");
    cur.subtree(f.header, 10, (c) => void c.bytes(f.payload, c.remaining));
    const frame = cur.frame("");
    expect(frame.fields[0]).toMatchObject({ offset: 0, length: 2, value: { format: "byte_count", n: 2 } });
    expect(frame.findings.map((x) => x.code)).toEqual(["demo.truncated"]);
    expect(coverageProblems(frame)).toEqual([]);
  });

  it("push and pop size a node by what was read", () => {
    const cur = createCursor(bytes(1, 2, 3), "demo");
    cur.push(f.header);
    cur.u8(f.byte);
    cur.u8(f.byte);
    cur.pop("two bytes");
    cur.pop(); // unbalanced: ignored
    cur.push(f.header);
    cur.u8(f.byte);
    const frame = cur.frame(""); // closes the open node
    expect(frame.fields.map((n) => [n.offset, n.length, englishDisplay(n), n.children.length])).toEqual([
      [0, 2, "two bytes", 2],
      [2, 1, "1 byte", 1],
    ]);
  });

  it("does not let pop close a subtree from inside it", () => {
    const cur = createCursor(bytes(1, 2), "demo");
    cur.subtree(f.header, 2, (c) => {
      c.pop();
      c.u8(f.byte);
    });
    expect(cur.frame("").fields[0]?.children.map((n) => n.id)).toEqual(["demo.byte"]);
  });

  it("records findings from the table, at the cursor or where asked", () => {
    const x = defineFindings("demo", {
      odd: { severity: "warn", message: "Odd." },
      range: { severity: "note", forms: { short: "{n:bytes} too short.", long: "Too long." } },
    });
    const cur = createCursor(bytes(1, 2), "demo");
    cur.u8(f.byte);
    cur.finding(x.odd);
    cur.finding(x.range.short, { n: 1 }, 0, 2);
    cur.finding(x.range.long, 1);
    expect(cur.frame("").findings).toEqual([
      { code: "demo.odd", severity: "warn", message: "Odd.", offset: 1, length: 0 },
      { code: "demo.range", severity: "note", message: "1 byte too short.", offset: 0, length: 2, args: { n: 1 }, form: "short" },
      { code: "demo.range", severity: "note", message: "Too long.", offset: 1, length: 0, form: "long" },
    ]);
  });

  it("words a truncation with the fields it concerns", () => {
    const cur = createCursor(bytes(1, 2, 3), "demo");
    cur.subtree(f.header, 3, (c) => void c.u32(f.long));
    expect(cur.frame("").findings).toEqual([
      {
        code: "demo.truncated",
        severity: "error",
        message: "Long needs 4 bytes at offset 0, but the enclosing Header ends after 3 bytes.",
        offset: 0,
        length: 3,
        args: { field: "demo.long", label: "Long", wanted: 4, offset: 0, have: 3, within: "demo.header", withinLabel: "Header" },
        form: "within",
      },
    ]);
    const skipped = createCursor(bytes(1), "demo");
    skipped.skip(2);
    expect(skipped.frame("").findings[0]).toMatchObject({ form: "skip", message: "Skipping 2 bytes at offset 0 runs past the end of the data, which ends after 1 byte." });
  });

  it("builds a frame over all of its input", () => {
    const data = bytes(9, 9, 9).subarray(1);
    const cur = createCursor(data, "demo");
    cur.bytes(f.payload, 2);
    expect(cur.frame("2 bytes")).toMatchObject({ protocol: "demo", summary: "2 bytes", offset: 0, length: 2 });
  });
});

describe("cursor without a tree", () => {
  it("reads the same values, advances the same and reports the same findings, with no fields", () => {
    const read = (tree: boolean) => {
      const cur = createCursor(bytes(0x81, 0x00, 0x12, 1, 2, 3), "demo", tree);
      const values: unknown[] = [cur.bits(1, [f.fin, f.rsv, f.opcode]), cur.flags(f.flags, 2, [f["flags.ack"], f["flags.syn"]]), cur.u16(f.word)];
      cur.push(f.word);
      values.push(cur.u32(f.long), cur.offset, cur.tree);
      cur.pop();
      return { values, frame: cur.frame("x") };
    };
    const full = read(true);
    const bare = read(false);
    expect(full.frame.fields.length).toBeGreaterThan(0);
    expect(bare.values).toEqual([...full.values.slice(0, -1), false]);
    expect(bare.frame).toEqual({ ...full.frame, fields: [] });
    expect(bare.frame.findings.map((x) => x.code)).toEqual(["demo.truncated"]);
  });
});
