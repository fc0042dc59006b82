// What a value holds on V8's heap, estimated from its shape: how the event store (store.ts) and the brief cache
// (server/lab/watch.ts) count the objects they keep beside their typed arrays, so that their bounds are bounds on the
// host's memory. Sizes are those of 64-bit V8 without pointer compression (Node's official builds): 8 bytes a
// field. store-cost.test.ts checks the counts against heap snapshots' deltas, so the figures here are measured ones.

/** A JS object's header (map, properties, elements). */
export const OBJECT_BYTES = 24;
/** One property or array element: a tagged pointer. */
export const FIELD_BYTES = 8;
/** A JS array: its header with its length, and its backing store's header. */
export const ARRAY_BYTES = 32 + 16;
/** A typed array's view object (a JSTypedArray with its embedder fields). */
export const VIEW_BYTES = 96;
/** An ArrayBuffer of its own: the JSArrayBuffer and its backing store's bookkeeping. */
export const BUFFER_BYTES = 96;
/** A double that is not a small integer, boxed. */
export const NUMBER_BYTES = 16;
/** One entry of a Map or Set: key, value and chain link in an ordered hash table kept at most half full. */
export const MAP_ENTRY_BYTES = 48;

/** A sequential string's size: its header and its characters, one byte each (Latin-1) or two. */
export function stringBytes(s: string): number {
  // eslint-disable-next-line no-control-regex
  const wide = s.length > 0 && /[^\u0000-\u00ff]/.test(s);
  return 16 + (((wide ? 2 * s.length : s.length) + 7) & ~7);
}

/** A number stored in a field: free when it is a small integer (a Smi), else a boxed double. */
export function numberBytes(n: number): number {
  return Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 ? 0 : NUMBER_BYTES;
}

/** A typed array: its view, and its buffer when the view is the whole of a buffer of its own. */
export function bytesViewBytes(bytes: ArrayBufferView): number {
  const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
  return VIEW_BYTES + (own ? BUFFER_BYTES + bytes.byteLength : bytes.byteLength);
}

/**
 * What `value` holds, counting what it reaches (shared objects once within one call, through `seen`), at most
 * `maxNodes` values deep: an estimate for small records (a PDU's memo, a finding's arguments), not for a graph.
 * Strings that are literals in the code (a protocol id) are counted too: an overestimate of a few dozen bytes.
 */
export function heapBytes(value: unknown, seen: Set<object> = new Set(), maxNodes = 256): number {
  let nodes = 0;
  const walk = (v: unknown): number => {
    if (++nodes > maxNodes) return 0;
    switch (typeof v) {
      case "string":
        return stringBytes(v);
      case "number":
        return numberBytes(v);
      case "object": {
        if (v === null || seen.has(v)) return 0;
        seen.add(v);
        if (ArrayBuffer.isView(v)) return bytesViewBytes(v);
        if (Array.isArray(v)) {
          let n = ARRAY_BYTES + FIELD_BYTES * v.length;
          for (const item of v) n += walk(item);
          return n;
        }
        if (v instanceof Map) {
          let n = OBJECT_BYTES + ARRAY_BYTES + MAP_ENTRY_BYTES * v.size;
          for (const [k, item] of v) n += walk(k) + walk(item);
          return n;
        }
        // Not for-in nor Object.keys: both give the object's hidden class an enum cache, memory the walk would add to
        // what it counts (some 100 bytes an object for memos whose objects have hidden classes of their own).
        let n = OBJECT_BYTES;
        for (const key of Object.getOwnPropertyNames(v)) {
          n += FIELD_BYTES + walk((v as Record<string, unknown>)[key]);
        }
        return n;
      }
      default:
        return 0;
    }
  };
  return walk(value);
}
