// The HTTP/1.x dissector's fields and findings, declared once (core/fields.ts, core/findings.ts): the message syntax
// of RFC 9112 (start lines, header fields, chunked coding), the header fields whose values the lab names (RFC 9110),
// and the bodies it reads (form data, multipart, JSON-RPC 2.0, XML-RPC). Words in Russian: app/_i18n.
// ISOMORPHIC: no Node imports.

import { defineFields } from "../core/fields";
import { defineFindings } from "../core/findings";

export const http1Fields = defineFields("http1", {
  request_line: { label: "Request line", type: "text", blurb: "The first line of a request: the method, the target and the protocol version." },
  "request.method": { label: "Method", type: "text", blurb: "What the client asks the server to do with the target: GET reads, POST submits, PUT replaces, DELETE removes." },
  "request.uri": { label: "Request target", type: "text", blurb: "What the request is about: usually a path with an optional query after ?." },
  "request.version": { label: "Version", type: "text", blurb: "The HTTP version the client speaks: HTTP/1.1, or HTTP/1.0 for old clients." },
  status_line: { label: "Status line", type: "text", blurb: "The first line of a response: the protocol version, the status code and the reason phrase." },
  "response.version": { label: "Version", type: "text", blurb: "The HTTP version the server speaks." },
  "response.code": {
    label: "Status code",
    type: "u16",
    blurb: "Three digits whose first says the class: 1xx information, 2xx success, 3xx redirection, 4xx client error, 5xx server error.",
  },
  "response.phrase": { label: "Reason phrase", type: "text", blurb: "Words for people; clients act on the code and ignore the phrase." },
  sp: { label: "Space", type: "text", blurb: "The space (0x20) that separates the parts of the start line." },
  eol: { label: "Line terminator", type: "text", blurb: "The end of a line: CRLF (0x0d 0x0a) in HTTP/1.1." },
  empty_line: { label: "Empty line", type: "text", blurb: "An empty line before a request, which a server skips (RFC 9112 §2.2)." },
  header: { label: "Header", type: "text", blurb: "One header field: a name, a colon and a value, on a line of its own." },
  "header.name": { label: "Name", type: "text", blurb: "The header's name; case does not matter, so Content-Type and content-type are the same header." },
  "header.separator": { label: "Colon", type: "text", blurb: "The colon after the name, with any spaces before the value." },
  "header.value": { label: "Value", type: "text", blurb: "The header's value." },
  "header.ows": { label: "Trailing whitespace", type: "text", blurb: "Spaces or tabs after the value, which are not part of it." },
  host: { label: "Host", type: "text", blurb: "The host and port the request is for: one server address can serve many sites." },
  content_length: { label: "Content-Length", type: "u64", blurb: "The length of the body in bytes: the reader knows where the message ends." },
  content_type: { label: "Content-Type", type: "text", blurb: "What the body is (application/json, text/html) and, with charset, how its text is encoded." },
  transfer_encoding: {
    label: "Transfer-Encoding",
    type: "text",
    blurb: "chunked: the body comes in pieces, each with its length, so the sender need not know the total in advance.",
  },
  connection: { label: "Connection", type: "text", blurb: "keep-alive keeps the TCP connection open for more requests; close ends it after this response." },
  upgrade: { label: "Upgrade", type: "text", blurb: "The protocol the client would like to switch to on this connection, such as websocket." },
  location: { label: "Location", type: "text", blurb: "Where a redirect (3xx) sends the client, or where a created resource (201) lives." },
  user_agent: { label: "User-Agent", type: "text", blurb: "The client's program and version, such as curl/7.88.1 or python-requests/2.28.1." },
  server: { label: "Server", type: "text", blurb: "The server's program and version." },
  accept: { label: "Accept", type: "text", blurb: "The media types the client can take, in order of preference; */* takes anything." },
  expect: { label: "Expect", type: "text", blurb: "100-continue: the client waits for a 100 Continue before sending the body." },
  etag: { label: "ETag", type: "text", blurb: "A tag for this version of the resource; a client sends it back in If-None-Match." },
  if_none_match: {
    label: "If-None-Match",
    type: "text",
    blurb: "The ETag of the copy the client has: when it is still current, the server answers 304 Not Modified without a body.",
  },
  content_encoding: { label: "Content-Encoding", type: "text", blurb: "How the body is compressed (gzip, br, deflate): the client inflates it before using it." },
  allow: { label: "Allow", type: "text", blurb: "The methods the target supports, sent with 405 Method Not Allowed." },
  end_of_headers: { label: "End of headers", type: "text", blurb: "The empty line that ends the headers: what follows is the body." },
  body: { label: "Body", type: "none", blurb: "The message's content, after the empty line." },
  chunked: { label: "Chunked body", type: "none", blurb: "A body sent in chunks, each with its size in hex before it, ending with a chunk of size 0." },
  chunk: { label: "Chunk", type: "none", blurb: "One chunk: its size line, its data and CRLF." },
  "chunk.size": { label: "Chunk size", type: "u32", blurb: "The chunk's data length in hexadecimal: 1a is 26 bytes." },
  "chunk.extension": { label: "Chunk extension", type: "text", blurb: "Extra name=value parameters after the size, after a semicolon; most readers ignore them." },
  "chunk.data": { label: "Chunk data", type: "bytes", blurb: "The chunk's bytes." },
  envelopes: {
    label: "gRPC messages",
    type: "none",
    blurb: "The messages of a gRPC-web or Connect stream, read from the data of all its chunks joined: a chunk may end in the middle of a message, so each is shown whole here.",
  },
  last_chunk: { label: "Last chunk", type: "none", blurb: "The chunk of size 0 that ends the body, then any trailer fields and an empty line." },
  incomplete: { label: "Incomplete", type: "bytes", blurb: "The start of a line or chunk that the stream ended before finishing." },
  continuation: { label: "Body continued", type: "bytes", blurb: "More of a body that a previous frame began." },
  not_http: { label: "Not HTTP", type: "bytes", blurb: "Bytes where an HTTP message should start but does not." },
  "form.pair": { label: "Form field", type: "text", blurb: "One name=value pair of an HTML form, as application/x-www-form-urlencoded writes it." },
  "form.name": { label: "Name", type: "text", blurb: "The field's name, percent-decoded." },
  "form.separator": { label: "Equals sign", type: "text", blurb: "The = between name and value." },
  "form.value": { label: "Value", type: "text", blurb: "The field's value, percent-decoded, with + read as a space." },
  "form.delimiter": { label: "Ampersand", type: "text", blurb: "The & between two fields." },
  "multipart.preamble": { label: "Preamble", type: "bytes", blurb: "Bytes before the first boundary, which readers ignore." },
  "multipart.delimiter": {
    label: "Boundary",
    type: "text",
    blurb: "Two dashes and the boundary from Content-Type, on a line of their own: a part starts after it; with two more dashes, the body ends.",
  },
  "multipart.part": { label: "Part", type: "text", blurb: "One part: its own headers (Content-Disposition names the form field), an empty line and its content." },
  "multipart.data": { label: "Content", type: "bytes", blurb: "The part's content." },
  "multipart.epilogue": { label: "Epilogue", type: "bytes", blurb: "Bytes after the closing boundary, which readers ignore." },
  "jsonrpc.request": { label: "JSON-RPC request", type: "none", blurb: "A call: the method to run, its parameters and an id the response will carry back." },
  "jsonrpc.notification": { label: "JSON-RPC notification", type: "none", blurb: "A call without an id: the server runs it and sends no response." },
  "jsonrpc.response": { label: "JSON-RPC response", type: "none", blurb: "The answer to the call with the same id: a result, or an error." },
  "jsonrpc.batch": { label: "JSON-RPC batch", type: "none", blurb: "Several calls in one array, answered by one array of responses (notifications get none)." },
  "jsonrpc.version": { label: "Version", type: "none", blurb: "\"jsonrpc\": \"2.0\" marks a JSON-RPC 2.0 message." },
  "jsonrpc.method": { label: "Method", type: "none", blurb: "The name of the procedure to run." },
  "jsonrpc.params": { label: "Parameters", type: "none", blurb: "The procedure's arguments: an array by position or an object by name." },
  "jsonrpc.id": { label: "Id", type: "none", blurb: "The caller's number or string for this call; the response carries the same one." },
  "jsonrpc.result": { label: "Result", type: "none", blurb: "What the procedure returned." },
  "jsonrpc.error": { label: "Error", type: "none", blurb: "Why the call failed: a code and a message." },
  "jsonrpc.error_code": {
    label: "Error code",
    type: "none",
    blurb: "-32700 parse error, -32600 invalid request, -32601 method not found, -32602 invalid params, -32603 internal error.",
  },
  "jsonrpc.error_message": { label: "Error message", type: "none", blurb: "The error in words." },
  "jsonrpc.error_data": { label: "Error data", type: "none", blurb: "More about the error, as the server chooses." },
  "xml.markup": { label: "Markup", type: "text", blurb: "An XML declaration, comment or processing instruction: not part of the data." },
  "xml.tag": { label: "Tag", type: "text", blurb: "A start tag <name> or an end tag </name>." },
  "xml.text": { label: "Text", type: "text", blurb: "Characters between tags, with entities such as &lt; decoded." },
  "xml.element": { label: "Element", type: "text", blurb: "An XML element: a start tag, its content and the end tag." },
  "xmlrpc.call": { label: "XML-RPC call", type: "text", blurb: "<methodCall>: the method's name and its parameters." },
  "xmlrpc.response": { label: "XML-RPC response", type: "text", blurb: "<methodResponse>: the returned value in <params>, or a <fault>." },
  "xmlrpc.method_name": { label: "Method name", type: "text", blurb: "The name of the procedure to run." },
  "xmlrpc.params": { label: "Parameters", type: "text", blurb: "The call's arguments, or the response's one returned value." },
  "xmlrpc.param": { label: "Parameter", type: "text", blurb: "One argument or the returned value." },
  "xmlrpc.value": { label: "Value", type: "text", blurb: "A typed value: <int>, <string>, <boolean>, <double>, <struct>, <array>..., or bare text, which is a string." },
  "xmlrpc.scalar": { label: "Typed value", type: "text", blurb: "The value's type as its tag, and the value as its text." },
  "xmlrpc.struct": { label: "Struct", type: "text", blurb: "Named members, as a Python dict." },
  "xmlrpc.member": { label: "Member", type: "text", blurb: "A struct's member: a name and a value." },
  "xmlrpc.member_name": { label: "Member name", type: "text", blurb: "The member's name." },
  "xmlrpc.array": { label: "Array", type: "text", blurb: "Values in order, inside <data>, as a Python list." },
  "xmlrpc.data": { label: "Array data", type: "text", blurb: "The array's values." },
  "xmlrpc.fault": { label: "Fault", type: "text", blurb: "The call failed: a struct with faultCode and faultString, raised in Python as xmlrpc.client.Fault." },
});

