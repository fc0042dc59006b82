// What the TCP lesson says about captured segments: the SEGMENT events of one conversation read with the
// numbers a student learns to follow (relative seq and ack counted from each side's ISN, as Wireshark
// shows them), what each segment does in one sentence with its real values, and the rows of the TCP
// header diagram. Pure functions over timeline events; the packet bytes are read in segment-adapter.ts.
// Nothing here invents a segment: every view stands for one SEGMENT event the capture recorded.

import type { Values } from "@/app/_i18n/format";
import type { Keys } from "@/app/_i18n/messages";
import { Direction, EventKind, type Conversation } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "../timeline/batch";
import type { EventView } from "../timeline/event-table";
import { OPTION_KIND, readTcpPacket, TCP_FLAG, type TcpOption, type TcpPacket } from "./segment-adapter";

export type Translate = (key: Keys<"tcpLesson">, values?: Values) => string;

export type SegmentSide = "client" | "server";

export type SegmentKind = "syn" | "synAck" | "handshakeAck" | "data" | "fin" | "rst" | "ack" | "other";

export interface Acknowledged {
  /** Payload bytes of the peer this ACK confirms for the first time. */
  readonly data: number;
  /** It confirms the peer's SYN (which takes sequence number 0). */
  readonly syn: boolean;
  /** It confirms the peer's FIN. */
  readonly fin: boolean;
  /** Time since the peer's segment that ends where this ACK points, when that segment was captured. */
  readonly delayNs?: bigint;
}

export interface SegmentView {
  readonly eventSeq: bigint;
  readonly side: SegmentSide | undefined;
  readonly monoNs: bigint;
  readonly packet: TcpPacket;
  readonly kind: SegmentKind;
  /** Seq counted from this side's ISN; undefined when its SYN was not captured. */
  readonly relSeq: number | undefined;
  /** Ack counted from the peer's ISN; undefined without the ACK flag or the peer's SYN. */
  readonly relAck: number | undefined;
  /** The seq this side's next new segment will carry: seq + payload + 1 for a SYN or FIN. */
  readonly nextRelSeq: number | undefined;
  /** What this segment's ACK confirms for the first time; undefined when it has no ACK to compare. */
  readonly acked: Acknowledged | undefined;
  /** The ack is the peer's SYN seq + 1. */
  readonly ackIsPeerSynPlusOne: boolean;
  /** A reset that answers the peer's SYN from a side that never sent one: a refused connection. */
  readonly refusesSyn: boolean;
  /** The window-scale shift this side announced, when both SYNs announced one and this is no SYN. */
  readonly windowShift: number | undefined;
  readonly windowBytes: number | undefined;
  /** Sends again bytes (or a FIN) this side sent before. */
  readonly retransmission: boolean;
}

export interface UnreadableSegment {
  readonly eventSeq: bigint;
  readonly side: SegmentSide | undefined;
  readonly linkType: number;
  readonly unreadable: true;
}

export type SegmentEntry = SegmentView | UnreadableSegment;

export function isReadable(entry: SegmentEntry): entry is SegmentView {
  return !("unreadable" in entry);
}

function sideOf(direction: Direction): SegmentSide | undefined {
  if (direction === Direction.CLIENT_TO_SERVER) return "client";
  if (direction === Direction.SERVER_TO_CLIENT) return "server";
  return undefined;
}

const has = (p: TcpPacket, flag: number) => (p.flags & flag) !== 0;
const rel = (value: number, base: number) => (value - base) >>> 0;

function optionOf(p: TcpPacket, kind: number): TcpOption | undefined {
  return p.options.find((o) => o.kind === kind);
}

export function isSegment(event: TimelineEvent): boolean {
  return event.kind === EventKind.SEGMENT;
}

/**
 * The SEGMENT events among one conversation's events, read and numbered. Relative numbers start at each
 * side's SYN (seq 0, so the first data byte is seq 1); without a captured SYN only raw numbers are known.
 */
