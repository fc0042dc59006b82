// Commands a student can paste into a terminal for the gRPC lesson: grpcurl by reflection, the .proto downloaded from
// the lab (GET /protos/... on the gRPC port) and stubs generated with grpc_tools.protoc, seed 000's Python calls, and
// Connect and gRPC-web with curl. At the host and port the lab reports; quoted with the home page's helpers.

import { py, shellQuote, type Endpoint } from "../home/commands";
import { baseUrl } from "../http-composer/model";

const target = ({ host, port }: Endpoint) => `${host.includes(":") ? `[${host}]` : host}:${port}`;

export function grpcurlList(endpoint: Endpoint): string {
  return [`grpcurl -plaintext ${target(endpoint)} list`, `grpcurl -plaintext ${target(endpoint)} list user_service.UserService`].join("\n");
}

export function grpcurlCall(endpoint: Endpoint): string {
  return [
    `grpcurl -plaintext -d ${shellQuote('{"user_id": 1}')} ${target(endpoint)} user_service.UserService/GetUser`,
    `grpcurl -plaintext -H ${shellQuote("request-id: lesson-2")} -max-time 2 -d ${shellQuote('{"user_id": 999}')} ${target(endpoint)} user_service.UserService/GetUser`,
    `grpcurl -plaintext ${target(endpoint)} describe user_service.UserResponse`,
  ].join("\n");
}

export function grpcurlHealth(endpoint: Endpoint): string {
  return `grpcurl -plaintext -d ${shellQuote('{"service": "user_service.UserService"}')} ${target(endpoint)} grpc.health.v1.Health/Check`;
}

export function protocCommands(endpoint: Endpoint): string {
  return [
    `curl -O ${shellQuote(`${baseUrl(endpoint)}/protos/user_service/user_service.proto`)}`,
    "python3 -m grpc_tools.protoc -I. --python_out=. --grpc_python_out=. user_service.proto",
  ].join("\n");
}

export function pythonClient(endpoint: Endpoint): string {
  return [
    "import grpc",
    "import user_service_pb2 as pb",
    "import user_service_pb2_grpc as pb_grpc",
    "",
    `with grpc.insecure_channel(${py(target(endpoint))}) as channel:`,
    "    stub = pb_grpc.UserServiceStub(channel)",
    "    user = stub.GetUser(pb.GetUserRequest(user_id=1), timeout=5,",
    '                        metadata=[("request-id", "lesson-1")])',
    "    print(user.name, user.email)",
    "    for u in stub.GetUsers(pb.GetUsersRequest(limit=3)):",
    "        print(\"stream:\", u.id, u.name)",
    "    try:",
    "        stub.GetUser(pb.GetUserRequest(user_id=999), timeout=5)",
    "    except grpc.RpcError as err:",
    "        print(err.code(), err.details())",
  ].join("\n");
}

export function curlConnect(endpoint: Endpoint): string {
  return `curl -i ${shellQuote(`${baseUrl(endpoint)}/user_service.UserService/GetUser`)} \\\n  -H ${shellQuote("Content-Type: application/json")} \\\n  -d ${shellQuote('{"userId": 1}')}`;
}

export function curlGrpcWeb(endpoint: Endpoint): string {
  return [
    "printf '\\x00\\x00\\x00\\x00\\x02\\x08\\x01' |",
    `  curl -s ${shellQuote(`${baseUrl(endpoint)}/user_service.UserService/GetUser`)} \\`,
    `  -H ${shellQuote("Content-Type: application/grpc-web+proto")} -H ${shellQuote("X-Grpc-Web: 1")} \\`,
    "  --data-binary @- | xxd",
  ].join("\n");
}
