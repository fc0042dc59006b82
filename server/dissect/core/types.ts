// The dissector contract: bytes in, frames out, never a throw.
// Modelled on Wireshark's header-field tables (hf_register_info) and tcp_dissect_pdus.
// ISOMORPHIC: this folder imports nothing from node:* or from other server folders.

/** Wireshark's expert-info levels. */
export const SEVERITIES = ["chat", "note", "warn", "error"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type FieldType = "u8" | "u16" | "u32" | "u64" | "bool" | "bytes" | "text" | "none";

/** One field, declared once per protocol (see fields.ts `defineFields`). */
export interface FieldSpec {
  /** Dotted snake case: "<proto>.<name>". Filled in by defineFields. */
  readonly id: string;
  readonly label: string;
  readonly type: FieldType;
  /** For flags: the bits of the byte/word this field occupies. */
  readonly bitmask?: number;
  /** Value names, as Wireshark's value_string. */
  readonly names?: Readonly<Record<number, string>>;
  /** One sentence for the learner. */
  readonly blurb: string;
}

/** A node of the field tree. Offsets are relative to the frame's bytes (the PDU). */
export interface FieldNode {
  readonly id: string;
  readonly label: string;
  readonly display: string;
  readonly offset: number;
  readonly length: number;
  readonly bitmask: number;
  readonly blurb: string;
  readonly children: FieldNode[];
}

/** The values a finding's message is made of, by name, so that a page can say it in another language. */
export type FindingArgs = Readonly<Record<string, string | number>>;

export interface Finding {
  /** Stable code, "<proto>.<what>". Tests assert codes, never messages. */
  readonly code: string;
  readonly severity: Severity;
  /** In English. */
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  /**
   * Every value the message shows, and which of its wordings it is (`form`) when a code has several: what
   * app/_i18n/findings-ru.ts needs to say the same in Russian. Undefined when the message has no values.
   */
  readonly args?: FindingArgs;
}

export interface DissectedFrame {
  readonly protocol: string;
  /** One line, like Wireshark's Info column. */
  readonly summary: string;
  /** Where this frame sits within the bytes given to the dissector. */
  readonly offset: number;
  readonly length: number;
  readonly fields: FieldNode[];
  readonly findings: Finding[];
}

/**
 * Whether to build field trees. Without (`tree: false`) a dissector gives the same frames, summaries and
 * findings, with no fields: what a reader that shows summary lines or follows connections needs, as Wireshark
 * dissects with a NULL tree when no tree is shown. Trees are built unless `tree` is false.
 */
export interface TreeOptions {
  readonly tree?: boolean;
}

/** What a dissector knows besides the bytes. */
export interface DissectContext extends TreeOptions {
  /** "c2s" for bytes the client sent, "s2c" for bytes the server sent. */
  readonly direction: "c2s" | "s2c";
}

/** Result of pduLength: the PDU's length in bytes, or "more" when the bytes so far cannot tell. */
export type PduLength = number | "more";

export interface Dissector {
  /** Protocol id (lowercase), used for field-id prefixes and finding codes. */
  readonly id: string;
  readonly name: string;
  /**
   * Length of the PDU starting at `offset`, for reassembly (tcp_dissect_pdus' get_pdu_len).
   * Absent for protocols without framing of their own: then each read is one PDU.
   */
  pduLength?(bytes: Uint8Array, offset: number): PduLength;
  /** Dissects one PDU's bytes into one or more frames. Never throws. */
  dissect(bytes: Uint8Array, ctx: DissectContext): DissectedFrame[];
}
