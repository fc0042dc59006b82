// What GET /api/status says about packet capture, read defensively (shared by the timeline and the
// lessons): the lab host may be older than the page
// (no `capture`, no `closedPort`) or half-started. Pure, so the panels' wording is decided in tests.

export type CaptureMode = "real segments" | "socket events";

export interface CaptureStatus {
  /** Undefined when the lab host does not report capture at all. */
  readonly capture: { readonly mode: CaptureMode; readonly reason: string } | undefined;
  /** The port the lab keeps closed for the reset experiment, when reported. */
  readonly closedPort: number | undefined;
}

export type CaptureStatusResult =
  | { readonly kind: "checking" }
  | { readonly kind: "unreachable" }
  | ({ readonly kind: "ok" } & CaptureStatus);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

export function parseCaptureStatus(json: unknown): CaptureStatus | undefined {
  if (!isRecord(json)) return undefined;
  let capture: CaptureStatus["capture"];
  const c = json.capture;
  if (isRecord(c) && (c.mode === "real segments" || c.mode === "socket events")) {
    capture = { mode: c.mode, reason: typeof c.reason === "string" ? c.reason : "" };
  }
  const port = json.closedPort;
  const closedPort = typeof port === "number" && Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
  return { capture, closedPort };
}

/**
 * The command in the host's reason, for a copy button: text in backticks first, then a `sudo ...` or
 * `setcap ...` command up to the end of its clause, then an `apt-get install` of a package. Undefined
 * when the reason names none (for example "run the lab as root", which is advice, not a command).
 */
export function commandInReason(reason: string): string | undefined {
  const quoted = /`([^`]+)`/.exec(reason)?.[1]?.trim();
  if (quoted) return quoted;
  const bare = /\b((?:sudo\s+)?setcap\s[^;\n]*?|sudo\s[^;\n]*?)(?=\s+or\s|[;\n]|[.,)]\s|[.,)]?$)/.exec(reason)?.[1]?.trim();
  if (bare) return bare;
  return /\b((?:sudo\s+)?apt(?:-get)?\s+install\s+[\w.+-]+)/.exec(reason)?.[1];
}
