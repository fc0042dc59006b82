// gRPC calls on the timeline (issue 14 §3, §4), end to end over loopback on the lab's tapped 50051.
// - Each call on a lane pair of its own: Debian's Python grpcio makes two concurrent calls on one channel (one HTTP/2
//   connection, streams 1 and 3); the events the tap recorded go through the briefs and a batch as Watch sends them,
//   and the page's lane model gives each call its pair, named by its method, with the frames of each stream on its
//   own pair and the connection's on the connection's.
// - A server-streaming gRPC-web call from Node's fetch: the answer arrives as several HTTP/1.1 chunks (one per paced
//   message, then the trailer frame), and the dissected answer shows each user's message and the trailers, read
//   across chunks.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBatchReader } from "@/app/_components/timeline/batch";
import { eventViewOf } from "@/app/_components/timeline/event-table";
import { callKey, eventLanes, http2Calls, layoutLanes } from "@/app/_components/timeline/model";
import { EventBatchSchema, EventKind } from "@/gen/lab/v1/timeline_pb";
import { createBus } from "../../capture/bus";
import { dissectorFor } from "../../dissect/protocols";
import { findNode } from "../../dissect/core/tree";
import type { FieldNode } from "../../dissect/core/types";
import { briefOf, conversationToProto, createBatchWriter, framesOf } from "../../lab/to-proto";
import { createSessionStore } from "../../lab/sessions";
import { openStore } from "../../store/store";
import { defineGrpcService, type RunningGrpcService } from "./grpc-service";

const run = promisify(execFile);
const GET_USER = "/user_service.UserService/GetUser";
const GET_USERS = "/user_service.UserService/GetUsers";

let service: RunningGrpcService;
let watcher: ReturnType<ReturnType<typeof createSessionStore>["resolve"]>["session"];

beforeAll(async () => {
  const sessions = createSessionStore({ ringMaxEvents: 10_000, ringMaxBytes: 8 << 20 });
  watcher = sessions.resolve(undefined, "127.0.0.1").session;
  const bus = createBus({ sessions, dissectorFor });
  service = (await defineGrpcService({ paceMs: 20 }).start!({ bus, host: "127.0.0.1", port: 0, store: openStore() })) as RunningGrpcService;
});

afterAll(async () => {
  await service.stop();
});

// Raw bytes in and out (no stubs): GetUsersRequest{limit: 2} is 08 02, GetUserRequest{user_id: 1} is 08 01. The stream
// is started first and read after the unary call has finished, so both calls are open on the connection together.
const SCRIPT = `
import grpc, sys
channel = grpc.insecure_channel("127.0.0.1:" + sys.argv[1])
stream = channel.unary_stream("${GET_USERS}")(b"\\x08\\x02")
user = channel.unary_unary("${GET_USER}")(b"\\x08\\x01")
users = list(stream)
print(user.hex())
print(",".join(u.hex() for u in users))
channel.close()
`;

