// Tests' events: a TimelineEvent with every field at its empty value, the test naming only what it is about.

import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "./batch";

/** A client-to-server data event of conversation "c1", empty, with `fields` over it. */
export function testEvent(fields: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    seq: 0n,
    conversationId: "c1",
    kind: EventKind.DATA,
    direction: Direction.CLIENT_TO_SERVER,
    monoNs: 0n,
    length: 0,
    data: new Uint8Array(0),
    summary: "",
    moreFrames: 0,
    findings: [],
    tcpSummary: undefined,
    streamOffset: -1n,
    payloadLength: 0,
    linkType: 0,
    errorCode: "",
    errorMessage: "",
    http: [],
    ...fields,
  };
}
