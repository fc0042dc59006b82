// The gRPC call console's RPCs (issue 14 §4) on a real lab host over Connect: LabService.OpenGrpcCall and SendGrpcCall
// make calls of every shape on the lab's tapped h2c client against the real gRPC service (seed 000's UserService),
// the session's calls share one HTTP/2 connection on its timeline as streams 1, 3, ..., and each bound (calls open per
// session, a message's size, messages per call, idle calls) is attacked with the code it answers, the host serving on.

import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GrpcCallUpdate } from "@/gen/lab/v1/grpc_console_pb";
import type { LabHost } from "./host";
import { labServiceFor, startTestHost, visitForSession } from "../testing/host";

const LIMITS = { callsPerSession: 3, messageJsonChars: 2048, messagesPerCall: 5, idleMs: 400 };

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost([], { grpcConsole: LIMITS });
});
afterAll(async () => {
  await host.stop();
});

type Lab = ReturnType<typeof labServiceFor>;
type Updates = GrpcCallUpdate["update"];
type OpenRequest = Parameters<Lab["openGrpcCall"]>[0];

/** An open console call: its updates read one at a time. */
async function open(lab: Lab, req: OpenRequest) {
  const abort = new AbortController();
  const stream = lab.openGrpcCall(req, { signal: abort.signal })[Symbol.asyncIterator]();
  const first = await stream.next();
  const opened = (first.value as GrpcCallUpdate).update;
  if (opened.case !== "opened") throw new Error(`first update was ${opened.case}`);
  const call = {
    ...opened.value,
    async next(): Promise<Updates> {
      const r = await stream.next();
      if (r.done) throw new Error("the stream ended");
      return (r.value as GrpcCallUpdate).update;
    },
    /** Every update up to and including `ended`. */
    async rest(): Promise<Updates[]> {
      const out: Updates[] = [];
      for (;;) {
        const u = await call.next();
        out.push(u);
        if (u.case === "ended") return out;
      }
    },
    abort: () => abort.abort(),
  };
  return call;
}

const messages = (updates: Updates[]) => updates.flatMap((u) => (u.case === "message" ? [JSON.parse(u.value.json) as Record<string, unknown>] : []));
const ended = (updates: Updates[]) => {
  const last = updates.at(-1);
  if (last?.case !== "ended") throw new Error("no end");
  return last.value;
};
const field = (fields: { key: string; value: string }[], key: string) => fields.find((f) => f.key === key)?.value;

async function refusal(promise: Promise<unknown>): Promise<Code | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

async function openRefusal(lab: Lab, req: OpenRequest): Promise<Code | undefined> {
  return refusal(
    (async () => {
      for await (const _ of lab.openGrpcCall(req)) return;
    })(),
  );
}

async function session(): Promise<{ lab: Lab; cookie: string }> {
  const cookie = await visitForSession(host, "/");
  return { lab: labServiceFor(host, cookie), cookie };
}

