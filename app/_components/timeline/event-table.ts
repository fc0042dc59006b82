// The timeline's events as the page holds them: one column per field in typed arrays, not one object per event
// (issue 9 item 3). 100,000 events as objects cost about 1.5 KB each (a bigint per seq and time, a Uint8Array view
// that pinned its whole response, an array of findings, a TcpSummary message); here a small event costs its
// columns (about 70 bytes), its summary string and its slot in its conversation's index.
//
//   numbers               Float64Array / Int32Array / Uint8Array / Uint16Array columns, indexed by slot
//   summaries             a column of strings (the arrow's label, one per event, never parsed back)
//   conversation ids      a string table: each id once, the column holds its number
//   findings              each distinct list of findings once (frozen), the column holds its number
//   bytes                 a lab client's message bytes, a segment's headers and its TcpSummary (encoded) packed
//                         into shared chunks, the columns hold where; a chunk goes when no held event uses it
//
// Events are numbered by position: absolute positions grow at the back (new events) and shrink at the front
// (a page back), never reused, so a view (a range of positions) stays valid while the table grows on either
// side. Dropping the oldest (a trim) and a clear end the views that covered them: whoever shows a view is told
// (event-log.ts) and takes a new one. What the ladder and the lessons read goes through EventView; a whole
// TimelineEvent is made only for the rows on screen and the events a lesson follows, and kept in a small cache
// so React sees the same object again.

import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { Direction, EventKind, TcpSummarySchema, type Http2Summary, type HttpSummary } from "@/gen/lab/v1/timeline_pb";
import type { BriefFinding, TimelineEvent } from "./batch";

/** What the ladder, the details panel, the lessons and the export read of the events held: one range of them. */
export interface EventView extends Iterable<TimelineEvent> {
  /** Events in the view, in seq order; indices below run from 0 to length - 1. */
  readonly length: number;
  readonly firstSeq: bigint | undefined;
  readonly lastSeq: bigint | undefined;
  /**
   * The whole event at `index` (negative counts from the end, as Array.at does), or undefined outside the view.
   * The same object for the same event while it is among the MADE_KEPT made last.
   */
  at(index: number): TimelineEvent | undefined;
  seqAt(index: number): bigint;
  kindAt(index: number): EventKind;
  directionAt(index: number): Direction;
  conversationAt(index: number): string;
  /**
   * The event's time in nanoseconds from an origin the view chose (any one: only differences mean something).
   * A number, exact for differences under 2^53 ns (104 days): what rows and gaps are computed from.
   */
  nsAt(index: number): number;
  /** The event's time on the lab host's monotonic clock (TimelineEvent.monoNs). */
  monoNsAt(index: number): bigint;
  lengthAt(index: number): number;
  payloadLengthAt(index: number): number;
  /** Where the event's bytes sit in their direction's stream; -1 when unknown. */
  streamOffsetAt(index: number): bigint;
  /** The index of the event with this seq, or -1. */
  indexOfSeq(seq: bigint): number;
  /** How many events of the view have a seq above `seq`. */
  countAfter(seq: bigint): number;
  /** One conversation's events, oldest first: what a lesson's panel follows. The same array until it changes. */
  ofConversation(conversationId: string): readonly TimelineEvent[];
  /** Calls `visit` with the index of each of one conversation's events, oldest first, making no objects. */
  eachOf(conversationId: string, visit: (index: number) => void): void;
  /** The event's HTTP/1.x frames' parts (TimelineEvent.http), without making the event. */
  httpAt(index: number): readonly HttpSummary[];
  /** Calls `visit` with the index of each event that has HTTP/1.x frames, oldest first. */
  eachHttp(visit: (index: number) => void): void;
  /** The event's HTTP/2 frames' parts (TimelineEvent.http2), without making the event. */
  http2At(index: number): readonly Http2Summary[];
  /** Calls `visit` with the index of each event that has HTTP/2 frames, oldest first. */
  eachHttp2(visit: (index: number) => void): void;
}

/** Whole events kept made, by position: a screen of rows with its overscan, and the details' neighbours. */
const MADE_KEPT = 512;
/** Conversations whose made events are kept (ofConversation): the lesson's panels follow a few. */
const CONVERSATIONS_KEPT = 16;
/** Bytes per shared chunk; a bigger item gets a chunk of its own, freed as soon as its event goes. */
export const CHUNK_BYTES = 256 * 1024;
/** Above this, bytes get their own chunk: they would leave too much of a shared one unused. */
const OWN_CHUNK_BYTES = 32 * 1024;
/** The gap left between the positions before and after a clear, wider than any view can reach. */
const CLEAR_GAP = 2 ** 32;

