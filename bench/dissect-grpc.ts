// HTTP/2 + HPACK + gRPC + protobuf dissection throughput against tshark on one capture.
//
//   npx tsx bench/dissect-grpc.ts                    500 connections, 3 runs per reader (the median is reported)
//   npx tsx bench/dissect-grpc.ts --connections 2000 --runs 5
//
// The capture: the recorded grpcio session (server/dissect/testdata/http2/python-grpcio-user-service.hex: Debian's
// python3-grpcio against the lab's 50051, five calls of the four shapes) written as N connections from distinct
// client ports into one pcapng, with the TCP and IP headers the lab's export synthesises (bench/out/, git-ignored).
//
// Readers, same file, same machine, same run:
//   lab, trees     every connection's bytes through a stream session (createStreamSession, tree: true): every
//                  frame, HPACK block (tables per direction), gRPC message and protobuf message with the lab's
//                  descriptors, full trees. The peer doing the same is tshark -r -V (full trees printed).
//   lab, no trees  the same with tree: false, as the live capture runs it. The peer is tshark -r (summaries).
//   tshark         -d tcp.port==50051,http2 and the lab's proto/ on its protobuf search path.
// The lab's figures do not include reading the pcapng (its bytes are handed over as the tap gives them); tshark's
// include its start-up, measured on a one-connection file and printed beside.
// Like every benchmark here it prints evidence and never fails on a missed goal.

import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { promisify } from "node:util";
import type { CapturedEvent, ConversationInfo, Direction } from "@/server/capture/events";
import { createPcapngWriter, LINKTYPE_RAW } from "@/server/capture/pcapng";
import { synthesizeTcp } from "@/server/capture/synthesize";
import { createStreamSession } from "@/server/dissect/core/stream";
import { dissectorFor } from "@/server/dissect/protocols";
import { parseConversation, type Turn } from "@/server/dissect/testdata/http1/conversations";
import { tshark } from "@/server/testing/tshark";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, "out");
const protos = path.join(here, "..", "proto");
const { values } = parseArgs({ options: { connections: { type: "string", default: "500" }, runs: { type: "string", default: "3" } } });
const connections = Math.max(1, Number(values.connections));
const runs = Math.max(1, Number(values.runs));

const { turns } = parseConversation(fs.readFileSync(path.join(here, "../server/dissect/testdata/http2/python-grpcio-user-service.hex"), "utf8"));
const perConnection = turns.reduce((n, [, b]) => n + b.length, 0);

function writeCapture(file: string, n: number): void {
  const writer = createPcapngWriter();
  writer.sectionHeader({});
  const id = writer.interfaceDescription({ linkType: LINKTYPE_RAW, snapLen: 262144 });
  for (let c = 0; c < n; c++) {
    const info = {
      id: `bench-${c}`,
      transport: "tcp",
      client: { ip: "127.0.0.1", port: 20000 + c },
      server: { ip: "127.0.0.1", port: 50051 },
      service: "grpc",
      protocol: "http2",
      origin: "external",
      owner: undefined,
    } as ConversationInfo;
    const event = (seq: number, kind: CapturedEvent["kind"], direction: Direction, data = new Uint8Array(0)): CapturedEvent =>
      ({ seq, conversation: info, kind, direction, monoMs: seq, wallMs: 1_700_000_000_000 + c * 1000 + seq, data, pdus: undefined, errorCode: "", errorMessage: "", streamOffset: -1, segment: undefined }) as CapturedEvent;
    const events: CapturedEvent[] = [event(0, "open", "c2s")];
    turns.forEach(([d, b], i) => events.push(event(i + 1, "data", d, new Uint8Array(b))));
    events.push(event(events.length, "close", "c2s"));
    for (const p of synthesizeTcp(info, events)) writer.enhancedPacket({ interfaceId: id, timestampNs: p.timestampNs, data: p.data });
  }
  fs.writeFileSync(file, writer.toBytes());
}

function lab(tree: boolean): { ms: number; frames: number } {
  const started = performance.now();
  let frames = 0;
  for (let c = 0; c < connections; c++) {
    const session = createStreamSession("http2", { dissectorFor, tree });
    for (const [d, b] of turns as readonly Turn[]) for (const pdu of session.push(d, b)) frames += pdu.frames.length;
    session.end("c2s");
    session.end("s2c");
  }
  return { ms: performance.now() - started, frames };
}

async function peer(file: string, verbose: boolean): Promise<number> {
  const args = ["-r", file, "-d", "tcp.port==50051,http2", "-o", `uat:protobuf_search_paths:"${protos}","TRUE"`];
  if (verbose) args.push("-V");
  const started = performance.now();
  await promisify(execFile)(tshark!, args, { maxBuffer: 1 << 30 });
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

fs.mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, `grpc-${connections}.pcapng`);
const small = path.join(outDir, "grpc-1.pcapng");
writeCapture(file, connections);
writeCapture(small, 1);
const bytes = perConnection * connections;
console.log(`capture: ${connections} connections x ${perConnection} bytes of HTTP/2 = ${(bytes / 1e6).toFixed(2)} MB (${(fs.statSync(file).size / 1e6).toFixed(2)} MB pcapng)`);
lab(true); // warm-up
const results: Record<string, number[]> = { "lab, trees": [], "lab, no trees": [], "tshark -r -V": [], "tshark -r": [] };
let frames = 0;
for (let r = 0; r < runs; r++) {
  const t = lab(true);
  frames = t.frames;
  results["lab, trees"]!.push(t.ms);
  results["lab, no trees"]!.push(lab(false).ms);
  if (tshark) {
    results["tshark -r -V"]!.push(await peer(file, true));
    results["tshark -r"]!.push(await peer(file, false));
  }
}
const startup = tshark ? median([await peer(small, true), await peer(small, true), await peer(small, true)]) : 0;
console.log(`frames per run: ${frames} (HTTP/2 frames, each with its HPACK, gRPC and protobuf trees)`);
console.log(`reader          median ms   MB/s (HTTP/2 bytes)   frames/s`);
for (const [name, ms] of Object.entries(results)) {
  if (!ms.length) continue;
  const m = median(ms);
  console.log(`${name.padEnd(15)} ${m.toFixed(0).padStart(9)}   ${(bytes / 1e6 / (m / 1000)).toFixed(2).padStart(19)}   ${Math.round(frames / (m / 1000)).toString().padStart(8)}`);
}
if (tshark) console.log(`tshark start-up (one-connection file, -V): ${startup.toFixed(0)} ms, included in its figures above`);
