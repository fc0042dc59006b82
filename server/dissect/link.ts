// Link-layer headers of captured packets, by pcap LINKTYPE (tcpdump.org/linktypes.html): Ethernet II with
// IEEE 802.1Q/802.1ad VLAN tags (1), Linux cooked capture v1 (113, SLL) and v2 (276, SLL2), raw IP (101, 228,
// 229) and BSD loopback (0, NULL). Each tells the network layer which protocol follows, as an EtherType.
// Bytes after the IP datagram (Ethernet pads frames to 60 bytes) are the link layer's trailer.

import { addBits, createCursor, type Cursor } from "./core/cursor";
import { defineFields, hex, plural } from "./core/fields";
import { decimalOrPartial, frameAt, itemOrPartial, macText } from "./core/inet";
import type { DissectedFrame, FieldSpec, TreeOptions } from "./core/types";

/** pcap LINKTYPE values this file reads. */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const ETHERTYPE = { IPV4: 0x0800, ARP: 0x0806, VLAN: 0x8100, IPV6: 0x86dd, QINQ: 0x88a8 } as const;

const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  0x0800: "IPv4",
  0x0806: "ARP",
  0x8100: "802.1Q VLAN",
  0x86dd: "IPv6",
  0x8847: "MPLS",
  0x8863: "PPPoE Discovery",
  0x8864: "PPPoE Session",
  0x888e: "802.1X (EAPOL)",
  0x88a8: "802.1ad (Q-in-Q)",
  0x88cc: "LLDP",
  0x88f7: "PTP",
};

/** Linux packet types (linux/if_packet.h PACKET_*). */
const SLL_PACKET_TYPES: Readonly<Record<number, string>> = {
  0: "Unicast to us",
  1: "Broadcast",
  2: "Multicast",
  3: "Unicast to another host",
  4: "Sent by us",
};

/** ARPHRD_* device types (linux/if_arp.h) seen in Linux captures. */
const ARPHRD_NAMES: Readonly<Record<number, string>> = {
  1: "Ethernet",
  512: "PPP",
  768: "IPIP tunnel",
  772: "Loopback",
  776: "IPv6-in-IPv4 (SIT)",
  778: "GRE tunnel",
  801: "IEEE 802.11",
  824: "Netlink",
  65534: "None",
};

/** BSD address families in LINKTYPE_NULL headers: IPv6 differs by OS. */
const NULL_FAMILIES: Readonly<Record<number, string>> = {
  2: "IPv4",
  24: "IPv6 (NetBSD, OpenBSD)",
  28: "IPv6 (FreeBSD)",
  30: "IPv6 (macOS)",
};

export const ethFields = defineFields("eth", {
  dst: {
    label: "Destination",
    type: "bytes",
    blurb: "The MAC address of the interface the frame is for. On loopback it is all zeros: the frame never leaves the host.",
  },
  src: { label: "Source", type: "bytes", blurb: "The MAC address of the interface that sent the frame." },
  type: {
    label: "Type",
    type: "u16",
    blurb: "The EtherType: which protocol the frame carries, 0x0800 for IPv4 and 0x86dd for IPv6.",
  },
  len: {
    label: "Length",
    type: "u16",
    blurb: "An IEEE 802.3 frame puts its payload length here (1500 or less) instead of an EtherType; an LLC header follows.",
  },
  vlan: { label: "802.1Q VLAN tag", type: "none", blurb: "A VLAN tag: which virtual LAN the frame belongs to, and its priority." },
  "vlan.pcp": {
    label: "Priority",
    type: "u16",
    bitmask: 0xe000,
    blurb: "Priority code point (IEEE 802.1p): 0 is best effort, 7 the highest.",
  },
  "vlan.dei": { label: "Drop eligible", type: "bool", bitmask: 0x1000, blurb: "Set when the frame may be dropped first under congestion." },
  "vlan.id": { label: "VLAN ID", type: "u16", bitmask: 0x0fff, blurb: "The virtual LAN's number, 1 to 4094." },
  "vlan.type": { label: "Type", type: "u16", blurb: "The EtherType of what follows the tag." },
  padding: {
    label: "Padding",
    type: "bytes",
    blurb: "Zeros after the IP datagram: Ethernet frames are at least 60 bytes (64 with the checksum), so short ones are padded.",
  },
  trailer: {
    label: "Trailer",
    type: "bytes",
    blurb: "Bytes after the IP datagram that the IP header does not count: padding, a frame checksum or capture-device data.",
  },
});
const f = ethFields;

