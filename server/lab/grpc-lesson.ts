// LabService.CompareGetUser and ProduceGrpcStatus (issue 14 §4): the gRPC lesson's experiments on the lab's own
// tapped clients, for the caller's session. GetUser goes four ways, each on a TCP connection of its own: gRPC over
// h2c (node:http2 on a claimed socket, as grpcio's insecure_channel sends it), gRPC-web and the Connect protocol over
// HTTP/1.1 to the same port, and the users REST API on the http service. Each connection's bytes come back as the
// session's timeline holds them (followConversation over its ring), with the protobuf message's place in them. A
// status experiment makes one real h2c call that ends in the code it names, and answers the trailers that carried it.

import http from "node:http";
import http2 from "node:http2";
import type net from "node:net";
import { create, fromBinary, toBinary, toJsonString, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { StatusExperiment, WireWay, type ByteSpanSchema, type MetadataFieldSchema, type WireCallSchema } from "@/gen/lab/v1/grpc_lesson_pb";
import type { LabService } from "@/gen/lab/v1/lab_pb";
import { CreateUserRequestSchema } from "@/gen/user/user_pb";
import { GetUserRequestSchema, GetUsersRequestSchema, UserResponseSchema } from "@/gen/user_service/user_service_pb";
import { RUN_ID, type Bus } from "../capture/bus";
import type { ConversationInfo } from "../capture/events";
import type { Ring } from "../capture/ring";
import { connectClaimed } from "../clients/grpc";
import { ConnectFailed, type ServiceTarget } from "../clients/tcp";
import { sessionDataset } from "../store/store";
import { followConversation } from "./follow";
import type { Session } from "./sessions";

/** How long one experiment's call may take before the lab gives up on it. */
export const GRPC_LESSON_CALL_TIMEOUT_MS = 10_000;
/** How long a connection may wait for the lab server to accept it. */
const CONNECT_TIMEOUT_MS = 5_000;
/** How long the lab waits for the tap to record a finished connection's close. */
const SETTLE_TIMEOUT_MS = 2_000;
/** The deadline the DEADLINE_EXCEEDED experiment sends: shorter than the pause before the stream's first user. */
export const DEADLINE_EXPERIMENT_TIMEOUT = "100m";
/** The length prefix the RESOURCE_EXHAUSTED experiment claims: past the service's 4 MiB message limit. */
export const OVERSIZED_PREFIX = 5 * 1024 * 1024;

export interface GrpcAuthSwitch {
  policy(dataset: string): boolean;
  set(dataset: string, required: boolean): void;
}

export interface GrpcLessonDeps {
  readonly bus: Bus;
  /** The lab's grpc and http services; undefined when they do not run. */
  readonly grpcTarget: () => ServiceTarget | undefined;
  readonly httpTarget: () => ServiceTarget | undefined;
  readonly session: (ctx: HandlerContext) => Session;
  readonly connectFailed: (err: ConnectFailed) => ConnectError;
  /** The gRPC service's auth switch (server/servers/grpc/interceptors.ts grpcAuth). */
  readonly auth: GrpcAuthSwitch;
}

export type GrpcLesson = Pick<ServiceImpl<typeof LabService>, "compareGetUser" | "produceGrpcStatus">;

interface Tapped {
  readonly socket: net.Socket;
  readonly conversation: ConversationInfo;
}

/** Waits until the session's ring holds the conversation's close (the tap saw the connection end), or a timeout. */
async function settled(ring: Ring, conversationId: string): Promise<void> {
  const stop = AbortSignal.timeout(SETTLE_TIMEOUT_MS);
  const closed = () => {
    const seqs = ring.seqs();
    for (let i = seqs.length - 1; i >= 0 && i >= seqs.length - 4000; i--) {
      const header = ring.event(seqs[i]!);
      if (header && header.conversation.id === conversationId && header.kind === "close") return true;
    }
    return false;
  };
  while (!closed() && !stop.aborted) await ring.changed(stop);
}

/** The bytes each side sent on a conversation, as the timeline holds them. */
function wireBytes(ring: Ring, conversationId: string) {
  const followed = followConversation(ring, conversationId);
  const join = (parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  };
  return {
    request: join(followed.chunks.filter((c) => c.direction === "c2s").map((c) => c.data)),
    response: join(followed.chunks.filter((c) => c.direction === "s2c").map((c) => c.data)),
    clientWrites: followed.clientChunks,
    serverWrites: followed.serverChunks,
  };
}

/** Where `needle` first sits in `hay` (an empty span when it does not). */
export function spanOf(hay: Uint8Array, needle: Uint8Array): MessageInitShape<typeof ByteSpanSchema> {
  if (needle.byteLength === 0) return { start: 0, length: 0 };
  outer: for (let i = 0; i + needle.byteLength <= hay.byteLength; i++) {
    for (let j = 0; j < needle.byteLength; j++) if (hay[i + j] !== needle[j]) continue outer;
    return { start: i, length: needle.byteLength };
  }
  return { start: 0, length: 0 };
}

/** A gRPC message: the 5-byte envelope (not compressed, big-endian length) and the message. */
export function envelope(message: Uint8Array, length = message.byteLength): Uint8Array {
  const out = new Uint8Array(5 + message.byteLength);
  new DataView(out.buffer).setUint32(1, length);
  out.set(message, 5);
  return out;
}

/** The frames of a gRPC or gRPC-web body: each frame's flags and payload. */
export function frames(body: Uint8Array): { flags: number; payload: Uint8Array }[] {
  const out: { flags: number; payload: Uint8Array }[] = [];
  let at = 0;
  while (at + 5 <= body.byteLength) {
    const length = new DataView(body.buffer, body.byteOffset + at + 1, 4).getUint32(0);
    out.push({ flags: body[at]!, payload: body.subarray(at + 5, Math.min(body.byteLength, at + 5 + length)) });
    at += 5 + length;
  }
  return out;
}

/** gRPC-web's trailer frame (flags 0x80): HTTP/1-style "name: value" lines. */
export function webTrailers(payload: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of new TextDecoder().decode(payload).split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

interface H2Result {
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders;
  body: Uint8Array;
  rstCode: number;
}

/** One gRPC call over h2c on a tapped socket; `cancelOnData` resets the stream (CANCEL) once the first DATA arrives. */
function h2cCall(tapped: Tapped, target: ServiceTarget, path: string, body: Uint8Array, extra: Record<string, string>, opts: { endStream?: boolean; cancelOnData?: boolean } = {}): Promise<H2Result> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${target.host}:${target.port}`, { createConnection: () => tapped.socket });
    session.on("error", () => {});
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc+proto", te: "trailers", ...extra });
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const parts: Buffer[] = [];
    const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), GRPC_LESSON_CALL_TIMEOUT_MS);
    stream.on("response", (h) => (headers = h));
    stream.on("trailers", (t) => (trailers = t));
    stream.on("data", (d: Buffer) => {
      parts.push(d);
      if (opts.cancelOnData) stream.close(http2.constants.NGHTTP2_CANCEL);
    });
    stream.on("error", () => {});
    // The server answered while the request was still open (the oversized prefix): the client ends its side too.
    stream.on("end", () => {
      if (!stream.writableEnded) stream.close(http2.constants.NGHTTP2_NO_ERROR);
    });
    stream.on("close", () => {
      clearTimeout(timer);
      const rstCode = stream.rstCode ?? 0;
      session.close(() => {
        tapped.socket.destroy();
        resolve({ headers, trailers, body: new Uint8Array(Buffer.concat(parts)), rstCode });
      });
    });
    session.once("close", () => tapped.socket.destroy());
    stream.on("aborted", () => {});
    if (opts.endStream === false) stream.write(body);
    else stream.end(body);
    session.once("error", reject);
  });
}

/** One HTTP/1.1 request on a tapped socket, `Connection: close`. */
function h1Call(tapped: Tapped, target: ServiceTarget, method: string, path: string, headers: Record<string, string>, body?: Uint8Array) {
  return new Promise<{ status: number; body: Uint8Array }>((resolve, reject) => {
    const req = http.request(
      { createConnection: () => tapped.socket, method, path, headers: { host: `${target.host}:${target.port}`, connection: "close", ...headers }, timeout: GRPC_LESSON_CALL_TIMEOUT_MS },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("end", () => {
          tapped.socket.end();
          resolve({ status: res.statusCode ?? 0, body: new Uint8Array(Buffer.concat(parts)) });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("the lab server did not answer in time")));
    req.on("error", reject);
    req.end(body === undefined ? undefined : Buffer.from(body));
  });
}

const fields = (h: http2.IncomingHttpHeaders): MessageInitShape<typeof MetadataFieldSchema>[] =>
  Object.entries(h).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value: Array.isArray(value) ? value.join(", ") : String(value) }]));

function decodeUser(bytes: Uint8Array | undefined): string {
  if (!bytes) return "";
  try {
    return toJsonString(UserResponseSchema, fromBinary(UserResponseSchema, bytes));
  } catch {
    return "";
  }
}

interface Experiment {
  readonly path: string;
  readonly note: string;
  readonly message: Uint8Array;
  readonly headers?: Record<string, string>;
  readonly endStream?: boolean;
  readonly cancelOnData?: boolean;
  /** The prefix's length when it is not the message's own. */
  readonly claimedLength?: number;
  /** Turns the session's auth on for the call. */
  readonly auth?: boolean;
}

const GET_USER = "/user_service.UserService/GetUser";
const GET_USERS = "/user_service.UserService/GetUsers";
const CREATE_USER = "/user.UserService/CreateUser";

/** What each experiment sends. */
export function experiment(which: StatusExperiment): Experiment {
  const getUser = (userId: number) => toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { userId }));
  const createUser = (init: MessageInitShape<typeof CreateUserRequestSchema>) => toBinary(CreateUserRequestSchema, create(CreateUserRequestSchema, init));
  switch (which) {
    case StatusExperiment.OK:
      return { path: GET_USER, note: "user_id: 1", message: getUser(1) };
    case StatusExperiment.NOT_FOUND:
      return { path: GET_USER, note: "user_id: 999", message: getUser(999) };
    case StatusExperiment.INVALID_ARGUMENT:
      return { path: CREATE_USER, note: 'name: "" (missing), email: "nobody@example.com"', message: createUser({ email: "nobody@example.com" }) };
    case StatusExperiment.ALREADY_EXISTS:
      return { path: CREATE_USER, note: 'name: "Alice Again", email: "alice@example.com" (already registered)', message: createUser({ name: "Alice Again", email: "alice@example.com" }) };
    case StatusExperiment.UNAUTHENTICATED:
      return { path: CREATE_USER, note: "auth on for this session, no authorization metadata", message: createUser({ name: "Mallory", email: "mallory@example.com" }), auth: true };
    case StatusExperiment.DEADLINE_EXCEEDED:
      return { path: GET_USERS, note: `grpc-timeout: ${DEADLINE_EXPERIMENT_TIMEOUT}`, message: toBinary(GetUsersRequestSchema, create(GetUsersRequestSchema, { limit: 3 })), headers: { "grpc-timeout": DEADLINE_EXPERIMENT_TIMEOUT } };
    case StatusExperiment.RESOURCE_EXHAUSTED:
      return { path: GET_USER, note: `length prefix ${OVERSIZED_PREFIX} bytes, 2 bytes sent`, message: getUser(1), claimedLength: OVERSIZED_PREFIX, endStream: false };
    case StatusExperiment.CANCELLED:
      return { path: GET_USERS, note: "RST_STREAM (CANCEL) after the first user", message: toBinary(GetUsersRequestSchema, create(GetUsersRequestSchema, { limit: 0 })), cancelOnData: true };
    case StatusExperiment.UNIMPLEMENTED:
      return { path: "/user_service.UserService/DeleteEverything", note: "a method the service does not have", message: new Uint8Array() };
    default:
      throw new ConnectError("name a status experiment", Code.InvalidArgument);
  }
}

export function createGrpcLesson(deps: GrpcLessonDeps): GrpcLesson {
  /** Sessions running an experiment: one at a time each, so a page cannot open connections without bound. */
  const busy = new WeakSet<Session>();

  function targets() {
    const grpc = deps.grpcTarget();
    const rest = deps.httpTarget();
    if (!grpc) throw new ConnectError("the lab runs no grpc service", Code.FailedPrecondition);
    return { grpc, rest };
  }

  async function exclusive<T>(session: Session, run: () => Promise<T>): Promise<T> {
    if (busy.has(session)) throw new ConnectError("one gRPC experiment at a time: wait for the last one to finish", Code.ResourceExhausted);
    busy.add(session);
    try {
      return await run();
    } catch (err) {
      if (err instanceof ConnectFailed) throw deps.connectFailed(err);
      throw err;
    } finally {
      busy.delete(session);
    }
  }

  async function connect(target: ServiceTarget, session: Session): Promise<Tapped> {
    return connectClaimed(deps.bus, target, session.id, CONNECT_TIMEOUT_MS);
  }

  return {
    async compareGetUser(req, ctx) {
      const session = deps.session(ctx);
      const { grpc, rest } = targets();
      if (!rest) throw new ConnectError("the lab runs no http service", Code.FailedPrecondition);
      if (req.userId < 0 || req.userId > 1_000_000) throw new ConnectError("user_id: 0 to 1000000", Code.InvalidArgument);
      return exclusive(session, async () => {
        const message = toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { userId: req.userId }));
        const calls: MessageInitShape<typeof WireCallSchema>[] = [];
        const finish = async (way: WireWay, tapped: Tapped, started: number, status: string, answer: Uint8Array | undefined, answerJson: string) => {
          const elapsedMs = performance.now() - started;
          await settled(session.ring, tapped.conversation.id);
          const wire = wireBytes(session.ring, tapped.conversation.id);
          calls.push({
            way,
            conversationId: tapped.conversation.id,
            runId: RUN_ID,
            ...wire,
            requestMessage: way === WireWay.REST ? undefined : spanOf(wire.request, message),
            responseMessage: way === WireWay.REST || !answer ? undefined : spanOf(wire.response, answer),
            status,
            answerJson,
            elapsedMs,
          });
        };

        // gRPC over h2c.
        {
          const started = performance.now();
          const tapped = await connect(grpc, session);
          const result = await h2cCall(tapped, grpc, GET_USER, envelope(message), {});
          const answer = frames(result.body)[0]?.payload;
          await finish(WireWay.GRPC, tapped, started, String(result.trailers["grpc-status"] ?? result.headers["grpc-status"] ?? ""), answer, decodeUser(answer));
        }
        // gRPC-web over HTTP/1.1.
        {
          const started = performance.now();
          const tapped = await connect(grpc, session);
          const result = await h1Call(tapped, grpc, "POST", GET_USER, { "content-type": "application/grpc-web+proto", "x-grpc-web": "1", accept: "application/grpc-web+proto" }, envelope(message));
          const parts = frames(result.body);
          const answer = parts.find((f) => (f.flags & 0x80) === 0)?.payload;
          const trailer = parts.find((f) => (f.flags & 0x80) !== 0);
          await finish(WireWay.GRPC_WEB, tapped, started, trailer ? (webTrailers(trailer.payload)["grpc-status"] ?? "") : "", answer, decodeUser(answer));
        }
        // The Connect protocol: a unary POST, the message as the body.
        {
          const started = performance.now();
          const tapped = await connect(grpc, session);
          const result = await h1Call(tapped, grpc, "POST", GET_USER, { "content-type": "application/proto", "connect-protocol-version": "1" }, message);
          const ok = result.status === 200;
          await finish(WireWay.CONNECT, tapped, started, ok ? "0" : `HTTP ${result.status}`, ok ? result.body : undefined, ok ? decodeUser(result.body) : new TextDecoder().decode(result.body));
        }
        // The users REST API.
        {
          const started = performance.now();
          const tapped = await connect(rest, session);
          const result = await h1Call(tapped, rest, "GET", `/api/users/${req.userId}`, { accept: "application/json" });
          const text = new TextDecoder().decode(result.body);
          let json = text;
          try {
            const parsed = JSON.parse(text) as { data?: unknown };
            json = JSON.stringify(parsed.data ?? parsed);
          } catch {
            // Not JSON: shown as it came.
          }
          await finish(WireWay.REST, tapped, started, `HTTP ${result.status}`, undefined, json);
        }
        return { calls };
      });
    },

    async produceGrpcStatus(req, ctx) {
      const session = deps.session(ctx);
      const { grpc } = targets();
      const plan = experiment(req.experiment);
      return exclusive(session, async () => {
        const dataset = sessionDataset(session.id);
        const authBefore = deps.auth.policy(dataset);
        if (plan.auth) deps.auth.set(dataset, true);
        try {
          const tapped = await connect(grpc, session);
          const result = await h2cCall(tapped, grpc, plan.path, envelope(plan.message, plan.claimedLength), plan.headers ?? {}, { endStream: plan.endStream, cancelOnData: plan.cancelOnData });
          await settled(session.ring, tapped.conversation.id);
          const status = result.trailers["grpc-status"] ?? result.headers["grpc-status"];
          const message = result.trailers["grpc-message"] ?? result.headers["grpc-message"];
          // A reset stream has no status of its own: the client calls its own cancel CANCELLED (1).
          const grpcStatus = status !== undefined ? Number(status) : result.rstCode === http2.constants.NGHTTP2_CANCEL ? Code.Canceled : Code.Unknown;
          return {
            path: plan.path,
            requestNote: plan.note,
            grpcStatus,
            grpcMessage: message === undefined ? "" : decodeURIComponent(String(message)),
            headers: fields(result.headers),
            trailers: fields(result.trailers),
            rstCode: result.rstCode,
            conversationId: tapped.conversation.id,
            runId: RUN_ID,
          };
        } finally {
          if (plan.auth) deps.auth.set(dataset, authBefore);
        }
      });
    },
  };
}
