// The JIM server (seed 002) against the homework's own kind of client: Debian's Python, one socket.send of
// json.dumps per object and one recv(1024) + json.loads per reply (testdata/homework_client.py). Every reply
// is checked byte by byte: one whole object per read, pure ASCII, at most 1,024 bytes, response an integer,
// time a number, alert on 2xx and error on 4xx. Every inbound variant of issue 13 §2 is a case.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../store/store";
import { createJimAccounts } from "./accounts";
import { eventually, homeworkClient, startJim, type HomeworkClient, type Received, type StartedJim } from "./testing";

let jim: StartedJim;
const clients: HomeworkClient[] = [];
beforeAll(async () => {
  jim = await startJim();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await jim.running.stop();
});

async function client(server: StartedJim = jim): Promise<HomeworkClient> {
  const c = await homeworkClient(server.port);
  clients.push(c);
  return c;
}

/** The reply rules of issue 13 §2, then its code. */
function expectReply(r: Received, code: number): Record<string, unknown> {
  expect(r.error, r.raw.toString("latin1")).toBeNull();
  expect(r.raw.length).toBeGreaterThan(0);
  expect(r.raw.length).toBeLessThanOrEqual(1024);
  expect([...r.raw].every((b) => b < 0x80)).toBe(true);
  const obj = r.obj!;
  expect(obj.response).toBe(code);
  expect(Number.isInteger(obj.response)).toBe(true);
  expect(typeof obj.time).toBe("number");
  if (code < 400) expect(typeof obj.alert).toBe("string");
  else expect(typeof obj.error).toBe("string");
  return obj;
}

/** A forwarded msg as the addressee reads it, with its time replaced by T for comparison. */
function forwarded(r: Received): string {
  expect(r.error).toBeNull();
  expect(r.raw.length).toBeLessThanOrEqual(1024);
  expect([...r.raw].every((b) => b < 0x80)).toBe(true);
  expect(typeof r.obj!.time).toBe("number");
  return r.raw.toString("ascii").replace(/"time":[0-9.e+]+/, '"time":T');
}

const presence = (name: string, extra: Record<string, unknown> = {}) => ({ action: "presence", type: "status", user: { account_name: name, status: "Yep, I am here!" }, ...extra });

async function online(name: string): Promise<HomeworkClient> {
  const c = await client();
  await c.send(presence(name));
  expectReply(await c.recv(), 200);
  return c;
}

