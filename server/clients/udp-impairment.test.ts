import { afterEach, describe, expect, it, vi } from "vitest";
import { createFates, createPrng, createSessionImpairment, IMPAIRMENT_BOUNDS, impairmentProblem, NO_IMPAIRMENT, type ImpairmentSettings } from "./udp-impairment";

afterEach(() => {
  vi.useRealTimers();
});

const base: ImpairmentSettings = { ...NO_IMPAIRMENT, seed: 42 };

/** What one direction does with datagrams 0..n-1, in the order they leave (fake timers run every delay). */
function outcome(settings: ImpairmentSettings, n: number) {
  vi.useFakeTimers();
  const impairment = createSessionImpairment(settings);
  const sent: string[] = [];
  const lost: string[] = [];
  const sink = {
    send: (bytes: Uint8Array, copy: boolean) => {
      sent.push(`${bytes[0]}${copy ? "+" : ""}`);
      return true;
    },
    lost: (bytes: Uint8Array) => void lost.push(String(bytes[0])),
  };
  for (let i = 0; i < n; i++) impairment.pass("c2s", Uint8Array.of(i), sink);
  vi.runAllTimers();
  vi.useRealTimers();
  return { sent, lost };
}

describe("impairment", () => {
  it("draws the same sequence from the same seed, and another from another", () => {
    const a = createPrng(7);
    const b = createPrng(7);
    const c = createPrng(8);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it("drops about the share asked for, and exactly the same datagrams on every run", () => {
    const settings = { ...base, dropPercent: 30 };
    const first = outcome(settings, 1_000);
    expect(outcome(settings, 1_000)).toEqual(first);
    expect(first.lost.length + first.sent.length).toBe(1_000);
    // 30% of 1,000 with this seed: the count is fixed by the seed, and near the share.
    expect(first.lost.length).toBeGreaterThan(200);
    expect(first.lost.length).toBeLessThan(400);
  });

  it("passes everything at once, in order, when off", () => {
    const { sent, lost } = outcome(base, 10);
    expect(sent).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(lost).toEqual([]);
  });

  it("sends a marked copy after each original when duplicating everything", () => {
    const { sent } = outcome({ ...base, duplicatePercent: 100 }, 3);
    expect(sent).toEqual(["0", "0+", "1", "1+", "2", "2+"]);
  });

  it("reorders datagrams sent together within the window, the same way every run", () => {
    const settings = { ...base, reorderWindow: 4 };
    const first = outcome(settings, 12);
    expect(first.sent).not.toEqual(first.sent.toSorted((x, y) => Number(x) - Number(y)));
    expect(first.sent.toSorted((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(outcome(settings, 12)).toEqual(first);
  });

  it("decides each direction from its own sequence, with six draws per datagram whatever its fate", () => {
    const settings = { ...base, dropPercent: 50, duplicatePercent: 50 };
    const fates = createFates(settings, 5);
    const prng = createPrng(5);
    for (let i = 0; i < 20; i++) {
      const draws = Array.from({ length: 6 }, prng);
      expect(fates().lost).toBe(draws[0]! * 100 < 50);
    }
  });

  it("loses datagrams past the delay queue's bound instead of holding them", () => {
    vi.useFakeTimers();
    const impairment = createSessionImpairment({ ...base, delayMs: 1_000 });
    let sent = 0;
    const lost: string[] = [];
    const sink = { send: () => Boolean(++sent), lost: (_b: Uint8Array, code: string) => void lost.push(code) };
    for (let i = 0; i < IMPAIRMENT_BOUNDS.maxHeldDatagrams + 5; i++) impairment.pass("s2c", Uint8Array.of(1), sink);
    expect(lost).toEqual(Array(5).fill("EQUEUE"));
    vi.runAllTimers();
    expect(sent).toBe(IMPAIRMENT_BOUNDS.maxHeldDatagrams);
    impairment.dispose();
  });

  it("validates every field", () => {
    expect(impairmentProblem(base)).toBeUndefined();
    expect(impairmentProblem({ ...base, dropPercent: -1 })).toMatch(/drop_percent/);
    expect(impairmentProblem({ ...base, duplicatePercent: Infinity })).toMatch(/duplicate_percent/);
    expect(impairmentProblem({ ...base, reorderWindow: 1.5 })).toMatch(/reorder_window/);
    expect(impairmentProblem({ ...base, jitterMs: 10_001 })).toMatch(/jitter_ms/);
    expect(impairmentProblem({ ...base, seed: 2 ** 32 })).toMatch(/seed/);
  });
});
