// The field catalogue must be lossless: the stream leaves out a catalogued field's label and blurb, so every
// field the dissectors make must carry exactly its catalogued words, and ids must be unique.
import { describe, expect, it } from "vitest";
import { catalogued, cataloguedFields } from "./catalogue";
import type { FieldNode } from "./core/types";
import { fixtureFrames } from "./testdata/fixtures";

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
    const trees = fixtureFrames().map((frame) => frame.fields);
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
