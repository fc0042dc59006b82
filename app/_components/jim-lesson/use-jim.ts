"use client";
// One connection of the lab's JIM client, as a panel drives it (lab.v1.LabService OpenJim and SendJim): open()
// starts the stream that carries what the server sends, send() writes one message the lab builds from its fields
// (or two in one write, the framing lesson's pair), and `items` keeps every object both ways, in order, with where
// its bytes sit in their direction's stream, so each one finds its event on the timeline. The connection ends with
// the panel (the stream is cancelled) or with quit.

import { useCallback, useEffect, useRef, useState } from "react";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { SendJimRequestSchema } from "@/gen/lab/v1/lab_pb";
import { useLabCall } from "../lesson-kit/lab-call";
import { labClient } from "../lab-client";

export type JimWhat = MessageInitShape<typeof SendJimRequestSchema>["what"];

export interface JimItem {
  /** "out": the lab's client wrote it; "in": the server sent it. */
  readonly way: "out" | "in";
  readonly bytes: Uint8Array;
  /** The bytes as text (JIM is ASCII or UTF-8 JSON). */
  readonly text: string;
  /** The JSON value, when the text is JSON. */
  readonly value: unknown;
  /** Where its first byte sits in its direction's stream. */
  readonly streamOffset: number;
}

export type JimState = "idle" | "connecting" | "open" | "closed";

const decoder = new TextDecoder();

function itemOf(way: "out" | "in", bytes: Uint8Array, streamOffset: number): JimItem {
  const text = decoder.decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  return { way, bytes, text, value, streamOffset };
}

/** Two messages written in one write(): they travel as one item each, split where the first object ends. */
function splitPair(bytes: Uint8Array): Uint8Array[] {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (b === 0x5c) escaped = true;
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x7b) depth++;
    else if (b === 0x7d && --depth === 0) return i + 1 < bytes.length ? [bytes.subarray(0, i + 1), bytes.subarray(i + 1)] : [bytes];
  }
  return [bytes];
}

export function useJim() {
  const call = useLabCall();
  const { run } = call;
  // The stream has its own call: it runs as long as the connection, and its failure is its own.
  const stream = useLabCall();
  const runStream = stream.run;
  const [state, setState] = useState<JimState>("idle");
  const [conversationId, setConversationId] = useState<string>();
  const [port, setPort] = useState<number>();
  const [items, setItems] = useState<readonly JimItem[]>([]);
  const [closeError, setCloseError] = useState<string>();
  const [online, setOnline] = useState<readonly string[]>([]);
  const abort = useRef<AbortController | undefined>(undefined);
  const offsets = useRef({ out: 0, in: 0 });

  useEffect(() => () => abort.current?.abort(), []);

  /** Items so far, counted as they are added (the state lags behind). */
  const count = useRef(0);
  /**
   * Adds an item; `before` puts it ahead of items that arrived since (a reply can come back on the stream before
   * SendJim's answer says what was written).
   */
  const add = useCallback((way: "out" | "in", bytes: Uint8Array, before?: number) => {
    const at = offsets.current[way];
    offsets.current[way] += bytes.length;
    count.current++;
    const item = itemOf(way, bytes, at);
    setItems((old) => (before === undefined || before >= old.length ? [...old, item] : [...old.slice(0, before), item, ...old.slice(before)]));
  }, []);

  /** Opens a new connection (closing the one before); resolves with its id once the server accepted it. */
  const open = useCallback(async (): Promise<string | undefined> => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    offsets.current = { out: 0, in: 0 };
    count.current = 0;
    setItems([]);
    setCloseError(undefined);
    setState("connecting");
    let resolveOpened: (id: string | undefined) => void = () => undefined;
    const opened = new Promise<string | undefined>((resolve) => (resolveOpened = resolve));
    void runStream(async () => {
      try {
        for await (const update of labClient().openJim({}, { signal: controller.signal })) {
          const u = update.update;
          if (u.case === "opened") {
            setConversationId(u.value.conversationId);
            setPort(u.value.port);
            setState("open");
            resolveOpened(u.value.conversationId);
          } else if (u.case === "received") {
            add("in", u.value);
          } else if (u.case === "online") {
            setOnline(u.value.names);
          } else if (u.case === "closed") {
            setState("closed");
            if (u.value.error) setCloseError(u.value.error);
          }
        }
      } catch (err) {
        if (controller.signal.aborted) return;
        setState("closed");
        throw err;
      } finally {
        resolveOpened(undefined);
      }
    });
    return opened;
  }, [runStream, add]);

  /** Writes one message (two for a pair) on the connection `on` (one open() just gave) or the open one. */
  const send = useCallback(
    async (what: JimWhat, on?: string): Promise<boolean> => {
      const id = on ?? conversationId;
      if (!id) return false;
      const before = count.current;
      const sent = await run(() => labClient().sendJim({ conversationId: id, what }));
      if (!sent) return false;
      let at = before;
      for (const part of what?.case === "pair" ? splitPair(sent.sent) : [sent.sent]) add("out", part, at++);
      if (what?.case === "quit") setState("closed");
      return true;
    },
    [run, conversationId, add],
  );

  const close = useCallback(() => {
    abort.current?.abort();
    setState("closed");
  }, []);

  return { state, conversationId, port, items, open, send, close, pending: call.pending, error: call.error ?? stream.error, closeError, online };
}
