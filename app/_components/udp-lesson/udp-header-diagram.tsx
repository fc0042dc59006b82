"use client";
// The UDP header as RFC 768 draws it, 32 bits a row, filled with one real datagram's values: the datagram
// selected on the timeline when it is a UDP one, else the latest one this browser's lab clients sent. Under the
// table, the header's 8 bytes; choosing a field (a button per field) highlights its two bytes and says what it
// means. With wire capture the values and bytes are the captured packet's, with its IP TTL; without it, the
// ports and the length as the socket API knows them, and the checksum marked as not seen.

import { Suspense, useMemo, useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { Keys } from "@/app/_i18n/messages";
import { Direction, EventKind, Origin, Transport, type Conversation } from "@/gen/lab/v1/timeline_pb";
import type { EventView } from "../timeline/event-table";
import { useSelection } from "../timeline/use-selection";
import { Rich } from "../lesson-kit/prose";
import { useLessonTimeline } from "../lesson-kit/use-lesson-timeline";
import { fieldBytes, headerFromPacket, headerFromSocket, UDP_FIELDS, type UdpFieldId, type UdpHeaderView } from "./header";
import { packetOf } from "./model";

const FIELD_TEXT: Record<UdpFieldId, { name: Keys<"udpLesson">; blurb: Keys<"udpLesson"> }> = {
  srcPort: { name: "hdrSrcPort", blurb: "hdrSrcPortBlurb" },
  dstPort: { name: "hdrDstPort", blurb: "hdrDstPortBlurb" },
  length: { name: "hdrLength", blurb: "hdrLengthBlurb" },
  checksum: { name: "hdrChecksum", blurb: "hdrChecksumBlurb" },
};

// How far back the diagram looks for the latest datagram: a screenful of rows many times over.
const LOOK_BACK = 5_000;
const BITS = Array.from({ length: 32 }, (_, i) => i);

function isUdp(conversation: Conversation | undefined): boolean {
  return conversation?.transport === Transport.UDP;
}

/**
 * The event to show: the selected one when it is a UDP datagram or the captured packet of one, else the latest
 * datagram a lab client sent.
 */
function chooseDatagram(events: EventView, conversations: ReadonlyMap<string, Conversation>, selected: bigint | null) {
  if (selected !== null) {
    const index = events.indexOfSeq(selected);
    const kind = index >= 0 ? events.kindAt(index) : undefined;
    if ((kind === EventKind.DATA || kind === EventKind.SEGMENT) && isUdp(conversations.get(events.conversationAt(index)))) {
      return { index, source: "selected" as const };
    }
  }
  for (let i = events.length - 1; i >= 0 && i >= events.length - LOOK_BACK; i--) {
    if (events.kindAt(i) !== EventKind.DATA || events.directionAt(i) !== Direction.CLIENT_TO_SERVER) continue;
    const conversation = conversations.get(events.conversationAt(i));
    if (isUdp(conversation) && conversation?.origin === Origin.LAB_CLIENT) return { index: i, source: "latest" as const };
  }
  return undefined;
}

function endpointText(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function hex2(n: number | undefined): string {
  return n === undefined ? "··" : n.toString(16).padStart(2, "0");
}

function fieldValue(view: UdpHeaderView | undefined, id: UdpFieldId, t: ReturnType<typeof useT<"udpLesson">>): string {
  if (!view) return "—";
  switch (id) {
    case "srcPort":
      return String(view.srcPort);
    case "dstPort":
      return String(view.dstPort);
    case "length":
      return t("hdrLengthValue", { n: String(view.length), payload: String(view.payloadLength) });
    case "checksum":
      return view.checksum === undefined ? t("hdrChecksumUnknown") : `0x${view.checksum.toString(16).padStart(4, "0")}`;
  }
}

function HeaderView({ view, caption }: { view: UdpHeaderView | undefined; caption: string }) {
  const t = useT("udpLesson");
  const [chosen, setChosen] = useState<UdpFieldId>("srcPort");
  const [from, to] = fieldBytes(chosen);
  const rows: UdpFieldId[][] = [
    ["srcPort", "dstPort"],
    ["length", "checksum"],
  ];
  return (
    <div className="space-y-3">
      <p aria-hidden="true" className="text-sm font-medium">
        {caption}
      </p>
      <div
        role="region"
        aria-label={t("hdrRegion")}
        tabIndex={0}
        className="relative overflow-x-auto rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300"
      >
        <table className="w-full min-w-[22rem] table-fixed border-collapse text-sm">
          <caption className="sr-only">{caption}</caption>
          <colgroup>
            <col className="w-12" />
            {BITS.map((bit) => (
              <col key={bit} />
            ))}
          </colgroup>
          <thead>
            <tr>
              <th scope="col" className="p-1 text-left align-bottom text-[0.625rem] font-medium text-slate-700 dark:text-slate-300">
                {t("hdrBytesCol")}
              </th>
              <th scope="colgroup" colSpan={32} className="p-0 font-normal">
                <span className="sr-only">{t("hdrBits")}</span>
                <span aria-hidden="true" className="grid grid-cols-32 font-mono text-[0.5625rem] leading-tight text-slate-600 dark:text-slate-400">
                  {BITS.map((bit) => (
                    <span key={`tens-${bit}`} className="text-center">
                      {bit % 10 === 0 ? bit / 10 : ""}
                    </span>
                  ))}
                  {BITS.map((bit) => (
                    <span key={`units-${bit}`} className="pb-0.5 text-center">
                      {bit % 10}
                    </span>
                  ))}
                </span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                <th scope="row" className="p-1 text-left align-top font-mono text-[0.6875rem] font-normal whitespace-nowrap text-slate-700 dark:text-slate-300">
                  {`${r * 4}–${r * 4 + 3}`}
                </th>
                {row.map((id) => (
                  <td
                    key={id}
                    colSpan={16}
                    className={`border border-slate-400 p-1 text-center align-top dark:border-slate-500 ${
                      chosen === id ? "bg-amber-100 dark:bg-amber-900" : "bg-white dark:bg-slate-900"
                    }`}
                  >
                    <span className="block text-[0.6875rem] font-semibold leading-tight text-slate-700 dark:text-slate-300">
                      {t(FIELD_TEXT[id].name)}
                      <span className="sr-only">: </span>
                    </span>
                    <span className="block font-mono text-xs break-words text-slate-950 dark:text-slate-50">{fieldValue(view, id, t)}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">{t("hdrChoose")}</legend>
        <div className="flex flex-wrap gap-2">
          {UDP_FIELDS.map((id) => (
            <button
              key={id}
              type="button"
              aria-pressed={chosen === id}
              onClick={() => setChosen(id)}
              className={`rounded border px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700 dark:focus-visible:outline-blue-300 ${
                chosen === id
                  ? "border-amber-600 bg-amber-100 font-semibold text-amber-950 dark:border-amber-400 dark:bg-amber-900 dark:text-amber-50"
                  : "border-slate-400 bg-white text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
              }`}
            >
              {t(FIELD_TEXT[id].name)}
            </button>
          ))}
        </div>
      </fieldset>

      <div role="group" aria-label={t("hdrBytesLabel")} className="flex flex-wrap gap-1 font-mono text-sm" data-testid="udp-header-bytes">
        {Array.from({ length: 8 }, (_, i) => {
          const lit = i >= from && i <= to;
          return (
            <span
              key={i}
              data-highlighted={lit ? "true" : "false"}
              className={`flex w-9 flex-col items-center rounded border px-1 py-0.5 ${
                lit
                  ? "border-amber-600 bg-amber-100 text-amber-950 dark:border-amber-400 dark:bg-amber-900 dark:text-amber-50"
                  : "border-slate-300 bg-white text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
              }`}
            >
              <span className="text-[0.625rem] text-slate-700 dark:text-slate-300">{i}</span>
              {view ? hex2(view.bytes[i]) : "··"}
            </span>
          );
        })}
      </div>
      <p className="text-sm leading-relaxed text-slate-800 dark:text-slate-200" aria-live="polite">
        <span className="font-semibold">{t(FIELD_TEXT[chosen].name)}</span>
        {`, ${t("hdrBytesRange", { from, to })}: `}
        <Rich text={t(FIELD_TEXT[chosen].blurb)} />
      </p>
    </div>
  );
}

function Diagram() {
  const t = useT("udpLesson");
  const selection = useSelection();
  const { events, conversations } = useLessonTimeline();
  const choice = useMemo(() => chooseDatagram(events, conversations, selection.seq), [events, conversations, selection.seq]);
  const event = choice ? events.at(choice.index) : undefined;
  const conversation = event ? conversations.get(event.conversationId) : undefined;
  const flowEvents = event ? events.ofConversation(event.conversationId) : undefined;

  const view = useMemo(() => {
    if (!event || !conversation || !flowEvents) return undefined;
    if (event.kind === EventKind.SEGMENT) return headerFromPacket(event.linkType, event.data);
    const packet = packetOf(flowEvents, event);
    return (packet && headerFromPacket(packet.linkType, packet.data)) ?? headerFromSocket(conversation, event);
  }, [event, conversation, flowEvents]);

  const caption = view
    ? t("hdrCaptionOf", { from: endpointText(view.srcIp, view.srcPort), to: endpointText(view.dstIp, view.dstPort) })
    : t("hdrCaption");

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-800 dark:text-slate-200">
        {!view || !choice ? t("hdrEmpty") : t(choice.source === "selected" ? "hdrShowingSelected" : "hdrShowingLatest", { n: view.payloadLength })}
      </p>
      <HeaderView view={view} caption={caption} />
      {view && (
        <p className="text-sm text-slate-800 dark:text-slate-200">
          {view.source === "packet"
            ? view.ttl !== undefined
              ? t("hdrFromPacketTtl", { ttl: view.ttl, dst: view.dstIp })
              : t("hdrFromPacket")
            : t("hdrFromSocket")}
        </p>
      )}
    </div>
  );
}

/** The diagram reads the selection from the URL, which needs a Suspense boundary while it is not known. */
export function UdpHeaderDiagram() {
  const t = useT("udpLesson");
  return (
    <Suspense fallback={<HeaderView view={undefined} caption={t("hdrCaption")} />}>
      <Diagram />
    </Suspense>
  );
}
