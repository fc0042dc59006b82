// The pages of the Watch stream benchmark (bench/watch-stream.ts): Watch streams read as the timeline's store
// reads them (a Connect client, one batch reader per stream, latest = the page's first screen), in a process
// of their own so that their CPU is never counted as the host's.
//
//   node --import tsx bench/watch-client.ts --port N --cookies <id>,<id> --streams N [--latest N] [--per-session 5] [--count-only]
//
// Streams are spread over the sessions, at most --per-session each (a session holds at most 8).
// --count-only: each stream is read as the binary Connect protocol's envelopes and its events counted from the
// wire format, without building messages or events (the soak's 50 pages of a busy class: decoding them all as
// pages do would take this process more CPU than the machine's two cores have to give; the host does the same
// work either way, and a reader that keeps up is what lets the soak tell a slow host from a slow reader).
//   stdout  {"open":N}                                         every stream had its first answer
//   stdin   "count" -> stdout {"events":N,"binary":N,"json":N,"jsonSampled":N,"binarySampled":N,"responses":N}
//           events read so far, and the bytes their responses take on the wire as the binary Connect protocol
//           sends them (the message and its 5-byte envelope); JSON's size is measured on one response in 16
//           (with its binary size beside it, for the ratio): writing every response as JSON would cost this
//           process more CPU than the host spends, on a machine with two cores
//   stdin   EOF -> exit

import http from "node:http";
import readline from "node:readline";
import { toBinary, toJsonString } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { parseArgs } from "node:util";
import { createBatchReader } from "@/app/_components/timeline/batch";
import { LabService, WatchResponseSchema } from "@/gen/lab/v1/lab_pb";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    cookies: { type: "string" },
    streams: { type: "string", default: "1" },
    latest: { type: "string", default: "2000" },
    "per-session": { type: "string", default: "5" },
    "count-only": { type: "boolean", default: false },
  },
  strict: true,
});
const cookies = (values.cookies ?? "").split(",").filter((c) => c !== "");
const streams = Number(values.streams);
const perSession = Number(values["per-session"]);
if (!values.port || cookies.length * perSession < streams) {
  process.stderr.write("watch-client: --port, and enough --cookies for --streams at --per-session each\n");
  process.exit(2);
}

const totals = { events: 0, binary: 0, json: 0, jsonSampled: 0, binarySampled: 0, responses: 0 };
const abort = new AbortController();
let open = 0;

function clientFor(cookie: string) {
  return createClient(
    LabService,
    createConnectTransport({
      baseUrl: `http://127.0.0.1:${values.port}`,
      httpVersion: "1.1",
      useBinaryFormat: true,
      // The page's transport (connect-web) asks for no compression: neither does this one.
      acceptCompression: [],
      interceptors: [
        (next) => (req) => {
          req.header.set("cookie", `lab_session=${cookie}`);
          return next(req);
        },
      ],
    }),
  );
}

async function watch(cookie: string) {
  const reader = createBatchReader();
  let first = true;
  try {
    for await (const response of clientFor(cookie).watch({ afterSeq: 0n, runId: "", latest: Number(values.latest) }, { signal: abort.signal })) {
      if (response.batch) totals.events += reader.read(response.batch).events.length;
      const binary = 5 + toBinary(WatchResponseSchema, response).length;
      totals.binary += binary;
      if (totals.responses % 16 === 0) {
        totals.jsonSampled += 5 + toJsonString(WatchResponseSchema, response).length;
        totals.binarySampled += binary;
      }
      totals.responses++;
      if (first) {
        first = false;
        if (++open === streams) process.stdout.write(`${JSON.stringify({ open })}\n`);
      }
    }
  } catch (err) {
    if (!abort.signal.aborted) process.stderr.write(`watch-client: ${String(err)}\n`);
  }
}

/** A varint at `at`: its value (exact below 2^53) and the offset after it; undefined when cut. */
function varint(bytes: Uint8Array, at: number): [number, number] | undefined {
  let value = 0;
  for (let shift = 1; at < bytes.length; shift *= 128) {
    const b = bytes[at++]!;
    value += (b & 0x7f) * shift;
    if (b < 0x80) return [value, at];
  }
  return undefined;
}

/** Each length-delimited field `field` in a message's bytes, as [start, end]. */
function* lengthDelimited(bytes: Uint8Array, field: number): Generator<[number, number]> {
  let at = 0;
  while (at < bytes.length) {
    const tag = varint(bytes, at);
    if (!tag) return;
    at = tag[1];
    const wire = tag[0] & 7;
    if (wire === 0) {
      const v = varint(bytes, at);
      if (!v) return;
      at = v[1];
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const n = varint(bytes, at);
      if (!n) return;
      const start = n[1];
      at = start + n[0];
      if (Math.floor(tag[0] / 8) === field) yield [start, at];
    } else return;
  }
}

/** WatchResponse.batch (7) -> EventBatch.events (6): how many events one response carries. */
function eventsIn(message: Uint8Array): number {
  let n = 0;
  for (const [start, end] of lengthDelimited(message, 7)) {
    for (const _ of lengthDelimited(message.subarray(start, end), 6)) n++;
  }
  return n;
}

/** The same stream as watch(), read off the wire: Connect envelopes (1 flag byte, 4 length bytes, the message). */
function watchCounting(cookie: string) {
  // WatchRequest{latest} in the wire format: field 3, varint.
  const request = Buffer.concat([Buffer.from([0x18]), Buffer.from(encodeVarint(Number(values.latest)))]);
  const envelope = Buffer.alloc(5);
  envelope.writeUInt32BE(request.length, 1);
  const req = http.request(
    {
      host: "127.0.0.1",
      port: Number(values.port),
      method: "POST",
      path: "/lab.v1.LabService/Watch",
      headers: { "content-type": "application/connect+proto", "connect-protocol-version": "1", cookie: `lab_session=${cookie}` },
      signal: abort.signal,
    },
    (res) => {
      let pending: Buffer = Buffer.alloc(0);
      let first = true;
      res.on("data", (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        while (pending.length >= 5) {
          const length = pending.readUInt32BE(1);
          if (pending.length < 5 + length) break;
          const flags = pending[0]!;
          const message = pending.subarray(5, 5 + length);
          pending = pending.subarray(5 + length);
          totals.binary += 5 + length;
          if ((flags & 0x02) !== 0) {
            // The end-of-stream message: JSON, with the error if there was one.
            const text = message.toString("utf8");
            if (!abort.signal.aborted && text.includes('"error"')) process.stderr.write(`watch-client: ${text}\n`);
            continue;
          }
          totals.events += eventsIn(message);
          totals.responses++;
          if (first) {
            first = false;
            if (++open === streams) process.stdout.write(`${JSON.stringify({ open })}\n`);
          }
        }
      });
      res.on("error", () => undefined);
    },
  );
  req.on("error", (err) => {
    if (!abort.signal.aborted) process.stderr.write(`watch-client: ${String(err)}\n`);
  });
  req.end(Buffer.concat([envelope, request]));
}

function encodeVarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

for (let i = 0; i < streams; i++) {
  const cookie = cookies[Math.floor(i / perSession)]!;
  if (values["count-only"]) watchCounting(cookie);
  else void watch(cookie);
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() === "count") process.stdout.write(`${JSON.stringify(totals)}\n`);
});
lines.on("close", () => {
  abort.abort();
  process.exit(0);
});
