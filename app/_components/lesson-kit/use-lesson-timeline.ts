"use client";
// The lesson's one door to the timeline store: the part of useTimeline() the panels read, typed here
// so a change in the store's shape shows up as a type error in one place.

import { useMemo } from "react";
import { useTimeline } from "@/app/_components/timeline/store";
import type { Conversation } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "@/app/_components/timeline/batch";
import { connectionState, type ConnectionState } from "./connection";

export interface LessonTimeline {
  readonly conversations: ReadonlyMap<string, Conversation>;
  readonly events: readonly TimelineEvent[];
  readonly connected: boolean;
  readonly paused: boolean;
}

export function useLessonTimeline(): LessonTimeline {
  const { conversations, events, connected, paused }: LessonTimeline = useTimeline();
  return { conversations, events, connected, paused };
}

export interface ConversationView {
  readonly events: readonly TimelineEvent[];
  readonly state: ConnectionState | undefined;
}

const NO_EVENTS: readonly TimelineEvent[] = [];

/** The events of one conversation, in timeline order, and its state. */
export function useConversation(conversationId: string | undefined): ConversationView {
  const { events } = useLessonTimeline();
  return useMemo(() => {
    if (!conversationId) return { events: NO_EVENTS, state: undefined };
    const mine = events.filter((e) => e.conversationId === conversationId);
    return { events: mine, state: connectionState(mine) };
  }, [events, conversationId]);
}