interface Chunk {
  readonly bytes: Uint8Array;
  used: number;
  /** Held events whose bytes are here. */
  refs: number;
}

export interface EventTable {
  /** Appends events newer than every event held (the caller checks the order). */
  append(event: TimelineEvent): void;
  /** Puts events, oldest first, before every event held. */
  prepend(events: readonly TimelineEvent[]): void;
  /** Forgets the `count` oldest events; views that covered them end. */
  dropOldest(count: number): void;
  /** Forgets everything; every view ends. */
  clear(): void;
  /** A view of every event held now; events added later are not in it. */
  view(): EventView;
  readonly size: number;
  /** For tests and the bench: bytes held in typed arrays and chunks (not counting strings and findings). */
  readonly bytesHeld: number;
  /** Chunks holding bytes. */
  readonly chunkCount: number;
  /** Distinct finding lists held. */
  readonly findingLists: number;
}

export function createEventTable(): EventTable {
  return new Table();
}

/** A view of `events` in a table of its own: for tests, and wherever a plain list needs the accessor API. */
export function eventViewOf(events: readonly TimelineEvent[]): EventView {
  const table = new Table();
  for (const event of events) table.append(event);
  return table.view();
}

const NO_FINDINGS: readonly BriefFinding[] = Object.freeze([]);
const NO_HTTP: readonly HttpSummary[] = Object.freeze([]);
const NO_HTTP2: readonly Http2Summary[] = Object.freeze([]);
const NO_BYTES = new Uint8Array(0);
const NO_EVENTS: readonly TimelineEvent[] = Object.freeze([]);

class Table implements EventTable {
  // Slot of absolute position p: p - origin. Held positions: [front, back).
  private origin = 0;
  private front = 0;
  private back = 0;
  private capacity = 0;
  private seq = new Float64Array(0);
  /** TimelineEvent.number; 0 for none. */
  private number = new Float64Array(0);
  private ns = new Float64Array(0);
  private conversation = new Int32Array(0);
  private kind = new Uint8Array(0);
  private direction = new Uint8Array(0);
  private length = new Int32Array(0);
  private payloadLength = new Int32Array(0);
  private streamOffset = new Float64Array(0);
  private linkType = new Uint16Array(0);
  private moreFrames = new Uint16Array(0);
  private findings = new Int32Array(0);
  private dataChunk = new Int32Array(0);
  private dataStart = new Int32Array(0);
  private dataLength = new Int32Array(0);
  /** Bytes of the encoded TcpSummary, stored right after the event's data; 0 for none. */
  private tcpLength = new Uint16Array(0);
  private summary: string[] = [];
  /** errorCode and errorMessage, for the few events that have them, by position. */
  private errors = new Map<number, { code: string; message: string }>();
  /** A timed lab client's end of its messages (TimelineEvent.peerNs), as nanoseconds after monoNs, by position. */
  private peers = new Map<number, number>();
  /** The HTTP/1.x parts of the few events that have them, by position, and those positions in order. */
  private http = new Map<number, readonly HttpSummary[]>();
  private httpPositions: number[] = [];
  /** The same for HTTP/2 frames' parts. */
  private http2 = new Map<number, readonly Http2Summary[]>();
  private http2Positions: number[] = [];

  private ids: string[] = [];
  private idNumbers = new Map<string, number>();
  private lists = new Map<number, Positions>();

  private findingTable: (readonly BriefFinding[])[] = [NO_FINDINGS];
  private findingKeys = new Map<string, number>([["", 0]]);

  private chunks = new Map<number, Chunk>();
  private nextChunk = 0;
  private current: number | undefined;

  /** monoNs of the time origin: ns columns hold differences from it. */
  private baseNs: bigint | undefined;

  private made = new Map<number, TimelineEvent>();
  private conversationsMade = new Map<string, { from: number; to: number; events: readonly TimelineEvent[] }>();
  /** Bumped when views end (a trim, a clear): a view made before reads nothing past it. */
  private epoch = 0;
  private epochFront = 0;

  get size() {
    return this.back - this.front;
  }

  get chunkCount() {
    return this.chunks.size;
  }

