// A unary gRPC call over h2c served straight from node:http2's stream, beside Connect's handler (issue 14
// §7: Connect's universal handler, its async iterables and its AbortController per call cost a unary
// GetUser some 340 µs of CPU). It takes only what it answers exactly as Connect does: a POST of
// application/grpc or application/grpc+proto to a known unary method, in no encoding or one Connect knows,
// with a well-formed grpc-timeout. Everything else (streams, gRPC-web, Connect, reflection's streams,
// odd headers) stays on Connect. Both paths run the same interceptors and call the same implementation.
//
// The request: one 5-byte envelope whose length prefix is checked before its body is read (over
// readMaxBytes: RESOURCE_EXHAUSTED), inflated within the bound when flagged compressed, decoded by
// parseRequestMessage (INVALID_ARGUMENT when it is not the method's message). The answer: HEADERS, one
// DATA (gzip when the client accepts it and the message is worth it, as Connect does), trailers with
// grpc-status; an error is a trailers-only answer with Connect's grpc-status, grpc-message and metadata.
// grpc-timeout is counted from the headers: past it, DEADLINE_EXCEEDED and the call's signal aborts.

import http2 from "node:http2";
import { create, toBinary, type DescMessage, type DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type ContextValues, type HandlerContext, type Interceptor, type UnaryRequest, type UnaryResponse } from "@connectrpc/connect";
import { compressionNegotiate, type Compression } from "@connectrpc/connect/protocol";
import { contentTypeProto, grpcStatusOk, parseTimeout, setTrailerStatus } from "@connectrpc/connect/protocol-grpc";

/** One unary method's implementation, as the service declared it to the router. */
export interface UnaryRoute {
  readonly method: DescMethod;
  readonly impl: (request: unknown, context: HandlerContext) => unknown;
}

/**
 * A router that declares every service to `router` as given and keeps each unary method's implementation
 * for the fast path: the one function both paths call.
 */
export function recordingUnaryRoutes(router: ConnectRouter, routes: Map<string, UnaryRoute>): ConnectRouter {
  const recording: ConnectRouter = {
    get handlers() {
      return router.handlers;
    },
    service(service, implementation, options) {
      for (const method of service.methods) {
        const fn = (implementation as Record<string, unknown>)[method.localName];
        if (method.methodKind === "unary" && typeof fn === "function") {
          routes.set(`/${service.typeName}/${method.name}`, { method, impl: (fn as UnaryRoute["impl"]).bind(implementation) });
        }
      }
      router.service(service, implementation, options);
      return recording;
    },
    rpc(method, impl, options) {
      if (method.methodKind === "unary") routes.set(`/${method.parent.typeName}/${method.name}`, { method, impl: impl as UnaryRoute["impl"] });
      router.rpc(method, impl, options);
      return recording;
    },
  };
  return recording;
}

export interface UnaryFastPathOptions {
  readonly routes: ReadonlyMap<string, UnaryRoute>;
  /** The same chain Connect's router runs, outermost first. */
  readonly interceptors: readonly Interceptor[];
  readonly readMaxBytes: number;
  readonly maxTimeoutMs: number;
  readonly compressions: readonly Compression[];
  /** Connect's default: smaller answers are not compressed even when the client accepts it. */
  readonly compressMinBytes?: number;
  readonly shutdownSignal: AbortSignal;
  readonly contextValues: (stream: http2.ServerHttp2Stream) => ContextValues;
  /** Decodes the request message, INVALID_ARGUMENT when it is not `input` (the check Connect's path runs too). */
  readonly parse: (input: DescMessage, bytes: Uint8Array) => unknown;
}

/** Serves the stream and returns true when it is a call the fast path takes; false leaves it to Connect. */
export type UnaryFastPath = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;

const GRPC_TYPES = new Set(["application/grpc", "application/grpc+proto"]);
const COMPRESSED = 0x01;
const { NGHTTP2_NO_ERROR } = http2.constants;

