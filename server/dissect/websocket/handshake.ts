// The WebSocket opening handshake (RFC 6455 §4), read in the HTTP/1.1 messages that carry it: the client's
// Sec-WebSocket-Key (16 bytes in base64), the server's Sec-WebSocket-Accept checked step by step (the key and
// the GUID, their SHA-1, its base64), and the extensions and subprotocol offered and chosen. The HTTP/1.x
// dissector calls `addWebSocketHandshake` for a request that asks for the upgrade and for its 101 answer; the
// nodes stand over the header values they were read from.
// SHA-1 (FIPS 180-4) is computed here: the page re-dissects too, and crypto.subtle is asynchronous.
// ISOMORPHIC: no Node imports.

import { quoted, type Cursor } from "../core/cursor";
import { hexPairs } from "../core/fields";
import { websocketFields as f, websocketFindings as x } from "./tables";

/** RFC 6455 §1.3: the GUID every server appends to the client's key. */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** SHA-1 of `bytes`: 20 bytes. */
export function sha1(bytes: Uint8Array): Uint8Array {
  const words = new Uint32Array(80);
  const length = bytes.length;
  const blocks = Math.ceil((length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(bytes);
  padded[length] = 0x80;
  const bits = length * 8;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bits / 0x1_0000_0000));
  view.setUint32(padded.length - 4, bits >>> 0);
  let [h0, h1, h2, h3, h4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  for (let block = 0; block < blocks; block++) {
    for (let i = 0; i < 16; i++) words[i] = view.getUint32(block * 64 + i * 4);
    for (let i = 16; i < 80; i++) {
      const w = words[i - 3]! ^ words[i - 8]! ^ words[i - 14]! ^ words[i - 16]!;
      words[i] = (w << 1) | (w >>> 31);
    }
    let [a, b, c, d, e] = [h0, h1, h2, h3, h4];
    for (let i = 0; i < 80; i++) {
      const [fn, k] = i < 20 ? [(b & c) | (~b & d), 0x5a827999] : i < 40 ? [b ^ c ^ d, 0x6ed9eba1] : i < 60 ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc] : [b ^ c ^ d, 0xca62c1d6];
      const t = (((a << 5) | (a >>> 27)) + fn + e + k + words[i]!) >>> 0;
      e = d;
      d = c;
      c = ((b << 30) | (b >>> 2)) >>> 0;
      b = a;
      a = t;
    }
    h0 = (h0 + a) >>> 0;
    h1 = (h1 + b) >>> 0;
    h2 = (h2 + c) >>> 0;
    h3 = (h3 + d) >>> 0;
    h4 = (h4 + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  [h0, h1, h2, h3, h4].forEach((h, i) => outView.setUint32(i * 4, h));
  return out;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function base64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : "=") + (i + 2 < bytes.length ? ALPHABET[n & 63]! : "=");
  }
  return out;
}

/** The bytes of a base64 text (RFC 4648 §4, padded), or undefined when it is not one. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  const clean = text.replace(/=+$/, "");
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of clean) {
    value = (value << 6) | ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

/** RFC 6455 §4.2.2 step 5.4: the Accept value for a key, with the steps that make it. */
export function acceptOf(key: string): { concatenated: string; digest: Uint8Array; accept: string } {
  const concatenated = key + WEBSOCKET_GUID;
  const digest = sha1(Uint8Array.from(concatenated, (c) => c.charCodeAt(0) & 0xff));
  return { concatenated, digest, accept: base64(digest) };
}

/** A header field of the message, where its value lies in the bytes. */
export interface HandshakeHeader {
  readonly name: string;
  readonly value: string;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/**
 * Adds the handshake's nodes (each over the header value it reads) and findings at the end of an HTTP message's
 * head, the cursor standing at `headEnd`: for a request, the key decoded, the extensions and subprotocols offered;
 * for a 101 answer, the Accept checked against `key` (the request's, kept by the HTTP/1.x dissector), the
 * extensions and subprotocol chosen. Leaves the cursor where it found it.
 */
export function addWebSocketHandshake(cur: Cursor, headers: readonly HandshakeHeader[], request: boolean, key: string | undefined): void {
  const back = cur.offset;
  /** A node over a header's value: the cursor goes back to it, adds, and returns to where it stood. */
  const over = (h: HandshakeHeader, add: () => void) => {
    cur.back(cur.offset - h.valueStart);
    add();
    if (cur.offset < back) cur.skip(back - cur.offset);
  };
  const named = (name: string) => headers.filter((h) => h.name.toLowerCase() === name);
  for (const h of request ? named("sec-websocket-key") : []) {
    const decoded = fromBase64(h.value.trim());
    if (!decoded || decoded.length !== 16) cur.finding(x.key_invalid, { length: decoded?.length ?? 0 }, h.valueStart, h.valueEnd - h.valueStart);
    // Computed nodes have no bytes of their own: the header's value leaf covers them already.
    if (cur.tree) over(h, () => cur.item(f["handshake.key"], 0, decoded ? { format: "bytes", hex: hexPairs(decoded), n: decoded.length } : quoted(h.value)));
  }
  for (const h of request ? [] : named("sec-websocket-accept")) {
    if (key === undefined) {
      cur.finding(x.accept_unchecked, h.valueStart, h.valueEnd - h.valueStart);
      continue;
    }
    const steps = acceptOf(key);
    const matches = steps.accept === h.value.trim();
    if (!matches) cur.finding(x.accept_mismatch, h.valueStart, h.valueEnd - h.valueStart);
    if (!cur.tree) continue;
    over(h, () => {
      cur.push(f["handshake.accept"]);
      cur.item(f["handshake.concatenated"], 0, quoted(steps.concatenated));
      cur.item(f["handshake.sha1"], 0, { format: "bytes", hex: hexPairs(steps.digest, 20), n: 20 });
      cur.item(f["handshake.expected"], 0, quoted(steps.accept));
      cur.item(f["handshake.matches"], 0, { format: "flag", value: matches });
      cur.skip(h.valueEnd - h.valueStart);
      cur.pop(quoted(h.value.trim()));
    });
  }
  if (!cur.tree) return;
  // Extensions (RFC 6455 §9.1): a list of tokens with parameters; subprotocols (§11.3.4): a list of tokens.
  for (const h of named("sec-websocket-extensions")) {
    over(h, () => {
      for (const extension of h.value.split(",")) {
        const [name = "", ...params] = extension.split(";").map((p) => p.trim());
        if (!name) continue;
        cur.push(f["handshake.extension"]);
        for (const p of params) if (p) cur.item(f["handshake.extension.param"], 0, quoted(p));
        cur.pop(quoted(name));
      }
    });
  }
  for (const h of named("sec-websocket-protocol")) {
    over(h, () => {
      for (const protocol of h.value.split(",").map((p) => p.trim())) if (protocol) cur.item(f["handshake.protocol"], 0, quoted(protocol));
    });
  }
}