  get findingLists() {
    return this.findingTable.length - 1;
  }

  get bytesHeld() {
    let chunkBytes = 0;
    for (const chunk of this.chunks.values()) chunkBytes += chunk.bytes.byteLength;
    // Per slot: 8 seq + 8 ns + 4 conversation + 1 kind + 1 direction + 4 length + 4 payload + 8 offset + 2 link
    // + 2 frames + 4 findings + 12 data + 2 tcp.
    return this.capacity * 60 + chunkBytes;
  }

  append(event: TimelineEvent) {
    if (this.back === this.origin + this.capacity) this.resize(0, 1);
    this.write(this.back, event);
    this.back++;
    this.listOf(event.conversationId).push(this.back - 1);
    if (event.http.length > 0) this.httpPositions.push(this.back - 1);
    if (event.http2 && event.http2.length > 0) this.http2Positions.push(this.back - 1);
  }

  prepend(events: readonly TimelineEvent[]) {
    if (events.length === 0) return;
    if (this.front - events.length < this.origin) this.resize(events.length, 0);
    const first = this.front - events.length;
    events.forEach((event, i) => this.write(first + i, event));
    this.front = first;
    // Each conversation's index gets its older positions in front, in order.
    const added = new Map<string, number[]>();
    events.forEach((event, i) => {
      const list = added.get(event.conversationId) ?? [];
      list.push(first + i);
      added.set(event.conversationId, list);
    });
    for (const [id, positions] of added) this.listOf(id).unshift(positions);
    const http: number[] = [];
    events.forEach((event, i) => event.http.length > 0 && http.push(first + i));
    if (http.length > 0) this.httpPositions = http.concat(this.httpPositions);
    const http2: number[] = [];
    events.forEach((event, i) => event.http2 && event.http2.length > 0 && http2.push(first + i));
    if (http2.length > 0) this.http2Positions = http2.concat(this.http2Positions);
  }

  dropOldest(count: number) {
    const drop = Math.min(count, this.size);
    if (drop <= 0) return;
    const end = this.front + drop;
    for (let p = this.front; p < end; p++) this.release(p);
    this.front = end;
    for (const [number, list] of this.lists) {
      list.dropBefore(end);
      if (list.size === 0) this.lists.delete(number);
    }
    for (const position of this.errors.keys()) if (position < end) this.errors.delete(position);
    for (const position of this.peers.keys()) if (position < end) this.peers.delete(position);
    let kept = 0;
    while (kept < this.httpPositions.length && (this.httpPositions[kept] as number) < end) this.http.delete(this.httpPositions[kept++] as number);
    if (kept > 0) this.httpPositions = this.httpPositions.slice(kept);
    kept = 0;
    while (kept < this.http2Positions.length && (this.http2Positions[kept] as number) < end) this.http2.delete(this.http2Positions[kept++] as number);
    if (kept > 0) this.http2Positions = this.http2Positions.slice(kept);
    this.endViews();
    this.compactFindings();
  }

  clear() {
    this.summary = [];
    this.capacity = 0;
    this.allocate(0);
    this.back += CLEAR_GAP;
    this.front = this.back;
    this.origin = this.back;
    this.errors.clear();
    this.peers.clear();
    this.http.clear();
    this.httpPositions = [];
    this.http2.clear();
    this.http2Positions = [];
    this.lists.clear();
    this.chunks.clear();
    this.current = undefined;
    this.findingTable = [NO_FINDINGS];
    this.findingKeys = new Map([["", 0]]);
    this.baseNs = undefined;
    this.endViews();
  }

  view(): EventView {
    return new View(this, this.front, this.back, this.epoch);
  }

  // ---- reading, for views

  /** Whether position `p` of a view made in `epoch` still reads as it did. */
  holds(p: number, epoch: number): boolean {
    return p >= this.front && p < this.back && (epoch === this.epoch || p >= this.epochFront);
  }

