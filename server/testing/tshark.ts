// Test helper: tshark, the peer the lab's dissection is checked against (Debian package `tshark`).

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";

/** The tshark binary, when installed. */
export const tshark = ["/usr/bin/tshark", "/usr/local/bin/tshark"].find((p) => existsSync(p));

/**
 * `tshark -r FILE -T fields` with every field of `fields`: one row per packet, each field's occurrences joined
 * by commas, "" when the packet has none.
 */
export async function tsharkFields<const F extends readonly string[]>(file: string, fields: F): Promise<Record<F[number], string>[]> {
  if (!tshark) throw new Error("tshark is not installed");
  const args = ["-r", file, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"];
  for (const f of fields) args.push("-e", f);
  const { stdout } = await promisify(execFile)(tshark, args, { maxBuffer: 64 << 20 });
  return stdout
    .trimEnd()
    .split("\n")
    .map((line) => Object.fromEntries(line.split("|").map((v, i) => [fields[i], v])) as Record<F[number], string>);
}
