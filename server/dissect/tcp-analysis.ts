// TCP sequence analysis: relative sequence numbers, the scaled window, and Wireshark's expert findings about
// segments (retransmissions, duplicate ACKs, zero windows...). The rules are those of Wireshark's
// epan/dissectors/packet-tcp.c, tcp_analyze_sequence_number() and verify_tcp_window_scaling(), applied in the
// same order; each is quoted with its definition below. Window scaling is RFC 7323 §2.
//
// State is kept per connection (keyed by the 4-tuple) and per direction. Feed every segment once, in capture
// order, and keep the results: analysing a segment again would find it a retransmission of itself.

import { defineFindings, makeFinding, type FindingSpec } from "./core/findings";
import type { Finding } from "./core/types";

/** TCP header flag bits (RFC 9293 §3.1; AE is RFC 9768, formerly NS). */
export const TCP_FLAGS = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  AE: 0x100,
} as const;
const { FIN, SYN, RST, ACK } = TCP_FLAGS;

/** What the analyzer needs to know of one segment. */
export interface TcpSegment {
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** The 12 flag bits. */
  readonly flags: number;
  /** The window field as sent (unscaled). */
  readonly window: number;
  /** Payload bytes, as the IP length gives them. */
  readonly payloadLength: number;
  /** The shift of a Window Scale option, in a SYN or SYN-ACK that carries one. */
  readonly windowScale?: number;
  /**
   * Capture time in seconds. Out-of-order and fast retransmission are told apart from other retransmissions by
   * how soon they follow; without times every segment counts as arriving at 0, as in a capture without them.
   */
  readonly time?: number;
}

export interface TcpAnalysis {
  /** The sequence number counted from this direction's initial one: the SYN is 0, the first data byte 1. */
  readonly relativeSeq: number;
  /** The acknowledgment number counted from the other direction's initial sequence number; only with ACK set. */
  readonly relativeAck: number | undefined;
  /** The other direction's initial sequence number, from which relative ACK and SACK edges count. */
  readonly peerBase: number | undefined;
  /** The window in bytes: scaled once both SYNs agreed on window scaling, as sent in a SYN; undefined while unknown. */
  readonly windowScaled: number | undefined;
  /** The multiplier applied to get `windowScaled` (1 without scaling); undefined while unknown. */
  readonly windowMultiplier: number | undefined;
  /** For a duplicate ACK: how many times the same ACK has been repeated so far (1 for the first repeat). */
  readonly duplicateAck: number | undefined;
  /** Findings with offsets into the TCP header (the field they are about). */
  readonly findings: Finding[];
}

export interface TcpAnalyzer {
  analyze(segment: TcpSegment): TcpAnalysis;
  /** Connections tracked now. */
  readonly size: number;
}

export interface TcpAnalyzerOptions {
  /** Connections kept at most; the oldest is forgotten first (default 65536). */
  readonly maxConnections?: number;
}

// Analysis flags of one segment (Wireshark's TCP_A_*).
const A_RETRANSMISSION = 0x0001;
const A_LOST_PACKET = 0x0002;
const A_ACK_LOST_PACKET = 0x0004;
const A_KEEP_ALIVE = 0x0008;
const A_DUPLICATE_ACK = 0x0010;
const A_ZERO_WINDOW = 0x0020;
const A_ZERO_WINDOW_PROBE = 0x0040;
const A_ZERO_WINDOW_PROBE_ACK = 0x0080;
const A_KEEP_ALIVE_ACK = 0x0100;
const A_OUT_OF_ORDER = 0x0200;
const A_FAST_RETRANSMISSION = 0x0400;
const A_WINDOW_UPDATE = 0x0800;
const A_WINDOW_FULL = 0x1000;
const A_REUSED_PORTS = 0x2000;
const A_SPURIOUS_RETRANSMISSION = 0x4000;

