// Golden-file text for dissected frames, the leaf-coverage check, and hex fixtures.
// The tree format follows llhttp's test logs (`off=2 len=2 websocket.payload_length_ext16=300`), one line
// per node, two spaces per depth:
//   frame off=0 len=6 proto=text summary: "hello\n"
//     off=0 len=6 text.line="hello\n"
//       off=0 len=5 text.line.content="hello"
//       off=5 len=1 text.line.terminator=LF
//     finding text.encoding chat off=0 len=6: ASCII: 6 bytes, 6 characters, one byte each.
// Bit fields add `mask=0x80`. Node offsets are relative to their frame, as in FieldNode. Values read in English,
// from the same templates a page uses (core/formats.ts).

import { hex } from "./fields";
import { englishDisplay } from "./formats";
import type { DissectedFrame, FieldNode } from "./types";

export function formatTree(frames: readonly DissectedFrame[]): string {
  const lines: string[] = [];
  const node = (n: FieldNode, depth: number): void => {
    const mask = n.bitmask ? ` mask=${hex(n.bitmask, n.length)}` : "";
    lines.push(`${"  ".repeat(depth)}off=${n.offset} len=${n.length}${mask} ${n.id}=${englishDisplay(n)}`);
    for (const c of n.children) node(c, depth + 1);
  };
  for (const f of frames) {
    lines.push(`frame off=${f.offset} len=${f.length} proto=${f.protocol} summary: ${f.summary}`);
    for (const n of f.fields) node(n, 1);
    for (const x of f.findings) lines.push(`  finding ${x.code} ${x.severity} off=${x.offset} len=${x.length}: ${x.message}`);
  }
  return lines.map((l) => `${l}\n`).join("");
}

function leaves(nodes: readonly FieldNode[], out: FieldNode[] = []): FieldNode[] {
  for (const n of nodes) {
    if (n.children.length === 0) out.push(n);
    else leaves(n.children, out);
  }
  return out;
}

/**
 * How many leaves cover each byte of the frame. Bit fields that share one word (same offset and length,
 * nonzero bitmask) count once together, as Wireshark's bitmask items do.
 */
export function leafCoverage(frame: DissectedFrame): number[] {
  const counts = new Array<number>(frame.length).fill(0);
  const words = new Set<string>();
  for (const leaf of leaves(frame.fields)) {
    if (leaf.bitmask) {
      const key = `${leaf.offset}:${leaf.length}`;
      if (words.has(key)) continue;
      words.add(key);
    }
    for (let i = Math.max(0, leaf.offset); i < Math.min(frame.length, leaf.offset + leaf.length); i++) {
      counts[i] = (counts[i] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * What is wrong with the frame's tree, in words; [] when the leaves cover every byte exactly once, every
 * node lies inside its parent and the frame, bit fields of one word do not share bits, and findings lie
 * inside the frame.
 */
export function coverageProblems(frame: DissectedFrame): string[] {
  const problems: string[] = [];
  const inside = (n: FieldNode, from: number, to: number): boolean => n.offset >= from && n.offset + n.length <= to;
  const check = (n: FieldNode, from: number, to: number, parent: string): void => {
    if (!inside(n, from, to)) problems.push(`${n.id} off=${n.offset} len=${n.length} lies outside ${parent}`);
    for (const c of n.children) check(c, n.offset, n.offset + n.length, n.id);
  };
  for (const n of frame.fields) check(n, 0, frame.length, "the frame");

  const masks = new Map<string, number>();
  for (const leaf of leaves(frame.fields)) {
    if (!leaf.bitmask) continue;
    const key = `${leaf.offset}:${leaf.length}`;
    const seen = masks.get(key) ?? 0;
    if (seen & leaf.bitmask) problems.push(`${leaf.id} off=${leaf.offset} shares bits with another field of its word`);
    masks.set(key, seen | leaf.bitmask);
  }

  const counts = leafCoverage(frame);
  for (let i = 0; i < counts.length; ) {
    const c = counts[i] ?? 0;
    let j = i + 1;
    while (j < counts.length && counts[j] === c) j++;
    if (c !== 1) problems.push(`bytes ${i}..${j - 1} covered ${c} times`);
    i = j;
  }

  for (const x of frame.findings) {
    if (x.offset < 0 || x.length < 0 || x.offset + x.length > frame.length) {
      problems.push(`finding ${x.code} off=${x.offset} len=${x.length} lies outside the frame`);
    }
  }
  return problems;
}

/** Bytes from a hex fixture: pairs of hex digits, any whitespace, `#` comments to the end of the line. */
export function parseHex(text: string): Uint8Array {
  const digits = text.replace(/#.*$/gm, "").replace(/\s+/g, "");
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error("parseHex: expected pairs of hex digits");
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** Lowercase hex pairs, `perLine` bytes to a line. */
export function toHex(bytes: Uint8Array, perLine = 16): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    lines.push(Array.from(bytes.subarray(i, i + perLine), (b) => b.toString(16).padStart(2, "0")).join(" "));
  }
  return lines.map((l) => `${l}\n`).join("");
}

/** The first node with this id, depth first, in a tree. */
export function findNode(nodes: readonly FieldNode[], id: string): FieldNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const inner = findNode(n.children, id);
    if (inner) return inner;
  }
  return undefined;
}
