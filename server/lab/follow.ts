// Follow stream (issue 15 §2), as Wireshark's "Follow TCP Stream" and "Follow UDP Stream": the bytes one
// conversation carried, both directions in the order they were sent, read from the session's ring. Only what the
// tap saw sent or received (data events): a captured segment repeats bytes a data event already holds, and a
// datagram the lab's impairment lost never arrived.
//
// Bounded: a conversation can be the whole ring (experiment B's big send), so the answer stops at a byte and a
// chunk budget and says what it left out; the headers are read without their bytes until a chunk is taken.

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { FollowConversationResponseSchema, type FollowConversationRequest, type FollowConversationResponse } from "@/gen/lab/v1/lab_pb";
import { Direction as ProtoDirection } from "@/gen/lab/v1/timeline_pb";
import { RUN_ID } from "../capture/bus";
import type { ConversationInfo, Direction } from "../capture/events";
import type { Ring } from "../capture/ring";
import { conversationToProto } from "./to-proto";

export const FOLLOW_LIMITS = {
  /** Payload bytes one answer carries at most: the rest is counted, not sent. */
  maxBytes: 1 << 20,
  /** Chunks (reads and writes) one answer carries at most. */
  maxChunks: 4000,
} as const;

export interface FollowChunk {
  readonly seq: number;
  /** The event's number in this session's timeline. */
  readonly number: number;
  readonly direction: Direction;
  readonly monoMs: number;
  readonly data: Uint8Array;
}

export interface FollowedStream {
  /** Undefined when the ring holds no event of it. */
  readonly conversation: ConversationInfo | undefined;
  readonly chunks: FollowChunk[];
  /** Every byte each side sent in the events the ring holds, shown or not. */
  readonly clientBytes: number;
  readonly serverBytes: number;
  /** Reads and writes of each side the ring holds. */
  readonly clientChunks: number;
  readonly serverChunks: number;
  /** Chunks left out past the limits (the newest ones). */
  readonly omittedChunks: number;
}

export function followConversation(
  ring: Ring,
  conversationId: string,
  limits: { readonly maxBytes: number; readonly maxChunks: number } = FOLLOW_LIMITS,
): FollowedStream {
  const chunks: FollowChunk[] = [];
  let conversation: ConversationInfo | undefined;
  let clientBytes = 0;
  let serverBytes = 0;
  let clientChunks = 0;
  let serverChunks = 0;
  let omittedChunks = 0;
  let taken = 0;
  const seqs = ring.seqs();
  for (let i = 0; i < seqs.length; i++) {
    const seq = seqs[i]!;
    const header = ring.header(seq);
    if (!header || header.conversation.id !== conversationId) continue;
    conversation = header.conversation;
    if (header.kind !== "data" || header.length === 0) continue;
    if (header.direction === "c2s") {
      clientBytes += header.length;
      clientChunks++;
    } else {
      serverBytes += header.length;
      serverChunks++;
    }
    // Once one chunk is left out, so are the later ones: the shown part is the stream's beginning, with no holes.
    if (omittedChunks > 0 || chunks.length >= limits.maxChunks || taken + header.length > limits.maxBytes) {
      omittedChunks++;
      continue;
    }
    const event = ring.event(seq);
    if (!event) continue;
    taken += event.data.length;
    chunks.push({ seq, number: ring.number(seq), direction: event.direction, monoMs: event.monoMs, data: event.data });
  }
  return { conversation, chunks, clientBytes, serverBytes, clientChunks, serverChunks, omittedChunks };
}

/** LabService.FollowConversation for the caller's session's ring. */
export function followAnswer(ring: Ring, req: FollowConversationRequest): FollowConversationResponse {
  const followed = req.runId === RUN_ID ? followConversation(ring, req.conversationId) : undefined;
  if (!followed?.conversation) throw new ConnectError(`conversation ${req.conversationId} is not in this session's timeline`, Code.NotFound);
  return create(FollowConversationResponseSchema, {
    conversation: conversationToProto(followed.conversation),
    chunks: followed.chunks.map((chunk) => ({
      seq: BigInt(chunk.seq),
      number: BigInt(chunk.number),
      direction: chunk.direction === "c2s" ? ProtoDirection.CLIENT_TO_SERVER : ProtoDirection.SERVER_TO_CLIENT,
      monoNs: BigInt(Math.round(chunk.monoMs * 1e6)),
      data: chunk.data,
    })),
    clientBytes: BigInt(followed.clientBytes),
    serverBytes: BigInt(followed.serverBytes),
    clientChunks: followed.clientChunks,
    serverChunks: followed.serverChunks,
    omittedChunks: followed.omittedChunks,
  });
}
