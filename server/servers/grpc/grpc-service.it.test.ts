// 50051 in a real lab host, over loopback, with the clients the course's documents use: Debian's Python
// grpcio with stubs that grpc_tools.protoc generates from the .proto files the lab serves (seed 000's
// client session, seed 001's calls and statuses, health, reflection), curl for gRPC-web and the Connect
// protocol, connect-node's gRPC client and raw HTTP/2 for deadlines, metadata, gzip and shutdown.

import { execFile } from "node:child_process";
import fs from "node:fs";
import http2 from "node:http2";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "@/gen/grpc/health/v1/health_pb";
import { ServerReflection } from "@/gen/grpc/reflection/v1/reflection_pb";
import { UserService as SeedUserService } from "@/gen/user/user_pb";
import { UserService } from "@/gen/user_service/user_service_pb";
import { createBus } from "../../capture/bus";
import { dissectorFor } from "../../dissect/protocols";
import type { LabHost } from "../../lab/host";
import { createSessionStore } from "../../lab/sessions";
import { openStore, PUBLIC_DATASET, sessionDataset } from "../../store/store";
import { startTestHost } from "../../testing/host";
import { defineGrpcService, type RunningGrpcService } from "./grpc-service";
import { grpcAuth } from "./interceptors";
import { readStream } from "./test-clients";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const TESTDATA = path.join(path.dirname(new URL(import.meta.url).pathname), "testdata");

let host: LabHost;
let port: number;
let work: string;

beforeAll(async () => {
  host = await startTestHost();
  port = host.port("grpc");
  work = fs.mkdtempSync(path.join(os.tmpdir(), "lab-grpc-"));
});

afterAll(async () => {
  await host.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A standalone 50051 service (its own store) with other options: auth, pace, limits. */
async function startService(options: Parameters<typeof defineGrpcService>[0]): Promise<RunningGrpcService> {
  const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
  const bus = createBus({ sessions, dissectorFor });
  return (await defineGrpcService(options).start!({ bus, host: "127.0.0.1", port: 0, store: openStore() })) as RunningGrpcService;
}

async function download(from: number, file: string, dir: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${from}/protos/${file}`);
  expect(res.status).toBe(200);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, path.basename(file));
  fs.writeFileSync(target, await res.text());
  return target;
}

/** Downloads a served .proto and runs `python -m grpc_tools.protoc` on it, as the seeds tell a student to. */
async function generate(from: number, file: string, dir: string, out = dir): Promise<void> {
  await download(from, file, dir);
  fs.mkdirSync(out, { recursive: true });
  await run(PYTHON, ["-m", "grpc_tools.protoc", "-I.", `--python_out=${out}`, `--grpc_python_out=${out}`, path.basename(file)], { cwd: dir });
}

async function python(args: string[], cwd: string, pythonPath: string[] = []): Promise<string> {
  const { stdout } = await run(PYTHON, args, { cwd, env: { ...process.env, PYTHONPATH: pythonPath.join(":") }, timeout: 60_000 });
  return stdout;
}

const grpcClient = (to: number) => createClient(UserService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${to}` }));