export function createUnaryFastPath(options: UnaryFastPathOptions): UnaryFastPath {
  const { compressions } = options;
  const compressMinBytes = options.compressMinBytes ?? 1024;
  const names = new Set(["identity", ...compressions.map((c) => c.name)]);
  // Each route with its chain, built once (Connect builds the same per call: applyInterceptors).
  const calls = new Map(
    [...options.routes].map(([path, route]) => {
      const last = async (req: UnaryRequest): Promise<UnaryResponse> => {
        const ctx = req as unknown as CallRequest;
        const message = create(route.method.output, (await route.impl(req.message, ctx.context)) as never);
        return { stream: false, service: route.method.parent, method: route.method, header: ctx.context.responseHeader, trailer: ctx.context.responseTrailer, message } as UnaryResponse;
      };
      const chain = options.interceptors.reduceRight((next, interceptor) => interceptor(next as never) as never, last as (req: UnaryRequest) => Promise<UnaryResponse>);
      return [path, { route, chain }] as const;
    }),
  );

  // Calls in flight, for the shutdown to abort (one listener on the signal, not one per call).
  const live = new Set<UnaryCall>();
  options.shutdownSignal.addEventListener("abort", () => {
    for (const call of live) call.abort(new ConnectError("the server is shutting down", Code.Unavailable));
  }, { once: true });

  return (stream, headers) => {
    if (headers[":method"] !== "POST") return false;
    const path = headers[":path"] ?? "";
    const known = calls.get(path);
    if (!known || !GRPC_TYPES.has(String(headers["content-type"]))) return false;
    const encoding = headers["grpc-encoding"];
    if (encoding !== undefined && (typeof encoding !== "string" || !names.has(encoding))) return false;
    const timeoutHeader = headers["grpc-timeout"];
    const timeout = parseTimeout(typeof timeoutHeader === "string" ? timeoutHeader : null, options.maxTimeoutMs);
    if (timeout.error) return false;
    const call = new UnaryCall(stream, headers, known.route, known.chain, timeout.timeoutMs, options, compressMinBytes);
    live.add(call);
    stream.once("close", () => live.delete(call));
    call.start();
    return true;
  };
}

/** The request the interceptors see, with the handler context the implementation gets. */
interface CallRequest extends UnaryRequest {
  readonly context: HandlerContext;
}

