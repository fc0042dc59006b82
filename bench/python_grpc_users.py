"""Seed 000's gRPC server design, as the gRPC benchmark's Python baseline: grpc.server with a
ThreadPoolExecutor(max_workers=10), a UserService servicer whose GetUser looks the user up in a dict and
answers UserResponse (status "ACTIVE"), NOT_FOUND otherwise; nothing printed per call.

    python3 bench/python_grpc_users.py <stubs_dir>     prints {"ready": true, "port": ..., "pid": ...} once it
                                                       listens on a free port; ends when stdin closes

<stubs_dir> holds user_service_pb2.py and user_service_pb2_grpc.py, made by grpc_tools.protoc from
proto/user_service/user_service.proto (bench/grpc-users.ts makes them).
"""

import json
import os
import sys
from concurrent import futures

import grpc

sys.path.insert(0, sys.argv[1])
import user_service_pb2 as pb2  # noqa: E402
import user_service_pb2_grpc as pb2_grpc  # noqa: E402

USERS = {
    1: ("Alice", "alice@example.com", 30),
    2: ("Bob", "bob@example.com", 25),
    3: ("Charlie", "charlie@example.com", 35),
}


class UserService(pb2_grpc.UserServiceServicer):
    def GetUser(self, request, context):
        user = USERS.get(request.user_id)
        if user is None:
            context.set_code(grpc.StatusCode.NOT_FOUND)
            context.set_details(f"User {request.user_id} not found")
            return pb2.UserResponse()
        name, email, age = user
        return pb2.UserResponse(id=request.user_id, name=name, email=email, age=age, status="ACTIVE")


server = grpc.server(futures.ThreadPoolExecutor(max_workers=10))
pb2_grpc.add_UserServiceServicer_to_server(UserService(), server)
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print(json.dumps({"ready": True, "port": port, "pid": os.getpid()}), flush=True)
try:
    sys.stdin.read()
finally:
    server.stop(0)