// Where in the TCP header each finding points.
const SEQ: readonly [number, number] = [4, 4];
const ACKNUM: readonly [number, number] = [8, 4];
const FLAGS: readonly [number, number] = [12, 2];
const WINDOW: readonly [number, number] = [14, 2];

interface Rule {
  readonly flag: number;
  readonly spec: FindingSpec;
  /** Wireshark's Info column label. */
  readonly label: string;
  readonly at: readonly [number, number];
}

const x = defineFindings("tcp", {
  "analysis.zero_window_probe_ack": {
    severity: "note",
    message: "The answer to a zero window probe: the window is still 0.",
  },
  "analysis.zero_window": {
    severity: "warn",
    message: "The window is 0: the receiver's buffer is full, and the sender must stop until the window opens again.",
  },
  "analysis.zero_window_probe": {
    severity: "note",
    message: "One byte sent into a zero window, to learn when the receiver has room again.",
  },
  "analysis.duplicate_ack": {
    severity: "note",
    message: "Duplicate ACK #{count}. The same ACK, window and sequence number again with no data: the receiver is still waiting for the same byte, often because one was lost.",
  },
  "analysis.keep_alive_ack": {
    severity: "note",
    message: "The answer to a keep-alive: the same ACK again, saying the connection is still there.",
  },
  "analysis.keep_alive": {
    severity: "note",
    message: "A keep-alive: 0 or 1 byte at one less than the next sequence number, sent on an idle connection to ask for an ACK.",
  },
  "analysis.window_full": {
    severity: "warn",
    message: "This segment fills the receiver's advertised window: the sender must wait for an ACK before sending more.",
  },
  "analysis.window_update": {
    severity: "chat",
    message: "Only the window changed: the receiver tells the sender how much room it has now.",
  },
  "analysis.ack_lost_segment": {
    severity: "warn",
    message: "This acknowledges data the capture never saw going the other way: the capture missed it.",
  },
  "analysis.lost_segment": {
    severity: "warn",
    message: "This segment starts beyond the next expected sequence number: an earlier segment was lost, or the capture missed it.",
  },
  "analysis.out_of_order": {
    severity: "warn",
    message: "Sequence numbers lower than already seen, too soon after them to be a retransmission: the network reordered segments.",
  },
  "analysis.spurious_retransmission": {
    severity: "note",
    message: "Resends data the receiver has already acknowledged: the retransmission was not needed.",
  },
  "analysis.fast_retransmission": {
    severity: "note",
    message: "Resent at once after two or more duplicate ACKs asked for exactly this sequence number (fast retransmit, RFC 5681 §3.2).",
  },
  "analysis.retransmission": {
    severity: "note",
    message: "This segment repeats sequence numbers already sent: the sender got no ACK in time and sent them again.",
  },
  "analysis.reused_ports": {
    severity: "note",
    message: "A new SYN with another initial sequence number on a 4-tuple already seen: a new connection reuses the ports.",
  },
  "analysis.rst": {
    severity: "note",
    message: "Connection reset (RST): this end aborts the connection at once; data not yet delivered is lost.",
  },
});
export const tcpAnalysisFindings = x;

/**
 * The findings with Wireshark's severities, in the order its Info column shows their labels (it prepends each,
 * so the last one added comes first: "[TCP ZeroWindow] [TCP Keep-Alive]").
 */