describe("two concurrent gRPC calls on one HTTP/2 connection", () => {
  it("give two lane pairs, each call's frames drawn on its own and the connection's SETTINGS on the connection's", async () => {
    const before = watcher.ring.after(0, 1_000_000).length;
    const { stdout } = await run("/usr/bin/python3", ["-c", SCRIPT, String(service.port)], { timeout: 30_000 });
    const [user, users] = stdout.trim().split("\n");
    // The answers as the wire carried them: Alice (id 1), then Alice and Bob from the stream.
    expect(Buffer.from(user ?? "", "hex").toString("latin1")).toContain("Alice");
    expect(users?.split(",").map((hex) => Buffer.from(hex, "hex").toString("latin1").match(/Alice|Bob/)?.[0])).toEqual(["Alice", "Bob"]);

    // Wait for the connection's close to be recorded, then read what the tap saw, as a Watch batch.
    let recorded = watcher.ring.after(0, 1_000_000).slice(before);
    for (let i = 0; i < 50 && !recorded.some((e) => e.kind === "close"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      recorded = watcher.ring.after(0, 1_000_000).slice(before);
    }
    const h2 = recorded.filter((e) => e.conversation.protocol === "http2");
    const ids = new Set(h2.map((e) => e.conversation.id));
    expect(ids.size).toBe(1);
    const writer = createBatchWriter();
    const batch = fromBinary(EventBatchSchema, writer.write(h2.map((e) => briefOf(e, dissectorFor))).bytes);
    const { conversations, events } = createBatchReader().read(batch);
    const conversation = conversations[0];
    if (!conversation) throw new Error("no conversation");
    expect(conversation.protocol).toBe("http2");

    const view = eventViewOf(events);
    const calls = http2Calls(view).get(conversation.id) ?? [];
    // Which call grpcio opens first is its own choice: streams 1 and 3, one for each method.
    expect(calls.map((call) => call.stream).sort()).toEqual([1, 3]);
    expect(calls.map((call) => call.path).sort()).toEqual([GET_USER, GET_USERS]);
    const [one, two] = calls.map((call) => call.stream);

    const layout = layoutLanes([conversationToProto(h2[0]!.conversation)], { available: 1280, calls: http2Calls(view) });
    expect(layout.lanes.map((lane) => (lane.call ? `${lane.side} ${lane.call.stream}` : lane.side))).toEqual([
      "client",
      `client ${one}`,
      `server ${one}`,
      `client ${two}`,
      `server ${two}`,
      "server",
    ]);

    // Every HTTP/2 frame of every event is drawn on the pair of its stream (stream 0: the connection's).
    const drawn = new Map<string, number>();
    for (const event of events) {
      const lanes = eventLanes(layout, event);
      expect(lanes.length).toBeGreaterThan(0);
      for (const frame of event.http2 ?? []) {
        const key = frame.stream === 0 ? conversation.id : callKey(conversation.id, frame.stream);
        expect(lanes.map((l) => l.key)).toContain(key);
        drawn.set(key, (drawn.get(key) ?? 0) + 1);
      }
      if (event.kind !== EventKind.DATA) expect(lanes.map((l) => l.key)).toEqual([conversation.id]);
    }
    // Each call: the request's HEADERS and DATA, the response's HEADERS, its DATA (one for GetUser, two users for
    // GetUsers: at least one frame each) and the trailers; the connection: both sides' SETTINGS at least.
    for (const stream of [1, 3]) expect(drawn.get(callKey(conversation.id, stream))).toBeGreaterThanOrEqual(5);
    expect(drawn.get(conversation.id)).toBeGreaterThanOrEqual(2);
    // The client's first write holds the preface, drawn on the connection's lanes.
    const first = events.find((e) => e.kind === EventKind.DATA);
    expect(first?.summary).toBe("Magic");
    expect(eventLanes(layout, first!)[0]?.key).toBe(conversation.id);
  });
});

const texts = (node: FieldNode | undefined): string[] =>
  node ? [node.value.format === "quoted" || node.value.format === "plain" ? node.value.text : "", ...node.children.flatMap(texts)] : [];

describe("a server-streaming gRPC-web call", () => {
  it("is read message by message from the chunks of its answer, with the trailer frame's grpc-status", async () => {
    const before = watcher.ring.after(0, 1_000_000).length;
    // GetUsersRequest{limit: 3}: 08 03 in one envelope.
    const res = await fetch(`http://127.0.0.1:${service.port}/user_service.UserService/GetUsers`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
      body: Uint8Array.from([0, 0, 0, 0, 2, 0x08, 0x03]),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    const body = Buffer.from(await res.arrayBuffer());
    // Three messages, then the trailer frame (flag 0x80) with grpc-status 0.
    const flags: number[] = [];
    for (let at = 0; at + 5 <= body.length; at += 5 + body.readUInt32BE(at + 1)) flags.push(body[at]!);
    expect(flags).toEqual([0, 0, 0, 0x80]);
    expect(body.toString("latin1")).toMatch(/grpc-status: ?0\r\n/);

    let recorded = watcher.ring.after(0, 1_000_000).slice(before);
    for (let i = 0; i < 50 && !recorded.some((e) => e.kind === "data" && e.direction === "s2c" && e.pdus?.length); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      recorded = watcher.ring.after(0, 1_000_000).slice(before);
    }
    const answers = recorded.filter((e) => e.kind === "data" && e.direction === "s2c");
    // The paced answer came in several reads of the tap (one per message at least).
    expect(answers.length).toBeGreaterThanOrEqual(3);
    const frames = answers.flatMap((e) => framesOf(e, dissectorFor)).filter((f) => f.protocol === "http1");
    const response = frames.find((f) => f.summary.startsWith("HTTP/1.1 200"));
    if (!response) throw new Error("no response frame");
    const chunks = findNode(response.fields, "http1.chunked")?.children.filter((n) => n.id === "http1.chunk") ?? [];
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    const envelopes = findNode(response.fields, "http1.envelopes");
    const messages = envelopes?.children.filter((n) => n.id === "grpc.message") ?? [];
    expect(messages).toHaveLength(4);
    const words = texts(envelopes).join(" ");
    for (const name of ["Alice", "Bob", "Charlie"]) expect(words).toContain(name);
    expect(findNode(messages[3]!.children, "grpc.status")?.value).toEqual({ format: "named", value: 0, name: "OK" });
    expect(response.summary).toContain("trailers: OK");
  });
});
