// 50051 attacked (issue 14 §6, DESIGN "Boundaries that keep a class safe"): a bad preface, bytes that are
// no HTTP at all, a HEADERS flood, a SETTINGS flood, rapid reset (CVE-2023-44487's pattern), a 100 MB length
// prefix, malformed protobuf, a stream never half-closed. Each gets the protocol's own answer (GOAWAY,
// RST_STREAM, a grpc-status, a 400) while the service stays up and another client's call completes.

import http2 from "node:http2";
import net from "node:net";
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserService } from "@/gen/user_service/user_service_pb";
import { createBus } from "../../capture/bus";
import { dissectorFor } from "../../dissect/protocols";
import { createSessionStore } from "../../lab/sessions";
import { openStore } from "../../store/store";
import { defineGrpcService, type RunningGrpcService } from "./grpc-service";
import { readStream } from "./test-clients";

let service: RunningGrpcService;
let watcher: ReturnType<ReturnType<typeof createSessionStore>["resolve"]>["session"];

beforeAll(async () => {
  const sessions = createSessionStore({ ringMaxEvents: 200_000, ringMaxBytes: 64 << 20 });
  watcher = sessions.resolve(undefined, "127.0.0.1").session;
  const bus = createBus({ sessions, dissectorFor });
  const definition = defineGrpcService({ paceMs: 10, limits: { streamIdleTimeoutMs: 500 } });
  service = (await definition.start!({ bus, host: "127.0.0.1", port: 0, store: openStore() })) as RunningGrpcService;
});

afterAll(async () => {
  await service.stop();
});

