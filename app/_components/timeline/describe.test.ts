// How the timeline words UDP's own events (a lost datagram, a receive timeout, a duplicate's copy, a flow's
// first datagram and idle end, an error on a flow) in both languages, from the real dictionary.

import { describe, expect, it } from "vitest";
import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { Dictionary } from "@/app/_i18n/define";
import { formatMessage, type Values } from "@/app/_i18n/format";
import type { Locale } from "@/app/_i18n/locales";
import { namespaces } from "@/app/_i18n/messages";
import type { TimelineEvent } from "./batch";
import { isDuplicate, markLabel, rowName, type TimelineT } from "./describe";
import { testEvent } from "./testing";

function tOf(locale: Locale): TimelineT {
  const dictionary: Dictionary = namespaces.timeline[locale];
  return ((key: string, values?: Values) => formatMessage(locale, dictionary[key] ?? key, values)) as TimelineT;
}

function event(fields: Partial<TimelineEvent>): TimelineEvent {
  return testEvent({ seq: 7n, ...fields });
}

const name = (t: TimelineT, e: TimelineEvent) =>
  rowName(t, { event: e, label: { text: e.summary, more: 0 }, time: "40.100", findings: [], gap: null, conversation: null, datagram: true });

describe("UDP's events on the ladder", () => {
  const lost = event({ kind: EventKind.LOST, summary: '"d3"', length: 2, errorCode: "EIMPAIRED" });
  const timeout = event({ kind: EventKind.TIMEOUT, direction: Direction.SERVER_TO_CLIENT, errorCode: "ETIMEDOUT", errorMessage: "No answer within 5 s." });
  const copy = event({ kind: EventKind.DATA, direction: Direction.SERVER_TO_CLIENT, summary: "UDP-ECHO: hi", length: 12, errorCode: "EDUPLICATE" });

  it("names a lost datagram with what it carried, a timeout and a duplicate, in English", () => {
    const t = tOf("en");
    expect(name(t, lost)).toBe('Client to server, lost datagram, "d3", 2 bytes, 40.100 ms');
    expect(name(t, timeout)).toBe("Server to client, no answer (timeout), 40.100 ms");
    expect(name(t, copy)).toBe("Server to client, UDP-ECHO: hi, 12 bytes, duplicate, 40.100 ms");
  });

  it("names them in Russian", () => {
    const t = tOf("ru");
    expect(name(t, lost)).toBe('От клиента к серверу, потерянная датаграмма, "d3", 2 байта, 40.100 мс');
    expect(name(t, timeout)).toBe("От сервера к клиенту, нет ответа (тайм-аут), 40.100 мс");
    expect(name(t, copy)).toBe("От сервера к клиенту, UDP-ECHO: hi, 12 байт, дубликат, 40.100 мс");
  });

  it("words a flow's start, idle end and errors without a connection, and TCP's as before", () => {
    const t = tOf("en");
    const open = event({ kind: EventKind.OPEN, direction: Direction.UNSPECIFIED });
    const close = event({ kind: EventKind.CLOSE, direction: Direction.UNSPECIFIED });
    const refused = event({ kind: EventKind.ERROR, errorCode: "ECONNREFUSED" });
    expect(markLabel(t, open, true)).toBe("first datagram (no handshake)");
    expect(markLabel(t, close, true)).toBe("flow idle, forgotten");
    expect(markLabel(t, refused, true)).toBe("error: ECONNREFUSED");
    expect(markLabel(t, open)).toBe("connection opened");
    expect(markLabel(t, close)).toBe("connection closed");
    expect(markLabel(t, refused)).toBe("connection failed: ECONNREFUSED");
    // A datagram that arrived once is no duplicate; only the impairment's copy is.
    expect(isDuplicate(copy)).toBe(true);
    expect(isDuplicate(event({ kind: EventKind.DATA }))).toBe(false);
    expect(isDuplicate(event({ kind: EventKind.LOST, errorCode: "EDUPLICATE" }))).toBe(false);
  });
});
