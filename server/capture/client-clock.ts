// A lab client's own times (issue 15 §2, end-to-end slopes). The server's tap records a message once, with the
// server's time (its read, or its write); the lab's own client is in this process too, so its socket's times are
// known as well. This records two numbers per write() and per read of the client's socket (where in its stream it
// ended, and when), never the bytes, and the bus matches them to the server's events by stream offset:
//  - client to server: the server's read starts at byte a of the stream; the client wrote byte a in one write, and
//    that write's time is when the message left the sender (the first byte, as the wire's slope takes it);
//  - server to client: the server's write ends at byte b; the client's first read that reached b is when the whole
//    message had arrived.
// Outside programs have no such clock: their arrows keep the wire's times (while wire capture runs) or are flat.
// Neither is the gRPC client's (node:http2 reads and writes the socket's native handle, past these hooks).

import type net from "node:net";
import { tapSocket } from "./tap";

/** Marks kept per direction: the oldest go past this (a client that writes much the server has not yet read). */
export const CLIENT_CLOCK_LIMITS = { marks: 4096 } as const;

export interface ClientClock {
  /** The client wrote `length` bytes (its write() call), now. */
  wrote(length: number): void;
  /** The client's socket read `length` bytes, now. */
  read(length: number): void;
  /** The client's socket closed: it reads nothing more. */
  close(): void;
  readonly closed: boolean;
  /**
   * When the client wrote the byte at `offset` of its stream (milliseconds, performance.now()); undefined when not
   * known (its mark went with the bound). Offsets asked for only grow, so marks before the answer are let go.
   */
  writeTimeOf(offset: number): number | undefined;
  /** When the client had read its stream up to `end` (exclusive); undefined while it has not. Ends asked for only grow. */
  readTimeOf(end: number): number | undefined;
  /** Told after each read and at close (the bus then lets go of what waited for them). */
  onProgress: (() => void) | undefined;
}

/** Pairs (stream position, time) in the order they came, oldest first; a head index instead of shifting. */
class Marks {
  private readonly items: number[] = [];
  private head = 0;
  constructor(private readonly limit: number) {}

  add(position: number, ms: number) {
    this.items.push(position, ms);
    if ((this.items.length - this.head) / 2 > this.limit) this.head += 2;
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }

  /** The time of the last mark at or before `position` (marks before it go), undefined when none is. */
  lastAtOrBefore(position: number): number | undefined {
    const items = this.items;
    while (this.head + 2 < items.length && items[this.head + 2]! <= position) this.head += 2;
    return this.head < items.length && items[this.head]! <= position ? items[this.head + 1] : undefined;
  }

  /** The time of the first mark at or past `position` (marks before it go), undefined when none is yet. */
  firstAtOrPast(position: number): number | undefined {
    const items = this.items;
    while (this.head < items.length && items[this.head]! < position) this.head += 2;
    return this.head < items.length ? items[this.head + 1] : undefined;
  }

  get size() {
    return (this.items.length - this.head) / 2;
  }
}

export function createClientClock(limits: { readonly marks: number } = CLIENT_CLOCK_LIMITS): ClientClock {
  const writes = new Marks(limits.marks);
  const reads = new Marks(limits.marks);
  let written = 0;
  let readTotal = 0;
  let closed = false;
  const clock: ClientClock = {
    onProgress: undefined,
    wrote(length) {
      if (length <= 0) return;
      writes.add(written, performance.now());
      written += length;
    },
    read(length) {
      if (length <= 0) return;
      readTotal += length;
      reads.add(readTotal, performance.now());
      clock.onProgress?.();
    },
    close() {
      if (closed) return;
      closed = true;
      clock.onProgress?.();
    },
    get closed() {
      return closed;
    },
    writeTimeOf: (offset) => writes.lastAtOrBefore(offset),
    readTimeOf: (end) => reads.firstAtOrPast(end),
  };
  return clock;
}

/**
 * Times a lab client's socket: each write() (and end(data)) and each read, as the server's tap records them
 * (tapSocket's hooks, with the clock for a recorder: lengths and times, no bytes kept).
 */
export function timeClientSocket(socket: net.Socket, clock: ClientClock): void {
  tapSocket(
    socket,
    {
      data(direction, bytes) {
        const length = typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.byteLength;
        if (direction === "c2s") clock.wrote(length);
        else clock.read(length);
      },
      halfClose() {},
      error() {},
      close: () => clock.close(),
    },
    "c2s",
  );
}
