// LabService.OpenJim and SendJim (issue 13 §5): the messenger in the browser, on the lab's own JIM client
// (server/clients/jim.ts) for the caller's session. A connection lives as long as its OpenJim stream; a session
// holds at most JIM_CONSOLE_LIMIT of them (two tabs chatting with each other, and a lesson's demonstrations).

import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { JimCheckVerdict, type JimText as JimTextMessage, type JimUpdateSchema, type LabService, type SendJimRequest } from "@/gen/lab/v1/lab_pb";
import { RUN_ID, type Bus } from "../capture/bus";
import { ConnectFailed, type ServiceTarget } from "../clients/tcp";
import { openJimClient, type JimRequest, type JimText, type LabJimClient } from "../clients/jim";
import { checkTarget, runJimCheck } from "./jim-check";
import type { Session } from "./sessions";
import { createUpdateQueue } from "./update-queue";

/** Messenger connections one session may hold at once. */
export const JIM_CONSOLE_LIMIT = 4;
/** The longest text field SendJim takes: past seed 002's 500 characters (the server's 400 teaches), far below a flood. */
export const JIM_FIELD_LIMIT = 4096;

type Update = MessageInitShape<typeof JimUpdateSchema>;

export interface JimConsoleDeps {
  readonly bus: Bus;
  /** The lab's jim service; undefined when it does not run. */
  readonly target: () => ServiceTarget | undefined;
  readonly session: (ctx: HandlerContext) => Session;
  readonly connectFailed: (err: ConnectFailed) => ConnectError;
  /** Addresses besides the loopback the conformance check may reach. */
  readonly checkHosts: readonly string[];
  /** Who is online on the lab's JIM server. */
  readonly online?: () => readonly string[] | undefined;
}

/** How often an open messenger looks whether the list of who is online changed. */
export const JIM_ONLINE_POLL_MS = 1000;

export interface JimConsole extends Pick<ServiceImpl<typeof LabService>, "openJim" | "sendJim" | "checkJimServer"> {
  /** Messenger connections the session holds, opening or open. */
  held(session: Session): number;
}

function field(value: string, name: string): string {
  if (value.length > JIM_FIELD_LIMIT) throw new ConnectError(`${name}: at most ${JIM_FIELD_LIMIT} characters`, Code.InvalidArgument);
  return value;
}

function text(t: JimTextMessage | undefined): JimText {
  if (!t) throw new ConnectError("msg needs to, from and message", Code.InvalidArgument);
  return { to: field(t.to, "to"), from: field(t.from, "from"), message: field(t.message, "message") };
}

/** The messages a request asks for, checked. */
export function jimRequests(req: SendJimRequest): JimRequest[] {
  const what = req.what;
  switch (what.case) {
    case "presence":
    case "authenticate":
      return [
        {
          action: what.case,
          user: { accountName: field(what.value.accountName, "account_name"), password: field(what.value.password, "password"), status: field(what.value.status, "status") },
        },
      ];
    case "msg":
      return [{ action: "msg", text: text(what.value) }];
    case "join":
    case "leave":
      return [{ action: what.case, room: field(what.value, "room") }];
    case "quit":
      return [{ action: "quit" }];
    case "pair":
      return [
        { action: "msg", text: text(what.value.first) },
        { action: "msg", text: text(what.value.second) },
      ];
    default:
      throw new ConnectError("nothing to send: presence, authenticate, msg, join, leave, quit or pair", Code.InvalidArgument);
  }
}

const VERDICTS = { pass: JimCheckVerdict.PASS, warn: JimCheckVerdict.WARN, fail: JimCheckVerdict.FAIL } as const;

