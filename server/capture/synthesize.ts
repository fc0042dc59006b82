// Synthesised TCP and UDP: when no wire capture exists, the tap's socket events are dressed as the IP packets a
// Linux loopback would have carried, so Wireshark and tshark can dissect a session's traffic. The
// packets are raw IP (LINKTYPE_RAW, 101: no invented Ethernet header); the caller's section comment
// says they are synthesised, and every packet's comment says which recorded event it stands for.
//
// What is modelled, as Linux does on loopback:
// - open: three-way handshake (RFC 9293 §3.5). SYN and SYN-ACK carry MSS (65495 over IPv4, 65476
//   over IPv6), SACK permitted (RFC 2018), timestamps (RFC 7323 §3) and window scale 7 in Linux's
//   order.
// - connect-failed: the client's SYN only; answered by RST-ACK when the connect was refused (ECONNREFUSED).
// - data: segments of at most MSS - 12 bytes (every later segment carries the 12-byte timestamp
//   option, RFC 7323 §3.2), PSH on the last segment of each recorded read or write, each segment
//   acknowledged by the peer (the 65536-byte window holds one full segment).
// - half-close: FIN-ACK from that side and the peer's ACK. close: FINs not yet sent (the server's
//   first, since a close with no half-close is the server destroying its socket) and their ACKs.
// - error: ECONNRESET and EPIPE (the client reset the server's socket) and ELIMIT (the server
//   resets an over-limit connection) become RST-ACK; other errors have no segment of their own and are
//   told in the next packet's comment.
// - segment events (packets wire capture saw) are skipped: they are real, not synthesised.
// The lab records no ACKs and no TCP state, so those packets are assumed; ISNs, IP ids and timestamp
// offsets come from a hash of the conversation, so the same events always give the same bytes.
//
// UDP (RFC 768; synthesizeUdpPackets) needs nothing assumed: each datagram the tap recorded is one packet,
// with its exact bytes, lengths and checksum. What is modelled, as Linux does:
// - DF set (IP_PMTUDISC_WANT, the default), TTL 64, or 1 to a multicast group (IP_MULTICAST_TTL's default
//   and the seed's setting); IP id 0 from the server (an unconnected socket's DF packets carry 0) and
//   counting up from the client (a connected socket's own counter, as the lab's UDP client is).
// - A checksum that sums to 0 is sent as 0xffff (RFC 768: 0 means "none").
// - No packet for a datagram the lab's impairment dropped ("lost" events): it never reached the wire, so
//   a capture would not have it either; the next packet's comment says it was lost. Nor for the flow's
//   opening and idle end, which UDP has no packets for.

import type { CapturedEvent, ConversationInfo, Direction } from "./events";

export interface SynthesizedPacket {
  readonly timestampNs: bigint;
  /** A raw IPv4 or IPv6 packet (LINKTYPE_RAW). */
  readonly data: Uint8Array;
  readonly comment: string;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

/**
 * Linux's advertised MSS on loopback (MTU 65536): IPv4 caps packets at 65535 bytes, so 65535 - 40
 * (ipv4_default_advmss); IPv6 has the full MTU, 65536 - 60 (ip6_default_advmss).
 */
const MSS_V4 = 65495;
const MSS_V6 = 65476;
const WINDOW_SCALE = 7;
/** Window field after the handshake: 512 << 7 = 65536 bytes, what Linux loopback advertises. */
const WINDOW = 512;
const TTL = 64;
/** IP_MULTICAST_TTL's default, and what seed 000's multicast sender sets. */
const MULTICAST_TTL = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const UDP_HEADER = 8;

/** Who sends the RST for an error the server's tap recorded. */
const RESET_BY: Readonly<Record<string, Direction>> = { ECONNRESET: "c2s", EPIPE: "c2s", ELIMIT: "s2c" };

// ---------------------------------------------------------------------------------------------------
// Addresses

function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return Uint8Array.from(parts, Number);
}

