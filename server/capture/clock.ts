// One clock for the timeline (issue 15 §1.1). Socket events are timed on the monotonic clock
// (performance.now()); a wire capture stamps packets with the wall clock (tcpdump, the kernel's
// CLOCK_REALTIME). The two do not run at the same rate: NTP slews the wall clock, a VM's drifts, and either
// may be stepped. Mapping one onto the other with the offset of the moment the process started
// (performance.timeOrigin) lets the gap grow with uptime, so a segment drifted away from the message it
// carried. The offset is measured again instead, at most a second old when it is used.

/** How long a measured offset is used before it is measured again. */
const REANCHOR_MS = 1_000;

let offsetMs = Number.NaN;
let measuredAt = Number.NEGATIVE_INFINITY;

/**
 * wall = mono + offset, now. Date.now() counts whole milliseconds, so it is read as it ticks over: at that
 * moment it is the wall time to within microseconds (waiting at most 2 ms, should the clock not tick). The
 * monotonic clock is read just before and just after; a reading the scheduler cut in two is taken again.
 */
function measure(): number {
  let offset = Number.NaN;
  for (let attempt = 0; attempt < 3; attempt++) {
    const first = Date.now();
    // The wait is bounded by its own clock, whatever the other two do.
    const deadline = process.hrtime.bigint() + 2_000_000n;
    let before: number;
    let wall: number;
    let after: number;
    do {
      before = performance.now();
      wall = Date.now();
      after = performance.now();
    } while (wall === first && process.hrtime.bigint() < deadline);
    offset = wall - (before + after) / 2;
    if (after - before < 0.05) break;
  }
  return offset;
}

function offset(): number {
  const now = performance.now();
  if (now - measuredAt >= REANCHOR_MS || Number.isNaN(offsetMs)) {
    offsetMs = measure();
    measuredAt = now;
  }
  return offsetMs;
}

/** The wall clock time (ms since the epoch) of a monotonic time (performance.now()). */
export function wallFromMono(monoMs: number): number {
  return monoMs + offset();
}

/** The monotonic time (performance.now()) of a wall clock time, such as a captured packet's timestamp. */
export function monoFromWall(wallMs: number): number {
  return wallMs - offset();
}

/** Forget the measured offset (tests that move the wall clock). */
export function reanchorClock() {
  measuredAt = Number.NEGATIVE_INFINITY;
}
