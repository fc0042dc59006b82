// Seed 004's RPC lesson: the four procedures that JSON-RPC 2.0 (json-rpc.ts) and XML-RPC (xml-rpc.ts)
// offer on 8080 (rpc.ts), so one call can be compared in both envelopes:
//   add(a, b)     the sum of two numbers
//   upper(s)      the string in upper case
//   reverse(s)    the string backwards (by code point)
//   swap(d)       a dict with its keys and values exchanged

/** A value either envelope can carry. XML-RPC adds binary (base64) and dateTime.iso8601. */
export type RpcValue = null | boolean | number | string | Uint8Array | XmlRpcDateTime | readonly RpcValue[] | { readonly [key: string]: RpcValue };

/** An XML-RPC dateTime.iso8601, kept as its text (it names no time zone). */
export class XmlRpcDateTime {
  constructor(readonly text: string) {}
}

/** Wrong arguments for a procedure: -32602 in either envelope. */
export class InvalidParams extends Error {
  override name = "InvalidParams";
}

export interface Procedure {
  /** Parameter names, for named (JSON-RPC) params and the help text. */
  readonly params: readonly string[];
  /** XML-RPC's system.methodSignature: the result type, then each parameter's. */
  readonly signature: readonly string[];
  readonly help: string;
  call(args: readonly RpcValue[]): RpcValue;
}

const isDict = (v: RpcValue): v is { readonly [key: string]: RpcValue } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof XmlRpcDateTime);

function number(v: RpcValue, name: string): number {
  if (typeof v !== "number") throw new InvalidParams(`${name} must be a number`);
  return v;
}

function text(v: RpcValue, name: string): string {
  if (typeof v !== "string") throw new InvalidParams(`${name} must be a string`);
  return v;
}

export const PROCEDURES: Readonly<Record<string, Procedure>> = {
  add: {
    params: ["a", "b"],
    signature: ["double", "double", "double"],
    help: "add(a, b): the sum of two numbers.",
    call: ([a, b]) => number(a!, "a") + number(b!, "b"),
  },
  upper: {
    params: ["s"],
    signature: ["string", "string"],
    help: "upper(s): the string in upper case.",
    call: ([s]) => text(s!, "s").toUpperCase(),
  },
  reverse: {
    params: ["s"],
    signature: ["string", "string"],
    help: "reverse(s): the string backwards, character by character.",
    call: ([s]) => [...text(s!, "s")].reverse().join(""),
  },
  swap: {
    params: ["d"],
    signature: ["struct", "struct"],
    help: "swap(d): a dict whose keys are d's values and whose values are d's keys (values must be strings or numbers).",
    call: ([d]) => {
      if (!isDict(d!)) throw new InvalidParams("d must be a dict (a JSON object, an XML-RPC struct)");
      const swapped: Record<string, RpcValue> = {};
      for (const [key, value] of Object.entries(d)) {
        if (typeof value !== "string" && typeof value !== "number") throw new InvalidParams(`the value of "${key}" must be a string or a number to become a key`);
        swapped[String(value)] = key;
      }
      return swapped;
    },
  },
};

/** Calls a procedure with positional arguments, checking their count. */
export function callProcedure(procedure: Procedure, args: readonly RpcValue[]): RpcValue {
  if (args.length !== procedure.params.length) {
    throw new InvalidParams(`expected ${procedure.params.length} argument${procedure.params.length === 1 ? "" : "s"} (${procedure.params.join(", ")}), got ${args.length}`);
  }
  return procedure.call(args);
}

