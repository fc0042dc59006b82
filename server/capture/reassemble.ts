// Cuts one direction of a byte stream into PDUs and dissects them.
// Modelled on Wireshark's tcp_dissect_pdus (epan/dissectors/packet-tcp.c): the dissector's pduLength says
// how long the PDU at the front is, or "more"; without pduLength each read is one PDU.
//
// Offsets: a frame's `offset` is relative to the chunk given to the `push` that completed it, so a PDU that
// began in an earlier push has a negative offset (its end, offset + length, still falls inside the chunk).
// Frames from `end()` are relative to the end of the stream. `streamOffset` is the frame's position in
// the whole direction (bytes pushed since creation), and `bytes` are the frame's own bytes, a copy the
// reassembler no longer touches; the frame's field offsets index into them.

import { dataDissector } from "../dissect/core/registry";
import type { DissectContext, DissectedFrame, Dissector, Finding } from "../dissect/core/types";

export interface ReassembledFrame extends DissectedFrame {
  readonly streamOffset: number;
  readonly bytes: Uint8Array;
}

export interface ReassemblerOptions {
  /** Longest PDU held back waiting for its end; longer ones are shown as they arrive, with `<proto>.too_long`. */
  readonly maxPdu?: number;
}

export interface Reassembler {
  /** An empty chunk carries no message and yields no frame. */
  push(chunk: Uint8Array): ReassembledFrame[];
  /** The stream ended: whatever is still buffered becomes one last (incomplete) PDU. */
  end(): ReassembledFrame[];
  /** Bytes waiting for the rest of their PDU. */
  readonly buffered: number;
}

export const DEFAULT_MAX_PDU = 1 << 20;

export function createReassembler(dissector: Dissector, ctx: DissectContext, options: ReassemblerOptions = {}): Reassembler {
  const maxPdu = Math.max(1, options.maxPdu ?? DEFAULT_MAX_PDU);
  let store = new Uint8Array(0); // pending bytes are store[head, tail)
  let head = 0;
  let tail = 0;
  let pushed = 0; // stream offset just past the last chunk
  let skip = 0; // bytes still owed to an oversized PDU that was already shown
  let declared = 0; // that PDU's length

  const tooLong = (message: string): Finding => ({ code: `${dissector.id}.too_long`, severity: "error", message, offset: 0, length: 0 });
  const limitText = `the ${maxPdu} bytes the lab holds back`;

  /** Dissects `pdu` (already a copy) found at `streamOffset`, relative to a chunk starting at `chunkStart`. */
  function emit(dissect: Dissector, pdu: Uint8Array, streamOffset: number, chunkStart: number, extra?: Finding): ReassembledFrame[] {
    const frames = dissectSafely(dissect, pdu, ctx);
    return frames.map((f, i) => ({
      ...f,
      offset: streamOffset - chunkStart + f.offset,
      streamOffset: streamOffset + f.offset,
      bytes: pdu.subarray(f.offset, f.offset + f.length),
      findings: extra && i === 0 ? [...f.findings, { ...extra, length: f.length }] : f.findings,
    }));
  }

  function append(chunk: Uint8Array): void {
    if (tail + chunk.length > store.length) {
      const pending = tail - head;
      const grown = new Uint8Array(Math.max(pending + chunk.length, store.length * 2));
      grown.set(store.subarray(head, tail));
      [store, head, tail] = [grown, 0, pending];
    }
    store.set(chunk, tail);
    tail += chunk.length;
  }

  /** Takes n bytes off the front as a copy, with their stream offset. */
  function take(n: number): [Uint8Array, number] {
    const at = pushed - (tail - head);
    const bytes = store.slice(head, head + n);
    head += n;
    if (head === tail) head = tail = 0;
    return [bytes, at];
  }

  function cut(chunkStart: number): ReassembledFrame[] {
    const frames: ReassembledFrame[] = [];
    while (tail > head) {
      const pending = tail - head;
      if (skip > 0) {
        const n = Math.min(skip, pending);
        skip -= n;
        const [bytes, at] = take(n);
        const rest = tooLong(`More of a message that declared ${declared} bytes, over ${limitText}, shown as it arrives.`);
        frames.push(...emit(dataDissector, bytes, at, chunkStart, rest));
        continue;
      }
      const length = lengthOf(dissector, store.subarray(head, tail));
      if (length === "more") {
        if (pending <= maxPdu) break;
        const [bytes, at] = take(pending);
        const unended = tooLong(`No end of message within ${limitText}; these bytes are shown as one frame.`);
        frames.push(...emit(dissector, bytes, at, chunkStart, unended));
      } else if (length === undefined) {
        // No usable length: the dissector reads all of it and says what is wrong.
        const [bytes, at] = take(pending);
        frames.push(...emit(dissector, bytes, at, chunkStart));
      } else if (length > maxPdu) {
        const n = Math.min(length, pending);
        [skip, declared] = [length - n, length];
        const [bytes, at] = take(n);
        const over = tooLong(`This message declares ${length} bytes, over ${limitText}; it is shown as it arrives.`);
        frames.push(...emit(dissector, bytes, at, chunkStart, over));
      } else {
        if (pending < length) break;
        const [bytes, at] = take(length);
        frames.push(...emit(dissector, bytes, at, chunkStart));
      }
    }
    return frames;
  }

  return {
    push(chunk) {
      if (chunk.length === 0) return [];
      const chunkStart = pushed;
      pushed += chunk.length;
      if (!dissector.pduLength) return emit(dissector, chunk.slice(), chunkStart, chunkStart);
      append(chunk);
      return cut(chunkStart);
    },
    end() {
      const pending = tail - head;
      if (pending === 0) return [];
      const [bytes, at] = take(pending);
      return emit(dissector, bytes, at, pushed);
    },
    get buffered() {
      return tail - head;
    },
  };
}

/** pduLength, with anything but a positive integer or "more" (including a throw) as undefined. */
function lengthOf(dissector: Dissector, bytes: Uint8Array): number | "more" | undefined {
  try {
    const n = dissector.pduLength?.(bytes, 0);
    return n === "more" || (typeof n === "number" && Number.isSafeInteger(n) && n > 0) ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Dissectors must not throw and must account for every byte; this is the boundary where the capture
 * pipeline (Node code that has to stay up) makes sure of both.
 */
function dissectSafely(dissector: Dissector, bytes: Uint8Array, ctx: DissectContext): DissectedFrame[] {
  try {
    const frames = dissector.dissect(bytes, ctx);
    if (frames.length > 0 || bytes.length === 0) return frames;
  } catch (err) {
    const [frame] = dataDissector.dissect(bytes, ctx);
    const message = `The ${dissector.name} dissector failed on these bytes (${String(err)}); they are shown as they are.`;
    const failed: Finding = { code: `${dissector.id}.dissector_error`, severity: "error", message, offset: 0, length: bytes.length };
    return frame ? [{ ...frame, findings: [...frame.findings, failed] }] : [];
  }
  return dataDissector.dissect(bytes, ctx);
}
