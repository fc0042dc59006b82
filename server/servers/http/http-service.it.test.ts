// The HTTP server on 8080 in a real lab host, over loopback, with the clients the course documents use:
// seed 000's HTTPClientExample sequence run by Debian's Python (requests, else urllib), every curl line
// of the workshop's README (seed 004) run by curl as written, Python's xmlrpc.client, JSON-RPC batches,
// seed 003's redirect with curl -L, HTTP's own behaviours on raw sockets, and the data sets: each
// session's own, the public one, and a reset.

import { execFile } from "node:child_process";
import http from "node:http";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTcpClient } from "../../clients/tcp";
import { createBus } from "../../capture/bus";
import { dissectorFor } from "../../dissect/protocols";
import { createSessionStore } from "../../lab/sessions";
import { httpService } from "./http-service";
import type { LabHost } from "../../lab/host";
import { PUBLIC_DATASET, sessionDataset } from "../../store/store";
import { SEED_DUMMIES, SEED_USERS } from "../../store/seed-data";
import { connectClient, sleep, startTestHost } from "../../testing/host";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";

let host: LabHost;
let port: number;

beforeAll(async () => {
  host = await startTestHost();
  port = host.port("http");
});
afterAll(async () => {
  await host.stop();
});

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One request on its own connection, from `localAddress` (the loopback has all of 127/8). */
function request(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers: options.headers, localAddress: options.localAddress, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const SEED_CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, DELETE, OPTIONS",
  "access-control-allow-headers": "Content-Type",
};

