// LabService.FilterEvents and the pcapng export's ?filter= over real HTTP with Connect, on a real echo conversation:
// the same display filter picks the same events for the view and the file; a filter that does not parse is
// INVALID_ARGUMENT (400 for the file); each call scans a bounded number of events and resumes from its cursor; a
// pathological regex and a huge filter are answered without stalling other clients.

import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventKind } from "@/gen/lab/v1/timeline_pb";
import { RUN_ID } from "../capture/bus";
import { readPcapng } from "../capture/pcapng";
import { dissectPacket } from "../dissect/packet";
import { dissectorFor } from "../dissect/protocols";
import { FILTER_LIMITS } from "../dissect/filter/parse";
import type { LabHost } from "./host";
import { createEventFilter } from "./filter-events";
import { connectClient, labServiceFor, sleep, startTestHost, visitForSession } from "../testing/host";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost(["--capture=off"]);
});
afterAll(async () => {
  await host.stop();
});

const encoder = new TextEncoder();
const text = (data: Uint8Array) => new TextDecoder().decode(data);

async function codeOf(call: Promise<unknown>): Promise<Code | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

/** A session with an echo conversation: the welcome, then hello, time and a long line of a's, each answered. */
async function echoSession() {
  const cookie = await visitForSession(host, "/lessons/tcp");
  const lab = labServiceFor(host, cookie);
  const { conversation } = await lab.open({ service: "tcp-echo" });
  const id = conversation!.id;
  for (const line of ["hello\n", "time\n", "a".repeat(1000) + "\n"]) await lab.send({ conversationId: id, parts: [encoder.encode(line)] });
  // Every answer in: three client writes and five server writes (the welcome, the time's two lines).
  for (let i = 0; i < 200; i++) {
    const all = await lab.filterEvents({ filter: "lab.kind == data", runId: RUN_ID });
    if (all.seqs.length >= 8) break;
    await sleep(20);
  }
  return { cookie, lab, id };
}

