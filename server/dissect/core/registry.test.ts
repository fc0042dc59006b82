import { describe, it, expect } from "vitest";
import { dissectorFor, labRegistry, PROTOCOLS, registryOf } from "../protocols";
import { textDissector } from "../text";
import { createRegistry, dataDissector } from "./registry";
import type { DissectContext, Dissector } from "./types";

const ctx: DissectContext = { direction: "s2c" };
const fake = (id: string): Dissector => ({ id, name: id, dissect: () => [] });
const text = (s: string) => new TextEncoder().encode(s);

describe("registry", () => {
  it("picks by the first key found in the table", () => {
    const r = createRegistry();
    const echo = fake("echo");
    const http = fake("http1");
    r.registerDissector(echo);
    r.registerDissector(http);
    r.table("tcp.port").add(7, "echo").add(80, "http1");
    expect(r.pick("tcp.port", 7, text("x"), ctx)).toBe(echo);
    expect(r.pick("tcp.port", [80, 7], text("x"), ctx)).toBe(http);
    expect(r.pick("tcp.port", [50000, 7], text("x"), ctx)).toBe(echo);
    expect(r.table("tcp.port").get(80)).toBe(http);
  });

  it("lets a table entry name a dissector registered later, and replaces entries", () => {
    const r = createRegistry();
    r.table("tcp.port").add(9, "late");
    expect(r.pick("tcp.port", 9, text("x"), ctx)).toBe(dataDissector);
    const late = fake("late");
    r.registerDissector(late);
    expect(r.pick("tcp.port", 9, text("x"), ctx)).toBe(late);
    r.table("tcp.port").add(9, "data");
    expect(r.pick("tcp.port", 9, text("x"), ctx)).toBe(dataDissector);
  });

  it("keeps string-keyed tables apart from port tables", () => {
    const r = createRegistry();
    const ws = fake("websocket");
    r.registerDissector(ws);
    r.table("http.upgrade").add("websocket", "websocket");
    expect(r.pick("http.upgrade", "websocket", text(""), ctx)).toBe(ws);
    expect(r.pick("tcp.port", "websocket", text(""), ctx)).toBe(dataDissector);
  });

  it("falls back to heuristics in order, skipping ones that throw", () => {
    const r = createRegistry();
    const http = fake("http1");
    const jim = fake("jim");
    r.registerDissector(http);
    r.registerDissector(jim);
    r.heuristic("broken", () => true); // no such dissector: skipped
    r.heuristic("http1", () => {
      throw new Error("bad heuristic");
    });
    r.heuristic("jim", (b) => b[0] === 0x7b);
    r.heuristic("http1", (b) => b[0] === 0x47);
    expect(r.pick("tcp.port", 1234, text("{}"), ctx)).toBe(jim);
    expect(r.pick("tcp.port", 1234, text("GET /"), ctx)).toBe(http);
    expect(r.pick("tcp.port", 1234, text("?"), ctx)).toBe(dataDissector);
  });

  it("refuses two dissectors with one id", () => {
    const r = createRegistry();
    const a = fake("a");
    r.registerDissector(a);
    r.registerDissector(a);
    expect(() => r.registerDissector(fake("a"))).toThrow();
    expect(r.dissector("a")).toBe(a);
    expect(r.dissector("data")).toBe(dataDissector);
  });
});

describe("data dissector", () => {
  it("shows the bytes as one field", () => {
    const [frame, ...rest] = dataDissector.dissect(new Uint8Array([1, 2, 3]), ctx);
    expect(rest).toEqual([]);
    expect(frame).toMatchObject({ protocol: "data", summary: "3 bytes", offset: 0, length: 3, findings: [] });
    expect(frame?.fields).toEqual([expect.objectContaining({ id: "data.data", offset: 0, length: 3, value: { format: "bytes", hex: "01 02 03", n: 3 } })]);
    expect(dataDissector.dissect(new Uint8Array(1), ctx)[0]?.summary).toBe("1 byte");
    expect(dataDissector.dissect(new Uint8Array(), ctx)[0]).toMatchObject({ summary: "0 bytes", fields: [] });
  });
});

describe("the lab's registry", () => {
  it("holds every protocol module's dissector, by id, and reads unknown ids as data", () => {
    for (const m of PROTOCOLS) if (m.dissector) expect(labRegistry.dissector(m.id)).toBe(m.dissector);
    expect(dissectorFor("text")).toBe(textDissector);
    expect(dissectorFor("no-such-protocol")).toBe(dataDissector);
  });

  it("fills tables and heuristics from the modules", () => {
    const toy: Dissector = fake("toy");
    const r = registryOf([{ id: "toy", fields: [], dissector: toy, tables: [["tcp.port", 7777], ["http.upgrade", "toy"]], heuristic: (b) => b[0] === 0x7b }]);
    expect(r.pick("tcp.port", 7777, text("x"), ctx)).toBe(toy);
    expect(r.table("http.upgrade").get("toy")).toBe(toy);
    expect(r.pick("tcp.port", 1, text("{}"), ctx)).toBe(toy);
    expect(r.pick("tcp.port", 1, text("x"), ctx)).toBe(dataDissector);
  });
});