describe("the homework client's session", () => {
  it("presence gets 200 with alert, as one ASCII object in one recv(1024)", async () => {
    const c = await client();
    await c.send(presence("hw-ann"));
    const reply = expectReply(await c.recv(), 200);
    expect(reply.alert).toBe("welcome, hw-ann");
    expect(Object.keys(reply)).toEqual(["response", "time", "alert"]);
    expect(jim.hub.online()).toContain("hw-ann");
  });

  it("msg to a user: the addressee gets the msg with action and from, the sender 200", async () => {
    const ann = await online("u-ann");
    const bob = await online("u-bob");
    await ann.send({ action: "msg", to: "u-bob", from: "u-ann", encoding: "ascii", message: "hello bob" });
    expect(expectReply(await ann.recv(), 200).alert).toBe("delivered to u-bob");
    expect(forwarded(await bob.recv())).toBe('{"action":"msg","time":T,"to":"u-bob","from":"u-ann","encoding":"ascii","message":"hello bob"}');
  });

  it("msg to a room reaches both other members and is not echoed to its sender; leave stops it", async () => {
    const [ann, bob, cid] = await Promise.all([online("r-ann"), online("r-bob"), online("r-cid")]);
    for (const c of [ann, bob, cid]) {
      await c.send({ action: "join", room: "#py" });
      expectReply(await c.recv(), 200);
    }
    await ann.send({ action: "msg", to: "#py", from: "r-ann", message: "hi all" });
    expect(expectReply(await ann.recv(), 200).alert).toBe("delivered to 2 in #py");
    const want = '{"action":"msg","time":T,"to":"#py","from":"r-ann","encoding":"ascii","message":"hi all"}';
    expect(forwarded(await bob.recv())).toBe(want);
    expect(forwarded(await cid.recv())).toBe(want);
    // Nothing else waits for ann: the next thing she reads is the answer to her next object.
    await ann.send(presence("r-ann"));
    expect(expectReply(await ann.recv(), 200).alert).toBe("welcome, r-ann");

    await bob.send({ action: "leave", room: "#py" });
    expect(expectReply(await bob.recv(), 200).alert).toBe("left #py");
    await ann.send({ action: "msg", to: "#py", from: "r-ann", message: "second" });
    expect(expectReply(await ann.recv(), 200).alert).toBe("delivered to 1 in #py");
    expect(forwarded(await cid.recv())).toContain('"message":"second"');
    await bob.send({ action: "leave", room: "#py" });
    expect(expectReply(await bob.recv(), 200).alert).toBe("you were not in #py");
  });

  it("quit: the server closes (recv returns b''), and the name is free again", async () => {
    const c = await online("q-ann");
    await c.send({ action: "quit" });
    const last = await c.recv();
    expect(last.raw.length).toBe(0);
    await eventually(() => !jim.hub.online().includes("q-ann"), "q-ann offline");
    const again = await online("q-ann");
    await again.close();
  });

  it("a one-shot client that closes without quit frees its name; a msg to it is then 410, to a stranger 404", async () => {
    const shot = await online("gone-ann");
    await shot.close();
    await eventually(() => !jim.hub.online().includes("gone-ann"), "gone-ann offline");
    const bob = await online("gone-bob");
    await bob.send({ action: "msg", to: "gone-ann", from: "gone-bob", message: "x" });
    expectReply(await bob.recv(), 410);
    await bob.send({ action: "msg", to: "nobody-here", from: "gone-bob", message: "x" });
    expectReply(await bob.recv(), 404);
    await bob.send({ action: "msg", to: "#nowhere", from: "gone-bob", message: "x" });
    expectReply(await bob.recv(), 404);
  });

  it("a second connection under a name in use gets 409", async () => {
    await online("dup-ann");
    const c = await client();
    await c.send(presence("dup-ann"));
    expectReply(await c.recv(), 409);
    await c.send({ action: "authenticate", user: { account_name: "dup-ann", password: "x" } });
    expectReply(await c.recv(), 409);
  });

  it("probe is sent on request with action, and the client's presence answers it", async () => {
    const c = await online("p-ann");
    expect(jim.hub.probe("p-ann")).toBe(1);
    const probe = await c.recv();
    expect(probe.raw.toString("ascii")).toMatch(/^\{"action":"probe","time":[0-9.]+\}$/);
    await c.send(presence("p-ann"));
    expectReply(await c.recv(), 200);
    expect(jim.hub.probe("nobody")).toBe(0);
  });

  it("a blocked name gets 403", async () => {
    jim.hub.block("b-eve");
    const c = await client();
    await c.send(presence("b-eve"));
    expectReply(await c.recv(), 403);
    jim.hub.unblock("b-eve");
    await c.send(presence("b-eve"));
    expectReply(await c.recv(), 200);
  });
});

