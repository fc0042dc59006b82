// Field values in every language: each format id has an English and a Russian template (and so does every
// note and checksum reason), and every value the fixtures produce, and values of every format they do not reach,
// read in Russian with their values and quoted text kept and no English prose around them. Names kept as IANA and
// Wireshark write them (protocols, options, code points) are allowed, and so are JSON's literal values.
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { buildFieldTree, type TreeNode } from "@/app/_components/timeline/model";
import { FieldSchema, FrameSchema, type Field } from "@/gen/lab/v1/timeline_pb";
import { catalogued } from "@/server/dissect/catalogue";
import {
  argsOf,
  CHECKSUM_REASONS,
  englishDisplay,
  ENGLISH,
  FORMAT_IDS,
  NOTES,
  renderValue,
  type FieldValue,
  type FormatLanguage,
} from "@/server/dissect/core/formats";
import type { FieldNode } from "@/server/dissect/core/types";
import { fixtureFrames } from "@/server/dissect/testdata/fixtures";
import { fieldText } from "./fields";
import { FIELDS_RU } from "./fields-ru";
import { CHECKSUM_REASONS_RU, NOTES_RU, RUSSIAN_FORMATS } from "./formats-ru";

const ENGLISH_WORDS =
  /\b(bytes?|relative|number|set|unverified|correct|incorrect|should|characters?|truncated|offset|follow|multiply|calculated|scaling|window|ignored|never|scaled|unknown|captured|priority|blocks?|data|broadcast|multicast|empty|raw|fragment|last|none|missing|kind|reserved|true|false|type|deprecated|tunnel|the|of|to|us|by|sent|unicast|more|don't|would)\b/i;
const KEPT =
  /Window Scale|Maximum Segment Size|SACK Permitted|End of Option List|No-Operation|Router Alert|IPv6 (Hop-by-Hop Options|Routing|Fragment|Destination Options)|Segment Routing|RPL Source Route|Experimental \(RFC \d+\)|Mobile IPv6|Record Route|Timestamps?|No Next Header|Tunnel Encapsulation Limit|Jumbo Payload|Home Address|TSval|TSecr|checksum offload|(?<=^|": )(?:true|false|null)$/g;
const QUOTED = /"(?:[^"\\]|\\.)*"…?/g;

interface Shown {
  readonly id: string;
  readonly value: FieldValue;
  readonly length: number;
}

function fixtureValues(): Shown[] {
  const seen = new Map<string, Shown>();
  const walk = (nodes: readonly FieldNode[]) => {
    for (const n of nodes) {
      seen.set(`${n.id} ${JSON.stringify(argsOf(n.value))} ${n.value.format}`, { id: n.id, value: n.value, length: n.length });
      walk(n.children);
    }
  };
  for (const options of [{ checksumsMayBeOffloaded: true }, {}]) for (const frame of fixtureFrames(options)) walk(frame.fields);
  return [...seen.values()];
}

