// Platform socket errors translated where the platform is touched (STYLE.md, Errors): a stable code
// and a sentence that tells the learner what happened on the wire.

const MESSAGES: Record<string, string> = {
  ECONNRESET: "The peer reset the connection (a TCP RST): it closed without the normal FIN handshake.",
  EPIPE: "Wrote to a connection the peer had already closed.",
  ECONNREFUSED: "Nothing listens on that port: the peer's system answered the SYN with a RST.",
  ETIMEDOUT: "The connection timed out: the peer stopped answering.",
  EHOSTUNREACH: "The host is unreachable from here.",
  ENETUNREACH: "The network is unreachable from here.",
  ECONNABORTED: "The connection was aborted before it was accepted.",
  EADDRINUSE: "The address and port are already in use by another program.",
  EADDRNOTAVAIL: "That address does not belong to this machine.",
  EACCES: "Not permitted: ports below 1024 need extra privileges.",
};

export interface TranslatedError {
  readonly code: string;
  readonly message: string;
}

export function translateSocketError(err: unknown): TranslatedError {
  const code = typeof err === "object" && err !== null && "code" in err && typeof err.code === "string" ? err.code : "EUNKNOWN";
  const fallback = err instanceof Error ? err.message : String(err);
  return { code, message: MESSAGES[code] ?? fallback };
}
