# Seed 001's Python client ("gRPC APIs": client.py's run(), and the AuthClientInterceptor of its
# interceptors section, unchanged) against the lab's user.UserService.
# Usage: seed001-grpc-client.py <port> <reflection_dir> [auth]
#
# The seed's user.proto uses proto3 `optional`, which Debian's grpc_tools (libprotoc 3.5.1) cannot
# compile. So the lab's loader below builds user_pb2 and user_pb2_grpc as a newer protoc would generate
# them, from the FileDescriptorProtos the lab's server reflection answers (the reflection stubs in
# <reflection_dir> are grpc_tools' own, from the served grpc/reflection/v1/reflection.proto). The seed's
# run() dials localhost:50051; the driver points that at <port>. It prints "RESULT <name> <code>" lines
# for the calls that must fail with a status.
import sys
import types
import grpc
from google.protobuf import descriptor_pool, descriptor_pb2, empty_pb2, timestamp_pb2
from google.protobuf.internal import builder

PORT = int(sys.argv[1])
sys.path.insert(0, sys.argv[2])
import reflection_pb2, reflection_pb2_grpc  # noqa: E402


def load_user_modules():
    channel = grpc.insecure_channel(f"localhost:{PORT}")
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    request = reflection_pb2.ServerReflectionRequest(file_containing_symbol="user.UserService")
    [response] = list(stub.ServerReflectionInfo(iter([request])))
    channel.close()
    pool = descriptor_pool.Default()
    files = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in response.file_descriptor_response.file_descriptor_proto]
    # Dependencies first; the well-known types are in Python's pool already.
    for proto in reversed(files):
        try:
            pool.FindFileByName(proto.name)
        except KeyError:
            pool.Add(proto)
    descriptor = pool.FindFileByName("user/user.proto")
    pb2 = types.ModuleType("user_pb2")
    builder.BuildMessageAndEnumDescriptors(descriptor, pb2.__dict__)
    builder.BuildTopDescriptorsAndMessages(descriptor, "user_pb2", pb2.__dict__)
    classes = {"google.protobuf.Empty": empty_pb2.Empty, "google.protobuf.Timestamp": timestamp_pb2.Timestamp}
    for name, message in descriptor.message_types_by_name.items():
        classes[message.full_name] = getattr(pb2, name)
    service = descriptor.services_by_name["UserService"]

    class UserServiceStub:
        def __init__(self, channel):
            for method in service.methods:
                kind = {(False, False): channel.unary_unary, (False, True): channel.unary_stream,
                        (True, False): channel.stream_unary, (True, True): channel.stream_stream}[
                    (method.client_streaming, method.server_streaming)]
                setattr(self, method.name, kind(
                    f"/{service.full_name}/{method.name}",
                    request_serializer=classes[method.input_type.full_name].SerializeToString,
                    response_deserializer=classes[method.output_type.full_name].FromString))

    pb2_grpc = types.ModuleType("user_pb2_grpc")
    pb2_grpc.UserServiceStub = UserServiceStub
    sys.modules["user_pb2"] = pb2
    sys.modules["user_pb2_grpc"] = pb2_grpc


load_user_modules()
_insecure_channel = grpc.insecure_channel
grpc.insecure_channel = lambda target, *args, **kwargs: _insecure_channel(f"localhost:{PORT}", *args, **kwargs)

# client.py
import grpc
import user_pb2
import user_pb2_grpc


def run():
    # Создание канала
    channel = grpc.insecure_channel('localhost:50051')

    # С TLS
    # with open('ca.crt', 'rb') as f:
    #     trusted_certs = f.read()
    # credentials = grpc.ssl_channel_credentials(root_certificates=trusted_certs)
    # channel = grpc.secure_channel('localhost:50051', credentials)

    stub = user_pb2_grpc.UserServiceStub(channel)

    # 1. Создание пользователя
    print("Creating user...")
    try:
        user = stub.CreateUser(user_pb2.CreateUserRequest(
            name="John Doe",
            email="john@example.com",
            password="secret123"
        ))
        print(f"Created: {user.id} - {user.name}")
    except grpc.RpcError as e:
        print(f"Error: {e.code()} - {e.details()}")

    # 2. Получение пользователя
    print("\nGetting user...")
    try:
        response = stub.GetUser(user_pb2.GetUserRequest(id=user.id))
        print(f"Got: {response.user.name} ({response.user.email})")
    except grpc.RpcError as e:
        print(f"Error: {e.code()} - {e.details()}")

    # 3. Обновление пользователя
    print("\nUpdating user...")
    try:
        updated = stub.UpdateUser(user_pb2.UpdateUserRequest(
            id=user.id,
            name="John Updated"
        ))
        print(f"Updated: {updated.name}")
    except grpc.RpcError as e:
        print(f"Error: {e.code()} - {e.details()}")

    # 4. Streaming: получение списка
    print("\nListing users (streaming)...")
    try:
        for user in stub.ListUsers(user_pb2.ListUsersRequest(
            page=1,
            page_size=10
        )):
            print(f"  - {user.id}: {user.name}")
    except grpc.RpcError as e:
        print(f"Error: {e.code()} - {e.details()}")

    # 5. Удаление
    print("\nDeleting user...")
    try:
        stub.DeleteUser(user_pb2.DeleteUserRequest(id=user.id))
        print("Deleted successfully")
    except grpc.RpcError as e:
        print(f"Error: {e.code()} - {e.details()}")



class AuthClientInterceptor(grpc.UnaryUnaryClientInterceptor):
    def __init__(self, token):
        self.token = token

    def intercept_unary_unary(self, continuation, client_call_details, request):
        # Добавляем токен в metadata
        metadata = list(client_call_details.metadata or [])
        metadata.append(("authorization", f"Bearer {self.token}"))

        new_details = client_call_details._replace(metadata=metadata)
        return continuation(new_details, request)


# The lab's driver: the seed's run(), then the statuses its server documents.
def status_of(call):
    try:
        call()
        return "OK"
    except grpc.RpcError as e:
        return f"{e.code().name} {e.details()}"


if __name__ == "__main__":
    auth = len(sys.argv) > 3 and sys.argv[3] == "auth"
    if not auth:
        run()
    channel = grpc.insecure_channel("localhost:50051")
    stub = user_pb2_grpc.UserServiceStub(channel)
    print("RESULT no_name", status_of(lambda: stub.CreateUser(user_pb2.CreateUserRequest(email="x@example.com"))))
    print("RESULT no_email", status_of(lambda: stub.CreateUser(user_pb2.CreateUserRequest(name="X"))))
    print("RESULT duplicate", status_of(lambda: stub.CreateUser(user_pb2.CreateUserRequest(name="Al", email="alice@example.com"))))
    print("RESULT unknown", status_of(lambda: stub.GetUser(user_pb2.GetUserRequest(id="999"))))
    print("RESULT delete_unknown", status_of(lambda: stub.DeleteUser(user_pb2.DeleteUserRequest(id="999"))))
    print("RESULT read", status_of(lambda: stub.GetUser(user_pb2.GetUserRequest(id="1"))))
    print("RESULT write_without_token", status_of(lambda: stub.CreateUser(user_pb2.CreateUserRequest(name="Tok", email="tok@example.com"))))
    authed = user_pb2_grpc.UserServiceStub(grpc.intercept_channel(channel, AuthClientInterceptor("my-jwt-token")))
    print("RESULT write_with_token", status_of(lambda: authed.CreateUser(user_pb2.CreateUserRequest(name="Tok2", email="tok2@example.com"))))
