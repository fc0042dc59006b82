// Seed 000's user_service.UserService (proto/user_service/user_service.proto) over the lab's store: the
// same users GET /api/users shows on 8080. GetUser answers NOT_FOUND with the seed's "User <id> not
// found"; GetUsers streams `limit` users (0: all) one per pace, as the seed's server sleeps 0.5 s before
// each; CreateUsers makes one user per message; Chat answers each message with "Echo: <message>" from
// "Server" at once (the seed's server only relays to other clients, so a lone client would hear nothing).

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { ChatMessageSchema, CreateUsersResponseSchema, UserResponseSchema, UserService, type UserResponse } from "@/gen/user_service/user_service_pb";
import type { UserRow } from "../../store/store";
import { datasetOf, pause, storeCall, type UserServiceDeps } from "./context";

function toUserResponse(user: UserRow): UserResponse {
  return create(UserResponseSchema, { id: user.id, name: user.name, email: user.email, age: user.age, status: "ACTIVE" });
}

export function userServiceRoutes(router: ConnectRouter, { store, paceMs }: UserServiceDeps): void {
  router.service(UserService, {
    async getUser(req, ctx) {
      const user = store.users.get(await datasetOf(ctx), req.userId);
      if (!user) throw new ConnectError(`User ${req.userId} not found`, Code.NotFound);
      return toUserResponse(user);
    },
    async *getUsers(req, ctx) {
      const users = store.users.list(await datasetOf(ctx));
      const limit = req.limit || users.length;
      let sent = 0;
      for (const user of users) {
        if (sent >= limit) break;
        await pause(paceMs, ctx);
        yield toUserResponse(user);
        sent++;
      }
    },
    async createUsers(requests, ctx) {
      const dataset = await datasetOf(ctx);
      const created: UserResponse[] = [];
      for await (const req of requests) {
        created.push(toUserResponse(storeCall(() => store.users.create(dataset, { name: req.name, email: req.email, age: req.age }))));
      }
      return create(CreateUsersResponseSchema, { createdCount: created.length, users: created });
    },
    async *chat(requests) {
      for await (const message of requests) {
        yield create(ChatMessageSchema, { userId: "Server", message: `Echo: ${message.message}`, timestamp: BigInt(Math.floor(Date.now() / 1000)) });
      }
    },
  });
}
