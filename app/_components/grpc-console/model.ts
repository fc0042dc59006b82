// The gRPC call console's model: the methods the lab's gRPC port serves (its descriptors, as reflection lists them),
// an example request per method, which transports can make a call of each shape, and status code names.

import { create, toJsonString, type DescMethod } from "@bufbuild/protobuf";
import { servedGrpcMethods, servedGrpcRegistry } from "@/server/dissect/lab-services";

export type ConsoleTransport = "connect" | "grpc-web" | "h2c";
export const TRANSPORTS: readonly ConsoleTransport[] = ["connect", "grpc-web", "h2c"];

export interface ConsoleMethod {
  readonly path: string;
  readonly desc: DescMethod;
  readonly kind: DescMethod["methodKind"];
}

export const METHODS: readonly ConsoleMethod[] = [...servedGrpcMethods].map(([path, desc]) => ({ path, desc, kind: desc.methodKind }));

export const methodOf = (path: string): ConsoleMethod | undefined => METHODS.find((m) => m.path === path);

/** Requests a student would send first, by method; other methods start from their message's empty JSON. */
const EXAMPLES: Readonly<Record<string, unknown>> = {
  "/user_service.UserService/GetUser": { userId: 1 },
  "/user_service.UserService/GetUsers": { limit: 3 },
  "/user_service.UserService/CreateUsers": { name: "Dana", email: "dana@example.com", age: 28 },
  "/user_service.UserService/Chat": { userId: "student", message: "hello" },
  "/user.UserService/GetUser": { id: "1" },
  "/user.UserService/ListUsers": { page: 1, pageSize: 2 },
  "/user.UserService/CreateUser": { name: "Dana", email: "dana@example.com", password: "secret" },
  "/user.UserService/UpdateUser": { id: "1", name: "Alice B." },
  "/user.UserService/DeleteUser": { id: "3" },
  "/user.UserService/CreateUsers": { name: "Dana", email: "dana@example.com", password: "secret" },
  "/user.UserService/Chat": { userId: "student", content: "hello" },
  "/helloworld.Greeter/SayHello": { name: "student" },
  "/grpc.health.v1.Health/Check": { service: "user_service.UserService" },
  "/grpc.health.v1.Health/Watch": { service: "user_service.UserService" },
  "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo": { listServices: "" },
  "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": { listServices: "" },
};

export function exampleRequest(method: ConsoleMethod): string {
  const known = EXAMPLES[method.path];
  if (known !== undefined) return JSON.stringify(known, null, 2);
  return toJsonString(method.desc.input, create(method.desc.input), { registry: servedGrpcRegistry, prettySpaces: 2 });
}

/** Whether a browser's connect-web can make the call: unary and server streaming only (fetch has no request stream). */
export const browserCan = (kind: DescMethod["methodKind"]): boolean => kind === "unary" || kind === "server_streaming";

export const requestStreams = (kind: DescMethod["methodKind"]): boolean => kind === "client_streaming" || kind === "bidi_streaming";

/** grpc/grpc doc/statuscodes.md. */
export const STATUS_NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

export const statusName = (code: number): string => STATUS_NAMES[code] ?? String(code);

/** The JSON's parse error, or undefined when it parses. */
export function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export interface MetadataRow {
  readonly key: string;
  readonly value: string;
}

/** What the console shows of one call, whichever transport made it. */
export interface CallView {
  readonly transport: ConsoleTransport;
  readonly path: string;
  readonly callId?: string;
  readonly streamId?: number;
  readonly headers: readonly MetadataRow[];
  readonly messages: readonly { readonly direction: "sent" | "received"; readonly json: string; readonly bytes: number; readonly compressed: boolean; readonly ms: number }[];
  readonly end?: { readonly code: number; readonly message: string; readonly trailers: readonly MetadataRow[]; readonly ms: number; readonly endedBy: string };
  readonly error?: string;
}
