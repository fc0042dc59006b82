// The WebSocket dissector's fields and findings (RFC 6455, RFC 7692), declared once. Ids follow Wireshark's
// packet-websocket.c where it has the field (websocket.fin, websocket.opcode, websocket.masking_key,
// websocket.payload.close.status_code); the handshake's checks are the lab's own.

import { defineFields } from "../core/fields";
import { defineFindings } from "../core/findings";

export const OPCODES = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export const OPCODE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0x0: "Continuation",
  0x1: "Text",
  0x2: "Binary",
  0x8: "Close",
  0x9: "Ping",
  0xa: "Pong",
});

/** RFC 6455 §7.4.1 and the IANA registry. */
export const CLOSE_CODE_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1000: "Normal Closure",
  1001: "Going Away",
  1002: "Protocol Error",
  1003: "Unsupported Data",
  1005: "No Status Received",
  1006: "Abnormal Closure",
  1007: "Invalid Payload Data",
  1008: "Policy Violation",
  1009: "Message Too Big",
  1010: "Mandatory Extension",
  1011: "Internal Error",
  1012: "Service Restart",
  1013: "Try Again Later",
  1014: "Bad Gateway",
  1015: "TLS Handshake",
});

export const websocketFields = defineFields("websocket", {
  fin: { label: "FIN", type: "bool", bitmask: 0x80, blurb: "Set on the last frame of a message; a message sent in one frame has it set on that frame." },
  rsv1: {
    label: "RSV1 (compressed)",
    type: "bool",
    bitmask: 0x40,
    blurb: "Reserved for extensions: with permessage-deflate, set on the first frame of a compressed message.",
  },
  rsv2: { label: "RSV2", type: "bool", bitmask: 0x20, blurb: "Reserved for an extension; no extension the lab knows uses it, so it must be 0." },
  rsv3: { label: "RSV3", type: "bool", bitmask: 0x10, blurb: "Reserved for an extension; no extension the lab knows uses it, so it must be 0." },
  opcode: {
    label: "Opcode",
    type: "u8",
    bitmask: 0x0f,
    names: OPCODE_NAMES,
    blurb: "What the frame carries: 1 text, 2 binary, 0 the next piece of a message; 8 close, 9 ping and 10 pong are control frames.",
  },
  mask: {
    label: "Mask",
    type: "bool",
    bitmask: 0x80,
    blurb: "Whether the payload is masked with the 4-byte key that follows: every frame from a client must be, no frame from a server may be.",
  },
  payload_length: {
    label: "Payload length",
    type: "u8",
    bitmask: 0x7f,
    blurb: "The payload's length when it is 0 to 125; 126 says a 16-bit length follows, 127 a 64-bit one.",
  },
  payload_length_ext16: { label: "Extended payload length (16 bits)", type: "u16", blurb: "The payload's length, 126 to 65,535 bytes." },
  payload_length_ext64: { label: "Extended payload length (64 bits)", type: "u64", blurb: "The payload's length, from 65,536 bytes up; its top bit must be 0." },
  masking_key: {
    label: "Masking key",
    type: "bytes",
    blurb: "Four random bytes the client chose for this frame: payload byte i was XORed with key byte i mod 4 before sending.",
  },
  masked_payload: {
    label: "Masked payload",
    type: "bytes",
    blurb: "The payload as it crossed the network, XORed with the masking key, so that a proxy cannot mistake it for anything it knows.",
  },
  payload: { label: "Payload", type: "bytes", blurb: "The frame's payload, unmasked: what the sender meant to send." },
  "payload.text": { label: "Text", type: "text", blurb: "The payload of a text message: UTF-8 text, which the workshop's endpoints read as JSON." },
  "payload.json": { label: "JSON", type: "none", blurb: "The text read as JSON, member by member." },
  "payload.binary": { label: "Binary data", type: "bytes", blurb: "The payload of a binary message: bytes the application gives meaning to." },
  "payload.continue": { label: "Continuation data", type: "bytes", blurb: "A piece of a message whose first frame came earlier; the pieces are joined when the last one (FIN) arrives." },
  "payload.compressed": {
    label: "Compressed data",
    type: "bytes",
    blurb: "DEFLATE data (permessage-deflate, RFC 7692): it is inflated, with what earlier messages in this direction left in the window, once the message is whole.",
  },
  "payload.close.status_code": {
    label: "Status code",
    type: "u16",
    names: CLOSE_CODE_NAMES,
    blurb: "Why the sender closes: 1000 all done, 1001 going away, 1002 protocol error, 1009 message too big, and so on.",
  },
  "payload.close.reason": { label: "Reason", type: "text", blurb: "Words for people that may follow the status code, in UTF-8, at most 123 bytes." },
  "payload.ping": { label: "Ping data", type: "bytes", blurb: "Anything up to 125 bytes; the peer's pong must carry the same bytes back." },
  "payload.pong": { label: "Pong data", type: "bytes", blurb: "The bytes of the ping this pong answers (or, unasked, a heartbeat)." },
  "payload.unknown": { label: "Data", type: "bytes", blurb: "The payload of a frame whose opcode RFC 6455 reserves, which no endpoint may send." },
  message: {
    label: "Message",
    type: "none",
    blurb: "The whole message this frame ends: its pieces joined, and inflated when it was compressed. It is computed from the payloads, not sent like this.",
  },
  "message.text": { label: "Text", type: "text", blurb: "The message's text, as the receiving application gets it." },
  "message.binary": { label: "Binary data", type: "bytes", blurb: "The message's bytes, as the receiving application gets them." },
  "message.fragments": { label: "Frames", type: "u32", blurb: "How many frames carried the message: the first, then continuation frames up to the one with FIN." },
  "message.inflated_length": { label: "Inflated length", type: "u32", blurb: "The message's length once inflated, against the compressed bytes that were sent." },
  // The opening handshake, read in the HTTP/1.1 request and its 101 answer (./handshake.ts).
  "handshake.key": {
    label: "Client key",
    type: "bytes",
    blurb: "Sec-WebSocket-Key: 16 random bytes in base64, which the server must prove it read by answering the Accept value made from them.",
  },
  "handshake.accept": { label: "Accept check", type: "none", blurb: "How the Sec-WebSocket-Accept value is made from the client's key, step by step (RFC 6455 §4.2.2)." },
  "handshake.concatenated": {
    label: "Key + GUID",
    type: "text",
    blurb: "The client's key followed by the fixed GUID 258EAFA5-E914-47DA-95CA-C5AB0DC85B11 that RFC 6455 gives every WebSocket server.",
  },
  "handshake.sha1": { label: "SHA-1", type: "bytes", blurb: "The SHA-1 digest of that text: 20 bytes." },
  "handshake.expected": { label: "Expected Accept", type: "text", blurb: "The 20 bytes in base64: what Sec-WebSocket-Accept must say." },
  "handshake.matches": { label: "Accept matches", type: "bool", blurb: "Whether the server's Sec-WebSocket-Accept is the expected value; a client must fail the connection if not." },
  "handshake.extension": { label: "Extension", type: "text", blurb: "One extension offered (in a request) or accepted (in the 101), with its parameters." },
  "handshake.extension.param": { label: "Parameter", type: "text", blurb: "A parameter of the extension, such as client_max_window_bits or server_no_context_takeover." },
  "handshake.protocol": { label: "Subprotocol", type: "text", blurb: "An application protocol spoken over the WebSocket, offered by the client and chosen by the server." },
});

