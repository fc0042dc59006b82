// Test helper: tshark, the peer the lab's dissection is checked against (Debian package `tshark`).

import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import type { CapturedEvent, ConversationInfo, Direction, EventKind } from "../capture/events";
import { createPcapngWriter, LINKTYPE_RAW } from "../capture/pcapng";
import { synthesizeTcp } from "../capture/synthesize";

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

/**
 * Writes a recorded conversation (testdata's turns) to `file` as the pcapng the lab exports: TCP and IP
 * synthesised around each turn's bytes, between the endpoints of `info`, opened and closed.
 */
export function writeConversationPcapng(file: string, info: ConversationInfo, turns: readonly (readonly [Direction, Uint8Array])[]): void {
  const event = (seq: number, kind: EventKind, direction: Direction, data: Uint8Array = new Uint8Array(0)): CapturedEvent => ({
    seq,
    conversation: info,
    kind,
    direction,
    monoMs: seq,
    wallMs: 1_700_000_000_000 + seq,
    data,
    pdus: undefined,
    errorCode: "",
    errorMessage: "",
    streamOffset: -1,
    segment: undefined,
  });
  const events: CapturedEvent[] = [event(0, "open", "c2s")];
  turns.forEach(([direction, bytes], i) => events.push(event(i + 1, "data", direction, bytes)));
  events.push(event(events.length, "close", "c2s"));
  const writer = createPcapngWriter();
  writer.sectionHeader({});
  const id = writer.interfaceDescription({ linkType: LINKTYPE_RAW, snapLen: 262144 });
  for (const p of synthesizeTcp(info, events)) writer.enhancedPacket({ interfaceId: id, timestampNs: p.timestampNs, data: p.data });
  writeFileSync(file, writer.toBytes());
}
