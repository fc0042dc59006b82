// The RPC handler behind 50051's two servers: Connect's router (@connectrpc/connect) serving the gRPC
// protocol (h2c), gRPC-web and the Connect protocol (HTTP/1.1 and h2c), with the lab's bounds on what it reads.
//
// Connect alone answers a request message that does not parse with INTERNAL (it is the client's fault:
// gRPC's status doc says INVALID_ARGUMENT), so binary envelopes are split and decoded once here before
// Connect reads them: a length prefix over readMaxBytes is RESOURCE_EXHAUSTED before its body is read, an
// envelope that is not the method's message is INVALID_ARGUMENT. Connect unary bodies get the control API's
// own check (server/lab/api-handler.ts checkedUnaryBody). An unknown method is UNIMPLEMENTED in the
// caller's protocol (grpc-status 12 in a trailers-only answer for gRPC; 404 otherwise, which gRPC-web and
// Connect clients read as UNIMPLEMENTED).
//
// A plain unary gRPC call (application/grpc to a unary method) skips Connect's handler: handler.unary
// serves it from its HTTP/2 stream (./unary-fast-path.ts) with the same interceptors, the same
// implementation (recorded as the routes declare it) and the same message check (parseRequestMessage).

import type http from "node:http";
import type http2 from "node:http2";
import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { Code, ConnectError, createConnectRouter, type ConnectRouter, type ContextValues, type Interceptor } from "@connectrpc/connect";
import { universalRequestFromNodeRequest } from "@connectrpc/connect-node";
import type { UniversalServerRequest } from "@connectrpc/connect/protocol";
import { checkedUnaryBody, clientGone, COMPRESSIONS, streamInputErrorsAreTheClients, unaryContentType, writeNodeResponse } from "../../lab/api-handler";
import { createUnaryFastPath, recordingUnaryRoutes, type UnaryFastPath, type UnaryRoute } from "./unary-fast-path";

export type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;

export interface GrpcHandlerOptions {
  readonly routes: (router: ConnectRouter) => void;
  /** The largest request message, on the wire and once inflated (RESOURCE_EXHAUSTED above it). */
  readonly readMaxBytes: number;
  /** The longest deadline a client may ask for; longer ones are cut to it (Connect's maxTimeoutMs). */
  readonly maxTimeoutMs: number;
  readonly interceptors: readonly Interceptor[];
  /** Aborted when the service stops: calls in flight end with their own status (graceful shutdown). */
  readonly shutdownSignal: AbortSignal;
  /** The call's context values, from its request (Connect's path) or its HTTP/2 stream (the unary fast path). */
  readonly contextValues: (req: NodeRequest | http2.ServerHttp2Stream) => ContextValues;
  /** One line per failure that is the server's, not the client's. */
  readonly log: (line: string) => void;
  /** false: no unary fast path (every call through Connect). */
  readonly unaryFastPath?: boolean;
}

/**
 * Serves one request; false when it names no RPC (the caller may serve something else at that path).
 * `unary` serves a plain gRPC unary call from its HTTP/2 stream before any request object is made
 * (./unary-fast-path.ts); false leaves the stream to the request handler.
 */
export type GrpcHandler = ((req: NodeRequest, res: NodeResponse) => boolean) & { readonly unary: UnaryFastPath };

/** gRPC's wire content types, whose messages are 5-byte envelopes (gRPC, gRPC-web, Connect streaming). */
const ENVELOPED = /^application\/(grpc(-web)?(\+proto)?|connect\+proto)$/;
const GRPC = /^application\/grpc(\+|$)/;