export const websocketFindings = defineFindings("websocket", {
  unmasked_client: {
    severity: "error",
    message: "A client sent this frame unmasked. RFC 6455 §5.1: every client frame is masked, and a server must close the connection (ws closes with 1002).",
  },
  masked_server: { severity: "error", message: "A server sent this frame masked. RFC 6455 §5.1: server frames are never masked, and a client must close the connection." },
  reserved_opcode: { severity: "error", message: "Opcode {opcode} is reserved (RFC 6455 §5.2): no endpoint may send it, and the receiver fails the connection (1002)." },
  rsv_set: { severity: "error", message: "Reserved bits {bits} are set, which no negotiated extension defines: the receiver fails the connection (1002)." },
  rsv1_misplaced: {
    severity: "error",
    message: "RSV1 is set on a {kind} frame: permessage-deflate marks only the first frame of a data message as compressed (RFC 7692 §6).",
  },
  control_too_long: { severity: "error", message: "A control frame carries {length:bytes}; RFC 6455 §5.5 allows at most 125." },
  control_fragmented: { severity: "error", message: "A control frame without FIN: control frames cannot be split into fragments (RFC 6455 §5.5)." },
  length_not_minimal: {
    severity: "warn",
    message: "The length {length} is written in {width} bits where fewer would do; RFC 6455 §5.2 asks for the shortest form.",
  },
  length_top_bit: { severity: "error", message: "The 64-bit length has its top bit set, which RFC 6455 §5.2 forbids." },
  continuation_unexpected: { severity: "error", message: "A continuation frame with no message to continue: no first frame without FIN came before it in this direction." },
  message_interrupted: {
    severity: "error",
    message: "A new {kind} message starts while the previous one waits for its last frame: RFC 6455 §5.4 lets only control frames come between fragments.",
  },
  invalid_utf8: { severity: "error", message: "The text is not valid UTF-8 at byte {offset} of the message: a receiver fails the connection with 1007." },
  bad_close_code: { severity: "error", message: "Close code {code} may not be sent (RFC 6455 §7.4): 1005, 1006 and 1015 are for reports only, others below 3000 are unassigned." },
  close_one_byte: { severity: "error", message: "A close payload of 1 byte: it is empty, or a 2-byte status code and an optional reason." },
  close_reason_utf8: { severity: "error", message: "The close reason is not valid UTF-8." },
  inflate_failed: {
    severity: "error",
    forms: {
      invalid: "The compressed payload is not valid DEFLATE data: it cannot be inflated.",
      distance: "The compressed payload refers to bytes before the start of this direction's window.",
      context: "This message could not be inflated: an earlier compressed message in this direction was not, and this one may refer to its bytes.",
    },
  },
  inflate_too_big: {
    severity: "error",
    message: "Inflated, this message would be longer than {limit:bytes}: the lab stopped there (a deflate bomb; ws closes with 1009 at its own limit).",
  },
  message_too_big: { severity: "warn", message: "The message is longer than the {limit:bytes} the lab joins; its first bytes are shown." },
  compressed_no_deflate: {
    severity: "note",
    message: "RSV1 marks this message compressed: the permessage-deflate extension must have been agreed in the handshake.",
  },
  key_invalid: { severity: "error", message: "Sec-WebSocket-Key must be 16 bytes in base64 (24 characters); this one decodes to {length:bytes}." },
  accept_mismatch: { severity: "error", message: "Sec-WebSocket-Accept is not the value made from the client's key: a client must fail the connection." },
  accept_unchecked: { severity: "note", message: "The request's Sec-WebSocket-Key is not known here, so the Accept value cannot be checked." },
});