export const sllFields = defineFields("sll", {
  pkttype: { label: "Packet type", type: "u16", names: SLL_PACKET_TYPES, blurb: "Which way the packet went, as the Linux kernel saw it." },
  hatype: {
    label: "Link-layer address type",
    type: "u16",
    names: ARPHRD_NAMES,
    blurb: "The kind of interface (ARPHRD_*): 1 for Ethernet, 772 for loopback.",
  },
  halen: { label: "Link-layer address length", type: "u16", blurb: "How many bytes of the address field hold the sender's address." },
  src: { label: "Source", type: "bytes", blurb: "The sender's link-layer address (a MAC address on Ethernet and loopback)." },
  unused: { label: "Unused", type: "bytes", blurb: "The rest of the 8-byte address field, after the address." },
  etype: { label: "Protocol", type: "u16", blurb: "The EtherType of the packet: 0x0800 for IPv4, 0x86dd for IPv6." },
  reserved: { label: "Reserved", type: "u16", blurb: "Reserved, zero." },
  ifindex: { label: "Interface index", type: "u32", blurb: "The capturing interface's number, as `ip link` lists it." },
  trailer: { label: "Trailer", type: "bytes", blurb: "Bytes after the IP datagram that the IP header does not count." },
});
const s = sllFields;

export const nullFields = defineFields("null", {
  family: {
    label: "Family",
    type: "u32",
    names: NULL_FAMILIES,
    blurb: "The address family (AF_INET 2, AF_INET6 24, 28 or 30 depending on the OS) in the capturing host's byte order.",
  },
  trailer: { label: "Trailer", type: "bytes", blurb: "Bytes after the IP datagram that the IP header does not count." },
});
const n = nullFields;

export const rawFields = defineFields("raw", {
  trailer: { label: "Trailer", type: "bytes", blurb: "Bytes after the IP datagram that the IP header does not count." },
});
const r = rawFields;

export const linkFields = { eth: f, sll: s, null: n, raw: r };
const VLAN_TCI = [f["vlan.pcp"], f["vlan.dei"], f["vlan.id"]] as const;

export interface LinkResult {
  /** The link header's frame (offset 0); undefined for raw IP, which has no header. */
  readonly frame: DissectedFrame | undefined;
  /** Where the network layer starts. */
  readonly headerLength: number;
  /** What follows, as an EtherType (IPv4 0x0800, IPv6 0x86dd); -1 when unknown or the header is cut short. */
  readonly etherType: number;
}

const MAX_VLAN_TAGS = 4;

/** Whether this file reads the link type. */
export function isSupportedLinkType(linkType: number): boolean {
  return (
    linkType === LINKTYPE.ETHERNET ||
    linkType === LINKTYPE.LINUX_SLL ||
    linkType === LINKTYPE.LINUX_SLL2 ||
    linkType === LINKTYPE.NULL ||
    linkType === LINKTYPE.RAW ||
    linkType === LINKTYPE.IPV4 ||
    linkType === LINKTYPE.IPV6
  );
}

/** The link header of a captured packet. Never throws; an unsupported link type gives no frame and etherType -1. */
export function dissectLink(linkType: number, bytes: Uint8Array, options?: TreeOptions): LinkResult {
  const tree = options?.tree ?? true;
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return dissectEthernet(bytes, tree);
    case LINKTYPE.LINUX_SLL:
      return dissectSll(bytes, tree);
    case LINKTYPE.LINUX_SLL2:
      return dissectSll2(bytes, tree);
    case LINKTYPE.NULL:
      return dissectNull(bytes, tree);
    case LINKTYPE.IPV4:
      return { frame: undefined, headerLength: 0, etherType: ETHERTYPE.IPV4 };
    case LINKTYPE.IPV6:
      return { frame: undefined, headerLength: 0, etherType: ETHERTYPE.IPV6 };
    case LINKTYPE.RAW: {
      // LINKTYPE_RAW says only "IP": the version nibble tells which. Anything else goes to IPv4, which says why not.
      const version = (bytes[0] ?? 0) >>> 4;
      return { frame: undefined, headerLength: 0, etherType: version === 6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4 };
    }
    default:
      return { frame: undefined, headerLength: 0, etherType: -1 };
  }
}

