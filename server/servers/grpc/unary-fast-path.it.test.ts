// The unary fast path (./unary-fast-path.ts) attacked, and held to Connect's answers: each request goes to
// a service with the fast path and to one without it (every call through Connect), and the two must give
// the same grpc-status and grpc-message (the fast path's errors are trailers-only, Connect's come as
// trailers after headers; the status is read from wherever it is). Bad envelopes, a 100 MB length
// prefix, malformed protobuf, a gzip bomb, a deadline, auth on and off, metadata and the log lines.

import http2 from "node:http2";
import zlib from "node:zlib";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBus } from "../../capture/bus";
import { dissectorFor } from "../../dissect/protocols";
import { createSessionStore } from "../../lab/sessions";
import { openStore } from "../../store/store";
import { defineGrpcService, type RunningGrpcService } from "./grpc-service";
import type { LogLine } from "./interceptors";
import { readStream } from "./test-clients";

/** Small enough for a test to go past, inflated or announced. */
const MAX_MESSAGE_BYTES = 64 * 1024;

let fast: RunningGrpcService;
let connect: RunningGrpcService;
const fastLog: LogLine[] = [];
let authOn = false;

beforeAll(async () => {
  const bus = createBus({ sessions: createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 }), dissectorFor });
  const start = (unaryFastPath: boolean, log?: (line: LogLine) => void) =>
    defineGrpcService({ unaryFastPath, paceMs: 10, auth: () => authOn, log, limits: { maxMessageBytes: MAX_MESSAGE_BYTES } }).start!({ bus, host: "127.0.0.1", port: 0, store: openStore() }) as Promise<RunningGrpcService>;
  fast = await start(true, (line) => fastLog.push(line));
  connect = await start(false);
});

afterAll(async () => {
  await fast?.stop();
  await connect?.stop();
});

interface Answer {
  readonly headers: http2.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly trailers: http2.IncomingHttpHeaders;
  /** grpc-status and grpc-message, from the trailers or a trailers-only answer's headers. */
  readonly status: string | undefined;
  readonly message: string | undefined;
}

/** One call on its own connection: `body` written, then the request ended unless `end` is false. */
async function call(service: RunningGrpcService, path: string, body: Buffer, extra: http2.OutgoingHttpHeaders = {}, end = true): Promise<Answer> {
  const session = http2.connect(`http://127.0.0.1:${service.port}`);
  session.on("error", () => {});
  try {
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...extra });
    const answer = readStream(stream);
    if (end) stream.end(body);
    else if (body.length > 0) stream.write(body);
    const { headers, body: data, trailers } = await answer;
    const status = (trailers["grpc-status"] ?? headers["grpc-status"]) as string | undefined;
    const message = (trailers["grpc-message"] ?? headers["grpc-message"]) as string | undefined;
    return { headers, body: data, trailers, status, message };
  } finally {
    session.close();
  }
}

/** The same call to both services: their status and message must be the same. */
async function bothSay(path: string, body: Buffer, extra: http2.OutgoingHttpHeaders = {}, end = true): Promise<Answer> {
  const [a, b] = await Promise.all([call(fast, path, body, extra, end), call(connect, path, body, extra, end)]);
  expect({ status: a.status, message: a.message }).toEqual({ status: b.status, message: b.message });
  return a;
}

function envelope(message: Buffer | Uint8Array, flags = 0): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flags;
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

const GET_USER = "/user_service.UserService/GetUser";
/** GetUserRequest{user_id: 1}. */
const USER_1 = Buffer.from([0x08, 0x01]);
/** user.CreateUserRequest{name: "Ann", email: "ann@example.com"}: a write auth guards. */
const CREATE_USER = "/user.UserService/CreateUser";
function createUserRequest(email: string): Buffer {
  const name = Buffer.from("Ann");
  const mail = Buffer.from(email);
  return Buffer.concat([Buffer.from([0x0a, name.length]), name, Buffer.from([0x12, mail.length]), mail]);
}