describe("seed 000's client, generated from the served user_service.proto", () => {
  it("runs the course's session unchanged: the four call types, NOT_FOUND, metadata and gzip", async () => {
    const dir = path.join(work, "seed000");
    await generate(port, "user_service/user_service.proto", dir, path.join(dir, "generated"));
    const out = await python([path.join(TESTDATA, "seed000-grpc-client.py"), String(port)], dir, [dir, path.join(dir, "generated")]);
    expect(out).toContain(`Connected to gRPC server at localhost:${port}\nTest response: Alice (alice@example.com)`);
    expect(out).toContain("User 1: Alice, Age: 30, Status: ACTIVE\nError as expected: StatusCode.NOT_FOUND: User 999 not found");
    expect(out).toContain(
      "Receiving user stream...\nUser 1: Alice (alice@example.com)\nUser 2: Bob (bob@example.com)\nUser 3: Charlie (charlie@example.com)\nStream completed",
    );
    expect(out).toMatch(/Created 3 users\n {2}- David \(ID: \d+\)\n {2}- Eve \(ID: \d+\)\n {2}- Frank \(ID: \d+\)/);
    for (const message of ["Hello from client!", "How are you?", "This is bidirectional streaming", "Goodbye!"]) {
      expect(out).toContain(`Received from Server: Echo: ${message}`);
    }
    for (const line of ["Thread 1: Got Alice", "Thread 2: Got Bob", "Thread 3: Got Charlie", "Thread 999: Error StatusCode.NOT_FOUND"]) {
      expect(out).toContain(line);
    }
    expect(out).toContain("Response with metadata: Alice");
    expect(out).toContain("Response with compression: Alice");
    expect(out).toContain("All tests completed");

    // The users CreateUsers made are the rows the REST API on 8080 shows (one store, the public data set).
    const rest = (await (await fetch(`http://127.0.0.1:${host.port("http")}/api/users`)).json()) as { data: { name: string }[] };
    expect(rest.data.map((u) => u.name)).toEqual(expect.arrayContaining(["Alice", "David", "Eve", "Frank"]));
  });
});

