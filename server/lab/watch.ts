// The session's timeline as LabService serves it to pages: Watch (the ring's newest events or all of them,
// then live ones, in compact batches of briefs), GetEarlierEvents (paging back) and GetEvent (one event whole,
// for the details panel). Briefs and whole events are made once per event and cached host-wide by seq (a seq is
// unique within a run of the host), so ten pages cost little more than one; what each session sees is still
// decided by its own ring.

import { create, fromBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  GetEarlierEventsResponseSchema,
  GetEventResponseSchema,
  WatchResponseSchema,
  type GetEarlierEventsRequest,
  type GetEarlierEventsResponse,
  type GetEventRequest,
  type GetEventResponse,
  type WatchRequest,
  type WatchResponse,
} from "@/gen/lab/v1/lab_pb";
import { EventBatchSchema, type Event, type EventBatch } from "@/gen/lab/v1/timeline_pb";
import { RUN_ID } from "../capture/bus";
import type { CapturedEvent, ConversationInfo } from "../capture/events";
import { onProgramNamed } from "../capture/peer-process";
import type { Ring } from "../capture/ring";
import type { Dissector } from "../dissect/core/types";
import { ARRAY_BYTES, bytesViewBytes, FIELD_BYTES, NUMBER_BYTES, OBJECT_BYTES } from "../capture/heap-size";
import { hostPacer, type Pacer } from "./pacer";
import { briefOf, createBatchWriter, eventToProto, type Brief, type EncodedBatch } from "./to-proto";

/** Bounds of the timeline's answers and of what the host keeps to make them. */
export const TIMELINE_LIMITS = {
  /** Events in one Watch batch (a replay is many). */
  eventsPerBatch: 1000,
  /** A batch stops growing past this many bytes of briefs (a lab client's messages travel whole). */
  bytesPerBatch: 1024 * 1024,
  /** The most a page may ask for as its first screen (WatchRequest.latest). */
  maxLatest: 5000,
  /** The most events one GetEarlierEvents answers with. */
  eventsPerPage: 2000,
  /**
   * Live events are sent at most once per this many milliseconds per stream (an animation frame): at high rates
   * one batch carries many events instead of one message per event. An event after a quiet spell goes at once.
   */
  coalesceMs: 16,
  /**
   * A batch of at least `busyBatchEvents` events is a flood (more than a student reads as it comes): the stream's next
   * batches go at most once per this many milliseconds, each carrying more. A batch's slot, write and frame cost the
   * host as much as a few dozen events in it; three frames' wait is below what a reader of a flood can tell.
   */
  busyCoalesceMs: 48,
  busyBatchEvents: 32,
  /**
   * A stream whose batches wait for their turn (pacer.ts) longer than its interval is one of many on a busy host:
   * its interval doubles, up to this, and halves back once its turns come quickly. It then sends fewer, larger
   * batches, and each batch's write costs the host once rather than per handful of events.
   */
  maxCoalesceMs: 256,
  /** Briefs kept for the streams and pages that read the same events, by what they hold on the heap (briefHeapBytes). */
  briefCacheBytes: 16 * 1024 * 1024,
  /** And by number: the cache's slots (some 40,000 small briefs fill its bytes). */
  briefCacheEntries: 65536,
  /** Whole events kept for GetEvent (a student clicks back and forth between a few). */
  eventCacheEntries: 64,
  /** Conversations and strings one stream's tables hold before they start over. */
  tableEntries: 4096,
} as const;

/**
 * What a cached brief holds on the heap: the object (its fields, its time boxed), its encoded bytes (a view into a
 * shared chunk, or a buffer of its own when large), its findings, and its entries in the cache's slots and queue. Its
 * `weight` counts only what a batch carries; this is some 300 bytes more, which the cache's bound must see.
 */
export function briefHeapBytes(brief: Brief): number {
  return (
    OBJECT_BYTES +
    10 * FIELD_BYTES +
    NUMBER_BYTES +
    bytesViewBytes(brief.encoded) +
    ARRAY_BYTES +
    brief.findings.length * (FIELD_BYTES + OBJECT_BYTES + 7 * FIELD_BYTES) +
    2 * FIELD_BYTES
  );
}

/** Conversations named meanwhile that one stream holds to send again (see follow). */
const MAX_NAMED_WAITING = 256;

/** Dissection for briefs goes on for at most this long before it waits for another slot. */
const SLICE_MS = 2;

export type TimelineLimits = { readonly [K in keyof typeof TIMELINE_LIMITS]: number };

