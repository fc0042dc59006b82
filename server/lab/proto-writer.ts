// A protobuf wire-format writer for the timeline's hot path (protobuf.dev/programming-guides/encoding): varints,
// zigzag, tags and length-delimited fields written straight into one growing byte buffer. @bufbuild/protobuf's
// toBinary walks a message by reflection and allocates a chunk per nested message; for the Watch stream's batches
// (a thousand small nested messages each) that cost the host more than everything else a page watching did.
//
// Fields are written as proto3 writes them, as toBinary does: a scalar equal to its default is left out, repeated
// scalars are packed, a set message is written even when empty. Numbers are JavaScript numbers: integers up to
// 2^53 are exact, as the timeline's seqs, clocks and offsets are.

/** Wire types (protobuf encoding, "Message Structure"). */
export const WIRE = { varint: 0, delimited: 2 } as const;

export interface ProtoWriter {
  /** Bytes written so far. */
  readonly length: number;
  /** A varint of a non-negative integer. */
  varint(value: number): void;
  tag(field: number, wireType: number): void;
  /** uint32, uint64, enum: left out when 0. */
  uint(field: number, value: number): void;
  /** int64: left out when 0; a negative value takes ten bytes (two's complement), as protobuf writes it. */
  int64(field: number, value: number): void;
  /** sint32, sint64 (zigzag): left out when 0. */
  sint(field: number, value: number): void;
  /** bool: left out when false. */
  bool(field: number, value: boolean): void;
  /** string: left out when empty, unless `always` (an element of a repeated field). */
  string(field: number, value: string, always?: boolean): void;
  /** bytes: left out when empty. */
  bytes(field: number, value: Uint8Array): void;
  /** Packed repeated uint32: left out when empty. */
  packed(field: number, values: readonly number[]): void;
  /** Bytes already encoded (fields of a message written earlier). */
  raw(bytes: Uint8Array, from?: number, to?: number): void;
  /** Starts a length-delimited message field; returns a mark for end(). */
  begin(field: number): number;
  /** Ends the message field begun at `mark`: its length goes before its bytes. */
  end(mark: number): void;
  /** A copy of the bytes from `from` to the end. */
  copy(from?: number): Uint8Array;
  /** The bytes written so far: a view of the writer's buffer, valid until the next write or reset. */
  written(): Uint8Array;
  /** A copy of everything written, after its length: the value of a length-delimited field that holds it. */
  delimited(): Uint8Array;
  /** Forgets what was written (the buffer is kept, up to a bound). */
  reset(): void;
}

/** A buffer that grew past this for one big batch is let go afterwards rather than held for the stream's life. */
const KEEP_BYTES = 256 * 1024;

const utf8 = new TextEncoder();

/** Bytes a varint of this non-negative integer takes. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

class Writer implements ProtoWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initial: number) {
    this.buf = new Uint8Array(initial);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(more: number): void {
    const needed = this.pos + more;
    if (needed <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    if (value < 0x80000000) {
      // The common case: bit operations on a 31-bit integer.
      while (value > 0x7f) {
        buf[pos++] = (value & 0x7f) | 0x80;
        value >>>= 7;
      }
    } else {
      // Division by 128 is exact on an integer-valued double, so this is exact however large the value.
      while (value > 0x7f) {
        buf[pos++] = (value % 128) | 0x80;
        value = Math.floor(value / 128);
      }
    }
    buf[pos++] = value;
    this.pos = pos;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  uint(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, WIRE.varint);
    this.varint(value);
  }

  int64(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, WIRE.varint);
    if (value > 0) return this.varint(value);
    // Two's complement in 64 bits, ten bytes: rare (the timeline's int64 fields are clocks, never negative).
    let rest = BigInt.asUintN(64, BigInt(value));
    this.ensure(10);
    while (rest > 0x7fn) {
      this.buf[this.pos++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buf[this.pos++] = Number(rest);
  }

  sint(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, WIRE.varint);
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  bool(field: number, value: boolean): void {
    if (!value) return;
    this.tag(field, WIRE.varint);
    this.varint(1);
  }

  string(field: number, value: string, always = false): void {
    if (value === "" && !always) return;
    this.tag(field, WIRE.delimited);
    const n = value.length;
    // Short ASCII (summaries, codes, argument values) is copied a unit at a time: cheaper than an encoder call.
    if (n < 128) {
      this.ensure(1 + n);
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = start + n;
        return;
      }
    }
    const mark = this.pos;
    this.pos++;
    this.ensure(3 * n);
    this.pos += utf8.encodeInto(value, this.buf.subarray(this.pos)).written;
    this.close(mark);
  }

  bytes(field: number, value: Uint8Array): void {
    if (value.length === 0) return;
    this.tag(field, WIRE.delimited);
    this.varint(value.length);
    this.raw(value);
  }

  packed(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    const mark = this.begin(field);
    for (const value of values) this.varint(value);
    this.end(mark);
  }

  raw(bytes: Uint8Array, from = 0, to = bytes.length): void {
    const n = to - from;
    this.ensure(n);
    const buf = this.buf;
    const pos = this.pos;
    // A few bytes go faster one by one than through set() and a subarray.
    if (n <= 32) for (let i = 0; i < n; i++) buf[pos + i] = bytes[from + i]!;
    else buf.set(from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to), pos);
    this.pos = pos + n;
  }

  begin(field: number): number {
    this.tag(field, WIRE.delimited);
    this.ensure(1);
    return this.pos++;
  }

  end(mark: number): void {
    this.close(mark);
  }

  /** Writes the length of what follows `mark`'s reserved byte there, moving the bytes when it takes more than one. */
  private close(mark: number): void {
    const length = this.pos - mark - 1;
    if (length < 0x80) {
      this.buf[mark] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buf.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    const end = this.pos + extra;
    this.pos = mark;
    this.varint(length);
    this.pos = end;
  }

  copy(from = 0): Uint8Array {
    return this.buf.slice(from, this.pos);
  }

  written(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  delimited(): Uint8Array {
    const prefix = varintSize(this.pos);
    const out = new Uint8Array(prefix + this.pos);
    let length = this.pos;
    for (let i = 0; i < prefix - 1; i++) {
      out[i] = (length % 128) | 0x80;
      length = Math.floor(length / 128);
    }
    out[prefix - 1] = length;
    out.set(this.buf.subarray(0, this.pos), prefix);
    return out;
  }

  reset(): void {
    this.pos = 0;
    if (this.buf.length > KEEP_BYTES) this.buf = new Uint8Array(KEEP_BYTES / 4);
  }
}

export function createProtoWriter(initialBytes = 1024): ProtoWriter {
  return new Writer(initialBytes);
}