describe("what real clients send (issue 13 §2)", () => {
  const now = Date.now() / 1000;
  const times: [string, unknown][] = [
    ["a float (time.time())", now],
    ["an integer (int(time.time()))", Math.floor(now)],
    ["time.ctime()", "Sat Dec  5 16:00:00 2026"],
    ["an ISO string", "2026-12-05T16:00:00.123456"],
    ["str(time.time())", String(now)],
  ];
  for (const [what, time] of times) {
    it(`time as ${what}`, async () => {
      const c = await client();
      await c.send({ action: "presence", time, user: { account_name: `t${String(time).length}-${times.findIndex((t) => t[1] === time)}` } });
      expectReply(await c.recv(), 200);
    });
  }

  const presences: [string, Record<string, unknown>][] = [
    ["without type", { action: "presence", user: { account_name: "v-1", status: "here" } }],
    ['with type "online"', { action: "presence", type: "online", user: { account_name: "v-2" } }],
    ["with user.status missing", { action: "presence", type: "status", user: { account_name: "v-3" } }],
    ["with user.status empty", { action: "presence", type: "status", user: { account_name: "v-4", status: "" } }],
    ["with extra keys anywhere, keys in another order", { user: { extra: [1, { a: null }], account_name: "v-5" }, client: "my.py", type: "status", action: "presence" }],
    ["without user (anonymous)", { action: "presence" }],
  ];
  for (const [what, obj] of presences) {
    it(`presence ${what}`, async () => {
      const c = await client();
      await c.send(obj);
      expectReply(await c.recv(), 200);
    });
  }

  it("authenticate as the first message (guest mode: 200, the name is taken)", async () => {
    const c = await client();
    await c.send({ action: "authenticate", user: { account_name: "a-first", password: "CorrectHorseBatteryStaple" } });
    expect(expectReply(await c.recv(), 200).alert).toContain("a-first");
    expect(jim.hub.online()).toContain("a-first");
  });

  it("quit without time closes; exit (a later lesson's alias) closes too", async () => {
    for (const action of ["quit", "exit"]) {
      const c = await online(`x-${action}`);
      await c.sendRaw(JSON.stringify({ action }));
      expect((await c.recv()).raw.length).toBe(0);
    }
  });

  it("accepts raw UTF-8 and \\u escapes alike, and forwards the text as \\u escapes", async () => {
    const ann = await online("e-ann");
    const bob = await online("e-bob");
    await ann.sendRaw(Buffer.from('{"action": "msg", "time": 1, "to": "e-bob", "from": "e-ann", "encoding": "utf-8", "message": "Привет"}', "utf8"));
    expectReply(await ann.recv(), 200);
    expect(forwarded(await bob.recv())).toBe('{"action":"msg","time":T,"to":"e-bob","from":"e-ann","encoding":"utf-8","message":"\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442"}');
    await ann.send({ action: "msg", to: "e-bob", from: "e-ann", message: "Привет" }); // json.dumps escapes it
    expectReply(await ann.recv(), 200);
    expect(forwarded(await bob.recv())).toBe('{"action":"msg","time":T,"to":"e-bob","from":"e-ann","encoding":"ascii","message":"\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442"}');
  });

  it("an object split across sends, with a UTF-8 character split between them and newlines around it", async () => {
    const ann = await online("s-ann");
    const bob = await online("s-bob");
    const bytes = Buffer.from('\n{"action": "msg", "time": 1, "to": "s-bob", "from": "s-ann", "message": "ё"}\r\n', "utf8");
    const cut = bytes.indexOf(0xd1) + 1; // inside ё (d1 91)
    await ann.sendRaw(bytes.subarray(0, cut));
    await ann.sendRaw(bytes.subarray(cut));
    expectReply(await ann.recv(), 200);
    expect(forwarded(await bob.recv())).toContain('"message":"\\u0451"');
  });

  const targets: [string, number, string][] = [
    ["#", 400, "to: # needs a room name after it"],
    ["#all", 200, "delivered to"],
    ["EVERYONE", 200, "delivered to"],
    ["no-such-user", 404, "no user no-such-user"],
  ];
  for (const [to, code, text] of targets) {
    it(`to ${JSON.stringify(to)} has a defined answer: ${code}`, async () => {
      const c = await online(`to-${to.length}-${code}`);
      await c.send({ action: "msg", to, message: "x" });
      expect(String(expectReply(await c.recv(), code).alert)).toContain(text);
    });
  }

  it("#all reaches every named user online but the sender", async () => {
    const fresh = await startJim();
    try {
      const [ann, bob] = [await homeworkClient(fresh.port), await homeworkClient(fresh.port)];
      for (const [c, name] of [[ann, "all-ann"], [bob, "all-bob"]] as const) {
        await c.send(presence(name));
        expectReply(await c.recv(), 200);
      }
      await ann.send({ action: "msg", to: "#all", message: "to everyone" });
      expect(expectReply(await ann.recv(), 200).alert).toBe("delivered to 1 of everyone online");
      expect(forwarded(await bob.recv())).toContain('"from":"all-ann"');
      await Promise.all([ann.close(), bob.close()]);
    } finally {
      await fresh.running.stop();
    }
  });

  it('the later lessons\' action "message" with sender, destination and mess_text', async () => {
    const ann = await online("m-ann");
    const bob = await online("m-bob");
    await ann.send({ action: "message", sender: "m-ann", destination: "m-bob", mess_text: "old style" });
    expectReply(await ann.recv(), 200);
    expect(forwarded(await bob.recv())).toBe('{"action":"msg","time":T,"to":"m-bob","from":"m-ann","encoding":"ascii","message":"old style"}');
  });

  it("msg before presence takes its from as the name; a from that is not yours is 400", async () => {
    const c = await client();
    await c.send({ action: "msg", to: "#all", from: "f-ann", message: "x" });
    expectReply(await c.recv(), 200);
    expect(jim.hub.online()).toContain("f-ann");
    await c.send({ action: "msg", to: "#all", from: "f-other", message: "x" });
    expect(expectReply(await c.recv(), 400).error).toBe("from must be your own name (f-ann), got f-other");
  });

  it("a connection that sends nothing, or closes right after its reply, harms nothing", async () => {
    const silent = await client();
    const quick = await client();
    await quick.send(presence("quick"));
    await quick.close();
    const other = await online("after-quick");
    await other.send({ action: "join", room: "#after" });
    expectReply(await other.recv(), 200);
    await silent.close();
  });
});

