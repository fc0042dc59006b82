// gRPC server reflection, v1 and v1alpha (proto/grpc/reflection/*; grpc/grpc doc/server-reflection.md):
// one bidirectional stream, one answer per request, so grpcurl, Postman and grpc_cli list and describe
// 50051's services without the .proto files. Files are answered as serialized FileDescriptorProtos with
// every file they import, as the reference servers do (clients build their pool from the set).

import { create, createRegistry, fromBinary, toBinary, type DescFile } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import * as v1 from "@/gen/grpc/reflection/v1/reflection_pb";
import * as v1alpha from "@/gen/grpc/reflection/v1alpha/reflection_pb";

const NOT_FOUND = 5;
const UNIMPLEMENTED = 12;

type Request = v1.ServerReflectionRequest | v1alpha.ServerReflectionRequest;
type Answer = v1.ServerReflectionResponse["messageResponse"];

/** The files that define the services (and everything they import), and the services' full names. */
export function createReflection(files: readonly DescFile[]) {
  const all = new Map<string, DescFile>();
  const add = (file: DescFile) => {
    if (all.has(file.name + ".proto")) return;
    all.set(file.name + ".proto", file);
    for (const dep of file.dependencies) add(dep);
  };
  for (const file of files) add(file);
  const registry = createRegistry(...all.values());
  const services = files.flatMap((f) => f.services.map((s) => s.typeName)).sort();

  /** A file and, depth first, what it imports: each once. */
  function withDependencies(file: DescFile): Uint8Array[] {
    const seen = new Set<string>();
    const out: Uint8Array[] = [];
    const visit = (f: DescFile) => {
      if (seen.has(f.name)) return;
      seen.add(f.name);
      out.push(toBinary(FileDescriptorProtoSchema, f.proto));
      for (const dep of f.dependencies) visit(dep);
    };
    visit(file);
    return out;
  }

  /** The file that defines a symbol: a message, enum, service or extension, or a service's method. */
  function fileOfSymbol(symbol: string): DescFile | undefined {
    const found = registry.get(symbol);
    if (found) return found.file;
    const dot = symbol.lastIndexOf(".");
    if (dot < 0) return undefined;
    const parent = registry.getService(symbol.slice(0, dot));
    return parent?.methods.some((m) => m.name === symbol.slice(dot + 1)) ? parent.file : undefined;
  }

  function answer(req: Request): Answer {
    const error = (code: number, message: string): Answer => ({
      case: "errorResponse",
      value: create(v1.ErrorResponseSchema, { errorCode: code, errorMessage: message }),
    });
    const files = (file: DescFile | undefined, what: string): Answer =>
      file
        ? { case: "fileDescriptorResponse", value: create(v1.FileDescriptorResponseSchema, { fileDescriptorProto: withDependencies(file) }) }
        : error(NOT_FOUND, `${what} not found`);
    const request = req.messageRequest;
    switch (request.case) {
      case "listServices":
        return {
          case: "listServicesResponse",
          value: create(v1.ListServiceResponseSchema, { service: services.map((name) => create(v1.ServiceResponseSchema, { name })) }),
        };
      case "fileByFilename":
        return files(all.get(request.value), `file ${request.value}`);
      case "fileContainingSymbol":
        return files(fileOfSymbol(request.value), `symbol ${request.value}`);
      case "fileContainingExtension":
        return error(NOT_FOUND, `no extension ${request.value.extensionNumber} of ${request.value.containingType}`);
      case "allExtensionNumbersOfType": {
        const message = registry.getMessage(request.value);
        if (!message) return error(NOT_FOUND, `type ${request.value} not found`);
        return { case: "allExtensionNumbersResponse", value: create(v1.ExtensionNumberResponseSchema, { baseTypeName: request.value }) };
      }
      default:
        return error(UNIMPLEMENTED, "no request in the message");
    }
  }

  return {
    services,
    routes(router: ConnectRouter) {
      router.service(v1.ServerReflection, {
        async *serverReflectionInfo(requests) {
          for await (const req of requests) {
            yield create(v1.ServerReflectionResponseSchema, { validHost: req.host, originalRequest: req, messageResponse: answer(req) });
          }
        },
      });
      // v1alpha's messages are v1's field for field: the same answer, under the older names.
      router.service(v1alpha.ServerReflection, {
        async *serverReflectionInfo(requests) {
          for await (const req of requests) {
            const response = create(v1.ServerReflectionResponseSchema, { validHost: req.host, messageResponse: answer(req) });
            const alpha = fromBinary(v1alpha.ServerReflectionResponseSchema, toBinary(v1.ServerReflectionResponseSchema, response));
            alpha.originalRequest = req;
            yield alpha;
          }
        },
      });
    },
  };
}
