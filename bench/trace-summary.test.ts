import { describe, expect, it } from "vitest";
import { mainThread, selfTimeByKind, selfTimeByName, type TraceEvent } from "./trace-summary";

const meta = (pid: number, tid: number, name: string): TraceEvent => ({ name: "thread_name", ph: "M", pid, tid, ts: 0, args: { name } });
const x = (name: string, ts: number, dur: number, tid = 1): TraceEvent => ({ name, ph: "X", pid: 7, tid, ts, dur });

describe("trace summary", () => {
  it("picks the busiest CrRendererMain thread", () => {
    const events = [meta(7, 1, "CrRendererMain"), meta(7, 2, "CrRendererMain"), meta(7, 3, "Compositor"), x("Layout", 0, 10, 2), x("Paint", 20, 5, 2), x("Layout", 0, 10, 1), x("A", 0, 1, 3), x("B", 2, 1, 3), x("C", 4, 1, 3)];
    expect(mainThread(events)).toEqual({ pid: 7, tid: 2 });
    expect(mainThread([x("Layout", 0, 10)])).toBeNull();
  });

  it("subtracts nested events from their parents and clips overlaps", () => {
    // RunTask 0..10000 µs holds FunctionCall 1000..7000, which holds Layout 2000..3000; Paint 8000..12000 overlaps
    // RunTask's end and is clipped to 8000..10000. Another thread's event is not counted.
    const events = [x("RunTask", 0, 10_000), x("FunctionCall", 1_000, 6_000), x("Layout", 2_000, 1_000), x("Paint", 8_000, 4_000), x("Layout", 0, 50_000, 9)];
    const self = selfTimeByName(events, { pid: 7, tid: 1 });
    expect(Object.fromEntries(self)).toEqual({ RunTask: 2, FunctionCall: 5, Layout: 1, Paint: 2 });
    expect(Object.fromEntries(selfTimeByKind(self))).toEqual({ other: 2, script: 5, layout: 1, paint: 2 });
  });

  it("times events that start together, the longer as the parent", () => {
    const self = selfTimeByName([x("Layout", 0, 1_000), x("RunTask", 0, 3_000)], { pid: 7, tid: 1 });
    expect(Object.fromEntries(self)).toEqual({ RunTask: 2, Layout: 1 });
  });

  it("counts every GC event name as gc", () => {
    expect(Object.fromEntries(selfTimeByKind(new Map([["V8.GC_MC_SWEEP", 1], ["MinorGC", 2], ["UpdateLayoutTree", 3]])))).toEqual({ gc: 3, style: 3 });
  });
});
