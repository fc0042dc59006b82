// What GET /api/status says about packet capture, read defensively (shared by the timeline and the
// lessons): the lab host may be older than the page
// (no `capture`, no `closedPort`) or half-started. Pure, so the panels' wording is decided in tests.

// A type only: the host's module is never bundled into the page.
import type { CaptureMode, CaptureOffCode } from "@/server/capture/wire";

/** What the timeline can show, and why the lab does not capture (each code has its text in both languages). */
export type { CaptureMode, CaptureOffCode };

/** Every code the host sends (the type makes this list complete), for reading /api/status defensively. */
const CAPTURE_OFF_CODES: Readonly<Record<CaptureOffCode, true>> = {
  "turned-off": true,
  "no-program": true,
  "not-permitted": true,
  "did-not-start": true,
  stopped: true,
};

function isCaptureOffCode(value: unknown): value is CaptureOffCode {
  return typeof value === "string" && Object.hasOwn(CAPTURE_OFF_CODES, value);
}

export interface LabCapture {
  readonly mode: CaptureMode;
  /** The host's one English line; shown as it is only by a host too old to send `code`. */
  readonly reason: string;
  readonly code?: CaptureOffCode;
  /** The command that enables capture, when one does. */
  readonly command?: string;
  /** The capture program's own words, shown as they are. */
  readonly detail?: string;
}

export interface CaptureStatus {
  /** Undefined when the lab host does not report capture at all. */
  readonly capture: LabCapture | undefined;
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
    const code = isCaptureOffCode(c.code) ? c.code : undefined;
    capture = {
      mode: c.mode,
      reason: typeof c.reason === "string" ? c.reason : "",
      ...(code && { code }),
      ...(typeof c.command === "string" && c.command.trim() !== "" && { command: c.command.trim() }),
      ...(typeof c.detail === "string" && c.detail.trim() !== "" && { detail: c.detail.trim() }),
    };
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

/** The command that enables capture: the host's own, or one found in an older host's reason. */
export function captureCommand(capture: Pick<LabCapture, "reason" | "command">): string | undefined {
  return capture.command ?? commandInReason(capture.reason);
}
