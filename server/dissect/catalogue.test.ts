// The catalogue must be lossless: the stream leaves out a catalogued field's label and blurb and a catalogued
// finding's message, so every field the dissectors make must carry exactly its catalogued words, every finding
// must read as its catalogued template says, and ids and codes must be unique.
import { describe, expect, it } from "vitest";
import { catalogued, cataloguedFields, cataloguedFinding, cataloguedFindings } from "./catalogue";
import { renderFinding } from "./core/findings";
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

describe("finding catalogue", () => {
  it("declares each code and form once", () => {
    const keys = cataloguedFindings().map((spec) => `${spec.code} ${spec.form ?? ""}`);
    expect(keys.length).toBeGreaterThan(40);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("holds every finding of every fixture, whose message is its template filled with its values", () => {
    for (const finding of fixtureFrames().flatMap((frame) => frame.findings)) {
      const spec = cataloguedFinding(finding.code, finding.form);
      expect(spec, `${finding.code} ${finding.form ?? ""}`).toBeDefined();
      expect(finding.severity).toBe(spec?.severity);
      expect(renderFinding(spec!, finding.args)).toBe(finding.message);
    }
  });

  it("finds a protocol's own entry first, and the shared one for every protocol's truncation", () => {
    expect(cataloguedFinding("tcp.ack_nonzero")?.code).toBe("tcp.ack_nonzero");
    expect(cataloguedFinding("tcp.bad_header_length", "too_short")?.form).toBe("too_short");
    expect(cataloguedFinding("tcp.bad_header_length")).toBeUndefined();
    expect(cataloguedFinding("eth.truncated", "data")?.code).toBe("*.truncated");
    expect(cataloguedFinding("tcp.nonsense")).toBeUndefined();
  });
});
