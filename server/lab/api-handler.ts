// The control API's request handler: the Connect protocol (only Connect: the pages speak nothing else)
// on node:http, with every request body bounded before it is read and while it is inflated.
//
// connectNodeAdapter would do, but it answers a request whose protobuf does not parse with 500
// (INTERNAL) and logs a 13-line stack each time a browser goes away mid-stream. This handler reads a
// unary body itself, within the limit: a declared Content-Length over it is refused before a byte is
// read, a compressed body inflates only up to it, and a binary body that is not the method's message
// is the client's error (INVALID_ARGUMENT). Streams keep Connect's own bounds (readMaxBytes applies to
// each message, before and after decompression).

import type http from "node:http";
import type http2 from "node:http2";
import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { Code, ConnectError, createConnectRouter, type ConnectRouter, type ContextValues, type Interceptor } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";
import { createAsyncIterable, readAllBytes, type UniversalServerRequest, type UniversalServerResponse } from "@connectrpc/connect/protocol";
import { dropRestOfBody } from "./web-guard";

export interface ApiHandlerOptions {
  readonly routes: (router: ConnectRouter) => void;
  readonly contextValues: (req: http.IncomingMessage) => ContextValues;
  /** The largest request message, on the wire and once inflated. */
  readonly readMaxBytes: number;
  /** Where a failed call is reported, one line each (stderr by default). */
  readonly log?: (line: string) => void;
}

export const COMPRESSIONS = [compressionGzip, compressionBrotli];

/** Node error codes that mean the client went away while the response was being written. */
const CLIENT_GONE = new Set(["EPIPE", "ECONNRESET", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END", "ERR_STREAM_PREMATURE_CLOSE"]);

export type ApiHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const router = createConnectRouter({
    grpc: false,
    grpcWeb: false,
    readMaxBytes: options.readMaxBytes,
    acceptCompression: COMPRESSIONS,
    interceptors: [streamInputErrorsAreTheClients],
  });
  options.routes(router);
  const handlers = new Map(router.handlers.map((h) => [h.requestPath, h]));

  return (req, res) => {
    const handler = handlers.get((req.url ?? "").split("?", 1)[0] ?? "");
    if (!handler) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end("No such method.\n");
      return;
    }
    // A body refused before its end (over the limit, announced or counted) is not read on for long.
    dropRestOfBody(req, res);
    const call = handler.method.name;
    const run = async () => {
      let request = universalRequestFromNodeRequest(req, res, undefined, options.contextValues(req));
      const type = unaryContentType(req);
      if (handler.method.methodKind === "unary" && req.method === "POST" && type !== undefined) {
        request = await checkedUnaryBody(request, handler.method.input, type === "proto", options.readMaxBytes);
      }
      const response = await handler(request);
      await writeNodeResponse(response, res);
    };
    run().catch((reason: unknown) => {
      // A browser that closes a stream (a page left, a reload) is routine: nothing to say.
      const code = ConnectError.from(reason).code;
      if (code === Code.Aborted || code === Code.Canceled) return;
      // A write that found the connection gone (EPIPE) says so in one line, not with a stack.
      const gone = clientGone(reason);
      if (gone !== undefined) {
        log(`protocol-lab: ${call} ended early: the client went away (${gone}).`);
        return;
      }
      log(`protocol-lab: ${call} failed: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8", connection: "close" });
      }
      res.end();
    });
  };
}

/**
 * universalResponseToNodeResponse, except that a stream whose client goes away while a write waits is let go. Connect's
 * write waits for 'drain' (or 'error') once the socket's buffer is full, and a response whose connection closes then
 * emits neither, only 'close', once: the handler's generator stayed suspended at its yield for good, and its session's
 * count of Watch streams with it, so a page closed under a flood of events took one of the session's places for the
 * life of the host. On 'close' the waiting write is released; the generator then sees its signal aborted and ends,
 * and the write after it finds the response destroyed and fails (a client gone, said in one line).
 */
export async function writeNodeResponse(response: UniversalServerResponse, res: http.ServerResponse | http2.Http2ServerResponse): Promise<void> {
  const release = () => {
    if (!res.writableFinished) res.emit("drain");
  };
  res.once("close", release);
  try {
    await universalResponseToNodeResponse(response, res);
  } finally {
    res.off("close", release);
  }
}

/** "proto" or "json" for a Connect unary request (application/proto, application/json); else undefined. */
export function unaryContentType(req: http.IncomingMessage): "proto" | "json" | undefined {
  const type = (req.headers["content-type"] ?? "").split(";", 1)[0]!.trim().toLowerCase();
  if (type === "application/proto") return "proto";
  if (type === "application/json") return "json";
  return undefined;
}

/**
 * Reads a unary body within the limit, inflates it within the limit, and checks that a binary body is
 * the method's message. Connect then gets the plain bytes; or, when any of this failed, a body that
 * fails with the reason, which it answers in its own error format.
 */
export async function checkedUnaryBody(
  request: UniversalServerRequest,
  input: DescMessage,
  binary: boolean,
  readMaxBytes: number,
): Promise<UniversalServerRequest> {
  const header = new Headers(request.header);
  const encoding = (header.get("content-encoding") ?? "identity").trim().toLowerCase();
  const compression = COMPRESSIONS.find((c) => c.name === encoding);
  // An encoding Connect does not accept is left to Connect to refuse (UNIMPLEMENTED).
  if (encoding !== "identity" && !compression) return request;
  try {
    const declared = header.get("content-length");
    if (declared !== null && !(Number(declared) <= readMaxBytes)) {
      throw new ConnectError(`request body of ${declared} bytes is over the limit of ${readMaxBytes}`, Code.ResourceExhausted);
    }
    let bytes = await readAllBytes(request.body as AsyncIterable<Uint8Array>, readMaxBytes, declared);
    if (compression) {
      // Inflates at most readMaxBytes: zlib stops there (maxOutputLength) with RESOURCE_EXHAUSTED.
      bytes = await compression.decompress(bytes, readMaxBytes);
      header.delete("content-encoding");
    }
    if (binary) {
      try {
        fromBinary(input, bytes);
      } catch (err) {
        throw new ConnectError(`the request body is not a ${input.typeName}: ${err instanceof Error ? err.message : String(err)}`, Code.InvalidArgument);
      }
    }
    header.set("content-length", String(bytes.byteLength));
    return { ...request, header, body: createAsyncIterable([bytes]) };
  } catch (err) {
    header.delete("content-length");
    header.delete("content-encoding");
    const error = ConnectError.from(err);
    return { ...request, header, body: failing(error) };
  }
}

// eslint-disable-next-line require-yield
async function* failing(error: ConnectError): AsyncIterable<Uint8Array> {
  throw error;
}

/**
 * A request message of a stream that does not decode is the client's error: Connect reports it as
 * INTERNAL; anything raised while reading the request stream is said as INVALID_ARGUMENT instead.
 */
export const streamInputErrorsAreTheClients: Interceptor = (next) => (req) => {
  if (!req.stream) return next(req);
  const messages = req.message;
  async function* checked() {
    try {
      yield* messages;
    } catch (err) {
      const error = ConnectError.from(err);
      if (error.code !== Code.Internal) throw error;
      throw new ConnectError(error.rawMessage, Code.InvalidArgument, undefined, undefined, err);
    }
  }
  return next({ ...req, message: checked() });
};

/** The Node error code when the failure is the client having gone away. */
export function clientGone(reason: unknown): string | undefined {
  for (let cause: unknown = reason, depth = 0; cause instanceof Error && depth < 8; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && CLIENT_GONE.has(code)) return code;
  }
  return undefined;
}
