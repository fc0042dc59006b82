// 50051's server interceptors, as seed 001 writes them in Python: a logging interceptor (one line per
// call: when, the method, the protocol, the status and how long it took) and an auth interceptor that
// asks the write methods for `authorization: Bearer <token>` metadata, UNAUTHENTICATED otherwise. Auth is
// off by default, so the seeds' clients run as written; a lesson turns it on for its own data set.

import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { datasetKey } from "./context";

/** The methods that change users: the ones auth guards when it is on. */
const WRITE_METHODS = new Set(["CreateUser", "UpdateUser", "DeleteUser", "CreateUsers"]);

/** Whether a data set's write methods ask for a token (a lesson's switch; off for everyone else). */
export type AuthPolicy = (dataset: string) => boolean;

/**
 * The lab's switch: the data sets (lab sessions) whose lesson has turned auth on. The default service
 * reads it, so the control API can turn it on for one session without touching anyone else's clients.
 */
export function createAuthSwitch() {
  const on = new Set<string>();
  return {
    policy: ((dataset: string) => on.has(dataset)) as AuthPolicy,
    set(dataset: string, required: boolean) {
      if (required) on.add(dataset);
      else on.delete(dataset);
    },
  };
}

/** The host's switch (server/lab turns a session's auth on and off through it). */
export const grpcAuth = createAuthSwitch();

/** Any non-empty bearer token is accepted: the lesson is about carrying it in metadata, not about tokens. */
const BEARER = /^Bearer\s+\S+$/i;

export function authInterceptor(policy: AuthPolicy): Interceptor {
  return (next) => async (req) => {
    if (WRITE_METHODS.has(req.method.name) && policy(await req.contextValues.get(datasetKey)())) {
      const token = req.header.get("authorization");
      if (!token || !BEARER.test(token.trim())) throw new ConnectError("Invalid or missing token", Code.Unauthenticated);
    }
    return next(req);
  };
}

export interface LogLine {
  readonly at: number;
  /** "/user_service.UserService/GetUser" */
  readonly procedure: string;
  /** The protocol the client spoke: "grpc", "grpc_web" or "connect". */
  readonly protocol: string;
  /** gRPC's status name in lower snake case, as Connect's codes print ("ok", "not_found"). */
  readonly status: string;
  readonly ms: number;
}

/** Formats a line as the lesson and the host's log show it. */
export function formatLogLine(line: LogLine): string {
  return `${new Date(line.at).toISOString()} ${line.procedure} (${line.protocol}) ${line.status.toUpperCase()} ${line.ms.toFixed(1)} ms`;
}

/**
 * A failed call's status: the error's, except that a write failing on a stream the client has reset is
 * the reset's (CANCELLED, or what aborted the call), not the INTERNAL Connect makes of it.
 */
function statusOf(err: unknown, signal: AbortSignal): string {
  let code = ConnectError.from(err).code;
  if (code === Code.Internal && signal.aborted) code = ConnectError.from(signal.reason, Code.Canceled).code;
  return Code[code].replace(/[A-Z]/g, (c, i: number) => (i ? "_" : "") + c.toLowerCase());
}

/** The protocol a request speaks, by its content type. */
function protocolOf(header: Headers): "grpc" | "grpc_web" | "connect" {
  const type = header.get("content-type") ?? "";
  if (type.startsWith("application/grpc-web")) return "grpc_web";
  return type.startsWith("application/grpc") ? "grpc" : "connect";
}

export function loggingInterceptor(log: (line: LogLine) => void): Interceptor {
  return (next) => async (req) => {
    const at = Date.now();
    const started = performance.now();
    const done = (status: string) => log({ at, procedure: `/${req.method.parent.typeName}/${req.method.name}`, protocol: protocolOf(req.header), status, ms: performance.now() - started });
    try {
      const res = await next(req);
      if (!res.stream) {
        done("ok");
        return res;
      }
      // A stream's status is known when its last message has gone.
      const messages = res.message;
      async function* logged() {
        try {
          yield* messages;
          done("ok");
        } catch (err) {
          done(statusOf(err, req.signal));
          throw err;
        }
      }
      return { ...res, message: logged() };
    } catch (err) {
      done(statusOf(err, req.signal));
      throw err;
    }
  };
}

/**
 * Metadata both ways, for the lesson on headers and trailers: a request's `request-id` comes back as a
 * response header, and every answer ends with the trailer `server-time-ms` (the milliseconds from the
 * request's headers to the answer's end, as the server measured them).
 */
export const metadataInterceptor: Interceptor = (next) => async (req) => {
  const started = performance.now();
  const res = await next(req);
  const id = req.header.get("request-id");
  if (id !== null) res.header.set("request-id", id);
  const elapsed = () => (performance.now() - started).toFixed(1);
  if (!res.stream) {
    res.trailer.set("server-time-ms", elapsed());
    return res;
  }
  const messages = res.message;
  async function* timed() {
    yield* messages;
    res.trailer.set("server-time-ms", elapsed());
  }
  return { ...res, message: timed() };
};