const ETHERTYPE_SUMMARIES = new Map<number, string>(Object.entries(ETHERTYPE_NAMES).map(([type, name]) => [Number(type), `${name} (${hex(Number(type), 2)})`]));

/** `IPv4 (0x0800)`, for the summary line. */
function etherTypeSummary(type: number): string {
  return ETHERTYPE_SUMMARIES.get(type) ?? `Unknown (${hex(type, 2)})`;
}

/** Reads an EtherType field; returns the type, or -1 when it was cut short. */
function etherType(cur: Cursor, spec: FieldSpec): number {
  const type = ((cur.input[cur.offset] ?? 0) << 8) | (cur.input[cur.offset + 1] ?? 0);
  itemOrPartial(cur, spec, 2, cur.tree ? { format: "named", value: type, name: ETHERTYPE_NAMES[type] ?? "", digits: 4 } : "");
  return cur.truncated ? -1 : type;
}

/** Whether the MAC address at `o` is a group address (IEEE 802 §8.2): broadcast, multicast, or undefined. */
function macGroup(b: Uint8Array, o: number): "broadcast" | "multicast" | undefined {
  if (((b[o] ?? 0) & 1) === 0) return undefined;
  for (let i = 0; i < 6; i++) if (b[o + i] !== 0xff) return "multicast";
  return "broadcast";
}

// IEEE 802.3 §3.2.6: a value of 1500 or less is a length, 1536 (0x0600) or more an EtherType.
const MAX_8023_LENGTH = 1500;

function dissectEthernet(bytes: Uint8Array, tree: boolean): LinkResult {
  const cur = createCursor(bytes, "eth", tree);
  const dst = macText(bytes, 0);
  const group = macGroup(bytes, 0);
  itemOrPartial(cur, f.dst, 6, group && cur.tree ? { format: "plain", text: dst, note: group } : dst);
  itemOrPartial(cur, f.src, 6, macText(bytes, 6));
  let type = ((bytes[12] ?? 0) << 8) | (bytes[13] ?? 0);
  if (bytes.length >= 14 && type <= MAX_8023_LENGTH) {
    decimalOrPartial(cur, f.len, 2, type);
    return { frame: frameAt(cur, `IEEE 802.3 Ethernet, Length: ${type}`, 0), headerLength: cur.offset, etherType: -1 };
  }
  type = etherType(cur, f.type);
  let tags = 0;
  while ((type === ETHERTYPE.VLAN || type === ETHERTYPE.QINQ) && tags < MAX_VLAN_TAGS) {
    tags++;
    cur.push(f.vlan);
    const tci = ((bytes[cur.offset] ?? 0) << 8) | (bytes[cur.offset + 1] ?? 0);
    addBits(cur, 2, VLAN_TCI);
    type = cur.truncated ? -1 : etherType(cur, f["vlan.type"]);
    cur.pop(cur.tree ? { format: "vlan", id: tci & 0x0fff, priority: tci >>> 13 } : undefined);
  }
  const summary = `Ethernet II, Src: ${macText(bytes, 6)}, Dst: ${group ? `${dst} (${group})` : dst}, Type: ${etherTypeSummary(type < 0 ? 0 : type)}`;
  return { frame: frameAt(cur, cur.truncated ? "Ethernet II (truncated)" : summary, 0), headerLength: cur.offset, etherType: type };
}

/** The 8-byte address field of SLL and SLL2: the address, then the unused rest. */
function sllAddress(cur: Cursor, halen: number): void {
  const used = Math.min(halen, 8);
  if (used > 0) itemOrPartial(cur, s.src, used, used === 6 ? macText(cur.input, cur.offset) : macText(cur.input, cur.offset, used));
  if (used < 8) cur.bytes(s.unused, 8 - used);
}

