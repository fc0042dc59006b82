// LabService.OpenWebSocket and SendWebSocket (issue 12 §3): the lesson's WebSocket console, on the lab's own WebSocket
// client (server/clients/websocket.ts) for the caller's session. A socket lives as long as its OpenWebSocket stream;
// a session holds at most WEBSOCKET_CONSOLE_LIMIT of them, counted from the call that asks for one until its close.

import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { LabService, type WebSocketUpdateSchema } from "@/gen/lab/v1/lab_pb";
import { RUN_ID, type Bus } from "../capture/bus";
import { ConnectFailed, type ServiceTarget } from "../clients/tcp";
import { openLabWebSocket, WebSocketRefused, type LabWebSocket, type WebSocketClientLimits } from "../clients/websocket";
import type { Session } from "./sessions";
import { createUpdateQueue } from "./update-queue";

/** Console sockets one session may hold at once: a few tabs' worth (the server's own cap per session is higher). */
export const WEBSOCKET_CONSOLE_LIMIT = 4;
/** The largest message one SendWebSocket carries (the lab's server closes with 1009 above 64 KiB anyway). */
const MESSAGE_LIMIT = 1024 * 1024;

type Update = MessageInitShape<typeof WebSocketUpdateSchema>;

const REFUSED: Record<WebSocketRefused["code"], Code> = {
  "invalid-path": Code.InvalidArgument,
  "not-websocket": Code.NotFound,
  "too-many": Code.ResourceExhausted,
  "invalid-close": Code.InvalidArgument,
  "too-long": Code.InvalidArgument,
  "not-open": Code.FailedPrecondition,
};

export interface WebSocketConsoleDeps {
  readonly bus: Bus;
  /** The lab's http service, where the endpoints are; undefined when it does not run. */
  readonly target: () => ServiceTarget | undefined;
  readonly session: (ctx: HandlerContext) => Session;
  readonly limits?: Partial<WebSocketClientLimits>;
  /** Turns a failed connect into the service's error (the errno in a header, as Open does). */
  readonly connectFailed: (err: ConnectFailed) => ConnectError;
}

export interface WebSocketConsole extends Pick<ServiceImpl<typeof LabService>, "openWebSocket" | "sendWebSocket"> {
  /** Console sockets the session holds, opening or open. */
  held(session: Session): number;
}

function refusedError(err: unknown): ConnectError {
  if (err instanceof WebSocketRefused) return new ConnectError(err.message, REFUSED[err.code], undefined, undefined, err);
  return ConnectError.from(err);
}

export function createWebSocketConsole(deps: WebSocketConsoleDeps): WebSocketConsole {
  /** Each session's sockets by conversation id, and how many are still being opened. */
  const sockets = new WeakMap<Session, { readonly open: Map<string, LabWebSocket>; opening: number }>();

  function socketsOf(session: Session) {
    let mine = sockets.get(session);
    if (!mine) {
      const created = { open: new Map<string, LabWebSocket>(), opening: 0 };
      sockets.set(session, created);
      session.disposers.add(() => {
        for (const socket of created.open.values()) socket.terminate();
        created.open.clear();
      });
      mine = created;
    }
    return mine;
  }

  return {
    held(session) {
      const mine = sockets.get(session);
      return mine ? mine.open.size + mine.opening : 0;
    },

    async *openWebSocket(req, ctx) {
      const session = deps.session(ctx);
      const mine = socketsOf(session);
      if (mine.open.size + mine.opening >= WEBSOCKET_CONSOLE_LIMIT) {
        throw new ConnectError(`at most ${WEBSOCKET_CONSOLE_LIMIT} console WebSockets per session: close one first`, Code.ResourceExhausted);
      }
      const target = deps.target();
      if (!target) throw new ConnectError("the lab runs no http service", Code.FailedPrecondition);

      const queue = createUpdateQueue<Update>();
      const push = queue.push;
      /** The conversation's id, once the socket is open. */
      const held: { id?: string } = {};
      mine.opening++;
      let socket: LabWebSocket;
      try {
        socket = await openLabWebSocket(deps.bus, target, session.id, req.path, { deflate: req.deflate, limits: deps.limits }, {
          message: (data, binary) => push({ update: { case: "message", value: { binary, data } } }),
          pong: (data) => push({ update: { case: "pong", value: data } }),
          close(code, reason, error) {
            if (held.id !== undefined) mine.open.delete(held.id);
            push({ update: { case: "closed", value: { code, reason, error } } });
          },
        });
      } catch (err) {
        if (err instanceof ConnectFailed) throw deps.connectFailed(err);
        throw refusedError(err);
      } finally {
        mine.opening--;
      }
      const id = (held.id = socket.conversation.id);
      if (!socket.closed) mine.open.set(id, socket);
      try {
        yield { update: { case: "opened", value: { conversationId: id, extensions: socket.extensions, runId: RUN_ID } } };
        yield* queue.drain(ctx.signal, (u) => u.update?.case === "closed");
      } finally {
        // The page went away (or the stream failed): the socket goes with it, by the closing handshake.
        if (!socket.closed) socket.close(1001, "The console's stream ended.");
      }
    },

    sendWebSocket(req, ctx) {
      const socket = sockets.get(deps.session(ctx))?.open.get(req.conversationId);
      if (!socket) throw new ConnectError(`no open WebSocket ${req.conversationId} in this session`, Code.NotFound);
      if (socket.closed) throw new ConnectError("this WebSocket is closing or closed", Code.FailedPrecondition);
      const what = req.what;
      try {
        switch (what.case) {
          case "text":
            if (what.value.length > MESSAGE_LIMIT) throw new ConnectError(`at most ${MESSAGE_LIMIT} bytes per message`, Code.ResourceExhausted);
            socket.sendText(what.value);
            break;
          case "binary":
            if (what.value.length > MESSAGE_LIMIT) throw new ConnectError(`at most ${MESSAGE_LIMIT} bytes per message`, Code.ResourceExhausted);
            socket.sendBinary(what.value);
            break;
          case "ping":
            socket.ping(what.value);
            break;
          case "close":
            socket.close(what.value.code, what.value.reason);
            break;
          default:
            throw new ConnectError("nothing to send: text, binary, ping or close", Code.InvalidArgument);
        }
      } catch (err) {
        throw refusedError(err);
      }
      return {};
    },
  };
}
