// The JIM messenger server of seed 002 (JSON instant messaging over TCP), for one listening socket: who is
// online, rooms, and the answer to every object a client sends. Exact where the document is exact, tolerant
// where the course's clients vary (issue 13 §1, §2):
//
//   presence      200 (user.account_name optional; with a name, the name is claimed; 409 when taken)
//   authenticate  200; accounts mode: 402 wrong password or no such account; 409 name connected elsewhere
//   msg           to a user: the msg to the addressee and 200 to the sender; 404 no such user, 410 offline
//                 to "#room": to every member but the sender, 200; 404 unknown room; "#all" and "EVERYONE":
//                 every named user online but the sender
//   join / leave  "#room": 200 (a room exists while it has members)
//   quit, exit    the server closes the connection (no reply)
//   probe         sent by the server on request (JimHub.probe); from a client it is a 400
//   401           msg, join and leave before authenticate in accounts mode; presence naming another account
//   403           a blocked name (JimHub.block); 500 on an internal error, the connection kept
//   400           anything else wrong, naming the rule: action 15 characters, names and rooms 25, message
//                 500, the whole object 640; an object that is not UTF-8, not JSON, junk outside objects
// Tolerated: `time` as a number or any string, `quit` without time, presence without `type` or `user.status`,
// extra keys, any key order, raw UTF-8 or \u escapes, the later lessons' `action: "message"` (sender,
// destination, mess_text) and `action: "exit"`.
// Written: one frame per write() call, never two, at most 1,024 ASCII bytes (wire.ts); when the kernel does
// not take a frame at once, the next waits until it has. Bounds: an object longer than maxObjectBytes or nested deeper
// than maxDepth (400, then close), an object begun and not finished within objectTimeoutMs (400, then
// close), a client whose unsent frames pass maxQueuedFrames/maxQueuedBytes is dropped (it does not read),
// and reading pauses while a client's own replies wait (a pipelining client cannot grow the queue).

import type net from "node:net";
import type { ConversationTap } from "../../capture/bus";
import { normalizeIp } from "../../capture/events";
import type { JimAccounts } from "./accounts";
import { createJimDecoder, type JimChunkEvent, type JimDecoder } from "./decoder";
import { encodeFrame, encodeReply, MAX_FRAME_BYTES, unixTime, type JimCode, type JimValue } from "./wire";

export interface JimLimits {
  /** Seed 002's limits, in characters. */
  readonly action: number;
  readonly name: number;
  readonly message: number;
  readonly object: number;
  /** Bytes of one object the server reads before it gives up on the stream. */
  readonly maxObjectBytes: number;
  /** Braces nested deeper than this end the stream. */
  readonly maxDepth: number;
  /** An object begun must end within this long (a drip of one byte a second is cut). */
  readonly objectTimeoutMs: number;
  /** Frames waiting for a client that does not read, before it is dropped. */
  readonly maxQueuedFrames: number;
  readonly maxQueuedBytes: number;
  /** While this many frames wait for a client, the server stops reading what it sends. */
  readonly readPauseFrames: number;
  readonly maxConnectionsPerAddress: number;
  readonly idleTimeoutMs: number;
  /** Names remembered after they go offline (a msg to one is 410 rather than 404). */
  readonly knownNames: number;
}

export const JIM_LIMITS: JimLimits = {
  action: 15,
  name: 25,
  message: 500,
  object: 640,
  maxObjectBytes: 16 * 1024,
  maxDepth: 64,
  objectTimeoutMs: 10_000,
  maxQueuedFrames: 512,
  maxQueuedBytes: 256 * 1024,
  readPauseFrames: 16,
  maxConnectionsPerAddress: 64,
  idleTimeoutMs: 10 * 60_000,
  knownNames: 10_000,
};

export interface JimServerOptions {
  readonly limits?: Partial<JimLimits>;
  /** Accounts mode when given: authenticate checks passwords, and msg/join/leave need it first. */
  readonly accounts?: JimAccounts;
  /** One line per object read and frame written (the CLI's --log). */
  readonly log?: (line: string) => void;
}

