// The console's model: every served method is offered, each with an example request that is valid JSON of its input
// message (the lab would refuse it otherwise), and the browser is offered only the shapes fetch can make.

import { fromJsonString } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { servedGrpcRegistry } from "@/server/dissect/lab-services";
import { browserCan, exampleRequest, METHODS, methodOf, requestStreams, statusName } from "./model";

describe("the console's methods", () => {
  it("lists seed 000's, seed 001's, seed 004's, health's and reflection's methods by path", () => {
    const paths = METHODS.map((m) => m.path);
    expect(paths).toContain("/user_service.UserService/GetUser");
    expect(paths).toContain("/user_service.UserService/Chat");
    expect(paths).toContain("/user.UserService/ListUsers");
    expect(paths).toContain("/helloworld.Greeter/SayHello");
    expect(paths).toContain("/grpc.health.v1.Health/Check");
    expect(paths).toContain("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo");
    expect(methodOf("/user_service.UserService/Chat")?.kind).toBe("bidi_streaming");
  });

  it("gives every method an example that decodes as its input message", () => {
    for (const method of METHODS) {
      const example = exampleRequest(method);
      expect(() => fromJsonString(method.desc.input, example, { registry: servedGrpcRegistry }), method.path).not.toThrow();
    }
    expect(JSON.parse(exampleRequest(methodOf("/user_service.UserService/GetUser")!))).toEqual({ userId: 1 });
  });

  it("lets the browser make unary and server-streaming calls only", () => {
    expect([browserCan("unary"), browserCan("server_streaming"), browserCan("client_streaming"), browserCan("bidi_streaming")]).toEqual([true, true, false, false]);
    expect([requestStreams("unary"), requestStreams("client_streaming"), requestStreams("bidi_streaming")]).toEqual([false, true, true]);
  });

  it("names status codes as grpc/grpc's table does", () => {
    expect([statusName(0), statusName(4), statusName(16), statusName(99)]).toEqual(["OK", "DEADLINE_EXCEEDED", "UNAUTHENTICATED", "99"]);
  });
});