const RULES: readonly Rule[] = [
  { flag: A_ZERO_WINDOW_PROBE_ACK, spec: x["analysis.zero_window_probe_ack"], label: "TCP ZeroWindowProbeAck", at: ACKNUM },
  { flag: A_ZERO_WINDOW, spec: x["analysis.zero_window"], label: "TCP ZeroWindow", at: WINDOW },
  { flag: A_ZERO_WINDOW_PROBE, spec: x["analysis.zero_window_probe"], label: "TCP ZeroWindowProbe", at: SEQ },
  { flag: A_DUPLICATE_ACK, spec: x["analysis.duplicate_ack"], label: "TCP Dup ACK", at: ACKNUM },
  { flag: A_KEEP_ALIVE_ACK, spec: x["analysis.keep_alive_ack"], label: "TCP Keep-Alive ACK", at: ACKNUM },
  { flag: A_KEEP_ALIVE, spec: x["analysis.keep_alive"], label: "TCP Keep-Alive", at: SEQ },
  { flag: A_WINDOW_FULL, spec: x["analysis.window_full"], label: "TCP Window Full", at: SEQ },
  { flag: A_WINDOW_UPDATE, spec: x["analysis.window_update"], label: "TCP Window Update", at: WINDOW },
  { flag: A_ACK_LOST_PACKET, spec: x["analysis.ack_lost_segment"], label: "TCP ACKed unseen segment", at: ACKNUM },
  { flag: A_LOST_PACKET, spec: x["analysis.lost_segment"], label: "TCP Previous segment not captured", at: SEQ },
  { flag: A_OUT_OF_ORDER, spec: x["analysis.out_of_order"], label: "TCP Out-Of-Order", at: SEQ },
  { flag: A_SPURIOUS_RETRANSMISSION, spec: x["analysis.spurious_retransmission"], label: "TCP Spurious Retransmission", at: SEQ },
  { flag: A_FAST_RETRANSMISSION, spec: x["analysis.fast_retransmission"], label: "TCP Fast Retransmission", at: SEQ },
  { flag: A_RETRANSMISSION, spec: x["analysis.retransmission"], label: "TCP Retransmission", at: SEQ },
  { flag: A_REUSED_PORTS, spec: x["analysis.reused_ports"], label: "TCP Port numbers reused", at: SEQ },
];

/** Info-column labels by finding code, for summaries. */
export const TCP_ANALYSIS_LABELS: Readonly<Record<string, string>> = Object.fromEntries(RULES.map((r) => [r.spec.code, r.label]));

