// The gRPC lesson's RPCs (issue 14 §4) on a real lab host with its real gRPC and HTTP servers, over Connect:
// CompareGetUser sends GetUser four ways on tapped connections and answers each connection's bytes from the
// session's timeline (the HTTP/2 preface, gRPC-web's trailer frame, Connect's bare message, REST's JSON), the same
// protobuf bytes found in the three binary ways; ProduceGrpcStatus ends real h2c calls in the codes it names, with
// the trailers that carried them; the auth switch is back as it was afterwards; other sessions see none of it.
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatusExperiment, WireWay, type WireCall } from "@/gen/lab/v1/grpc_lesson_pb";
import { sessionDataset } from "../store/store";
import { grpcAuth } from "../servers/grpc/interceptors";
import type { LabHost } from "./host";
import { labServiceFor, startTestHost, visitForSession } from "../testing/host";
import { envelope, frames, spanOf, webTrailers } from "./grpc-lesson";

let host: LabHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

const text = (b: Uint8Array) => new TextDecoder("latin1").decode(b);
const PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

describe("CompareGetUser", () => {
  it("sends GetUser four ways and answers each connection's bytes, Alice in all four", async () => {
    const cookie = await visitForSession(host);
    const lab = labServiceFor(host, cookie);
    const { calls } = await lab.compareGetUser({ userId: 1 });
    expect(calls.map((c) => c.way)).toEqual([WireWay.GRPC, WireWay.GRPC_WEB, WireWay.CONNECT, WireWay.REST]);
    const [grpc, web, connect, rest] = calls as [WireCall, WireCall, WireCall, WireCall];
    for (const call of calls) {
      expect(JSON.parse(call.answerJson)).toMatchObject({ id: 1, name: "Alice" });
      expect(call.conversationId).not.toBe("");
    }
    expect(new Set(calls.map((c) => c.conversationId)).size).toBe(4);

    // gRPC: the HTTP/2 preface first; grpc-status 0 comes in a HEADERS frame (HPACK), not as text.
    expect(text(grpc.request.subarray(0, PREFACE.length))).toBe(PREFACE);
    expect(grpc.status).toBe("0");
    // GetUserRequest{user_id: 1} is 08 01; each binary way carries it behind its own framing.
    expect([...grpc.request.subarray(grpc.requestMessage!.start, grpc.requestMessage!.start + grpc.requestMessage!.length)]).toEqual([0x08, 0x01]);
    expect(grpc.request[grpc.requestMessage!.start - 5]).toBe(0);

    // gRPC-web: an HTTP/1.1 POST, the same 5-byte envelope, and the trailers as a 0x80 frame in the body.
    expect(text(web.request)).toMatch(/^POST \/user_service\.UserService\/GetUser HTTP\/1\.1\r\n/);
    expect(text(web.request)).toMatch(/content-type: application\/grpc-web\+proto/i);
    expect(web.status).toBe("0");
    expect(text(web.response)).toMatch(/grpc-status: ?0/);
    expect([...web.request.subarray(web.request.byteLength - 7)]).toEqual([0, 0, 0, 0, 2, 0x08, 0x01]);

    // Connect: the bare message as the body, no envelope, the status as HTTP's 200.
    expect(text(connect.request)).toMatch(/content-type: application\/proto/i);
    expect([...connect.request.subarray(connect.request.byteLength - 2)]).toEqual([0x08, 0x01]);
    expect(text(connect.response)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);

    // The answer's bytes are the same UserResponse in the three binary ways.
    const message = (c: WireCall) => [...c.response.subarray(c.responseMessage!.start, c.responseMessage!.start + c.responseMessage!.length)];
    expect(grpc.responseMessage!.length).toBeGreaterThan(10);
    expect(message(web)).toEqual(message(grpc));
    expect(message(connect)).toEqual(message(grpc));

    // REST: a GET with JSON back, and no protobuf.
    expect(text(rest.request)).toMatch(/^GET \/api\/users\/1 HTTP\/1\.1\r\n/);
    expect(rest.status).toBe("HTTP 200");
    expect(text(rest.response)).toContain('"name":');
    expect(rest.requestMessage).toBeUndefined();
    for (const call of calls) expect(call.clientWrites).toBeGreaterThan(0);

    // The bytes are the timeline's: FollowConversation of the gRPC call says the same.
    const followed = await lab.followConversation({ conversationId: grpc.conversationId, runId: grpc.runId });
    expect(followed.clientBytes).toBe(BigInt(grpc.request.byteLength));
    expect(followed.serverBytes).toBe(BigInt(grpc.response.byteLength));
  });

  it("says NOT_FOUND, HTTP's 404 and the Connect error for a user the data set does not hold", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    const { calls } = await lab.compareGetUser({ userId: 999 });
    expect(calls.map((c) => c.status)).toEqual([String(Code.NotFound), String(Code.NotFound), "HTTP 404", "HTTP 404"]);
  });
});