/** The server's state and the control hooks the lab host and the CLI use. */
export interface JimHub {
  /** Serves one accepted connection (after the tap; `tap` records what the server decided, such as a drop). */
  handle(socket: net.Socket, tap?: ConversationTap): void;
  readonly accountsMode: boolean;
  readonly limits: JimLimits;
  /** Names online, in the order they came. */
  online(): string[];
  /** Rooms and their members' names (anonymous members as ""). */
  rooms(): Map<string, string[]>;
  /** Sends {"action": "probe"} to one user, or to every connection; returns how many got it. */
  probe(name?: string): number;
  /** A blocked name gets 403 for presence, authenticate and msg. */
  block(name: string): void;
  unblock(name: string): void;
  /** Open connections. */
  readonly connections: number;
}

/** A client's object, parsed. */
type JimObject = Record<string, unknown>;

class Refusal {
  constructor(
    readonly code: JimCode,
    readonly text: string,
  ) {}
}

const refuse = (code: JimCode, text: string): never => {
  throw new Refusal(code, text);
};

const ALL_ROOMS = new Set(["#all", "EVERYONE"]);

/** After quit, how long the server waits for the client to close its end before it closes the socket. */
const CLOSE_GRACE_MS = 5_000;

/** Characters as Python's len(str) counts them (code points). */
function chars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

interface Connection {
  readonly socket: net.Socket;
  readonly peer: string;
  readonly decoder: JimDecoder;
  readonly tap?: ConversationTap;
  name?: string;
  authenticated: boolean;
  readonly rooms: Set<string>;
  readonly queue: Buffer[];
  queuedBytes: number;
  writing: boolean;
  closing: boolean;
  /** The client half-closed: close once what it sent is answered. */
  ended: boolean;
  readonly inbox: JimChunkEvent[];
  busy: boolean;
  /** The write callback (one per connection): the kernel took what was buffered, so the queue moves on. */
  readonly written: () => void;
  objectTimer?: NodeJS.Timeout;
}

