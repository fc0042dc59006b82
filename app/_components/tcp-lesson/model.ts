// What the TCP lesson reads out of timeline events: the socket calls each side made and the echo server's
// answers (a connection's state is the lesson kit's: lesson-kit/connection.ts). Pure functions over the
// generated timeline types (proto/lab/v1/timeline.proto), so they are easy to test and never invent an event.

import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "../timeline/batch";
import { concatBytes, decodeUtf8 } from "../lesson-kit/bytes";
import { dataChunks } from "../lesson-kit/connection";

export type Side = "client" | "server";
export type CallName = "socket" | "bind" | "listen" | "accept" | "connect" | "send" | "recv" | "shutdown" | "close";

export interface Call {
  readonly side: Side;
  readonly name: CallName;
  /** Bytes moved by send()/recv(); 0 with eof for the recv() that sees the peer's FIN. */
  readonly bytes?: number;
  readonly eof?: boolean;
  /** The call returned this error (connect() refused: "ECONNREFUSED"). */
  readonly failed?: string;
  /** The same call made this many times in a row, `bytes` each (the echo server's recv(1024) over one chunk). */
  readonly times?: number;
}

export interface CallStep {
  readonly seq: bigint;
  readonly calls: readonly Call[];
  readonly error?: { readonly code: string; readonly message: string };
}

/** The calls each side makes, in the order a lesson lists them. */
export const CLIENT_CALLS: readonly CallName[] = ["socket", "connect", "send", "recv", "shutdown", "close"];
export const SERVER_CALLS: readonly CallName[] = ["socket", "bind", "listen", "accept", "recv", "send", "shutdown", "close"];
/** The server made these once, when the lab host started, before any client came. */
export const SERVER_SETUP_CALLS: ReadonlySet<CallName> = new Set(["socket", "bind", "listen"]);

function sideOf(direction: Direction): Side | undefined {
  if (direction === Direction.CLIENT_TO_SERVER) return "client";
  if (direction === Direction.SERVER_TO_CLIENT) return "server";
  return undefined;
}

function other(side: Side): Side {
  return side === "client" ? "server" : "client";
}

/** The echo server's reads, as the course's server makes them: client_socket.recv(1024) (server/servers/tcp-echo.ts). */
export const ECHO_RECV_SIZE = 1024;

/** What is known of a connection beyond its events. */
export interface KnownCalls {
  /** The sizes of the client's send() calls, in order, when the page made them (lesson-kit/client-writes.ts). */
  readonly writes?: readonly number[];
  /** The server reads each chunk that arrives with recv(recvSize) calls until it is used up (the echo server). */
  readonly recvSize?: number;
}

/** A server's recv(size) calls over one chunk of `length` bytes: full reads, then the rest. */
function serverReads(length: number, size: number | undefined): Call[] {
  if (!size || length <= size) return [{ side: "server", name: "recv", bytes: length }];
  const full = Math.floor(length / size);
  const rest = length - full * size;
  const reads: Call[] = [full === 1 ? { side: "server", name: "recv", bytes: size } : { side: "server", name: "recv", bytes: size, times: full }];
  if (rest > 0) reads.push({ side: "server", name: "recv", bytes: rest });
  return reads;
}

/**
 * Maps one conversation's events to socket calls. The tap sees the connection from the socket API,
 * so each event stands for the calls that must have happened for it: an OPEN means the client's
 * socket()+connect() met the server's accept(); bytes one way are a send() on one side and a recv()
 * on the other; a FIN one way is a shutdown() there and an empty recv() on the peer.
 * Bytes from the client are recorded as the server's socket read them, so without `known.writes` each
 * such chunk stands for one send(); with them, the client's calls are the ones it made, each shown with
 * the chunk its first byte arrived in (one 100 KB send() arrives as two chunks; two quick ones as one).
 */
export function socketSteps(events: readonly TimelineEvent[], known: KnownCalls = {}): CallStep[] {
  const steps: CallStep[] = [];
  const { writes, recvSize } = known;
  // Where the next chunk from the client starts in its stream, and the next write not yet shown.
  let received = 0;
  let nextWrite = 0;
  let nextWriteAt = 0;
  for (const event of events) {
    const from = sideOf(event.direction);
    switch (event.kind) {
      case EventKind.OPEN:
        steps.push({
          seq: event.seq,
          calls: [
            { side: "client", name: "socket" },
            { side: "client", name: "connect" },
            { side: "server", name: "accept" },
          ],
        });
        break;
      case EventKind.CONNECT_FAILED:
        // No server program saw it (the closed-port experiment): the client's connect() returned the error.
        steps.push({
          seq: event.seq,
          calls: [
            { side: "client", name: "socket" },
            { side: "client", name: "connect", failed: event.errorCode !== "" ? event.errorCode : "?" },
          ],
          error: { code: event.errorCode, message: event.errorMessage },
        });
        break;
      case EventKind.DATA: {
        if (!from) break;
        const length = event.data.length;
        if (from === "server") {
          steps.push({
            seq: event.seq,
            calls: [
              { side: "server", name: "send", bytes: length },
              { side: "client", name: "recv", bytes: length },
            ],
          });
          break;
        }
        const sends: Call[] = [];
        if (!writes) sends.push({ side: "client", name: "send", bytes: length });
        for (; writes && nextWrite < writes.length && nextWriteAt < received + length; nextWrite++) {
          sends.push({ side: "client", name: "send", bytes: writes[nextWrite]! });
          nextWriteAt += writes[nextWrite]!;
        }
        received += length;
        steps.push({ seq: event.seq, calls: [...sends, ...serverReads(length, recvSize)] });
        break;
      }
      case EventKind.HALF_CLOSE:
        if (!from) break;
        steps.push({
          seq: event.seq,
          calls: [
            { side: from, name: "shutdown" },
            { side: other(from), name: "recv", bytes: 0, eof: true },
          ],
        });
        break;
      case EventKind.CLOSE: {
        // A full close ends both sockets; whoever the event names closed first.
        const first = from ?? "client";
        steps.push({
          seq: event.seq,
          calls: [
            { side: first, name: "close" },
            { side: other(first), name: "close" },
          ],
        });
        break;
      }
      case EventKind.ERROR:
        steps.push({ seq: event.seq, calls: [], error: { code: event.errorCode, message: event.errorMessage } });
        break;
      default:
        break;
    }
  }
  return steps;
}

