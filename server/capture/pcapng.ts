// pcapng, the file format Wireshark opens natively (draft-ietf-opsawg-pcapng, "PCAP Now Generic").
// The writer turns a session's traffic into a file students can open in Wireshark; the reader walks
// such files back, for the tests and the benchmark. Only the blocks the lab needs are written:
// Section Header (§4.1), Interface Description (§4.2) and Enhanced Packet (§4.3).
//
// Layout shared by every block (§3.1): type u32, total length u32, body, total length u32 again (so a
// reader can walk backwards), the total a multiple of 4. The writer is little-endian; the reader
// follows each section's byte-order magic. Options (§3.5) are code u16, length u16, value padded to 32
// bits, the list closed by opt_endofopt.

import { concatBytes } from "../dissect/core/fields";

export const LINKTYPE_ETHERNET = 1;
/** Raw IP: the packet starts at the IPv4 or IPv6 header, the version nibble tells which. */
export const LINKTYPE_RAW = 101;

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 0x00000001;
const BLOCK_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

// Option codes: §3.5 (common), §4.1 (SHB), §4.2 (IDB).
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** Rounded up to 32 bits; arithmetic, not `& ~3`, which goes negative for lengths of 2^31 and more. */
const pad4 = (n: number) => n + ((4 - (n % 4)) % 4);
const utf8 = new TextEncoder();

export interface SectionHeaderOptions {
  readonly comment?: string;
  readonly hardware?: string;
  readonly os?: string;
  readonly userAppl?: string;
}

export interface InterfaceOptions {
  readonly linkType: number;
  /** Longest packet kept, 0 for no limit; longer packets are cut (their original length is kept). */
  readonly snapLen: number;
  readonly name?: string;
  readonly description?: string;
  /** if_tsresol as a power of ten: 6 is microseconds, 9 (the default) nanoseconds. */
  readonly tsresol?: number;
}

export interface EnhancedPacketOptions {
  readonly interfaceId: number;
  /** Nanoseconds since 1970-01-01 UTC. */
  readonly timestampNs: bigint;
  readonly data: Uint8Array;
  /** Length on the wire when `data` is cut short; defaults to data.length. */
  readonly originalLength?: number;
  readonly comment?: string;
}

export interface PcapngWriter {
  sectionHeader(options: SectionHeaderOptions): void;
  /** Returns the interface id that packets of this interface refer to. */
  interfaceDescription(options: InterfaceOptions): number;
  enhancedPacket(options: EnhancedPacketOptions): void;
  /**
   * Hands over the blocks written since the last blocks()/toBytes(), one Uint8Array per block, and
   * forgets them: a long export can be streamed without holding the whole file.
   */
  blocks(): Generator<Uint8Array, void, undefined>;
  /** The blocks written since the last blocks()/toBytes() as one buffer (the whole file if called once). */
  toBytes(): Uint8Array;
}

type Option = readonly [code: number, value: Uint8Array];

function textOption(code: number, text: string | undefined): Option[] {
  return text === undefined ? [] : [[code, utf8.encode(text)]];
}

/** One block (§3.1): `fill` writes the fixed part of the body, which starts at offset 8. */
function makeBlock(type: number, bodyLength: number, options: readonly Option[], fill: (view: DataView, bytes: Uint8Array) => void) {
  let optionsLength = 0;
  for (const [code, value] of options) {
    // The option length field is 16 bits (§3.5).
    if (value.length > 0xffff) throw new RangeError(`pcapng option ${code} is ${value.length} bytes; at most 65535 fit`);
    optionsLength += 4 + pad4(value.length);
  }
  if (options.length > 0) optionsLength += 4; // opt_endofopt
  const total = 12 + pad4(bodyLength) + optionsLength;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  fill(view, bytes);
  let at = 8 + pad4(bodyLength);
  for (const [code, value] of options) {
    view.setUint16(at, code, true);
    view.setUint16(at + 2, value.length, true);
    bytes.set(value, at + 4);
    at += 4 + pad4(value.length);
  }
  // opt_endofopt is code 0, length 0: the zeroes are already there.
  view.setUint32(total - 4, total, true);
  return bytes;
}

