// RPC on 8080 (seed 004's lesson): JSON-RPC 2.0 at POST /api/rpc/json (json-rpc.ts) and XML-RPC at POST
// /api/rpc/xml (xml-rpc.ts), over the same procedures (procedures.ts). HTTP-level errors (405, 413, 415)
// come in the path's own envelope.

import { mediaType, readBody } from "./body";
import { answerJsonRpc, errorAnswer, JSON_RPC_ERRORS } from "./json-rpc";
import { send, type Area, type Exchange, type Headers } from "./routing";
import { handleXmlRpc, xmlRpcProblem } from "./xml-rpc";

const JSON_TYPES = new Set(["application/json", "application/json-rpc", "application/jsonrequest"]);
const JSON_TYPE = { "Content-Type": "application/json" };
const CORS: Headers = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Content-Type" };

async function jsonRpc(x: Exchange) {
  if (!JSON_TYPES.has(mediaType(x.req))) {
    return rpcProblem(x, 415, `Unsupported media type "${x.req.headers["content-type"] ?? ""}": send JSON-RPC as application/json.`);
  }
  const answer = answerJsonRpc(await readBody(x));
  // Only notifications: nothing to answer, and HTTP says so with 204.
  if (answer === undefined) return send(x, 204, "");
  send(x, 200, answer, JSON_TYPE);
}

/** An HTTP-level error on an RPC path, in that path's envelope. */
function rpcProblem(x: Exchange, status: number, message: string, headers?: Headers) {
  if (x.url.pathname.startsWith("/api/rpc/xml")) return xmlRpcProblem(x, status, message, headers);
  send(x, status, JSON.stringify(errorAnswer(null, JSON_RPC_ERRORS.invalidRequest, message)), { ...JSON_TYPE, ...headers });
}

export const rpcArea: Area = {
  prefix: "/api/rpc/",
  cors: CORS,
  routes: [
    { path: /^\/api\/rpc\/json\/?$/, methods: { POST: jsonRpc } },
    { path: /^\/api\/rpc\/xml\/?$/, methods: { POST: handleXmlRpc } },
  ],
  problem: rpcProblem,
};
