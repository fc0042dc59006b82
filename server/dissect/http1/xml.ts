// A small XML scanner for naming what an XML-RPC body carries (http://xmlrpc.com/spec.md): elements with the byte
// spans of their tags and text, entities decoded. It is for dissection, not for serving: no namespaces, DTDs or
// attributes beyond skipping them; anything it cannot match (a stray end tag, an unclosed element) makes the body
// read as text instead. The lab's server parses XML-RPC with a maintained parser; none gives byte offsets.
// ISOMORPHIC: no Node imports.

import { textOf } from "./head";

export interface XmlText {
  readonly kind: "text";
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface XmlMarkup {
  readonly kind: "markup";
  readonly start: number;
  readonly end: number;
}

export interface XmlElement {
  readonly kind: "element";
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** The start tag's end; for an empty-element tag, the element's end. */
  readonly startTagEnd: number;
  /** The end tag's start; equal to `end` for an empty-element tag. */
  readonly endTagStart: number;
  readonly children: readonly XmlNode[];
}

export type XmlNode = XmlText | XmlMarkup | XmlElement;

export interface XmlDocument {
  /** Everything at the top level: markup, whitespace and the one root element. */
  readonly items: readonly XmlNode[];
  readonly root: XmlElement;
}

const MAX_DEPTH = 64;
const ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Character data with XML's five entities and character references decoded. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const cp = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

function indexOfSeq(bytes: Uint8Array, seq: string, from: number, end: number): number {
  const first = seq.charCodeAt(0);
  for (let i = bytes.indexOf(first, from); i >= 0 && i + seq.length <= end; i = bytes.indexOf(first, i + 1)) {
    let k = 1;
    while (k < seq.length && bytes[i + k] === seq.charCodeAt(k)) k++;
    if (k === seq.length) return i;
  }
  return -1;
}

const isNameChar = (b: number) =>
  (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x2d || b === 0x5f || b === 0x3a || b >= 0x80;

/** Reads bytes[start, end) as one XML document; undefined when its elements do not nest. */
export function parseXml(bytes: Uint8Array, start: number, end: number): XmlDocument | undefined {
  interface Open {
    name: string;
    start: number;
    startTagEnd: number;
    children: XmlNode[];
  }
  const top: XmlNode[] = [];
  const stack: Open[] = [];
  const add = (node: XmlNode) => (stack.length ? (stack[stack.length - 1] as Open).children : top).push(node);
  let i = start;
  while (i < end) {
    if (bytes[i] !== 0x3c) {
      let j = bytes.indexOf(0x3c, i);
      if (j < 0 || j > end) j = end;
      add({ kind: "text", start: i, end: j, text: decodeEntities(textOf(bytes, i, j)) });
      i = j;
      continue;
    }
    const next = bytes[i + 1];
    if (next === 0x3f || next === 0x21) {
      // <?...?>, <!--...-->, <![CDATA[...]]>, <!DOCTYPE ...>
      const cdata = indexOfSeq(bytes, "<![CDATA[", i, end) === i;
      const comment = !cdata && indexOfSeq(bytes, "<!--", i, end) === i;
      const close = cdata ? "]]>" : comment ? "-->" : next === 0x3f ? "?>" : ">";
      const stop = indexOfSeq(bytes, close, i + 2, end);
      if (stop < 0) return undefined;
      const after = stop + close.length;
      if (cdata) add({ kind: "text", start: i, end: after, text: textOf(bytes, i + 9, stop) });
      else add({ kind: "markup", start: i, end: after });
      i = after;
      continue;
    }
    // A tag: scan to its `>`, past quoted attribute values.
    let j = i + 1;
    let quote = 0;
    for (; j < end; j++) {
      const b = bytes[j] as number;
      if (quote) {
        if (b === quote) quote = 0;
      } else if (b === 0x22 || b === 0x27) quote = b;
      else if (b === 0x3e) break;
    }
    if (j >= end) return undefined;
    const tagEnd = j + 1;
    const closing = next === 0x2f;
    let n = i + (closing ? 2 : 1);
    const nameStart = n;
    while (n < j && isNameChar(bytes[n] as number)) n++;
    if (n === nameStart) return undefined;
    const name = textOf(bytes, nameStart, n);
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) return undefined;
      const element: XmlElement = { kind: "element", name, start: open.start, end: tagEnd, startTagEnd: open.startTagEnd, endTagStart: i, children: open.children };
      add(element);
    } else if (bytes[j - 1] === 0x2f) {
      add({ kind: "element", name, start: i, end: tagEnd, startTagEnd: tagEnd, endTagStart: tagEnd, children: [] });
    } else {
      if (stack.length >= MAX_DEPTH) return undefined;
      stack.push({ name, start: i, startTagEnd: tagEnd, children: [] });
    }
    i = tagEnd;
  }
  if (stack.length) return undefined;
  const roots = top.filter((x): x is XmlElement => x.kind === "element");
  const root = roots[0];
  if (roots.length !== 1 || !root) return undefined;
  // Only whitespace may sit beside the root.
  if (top.some((x) => x.kind === "text" && x.text.trim() !== "")) return undefined;
  return { items: top, root };
}

/** The element children of an element. */
export const elements = (e: XmlElement | undefined): XmlElement[] => (e ? e.children.filter((c): c is XmlElement => c.kind === "element") : []);
export const child = (e: XmlElement | undefined, name: string): XmlElement | undefined => elements(e).find((c) => c.name === name);
/** The text of an element (its text children joined). */
export const textIn = (e: XmlElement | undefined): string =>
  e ? e.children.map((c) => (c.kind === "text" ? c.text : c.kind === "element" ? textIn(c) : "")).join("") : "";
