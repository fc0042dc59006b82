// What the UDP lesson's panels read from one flow's timeline events (proto/lab/v1/timeline.proto): the datagrams
// each way, the ones the session's impairment lost, the duplicates' copies, the timeouts, and the answers to one
// datagram. Pure functions over the generated types, so each panel's counts are tested and nothing is invented:
// a datagram the panel shows is a DATA or LOST event the lab host recorded.

import { Direction, EventKind } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "@/app/_components/timeline/batch";
import { isDuplicate } from "@/app/_components/timeline/describe";
import { pyTupleRepr, StructError, unpack } from "@/server/dissect/struct";

type Ev = Pick<TimelineEvent, "seq" | "kind" | "direction" | "data" | "length" | "errorCode" | "findings" | "streamOffset">;

export function isDatagram(event: Pick<Ev, "kind">): boolean {
  return event.kind === EventKind.DATA;
}

/** The datagrams one way, in timeline order (copies of duplicates included; isDuplicate tells them). */
export function datagrams<E extends Ev>(events: readonly E[], direction: Direction): E[] {
  return events.filter((e) => e.kind === EventKind.DATA && e.direction === direction);
}

/** What happened to the datagrams of one flow, counted from its events. */
export interface FlowTally {
  /** Datagrams the client handed over, lost ones included, copies not. */
  readonly sent: number;
  /** Client datagrams the server received (copies not counted). */
  readonly arrived: number;
  /** Client datagrams the impairment dropped on the way to the server. */
  readonly lostOnTheWay: number;
  /** Answers the server sent that reached the client (copies not counted). */
  readonly answers: number;
  /** Answers the impairment dropped on the way back. */
  readonly answersLost: number;
  /** Second copies, each way together. */
  readonly copies: number;
  /** "No answer within 5 s" events. */
  readonly timeouts: number;
}

export function tallyFlow(events: readonly Ev[]): FlowTally {
  let arrived = 0;
  let lostOnTheWay = 0;
  let answers = 0;
  let answersLost = 0;
  let copies = 0;
  let timeouts = 0;
  for (const e of events) {
    const c2s = e.direction === Direction.CLIENT_TO_SERVER;
    if (e.kind === EventKind.DATA) {
      if (isDuplicate(e)) copies++;
      else if (c2s) arrived++;
      else answers++;
    } else if (e.kind === EventKind.LOST) {
      if (c2s) lostOnTheWay++;
      else answersLost++;
    } else if (e.kind === EventKind.TIMEOUT) {
      timeouts++;
    }
  }
  return { sent: arrived + lostOnTheWay, arrived, lostOnTheWay, answers, answersLost, copies, timeouts };
}

/** Whether the event's frames carry a finding with this code ("udpecho.cut_by_server"). */
export function hasFinding(event: Pick<Ev, "findings">, code: string): boolean {
  return event.findings.some((f) => f.code === code);
}

/**
 * What the seed's client gets when it sends BINARY_TEST and calls recvfrom(1024) once, then
 * struct.unpack('If', response): the tuple, or CPython's error (the text echo is not 8 bytes).
 */
export type SeedUnpack = { readonly ok: true; readonly values: string } | { readonly ok: false; readonly error: string };

export function seedUnpack(response: Uint8Array): SeedUnpack {
  // recvfrom(1024) returns at most 1,024 bytes of the datagram.
  const read = response.subarray(0, 1024);
  try {
    return { ok: true, values: pyTupleRepr(unpack("If", read)) };
  } catch (err) {
    if (err instanceof StructError) return { ok: false, error: `struct.error: ${err.message}` };
    throw err;
  }
}

/**
 * The client's datagram a captured packet stands for: the SEGMENT event of the same flow, the same way, at the
 * same stream offset (the bus joins a datagram and its packet so). Undefined without wire capture.
 */
export function packetOf<E extends Ev>(events: readonly E[], datagram: Ev): E | undefined {
  if (datagram.streamOffset < 0n) return undefined;
  return events.find((e) => e.kind === EventKind.SEGMENT && e.direction === datagram.direction && e.streamOffset === datagram.streamOffset);
}