/** How an answer's batches are handed to the transport. */
export interface AnswerOptions {
  /**
   * The answer goes out as binary protobuf (the page's transport: isBinaryContentType of its request). Its batch is
   * then attached as the bytes the batch writer made, an unknown field that toBinary copies as it is, and is never
   * built as a message. Otherwise (JSON, or a reader in this process) the batch is a message decoded from them.
   */
  readonly binary?: boolean;
}

/** Whether a Connect request with this Content-Type speaks binary protobuf (application/proto, application/connect+proto). */
export function isBinaryContentType(contentType: string | null | undefined): boolean {
  const type = (contentType ?? "").split(";", 1)[0]!.trim().toLowerCase();
  return type === "application/proto" || type === "application/connect+proto";
}

export interface TimelineReader {
  /** One Watch stream: the session's ring from the request's cursor (or its newest events), then live events. */
  follow(ring: Ring, req: WatchRequest, signal: AbortSignal, options?: AnswerOptions): AsyncGenerator<WatchResponse>;
  earlier(ring: Ring, req: GetEarlierEventsRequest, options?: AnswerOptions): Promise<GetEarlierEventsResponse>;
  event(ring: Ring, req: GetEventRequest): GetEventResponse;
  /** Briefs made so far (for tests: a second reader of the same events makes none). */
  readonly briefsMade: number;
  /** What the briefs cached now are counted to cost (their `heapBytes`): bounded by `briefCacheBytes`. */
  readonly briefBytes: number;
}

/**
 * `pacer` shares the event loop's turns among every stream's and page's work (pacer.ts): each batch is built and
 * sent in a slot of its own, and a cold replay's dissection goes in slices of a few milliseconds, each in a slot.
 */
