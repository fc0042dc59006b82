// LabService.OpenGrpcCall and SendGrpcCall (issue 14 §4): the gRPC call console's calls on the lab's tapped h2c
// client (server/clients/grpc.ts), for the caller's session. A session has one HTTP/2 connection to the gRPC service,
// opened with its first call and reused while it lasts, so its calls are streams 1, 3, 5... of one conversation and
// later calls' headers come from the HPACK dynamic table. Requests arrive as protobuf JSON and are encoded with the
// served descriptors (server/dissect/lab-services.ts); answers go back as JSON and bytes. A call lives as long as its
// OpenGrpcCall stream. Bounds: GRPC_CONSOLE_LIMITS (calls open at once per session, a message's size, messages per
// call, how long a call may sit with nothing sent or received).

import { fromJsonString, toBinary, fromBinary, toJsonString, type DescMethod, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { GrpcCallUpdateSchema } from "@/gen/lab/v1/grpc_console_pb";
import type { LabService } from "@/gen/lab/v1/lab_pb";
import { RUN_ID, type Bus } from "../capture/bus";
import { metadataProblem, openLabGrpcChannel, type GrpcClientLimits, type LabGrpcCall, type LabGrpcChannel, type MetadataEntry } from "../clients/grpc";
import { ConnectFailed, type ServiceTarget } from "../clients/tcp";
import { servedGrpcMethods, servedGrpcRegistry } from "../dissect/lab-services";
import type { Session } from "./sessions";
import { createUpdateQueue } from "./update-queue";

export interface GrpcConsoleLimits {
  /** Calls one session may have open at once. */
  readonly callsPerSession: number;
  /** A request message's JSON, in characters. */
  readonly messageJsonChars: number;
  /** Request messages one call may send. */
  readonly messagesPerCall: number;
  /** Metadata entries one call may carry. */
  readonly metadataEntries: number;
  /** A call with nothing sent or received for this long is cancelled (endedBy "idle"). */
  readonly idleMs: number;
  /** The longest deadline the console sends. */
  readonly maxTimeoutMs: number;
  readonly client?: Partial<GrpcClientLimits>;
}

export const GRPC_CONSOLE_LIMITS: GrpcConsoleLimits = {
  callsPerSession: 4,
  messageJsonChars: 64 * 1024,
  messagesPerCall: 1000,
  metadataEntries: 32,
  idleMs: 120_000,
  maxTimeoutMs: 300_000,
};

type Update = MessageInitShape<typeof GrpcCallUpdateSchema>;

export interface GrpcConsoleDeps {
  readonly bus: Bus;
  /** The lab's grpc service; undefined when it does not run. */
  readonly target: () => ServiceTarget | undefined;
  readonly session: (ctx: HandlerContext) => Session;
  readonly connectFailed: (err: ConnectFailed) => ConnectError;
  readonly limits?: Partial<GrpcConsoleLimits>;
}

export interface GrpcConsole extends Pick<ServiceImpl<typeof LabService>, "openGrpcCall" | "sendGrpcCall"> {
  /** Calls the session has open or opening. */
  held(session: Session): number;
}

interface OpenCall {
  readonly call: LabGrpcCall;
  readonly method: DescMethod;
  sent: number;
  touch(): void;
}

interface SessionCalls {
  channel?: Promise<LabGrpcChannel>;
  readonly open: Map<string, OpenCall>;
  opening: number;
  next: number;
}

/** A request message's bytes from its JSON, or INVALID_ARGUMENT in the words of protobuf-es. */
function encode(method: DescMethod, json: string, limits: GrpcConsoleLimits): Uint8Array {
  if (json.length > limits.messageJsonChars) throw new ConnectError(`a message's JSON holds at most ${limits.messageJsonChars} characters`, Code.ResourceExhausted);
  try {
    return toBinary(method.input, fromJsonString(method.input, json, { registry: servedGrpcRegistry }));
  } catch (err) {
    throw new ConnectError(`not a ${method.input.typeName} in JSON: ${err instanceof Error ? err.message : String(err)}`, Code.InvalidArgument);
  }
}

function decode(method: DescMethod, data: Uint8Array): { json: string; error: string } {
  try {
    return { json: toJsonString(method.output, fromBinary(method.output, data), { registry: servedGrpcRegistry, prettySpaces: 2 }), error: "" };
  } catch (err) {
    return { json: "", error: err instanceof Error ? err.message : String(err) };
  }
}

export function createGrpcConsole(deps: GrpcConsoleDeps): GrpcConsole {
  const limits: GrpcConsoleLimits = { ...GRPC_CONSOLE_LIMITS, ...deps.limits };
  const calls = new WeakMap<Session, SessionCalls>();

  function callsOf(session: Session): SessionCalls {
    let mine = calls.get(session);
    if (!mine) {
      const created: SessionCalls = { open: new Map(), opening: 0, next: 1 };
      calls.set(session, created);
      session.disposers.add(() => {
        for (const open of created.open.values()) open.call.cancel();
        created.open.clear();
        void created.channel?.then((c) => c.close(), () => undefined);
      });
      mine = created;
    }
    return mine;
  }

  /** The session's connection: the open one, or a new one when there is none or it has closed. */
  async function channelOf(session: Session, mine: SessionCalls, target: ServiceTarget): Promise<LabGrpcChannel> {
    const known = mine.channel ? await mine.channel.catch(() => undefined) : undefined;
    if (known && !known.closed) return known;
    const opening = openLabGrpcChannel(deps.bus, target, session.id, limits.client);
    mine.channel = opening;
    return opening;
  }

  return {
    held(session) {
      const mine = calls.get(session);
      return mine ? mine.open.size + mine.opening : 0;
    },

    async *openGrpcCall(req, ctx) {
      const session = deps.session(ctx);
      const mine = callsOf(session);
      if (mine.open.size + mine.opening >= limits.callsPerSession) {
        throw new ConnectError(`at most ${limits.callsPerSession} console calls open per session: end one first`, Code.ResourceExhausted);
      }
      const method = servedGrpcMethods.get(req.method);
      if (!method) throw new ConnectError(`${req.method} is not a method the lab's gRPC port serves`, Code.NotFound);
      if (req.metadata.length > limits.metadataEntries) throw new ConnectError(`at most ${limits.metadataEntries} metadata entries`, Code.ResourceExhausted);
      const metadata: MetadataEntry[] = req.metadata.map((f) => [f.key, f.value]);
      for (const entry of metadata) {
        const problem = metadataProblem(entry);
        if (problem) throw new ConnectError(`metadata ${problem}`, Code.InvalidArgument);
      }
      if (req.timeoutMs > limits.maxTimeoutMs) throw new ConnectError(`a deadline is at most ${limits.maxTimeoutMs} ms`, Code.InvalidArgument);
      if (req.messagesJson.length > limits.messagesPerCall) throw new ConnectError(`at most ${limits.messagesPerCall} messages per call`, Code.ResourceExhausted);
      if (!method.methodKind.startsWith("client") && method.methodKind !== "bidi_streaming" && req.messagesJson.length > 1) {
        throw new ConnectError(`${method.name} takes one request message`, Code.InvalidArgument);
      }
      const first = req.messagesJson.map((json) => encode(method, json, limits));
      const target = deps.target();
      if (!target) throw new ConnectError("the lab runs no grpc service", Code.FailedPrecondition);

      const queue = createUpdateQueue<Update>();
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      let idleTimer: NodeJS.Timeout | undefined;
      let idled = false;
      const held: { call?: LabGrpcCall } = {};
      const touch = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          idled = true;
          held.call?.cancel();
        }, limits.idleMs);
      };
      const id = `c${mine.next++}`;
      mine.opening++;
      let call: LabGrpcCall;
      let channel: LabGrpcChannel;
      try {
        channel = await channelOf(session, mine, target);
        call = await channel.call(
          { path: req.method, metadata, timeoutMs: req.timeoutMs, gzip: req.gzip },
          {
            headers: (fields) => {
              touch();
              queue.push({ update: { case: "headers", value: { fields: fields.map(([key, value]) => ({ key, value })), elapsedMs: elapsed() } } });
            },
            message: (data, compressed, wireBytes) => {
              touch();
              queue.push({ update: { case: "message", value: { ...decode(method, data), data, compressed, wireBytes, elapsedMs: elapsed() } } });
            },
            end: (result) => {
              clearTimeout(idleTimer);
              mine.open.delete(id);
              const endedBy = idled ? "idle" : result.endedBy;
              queue.push({
                update: {
                  case: "ended",
                  value: {
                    code: result.code,
                    message: idled ? `No message either way for ${limits.idleMs} ms: the console cancelled the call.` : result.message,
                    trailers: result.trailers.map(([key, value]) => ({ key, value })),
                    rstCode: result.rstCode,
                    elapsedMs: elapsed(),
                    endedBy,
                  },
                },
              });
            },
          },
        );
      } catch (err) {
        if (err instanceof ConnectFailed) throw deps.connectFailed(err);
        throw ConnectError.from(err);
      } finally {
        mine.opening--;
      }
      held.call = call;
      touch();
      if (!call.ended) mine.open.set(id, { call, method, sent: first.length, touch });
      const sentBytes = call.ended ? [] : first.map((m) => call.send(m));
      if (req.halfClose && !call.ended) call.halfClose();
      try {
        yield {
          update: {
            case: "opened",
            value: {
              callId: id,
              conversationId: channel.conversation.id,
              streamId: call.streamId,
              runId: RUN_ID,
              requestStreaming: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
              responseStreaming: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
              sentBytes,
            },
          },
        };
        yield* queue.drain(ctx.signal, (u) => u.update?.case === "ended");
      } finally {
        // The page went away: the call goes with it.
        clearTimeout(idleTimer);
        if (!call.ended) call.cancel();
        mine.open.delete(id);
      }
    },

    sendGrpcCall(req, ctx) {
      const open = calls.get(deps.session(ctx))?.open.get(req.callId);
      if (!open) throw new ConnectError(`no open console call ${req.callId} in this session`, Code.NotFound);
      if (open.call.ended) throw new ConnectError("this call has ended", Code.FailedPrecondition);
      const what = req.what;
      switch (what.case) {
        case "messageJson": {
          if (open.sent >= limits.messagesPerCall) throw new ConnectError(`at most ${limits.messagesPerCall} messages per call`, Code.ResourceExhausted);
          const bytes = encode(open.method, what.value, limits);
          open.sent++;
          open.touch();
          return { bytes: open.call.send(bytes) };
        }
        case "halfClose":
          open.touch();
          open.call.halfClose();
          return { bytes: 0 };
        case "cancel":
          open.call.cancel();
          return { bytes: 0 };
        default:
          throw new ConnectError("nothing to send: a message, half_close or cancel", Code.InvalidArgument);
      }
    },
  };
}