describe("ProduceGrpcStatus", () => {
  const run = async (lab: ReturnType<typeof labServiceFor>, experiment: StatusExperiment) => lab.produceGrpcStatus({ experiment });
  const trailer = (fields: { name: string; value: string }[], name: string) => fields.find((f) => f.name === name)?.value;

  it("produces each code with a real call, the status in the trailers (or the reset)", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    const expected: [StatusExperiment, Code | 0][] = [
      [StatusExperiment.OK, 0],
      [StatusExperiment.NOT_FOUND, Code.NotFound],
      [StatusExperiment.INVALID_ARGUMENT, Code.InvalidArgument],
      [StatusExperiment.ALREADY_EXISTS, Code.AlreadyExists],
      [StatusExperiment.UNAUTHENTICATED, Code.Unauthenticated],
      [StatusExperiment.DEADLINE_EXCEEDED, Code.DeadlineExceeded],
      [StatusExperiment.RESOURCE_EXHAUSTED, Code.ResourceExhausted],
      [StatusExperiment.CANCELLED, Code.Canceled],
      [StatusExperiment.UNIMPLEMENTED, Code.Unimplemented],
    ];
    for (const [experiment, code] of expected) {
      const answer = await run(lab, experiment);
      expect({ experiment, status: answer.grpcStatus }).toEqual({ experiment, status: code });
      if (experiment === StatusExperiment.CANCELLED) {
        expect(answer.rstCode).toBe(8);
        expect(answer.trailers).toEqual([]);
      } else {
        expect(trailer([...answer.trailers, ...answer.headers], "grpc-status")).toBe(String(code));
      }
    }
    const notFound = await run(lab, StatusExperiment.NOT_FOUND);
    expect(notFound.grpcMessage).toBe("User 999 not found");
    expect(notFound.path).toBe("/user_service.UserService/GetUser");
  });

  it("turns auth on for the one call only, and leaves it as it was", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    const answer = await run(lab, StatusExperiment.UNAUTHENTICATED);
    expect(answer.grpcMessage).toBe("Invalid or missing token");
    // Afterwards the same session's CreateUser without a token is INVALID_ARGUMENT again, not UNAUTHENTICATED.
    expect((await run(lab, StatusExperiment.INVALID_ARGUMENT)).grpcStatus).toBe(Code.InvalidArgument);
    expect(grpcAuth.policy(sessionDataset("no-such-session"))).toBe(false);
  });

  it("refuses an experiment it does not know with INVALID_ARGUMENT", async () => {
    const lab = labServiceFor(host, await visitForSession(host));
    await expect(run(lab, StatusExperiment.UNSPECIFIED)).rejects.toMatchObject({ code: Code.InvalidArgument });
  });
});

describe("the wire helpers", () => {
  it("frames an envelope and reads it back, and reads gRPC-web's trailer frame", () => {
    const env = envelope(new Uint8Array([8, 1]));
    expect([...env]).toEqual([0, 0, 0, 0, 2, 8, 1]);
    const trailerText = new TextEncoder().encode("grpc-status:0\r\ngrpc-message:\r\n");
    const body = new Uint8Array([...env, 0x80, 0, 0, 0, trailerText.byteLength, ...trailerText]);
    const parsed = frames(body);
    expect(parsed.map((f) => f.flags)).toEqual([0, 0x80]);
    expect(webTrailers(parsed[1]!.payload)).toEqual({ "grpc-status": "0", "grpc-message": "" });
    expect(spanOf(body, new Uint8Array([8, 1]))).toEqual({ start: 5, length: 2 });
    expect(spanOf(body, new Uint8Array([9, 9]))).toEqual({ start: 0, length: 0 });
  });
});
