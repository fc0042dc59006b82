"use client";
// The lesson's one door to the timeline store: the part of useTimeline() the panels read, typed here
// so a change in the store's shape shows up as a type error in one place. The store keeps its events in columns
// (timeline/event-table.ts): a panel reads the whole timeline through the view's accessors, and whole events
// only for the conversation it follows.

import { useMemo } from "react";
import { useTimeline } from "@/app/_components/timeline/store";
import type { Conversation } from "@/gen/lab/v1/timeline_pb";
import type { TimelineEvent } from "@/app/_components/timeline/batch";
import type { EventView } from "@/app/_components/timeline/event-table";
import { connectionState, type ConnectionState } from "./connection";

export interface LessonTimeline {
  readonly conversations: ReadonlyMap<string, Conversation>;
  readonly events: EventView;
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
  // The same array while the conversation has no new event, however many other events arrive.
  const mine = conversationId ? events.ofConversation(conversationId) : NO_EVENTS;
  return useMemo(() => ({ events: mine, state: conversationId ? connectionState(mine) : undefined }), [mine, conversationId]);
}
