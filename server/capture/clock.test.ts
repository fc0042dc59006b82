// The timeline's one clock: a wall clock time (a captured packet's) lands on the monotonic time of the same
// moment however far the wall clock has drifted or been stepped since the process started.

import { afterEach, describe, expect, it, vi } from "vitest";
import { monoFromWall, reanchorClock, wallFromMono } from "./clock";

afterEach(() => {
  vi.restoreAllMocks();
  reanchorClock();
});

/** A wall clock that runs 0.5% fast (the drift seen on a lab host) and `stepMs` off, read in whole ms as Date.now() is. */
function skewWallClock(stepMs: number) {
  const base = Date.now() - performance.now();
  vi.spyOn(Date, "now").mockImplementation(() => Math.floor(base + stepMs + performance.now() * 1.005));
}

describe("the timeline's clock", () => {
  it("places a wall clock time on the monotonic clock within a millisecond, after a drift and a step", () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    try {
      vi.advanceTimersByTime(25 * 60_000);
      skewWallClock(90_000);
      reanchorClock();
      const mono = performance.now();
      const wall = Date.now();
      // Date.now() counts whole milliseconds: within one of the truth.
      expect(Math.abs(monoFromWall(wall) - mono)).toBeLessThan(1);
      expect(Math.abs(wallFromMono(mono) - wall)).toBeLessThan(1);
      // The offset of the process's start would have put it minutes away.
      expect(Math.abs(wall - performance.timeOrigin - mono)).toBeGreaterThan(60_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("measures the offset again once it is a second old, so a drifting clock is followed", () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    try {
      let wall = 1_000_000;
      vi.spyOn(Date, "now").mockImplementation(() => wall);
      reanchorClock();
      expect(monoFromWall(wall)).toBeCloseTo(performance.now(), 6);
      // 10 s later by the monotonic clock, the wall clock has gained 50 ms more.
      vi.advanceTimersByTime(10_000);
      wall += 10_050;
      expect(monoFromWall(wall)).toBeCloseTo(performance.now(), 6);
      // Within a second the offset stands: a 5 ms step shows until the next measure.
      vi.advanceTimersByTime(500);
      wall += 505;
      expect(monoFromWall(wall) - performance.now()).toBeCloseTo(5, 6);
    } finally {
      vi.useRealTimers();
    }
  });
});
