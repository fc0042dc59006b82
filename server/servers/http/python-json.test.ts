// python-json.ts against CPython itself: the same values through /usr/bin/python3's json.dumps.

import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pythonJsonDumps, PyFloat, type PyJson } from "./python-json";

/** json.dumps of each value, floats marked as Python floats. */
function cpython(values: readonly unknown[]): string[] {
  const script = String.raw`
import json, sys
def revive(v):
    if isinstance(v, dict):
        if set(v) == {"__float__"}:
            return float(v["__float__"])
        return {k: revive(x) for k, x in v.items()}
    if isinstance(v, list):
        return [revive(x) for x in v]
    return v
for line in sys.stdin:
    print(json.dumps(revive(json.loads(line))))
`;
  const input = values.map((v) => JSON.stringify(v, (_k, x: unknown) => (x instanceof PyFloat ? { __float__: String(x.value) } : x))).join("\n");
  return execFileSync("/usr/bin/python3", ["-c", script], { input: `${input}\n` }).toString("utf8").trimEnd().split("\n");
}

describe("pythonJsonDumps", () => {
  it("writes the seed's shapes as json.dumps does", () => {
    const values: PyJson[] = [
      { success: true, data: [{ id: 1, name: "Alice", email: "alice@example.com", age: 30 }], count: 1 },
      { status: "healthy", timestamp: new PyFloat(1733390000), users_count: 3 },
      { status: "healthy", timestamp: new PyFloat(1733390000.123456), users_count: 3 },
      { success: false, error: "User 999 not found" },
      [],
      {},
      [null, true, false, -0, 1e-7, 12.5, "tab\there", "quote\" backslash\\ slash/", "\u007f\u0080é€😀\u2028"],
      [new PyFloat(1e16), new PyFloat(123456789012345680000), new PyFloat(0.0001), new PyFloat(0.00001), new PyFloat(-2.5e-300)],
    ];
    expect(values.map(pythonJsonDumps)).toEqual(cpython(values));
  });

  it("agrees with CPython on 300 random strings and floats", () => {
    const strings = fc.sample(fc.string({ unit: "binary", maxLength: 20 }), 150);
    const floats = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), 150).map((f) => new PyFloat(f));
    const values: PyJson[] = [...strings, ...floats];
    expect(values.map(pythonJsonDumps)).toEqual(cpython(values));
  });
});
