// What the lab host's Status says about packet capture, in the shape the timeline and the lessons read
// (shared by both). Pure, so the panels' wording is decided in tests.

import { CaptureMode, CaptureOff, ServiceState, type CaptureStatus as ProtoCaptureStatus, type StatusResponse } from "@/gen/lab/v1/lab_pb";

export { CaptureMode };

/** Why capture is off, as the pages' dictionaries key their sentences. */
export type CaptureOffCode = "turned-off" | "no-program" | "not-permitted" | "did-not-start" | "stopped";

const OFF_CODES: Readonly<Record<CaptureOff, CaptureOffCode | undefined>> = {
  [CaptureOff.UNSPECIFIED]: undefined,
  [CaptureOff.TURNED_OFF]: "turned-off",
  [CaptureOff.NO_PROGRAM]: "no-program",
  [CaptureOff.NOT_PERMITTED]: "not-permitted",
  [CaptureOff.DID_NOT_START]: "did-not-start",
  [CaptureOff.STOPPED]: "stopped",
};

export interface LabCapture {
  readonly mode: CaptureMode.REAL_SEGMENTS | CaptureMode.SOCKET_EVENTS;
  /** The host's one English line; shown as it is only when it sends no code. */
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

/** The capture part of the host's status (undefined when the host reports no mode). */
export function captureOf(capture: ProtoCaptureStatus | undefined): LabCapture | undefined {
  if (!capture || (capture.mode !== CaptureMode.REAL_SEGMENTS && capture.mode !== CaptureMode.SOCKET_EVENTS)) return undefined;
  const code = OFF_CODES[capture.off];
  return {
    mode: capture.mode,
    reason: capture.reason,
    ...(code && { code }),
    ...(capture.command.trim() !== "" && { command: capture.command.trim() }),
    ...(capture.detail.trim() !== "" && { detail: capture.detail.trim() }),
  };
}

/** Capture and the closed port, from the host's status. */
export function captureStatusFrom(status: StatusResponse): CaptureStatus {
  const closed = status.services.find((s) => s.state === ServiceState.CLOSED);
  return { capture: captureOf(status.capture), closedPort: closed && closed.port > 0 ? closed.port : undefined };
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
