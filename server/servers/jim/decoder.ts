// An incremental splitter of a JIM byte stream into JSON objects (seed 002: objects sent one per send(), with
// no delimiter and no length prefix, which TCP coalesces and splits at will). It follows braces outside
// strings, byte by byte, so several objects in one read, an object across reads, whitespace or newlines
// between objects and a UTF-8 character split across reads all come out as whole objects; it never
// recurses and never holds more than `maxObjectBytes` of one object (nesting is a counter, capped too).
// Bytes outside an object that are not whitespace are junk: one event per run of junk, up to the next `{`.

/** What the splitter found in the bytes pushed so far, in order. */
export type JimChunkEvent =
  | { readonly kind: "object"; readonly bytes: Uint8Array }
  /** The first byte of a run of bytes outside any object that are not whitespace (a number, an array, garbage). */
  | { readonly kind: "junk"; readonly byte: number }
  /** An object grew past maxObjectBytes without its closing brace: the stream cannot be resynchronised. */
  | { readonly kind: "too-long"; readonly limit: number }
  /** Braces nested deeper than maxDepth. */
  | { readonly kind: "too-deep"; readonly limit: number };

export interface JimDecoderLimits {
  readonly maxObjectBytes: number;
  readonly maxDepth: number;
}

export interface JimDecoder {
  /** Feeds one read; returns what it completed. After a too-long or too-deep event the decoder takes nothing more. */
  push(chunk: Uint8Array): JimChunkEvent[];
  /** Bytes held of an object not finished yet (0 between objects). */
  readonly pending: number;
  /** True after a too-long or too-deep event. */
  readonly failed: boolean;
}

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;

/** JSON's insignificant whitespace (RFC 8259 §2): space, tab, LF, CR. */
function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

export function createJimDecoder(limits: JimDecoderLimits): JimDecoder {
  let parts: Uint8Array[] = [];
  let held = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let inJunk = false;
  let failed = false;

  function take(chunk: Uint8Array, from: number, to: number) {
    if (to > from) {
      parts.push(chunk.subarray(from, to));
      held += to - from;
    }
  }

  function finish(): Uint8Array {
    const out = new Uint8Array(held);
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    parts = [];
    held = 0;
    return out;
  }

  return {
    get pending() {
      return held;
    },
    get failed() {
      return failed;
    },
    push(chunk) {
      const events: JimChunkEvent[] = [];
      if (failed) return events;
      // Where the object being read starts in this chunk (-1: it started in an earlier chunk or none is open).
      let start = depth > 0 ? 0 : -1;
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (depth === 0) {
          if (byte === OPEN) {
            inJunk = false;
            depth = 1;
            start = i;
          } else if (!isWhitespace(byte) && !inJunk) {
            inJunk = true;
            events.push({ kind: "junk", byte });
          }
          continue;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
        } else if (byte === QUOTE) {
          inString = true;
        } else if (byte === OPEN) {
          if (++depth > limits.maxDepth) {
            failed = true;
            events.push({ kind: "too-deep", limit: limits.maxDepth });
            parts = [];
            held = 0;
            return events;
          }
        } else if (byte === CLOSE) {
          depth--;
        }
        if (held + (i + 1 - start) > limits.maxObjectBytes) {
          failed = true;
          events.push({ kind: "too-long", limit: limits.maxObjectBytes });
          parts = [];
          held = 0;
          return events;
        }
        if (depth === 0) {
          take(chunk, start, i + 1);
          events.push({ kind: "object", bytes: finish() });
          start = -1;
        }
      }
      if (depth > 0 && start >= 0) take(chunk, start, chunk.length);
      return events;
    },
  };
}