describe("seed 000's users API", () => {
  // HTTPClientExample.test_all_endpoints, call for call, with the library the seed uses when Debian has it.
  const CLIENT = String.raw`
import json, sys
base = sys.argv[1]
try:
    import requests
    session = requests.Session()
    def call(method, path, json_body=None, data=None, headers=None):
        r = session.request(method, base + path, json=json_body, data=data, headers=headers)
        return r.status_code, r.json()
    library = "requests"
except ImportError:
    import urllib.request, urllib.error
    def call(method, path, json_body=None, data=None, headers=None):
        headers = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(base + path, data=data.encode() if data is not None else None, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())
    library = "urllib"
answers = [
    call("GET", "/api/health"),
    call("GET", "/api/users"),
    call("GET", "/api/users/1"),
    call("POST", "/api/users", json_body={"name": "David", "email": "david@example.com", "age": 28}),
    call("PUT", "/api/users/1", json_body={"name": "Alice Updated", "age": 31}),
    call("DELETE", "/api/users/2"),
    call("GET", "/api/users/999"),
    call("POST", "/api/users", data="invalid json", headers={"Content-Type": "application/json"}),
]
print(json.dumps({"library": library, "answers": answers}))
`;

  it("answers HTTPClientExample's sequence 200, 200, 200, 201, 200, 200, 404, 400 with the seed's bodies", async () => {
    host.store.reset(PUBLIC_DATASET);
    const { stdout } = await run(PYTHON, ["-c", CLIENT, `http://127.0.0.1:${port}`]);
    const { library, answers } = JSON.parse(stdout) as { library: string; answers: [number, Record<string, unknown>][] };
    expect(["requests", "urllib"]).toContain(library);
    expect(answers.map(([status]) => status)).toEqual([200, 200, 200, 201, 200, 200, 404, 400]);
    const bodies = answers.map(([, body]) => body);
    expect(bodies[0]).toMatchObject({ status: "healthy", users_count: 3 });
    expect(typeof bodies[0]!.timestamp).toBe("number");
    expect(bodies[1]).toEqual({ success: true, data: SEED_USERS, count: 3 });
    expect(bodies[2]).toEqual({ success: true, data: { id: 1, name: "Alice", email: "alice@example.com", age: 30 } });
    expect(bodies[3]).toEqual({ success: true, data: { id: 4, name: "David", email: "david@example.com", age: 28 }, message: "User created successfully" });
    expect(bodies[4]).toEqual({ success: true, data: { id: 1, name: "Alice Updated", email: "alice@example.com", age: 31 }, message: "User updated successfully" });
    expect(bodies[5]).toEqual({ success: true, message: "User Bob deleted", data: { id: 2, name: "Bob", email: "bob@example.com", age: 25 } });
    expect(bodies[6]).toEqual({ success: false, error: "User 999 not found" });
    expect(bodies[7]).toEqual({ success: false, error: "Invalid JSON" });
  });

  it("writes its bodies as Python's json.dumps does, with the seed's CORS headers on every answer", async () => {
    host.store.reset(PUBLIC_DATASET);
    const list = await request("GET", "/api/users");
    expect(list.body).toBe(
      '{"success": true, "data": [{"id": 1, "name": "Alice", "email": "alice@example.com", "age": 30}, {"id": 2, "name": "Bob", "email": "bob@example.com", "age": 25}, {"id": 3, "name": "Charlie", "email": "charlie@example.com", "age": 35}], "count": 3}',
    );
    expect(list.headers).toMatchObject({ ...SEED_CORS, "content-type": "application/json" });
    const health = await request("GET", "/api/health");
    expect(health.body).toMatch(/^\{"status": "healthy", "timestamp": \d+\.\d+, "users_count": 3\}$/);
    const created = await request("POST", "/api/users", { body: JSON.stringify({ name: "Zoë", email: "zoe@example.com", age: 7 }) });
    expect(created.status).toBe(201);
    expect(created.body).toBe('{"success": true, "data": {"id": 4, "name": "Zo\\u00eb", "email": "zoe@example.com", "age": 7}, "message": "User created successfully"}');
    for (const answer of [health, created, await request("GET", "/nowhere/api"), await request("GET", "/api/nowhere")]) {
      if (answer.headers["content-type"] === "application/json") expect(answer.headers).toMatchObject(SEED_CORS);
    }
  });

  it("answers the preflight, 400 for a bad id or missing fields, 404 for an unknown user or path", async () => {
    const preflight = await request("OPTIONS", "/api/users", { headers: { Origin: "http://example.com", "Access-Control-Request-Method": "POST" } });
    expect(preflight.status).toBe(200);
    expect(preflight.headers).toMatchObject(SEED_CORS);
    expect(preflight.body).toBe("");
    expect(await request("GET", "/api/users/abc")).toMatchObject({ status: 400, body: '{"success": false, "error": "Invalid user ID"}' });
    expect(await request("DELETE", "/api/users/x1")).toMatchObject({ status: 400, body: '{"success": false, "error": "Invalid user ID"}' });
    expect(await request("POST", "/api/users", { body: '{"name": "Eve"}' })).toMatchObject({ status: 400, body: '{"success": false, "error": "Missing required fields"}' });
    expect(await request("PUT", "/api/users/12345", { body: "{}" })).toMatchObject({ status: 404, body: '{"success": false, "error": "User 12345 not found"}' });
    expect(await request("GET", "/api/nothing")).toMatchObject({ status: 404, body: '{"success": false, "error": "Endpoint not found"}' });
    const wrongType = await request("POST", "/api/users", { body: '{"name": "Eve", "email": "e@example.com", "age": "old"}' });
    expect(wrongType.status).toBe(400);
    expect(JSON.parse(wrongType.body)).toEqual({ success: false, error: "Field 'age' must be a non-negative integer" });
  });
});

