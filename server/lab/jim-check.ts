// The conformance check for a student's own JIM server (issue 13 §5): the lab connects to the host and port the
// student names (only this machine's loopback, or an address the instructor allowed: the lab is not a scanner),
// runs seed 002's cases one connection each, and reports for each the bytes it sent, the bytes it got, a verdict
// and why. Every connection is tapped for the student's session, so the cases are on the timeline with the JIM
// dissector's findings. A case's reason is a code with values (the page words it); the order of checks follows the
// document: a reply is one JSON object with an integer `response`, a numeric `time`, `error` on 4xx/5xx, ASCII.

import net from "node:net";
import type { Bus } from "../capture/bus";
import { translateSocketError } from "../capture/errors";
import { normalizeIp } from "../capture/events";
import { tapSocket } from "../capture/tap";
import { createJimSplitter, jimObject, pyDumps, type JimRequest } from "../clients/jim";
import { openTcpClient, type ServiceTarget } from "../clients/tcp";

export type JimCheckVerdict = "pass" | "warn" | "fail";

export interface JimCheckCase {
  readonly id: JimCaseId;
  readonly verdict: JimCheckVerdict;
  /** Why, as a code the page words: ok, no_reply, closed, not_json, wrong_code, no_time... */
  readonly reason: string;
  readonly args: Readonly<Record<string, string>>;
  /** Each write, in order. */
  readonly sent: readonly Uint8Array[];
  /** Each object the server sent, whole (and whatever was left of one at the end). */
  readonly received: readonly Uint8Array[];
  readonly conversationId: string;
}

export const JIM_CASES = ["presence", "presence_split", "two_in_one", "bad_json", "unknown_user", "quit"] as const;
export type JimCaseId = (typeof JIM_CASES)[number];

export interface JimCheckOptions {
  /** How long a case waits for a reply (or for the close after quit). */
  readonly replyMs?: number;
  /** The pause between the two halves of a split object. */
  readonly splitMs?: number;
  /** The lab's own jim service: a target at its port on this machine goes through the lab's claimed client. */
  readonly labTarget?: ServiceTarget;
}

const DEFAULT_REPLY_MS = 2000;
const DEFAULT_SPLIT_MS = 150;

/** Hosts the check may reach: loopback addresses and names, plus the instructor's list. Undefined when refused. */
export function checkTarget(host: string, allowed: readonly string[]): string | undefined {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost") return "127.0.0.1";
  if (net.isIPv4(h) && h.startsWith("127.")) return h;
  if (net.isIPv6(h) && (h === "::1" || h === "0:0:0:0:0:0:0:1")) return "::1";
  if (allowed.map((a) => a.toLowerCase()).includes(h) && net.isIP(h) !== 0) return h;
  return undefined;
}

/** A connection a case drives, tapped for the session either way. */
interface CaseConnection {
  readonly conversationId: string;
  write(bytes: Uint8Array): void;
  close(): void;
}

interface Wire {
  readonly objects: Uint8Array[];
  closed: boolean;
  leftover: number;
  wake?: () => void;
}

const utf8 = new TextEncoder();
const dumps = (r: JimRequest) => utf8.encode(pyDumps(jimObject(r)));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function connect(bus: Bus, sessionId: string, host: string, port: number, wire: Wire, labTarget: ServiceTarget | undefined): Promise<CaseConnection> {
  const splitter = createJimSplitter();
  const onData = (chunk: Uint8Array) => {
    const objects = splitter.push(chunk);
    if (objects !== "too-long") wire.objects.push(...objects);
    wire.leftover = splitter.pending;
    wire.wake?.();
  };
  const onClose = () => {
    wire.closed = true;
    wire.wake?.();
  };
  if (labTarget && labTarget.port === port && checkTarget(labTarget.host, []) !== undefined) {
    // The lab's own server taps its side: the lab's client claims the conversation (as the messenger does).
    const client = await openTcpClient(bus, labTarget, sessionId, { data: onData, close: onClose });
    return { conversationId: client.conversation.id, write: (b) => void client.send([b]), close: () => client.close() };
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true });
    socket.once("error", (err) => reject(translateSocketError(err)));
    socket.once("connect", () => {
      socket.removeAllListeners("error");
      const tap = bus.open({
        service: "jim-check",
        protocol: "jim",
        client: { ip: normalizeIp(socket.localAddress), port: socket.localPort ?? 0 },
        server: { ip: normalizeIp(socket.remoteAddress), port: socket.remotePort ?? 0 },
        owner: sessionId,
      });
      // The socket writes c2s; what it reads is the server's.
      tapSocket(socket, tap, "c2s");
      socket.on("data", onData);
      socket.on("close", onClose);
      socket.on("error", () => undefined);
      resolve({ conversationId: tap.info.id, write: (b) => void socket.write(b), close: () => socket.destroy() });
    });
  });
}

