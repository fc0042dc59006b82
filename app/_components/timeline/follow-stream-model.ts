// What the Follow stream dialog shows of a conversation's chunks (issue 15 §2), as Wireshark's Follow TCP Stream
// does: as text (each line as it was sent, CR LF as one line break, other bytes that print nothing as dots, a UTF-8
// character as itself), as a hex dump (offsets counted per direction, as Wireshark counts them), or raw (the bytes
// in hex, nothing else). Pure: the dialog renders what these return.

import { Direction } from "@/gen/lab/v1/timeline_pb";
import { textCells } from "./bytes-text";
import { BYTES_PER_ROW, hexByte } from "./model";

export type FollowView = "text" | "hex" | "raw";
export type FollowSides = "both" | "client" | "server";

export interface FollowChunkLike {
  readonly seq: bigint;
  readonly direction: Direction;
  readonly data: Uint8Array;
}

/** The chunk's bytes as text lines: LF ends a line (a CR before it goes with it), and a chunk's last line may be open. */
export function textLines(data: Uint8Array): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i <= data.length; i++) {
    if (i < data.length && data[i] !== 0x0a) continue;
    if (i === data.length && start === data.length && lines.length > 0) break;
    const end = i > start && data[i - 1] === 0x0d ? i - 1 : i;
    let line = "";
    for (const cell of textCells(data, start, end)) line += cell.text;
    lines.push(line);
    start = i + 1;
  }
  return lines;
}

/** xxd's lines for a chunk whose first byte is byte `offset` of its direction's stream. */
export function hexDumpLines(data: Uint8Array, offset: number): string[] {
  const lines: string[] = [];
  for (let row = 0; row * BYTES_PER_ROW < data.length; row++) {
    const bytes = data.subarray(row * BYTES_PER_ROW, (row + 1) * BYTES_PER_ROW);
    let hex = "";
    for (let i = 0; i < BYTES_PER_ROW; i++) {
      hex += i < bytes.length ? hexByte(bytes[i]!) : "  ";
      hex += i === 7 ? "  " : " ";
    }
    let text = "";
    for (const cell of textCells(bytes, 0, bytes.length)) text += cell.text;
    lines.push(`${(offset + row * BYTES_PER_ROW).toString(16).padStart(8, "0")}  ${hex} ${text}`);
  }
  return lines;
}

/** The bytes in hex, two digits each, nothing between them. */
export function rawHex(data: Uint8Array): string {
  let hex = "";
  for (const byte of data) hex += hexByte(byte);
  return hex;
}

/** Whether a chunk of this direction is shown when the dialog shows `sides`. */
export function shownSide(direction: Direction, sides: FollowSides): boolean {
  if (sides === "both") return true;
  return sides === "client" ? direction === Direction.CLIENT_TO_SERVER : direction === Direction.SERVER_TO_CLIENT;
}

/** Where each chunk starts in its direction's stream: the bytes sent that way before it. */
export function streamOffsets(chunks: readonly FollowChunkLike[]): number[] {
  let client = 0;
  let server = 0;
  return chunks.map((chunk) => {
    if (chunk.direction === Direction.CLIENT_TO_SERVER) {
      client += chunk.data.length;
      return client - chunk.data.length;
    }
    server += chunk.data.length;
    return server - chunk.data.length;
  });
}

/** The lines of one chunk in a view; what Copy puts on the clipboard is every shown chunk's lines, in order. */
export function chunkLines(chunk: FollowChunkLike, view: FollowView, offset: number): string[] {
  if (view === "text") return textLines(chunk.data);
  if (view === "hex") return hexDumpLines(chunk.data, offset);
  return [rawHex(chunk.data)];
}

/**
 * The text of the shown chunks, as Copy gives it: as text, the chunks one after another as they were sent (a line
 * break where the bytes had one); as a hex dump or raw, a line per row.
 */
export function copiedText(chunks: readonly FollowChunkLike[], view: FollowView, sides: FollowSides): string {
  const offsets = streamOffsets(chunks);
  const parts: string[] = [];
  chunks.forEach((chunk, i) => {
    if (!shownSide(chunk.direction, sides)) return;
    const lines = chunkLines(chunk, view, offsets[i]!).join("\n");
    parts.push(view === "text" && chunk.data.at(-1) === 0x0a ? `${lines}\n` : lines);
  });
  return parts.join(view === "text" ? "" : "\n");
}