export function createPcapngWriter(): PcapngWriter {
  let pending: Uint8Array[] = [];
  let interfaces: { snapLen: number; divisor: bigint }[] = [];
  let inSection = false;

  return {
    sectionHeader(options) {
      const opts = [
        ...textOption(OPT_COMMENT, options.comment),
        ...textOption(SHB_HARDWARE, options.hardware),
        ...textOption(SHB_OS, options.os),
        ...textOption(SHB_USERAPPL, options.userAppl),
      ];
      pending.push(
        makeBlock(BLOCK_SHB, 16, opts, (view) => {
          view.setUint32(8, BYTE_ORDER_MAGIC, true);
          view.setUint16(12, 1, true); // major version 1
          view.setUint16(14, 0, true); // minor version 0
          view.setBigInt64(16, -1n, true); // section length not given (§4.1): blocks are streamed
        }),
      );
      // Interface ids are numbered per section (§4.2).
      interfaces = [];
      inSection = true;
    },

    interfaceDescription(options) {
      if (!inSection) throw new Error("pcapng: write a section header before an interface");
      const tsresol = options.tsresol ?? 9;
      if (!Number.isInteger(tsresol) || tsresol < 0 || tsresol > 9) throw new RangeError(`pcapng: tsresol ${tsresol} is not a power of ten from 0 to 9`);
      if (!Number.isInteger(options.snapLen) || options.snapLen < 0 || options.snapLen > 0xffffffff) throw new RangeError(`pcapng: bad snapLen ${options.snapLen}`);
      const opts = [
        ...textOption(IF_NAME, options.name),
        ...textOption(IF_DESCRIPTION, options.description),
        // Always written, even for the default 6, so no reader has to guess (§4.2, if_tsresol).
        [IF_TSRESOL, Uint8Array.of(tsresol)] as const,
      ];
      pending.push(
        makeBlock(BLOCK_IDB, 8, opts, (view) => {
          view.setUint16(8, options.linkType, true);
          view.setUint16(10, 0, true); // reserved
          view.setUint32(12, options.snapLen, true);
        }),
      );
      interfaces.push({ snapLen: options.snapLen, divisor: 10n ** BigInt(9 - tsresol) });
      return interfaces.length - 1;
    },

    enhancedPacket(options) {
      const iface = interfaces[options.interfaceId];
      if (!iface) throw new RangeError(`pcapng: no interface ${options.interfaceId} in this section`);
      if (options.timestampNs < 0n) throw new RangeError("pcapng: timestamps before 1970 cannot be written");
      const units = options.timestampNs / iface.divisor;
      if (units > 0xffffffffffffffffn) throw new RangeError("pcapng: timestamp does not fit 64 bits");
      const { data } = options;
      const captured = iface.snapLen > 0 && data.length > iface.snapLen ? data.subarray(0, iface.snapLen) : data;
      const original = options.originalLength ?? data.length;
      if (original < captured.length || original > 0xffffffff) throw new RangeError(`pcapng: original length ${original} is shorter than the ${captured.length} bytes captured`);
      pending.push(
        makeBlock(BLOCK_EPB, 20 + captured.length, textOption(OPT_COMMENT, options.comment), (view, bytes) => {
          view.setUint32(8, options.interfaceId, true);
          // The timestamp is one 64-bit count of if_tsresol units, upper half first (§4.3).
          view.setUint32(12, Number(units >> 32n), true);
          view.setUint32(16, Number(units & 0xffffffffn), true);
          view.setUint32(20, captured.length, true);
          view.setUint32(24, original, true);
          bytes.set(captured, 28);
        }),
      );
    },

    *blocks() {
      while (pending.length > 0) {
        const taken = pending;
        pending = [];
        yield* taken;
      }
    },

    toBytes() {
      const taken = pending;
      pending = [];
      return concatBytes(taken);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Reader

export type PcapngErrorCode =
  | "not-pcapng"
  | "truncated"
  | "bad-byte-order"
  | "bad-version"
  | "bad-block-length"
  | "bad-option"
  | "bad-packet-length"
  | "unknown-interface";

export class PcapngFormatError extends Error {
  override name = "PcapngFormatError";
  constructor(
    readonly code: PcapngErrorCode,
    message: string,
    /** Offset of the block at fault. */
    readonly offset: number,
  ) {
    super(`pcapng: ${message} (block at byte ${offset})`);
  }
}

export interface PcapngSection {
  readonly littleEndian: boolean;
  readonly major: number;
  readonly minor: number;
  readonly comments: string[];
  readonly hardware?: string;
  readonly os?: string;
  readonly userAppl?: string;
}

export interface PcapngInterface {
  /** Index into sections. */
  readonly section: number;
  /** The id packets of its section use. */
  readonly id: number;
  readonly linkType: number;
  readonly snapLen: number;
  readonly name?: string;
  readonly description?: string;
  /** The if_tsresol byte (§4.2): 6 when absent; bit 7 set means a power of two. */
  readonly tsresol: number;
  /** if_tsoffset, seconds added to every timestamp. */
  readonly tsoffset: bigint;
}

export interface PcapngPacket {
  readonly section: number;
  readonly interfaceId: number;
  readonly linkType: number;
  readonly timestampNs: bigint;
  readonly data: Uint8Array;
  readonly originalLength: number;
  readonly comments: string[];
}

export interface PcapngFile {
  readonly sections: PcapngSection[];
  readonly interfaces: PcapngInterface[];
  readonly packets: PcapngPacket[];
}

const utf8Decoder = new TextDecoder("utf-8");

function toNs(units: bigint, tsresol: number, tsoffset: bigint): bigint {
  const exp = BigInt(tsresol & 0x7f);
  let ns: bigint;
  if (tsresol & 0x80) ns = (units * 1_000_000_000n) / 2n ** exp;
  else ns = exp <= 9n ? units * 10n ** (9n - exp) : units / 10n ** (exp - 9n);
  return ns + tsoffset * 1_000_000_000n;
}

function readFail(code: PcapngErrorCode, message: string, at: number): never {
  throw new PcapngFormatError(code, message, at);
}

const NO_OPTIONS: [number, Uint8Array][] = [];

/** Options from `from` to `bodyEnd` (§3.5). Returns a shared empty array when there are none. */
function readOptions(bytes: Uint8Array, view: DataView, little: boolean, from: number, bodyEnd: number, at: number): [number, Uint8Array][] {
  let found = NO_OPTIONS;
  let o = from;
  while (bodyEnd - o >= 4) {
    const code = view.getUint16(o, little);
    const length = view.getUint16(o + 2, little);
    if (code === OPT_ENDOFOPT) break;
    if (o + 4 + length > bodyEnd) readFail("bad-option", `option ${code} of ${length} bytes runs past its block`, at);
    if (found === NO_OPTIONS) found = [];
    found.push([code, bytes.subarray(o + 4, o + 4 + length)]);
    o += 4 + pad4(length);
  }
  return found;
}

/** An EPB timestamp (two u32 halves, in the interface's units) in nanoseconds; nanosecond files skip the scaling. */
function epbNs(high: number, low: number, tsresol: number, tsoffset: bigint): bigint {
  const units = (BigInt(high) << 32n) | BigInt(low);
  return tsresol === 9 && tsoffset === 0n ? units : toNs(units, tsresol, tsoffset);
}

/**
 * Reads a whole pcapng file. Unknown block types are skipped (§3.1 allows any reader to); a malformed
 * file throws PcapngFormatError. Each loop step moves at least 4 bytes forward, so it always ends.
 */
export function readPcapng(bytes: Uint8Array): PcapngFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sections: PcapngSection[] = [];
  const interfaces: PcapngInterface[] = [];
  const packets: PcapngPacket[] = [];
  let sectionInterfaces: PcapngInterface[] = [];
  let little = true;
  let at = 0;
  const length = bytes.length;

  if (length < 4 || view.getUint32(0) !== BLOCK_SHB) {
    throw new PcapngFormatError("not-pcapng", "the file does not start with a Section Header Block", 0);
  }

  while (at < length) {
    if (length - at < 12) readFail("truncated", `${length - at} bytes left, too few for a block`, at);
    // The SHB type reads the same in both byte orders; its byte-order magic sets the section's order.
    const isShb = view.getUint32(at) === BLOCK_SHB;
    if (isShb) {
      if (length - at < 28) readFail("truncated", "section header cut short", at);
      const magic = view.getUint32(at + 8, true);
      if (magic === BYTE_ORDER_MAGIC) little = true;
      else if (magic === 0x4d3c2b1a) little = false;
      else readFail("bad-byte-order", `byte-order magic 0x${magic.toString(16)} is neither 1a2b3c4d nor 4d3c2b1a`, at);
    }
    const type = view.getUint32(at, little);
    const total = view.getUint32(at + 4, little);
    if (total < 12 || total % 4 !== 0) readFail("bad-block-length", `block total length ${total} is not a multiple of 4 of at least 12`, at);
    if (total > length - at) readFail("truncated", `block of ${total} bytes with ${length - at} left`, at);
    if (view.getUint32(at + total - 4, little) !== total) readFail("bad-block-length", "the two total lengths of the block differ", at);
    const body = at + 8;
    const bodyEnd = at + total - 4;

    if (isShb) {
      if (bodyEnd - body < 16) readFail("bad-block-length", `block type ${type} needs 16 body bytes, has ${bodyEnd - body}`, at);
      const major = view.getUint16(body + 4, little);
      const minor = view.getUint16(body + 6, little);
      // Readers must not read sections of a major version they do not know (§4.1).
      if (major !== 1) readFail("bad-version", `section version ${major}.${minor}; only 1.x is known`, at);
      const section: { -readonly [K in keyof PcapngSection]: PcapngSection[K] } = { littleEndian: little, major, minor, comments: [] };
      for (const [code, value] of readOptions(bytes, view, little, body + 16, bodyEnd, at)) {
        if (code === OPT_COMMENT) section.comments.push(utf8Decoder.decode(value));
        else if (code === SHB_HARDWARE) section.hardware = utf8Decoder.decode(value);
        else if (code === SHB_OS) section.os = utf8Decoder.decode(value);
        else if (code === SHB_USERAPPL) section.userAppl = utf8Decoder.decode(value);
      }
      sections.push(section);
      sectionInterfaces = [];
    } else if (type === BLOCK_IDB) {
      if (bodyEnd - body < 8) readFail("bad-block-length", `block type ${type} needs 8 body bytes, has ${bodyEnd - body}`, at);
      let tsresol = 6;
      let tsoffset = 0n;
      let name: string | undefined;
      let description: string | undefined;
      for (const [code, value] of readOptions(bytes, view, little, body + 8, bodyEnd, at)) {
        if (code === IF_NAME) name = utf8Decoder.decode(value);
        else if (code === IF_DESCRIPTION) description = utf8Decoder.decode(value);
        else if (code === IF_TSRESOL) {
          if (value.length !== 1) readFail("bad-option", `if_tsresol is ${value.length} bytes, not 1`, at);
          tsresol = value[0]!;
        } else if (code === IF_TSOFFSET) {
          if (value.length !== 8) readFail("bad-option", `if_tsoffset is ${value.length} bytes, not 8`, at);
          tsoffset = new DataView(value.buffer, value.byteOffset, 8).getBigInt64(0, little);
        }
      }
      const iface: PcapngInterface = {
        section: sections.length - 1,
        id: sectionInterfaces.length,
        linkType: view.getUint16(body, little),
        snapLen: view.getUint32(body + 4, little),
        tsresol,
        tsoffset,
        ...(name === undefined ? {} : { name }),
        ...(description === undefined ? {} : { description }),
      };
      sectionInterfaces.push(iface);
      interfaces.push(iface);
    } else if (type === BLOCK_EPB) {
      if (bodyEnd - body < 20) readFail("bad-block-length", `block type ${type} needs 20 body bytes, has ${bodyEnd - body}`, at);
      const interfaceId = view.getUint32(body, little);
      const iface = sectionInterfaces[interfaceId];
      if (!iface) readFail("unknown-interface", `packet of interface ${interfaceId}, which this section does not describe`, at);
      const high = view.getUint32(body + 4, little);
      const low = view.getUint32(body + 8, little);
      const capturedLength = view.getUint32(body + 12, little);
      const originalLength = view.getUint32(body + 16, little);
      if (pad4(capturedLength) > bodyEnd - body - 20) readFail("bad-packet-length", `captured length ${capturedLength} runs past its block`, at);
      const optionsAt = body + 20 + pad4(capturedLength);
      let comments: string[];
      if (bodyEnd - optionsAt < 4) comments = [];
      else {
        comments = [];
        for (const [code, value] of readOptions(bytes, view, little, optionsAt, bodyEnd, at)) if (code === OPT_COMMENT) comments.push(utf8Decoder.decode(value));
      }
      packets.push({
        section: sections.length - 1,
        interfaceId,
        linkType: iface.linkType,
        timestampNs: epbNs(high, low, iface.tsresol, iface.tsoffset),
        data: bytes.slice(body + 20, body + 20 + capturedLength),
        originalLength,
        comments,
      });
    }
    // Any other block type: skipped whole, as §3.1 lets readers do.
    at += total;
  }
  return { sections, interfaces, packets };
}