describe("FilterEvents", () => {
  it("keeps exactly the events whose trees pass, the same as GetEvent shows them", async () => {
    const { lab, id } = await echoSession();
    const everything = await lab.filterEvents({ filter: "", runId: RUN_ID });
    expect(everything.done).toBe(true);
    expect(everything.scanned).toBe(everything.seqs.length);
    const events = await Promise.all(everything.seqs.map(async (seq) => (await lab.getEvent({ seq, runId: RUN_ID })).event!));
    const seqsWhere = (test: (e: (typeof events)[number]) => boolean) => events.filter(test).map((e) => e.seq);

    const echo = await lab.filterEvents({ filter: 'text.line contains "ECHO"', runId: RUN_ID });
    expect(echo.seqs).toEqual(seqsWhere((e) => e.kind === EventKind.DATA && text(e.data).includes("ECHO")));
    expect(echo.seqs.length).toBe(3);

    const clientLines = await lab.filterEvents({ filter: "lab.direction == c2s && text && !(frame.len > 100)", runId: RUN_ID });
    expect(clientLines.seqs.map((s) => text(events.find((e) => e.seq === s)!.data))).toEqual(["hello\n", "time\n"]);

    const opened = await lab.filterEvents({ filter: "lab.kind == open or lab.kind eq close", runId: RUN_ID });
    expect(opened.seqs).toEqual(seqsWhere((e) => e.kind === EventKind.OPEN || e.kind === EventKind.CLOSE));
    expect(opened.seqs.length).toBeGreaterThanOrEqual(1);

    const regex = await lab.filterEvents({ filter: 'text.line.content matches "^ECHO: (tim|hel+o)$"', runId: RUN_ID });
    expect(regex.seqs.map((s) => text(events.find((e) => e.seq === s)!.data))).toEqual(["ECHO: hello"]);

    // From a cursor: only what comes after it.
    const later = await lab.filterEvents({ filter: 'text.line contains "ECHO"', afterSeq: echo.seqs[0]!, runId: RUN_ID });
    expect(later.seqs).toEqual(echo.seqs.slice(1));
    await lab.close({ conversationId: id });
  });

  it("refuses a filter that does not parse, a huge one included, with INVALID_ARGUMENT", async () => {
    const lab = labServiceFor(host, await visitForSession(host, "/lessons/tcp"));
    expect(await codeOf(lab.filterEvents({ filter: "tcp.flags.syn = 1", runId: RUN_ID }))).toBe(Code.InvalidArgument);
    expect(await codeOf(lab.filterEvents({ filter: "no.such.field", runId: RUN_ID }))).toBe(Code.InvalidArgument);
    expect(await codeOf(lab.filterEvents({ filter: "tcp || ".repeat(100_000) + "tcp", runId: RUN_ID }))).toBe(Code.InvalidArgument);
    expect(await codeOf(lab.filterEvents({ filter: Array.from({ length: FILTER_LIMITS.terms + 1 }, () => "tcp").join("||"), runId: RUN_ID }))).toBe(
      Code.InvalidArgument,
    );
  });

  it("a pathological regex over a 1,000-byte line is answered, and another client is served meanwhile", async () => {
    const { lab, id } = await echoSession();
    const other = await connectClient(host.port("tcp-echo"));
    await other.until((t) => t.startsWith("Welcome"));
    const [answer] = await Promise.all([
      lab.filterEvents({ filter: 'text.line matches "^(a+)+b" || text.line matches "(a|a)*b$"', runId: RUN_ID }),
      (async () => {
        other.socket.write("still here\n");
        await other.until((t) => t.includes("ECHO: still here"));
      })(),
    ]);
    expect(answer.seqs).toEqual([]);
    expect(answer.done).toBe(true);
    // The client's line (its content, without the LF) is matched by a pattern it does satisfy; the answer has ECHO: first.
    const line = await lab.filterEvents({ filter: 'text.line matches "^(a+)+$"', runId: RUN_ID });
    expect(line.seqs.length).toBe(0);
    const content = await lab.filterEvents({ filter: 'text.line.content matches "^(a+)+$"', runId: RUN_ID });
    expect(content.seqs.length).toBe(1);
    other.socket.destroy();
    await lab.close({ conversationId: id });
  });

  it("scans at most its bound per call and resumes from next_seq until done", async () => {
    const { cookie, lab, id } = await echoSession();
    const session = host.sessions.lookup(cookie, "127.0.0.1")!;
    const all = await lab.filterEvents({ filter: "", runId: RUN_ID });
    const filter = createEventFilter(dissectorFor, { scan: 2 });
    const seen: bigint[] = [];
    let after = 0n;
    let calls = 0;
    for (;;) {
      const r = await filter.filter(session.id, session.ring, { $typeName: "lab.v1.FilterEventsRequest", filter: "", afterSeq: after, runId: RUN_ID });
      calls++;
      expect(r.scanned).toBeLessThanOrEqual(2);
      seen.push(...r.seqs);
      after = r.nextSeq;
      if (r.done) break;
    }
    expect(seen).toEqual(all.seqs);
    expect(calls).toBeGreaterThanOrEqual(Math.ceil(all.seqs.length / 2));
    await lab.close({ conversationId: id });
  });

  it("a session's newer call ends its older one", async () => {
    const { cookie, lab, id } = await echoSession();
    const session = host.sessions.lookup(cookie, "127.0.0.1")!;
    const filter = createEventFilter(dissectorFor, { scan: 1_000_000 });
    const request = (f: string) => ({ $typeName: "lab.v1.FilterEventsRequest" as const, filter: f, afterSeq: 0n, runId: RUN_ID });
    const older = filter.filter(session.id, session.ring, request("tcp"));
    const newer = filter.filter(session.id, session.ring, request("text"));
    expect(await codeOf(older)).toBe(Code.Canceled);
    expect((await newer).done).toBe(true);
    await lab.close({ conversationId: id });
  });
});

describe("pcapng ?filter=", () => {
  it("saves the events the filter keeps, and answers 400 to one that does not parse", async () => {
    const { cookie, lab, id } = await echoSession();
    const base = `http://127.0.0.1:${host.port("web")}/api/sessions/current/capture.pcapng`;
    const echo = await lab.filterEvents({ filter: 'text.line contains "ECHO"', runId: RUN_ID });
    const res = await fetch(`${base}?filter=${encodeURIComponent('text.line contains "ECHO"')}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const file = readPcapng(new Uint8Array(await res.arrayBuffer()));
    expect(file.sections[0]!.comments.join(" ")).toContain("showed under its display filter");
    // Capture is off: each kept data event is one synthesised packet with its bytes as the payload.
    const payloads = file.packets
      .map((p) => {
        const tcp = dissectPacket(file.interfaces[p.interfaceId]!.linkType, p.data).tcp;
        return tcp ? p.data.subarray(tcp.payloadOffset, tcp.payloadOffset + tcp.payloadLength) : new Uint8Array();
      })
      .filter((b) => b.length > 0)
      .map(text);
    expect(payloads.length).toBe(echo.seqs.length);
    for (const p of payloads) expect(p).toContain("ECHO");

    const bad = await fetch(`${base}?filter=${encodeURIComponent("tcp.flags.syn = 1")}`, { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("unexpected_char at column 15");
    await lab.close({ conversationId: id });
  });
});
