// The files whose services the lab's gRPC port serves (server/servers/grpc/grpc-service.ts), and their methods by
// path: what server reflection lists, what the gRPC call console offers and turns JSON into bytes with.
// ISOMORPHIC: the generated files are plain descriptors, so the browser's console reads the same list.

import { createRegistry, type DescFile, type DescMethod } from "@bufbuild/protobuf";
import { file_grpc_health_v1_health } from "@/gen/grpc/health/v1/health_pb";
import { file_grpc_reflection_v1_reflection } from "@/gen/grpc/reflection/v1/reflection_pb";
import { file_grpc_reflection_v1alpha_reflection } from "@/gen/grpc/reflection/v1alpha/reflection_pb";
import { file_helloworld_helloworld } from "@/gen/helloworld/helloworld_pb";
import { file_user_user } from "@/gen/user/user_pb";
import { file_user_service_user_service } from "@/gen/user_service/user_service_pb";

/** The files whose services the gRPC port serves (reflection lists them; their imports come along). */
export const SERVED_GRPC_FILES: readonly DescFile[] = [
  file_user_service_user_service,
  file_user_user,
  file_helloworld_helloworld,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
];

/** Every message type of the served files and what they import (for JSON with google.protobuf types). */
export const servedGrpcRegistry = createRegistry(...SERVED_GRPC_FILES);

/** "/package.Service/Method" of a method. */
export const methodPath = (method: DescMethod): string => `/${method.parent.typeName}/${method.name}`;

/** The served methods by path, in the files' order. */
export const servedGrpcMethods: ReadonlyMap<string, DescMethod> = new Map(
  SERVED_GRPC_FILES.flatMap((file) => file.services.flatMap((service) => service.methods.map((m) => [methodPath(m), m] as const))),
);