/** RFC 4291 §2.2 text forms: "::" for one or more zero groups, an embedded IPv4 tail; a zone is dropped. */
function parseIPv6(text: string): Uint8Array | undefined {
  const halves = text.replace(/%.*$/, "").split("::");
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const out: number[] = [];
    const pieces = part.split(":");
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      const v4 = i === pieces.length - 1 && p.includes(".") ? parseIPv4(p) : undefined;
      if (v4) out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      else if (/^[0-9a-f]{1,4}$/i.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const zeros = 8 - head.length - tail.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return undefined;
  const all = [...head, ...new Array<number>(zeros).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** Both endpoints in one family: IPv4 when both are, else IPv6 (an IPv4 one as ::ffff:a.b.c.d). */
function addresses(client: string, server: string): [Uint8Array, Uint8Array] | undefined {
  const c4 = parseIPv4(client);
  const s4 = parseIPv4(server);
  if (c4 && s4) return [c4, s4];
  const c6 = c4 ? parseIPv6(`::ffff:${client}`) : parseIPv6(client);
  const s6 = s4 ? parseIPv6(`::ffff:${server}`) : parseIPv6(server);
  return c6 && s6 ? [c6, s6] : undefined;
}

/** IPv4 224.0.0.0/4 (RFC 5771) or IPv6 ff00::/8 (RFC 4291 §2.7). */
function isMulticast(addr: Uint8Array): boolean {
  return addr.length === 4 ? (addr[0]! & 0xf0) === 0xe0 : addr[0] === 0xff;
}

// ---------------------------------------------------------------------------------------------------
// Bytes

/** FNV-1a, 32 bits: a stable hash for ISNs and the other per-connection "random" values. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Adds big-endian 16-bit words (RFC 1071); an odd last byte is padded with zero. */
function sum16(bytes: Uint8Array, from: number, to: number, acc = 0): number {
  for (let i = from; i + 1 < to; i += 2) acc += (bytes[i]! << 8) | bytes[i + 1]!;
  if ((to - from) & 1) acc += bytes[to - 1]! << 8;
  return acc; // at most 32768 words of 0xffff plus the pseudo-header: below 2^32
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
  return ~acc & 0xffff;
}

/** Nanoseconds from wall-clock milliseconds, whole milliseconds apart so the fraction keeps its precision. */
function wallToNs(wallMs: number): bigint {
  const whole = Math.floor(wallMs);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((wallMs - whole) * 1e6));
}

// ---------------------------------------------------------------------------------------------------

interface Side {
  readonly name: "client" | "server";
  readonly addr: Uint8Array;
  readonly port: number;
  /** SND.NXT (RFC 9293 §3.3.1). */
  next: number;
  ipId: number;
  readonly tsOffset: number;
  /** The last TSval received from the peer: the TSecr to send (RFC 7323 §4.3). */
  tsRecent: number;
  fin: boolean;
}

interface SegmentOptions {
  readonly flags: number;
  readonly payload?: Uint8Array;
  readonly comment: string;
  /** Default: the 12-byte timestamp option of an established connection. */
  readonly options?: "syn" | "none";
  readonly window?: number;
  /** Overrides for a reset of a SYN (RFC 9293 §3.10.7.1): seq 0. */
  readonly seq?: number;
}

/**
 * IPv4 (or IPv6) + TCP packets for the events of one conversation, in event order. Returns [] when an
 * endpoint has no usable IP address.
 */
export function synthesizeTcp(conversation: ConversationInfo, events: readonly CapturedEvent[]): SynthesizedPacket[] {
  return [...synthesizeTcpPackets(conversation, events)];
}

/**
 * synthesizeTcp one packet at a time, so a long conversation can be made in slices (the pcapng export
 * lets other work run between them). The events are read once, in order, and only
 * as packets are asked for: the export hands them over one by one from the event store, so neither the
 * conversation nor its packets are ever held whole.
 */
export function* synthesizeTcpPackets(conversation: ConversationInfo, events: Iterable<CapturedEvent>): Generator<SynthesizedPacket, void, undefined> {
  const pair = addresses(conversation.client.ip, conversation.server.ip);
  if (!pair) return;
  const v6 = pair[0].length === 16;
  const ipHeader = v6 ? 40 : 20;
  const mss = v6 ? MSS_V6 : MSS_V4;
  const maxPayload = mss - 12;
  const key = `${conversation.id}|${conversation.client.ip}|${conversation.client.port}|${conversation.server.ip}|${conversation.server.port}`;
  const side = (name: "client" | "server", addr: Uint8Array, port: number): Side => {
    return { name, addr, port, next: hash32(`${key}|isn|${name}`) /* the ISN */, ipId: hash32(`${key}|id|${name}`) & 0xffff, tsOffset: hash32(`${key}|ts|${name}`), tsRecent: 0, fin: false };
  };
  const client = side("client", pair[0], conversation.client.port);
  const server = side("server", pair[1], conversation.server.port);
  const peerOf = (s: Side) => (s === client ? server : client);

  // Packets made and not yet handed out; the last one is held back until the next one is made, since
  // notes recorded after it (errors with no packet of their own) go into its comment.
  const packets: SynthesizedPacket[] = [];
  let lastNs = -1n;
  let eventNs = 0n;
  let eventMs = 0;
  let notes: string[] = [];

  function send(from: Side, o: SegmentOptions) {
    const to = peerOf(from);
    const payload = o.payload ?? new Uint8Array(0);
    const tsVal = (from.tsOffset + Math.floor(eventMs)) >>> 0;
    let options: Uint8Array;
    if (o.options === "none") options = new Uint8Array(0);
    else if (o.options === "syn") {
      // Linux's order: MSS, SACK permitted, timestamps, NOP, window scale (20 bytes).
      options = Uint8Array.of(2, 4, mss >> 8, mss & 0xff, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, WINDOW_SCALE);
      new DataView(options.buffer).setUint32(8, tsVal);
      new DataView(options.buffer).setUint32(12, o.flags & ACK ? from.tsRecent : 0);
    } else {
      options = Uint8Array.of(1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0);
      new DataView(options.buffer).setUint32(4, tsVal);
      new DataView(options.buffer).setUint32(8, from.tsRecent);
    }
    if (o.options !== "none") to.tsRecent = tsVal;

    const tcpLength = 20 + options.length + payload.length;
    const bytes = new Uint8Array(ipHeader + tcpLength);
    const view = new DataView(bytes.buffer);
    if (v6) {
      // RFC 8200 §3: version 6, traffic class and flow label 0.
      view.setUint32(0, 0x60000000);
      view.setUint16(4, tcpLength);
      bytes[6] = PROTO_TCP;
      bytes[7] = TTL; // hop limit
      bytes.set(from.addr, 8);
      bytes.set(to.addr, 24);
    } else {
      // RFC 791 §3.1: version 4, IHL 5, DF set (Linux does path MTU discovery), ids counting up per sender.
      bytes[0] = 0x45;
      view.setUint16(2, bytes.length);
      view.setUint16(4, from.ipId);
      from.ipId = (from.ipId + 1) & 0xffff;
      view.setUint16(6, 0x4000);
      bytes[8] = TTL;
      bytes[9] = PROTO_TCP;
      bytes.set(from.addr, 12);
      bytes.set(to.addr, 16);
      view.setUint16(10, fold(sum16(bytes, 0, 20)));
    }
    // RFC 9293 §3.1: ports, seq, ack, data offset and flags, window, checksum, urgent pointer.
    const t = ipHeader;
    view.setUint16(t, from.port);
    view.setUint16(t + 2, to.port);
    view.setUint32(t + 4, o.seq ?? from.next);
    view.setUint32(t + 8, o.flags & ACK ? to.next : 0);
    view.setUint16(t + 12, (((20 + options.length) / 4) << 12) | o.flags);
    view.setUint16(t + 14, o.window ?? WINDOW);
    bytes.set(options, t + 20);
    bytes.set(payload, t + 20 + options.length);
    // The checksum covers a pseudo-header of addresses, protocol and TCP length (RFC 9293 §3.1; RFC 8200 §8.1).
    const addrEnd = v6 ? 40 : 20;
    const pseudo = sum16(bytes, addrEnd - 2 * from.addr.length, addrEnd) + PROTO_TCP + (tcpLength >>> 16) + (tcpLength & 0xffff);
    view.setUint16(t + 16, fold(sum16(bytes, t, bytes.length, pseudo)));

    // SYN and FIN take one sequence number each (RFC 9293 §3.4).
    if (o.seq === undefined) from.next = (from.next + payload.length + (o.flags & SYN ? 1 : 0) + (o.flags & FIN ? 1 : 0)) >>> 0;
    lastNs = eventNs > lastNs ? eventNs : lastNs + 1n; // same-event packets 1 ns apart, in order
    const comment = notes.length > 0 ? `${o.comment}; ${notes.join("; ")}` : o.comment;
    notes = [];
    packets.push({ timestampNs: lastNs, data: bytes, comment });
  }

  const ackFrom = (s: Side, what: string) => send(s, { flags: ACK, comment: `synthesised ACK: the ${s.name} acknowledges ${what} (the lab records no ACKs)` });

  /** SYN, SYN-ACK, ACK (RFC 9293 §3.5); only the SYN when the connect was refused. */
  function handshake(tag: string, refused = false) {
    const label = `synthesised from a socket event: ${refused ? "the client connects" : "connection opened"}, handshake`;
    send(client, { flags: SYN, options: "syn", window: mss, comment: `${label} 1/3 (client SYN) ${tag}` });
    if (refused) return;
    send(server, { flags: SYN | ACK, options: "syn", window: mss - 12, comment: `${label} 2/3 (server SYN-ACK) ${tag}` });
    send(client, { flags: ACK, comment: `${label} 3/3 (client ACK) ${tag}` });
  }

  function finish(from: Side, comment: string) {
    if (from.fin) return;
    send(from, { flags: FIN | ACK, comment });
    from.fin = true;
    ackFrom(peerOf(from), `the ${from.name}'s FIN`);
  }

  const reader = events[Symbol.iterator]();

  let started = false;
  let ended = false;
  while (!ended) {
    if (packets.length > 1) yield* packets.splice(0, packets.length - 1);
    const r = reader.next();
    if (r.done) break;
    const e = r.value;
    eventNs = wallToNs(e.wallMs);
    eventMs = e.monoMs;
    // A segment event is a packet wire capture saw: it has its own bytes and nothing to synthesise.
    if (e.kind === "segment") continue;
    const tag = `(lab event #${e.seq})`;
    if (e.kind === "connect-failed") {
      if (started) continue;
      // The connect failed, and nothing else happened on this conversation.
      handshake(tag, true);
      if (e.errorCode === "ECONNREFUSED") {
        // The server's system answered the SYN with RST-ACK, seq 0 (RFC 9293 §3.10.7.1).
        send(server, { flags: RST | ACK, options: "none", window: 0, seq: 0, comment: `synthesised from a socket event: ECONNREFUSED, nothing listens, the server's system resets ${tag}` });
      } else {
        notes.push(`the connect failed, ${e.errorCode || "(no code)"} ${tag}: ${e.errorMessage}`);
        const last = packets.at(-1);
        if (last) packets[packets.length - 1] = { ...last, comment: `${last.comment}; ${notes.join("; ")}` };
        notes = [];
      }
      ended = true;
      continue;
    }
    if (e.kind === "open") {
      if (started) continue;
      started = true;
      handshake(tag);
      continue;
    }
    // The ring dropped this conversation's opening: the packets start mid-stream, as a capture started late would.
    started = true;
    const from = e.direction === "c2s" ? client : server;
    if (e.kind === "data") {
      const verb = e.direction === "c2s" ? `server read ${e.data.length} bytes from the client` : `server wrote ${e.data.length} bytes`;
      const count = Math.ceil(e.data.length / maxPayload);
      for (let k = 0; k < count; k++) {
        const payload = e.data.subarray(k * maxPayload, (k + 1) * maxPayload);
        const part = count > 1 ? `, segment ${k + 1} of ${count}` : "";
        send(from, { flags: ACK | (k === count - 1 ? PSH : 0), payload, comment: `synthesised from a socket event: ${verb}${part} ${tag}` });
        ackFrom(peerOf(from), `${payload.length} bytes`);
      }
    } else if (e.kind === "half-close") {
      finish(from, `synthesised from a socket event: the ${from.name} half-closed (FIN) ${tag}`);
    } else if (e.kind === "close") {
      finish(server, `synthesised from a socket event: connection closed, the server's FIN is assumed ${tag}`);
      finish(client, `synthesised from a socket event: connection closed, the client's FIN is assumed ${tag}`);
      ended = true;
    } else {
      const resetBy = RESET_BY[e.errorCode];
      if (resetBy) {
        const s = resetBy === "c2s" ? client : server;
        send(s, { flags: RST | ACK, comment: `synthesised from a socket event: ${e.errorCode}, the ${s.name} resets ${tag}: ${e.errorMessage}` });
        ended = true;
      } else {
        notes.push(`the lab also recorded error ${e.errorCode || "(no code)"} ${tag}: ${e.errorMessage}`);
      }
    }
  }
  const last = packets.at(-1);
  if (last && notes.length > 0) packets[packets.length - 1] = { ...last, comment: `${last.comment}; ${notes.join("; ")}` };
  yield* packets;
}

// ---------------------------------------------------------------------------------------------------
// UDP

/** A UDP payload that fits one IP packet: 65535 - 20 - 8 over IPv4; IPv6's payload length counts the UDP header only. */
const MAX_UDP_PAYLOAD_V4 = 65_507;
const MAX_UDP_PAYLOAD_V6 = 65_527;

/**
 * IPv4 (or IPv6) + UDP packets for the events of one UDP conversation, one packet per datagram, in event
 * order, made as they are asked for (the events are read once, in order, as synthesizeTcpPackets reads
 * them). Events that put nothing on the wire (the flow's first datagram's "open", its idle end, a lost
 * datagram, a receive timeout, an error) are told in the next packet's comment, or the last one's.
 * Yields nothing when an endpoint has no usable IP address.
 */
export function* synthesizeUdpPackets(conversation: ConversationInfo, events: Iterable<CapturedEvent>): Generator<SynthesizedPacket, void, undefined> {
  const pair = addresses(conversation.client.ip, conversation.server.ip);
  if (!pair) return;
  const [clientAddr, serverAddr] = pair;
  const v6 = clientAddr.length === 16;
  const ipHeader = v6 ? 40 : 20;
  const maxPayload = v6 ? MAX_UDP_PAYLOAD_V6 : MAX_UDP_PAYLOAD_V4;
  const key = `${conversation.id}|${conversation.client.ip}|${conversation.client.port}|${conversation.server.ip}|${conversation.server.port}`;
  let clientIpId = hash32(`${key}|id|client`) & 0xffff;

  let held: SynthesizedPacket | undefined;
  let lastNs = -1n;
  let notes: string[] = [];
  // A server socket bound to every address does not learn which one a datagram was sent to.
  let unknownServer = serverAddr.every((b) => b === 0);

  for (const e of events) {
    const tag = `(lab event #${e.seq})`;
    // A segment event is a packet wire capture saw: it has its own bytes and nothing to synthesise.
    if (e.kind === "segment") continue;
    if (e.kind !== "data") {
      const note = udpNote(e, tag);
      if (note) notes.push(note);
      continue;
    }
    const c2s = e.direction === "c2s";
    const payload = e.data;
    if (payload.length > maxPayload) {
      notes.push(`the lab also recorded a datagram of ${payload.length} bytes, more than one IPv${v6 ? 6 : 4} packet holds ${tag}`);
      continue;
    }
    const from = c2s ? clientAddr : serverAddr;
    const to = c2s ? serverAddr : clientAddr;
    const udpLength = UDP_HEADER + payload.length;
    const bytes = new Uint8Array(ipHeader + udpLength);
    const view = new DataView(bytes.buffer);
    // To a multicast group (the client's datagrams to the group; a reply comes from the server's own address).
    const ttl = isMulticast(to) ? MULTICAST_TTL : TTL;
    if (v6) {
      // RFC 8200 §3: version 6, traffic class and flow label 0.
      view.setUint32(0, 0x60000000);
      view.setUint16(4, udpLength);
      bytes[6] = PROTO_UDP;
      bytes[7] = ttl; // hop limit
      bytes.set(from, 8);
      bytes.set(to, 24);
    } else {
      // RFC 791 §3.1: version 4, IHL 5, DF set.
      bytes[0] = 0x45;
      view.setUint16(2, bytes.length);
      if (c2s) {
        view.setUint16(4, clientIpId);
        clientIpId = (clientIpId + 1) & 0xffff;
      }
      view.setUint16(6, 0x4000);
      bytes[8] = ttl;
      bytes[9] = PROTO_UDP;
      bytes.set(from, 12);
      bytes.set(to, 16);
      view.setUint16(10, fold(sum16(bytes, 0, 20)));
    }
    // RFC 768: source port, destination port, length, checksum.
    const u = ipHeader;
    view.setUint16(u, c2s ? conversation.client.port : conversation.server.port);
    view.setUint16(u + 2, c2s ? conversation.server.port : conversation.client.port);
    view.setUint16(u + 4, udpLength);
    bytes.set(payload, u + UDP_HEADER);
    // Over a pseudo-header of addresses, protocol and UDP length (RFC 768; RFC 8200 §8.1); a sum of 0 is sent as all ones.
    const addrEnd = v6 ? 40 : 20;
    const pseudo = sum16(bytes, addrEnd - 2 * from.length, addrEnd) + PROTO_UDP + udpLength;
    view.setUint16(u + 6, fold(sum16(bytes, u, bytes.length, pseudo)) || 0xffff);

    const eventNs = wallToNs(e.wallMs);
    lastNs = eventNs > lastNs ? eventNs : lastNs + 1n;
    const who = c2s ? "from the client to the server" : "from the server to the client";
    let comment = `synthesised from a socket event: a datagram of ${payload.length} bytes ${who} ${tag}`;
    if (unknownServer) {
      comment += `; the server's socket listens on every address, so the address the client sent to is not known: ${conversation.server.ip} stands for it`;
      unknownServer = false;
    }
    if (held) {
      // Notes recorded before this datagram belong with the packet before it.
      yield notes.length > 0 ? { ...held, comment: `${held.comment}; ${notes.join("; ")}` } : held;
      notes = [];
    } else if (notes.length > 0) {
      comment = `${comment}; before it, ${notes.join("; ")}`;
      notes = [];
    }
    held = { timestampNs: lastNs, data: bytes, comment };
  }
  if (held) yield notes.length > 0 ? { ...held, comment: `${held.comment}; ${notes.join("; ")}` } : held;
}

/** What the comment says of an event of a UDP flow that puts no packet on the wire, if anything. */
function udpNote(e: CapturedEvent, tag: string): string | undefined {
  const who = e.direction === "c2s" ? "the client" : "the server";
  switch (e.kind) {
    case "lost":
      // Dropped by the session's impairment where it left the lab's socket: it never hit the wire, so it has no packet.
      return `the lab also recorded a datagram of ${e.data.length} bytes from ${who} that the session's impairment dropped before it was sent, so it has no packet ${tag}`;
    case "timeout":
      return `the lab also recorded that the client had no answer within its receive timeout ${tag}`;
    case "error":
      return `the lab also recorded error ${e.errorCode || "(no code)"} ${tag}: ${e.errorMessage}`;
    case "close":
      return e.errorCode ? `the lab also recorded the flow's end, ${e.errorCode} ${tag}${e.errorMessage ? `: ${e.errorMessage}` : ""}` : undefined;
    default:
      // "open" is the flow's first datagram, which has its own packet; UDP has no half-close.
      return undefined;
  }
}
