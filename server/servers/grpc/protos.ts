// GET /protos/... on 50051's HTTP/1.1 side: the .proto files the lab serves, as written in proto/, so a
// student can run `python -m grpc_tools.protoc` on exactly what the server speaks
// (curl -O http://127.0.0.1:50051/protos/user_service/user_service.proto). GET /protos/ lists them.

import fs from "node:fs";
import path from "node:path";
import type { NodeRequest, NodeResponse } from "./handler";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../../proto");

/** The downloadable files, relative to proto/ (the lab's own control API is not among them). */
export const SERVED_PROTOS = [
  "user_service/user_service.proto",
  "user/user.proto",
  "helloworld/helloworld.proto",
  "grpc/health/v1/health.proto",
  "grpc/reflection/v1/reflection.proto",
  "grpc/reflection/v1alpha/reflection.proto",
] as const;

/** Answers GET/HEAD /protos/...; false for any other request. */
export function serveProtos(req: NodeRequest, res: NodeResponse): boolean {
  const url = (req.url ?? "").split("?", 1)[0]!;
  if (!url.startsWith("/protos/") || (req.method !== "GET" && req.method !== "HEAD")) return false;
  const name = decodeURIComponent(url.slice("/protos/".length));
  let body: string;
  let type = "text/plain; charset=utf-8";
  if (name === "") {
    body = SERVED_PROTOS.map((p) => `/protos/${p}\n`).join("");
  } else if ((SERVED_PROTOS as readonly string[]).includes(name)) {
    body = fs.readFileSync(path.join(ROOT, name), "utf8");
    type = "text/x-protobuf; charset=utf-8";
  } else {
    return false;
  }
  res.writeHead(200, {
    "content-type": type,
    "content-length": String(Buffer.byteLength(body)),
    ...(name !== "" && { "content-disposition": `attachment; filename="${path.basename(name)}"` }),
  });
  if (req.method === "HEAD") res.end();
  else res.end(body);
  return true;
}
