// The HTTP/2, HPACK, gRPC and protobuf dissectors checked against tshark: each recorded conversation
// (server/dissect/testdata/http2) is written as the pcapng the lab exports (server port 50051, decoded as HTTP/2),
// tshark reads it with the lab's .proto files on its protobuf search path, and the two must agree, in order, on
// every frame's type, stream id, flags and length, every header name and value HPACK decodes, every gRPC message's
// length and compressed flag, and each protobuf message's type name, field names and values (tshark inflates the
// gzip answer too).
//
// Differences by design: tshark shows a string field's value as hex bytes; they are compared decoded. The preface
// is no http2.type in tshark; it is left out of the frame list.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { FieldNode } from "../dissect/core/types";
import { parseConversation, replay } from "../dissect/testdata/http1/conversations";
import { tshark, writeConversationPcapng } from "../testing/tshark";
import type { ConversationInfo } from "./events";

const testdata = new URL("../dissect/testdata/http2/", import.meta.url);
const protos = new URL("../../proto/", import.meta.url).pathname;
const conversations = readdirSync(testdata)
  .filter((n) => n.endsWith(".hex"))
  .sort()
  .map((file) => ({ name: file.slice(0, -4), ...parseConversation(readFileSync(new URL(file, testdata), "utf8")) }));

const FIELDS = [
  "http2.type",
  "http2.streamid",
  "http2.flags",
  "http2.length",
  "http2.header.name",
  "http2.header.value",
  "grpc.message_length",
  "grpc.compressed_flag",
  "protobuf.message.name",
  "protobuf.field.name",
] as const;

const info: ConversationInfo = {
  id: "grpc-tshark",
  transport: "tcp",
  client: { ip: "127.0.0.1", port: 51000 },
  server: { ip: "127.0.0.1", port: 50051 },
  service: "grpc",
  protocol: "http2",
  origin: "external",
  owner: undefined,
};

interface Facts {
  frames: string[];
  headers: string[];
  grpc: string[];
  messages: string[];
  fields: string[];
}

function walk(nodes: readonly FieldNode[], visit: (n: FieldNode) => void): void {
  for (const n of nodes) {
    visit(n);
    walk(n.children, visit);
  }
}
const valueOf = (n: FieldNode) => (n.value.format === "plain" || n.value.format === "quoted" ? n.value.text : n.value.format === "number" || n.value.format === "named" || n.value.format === "hex" ? String(n.value.value) : "");

function labFacts(name: string): Facts {
  const facts: Facts = { frames: [], headers: [], grpc: [], messages: [], fields: [] };
  const { turns } = conversations.find((c) => c.name === name)!;
  for (const pdu of replay(turns, { protocol: "http2" })) {
    for (const frame of pdu.frames) {
      if (frame.summary === "Magic") continue;
      const b = pdu.bytes;
      const length = (b[0]! << 16) | (b[1]! << 8) | b[2]!;
      facts.frames.push(`${b[3]} ${((b[5]! << 24) | (b[6]! << 16) | (b[7]! << 8) | b[8]!) & 0x7fffffff} 0x${b[4]!.toString(16).padStart(2, "0")} ${length}`);
      walk(frame.fields, (n) => {
        if (n.id === "hpack.decoded") facts.headers.push(valueOf(n));
        if (n.id === "grpc.message") {
          const len = n.children.find((c) => c.id === "grpc.length");
          const flags = n.children.find((c) => c.id === "grpc.flags");
          facts.grpc.push(`${len ? valueOf(len) : "?"} ${flags?.value.format === "flags" ? flags.value.value & 1 : "?"}`);
        }
        if (n.id === "protobuf.field") facts.fields.push(valueOf(n).split(" = ")[0]!);
        // A message read with its descriptor: the gRPC message's node, and nested ones, start with the type's name.
        const typed = /^([A-Z]\w*) \{/.exec(valueOf(n));
        if ((n.id === "grpc.protobuf" || n.id === "protobuf.message") && typed) facts.messages.push(typed[1]!);
      });
    }
  }
  return facts;
}

async function tsharkFacts(name: string, dir: string): Promise<Facts> {
  const { turns } = conversations.find((c) => c.name === name)!;
  const file = path.join(dir, `${name}.pcapng`);
  writeConversationPcapng(file, info, turns);
  const args = ["-r", file, "-d", "tcp.port==50051,http2", "-o", `uat:protobuf_search_paths:"${protos}","TRUE"`, "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=\u0001"];
  for (const f of FIELDS) args.push("-e", f);
  const { stdout } = await promisify(execFile)(tshark!, args, { maxBuffer: 64 << 20 });
  const facts: Facts = { frames: [], headers: [], grpc: [], messages: [], fields: [] };
  const list = (v: string | undefined) => (v ? v.split("\u0001") : []);
  for (const line of stdout.trimEnd().split("\n")) {
    const row = Object.fromEntries(line.split("|").map((v, i) => [FIELDS[i], v])) as Record<(typeof FIELDS)[number], string>;
    const types = list(row["http2.type"]);
    const ids = list(row["http2.streamid"]);
    const flags = list(row["http2.flags"]);
    const lengths = list(row["http2.length"]);
    // tshark gives the preface a stream id and a length of its own but no type: only typed frames line up.
    const offset = ids.length - types.length;
    types.forEach((t, i) => facts.frames.push(`${t} ${ids[i + offset]} ${flags[i + offset]} ${lengths[i + offset]}`));
    const names = list(row["http2.header.name"]);
    const values = list(row["http2.header.value"]);
    names.forEach((n, i) => facts.headers.push(`${n}: ${values[i] ?? ""}`));
    const lens = list(row["grpc.message_length"]);
    const compressed = list(row["grpc.compressed_flag"]);
    lens.forEach((l, i) => facts.grpc.push(`${l} ${Number(compressed[i] ?? 0) & 1}`));
    facts.messages.push(...list(row["protobuf.message.name"]).map((m) => m.split(".").pop()!));
    facts.fields.push(...list(row["protobuf.field.name"]).map((n) => (n === "<UNKNOWN>" ? "" : n)));
  }
  return facts;
}

describe.skipIf(!tshark)("http2, hpack, grpc and protobuf as tshark reads them", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "grpc-tshark-"));
  for (const { name } of conversations) {
    it(name, async () => {
      const lab = labFacts(name);
      const peer = await tsharkFacts(name, dir);
      expect(lab.frames.length).toBeGreaterThan(10);
      expect(lab.frames).toEqual(peer.frames);
      expect(lab.headers).toEqual(peer.headers);
      expect(lab.grpc).toEqual(peer.grpc);
      // tshark names the message types it finds in the .proto; the lab reads the same ones.
      expect(lab.messages).toEqual(peer.messages.filter((m) => m !== "<UNKNOWN> Message Type" && m !== "Type"));
      expect(lab.fields.filter((f) => !f.startsWith("#"))).toEqual(peer.fields.filter(Boolean));
    });
  }
});
