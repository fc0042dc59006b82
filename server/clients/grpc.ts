// The lab's own gRPC client over h2c (issue 14 §4), for a browser session's gRPC call console: node:http2 on a TCP
// socket the lab connects itself and claims for the session before the server reads it (as ./tcp.ts does), so the
// grpc service's tap records the preface, SETTINGS, every HEADERS (HPACK), DATA and trailers of the session's calls.
// One connection carries many calls, each on a stream of its own, as grpcio's channel does; the HPACK dynamic table
// is shared by the connection's calls. It reaches only the lab's grpc service: the method's path is all a caller
// chooses. Messages are bytes here; the console turns JSON into them with the lab's descriptors.

import http2 from "node:http2";
import net from "node:net";
import zlib from "node:zlib";
import type { Bus } from "../capture/bus";
import { translateSocketError } from "../capture/errors";
import { normalizeIp, type ConversationInfo } from "../capture/events";
import { ConnectFailed, type ServiceTarget } from "./tcp";

/** gRPC status codes the client itself reports (grpc/grpc doc/statuscodes.md). */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

export interface GrpcClientLimits {
  /** The largest response message the client takes (inflated); a larger one ends the call with RESOURCE_EXHAUSTED. */
  readonly maxResponseMessageBytes: number;
  /** How long the lab waits for the server's SETTINGS before it gives up on a new connection. */
  readonly connectTimeoutMs: number;
}

export const GRPC_CLIENT_LIMITS: GrpcClientLimits = {
  maxResponseMessageBytes: 4 * 1024 * 1024,
  connectTimeoutMs: 5_000,
};

export type MetadataEntry = readonly [key: string, value: string];

export interface GrpcCallOptions {
  /** "/package.Service/Method". */
  readonly path: string;
  readonly metadata: readonly MetadataEntry[];
  /** Sent as grpc-timeout; 0 for none. */
  readonly timeoutMs: number;
  readonly gzip: boolean;
}

export interface GrpcCallEnd {
  readonly code: number;
  readonly message: string;
  readonly trailers: MetadataEntry[];
  /** The HTTP/2 error code of a RST_STREAM, else 0. */
  readonly rstCode: number;
  /** Who ended the call when the server did not say: "cancelled", "connection", "" when its status came from the server. */
  readonly endedBy: "" | "cancelled" | "connection";
}

/** What a call hears, in order: the response headers, each message, then the end once. */
export interface GrpcCallListener {
  headers(fields: MetadataEntry[]): void;
  message(data: Uint8Array, compressed: boolean, wireBytes: number): void;
  end(result: GrpcCallEnd): void;
}

export interface LabGrpcCall {
  readonly streamId: number;
  /** Sends one message in its 5-byte envelope (gzipped when the call is); answers the bytes written. */
  send(message: Uint8Array): number;
  halfClose(): void;
  /** RST_STREAM(CANCEL). */
  cancel(): void;
  readonly ended: boolean;
}

export interface LabGrpcChannel {
  readonly conversation: ConversationInfo;
  /** Resolves once the stream's HEADERS went out (its id is known), or once it ended before that. */
  call(options: GrpcCallOptions, listener: GrpcCallListener): Promise<LabGrpcCall>;
  close(): void;
  readonly closed: boolean;
}

/** Metadata a caller may not set: pseudo-headers, the transport's own fields, and the reserved grpc- prefix. */
const RESERVED = new Set(["content-type", "te", "user-agent", "host", "connection", "transfer-encoding", "upgrade", "keep-alive", "proxy-connection", "content-length"]);
const KEY = /^[0-9a-z_.-]{1,128}$/;
const ASCII_VALUE = /^[\x20-\x7e]{0,4096}$/;
const BASE64 = /^[A-Za-z0-9+/=_-]{0,4096}$/;

/** Why a metadata entry cannot be sent, or undefined when it can (grpc/grpc doc/PROTOCOL-HTTP2.md "Custom-Metadata"). */
export function metadataProblem([key, value]: MetadataEntry): string | undefined {
  if (!KEY.test(key)) return `"${key}": a key is 1-128 of 0-9 a-z _ . - (lowercase)`;
  if (key.startsWith("grpc-") || RESERVED.has(key)) return `"${key}" is reserved for the transport`;
  if (key.endsWith("-bin")) return BASE64.test(value) ? undefined : `"${key}": a -bin value is base64`;
  return ASCII_VALUE.test(value) ? undefined : `"${key}": a value is printable ASCII, up to 4096 characters`;
}