export function createJimHub(options: JimServerOptions = {}): JimHub {
  const limits: JimLimits = { ...JIM_LIMITS, ...options.limits };
  const accounts = options.accounts;
  const log = options.log;
  const users = new Map<string, Connection>();
  const rooms = new Map<string, Set<Connection>>();
  const known = new Set<string>();
  const blocked = new Set<string>();
  const open = new Set<Connection>();

  function remember(name: string) {
    known.delete(name);
    known.add(name);
    if (known.size > limits.knownNames) known.delete(known.values().next().value!);
  }

  // ---- writing ----

  function pump(c: Connection) {
    if (c.writing || c.socket.destroyed) return;
    let frame: Buffer | undefined;
    while ((frame = c.queue.shift())) {
      c.queuedBytes -= frame.length;
      log?.(`${c.peer} <- ${frame.toString("ascii")}`);
      // One frame per write() call. While the kernel takes each at once they go out one by one; when it
      // does not, the rest wait here (bounded by send()) until it has taken this one.
      c.socket.write(frame, c.written);
      if (c.socket.writableLength > 0) {
        c.writing = true;
        return;
      }
    }
    if (c.closing) {
      c.socket.end();
      // A client that never closes its end after quit does not hold the socket until the idle timeout.
      setTimeout(() => c.socket.destroy(), CLOSE_GRACE_MS).unref();
    } else if (c.socket.isPaused() && !c.busy) c.socket.resume();
  }

  function send(c: Connection, frame: Buffer) {
    if (c.closing || c.socket.destroyed) return;
    if (c.queue.length >= limits.maxQueuedFrames || c.queuedBytes + frame.length > limits.maxQueuedBytes) {
      c.tap?.error("ESLOW", `The client read nothing while ${c.queue.length} frames waited for it: the server dropped it.`);
      c.socket.destroy();
      return;
    }
    c.queue.push(frame);
    c.queuedBytes += frame.length;
    pump(c);
  }

  const reply = (c: Connection, code: JimCode, text: string) => send(c, encodeReply(code, text));

  /** Sends what is queued, then closes (quit, or a stream the server cannot follow any more). */
  function close(c: Connection) {
    if (c.closing) return;
    c.closing = true;
    clearTimeout(c.objectTimer);
    c.inbox.length = 0;
    // The name and rooms are free from now, not from when the client gets round to closing its end.
    release(c);
    pump(c);
  }

  // ---- names and rooms ----

  function release(c: Connection) {
    if (c.name !== undefined && users.get(c.name) === c) users.delete(c.name);
    for (const room of c.rooms) {
      const members = rooms.get(room);
      members?.delete(c);
      if (members?.size === 0) rooms.delete(room);
    }
    c.rooms.clear();
  }

  function claim(c: Connection, name: string) {
    if (blocked.has(name)) refuse(403, `${name} is blocked on this server`);
    const holder = users.get(name);
    if (holder && holder !== c) refuse(409, `someone is already connected as ${name}`);
    if (c.name !== undefined && c.name !== name && users.get(c.name) === c) users.delete(c.name);
    c.name = name;
    users.set(name, c);
    remember(name);
  }

  // ---- checks ----

  function text(obj: JimObject, key: string, what: string, limit: number): string {
    const value = obj[key];
    if (typeof value !== "string") refuse(400, `${what} must be a string`);
    const n = chars(value as string);
    if (n > limit) refuse(400, `${what}: at most ${limit} characters, got ${n}`);
    return value as string;
  }

  function optionalText(obj: JimObject, key: string, what: string, limit: number): string | undefined {
    return obj[key] === undefined ? undefined : text(obj, key, what, limit);
  }

  function userName(obj: JimObject, key: string, what: string): string {
    const name = text(obj, key, what, limits.name);
    if (name === "") refuse(400, `${what} is empty`);
    if (name.startsWith("#")) refuse(400, `${what} cannot start with # (that is a room)`);
    return name;
  }

  function roomName(value: unknown, what: string): string {
    if (typeof value !== "string") return refuse(400, `${what} must be a string starting with #`);
    const n = chars(value);
    if (n > limits.name) refuse(400, `${what}: at most ${limits.name} characters, got ${n}`);
    if (!value.startsWith("#")) refuse(400, `${what} must start with #`);
    if (value === "#") refuse(400, `${what} has no name after #`);
    return value;
  }

  function userObject(obj: JimObject): JimObject | undefined {
    const user = obj.user;
    if (user === undefined || user === null) return undefined;
    if (typeof user !== "object" || Array.isArray(user)) refuse(400, "user must be an object");
    return user as JimObject;
  }

  function needAccount(c: Connection, action: string) {
    if (accounts && !c.authenticated) refuse(401, `${action} needs authenticate first: this server runs in accounts mode`);
  }

  // ---- actions ----

  function presence(c: Connection, obj: JimObject) {
    const user = userObject(obj);
    if (!user || user.account_name === undefined) {
      reply(c, 200, c.name === undefined ? "presence noted (no account_name: you are anonymous)" : `presence noted, ${c.name}`);
      return;
    }
    const name = userName(user, "account_name", "user.account_name");
    if (user.status !== undefined && user.status !== null) text(user, "status", "user.status", limits.message);
    if (accounts && !(c.authenticated && c.name === name)) refuse(401, `authenticate as ${name} first: this server runs in accounts mode`);
    claim(c, name);
    reply(c, 200, `welcome, ${name}`);
  }

  async function authenticate(c: Connection, obj: JimObject) {
    const user = userObject(obj) ?? refuse(400, "authenticate needs user with account_name and password");
    const name = userName(user, "account_name", "user.account_name");
    const password = text(user, "password", "user.password", limits.object);
    if (blocked.has(name)) refuse(403, `${name} is blocked on this server`);
    const holder = users.get(name);
    if (holder && holder !== c) refuse(409, `someone is already connected as ${name}`);
    if (accounts) {
      if (!(await accounts.verify(name, password))) refuse(402, `wrong password or no account named ${name}`);
      if (c.closing || c.socket.destroyed) return;
      claim(c, name);
      c.authenticated = true;
      reply(c, 200, `authenticated as ${name}`);
    } else {
      claim(c, name);
      reply(c, 200, `welcome, ${name} (guest mode: passwords are not checked)`);
    }
  }

  function msg(c: Connection, obj: JimObject) {
    const to = text(obj, "to", "to", limits.name);
    if (to === "") refuse(400, "to is empty");
    if (to === "#") refuse(400, "to: # needs a room name after it");
    const from = optionalText(obj, "from", "from", limits.name);
    const message = text(obj, "message", "message", limits.message);
    const encoding = optionalText(obj, "encoding", "encoding", limits.name) ?? "ascii";
    needAccount(c, "msg");
    if (c.name === undefined) {
      if (from === undefined || from === "") refuse(400, "from missing: send presence with user.account_name first, or from");
      claim(c, userName(obj, "from", "from"));
    } else if (from !== undefined && from !== c.name) {
      refuse(400, `from must be your own name (${c.name}), got ${from}`);
    }
    const sender = c.name!;
    if (blocked.has(sender)) refuse(403, `${sender} is blocked on this server`);
    const frame = encodeFrame({ action: "msg", time: unixTime(), to, from: sender, encoding, message });
    if (frame.length > MAX_FRAME_BYTES) {
      refuse(400, `message: its frame would take ${frame.length} bytes in ASCII with \\u escapes, more than ${MAX_FRAME_BYTES}`);
    }
    let delivered = 0;
    if (ALL_ROOMS.has(to)) {
      for (const [name, other] of users) {
        if (other !== c && !blocked.has(name)) {
          send(other, frame);
          delivered++;
        }
      }
      reply(c, 200, `delivered to ${delivered} of everyone online`);
    } else if (to.startsWith("#")) {
      const members = rooms.get(to) ?? refuse(404, `no room ${to} (join it first)`);
      for (const other of members) {
        if (other !== c) {
          send(other, frame);
          delivered++;
        }
      }
      reply(c, 200, `delivered to ${delivered} in ${to}`);
    } else {
      const target = users.get(to);
      if (!target) {
        if (known.has(to) || accounts?.has(to)) refuse(410, `${to} is offline`);
        refuse(404, `no user ${to}`);
      }
      if (blocked.has(to)) refuse(403, `${to} is blocked on this server`);
      send(target!, frame);
      reply(c, 200, `delivered to ${to}`);
    }
  }

  function join(c: Connection, obj: JimObject) {
    const room = roomName(obj.room, "room");
    needAccount(c, "join");
    if (ALL_ROOMS.has(room)) {
      reply(c, 200, `everyone online is always in ${room}`);
      return;
    }
    let members = rooms.get(room);
    if (!members) rooms.set(room, (members = new Set()));
    members.add(c);
    c.rooms.add(room);
    reply(c, 200, `joined ${room} (${members.size} online in it)`);
  }

  function leave(c: Connection, obj: JimObject) {
    const room = roomName(obj.room, "room");
    needAccount(c, "leave");
    const members = rooms.get(room);
    const was = c.rooms.delete(room);
    members?.delete(c);
    if (members?.size === 0) rooms.delete(room);
    reply(c, 200, was ? `left ${room}` : `you were not in ${room}`);
  }

  /** The later lessons' spelling of msg: sender, destination, mess_text. */
  function fromAlias(obj: JimObject): JimObject {
    const out: JimObject = { ...obj, action: "msg" };
    if (obj.to === undefined && obj.destination !== undefined) out.to = obj.destination;
    if (obj.from === undefined && obj.sender !== undefined) out.from = obj.sender;
    if (obj.message === undefined && obj.mess_text !== undefined) out.message = obj.mess_text;
    return out;
  }

  /** One object: its reply, or a Refusal thrown. Returns a promise only for work that waits (scrypt). */
  function dispatch(c: Connection, bytes: Uint8Array): void | Promise<void> {
    let json: string;
    try {
      json = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return refuse(400, "the object is not valid UTF-8");
    }
    const n = chars(json);
    if (n > limits.object) refuse(400, `object: at most ${limits.object} characters, got ${n}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return refuse(400, "not valid JSON");
    }
    let obj = parsed as JimObject;
    if (obj.action === undefined) refuse(400, "action missing");
    let action = text(obj, "action", "action", limits.action);
    if (action === "message") {
      obj = fromAlias(obj);
      action = "msg";
    }
    if (action === "exit") action = "quit";
    if (action !== "quit") {
      if (obj.time === undefined) refuse(400, "time missing: every JIM object carries time");
      if (typeof obj.time !== "number" && typeof obj.time !== "string") refuse(400, "time must be a number (unix seconds) or a string");
    }
    switch (action) {
      case "presence":
        return presence(c, obj);
      case "authenticate":
        return authenticate(c, obj);
      case "msg":
        return msg(c, obj);
      case "join":
        return join(c, obj);
      case "leave":
        return leave(c, obj);
      case "quit":
        return close(c);
      case "probe":
        return refuse(400, "probe is sent by the server; answer it with presence");
      default:
        return refuse(400, `unknown action ${JSON.stringify(action)}`);
    }
  }

  function answerError(c: Connection, err: unknown) {
    if (err instanceof Refusal) reply(c, err.code, err.text);
    else {
      c.tap?.error("EINTERNAL", `The JIM server failed on an object: ${String(err)}`);
      reply(c, 500, "internal error; the connection stays open");
    }
  }

  /** Works through what the decoder found, one object at a time, waiting where an answer waits. */
  function drain(c: Connection) {
    while (!c.busy && c.inbox.length > 0 && !c.closing) {
      const event = c.inbox.shift()!;
      switch (event.kind) {
        case "junk":
          reply(c, 400, `not a JSON object: byte 0x${event.byte.toString(16).padStart(2, "0")} outside an object (JIM sends objects {...})`);
          break;
        case "too-long":
          reply(c, 400, `object: no end within ${event.limit} bytes (the limit is ${limits.object} characters)`);
          close(c);
          break;
        case "too-deep":
          reply(c, 400, `object: nested deeper than ${event.limit} levels`);
          close(c);
          break;
        case "object": {
          log?.(`${c.peer} -> ${Buffer.from(event.bytes).toString("utf8")}`);
          let pending: void | Promise<void> = undefined;
          try {
            pending = dispatch(c, event.bytes);
          } catch (err) {
            answerError(c, err);
          }
          if (pending) {
            c.busy = true;
            c.socket.pause();
            pending.catch((err: unknown) => answerError(c, err)).finally(() => {
              c.busy = false;
              if (c.queue.length < limits.readPauseFrames) c.socket.resume();
              drain(c);
            });
          }
        }
      }
    }
    if (c.ended && !c.busy) close(c);
    else if (c.queue.length >= limits.readPauseFrames) c.socket.pause();
  }

  function watchObjectTime(c: Connection) {
    if (c.decoder.pending === 0) {
      clearTimeout(c.objectTimer);
      c.objectTimer = undefined;
    } else if (!c.objectTimer) {
      c.objectTimer = setTimeout(() => {
        reply(c, 400, `object: not finished within ${Math.round(limits.objectTimeoutMs / 1000)} s of its first byte`);
        close(c);
      }, limits.objectTimeoutMs);
    }
  }

  return {
    accountsMode: accounts !== undefined,
    limits,
    get connections() {
      return open.size;
    },
    handle(socket, tap) {
      const c: Connection = {
        written: () => {
          if (c.writing && c.socket.writableLength === 0) {
            c.writing = false;
            pump(c);
          }
        },
        socket,
        peer: `${normalizeIp(socket.remoteAddress)}:${socket.remotePort ?? 0}`,
        decoder: createJimDecoder({ maxObjectBytes: limits.maxObjectBytes, maxDepth: limits.maxDepth }),
        tap,
        authenticated: false,
        rooms: new Set(),
        queue: [],
        queuedBytes: 0,
        writing: false,
        closing: false,
        ended: false,
        inbox: [],
        busy: false,
      };
      open.add(c);
      socket.on("data", (chunk: Buffer) => {
        if (c.closing) return;
        c.inbox.push(...c.decoder.push(chunk));
        if (!c.decoder.failed) watchObjectTime(c);
        drain(c);
      });
      // The client finished sending (a one-shot client closes after its reply): answer what is left, then close.
      socket.on("end", () => {
        c.ended = true;
        drain(c);
      });
      socket.on("error", () => socket.destroy());
      socket.on("close", () => {
        clearTimeout(c.objectTimer);
        open.delete(c);
        release(c);
        c.queue.length = 0;
      });
    },
    online: () => [...users.keys()],
    rooms: () => new Map([...rooms].map(([room, members]) => [room, [...members].map((m) => m.name ?? "")])),
    probe(name) {
      const frame = (): Buffer => encodeFrame({ action: "probe", time: unixTime() } satisfies Record<string, JimValue>);
      if (name !== undefined) {
        const target = users.get(name);
        if (!target) return 0;
        send(target, frame());
        return 1;
      }
      for (const c of open) send(c, frame());
      return open.size;
    },
    block: (name) => void blocked.add(name),
    unblock: (name) => void blocked.delete(name),
  };
}