export function createJimConsole(deps: JimConsoleDeps): JimConsole {
  /** Sessions with a conformance check running: one at a time each. */
  const checking = new WeakSet<Session>();
  const clients = new WeakMap<Session, { readonly open: Map<string, LabJimClient>; opening: number }>();

  function clientsOf(session: Session) {
    let mine = clients.get(session);
    if (!mine) {
      const created = { open: new Map<string, LabJimClient>(), opening: 0 };
      clients.set(session, created);
      session.disposers.add(() => {
        for (const client of created.open.values()) client.close();
        created.open.clear();
      });
      mine = created;
    }
    return mine;
  }

  return {
    held(session) {
      const mine = clients.get(session);
      return mine ? mine.open.size + mine.opening : 0;
    },

    async *openJim(_req, ctx) {
      const session = deps.session(ctx);
      const mine = clientsOf(session);
      if (mine.open.size + mine.opening >= JIM_CONSOLE_LIMIT) {
        throw new ConnectError(`at most ${JIM_CONSOLE_LIMIT} messenger connections per session: close one first`, Code.ResourceExhausted);
      }
      const target = deps.target();
      if (!target) throw new ConnectError("the lab runs no jim service", Code.FailedPrecondition);

      const queue = createUpdateQueue<Update>();
      const push = queue.push;
      const held: { id?: string } = {};
      // Who is online: looked at after every object the server sends (a presence or a quit changes it) and on a timer.
      let shown = "";
      const lookOnline = () => {
        const names = deps.online?.();
        if (!names || names.join("\n") === shown) return;
        shown = names.join("\n");
        push({ update: { case: "online", value: { names: [...names] } } });
      };
      mine.opening++;
      let client: LabJimClient;
      try {
        client = await openJimClient(deps.bus, target, session.id, {
          object: (bytes) => {
            push({ update: { case: "received", value: bytes } });
            lookOnline();
          },
          close(error) {
            if (held.id !== undefined) mine.open.delete(held.id);
            push({ update: { case: "closed", value: { error } } });
          },
        });
      } catch (err) {
        if (err instanceof ConnectFailed) throw deps.connectFailed(err);
        throw ConnectError.from(err);
      } finally {
        mine.opening--;
      }
      const id = (held.id = client.conversation.id);
      if (!client.closed) mine.open.set(id, client);
      const poll = setInterval(lookOnline, JIM_ONLINE_POLL_MS);
      try {
        yield { update: { case: "opened", value: { conversationId: id, runId: RUN_ID, port: target.port } } };
        lookOnline();
        yield* queue.drain(ctx.signal, (u) => u.update?.case === "closed");
      } finally {
        clearInterval(poll);
        mine.open.delete(id);
        // The page went away: the connection goes with it (the server frees the name when its socket closes).
        client.close();
      }
    },

    sendJim(req, ctx) {
      const client = clients.get(deps.session(ctx))?.open.get(req.conversationId);
      if (!client) throw new ConnectError(`no open messenger connection ${req.conversationId} in this session`, Code.NotFound);
      if (client.closed) throw new ConnectError("this connection is closed", Code.FailedPrecondition);
      return { sent: client.send(jimRequests(req)) };
    },

    async checkJimServer(req, ctx) {
      const session = deps.session(ctx);
      const host = checkTarget(req.host, deps.checkHosts);
      if (!host) throw new ConnectError(`the check reaches only this machine (127.0.0.1, ::1, localhost) and addresses the instructor allowed, not "${req.host}"`, Code.PermissionDenied);
      if (req.port < 1 || req.port > 65535) throw new ConnectError("port: 1 to 65535", Code.InvalidArgument);
      if (checking.has(session)) throw new ConnectError("a check is already running for this page: wait for it", Code.ResourceExhausted);
      checking.add(session);
      try {
        const cases = await runJimCheck(deps.bus, session.id, host, req.port, { labTarget: deps.target() });
        return {
          runId: RUN_ID,
          cases: cases.map((c) => ({ id: c.id, verdict: VERDICTS[c.verdict], reason: c.reason, args: c.args, sent: [...c.sent], received: [...c.received], conversationId: c.conversationId })),
        };
      } finally {
        checking.delete(session);
      }
    },
  };
}
