// The event store's and the brief cache's bounds are bounds on the host's memory (issue 9): what they count for the
// events they hold is checked against what a child process measures those events to hold (heap and array buffers
// after full collections, store-cost.child.ts), for every shape of traffic the servers make.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Measured {
  readonly events: number;
  /** Heap and array buffers the events hold, after full collections. */
  readonly measured: number;
  /** What the store says it holds for them (allocatedBytes), or the brief cache (briefBytes). */
  readonly counted: number;
}

/**
 * Counted within this fraction of measured, either way. Measured on Node 20 (10,000 conversations a shape), counted
 * per event over measured: echo +8%, UDP +12% (its close's text is one string shared by all, counted for each),
 * connect-failed +9%, HTTP/1 +7%, JIM +13% (memos shared by events), segments +7%, briefs -9%.
 */
const TOLERANCE = 0.2;
/**
 * gRPC over HTTP/2 is counted a quarter under: its PDUs keep their frames and HPACK memos, built by spreads that give
 * many objects a hidden class of their own (V8 maps and descriptor arrays), which no walk over values can see.
 * Measured: 2,765 bytes an event, counted 2,046 (-26%). The cut is HTTP/2's capture pass (issue 9).
 */
const GRPC_UNDER = 0.3;

describe("what the store counts is what its events hold", () => {
  it("counts within 20% of the heap measured for each shape of traffic and for the brief cache, gRPC at most 30% under", { timeout: 120_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "--import", "tsx", "server/capture/store-cost.child.ts", "10000"], {
      cwd: root,
      maxBuffer: 1 << 20,
    });
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { shapes: (Measured & { shape: string })[]; briefs: Measured };
    const rows = [...result.shapes.map((s) => ({ name: s.shape, ...s })), { name: "briefs", ...result.briefs }];
    expect(rows.map((r) => r.name)).toEqual(["echo", "udp-echo", "connect-failed", "http1", "jim", "grpc", "segments", "briefs"]);
    for (const row of rows) {
      const perEvent = { name: row.name, measured: Math.round(row.measured / row.events), counted: Math.round(row.counted / row.events) };
      expect(row.events, row.name).toBeGreaterThanOrEqual(10_000);
      // The figures per event go with the verdict, so a failure says by how much.
      const off = (row.counted - row.measured) / row.measured;
      if (row.name === "grpc") expect(off, JSON.stringify(perEvent)).toBeGreaterThanOrEqual(-GRPC_UNDER);
      else expect(Math.abs(off), JSON.stringify(perEvent)).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});