/** Waits until `n` objects came, the connection closed, or the time ran out. */
async function waitFor(wire: Wire, n: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (wire.objects.length < n && !wire.closed) {
    const left = deadline - Date.now();
    if (left <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      wire.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wire.wake = undefined;
  }
}

interface Judged {
  readonly verdict: JimCheckVerdict;
  readonly reason: string;
  readonly args?: Record<string, string>;
}

const ok: Judged = { verdict: "pass", reason: "ok" };

/** What seed 002 asks of every reply; `want` is the code class or code the case expects. */
export function judgeReply(bytes: Uint8Array | undefined, want: (code: number) => boolean, wanted: string): Judged {
  if (!bytes) return { verdict: "fail", reason: "no_reply" };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return { verdict: "fail", reason: "not_json" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { verdict: "fail", reason: "not_object" };
  const obj = value as Record<string, unknown>;
  const response = obj.response;
  if (response === undefined) return { verdict: "fail", reason: "no_response" };
  if (typeof response !== "number" || !Number.isInteger(response)) return { verdict: "fail", reason: "not_integer", args: { got: JSON.stringify(response) } };
  if (!want(response)) return { verdict: "fail", reason: "wrong_code", args: { want: wanted, got: String(response) } };
  if (typeof obj.time !== "number") return { verdict: "warn", reason: "no_time" };
  if (response >= 400 && typeof obj.error !== "string") return { verdict: "warn", reason: "no_error", args: { got: String(response) } };
  if (bytes.some((b) => b >= 0x80)) return { verdict: "warn", reason: "not_ascii" };
  return ok;
}

const is2xx = (c: number) => c >= 200 && c < 300;

/** Runs one case on a connection of its own. */
async function runCase(id: JimCaseId, conn: CaseConnection, wire: Wire, replyMs: number, splitMs: number): Promise<{ judged: Judged; sent: Uint8Array[] }> {
  const sent: Uint8Array[] = [];
  const write = (b: Uint8Array) => {
    sent.push(b);
    conn.write(b);
  };
  const name = `check${Math.floor(1000 + Math.random() * 9000)}`;
  const presence = (n = name) => dumps({ action: "presence", user: { accountName: n, status: "" } });
  switch (id) {
    case "presence": {
      write(presence());
      await waitFor(wire, 1, replyMs);
      return { judged: judgeReply(wire.objects[0], is2xx, "200"), sent };
    }
    case "presence_split": {
      const bytes = presence();
      const half = Math.floor(bytes.length / 2);
      write(bytes.subarray(0, half));
      await sleep(splitMs);
      write(bytes.subarray(half));
      await waitFor(wire, 1, replyMs);
      return { judged: judgeReply(wire.objects[0], is2xx, "200"), sent };
    }
    case "two_in_one": {
      const a = presence();
      const b = dumps({ action: "join", room: "#check" });
      const both = new Uint8Array(a.length + b.length);
      both.set(a);
      both.set(b, a.length);
      write(both);
      await waitFor(wire, 2, replyMs);
      if (wire.objects.length === 1 && !wire.closed) return { judged: { verdict: "fail", reason: "one_reply" }, sent };
      const first = judgeReply(wire.objects[0], is2xx, "200");
      if (first.verdict === "fail") return { judged: first, sent };
      const second = judgeReply(wire.objects[1], (c) => c < 500, "200");
      return { judged: second.verdict === "fail" ? second : first.verdict === "warn" ? first : second, sent };
    }
    case "bad_json": {
      write(utf8.encode('{"action": "presence", "time": }'));
      await waitFor(wire, 1, replyMs);
      if (wire.objects.length === 0 && wire.closed) return { judged: { verdict: "warn", reason: "closed_instead" }, sent };
      return { judged: judgeReply(wire.objects[0], (c) => c === 400, "400"), sent };
    }
    case "unknown_user": {
      write(presence());
      await waitFor(wire, 1, replyMs);
      write(dumps({ action: "msg", text: { to: `nobody${Math.floor(Math.random() * 1e6)}`, from: name, message: "are you there?" } }));
      await waitFor(wire, 2, replyMs);
      if (wire.objects.length < 2) return { judged: { verdict: "fail", reason: wire.closed ? "closed" : "no_reply" }, sent };
      return { judged: judgeReply(wire.objects[1], (c) => c === 404 || c === 410, "404"), sent };
    }
    case "quit": {
      write(presence());
      await waitFor(wire, 1, replyMs);
      write(dumps({ action: "quit" }));
      const deadline = Date.now() + replyMs;
      while (!wire.closed && Date.now() < deadline) await waitFor(wire, wire.objects.length + 1, deadline - Date.now());
      return { judged: wire.closed ? ok : { verdict: "fail", reason: "not_closed" }, sent };
    }
  }
}

/** Runs every case against host:port (already checked by checkTarget), one connection each, in order. */
export async function runJimCheck(bus: Bus, sessionId: string, host: string, port: number, options: JimCheckOptions = {}): Promise<JimCheckCase[]> {
  const replyMs = options.replyMs ?? DEFAULT_REPLY_MS;
  const splitMs = options.splitMs ?? DEFAULT_SPLIT_MS;
  const out: JimCheckCase[] = [];
  for (const id of JIM_CASES) {
    const wire: Wire = { objects: [], closed: false, leftover: 0 };
    let conn: CaseConnection;
    try {
      conn = await connect(bus, sessionId, host, port, wire, options.labTarget);
    } catch (err) {
      const code = typeof err === "object" && err && "code" in err ? String((err as { code: unknown }).code) : "ERROR";
      out.push({ id, verdict: "fail", reason: "connect_failed", args: { code }, sent: [], received: [], conversationId: "" });
      // Nothing listens: every other case would say the same.
      break;
    }
    try {
      const { judged, sent } = await runCase(id, conn, wire, replyMs, splitMs);
      out.push({ id, verdict: judged.verdict, reason: judged.reason, args: judged.args ?? {}, sent, received: [...wire.objects], conversationId: conn.conversationId });
    } finally {
      conn.close();
    }
  }
  return out;
}
