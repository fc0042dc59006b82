"use client";
// One of the lab's UDP clients, as a lesson panel drives it (lab.v1.LabService Open and Send with a UDP service):
// open() gets a connected datagram socket from the lab host, with where its datagrams go (the server, the
// broadcast address, the multicast group) and their IP TTL; send() makes each part one datagram; the flow's
// events come from the timeline. A panel that starts a fresh flow for each run (`fresh`) closes the previous
// one first; the last one is closed when the panel goes. A flow stays open between runs, so that answers that
// come late and "no answer within 5 s" still land on it.

import { useCallback, useEffect, useRef, useState } from "react";
import type { OpenResponse, UdpTarget } from "@/gen/lab/v1/lab_pb";
import type { Conversation, Endpoint } from "@/gen/lab/v1/timeline_pb";
import { isFinished } from "../lesson-kit/connection";
import { lab, useLabCall } from "../lesson-kit/lab-call";
import { useConversation } from "../lesson-kit/use-lesson-timeline";
import { labClient } from "../lab-client";
import type { UdpService } from "./ports";

export type { UdpService };


/** What Open told about the flow: its conversation and where its datagrams go. */
export interface UdpFlow {
  readonly conversation: Conversation;
  readonly destination: Endpoint | undefined;
  readonly target: UdpTarget;
  /** The IP TTL the lab client set (1 for multicast); 0 when the system's default applies. */
  readonly ttl: number;
}

function flowOf(response: OpenResponse): UdpFlow | undefined {
  if (!response.conversation) return undefined;
  return { conversation: response.conversation, destination: response.destination, target: response.udpTarget, ttl: response.ttl };
}

export function useUdpFlow(service: UdpService) {
  const call = useLabCall();
  const { run } = call;
  const [flow, setFlow] = useState<UdpFlow>();
  const view = useConversation(flow?.conversation.id);

  // The latest id and whether the lab still holds it, for closing it before the next run and on unmount.
  const live = useRef<{ id?: string; finished: boolean }>({ finished: true });
  useEffect(() => {
    live.current = { id: flow?.conversation.id, finished: !flow || isFinished(view.state) };
  }, [flow, view.state]);
  useEffect(
    () => () => {
      const { id, finished } = live.current;
      if (id && !finished) lab.close(id).catch(() => undefined);
    },
    [],
  );

  /** A new flow (the previous one closed first); undefined when the host refused, with the reason in `error`. */
  const openFresh = useCallback(async (): Promise<UdpFlow | undefined> => {
    const { id, finished } = live.current;
    if (id && !finished) {
      live.current = { finished: true };
      await lab.close(id).catch(() => undefined);
    }
    const opened = await run(async () => flowOf(await labClient().open({ service })));
    if (opened) {
      live.current = { id: opened.conversation.id, finished: false };
      setFlow(opened);
    }
    return opened;
  }, [run, service]);

  /** The open flow, or a new one when there is none yet (or the host forgot it). */
  const ensureOpen = useCallback(async (): Promise<UdpFlow | undefined> => {
    if (flow && !live.current.finished && live.current.id === flow.conversation.id) return flow;
    return openFresh();
  }, [flow, openFresh]);

  /** Each part one datagram, on `on` (a flow open() just returned) or on the open one. */
  const send = useCallback(
    async (parts: Uint8Array[], on?: UdpFlow): Promise<boolean> => {
      const target = on ?? flow;
      if (!target) return false;
      const sent = await run(() => lab.send(target.conversation.id, parts));
      return sent !== undefined;
    },
    [flow, run],
  );

  return { ...call, flow, events: view.events, state: view.state, openFresh, ensureOpen, send };
}