  seqOf(p: number): number {
    return this.seq[p - this.origin] ?? 0;
  }
  nsOf(p: number): number {
    return this.ns[p - this.origin] ?? 0;
  }
  monoNsOf(p: number): bigint {
    return (this.baseNs ?? 0n) + BigInt(this.ns[p - this.origin] ?? 0);
  }
  kindOf(p: number): EventKind {
    return (this.kind[p - this.origin] ?? 0) as EventKind;
  }
  directionOf(p: number): Direction {
    return (this.direction[p - this.origin] ?? 0) as Direction;
  }
  lengthOf(p: number): number {
    return this.length[p - this.origin] ?? 0;
  }
  payloadLengthOf(p: number): number {
    return this.payloadLength[p - this.origin] ?? 0;
  }
  streamOffsetOf(p: number): number {
    return this.streamOffset[p - this.origin] ?? -1;
  }
  conversationOf(p: number): string {
    return this.ids[this.conversation[p - this.origin] ?? -1] ?? "";
  }
  httpOf(p: number): readonly HttpSummary[] {
    return this.http.get(p) ?? NO_HTTP;
  }
  http2Of(p: number): readonly Http2Summary[] {
    return this.http2.get(p) ?? NO_HTTP2;
  }

  /** Positions within [from, to) of events with HTTP/2 parts, oldest first. */
  eachHttp2Position(from: number, to: number, visit: (p: number) => void) {
    for (const p of this.http2Positions) {
      if (p >= to) break;
      if (p >= from) visit(p);
    }
  }

  /** Positions within [from, to) of events with HTTP/1.x parts, oldest first. */
  eachHttpPosition(from: number, to: number, visit: (p: number) => void) {
    for (const p of this.httpPositions) {
      if (p >= to) break;
      if (p >= from) visit(p);
    }
  }