export function createTimelineReader(
  dissectorFor: (protocol: string) => Dissector,
  limits: Partial<TimelineLimits> = {},
  pacer: Pacer = hostPacer,
): TimelineReader {
  const bounds: TimelineLimits = { ...TIMELINE_LIMITS, ...limits };
  // Briefs sit in slots by seq (a seq's slot is seq modulo their number): a look-up is an array index rather than a
  // hash-map probe per event, and a brief made for a seq whose slot is taken replaces the older one there. The byte
  // bound lets the oldest go first, in the order they were made, kept in a queue of seqs.
  const slots: (Brief | undefined)[] = new Array<Brief | undefined>(bounds.briefCacheEntries).fill(undefined);
  const slotOf = (seq: number) => seq % bounds.briefCacheEntries;
  let briefOrder: number[] = [];
  let briefHead = 0;
  let briefBytes = 0;
  let briefsMade = 0;
  const events = new Map<number, Event>();

  /** The cached brief of this seq, if any. */
  function cachedBrief(seq: number): Brief | undefined {
    const cached = slots[slotOf(seq)];
    return cached?.seq === seq ? cached : undefined;
  }

  /** Makes and caches the brief of an event whose brief is not cached (cachedBrief found none). */
  function makeBrief(event: CapturedEvent): Brief {
    const slot = slotOf(event.seq);
    // Another seq's brief in the slot gives way.
    const displaced = slots[slot];
    const made = briefOf(event, dissectorFor);
    briefsMade++;
    if (displaced) briefBytes -= briefHeapBytes(displaced);
    slots[slot] = made;
    briefOrder.push(event.seq);
    briefBytes += briefHeapBytes(made);
    while (briefBytes > bounds.briefCacheBytes && briefHead < briefOrder.length) {
      const seq = briefOrder[briefHead++]!;
      const at = slotOf(seq);
      const old = slots[at];
      // A seq whose brief was replaced in its slot meanwhile has nothing left to let go.
      if (old?.seq !== seq) continue;
      slots[at] = undefined;
      briefBytes -= briefHeapBytes(old);
    }
    // The queue drops what it has walked past once that is most of it, so it stays within twice the cache.
    if (briefHead > 1024 && briefHead * 2 > briefOrder.length) {
      briefOrder = briefOrder.slice(briefHead);
      briefHead = 0;
    }
    return made;
  }

  /**
   * Briefs of the ring's events with these seqs (oldest first) up to the size bound, letting the event loop run
   * between slices of work. An event is read from the store only when its brief is not cached (ten pages read one
   * event once), and one the store let go meanwhile is left out. `through` is the last seq looked at.
   */
  async function briefsOf(ring: Ring, seqs: readonly number[], signal?: AbortSignal): Promise<{ briefs: Brief[]; through: number }> {
    const briefs: Brief[] = [];
    let through = 0;
    let bytes = 0;
    let slice = performance.now();
    let made = briefsMade;
    for (const seq of seqs) {
      if (bytes > bounds.bytesPerBatch || signal?.aborted) break;
      through = seq;
      let brief = cachedBrief(seq);
      if (!brief) {
        const event = ring.held(seq);
        if (!event) continue;
        brief = makeBrief(event);
      }
      briefs.push(brief);
      bytes += brief.weight;
      // Dissecting a thousand events of a cold replay takes milliseconds: the servers and /api/status run between.
      // A brief from the cache costs next to nothing, so the clock is read only after some were made.
      if (briefsMade - made < 16) continue;
      made = briefsMade;
      if (performance.now() - slice > SLICE_MS) {
        await pacer.slot(signal);
        slice = performance.now();
      }
    }
    return { briefs, through };
  }

  async function* follow(ring: Ring, req: WatchRequest, signal: AbortSignal, { binary = false }: AnswerOptions = {}): AsyncGenerator<WatchResponse> {
    let cursor = Number(req.afterSeq);
    let generation = ring.generation;
    // A cursor from another run of the host (or from a page that cannot say which run) means nothing
    // here: what the page holds is gone, so tell it to start over.
    const otherRun = req.runId !== "" ? req.runId !== RUN_ID : cursor > 0;
    if (otherRun) cursor = 0;
    const latest = Math.min(req.latest, bounds.maxLatest);
    yield create(WatchResponseSchema, { runId: RUN_ID, cleared: otherRun, dropped: BigInt(ring.dropped) });
    const writer = createBatchWriter({ maxTableEntries: bounds.tableEntries });
    // From the start, a page that asked for the newest `latest` gets those, and pages back for the rest.
    let moreBefore = false;
    const startAtLatest = () => {
      if (cursor !== 0 || latest <= 0) return;
      const newest = ring.seqsBefore(Number.MAX_SAFE_INTEGER, latest);
      const first = newest[0];
      if (first === undefined || ring.size <= newest.length) return;
      cursor = first - 1;
      moreBefore = true;
    };
    startAtLatest();
    let caughtUp = false;
    let lastSent = -Infinity;
    let interval = bounds.coalesceMs;
    // The least interval now: longer while the live batches carry a flood.
    let floor = bounds.coalesceMs;
    // Conversations whose program was named after they were sent: the next batch sends them again, and a stream
    // waiting for events wakes for them (a student's nc that says nothing more still gets its name on its lane).
    const named: ConversationInfo[] = [];
    let wake: AbortController | null = null;
    const unsubscribe = onProgramNamed((info) => {
      // Bounded: past it the conversation's next event sends the name (write() sends a changed conversation again).
      if (named.length < MAX_NAMED_WAITING) named.push(info);
      wake?.abort();
    });
    try {
      while (!signal.aborted) {
        // Live batches go at most once per interval (an animation frame's worth of time, more in a flood or on a busy
        // host): under steady traffic the events that arrive meanwhile join the next batch rather than each going as
        // one, whose slot, write and frame cost the host as much as the events in it. A replay goes at once.
        if (caughtUp) {
          const wait = lastSent + interval - performance.now();
          if (wait > 0) await sleep(wait, signal);
          if (signal.aborted) return;
        }
        // Each batch in a slot of the pacer's: however many streams wake at once, a turn of the event loop builds
        // and sends only a few batches, and a stream that waits meanwhile gathers its events into a larger one.
        const asked = performance.now();
        await pacer.slot(signal);
        if (signal.aborted) return;
        const waited = performance.now() - asked;
        interval = waited > interval ? Math.min(bounds.maxCoalesceMs, interval * 2) : Math.max(floor, interval / 2);
        if (ring.generation !== generation) {
          generation = ring.generation;
          cursor = 0;
          yield create(WatchResponseSchema, { cleared: true, dropped: 0n });
          startAtLatest();
        }
        const seqs = ring.seqsAfter(cursor, bounds.eventsPerBatch);
        if (seqs.length > 0) {
          const { briefs: made, through } = await briefsOf(ring, seqs, signal);
          if (signal.aborted) return;
          cursor = through;
          // Every one of them gone from the store meanwhile (a flood evicting on a busy host): the next batch.
          if (made.length === 0) continue;
          if (caughtUp) {
            floor = made.length >= bounds.busyBatchEvents ? bounds.busyCoalesceMs : bounds.coalesceMs;
            interval = Math.max(floor, interval);
          }
          const response = create(WatchResponseSchema, { dropped: BigInt(ring.dropped), moreBefore });
          yield withBatch(WatchResponseSchema, response, writer.write(made, numbersOf(ring, seqs)), binary);
          moreBefore = false;
          lastSent = performance.now();
          // A replay is many batches: the next waits for its slot, with the servers and other requests between.
          continue;
        }
        if (!caughtUp) {
          caughtUp = true;
          yield create(WatchResponseSchema, { caughtUp: true, dropped: BigInt(ring.dropped) });
          continue;
        }
        if (named.length > 0) {
          const update = writer.update(named.splice(0));
          if (update) {
            yield withBatch(WatchResponseSchema, create(WatchResponseSchema, { dropped: BigInt(ring.dropped) }), update, binary);
            continue;
          }
        }
        wake = new AbortController();
        const stop = () => wake?.abort();
        signal.addEventListener("abort", stop, { once: true });
        await ring.changed(wake.signal);
        signal.removeEventListener("abort", stop);
        wake = null;
      }
    } finally {
      unsubscribe();
    }
  }

  return {
    follow,

    async earlier(ring, req, { binary = false } = {}) {
      const response = create(GetEarlierEventsResponseSchema);
      if (req.runId !== RUN_ID) return response;
      const limit = Math.max(0, Math.min(req.limit, bounds.eventsPerPage));
      const before = ring.seqsBefore(Number(req.beforeSeq), limit);
      // The newest of them are the ones next to what the page holds: past the size bound the oldest are left out.
      const { briefs: made } = await briefsOf(ring, [...before].reverse());
      made.reverse();
      const first = made[0];
      response.moreBefore = first !== undefined && ring.seqsBefore(first.seq, 1).length > 0;
      return withBatch(GetEarlierEventsResponseSchema, response, createBatchWriter({ maxTableEntries: Number.MAX_SAFE_INTEGER }).write(made, numbersOf(ring, before)), binary);
    },

    event(ring, req) {
      const seq = Number(req.seq);
      // Only an event this session's ring holds, whatever another session's page asked for before.
      const [held] = req.runId === RUN_ID && seq > 0 ? ring.after(seq - 1, 1) : [];
      if (!held || held.seq !== seq) throw new ConnectError(`event ${req.seq} is not in this session's timeline`, Code.NotFound);
      let whole = events.get(seq);
      if (whole) events.delete(seq);
      else whole = eventToProto(held, dissectorFor);
      events.set(seq, whole);
      for (const key of events.keys()) {
        if (events.size <= bounds.eventCacheEntries) break;
        events.delete(key);
      }
      // The cache is the host's; the number is this session's (sessions at one address share external events).
      return create(GetEventResponseSchema, { event: { ...whole, number: BigInt(ring.number(seq)) } });
    },

    get briefBytes() {
      return briefBytes;
    },
    get briefsMade() {
      return briefsMade;
    },
  };
}

