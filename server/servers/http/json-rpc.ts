// JSON-RPC 2.0 (https://www.jsonrpc.org/specification) over the procedures of procedures.ts: positional
// or named params, notifications (no id: no answer), batches (an array: an array of answers, none for a
// batch of notifications), and the spec's errors -32700 parse error, -32600 invalid request, -32601 method
// not found, -32602 invalid params, -32603 internal error, each with a `data` sentence saying what was wrong.

import { parseJson } from "./body";
import { callProcedure, InvalidParams, PROCEDURES, type RpcValue } from "./procedures";

/** Requests one batch may hold (each answer is larger than its request: a bound on what one body costs). */
export const MAX_BATCH = 100;

export const JSON_RPC_ERRORS = {
  parseError: { code: -32700, message: "Parse error" },
  invalidRequest: { code: -32600, message: "Invalid Request" },
  methodNotFound: { code: -32601, message: "Method not found" },
  invalidParams: { code: -32602, message: "Invalid params" },
  internalError: { code: -32603, message: "Internal error" },
} as const;

type JsonRpcId = string | number | null;
type JsonRpcError = (typeof JSON_RPC_ERRORS)[keyof typeof JSON_RPC_ERRORS];

export const errorAnswer = (id: JsonRpcId, error: JsonRpcError, data: string) => ({ jsonrpc: "2.0", error: { ...error, data }, id });

const isId = (v: unknown): v is JsonRpcId => v === null || typeof v === "string" || (typeof v === "number" && Number.isFinite(v));

/** One request object of a call or a batch: its answer, or undefined for a notification. */
function answerOne(request: unknown): object | undefined {
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return errorAnswer(null, JSON_RPC_ERRORS.invalidRequest, "a request is a JSON object");
  }
  const r = request as Record<string, unknown>;
  const notification = !("id" in r);
  const id = isId(r.id) ? r.id : null;
  if (!notification && !isId(r.id)) return errorAnswer(null, JSON_RPC_ERRORS.invalidRequest, "id must be a string, a number or null");
  if (r.jsonrpc !== "2.0") return errorAnswer(id, JSON_RPC_ERRORS.invalidRequest, 'jsonrpc must be exactly "2.0"');
  if (typeof r.method !== "string") return errorAnswer(id, JSON_RPC_ERRORS.invalidRequest, "method must be a string");
  if ("params" in r && (typeof r.params !== "object" || r.params === null)) {
    return errorAnswer(id, JSON_RPC_ERRORS.invalidRequest, "params must be an array or an object");
  }
  const procedure = Object.hasOwn(PROCEDURES, r.method) ? PROCEDURES[r.method] : undefined;
  // A notification gets no answer, not even an error (§4.1).
  if (!procedure) return notification ? undefined : errorAnswer(id, JSON_RPC_ERRORS.methodNotFound, `no method "${r.method}": there are ${Object.keys(PROCEDURES).join(", ")}`);
  try {
    let args: RpcValue[];
    const params = (r.params ?? []) as RpcValue[] | Record<string, RpcValue>;
    if (Array.isArray(params)) {
      args = params;
    } else {
      const unknown = Object.keys(params).filter((k) => !procedure.params.includes(k));
      if (unknown.length > 0) throw new InvalidParams(`unknown parameter ${unknown.map((k) => `"${k}"`).join(", ")}`);
      const missing = procedure.params.filter((k) => !(k in params));
      if (missing.length > 0) throw new InvalidParams(`missing parameter ${missing.map((k) => `"${k}"`).join(", ")}`);
      args = procedure.params.map((k) => params[k]!);
    }
    const result = callProcedure(procedure, args);
    return notification ? undefined : { jsonrpc: "2.0", result, id };
  } catch (err) {
    if (notification) return undefined;
    if (err instanceof InvalidParams) return errorAnswer(id, JSON_RPC_ERRORS.invalidParams, err.message);
    return errorAnswer(id, JSON_RPC_ERRORS.internalError, "the procedure failed");
  }
}

/** The answer to a JSON-RPC body: its JSON text, or undefined when nothing is to be answered. */
export function answerJsonRpc(body: Uint8Array): string | undefined {
  const parsed = parseJson(body);
  if (!parsed.ok) return JSON.stringify(errorAnswer(null, JSON_RPC_ERRORS.parseError, parsed.message));
  const value = parsed.value;
  if (Array.isArray(value)) {
    if (value.length === 0) return JSON.stringify(errorAnswer(null, JSON_RPC_ERRORS.invalidRequest, "a batch holds at least one request"));
    if (value.length > MAX_BATCH) return JSON.stringify(errorAnswer(null, JSON_RPC_ERRORS.invalidRequest, `a batch holds at most ${MAX_BATCH} requests`));
    const answers = value.map(answerOne).filter((a) => a !== undefined);
    return answers.length === 0 ? undefined : JSON.stringify(answers);
  }
  const answer = answerOne(value);
  return answer === undefined ? undefined : JSON.stringify(answer);
}

