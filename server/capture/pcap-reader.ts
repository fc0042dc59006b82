// An incremental reader for classic pcap (draft-ietf-opsawg-pcap), as `tcpdump -U -w -` writes it to
// stdout: a 24-byte file header, then per packet a 16-byte record header and the captured bytes.
// Chunks from a pipe split headers and packets at any byte, so the reader fills one header or packet
// buffer at a time and copies every byte once. Buffering is bounded: a record may claim at most the
// snaplen (and never more than MAX_RECORD), anything larger is a format error, not an allocation.

import { plainBytes } from "../dissect/core/inet";

/** Bounds what one record may claim: tcpdump's default snaplen (262144). */
export const MAX_RECORD = 256 * 1024;

export interface Packet {
  readonly linkType: number;
  /** Nanoseconds since 1970-01-01 UTC. */
  readonly timestampNs: bigint;
  readonly data: Uint8Array;
  readonly originalLength: number;
}

export type ReaderErrorCode = "bad-magic" | "bad-version" | "oversize-record" | "truncated";

export class ReaderError extends Error {
  override name = "ReaderError";
  constructor(
    readonly code: ReaderErrorCode,
    message: string,
    /** Packets completed in the same push before the error (they are valid). */
    readonly packets: readonly Packet[] = [],
  ) {
    super(`pcap: ${message}`);
  }
}

export interface PcapStreamReader {
  /** Packets completed by this chunk. Throws ReaderError on a format error; after one, every push throws. */
  push(chunk: Uint8Array): Packet[];
  /** The stream ended: throws ReaderError("truncated") when it stopped inside a header or packet. */
  end(): void;
  /** Known once the file header has been read. */
  readonly linkType: number | undefined;
  readonly snapLen: number | undefined;
  readonly nanosecond: boolean | undefined;
  readonly error: ReaderError | undefined;
}

/** A format error found while parsing; push() turns it into the ReaderError it throws. */
class Fault {
  constructor(
    readonly code: ReaderErrorCode,
    readonly message: string,
  ) {}
}

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

// The magic number as written by the writer's host (§4): byte order and timestamp unit in one.
const MAGICS: Record<number, { little: boolean; nanosecond: boolean }> = {
  0xa1b2c3d4: { little: false, nanosecond: false },
  0xd4c3b2a1: { little: true, nanosecond: false },
  0xa1b23c4d: { little: false, nanosecond: true },
  0x4d3cb2a1: { little: true, nanosecond: true },
};

export function createPcapStreamReader(): PcapStreamReader {
  let little = true;
  let nanosecond: boolean | undefined;
  let linkType: number | undefined;
  let snapLen: number | undefined;
  let limit = MAX_RECORD;
  let error: ReaderError | undefined;

  // What is being filled: the file header, a record header, or a record's data.
  let state: "file" | "record" | "data" = "file";
  const header = new Uint8Array(FILE_HEADER);
  const headerView = new DataView(header.buffer);
  let data = new Uint8Array(0);
  let filled = 0;
  let timestampNs = 0n;
  let lastSeconds = -1;
  let lastSecondsNs = 0n;
  let originalLength = 0;

  function parseFileHeader() {
    const magic = headerView.getUint32(0, false);
    const kind = MAGICS[magic];
    if (!kind) throw new Fault("bad-magic", `magic 0x${magic.toString(16).padStart(8, "0")} is not a pcap file (is it pcapng?)`);
    little = kind.little;
    nanosecond = kind.nanosecond;
    const major = headerView.getUint16(4, little);
    const minor = headerView.getUint16(6, little);
    if (major !== 2) throw new Fault("bad-version", `version ${major}.${minor}; only 2.x is known`);
    snapLen = headerView.getUint32(16, little);
    // The upper bits of this field carry FCS information (§4, LinkType and additional information).
    linkType = headerView.getUint32(20, little) & 0xffff;
    limit = snapLen > 0 ? Math.min(snapLen, MAX_RECORD) : MAX_RECORD;
  }

  function parseRecordHeader() {
    const seconds = headerView.getUint32(0, little);
    const fraction = headerView.getUint32(4, little);
    const captured = headerView.getUint32(8, little);
    originalLength = headerView.getUint32(12, little);
    if (captured > limit) {
      throw new Fault("oversize-record", `a record claims ${captured} bytes, more than the ${limit} allowed (snaplen ${snapLen})`);
    }
    // Performance: BigInt arithmetic allocates; the seconds change once a second, so their part is kept.
    if (seconds !== lastSeconds) {
      lastSeconds = seconds;
      lastSecondsNs = BigInt(seconds) * 1_000_000_000n;
    }
    timestampNs = lastSecondsNs + BigInt(nanosecond ? fraction : fraction * 1000);
    data = new Uint8Array(captured);
  }

  function push(input: Uint8Array): Packet[] {
    if (error) throw error;
    // Two subarrays per packet: cheap on a plain view of the chunk.
    const chunk = plainBytes(input);
    const packets: Packet[] = [];
    let at = 0;
    try {
      // Each step consumes bytes or completes a header/packet (a packet may be 0 bytes), so it ends.
      while (at < chunk.length || (state === "data" && filled === data.length)) {
        if (state === "data") {
          const take = Math.min(data.length - filled, chunk.length - at);
          data.set(chunk.subarray(at, at + take), filled);
          filled += take;
          at += take;
          if (filled < data.length) break;
          packets.push({ linkType: linkType!, timestampNs, data, originalLength });
          state = "record";
          filled = 0;
          continue;
        }
        const size = state === "file" ? FILE_HEADER : RECORD_HEADER;
        const take = Math.min(size - filled, chunk.length - at);
        header.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled < size) break;
        filled = 0;
        if (state === "file") {
          parseFileHeader();
          state = "record";
        } else {
          parseRecordHeader();
          state = "data";
        }
      }
    } catch (err) {
      if (!(err instanceof Fault)) throw err;
      error = new ReaderError(err.code, err.message, packets);
      data = new Uint8Array(0);
      throw error;
    }
    return packets;
  }

  return {
    push,
    end() {
      if (error) throw error;
      if (filled > 0 || state === "file" || state === "data") {
        const where = state === "file" ? "the file header" : state === "record" ? "a record header" : "a packet";
        error = new ReaderError("truncated", `the stream ended inside ${where}`);
        throw error;
      }
    },
    get linkType() {
      return linkType;
    },
    get snapLen() {
      return snapLen;
    },
    get nanosecond() {
      return nanosecond;
    },
    get error() {
      return error;
    },
  };
}