/** grpc-message is percent-encoded (PROTOCOL-HTTP2.md "Status-Message"). */
function decodeStatusMessage(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function entriesOf(headers: http2.IncomingHttpHeaders): MetadataEntry[] {
  const out: MetadataEntry[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push([key, String(v)]);
  }
  return out;
}

/** A message in the gRPC envelope: flags (1 when compressed), the length big-endian, the payload. */
function envelope(payload: Uint8Array, compressed: boolean): Buffer {
  const out = Buffer.alloc(5 + payload.byteLength);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(payload.byteLength, 1);
  out.set(payload, 5);
  return out;
}

/** A TCP connection to the lab's grpc service, claimed for the session before its first byte is read. */
export function connectClaimed(bus: Bus, target: ServiceTarget, sessionId: string, timeoutMs: number): Promise<{ socket: net.Socket; conversation: ConversationInfo }> {
  const release = bus.expectClient(target.port);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.host, port: target.port, noDelay: true });
    socket.once("error", (err) => {
      release();
      reject(new ConnectFailed(translateSocketError(err)));
    });
    socket.once("connect", () => {
      const client = { ip: normalizeIp(socket.localAddress), port: socket.localPort ?? 0 };
      const server = { ip: normalizeIp(socket.remoteAddress), port: socket.remotePort ?? 0 };
      const timer = setTimeout(() => {
        bus.forgetClaim(client, server);
        release();
        socket.destroy();
        reject(new ConnectFailed({ code: "ETIMEDOUT", message: "The lab's gRPC server did not accept the connection in time." }));
      }, timeoutMs);
      void bus.claim(client, server, sessionId).then((conversation) => {
        clearTimeout(timer);
        release();
        resolve({ socket, conversation });
      });
    });
  });
}