export function analyzeSegments(events: readonly TimelineEvent[]): SegmentEntry[] {
  const read: { event: TimelineEvent; side: SegmentSide | undefined; packet: TcpPacket | undefined }[] = events
    .filter(isSegment)
    .map((event) => ({ event, side: sideOf(event.direction), packet: readTcpPacket(event.linkType, event.data) }));

  // Each side's ISN and window-scale shift, from its first SYN.
  const isn: Partial<Record<SegmentSide, number>> = {};
  const shift: Partial<Record<SegmentSide, number | null>> = {};
  for (const { side, packet } of read) {
    if (!side || !packet || !has(packet, TCP_FLAG.SYN) || has(packet, TCP_FLAG.RST) || isn[side] !== undefined) continue;
    isn[side] = packet.seq;
    shift[side] = optionOf(packet, OPTION_KIND.WSCALE)?.shift ?? null;
  }
  const scaling = typeof shift.client === "number" && typeof shift.server === "number";

  // Where each side's FIN sits in its sequence space.
  const finAt: Partial<Record<SegmentSide, number>> = {};
  for (const { side, packet } of read) {
    const base = side ? isn[side] : undefined;
    if (!side || !packet || base === undefined || !has(packet, TCP_FLAG.FIN) || finAt[side] !== undefined) continue;
    finAt[side] = rel(packet.seq, base) + packet.payloadLength;
  }

  const sentUpTo: Partial<Record<SegmentSide, number>> = {};
  const ackedUpTo: Partial<Record<SegmentSide, number>> = {};
  const entries: SegmentEntry[] = [];
  const seen: SegmentView[] = [];

  for (const { event, side, packet } of read) {
    if (!packet) {
      entries.push({ eventSeq: event.seq, side, linkType: event.linkType, unreadable: true });
      continue;
    }
    const peer: SegmentSide | undefined = side === "client" ? "server" : side === "server" ? "client" : undefined;
    const ownIsn = side ? isn[side] : undefined;
    const peerIsn = peer ? isn[peer] : undefined;
    const syn = has(packet, TCP_FLAG.SYN);
    const fin = has(packet, TCP_FLAG.FIN);
    const rst = has(packet, TCP_FLAG.RST);
    const ackFlag = has(packet, TCP_FLAG.ACK);
    const len = packet.payloadLength;

    const relSeq = ownIsn !== undefined ? rel(packet.seq, ownIsn) : undefined;
    const relAck = ackFlag && peerIsn !== undefined ? rel(packet.ack, peerIsn) : undefined;
    const nextRelSeq = relSeq === undefined ? undefined : relSeq + len + (syn ? 1 : 0) + (fin ? 1 : 0);

    let retransmission = false;
    if (side && relSeq !== undefined && nextRelSeq !== undefined && !syn && (len > 0 || fin)) {
      const before = sentUpTo[side];
      retransmission = before !== undefined && nextRelSeq <= before;
    }
    if (side && nextRelSeq !== undefined) sentUpTo[side] = Math.max(sentUpTo[side] ?? 0, nextRelSeq);

    let acked: Acknowledged | undefined;
    if (side && peer && relAck !== undefined) {
      const from = ackedUpTo[side] ?? 0;
      if (relAck > from) {
        const ackSyn = from === 0;
        const peerFin = finAt[peer];
        const ackFin = peerFin !== undefined && from <= peerFin && relAck > peerFin;
        const answered = [...seen].reverse().find((s) => s.side === peer && s.nextRelSeq === relAck);
        const delayNs = answered && event.monoNs >= answered.monoNs ? event.monoNs - answered.monoNs : undefined;
        acked = { data: relAck - from - (ackSyn ? 1 : 0) - (ackFin ? 1 : 0), syn: ackSyn, fin: ackFin, ...(delayNs !== undefined ? { delayNs } : {}) };
      } else acked = { data: 0, syn: false, fin: false };
      ackedUpTo[side] = Math.max(from, relAck);
    }

    const ackIsPeerSynPlusOne = ackFlag && peerIsn !== undefined && packet.ack === (peerIsn + 1) >>> 0;
    const refusesSyn = rst && ackFlag && ownIsn === undefined && ackIsPeerSynPlusOne;
    const windowShift = scaling && !syn && side ? (shift[side] ?? undefined) : undefined;
    const windowShiftNumber = typeof windowShift === "number" ? windowShift : undefined;

    let kind: SegmentKind;
    if (rst) kind = "rst";
    else if (syn && ackFlag) kind = "synAck";
    else if (syn) kind = "syn";
    else if (fin) kind = "fin";
    else if (len > 0) kind = "data";
    else if (ackFlag && acked?.syn) kind = "handshakeAck";
    else if (ackFlag) kind = "ack";
    else kind = "other";

    const view: SegmentView = {
      eventSeq: event.seq,
      side,
      monoNs: event.monoNs,
      packet,
      kind,
      relSeq,
      relAck,
      nextRelSeq,
      acked,
      ackIsPeerSynPlusOne,
      refusesSyn,
      windowShift: windowShiftNumber,
      windowBytes: windowShiftNumber === undefined ? undefined : packet.window * 2 ** windowShiftNumber,
      retransmission,
    };
    entries.push(view);
    seen.push(view);
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Words

export function endpointText(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Flags as Wireshark writes them in a summary, lowest bit first: "SYN, ACK", "FIN, ACK". */
export function flagNames(flags: number): string {
  const names: string[] = [];
  for (const [name, bit] of [
    ["FIN", TCP_FLAG.FIN],
    ["SYN", TCP_FLAG.SYN],
    ["RST", TCP_FLAG.RST],
    ["PSH", TCP_FLAG.PSH],
    ["ACK", TCP_FLAG.ACK],
    ["URG", TCP_FLAG.URG],
    ["ECE", TCP_FLAG.ECE],
    ["CWR", TCP_FLAG.CWR],
  ] as const) {
    if (flags & bit) names.push(name);
  }
  return names.join(", ");
}

/** Options in the order they came. `detailed` adds timestamp values and NOPs (for the header diagram). */
export function optionsText(options: readonly TcpOption[], t: Translate, detailed = false): string {
  const parts: string[] = [];
  for (const o of options) {
    switch (o.kind) {
      case OPTION_KIND.EOL:
        if (detailed) parts.push("EOL");
        break;
      case OPTION_KIND.NOP:
        if (detailed) parts.push("NOP");
        break;
      case OPTION_KIND.MSS:
        parts.push(t("optMss", { value: String(o.mss ?? 0) }));
        break;
      case OPTION_KIND.SACK_PERMITTED:
        parts.push(t("optSackPermitted"));
        break;
      case OPTION_KIND.TIMESTAMPS:
        parts.push(detailed ? t("optTimestampsValues", { val: String(o.tsVal ?? 0), ecr: String(o.tsEcr ?? 0) }) : t("optTimestamps"));
        break;
      case OPTION_KIND.WSCALE:
        parts.push(t("optWscale", { shift: String(o.shift ?? 0), factor: String(2 ** (o.shift ?? 0)) }));
        break;
      case OPTION_KIND.SACK:
        parts.push(t("optSack", { blocks: (o.blocks ?? []).map(([l, r]) => `${l}–${r}`).join(", ") }));
        break;
      default:
        parts.push(t("optOther", { kind: String(o.kind), n: o.length }));
    }
  }
  return parts.join(", ");
}

function seqText(view: SegmentView, t: Translate): string {
  return view.relSeq === undefined ? t("segRawOnly", { raw: String(view.packet.seq) }) : String(view.relSeq);
}

function ackText(view: SegmentView, t: Translate): string {
  return view.relAck === undefined ? t("segRawOnly", { raw: String(view.packet.ack) }) : String(view.relAck);
}

function windowText(view: SegmentView, t: Translate): string {
  const window = String(view.packet.window);
  if (view.windowShift === undefined || view.windowBytes === undefined) return t("segWindow", { window });
  return t("segWindowScaled", { window, factor: String(2 ** view.windowShift), n: view.windowBytes });
}

/** Milliseconds with at most three decimals, as a number (the message formatter localises it). */
export function nsToMs(ns: bigint): number {
  return Math.round(Number(ns) / 1_000) / 1_000;
}

/** An ACK this much later than the data it confirms was held back on purpose (Linux waits 40 ms or more). */
const DELAYED_ACK_NS = 5_000_000n;

function ackedNote(view: SegmentView, t: Translate): string[] {
  const a = view.acked;
  if (!a) return [];
  const notes: string[] = [];
  if (a.data > 0) {
    if (view.kind === "data" || view.kind === "fin") notes.push(t("segNotePiggyback", { n: a.data }));
    else if (a.delayNs !== undefined) {
      notes.push(t("segNoteAckedDataAfter", { n: a.data, ms: nsToMs(a.delayNs), ack: String(view.relAck ?? view.packet.ack) }));
      if (a.delayNs >= DELAYED_ACK_NS) notes.push(t("segNoteDelayedAck"));
    } else notes.push(t("segNoteAckedData", { n: a.data, ack: String(view.relAck ?? view.packet.ack) }));
  }
  if (a.fin) notes.push(t("segNoteAckedFin", { ack: String(view.relAck ?? view.packet.ack) }));
  if (!a.syn && !a.fin && a.data === 0 && view.kind === "ack") notes.push(t("segNoteAckNothingNew"));
  return notes;
}

export interface SegmentExplanation {
  /** One line with the segment's values. */
  readonly headline: string;
  /** Why, in a sentence or two. */
  readonly notes: readonly string[];
}

/** What one segment is and does, with its real values. */
export function explainSegment(view: SegmentView, t: Translate): SegmentExplanation {
  const p = view.packet;
  const from = endpointText(p.srcIp, p.srcPort);
  const seq = seqText(view, t);
  const ack = ackText(view, t);
  const window = windowText(view, t);
  const opts = optionsText(p.options, t);
  const options = opts === "" ? "" : t("segOptions", { options: opts });
  const notes: string[] = [];
  let headline: string;

  switch (view.kind) {
    case "syn":
      headline = t("segHeadSyn", { from, seq, raw: String(p.seq), window, options });
      notes.push(t("segNoteSyn"));
      break;
    case "synAck":
      headline = t("segHeadSynAck", { from, seq, raw: String(p.seq), ack, window, options });
      notes.push(view.ackIsPeerSynPlusOne ? t("segNoteSynAck", { ack }) : t("segNoteSynAckOdd"));
      break;
    case "handshakeAck":
      headline = t("segHeadAck", { from, seq, ack, window });
      notes.push(t("segNoteHandshakeAck", { ack }));
      break;
    case "data":
      headline = t("segHeadData", { from, seq, n: p.payloadLength, ack, window });
      if (view.nextRelSeq !== undefined) notes.push(t("segNoteData", { next: String(view.nextRelSeq) }));
      notes.push(...ackedNote(view, t));
      break;
    case "fin":
      headline = p.payloadLength > 0 ? t("segHeadFinData", { from, seq, n: p.payloadLength, ack }) : t("segHeadFin", { from, seq, ack });
      if (view.nextRelSeq === undefined) notes.push(t("segNoteFinNoNumbers"));
      else notes.push(t(view.side === "server" ? "segNoteFinServer" : "segNoteFinClient", { next: String(view.nextRelSeq) }));
      notes.push(...ackedNote(view, t));
      break;
    case "rst":
      if (view.refusesSyn) {
        // The timeline's row numbers it as Wireshark does (this side's base is one below its first seq): Seq=1.
        const numbers = { ack, rawSeq: String(p.seq), rawAck: String(p.ack) };
        headline = t("segHeadRstRefused", { from, ...numbers });
        notes.push(t("segNoteRstRefused", { port: String(p.srcPort), ...numbers }));
      } else {
        headline = t(has(p, TCP_FLAG.ACK) ? "segHeadRstAck" : "segHeadRst", { from, seq: String(p.seq), ack });
        notes.push(t("segNoteRst"));
      }
      break;
    case "ack":
      headline = t("segHeadAck", { from, seq, ack, window });
      notes.push(...ackedNote(view, t));
      break;
    default:
      headline = t("segHeadOther", { from, flags: flagNames(p.flags) || t("segNoFlags"), seq, ack });
  }
  if (view.retransmission) notes.push(t("segNoteRetransmission"));
  return { headline, notes };
}

/** One line for a packet the lesson could not read as TCP over IP. */
export function explainUnreadable(entry: UnreadableSegment, t: Translate): SegmentExplanation {
  return { headline: t("segUnreadable", { linkType: String(entry.linkType) }), notes: [] };
}

// ---------------------------------------------------------------------------------------------
// The header diagram

export type HeaderFieldId =
  | "srcPort"
  | "dstPort"
  | "seq"
  | "ack"
  | "dataOffset"
  | "reserved"
  | "cwr"
  | "ece"
  | "urg"
  | "ackFlag"
  | "psh"
  | "rst"
  | "syn"
  | "fin"
  | "window"
  | "checksum"
  | "urgentPointer"
  | "options"
  | "padding";

export interface HeaderCell {
  readonly id: HeaderFieldId;
  /** Width in bits: the cell's colspan in a 32-column row. */
  readonly bits: number;
  /** The value in the selected segment, as shown; undefined without a segment. */
  readonly value?: string;
  /** For one-bit flags: whether the flag is set. */
  readonly set?: boolean;
}

export interface HeaderRow {
  /** The bytes of the header this row covers, "0–3". */
  readonly bytes: string;
  readonly cells: readonly HeaderCell[];
}

const FLAG_CELLS: readonly [HeaderFieldId, number][] = [
  ["cwr", TCP_FLAG.CWR],
  ["ece", TCP_FLAG.ECE],
  ["urg", TCP_FLAG.URG],
  ["ackFlag", TCP_FLAG.ACK],
  ["psh", TCP_FLAG.PSH],
  ["rst", TCP_FLAG.RST],
  ["syn", TCP_FLAG.SYN],
  ["fin", TCP_FLAG.FIN],
];

const hex16 = (n: number) => `0x${n.toString(16).padStart(4, "0")}`;

/**
 * The TCP header as rows of 32 bits (RFC 9293 §3.1, drawn as in the course's seed document), filled with
 * the segment's values when there is one. The seed draws six reserved bits; RFC 3168 has since given the
 * last two to ECN (CWR, ECE), so they get cells of their own.
 */
export function headerRows(view: SegmentView | undefined, t: Translate): HeaderRow[] {
  const p = view?.packet;
  const v = <T>(f: (p: TcpPacket, view: SegmentView) => T): T | undefined => (p && view ? f(p, view) : undefined);
  const optionBytes = p?.optionsLength ?? 0;
  // Padding is what follows the options: the end-of-list byte and the zeros after it (RFC 9293 §3.1). A NOP
  // between options is an option of its own, there to align the next one.
  const padding = p ? p.options.filter((o) => o.kind === OPTION_KIND.EOL).length + trailingBytes(p) : 0;

  const rows: HeaderRow[] = [
    {
      bytes: "0–3",
      cells: [
        { id: "srcPort", bits: 16, value: v((p) => String(p.srcPort)) },
        { id: "dstPort", bits: 16, value: v((p) => String(p.dstPort)) },
      ],
    },
    {
      bytes: "4–7",
      cells: [
        {
          id: "seq",
          bits: 32,
          value: v((p, s) => (s.relSeq === undefined ? t("hdrRawOnly", { raw: String(p.seq) }) : t("hdrRelRaw", { rel: String(s.relSeq), raw: String(p.seq) }))),
        },
      ],
    },
    {
      bytes: "8–11",
      cells: [
        {
          id: "ack",
          bits: 32,
          value: v((p, s) => {
            if (!has(p, TCP_FLAG.ACK)) return t("hdrAckUnused", { raw: String(p.ack) });
            return s.relAck === undefined ? t("hdrRawOnly", { raw: String(p.ack) }) : t("hdrRelRaw", { rel: String(s.relAck), raw: String(p.ack) });
          }),
        },
      ],
    },
    {
      bytes: "12–15",
      cells: [
        { id: "dataOffset", bits: 4, value: v((p) => t("hdrOffsetValue", { words: String(p.dataOffset), bytes: String(p.dataOffset * 4) })) },
        { id: "reserved", bits: 4, value: v((p) => p.reserved.toString(2).padStart(4, "0")) },
        ...FLAG_CELLS.map(([id, bit]): HeaderCell => ({ id, bits: 1, value: v((p) => ((p.flags & bit) !== 0 ? "1" : "0")), set: v((p) => (p.flags & bit) !== 0) })),
        {
          id: "window",
          bits: 16,
          value: v((p, s) =>
            s.windowShift === undefined || s.windowBytes === undefined
              ? String(p.window)
              : t("hdrWindowScaled", { window: String(p.window), factor: String(2 ** s.windowShift), n: s.windowBytes }),
          ),
        },
      ],
    },
    {
      bytes: "16–19",
      cells: [
        {
          id: "checksum",
          bits: 16,
          value: v((p) =>
            t(p.checksumState === "correct" ? "hdrChecksumCorrect" : p.checksumState === "mismatch" ? "hdrChecksumOffload" : "hdrChecksumUnknown", {
              hex: hex16(p.checksum),
            }),
          ),
        },
        {
          id: "urgentPointer",
          bits: 16,
          value: v((p) => (has(p, TCP_FLAG.URG) ? String(p.urgentPointer) : t("hdrUrgentUnused", { value: String(p.urgentPointer) }))),
        },
      ],
    },
  ];
  if (!p || optionBytes > 0) {
    rows.push({
      bytes: p ? `20–${19 + optionBytes}` : t("hdrOptionsBytes"),
      cells: [
        { id: "options", bits: 24, value: v((p) => t("hdrOptionsValue", { options: optionsText(p.options, t, true), n: p.optionsLength })) },
        { id: "padding", bits: 8, value: v(() => t("hdrPaddingValue", { n: padding })) },
      ],
    });
  }
  return rows;
}

/** Bytes after an EOL option, up to the end of the header: padding too. */
function trailingBytes(p: TcpPacket): number {
  const used = p.options.reduce((sum, o) => sum + o.length, 0);
  return Math.max(0, p.optionsLength - used);
}

// ---------------------------------------------------------------------------------------------
// Which segment the diagram shows

export type DiagramSource = "selected" | "latest";

export interface DiagramChoice {
  readonly source: DiagramSource;
  readonly conversationId: string;
  readonly eventSeq: bigint;
}

/**
 * The segment for the header diagram: the timeline's selected event when it is a segment, otherwise
 * the latest segment of the latest lab-client conversation that has any, otherwise none.
 */
export function chooseDiagramSegment(
  events: EventView,
  conversations: ReadonlyMap<string, Conversation>,
  selectedSeq: bigint | null,
  isLabClient: (c: Conversation) => boolean,
): DiagramChoice | undefined {
  if (selectedSeq !== null) {
    const index = events.indexOfSeq(selectedSeq);
    if (index >= 0 && events.kindAt(index) === EventKind.SEGMENT) {
      return { source: "selected", conversationId: events.conversationAt(index), eventSeq: selectedSeq };
    }
  }
  // The lab's clients' conversations only, through their own events: the timeline may hold 100,000 of others.
  let latest = -1;
  for (const conversation of conversations.values()) {
    if (!isLabClient(conversation)) continue;
    events.eachOf(conversation.id, (index) => {
      if (index > latest && events.kindAt(index) === EventKind.SEGMENT) latest = index;
    });
  }
  return latest < 0 ? undefined : { source: "latest", conversationId: events.conversationAt(latest), eventSeq: events.seqAt(latest) };
}

/**
 * The conversation of `service` that has events after `afterSeq`: how the reset experiment finds its
 * refused connect, whose RPC fails without returning a conversation. The latest such one wins.
 */
export function conversationAfter(
  events: EventView,
  conversations: ReadonlyMap<string, Conversation>,
  afterSeq: bigint,
  accept: (c: Conversation) => boolean,
): Conversation | undefined {
  for (let i = events.length - 1; i >= 0 && events.seqAt(i) > afterSeq; i--) {
    const c = conversations.get(events.conversationAt(i));
    if (c && accept(c)) return c;
  }
  return undefined;
}