class UnaryCall {
  private chunks: Buffer[] = [];
  private received = 0;
  private answered = false;
  private timer: NodeJS.Timeout | undefined;
  private controller: AbortController | undefined;
  private abortReason: ConnectError | undefined;
  private readonly deadline: number | undefined;
  private readonly header: Headers;
  private readonly responseHeader: Headers;
  private readonly responseTrailer: Headers;
  private readonly responseCompression: Compression | undefined;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    private readonly headers: http2.IncomingHttpHeaders,
    private readonly route: UnaryRoute,
    private readonly chain: (req: UnaryRequest) => Promise<UnaryResponse>,
    timeoutMs: number | undefined,
    private readonly options: UnaryFastPathOptions,
    private readonly compressMinBytes: number,
  ) {
    this.deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    this.header = new Headers();
    for (const name in headers) {
      if (name.charCodeAt(0) === 58 /* ":" */) continue;
      const value = headers[name];
      if (typeof value === "string") this.header.append(name, value);
      else if (Array.isArray(value)) for (const v of value) this.header.append(name, v);
    }
    // Filled by set, not from an init object (undici's init conversion costs a few µs a call).
    this.responseHeader = new Headers();
    this.responseHeader.set("content-type", contentTypeProto);
    this.responseTrailer = new Headers();
    this.responseTrailer.set("grpc-status", grpcStatusOk);
    // The answer's encoding, named in its headers (an error's too) as Connect's handler does.
    if (headers["grpc-accept-encoding"] !== undefined || headers["grpc-encoding"] !== undefined) {
      const negotiated = compressionNegotiate([...options.compressions], this.stringHeader("grpc-encoding"), this.stringHeader("grpc-accept-encoding"), "grpc-accept-encoding");
      this.responseCompression = negotiated.response ?? undefined;
      if (negotiated.response) this.responseHeader.set("grpc-encoding", negotiated.response.name);
    }
    if (timeoutMs !== undefined) {
      this.timer = setTimeout(() => this.fail(new ConnectError("the operation timed out", Code.DeadlineExceeded)), timeoutMs);
    }
  }

  start(): void {
    const { stream } = this;
    stream.on("data", (chunk: Buffer) => this.onData(chunk));
    stream.once("end", () => void this.onEnd());
    stream.once("close", () => {
      clearTimeout(this.timer);
      if (!this.answered) {
        this.answered = true;
        this.abort(new ConnectError("the client cancelled the call", Code.Canceled));
      }
    });
    if (this.options.shutdownSignal.aborted) this.abort(new ConnectError("the server is shutting down", Code.Unavailable));
  }

  private onData(chunk: Buffer): void {
    if (this.answered) return;
    this.received += chunk.byteLength;
    this.chunks.push(chunk);
    // The length prefix is checked as soon as it has come, before the message is read.
    if (this.chunks.length > 1 && this.chunks[0]!.byteLength < 5) this.chunks = [Buffer.concat(this.chunks)];
    const first = this.chunks[0]!;
    if (first.byteLength < 5) return;
    const length = first.readUInt32BE(1);
    const limit = this.options.readMaxBytes;
    if (length > limit) return this.fail(new ConnectError(`message of ${length} bytes is over the limit of ${limit}`, Code.ResourceExhausted));
    // A second envelope in a unary call is refused once its prefix is here, not read to its end.
    if (this.received >= 5 + length + 5) this.fail(new ConnectError("protocol error: received extra input message for unary method", Code.Unimplemented));
  }

  private async onEnd(): Promise<void> {
    if (this.answered) return;
    try {
      const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.received);
      this.chunks = [];
      const message = await this.readMessage(body);
      if (this.answered) return;
      const response = await this.chain(this.request(message));
      if (this.answered) return;
      this.answer(response);
    } catch (err) {
      this.fail(err);
    }
  }

  /** The one envelope's message, in the words Connect's path uses for each way it can be wrong. */
  private async readMessage(body: Buffer): Promise<unknown> {
    if (body.byteLength === 0) throw new ConnectError("protocol error: missing input message for unary method", Code.Unimplemented);
    const length = body.byteLength < 5 ? Infinity : body.readUInt32BE(1);
    if (body.byteLength < 5 + length) throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
    if (body.byteLength > 5 + length) throw new ConnectError("protocol error: received extra input message for unary method", Code.Unimplemented);
    let bytes: Uint8Array = body.subarray(5);
    if (body[0]! & COMPRESSED) {
      const compression = this.requestCompression();
      if (!compression) throw new ConnectError("received compressed envelope, but do not know how to decompress", Code.Internal);
      bytes = await compression.decompress(bytes, this.options.readMaxBytes);
    }
    return this.options.parse(this.route.method.input, bytes);
  }

  private requestCompression(): Compression | undefined {
    const name = this.headers["grpc-encoding"];
    return this.options.compressions.find((c) => c.name === name);
  }

  private request(message: unknown): CallRequest {
    const { method } = this.route;
    const url = `http://${String(this.headers[":authority"] ?? "localhost")}${String(this.headers[":path"])}`;
    const values = this.options.contextValues(this.stream);
    const signal = () => this.signal();
    const context: HandlerContext = {
      method,
      service: method.parent,
      requestMethod: "POST",
      protocolName: "grpc",
      url,
      requestHeader: this.header,
      responseHeader: this.responseHeader,
      responseTrailer: this.responseTrailer,
      values,
      timeoutMs: () => (this.deadline === undefined ? undefined : this.deadline - Date.now()),
      get signal() {
        return signal();
      },
    };
    return {
      stream: false,
      service: method.parent,
      method,
      requestMethod: "POST",
      url,
      header: this.header,
      contextValues: values,
      message,
      context,
      get signal() {
        return signal();
      },
    } as CallRequest;
  }

  /** Made only when someone asks (an implementation that waits, a failed call's log line). */
  private signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  abort(reason: ConnectError): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  private answer(response: UnaryResponse): void {
    const { stream } = this;
    const bytes = toBinary(this.route.method.output, response.message);
    const headers: http2.OutgoingHttpHeaders = { ":status": 200 };
    // The implementation's and the interceptors' headers, as Connect copies them (response.header is the context's).
    addHeaders(headers, this.responseHeader);
    if (response.header !== this.responseHeader) addHeaders(headers, response.header);
    const trailers: http2.OutgoingHttpHeaders = {};
    addHeaders(trailers, this.responseTrailer);
    if (response.trailer !== this.responseTrailer) addHeaders(trailers, response.trailer);
    const send = (payload: Uint8Array, compressed: boolean) => {
      if (this.answered || stream.destroyed) return;
      this.finish();
      const envelope = Buffer.allocUnsafe(5 + payload.byteLength);
      envelope[0] = compressed ? COMPRESSED : 0;
      envelope.writeUInt32BE(payload.byteLength, 1);
      envelope.set(payload, 5);
      stream.respond(headers, { waitForTrailers: true });
      stream.once("wantTrailers", () => stream.sendTrailers(trailers));
      stream.end(envelope);
    };
    const compression = this.responseCompression;
    if (compression && bytes.byteLength >= this.compressMinBytes) {
      compression.compress(bytes).then(
        (zipped) => send(zipped, true),
        (err: unknown) => this.fail(err),
      );
    } else {
      send(bytes, false);
    }
  }

  /** A trailers-only answer with the error's status (Connect's setTrailerStatus), unless one has gone. */
  private fail(reason: unknown): void {
    const error = reason instanceof ConnectError ? reason : new ConnectError("internal error", Code.Internal, undefined, undefined, reason);
    this.abort(error);
    const { stream } = this;
    if (this.answered || stream.destroyed || stream.headersSent) return;
    this.finish();
    const headers: http2.OutgoingHttpHeaders = { ":status": 200 };
    addHeaders(headers, this.responseHeader);
    addHeaders(headers, setTrailerStatus(this.responseTrailer, error));
    stream.respond(headers, { endStream: true });
    // The rest of a request refused early is not read: the client is told it may stop (RFC 9113 §8.1).
    if (!stream.readableEnded) stream.close(NGHTTP2_NO_ERROR);
  }

  private finish(): void {
    this.answered = true;
    clearTimeout(this.timer);
  }

  private stringHeader(name: string): string | null {
    const value = this.headers[name];
    return typeof value === "string" ? value : null;
  }
}

function addHeaders(target: http2.OutgoingHttpHeaders, source: Headers): void {
  for (const [name, value] of source) target[name] = value;
}