/** Wireshark's GT_SEQ / LT_SEQ / LE_SEQ: comparisons modulo 2^32 (RFC 9293 §3.4). */
function gtSeq(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
function ltSeq(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
function leSeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

// Window scale states (Wireshark's win_scale): a shift >= 0, or one of these.
const SCALE_UNKNOWN = -1;
const SCALE_NOT_USED = -2;
const MAX_SHIFT = 14;
/** Wireshark's out-of-order threshold before the first RTT is known. */
const DEFAULT_OOO_THRESHOLD = 0.003;
/** A fast retransmission follows the last duplicate ACK within this many seconds. */
const FAST_RETRANSMISSION_WINDOW = 0.02;

/** One direction of a connection (Wireshark's tcp_flow_t with its tcp_analyze_seq_info). */
class Flow {
  baseSet = false;
  base = 0;
  /** Window scale shift, SCALE_UNKNOWN or SCALE_NOT_USED. */
  scale = SCALE_UNKNOWN;
  hasNext = false;
  nextSeq = 0;
  nextSeqTime = 0;
  hasMaxSeqToBeAcked = false;
  maxSeqToBeAcked = 0;
  hasLastAck = false;
  lastAck = 0;
  lastAckTime = 0;
  /** The last window sent, raw; -1 before any. */
  window = -1;
  /** Whether that window came in a SYN, where it is never scaled (RFC 7323 §2.2). */
  windowInSyn = false;
  dupAckNum = 0;
  /** Analysis flags of the last segment this way. */
  lastSegmentFlags = 0;
  /** This end opened the connection (sent the SYN without ACK). */
  sentSyn = false;
}

class Connection {
  /** The endpoint that sorts first: segments from it use `a`. */
  readonly a = new Flow();
  readonly b = new Flow();
  synTime = -1;
  sawSynAck = false;
  /** A SYN-ACK carried a Window Scale option: both ends announced it (RFC 7323 §2.2). */
  scalingAgreed = false;
  firstRtt = 0;
}

class Analyzer implements TcpAnalyzer {
  private readonly connections = new Map<string, Connection>();
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  get size(): number {
    return this.connections.size;
  }

  analyze(seg: TcpSegment): TcpAnalysis {
    const forward = seg.src < seg.dst || (seg.src === seg.dst && seg.srcPort <= seg.dstPort);
    const key = forward ? `${seg.src} ${seg.srcPort} ${seg.dst} ${seg.dstPort}` : `${seg.dst} ${seg.dstPort} ${seg.src} ${seg.srcPort}`;
    let conn = this.connections.get(key);
    let flags = 0;
    const seq = seg.seq >>> 0;
    const ack = seg.ack >>> 0;
    const tcpFlags = seg.flags;
    // A SYN with a new initial sequence number starts a new connection on the same ports.
    if (conn && (tcpFlags & (SYN | ACK)) === SYN) {
      const fwd = forward ? conn.a : conn.b;
      if (fwd.baseSet && fwd.base !== seq) {
        this.connections.delete(key);
        conn = undefined;
        flags |= A_REUSED_PORTS;
      }
    }
    if (!conn) {
      if (this.connections.size >= this.max) {
        const oldest = this.connections.keys().next();
        if (!oldest.done) this.connections.delete(oldest.value);
      }
      conn = new Connection();
      this.connections.set(key, conn);
    }
    return analyzeSegment(conn, forward ? conn.a : conn.b, forward ? conn.b : conn.a, seg, seq, ack, flags);
  }
}

export function createTcpAnalyzer(options?: TcpAnalyzerOptions): TcpAnalyzer {
  return new Analyzer(Math.max(1, Math.floor(options?.maxConnections ?? 65536)));
}

function analyzeSegment(conn: Connection, fwd: Flow, rev: Flow, seg: TcpSegment, seq: number, ack: number, initial: number): TcpAnalysis {
  const tcpFlags = seg.flags;
  const seglen = seg.payloadLength;
  const window = seg.window;
  const time = seg.time ?? 0;
  const synFinRst = (tcpFlags & (SYN | FIN | RST)) !== 0;
  let a = initial;
  let duplicateAck: number | undefined;

  // Window scaling (verify_tcp_window_scaling): a SYN without the option means neither side scales; a SYN-ACK
  // with it means both announced it, since a server answers the option only when the client sent it.
  if (tcpFlags & SYN) {
    const shift = seg.windowScale === undefined ? SCALE_UNKNOWN : Math.min(Math.max(0, seg.windowScale), MAX_SHIFT);
    fwd.scale = shift;
    const synAck = (tcpFlags & ACK) !== 0;
    if (fwd.scale === SCALE_UNKNOWN) {
      fwd.scale = SCALE_NOT_USED;
      rev.scale = SCALE_NOT_USED;
    } else if (synAck && rev.scale === SCALE_NOT_USED) {
      fwd.scale = SCALE_NOT_USED;
    } else if (synAck) conn.scalingAgreed = true;
    if (synAck) conn.sawSynAck = true;
    else {
      fwd.sentSyn = true;
      if (conn.synTime < 0) conn.synTime = time;
    }
  } else if (fwd.sentSyn && conn.sawSynAck && conn.firstRtt === 0 && tcpFlags & ACK) {
    // The ACK that completes the handshake: the first round-trip time (Wireshark's iRTT).
    conn.firstRtt = Math.max(0, time - conn.synTime);
  }

  // Base sequence numbers: the ISN from a SYN, else one less than the first sequence number seen, so that
  // relative numbers start at 1 when the SYN was not captured. The other direction's base comes from the
  // first ACK when its SYN was not seen.
  if (!fwd.baseSet) {
    fwd.base = tcpFlags & SYN ? seq : (seq - 1) >>> 0;
    fwd.baseSet = true;
  }
  if (!rev.baseSet && tcpFlags & ACK) {
    rev.base = (ack - 1) >>> 0;
    rev.baseSet = true;
  }

  let finished = false;
  // ZERO WINDOW PROBE: the segment is exactly 1 byte, at the next expected sequence number, while the window
  // in the other direction is 0.
  if (seglen === 1 && fwd.hasNext && seq === fwd.nextSeq && rev.window === 0) {
    a |= A_ZERO_WINDOW_PROBE;
    finished = true;
  }
  if (!finished) {
    // ZERO WINDOW: the window is 0 and none of SYN, FIN, RST is set.
    if (window === 0 && !synFinRst) a |= A_ZERO_WINDOW;

    // LOST PACKET: the segment starts beyond the highest next sequence number seen (not checked for RST).
    if (fwd.hasNext && gtSeq(seq, fwd.nextSeq) && (tcpFlags & RST) === 0) a |= A_LOST_PACKET;

    // KEEP ALIVE: 0 or 1 byte of data starting one byte before the next expected sequence number; SYN, FIN
    // and RST segments are never keep-alives.
    if ((seglen === 0 || seglen === 1) && fwd.hasNext && seq === ((fwd.nextSeq - 1) >>> 0) && !synFinRst) a |= A_KEEP_ALIVE;

    const sameSeqAck = fwd.hasNext && seq === fwd.nextSeq && fwd.hasLastAck && ack === fwd.lastAck && !synFinRst;
    // WINDOW UPDATE: no data, the same SEQ and ACK as the previous segment, and a new nonzero window.
    if (seglen === 0 && window !== 0 && window !== fwd.window && sameSeqAck) a |= A_WINDOW_UPDATE;

    // WINDOW FULL: data that reaches exactly the right edge of the window the other side last advertised
    // (known scaling only).
    const revMultiplier = rev.windowInSyn ? 1 : multiplier(conn, rev);
    if (seglen > 0 && revMultiplier !== undefined && rev.hasLastAck && rev.window >= 0 && !synFinRst) {
      if (((seq + seglen) >>> 0) === (rev.lastAck + rev.window * revMultiplier) % 0x100000000) a |= A_WINDOW_FULL;
    }

    // KEEP ALIVE ACK: no data, the same SEQ, ACK and (nonzero) window as before, answering a keep-alive.
    if (seglen === 0 && window !== 0 && window === fwd.window && sameSeqAck && rev.lastSegmentFlags & A_KEEP_ALIVE) {
      a |= A_KEEP_ALIVE_ACK;
      finished = true;
    }
    // ZERO WINDOW PROBE ACK: the same, with the window still 0, answering a zero window probe.
    if (!finished && seglen === 0 && window === 0 && fwd.window === 0 && sameSeqAck && rev.lastSegmentFlags & A_ZERO_WINDOW_PROBE) {
      a |= A_ZERO_WINDOW_PROBE_ACK;
      finished = true;
    }
    // DUPLICATE ACK: no data, and window, SEQ and ACK the same as the previous segment this way.
    if (!finished && seglen === 0 && window !== 0 && window === fwd.window && sameSeqAck) {
      fwd.dupAckNum++;
      a |= A_DUPLICATE_ACK;
      duplicateAck = fwd.dupAckNum;
    }
  }

  // A new ACK number resets the duplicate count.
  if (!fwd.hasLastAck || ack !== fwd.lastAck) fwd.dupAckNum = 0;

  // ACKED LOST PACKET: the ACK is beyond everything seen the other way.
  if (rev.hasMaxSeqToBeAcked && gtSeq(ack, rev.maxSeqToBeAcked) && tcpFlags & ACK) {
    a |= A_ACK_LOST_PACKET;
    rev.maxSeqToBeAcked = rev.nextSeq;
  }

  // RETRANSMISSION / FAST RETRANSMISSION / OUT-OF-ORDER: a segment with data (or SYN or FIN) that does not
  // advance the sequence number is one of these; a keep-alive is none of them.
  if ((seglen > 0 || tcpFlags & (SYN | FIN)) && (a & A_KEEP_ALIVE) === 0) {
    let notAdvanced = fwd.hasNext && ltSeq(seq, fwd.nextSeq);
    // More than one byte starting one before the next sequence number: new data after a zero window probe.
    if (seglen > 1 && ((fwd.nextSeq - 1) >>> 0) === seq) notAdvanced = false;
    if (notAdvanced && rev.dupAckNum >= 2 && rev.hasLastAck && rev.lastAck === seq && time - rev.lastAckTime < FAST_RETRANSMISSION_WINDOW) {
      // Fast retransmission: two or more duplicate ACKs asked for this sequence number within 20 ms.
      a |= A_FAST_RETRANSMISSION;
    } else if (
      notAdvanced &&
      time - fwd.nextSeqTime < (conn.firstRtt > 0 ? conn.firstRtt : DEFAULT_OOO_THRESHOLD) &&
      fwd.nextSeq !== ((seq + seglen) >>> 0)
    ) {
      // Out-of-order: within one first RTT (3 ms before it is known) of the highest sequence seen, and not
      // ending where that one did.
      a |= A_OUT_OF_ORDER;
    } else if (seglen > 0 && rev.hasLastAck && leSeq((seq + seglen) >>> 0, rev.lastAck)) {
      // Spurious retransmission: all of its data was already acknowledged.
      a |= A_SPURIOUS_RETRANSMISSION;
    } else if (notAdvanced) {
      a |= A_RETRANSMISSION;
    }
  }

  // The next sequence number: SYN and FIN count as one byte. The highest one is kept (zero window probes
  // do not move it), and 'max seq to be acked' follows it while segments arrive contiguously.
  const nextSeq = (seq + seglen + (tcpFlags & (SYN | FIN) ? 1 : 0)) >>> 0;
  if ((a & A_ZERO_WINDOW_PROBE) === 0) {
    if (!fwd.hasNext || gtSeq(nextSeq, fwd.nextSeq)) {
      fwd.nextSeq = nextSeq;
      fwd.nextSeqTime = time;
      fwd.hasNext = true;
    }
    if (!fwd.hasMaxSeqToBeAcked || seq === fwd.maxSeqToBeAcked) {
      fwd.maxSeqToBeAcked = fwd.nextSeq;
      fwd.hasMaxSeqToBeAcked = true;
    }
  }
  fwd.window = window;
  fwd.windowInSyn = (tcpFlags & SYN) !== 0;
  // RFC 9293 §3.1: the acknowledgment number means something only with ACK set.
  if (tcpFlags & ACK) {
    fwd.lastAck = ack;
    fwd.lastAckTime = time;
    fwd.hasLastAck = true;
  }
  fwd.lastSegmentFlags = a;

  const findings: Finding[] = [];
  if (a !== 0) {
    for (const rule of RULES) {
      if ((a & rule.flag) === 0) continue;
      const values = rule.flag === A_DUPLICATE_ACK ? { count: duplicateAck ?? 1 } : undefined;
      findings.push(makeFinding(rule.spec, values, rule.at[0], rule.at[1]));
    }
  }
  if (tcpFlags & RST) findings.push(makeFinding(x["analysis.rst"], undefined, FLAGS[0], FLAGS[1]));

  const windowMultiplier = tcpFlags & SYN ? 1 : multiplier(conn, fwd);
  return {
    relativeSeq: (seq - fwd.base) >>> 0,
    relativeAck: tcpFlags & ACK ? (ack - rev.base) >>> 0 : undefined,
    peerBase: rev.baseSet ? rev.base : undefined,
    windowScaled: windowMultiplier === undefined ? undefined : window * windowMultiplier,
    windowMultiplier,
    duplicateAck,
    findings,
  };
}

/** What a flow's window fields are multiplied by: 2^shift once both ends announced scaling, 1 when they did not. */
function multiplier(conn: Connection, flow: Flow): number | undefined {
  if (flow.scale === SCALE_NOT_USED) return 1;
  return flow.scale >= 0 && conn.scalingAgreed ? 2 ** flow.scale : undefined;
}
