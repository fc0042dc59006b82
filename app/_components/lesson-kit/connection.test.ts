import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Direction, EventKind, EventSchema, type Event } from "@/gen/lab/v1/timeline_pb";
import { utf8 } from "./bytes";
import { connectionState, dataChunks } from "./connection";

let seq = 0n;
function ev(kind: EventKind, direction = Direction.UNSPECIFIED, text = ""): Event {
  seq += 1n;
  return create(EventSchema, { seq, conversationId: "c1", kind, direction, data: utf8(text) });
}

describe("connectionState", () => {
  it("follows the connection from open to closed", () => {
    expect(connectionState([])).toBeUndefined();
    const open = ev(EventKind.OPEN);
    expect(connectionState([open])).toBe("open");
    const fin = ev(EventKind.HALF_CLOSE, Direction.CLIENT_TO_SERVER);
    expect(connectionState([open, fin])).toBe("clientHalfClosed");
    const serverFin = ev(EventKind.HALF_CLOSE, Direction.SERVER_TO_CLIENT);
    expect(connectionState([open, serverFin])).toBe("serverHalfClosed");
    expect(connectionState([open, fin, serverFin])).toBe("bothHalfClosed");
    expect(connectionState([open, fin, ev(EventKind.CLOSE)])).toBe("closed");
    expect(connectionState([open, ev(EventKind.ERROR)])).toBe("error");
  });
});

describe("dataChunks", () => {
  it("keeps one direction's DATA events, in order", () => {
    const events = [
      ev(EventKind.OPEN),
      ev(EventKind.DATA, Direction.SERVER_TO_CLIENT, "hi"),
      ev(EventKind.DATA, Direction.CLIENT_TO_SERVER, "x"),
      ev(EventKind.DATA, Direction.SERVER_TO_CLIENT, "there"),
    ];
    expect(dataChunks(events, Direction.SERVER_TO_CLIENT).map((b) => new TextDecoder().decode(b))).toEqual(["hi", "there"]);
  });
});