export async function openLabGrpcChannel(bus: Bus, target: ServiceTarget, sessionId: string, limitsIn: Partial<GrpcClientLimits> = {}): Promise<LabGrpcChannel> {
  const limits = { ...GRPC_CLIENT_LIMITS, ...limitsIn };
  const { socket, conversation } = await connectClaimed(bus, target, sessionId, limits.connectTimeoutMs);
  const host = target.host.includes(":") ? `[${target.host}]` : target.host;
  const session = http2.connect(`http://${host}:${target.port}`, { createConnection: () => socket });
  session.on("error", () => {
    // 'close' follows; each stream hears its own error.
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      session.destroy();
      reject(new ConnectFailed({ code: "ETIMEDOUT", message: "The lab's gRPC server sent no SETTINGS in time." }));
    }, limits.connectTimeoutMs);
    session.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    session.once("close", () => {
      clearTimeout(timer);
      reject(new ConnectFailed({ code: "ECONNRESET", message: "The lab's gRPC server closed the connection before its SETTINGS." }));
    });
  });

  return {
    conversation,
    get closed() {
      return session.closed || session.destroyed;
    },
    close: () => session.close(),
    call(options, listener) {
      const headers: http2.OutgoingHttpHeaders = {
        ":method": "POST",
        ":path": options.path,
        "content-type": "application/grpc",
        te: "trailers",
        "user-agent": "protocol-lab-console/1",
      };
      // With gzip off the client accepts identity only, so the server answers uncompressed too.
      if (options.gzip) {
        headers["grpc-encoding"] = "gzip";
        headers["grpc-accept-encoding"] = "gzip";
      }
      if (options.timeoutMs > 0) headers["grpc-timeout"] = `${options.timeoutMs}m`;
      const custom: Record<string, string[]> = {};
      for (const [key, value] of options.metadata) (custom[key] ??= []).push(value);
      for (const [key, values] of Object.entries(custom)) headers[key] = values.length === 1 ? values[0] : values;

      const stream = session.request(headers, { endStream: false });
      let ended = false;
      let cancelled = false;
      let status: { code: number; message: string } | undefined;
      let trailers: MetadataEntry[] = [];
      let responseGzip = false;
      let pending: Buffer = Buffer.alloc(0);
      let overflow = false;

      const finish = (result: GrpcCallEnd) => {
        if (ended) return;
        ended = true;
        listener.end(result);
      };
      const statusOf = (h: http2.IncomingHttpHeaders) => {
        const code = h["grpc-status"];
        if (code === undefined) return undefined;
        return { code: Number(code), message: decodeStatusMessage(String(h["grpc-message"] ?? "")) };
      };

      stream.on("response", (h) => {
        responseGzip = h["grpc-encoding"] === "gzip";
        // A trailers-only answer carries the status in its one HEADERS.
        status = statusOf(h);
        if (status) trailers = entriesOf(h).filter(([k]) => !k.startsWith(":"));
        listener.headers(entriesOf(h));
      });
      stream.on("trailers", (h) => {
        trailers = entriesOf(h);
        status = statusOf(h) ?? { code: GrpcCode.INTERNAL, message: "The trailers carry no grpc-status." };
      });
      stream.on("data", (chunk: Buffer) => {
        if (overflow) return;
        pending = pending.byteLength ? Buffer.concat([pending, chunk]) : chunk;
        while (pending.byteLength >= 5) {
          const length = pending.readUInt32BE(1);
          if (length > limits.maxResponseMessageBytes) {
            overflow = true;
            stream.close(http2.constants.NGHTTP2_CANCEL);
            finish({ code: GrpcCode.RESOURCE_EXHAUSTED, message: `A response message of ${length} bytes is over the console's ${limits.maxResponseMessageBytes}.`, trailers: [], rstCode: http2.constants.NGHTTP2_CANCEL, endedBy: "" });
            return;
          }
          if (pending.byteLength < 5 + length) break;
          const compressed = (pending[0]! & 1) === 1;
          const payload = pending.subarray(5, 5 + length);
          pending = pending.subarray(5 + length);
          let data: Uint8Array = payload;
          if (compressed) {
            try {
              data = zlib.gunzipSync(payload, { maxOutputLength: limits.maxResponseMessageBytes });
            } catch {
              overflow = true;
              stream.close(http2.constants.NGHTTP2_CANCEL);
              finish({ code: GrpcCode.INTERNAL, message: `A compressed response message did not inflate${responseGzip ? "" : " (and grpc-encoding did not say gzip)"}.`, trailers: [], rstCode: http2.constants.NGHTTP2_CANCEL, endedBy: "" });
              return;
            }
          }
          listener.message(new Uint8Array(data), compressed, 5 + length);
        }
      });
      stream.on("error", () => {
        // 'close' follows with the reset's code.
      });
      stream.on("close", () => {
        const rstCode = stream.rstCode ?? 0;
        if (status) {
          finish({ ...status, trailers, rstCode, endedBy: "" });
        } else if (cancelled) {
          finish({ code: GrpcCode.CANCELLED, message: "Cancelled by the console.", trailers, rstCode, endedBy: "cancelled" });
        } else {
          finish({
            code: GrpcCode.UNAVAILABLE,
            message: rstCode ? `The server reset the stream (HTTP/2 error ${rstCode}).` : "The stream ended without a status.",
            trailers,
            rstCode,
            endedBy: "connection",
          });
        }
      });
      stream.resume();

      const call: LabGrpcCall = {
        get streamId() {
          return stream.id ?? 0;
        },
        get ended() {
          return ended || stream.closed || stream.destroyed;
        },
        send(message) {
          const payload = options.gzip ? zlib.gzipSync(message) : message;
          const framed = envelope(payload, options.gzip);
          stream.write(framed);
          return framed.byteLength;
        },
        halfClose: () => stream.end(),
        cancel() {
          cancelled = true;
          stream.close(http2.constants.NGHTTP2_CANCEL);
        },
      };
      return new Promise<LabGrpcCall>((resolve) => {
        // On a connected session the stream gets its id (and may emit 'ready') within request() itself.
        if (!stream.pending) return resolve(call);
        stream.once("ready", () => resolve(call));
        stream.once("close", () => resolve(call));
      });
    },
  };
}