describe("seed 004's workshop REST API", () => {
  // The README's curl lines, as written (only the port is the test host's).
  const LINES = [
    `curl -X GET -s 'http://localhost:8080/api/rest/dummies' | jq`,
    `curl -X GET -s 'http://localhost:8080/api/rest/dummies?id=1&id=2&id=3' | jq`,
    `curl -X GET -s 'http://localhost:8080/api/rest/dummie/2' | jq`,
    `curl -X POST -s 'http://localhost:8080/api/rest/dummie' \\
    --form 'day="1"' \\
    --form 'weekday="Monday"' \\
    --form 'month="January"' \\
    --form 'year="1984"' | jq`,
    `curl -X POST -s 'http://localhost:8080/api/rest/dummie' \\
    -H "Content-Type: application/json" \\
    -d '{"day":2,"weekday":"Tuesday","month":"February","year":"1985"}' | jq`,
    `curl -X PUT -s 'http://localhost:8080/api/rest/dummie/11' \\
    --form 'day="2"' \\
    --form 'weekday="Tuesday"' \\
    --form 'month="February"' \\
    --form 'year="1985"' | jq`,
    `curl -X PATCH -s 'http://localhost:8080/api/rest/dummie/11' \\
    --form 'year="1984"' | jq`,
    `curl -X PATCH -s 'http://localhost:8080/api/rest/dummie/11' \\
    -H "Content-Type: application/json" \\
    -d '{"year":"1985"}' | jq`,
    `curl -X DELETE -I 'http://localhost:8080/api/rest/dummie/11'`,
  ];

  it("answers every curl line of the README as the workshop's server did", async () => {
    host.store.reset(PUBLIC_DATASET);
    const outputs: string[] = [];
    for (const line of LINES) {
      const { stdout } = await run("bash", ["-o", "pipefail", "-c", line.replaceAll("localhost:8080", `localhost:${port}`)]);
      outputs.push(stdout);
    }
    const parsed = outputs.slice(0, 8).map((o) => JSON.parse(o) as unknown);
    expect(parsed[0]).toEqual(SEED_DUMMIES);
    expect(parsed[1]).toEqual(SEED_DUMMIES.slice(0, 3));
    expect(parsed[2]).toEqual(SEED_DUMMIES[1]);
    expect(parsed[3]).toEqual({ id: 11, day: 1, weekday: "Monday", month: "January", year: 1984 });
    expect(parsed[4]).toEqual({ id: 12, day: 2, weekday: "Tuesday", month: "February", year: 1985 });
    expect(parsed[5]).toEqual({ id: 11, day: 2, weekday: "Tuesday", month: "February", year: 1985 });
    expect(parsed[6]).toEqual({ id: 11, day: 2, weekday: "Tuesday", month: "February", year: 1984 });
    expect(parsed[7]).toEqual({ id: 11, day: 2, weekday: "Tuesday", month: "February", year: 1985 });
    expect(outputs[8]).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
    expect(await request("GET", "/api/rest/dummie/11")).toMatchObject({ status: 404, body: '{"detail":"Not found."}' });
  });

  it("answers DRF's errors: 400 per field, 400 for a bad filter, 404, 405 with Allow, 415", async () => {
    const bad = await request("POST", "/api/rest/dummie", {
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ day: 42, weekday: "Funday", year: "MCMLXXXIV" }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({
      day: ["Ensure this value is less than or equal to 31."],
      weekday: ['"Funday" is not a valid choice.'],
      month: ["This field is required."],
      year: ["A valid integer is required."],
    });
    expect(await request("GET", "/api/rest/dummies?id=one")).toMatchObject({ status: 400, body: '{"id":["Enter a whole number."]}' });
    expect(await request("GET", "/api/rest/dummie/999")).toMatchObject({ status: 404, body: '{"detail":"Not found."}' });
    const notAllowed = await request("DELETE", "/api/rest/dummies");
    expect(notAllowed).toMatchObject({ status: 405, body: '{"detail":"Method \\"DELETE\\" not allowed."}' });
    expect(notAllowed.headers.allow).toBe("GET, HEAD, OPTIONS");
    const unsupported = await request("POST", "/api/rest/dummie", { headers: { "Content-Type": "text/plain" }, body: "day=1" });
    expect(unsupported).toMatchObject({ status: 415, body: '{"detail":"Unsupported media type \\"text/plain\\" in request."}' });
    const badJson = await request("POST", "/api/rest/dummie", { headers: { "Content-Type": "application/json" }, body: "{day: 1" });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body)).toMatchObject({ detail: expect.stringMatching(/^JSON parse error - /) as unknown });
  });
});