/** Another client's call, on its own connection: it must still complete. */
async function anotherCallCompletes(): Promise<void> {
  const client = createClient(UserService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.port}` }));
  expect((await client.getUser({ userId: 1 })).name).toBe("Alice");
}

// HTTP/2 framing (RFC 9113 §4.1) and the few HPACK representations a raw client needs (RFC 7541 §6).
const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
const TYPE = { DATA: 0x0, HEADERS: 0x1, RST_STREAM: 0x3, SETTINGS: 0x4, GOAWAY: 0x7, CONTINUATION: 0x9 } as const;
const END_HEADERS = 0x4;
const ACK = 0x1;
const ERROR = { INTERNAL_ERROR: 0x2, REFUSED_STREAM: 0x7, CANCEL: 0x8, ENHANCE_YOUR_CALM: 0xb } as const;

function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([header, payload]);
}

function literal(nameIndex: number, value: string): Buffer {
  return Buffer.concat([Buffer.from([nameIndex, value.length]), Buffer.from(value, "latin1")]);
}

/** An HPACK string length with a 7-bit prefix, Huffman off (RFC 7541 §5.1). */
function hpackLength(n: number): Buffer {
  if (n < 127) return Buffer.from([n]);
  const bytes = [127];
  for (n -= 127; n >= 128; n >>= 7) bytes.push((n & 0x7f) | 0x80);
  bytes.push(n);
  return Buffer.from(bytes);
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A gRPC call's request headers: :method POST, :scheme http, :path, :authority, content-type, te. */
function grpcHeaders(path: string): Buffer {
  return Buffer.concat([
    Buffer.from([0x83, 0x86]),
    literal(0x04, path),
    literal(0x01, "localhost"),
    Buffer.from([0x0f, 0x10, 16]),
    Buffer.from("application/grpc", "latin1"),
    Buffer.from([0x00, 2]),
    Buffer.from("te", "latin1"),
    Buffer.from([8]),
    Buffer.from("trailers", "latin1"),
  ]);
}

interface Frame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Buffer;
}

/** A raw connection: sends bytes, collects the server's frames, and says when the server closed it. */
function rawConnection() {
  const socket = net.connect({ host: "127.0.0.1", port: service.port });
  let received = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const frames = (): Frame[] => {
    const out: Frame[] = [];
    let at = 0;
    while (at + 9 <= received.length) {
      const length = received.readUIntBE(at, 3);
      if (at + 9 + length > received.length) break;
      out.push({ type: received[at + 3]!, flags: received[at + 4]!, streamId: received.readUInt32BE(at + 5) & 0x7fffffff, payload: received.subarray(at + 9, at + 9 + length) });
      at += 9 + length;
    }
    return out;
  };
  return { socket, closed, frames, received: () => received };
}

const goawayCode = (frames: Frame[]) => frames.find((f) => f.type === TYPE.GOAWAY)?.payload.readUInt32BE(4);

describe("the connection's first bytes", () => {
  it("records every byte of a gRPC call on the timeline: the preface first, the answer's frames after", async () => {
    const before = watcher.ring.after(0, 1_000_000).length;
    await anotherCallCompletes();
    const events = watcher.ring.after(0, 1_000_000).slice(before);
    expect(events[0]?.conversation).toMatchObject({ service: "grpc", transport: "tcp", protocol: "http2" });
    const sent = (direction: "c2s" | "s2c") => Buffer.concat(events.filter((e) => e.kind === "data" && e.direction === direction).map((e) => e.data));
    expect(sent("c2s").subarray(0, PREFACE.length).equals(PREFACE)).toBe(true);
    // The server's first frame is its SETTINGS (RFC 9113 §3.4), and the answer carries Alice.
    expect(sent("s2c")[3]).toBe(TYPE.SETTINGS);
    expect(sent("s2c").toString("latin1")).toContain("Alice");
  });

  it("closes a connection whose preface is not HTTP/2's, and answers the next client", async () => {
    const raw = rawConnection();
    raw.socket.write(Buffer.from("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", "latin1"));
    await raw.closed;
    await anotherCallCompletes();
  });

  it("answers bytes that are no HTTP with 400 Bad Request", async () => {
    const raw = rawConnection();
    raw.socket.write("HELLO THERE\r\n\r\n");
    await raw.closed;
    expect(raw.received().toString("latin1")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    await anotherCallCompletes();
  });
});

describe("floods on one connection", () => {
  it("refuses a HEADERS flood past 100 concurrent streams (REFUSED_STREAM), then ends the session", async () => {
    const raw = rawConnection();
    const parts = [PREFACE, frame(TYPE.SETTINGS, 0, 0)];
    for (let i = 0; i < 1000; i++) parts.push(frame(TYPE.HEADERS, END_HEADERS, 2 * i + 1, grpcHeaders("/user_service.UserService/GetUser")));
    raw.socket.write(Buffer.concat(parts));
    await raw.closed;
    const frames = raw.frames();
    const refused = frames.filter((f) => f.type === TYPE.RST_STREAM && f.payload.readUInt32BE(0) === ERROR.REFUSED_STREAM);
    expect(refused.length).toBeGreaterThan(0);
    // No stream past the limit was ever served.
    expect(frames.filter((f) => f.type === TYPE.HEADERS && f.streamId > 2 * 100 + 1)).toEqual([]);
    await anotherCallCompletes();
  });

  it("ends a SETTINGS flood whose acknowledgements the client does not read (nghttp2's GOAWAY)", async () => {
    const raw = rawConnection();
    const parts: Buffer[] = [PREFACE];
    const setting = Buffer.from([0x00, 0x03, 0x00, 0x00, 0x00, 0x64]);
    for (let i = 0; i < 20_000; i++) parts.push(frame(TYPE.SETTINGS, 0, 0, setting));
    raw.socket.pause();
    raw.socket.write(Buffer.concat(parts));
    await new Promise((resolve) => setTimeout(resolve, 200));
    raw.socket.resume();
    await raw.closed;
    // nghttp2 stops at 1,000 unsent acknowledgements; Node ends the session with INTERNAL_ERROR.
    const frames = raw.frames();
    expect(frames.filter((f) => f.type === TYPE.SETTINGS && f.flags === ACK).length).toBeLessThanOrEqual(1001);
    expect(goawayCode(frames)).toBe(ERROR.INTERNAL_ERROR);
    await anotherCallCompletes();
  });

  it("ends rapid reset, HEADERS then RST_STREAM ten thousand times (CVE-2023-44487)", async () => {
    const raw = rawConnection();
    const parts = [PREFACE, frame(TYPE.SETTINGS, 0, 0)];
    const cancel = Buffer.alloc(4);
    cancel.writeUInt32BE(ERROR.CANCEL);
    for (let i = 0; i < 10_000; i++) {
      const id = 2 * i + 1;
      parts.push(frame(TYPE.HEADERS, END_HEADERS, id, grpcHeaders("/user_service.UserService/GetUsers")), frame(TYPE.RST_STREAM, 0, id, cancel));
    }
    raw.socket.write(Buffer.concat(parts));
    await raw.closed;
    expect(goawayCode(raw.frames())).toBe(ERROR.ENHANCE_YOUR_CALM);
    await anotherCallCompletes();
  });
});

describe("messages", () => {
  async function call(path: string, body: Buffer, end = true) {
    const session = http2.connect(`http://127.0.0.1:${service.port}`);
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
    if (end) stream.end(body);
    else stream.write(body);
    try {
      return await readStream(stream);
    } finally {
      session.close();
    }
  }

  it("answers a 100 MB length prefix with RESOURCE_EXHAUSTED without waiting for its bytes", async () => {
    const header = Buffer.from([0, 0, 0, 0, 0]);
    header.writeUInt32BE(100 * 1024 * 1024, 1);
    // The prefix and two bytes of the message, and the request left open: the answer cannot wait for the rest.
    const { headers, trailers } = await call("/user_service.UserService/GetUser", Buffer.concat([header, Buffer.from([0x08, 0x01])]), false);
    const status = trailers["grpc-status"] ?? headers["grpc-status"];
    expect(status).toBe(String(Code.ResourceExhausted));
    await anotherCallCompletes();
  });

  it("answers malformed protobuf with INVALID_ARGUMENT, for unary and streaming methods", async () => {
    // Field 1 as a varint that never ends (every byte has its continuation bit set).
    const bad = Buffer.from([0, 0, 0, 0, 4, 0x08, 0xff, 0xff, 0xff]);
    for (const path of ["/user_service.UserService/GetUser", "/user_service.UserService/CreateUsers", "/user.UserService/GetUser"]) {
      const { headers, trailers } = await call(path, bad);
      expect(trailers["grpc-status"] ?? headers["grpc-status"], path).toBe(String(Code.InvalidArgument));
    }
    await anotherCallCompletes();
  });

  it("answers malformed protobuf over Connect and gRPC-web with INVALID_ARGUMENT too", async () => {
    const url = `http://127.0.0.1:${service.port}/user_service.UserService/GetUser`;
    const connect = await fetch(url, { method: "POST", headers: { "content-type": "application/proto" }, body: new Uint8Array([0x08, 0xff, 0xff, 0xff]) });
    expect(connect.status).toBe(400);
    expect(((await connect.json()) as { code: string }).code).toBe("invalid_argument");
    const web = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
      body: new Uint8Array([0, 0, 0, 0, 4, 0x08, 0xff, 0xff, 0xff]),
    });
    expect(web.headers.get("grpc-status") ?? Buffer.from(await web.arrayBuffer()).toString("latin1")).toMatch(/^3$|grpc-status: ?3\r\n/);
  });

  it("refuses a header block over 16 KiB (RST_STREAM for that stream; the next call completes)", async () => {
    const raw = rawConnection();
    const big = Buffer.concat([Buffer.from([0x00, 5]), Buffer.from("x-big"), hpackLength(20_000), Buffer.alloc(20_000, 0x61)]);
    const block = Buffer.concat([grpcHeaders("/user_service.UserService/GetUser"), big]);
    // One HEADERS frame may carry 16,384 bytes (SETTINGS_MAX_FRAME_SIZE's default): the rest goes in CONTINUATION.
    const first = block.subarray(0, 16_000);
    const rest = block.subarray(16_000);
    raw.socket.write(Buffer.concat([PREFACE, frame(TYPE.SETTINGS, 0, 0), frame(TYPE.HEADERS, 0, 1, first), frame(TYPE.CONTINUATION, END_HEADERS, 1, rest)]));
    await until(() => raw.frames().some((f) => (f.type === TYPE.RST_STREAM && f.streamId === 1) || f.type === TYPE.GOAWAY));
    const frames = raw.frames();
    // Never served: no response HEADERS on stream 1.
    expect(frames.filter((f) => f.type === TYPE.HEADERS && f.streamId === 1)).toEqual([]);
    raw.socket.destroy();
    await anotherCallCompletes();
  });

  it("answers an unknown method with UNIMPLEMENTED", async () => {
    const { headers, trailers } = await call("/user_service.UserService/Nope", Buffer.from([0, 0, 0, 0, 0]));
    expect(trailers["grpc-status"] ?? headers["grpc-status"]).toBe(String(Code.Unimplemented));
  });

  it("resets a stream the client neither feeds nor half-closes (CANCEL after the idle timeout)", async () => {
    const session = http2.connect(`http://127.0.0.1:${service.port}`);
    try {
      const stream = session.request({ ":method": "POST", ":path": "/user_service.UserService/CreateUsers", "content-type": "application/grpc", te: "trailers" });
      stream.on("error", () => {});
      stream.resume();
      const rstCode = await new Promise<number>((resolve) => stream.on("close", () => resolve(stream.rstCode ?? -1)));
      expect(rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
      // The connection itself is still good: another call on it completes.
      const other = session.request({ ":method": "POST", ":path": "/helloworld.Greeter/SayHello", "content-type": "application/grpc", te: "trailers" });
      other.end(Buffer.from([0, 0, 0, 0, 4, 0x0a, 0x02, 0x68, 0x69]));
      const { body, trailers } = await readStream(other);
      expect(trailers["grpc-status"]).toBe("0");
      expect(body.subarray(5).toString("latin1")).toContain("Hello, hi!");
    } finally {
      session.close();
    }
  });
});