export function createGrpcHandler(options: GrpcHandlerOptions): GrpcHandler {
  const interceptors = [streamInputErrorsAreTheClients, ...options.interceptors];
  const router = createConnectRouter({
    readMaxBytes: options.readMaxBytes,
    maxTimeoutMs: options.maxTimeoutMs,
    acceptCompression: COMPRESSIONS,
    shutdownSignal: options.shutdownSignal,
    interceptors,
  });
  const unaryRoutes = new Map<string, UnaryRoute>();
  options.routes(recordingUnaryRoutes(router, unaryRoutes));
  const handlers = new Map(router.handlers.map((h) => [h.requestPath, h]));
  const unary = createUnaryFastPath({
    routes: unaryRoutes,
    interceptors,
    readMaxBytes: options.readMaxBytes,
    maxTimeoutMs: options.maxTimeoutMs,
    compressions: COMPRESSIONS,
    shutdownSignal: options.shutdownSignal,
    contextValues: options.contextValues,
    parse: parseRequestMessage,
  });

  const handle = (req: NodeRequest, res: NodeResponse) => {
    const path = (req.url ?? "").split("?", 1)[0] ?? "";
    const handler = handlers.get(path);
    const type = contentType(req);
    if (!handler) {
      if (!path.includes(".") || req.method !== "POST") return false;
      unimplemented(req, res, type, path);
      return true;
    }
    const call = `${handler.method.parent.typeName}/${handler.method.name}`;
    const run = async () => {
      let request = universalRequestFromNodeRequest(req, res, undefined, options.contextValues(req));
      const unary = unaryContentType(req as http.IncomingMessage);
      if (handler.method.methodKind === "unary" && req.method === "POST" && unary !== undefined) {
        request = await checkedUnaryBody(request, handler.method.input, unary === "proto", options.readMaxBytes);
      } else if (ENVELOPED.test(type)) {
        request = { ...request, body: checkedEnvelopes(request, handler.method.input, options.readMaxBytes) };
      }
      const response = await handler(request);
      await writeNodeResponse(response, res);
    };
    run().catch((reason: unknown) => {
      const code = ConnectError.from(reason).code;
      if (code === Code.Aborted || code === Code.Canceled || clientGone(reason) !== undefined) return;
      options.log(`${call} failed: ${reason instanceof Error ? reason.message : String(reason)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end();
    });
    return true;
  };
  return Object.assign(handle, { unary: options.unaryFastPath === false ? () => false : unary });
}

/** The request message decoded; INVALID_ARGUMENT when the bytes are not an `input` (both paths' check). */
export function parseRequestMessage(input: DescMessage, bytes: Uint8Array): unknown {
  try {
    return fromBinary(input, bytes);
  } catch (err) {
    throw new ConnectError(`the request message is not a ${input.typeName}: ${err instanceof Error ? err.message : String(err)}`, Code.InvalidArgument);
  }
}

function contentType(req: NodeRequest): string {
  return String(req.headers["content-type"] ?? "").split(";", 1)[0]!.trim().toLowerCase();
}

function unimplemented(req: NodeRequest, res: NodeResponse, type: string, path: string): void {
  const message = `this server has no method ${path}`;
  // Drain what the client sends, so the call ends with the status rather than a reset.
  req.resume();
  if (req.httpVersionMajor === 2 && GRPC.test(type)) {
    // A trailers-only answer (gRPC over HTTP/2, "Responses"): the status rides in the only HEADERS frame.
    res.writeHead(200, { "content-type": "application/grpc", "grpc-status": String(12), "grpc-message": encodeURIComponent(message) });
    res.end();
    return;
  }
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
  res.end(`${message}\n`);
}

/**
 * The request body with each binary envelope checked before Connect sees it: the length prefix against
 * the limit (before reading the message), then the message against the method's input type (inflated
 * first when its compressed flag is set). Chunks pass through unchanged once the envelopes they complete
 * have been checked.
 */
async function* checkedEnvelopes(request: UniversalServerRequest, input: DescMessage, readMaxBytes: number): AsyncIterable<Uint8Array> {
  // request.header is a Headers already (connect-node's universal request): read, not copied.
  const header = request.header;
  const encodingName = (header.get("grpc-encoding") ?? header.get("connect-content-encoding") ?? "identity").trim().toLowerCase();
  const compression = COMPRESSIONS.find((c) => c.name === encodingName);
  let pending: Uint8Array = new Uint8Array(0);
  for await (const chunk of request.body as AsyncIterable<Uint8Array>) {
    pending = pending.byteLength === 0 ? chunk : concat(pending, chunk);
    while (pending.byteLength >= 5) {
      const view = new DataView(pending.buffer, pending.byteOffset, pending.byteLength);
      const flags = view.getUint8(0);
      const length = view.getUint32(1);
      if (length > readMaxBytes) {
        throw new ConnectError(`message of ${length} bytes is over the limit of ${readMaxBytes}`, Code.ResourceExhausted);
      }
      if (pending.byteLength < 5 + length) break;
      let message: Uint8Array | undefined = pending.subarray(5, 5 + length);
      pending = pending.subarray(5 + length);
      // A compressed message in an encoding this server does not know is Connect's to refuse (UNIMPLEMENTED).
      if (flags & 0x01) message = compression ? await compression.decompress(message, readMaxBytes) : undefined;
      if (message === undefined) continue;
      parseRequestMessage(input, message);
    }
    yield chunk;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a, 0);
  joined.set(b, a.byteLength);
  return joined;
}
