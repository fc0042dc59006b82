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

/**
 * Maps one conversation's events to socket calls. The tap sees the connection from the socket API,
 * so each event stands for the calls that must have happened for it: an OPEN means the client's
 * socket()+connect() met the server's accept(); bytes one way are a send() on one side and a recv()
 * on the other; a FIN one way is a shutdown() there and an empty recv() on the peer.
 */
export function socketSteps(events: readonly TimelineEvent[]): CallStep[] {
  const steps: CallStep[] = [];
  // A refused connect (the closed-port experiment) is recorded as open, error, close, but no server
  // program ever saw it: only the client's calls happened.
  const refused = events.some((e) => e.kind === EventKind.ERROR && e.errorCode === "ECONNREFUSED");
  for (const event of events) {
    const from = sideOf(event.direction);
    switch (event.kind) {
      case EventKind.OPEN:
        steps.push({
          seq: event.seq,
          calls: [
            { side: "client", name: "socket" },
            { side: "client", name: "connect" },
            ...(refused ? [] : [{ side: "server", name: "accept" } as const]),
          ],
        });
        break;
      case EventKind.DATA:
        if (!from) break;
        steps.push({
          seq: event.seq,
          calls: [
            { side: from, name: "send", bytes: event.data.length },
            { side: other(from), name: "recv", bytes: event.data.length },
          ],
        });
        break;
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
        if (refused) {
          steps.push({ seq: event.seq, calls: [{ side: "client", name: "close" }] });
          break;
        }
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
      tally[call.side].set(call.name, { count: (before?.count ?? 0) + 1, latest: isLatest || (before?.latest ?? false) });
    }
  });
  return tally;
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
