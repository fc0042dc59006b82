// HTTP/1.x requests paired with their responses on the ladder, from the parts the host sends with each event
// (EventBrief.http), by the rules of server/dissect/http1/pairing.ts (n-th final response to n-th request, 1xx
// interim, early answers). A request whose connection closed without its answer was never answered.
// No React, no DOM: http-pairs.test.ts checks it with real event sequences.

import { Direction, EventKind, HttpPart, type HttpSummary } from "@/gen/lab/v1/timeline_pb";
import { createHttp1Pairer, type Http1Exchange } from "@/server/dissect/http1/pairing";
import type { EventView } from "./event-table";

/** One message of an exchange: the event that completed it and its place among that event's HTTP parts. */
export interface HttpMessageRef {
  readonly seq: bigint;
  readonly part: number;
  readonly summary: HttpSummary;
  /** When its event was recorded (EventView.nsAt). */
  readonly ns: number;
  /** Its bytes, head and body, with any continuation frames. */
  length: number;
}

export interface HttpResponseRef extends HttpMessageRef {
  /** When its first bytes arrived: the first read from the server after the message before it. */
  readonly firstByteNs: number;
}

export type HttpExchange = Http1Exchange<HttpResponseRef> & { readonly conversationId: string };

export interface HttpPairs {
  /** Every exchange, in the order of their first message. */
  readonly exchanges: readonly HttpExchange[];
  /** For each event that holds HTTP messages: the exchange of each of its parts, by part index (undefined for a body's continuation). */
  readonly byEvent: ReadonlyMap<bigint, readonly (HttpExchange | undefined)[]>;
}

export const NO_PAIRS: HttpPairs = { exchanges: [], byEvent: new Map() };

/** Time to first byte: from the request's last byte to the response's first, never below 0 (an early answer). */
export function timeToFirstByteNs(exchange: HttpExchange): number | undefined {
  if (!exchange.request || !exchange.response) return undefined;
  return Math.max(0, exchange.response.firstByteNs - exchange.request.ns);
}

/** The status class of a code: 1 to 5, 0 for none. */
export function statusClass(status: number): 0 | 1 | 2 | 3 | 4 | 5 {
  const c = Math.floor(status / 100);
  return c >= 1 && c <= 5 ? (c as 1 | 2 | 3 | 4 | 5) : 0;
}

/** Pairs the requests and responses of every conversation in the view. */
export function pairHttp(events: EventView): HttpPairs {
  const conversations = new Set<string>();
  events.eachHttp((index) => conversations.add(events.conversationAt(index)));
  if (conversations.size === 0) return NO_PAIRS;
  const exchanges: HttpExchange[] = [];
  const byEvent = new Map<bigint, (HttpExchange | undefined)[]>();
  for (const conversationId of conversations) {
    const pairer = createHttp1Pairer<HttpResponseRef, { readonly conversationId: string }>({ conversationId });
    /** The first read from the server since its last whole message, when one came. */
    let firstByteNs: number | undefined;
    let lastRequest: HttpMessageRef | undefined;
    let lastResponse: HttpMessageRef | undefined;
    events.eachOf(conversationId, (index) => {
      const kind = events.kindAt(index);
      if (kind === EventKind.CLOSE || kind === EventKind.ERROR) {
        pairer.close();
        return;
      }
      if (kind !== EventKind.DATA) return;
      const ns = events.nsAt(index);
      const parts = events.httpAt(index);
      const fromServer = events.directionAt(index) === Direction.SERVER_TO_CLIENT;
      if (fromServer) firstByteNs ??= ns;
      if (parts.length === 0) return;
      const seq = events.seqAt(index);
      const placed: (HttpExchange | undefined)[] = [];
      parts.forEach((summary, part) => {
        if (summary.part === HttpPart.BODY) {
          const last = fromServer ? lastResponse : lastRequest;
          if (last) last.length += summary.length;
          placed.push(undefined);
          return;
        }
        const ref: HttpResponseRef = { seq, part, summary, ns, length: summary.length, firstByteNs: fromServer ? (firstByteNs ?? ns) : ns };
        const { exchange, created } =
          summary.part === HttpPart.REQUEST ? pairer.request(ref) : pairer.response(ref, summary.status);
        if (summary.part === HttpPart.REQUEST) lastRequest = ref;
        else {
          lastResponse = ref;
          // The next response's first bytes come after this one's.
          firstByteNs = undefined;
        }
        if (created) exchanges.push(exchange);
        placed.push(exchange);
      });
      byEvent.set(seq, placed);
    });
  }
  return { exchanges, byEvent };
}

/** The exchange of an event's first HTTP message (a request or a response), and that message's part index. */
export function firstExchange(pairs: HttpPairs, seq: bigint, http: readonly HttpSummary[]): { exchange: HttpExchange; part: number } | undefined {
  const placed = pairs.byEvent.get(seq);
  if (!placed) return undefined;
  for (let part = 0; part < http.length; part++) {
    const exchange = placed[part];
    if (exchange) return { exchange, part };
  }
  return undefined;
}

/** The event on the other side of an exchange from `seq`: the response of a request, the request of a response. */
export function pairedSeq(exchange: HttpExchange, seq: bigint): bigint | undefined {
  if (exchange.request?.seq === seq) return exchange.response?.seq ?? exchange.interim[0]?.seq;
  return exchange.request?.seq;
}