export const http1Findings = defineFindings("http1", {
  bare_lf: {
    severity: "error",
    message:
      "This line ends in a bare LF (0x0a) with no CR (0x0d) before it. HTTP/1.1 lines end in CRLF; RFC 9112 §2.2 lets a reader accept a bare LF, but Node's parser (llhttp) refuses the message with 400 Bad Request.",
  },
  obs_fold: {
    severity: "error",
    message:
      "The value goes on over a line that starts with whitespace (obs-fold). RFC 9112 §5.2 made that obsolete: a server must refuse it or read the fold as a space, and Node refuses it with 400.",
  },
  missing_host: {
    severity: "error",
    message: "An HTTP/1.1 request without a Host header. RFC 9112 §3.2 requires one, and a server must answer it with 400 Bad Request.",
  },
  duplicate_host: {
    severity: "warn",
    message: "{count} Host headers. RFC 9112 §3.2 says a server must answer 400 to more than one; Node takes the first.",
  },
  cl_and_te: {
    severity: "error",
    message:
      "Content-Length together with Transfer-Encoding. The chunked coding decides where the body ends (RFC 9112 §6.3), but a proxy that believed Content-Length would cut the stream elsewhere and read the rest as another request: that disagreement is request smuggling, so a server must refuse the message.",
  },
  duplicate_content_length: {
    severity: "error",
    forms: {
      same: "Content-Length appears {count} times with the same value. RFC 9110 §8.6 lets a reader accept that, but Node refuses it: a repeat could hide a conflict.",
      conflicting:
        "Content-Length values that disagree ({values}): where the body ends is unknown, and RFC 9112 §6.3 says to treat the message as invalid.",
    },
  },
  invalid_content_length: {
    severity: "error",
    message: 'Content-Length must be decimal digits only; "{value}" is not, so where the body ends is unknown.',
  },
  invalid_header_name: {
    severity: "error",
    message:
      'The header name "{name}" holds a character a name may not have ({hex}): RFC 9110 §5.1 allows letters, digits and !#$%&\'*+-.^_`|~, so no spaces, not even before the colon.',
  },
  invalid_header_value: {
    severity: "error",
    message: "The value of {name} holds a control character ({hex}): only visible characters, spaces and tabs may appear (RFC 9110 §5.5).",
  },
  missing_colon: {
    severity: "error",
    message: "A header line without a colon: it is neither a header nor the empty line that ends the headers.",
  },
  invalid_request_line: {
    severity: "error",
    message: "A request line is a method, a space, a target, a space and a version (RFC 9112 §3); this one is not.",
  },
  invalid_status_line: {
    severity: "error",
    message: "A status line is a version, a space, three digits and a reason phrase (RFC 9112 §4); this one is not.",
  },
  unknown_method: {
    severity: "error",
    message:
      "{method} is not a method Node's parser (llhttp) knows, so Node answers 400 Bad Request. Methods are case-sensitive (RFC 9110 §9.1): get is not GET.",
  },
  invalid_version: {
    severity: "error",
    message: "{version} is not a version this server reads: HTTP/1.1 and HTTP/1.0 are.",
  },
  unusual_version: {
    severity: "warn",
    message: "{version} in an HTTP/1.x start line: Node's parser accepts it, but this server speaks HTTP/1.1 and HTTP/1.0, and HTTP/2 does not use text start lines at all.",
  },
  http09: {
    severity: "warn",
    message: "A request line without a version: an HTTP/0.9 request, which has no headers. A server today answers with HTTP/1.x or refuses it.",
  },
  extra_space: {
    severity: "warn",
    message: "More than one space between the parts of the request line; RFC 9112 asks for exactly one, though Node accepts more.",
  },
  unsupported_transfer_encoding: {
    severity: "error",
    message: "Transfer-Encoding {value} does not end in chunked, so the request body's length cannot be known; a server must answer 400 (RFC 9112 §6.3).",
  },
  invalid_chunk_size: {
    severity: "error",
    message:
      'A chunk size line is hexadecimal digits, optionally followed by ;extensions; "{line}" is not. After it, nothing in the stream can be framed.',
  },
  chunk_data_unterminated: {
    severity: "error",
    message: "Chunk data must end with CRLF, but after its {size:bytes} come {hex}. After it, nothing in the stream can be framed.",
  },
  body_short: {
    severity: "error",
    forms: {
      length: "The body has {have:bytes} of the {declared:bytes} Content-Length declares: the stream ended before the rest arrived.",
      chunked: "The chunked body has no last chunk: the stream ended in the middle of it.",
    },
  },
  after_message: {
    severity: "error",
    forms: {
      length: "{length:bytes} after a message whose Content-Length said where it ends, and they do not start a new message: the body was longer than declared.",
      not_http: "{length:bytes} that do not start an HTTP message.",
    },
  },
  headers_unterminated: {
    severity: "error",
    message: "The stream ended inside the headers: the empty line that ends them never came.",
  },
  headers_too_long: {
    severity: "error",
    message: "No end of the headers within {limit:bytes}. Servers refuse much less: Node answers 431 past 16 KiB.",
  },
  read_to_close: {
    severity: "note",
    message:
      "No Content-Length and no chunked coding: the body is everything until the server closes the connection (RFC 9112 §6.3), so the connection cannot carry another request.",
  },
  no_body: {
    severity: "chat",
    forms: {
      head: "A response to HEAD has no body, whatever Content-Length says: that is the size a GET would get.",
      status: "A {code} response never has a body (RFC 9112 §6.3).",
    },
  },
  body_follows: {
    severity: "chat",
    message: "The body goes on past the {limit:bytes} the lab shows in one frame; the next frames carry the rest.",
  },
  upgrade: {
    severity: "chat",
    message: "The connection switches to {protocol} after this response: the bytes that follow, both ways, are not HTTP any more.",
  },
  tunnel: {
    severity: "chat",
    message: "CONNECT succeeded: the connection is now a tunnel, and the bytes that follow, both ways, are not HTTP.",
  },
  content_encoded: {
    severity: "chat",
    message: "The body is compressed ({coding}) and shown as sent: a client inflates it before reading it as its Content-Type says.",
  },
  json_invalid: {
    severity: "warn",
    forms: {
      syntax: "The body is declared as JSON but is not JSON: a reader stops at offset {offset}.",
      depth: "The JSON nests deeper than the {depth} levels the lab shows as a tree.",
      encoding: "The JSON holds a string that is not valid UTF-8 or has an invalid escape, at offset {offset}.",
    },
  },
  multipart_no_boundary: {
    severity: "warn",
    message: "A multipart body without a boundary parameter in Content-Type: the parts cannot be found.",
  },
  multipart_unterminated: {
    severity: "warn",
    message: "The closing boundary --{boundary}-- never comes: the last part is cut short.",
  },
});
