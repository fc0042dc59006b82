// Field values as data: every node of a field tree carries its value and a format id, and a page words it in the
// reader's language from that language's template for the format (English here, Russian in
// app/_i18n/formats-ru.ts). Nothing reads a worded value back. Modelled on Wireshark's field types and display
// bases (FT_UINT16 with BASE_DEC_HEX, BASE_CUSTOM...), which keep a field's value apart from how it is shown,
// with words kept out of the dissectors as STYLE.md's dissector contract asks.
//
// The set is small and closed (FORMAT_IDS). A value from a name table (an IANA protocol or option name) is a value,
// carried as it is; what a name table lacks is worded by the template ("Unknown"). On the wire (lab.v1.Field) a
// value is its format id and its other members as strings (`argsOf`); the templates read those strings, so the
// server and the page word a value with the same code.

import { plural } from "./fields";
import type { FieldNode } from "./types";

/** Short notes a number or a plain value may carry, worded per language. */
export const NOTES = ["relative_seq", "relative_ack", "ack_ignored", "syn_window", "scaling_unknown", "broadcast", "multicast"] as const;
export type Note = (typeof NOTES)[number];

/** Why a checksum was not verified. */
export const CHECKSUM_REASONS = [
  /** Not all of the bytes it covers were captured. */
  "not_captured",
  /** The field is 0: the sender left it empty. */
  "zero",
  /** Checksum offload: the network card fills it in after the capture saw the packet. */
  "offload",
  /** The IP header length is wrong, so the header's end is unknown. */
  "bad_header_length",
  /** The UDP length field is wrong. */
  "bad_length",
  /** No IP header to build the pseudo-header from. */
  "no_ip",
  /** An IPv6 routing header with segments left: the final destination is not the one in the header. */
  "routing",
] as const;
export type ChecksumReason = (typeof CHECKSUM_REASONS)[number];

/**
 * A checksum's verdict: it sums up (good), it does not (bad), it could not be checked (unverified), or, for UDP's
 * 0, none was sent, which IPv4 allows (none) and IPv6 does not (missing).
 */
export type ChecksumVerdict = "good" | "bad" | "unverified" | "none" | "missing";

/** Set on any value whose field's bytes were cut short: the bytes it should have had (its length is those it has). */
interface Cut {
  readonly wanted?: number;
}

/** A field's value and its format id. Flat: every member but `format` is a number, a bigint, a string or a boolean. */
export type FieldValue = Cut &
  (
    | { readonly format: "number"; readonly value: number | bigint; readonly note?: Note }
    /** `0x3cce (15566)`: `digits` hex digits. */
    | { readonly format: "hex"; readonly value: number | bigint; readonly digits: number }
    /** `TCP (6)`, `IPv4 (0x0800)` with `digits`; `name` is "" when the table has none. */
    | { readonly format: "named"; readonly value: number; readonly name: string; readonly digits?: number }
    | { readonly format: "flag"; readonly value: boolean }
    /** A flags word: `set` is the ids of the flag fields that are set, space-separated, in the order to name them. */
    | { readonly format: "flags"; readonly value: number; readonly digits: number; readonly set: string }
    /** `hex`: the first bytes as hex pairs; `n`: how many bytes there are. */
    | { readonly format: "bytes"; readonly hex: string; readonly n: number }
    /** Text as it shows between quotes (escaped, `cut` when it goes on); `chars` in `n` bytes when they differ. */
    | { readonly format: "quoted"; readonly text: string; readonly cut: boolean; readonly chars?: number; readonly n?: number }
    /** A value that reads the same in every language: an address, a name, `TSval 1, TSecr 0`. */
    | { readonly format: "plain"; readonly text: string; readonly note?: Note }
    | { readonly format: "byte_count"; readonly n: number }
    /** A length field counted in units: `n` bytes from the `raw` value (`20 bytes (5)`). */
    | { readonly format: "byte_length"; readonly n: number; readonly raw: number }
    | {
        readonly format: "checksum";
        readonly stored: number;
        readonly verdict: ChecksumVerdict;
        /** What the field should hold, when it was computed. */
        readonly expected?: number;
        readonly reason?: ChecksumReason;
      }
    /** A window field and the window in bytes after scaling. */
    | { readonly format: "window"; readonly value: number; readonly scaled: number; readonly factor: number }
    /** A window scale shift count and what windows are multiplied by. */
    | { readonly format: "shift"; readonly value: number; readonly multiplier: number }
    /** A sequence number relative to the initial one, and as sent. */
    | { readonly format: "relative"; readonly value: number; readonly raw: number }
    /** Option bytes: `names` lists the options, `|`-separated, a number standing for one with no name. */
    | { readonly format: "options"; readonly n: number; readonly names: string }
    /** One option: its type, its name ("" when it has none; `digits` shows the type in hex) and its `n` bytes. */
    | { readonly format: "option"; readonly value: number; readonly name: string; readonly n: number; readonly digits?: number }
    | { readonly format: "vlan"; readonly id: number; readonly priority: number }
    /** Where an IPv6 fragment's data belongs, in bytes, and whether more fragments follow. */
    | { readonly format: "fragment"; readonly offset: number; readonly more: boolean }
    /** SACK blocks. */
    | { readonly format: "blocks"; readonly n: number }
    /** A value none of whose bytes were all there: its length of `wanted` bytes. */
    | { readonly format: "truncated" }
  );

