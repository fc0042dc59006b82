// The pages of the Watch stream benchmark (bench/watch-stream.ts): Watch streams read as the timeline's store
// reads them (a Connect client, one batch reader per stream, latest = the page's first screen), in a process
// of their own so that their CPU is never counted as the host's.
//
//   node --import tsx bench/watch-client.ts --port N --cookies <id>,<id> --streams N [--latest N] [--per-session 5]
//
// Streams are spread over the sessions, at most --per-session each (a session holds at most 8).
//   stdout  {"open":N}                                         every stream had its first answer
//   stdin   "count" -> stdout {"events":N,"binary":N,"json":N,"jsonSampled":N,"binarySampled":N,"responses":N}
//           events read so far, and the bytes their responses take on the wire as the binary Connect protocol
//           sends them (the message and its 5-byte envelope); JSON's size is measured on one response in 16
//           (with its binary size beside it, for the ratio): writing every response as JSON would cost this
//           process more CPU than the host spends, on a machine with two cores
//   stdin   EOF -> exit

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

for (let i = 0; i < streams; i++) void watch(cookies[Math.floor(i / perSession)]!);

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() === "count") process.stdout.write(`${JSON.stringify(totals)}\n`);
});
lines.on("close", () => {
  abort.abort();
  process.exit(0);
});
