// LabService over real HTTP with Connect, and who sees which conversation (issue 2 §4).

import net from "node:net";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, fromJson, toBinary } from "@bufbuild/protobuf";
import { CaptureMode, CaptureOff, LabService, ServiceState, StatusResponseSchema, WatchRequestSchema, type WatchResponse } from "@/gen/lab/v1/lab_pb";
import { Direction, EventKind, Origin, Transport, type Conversation } from "@/gen/lab/v1/timeline_pb";
import { createBatchReader, type TimelineEvent } from "@/app/_components/timeline/batch";
import { RUN_ID } from "../capture/bus";
import { SERVICES } from "../config";
import { LAB_SERVICES } from "../servers/index";
import type { LabHost } from "./host";
import { connectClient, sleep, startTestHost } from "../testing/host";
import { LIMITS } from "./service";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

/** Visits a page, as a browser does, and returns the session cookie the host set. */
async function newSession(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${host.port("web")}/lessons/tcp`);
  const cookie = res.headers.get("set-cookie") ?? "";
  expect(cookie).toMatch(/^lab_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
  return cookie.split(";")[0]!;
}

/** A client of the session, speaking binary protobuf as the page does (connect-node's default), or JSON. */
function labFor(cookie: string, { json = false }: { json?: boolean } = {}): Client<typeof LabService> {
  const transport = createConnectTransport({
    baseUrl: `http://127.0.0.1:${host.port("web")}`,
    httpVersion: "1.1",
    useBinaryFormat: !json,
    interceptors: [
      (next) => (req) => {
        req.header.set("cookie", cookie);
        return next(req);
      },
    ],
  });
  return createClient(LabService, transport);
}

/** Collects a session's timeline until `done` says it has what the test waits for. */
async function watchUntil(
  lab: Client<typeof LabService>,
  done: (events: TimelineEvent[], conversations: Map<string, Conversation>) => boolean,
  timeoutMs = 5_000,
  request: { afterSeq?: bigint; runId?: string; latest?: number } = {},
) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const events: TimelineEvent[] = [];
  const conversations = new Map<string, Conversation>();
  const responses: WatchResponse[] = [];
  // As a page reads the stream: one reader, whose tables the stream's batches share.
  const reader = createBatchReader();
  try {
    for await (const res of lab.watch({ afterSeq: 0n, ...request }, { signal: abort.signal })) {
      responses.push(res);
      if (res.batch) {
        const read = reader.read(res.batch);
        for (const c of read.conversations) conversations.set(c.id, c);
        events.push(...read.events);
      }
      if (done(events, conversations)) break;
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
  }
  return { events, conversations, responses };
}

const text = (e: TimelineEvent) => new TextDecoder().decode(e.data);

