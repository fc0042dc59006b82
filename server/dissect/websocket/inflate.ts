// Raw DEFLATE decoding (RFC 1951) for permessage-deflate (RFC 7692), with the sliding window kept from one
// message to the next (§7.2.2: with context takeover, a message may refer to bytes of earlier ones) and the
// output bounded (a deflate bomb stops at the limit, never inflating past it).
// Modelled on zlib's puff.c (Mark Adler's reference decoder): canonical Huffman codes decoded bit by bit.
// ISOMORPHIC: no Node imports (the page re-dissects too, and node:zlib is not there).

const MAXBITS = 15;
const WINDOW = 32 * 1024;

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Why a message could not be inflated. */
export type InflateError = "too_big" | "invalid" | "distance";

export type InflateResult = { readonly bytes: Uint8Array; readonly error?: undefined } | { readonly bytes: Uint8Array; readonly error: InflateError };

interface Huffman {
  readonly count: Uint16Array;
  readonly symbol: Uint16Array;
}

/** A canonical code from code lengths; undefined when over-subscribed (incomplete codes are allowed, as puff does). */
function huffman(lengths: ArrayLike<number>, n: number): Huffman | undefined {
  const count = new Uint16Array(MAXBITS + 1);
  const symbol = new Uint16Array(n);
  for (let s = 0; s < n; s++) count[lengths[s]!]!++;
  let left = 1;
  for (let len = 1; len <= MAXBITS; len++) {
    left = (left << 1) - count[len]!;
    if (left < 0) return undefined;
  }
  const offs = new Uint16Array(MAXBITS + 1);
  for (let len = 1; len < MAXBITS; len++) offs[len + 1] = offs[len]! + count[len]!;
  for (let s = 0; s < n; s++) if (lengths[s] !== 0) symbol[offs[lengths[s]!]!++] = s;
  return { count, symbol };
}

const FIXED = (() => {
  const lengths = new Uint8Array(288);
  lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  return { lit: huffman(lengths, 288)!, dist: huffman(new Uint8Array(30).fill(5), 30)! };
})();

class OutOfInput extends Error {}
class Malformed extends Error {
  constructor(readonly reason: InflateError) {
    super(reason);
  }
}

class Decoder {
  pos = 0;
  bitBuf = 0;
  bitCount = 0;
  out: Uint8Array;
  length: number;
  constructor(
    readonly input: Uint8Array,
    window: Uint8Array,
    readonly limit: number,
  ) {
    this.out = new Uint8Array(Math.max(window.length + 256, window.length + Math.min(limit, input.length * 4)));
    this.out.set(window);
    this.length = window.length;
  }