/** Values of the formats, notes and reasons the fixtures do not reach. */
const MORE: Shown[] = [
  { id: "ipv4.checksum", value: { format: "checksum", stored: 0, verdict: "unverified", expected: 0x1770, reason: "zero" }, length: 2 },
  { id: "tcp.checksum", value: { format: "checksum", stored: 0xfe2e, verdict: "unverified", expected: 0x1770, reason: "offload" }, length: 2 },
  { id: "tcp.checksum", value: { format: "checksum", stored: 0xfe2e, verdict: "unverified", reason: "no_ip" }, length: 2 },
  { id: "ipv4.checksum", value: { format: "checksum", stored: 0xfe2e, verdict: "unverified", reason: "bad_header_length" }, length: 2 },
  { id: "udp.checksum", value: { format: "checksum", stored: 0xfe2e, verdict: "unverified", reason: "bad_length" }, length: 2 },
  { id: "udp.checksum", value: { format: "checksum", stored: 0xfe2e, verdict: "unverified", reason: "routing" }, length: 2 },
  { id: "udp.checksum", value: { format: "checksum", stored: 0xfe2e, verdict: "bad", expected: 0x1234 }, length: 2 },
  { id: "udp.checksum", value: { format: "checksum", stored: 0, verdict: "none" }, length: 2 },
  { id: "udp.checksum", value: { format: "checksum", stored: 0, verdict: "missing" }, length: 2 },
  { id: "tcp.ack", value: { format: "number", value: 5, note: "ack_ignored" }, length: 4 },
  { id: "tcp.window_size_value", value: { format: "number", value: 5, note: "scaling_unknown" }, length: 2 },
  { id: "eth.dst", value: { format: "plain", text: "01:00:5e:00:00:01", note: "multicast" }, length: 6 },
  { id: "eth.dst", value: { format: "plain", text: "ff:ff:ff:ff:ff:ff", note: "broadcast" }, length: 6 },
  { id: "ipv4.flags", value: { format: "flags", value: 7, digits: 1, set: "ipv4.flags.rb ipv4.flags.df ipv4.flags.mf" }, length: 2 },
  { id: "ipv6.fraghdr", value: { format: "fragment", offset: 1448, more: false }, length: 8 },
  { id: "ipv6.fraghdr", value: { format: "fragment", offset: 0, more: true }, length: 8 },
  { id: "ipv6.fraghdr", value: { format: "fragment", offset: 0, more: false }, length: 8 },
  { id: "tcp.flags", value: { format: "flags", value: 0, digits: 3, set: "" }, length: 2 },
  { id: "tcp.flags", value: { format: "flags", value: 0xe12, digits: 3, set: "tcp.flags.syn tcp.flags.ack tcp.flags.res" }, length: 2 },
  { id: "tcp.option.sack", value: { format: "blocks", n: 4 }, length: 34 },
  { id: "tcp.window_size_value", value: { format: "window", value: 512, scaled: 65536, factor: 128 }, length: 2 },
  { id: "tcp.option.sack.le", value: { format: "relative", value: 5, raw: 12345 }, length: 4 },
  { id: "tcp.options", value: { format: "options", n: 8, names: "Maximum Segment Size|77|End of Option List" }, length: 8 },
  { id: "ipv6.opt", value: { format: "option", value: 0x3e, name: "", n: 4, digits: 2 }, length: 4 },
  { id: "sll.pkttype", value: { format: "named", value: 4, name: "Sent by us" }, length: 2 },
  { id: "sll.hatype", value: { format: "named", value: 778, name: "GRE tunnel" }, length: 2 },
  { id: "ipv6.routing.type", value: { format: "named", value: 0, name: "Type 0 (deprecated)" }, length: 1 },
  { id: "null.family", value: { format: "named", value: 5, name: "" }, length: 4 },
  { id: "eth.type", value: { format: "named", value: 0x1234, name: "", digits: 4 }, length: 2 },
  { id: "data.data", value: { format: "bytes", hex: "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f", n: 21, wanted: 41 }, length: 21 },
  { id: "data.data", value: { format: "bytes", hex: "", n: 0 }, length: 0 },
  { id: "text.line.content", value: { format: "quoted", text: "Привет (Hello) bytes", cut: true, chars: 60, n: 121 }, length: 121 },
  { id: "tcp.seq", value: { format: "number", value: 0, note: "relative_seq", wanted: 4 }, length: 2 },
  { id: "tcp.seq", value: { format: "truncated", wanted: 4 }, length: 2 },
  { id: "eth.vlan", value: { format: "vlan", id: 100, priority: 5 }, length: 4 },
  { id: "ipv4.hdr_len", value: { format: "byte_length", n: 24, raw: 6 }, length: 1 },
];

/** A field's value in a language, as the page words it, with field labels in that language. */
function say(language: FormatLanguage, shown: Shown, labels: (id: string) => string | undefined): string {
  const label = (id: string) => labels(id) ?? catalogued(id)?.label ?? id;
  return renderValue(language, shown.value.format, argsOf(shown.value), { id: shown.id, length: shown.length, label }) ?? "(no template)";
}

const ru = (shown: Shown) => say(RUSSIAN_FORMATS, shown, (id) => FIELDS_RU[id]?.label);
const en = (shown: Shown) => say(ENGLISH, shown, () => undefined);
const values = (text: string) => [...text.replace(QUOTED, "").matchAll(/\b(?:0x[0-9a-f]+|\d+)\b/g)].map((m) => m[0]).sort();