describe("seed 002's limits: a 400 naming the limit", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["action over 15 characters", { action: "a".repeat(16) }, "action: at most 15 characters, got 16"],
    ["a name over 25", { action: "presence", user: { account_name: "n".repeat(26) } }, "user.account_name: at most 25 characters, got 26"],
    ["a room over 25", { action: "join", room: `#${"r".repeat(25)}` }, "room: at most 25 characters, got 26"],
    ["a message over 500", { action: "msg", to: "#all", from: "lim", message: "m".repeat(501) }, "message: at most 500 characters, got 501"],
    ["an object over 640", { action: "presence", pad: "p".repeat(620) }, "object: at most 640 characters, got"],
    ["no action", { user: {} }, "action missing"],
    ["no time", { action: "presence", time: undefined }, "time missing"],
    ["an unknown action", { action: "dance" }, 'unknown action "dance"'],
    ["probe from a client", { action: "probe" }, "probe is sent by the server"],
    ["a join without #", { action: "join", room: "py" }, "room must start with #"],
  ];
  for (const [what, obj, text] of cases) {
    it(what, async () => {
      const c = await client();
      const raw = JSON.stringify({ time: 1, ...obj });
      await c.sendRaw(what === "no time" ? '{"action": "presence"}' : raw);
      expect(String(expectReply(await c.recv(), 400).error)).toContain(text);
      // The connection stays usable.
      await c.send({ action: "presence" });
      expectReply(await c.recv(), 200);
    });
  }

  it("a message of exactly 500 characters and an object of 640 pass", async () => {
    const c = await online("lim-ok");
    await c.send({ action: "msg", to: "#all", from: "lim-ok", message: "m".repeat(500) });
    expectReply(await c.recv(), 200);
  });
});

describe("accounts mode", () => {
  let acc: StartedJim;
  beforeAll(async () => {
    // In the lab's store (SQLite in memory here), as the CLI's --data-dir keeps them.
    const accounts = createJimAccounts(openStore().jimAccounts);
    await accounts.set("acc-ann", "pw-ann");
    await accounts.set("acc-bob", "pw-bob");
    acc = await startJim({ accounts });
  });
  afterAll(async () => {
    await acc.running.stop();
  });

  it("401 before authenticate, 402 for a wrong password or an unknown account, 200, then 409 elsewhere, 410 offline", async () => {
    const c = await client(acc);
    await c.send({ action: "msg", to: "acc-bob", message: "x" });
    expectReply(await c.recv(), 401);
    await c.send({ action: "join", room: "#a" });
    expectReply(await c.recv(), 401);
    await c.send(presence("acc-ann"));
    expectReply(await c.recv(), 401);
    await c.send({ action: "authenticate", user: { account_name: "acc-ann", password: "wrong" } });
    expectReply(await c.recv(), 402);
    await c.send({ action: "authenticate", user: { account_name: "acc-zed", password: "pw" } });
    expectReply(await c.recv(), 402);
    await c.send({ action: "authenticate", user: { account_name: "acc-ann", password: "pw-ann" } });
    expect(expectReply(await c.recv(), 200).alert).toBe("authenticated as acc-ann");
    await c.send({ action: "msg", to: "acc-bob", message: "x" });
    expectReply(await c.recv(), 410);
    await c.send({ action: "msg", to: "acc-zed", message: "x" });
    expectReply(await c.recv(), 404);
    const other = await client(acc);
    await other.send({ action: "authenticate", user: { account_name: "acc-ann", password: "pw-ann" } });
    expectReply(await other.recv(), 409);
  });
});