export type FormatId = FieldValue["format"];

/** Every format id, for tests that check each language words every one. */
export const FORMAT_IDS = [
  "number",
  "hex",
  "named",
  "flag",
  "flags",
  "bytes",
  "quoted",
  "plain",
  "byte_count",
  "byte_length",
  "checksum",
  "window",
  "shift",
  "relative",
  "options",
  "option",
  "vlan",
  "fragment",
  "blocks",
  "truncated",
] as const satisfies readonly FormatId[];

/** A value's members as they travel (lab.v1.Field.args): strings, by name. */
export type FormatArgs = Readonly<Record<string, string>>;

export interface FormatContext {
  /** The field's id (a language may word the names of some fields' tables). */
  readonly id: string;
  /** How many bytes the field covers: what a cut value has. */
  readonly length: number;
  /** A field's label by id, in the language being rendered: a flags word names its set flags by their fields. */
  label(id: string): string;
}

/** How one language words values: one template per format, and the note on a value that was cut short. */
export interface FormatLanguage {
  readonly templates: { readonly [F in FormatId]: (a: FormatArgs, ctx: FormatContext) => string };
  /** `<value> (truncated: 2 of 4 bytes)`. */
  partial(shown: string, have: number, wanted: number): string;
}

/** The separator of `flags.set`. */
export const FLAG_SEPARATOR = " ";
/** The separator of `options.names`. */
export const NAME_SEPARATOR = "|";

/** A value's members as strings, for the wire. */
export function argsOf(value: FieldValue): Record<string, string> {
  const args: Record<string, string> = {};
  for (const key in value) {
    if (key === "format") continue;
    const member = (value as unknown as Record<string, unknown>)[key];
    if (member !== undefined) args[key] = String(member);
  }
  return args;
}

/**
 * A value in a language, from its format id and args as they travel; undefined for a format this code does not
 * know (a newer host), so that the caller can fall back to what else it has.
 */
export function renderValue(language: FormatLanguage, format: string, args: FormatArgs, ctx: FormatContext): string | undefined {
  const template = (language.templates as Readonly<Record<string, FormatLanguage["templates"][FormatId]>>)[format];
  if (!template) return undefined;
  const shown = template(args, ctx);
  const wanted = args.wanted;
  return wanted !== undefined && format !== "truncated" ? language.partial(shown, ctx.length, Number(wanted)) : shown;
}

/** `0x` and the value in hex, at least `digits` digits (as text, so that 64-bit values stay exact). */
export function hexText(value: string, digits: number): string {
  let n: bigint;
  try {
    n = BigInt(value);
  } catch {
    return value;
  }
  return `0x${n.toString(16).padStart(digits, "0")}`;
}

/** How many hex pairs a `bytes` value shows. */
export function shownPairs(hexPairs: string): number {
  return hexPairs === "" ? 0 : (hexPairs.length + 1) / 3;
}

const NOTES_EN: Readonly<Record<Note, string>> = {
  relative_seq: "relative sequence number",
  relative_ack: "relative ack number",
  ack_ignored: "ACK not set: ignored",
  syn_window: "a SYN's window is never scaled",
  scaling_unknown: "scaling unknown: the handshake was not captured",
  broadcast: "broadcast",
  multicast: "multicast",
};

const REASONS_EN: Readonly<Record<ChecksumReason, string>> = {
  not_captured: "not all of the bytes it covers were captured",
  zero: "0 means the sender left it empty",
  offload: "checksum offload, the card fills it in later",
  bad_header_length: "the header length is wrong, so the header's end is unknown",
  bad_length: "the length field is wrong",
  no_ip: "no IP header to build the pseudo-header from",
  routing: "the routing header still has segments left, so the final destination is not the one in the header",
};

