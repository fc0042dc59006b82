// The HTTP/1.x dissector checked against tshark: each recorded conversation (server/dissect/testdata/http1) is
// written as the pcapng the lab exports (TCP and IP synthesised around the tapped bytes, server port 8080, which
// Wireshark reads as HTTP), tshark reassembles and dissects it, and the two must agree, in order, on every request
// line, status line, the header fields both name, each chunk size, every JSON member's name and string and number
// values, and every form field.
//
// Where the two differ by design, the difference is named here:
// - tshark shows a chunked body's JSON only after dechunking it; the lab names JSON inside a chunked body when it
//   sits in one chunk (its spans must be bytes of the frame). The recorded chunked JSON responses are one chunk each.
// - tshark lists a member's name after the members of its value when that is an object or an array; the lab's tree
//   has the name first. The names are compared in tshark's order.
// - tshark counts a 101 response's following bytes as "Continuation" or WebSocket; the lab hands them to the next
//   protocol. Only HTTP fields are compared.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FieldNode } from "../dissect/core/types";
import { loadConversations, replay } from "../dissect/testdata/http1/conversations";
import { tshark, tsharkFields, writeConversationPcapng } from "../testing/tshark";
import type { ConversationInfo } from "./events";

/** tshark's field for each lab field. */
const PAIRS = {
  "http1.request.method": "http.request.method",
  "http1.request.uri": "http.request.uri",
  "http1.request.version": "http.request.version",
  "http1.response.version": "http.response.version",
  "http1.response.code": "http.response.code",
  "http1.response.phrase": "http.response.phrase",
  "http1.host": "http.host",
  "http1.user_agent": "http.user_agent",
  "http1.content_type": "http.content_type",
  "http1.content_length": "http.content_length_header",
  "http1.transfer_encoding": "http.transfer_encoding",
  "http1.location": "http.location",
  "http1.server": "http.server",
  "http1.upgrade": "http.upgrade",
  "http1.chunk.size": "http.chunk_size",
  "json.key": "json.key",
  "json.string": "json.value.string",
  "json.number": "json.value.number",
  "http1.form.name": "urlencoded-form.key",
  "http1.form.value": "urlencoded-form.value",
} as const;
type LabField = keyof typeof PAIRS;
const TSHARK_FIELDS = Object.values(PAIRS);

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);
const utf8 = new TextDecoder();

/** A node's value as tshark prints it: its bytes as text, a number as decimal, a string unescaped. */
function labValue(node: FieldNode, bytes: Uint8Array): string {
  const raw = bytes.subarray(node.offset, node.offset + node.length);
  if (node.value.format === "number") return String(node.value.value);
  if (node.id === "json.string" || node.id === "json.key") return JSON.parse(utf8.decode(raw)) as string;
  if (node.id === "http1.form.name" || node.id === "http1.form.value") return node.value.format === "quoted" ? JSON.parse(`"${node.value.text}"`) as string : "";
  return node.id.startsWith("http1.") ? latin1(raw) : utf8.decode(raw);
}

function labRows(name: string): Record<LabField, string[]> {
  const out = Object.fromEntries(Object.keys(PAIRS).map((k) => [k, [] as string[]])) as Record<LabField, string[]>;
  const conversation = loadConversations().find((c) => c.name === name)!;
  const walk = (nodes: readonly FieldNode[], bytes: Uint8Array) => {
    for (const n of nodes) {
      if (n.id === "http1.form.pair") {
        // tshark lists a value for every pair, "" for `empty=` and for `flag`.
        const name = n.children.find((c) => c.id === "http1.form.name");
        const value = n.children.find((c) => c.id === "http1.form.value");
        out["http1.form.name"].push(name ? labValue(name, bytes) : "");
        out["http1.form.value"].push(value ? labValue(value, bytes) : "");
        continue;
      }
      const key = n.children.find((c) => c.id === "json.key");
      const value = n.children[n.children.length - 1];
      if (key && value && value.children.length > 0) {
        // tshark names a member whose value is an object or an array after that value's members.
        walk(n.children.filter((c) => c !== key), bytes);
        out["json.key"].push(labValue(key, bytes));
        continue;
      }
      if (n.id in PAIRS) out[n.id as LabField].push(labValue(n, bytes));
      walk(n.children, bytes);
    }
  };
  for (const pdu of replay(conversation.turns)) if (pdu.protocol === "http1") for (const f of pdu.frames) walk(f.fields, pdu.bytes.subarray(f.offset, f.offset + f.length));
  return out;
}

const info: ConversationInfo = {
  id: "http1-tshark",
  transport: "tcp",
  client: { ip: "127.0.0.1", port: 51000 },
  server: { ip: "127.0.0.1", port: 8080 },
  service: "http",
  protocol: "http1",
  origin: "external",
  owner: undefined,
};

async function tsharkRows(name: string, dir: string): Promise<Record<LabField, string[]>> {
  const conversation = loadConversations().find((c) => c.name === name)!;
  const file = path.join(dir, `${name}.pcapng`);
  writeConversationPcapng(file, info, conversation.turns);
  const rows = await tsharkFields(file, TSHARK_FIELDS);
  const out = Object.fromEntries(Object.keys(PAIRS).map((k) => [k, [] as string[]])) as Record<LabField, string[]>;
  for (const row of rows) {
    for (const [lab, ts] of Object.entries(PAIRS) as [LabField, (typeof PAIRS)[LabField]][]) {
      const v = row[ts];
      // Occurrences are joined by commas; a value with a comma of its own (gzip, deflate) is split here too, so both
      // sides are compared split the same way.
      if (v) out[lab].push(...v.split(","));
    }
  }
  return out;
}

const split = (rows: Record<LabField, string[]>) => Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.flatMap((s) => s.split(","))]));

describe.skipIf(!tshark)("http1 fields as tshark reads them", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "http1-tshark-"));
  for (const { name } of loadConversations()) {
    it(name, async () => {
      expect(split(labRows(name))).toEqual(split(await tsharkRows(name, dir)));
    });
  }
});
