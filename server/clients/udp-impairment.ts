// Impairment of one lab session's UDP traffic (issue 10 §4): drop, duplicate, reorder and delay the datagrams
// its lab clients send and the lab servers' answers to them, from a fixed seed, so that a lesson replays the
// same losses on every run. Each direction draws from its own sequence (the seed, and the seed mixed with a
// constant), and every datagram draws the same count of numbers whatever happens to it, so one direction's
// decisions do not depend on how the other's interleave with it in time.

/** What the page sets (lab.proto Impairment). All zero: no impairment. */
export interface ImpairmentSettings {
  readonly dropPercent: number;
  readonly duplicatePercent: number;
  readonly reorderWindow: number;
  readonly delayMs: number;
  readonly jitterMs: number;
  readonly seed: number;
}

export const NO_IMPAIRMENT: ImpairmentSettings = { dropPercent: 0, duplicatePercent: 0, reorderWindow: 0, delayMs: 0, jitterMs: 0, seed: 0 };

export const IMPAIRMENT_BOUNDS = {
  maxReorderWindow: 16,
  /** One reorder slot: datagrams sent together land this far apart at most per slot. */
  reorderSlotMs: 10,
  maxDelayMs: 10_000,
  maxJitterMs: 10_000,
  /** What one session may have waiting in delay queues, both ways together; past it a datagram is lost. */
  maxHeldDatagrams: 1_024,
  maxHeldBytes: 4 * 1024 * 1024,
} as const;

/** Why settings are refused, in one English line; undefined when they are valid. */
export function impairmentProblem(s: ImpairmentSettings): string | undefined {
  const percent = (v: number) => Number.isFinite(v) && v >= 0 && v <= 100;
  const whole = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  if (!percent(s.dropPercent)) return `drop_percent must be between 0 and 100, got ${s.dropPercent}`;
  if (!percent(s.duplicatePercent)) return `duplicate_percent must be between 0 and 100, got ${s.duplicatePercent}`;
  if (!whole(s.reorderWindow, IMPAIRMENT_BOUNDS.maxReorderWindow)) {
    return `reorder_window must be an integer from 0 to ${IMPAIRMENT_BOUNDS.maxReorderWindow}, got ${s.reorderWindow}`;
  }
  if (!whole(s.delayMs, IMPAIRMENT_BOUNDS.maxDelayMs)) return `delay_ms must be from 0 to ${IMPAIRMENT_BOUNDS.maxDelayMs}, got ${s.delayMs}`;
  if (!whole(s.jitterMs, IMPAIRMENT_BOUNDS.maxJitterMs)) return `jitter_ms must be from 0 to ${IMPAIRMENT_BOUNDS.maxJitterMs}, got ${s.jitterMs}`;
  if (!whole(s.seed, 0xffff_ffff)) return `seed must be a 32-bit unsigned integer, got ${s.seed}`;
  return undefined;
}

/** mulberry32: small, fast and good enough to decide drops; the same seed gives the same sequence everywhere. */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What happens to one datagram: lost, or sent after `delayMs`, maybe with a copy after `copyDelayMs`. */
export type Fate = { readonly lost: true } | { readonly lost: false; readonly delayMs: number; readonly copyDelayMs: number | undefined };

/** Decides fates for one direction, in the order datagrams are offered. */
export function createFates(settings: ImpairmentSettings, seed: number): () => Fate {
  const next = createPrng(seed);
  const { dropPercent, duplicatePercent, reorderWindow, delayMs, jitterMs } = settings;
  const wait = (jitter: number, slot: number) =>
    delayMs + Math.floor(jitter * (jitterMs + 1)) + (reorderWindow > 1 ? Math.floor(slot * reorderWindow) * IMPAIRMENT_BOUNDS.reorderSlotMs : 0);
  return () => {
    // Always six draws, so the sequence stays aligned datagram by datagram.
    const drop = next();
    const duplicate = next();
    const jitter = next();
    const slot = next();
    const copyJitter = next();
    const copySlot = next();
    if (drop * 100 < dropPercent) return { lost: true };
    return { lost: false, delayMs: wait(jitter, slot), copyDelayMs: duplicate * 100 < duplicatePercent ? wait(copyJitter, copySlot) : undefined };
  };
}

/** What a direction's sender does with a datagram whose fate is decided. */
export interface DatagramSink {
  /** Sends it now; `copy` marks the duplicate. Returns false once the socket is gone (nothing is recorded then). */
  send(bytes: Uint8Array, copy: boolean): boolean;
  /** Records it as lost (the impairment's drop, or a delay queue past its bound), with why. */
  lost(bytes: Uint8Array, code: string, message: string): void;
}

export interface SessionImpairment {
  readonly settings: ImpairmentSettings;
  /** True when the settings change nothing (datagrams pass at once). */
  readonly off: boolean;
  /** Passes a datagram through the impairment of its direction. */
  pass(direction: "c2s" | "s2c", bytes: Uint8Array, sink: DatagramSink): void;
  /** Cancels what waits in the delay queues (the session ends, or the settings change). */
  dispose(): void;
}

export function createSessionImpairment(settings: ImpairmentSettings): SessionImpairment {
  const off =
    settings.dropPercent === 0 && settings.duplicatePercent === 0 && settings.reorderWindow <= 1 && settings.delayMs === 0 && settings.jitterMs === 0;
  const fates = { c2s: createFates(settings, settings.seed), s2c: createFates(settings, (settings.seed ^ 0x9e37_79b9) >>> 0) };
  const timers = new Set<NodeJS.Timeout>();
  let heldDatagrams = 0;
  let heldBytes = 0;

  function later(ms: number, bytes: Uint8Array, sink: DatagramSink, copy: boolean) {
    if (ms === 0) {
      sink.send(bytes, copy);
      return;
    }
    if (heldDatagrams >= IMPAIRMENT_BOUNDS.maxHeldDatagrams || heldBytes + bytes.length > IMPAIRMENT_BOUNDS.maxHeldBytes) {
      sink.lost(bytes, "EQUEUE", `The delay queue holds ${heldDatagrams} datagrams (${heldBytes} bytes), its limit: this one is dropped.`);
      return;
    }
    heldDatagrams++;
    heldBytes += bytes.length;
    const timer = setTimeout(() => {
      timers.delete(timer);
      heldDatagrams--;
      heldBytes -= bytes.length;
      sink.send(bytes, copy);
    }, ms);
    timer.unref();
    timers.add(timer);
  }

  return {
    settings,
    off,
    pass(direction, bytes, sink) {
      if (off) {
        sink.send(bytes, false);
        return;
      }
      const fate = fates[direction]();
      if (fate.lost) {
        sink.lost(bytes, "EIMPAIRED", `Dropped by this session's impairment (${settings.dropPercent}% loss, seed ${settings.seed}).`);
        return;
      }
      later(fate.delayMs, bytes, sink, false);
      if (fate.copyDelayMs !== undefined) later(fate.copyDelayMs, bytes, sink, true);
    },
    dispose() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      heldDatagrams = 0;
      heldBytes = 0;
    },
  };
}
