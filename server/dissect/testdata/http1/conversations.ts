// Test helper (Node only, never imported by a dissector): the HTTP/1.x conversations of testdata/http1/<case>.hex,
// recorded through a loopback proxy between real clients (python-requests, curl, Python's xmlrpc.client) and real
// servers (Python's http.server, node:http). A file is a `#` comment saying what was recorded, then turns: a line
// `> c2s` or `< s2c` and the bytes that direction sent, in hex, until the next turn. Also: replaying a conversation
// through a stream session, as the capture bus does.
import { readdirSync, readFileSync } from "node:fs";
import { createStreamSession, type StreamPdu } from "../../core/stream";
import { parseHex } from "../../core/tree";
import type { Direction, Dissector } from "../../core/types";
import { dissectorFor } from "../../protocols";

export type Turn = readonly [Direction, Uint8Array];

export interface Conversation {
  readonly name: string;
  readonly about: string;
  readonly turns: readonly Turn[];
}

const here = new URL("./", import.meta.url);

export function parseConversation(text: string): { about: string; turns: Turn[] } {
  const about = /^# (.*)$/m.exec(text)?.[1] ?? "";
  const turns: Turn[] = [];
  for (const block of text.split(/^(?=[<>] (?:c2s|s2c)$)/m)) {
    const m = /^[<>] (c2s|s2c)\n([\s\S]*)$/.exec(block);
    if (m) turns.push([m[1] as Direction, parseHex(m[2] ?? "")]);
  }
  return { about, turns };
}

/** The conversations of a folder of them: this one (HTTP/1.x) unless told. */
export function loadConversations(folder: URL = here): Conversation[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith(".hex"))
    .sort()
    .map((file) => ({ name: file.slice(0, -".hex".length), ...parseConversation(readFileSync(new URL(file, folder), "utf8")) }));
}

/**
 * Feeds the turns to a stream session for `protocol` (each turn cut into reads of `split` bytes, or whole), then ends
 * both directions, as a close does. Returns every PDU in the order the session gave them.
 */
export function replay(
  turns: readonly Turn[],
  {
    split = 0,
    tree = true,
    protocol = "http1",
    lookup = dissectorFor,
    defer,
    maxPdu,
  }: { split?: number; tree?: boolean; protocol?: string; lookup?: (id: string) => Dissector; defer?: boolean; maxPdu?: number } = {},
): StreamPdu[] {
  const session = createStreamSession(protocol, { dissectorFor: lookup, tree, defer, maxPdu });
  const out: StreamPdu[] = [];
  for (const [direction, bytes] of turns) {
    if (split <= 0) out.push(...session.push(direction, bytes));
    else for (let i = 0; i < bytes.length; i += split) out.push(...session.push(direction, bytes.subarray(i, i + split)));
  }
  out.push(...session.end("c2s"), ...session.end("s2c"));
  return out;
}
