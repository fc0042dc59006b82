// The state of one conversation as its timeline events tell it, and its bytes one way: what every
// experiment panel shows, whatever the protocol. Pure functions over the generated timeline types
// (proto/lab/v1/timeline.proto), so they are easy to test and never invent an event.

import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "@/app/_components/timeline/batch";

export type ConnectionState = "open" | "clientHalfClosed" | "serverHalfClosed" | "bothHalfClosed" | "closed" | "error";

/** The connection's state as the timeline last saw it; undefined before its OPEN event arrived. */
export function connectionState(events: readonly Pick<TimelineEvent, "kind" | "direction">[]): ConnectionState | undefined {
  let opened = false;
  let clientFin = false;
  let serverFin = false;
  for (const event of events) {
    // A connect that failed never opened a connection: nothing follows it.
    if (event.kind === EventKind.ERROR || event.kind === EventKind.CONNECT_FAILED) return "error";
    if (event.kind === EventKind.CLOSE) return "closed";
    if (event.kind === EventKind.OPEN) opened = true;
    if (event.kind === EventKind.HALF_CLOSE) {
      if (event.direction === Direction.CLIENT_TO_SERVER) clientFin = true;
      if (event.direction === Direction.SERVER_TO_CLIENT) serverFin = true;
    }
  }
  if (clientFin && serverFin) return "bothHalfClosed";
  if (clientFin) return "clientHalfClosed";
  if (serverFin) return "serverHalfClosed";
  return opened || events.length > 0 ? "open" : undefined;
}

export function isFinished(state: ConnectionState | undefined): boolean {
  return state === "closed" || state === "error";
}

/** The bytes of every DATA event one way, in order (the timeline holds them for the lab's own clients). */
export function dataChunks(events: readonly Pick<TimelineEvent, "kind" | "direction" | "data">[], direction: Direction): Uint8Array[] {
  return events.filter((e) => e.kind === EventKind.DATA && e.direction === direction).map((e) => e.data);
}
