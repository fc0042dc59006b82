"use client";
// A hex dump of a connection's bytes, 16 a row with offsets and the printable ASCII beside, one span of them marked
// (<mark>: the protobuf message inside a way's framing). Bytes past a bound are counted, not drawn.

import type { ByteSpan } from "@/gen/lab/v1/grpc_lesson_pb";

/** Bytes a dump draws at most: a gRPC answer is a few hundred. */
export const HEX_DUMP_LIMIT = 4096;

const hex = (b: number) => b.toString(16).padStart(2, "0");
const ascii = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".");

export function HexDump({ title, bytes, mark }: { title: string; bytes: Uint8Array; mark?: ByteSpan }) {
  const shown = bytes.subarray(0, HEX_DUMP_LIMIT);
  const marked = (i: number) => mark !== undefined && mark.length > 0 && i >= mark.start && i < mark.start + mark.length;
  const rows: number[] = [];
  for (let at = 0; at < shown.length; at += 16) rows.push(at);
  const cell = (i: number, text: string) =>
    marked(i) ? (
      <mark key={i} className="bg-amber-200 text-slate-950 dark:bg-amber-300">
        {text}
      </mark>
    ) : (
      <span key={i}>{text}</span>
    );
  return (
    <figure className="space-y-1">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <pre className="max-h-72 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs leading-5 dark:bg-slate-800" tabIndex={0} aria-label={title}>
        {rows.map((at) => {
          const row = [...shown.subarray(at, at + 16)];
          return (
            <div key={at} className="whitespace-pre">
              <span className="text-slate-600 dark:text-slate-400">{at.toString(16).padStart(4, "0")}  </span>
              {row.map((b, j) => cell(at + j, hex(b) + (j === 7 ? "  " : " ")))}
              {"   ".repeat(16 - row.length)}
              {row.length <= 8 ? " " : ""} {row.map((b, j) => cell(at + j, ascii(b)))}
            </div>
          );
        })}
      </pre>
    </figure>
  );
}
