// The pacer shares turns of the event loop among Watch streams and downloads (issue 8, the soak): a turn
// runs at most `maxPerTurn` slices however many ask, so the servers' I/O (one accept per listener per turn)
// runs between. Turns are counted, not timed: a callback that re-queues itself with setImmediate counts the
// check phases, and every slice (or batch a stream sends) is tagged with the turn it ran in.

import { afterEach, describe, expect, it } from "vitest";
import { RUN_ID } from "../capture/bus";
import type { ConversationInfo, RecordedEvent } from "../capture/events";
import { createRing, type Ring } from "../capture/ring";
import { dissectorFor } from "../dissect/protocols";
import { createPacer } from "./pacer";
import { createTimelineReader } from "./watch";

/** Counts turns of the event loop (check phases) until stopped. */
function turnCounter() {
  let turn = 0;
  let running = true;
  const tick = () => {
    turn++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turn() {
      return turn;
    },
    stop() {
      running = false;
    },
  };
}

let counter: ReturnType<typeof turnCounter> | undefined;
afterEach(() => counter?.stop());

/** How many tags fell in each turn, the most first. */
function busiest(turns: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const t of turns) counts.set(t, (counts.get(t) ?? 0) + 1);
  return Math.max(...counts.values());
}

/** A ring of `events` echo messages and answers, ten to a conversation (as the soak's churning clients make them). */
function fillRing(events: number): Ring {
  const ring = createRing(events, 1 << 26);
  const conversationOf = (n: number): ConversationInfo => ({
    id: `c${n}.${RUN_ID}`,
    transport: "tcp",
    client: { ip: "127.0.0.1", port: 10000 + n },
    server: { ip: "127.0.0.1", port: 8888 },
    service: "tcp-echo",
    protocol: "text",
    origin: "external",
    owner: undefined,
  });
  let conversation = conversationOf(0);
  for (let seq = 1; seq <= events; seq++) {
    if (seq % 10 === 1) conversation = conversationOf(seq);
    const event: RecordedEvent = {
      seq,
      conversation,
      kind: "data",
      direction: seq % 2 === 1 ? "c2s" : "s2c",
      monoMs: 1000 + seq * 0.25,
      wallMs: 1_700_000_000_000 + seq,
      data: seq % 2 === 1 ? "hi there" : "ECHO: hi there",
      pdus: undefined,
      errorCode: "",
      errorMessage: "",
      streamOffset: -1,
      segment: undefined,
    };
    ring.push(event);
  }
  return ring;
}

describe("the pacer", () => {
  it("grants at most maxPerTurn slots a turn, in the order they were asked for", async () => {
    const pacer = createPacer({ maxPerTurn: 3, budgetMs: 1e9 });
    counter = turnCounter();
    const order: number[] = [];
    const turns: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pacer.slot().then(() => {
          order.push(i);
          turns.push(counter!.turn);
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(busiest(turns)).toBe(3);
    expect(new Set(turns).size).toBeGreaterThanOrEqual(7);
    expect(pacer.waiting).toBe(0);
  });

  it("runs one bulk slice a turn besides the others, however many asked before it", async () => {
    const pacer = createPacer({ maxPerTurn: 2, budgetMs: 1e9 });
    counter = turnCounter();
    const turns = { turn: [] as number[], bulk: [] as number[] };
    const ask = (kind: "turn" | "bulk") => pacer.slot(undefined, kind).then(() => turns[kind].push(counter!.turn));
    await Promise.all([...Array.from({ length: 20 }, () => ask("turn")), ...Array.from({ length: 3 }, () => ask("bulk"))]);
    // A download asking behind twenty streams' batches has its three slices in the first three turns, one each.
    expect(new Set(turns.bulk).size).toBe(3);
    expect(Math.max(...turns.bulk)).toBeLessThan(Math.min(...turns.turn) + 3);
    expect(busiest(turns.turn)).toBe(2);
    expect(pacer.waiting).toBe(0);
  });

  it("skips a slot whose signal aborted, and resolves it at once", async () => {
    const pacer = createPacer({ maxPerTurn: 1, budgetMs: 1e9 });
    const abort = new AbortController();
    const ran: string[] = [];
    const first = pacer.slot().then(() => ran.push("first"));
    const aborted = pacer.slot(abort.signal).then(() => ran.push(abort.signal.aborted ? "aborted" : "granted"));
    const third = pacer.slot().then(() => ran.push("third"));
    expect(pacer.waiting).toBe(3);
    abort.abort();
    expect(pacer.waiting).toBe(2);
    await Promise.all([first, aborted, third]);
    expect(ran).toEqual(["aborted", "first", "third"]);
    expect(pacer.waiting).toBe(0);
  });

  it("gives a turn fewer slots when its slots take longer than the budget", async () => {
    const pacer = createPacer({ maxPerTurn: 8, budgetMs: 2 });
    const busy = () => {
      const until = performance.now() + 3;
      while (performance.now() < until);
    };
    await Promise.all(Array.from({ length: 12 }, () => pacer.slot().then(busy)));
    expect(pacer.perTurn).toBe(1);
  });
});

describe("Watch streams under the pacer", () => {
  it("replays a large backlog to many streams a few batches a turn, with other callbacks between", async () => {
    const streams = 10;
    const ring = fillRing(4_000);
    // No time budget: the bound under test is the count a turn, so the test does not depend on the machine's speed.
    const reader = createTimelineReader(dissectorFor, { eventsPerBatch: 100 }, createPacer({ maxPerTurn: 4, budgetMs: 1e9 }));
    counter = turnCounter();
    const batchTurns: number[] = [];
    let finished = 0;
    let immediateRanWith: number | undefined;
    setImmediate(() => (immediateRanWith = finished));
    await Promise.all(
      Array.from({ length: streams }, async () => {
        const abort = new AbortController();
        let events = 0;
        for await (const response of reader.follow(ring, { $typeName: "lab.v1.WatchRequest", afterSeq: 0n, runId: RUN_ID, latest: 0 }, abort.signal)) {
          if (response.batch) {
            batchTurns.push(counter!.turn);
            events += response.batch.events.length;
          }
          if (response.caughtUp) break;
        }
        abort.abort();
        expect(events).toBe(4_000);
        finished++;
      }),
    );
    // 10 streams x 40 batches: each turn builds and sends at most 4 of them (each stream waiting on setImmediate
    // alone ran all 10 streams' batches in one turn), so a callback queued at the start ran before any stream ended.
    expect(batchTurns).toHaveLength(streams * 40);
    expect(busiest(batchTurns)).toBeLessThanOrEqual(4);
    expect(new Set(batchTurns).size).toBeGreaterThanOrEqual((streams * 40) / 4);
    expect(immediateRanWith).toBe(0);
  });
});
