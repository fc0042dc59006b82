"use client";
// One experiment's connection: opens it through the lab's client, follows it on the timeline, and
// closes it if the student leaves the page with it still open (the lab would time it out, but a
// lingering connection on the timeline confuses the next experiment).

import { useCallback, useEffect, useRef, useState } from "react";
import type { Conversation } from "@/gen/lab/v1/timeline_pb";
import { isFinished } from "./connection";
import { lab, useLabCall } from "./lab-call";
import type { PanelState } from "./ui";
import { useConversation } from "./use-lesson-timeline";

/** `service` is a lab service's name, as the lab host lists it ("tcp-echo", "time", "greeting", ...). */
export function useExperiment(service: string) {
  const call = useLabCall();
  const { run } = call;
  const [conversation, setConversation] = useState<Conversation>();
  const [opening, setOpening] = useState(false);
  const view = useConversation(conversation?.id);

  const state: PanelState = opening ? "connecting" : (view.state ?? (conversation ? "open" : "idle"));

  // The latest id and whether it still needs closing, for the unmount cleanup below.
  const live = useRef<{ id?: string; finished: boolean }>({ finished: true });
  useEffect(() => {
    live.current = { id: conversation?.id, finished: !conversation || isFinished(view.state) };
  }, [conversation, view.state]);
  useEffect(
    () => () => {
      const { id, finished } = live.current;
      if (id && !finished) lab.close(id).catch(() => undefined);
    },
    [],
  );

  const open = useCallback(async (): Promise<Conversation | undefined> => {
    setOpening(true);
    try {
      const opened = await run(() => lab.open(service));
      if (opened) setConversation(opened);
      return opened;
    } finally {
      setOpening(false);
    }
  }, [run, service]);

  return { ...call, conversation, events: view.events, state, open };
}