  /** The first position in [from, to) whose seq is above `seq` (binary search: seqs grow with positions). */
  firstAbove(seq: number, from: number, to: number): number {
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.seqOf(mid) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Positions of one conversation's events within [from, to), oldest first. */
  eachPosition(conversationId: string, from: number, to: number, visit: (p: number) => void) {
    const number = this.idNumbers.get(conversationId);
    const list = number === undefined ? undefined : this.lists.get(number);
    list?.each(from, to, visit);
  }

  /** The whole event at position p (p held). */
  make(p: number): TimelineEvent {
    const kept = this.made.get(p);
    if (kept) {
      // Most recently used last, so the oldest made is the one that goes.
      this.made.delete(p);
      this.made.set(p, kept);
      return kept;
    }
    const slot = p - this.origin;
    const chunk = this.chunks.get(this.dataChunk[slot] ?? -1);
    const start = this.dataStart[slot] ?? 0;
    const dataLength = this.dataLength[slot] ?? 0;
    const tcpLength = this.tcpLength[slot] ?? 0;
    const error = this.errors.get(p);
    const event: TimelineEvent = {
      seq: BigInt(this.seq[slot] ?? 0),
      ...(this.number[slot] ? { number: BigInt(this.number[slot]) } : {}),
      conversationId: this.conversationOf(p),
      kind: this.kindOf(p),
      direction: this.directionOf(p),
      monoNs: this.monoNsOf(p),
      ...(this.peers.has(p) && { peerNs: this.monoNsOf(p) + BigInt(this.peers.get(p) ?? 0) }),
      length: this.length[slot] ?? 0,
      data: chunk && dataLength > 0 ? chunk.bytes.subarray(start, start + dataLength) : NO_BYTES,
      summary: this.summary[slot] ?? "",
      moreFrames: this.moreFrames[slot] ?? 0,
      findings: this.findingTable[this.findings[slot] ?? 0] ?? NO_FINDINGS,
      tcpSummary:
        chunk && tcpLength > 0
          ? fromBinary(TcpSummarySchema, chunk.bytes.subarray(start + dataLength, start + dataLength + tcpLength))
          : undefined,
      streamOffset: BigInt(this.streamOffset[slot] ?? -1),
      payloadLength: this.payloadLength[slot] ?? 0,
      linkType: this.linkType[slot] ?? 0,
      errorCode: error?.code ?? "",
      errorMessage: error?.message ?? "",
      http: this.httpOf(p),
      ...(this.http2.has(p) && { http2: this.http2Of(p) }),
    };
    this.made.set(p, event);
    if (this.made.size > MADE_KEPT) {
      const oldest = this.made.keys().next();
      if (!oldest.done) this.made.delete(oldest.value);
    }
    return event;
  }

  /** One conversation's events in [from, to), made; kept for the next view while they only grow. */
  conversationEvents(conversationId: string, from: number, to: number): readonly TimelineEvent[] {
    const kept = this.conversationsMade.get(conversationId);
    let events: readonly TimelineEvent[];
    if (kept && kept.from === from && kept.to <= to) {
      const more: TimelineEvent[] = [];
      this.eachPosition(conversationId, kept.to, to, (p) => more.push(this.make(p)));
      events = more.length === 0 ? kept.events : kept.events.concat(more);
      this.conversationsMade.delete(conversationId);
    } else {
      const all: TimelineEvent[] = [];
      this.eachPosition(conversationId, from, to, (p) => all.push(this.make(p)));
      events = all.length === 0 ? NO_EVENTS : all;
    }
    this.conversationsMade.set(conversationId, { from, to, events });
    if (this.conversationsMade.size > CONVERSATIONS_KEPT) {
      const oldest = this.conversationsMade.keys().next();
      if (!oldest.done) this.conversationsMade.delete(oldest.value);
    }
    return events;
  }

  // ---- writing

  private write(p: number, event: TimelineEvent) {
    const slot = p - this.origin;
    this.baseNs ??= event.monoNs;
    this.seq[slot] = Number(event.seq);
    this.number[slot] = Number(event.number ?? 0n);
    this.ns[slot] = Number(event.monoNs - this.baseNs);
    this.conversation[slot] = this.idNumber(event.conversationId);
    this.kind[slot] = event.kind;
    this.direction[slot] = event.direction;
    this.length[slot] = event.length;
    this.payloadLength[slot] = event.payloadLength;
    this.streamOffset[slot] = Number(event.streamOffset);
    this.linkType[slot] = event.linkType;
    this.moreFrames[slot] = Math.min(event.moreFrames, 0xffff);
    this.findings[slot] = this.findingNumber(event.findings);
    this.summary[slot] = event.summary;
    if (event.errorCode !== "" || event.errorMessage !== "") {
      this.errors.set(p, { code: event.errorCode, message: event.errorMessage });
    }
    if (event.peerNs !== undefined) this.peers.set(p, Number(event.peerNs - event.monoNs));
    if (event.http.length > 0) this.http.set(p, event.http);
    if (event.http2 && event.http2.length > 0) this.http2.set(p, event.http2);
    const tcp = event.tcpSummary ? toBinary(TcpSummarySchema, event.tcpSummary) : NO_BYTES;
    const tcpLength = tcp.length <= 0xffff ? tcp.length : 0;
    const size = event.data.length + tcpLength;
    this.dataLength[slot] = event.data.length;
    this.tcpLength[slot] = tcpLength;
    if (size === 0) {
      this.dataChunk[slot] = -1;
      this.dataStart[slot] = 0;
      return;
    }
    const [number, chunk] = this.room(size);
    this.dataChunk[slot] = number;
    this.dataStart[slot] = chunk.used;
    chunk.bytes.set(event.data, chunk.used);
    if (tcpLength > 0) chunk.bytes.set(tcp, chunk.used + event.data.length);
    chunk.used += size;
    chunk.refs++;
  }

  /** A chunk with `size` bytes free: the current one, a new shared one, or one of its own for a big item. */
  private room(size: number): [number, Chunk] {
    const current = this.current === undefined ? undefined : this.chunks.get(this.current);
    if (current && this.current !== undefined && current.bytes.length - current.used >= size) return [this.current, current];
    const number = this.nextChunk++;
    const chunk: Chunk = { bytes: new Uint8Array(size > OWN_CHUNK_BYTES ? size : CHUNK_BYTES), used: 0, refs: 0 };
    this.chunks.set(number, chunk);
    if (size <= OWN_CHUNK_BYTES) {
      // The chunk it replaces goes once its last event does.
      if (current && current.refs === 0 && this.current !== undefined) this.chunks.delete(this.current);
      this.current = number;
    }
    return [number, chunk];
  }

  /** Lets go of what position p holds outside the columns: its bytes' place in a chunk, its summary. */
  private release(p: number) {
    const slot = p - this.origin;
    this.summary[slot] = "";
    const number = this.dataChunk[slot] ?? -1;
    const chunk = this.chunks.get(number);
    if (!chunk) return;
    chunk.refs--;
    if (chunk.refs <= 0 && number !== this.current) this.chunks.delete(number);
  }

  private idNumber(id: string): number {
    let number = this.idNumbers.get(id);
    if (number === undefined) {
      number = this.ids.length;
      this.ids.push(id);
      this.idNumbers.set(id, number);
    }
    return number;
  }

  private listOf(id: string): Positions {
    const number = this.idNumber(id);
    let list = this.lists.get(number);
    if (!list) {
      list = new Positions();
      this.lists.set(number, list);
    }
    return list;
  }

  /** Each distinct list of findings is kept once; most events have none, and the rest repeat a few codes. */
  private findingNumber(findings: readonly BriefFinding[]): number {
    if (findings.length === 0) return 0;
    const key = JSON.stringify(findings.map((f) => [f.code, f.severity, f.form, f.message, Object.entries(f.args)]));
    let number = this.findingKeys.get(key);
    if (number === undefined) {
      number = this.findingTable.length;
      this.findingTable.push(Object.freeze(findings.map((f) => Object.freeze({ ...f, args: Object.freeze({ ...f.args }) }))));
      this.findingKeys.set(key, number);
    }
    return number;
  }

  /**
   * After a trim, the finding lists no held event uses go: findings whose args name a length or a value can be
   * as many as the events, and the table must not outlive them.
   */
  private compactFindings() {
    if (this.findingTable.length <= 1) return;
    const renumber = new Int32Array(this.findingTable.length).fill(-1);
    renumber[0] = 0;
    const table: (readonly BriefFinding[])[] = [NO_FINDINGS];
    for (let slot = this.front - this.origin; slot < this.back - this.origin; slot++) {
      const old = this.findings[slot] ?? 0;
      let next = renumber[old] ?? -1;
      if (next < 0) {
        next = table.length;
        table.push(this.findingTable[old] ?? NO_FINDINGS);
        renumber[old] = next;
      }
      this.findings[slot] = next;
    }
    const keys = new Map<string, number>([["", 0]]);
    for (const [key, old] of this.findingKeys) {
      const next = renumber[old] ?? -1;
      if (next >= 0) keys.set(key, next);
    }
    this.findingTable = table;
    this.findingKeys = keys;
  }

  private endViews() {
    this.epoch++;
    this.epochFront = this.front;
    this.made.clear();
    this.conversationsMade.clear();
  }

  /** Makes room for `before` slots in front and `after` at the back, dropping the slots no longer held. */
  private resize(before: number, after: number) {
    const held = this.size;
    const capacity = Math.max(1024, Math.ceil((held + before + after) * 1.5));
    const head = before > 0 ? before + Math.floor((capacity - held - before) / 2) : 0;
    const from = this.front - this.origin;
    const to = this.back - this.origin;
    const old = {
      seq: this.seq,
      number: this.number,
      ns: this.ns,
      conversation: this.conversation,
      kind: this.kind,
      direction: this.direction,
      length: this.length,
      payloadLength: this.payloadLength,
      streamOffset: this.streamOffset,
      linkType: this.linkType,
      moreFrames: this.moreFrames,
      findings: this.findings,
      dataChunk: this.dataChunk,
      dataStart: this.dataStart,
      dataLength: this.dataLength,
      tcpLength: this.tcpLength,
    };
    const summary = this.summary;
    this.capacity = capacity;
    this.allocate(capacity);
    for (const [name, column] of Object.entries(old)) {
      (this[name as keyof typeof old] as typeof column).set(column.subarray(from, to) as never, head);
    }
    const summaries = new Array<string>(capacity).fill("");
    for (let slot = from; slot < to; slot++) summaries[head + slot - from] = summary[slot] ?? "";
    this.summary = summaries;
    this.origin = this.front - head;
  }

  private allocate(capacity: number) {
    this.seq = new Float64Array(capacity);
    this.number = new Float64Array(capacity);
    this.ns = new Float64Array(capacity);
    this.conversation = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.direction = new Uint8Array(capacity);
    this.length = new Int32Array(capacity);
    this.payloadLength = new Int32Array(capacity);
    this.streamOffset = new Float64Array(capacity);
    this.linkType = new Uint16Array(capacity);
    this.moreFrames = new Uint16Array(capacity);
    this.findings = new Int32Array(capacity);
    this.dataChunk = new Int32Array(capacity);
    this.dataStart = new Int32Array(capacity);
    this.dataLength = new Int32Array(capacity);
    this.tcpLength = new Uint16Array(capacity);
  }
}

/** One conversation's positions, oldest first: a growable array whose start moves forward as trims drop them. */
class Positions {
  private at = new Float64Array(16);
  private start = 0;
  private end = 0;

