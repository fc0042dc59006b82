// The lab's own .proto descriptors (generated from proto/ by `npm run generate`), for reading gRPC messages with
// field names: the methods of user_service.UserService (seed 000), user.UserService (seed 001) and
// helloworld.Greeter (seed 004). ISOMORPHIC: the generated files are plain descriptors.

import { createRegistry } from "@bufbuild/protobuf";
import { file_helloworld_helloworld } from "@/gen/helloworld/helloworld_pb";
import { file_user_user } from "@/gen/user/user_pb";
import { file_user_service_user_service } from "@/gen/user_service/user_service_pb";
import { grpcSchemasOf, type GrpcSchemas } from "./grpc";

export const labGrpcSchemas: GrpcSchemas = grpcSchemasOf(createRegistry(file_user_service_user_service, file_user_user, file_helloworld_helloworld));