describe("OpenGrpcCall and SendGrpcCall", () => {
  it("calls unary GetUser with metadata echoed, and a second call reuses the session's HTTP/2 connection as stream 3", async () => {
    const { lab, cookie } = await session();
    const first = await open(lab, {
      method: "/user_service.UserService/GetUser",
      messagesJson: ['{"userId": 1}'],
      halfClose: true,
      metadata: [{ key: "request-id", value: "console-42" }],
    });
    expect(first.streamId).toBe(1);
    expect(first.requestStreaming).toBe(false);
    // GetUserRequest{user_id: 1} is 08 01: the 5-byte envelope and two bytes.
    expect(first.sentBytes).toEqual([7]);
    const updates = await first.rest();
    const headers = updates[0];
    expect(headers?.case).toBe("headers");
    if (headers?.case === "headers") {
      expect(field(headers.value.fields, ":status")).toBe("200");
      expect(field(headers.value.fields, "content-type")).toBe("application/grpc+proto");
      expect(field(headers.value.fields, "grpc-encoding")).toBeUndefined();
      expect(field(headers.value.fields, "request-id")).toBe("console-42");
    }
    expect(messages(updates)).toEqual([{ id: 1, name: "Alice", email: "alice@example.com", age: 30, status: "ACTIVE" }]);
    const end = ended(updates);
    expect([end.code, end.endedBy]).toEqual([0, ""]);
    expect(field(end.trailers, "grpc-status")).toBe("0");
    expect(field(end.trailers, "server-time-ms")).toMatch(/^\d+\.\d$/);

    const second = await open(lab, { method: "/user_service.UserService/GetUser", messagesJson: ['{"userId": 999}'], halfClose: true });
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.streamId).toBe(3);
    const notFound = ended(await second.rest());
    expect([notFound.code, notFound.message]).toEqual([5, "User 999 not found"]);

    // Both calls on one conversation of the session's timeline: the client's preface first.
    const ring = host.sessions.resolve(cookie, "127.0.0.1").session.ring;
    const data = ring.after(0, 1000).filter((e) => e.conversation.id === first.conversationId && e.kind === "data");
    expect(data[0]?.conversation.origin).toBe("lab-client");
    expect(new TextDecoder().decode(data.find((e) => e.direction === "c2s")!.data.subarray(0, 24))).toBe("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  });

  it("streams a client-streaming CreateUsers of three messages, sent one by one, then the half-close", async () => {
    const { lab } = await session();
    const call = await open(lab, { method: "/user_service.UserService/CreateUsers" });
    expect([call.requestStreaming, call.responseStreaming]).toEqual([true, false]);
    for (const name of ["Ann", "Bob", "Cid"]) {
      const sent = await lab.sendGrpcCall({ callId: call.callId, what: { case: "messageJson", value: JSON.stringify({ name, email: `${name.toLowerCase()}@console.test`, age: 20 }) } });
      expect(sent.bytes).toBeGreaterThan(5);
    }
    await lab.sendGrpcCall({ callId: call.callId, what: { case: "halfClose", value: true } });
    const updates = await call.rest();
    const [answer] = messages(updates) as [{ createdCount: number; users: { name: string }[] }];
    expect(answer.createdCount).toBe(3);
    expect(answer.users.map((u) => u.name)).toEqual(["Ann", "Bob", "Cid"]);
    expect(ended(updates).code).toBe(0);
  });

  it("chats over bidi: each of three messages answered as it goes, before the half-close", async () => {
    const { lab } = await session();
    const call = await open(lab, { method: "/user_service.UserService/Chat" });
    expect([call.requestStreaming, call.responseStreaming]).toEqual([true, true]);
    const heard: unknown[] = [];
    for (const text of ["one", "two", "three"]) {
      await lab.sendGrpcCall({ callId: call.callId, what: { case: "messageJson", value: JSON.stringify({ userId: "me", message: text }) } });
      for (;;) {
        const u = await call.next();
        if (u.case === "message") {
          heard.push((JSON.parse(u.value.json) as { message: string }).message);
          break;
        }
      }
    }
    expect(heard).toEqual(["Echo: one", "Echo: two", "Echo: three"]);
    await lab.sendGrpcCall({ callId: call.callId, what: { case: "halfClose", value: true } });
    expect(ended(await call.rest()).code).toBe(0);
  });

  it("cancels a call: RST_STREAM(CANCEL) and CANCELLED, and the session's next call still works", async () => {
    const { lab } = await session();
    const call = await open(lab, { method: "/user_service.UserService/Chat" });
    await lab.sendGrpcCall({ callId: call.callId, what: { case: "cancel", value: true } });
    const end = ended(await call.rest());
    expect([end.code, end.endedBy, end.rstCode]).toEqual([1, "cancelled", 8]);
    expect(await refusal(lab.sendGrpcCall({ callId: call.callId, what: { case: "halfClose", value: true } }))).toBe(Code.NotFound);
    const next = await open(lab, { method: "/user_service.UserService/GetUser", messagesJson: ['{"userId": 2}'], halfClose: true });
    expect(messages(await next.rest())[0]?.name).toBe("Bob");
  });

  it("sends a deadline as grpc-timeout: the paced GetUsers stream ends in DEADLINE_EXCEEDED from the server", async () => {
    const { lab } = await session();
    const call = await open(lab, { method: "/user_service.UserService/GetUsers", messagesJson: ['{"limit": 3}'], halfClose: true, timeoutMs: 50 });
    const end = ended(await call.rest());
    expect(end.code).toBe(4);
    expect(end.endedBy).toBe("");
    expect(field(end.trailers, "grpc-status")).toBe("4");
  });

  it("compresses with gzip both ways when asked: the request's messages gzipped on the wire, a large answer too", async () => {
    const { lab, cookie } = await session();
    const call = await open(lab, { method: "/user_service.UserService/Chat", gzip: true });
    const text = "a".repeat(1500);
    const sent = await lab.sendGrpcCall({ callId: call.callId, what: { case: "messageJson", value: JSON.stringify({ userId: "me", message: text }) } });
    // 1,500 repeated letters deflate to a few dozen bytes.
    expect(sent.bytes).toBeLessThan(100);
    const headers = await call.next();
    expect(headers.case === "headers" && field(headers.value.fields, "grpc-encoding")).toBe("gzip");
    const answer = await call.next();
    expect(answer.case).toBe("message");
    if (answer.case === "message") {
      expect(answer.value.compressed).toBe(true);
      expect((JSON.parse(answer.value.json) as { message: string }).message).toBe(`Echo: ${text}`);
      expect(answer.value.wireBytes).toBeLessThan(answer.value.data.byteLength);
    }
    await lab.sendGrpcCall({ callId: call.callId, what: { case: "halfClose", value: true } });
    expect(ended(await call.rest()).code).toBe(0);
    // On the wire: the request's envelope says compressed (flag 1) and a gzip member (1f 8b) follows.
    const ring = host.sessions.resolve(cookie, "127.0.0.1").session.ring;
    const c2s = ring.after(0, 1000).filter((e) => e.conversation.id === call.conversationId && e.kind === "data" && e.direction === "c2s");
    const hex = c2s.map((e) => Buffer.from(e.data).toString("hex")).join("");
    expect(hex).toMatch(/01[0-9a-f]{8}1f8b08/);
  });

  it("refuses what is not a served method, bad JSON, and reserved or malformed metadata, with their codes", async () => {
    const { lab } = await session();
    expect(await openRefusal(lab, { method: "/user_service.UserService/Nope" })).toBe(Code.NotFound);
    expect(await openRefusal(lab, { method: "/user_service.UserService/GetUser", messagesJson: ['{"userId": "x"}'] })).toBe(Code.InvalidArgument);
    expect(await openRefusal(lab, { method: "/user_service.UserService/GetUser", metadata: [{ key: "grpc-status", value: "0" }] })).toBe(Code.InvalidArgument);
    expect(await openRefusal(lab, { method: "/user_service.UserService/GetUser", metadata: [{ key: "Upper", value: "x" }] })).toBe(Code.InvalidArgument);
    expect(await openRefusal(lab, { method: "/user_service.UserService/GetUser", metadata: [{ key: "x-line", value: "a\r\nb" }] })).toBe(Code.InvalidArgument);
    expect(await openRefusal(lab, { method: "/user_service.UserService/GetUser", messagesJson: ["{}", "{}"] })).toBe(Code.InvalidArgument);
  });
});

describe("the console's bounds", () => {
  it("holds at most callsPerSession calls open; ending one makes room", async () => {
    const { lab } = await session();
    const calls = [];
    for (let i = 0; i < LIMITS.callsPerSession; i++) calls.push(await open(lab, { method: "/user_service.UserService/Chat" }));
    expect(await openRefusal(lab, { method: "/user_service.UserService/Chat" })).toBe(Code.ResourceExhausted);
    // Another session is not affected.
    const other = await session();
    const theirs = await open(other.lab, { method: "/user_service.UserService/GetUser", messagesJson: ['{"userId": 1}'], halfClose: true });
    expect(ended(await theirs.rest()).code).toBe(0);
    await lab.sendGrpcCall({ callId: calls[0]!.callId, what: { case: "cancel", value: true } });
    await calls[0]!.rest();
    const again = await open(lab, { method: "/user_service.UserService/GetUser", messagesJson: ['{"userId": 1}'], halfClose: true });
    expect(ended(await again.rest()).code).toBe(0);
    for (const c of calls.slice(1)) c.abort();
  });

  it("refuses a message over messageJsonChars and more than messagesPerCall, the call going on", async () => {
    const { lab } = await session();
    const call = await open(lab, { method: "/user_service.UserService/Chat" });
    const big = JSON.stringify({ userId: "me", message: "x".repeat(LIMITS.messageJsonChars) });
    expect(await refusal(lab.sendGrpcCall({ callId: call.callId, what: { case: "messageJson", value: big } }))).toBe(Code.ResourceExhausted);
    expect(await openRefusal(lab, { method: "/user_service.UserService/Chat", messagesJson: [big] })).toBe(Code.ResourceExhausted);
    for (let i = 0; i < LIMITS.messagesPerCall; i++) {
      await lab.sendGrpcCall({ callId: call.callId, what: { case: "messageJson", value: `{"message": "m${i}"}` } });
    }
    expect(await refusal(lab.sendGrpcCall({ callId: call.callId, what: { case: "messageJson", value: '{"message": "one too many"}' } }))).toBe(Code.ResourceExhausted);
    await lab.sendGrpcCall({ callId: call.callId, what: { case: "halfClose", value: true } });
    const updates = await call.rest();
    expect(messages(updates)).toHaveLength(LIMITS.messagesPerCall);
    expect(ended(updates).code).toBe(0);
  });

  it("cancels a call that sits idle for idleMs with nothing either way", async () => {
    const { lab } = await session();
    const call = await open(lab, { method: "/user_service.UserService/Chat" });
    const end = ended(await call.rest());
    expect([end.code, end.endedBy]).toEqual([1, "idle"]);
    expect(end.message).toContain(`${LIMITS.idleMs} ms`);
  });
});

describe("the browser's way to the gRPC port", () => {
  it("the web port's CSP lets the page's scripts reach the gRPC port, whose CORS preflight allows request-id", async () => {
    const grpcPort = host.port("grpc");
    const page = await fetch(`http://127.0.0.1:${host.port("web")}/`);
    expect(page.headers.get("content-security-policy")).toContain(`connect-src 'self' http://*:${grpcPort};`);
    const preflight = await fetch(`http://127.0.0.1:${grpcPort}/user_service.UserService/GetUser`, {
      method: "OPTIONS",
      headers: { origin: `http://127.0.0.1:${host.port("web")}`, "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-grpc-web,request-id" },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase().split(/,\s*/)).toEqual(expect.arrayContaining(["request-id", "x-grpc-web", "content-type"]));
    expect(preflight.headers.get("access-control-expose-headers")?.toLowerCase().split(/,\s*/)).toEqual(expect.arrayContaining(["grpc-status", "grpc-message", "request-id", "server-time-ms"]));
  });
});