  get size() {
    return this.end - this.start;
  }

  push(p: number) {
    if (this.end === this.at.length) this.regrow([], this.size * 2);
    this.at[this.end++] = p;
  }

  /** Puts older positions, in order, in front. */
  unshift(positions: readonly number[]) {
    this.regrow(positions, (this.size + positions.length) * 2);
  }

  dropBefore(p: number) {
    this.start = this.indexOf(p);
  }

  /** The first index whose position is `p` or later. */
  indexOf(p: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.at[mid] ?? Infinity) < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Positions from `p` on, below `to`. */
  each(p: number, to: number, visit: (p: number) => void) {
    for (let i = this.indexOf(p); i < this.end; i++) {
      const at = this.at[i] ?? to;
      if (at >= to) break;
      visit(at);
    }
  }

  private regrow(before: readonly number[], capacity: number) {
    const size = this.size;
    const grown = new Float64Array(Math.max(16, capacity));
    grown.set(before);
    grown.set(this.at.subarray(this.start, this.end), before.length);
    this.at = grown;
    this.start = 0;
    this.end = size + before.length;
  }
}

/** Positions [from, to) of a table as they were when the view was made. */
class View implements EventView {
  constructor(
    private readonly table: Table,
    private readonly from: number,
    private readonly to: number,
    private readonly epoch: number,
  ) {}