describe("field value formats", () => {
  it("word every format, note and checksum reason in English and Russian, and nothing else", () => {
    const ids = [...FORMAT_IDS].sort();
    expect(Object.keys(ENGLISH.templates).sort()).toEqual(ids);
    expect(Object.keys(RUSSIAN_FORMATS.templates).sort()).toEqual(ids);
    for (const id of FORMAT_IDS) {
      expect(ENGLISH.templates[id], id).toBeTypeOf("function");
      expect(RUSSIAN_FORMATS.templates[id], id).toBeTypeOf("function");
    }
    expect(Object.keys(NOTES_RU).sort()).toEqual([...NOTES].sort());
    expect(Object.keys(CHECKSUM_REASONS_RU).sort()).toEqual([...CHECKSUM_REASONS].sort());
  });

  const all = [...fixtureValues(), ...MORE];

  it("reach every format with the fixtures and the cases beside them", () => {
    expect(all.length).toBeGreaterThan(300);
    expect(new Set(all.map((s) => s.value.format))).toEqual(new Set(FORMAT_IDS));
    const used = (key: string) => new Set(all.map((s) => (s.value as unknown as Record<string, unknown>)[key]).filter((x) => typeof x === "string"));
    for (const note of NOTES) expect(used("note").has(note), note).toBe(true);
    for (const reason of CHECKSUM_REASONS) expect(used("reason").has(reason), reason).toBe(true);
  });

  it("leave no English prose around the values in Russian", () => {
    for (const shown of all) {
      const text = ru(shown);
      const prose = text.replace(QUOTED, '""').replace(KEPT, "").replace(/\b[A-Z]{2,}[a-z]*\b/g, "");
      expect(ENGLISH_WORDS.test(prose), `${shown.id}: «${en(shown)}» → «${text}»`).toBe(false);
    }
  });

  it("keep every value and every quoted text as they are", () => {
    for (const shown of all) {
      const [english, russian] = [en(shown), ru(shown)];
      for (const quoted of english.match(QUOTED) ?? []) expect(russian, `${shown.id}: ${english}`).toContain(quoted);
      expect(values(russian), `${shown.id}: «${english}» → «${russian}»`).toEqual(values(english));
    }
  });

  it("read the common ones as a reader expects", () => {
    const v = (id: string, value: FieldValue, length = 2) => ({ id, value, length });
    expect(ru(v("tcp.seq", { format: "number", value: 1, note: "relative_seq" }))).toBe("1 (относительный порядковый номер)");
    expect(ru(v("tcp.flags.syn", { format: "flag", value: true }))).toBe("Установлен");
    expect(ru(v("tcp.flags", { format: "flags", value: 0x12, digits: 3, set: "tcp.flags.syn tcp.flags.ack" }))).toBe("0x012 (SYN, ACK)");
    expect(ru(v("ipv4.flags", { format: "flags", value: 2, digits: 1, set: "ipv4.flags.df" }))).toBe("0x2 (Не фрагментировать)");
    expect(ru(v("text.line.content", { format: "quoted", text: "Привет", cut: false, chars: 6, n: 12 }, 12))).toBe('"Привет" (6 символов в 12 байтах)');
    expect(ru(v("tcp.window_size_value", { format: "number", value: 64 }))).toBe("64");
    expect(ru(v("sll.pkttype", { format: "named", value: 4, name: "Sent by us" }))).toBe("Отправлен нами (4)");
    expect(ru(v("ipv4.proto", { format: "named", value: 6, name: "TCP" }, 1))).toBe("TCP (6)");
    expect(en(v("tcp.checksum", { format: "checksum", stored: 0xfe30, verdict: "unverified", expected: 0xebd4, reason: "offload" }))).toBe(
      "0xfe30 (unverified: checksum offload, the card fills it in later; it would be 0xebd4)",
    );
    expect(ru(v("tcp.checksum", { format: "checksum", stored: 0xfe30, verdict: "unverified", expected: 0xebd4, reason: "offload" }))).toBe(
      "0xfe30 (не проверена: checksum offload, её позже вписывает сетевая карта; верное значение — 0xebd4)",
    );
  });

  it("leave a format this page does not know to the caller", () => {
    expect(renderValue(RUSSIAN_FORMATS, "hologram", { value: "1" }, { id: "x.y", length: 1, label: (id) => id })).toBeUndefined();
  });

  it("word the details tree from the stream's format and args, in English as the dissectors do, and in Russian", () => {
    // Fields as the stream sends them: id, format and args, no words (server/lab/to-proto.ts).
    const toField = (node: FieldNode, path: string): Field =>
      create(FieldSchema, {
        id: node.id,
        format: node.value.format,
        args: argsOf(node.value),
        offset: node.offset,
        length: node.length,
        bitmask: node.bitmask,
        path,
        children: node.children.map((child, i) => toField(child, `${path}.${i}`)),
      });
    const dissected = fixtureFrames({ checksumsMayBeOffloaded: true });
    const frames = dissected.map((f) => create(FrameSchema, { protocol: f.protocol, summary: f.summary, offset: f.offset, length: f.length, fields: f.fields.map((n, i) => toField(n, String(i))) }));
    const nodes = (roots: readonly TreeNode[]): TreeNode[] => roots.flatMap((n) => [n, ...nodes(n.children)]);
    const english = nodes(buildFieldTree(frames, fieldText("en"))).filter((n) => n.depth > 0);
    const expected = dissected.flatMap((f) => {
      const walk = (list: readonly FieldNode[]): string[] => list.flatMap((n) => [englishDisplay(n), ...walk(n.children)]);
      return walk(f.fields);
    });
    expect(english.map((n) => n.display)).toEqual(expected);
    const russian = nodes(buildFieldTree(frames, fieldText("ru"))).filter((n) => n.depth > 0);
    expect(russian.find((n) => n.label === "Флаги" && n.display.startsWith("0x002"))?.display).toBe("0x002 (SYN)");
    for (const n of russian) {
      const prose = n.display.replace(QUOTED, '""').replace(KEPT, "").replace(/\b[A-Z]{2,}[a-z]*\b/g, "");
      expect(ENGLISH_WORDS.test(prose), `${n.label}: «${n.display}»`).toBe(false);
    }
  });
});
