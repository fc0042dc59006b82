// The field catalogue must be lossless: the stream leaves out a catalogued field's label and blurb, so every
// field the dissectors make must carry exactly its catalogued words, and ids must be unique.
import { describe, expect, it } from "vitest";
// eslint-disable-next-line no-restricted-imports
import { readdirSync, readFileSync } from "node:fs";
import { catalogued, cataloguedFields } from "./catalogue";
import { parseHex } from "./core/tree";
import type { FieldNode } from "./core/types";
import { dissectPacket } from "./packet";
import { createTcpAnalyzer } from "./tcp-analysis";
import { dissectText } from "./text";
import { loadPacketFixtures } from "./testdata/fixtures";

function* nodes(list: readonly FieldNode[]): Generator<FieldNode> {
  for (const node of list) {
    yield node;
    yield* nodes(node.children);
  }
}

describe("field catalogue", () => {
  it("declares each id once", () => {
    const ids = cataloguedFields().map((spec) => spec.id);
    expect(ids.length).toBeGreaterThan(100);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("holds every field of every fixture with the words the dissector gave it", () => {
    const seen = new Set<string>();
    const trees: FieldNode[][] = [];
    for (const fx of loadPacketFixtures()) {
      const analyzer = createTcpAnalyzer();
      for (const bytes of fx.packets) for (const frame of dissectPacket(fx.link, bytes, { analyzer }).frames) trees.push(frame.fields);
    }
    const testdata = new URL("./testdata/", import.meta.url);
    for (const file of readdirSync(testdata).filter((name) => name.startsWith("text-") && name.endsWith(".hex"))) {
      for (const frame of dissectText(parseHex(readFileSync(new URL(file, testdata), "utf8")))) trees.push(frame.fields);
    }
    for (const tree of trees) {
      for (const node of nodes(tree)) {
        const spec = catalogued(node.id);
        expect(spec, node.id).toBeDefined();
        expect([node.label, node.blurb], node.id).toEqual([spec?.label, spec?.blurb]);
        seen.add(node.id);
      }
    }
    // The fixtures reach the link layers, IPv4, IPv6, TCP, UDP, text and data.
    for (const proto of ["eth", "sll", "null", "ipv4", "ipv6", "tcp", "udp", "text", "data"]) {
      expect([...seen].some((id) => id.startsWith(`${proto}.`)), proto).toBe(true);
    }
  });
});