export interface CallTally {
  readonly count: number;
  /** The error the call returned the last time, if it failed (connect(): "ECONNREFUSED"). */
  readonly failed?: string;
  /** The call is part of the most recent step. */
  readonly latest: boolean;
}

/** How often each side made each call, and which calls the latest step made. */
export function tallyCalls(steps: readonly CallStep[]): Record<Side, Map<CallName, CallTally>> {
  const tally: Record<Side, Map<CallName, CallTally>> = { client: new Map(), server: new Map() };
  steps.forEach((step, index) => {
    const isLatest = index === steps.length - 1;
    for (const call of step.calls) {
      const before = tally[call.side].get(call.name);
      tally[call.side].set(call.name, {
        count: (before?.count ?? 0) + (call.times ?? 1),
        latest: isLatest || (before?.latest ?? false),
        ...(call.failed !== undefined ? { failed: call.failed } : {}),
      });
    }
  });
  return tally;
}

/** A line of the steps' log: a step, or how many more steps like the ones above it followed. */
export type LogLine = { readonly step: CallStep } | { readonly more: number; readonly total: number; readonly seq: bigint };

/**
 * The steps as a short log: of a run of steps that make the same calls with the same sizes (the echo
 * server's hundred answers to one big send()), the first `shown`, then one line for the rest with the count.
 */
export function compactSteps(steps: readonly CallStep[], shown = 3): LogLine[] {
  const key = (step: CallStep) => JSON.stringify([step.calls, step.error]);
  const lines: LogLine[] = [];
  for (let start = 0; start < steps.length; ) {
    let end = start + 1;
    while (end < steps.length && key(steps[end]!) === key(steps[start]!)) end++;
    const run = end - start;
    const keep = run > shown + 1 ? shown : run;
    for (let i = start; i < start + keep; i++) lines.push({ step: steps[i]! });
    if (keep < run) lines.push({ more: run - keep, total: run, seq: steps[end - 1]!.seq });
    start = end;
  }
  return lines;
}

/**
 * What the server wrote after the client's last write: the answer to the last message (for `time`
 * that is two writes, "ECHO: time" and "Server time: ..."). Before the client wrote anything it is
 * the welcome line.
 */
export function lastAnswer(events: readonly TimelineEvent[]): Uint8Array[] {
  let start = 0;
  events.forEach((e, i) => {
    if (e.kind === EventKind.DATA && e.direction === Direction.CLIENT_TO_SERVER) start = i + 1;
  });
  return dataChunks(events.slice(start), Direction.SERVER_TO_CLIENT);
}

export const ECHO_PREFIX = "ECHO: ";

/**
 * Cuts what the echo server sent into its answers. The server writes "ECHO: <what one recv() got>"
 * with no newline, so the prefix is the only boundary; the lesson's messages never contain it.
 * Whatever comes before the first prefix is the welcome line.
 */
export function splitEchoAnswers(received: string): { preface: string; answers: string[] } {
  const [preface = "", ...answers] = received.split(ECHO_PREFIX);
  return { preface, answers };
}

/** Run-length summary of sizes, "1024 × 99, 1000 × 1", in the order they came. */
export function runLengths(sizes: readonly number[]): { size: number; times: number }[] {
  const runs: { size: number; times: number }[] = [];
  for (const size of sizes) {
    const last = runs[runs.length - 1];
    if (last && last.size === size) last.times += 1;
    else runs.push({ size, times: 1 });
  }
  return runs;
}

export interface StreamResult {
  /** What the server's recv() calls returned, one entry per ECHO answer (each answers one recv). */
  readonly reads: readonly string[];
  /** Bytes the server has echoed so far: the sum of the reads. */
  readonly echoedBytes: number;
  /** DATA events client -> server that the timeline holds for the conversation. */
  readonly clientDataEvents: number;
}

/**
 * The echo server's answers on one connection, read back into the server's reads. The lesson sends
 * only ASCII without spaces, so "ECHO: " + the stripped read has the read's exact length.
 */
export function streamResult(events: readonly TimelineEvent[]): StreamResult {
  const { answers } = splitEchoAnswers(decodeUtf8(concatBytes(dataChunks(events, Direction.SERVER_TO_CLIENT))));
  return {
    reads: answers,
    echoedBytes: answers.reduce((sum, a) => sum + a.length, 0),
    clientDataEvents: events.filter((e) => e.kind === EventKind.DATA && e.direction === Direction.CLIENT_TO_SERVER).length,
  };
}
