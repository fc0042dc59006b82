// Seed 000's REST users API (RESTAPIHandler), answer for answer, over the store's users:
//   GET    /api/users        200 {"success": true, "data": [...], "count": n}
//   GET    /api/users/{id}   200 {"success": true, "data": {...}} | 404 "User {id} not found" | 400 "Invalid user ID"
//   POST   /api/users        201 {"success": true, "data": {...}, "message": "User created successfully"}
//                            400 "Invalid JSON" | "Missing required fields"
//   PUT    /api/users/{id}   200 {..., "message": "User updated successfully"} (only the fields given)
//   DELETE /api/users/{id}   200 {"success": true, "message": "User {name} deleted", "data": {...}}
//   GET    /api/health       200 {"status": "healthy", "timestamp": <float>, "users_count": n}
//   anything else under /api 404 {"success": false, "error": "Endpoint not found"}
// Bodies are Python's json.dumps (python-json.ts); every answer carries the seed's CORS headers, and
// OPTIONS on any path is the seed's 200 preflight. Beyond the seed, which stored whatever JSON came, the
// lab's table holds text names and e-mails and integer ages, so other types are a 400 that says which
// field is wrong; a GET's 200 also carries an ETag (the caching lesson's 304).

import type { UserFields } from "../../store/store";
import { parseJson, readBody } from "./body";
import { PyFloat, pythonJsonDumps, type PyJson } from "./python-json";
import { send, sendCacheable, type Area, type Exchange, type Headers } from "./routing";

/** _set_headers of the seed. */
export const SEED_CORS: Headers = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
};

const JSON_TYPE = { "Content-Type": "application/json" };

/** Text fields longer than this are refused (the table keeps what a lesson needs, not what a script can send). */
export const MAX_TEXT_FIELD = 200;

function json(x: Exchange, status: number, body: PyJson, headers: Headers = {}) {
  send(x, status, pythonJsonDumps(body), { ...JSON_TYPE, ...headers });
}

const failure = (x: Exchange, status: number, error: string, headers?: Headers) => json(x, status, { success: false, error }, headers);

/**
 * Python's int() of the path's last segment, as the seed parses the id: optional whitespace and sign,
 * ASCII digits with single underscores between them. undefined where int() raises ValueError.
 */
export function pythonInt(text: string): number | undefined {
  const m = /^[ \t\n\r\f\v]*([+-]?)(\d(?:_?\d)*)[ \t\n\r\f\v]*$/.exec(text);
  if (!m) return undefined;
  return Number(`${m[1]}${m[2]!.replaceAll("_", "")}`);
}