describe("LabService", () => {
  it("opens a TCP client for the session, sends, and streams the conversation", async () => {
    const cookie = await newSession();
    const lab = labFor(cookie);
    const { conversation } = await lab.open({ service: "tcp-echo" });
    expect(conversation?.origin).toBe(Origin.LAB_CLIENT);
    expect(conversation?.server?.port).toBe(host.port("tcp-echo"));
    await lab.send({ conversationId: conversation!.id, parts: [new TextEncoder().encode("hello")] });

    const { events, conversations } = await watchUntil(lab, (evs) => evs.some((e) => text(e) === "ECHO: hello"));
    const mine = events.filter((e) => e.conversationId === conversation!.id);
    expect(mine[0]?.kind).toBe(EventKind.OPEN);
    const data = mine.filter((e) => e.kind === EventKind.DATA);
    expect(data.map((e) => [e.direction, text(e)])).toEqual([
      [Direction.SERVER_TO_CLIENT, `Welcome to TCP Server! Your address: ('127.0.0.1', ${conversation!.client!.port})`],
      [Direction.CLIENT_TO_SERVER, "hello"],
      [Direction.SERVER_TO_CLIENT, "ECHO: hello"],
    ]);
    // The stream brings what the ladder draws: the text dissector's summary and its findings by code.
    const echo = data[2]!;
    expect(echo.summary).toBe('"ECHO: hello"');
    expect(echo.length).toBe(11);
    expect(echo.findings.map((f) => [f.code, f.form, f.args])).toEqual([
      ["text.no_terminator", "", {}],
      ["text.encoding", "ascii", { bytes: "11", chars: "11" }],
    ]);
    // GetEvent brings the rest: frames with byte ranges inside the event's bytes.
    const whole = (await lab.getEvent({ seq: echo.seq, runId: RUN_ID })).event!;
    expect(new TextDecoder().decode(whole.data)).toBe("ECHO: hello");
    expect(whole.frames[0]?.protocol).toBe("text");
    expect(whole.frames[0]?.length).toBe(11);
    expect(whole.frames[0]?.fields.map((f) => f.id)).toEqual(["text.line"]);
    expect(conversations.get(conversation!.id)?.service).toBe("tcp-echo");
    // Monotonic time never goes backwards within the session.
    for (let i = 1; i < events.length; i++) expect(events[i]!.monoNs >= events[i - 1]!.monoNs).toBe(true);

    await lab.send({ conversationId: conversation!.id, parts: [new TextEncoder().encode("exit")] });
    const after = await watchUntil(lab, (evs) => evs.some((e) => e.conversationId === conversation!.id && e.kind === EventKind.CLOSE));
    const kinds = after.events.filter((e) => e.conversationId === conversation!.id).map((e) => e.kind);
    expect(kinds).toContain(EventKind.HALF_CLOSE);
    expect(kinds.at(-1)).toBe(EventKind.CLOSE);
    expect(after.events.some((e) => text(e) === "Goodbye!" || text(e) === "ECHO: exitGoodbye!" )).toBe(true);
  });

  it("shows a session only its own lab clients, even to another session at the same address", async () => {
    const a = labFor(await newSession());
    const b = labFor(await newSession());
    const { conversation } = await a.open({ service: "greeting" });
    await a.send({ conversationId: conversation!.id, parts: [new TextEncoder().encode("Привет, сервер")] });
    const seenByA = await watchUntil(a, (evs) => evs.some((e) => e.conversationId === conversation!.id && e.kind === EventKind.CLOSE));
    expect(seenByA.events.some((e) => text(e) === "Привет, клиент")).toBe(true);

    const seenByB = await watchUntil(b, () => false, 800);
    expect(seenByB.conversations.has(conversation!.id)).toBe(false);
    // B cannot drive A's connection either.
    await expect(b.close({ conversationId: conversation!.id })).rejects.toMatchObject({ code: 5 });
  });

  it("attributes an external client to sessions from its address, and to no other", async () => {
    const local = labFor(await newSession());
    const elsewhere = host.sessions.resolve(undefined, "192.0.2.10").session; // a browser on another machine
    const nc = await connectClient(host.port("tcp-echo"));
    nc.socket.write("from a terminal");
    await nc.until((t) => t.endsWith("ECHO: from a terminal"));
    const port = nc.socket.localPort;
    const seen = await watchUntil(local, (_e, convs) =>
      [...convs.values()].some((c) => c.client?.port === port),
    );
    const conv = [...seen.conversations.values()].find((c) => c.client?.port === port)!;
    expect(conv.origin).toBe(Origin.EXTERNAL);
    expect(conv.client?.ip).toBe("127.0.0.1");
    nc.socket.destroy();
    expect(elsewhere.ring.after(0, 1000).some((e) => e.conversation.id === conv.id)).toBe(false);
  });

  it("names its run on every stream, and tells a page from another run (or one that cannot say) to start over", async () => {
    const lab = labFor(await newSession());
    const { conversation } = await lab.open({ service: "time" });
    // Conversation ids carry the run: two runs never give the same id.
    expect(conversation!.id).toBe(`${conversation!.id.split(".")[0]}.${RUN_ID}`);
    const first = await watchUntil(lab, (evs) => evs.some((e) => e.kind === EventKind.CLOSE), 5_000);
    expect(first.responses[0]).toMatchObject({ runId: RUN_ID, cleared: false });
    const last = first.events.at(-1)!.seq;

    const firstOf = async (request: { afterSeq: bigint; runId: string }) => {
      const abort = new AbortController();
      try {
        for await (const res of lab.watch(request, { signal: abort.signal })) return res;
      } finally {
        abort.abort();
      }
      return undefined;
    };
    // The same run resumes where it was.
    expect(await firstOf({ afterSeq: last, runId: RUN_ID })).toMatchObject({ runId: RUN_ID, cleared: false });
    // A cursor from a run that is gone (a restart, or a kill -9) starts over, however small it is.
    expect(await firstOf({ afterSeq: 1n, runId: "an-old-run" })).toMatchObject({ runId: RUN_ID, cleared: true });
    expect(await firstOf({ afterSeq: BigInt(host.bus.lastSeq + 1000), runId: "" })).toMatchObject({ cleared: true });
  });

  it("holds at most watchesPerSession Watch streams per session, and frees a place when one ends", async () => {
    const lab = labFor(await newSession());
    // Reads a stream's first response and keeps the stream open (no return() on its iterator).
    const firstResponse = async (abort: AbortController) => {
      const stream = lab.watch({ afterSeq: 0n, runId: "" }, { signal: abort.signal })[Symbol.asyncIterator]();
      return (await stream.next()).value as WatchResponse | undefined;
    };
    const open = Array.from({ length: LIMITS.watchesPerSession }, () => new AbortController());
    for (const abort of open) expect(await firstResponse(abort)).toMatchObject({ runId: RUN_ID });
    const extra = new AbortController();
    await expect(firstResponse(extra)).rejects.toMatchObject({ code: 8 }); // RESOURCE_EXHAUSTED
    extra.abort();
    // Another student's session is not affected.
    const other = labFor(await newSession());
    const otherAbort = new AbortController();
    for await (const res of other.watch({ afterSeq: 0n, runId: "" }, { signal: otherAbort.signal })) {
      expect(res.runId).toBe(RUN_ID);
      break;
    }
    otherAbort.abort();
    // Ending one stream frees its place (the host notices the abort a moment later).
    open[0]!.abort();
    const retries: AbortController[] = [];
    let reopened = false;
    for (let attempt = 0; attempt < 40 && !reopened; attempt++) {
      const abort = new AbortController();
      retries.push(abort);
      reopened = await firstResponse(abort).then(
        () => true,
        () => false,
      );
      if (!reopened) await sleep(50);
    }
    expect(reopened).toBe(true);
    for (const abort of [...open, ...retries]) abort.abort();
  });

  it("frees a stream's place when its page goes away while the host waits to write to it (a page that stopped reading)", { timeout: 60_000 }, async () => {
    const cookie = await newSession();
    const lab = labFor(cookie);
    // Megabytes of timeline: a lab client's bytes travel in the events' briefs.
    const { conversation } = await lab.open({ service: "tcp-echo" });
    const part = new Uint8Array(LIMITS.bytesPerSend).fill(0x61);
    for (let i = 0; i < 16; i++) await lab.send({ conversationId: conversation!.id, parts: [part] });
    await lab.close({ conversationId: conversation!.id });

    // A Watch that replays all of it to a page that never reads: the host's writes wait for the socket to drain.
    const request = toBinary(WatchRequestSchema, create(WatchRequestSchema, { afterSeq: 0n, runId: "", latest: 0 }));
    const envelope = Buffer.alloc(5 + request.length);
    envelope.writeUInt32BE(request.length, 1);
    envelope.set(request, 5);
    const port = host.port("web");
    const page = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => page.once("connect", resolve));
    page.pause();
    page.write(
      `POST /lab.v1.LabService/Watch HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nContent-Type: application/connect+proto\r\n` +
        `Connect-Protocol-Version: 1\r\nContent-Length: ${envelope.length}\r\n\r\n`,
    );
    page.write(envelope);
    // Long enough for the socket's buffers on both ends to fill (tens of megabytes are on their way).
    await sleep(1500);
    page.destroy();

    // Every place of the session opens again: the stream that waited was let go (a moment after its close).
    const opened: AbortController[] = [];
    for (let attempt = 0; attempt < 60 && opened.length < LIMITS.watchesPerSession; attempt++) {
      const abort = new AbortController();
      const stream = lab.watch({ afterSeq: 0n, runId: "", latest: 1 }, { signal: abort.signal })[Symbol.asyncIterator]();
      const ok = await stream.next().then(
        () => true,
        () => false,
      );
      if (ok) opened.push(abort);
      else await sleep(100);
    }
    for (const abort of opened) abort.abort();
    expect(opened).toHaveLength(LIMITS.watchesPerSession);
  });

  // Issue 15 §1.3: a refused connect is one CONNECT_FAILED event (no open, no error, no close), and the failed Open
  // names the errno; the session numbers its events from 1.
  it("records a refused connect as its own event, and names ECONNREFUSED in the failed Open", async () => {
    const lab = labFor(await newSession());
    const failure = await lab.open({ service: "closed-port" }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toMatchObject({ code: 14 }); // UNAVAILABLE
    expect((failure as { metadata: Headers }).metadata.get("lab-connect-errno")).toBe("ECONNREFUSED");
    const { events, conversations } = await watchUntil(lab, (evs) => evs.some((e) => e.kind === EventKind.CONNECT_FAILED));
    const conversation = [...conversations.values()].find((c) => c.service === "closed-port")!;
    expect(conversation.origin).toBe(Origin.LAB_CLIENT);
    expect(conversation.server?.port).toBe(host.port("closed-port"));
    const sockets = events.filter((e) => e.conversationId === conversation.id && e.kind !== EventKind.SEGMENT);
    expect(sockets.map((e) => [e.kind, e.errorCode])).toEqual([[EventKind.CONNECT_FAILED, "ECONNREFUSED"]]);
    expect(events[0]!.number).toBe(1n);
  });

  it("refuses unknown services and oversized sends with clear codes", async () => {
    const lab = labFor(await newSession());
    await expect(lab.open({ service: "smtp" })).rejects.toMatchObject({ code: 3 }); // INVALID_ARGUMENT
    const { conversation } = await lab.open({ service: "tcp-echo" });
    await expect(lab.send({ conversationId: conversation!.id, parts: [new Uint8Array(2 * 1024 * 1024)] })).rejects.toMatchObject({ code: 8 });
    await lab.close({ conversationId: conversation!.id });
  });

  it("clears the session's timeline", async () => {
    const lab = labFor(await newSession());
    const { conversation } = await lab.open({ service: "time" });
    await watchUntil(lab, (evs) => evs.some((e) => e.conversationId === conversation!.id && e.kind === EventKind.CLOSE));
    await lab.clearTimeline({});
    const after = await watchUntil(lab, (_e) => false, 500);
    expect(after.events).toHaveLength(0);
    expect(after.responses.some((r) => r.caughtUp)).toBe(true);
  });

  it("reports a status for every service, over the Status RPC and as JSON at /api/status", async () => {
    const lab = labFor(await newSession());
    const status = await lab.status({});
    expect(status.runId).toBe(RUN_ID);
    expect(status.clientAddress).toBe("127.0.0.1");
    expect(status.services.map((s) => s.name)).toEqual(SERVICES.map((s) => s.name));
    for (const s of status.services) {
      expect(s.state).toBe(s.name === "closed-port" ? ServiceState.CLOSED : ServiceState.LISTENING);
      expect(s.transport).toBe(s.name.startsWith("udp-") ? Transport.UDP : Transport.TCP);
      expect(s.port).toBe(host.port(s.name as "web"));
      expect(s.multicastGroup).toBe(s.name === "udp-multicast" ? "224.0.0.100" : "");
      expect(s.protocol).toBe(LAB_SERVICES.find((spec) => spec.name === s.name)?.protocol ?? "");
    }
    // The test host runs with --capture=off: the status says so, with a code the pages translate and the command.
    expect(status.capture).toMatchObject({
      mode: CaptureMode.SOCKET_EVENTS,
      off: CaptureOff.TURNED_OFF,
      command: expect.stringMatching(/^sudo setcap cap_net_raw,cap_net_admin=eip \S+tcpdump$/),
      reason: expect.stringContaining("--capture=off"),
    });

    const res = await fetch(`http://127.0.0.1:${host.port("web")}/api/status`);
    const body = (await res.json()) as { services: { name: string; port: number; state: string; transport: string }[]; capture: Record<string, string> };
    expect(fromJson(StatusResponseSchema, body as never)).toEqual(status);
    expect(body.services.find((s) => s.name === "time")).toMatchObject({ transport: "TRANSPORT_TCP", state: "SERVICE_STATE_LISTENING" });
    expect(body.capture).toMatchObject({ mode: "CAPTURE_MODE_SOCKET_EVENTS", off: "CAPTURE_OFF_TURNED_OFF" });
    // A socket the test itself opens is a real TCP connection to the advertised port.
    const sock = net.connect({ host: "127.0.0.1", port: body.services.find((s) => s.name === "time")!.port });
    await new Promise<void>((r) => sock.once("end", () => r()).resume());
    sock.destroy();
  });

  it("streams and pages back the same timeline to a page speaking binary as to one speaking JSON", async () => {
    const cookie = await newSession();
    const json = labFor(cookie, { json: true });
    const binary = labFor(cookie);
    const { conversation } = await binary.open({ service: "tcp-echo" });
    for (let i = 0; i < 12; i++) await binary.send({ conversationId: conversation!.id, parts: [new TextEncoder().encode(`héllo ${i}`)] });
    const enough = (evs: TimelineEvent[]) => evs.some((e) => text(e) === "ECHO: héllo 11");
    const read = await watchUntil(binary, enough, 5_000, { latest: 10 });
    expect(read.events).toHaveLength(10);
    expect(read.responses.find((r) => r.batch)?.moreBefore).toBe(true);
    const same = await watchUntil(json, (evs) => evs.length >= 10, 5_000, { latest: 10 });
    expect(read.events).toEqual(same.events.slice(0, 10));
    expect(text(read.events.at(-1)!)).toBe("ECHO: héllo 11");

    const earlier = { beforeSeq: read.events[0]!.seq, limit: 5, runId: RUN_ID };
    const pages = await Promise.all([binary.getEarlierEvents(earlier), json.getEarlierEvents(earlier)]);
    const [fromBinary, fromJson] = pages.map((page) => createBatchReader().read(page.batch!).events);
    expect(fromBinary).toHaveLength(5);
    expect(fromBinary).toEqual(fromJson);
    expect(fromBinary!.at(-1)!.seq + 1n).toBe(read.events[0]!.seq);
    await binary.close({ conversationId: conversation!.id });
  });
});
