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
  /**
   * For a length counted in units: the bytes in one unit (4 for the 32-bit words of IPv4's IHL and TCP's data
   * offset), so the value reads `20 bytes (5)`.
   */
  readonly scale?: number;
  /** One sentence for the learner. */
  readonly blurb: string;
}

/** A node of the field tree. Offsets are relative to the frame's bytes (the PDU). */
export interface FieldNode {
  readonly id: string;
  readonly label: string;
  /** The value and its format id: a page words it in the reader's language (core/formats.ts). */
  readonly value: import("./formats").FieldValue;
  readonly offset: number;
  readonly length: number;
  readonly bitmask: number;
  readonly blurb: string;
  readonly children: FieldNode[];
}

/** The values a finding's message is made of, by name, so that a page can say it in another language. */
export type FindingArgs = Readonly<Record<string, string | number>>;

/**
 * Made from a protocol's findings table (core/findings.ts `defineFindings`, `makeFinding`, `Cursor.finding`), never
 * written by hand: the code, severity and English wording come from the table's entry.
 */
export interface Finding {
  /** Stable code, "<proto>.<what>". Tests assert codes, never messages. */
  readonly code: string;
  readonly severity: Severity;
  /** In English, rendered from the entry's template and `args` (for tests and the JSON export). */
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  /**
   * Every value the message shows, by the template's names, and any a page needs to say the same in another
   * language (app/_i18n/findings-ru.ts). Undefined when the message has no values.
   */
  readonly args?: FindingArgs;
  /** Which of its entry's wordings it is, for a code declared with several forms; undefined otherwise. */
  readonly form?: string;
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
  /**
   * Stateful protocols: what rebuilding the tree later needs from the conversation's state, kept compact (a
   * decoded header list, not the HPACK table), so a tree rebuilt from the bytes and the memo comes out as the
   * one made at capture time. One per dissect call: the first frame's memo stands for every frame the call
   * returns, and is handed back whole as `DissectContext.memo`.
   */
  readonly memo?: unknown;
  /** The stream speaks another protocol after this frame (HTTP `101` -> WebSocket, h2c upgrade -> HTTP/2). */
  readonly handoff?: Handoff;
}

export interface Handoff {
  /** Protocol id the stream switches to. */
  readonly protocol: string;
  /**
   * "both" (the default): this direction from the byte after this frame, the other from the first byte it has
   * not cut yet. "this": only this direction switches.
   */
  readonly directions?: "both" | "this";
}

/**
 * Where a PDU boundary search left off, kept by the stream session between reads of one PDU so that
 * `pduLength` resumes instead of rescanning (a chunked HTTP body, a JSON object without a length prefix).
 * Starts at { at: 0, state: 0 } for every PDU; the protocol gives both numbers their meaning.
 */
export interface PduScan {
  /** Bytes from the PDU's start already known not to hold its end. */
  at: number;
  /** Whatever else the search needs to resume (a nesting depth, a parser state), packed in a number. */
  state: number;
}

/** What pduLength knows besides the bytes. */
export interface PduContext<S = unknown> {
  readonly direction: Direction;
  readonly state?: S;
  readonly scan: PduScan;
}

/**
 * Whether to build field trees. Without (`tree: false`) a dissector gives the same frames, summaries and
 * findings, with no fields: what a reader that shows summary lines or follows connections needs, as Wireshark
 * dissects with a NULL tree when no tree is shown. Trees are built unless `tree` is false.
 */
export interface TreeOptions {
  readonly tree?: boolean;
}

export type Direction = "c2s" | "s2c";

/**
 * How the reads of a stream carried one PDU, as a stream session saw them (a protocol without a delimiter or a
 * length prefix teaches with this: JSON objects that share a read, or come in pieces).
 */
export interface ReadFacts {
  /** How many reads carried the PDU's bytes. */
  readonly count: number;
  /** Where reads after the first begin, as offsets in the PDU (the first few). */
  readonly starts: readonly number[];
  /** The read that carried the PDU's first byte carried bytes before it too (the end of an earlier PDU). */
  readonly before: boolean;
  /** The read that carried the PDU's last byte carried bytes after it too. */
  readonly after: boolean;
}

/** What a dissector knows besides the bytes. */
export interface DissectContext<S = unknown> extends TreeOptions {
  /** "c2s" for bytes the client sent, "s2c" for bytes the server sent. */
  readonly direction: Direction;
  /**
   * The conversation's dissection state (`createState`), while a stream session dissects the conversation
   * in order at capture time. Undefined when a tree is rebuilt later from a frame's `memo`.
   */
  readonly state?: S;
  /** When rebuilding one frame's tree after capture: the `memo` its dissection kept at capture time. */
  readonly memo?: unknown;
  /**
   * How the reads carried this PDU, while a stream session cuts a protocol with `pduLength` at capture time;
   * undefined otherwise (a dissector keeps in its `memo` what a rebuilt tree needs of it).
   */
  readonly reads?: ReadFacts;
}

/** What a dissector's capture pass (`Dissector.capture`) tells the stream session of one PDU. */
export interface CaptureResult {
  /** The memo `dissect` would have kept in the PDU's first frame (undefined when it keeps none). */
  readonly memo?: unknown;
  /** The handoff one of `dissect`'s frames would have carried. */
  readonly handoff?: Handoff;
}

/** Result of pduLength: the PDU's length in bytes, or "more" when the bytes so far cannot tell. */
export type PduLength = number | "more";

export interface Dissector<S = unknown> {
  /** Protocol id (lowercase), used for field-id prefixes and finding codes. */
  readonly id: string;
  readonly name: string;
  /**
   * Length of the PDU starting at `offset`, for reassembly (tcp_dissect_pdus' get_pdu_len), or "more".
   * Absent for protocols without framing of their own: then each read is one PDU. A delimiter search
   * records its progress in `ctx.scan` so the next call resumes where it stopped.
   */
  pduLength?(bytes: Uint8Array, offset: number, ctx: PduContext<S>): PduLength;
  /**
   * Per-conversation state (HPACK tables, WebSocket fragments, a request awaiting its response), made when a
   * stream session starts; `dissect` updates it in stream order and keeps in each frame's `memo` what a
   * rebuilt tree needs.
   */
  createState?(): S;
  /**
   * Looks at the first bytes of a stream and names the protocol it really speaks (the h2c preface on a port
   * that also serves HTTP/1.1), "more" while the bytes cannot tell yet, undefined to stay.
   */
  detect?(bytes: Uint8Array, direction: Direction): string | "more" | undefined;
  /** Dissects one PDU's bytes into one or more frames. Never throws. */
  dissect(bytes: Uint8Array, ctx: DissectContext<S>): DissectedFrame[];
  /**
   * The lean pass a stream session may run at capture time instead of `dissect` (the lab's bus does): no summary,
   * no findings, no body read; only what the conversation must learn in stream order. It updates `ctx.state`
   * exactly as `dissect` would and returns the memo and the handoff `dissect` would give, so that `dissect` on
   * the same bytes with that memo (what a reader runs, `pduFrames` in core/stream.ts) gives the frames capture
   * time would have. Absent: the session dissects at capture time. Never throws.
   */
  capture?(bytes: Uint8Array, ctx: DissectContext<S>): CaptureResult;
}