const withNote = (text: string | undefined, note: string | undefined): string =>
  note ? `${text ?? ""} (${NOTES_EN[note as Note] ?? note})` : (text ?? "");
const bytes = (n: string | undefined): string => plural(Number(n ?? 0), "byte");
const unknown = (a: FormatArgs): string => `Unknown (${a.digits ? hexText(a.value ?? "", Number(a.digits)) : a.value})`;

/** The dissectors' own English (Wireshark's words where Wireshark has some). */
export const ENGLISH: FormatLanguage = {
  templates: {
    number: (a) => withNote(a.value, a.note),
    hex: (a) => `${hexText(a.value ?? "", Number(a.digits))} (${a.value})`,
    named: (a) => (a.name ? `${a.name} (${a.digits ? hexText(a.value ?? "", Number(a.digits)) : a.value})` : unknown(a)),
    flag: (a) => (a.value === "true" ? "Set" : "Not set"),
    flags: (a, ctx) => `${hexText(a.value ?? "", Number(a.digits))} (${a.set ? a.set.split(FLAG_SEPARATOR).map(ctx.label).join(", ") : "none set"})`,
    bytes: (a) => (a.n === "0" ? "(empty)" : shownPairs(a.hex ?? "") < Number(a.n) ? `${a.hex} … (${bytes(a.n)})` : (a.hex ?? "")),
    quoted: (a) => {
      const text = `"${a.text}"${a.cut === "true" ? "…" : ""}`;
      return a.chars === undefined ? text : `${text} (${plural(Number(a.chars), "character")} in ${bytes(a.n)})`;
    },
    plain: (a) => withNote(a.text, a.note),
    byte_count: (a) => bytes(a.n),
    byte_length: (a) => `${bytes(a.n)} (${a.raw})`,
    checksum: (a) => {
      const stored = hexText(a.stored ?? "", 4);
      const expected = a.expected === undefined ? "" : hexText(a.expected, 4);
      switch (a.verdict) {
        case "good":
          return `${stored} (correct)`;
        case "bad":
          return `${stored} (incorrect, should be ${expected})`;
        case "none":
          return `${stored} (none: the sender did not compute one, which IPv4 allows)`;
        case "missing":
          return `${stored} (missing: IPv6 requires a UDP checksum)`;
        default: {
          const why = REASONS_EN[(a.reason ?? "not_captured") as ChecksumReason] ?? a.reason;
          return `${stored} (unverified: ${why}${expected ? `; it would be ${expected}` : ""})`;
        }
      }
    },
    window: (a) => `${a.value} (calculated window size ${a.scaled}, scaling factor ${a.factor})`,
    shift: (a) => `${a.value} (multiply by ${a.multiplier})`,
    relative: (a) => `${a.value} (relative; raw ${a.raw})`,
    options: (a) => {
      const names = (a.names ?? "") === "" ? [] : (a.names ?? "").split(NAME_SEPARATOR);
      return `${bytes(a.n)}: ${names.map((name) => (/^\d+$/.test(name) ? `Unknown (${name})` : name)).join(", ")}`;
    },
    option: (a) => `${a.name || unknown(a)}: ${bytes(a.n)}`,
    vlan: (a) => `VLAN ${a.id}, priority ${a.priority}`,
    fragment: (a) => {
      const at = `offset ${bytes(a.offset)}`;
      if (a.more === "true") return `${at}, more follow`;
      return a.offset === "0" ? `${at} (atomic: not fragmented)` : `${at}, the last`;
    },
    blocks: (a) => plural(Number(a.n ?? 0), "block"),
    truncated: (a, ctx) => `truncated: ${ctx.length} of ${bytes(a.wanted)}`,
  },
  partial: (shown, have, wanted) => `${shown} (truncated: ${have} of ${plural(wanted, "byte")})`,
};

/**
 * A node's value in English, as the golden files and the JSON export show it. A flags word names its flags by
 * the labels of its children, which are those flags' fields.
 */
export function englishDisplay(node: FieldNode): string {
  const label = (id: string) => node.children.find((child) => child.id === id)?.label ?? id;
  return renderValue(ENGLISH, node.value.format, argsOf(node.value), { id: node.id, length: node.length, label }) ?? "";
}
