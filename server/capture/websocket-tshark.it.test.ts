// The WebSocket dissector checked against tshark: each recorded conversation (server/dissect/testdata/websocket)
// is written as the pcapng the lab exports (TCP and IP synthesised around the tapped bytes, server port 8080,
// which Wireshark reads as HTTP and, after the 101, as WebSocket), tshark dissects it, and the two must agree,
// frame by frame in order, on FIN, the opcode, MASK, the 7-, 16- and 64-bit lengths, the masking key, the
// permessage-deflate bit, the text of text frames (unmasked, and inflated where Wireshark inflates), and the
// close status code and reason.
//
// Where the two differ by design, the difference is named here:
// - tshark's websocket.rsv is RSV1-3 as one 3-bit number; the lab has a flag each, compared as that number.
// - tshark shows a text message split in fragments on the packet of its first frame; the lab shows the pieces as
//   bytes and the joined message on the last frame. So texts are compared as the conversation's list of messages.
// - a frame longer than the lab's stream session holds (the 100 MB header) is cut by the session; tshark waits
//   for the rest, which never comes, and shows nothing for it. Only the frames both read are compared.
// - Wireshark 4.0 inflates each fragment of a compressed message on its own, so it shows bytes that are not the
//   message (the Python client's two-fragment message reads "B\ufffd" there); the lab inflates the joined fragments
//   (RFC 7692 §6.1), which is what the server echoed. Such messages are left out of the text comparison.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findNode } from "../dissect/core/tree";
import type { FieldNode } from "../dissect/core/types";
import { parseConversation, replay } from "../dissect/testdata/http1/conversations";
import { tshark, tsharkFields, writeConversationPcapng } from "../testing/tshark";
import type { ConversationInfo } from "./events";

const testdata = new URL("../dissect/testdata/websocket/", import.meta.url);
const conversations = readdirSync(testdata)
  .filter((n) => n.endsWith(".hex"))
  .sort()
  .map((file) => ({ name: file.slice(0, -4), ...parseConversation(readFileSync(new URL(file, testdata), "utf8")) }));