/** Settings as the impairment form holds them while the student types: text, checked on Apply. */
export interface ImpairmentForm {
  readonly dropPercent: string;
  readonly duplicatePercent: string;
  readonly reorderWindow: string;
  readonly delayMs: string;
  readonly jitterMs: string;
  readonly seed: string;
}

export interface ImpairmentValues {
  readonly dropPercent: number;
  readonly duplicatePercent: number;
  readonly reorderWindow: number;
  readonly delayMs: number;
  readonly jitterMs: number;
  readonly seed: number;
}

/** The host's limits (lab.proto Impairment): each field's range and whether it takes fractions. */
export const IMPAIRMENT_LIMITS: Readonly<Record<keyof ImpairmentValues, { readonly min: number; readonly max: number; readonly integer: boolean }>> = {
  dropPercent: { min: 0, max: 100, integer: false },
  duplicatePercent: { min: 0, max: 100, integer: false },
  reorderWindow: { min: 0, max: 16, integer: true },
  delayMs: { min: 0, max: 10_000, integer: true },
  jitterMs: { min: 0, max: 10_000, integer: true },
  seed: { min: 0, max: 4_294_967_295, integer: true },
};

export type ImpairmentCheck =
  | { readonly ok: true; readonly values: ImpairmentValues }
  | { readonly ok: false; readonly field: keyof ImpairmentValues; readonly min: number; readonly max: number; readonly integer: boolean };

const FIELDS = Object.keys(IMPAIRMENT_LIMITS) as (keyof ImpairmentValues)[];

/** The form's text as numbers, or the first field out of its range (empty counts as 0). */
export function checkImpairment(form: ImpairmentForm): ImpairmentCheck {
  const values: Partial<Record<keyof ImpairmentValues, number>> = {};
  for (const field of FIELDS) {
    const limit = IMPAIRMENT_LIMITS[field];
    const text = form[field].trim().replace(",", ".");
    const n = text === "" ? 0 : Number(text);
    if (!Number.isFinite(n) || n < limit.min || n > limit.max || (limit.integer && !Number.isInteger(n))) {
      return { ok: false, field, ...limit };
    }
    values[field] = n;
  }
  return { ok: true, values: values as ImpairmentValues };
}

export function formOf(values: ImpairmentValues): ImpairmentForm {
  return {
    dropPercent: String(values.dropPercent),
    duplicatePercent: String(values.duplicatePercent),
    reorderWindow: String(values.reorderWindow),
    delayMs: String(values.delayMs),
    jitterMs: String(values.jitterMs),
    seed: String(values.seed),
  };
}

/** All zero but the seed: the host then impairs nothing. */
export function impairmentOff(values: ImpairmentValues): boolean {
  return values.dropPercent === 0 && values.duplicatePercent === 0 && values.reorderWindow <= 1 && values.delayMs === 0 && values.jitterMs === 0;
}

/**
 * Where bytes.decode("utf-8") in Python stops, with CPython's words: "'utf-8' codec can't decode byte 0xc3 in
 * position 4: invalid continuation byte". Undefined when the bytes are valid UTF-8.
 */
export function pythonUtf8Error(bytes: Uint8Array): string | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    const at = `byte 0x${b.toString(16).padStart(2, "0")} in position ${i}`;
    if (need < 0) return `'utf-8' codec can't decode ${at}: invalid start byte`;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlongs, surrogates, or past U+10FFFF).
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) {
        return i + k - 1 === i
          ? `'utf-8' codec can't decode ${at}: unexpected end of data`
          : `'utf-8' codec can't decode bytes in position ${i}-${i + k - 1}: unexpected end of data`;
      }
      const ok = k === 1 ? c >= low && c <= high : c >= 0x80 && c <= 0xbf;
      if (!ok) {
        return k === 1
          ? `'utf-8' codec can't decode ${at}: invalid continuation byte`
          : `'utf-8' codec can't decode bytes in position ${i}-${i + k - 1}: invalid continuation byte`;
      }
    }
    i += need + 1;
  }
  return undefined;
}
