// The host's share-out of background work among turns of the event loop (issue 8, the soak): Watch streams
// and pcapng downloads ask for a slot before each bounded slice of their work (a batch built and sent, a slice
// of a file), and only a few get one per turn.
//
// Why it matters: libuv accepts one connection per listening socket per turn of the loop (libuv#3696, in
// Node 20's libuv 1.46), so a host whose turns are long accepts slowly however little each connection costs.
// When each of 50 Watch streams waited for the next turn on its own (setImmediate), all 50 ran in that one
// turn's check phase: with exports besides, turns took 20 to 60 ms, each lab port took ~21 connections a
// second, and clients gave up in the accept queue. Here one turn runs at most `perTurn` slices; the rest
// wait for later turns, with the servers' I/O (and their accepts) between. A stream that waits meanwhile
// gathers more events, so a stream that cannot keep up sends fewer, larger batches.
//
// Downloads ask as `bulk`: one bulk slice runs each turn besides the others, in the order asked, so a file is not
// starved behind fifty streams (with a single queue, two downloads got 2 of every 52 slots and a 128 MiB
// timeline's file took an hour), nor do downloads take the turns from the streams.
//
// `perTurn` follows what the slices cost: a turn is granted with one setImmediate and measured by a second
// queued right behind it, which runs after the granted slices' continuations (their microtasks, and the
// response writes those queue with process.nextTick). A turn that took longer than `budgetMs` halves
// `perTurn`; one under half of it lets one more in, up to `maxPerTurn`.

export interface PacerOptions {
  /** The time a turn's slices should take together, in milliseconds. */
  readonly budgetMs: number;
  /** The most slices one turn runs, however cheap they are. */
  readonly maxPerTurn: number;
}

export const PACER_OPTIONS: PacerOptions = { budgetMs: 5, maxPerTurn: 16 };

/** A `bulk` slice (a download's) runs one a turn besides the turn's other slices. */
export type SliceKind = "turn" | "bulk";

export interface Pacer {
  /**
   * Resolves in a later turn of the event loop, when the caller's slice is one of the turn's few: do one bounded
   * slice of work after it, then ask again. Resolves at once when the signal aborts (the caller checks it).
   */
  slot(signal?: AbortSignal, kind?: SliceKind): Promise<void>;
  /** Slices waiting for a turn. */
  readonly waiting: number;
  /** The most slices the next turn runs. */
  readonly perTurn: number;
}

export function createPacer(options: Partial<PacerOptions> = {}): Pacer {
  const { budgetMs, maxPerTurn } = { ...PACER_OPTIONS, ...options };
  // Slices in the order they asked; one whose signal aborted stays in place with `run` emptied, and is skipped.
  type Entry = { run: (() => void) | undefined };
  const queue: Entry[] = [];
  let head = 0;
  const bulk: Entry[] = [];
  let bulkHead = 0;
  let waiting = 0;
  let perTurn = Math.max(1, Math.min(maxPerTurn, 4));
  let scheduled = false;
  let grantedAt = 0;

  function schedule() {
    if (scheduled || waiting === 0) return;
    scheduled = true;
    // Back to back in the same check phase of the next turn: `measure` runs once `grant`'s slices are done.
    setImmediate(grant);
    setImmediate(measure);
  }

  function grant() {
    grantedAt = performance.now();
    while (bulkHead < bulk.length) {
      const entry = bulk[bulkHead++]!;
      const run = entry.run;
      if (!run) continue;
      entry.run = undefined;
      waiting--;
      run();
      break;
    }
    for (let granted = 0; granted < perTurn && head < queue.length; ) {
      const entry = queue[head++]!;
      const run = entry.run;
      if (!run) continue;
      entry.run = undefined;
      waiting--;
      granted++;
      run();
    }
    compact();
  }

  /** Drops the places already passed, once they are most of the queue. */
  function compact() {
    if (waiting === 0) {
      queue.length = 0;
      head = 0;
      bulk.length = 0;
      bulkHead = 0;
      return;
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    if (bulkHead === bulk.length) {
      bulk.length = 0;
      bulkHead = 0;
    }
  }

  function measure() {
    scheduled = false;
    const spent = performance.now() - grantedAt;
    if (spent > budgetMs) perTurn = Math.max(1, perTurn >> 1);
    else if (spent < budgetMs / 2) perTurn = Math.min(maxPerTurn, perTurn + 1);
    schedule();
  }

  return {
    slot(signal, kind = "turn") {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const entry: Entry = {
          run: () => {
            signal?.removeEventListener("abort", aborted);
            resolve();
          },
        };
        // An aborted slice leaves the queue: its place is skipped, not granted.
        const aborted = () => {
          if (entry.run) {
            entry.run = undefined;
            waiting--;
            compact();
          }
          resolve();
        };
        signal?.addEventListener("abort", aborted, { once: true });
        (kind === "bulk" ? bulk : queue).push(entry);
        waiting++;
        schedule();
      });
    },
    get waiting() {
      return waiting;
    },
    get perTurn() {
      return perTurn;
    },
  };
}

/** The host's pacer: one event loop per process, so one share-out for all its streams and downloads. */
export const hostPacer: Pacer = createPacer();
