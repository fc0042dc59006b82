// Which request a response answers, on one HTTP/1.x connection read in stream order (RFC 9112 §9.3.2: responses
// come in the order of the requests, pipelining included). A 1xx other than 101 is interim and the final response
// still follows (RFC 9110 §15.2); a final response that came before its request was whole (a 413 before the body)
// answers the next request, as http1.ts counts them (`learn`); interim responses before any whole request (100
// Continue comes before the body) belong to the next one. Used by the ladder (app/_components/timeline/http-pairs.ts)
// and the HAR export (server/lab/export-har.ts), so both pair alike.
// ISOMORPHIC: no Node imports.

export type ExchangeState = "answered" | "waiting" | "unanswered";

export interface Http1Exchange<M> {
  request: M | undefined;
  /** 1xx responses before the final one (100 Continue). */
  readonly interim: M[];
  response: M | undefined;
  state: ExchangeState;
}

export interface Http1Pairer<M, X> {
  /** A whole request: its exchange, new or one an early answer began. `created` when the exchange is new. */
  request(message: M): { exchange: Http1Exchange<M> & X; created: boolean };
  /** A response with its status code: the exchange it belongs to. */
  response(message: M, status: number): { exchange: Http1Exchange<M> & X; created: boolean };
  /** The connection ended: the requests still waiting were never answered (returned). */
  close(): (Http1Exchange<M> & X)[];
}

const isInterim = (status: number) => status >= 100 && status < 200 && status !== 101;

/** `extra`: what every exchange of this connection also carries (its conversation's id). */
export function createHttp1Pairer<M, X extends object>(extra: X): Http1Pairer<M, X> {
  type E = Http1Exchange<M> & X;
  const waiting: E[] = [];
  const early: E[] = [];
  let interimOnly: E | undefined;
  const fresh = (): E => ({ ...extra, request: undefined, interim: [], response: undefined, state: "waiting" });
  return {
    request(message) {
      const answered = early.shift();
      if (answered) {
        answered.request = message;
        return { exchange: answered, created: false };
      }
      const created = interimOnly === undefined;
      const exchange = interimOnly ?? fresh();
      interimOnly = undefined;
      exchange.request = message;
      waiting.push(exchange);
      return { exchange, created };
    },
    response(message, status) {
      let exchange = waiting[0] ?? interimOnly;
      const created = exchange === undefined;
      exchange ??= fresh();
      const interim = isInterim(status);
      if (interim) exchange.interim.push(message);
      else {
        exchange.response = message;
        exchange.state = "answered";
      }
      if (waiting[0] === exchange) {
        if (!interim) waiting.shift();
      } else if (interim) interimOnly = exchange;
      else {
        interimOnly = undefined;
        early.push(exchange);
      }
      return { exchange, created };
    },
    close() {
      const left = waiting.splice(0);
      for (const exchange of left) exchange.state = "unanswered";
      return left;
    },
  };
}