describe("data sets", () => {
  it("reads and writes the data set of the browser session at the client's address, as 8080 does", async () => {
    const session = host.sessions.resolve(undefined, "127.0.0.41").session;
    const client = createClient(UserService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}`, nodeOptions: { createConnection: () => net.connect({ host: "127.0.0.1", port, localAddress: "127.0.0.41" }) } }));
    async function* one() {
      yield { name: "Grace", email: "grace@example.com", age: 41 };
    }
    const created = await client.createUsers(one());
    expect(created.users.map((u) => [u.id, u.name])).toEqual([[4, "Grace"]]);
    expect(host.store.users.list(sessionDataset(session.id)).map((u) => u.name)).toEqual(["Alice", "Bob", "Charlie", "Grace"]);
    expect(host.store.users.list(PUBLIC_DATASET).map((u) => u.name)).not.toContain("Grace");

    // A lesson turns auth on for this session only: its writes now need a token, the public set's do not.
    grpcAuth.set(sessionDataset(session.id), true);
    try {
      await expect(client.createUsers(one())).rejects.toMatchObject({ code: Code.Unauthenticated });
      expect((await client.createUsers(one(), { headers: { authorization: "Bearer lesson-token" } })).createdCount).toBe(1);
      expect((await grpcClient(port).createUsers(one())).createdCount).toBe(1);
    } finally {
      grpcAuth.set(sessionDataset(session.id), false);
    }
  });
});

describe("seed 001's client, from the served descriptors", () => {
  async function reflectionStubs(from: number): Promise<string> {
    const dir = path.join(work, `reflection-${from}`);
    if (!fs.existsSync(path.join(dir, "reflection_pb2_grpc.py"))) await generate(from, "grpc/reflection/v1/reflection.proto", dir);
    return dir;
  }

  it("runs run() unchanged and gets INVALID_ARGUMENT, ALREADY_EXISTS and NOT_FOUND as its server documents", async () => {
    const stubs = await reflectionStubs(port);
    const out = await python([path.join(TESTDATA, "seed001-grpc-client.py"), String(port), stubs], work);
    expect(out).toMatch(/Creating user\.\.\.\nCreated: (\d+) - John Doe\n/);
    expect(out).toContain("Got: John Doe (john@example.com)");
    expect(out).toContain("Updated: John Updated");
    expect(out).toMatch(/Listing users \(streaming\)\.\.\.\n {2}- 1: Alice\n {2}- 2: Bob\n {2}- 3: Charlie\n/);
    expect(out).toContain("Deleted successfully");
    const results = Object.fromEntries([...out.matchAll(/^RESULT (\S+) (.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(results).toEqual({
      no_name: "INVALID_ARGUMENT Name is required",
      no_email: "INVALID_ARGUMENT Email is required",
      duplicate: "ALREADY_EXISTS Email already registered",
      unknown: "NOT_FOUND User with id 999 not found",
      delete_unknown: "NOT_FOUND User with id 999 not found",
      read: "OK",
      write_without_token: "OK",
      write_with_token: "OK",
    });
  });

  it("with auth on, a write without `authorization: Bearer` is UNAUTHENTICATED; reads and tokens pass", async () => {
    const service = await startService({ auth: () => true, paceMs: 10 });
    try {
      const stubs = await reflectionStubs(service.port);
      const out = await python([path.join(TESTDATA, "seed001-grpc-client.py"), String(service.port), stubs, "auth"], work);
      const results = Object.fromEntries([...out.matchAll(/^RESULT (\S+) (.*)$/gm)].map((m) => [m[1], m[2]]));
      expect(results.read).toBe("OK");
      expect(results.no_name).toBe("UNAUTHENTICATED Invalid or missing token");
      expect(results.write_without_token).toBe("UNAUTHENTICATED Invalid or missing token");
      expect(results.write_with_token).toBe("OK");
    } finally {
      await service.stop();
    }
  });
});

describe("seed 001's created_at", () => {
  it("is the time CreateUser made the user, which GetUser and UpdateUser keep; the seed's users have their data set's", async () => {
    const client = createClient(SeedUserService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
    const before = Date.now();
    const made = await client.createUser({ name: "Ida", email: `ida-${before}@example.com` });
    const after = Date.now();
    const madeMs = Number(made.createdAt!.seconds) * 1000 + Math.floor(made.createdAt!.nanos / 1e6);
    expect(madeMs).toBeGreaterThanOrEqual(before);
    expect(madeMs).toBeLessThanOrEqual(after);
    expect((await client.getUser({ id: made.id })).user?.createdAt).toEqual(made.createdAt);
    expect((await client.updateUser({ id: made.id, name: "Ida B." })).createdAt).toEqual(made.createdAt);
    const alice = (await client.getUser({ id: "1" })).user!;
    expect(Number(alice.createdAt!.seconds) * 1000 + Math.floor(alice.createdAt!.nanos / 1e6)).toBe(host.store.users.get(PUBLIC_DATASET, 1)!.createdMs);
    await client.deleteUser({ id: made.id });
  });
});

describe("health and reflection", () => {
  it("answers grpc.health.v1 Check and Watch per service, generated from the served health.proto", async () => {
    const dir = path.join(work, "health");
    await generate(port, "grpc/health/v1/health.proto", dir);
    const script = String.raw`
import sys, grpc, health_pb2 as h, health_pb2_grpc as hg
stub = hg.HealthStub(grpc.insecure_channel("localhost:" + sys.argv[1]))
for name in ["", "user_service.UserService", "user.UserService", "helloworld.Greeter"]:
    print("CHECK", repr(name), h.HealthCheckResponse.ServingStatus.Name(stub.Check(h.HealthCheckRequest(service=name)).status))
try:
    stub.Check(h.HealthCheckRequest(service="no.Such"))
except grpc.RpcError as e:
    print("CHECK 'no.Such'", e.code().name)
watch = stub.Watch(h.HealthCheckRequest(service="user_service.UserService"))
print("WATCH", h.HealthCheckResponse.ServingStatus.Name(next(watch).status))
watch.cancel()
unknown = stub.Watch(h.HealthCheckRequest(service="no.Such"))
print("WATCH unknown", h.HealthCheckResponse.ServingStatus.Name(next(unknown).status))
unknown.cancel()
`;
    const out = await python(["-c", script, String(port)], dir, [dir]);
    expect(out.trim().split("\n")).toEqual([
      "CHECK '' SERVING",
      "CHECK 'user_service.UserService' SERVING",
      "CHECK 'user.UserService' SERVING",
      "CHECK 'helloworld.Greeter' SERVING",
      "CHECK 'no.Such' NOT_FOUND",
      "WATCH SERVING",
      "WATCH unknown SERVICE_UNKNOWN",
    ]);
  });

  const SERVICES = [
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
    "helloworld.Greeter",
    "user.UserService",
    "user_service.UserService",
  ];

  it("lists the services by reflection, v1 and v1alpha (what `grpcurl -plaintext ... list` asks)", async () => {
    const script = String.raw`
import sys, grpc, reflection_pb2 as r, reflection_pb2_grpc as rg
stub = rg.ServerReflectionStub(grpc.insecure_channel("localhost:" + sys.argv[1]))
[answer] = list(stub.ServerReflectionInfo(iter([r.ServerReflectionRequest(list_services="")])))
print("\n".join(s.name for s in answer.list_services_response.service))
`;
    for (const version of ["v1", "v1alpha"]) {
      const dir = path.join(work, `list-${version}`);
      await generate(port, `grpc/reflection/${version}/reflection.proto`, dir);
      const out = await python(["-c", script, String(port)], dir, [dir]);
      expect(out.trim().split("\n"), version).toEqual(SERVICES);
    }
  });

  it("describes a method by its file, with the files it imports (what `grpcurl describe` asks)", async () => {
    const client = createClient(ServerReflection, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
    async function* requests() {
      yield { messageRequest: { case: "fileContainingSymbol" as const, value: "user_service.UserService.GetUser" } };
      yield { messageRequest: { case: "fileContainingSymbol" as const, value: "user.User" } };
      yield { messageRequest: { case: "fileByFilename" as const, value: "helloworld/helloworld.proto" } };
      yield { messageRequest: { case: "fileContainingSymbol" as const, value: "no.Such" } };
    }
    const answers = [];
    for await (const answer of client.serverReflectionInfo(requests())) answers.push(answer);
    const names = answers.map((a) =>
      a.messageResponse.case === "fileDescriptorResponse"
        ? a.messageResponse.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b).name)
        : a.messageResponse.case === "errorResponse"
          ? a.messageResponse.value.errorCode
          : undefined,
    );
    expect(names).toEqual([
      ["user_service/user_service.proto"],
      ["user/user.proto", "google/protobuf/timestamp.proto", "google/protobuf/empty.proto"],
      ["helloworld/helloworld.proto"],
      5,
    ]);
    const userService = fromBinary(FileDescriptorProtoSchema, (answers[0]!.messageResponse.value as { fileDescriptorProto: Uint8Array[] }).fileDescriptorProto[0]!);
    expect(userService.service[0]!.method.map((m) => [m.name, m.clientStreaming ?? false, m.serverStreaming ?? false])).toEqual([
      ["GetUser", false, false],
      ["GetUsers", false, true],
      ["CreateUsers", true, false],
      ["Chat", true, true],
    ]);
  });
});

describe("deadlines, metadata, compression, shutdown", () => {
  it("ends a server stream mid-way with DEADLINE_EXCEEDED when the client's deadline passes", async () => {
    // One user a second, a deadline of 1.5 s: the first arrives, the second would come after the deadline.
    const service = await startService({ paceMs: 1000 });
    try {
      const received: string[] = [];
      const error = await (async () => {
        for await (const user of grpcClient(service.port).getUsers({ limit: 3 }, { timeoutMs: 1500 })) received.push(user.name);
      })().then(
        () => undefined,
        (err: unknown) => ConnectError.from(err),
      );
      expect(received).toEqual(["Alice"]);
      expect(error?.code).toBe(Code.DeadlineExceeded);
    } finally {
      await service.stop();
    }
  });

  it("counts the deadline server-side: grpc-timeout alone ends the stream with the server's DEADLINE_EXCEEDED", async () => {
    // A client that sends grpc-timeout but keeps no timer of its own: only the server's clock can end the call.
    const service = await startService({ paceMs: 1000 });
    const session = http2.connect(`http://127.0.0.1:${service.port}`);
    try {
      const stream = session.request({
        ":method": "POST",
        ":path": "/user_service.UserService/GetUsers",
        "content-type": "application/grpc",
        te: "trailers",
        "grpc-timeout": "1500m",
      });
      stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, 0x03])); // GetUsersRequest{limit: 3}
      const { body, trailers } = await readStream(stream);
      expect(trailers["grpc-status"]).toBe(String(Code.DeadlineExceeded));
      // One message (Alice) before the deadline.
      expect(body.readUInt32BE(1) + 5).toBe(body.length);
      expect(body.toString("latin1")).toContain("Alice");
      expect(service.recentLog().join("\n")).toMatch(/\/user_service\.UserService\/GetUsers \(grpc\) DEADLINE_EXCEEDED/);
    } finally {
      session.close();
      await service.stop();
    }
  });

  it("sends metadata back: request-id as a header, server-time-ms as a trailer", async () => {
    let header: Headers | undefined;
    let trailer: Headers | undefined;
    const user = await grpcClient(port).getUser(
      { userId: 2 },
      { headers: { "request-id": "12345" }, onHeader: (h) => (header = h), onTrailer: (t) => (trailer = t) },
    );
    expect(user.name).toBe("Bob");
    expect(header?.get("request-id")).toBe("12345");
    expect(trailer?.get("server-time-ms")).toMatch(/^\d+\.\d$/);
  });

  it("reads a gzip request and answers a large message in gzip (grpc-encoding, the envelope's compressed flag)", async () => {
    const text = "gzip ".repeat(400);
    const message = Buffer.concat([Buffer.from([0x0a, 0x01, 0x63, 0x12, 0xd0, 0x0f]), Buffer.from(text)]); // user_id "c", message (2000 bytes)
    const compressed = zlib.gzipSync(message);
    const envelope = Buffer.concat([Buffer.from([1]), u32(compressed.length), compressed]);
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const stream = session.request({
        ":method": "POST",
        ":path": "/user_service.UserService/Chat",
        "content-type": "application/grpc",
        te: "trailers",
        "grpc-encoding": "gzip",
        "grpc-accept-encoding": "gzip",
      });
      stream.end(envelope);
      const { headers, body, trailers } = await readStream(stream);
      expect(headers["grpc-encoding"]).toBe("gzip");
      expect(trailers["grpc-status"]).toBe("0");
      expect(body[0]).toBe(1);
      const inflated = zlib.gunzipSync(body.subarray(5, 5 + body.readUInt32BE(1)));
      expect(inflated.toString("latin1")).toContain(`Echo: ${text}`);
    } finally {
      session.close();
    }
  });

  it("stops gracefully: GOAWAY, the stream in flight finishes, Watch hears NOT_SERVING", async () => {
    const service = await startService({ paceMs: 200 });
    const client = grpcClient(service.port);
    const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.port}` }));
    const statuses: ServingStatus[] = [];
    const watching = (async () => {
      for await (const answer of health.watch({ service: "user_service.UserService" })) statuses.push(answer.status);
    })();
    const names: string[] = [];
    const streaming = (async () => {
      for await (const user of client.getUsers({ limit: 3 })) names.push(user.name);
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await service.stop();
    await streaming;
    await watching;
    expect(names).toEqual(["Alice", "Bob", "Charlie"]);
    expect(statuses).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
    await expect(client.getUser({ userId: 1 })).rejects.toMatchObject({ code: Code.Unavailable });
  });
});

describe("gRPC-web and Connect over HTTP/1.1, with curl", () => {
  const curl = async (args: string[]) => (await run("curl", ["-s", "-i", "--http1.1", ...args], { encoding: "latin1" })).stdout;

  it("answers the Connect protocol in JSON, with its error for an unknown user", async () => {
    const url = `http://127.0.0.1:${port}/user_service.UserService/GetUser`;
    const ok = await curl(["-H", "Content-Type: application/json", "-d", '{"userId": 1}', url]);
    expect(ok).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(ok.split("\r\n\r\n")[1]).toBe('{"id":1,"name":"Alice","email":"alice@example.com","age":30,"status":"ACTIVE"}');
    const missing = await curl(["-H", "Content-Type: application/json", "-d", '{"userId": 999}', url]);
    expect(missing).toMatch(/^HTTP\/1\.1 404 Not Found/);
    expect(missing.split("\r\n\r\n")[1]).toBe('{"code":"not_found","message":"User 999 not found"}');
    const hello = await curl(["-H", "Content-Type: application/json", "-d", '{"name": "world"}', `http://127.0.0.1:${port}/helloworld.Greeter/SayHello`]);
    expect(hello.split("\r\n\r\n")[1]).toBe('{"message":"Hello, world!"}');
  });

  it("reads a gzip Connect body (Content-Encoding)", async () => {
    const file = path.join(work, "get-user.json.gz");
    fs.writeFileSync(file, zlib.gzipSync('{"userId": 3}'));
    const out = await curl(["-H", "Content-Type: application/json", "-H", "Content-Encoding: gzip", "--data-binary", `@${file}`, `http://127.0.0.1:${port}/user_service.UserService/GetUser`]);
    expect(out.split("\r\n\r\n")[1]).toContain('"name":"Charlie"');
  });

  it("answers gRPC-web: the message frame, then the trailer frame (flag 0x80) with grpc-status", async () => {
    const file = path.join(work, "get-user.grpcweb");
    fs.writeFileSync(file, Buffer.from([0, 0, 0, 0, 2, 0x08, 0x02])); // GetUserRequest{user_id: 2}
    const out = await curl([
      "-H", "Content-Type: application/grpc-web+proto",
      "-H", "X-Grpc-Web: 1",
      "-H", "Origin: http://localhost:3000",
      "--data-binary", `@${file}`,
      `http://127.0.0.1:${port}/user_service.UserService/GetUser`,
    ]);
    const [head, ...rest] = out.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head).toMatch(/\r\naccess-control-allow-origin: \*\r\n/i);
    expect(head).toMatch(/\r\ncontent-type: application\/grpc-web\+proto\r\n/i);
    const body = Buffer.from(rest.join("\r\n\r\n"), "latin1");
    expect(body[0]).toBe(0);
    const length = body.readUInt32BE(1);
    expect(body.subarray(5, 5 + length).toString("latin1")).toContain("Bob");
    const trailer = body.subarray(5 + length);
    expect(trailer[0]).toBe(0x80);
    expect(trailer.subarray(5).toString("latin1")).toMatch(/grpc-status: ?0\r\n/);
  });

  it("answers the CORS preflight of a browser's gRPC-web call", async () => {
    const out = await curl([
      "-X", "OPTIONS",
      "-H", "Origin: http://localhost:3000",
      "-H", "Access-Control-Request-Method: POST",
      "-H", "Access-Control-Request-Headers: content-type,x-grpc-web,x-user-agent",
      `http://127.0.0.1:${port}/user_service.UserService/GetUser`,
    ]);
    expect(out).toMatch(/^HTTP\/1\.1 204/);
    expect(out).toMatch(/\r\naccess-control-allow-origin: \*\r\n/i);
    expect(out).toMatch(/\r\naccess-control-allow-headers: [^\r]*X-Grpc-Web/i);
  });

  it("serves the .proto files at /protos/, as written in proto/", async () => {
    const listing = await (await fetch(`http://127.0.0.1:${port}/protos/`)).text();
    expect(listing.split("\n")).toContain("/protos/user_service/user_service.proto");
    const served = await (await fetch(`http://127.0.0.1:${port}/protos/user/user.proto`)).text();
    expect(served).toBe(fs.readFileSync(path.join(TESTDATA, "../../../../proto/user/user.proto"), "utf8"));
    expect((await fetch(`http://127.0.0.1:${port}/protos/lab/v1/lab.proto`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/protos/../package.json`)).status).toBe(404);
  });
});

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
