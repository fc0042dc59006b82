// Python's json.dumps(value) with its defaults, byte for byte, because seed 000's users API answers with
// it: ", " and ": " between items, every character outside printable ASCII escaped as \uXXXX
// (ensure_ascii=True), and floats as repr() prints them (30.0, 1e-07). JSON.stringify differs on all three.

/** A number Python holds as a float (time.time()), printed with its ".0" when it has no fraction. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyJson = null | boolean | number | string | PyFloat | readonly PyJson[] | { readonly [key: string]: PyJson };

// json.encoder's ESCAPE_ASCII: backslash, quote, and anything that is not a printable ASCII character.
// eslint-disable-next-line no-control-regex
const ESCAPE = /[\\"\x00-\x1f\x7f-\uffff]/g;
const SHORT: Readonly<Record<string, string>> = { "\\": "\\\\", '"': '\\"', "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

export function pythonString(text: string): string {
  // UTF-16 code units are what Python writes for ensure_ascii (a surrogate pair as two escapes).
  return `"${text.replace(ESCAPE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/** float.__repr__: the shortest round-trip digits, as JavaScript's, with Python's spelling. */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  const text = String(value);
  // Python switches to exponent notation from 1e16 (JavaScript from 1e21) and pads the exponent to two digits.
  const abs = Math.abs(value);
  if (abs >= 1e16 || (abs !== 0 && abs < 1e-4)) {
    const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
    const sign = exponent.startsWith("-") ? "-" : "+";
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  return Number.isInteger(value) ? `${text}.0` : text;
}

export function pythonJsonDumps(value: PyJson): string {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pythonFloat(value);
  if (typeof value === "string") return pythonString(value);
  if (value instanceof PyFloat) return pythonFloat(value.value);
  if (Array.isArray(value)) return `[${(value as readonly PyJson[]).map(pythonJsonDumps).join(", ")}]`;
  const entries = Object.entries(value as { readonly [key: string]: PyJson });
  return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`).join(", ")}}`;
}