describe("RPC", () => {
  it("serves Python's xmlrpc.client unchanged: the four procedures, introspection, multicall and faults", async () => {
    const script = String.raw`
import json, sys, xmlrpc.client
proxy = xmlrpc.client.ServerProxy(sys.argv[1])
out = {
    "add": proxy.add(2, 3), "addFloat": proxy.add(2.5, 0.25), "upper": proxy.upper("héllo <b> & co"),
    "reverse": proxy.reverse("stressed"), "swap": proxy.swap({"a": "b", "c": "d"}),
    "methods": proxy.system.listMethods(),
}
multi = xmlrpc.client.MultiCall(proxy)
multi.add(1, 2)
multi.upper("q")
out["multicall"] = list(multi())
for name, call in (("unknown", lambda: proxy.nope()), ("arity", lambda: proxy.add(1)), ("type", lambda: proxy.upper(5))):
    try:
        call()
    except xmlrpc.client.Fault as fault:
        out[name] = [fault.faultCode, fault.faultString]
print(json.dumps(out))
`;
    const { stdout } = await run(PYTHON, ["-c", script, `http://127.0.0.1:${port}/api/rpc/xml`]);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ add: 5, addFloat: 2.75, upper: "HÉLLO <B> & CO", reverse: "desserts", swap: { b: "a", d: "c" }, multicall: [3, "Q"] });
    expect(out.methods).toEqual(expect.arrayContaining(["add", "upper", "reverse", "swap", "system.listMethods", "system.multicall"]));
    expect((out.unknown as unknown[])[0]).toBe(-32601);
    expect((out.arity as unknown[])[0]).toBe(-32602);
    expect((out.type as unknown[])[0]).toBe(-32602);
  });

  it("answers a not-well-formed XML-RPC document with fault -32700, and a DOCTYPE with -32600", async () => {
    const headers = { "Content-Type": "text/xml" };
    const broken = await request("POST", "/api/rpc/xml", { headers, body: "<methodCall><methodName>add</methodCall>" });
    expect(broken.status).toBe(200);
    expect(broken.body).toContain("<name>faultCode</name>\n<value><int>-32700</int></value>");
    const doctype = await request("POST", "/api/rpc/xml", { headers, body: '<!DOCTYPE x [<!ENTITY a "aaaa">]><methodCall><methodName>upper</methodName></methodCall>' });
    expect(doctype.body).toContain("<value><int>-32600</int></value>");
  });

  it("answers JSON-RPC 2.0 calls, named params, batches, notifications and the spec's error codes", async () => {
    const call = (body: unknown, headers = { "Content-Type": "application/json" }) =>
      request("POST", "/api/rpc/json", { headers, body: typeof body === "string" ? body : JSON.stringify(body) });
    expect(JSON.parse((await call({ jsonrpc: "2.0", method: "add", params: [2, 3], id: 1 })).body)).toEqual({ jsonrpc: "2.0", result: 5, id: 1 });
    expect(JSON.parse((await call({ jsonrpc: "2.0", method: "reverse", params: { s: "abc" }, id: "r" })).body)).toEqual({ jsonrpc: "2.0", result: "cba", id: "r" });
    expect(JSON.parse((await call({ jsonrpc: "2.0", method: "swap", params: [{ a: "b" }], id: 2 })).body)).toEqual({ jsonrpc: "2.0", result: { b: "a" }, id: 2 });
    const errorCode = async (body: unknown) => (JSON.parse((await call(body)).body) as { error: { code: number } }).error.code;
    expect(await errorCode("{not json")).toBe(-32700);
    expect(await errorCode({ jsonrpc: "1.0", method: "add", id: 1 })).toBe(-32600);
    expect(await errorCode([])).toBe(-32600);
    expect(await errorCode(Array.from({ length: 101 }, (_, i) => ({ jsonrpc: "2.0", method: "add", params: [i, 1], id: i })))).toBe(-32600);
    expect(await errorCode({ jsonrpc: "2.0", method: "divide", params: [1, 2], id: 1 })).toBe(-32601);
    expect(await errorCode({ jsonrpc: "2.0", method: "add", params: [1, "2"], id: 1 })).toBe(-32602);
    const batch = JSON.parse(
      (
        await call([
          { jsonrpc: "2.0", method: "upper", params: ["a"], id: 1 },
          { jsonrpc: "2.0", method: "upper", params: ["not answered"] },
          { jsonrpc: "2.0", method: "nope", id: 2 },
          7,
        ])
      ).body,
    ) as { id: unknown; result?: unknown; error?: { code: number } }[];
    expect(batch.map((a) => [a.id, a.result ?? a.error?.code])).toEqual([
      [1, "A"],
      [2, -32601],
      [null, -32600],
    ]);
    const notifications = await call([{ jsonrpc: "2.0", method: "add", params: [1, 2] }]);
    expect(notifications).toMatchObject({ status: 204, body: "" });
    expect((await call({ jsonrpc: "2.0", method: "add", params: [1, 2], id: 1 }, { "Content-Type": "text/plain" })).status).toBe(415);
    expect((await request("GET", "/api/rpc/json")).headers.allow).toBe("POST, OPTIONS");
  });
});