describe("the unary fast path", () => {
  it("answers GetUser with the bytes, headers and trailers Connect sends", async () => {
    const [a, b] = await Promise.all([call(fast, GET_USER, envelope(USER_1)), call(connect, GET_USER, envelope(USER_1))]);
    expect(a.headers[":status"]).toBe(200);
    expect(a.headers["content-type"]).toBe(b.headers["content-type"]);
    expect(a.headers["content-type"]).toBe("application/grpc+proto");
    expect(a.body.toString("hex")).toBe(b.body.toString("hex"));
    expect(a.body.toString("latin1")).toContain("alice@example.com");
    expect(a.trailers["grpc-status"]).toBe("0");
    expect(Object.keys(a.trailers).filter((k) => !k.startsWith(":")).sort()).toEqual(Object.keys(b.trailers).filter((k) => !k.startsWith(":")).sort());
  });

  it("answers NOT_FOUND trailers-only, with Connect's status and message", async () => {
    const a = await bothSay(GET_USER, envelope(Buffer.from([0x08, 0xe7, 0x07])));
    expect(a.status).toBe(String(Code.NotFound));
    expect(a.message).toBe("User%20999%20not%20found");
    // Trailers-only: the status rides in the one HEADERS frame; no DATA.
    expect(a.headers["grpc-status"]).toBe(String(Code.NotFound));
    expect(a.body.length).toBe(0);
  });

  it("answers garbage for an envelope (its length prefix is over the limit) with RESOURCE_EXHAUSTED", async () => {
    const a = await bothSay(GET_USER, Buffer.from("hello, this is no envelope at all"));
    expect(a.status).toBe(String(Code.ResourceExhausted));
    expect(decodeURIComponent(a.message!)).toBe(`message of ${Buffer.from("ello").readUInt32BE(0)} bytes is over the limit of ${MAX_MESSAGE_BYTES}`);
  });

  it("answers truncated envelopes, an empty body and a second message as Connect does", async () => {
    const truncated = await bothSay(GET_USER, Buffer.from([0, 0, 0, 0, 10, 0x08]));
    expect(truncated.status).toBe(String(Code.InvalidArgument));
    expect(decodeURIComponent(truncated.message!)).toBe("protocol error: incomplete envelope");
    const short = await bothSay(GET_USER, Buffer.from([0, 0, 0]));
    expect(short.status).toBe(String(Code.InvalidArgument));
    expect(decodeURIComponent(short.message!)).toBe("protocol error: incomplete envelope");
    const empty = await bothSay(GET_USER, Buffer.alloc(0));
    expect(empty.status).toBe(String(Code.Unimplemented));
    const two = await bothSay(GET_USER, Buffer.concat([envelope(USER_1), envelope(USER_1)]));
    expect(two.status).toBe(String(Code.Unimplemented));
    expect(decodeURIComponent(two.message!)).toBe("protocol error: received extra input message for unary method");
  });

  it("answers a 100 MB length prefix with RESOURCE_EXHAUSTED before its bytes come, the request left open", async () => {
    const head = Buffer.alloc(5);
    head.writeUInt32BE(100 * 1024 * 1024, 1);
    const a = await bothSay(GET_USER, Buffer.concat([head, USER_1]), {}, false);
    expect(a.status).toBe(String(Code.ResourceExhausted));
    expect((await call(fast, GET_USER, envelope(USER_1))).status).toBe("0");
  });

  it("answers malformed protobuf with INVALID_ARGUMENT naming the message type", async () => {
    const a = await bothSay(GET_USER, envelope(Buffer.from([0x08, 0xff, 0xff, 0xff])));
    expect(a.status).toBe(String(Code.InvalidArgument));
    expect(decodeURIComponent(a.message!)).toMatch(/^the request message is not a user_service\.GetUserRequest: /);
  });

  it("reads a gzip request, and refuses a gzip bomb that inflates past the limit (RESOURCE_EXHAUSTED)", async () => {
    const ok = await bothSay(GET_USER, envelope(zlib.gzipSync(USER_1), 1), { "grpc-encoding": "gzip", "grpc-accept-encoding": "gzip" });
    expect(ok.status).toBe("0");
    expect(ok.headers["grpc-encoding"]).toBe("gzip");
    expect(ok.body.toString("latin1")).toContain("alice@example.com");
    // 64 MiB of zeros in some 64 KiB of gzip.
    const bomb = zlib.gzipSync(Buffer.alloc(64 << 20), { level: 9 });
    expect(bomb.length).toBeLessThan(MAX_MESSAGE_BYTES);
    const [a, b] = await Promise.all([fast, connect].map((service) => call(service, GET_USER, envelope(bomb, 1), { "grpc-encoding": "gzip" })));
    expect({ status: a!.status, message: a!.message, encoding: a!.headers["grpc-encoding"] }).toEqual({ status: b!.status, message: b!.message, encoding: b!.headers["grpc-encoding"] });
    expect(a!.status).toBe(String(Code.ResourceExhausted));
    expect(a!.headers["grpc-encoding"]).toBe("gzip");
    // A compressed flag without an encoding to read it by.
    const flagged = await bothSay(GET_USER, envelope(USER_1, 1));
    expect(flagged.status).toBe(String(Code.Internal));
    expect((await call(fast, GET_USER, envelope(USER_1))).status).toBe("0");
  });

  it("answers in gzip when the client accepts it and the message is large enough, as Connect does", async () => {
    // helloworld.HelloRequest{name: 2000 × "x"}: "Hello, xxx…!" is over Connect's 1 KiB compressMinBytes.
    const name = Buffer.alloc(2000, "x");
    const request = envelope(Buffer.concat([Buffer.from([0x0a, 0xd0, 0x0f]), name]));
    const accept = { "grpc-accept-encoding": "identity,deflate,gzip" };
    const [a, b] = await Promise.all([call(fast, "/helloworld.Greeter/SayHello", request, accept), call(connect, "/helloworld.Greeter/SayHello", request, accept)]);
    expect(a.headers["grpc-encoding"]).toBe("gzip");
    expect(b.headers["grpc-encoding"]).toBe("gzip");
    expect(a.body[0]).toBe(1);
    expect(b.body[0]).toBe(1);
    expect(zlib.gunzipSync(a.body.subarray(5))).toEqual(zlib.gunzipSync(b.body.subarray(5)));
    expect(zlib.gunzipSync(a.body.subarray(5)).toString("latin1")).toContain(`Hello, ${name.toString("latin1")}!`);
    // A small answer is not compressed, though its headers name the encoding (Connect's way too).
    const small = await call(fast, GET_USER, envelope(USER_1), accept);
    expect(small.headers["grpc-encoding"]).toBe("gzip");
    expect(small.body[0]).toBe(0);
  });

  it("ends a call whose request has not come by its grpc-timeout with DEADLINE_EXCEEDED", async () => {
    const a = await call(fast, GET_USER, Buffer.alloc(0), { "grpc-timeout": "100m" }, false);
    expect(a.status).toBe(String(Code.DeadlineExceeded));
    expect(decodeURIComponent(a.message!)).toBe("the operation timed out");
    const inTime = await call(fast, GET_USER, envelope(USER_1), { "grpc-timeout": "5S" });
    expect(inTime.status).toBe("0");
  });

  it("asks a write for a bearer token when auth is on, as Connect's path does, and not when it is off", async () => {
    authOn = true;
    try {
      const refused = await bothSay(CREATE_USER, envelope(createUserRequest("ann1@example.com")));
      expect(refused.status).toBe(String(Code.Unauthenticated));
      expect(decodeURIComponent(refused.message!)).toBe("Invalid or missing token");
      const allowed = await bothSay(CREATE_USER, envelope(createUserRequest("ann2@example.com")), { authorization: "Bearer t0ken" });
      expect(allowed.status).toBe("0");
      // Reads need no token.
      expect((await call(fast, GET_USER, envelope(USER_1))).status).toBe("0");
    } finally {
      authOn = false;
    }
    const open = await bothSay(CREATE_USER, envelope(createUserRequest("ann3@example.com")));
    expect(open.status).toBe("0");
    const again = await bothSay(CREATE_USER, envelope(createUserRequest("ann3@example.com")));
    expect(again.status).toBe(String(Code.AlreadyExists));
  });

  it("echoes request-id, trails server-time-ms and logs each call as the interceptors do", async () => {
    fastLog.length = 0;
    const a = await call(fast, GET_USER, envelope(USER_1), { "request-id": "req-42" });
    expect(a.headers["request-id"]).toBe("req-42");
    expect(a.trailers["grpc-status"]).toBe("0");
    expect(a.trailers["server-time-ms"]).toMatch(/^\d+\.\d$/);
    await call(fast, GET_USER, envelope(Buffer.from([0x08, 0xe7, 0x07])));
    expect(fastLog.map((l) => [l.procedure, l.protocol, l.status])).toEqual([
      [GET_USER, "grpc", "ok"],
      [GET_USER, "grpc", "not_found"],
    ]);
    expect(fast.recentLog().at(-1)).toMatch(/ \/user_service\.UserService\/GetUser \(grpc\) NOT_FOUND \d+\.\d ms$/);
  });
});