// LINKTYPE_LINUX_SLL: packet type, ARPHRD type, address length, 8 address bytes, protocol (16 bytes).
function dissectSll(bytes: Uint8Array, tree: boolean): LinkResult {
  const cur = createCursor(bytes, "sll", tree);
  cur.u16(s.pkttype);
  cur.u16(s.hatype);
  const halen = ((bytes[4] ?? 0) << 8) | (bytes[5] ?? 0);
  decimalOrPartial(cur, s.halen, 2, halen);
  sllAddress(cur, halen);
  const type = etherType(cur, s.etype);
  const summary = cur.truncated ? "Linux cooked capture v1 (truncated)" : `Linux cooked capture v1, Protocol: ${etherTypeSummary(type)}`;
  return { frame: frameAt(cur, summary, 0), headerLength: cur.offset, etherType: type };
}

// LINKTYPE_LINUX_SLL2: protocol, reserved, interface index, ARPHRD type, packet type, address length, 8 address
// bytes (20 bytes).
function dissectSll2(bytes: Uint8Array, tree: boolean): LinkResult {
  const cur = createCursor(bytes, "sll", tree);
  const type = etherType(cur, s.etype);
  cur.u16(s.reserved);
  const ifindex = ((bytes[4] ?? 0) * 0x1000000 + (((bytes[5] ?? 0) << 16) | ((bytes[6] ?? 0) << 8) | (bytes[7] ?? 0))) >>> 0;
  decimalOrPartial(cur, s.ifindex, 4, ifindex);
  cur.u16(s.hatype);
  cur.u8(s.pkttype);
  const halen = bytes[11] ?? 0;
  decimalOrPartial(cur, s.halen, 1, halen);
  sllAddress(cur, halen);
  const summary = cur.truncated ? "Linux cooked capture v2 (truncated)" : `Linux cooked capture v2, Protocol: ${etherTypeSummary(type)}, Interface: ${ifindex}`;
  return { frame: frameAt(cur, summary, 0), headerLength: cur.offset, etherType: cur.truncated ? -1 : type };
}

// LINKTYPE_NULL: a 4-byte address family in the byte order of the host that captured, which the reader does not
// know. As libpcap and Wireshark do, a value whose low 16 bits are zero but high ones are not was written the
// other way round.
function dissectNull(bytes: Uint8Array, tree: boolean): LinkResult {
  const cur = createCursor(bytes, "null", tree);
  const le = ((bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8) | ((bytes[2] ?? 0) << 16) | ((bytes[3] ?? 0) << 24)) >>> 0;
  const littleEndian = !((le & 0xffff0000) !== 0 && (le & 0xffff) === 0);
  const family = cur.u32(n.family, { littleEndian });
  const type = family === 2 ? ETHERTYPE.IPV4 : family === 24 || family === 28 || family === 30 ? ETHERTYPE.IPV6 : -1;
  const summary = cur.truncated
    ? "Null/Loopback (truncated)"
    : `Null/Loopback, Family: ${NULL_FAMILIES[family] ?? `Unknown (${family})`}, ${littleEndian ? "little" : "big"}-endian`;
  return { frame: frameAt(cur, summary, 0), headerLength: cur.offset, etherType: cur.truncated ? -1 : type };
}

/**
 * The bytes from `start` to the end of the packet, after the IP datagram, as a frame of the link layer:
 * Ethernet padding (all zeros) or a trailer. Undefined when there are none.
 */
export function dissectLinkTrailer(linkType: number, bytes: Uint8Array, start: number, options?: TreeOptions): DissectedFrame | undefined {
  const length = bytes.length - start;
  if (length <= 0) return undefined;
  const rest = bytes.subarray(start);
  let proto: string;
  let spec: FieldSpec;
  if (linkType === LINKTYPE.ETHERNET) {
    let zeros = true;
    for (let i = 0; i < rest.length; i++) if (rest[i] !== 0) zeros = false;
    proto = "eth";
    spec = zeros ? f.padding : f.trailer;
  } else if (linkType === LINKTYPE.LINUX_SLL || linkType === LINKTYPE.LINUX_SLL2) {
    proto = "sll";
    spec = s.trailer;
  } else if (linkType === LINKTYPE.NULL) {
    proto = "null";
    spec = n.trailer;
  } else {
    proto = "raw";
    spec = r.trailer;
  }
  const cur = createCursor(rest, proto, options?.tree ?? true);
  cur.bytes(spec, length);
  return frameAt(cur, `${spec.label}: ${plural(length, "byte")}`, start);
}