describe("seed 003's redirect and the redirect lesson", () => {
  it("sends GET / to /posts with 302, which curl -L follows to a 200 HTML page", async () => {
    const first = await request("GET", "/");
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe("/posts");
    expect(first.headers["content-type"]).toBe("text/html");
    const { stdout } = await run("curl", ["-s", "-L", "-w", "\n%{http_code} %{num_redirects} %{url_effective} %{content_type}", `http://127.0.0.1:${port}/`]);
    const summary = stdout.split("\n").at(-1);
    expect(summary).toBe(`200 1 http://127.0.0.1:${port}/posts text/html; charset=utf-8`);
    expect(stdout).toMatch(/^<!doctype html>/);
  });

  it("redirects with 301, 303, 307 and 308 as each code says, and curl stops a loop", async () => {
    const follow = async (args: string[]) => (await run("curl", ["-s", "-L", "-o", "/dev/null", "-w", "%{http_code} %{num_redirects} %{url_effective} %{method}", ...args])).stdout;
    expect(await follow([`http://127.0.0.1:${port}/redirect/301`])).toBe(`200 1 http://127.0.0.1:${port}/posts GET`);
    expect(await follow(["-X", "POST", "--post301", "-d", "a=1", `http://127.0.0.1:${port}/redirect/303`])).toMatch(/^405 1 .*\/posts/);
    expect(await follow(["-d", "a=1", `http://127.0.0.1:${port}/redirect/303`])).toBe(`200 1 http://127.0.0.1:${port}/posts GET`);
    for (const code of [307, 308]) {
      const { stdout } = await run("curl", ["-s", "-L", "-d", "kept=yes", `http://127.0.0.1:${port}/redirect/${code}`]);
      expect(JSON.parse(stdout)).toMatchObject({ method: "POST", target: "/http/echo", body: "kept=yes" });
    }
    const loop = await run("curl", ["-s", "-L", "--max-redirs", "5", `http://127.0.0.1:${port}/redirect/loop`]).then(
      () => 0,
      (err: { code?: number }) => err.code,
    );
    // CURLE_TOO_MANY_REDIRECTS.
    expect(loop).toBe(47);
  });
});