  get length() {
    return this.to - this.from;
  }

  get firstSeq() {
    return this.length > 0 ? this.seqAt(0) : undefined;
  }

  get lastSeq() {
    return this.length > 0 ? this.seqAt(this.length - 1) : undefined;
  }

  /**
   * The table's position of `index`, or NaN when it is outside the view or no longer held: a column read at NaN
   * is undefined, and every reader gives its default for that (positions can be negative, -1 could be held).
   */
  private position(index: number): number {
    const p = this.from + index;
    return Number.isInteger(index) && index >= 0 && p < this.to && this.table.holds(p, this.epoch) ? p : NaN;
  }

  at(index: number) {
    const p = this.position(index < 0 ? this.length + index : index);
    return Number.isNaN(p) ? undefined : this.table.make(p);
  }

  seqAt(index: number) {
    return BigInt(this.table.seqOf(this.position(index)));
  }

  kindAt(index: number) {
    return this.table.kindOf(this.position(index));
  }

  directionAt(index: number) {
    return this.table.directionOf(this.position(index));
  }

  conversationAt(index: number) {
    return this.table.conversationOf(this.position(index));
  }

  nsAt(index: number) {
    return this.table.nsOf(this.position(index));
  }

  monoNsAt(index: number) {
    return this.table.monoNsOf(this.position(index));
  }

  lengthAt(index: number) {
    return this.table.lengthOf(this.position(index));
  }

  payloadLengthAt(index: number) {
    return this.table.payloadLengthOf(this.position(index));
  }

  streamOffsetAt(index: number) {
    return BigInt(this.table.streamOffsetOf(this.position(index)));
  }

  indexOfSeq(seq: bigint) {
    const n = Number(seq);
    const p = this.table.firstAbove(n, this.from, this.to) - 1;
    return p >= this.from && this.table.seqOf(p) === n && this.table.holds(p, this.epoch) ? p - this.from : -1;
  }

  countAfter(seq: bigint) {
    return this.to - this.table.firstAbove(Number(seq), this.from, this.to);
  }

  ofConversation(conversationId: string) {
    return this.stale() ? NO_EVENTS : this.table.conversationEvents(conversationId, this.from, this.to);
  }

  eachOf(conversationId: string, visit: (index: number) => void) {
    if (this.stale()) return;
    this.table.eachPosition(conversationId, this.from, this.to, (p) => visit(p - this.from));
  }

  httpAt(index: number) {
    return this.table.httpOf(this.position(index));
  }

  eachHttp(visit: (index: number) => void) {
    if (this.stale()) return;
    this.table.eachHttpPosition(this.from, this.to, (p) => visit(p - this.from));
  }

  http2At(index: number) {
    return this.table.http2Of(this.position(index));
  }

  eachHttp2(visit: (index: number) => void) {
    if (this.stale()) return;
    this.table.eachHttp2Position(this.from, this.to, (p) => visit(p - this.from));
  }

  *[Symbol.iterator]() {
    for (let index = 0; index < this.length; index++) {
      const event = this.at(index);
      if (event) yield event;
    }
  }

  /** Ended by a trim or a clear: what it covered is (partly) gone. */
  private stale() {
    return this.length > 0 && !this.table.holds(this.from, this.epoch);
  }
}