/** The id of /api/users/{id}: the last path segment (the seed's path.split('/')[-1]). */
function idOf(x: Exchange): number | undefined {
  const segment = x.url.pathname.split("/").at(-1) ?? "";
  try {
    return pythonInt(decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

const userJson = (u: { id: number; name: string; email: string; age: number }): PyJson => ({ id: u.id, name: u.name, email: u.email, age: u.age });

/** A field's value, checked: undefined when absent, or a problem naming the field. */
function fieldProblem(data: Record<string, unknown>, fields: readonly (keyof UserFields)[]): string | undefined {
  for (const field of fields) {
    if (!(field in data)) continue;
    const value = data[field];
    if (field === "age") {
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) return "Field 'age' must be a non-negative integer";
    } else if (typeof value !== "string" || value.length > MAX_TEXT_FIELD) {
      return `Field '${field}' must be a string of at most ${MAX_TEXT_FIELD} characters`;
    }
  }
  return undefined;
}

async function jsonObject(x: Exchange): Promise<Record<string, unknown> | string> {
  const parsed = parseJson(await readBody(x));
  // json.loads raises JSONDecodeError on bad JSON, and the body's .decode('utf-8') a ValueError.
  if (!parsed.ok) return parsed.reason === "syntax" ? "Invalid JSON" : "Invalid JSON: the body is not UTF-8";
  const value = parsed.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "Missing required fields";
  return value as Record<string, unknown>;
}

async function listUsers(x: Exchange) {
  const users = x.store.users.list(await x.dataset());
  sendCacheable(x, pythonJsonDumps({ success: true, data: users.map(userJson), count: users.length }), JSON_TYPE);
}

async function getUser(x: Exchange) {
  const id = idOf(x);
  if (id === undefined) return failure(x, 400, "Invalid user ID");
  const user = Number.isSafeInteger(id) ? x.store.users.get(await x.dataset(), id) : undefined;
  if (!user) return failure(x, 404, `User ${id} not found`);
  sendCacheable(x, pythonJsonDumps({ success: true, data: userJson(user) }), JSON_TYPE);
}

async function createUser(x: Exchange) {
  const data = await jsonObject(x);
  if (typeof data === "string") return failure(x, 400, data);
  if (!["name", "email", "age"].every((k) => k in data)) return failure(x, 400, "Missing required fields");
  const problem = fieldProblem(data, ["name", "email", "age"]);
  if (problem) return failure(x, 400, problem);
  const user = x.store.users.create(await x.dataset(), { name: data.name as string, email: data.email as string, age: data.age as number });
  json(x, 201, { success: true, data: userJson(user), message: "User created successfully" });
}

async function updateUser(x: Exchange) {
  const id = idOf(x);
  if (id === undefined) return failure(x, 400, "Invalid user ID");
  const dataset = await x.dataset();
  // The seed answers 404 before it reads the body.
  if (!Number.isSafeInteger(id) || !x.store.users.get(dataset, id)) return failure(x, 404, `User ${id} not found`);
  const data = await jsonObject(x);
  if (typeof data === "string") return failure(x, 400, data);
  const problem = fieldProblem(data, ["name", "email", "age"]);
  if (problem) return failure(x, 400, problem);
  const fields: { -readonly [K in keyof UserFields]?: UserFields[K] } = {};
  if ("name" in data) fields.name = data.name as string;
  if ("email" in data) fields.email = data.email as string;
  if ("age" in data) fields.age = data.age as number;
  const user = x.store.users.update(dataset, id, fields);
  if (!user) return failure(x, 404, `User ${id} not found`);
  json(x, 200, { success: true, data: userJson(user), message: "User updated successfully" });
}

async function deleteUser(x: Exchange) {
  const id = idOf(x);
  if (id === undefined) return failure(x, 400, "Invalid user ID");
  const user = Number.isSafeInteger(id) ? x.store.users.remove(await x.dataset(), id) : undefined;
  if (!user) return failure(x, 404, `User ${id} not found`);
  json(x, 200, { success: true, message: `User ${user.name} deleted`, data: userJson(user) });
}

async function health(x: Exchange) {
  const count = x.store.users.count(await x.dataset());
  json(x, 200, { status: "healthy", timestamp: new PyFloat(Date.now() / 1000), users_count: count });
}

/** POST /api/lab/reset: the caller's data set back to the seed (what the page's reset button does for a session). */
async function reset(x: Exchange) {
  const dataset = await x.dataset();
  x.store.reset(dataset);
  json(x, 200, { success: true, message: "Data set reset to the seed data", dataset: dataset.startsWith("session:") ? "session" : "public" });
}

export const usersApi: Area = {
  prefix: "/api/",
  cors: SEED_CORS,
  routes: [
    { path: /^\/api\/users$/, methods: { GET: listUsers, POST: createUser } },
    // The seed takes anything after /api/users/ and parses its last segment as the id.
    { path: /^\/api\/users\/.*$/, methods: { GET: getUser, PUT: updateUser, DELETE: deleteUser } },
    { path: /^\/api\/health$/, methods: { GET: health } },
    { path: /^\/api\/lab\/reset$/, methods: { POST: reset } },
  ],
  problem(x, status, message, headers) {
    // Seed 000's words for an unknown path.
    failure(x, status, status === 404 ? "Endpoint not found" : message, headers);
  },
};