const FIELDS = [
  "websocket.fin",
  "websocket.rsv",
  "websocket.opcode",
  "websocket.mask",
  "websocket.payload_length",
  "websocket.payload_length_ext_16",
  "websocket.payload_length_ext_64",
  "websocket.masking_key",
  "websocket.payload.text",
  "websocket.payload.close.status_code",
  "websocket.payload.close.reason",
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

const utf8 = new TextDecoder();

const find = findNode;

const flag = (node: FieldNode | undefined) => (node?.value.format === "flag" && node.value.value ? "1" : "0");
const num = (node: FieldNode | undefined) => (node && (node.value.format === "number" || node.value.format === "hex" || node.value.format === "named") ? String(node.value.value) : "");

/** The lab's frames as tshark's rows. */
const compressedFragments = new Set<number>();

function labRows(name: string): Row[] {
  compressedFragments.clear();
  const conversation = conversations.find((c) => c.name === name)!;
  const rows: Row[] = [];
  for (const pdu of replay(conversation.turns)) {
    if (pdu.protocol !== "websocket") continue;
    for (const frame of pdu.frames) {
      if (frame.findings.some((f) => f.code.endsWith(".too_long"))) continue;
      const f = frame.fields;
      const key = find(f, "websocket.masking_key");
      const text = find(f, "websocket.payload.text") ?? find(f, "websocket.message.text");
      const json = find(f, "websocket.payload.json");
      const message = find(f, "websocket.message");
      const opcode = num(find(f, "websocket.opcode"));
      const fin = flag(find(f, "websocket.fin"));
      let shown = "";
      if (message && opcode === "0" && find(f, "websocket.message.inflated_length")) compressedFragments.add(rows.length);
      // Text of a whole message: the frame's own (unmasked) bytes, or the inflated message.
      if ((opcode === "1" && fin === "1") || (message && opcode === "0")) {
        if (message && message.children.length) shown = messageText(pdu.frames, frame);
        else if (json || text) shown = utf8.decode(unmasked(pdu.bytes, frame, key));
      }
      rows.push({
        "websocket.fin": fin,
        "websocket.rsv": `0x0${(Number(flag(find(f, "websocket.rsv1"))) << 2) | (Number(flag(find(f, "websocket.rsv2"))) << 1) | Number(flag(find(f, "websocket.rsv3")))}`,
        "websocket.opcode": opcode,
        "websocket.mask": flag(find(f, "websocket.mask")),
        "websocket.payload_length": num(find(f, "websocket.payload_length")),
        "websocket.payload_length_ext_16": num(find(f, "websocket.payload_length_ext16")),
        "websocket.payload_length_ext_64": num(find(f, "websocket.payload_length_ext64")),
        "websocket.masking_key": key && key.value.format === "bytes" ? key.value.hex.replace(/ /g, "") : "",
        "websocket.payload.text": shown,
        "websocket.payload.close.status_code": num(find(f, "websocket.payload.close.status_code")),
        "websocket.payload.close.reason": (() => {
          const r = find(f, "websocket.payload.close.reason");
          return r ? utf8.decode(unmasked(pdu.bytes, frame, key).subarray(2)) : "";
        })(),
      });
    }
  }
  return rows;
}

/** The frame's payload, unmasked. */
function unmasked(bytes: Uint8Array, frame: { fields: FieldNode[] }, key: FieldNode | undefined): Uint8Array {
  const payload = find(frame.fields, "websocket.payload")!;
  const raw = bytes.subarray(payload.offset, payload.offset + payload.length);
  if (!key || key.value.format !== "bytes") return raw;
  const k = key.value.hex.split(" ").map((h) => parseInt(h, 16));
  return raw.map((b, i) => b ^ k[i & 3]!);
}

/** The inflated or joined message's text, from the quoted values of the grafted nodes: the summary holds it whole here. */
function messageText(_frames: unknown, frame: { summary: string }): string {
  const m = /"(.*)"$/.exec(frame.summary);
  return m ? (JSON.parse(`"${m[1]}"`) as string) : "";
}

const info: ConversationInfo = {
  id: "websocket-tshark",
  transport: "tcp",
  client: { ip: "127.0.0.1", port: 51000 },
  server: { ip: "127.0.0.1", port: 8080 },
  service: "http",
  protocol: "http1",
  origin: "external",
  owner: undefined,
};

async function tsharkRows(name: string, dir: string): Promise<Row[]> {
  const conversation = conversations.find((c) => c.name === name)!;
  const file = path.join(dir, `${name}.pcapng`);
  writeConversationPcapng(file, info, conversation.turns);
  const rows: Row[] = [];
  // A packet with several frames lists each field's occurrences in order, joined by commas.
  for (const row of await tsharkFields(file, FIELDS)) {
    const n = row["websocket.opcode"] ? row["websocket.opcode"].split(",").length : 0;
    for (let i = 0; i < n; i++) {
      const at = (f: (typeof FIELDS)[number]) => row[f].split(",")[i] ?? "";
      rows.push(Object.fromEntries(FIELDS.map((f) => [f, at(f)])) as Row);
    }
  }
  return rows;
}

describe.skipIf(!tshark)("websocket fields as tshark reads them", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "websocket-tshark-"));
  for (const { name } of conversations) {
    it(name, async () => {
      const lab = labRows(name);
      const theirs = (await tsharkRows(name, dir)).slice(0, lab.length);
      // The messages' texts in order; those tshark cannot read (above) are left out of both, by their place in the lab's.
      const listed = (rows: Row[]) => rows.map((r, i) => ({ i, text: r["websocket.payload.text"] })).filter((t) => t.text);
      const skip = new Set(listed(lab).flatMap((t, k) => (compressedFragments.has(t.i) ? [k] : [])));
      const texts = (rows: Row[]) => listed(rows).map((t) => t.text).filter((_, k) => !skip.has(k));
      const frames = (rows: Row[]) => rows.map((r) => ({ ...r, "websocket.payload.text": undefined }));
      expect(frames(lab)).toEqual(frames(theirs));
      expect(texts(lab)).toEqual(texts(theirs));
      expect(lab.length).toBeGreaterThan(0);
    });
  }
});
