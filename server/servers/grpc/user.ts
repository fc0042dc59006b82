// Seed 001's user.UserService (proto/user/user.proto) over the lab's store, with the status codes its
// Python server returns: NOT_FOUND "User with id <id> not found", INVALID_ARGUMENT "Name is required" /
// "Email is required", ALREADY_EXISTS "Email already registered". Ids are the store's numbers as strings.
// The store keeps name, e-mail, age and when the user was made (created_at; the seed users: when their data set
// was), so every user reads as USER_STATUS_ACTIVE with no roles, metadata or phone; CreateUser's password is
// checked for nothing and kept nowhere.

import { create } from "@bufbuild/protobuf";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { ChatMessageSchema, GetUserResponseSchema, ListUsersResponseSchema, UserSchema, UserService, UserStatus, type User } from "@/gen/user/user_pb";
import type { LabStore, UserRow } from "../../store/store";
import { datasetOf, pause, storeCall, type UserServiceDeps } from "./context";
import { timestampFromMs, timestampNow } from "@bufbuild/protobuf/wkt";

function toUser(user: UserRow): User {
  return create(UserSchema, { id: String(user.id), name: user.name, email: user.email, status: UserStatus.ACTIVE, createdAt: timestampFromMs(user.createdMs) });
}

/** The store's id for a seed 001 id ("2"), or undefined when it names no user it could hold. */
function storeId(id: string): number | undefined {
  return /^[1-9]\d{0,9}$/.test(id) ? Number(id) : undefined;
}

function notFound(id: string): ConnectError {
  return new ConnectError(`User with id ${id} not found`, Code.NotFound);
}

function findUser(store: LabStore, dataset: string, id: string): UserRow {
  const n = storeId(id);
  const user = n === undefined ? undefined : store.users.get(dataset, n);
  if (!user) throw notFound(id);
  return user;
}

/** Page size when the request gives none (the seed's client asks for 10). */
const DEFAULT_PAGE_SIZE = 10;

export function userRoutes(router: ConnectRouter, { store, paceMs }: UserServiceDeps): void {
  router.service(UserService, {
    async getUser(req, ctx) {
      return create(GetUserResponseSchema, { user: toUser(findUser(store, await datasetOf(ctx), req.id)) });
    },
    async createUser(req, ctx) {
      if (!req.name) throw new ConnectError("Name is required", Code.InvalidArgument);
      if (!req.email) throw new ConnectError("Email is required", Code.InvalidArgument);
      const dataset = await datasetOf(ctx);
      if (store.users.list(dataset).some((u) => u.email === req.email)) throw new ConnectError("Email already registered", Code.AlreadyExists);
      return toUser(storeCall(() => store.users.create(dataset, { name: req.name, email: req.email, age: 0 })));
    },
    async updateUser(req, ctx) {
      const dataset = await datasetOf(ctx);
      const user = findUser(store, dataset, req.id);
      // Only the fields present in the request (proto3 optional: HasField in the seed's server).
      const updated = store.users.update(dataset, user.id, {
        ...(req.name !== undefined && { name: req.name }),
        ...(req.email !== undefined && { email: req.email }),
      });
      if (!updated) throw notFound(req.id);
      return toUser(updated);
    },
    async deleteUser(req, ctx) {
      const dataset = await datasetOf(ctx);
      const n = storeId(req.id);
      if (n === undefined || !store.users.remove(dataset, n)) throw notFound(req.id);
      return create(EmptySchema);
    },
    async *listUsers(req, ctx) {
      // Every user is active (see above): a filter for another status leaves none.
      const users = req.statusFilter === UserStatus.UNSPECIFIED || req.statusFilter === UserStatus.ACTIVE ? store.users.list(await datasetOf(ctx)) : [];
      const size = req.pageSize > 0 ? req.pageSize : DEFAULT_PAGE_SIZE;
      const start = (Math.max(req.page, 1) - 1) * size;
      for (const user of users.slice(start, start + size)) {
        await pause(paceMs, ctx);
        yield toUser(user);
      }
    },
    async createUsers(requests, ctx) {
      const dataset = await datasetOf(ctx);
      const created: User[] = [];
      for await (const req of requests) {
        created.push(toUser(storeCall(() => store.users.create(dataset, { name: req.name, email: req.email, age: 0 }))));
      }
      return create(ListUsersResponseSchema, { users: created, totalCount: created.length, hasMore: false });
    },
    async *chat(requests) {
      for await (const message of requests) {
        yield create(ChatMessageSchema, { userId: "Server", content: `Echo: ${message.content}`, timestamp: timestampNow() });
      }
    },
  });
}