/**
 * The numbers of the events with these seqs, which the ring gave in a row (seqsAfter, seqsBefore), for a batch
 * writer that asks in their order: the ring numbers its events one after another, so each is the first's number
 * plus its place in the row, found with one look-up for the batch rather than one per event.
 */
function numbersOf(ring: Ring, seqs: readonly number[]): (seq: number) => number {
  const first = seqs.length > 0 ? ring.number(seqs[0]!) : 0;
  let at = 0;
  return (seq) => {
    while (at < seqs.length && seqs[at] !== seq) at++;
    if (at === seqs.length) throw new RangeError(`event ${seq} is not in the batch's row of seqs, or asked out of order`);
    return first + at;
  };
}

/**
 * Gives `message` its `batch`: the encoded bytes as they are for a binary answer, where toBinary writes them after
 * the message's own fields (a decoder reads fields in any order), or else the message they encode.
 */
function withBatch<Desc extends DescMessage, M extends Message & { batch?: EventBatch }>(schema: Desc, message: M, batch: EncodedBatch, binary: boolean): M {
  if (binary) {
    const field = schema.field.batch;
    if (!field) throw new Error(`${schema.typeName} has no batch field`);
    message.$unknown = [{ no: field.number, wireType: WireType.LengthDelimited, data: batch.delimited }];
  } else {
    message.batch = fromBinary(EventBatchSchema, batch.bytes);
  }
  return message;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