describe("HTTP's own behaviours", () => {
  it("keeps a connection alive across requests, closes it on Connection: close, answers HTTP/1.0 and HEAD", async () => {
    const client = await connectClient(port);
    client.socket.write("GET /api/health HTTP/1.1\r\nHost: lab\r\n\r\n");
    await client.until((t) => t.includes('"users_count"'));
    client.socket.write("HEAD /api/users/1 HTTP/1.1\r\nHost: lab\r\n\r\n");
    await client.until((t) => (t.match(/HTTP\/1\.1 200 OK/g) ?? []).length === 2 && t.endsWith("\r\n\r\n"));
    client.socket.write("GET /api/users/1 HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n");
    await client.ended;
    const text = client.received().toString("utf8");
    const answers = text.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(3);
    // HEAD: the GET's headers (its length included) and no body.
    expect(answers[1]).toMatch(/Content-Length: 94\r\n/);
    expect(answers[1]!.endsWith("\r\n\r\n")).toBe(true);
    expect(answers[2]).toMatch(/Connection: close\r\n/);

    const old = await connectClient(port);
    old.socket.write("GET /api/users/3 HTTP/1.0\r\n\r\n");
    await old.ended;
    expect(old.received().toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n\{"success": true, "data": \{"id": 3, "name": "Charlie"/);
  });

  it("gives GETs an ETag and answers If-None-Match with 304 and no body", async () => {
    const first = await request("GET", "/posts");
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers["cache-control"]).toBe("no-cache");
    const again = await request("GET", "/posts", { headers: { "If-None-Match": `W/"other", ${etag}` } });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers.etag).toBe(etag);
    expect((await request("GET", "/posts", { headers: { "If-None-Match": '"stale"' } })).status).toBe(200);
  });

  it("drips a chunked answer: each chunk is its own write on the timeline", async () => {
    const watcher = host.sessions.resolve(undefined, "127.0.0.9").session;
    const answer = await request("GET", "/http/drip?chunks=4&interval=30", { localAddress: "127.0.0.9" });
    expect(answer.headers["transfer-encoding"]).toBe("chunked");
    expect(answer.body).toBe("chunk 1 of 4\nchunk 2 of 4\nchunk 3 of 4\nchunk 4 of 4\n");
    await sleep(50);
    const events = watcher.ring.after(0, 1000).filter((e) => e.kind === "data" && e.direction === "s2c");
    const writes = events.map((e) => Buffer.from(e.data).toString("latin1"));
    // Node writes each chunk's size line, data and CRLF as it comes (corked into one segment): every
    // chunk's data is a write of its own, after the one before.
    expect(writes.join("")).toMatch(/\r\n\r\nd\r\nchunk 1 of 4\n\r\nd\r\nchunk 2 of 4\n\r\nd\r\nchunk 3 of 4\n\r\nd\r\nchunk 4 of 4\n\r\n0\r\n\r\n$/);
    const chunkWrites = events.filter((e) => /^chunk \d of 4\n$/.test(Buffer.from(e.data).toString("latin1")));
    expect(chunkWrites).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(chunkWrites[i]!.seq).toBeGreaterThan(chunkWrites[i - 1]!.seq);
  });

  it("sends 100 Continue for a body it will read, and 413 without reading one over the limit", async () => {
    const client = await connectClient(port);
    const body = JSON.stringify({ name: "Eve", email: "eve@example.com", age: 22 });
    client.socket.write(`POST /api/users HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
    await client.until((t) => t.startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
    client.socket.write(body);
    await client.until((t) => t.includes("HTTP/1.1 201 Created"));
    client.socket.destroy();

    const big = await connectClient(port);
    big.socket.write(`POST /api/users HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`);
    const text = await big.until((t) => t.includes("\r\n\r\n{"));
    expect(text).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(text).not.toContain("100 Continue");
    big.socket.destroy();
  });
});

describe("addresses", () => {
  it("serves IPv6 when bound to ::1, as the other TCP services do", async () => {
    const sessions = createSessionStore({ ringMaxEvents: 1000, ringMaxBytes: 1 << 20 });
    const v6 = await httpService.start!({ bus: createBus({ sessions, dissectorFor }), host: "::1", port: 0, sessions });
    try {
      const { stdout } = await run("curl", ["-g", "-s", "-w", "\n%{http_code} %{remote_ip}", `http://[::1]:${v6.port}/api/users/2`]);
      expect(stdout).toBe('{"success": true, "data": {"id": 2, "name": "Bob", "email": "bob@example.com", "age": 25}}\n200 ::1');
    } finally {
      await v6.stop();
    }
  });
});

