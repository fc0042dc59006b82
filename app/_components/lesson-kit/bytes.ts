// Byte helpers for the lessons' panels: UTF-8 both ways, hex input, and text a learner can read
// (control characters made visible, so a trailing "\n" from the time server is not silently lost).

const encoder = new TextEncoder();
// fatal: false on purpose: a chunk may end in the middle of a multi-byte character, and the learner
// should see U+FFFD there rather than an exception.
const decoder = new TextDecoder("utf-8", { fatal: false });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Characters as a person counts them: code points, not UTF-16 units (an emoji is one, not two). */
export function countCharacters(text: string): number {
  return Array.from(text).length;
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

export function toHex(bytes: Uint8Array, limit = Number.POSITIVE_INFINITY): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length && i < limit; i++) {
    parts.push((bytes[i] ?? 0).toString(16).padStart(2, "0"));
  }
  return parts.join(" ");
}

export type HexParse = { ok: true; bytes: Uint8Array } | { ok: false; reason: "badChar" | "oddLength" };

/** Reads "48 65 6c", "48656c", "48:65:6c" or "0x48, 0x65": pairs of hex digits, any separators. */
export function parseHex(input: string): HexParse {
  const cleaned = input.replace(/0x/gi, "").replace(/[\s,:;-]+/g, "");
  if (!/^[0-9a-f]*$/i.test(cleaned)) return { ok: false, reason: "badChar" };
  if (cleaned.length % 2 !== 0) return { ok: false, reason: "oddLength" };
  const bytes = new Uint8Array(cleaned.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(cleaned.slice(i * 2, i * 2 + 2), 16);
  return { ok: true, bytes };
}

/** Text with control characters spelled out the way Python's repr() would show them. */
export function visibleText(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

/** Each character of a text with the UTF-8 bytes that encode it (for the bytes-vs-characters table). */
export function characterBytes(text: string): { char: string; bytes: Uint8Array }[] {
  return Array.from(text, (char) => ({ char, bytes: utf8(char) }));
}