  bits(need: number): number {
    let val = this.bitBuf;
    while (this.bitCount < need) {
      if (this.pos >= this.input.length) throw new OutOfInput();
      val |= this.input[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    this.bitBuf = val >>> need;
    this.bitCount -= need;
    return val & ((1 << need) - 1);
  }

  decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAXBITS; len++) {
      code |= this.bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw new Malformed("invalid");
  }

  put(byte: number, produced: number): void {
    if (produced >= this.limit) throw new Malformed("too_big");
    if (this.length === this.out.length) {
      const grown = new Uint8Array(Math.min(this.out.length * 2, this.out.length + this.limit + 1));
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.length++] = byte;
  }
}

/**
 * Inflates one message's payload (with the 00 00 ff ff that RFC 7692 §7.2.2 has the sender remove put back),
 * after the `window` of earlier output; returns the new bytes, or what came before the error.
 */
function inflateRaw(input: Uint8Array, window: Uint8Array, limit: number): { result: InflateResult; window: Uint8Array } {
  const d = new Decoder(input, window, limit);
  const start = window.length;
  let error: InflateError | undefined;
  try {
    let last = false;
    while (!last) {
      // The message ends where its input does, between blocks (the sync flush's empty stored block).
      if (d.pos >= input.length && d.bitCount < 3) break;
      last = d.bits(1) === 1;
      const type = d.bits(2);
      if (type === 0) stored(d, start);
      else if (type === 1) codes(d, FIXED.lit, FIXED.dist, start);
      else if (type === 2) dynamic(d, start);
      else throw new Malformed("invalid");
    }
  } catch (err) {
    error = err instanceof Malformed ? err.reason : "invalid";
  }
  const bytes = d.out.slice(start, d.length);
  const all = d.out.subarray(0, d.length);
  const next = all.length > WINDOW ? all.slice(all.length - WINDOW) : all.slice();
  return { result: error ? { bytes, error } : { bytes }, window: next };
}

function stored(d: Decoder, start: number): void {
  d.bitBuf = 0;
  d.bitCount = 0;
  if (d.pos + 4 > d.input.length) throw new OutOfInput();
  const len = d.input[d.pos]! | (d.input[d.pos + 1]! << 8);
  const nlen = d.input[d.pos + 2]! | (d.input[d.pos + 3]! << 8);
  d.pos += 4;
  if (len !== (~nlen & 0xffff)) throw new Malformed("invalid");
  if (d.pos + len > d.input.length) throw new OutOfInput();
  for (let i = 0; i < len; i++) d.put(d.input[d.pos + i]!, d.length - start);
  d.pos += len;
}

function codes(d: Decoder, lit: Huffman, dist: Huffman, start: number): void {
  for (;;) {
    const symbol = d.decode(lit);
    if (symbol < 256) d.put(symbol, d.length - start);
    else if (symbol === 256) return;
    else {
      const li = symbol - 257;
      if (li >= 29) throw new Malformed("invalid");
      const len = LENGTH_BASE[li]! + d.bits(LENGTH_EXTRA[li]!);
      const di = d.decode(dist);
      if (di >= 30) throw new Malformed("invalid");
      const distance = DIST_BASE[di]! + d.bits(DIST_EXTRA[di]!);
      if (distance > d.length) throw new Malformed("distance");
      for (let i = 0; i < len; i++) d.put(d.out[d.length - distance]!, d.length - start);
    }
  }
}

function dynamic(d: Decoder, start: number): void {
  const nlen = d.bits(5) + 257;
  const ndist = d.bits(5) + 1;
  const ncode = d.bits(4) + 4;
  if (nlen > 286 || ndist > 30) throw new Malformed("invalid");
  const lengths = new Uint8Array(320);
  for (let i = 0; i < ncode; i++) lengths[CODE_ORDER[i]!] = d.bits(3);
  const lencode = huffman(lengths, 19);
  if (!lencode) throw new Malformed("invalid");
  lengths.fill(0);
  for (let i = 0; i < nlen + ndist; ) {
    const symbol = d.decode(lencode);
    if (symbol < 16) {
      lengths[i++] = symbol;
      continue;
    }
    let value = 0;
    let repeat: number;
    if (symbol === 16) {
      if (i === 0) throw new Malformed("invalid");
      value = lengths[i - 1]!;
      repeat = 3 + d.bits(2);
    } else if (symbol === 17) repeat = 3 + d.bits(3);
    else repeat = 11 + d.bits(7);
    if (i + repeat > nlen + ndist) throw new Malformed("invalid");
    while (repeat--) lengths[i++] = value;
  }
  if (lengths[256] === 0) throw new Malformed("invalid");
  const lit = huffman(lengths.subarray(0, nlen), nlen);
  const dist = huffman(lengths.subarray(nlen, nlen + ndist), ndist);
  if (!lit || !dist) throw new Malformed("invalid");
  codes(d, lit, dist, start);
}

/** One direction's permessage-deflate context: its window, kept between messages. */
export interface Inflater {
  /** Inflates one message's payload (as sent: without the 00 00 ff ff tail), producing at most `limit` bytes. */
  inflate(payload: Uint8Array, limit: number): InflateResult;
  /** False once a message failed: the window is then unknown, so later messages that refer to it cannot be read. */
  readonly intact: boolean;
}

const TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

export function createInflater(): Inflater {
  let window: Uint8Array = new Uint8Array(0);
  let intact = true;
  return {
    inflate(payload, limit) {
      const input = new Uint8Array(payload.length + TAIL.length);
      input.set(payload);
      input.set(TAIL, payload.length);
      const { result, window: next } = inflateRaw(input, window, limit);
      window = next;
      if (result.error) intact = false;
      return result;
    },
    get intact() {
      return intact;
    },
  };
}
