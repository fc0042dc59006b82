// gRPC's hello world (seed 004's greeter.proto): helloworld.Greeter/SayHello answers "Hello, <name>!".

import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { Greeter, HelloReplySchema } from "@/gen/helloworld/helloworld_pb";

export function greeterRoutes(router: ConnectRouter): void {
  router.service(Greeter, {
    sayHello(req) {
      return create(HelloReplySchema, { message: `Hello, ${req.name}!` });
    },
  });
}