describe("data sets", () => {
  it("gives an address with several sessions the data set of the one its browser used last", async () => {
    const older = host.sessions.resolve(undefined, "127.0.0.31").session;
    const newer = host.sessions.resolve(undefined, "127.0.0.31").session;
    const user = (name: string) => JSON.stringify({ name, email: `${name}@example.com`, age: 2 });
    expect((await request("POST", "/api/users", { body: user("for-newer"), localAddress: "127.0.0.31" })).status).toBe(201);
    // The older session's page calls the API (its cookie), so it is the one in use now.
    host.sessions.lookup(`lab_session=${older.id}`, "127.0.0.31");
    expect((await request("POST", "/api/users", { body: user("for-older"), localAddress: "127.0.0.31" })).status).toBe(201);
    expect(host.store.users.list(sessionDataset(newer.id)).map((u) => u.name)).toEqual(["Alice", "Bob", "Charlie", "for-newer"]);
    expect(host.store.users.list(sessionDataset(older.id)).map((u) => u.name)).toEqual(["Alice", "Bob", "Charlie", "for-older"]);
  });

  it("gives each session its own copy of the seed, the public set to an address with none, and resets one", async () => {
    const a = host.sessions.resolve(undefined, "127.0.0.21").session;
    const b = host.sessions.resolve(undefined, "127.0.0.22").session;
    host.store.reset(PUBLIC_DATASET);
    const user = JSON.stringify({ name: "Only A", email: "a@example.com", age: 1 });
    expect((await request("POST", "/api/users", { body: user, localAddress: "127.0.0.21" })).status).toBe(201);
    expect((await request("DELETE", "/api/rest/dummie/1", { localAddress: "127.0.0.21" })).status).toBe(204);
    const names = async (localAddress: string) =>
      (JSON.parse((await request("GET", "/api/users", { localAddress })).body) as { data: { name: string }[] }).data.map((u) => u.name);
    expect(await names("127.0.0.21")).toEqual(["Alice", "Bob", "Charlie", "Only A"]);
    expect(await names("127.0.0.22")).toEqual(["Alice", "Bob", "Charlie"]);
    expect(await names("127.0.0.23")).toEqual(["Alice", "Bob", "Charlie"]);
    expect(host.store.users.count(sessionDataset(a.id))).toBe(4);
    expect(host.store.users.count(sessionDataset(b.id))).toBe(3);
    expect(host.store.users.count(PUBLIC_DATASET)).toBe(3);

    // A lab client of session B reads B's set, whatever its address.
    const target = { service: "http", transport: "tcp" as const, protocol: "http1", host: "127.0.0.1", port };
    const lab = await openTcpClient(host.bus, target, a.id);
    lab.send([Buffer.from("GET /api/users HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")]);
    let seen = "";
    for (let i = 0; i < 100 && !seen.includes('"count"'); i++) {
      await sleep(20);
      seen = a.ring
        .after(0, 10_000)
        .filter((e) => e.conversation.id === lab.conversation.id && e.kind === "data" && e.direction === "s2c")
        .map((e) => Buffer.from(e.data).toString("utf8"))
        .join("");
    }
    expect(seen).toContain('"name": "Only A"');
    expect(seen).toContain('"count": 4');
    lab.close();

    const reset = await request("POST", "/api/lab/reset", { localAddress: "127.0.0.21" });
    expect(JSON.parse(reset.body)).toEqual({ success: true, message: "Data set reset to the seed data", dataset: "session" });
    expect(await names("127.0.0.21")).toEqual(["Alice", "Bob", "Charlie"]);
    expect((await request("GET", "/api/rest/dummie/1", { localAddress: "127.0.0.21" })).status).toBe(200);
  });
});
